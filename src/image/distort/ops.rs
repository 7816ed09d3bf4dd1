//! The image operations behind the ladder, on 8-bit grayscale, white outside the image.

use image::imageops::FilterType;
use image::{GrayImage, Luma};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const WHITE: f64 = 255.0;

fn to_u8(v: f64) -> u8 {
    // Clamped to 0..=255 first, so the cast is exact after rounding.
    v.round().clamp(0.0, 255.0) as u8
}

/// Bilinear sample at (x, y) in pixel-centre coordinates; white outside.
fn sample(img: &GrayImage, x: f64, y: f64) -> f64 {
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    let (fx, fy) = (x - 0.5, y - 0.5);
    let (x0, y0) = (fx.floor(), fy.floor());
    let (tx, ty) = (fx - x0, fy - y0);
    let px = |xi: i64, yi: i64| -> f64 {
        if xi < 0 || yi < 0 || xi >= w || yi >= h {
            WHITE
        } else {
            // Bounds checked above.
            f64::from(img.get_pixel(xi as u32, yi as u32).0[0])
        }
    };
    // Far outside the image the coordinates may not fit i64; everything there is white.
    if !(x0.is_finite() && y0.is_finite()) || x0.abs() > 1e9 || y0.abs() > 1e9 {
        return WHITE;
    }
    let (xi, yi) = (x0 as i64, y0 as i64);
    let top = px(xi, yi) * (1.0 - tx) + px(xi + 1, yi) * tx;
    let bottom = px(xi, yi + 1) * (1.0 - tx) + px(xi + 1, yi + 1) * tx;
    top * (1.0 - ty) + bottom * ty
}

/// Resize by `factor`, at least 1x1.
pub(super) fn scale(img: &GrayImage, factor: f64) -> GrayImage {
    let side = |n: u32| ((f64::from(n) * factor).round().max(1.0)).min(f64::from(u32::MAX)) as u32;
    image::imageops::resize(
        img,
        side(img.width()),
        side(img.height()),
        FilterType::Triangle,
    )
}

/// Rotate clockwise about the centre onto a canvas that holds the whole result.
pub(super) fn rotate(img: &GrayImage, degrees: f64) -> GrayImage {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    // The epsilon keeps a right angle from growing the canvas by a pixel of rounding error.
    let out_w = (w * cos.abs() + h * sin.abs() - 1e-9).ceil().max(1.0);
    let out_h = (w * sin.abs() + h * cos.abs() - 1e-9).ceil().max(1.0);
    let (cx, cy, ocx, ocy) = (w / 2.0, h / 2.0, out_w / 2.0, out_h / 2.0);
    // Sizes are bounded by the input's diagonal, which fits u32.
    GrayImage::from_fn(out_w as u32, out_h as u32, |x, y| {
        let (dx, dy) = (f64::from(x) + 0.5 - ocx, f64::from(y) + 0.5 - ocy);
        // Inverse rotation maps the output pixel back into the source.
        let sx = cos * dx + sin * dy + cx;
        let sy = -sin * dx + cos * dy + cy;
        Luma([to_u8(sample(img, sx, sy))])
    })
}

/// Solve the 3x3 homography taking `from[i]` to `to[i]` (h33 = 1), by Gaussian elimination.
fn homography(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Option<[f64; 9]> {
    let mut a = [[0.0f64; 9]; 8];
    for i in 0..4 {
        let ((x, y), (u, v)) = (from[i], to[i]);
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let f = a[row][col] / a[col][col];
                let pivot_row = a[col];
                for (dst, src) in a[row].iter_mut().zip(pivot_row).skip(col) {
                    *dst -= f * src;
                }
            }
        }
    }
    let mut h = [0.0; 9];
    for i in 0..8 {
        h[i] = a[i][8] / a[i][i];
    }
    h[8] = 1.0;
    Some(h)
}

/// Keystone one edge (top, right, bottom or left, chosen by `seed`) inward by `tilt` of the
/// side at each end, as a camera tilted toward the opposite edge sees it.
pub(super) fn perspective(img: &GrayImage, tilt: f64, seed: u64) -> GrayImage {
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let square = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let (dx, dy) = (w * tilt, h * tilt);
    let mut dest = square;
    match seed % 4 {
        0 => {
            dest[0].0 += dx;
            dest[1].0 -= dx;
        }
        1 => {
            dest[1].1 += dy;
            dest[2].1 -= dy;
        }
        2 => {
            dest[2].0 -= dx;
            dest[3].0 += dx;
        }
        _ => {
            dest[3].1 -= dy;
            dest[0].1 += dy;
        }
    }
    // Map each output pixel back to the source.
    let Some(m) = homography(dest, square) else {
        return img.clone();
    };
    GrayImage::from_fn(img.width(), img.height(), |x, y| {
        let (px, py) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
        let z = m[6] * px + m[7] * py + m[8];
        let sx = (m[0] * px + m[1] * py + m[2]) / z;
        let sy = (m[3] * px + m[4] * py + m[5]) / z;
        Luma([to_u8(sample(img, sx, sy))])
    })
}

/// Separable Gaussian blur, edges extended.
pub(super) fn blur(img: &GrayImage, sigma: f64) -> GrayImage {
    if sigma <= 0.0 {
        return img.clone();
    }
    let radius = (3.0 * sigma).ceil() as i64;
    let kernel: Vec<f64> = (-radius..=radius)
        .map(|i| (-((i * i) as f64) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f64 = kernel.iter().sum();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let src: Vec<f64> = img.as_raw().iter().map(|&v| f64::from(v)).collect();
    let clamp = |v: i64, n: usize| v.clamp(0, n as i64 - 1) as usize;
    let mut tmp = vec![0.0; w * h];
    for y in 0..h {
        for x in 0..w {
            let mut acc = 0.0;
            for (k, &kv) in kernel.iter().enumerate() {
                acc += kv * src[y * w + clamp(x as i64 + k as i64 - radius, w)];
            }
            tmp[y * w + x] = acc / total;
        }
    }
    let mut out = GrayImage::new(img.width(), img.height());
    for y in 0..h {
        for x in 0..w {
            let mut acc = 0.0;
            for (k, &kv) in kernel.iter().enumerate() {
                acc += kv * tmp[clamp(y as i64 + k as i64 - radius, h) * w + x];
            }
            // x < w and y < h come from the image's own u32 dimensions.
            out.put_pixel(x as u32, y as u32, Luma([to_u8(acc / total)]));
        }
    }
    out
}

/// Additive zero-mean noise of standard deviation `sigma`. Each pixel's draw is the sum of the
/// eight bytes of one ChaCha8 word, standardised (Irwin-Hall, close to Gaussian): one generator
/// call per pixel and no transcendental functions, so the output is the same on every platform.
pub(super) fn noise(img: &GrayImage, sigma: f64, seed: u64) -> GrayImage {
    // Mean and standard deviation of the sum of 8 independent uniform bytes.
    const MEAN: f64 = 8.0 * 127.5;
    let sd = (8.0 * (256.0 * 256.0 - 1.0) / 12.0f64).sqrt();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = img.clone();
    for p in out.pixels_mut() {
        let word: u64 = rng.random();
        let sum: u32 = word.to_le_bytes().iter().map(|&b| u32::from(b)).sum();
        let n = (f64::from(sum) - MEAN) / sd;
        p.0[0] = to_u8(f64::from(p.0[0]) + n * sigma);
    }
    out
}

/// Map 0..=255 linearly onto `range` levels centred on 128.
pub(super) fn contrast(img: &GrayImage, range: u8) -> GrayImage {
    let (lo, span) = (128.0 - f64::from(range) / 2.0, f64::from(range));
    let mut out = img.clone();
    for p in out.pixels_mut() {
        p.0[0] = to_u8(lo + f64::from(p.0[0]) * span / 255.0);
    }
    out
}

/// A bright disc: full `strength` inside 60% of `radius`, easing to nothing at `radius`.
pub(super) fn glare(img: &GrayImage, radius: f64, strength: f64, seed: u64) -> GrayImage {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let cx = w * (0.25 + 0.5 * rng.random::<f64>());
    let cy = h * (0.25 + 0.5 * rng.random::<f64>());
    let r = radius * w.min(h);
    let mut out = img.clone();
    for (x, y, p) in out.enumerate_pixels_mut() {
        let d = ((f64::from(x) + 0.5 - cx).powi(2) + (f64::from(y) + 0.5 - cy).powi(2)).sqrt();
        let t = ((r - d) / (0.4 * r)).clamp(0.0, 1.0);
        let weight = strength * t * t * (3.0 - 2.0 * t);
        let v = f64::from(p.0[0]);
        p.0[0] = to_u8(v + (WHITE - v) * weight);
    }
    out
}

/// Crop the light margin around the dark content (pixels under 128) down to `keep` of its
/// width on each side. An image with no dark pixel is returned unchanged.
pub(super) fn trim_quiet_zone(img: &GrayImage, keep: f64) -> GrayImage {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0u32, 0u32);
    for (x, y, p) in img.enumerate_pixels() {
        if p.0[0] < 128 {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
    }
    if x0 > x1 {
        return img.clone();
    }
    let keep = keep.clamp(0.0, 1.0);
    // Each kept margin is at most the original margin, so the crop stays inside the image.
    let kept = |margin: u32| (f64::from(margin) * keep).floor() as u32;
    let left = x0 - kept(x0);
    let top = y0 - kept(y0);
    let right = x1 + kept(img.width() - 1 - x1);
    let bottom = y1 + kept(img.height() - 1 - y1);
    image::imageops::crop_imm(img, left, top, right - left + 1, bottom - top + 1).to_image()
}

/// cos(k * pi / 16) for k = 0..=8, written out so that the DCT does not depend on the
/// platform's `cos`.
const COS16: [f64; 9] = [
    1.0,
    0.980_785_280_403_230_4,
    0.923_879_532_511_286_7,
    0.831_469_612_302_545_2,
    std::f64::consts::FRAC_1_SQRT_2,
    0.555_570_233_019_602_2,
    0.382_683_432_365_089_8,
    0.195_090_322_016_128_25,
    0.0,
];

/// cos((2x + 1) u pi / 16), the 8-point DCT basis.
fn basis(x: usize, u: usize) -> f64 {
    let m = ((2 * x + 1) * u) % 32;
    match m {
        0..=8 => COS16[m],
        9..=16 => -COS16[16 - m],
        17..=24 => -COS16[m - 16],
        _ => COS16[32 - m],
    }
}

/// The JPEG Annex K luminance quantisation table.
const LUMA_Q: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
    92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/// 1-D 8-point DCT-II with orthonormal scaling, `inverse` for the DCT-III that undoes it.
fn dct8(input: &[f64; 8], inverse: bool) -> [f64; 8] {
    let c = |k: usize| {
        if k == 0 {
            std::f64::consts::FRAC_1_SQRT_2
        } else {
            1.0
        }
    };
    let mut out = [0.0; 8];
    for (k, o) in out.iter_mut().enumerate() {
        *o = if inverse {
            input
                .iter()
                .enumerate()
                .map(|(u, &f)| c(u) * f * basis(k, u))
                .sum::<f64>()
                * 0.5
        } else {
            c(k) * input
                .iter()
                .enumerate()
                .map(|(x, &p)| p * basis(x, k))
                .sum::<f64>()
                * 0.5
        };
    }
    out
}

/// 2-D DCT of an 8x8 block, rows then columns.
fn dct8x8(block: &[[f64; 8]; 8], inverse: bool) -> [[f64; 8]; 8] {
    let mut rows = [[0.0; 8]; 8];
    for (dst, src) in rows.iter_mut().zip(block) {
        *dst = dct8(src, inverse);
    }
    let mut out = [[0.0; 8]; 8];
    for col in 0..8 {
        let column: [f64; 8] = std::array::from_fn(|r| rows[r][col]);
        for (r, v) in dct8(&column, inverse).into_iter().enumerate() {
            out[r][col] = v;
        }
    }
    out
}

/// Quantise every 8x8 block in the DCT domain as a baseline JPEG encoder at IJG `quality`
/// would, then transform back. Partial blocks at the edges are padded by repeating the edge.
///
/// The block grid is shifted by 1 to 7 pixels on each axis, chosen by `seed`: a render at 8
/// pixels per module with a 4-module margin would otherwise put every module exactly in one
/// block, where quantisation cannot hurt it, and no photo lines up like that.
pub(super) fn blocky(img: &GrayImage, quality: u8, seed: u64) -> GrayImage {
    let q = u32::from(quality.clamp(1, 100));
    let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
    let table: Vec<f64> = LUMA_Q
        .iter()
        .map(|&v| f64::from(((u32::from(v) * scale + 50) / 100).clamp(1, 255)))
        .collect();
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    // Both offsets are in 1..=7.
    let (ox, oy) = (1 + (seed % 7) as i64, 1 + ((seed / 7) % 7) as i64);
    let mut out = GrayImage::new(img.width(), img.height());
    // Clamped into the image, so the casts are exact.
    let at = |x: i64, y: i64| {
        f64::from(
            img.get_pixel(x.clamp(0, w - 1) as u32, y.clamp(0, h - 1) as u32)
                .0[0],
        )
    };
    for by in (-oy..h).step_by(8) {
        for bx in (-ox..w).step_by(8) {
            let block: [[f64; 8]; 8] = std::array::from_fn(|y| {
                // x, y < 8, so the casts are exact.
                std::array::from_fn(|x| at(bx + x as i64, by + y as i64) - 128.0)
            });
            let mut coef = dct8x8(&block, false);
            for (v, row) in coef.iter_mut().enumerate() {
                for (u, f) in row.iter_mut().enumerate() {
                    let qv = table[v * 8 + u];
                    *f = (*f / qv).round() * qv;
                }
            }
            let back = dct8x8(&coef, true);
            for (y, row) in back.iter().enumerate() {
                for (x, &v) in row.iter().enumerate() {
                    let (px, py) = (bx + x as i64, by + y as i64);
                    if (0..w).contains(&px) && (0..h).contains(&py) {
                        // Checked to be inside the image just above.
                        out.put_pixel(px as u32, py as u32, Luma([to_u8(v + 128.0)]));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checker(n: u32, cell: u32) -> GrayImage {
        GrayImage::from_fn(n, n, |x, y| {
            Luma([if (x / cell + y / cell).is_multiple_of(2) {
                0
            } else {
                255
            }])
        })
    }

    #[test]
    fn basis_matches_cos() {
        for x in 0..8 {
            for u in 0..8 {
                let expected = (((2 * x + 1) * u) as f64 * std::f64::consts::PI / 16.0).cos();
                assert!((basis(x, u) - expected).abs() < 1e-12, "{x},{u}");
            }
        }
    }

    #[test]
    fn dct_round_trips() {
        let block: [[f64; 8]; 8] =
            std::array::from_fn(|y| std::array::from_fn(|x| (x * 13 + y * 7) as f64 - 50.0));
        let back = dct8x8(&dct8x8(&block, false), true);
        for (a, b) in block.iter().flatten().zip(back.iter().flatten()) {
            assert!((a - b).abs() < 1e-9);
        }
        // A flat block has only a DC coefficient, 8 times the value.
        let flat = dct8x8(&[[10.0; 8]; 8], false);
        assert!((flat[0][0] - 80.0).abs() < 1e-9 && flat[1][2].abs() < 1e-9);
    }

    #[test]
    fn blocky_at_full_quality_is_near_lossless() {
        let img = checker(20, 3);
        let out = blocky(&img, 100, 0);
        let worst = img
            .pixels()
            .zip(out.pixels())
            .map(|(a, b)| a.0[0].abs_diff(b.0[0]))
            .max();
        assert!(worst.unwrap() <= 8, "{worst:?}");
        let rough = blocky(&img, 2, 0);
        assert_ne!(rough, blocky(&img, 2, 3));
        assert_ne!(rough, img);
    }

    #[test]
    fn rotation_by_zero_is_identity_and_by_90_swaps_sides() {
        let img = GrayImage::from_fn(30, 20, |x, y| Luma([((x * 8 + y) % 256) as u8]));
        assert_eq!(rotate(&img, 0.0), img);
        let r = rotate(&img, 90.0);
        assert_eq!((r.width(), r.height()), (20, 30));
    }

    #[test]
    fn homography_maps_corners() {
        let from = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let to = [(1.0, 0.0), (9.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let m = homography(from, to).unwrap();
        for (f, t) in from.iter().zip(to) {
            let z = m[6] * f.0 + m[7] * f.1 + m[8];
            let (x, y) = (
                (m[0] * f.0 + m[1] * f.1 + m[2]) / z,
                (m[3] * f.0 + m[4] * f.1 + m[5]) / z,
            );
            assert!((x - t.0).abs() < 1e-9 && (y - t.1).abs() < 1e-9);
        }
    }

    #[test]
    fn trim_keeps_the_asked_margin() {
        let img = GrayImage::from_fn(100, 100, |x, y| {
            Luma([if (40..60).contains(&x) && (40..60).contains(&y) {
                0
            } else {
                255
            }])
        });
        assert_eq!(trim_quiet_zone(&img, 0.0).dimensions(), (20, 20));
        assert_eq!(trim_quiet_zone(&img, 0.5).dimensions(), (60, 60));
        let blank = GrayImage::from_pixel(10, 10, Luma([255]));
        assert_eq!(trim_quiet_zone(&blank, 0.0), blank);
    }

    #[test]
    fn contrast_band() {
        let img = GrayImage::from_fn(2, 1, |x, _| Luma([if x == 0 { 0 } else { 255 }]));
        let out = contrast(&img, 16);
        assert_eq!(
            (out.get_pixel(0, 0).0[0], out.get_pixel(1, 0).0[0]),
            (120, 136)
        );
    }

    #[test]
    fn noise_has_the_asked_spread() {
        let img = GrayImage::from_pixel(200, 200, Luma([128]));
        let out = noise(&img, 20.0, 9);
        let values: Vec<f64> = out.pixels().map(|p| f64::from(p.0[0])).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let sd =
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
        assert!((mean - 128.0).abs() < 0.5, "{mean}");
        assert!((sd - 20.0).abs() < 0.5, "{sd}");
    }

    #[test]
    fn noise_depends_on_seed_only() {
        let img = checker(32, 4);
        assert_eq!(noise(&img, 20.0, 5), noise(&img, 20.0, 5));
        assert_ne!(noise(&img, 20.0, 5), noise(&img, 20.0, 6));
    }

    #[test]
    fn scale_never_reaches_zero() {
        assert_eq!(scale(&checker(4, 1), 0.01).dimensions(), (1, 1));
    }
}
