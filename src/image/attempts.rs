//! The views of an image that scanning tries, in order, until one yields a symbol.
//!
//! rqrr's adaptive threshold and finder-pattern scan are brittle on images a phone reader
//! shrugs off: measured on the distortion ladder, a plain 0.75x downscale or a 1-pixel blur of
//! a version 12 symbol can hide every finder pattern from it, while the same image binarised at
//! a global (Otsu) threshold reads at once. Slight upscaling rescues some perspective and noise
//! cases. Later views are only built when earlier ones find nothing, so a clean image costs one
//! pass.
//!
//! When none of those six reads, a bounded set of retries follows, one preprocessing step each
//! (see [`super::preprocess`]), cheapest first: a local threshold for glare, a box filter for
//! heavy noise, an unsharp mask for defocus, and a large upscale for symbols under 2 pixels per
//! module or steeply foreshortened. Each is one rqrr pass, and rqrr's Reed-Solomon check still
//! decides whether anything was read, so a retry can find a symbol but not invent a payload.

use image::GrayImage;
use serde::Serialize;

use super::preprocess::{contrast, denoise, threshold, upscale as enlarge};

/// How the image was prepared before rqrr saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Preprocess {
    /// Module centres sampled on the grid the finder patterns span, before any rqrr pass (the
    /// fast first attempt, [`super::sampled`]).
    Sampled,
    /// As given.
    Straight,
    /// Binarised at the Otsu threshold.
    Binarized,
    /// Upscaled by 3/2 (only for images up to [`MAX_UPSCALE_PIXELS`]).
    Upscaled,
    /// Binarised against the mean of a window a few modules wide (glare, uneven light).
    LocalThreshold,
    /// Box-filtered, then binarised at the Otsu threshold (heavy sensor noise).
    Denoised,
    /// Unsharp-masked, then binarised at the Otsu threshold (defocus).
    Sharpened,
    /// Upscaled up to 8x within [`enlarge::MAX_OUTPUT_PIXELS`], then binarised at the Otsu
    /// threshold (tiny or foreshortened symbols).
    Enlarged,
}

/// Images larger than this are not upscaled: a phone photo is already finely sampled, and a
/// 1.5x copy of a 40-megapixel image would cost 90 MB.
pub const MAX_UPSCALE_PIXELS: u64 = 4_000_000;

/// One view of the image.
pub struct View {
    /// How it was made.
    pub preprocess: Preprocess,
    /// Whether it is the inverse of the input (reversed reflectance).
    pub inverted: bool,
    /// Scale from view coordinates back to input coordinates.
    pub to_input: f64,
    /// The pixels.
    pub image: GrayImage,
}

/// Box filter radius for [`Preprocess::Denoised`]: a 5x5 window, under a module at the 8
/// pixels per module of a sharp photo and still most of one at 3.
const DENOISE_RADIUS: u32 = 2;

/// Unsharp mask for [`Preprocess::Sharpened`]: a 9x9 mean, pushed away from by twice the
/// difference; measured on blur-4 (sigma half a module), where it restores the module edges
/// rqrr needs.
const SHARPEN_RADIUS: u32 = 4;
const SHARPEN_AMOUNT_TENTHS: u8 = 20;

/// [`Preprocess::Enlarged`] aims at 8x: 1.5 pixels per module become 12, and the bilinear
/// ramps between modules straighten into edges at the Otsu threshold.
const ENLARGE_FACTOR: u32 = 8;

/// Number of retry views after the six straight, binarised and upscaled ones.
const RETRIES: usize = 4;

fn upscale(img: &GrayImage) -> GrayImage {
    let side = |n: u32| n.saturating_mul(3) / 2;
    super::preprocess::resize::triangle(img, side(img.width()), side(img.height()))
}

/// Build the view `index` (0-based) of the sequence: straight, binarised, upscaled, then the
/// same three inverted, then the retries (local threshold, denoised, sharpened, enlarged).
/// `None` past the end or for a view that does not apply.
pub fn view(img: &GrayImage, index: usize) -> Option<View> {
    if index >= 6 {
        return retry(img, index - 6);
    }
    let inverted = index >= 3;
    let preprocess = [
        Preprocess::Straight,
        Preprocess::Binarized,
        Preprocess::Upscaled,
    ]
    .get(index % 3)
    .copied()?;
    let pixels = u64::from(img.width()) * u64::from(img.height());
    if preprocess == Preprocess::Upscaled && pixels > MAX_UPSCALE_PIXELS {
        return None;
    }
    let base = if inverted { invert(img) } else { img.clone() };
    let (image, to_input) = match preprocess {
        Preprocess::Straight => (base, 1.0),
        Preprocess::Binarized => (threshold::otsu(&base), 1.0),
        Preprocess::Upscaled => {
            let up = upscale(&base);
            let ratio = f64::from(img.width()) / f64::from(up.width().max(1));
            (up, ratio)
        }
        _ => return None,
    };
    Some(View {
        preprocess,
        inverted,
        to_input,
        image,
    })
}

/// The retry `index` (0-based) on the image as given.
fn retry(img: &GrayImage, index: usize) -> Option<View> {
    let straight = |preprocess, image| View {
        preprocess,
        inverted: false,
        to_input: 1.0,
        image,
    };
    match index {
        0 => {
            let radius = threshold::radius_for(img);
            Some(straight(
                Preprocess::LocalThreshold,
                threshold::local_mean(img, radius, 1),
            ))
        }
        1 => Some(straight(
            Preprocess::Denoised,
            threshold::otsu(&denoise::box_mean(img, DENOISE_RADIUS)),
        )),
        2 => Some(straight(
            Preprocess::Sharpened,
            threshold::otsu(&contrast::unsharp(
                img,
                SHARPEN_RADIUS,
                SHARPEN_AMOUNT_TENTHS,
            )),
        )),
        3 => {
            let up = enlarge::upscale(img, ENLARGE_FACTOR)?;
            let to_input = f64::from(img.width()) / f64::from(up.width().max(1));
            Some(View {
                preprocess: Preprocess::Enlarged,
                inverted: false,
                to_input,
                image: threshold::otsu(&up),
            })
        }
        _ => None,
    }
}

/// Number of view slots [`view`] may fill.
pub const VIEWS: usize = 6 + RETRIES;

/// A white image of the same size, for tests of "nothing there".
/// Invert an 8-bit grayscale image.
pub fn invert(img: &GrayImage) -> GrayImage {
    let mut out = img.clone();
    for p in out.pixels_mut() {
        p.0[0] = 255 - p.0[0];
    }
    out
}

/// A white image of the same size (tests).
#[cfg(test)]
pub fn blank_like(img: &GrayImage) -> GrayImage {
    GrayImage::from_pixel(img.width(), img.height(), image::Luma([255]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn views_in_order() {
        let img = GrayImage::from_fn(20, 10, |x, _| Luma([if x < 10 { 30 } else { 200 }]));
        let kinds: Vec<_> = (0..VIEWS + 2)
            .filter_map(|i| view(&img, i))
            .map(|v| (v.preprocess, v.inverted))
            .collect();
        assert_eq!(
            kinds,
            [
                (Preprocess::Straight, false),
                (Preprocess::Binarized, false),
                (Preprocess::Upscaled, false),
                (Preprocess::Straight, true),
                (Preprocess::Binarized, true),
                (Preprocess::Upscaled, true),
                (Preprocess::LocalThreshold, false),
                (Preprocess::Denoised, false),
                (Preprocess::Sharpened, false),
                (Preprocess::Enlarged, false),
            ]
        );
        let enlarged = view(&img, 9).unwrap();
        assert_eq!(enlarged.image.dimensions(), (160, 80));
        assert!((enlarged.to_input - 0.125).abs() < 1e-9);
        let bin = view(&img, 1).unwrap().image;
        assert_eq!(
            (bin.get_pixel(0, 0).0[0], bin.get_pixel(19, 0).0[0]),
            (0, 255)
        );
        let inv = view(&img, 3).unwrap().image;
        assert_eq!(inv.get_pixel(0, 0).0[0], 225);
        let up = view(&img, 2).unwrap();
        assert_eq!(up.image.dimensions(), (30, 15));
        assert!((up.to_input - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(blank_like(&img).get_pixel(0, 0).0[0], 255);
    }

    #[test]
    fn huge_images_are_not_upscaled() {
        let img = GrayImage::new(2001, 2000);
        assert!(view(&img, 2).is_none());
        assert!(view(&img, 9).is_none());
        assert!(view(&img, 1).is_some());
    }
}
