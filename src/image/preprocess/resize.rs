//! Bilinear (triangle-filter) resizing of grayscale images, pixel for pixel what
//! `image::imageops::resize(.., FilterType::Triangle)` computes, at a fraction of its time.
//!
//! The scanner's upscaled and enlarged views resize every image that the straight attempts do
//! not read; `image`'s generic resampler goes through four-channel float pixels and a rounding
//! trait object per pixel, and was a third of a suite run's time. This one does the same
//! arithmetic (the same `f32` weights, normalised the same way, summed in the same order, then
//! clamped and rounded to nearest) on one channel with the weights computed once per row and
//! column, so the views, and what the scanner reads in them, are unchanged; a test compares the
//! two on many sizes.

use image::GrayImage;

/// One output position: the first input index it reads and the weights of that input and the
/// next ones.
struct Taps {
    left: usize,
    weights: Vec<f32>,
}

/// The taps of every output position along one axis, as `image` computes them for the
/// triangle filter (support 1, widened by the ratio when shrinking).
fn taps(src: u32, dst: u32) -> Vec<Taps> {
    let ratio = src as f32 / dst as f32;
    let sratio = if ratio < 1.0 { 1.0 } else { ratio };
    let support = sratio;
    (0..dst)
        .map(|out| {
            let centre = (out as f32 + 0.5) * ratio;
            let left = ((centre - support).floor() as i64).clamp(0, i64::from(src) - 1);
            let right = ((centre + support).ceil() as i64).clamp(left + 1, i64::from(src));
            let centre = centre - 0.5;
            let mut weights: Vec<f32> = (left..right)
                .map(|i| {
                    let x = ((i as f32) - centre) / sratio;
                    if x.abs() < 1.0 { 1.0 - x.abs() } else { 0.0 }
                })
                .collect();
            let sum: f32 = weights.iter().fold(0.0, |s, w| s + w);
            for w in &mut weights {
                *w /= sum;
            }
            Taps {
                // 0 <= left < src, so it fits.
                left: left as usize,
                weights,
            }
        })
        .collect()
}

/// `img` resized to `width` x `height` with the triangle filter.
pub fn triangle(img: &GrayImage, width: u32, height: u32) -> GrayImage {
    let (sw, sh) = img.dimensions();
    if sw == 0 || sh == 0 {
        return GrayImage::new(width, height);
    }
    if (width, height) == (sw, sh) {
        return img.clone();
    }
    let (sw, w, h) = (sw as usize, width as usize, height as usize);
    let src = img.as_raw();
    // Columns first, into floats, as `image` does.
    let mut tmp = vec![0f32; sw * h];
    for (y, t) in taps(sh, height).iter().enumerate() {
        let row = &mut tmp[y * sw..(y + 1) * sw];
        for (i, &weight) in t.weights.iter().enumerate() {
            let from = &src[(t.left + i) * sw..(t.left + i + 1) * sw];
            for (acc, &p) in row.iter_mut().zip(from) {
                *acc += f32::from(p) * weight;
            }
        }
    }
    let across = taps(sw as u32, width);
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let row = &tmp[y * sw..(y + 1) * sw];
        for (x, t) in across.iter().enumerate() {
            let mut acc = 0f32;
            for (i, &weight) in t.weights.iter().enumerate() {
                acc += row[t.left + i] * weight;
            }
            // Clamped to the pixel range, so the cast is exact.
            out[y * w + x] = acc.clamp(0.0, 255.0).round() as u8;
        }
    }
    // The buffer is exactly width x height.
    GrayImage::from_raw(width, height, out).unwrap_or_else(|| GrayImage::new(width, height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::imageops::{FilterType, resize};

    fn noise(w: u32, h: u32, seed: u32) -> GrayImage {
        let mut s = seed.wrapping_mul(2_654_435_761).max(1);
        GrayImage::from_fn(w, h, |_, _| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            image::Luma([(s >> 24) as u8])
        })
    }

    #[test]
    fn matches_image_pixel_for_pixel() {
        let sizes = [
            ((1, 1), (3, 2)),
            ((7, 5), (10, 7)),
            ((20, 20), (30, 30)),
            ((33, 17), (99, 51)),
            ((64, 48), (96, 72)),
            ((50, 50), (400, 400)),
            ((61, 40), (30, 20)),
            ((40, 61), (40, 91)),
        ];
        for (i, ((w, h), (nw, nh))) in sizes.into_iter().enumerate() {
            let img = noise(w, h, i as u32 + 1);
            assert_eq!(
                triangle(&img, nw, nh),
                resize(&img, nw, nh, FilterType::Triangle),
                "{w}x{h} -> {nw}x{nh}"
            );
        }
    }

    #[test]
    fn matches_image_on_a_ladder_image() {
        let (img, _) = super::super::tests::ladder_image("khqr-dynamic-blur-4-s13");
        let (w, h) = img.dimensions();
        for (nw, nh) in [(w * 3 / 2, h * 3 / 2), (w * 3, h * 3)] {
            assert_eq!(
                triangle(&img, nw, nh),
                resize(&img, nw, nh, FilterType::Triangle)
            );
        }
    }
}
