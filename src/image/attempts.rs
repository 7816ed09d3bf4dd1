//! The views of an image that scanning tries, in order, until one yields a symbol.
//!
//! rqrr's adaptive threshold and finder-pattern scan are brittle on images a phone reader
//! shrugs off: measured on the distortion ladder, a plain 0.75x downscale or a 1-pixel blur of
//! a version 12 symbol can hide every finder pattern from it, while the same image binarised at
//! a global (Otsu) threshold reads at once. Slight upscaling rescues some perspective and noise
//! cases. Later views are only built when earlier ones find nothing, so a clean image costs one
//! pass.

use image::GrayImage;
use image::imageops::FilterType;
use serde::Serialize;

use super::quiet::otsu;

/// How the image was prepared before rqrr saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Preprocess {
    /// As given.
    Straight,
    /// Binarised at the Otsu threshold.
    Binarized,
    /// Upscaled by 3/2 (only for images up to [`MAX_UPSCALE_PIXELS`]).
    Upscaled,
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

fn binarize(img: &GrayImage) -> GrayImage {
    let t = otsu(img);
    let mut out = img.clone();
    for p in out.pixels_mut() {
        p.0[0] = if p.0[0] <= t { 0 } else { 255 };
    }
    out
}

fn upscale(img: &GrayImage) -> GrayImage {
    let side = |n: u32| n.saturating_mul(3) / 2;
    image::imageops::resize(
        img,
        side(img.width()),
        side(img.height()),
        FilterType::Triangle,
    )
}

/// Build the view `index` (0-based) of the sequence: straight, binarised, upscaled, then the
/// same three inverted. `None` past the end or for a view that does not apply.
pub fn view(img: &GrayImage, index: usize) -> Option<View> {
    let inverted = index >= 3;
    let preprocess = [
        Preprocess::Straight,
        Preprocess::Binarized,
        Preprocess::Upscaled,
    ]
    .get(index % 3)
    .copied()?;
    if index >= 6 {
        return None;
    }
    let pixels = u64::from(img.width()) * u64::from(img.height());
    if preprocess == Preprocess::Upscaled && pixels > MAX_UPSCALE_PIXELS {
        return None;
    }
    let base = if inverted {
        super::decode::invert(img)
    } else {
        img.clone()
    };
    let (image, to_input) = match preprocess {
        Preprocess::Straight => (base, 1.0),
        Preprocess::Binarized => (binarize(&base), 1.0),
        Preprocess::Upscaled => {
            let up = upscale(&base);
            let ratio = f64::from(img.width()) / f64::from(up.width().max(1));
            (up, ratio)
        }
    };
    Some(View {
        preprocess,
        inverted,
        to_input,
        image,
    })
}

/// Number of view slots [`view`] may fill.
pub const VIEWS: usize = 6;

/// A white image of the same size, for tests of "nothing there".
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
            ]
        );
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
        assert!(view(&img, 1).is_some());
    }
}
