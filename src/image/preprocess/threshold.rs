//! Binarisation: a global threshold for evenly lit images and a local one for glare.
//!
//! rqrr thresholds on its own (quirc's running average along each row, a pixel dark when under
//! 95 % of it), which is blind to contrast under about 5 % of the local brightness: under a
//! bright spot that keeps 5 % of the print's contrast (glare-3) every module reads light. A
//! local threshold compares each pixel with the mean of a window a few modules wide instead,
//! as zxing's `HybridBinarizer` does with its 8x8 blocks, so a faint pattern on a bright patch
//! is as legible as a strong one elsewhere. Flat windows (no contrast at all, e.g. a quiet zone
//! or a burnt-out core) stay light rather than turning into noise.

use image::{GrayImage, Luma};

use super::integral::Integral;
use crate::image::quiet::otsu as otsu_level;

const DARK: Luma<u8> = Luma([0]);
const LIGHT: Luma<u8> = Luma([255]);

/// Global binarisation at the Otsu threshold (dark at or below it).
pub fn otsu(img: &GrayImage) -> GrayImage {
    let t = otsu_level(img);
    let mut out = img.clone();
    for p in out.pixels_mut() {
        *p = if p.0[0] <= t { DARK } else { LIGHT };
    }
    out
}

/// Local binarisation: a pixel is dark when it is more than `offset` gray levels under the mean
/// of the `(2 * radius + 1)`-square window around it.
pub fn local_mean(img: &GrayImage, radius: u32, offset: u8) -> GrayImage {
    let table = Integral::new(img);
    let r = radius as usize;
    let mut out = img.clone();
    for (x, y, p) in out.enumerate_pixels_mut() {
        let mean = table.mean(x as usize, y as usize, r);
        *p = if p.0[0].saturating_add(offset) < mean {
            DARK
        } else {
            LIGHT
        };
    }
    out
}

/// A window radius for [`local_mean`]: wide enough to span the 3-module dark core of a finder
/// pattern on any symbol that fills a good part of the image, about 1/12 of the shorter side.
pub fn radius_for(img: &GrayImage) -> u32 {
    (img.width().min(img.height()) / 24).max(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::preprocess::tests::{ladder_image, plain_reads};

    #[test]
    fn otsu_splits_two_levels() {
        let img = GrayImage::from_fn(8, 2, |x, _| Luma([if x < 4 { 90 } else { 140 }]));
        let bin = otsu(&img);
        assert_eq!(bin.get_pixel(0, 0).0[0], 0);
        assert_eq!(bin.get_pixel(7, 1).0[0], 255);
    }

    #[test]
    fn local_mean_finds_faint_dark_on_bright_and_leaves_flat_light() {
        // A 3-level dip on a near-white field, next to a flat white field.
        let img = GrayImage::from_fn(40, 10, |x, _| {
            Luma([if x < 20 && x % 4 == 0 {
                250
            } else if x < 20 {
                253
            } else {
                255
            }])
        });
        let bin = local_mean(&img, 3, 1);
        assert_eq!(bin.get_pixel(8, 5).0[0], 0);
        assert_eq!(bin.get_pixel(9, 5).0[0], 255);
        assert_eq!(bin.get_pixel(35, 5).0[0], 255);
    }

    #[test]
    fn local_threshold_reads_glare_3() {
        // rqrr's own threshold loses the modules under the 95 %-white spot.
        for name in ["emv-annex-b-glare-3-s11", "khqr-dynamic-glare-3-s13"] {
            let (img, payload) = ladder_image(name);
            assert!(!plain_reads(&img, &payload), "{name} read without help");
            assert!(
                !plain_reads(&otsu(&img), &payload),
                "{name} read by Otsu alone"
            );
            let bin = local_mean(&img, radius_for(&img), 1);
            assert!(plain_reads(&bin, &payload), "{name}");
        }
    }
}
