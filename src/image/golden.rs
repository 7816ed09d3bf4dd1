//! Golden scan images: rendered deterministically from the scan vectors themselves. A scan
//! vector names its image and the payload it must read; the image's file name says how it is
//! made from that payload:
//!
//! - `<name>.png`: the reference rendering (byte segments, ECI 26 when needed, EC level M,
//!   8 pixels per module, 4-module quiet zone);
//! - `<name>-rot90.png`: the same, rotated a quarter turn clockwise;
//! - `<name>-quietN.png`: the same with an `N`-module quiet zone;
//! - `<name>-<rung>-s<seed>.png`: the same through a rung of the distortion ladder (`blur-2`,
//!   `rotate-3`, ...) with that seed.
//!
//! So `qrcert vectors images` needs nothing but the vectors, and the same vectors always give the
//! same bytes (the manifest pins their hashes).

use image::imageops;

use super::distort::{apply, rung_by_id};
use super::png::encode_png;
use super::render::{RenderError, RenderOptions, render_gray};

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
}

/// Reads the variant from an image file name (`images/khqr-dynamic-blur-2-s7.png`).
pub fn variant_of(file_name: &str) -> Variant {
    let stem = file_name
        .rsplit('/')
        .next()
        .unwrap_or(file_name)
        .trim_end_matches(".png");
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

/// Renders the golden image for `payload` and `variant`.
pub fn render_golden(payload: &str, variant: &Variant) -> Result<Vec<u8>, GoldenError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{DecodeLimits, decode_png_one, inspect_png};

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
