//! Measuring the light margin around a located symbol, in modules.
//!
//! For each side, every edge module that is dark (the finder patterns guarantee at least seven
//! per side) gives a probe: start at its centre, walk outward past the symbol's edge, and count
//! light pixels until something dark or the image border. The side's margin is the smallest
//! probe. Walking out of a dark module finds the real edge to within a sampling step, so the
//! integer corner points rqrr reports only need to be good enough to find module centres.

use image::GrayImage;
use serde::Serialize;

/// Light margin on each side, in modules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Margins {
    /// Above the symbol.
    pub top: f32,
    /// Right of the symbol.
    pub right: f32,
    /// Below the symbol.
    pub bottom: f32,
    /// Left of the symbol.
    pub left: f32,
}

impl Margins {
    /// The narrowest side.
    pub fn min(&self) -> f32 {
        self.top.min(self.right).min(self.bottom).min(self.left)
    }

    /// The narrowest side in whole modules, allowing a quarter module of measurement error
    /// (so a drawn 4-module zone measured at 3.9 still counts as 4, and 3.5 does not).
    pub fn whole_modules(&self) -> u32 {
        // Clamped to a non-negative value well inside u32 range before the cast.
        (self.min() + 0.25).floor().clamp(0.0, 1.0e6) as u32
    }
}

/// A symbol's placement: the image positions of its four corners (top-left, top-right,
/// bottom-right, bottom-left) and the module coordinate those corners stand for.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// Corner pixels.
    pub corners: [(f64, f64); 4],
    /// Module coordinate of the corners along each axis (rqrr places its bounds one module
    /// past the symbol: `size + 1`).
    pub span: f64,
    /// Modules per side.
    pub size: usize,
}

impl Placement {
    /// The placement rqrr reports for a grid of `size` modules (its bounds sit at module
    /// coordinate `size + 1`), found in a view scaled by `to_input` from the input image.
    pub fn from_rqrr(bounds: &[rqrr::Point; 4], size: usize, to_input: f64) -> Self {
        Placement {
            corners: bounds.map(|p| (f64::from(p.x) * to_input, f64::from(p.y) * to_input)),
            span: size as f64 + 1.0,
            size,
        }
    }

    /// The symbol's own outer corners (top-left, top-right, bottom-right, bottom-left), rounded
    /// to whole pixels.
    pub fn symbol_corners(&self) -> [(i32, i32); 4] {
        let n = self.size as f64;
        // Pixel positions near an image whose sides fit u32; the rounding cast saturates at worst.
        let r = |(x, y): (f64, f64)| (x.round() as i32, y.round() as i32);
        [
            r(self.at(0.0, 0.0)),
            r(self.at(n, 0.0)),
            r(self.at(n, n)),
            r(self.at(0.0, n)),
        ]
    }

    /// Image position of module coordinate (`u` across, `v` down), bilinear between corners.
    fn at(&self, u: f64, v: f64) -> (f64, f64) {
        let (s, t) = (u / self.span, v / self.span);
        let [a, b, c, d] = self.corners;
        let w = [(1.0 - s) * (1.0 - t), s * (1.0 - t), s * t, (1.0 - s) * t];
        (
            w[0] * a.0 + w[1] * b.0 + w[2] * c.0 + w[3] * d.0,
            w[0] * a.1 + w[1] * b.1 + w[2] * c.1 + w[3] * d.1,
        )
    }

    /// Image position of the centre of the module at `row`, `col`.
    pub fn module_center(&self, row: usize, col: usize) -> (f64, f64) {
        self.at(col as f64 + 0.5, row as f64 + 0.5)
    }

    /// Average module pitch in pixels.
    pub fn module_px(&self) -> f64 {
        let n = self.size as f64;
        let dist =
            |p: (f64, f64), q: (f64, f64)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
        let across = dist(self.at(0.0, n / 2.0), self.at(n, n / 2.0));
        let down = dist(self.at(n / 2.0, 0.0), self.at(n / 2.0, n));
        (across + down) / (2.0 * n)
    }
}

/// Otsu's threshold: the gray level that best splits the histogram into two classes.
pub fn otsu(img: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in img.pixels() {
        hist[usize::from(p.0[0])] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &h)| i as f64 * h as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0.0f64, -1.0f64, 128u8);
    for (t, &count) in hist.iter().enumerate() {
        w0 += count;
        sum0 += t as f64 * count as f64;
        let w1 = total - w0;
        if w0 == 0 || w1 == 0 {
            continue;
        }
        let m0 = sum0 / w0 as f64;
        let m1 = (sum_all - sum0) / w1 as f64;
        let between = w0 as f64 * w1 as f64 * (m0 - m1).powi(2);
        if between > best {
            best = between;
            // t < 256, so it fits in u8.
            best_t = t as u8;
        }
    }
    best_t
}

/// Light margins of the symbol at `place` in `img`; `dark_is_light` for reversed reflectance.
pub fn measure(
    img: &GrayImage,
    place: &Placement,
    dark_is_light: bool,
    is_dark_module: impl Fn(usize, usize) -> bool,
) -> Margins {
    let threshold = otsu(img);
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let dark_at = |x: f64, y: f64| -> Option<bool> {
        if x < 0.0 || y < 0.0 || x >= w || y >= h {
            return None;
        }
        // In range, so the casts are exact floors.
        let v = img.get_pixel(x as u32, y as u32).0[0];
        Some((v <= threshold) != dark_is_light)
    };
    let module_px = place.module_px().max(1e-6);
    let n = place.size;
    let last = n as f64 - 0.5;

    // Probe from the centre of module (row, col) along the pixel direction from `inner` to it.
    let probe = |row: usize, col: usize, inner: (f64, f64)| -> f64 {
        let start = place.at(col as f64 + 0.5, row as f64 + 0.5);
        let (dx, dy) = (start.0 - inner.0, start.1 - inner.1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (dx, dy) = (dx / len * 0.5, dy / len * 0.5);
        let mut t = 0usize;
        let limit = (4.0 * (w + h)) as usize; // half-pixel steps across the whole image, twice
        // Leave the dark edge module.
        while t < limit && dark_at(start.0 + dx * t as f64, start.1 + dy * t as f64) == Some(true) {
            t += 1;
        }
        let light_from = t;
        while t < limit && dark_at(start.0 + dx * t as f64, start.1 + dy * t as f64) == Some(false)
        {
            t += 1;
        }
        (t - light_from) as f64 * 0.5 / module_px
    };

    let side = |probes: Vec<f64>| probes.into_iter().fold(f64::INFINITY, f64::min);
    let cols = || 0..n;
    let top = side(
        cols()
            .filter(|&c| is_dark_module(0, c))
            .map(|c| probe(0, c, place.at(c as f64 + 0.5, 1.5)))
            .collect(),
    );
    let bottom = side(
        cols()
            .filter(|&c| is_dark_module(n - 1, c))
            .map(|c| probe(n - 1, c, place.at(c as f64 + 0.5, last - 1.0)))
            .collect(),
    );
    let left = side(
        cols()
            .filter(|&r| is_dark_module(r, 0))
            .map(|r| probe(r, 0, place.at(1.5, r as f64 + 0.5)))
            .collect(),
    );
    let right = side(
        cols()
            .filter(|&r| is_dark_module(r, n - 1))
            .map(|r| probe(r, n - 1, place.at(last - 1.0, r as f64 + 0.5)))
            .collect(),
    );
    let f = |v: f64| if v.is_finite() { v as f32 } else { 0.0 };
    Margins {
        top: f(top),
        right: f(right),
        bottom: f(bottom),
        left: f(left),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otsu_splits_two_levels() {
        let img = GrayImage::from_fn(10, 10, |x, _| image::Luma([if x < 5 { 20 } else { 230 }]));
        let t = otsu(&img);
        assert!((20..230).contains(&t), "{t}");
    }

    #[test]
    fn whole_modules_tolerates_small_error_only() {
        let m = |v| Margins {
            top: v,
            right: 9.0,
            bottom: 9.0,
            left: 9.0,
        };
        assert_eq!(m(3.9).whole_modules(), 4);
        assert_eq!(m(3.5).whole_modules(), 3);
        assert_eq!(m(0.0).whole_modules(), 0);
    }
}
