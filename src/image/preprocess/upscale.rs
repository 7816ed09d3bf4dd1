//! Upscaling small symbols. At 1.5 pixels per module (scale-5) a module is narrower than the
//! run lengths rqrr's finder scan can tell apart, so it finds no finder pattern; resampled to
//! several pixels per module, the 1:1:3:1:1 runs reappear.
//!
//! Images are untrusted, so the output is bounded: the factor is cut down until the result
//! holds at most [`MAX_OUTPUT_PIXELS`].

use image::GrayImage;

/// Upper bound on the pixels of an upscaled image: 16 MB of 8-bit gray, enough to bring a
/// one-megapixel frame to 2x.
pub const MAX_OUTPUT_PIXELS: u64 = 4_000_000;

/// Upscale by an integer `factor` with bilinear interpolation, lowered as needed so the result
/// stays within [`MAX_OUTPUT_PIXELS`]. `None` when not even 2x fits (the image is large enough
/// already) or `factor` is under 2.
pub fn upscale(img: &GrayImage, factor: u32) -> Option<GrayImage> {
    let f = allowed_factor(img.width(), img.height(), factor)?;
    // f * side fits u32: f * f * pixels <= MAX_OUTPUT_PIXELS.
    Some(super::resize::triangle(
        img,
        img.width() * f,
        img.height() * f,
    ))
}

/// The largest factor from 2 to `factor` that keeps a `width` x `height` image within
/// [`MAX_OUTPUT_PIXELS`].
fn allowed_factor(width: u32, height: u32, factor: u32) -> Option<u32> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return None;
    }
    // f * f <= MAX_OUTPUT_PIXELS / pixels, so f * f * pixels <= MAX_OUTPUT_PIXELS.
    let f = (MAX_OUTPUT_PIXELS / pixels).isqrt().min(u64::from(factor));
    u32::try_from(f).ok().filter(|&f| f >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::preprocess::tests::{ladder_image, plain_reads};
    use crate::image::preprocess::threshold::otsu;

    #[test]
    fn bounded_by_pixels() {
        assert_eq!(
            upscale(&GrayImage::new(100, 50), 4).map(|i| i.dimensions()),
            Some((400, 200))
        );
        // 4x of 1000x1000 is 16 MP; 2x is 4 MP, which fits.
        assert_eq!(
            upscale(&GrayImage::new(1000, 1000), 4).map(|i| i.dimensions()),
            Some((2000, 2000))
        );
        assert!(upscale(&GrayImage::new(1001, 1000), 4).is_none());
        assert!(upscale(&GrayImage::new(10, 10), 1).is_none());
        assert!(upscale(&GrayImage::new(0, 10), 3).is_none());
        assert_eq!(allowed_factor(u32::MAX, u32::MAX, 3), None);
        assert_eq!(allowed_factor(500, 500, u32::MAX), Some(4));
    }

    #[test]
    fn upscaling_reads_scale_5() {
        for name in ["emv-annex-b-scale-5-s11", "khqr-static-scale-5-s13"] {
            let (img, payload) = ladder_image(name);
            assert!(!plain_reads(&img, &payload), "{name} read without help");
            assert!(
                !plain_reads(&otsu(&img), &payload),
                "{name} read by Otsu alone"
            );
            // 8x, as the scan retry asks: 4x with the same filter misses both.
            let big = upscale(&img, 8).expect("a 110 px image upscales");
            assert!(plain_reads(&otsu(&big), &payload), "{name}");
        }
    }
}
