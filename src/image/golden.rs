//! Golden scan images: rendered deterministically from the scan vectors themselves. A scan
//! vector names its image and the payload it must read; the image's file name says how it is
//! made from that payload:
//!
//! - `<name>.png`: the reference rendering (byte segments, ECI 26 when needed, EC level M,
//!   8 pixels per module, 4-module quiet zone);
//! - `<name>-rot90.png`: the same, rotated a quarter turn clockwise;
//! - `<name>-quietN.png`: the same with an `N`-module quiet zone;
//! - `<name>-<rung>-s<seed>.png`: the same through a rung of the distortion ladder (`blur-2`,
//!   `rotate-3`, ...) with that seed;
//! - `unreadable-blank.png`, `unreadable-wiped-s<seed>.png`: images that carry no payload, the
//!   frames of scan sequences that a scanner must refuse (a blank frame, and a symbol whose
//!   finder and timing patterns are intact but whose other modules are seeded noise, so a
//!   reader finds it and cannot decode it).
//!
//! So `qrcert vectors images` needs nothing but the vectors, and the same vectors always give the
//! same bytes (the manifest pins their hashes).

use image::{GrayImage, Luma, imageops};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::distort::{apply, rung_by_id};
use super::png::encode_png;
use super::render::{RenderError, RenderOptions, encode_matrix, render_gray};

/// The prefix of images that carry no payload.
pub const UNREADABLE_PREFIX: &str = "unreadable-";

/// The text behind the wiped symbol (nothing of it survives the wiping).
const WIPED_TEXT: &str = "qrcert: this symbol is deliberately unreadable; a scanner must refuse it";

/// How a golden image is derived from its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Variant {
    /// The reference rendering.
    Clean,
    /// Rotated 90 degrees clockwise.
    Rotate90,
    /// With a quiet zone of this many modules.
    QuietZone(u32),
    /// Through a rung of the distortion ladder with a seed.
    Rung {
        /// The rung ID (`blur-2`).
        id: String,
        /// The seed.
        seed: u64,
    },
    /// No payload at all.
    Unreadable(Unreadable),
}

/// An image that carries no payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// A white frame: the camera saw nothing.
    Blank,
    /// A symbol with intact finder and timing patterns and seeded noise everywhere else.
    Wiped {
        /// The seed of the noise.
        seed: u64,
    },
}

impl Variant {
    /// Whether the image is made from a payload (and so reads back to one).
    pub fn carries_payload(&self) -> bool {
        !matches!(self, Variant::Unreadable(_))
    }
}

/// Reads the variant from an image file name (`images/khqr-dynamic-blur-2-s7.png`).
pub fn variant_of(file_name: &str) -> Variant {
    let stem = file_name
        .rsplit('/')
        .next()
        .unwrap_or(file_name)
        .trim_end_matches(".png");
    if let Some(rest) = stem.strip_prefix(UNREADABLE_PREFIX) {
        if rest == "blank" {
            return Variant::Unreadable(Unreadable::Blank);
        }
        if let Some(seed) = rest
            .strip_prefix("wiped-s")
            .and_then(|s| s.parse::<u64>().ok())
        {
            return Variant::Unreadable(Unreadable::Wiped { seed });
        }
    }
    if stem.ends_with("-rot90") {
        return Variant::Rotate90;
    }
    if let Some((_, n)) = stem.rsplit_once("-quiet")
        && let Ok(n) = n.parse::<u32>()
    {
        return Variant::QuietZone(n);
    }
    // `<name>-<kind>-<level>-s<seed>`
    let parts: Vec<&str> = stem.rsplitn(4, '-').collect();
    if let [seed, level, kind, _] = parts.as_slice()
        && let Some(seed) = seed.strip_prefix('s').and_then(|s| s.parse::<u64>().ok())
    {
        let id = format!("{kind}-{level}");
        if rung_by_id(&id).is_some() {
            return Variant::Rung { id, seed };
        }
    }
    Variant::Clean
}

/// Why a golden image could not be made.
#[derive(Debug, thiserror::Error)]
pub enum GoldenError {
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// Renders the golden image for `payload` and `variant` (an unreadable variant ignores the
/// payload).
pub fn render_golden(payload: &str, variant: &Variant) -> Result<Vec<u8>, GoldenError> {
    if let Variant::Unreadable(u) = variant {
        return encode_png(&unreadable(*u)?).map_err(|e| GoldenError::Png(e.to_string()));
    }
    let mut options = RenderOptions::default();
    if let Variant::QuietZone(n) = variant {
        options.quiet_zone = *n;
    }
    let img = render_gray(payload, &options)?;
    let img = match variant {
        Variant::Rotate90 => imageops::rotate90(&img),
        Variant::Rung { id, seed } => match rung_by_id(id) {
            Some(rung) => apply(&img, &rung, *seed),
            None => img,
        },
        _ => img,
    };
    encode_png(&img).map_err(|e| GoldenError::Png(e.to_string()))
}

/// Draws an unreadable frame at the size of a standard render.
fn unreadable(kind: Unreadable) -> Result<GrayImage, RenderError> {
    let options = RenderOptions::default();
    let matrix = encode_matrix(WIPED_TEXT, &options)?;
    let img = render_gray(WIPED_TEXT, &options)?;
    let Unreadable::Wiped { seed } = kind else {
        return Ok(GrayImage::from_pixel(
            img.width(),
            img.height(),
            Luma([255]),
        ));
    };
    let n = matrix.size();
    let (scale, qz) = (options.scale as usize, options.quiet_zone as usize);
    // Finder patterns with their separators, and the two timing lines, stay as drawn.
    let kept = |r: usize, c: usize| {
        let finder = (r < 8 && (c < 8 || c + 8 >= n)) || (r + 8 >= n && c < 8);
        finder || r == 6 || c == 6
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = img;
    for r in 0..n {
        for c in 0..n {
            // Drawn for every module, kept or not, so the noise depends on the seed alone.
            let dark = rng.random_bool(0.5);
            if kept(r, c) {
                continue;
            }
            let value = Luma([if dark { 0 } else { 255 }]);
            for y in (qz + r) * scale..(qz + r + 1) * scale {
                for x in (qz + c) * scale..(qz + c + 1) * scale {
                    // Inside the image: the render has `qz` modules of margin on every side.
                    out.put_pixel(x as u32, y as u32, value);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{DecodeError, DecodeLimits, decode_png_one, inspect_png};

    const KHQR: &str = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";

    #[test]
    fn names_say_how_images_are_made() {
        assert_eq!(variant_of("images/khqr-static.png"), Variant::Clean);
        assert_eq!(
            variant_of("images/emv-annex-b-rot90.png"),
            Variant::Rotate90
        );
        assert_eq!(
            variant_of("images/emv-annex-b-quiet2.png"),
            Variant::QuietZone(2)
        );
        assert_eq!(
            variant_of("images/khqr-dynamic-blur-2-s7.png"),
            Variant::Rung {
                id: "blur-2".into(),
                seed: 7
            }
        );
        assert_eq!(variant_of("images/khqr-nope-9-s7.png"), Variant::Clean);
        assert_eq!(
            variant_of("images/unreadable-blank.png"),
            Variant::Unreadable(Unreadable::Blank)
        );
        assert_eq!(
            variant_of("images/unreadable-wiped-s3.png"),
            Variant::Unreadable(Unreadable::Wiped { seed: 3 })
        );
        assert!(!variant_of("images/unreadable-wiped-s3.png").carries_payload());
        assert!(variant_of("images/khqr-static.png").carries_payload());
    }

    #[test]
    fn unreadable_frames_are_refused_and_the_wiped_one_is_found_first() {
        let limits = DecodeLimits::default();
        let blank = render_golden("", &Variant::Unreadable(Unreadable::Blank)).unwrap();
        assert_eq!(
            decode_png_one(&blank, &limits).unwrap_err(),
            DecodeError::NotDetected
        );
        for seed in [1, 2, 3] {
            let v = Variant::Unreadable(Unreadable::Wiped { seed });
            let wiped = render_golden("ignored", &v).unwrap();
            assert_eq!(wiped, render_golden("other", &v).unwrap());
            // Found (the finder patterns are intact) but not decodable.
            assert!(
                matches!(
                    decode_png_one(&wiped, &limits),
                    Err(DecodeError::DecodeFailed { .. })
                ),
                "seed {seed}: {:?}",
                decode_png_one(&wiped, &limits)
            );
        }
        assert_ne!(
            render_golden("", &Variant::Unreadable(Unreadable::Wiped { seed: 1 })).unwrap(),
            render_golden("", &Variant::Unreadable(Unreadable::Wiped { seed: 2 })).unwrap()
        );
    }

    #[test]
    fn golden_images_are_deterministic_and_read_back() {
        for v in [Variant::Clean, Variant::Rotate90, Variant::QuietZone(2)] {
            let a = render_golden(KHQR, &v).unwrap();
            assert_eq!(a, render_golden(KHQR, &v).unwrap(), "{v:?}");
            assert_eq!(
                decode_png_one(&a, &DecodeLimits::default())
                    .unwrap()
                    .payload,
                KHQR
            );
        }
        let q = render_golden(KHQR, &Variant::QuietZone(2)).unwrap();
        assert_eq!(
            inspect_png(&q, &DecodeLimits::default())
                .unwrap()
                .quiet_zone_modules,
            2
        );
    }
}
