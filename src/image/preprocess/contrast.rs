//! Contrast repair for defocus: a blur of a quarter to two thirds of a module (blur-4, blur-5)
//! leaves isolated modules as faint smudges that no global level separates from their light
//! neighbours. An unsharp mask pushes each pixel away from its blurred surroundings, restoring
//! much of the edge the lens smeared; a stretch then spreads what is left over the full range.

use image::{GrayImage, Luma};

use super::integral::box_mean;

/// Unsharp mask: `v + amount * (v - mean)`, the mean over the `(2 * radius + 1)`-square window,
/// clamped to 0..=255. `amount` is in tenths (15 = 1.5) to keep the arithmetic exact.
pub fn unsharp(img: &GrayImage, radius: u32, amount_tenths: u8) -> GrayImage {
    let smooth = box_mean(img, radius);
    let a = i32::from(amount_tenths);
    let mut out = img.clone();
    for (p, s) in out.pixels_mut().zip(smooth.pixels()) {
        let (v, m) = (i32::from(p.0[0]), i32::from(s.0[0]));
        // Clamped to 0..=255, so it fits in u8.
        *p = Luma([(v + a * (v - m) / 10).clamp(0, 255) as u8]);
    }
    out
}

/// Linear stretch so that the darkest and lightest 1 % of pixels map to 0 and 255.
pub fn stretch(img: &GrayImage) -> GrayImage {
    let mut hist = [0u64; 256];
    for p in img.pixels() {
        hist[usize::from(p.0[0])] += 1;
    }
    let total: u64 = hist.iter().sum();
    let tail = total / 100;
    let level = |from_top: bool| {
        let mut seen = 0u64;
        let order: Box<dyn Iterator<Item = usize>> = if from_top {
            Box::new((0..256).rev())
        } else {
            Box::new(0..256)
        };
        for v in order {
            seen += hist[v];
            if seen > tail {
                return v as i32;
            }
        }
        if from_top { 255 } else { 0 }
    };
    let (lo, hi) = (level(false), level(true));
    let mut out = img.clone();
    if hi <= lo {
        return out;
    }
    for p in out.pixels_mut() {
        let v = (i32::from(p.0[0]) - lo) * 255 / (hi - lo);
        // Clamped to 0..=255.
        p.0[0] = v.clamp(0, 255) as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::preprocess::tests::{ladder_image, plain_reads};
    use crate::image::preprocess::threshold::otsu;

    #[test]
    fn unsharp_steepens_an_edge() {
        let img = GrayImage::from_fn(10, 1, |x, _| Luma([(60 + 15 * x) as u8]));
        let sharp = unsharp(&img, 1, 20);
        // The ramp is linear, so interior pixels equal their mean and stay put...
        assert_eq!(sharp.get_pixel(5, 0).0[0], img.get_pixel(5, 0).0[0]);
        // ...while the ends, whose clipped windows lean inward, are pushed outward.
        assert!(sharp.get_pixel(0, 0).0[0] < 60);
        assert!(sharp.get_pixel(9, 0).0[0] > 195);
    }

    #[test]
    fn stretch_spreads_a_narrow_band() {
        let img = GrayImage::from_fn(100, 1, |x, _| Luma([(120 + x / 10) as u8]));
        let s = stretch(&img);
        assert_eq!(s.get_pixel(0, 0).0[0], 0);
        assert_eq!(s.get_pixel(99, 0).0[0], 255);
        let flat = GrayImage::from_pixel(4, 4, Luma([77]));
        assert_eq!(stretch(&flat), flat);
    }

    #[test]
    fn sharpening_reads_blur_4() {
        for name in ["emv-annex-b-blur-4-s11", "khqr-dynamic-blur-4-s13"] {
            let (img, payload) = ladder_image(name);
            assert!(!plain_reads(&img, &payload), "{name} read without help");
            assert!(
                !plain_reads(&otsu(&img), &payload),
                "{name} read by Otsu alone"
            );
            let sharp = otsu(&unsharp(&img, 4, 20));
            assert!(plain_reads(&sharp, &payload), "{name}");
        }
    }
}
