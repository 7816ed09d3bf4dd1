//! Summed-area table: the mean of any axis-aligned window in constant time, which is what keeps
//! the local thresholds and the box filter linear in the pixel count whatever the window size.

use image::GrayImage;

/// Prefix sums of an 8-bit image, one row and one column larger than it.
pub struct Integral {
    width: usize,
    height: usize,
    /// `sums[y * (width + 1) + x]` is the sum of pixels in rows `..y`, columns `..x`. A u64
    /// cannot overflow: the image is at most `u32::MAX` squared pixels of 255 each.
    sums: Vec<u64>,
}

impl Integral {
    /// Build the table for `img`.
    pub fn new(img: &GrayImage) -> Integral {
        let (width, height) = (img.width() as usize, img.height() as usize);
        let stride = width + 1;
        let mut sums = vec![0u64; stride * (height + 1)];
        for (y, row) in img
            .as_raw()
            .chunks_exact(width.max(1))
            .take(height)
            .enumerate()
        {
            let mut run = 0u64;
            for (x, &v) in row.iter().enumerate() {
                run += u64::from(v);
                sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + run;
            }
        }
        Integral {
            width,
            height,
            sums,
        }
    }

    /// Mean of the window of half-width `radius` around `(x, y)`, clipped to the image.
    /// `(x, y)` must lie inside the image.
    pub fn mean(&self, x: usize, y: usize, radius: usize) -> u8 {
        let (x0, y0) = (x.saturating_sub(radius), y.saturating_sub(radius));
        let x1 = (x + radius + 1).min(self.width);
        let y1 = (y + radius + 1).min(self.height);
        let stride = self.width + 1;
        let at = |x: usize, y: usize| self.sums[y * stride + x];
        let sum = at(x1, y1) + at(x0, y0) - at(x0, y1) - at(x1, y0);
        let count = ((x1 - x0) * (y1 - y0)).max(1) as u64;
        // A mean of 8-bit values fits in 8 bits.
        (sum / count) as u8
    }
}

/// Box filter: every pixel replaced by the mean of its `(2 * radius + 1)`-square window.
pub fn box_mean(img: &GrayImage, radius: u32) -> GrayImage {
    let table = Integral::new(img);
    let r = radius as usize;
    GrayImage::from_fn(img.width(), img.height(), |x, y| {
        image::Luma([table.mean(x as usize, y as usize, r)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    #[test]
    fn window_means_match_a_direct_sum() {
        let img = GrayImage::from_fn(13, 7, |x, y| Luma([((x * 37 + y * 91) % 256) as u8]));
        let table = Integral::new(&img);
        for (x, y, r) in [
            (0usize, 0usize, 1usize),
            (6, 3, 2),
            (12, 6, 3),
            (5, 5, 0),
            (3, 2, 20),
        ] {
            let (mut sum, mut n) = (0u64, 0u64);
            for yy in y.saturating_sub(r)..(y + r + 1).min(7) {
                for xx in x.saturating_sub(r)..(x + r + 1).min(13) {
                    sum += u64::from(img.get_pixel(xx as u32, yy as u32).0[0]);
                    n += 1;
                }
            }
            assert_eq!(u64::from(table.mean(x, y, r)), sum / n, "({x},{y}) r={r}");
        }
    }

    #[test]
    fn box_mean_flattens_a_checkerboard() {
        let img = GrayImage::from_fn(20, 20, |x, y| {
            Luma([if (x + y) % 2 == 0 { 0 } else { 200 }])
        });
        let flat = box_mean(&img, 2);
        // A 5x5 window holds 12 or 13 dark pixels of 25.
        assert!((96..=104).contains(&flat.get_pixel(10, 10).0[0]));
        assert_eq!(box_mean(&GrayImage::new(0, 0), 3).dimensions(), (0, 0));
    }
}
