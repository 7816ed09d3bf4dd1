//! The distortion ladder: seeded, deterministic image degradations that stand in for what a
//! phone camera does to a printed sticker (distance, angle, focus, sensor noise, poor print,
//! glare, inverted stickers, cropped margins, compression), each at five difficulty levels.
//!
//! A rung is a kind, a level and the parameters that level means; its id (`blur-2`) is stable
//! and names it in vectors and reports. `apply` is a pure function of the image, the rung and
//! the seed: the same three give the same bytes (randomness comes from ChaCha8 seeded with the
//! seed, never from the system; Gaussian noise is built from uniform draws with plain
//! arithmetic). The pixel parameters are calibrated for qrcert's standard render at 8 pixels per
//! module.

mod ops;
pub mod policy;

use std::fmt;

use image::GrayImage;
use serde::{Serialize, Serializer};

/// What a rung does to the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistortionKind {
    /// Downscale: a sticker seen from further away.
    Scale,
    /// In-plane rotation.
    Rotate,
    /// Perspective: the camera not square to the sticker.
    Perspective,
    /// Gaussian blur: out of focus or motion.
    Blur,
    /// Gaussian sensor noise.
    Noise,
    /// Compressed contrast around mid-gray: faded print, poor light.
    Contrast,
    /// A bright patch washing out part of the symbol.
    Glare,
    /// Light modules on a dark background.
    Invert,
    /// Quiet zone cropped away.
    TrimQuietZone,
    /// JPEG-like 8x8 DCT quantisation.
    Blocky,
}

impl DistortionKind {
    /// Every kind, in ladder order.
    pub const ALL: [DistortionKind; 10] = [
        DistortionKind::Scale,
        DistortionKind::Rotate,
        DistortionKind::Perspective,
        DistortionKind::Blur,
        DistortionKind::Noise,
        DistortionKind::Contrast,
        DistortionKind::Glare,
        DistortionKind::Invert,
        DistortionKind::TrimQuietZone,
        DistortionKind::Blocky,
    ];

    /// The name used in rung ids.
    pub const fn as_str(self) -> &'static str {
        match self {
            DistortionKind::Scale => "scale",
            DistortionKind::Rotate => "rotate",
            DistortionKind::Perspective => "perspective",
            DistortionKind::Blur => "blur",
            DistortionKind::Noise => "noise",
            DistortionKind::Contrast => "contrast",
            DistortionKind::Glare => "glare",
            DistortionKind::Invert => "invert",
            DistortionKind::TrimQuietZone => "trim",
            DistortionKind::Blocky => "blocky",
        }
    }

    /// How many levels the kind has: inversion is all or nothing.
    pub const fn levels(self) -> u8 {
        match self {
            DistortionKind::Invert => 1,
            _ => Difficulty::MAX.0,
        }
    }
}

impl fmt::Display for DistortionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Difficulty of a rung, 1 (mild) to 5 (severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "u8")]
pub struct Difficulty(u8);

impl Difficulty {
    /// The mildest level.
    pub const MIN: Difficulty = Difficulty(1);
    /// The most severe level.
    pub const MAX: Difficulty = Difficulty(5);

    /// The level `n`, if `n` is in 1..=5.
    pub const fn new(n: u8) -> Option<Self> {
        if n >= 1 && n <= 5 {
            Some(Difficulty(n))
        } else {
            None
        }
    }

    /// The level number.
    pub const fn get(self) -> u8 {
        self.0
    }

    /// Index 0..=4 into per-level tables.
    const fn index(self) -> usize {
        (self.0 - 1) as usize
    }
}

impl From<Difficulty> for u8 {
    fn from(d: Difficulty) -> u8 {
        d.0
    }
}

/// The parameters a rung applies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Params {
    /// Resize both sides by `factor` (area-averaging filter).
    Scale {
        /// Output size over input size.
        factor: f64,
    },
    /// Rotate by `degrees` clockwise about the centre, on a canvas grown to fit, white fill.
    Rotate {
        /// Angle in degrees.
        degrees: f64,
    },
    /// Project so that one edge (chosen by the seed) shrinks by `tilt` of the width at each end.
    Perspective {
        /// Fraction of the side pulled in at each end of the far edge.
        tilt: f64,
    },
    /// Gaussian blur.
    Blur {
        /// Standard deviation in pixels.
        sigma: f64,
    },
    /// Additive Gaussian noise, clamped to 0..=255.
    Noise {
        /// Standard deviation in gray levels.
        sigma: f64,
    },
    /// Map 0..=255 onto a band `range` levels wide centred on mid-gray.
    Contrast {
        /// Width of the output band in gray levels.
        range: u8,
    },
    /// A bright disc with a soft edge, centred by the seed in the middle half of the image.
    Glare {
        /// Radius as a fraction of the shorter side.
        radius: f64,
        /// How far toward white the core is pushed, 0..=1.
        strength: f64,
    },
    /// 255 - value.
    Invert,
    /// Crop the light margin around the dark content to `keep` of its width on every side.
    TrimQuietZone {
        /// Fraction of the margin kept.
        keep: f64,
    },
    /// 8x8 DCT, quantised with the JPEG luminance table at an IJG `quality`, and back; the
    /// block grid is offset by the seed.
    Blocky {
        /// IJG quality, 1..=100 (lower is blockier).
        quality: u8,
    },
}

/// One step of the ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rung {
    /// What it does.
    pub kind: DistortionKind,
    /// How hard it is.
    pub level: Difficulty,
    /// Exactly what it does at this level.
    pub params: Params,
}

impl Rung {
    /// The standard rung of `kind` at `level`, or `None` if the kind has no such level.
    pub fn standard(kind: DistortionKind, level: Difficulty) -> Option<Rung> {
        if level.get() > kind.levels() {
            return None;
        }
        let i = level.index();
        let params = match kind {
            DistortionKind::Scale => Params::Scale {
                factor: [0.75, 0.5, 0.375, 0.25, 0.1875][i],
            },
            DistortionKind::Rotate => Params::Rotate {
                degrees: [3.0, 10.0, 22.5, 37.0, 45.0][i],
            },
            DistortionKind::Perspective => Params::Perspective {
                tilt: [0.05, 0.1, 0.15, 0.22, 0.3][i],
            },
            DistortionKind::Blur => Params::Blur {
                sigma: [1.0, 2.0, 3.0, 4.0, 5.5][i],
            },
            DistortionKind::Noise => Params::Noise {
                sigma: [15.0, 25.0, 45.0, 70.0, 100.0][i],
            },
            DistortionKind::Contrast => Params::Contrast {
                range: [128, 48, 16, 6, 3][i],
            },
            DistortionKind::Glare => Params::Glare {
                radius: [0.12, 0.2, 0.28, 0.36, 0.5][i],
                strength: [0.6, 0.8, 0.95, 1.0, 1.0][i],
            },
            DistortionKind::Invert => Params::Invert,
            DistortionKind::TrimQuietZone => Params::TrimQuietZone {
                keep: [0.75, 0.5, 0.25, 0.125, 0.0][i],
            },
            DistortionKind::Blocky => Params::Blocky {
                quality: [50, 25, 12, 6, 2][i],
            },
        };
        Some(Rung {
            kind,
            level,
            params,
        })
    }

    /// Stable identifier, `<kind>-<level>`, e.g. `blur-2`.
    pub fn id(&self) -> String {
        format!("{}-{}", self.kind, self.level.get())
    }
}

impl Serialize for Rung {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Repr<'a> {
            id: String,
            kind: DistortionKind,
            level: Difficulty,
            params: &'a Params,
        }
        Repr {
            id: self.id(),
            kind: self.kind,
            level: self.level,
            params: &self.params,
        }
        .serialize(s)
    }
}

/// The standard ladder: every kind at every level it has, kinds in [`DistortionKind::ALL`]
/// order, levels ascending.
pub fn ladder() -> Vec<Rung> {
    DistortionKind::ALL
        .iter()
        .flat_map(|&kind| {
            (1..=kind.levels())
                .filter_map(move |n| Difficulty::new(n).and_then(|l| Rung::standard(kind, l)))
        })
        .collect()
}

/// The highest level of each kind that qrcert's own decoder ([`crate::image::decode_gray`]:
/// rqrr behind the straight, binarised, upscaled and inverted views, then the preprocessing
/// retries) reads back to the exact payload, for every fixture payload of the image tests
/// (EMVCo CN, ASCII, KHQR Khmer, JPQR Japanese, emoji; versions 7 to 12 at level M, 8 pixels
/// per module) and seeds 1 to 3. Measured, and kept honest both ways by
/// `tests/image/ladder.rs`: every rung up to the level decodes, and the next level fails
/// somewhere. No rung of the ladder, at any level, reads to a wrong payload.
///
/// | kind | reads up to | read by | above it (of 15 images) |
/// | --- | --- | --- | --- |
/// | scale | 5 (1.5 px/module) | scale-5: the 8x enlarged view | - |
/// | rotate | 5 (45 degrees) | | - |
/// | perspective | 5 (tilt 0.3) | perspective-5: mostly the enlarged view | - |
/// | blur | 4 (sigma 4 px) | blur-4: the sharpened view | blur-5: 0 |
/// | noise | 3 (sigma 45) | noise-4, 5: the denoised view | noise-4: 13, noise-5: 8 |
/// | contrast | 5 (3 gray levels, after binarisation) | | - |
/// | glare | 2 | glare-3: the local threshold | glare-3: 14, glare-4 and 5: 0 |
/// | invert | 1 | | - |
/// | trim | 5 (no quiet zone at all) | | - |
/// | blocky | 5 (quality 2) | | - |
///
/// What stays out of reach is lost in the image, not in the reader. Glare-4 and glare-5 burn a
/// disc 0.6 of their radius wide to pure white (16 and 22 modules across a version 12 symbol):
/// every dark module there is gone, more codewords than level M's Reed-Solomon code can
/// correct without knowing where they are (rqrr reports "too many errors"). Blur-5 (sigma
/// 5.5 px, two thirds of a module) leaves a checkerboard of modules about a tenth of its
/// contrast; an unsharp mask does not bring it back, and deconvolution was not judged worth its
/// cost.
///
/// Without the binarised view rqrr alone misses scale-1 (0.75x) and blur-1 on version 12
/// symbols, and contrast from level 3.
pub const fn reads_up_to(kind: DistortionKind) -> u8 {
    match kind {
        DistortionKind::Scale => 5,
        DistortionKind::Rotate => 5,
        DistortionKind::Perspective => 5,
        DistortionKind::Blur => 4,
        DistortionKind::Noise => 3,
        DistortionKind::Contrast => 5,
        DistortionKind::Glare => 2,
        DistortionKind::Invert => 1,
        DistortionKind::TrimQuietZone => 5,
        DistortionKind::Blocky => 5,
    }
}

/// Find a standard rung by its id.
pub fn rung_by_id(id: &str) -> Option<Rung> {
    ladder().into_iter().find(|r| r.id() == id)
}

/// Apply a rung to an image. Deterministic in (`img`, `rung`, `seed`).
pub fn apply(img: &GrayImage, rung: &Rung, seed: u64) -> GrayImage {
    match rung.params {
        Params::Scale { factor } => ops::scale(img, factor),
        Params::Rotate { degrees } => ops::rotate(img, degrees),
        Params::Perspective { tilt } => ops::perspective(img, tilt, seed),
        Params::Blur { sigma } => ops::blur(img, sigma),
        Params::Noise { sigma } => ops::noise(img, sigma, seed),
        Params::Contrast { range } => ops::contrast(img, range),
        Params::Glare { radius, strength } => ops::glare(img, radius, strength, seed),
        Params::Invert => super::decode::invert(img),
        Params::TrimQuietZone { keep } => ops::trim_quiet_zone(img, keep),
        Params::Blocky { quality } => ops::blocky(img, quality, seed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_ids_are_unique_and_stable() {
        let ids: Vec<String> = ladder().iter().map(Rung::id).collect();
        assert_eq!(ids.len(), 9 * 5 + 1);
        let unique: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert_eq!(ids[0], "scale-1");
        assert!(ids.contains(&"blur-2".to_string()));
        assert!(ids.contains(&"invert-1".to_string()));
        assert!(!ids.contains(&"invert-2".to_string()));
        assert_eq!(
            rung_by_id("trim-5").map(|r| r.params),
            Some(Params::TrimQuietZone { keep: 0.0 })
        );
    }

    #[test]
    fn rung_serializes_with_id() {
        let r = rung_by_id("blur-2").unwrap();
        let v = serde_json::to_value(r).unwrap();
        assert_eq!(v["id"], "blur-2");
        assert_eq!(v["level"], 2);
        assert_eq!(v["params"]["op"], "blur");
        assert_eq!(v["params"]["sigma"], 2.0);
    }

    #[test]
    fn levels_get_harder() {
        // Each numeric parameter moves monotonically in the harder direction.
        for kind in DistortionKind::ALL {
            let rungs: Vec<Rung> = ladder().into_iter().filter(|r| r.kind == kind).collect();
            for pair in rungs.windows(2) {
                let harder = match (pair[0].params, pair[1].params) {
                    (Params::Scale { factor: a }, Params::Scale { factor: b }) => b < a,
                    (Params::Rotate { degrees: a }, Params::Rotate { degrees: b }) => b > a,
                    (Params::Perspective { tilt: a }, Params::Perspective { tilt: b }) => b > a,
                    (Params::Blur { sigma: a }, Params::Blur { sigma: b }) => b > a,
                    (Params::Noise { sigma: a }, Params::Noise { sigma: b }) => b > a,
                    (Params::Contrast { range: a }, Params::Contrast { range: b }) => b < a,
                    (Params::Glare { radius: a, .. }, Params::Glare { radius: b, .. }) => b > a,
                    (Params::TrimQuietZone { keep: a }, Params::TrimQuietZone { keep: b }) => b < a,
                    (Params::Blocky { quality: a }, Params::Blocky { quality: b }) => b < a,
                    _ => false,
                };
                assert!(harder, "{} -> {}", pair[0].id(), pair[1].id());
            }
        }
    }
}
