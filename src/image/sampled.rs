//! The scanner's fast first attempt: find the three finder patterns by their 1:1:3:1:1 runs,
//! span the module grid between their centres, and sample each module's centre at the image's
//! Otsu threshold. No foreshortening is modelled (the grid is affine: moved, scaled, turned),
//! which covers most images a scan case sends, at a tenth of a full rqrr pass: rqrr fits a
//! perspective to every candidate grid and then refines it module by module, which costs more
//! than everything here.
//!
//! rqrr still decodes the sampled grid (format information, Reed-Solomon, segments), so this
//! attempt can miss a symbol but not invent a payload. Whenever it finds anything other than
//! exactly three finder patterns in a right angle, or the grid does not decode, it gives up and
//! the views of [`super::attempts`] run as before.

use image::GrayImage;

use super::attempts::Preprocess;
use super::decoded::{Corner, Decoded, symbol_meta};
use super::quiet::otsu;

/// A point in pixel coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pt {
    x: f64,
    y: f64,
}

impl Pt {
    fn sub(self, o: Pt) -> Pt {
        Pt {
            x: self.x - o.x,
            y: self.y - o.y,
        }
    }

    fn len(self) -> f64 {
        self.x.hypot(self.y)
    }
}

/// A finder pattern candidate: rows whose runs read 1:1:3:1:1 around the same centre.
#[derive(Debug, Clone)]
struct Finder {
    sum_x: f64,
    sum_y: f64,
    sum_width: f64,
    rows: u32,
    last_y: u32,
}

impl Finder {
    fn x(&self) -> f64 {
        self.sum_x / f64::from(self.rows)
    }

    fn module(&self) -> f64 {
        self.sum_width / f64::from(self.rows) / 7.0
    }
}

/// Reads the one symbol of an image the fast way, or `None` (then the full attempts run).
pub fn read(img: &GrayImage) -> Option<Decoded> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 21 || h < 21 {
        return None;
    }
    let t = otsu(img);
    let px = img.as_raw();
    let dark = |x: usize, y: usize| px[y * w + x] <= t;
    let candidates = finders(px, w, h, t);
    // Centres, each refined along its column (the row scan only places it across), kept only
    // when the column reads 1:1:3:1:1 at the same module size. Exactly three must remain: a
    // second symbol, or a busy background, is left to rqrr.
    let mut centres = Vec::with_capacity(3);
    let mut module = 0.0;
    for f in &candidates {
        let x = f.x();
        let y = f.sum_y / f64::from(f.rows);
        let Some((cy, vertical)) = cross_check(&dark, w, h, x, y, f.module()) else {
            continue;
        };
        if (vertical - f.module()).abs() > 0.3 * f.module() {
            continue;
        }
        module += (f.module() + vertical) / 2.0;
        centres.push(Pt { x, y: cy });
    }
    if centres.len() != 3 {
        return None;
    }
    module /= 3.0;
    let (tl, tr, bl) = corner_first(&centres)?;
    let across = (tr.sub(tl).len() + bl.sub(tl).len()) / 2.0;
    // The finder centres are 3.5 modules in from the edges: N - 7 modules apart. The module
    // size from the finders' widths is a few per cent off on blurred images, so the nearest
    // versions are tried too; a wrong size fails the format check at once.
    let estimate = ((across / module + 7.0 - 17.0) / 4.0).round();
    for step in [0.0, 1.0, -1.0] {
        let version = estimate + step;
        if !(1.0..=40.0).contains(&version) {
            continue;
        }
        let size = 17 + 4 * version as usize;
        if let Some(d) = sample_and_decode(img, t, size, tl, tr, bl) {
            return Some(d);
        }
    }
    None
}

/// Scans every row for 1:1:3:1:1 runs and groups them into finder pattern candidates at least
/// two modules tall.
fn finders(px: &[u8], w: usize, h: usize, t: u8) -> Vec<Finder> {
    let mut found: Vec<Finder> = Vec::new();
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(w / 2 + 2);
    for y in 0..h {
        let row = &px[y * w..(y + 1) * w];
        // Runs as (start, length), alternating colours; the first is dark when row[0] is.
        runs.clear();
        let mut start = 0;
        for x in 1..=w {
            if x == w || (row[x] <= t) != (row[start] <= t) {
                runs.push((start, x - start));
                start = x;
            }
        }
        let first_dark = row[0] <= t;
        for i in 0..runs.len().saturating_sub(4) {
            // Dark runs are at even indices when the row starts dark, odd ones otherwise.
            if (i % 2 == 0) != first_dark {
                continue;
            }
            let r = [
                runs[i].1,
                runs[i + 1].1,
                runs[i + 2].1,
                runs[i + 3].1,
                runs[i + 4].1,
            ];
            let width: usize = r.iter().sum();
            if width < 7 || !ratios_hold(&r) {
                continue;
            }
            let centre = runs[i + 2].0 as f64 + r[2] as f64 / 2.0;
            add_row(&mut found, centre, y as u32, width as f64);
        }
    }
    // The runs hold across a finder's 3-module core; data modules that happen to read 1:1:3:1:1
    // along a row mostly do so for one module's height.
    found.retain(|f| f.rows >= 2 && f64::from(f.rows) >= 1.8 * f.module());
    found
}

/// Whether five run lengths read 1:1:3:1:1 within half a module each (zxing's tolerance).
fn ratios_hold(r: &[usize; 5]) -> bool {
    let unit = r.iter().sum::<usize>() as f64 / 7.0;
    let slack = unit / 2.0;
    let near = |len: usize, modules: f64| (len as f64 - unit * modules).abs() < slack * modules;
    near(r[0], 1.0) && near(r[1], 1.0) && near(r[2], 3.0) && near(r[3], 1.0) && near(r[4], 1.0)
}

/// Adds one row's candidate to the pattern it continues (same centre and width, the row just
/// below), or starts a new one.
fn add_row(found: &mut Vec<Finder>, x: f64, y: u32, width: f64) {
    for f in found.iter_mut() {
        let m = f.module();
        if y <= f.last_y + 2
            && (f.x() - x).abs() < m * 1.5
            && (f.module() * 7.0 - width).abs() < m * 2.0
        {
            f.sum_x += x;
            f.sum_y += f64::from(y);
            f.sum_width += width;
            f.rows += 1;
            f.last_y = y;
            return;
        }
    }
    found.push(Finder {
        sum_x: x,
        sum_y: f64::from(y),
        sum_width: width,
        rows: 1,
        last_y: y,
    });
}

/// Walks the column through (`x`, `y`) from the core out: the centre of the dark core and the
/// pattern's module size down the column, if the runs read 1:1:3:1:1 there too.
fn cross_check(
    dark: &impl Fn(usize, usize) -> bool,
    w: usize,
    h: usize,
    x: f64,
    y: f64,
    module: f64,
) -> Option<(f64, f64)> {
    let (cx, cy) = (x.round() as usize, y.round() as usize);
    if cx >= w || cy >= h || !dark(cx, cy) {
        return None;
    }
    // Lengths of the runs met going one way from the centre: core (half), light ring, dark ring.
    let walk = |up: bool| -> Option<[usize; 3]> {
        let mut runs = [0usize; 3];
        let mut y = cy;
        for (i, want_dark) in [true, false, true].into_iter().enumerate() {
            loop {
                if dark(cx, y) != want_dark {
                    break;
                }
                runs[i] += 1;
                if up {
                    if y == 0 {
                        break;
                    }
                    y -= 1;
                } else {
                    if y + 1 >= h {
                        break;
                    }
                    y += 1;
                }
                // No run of a finder is longer than 3 modules and a half.
                if runs[i] as f64 > module * 4.0 + 2.0 {
                    return None;
                }
            }
        }
        Some(runs)
    };
    let up = walk(true)?;
    let down = walk(false)?;
    let core = up[0] + down[0] - 1;
    let r = [up[2], up[1], core, down[1], down[2]];
    if !ratios_hold(&r) {
        return None;
    }
    let top = cy + 1 - up[0];
    let centre = top as f64 + core as f64 / 2.0;
    Some((centre, r.iter().sum::<usize>() as f64 / 7.0))
}

/// The finder at the right angle first, then the one along the top, then the one down the
/// side (clockwise in image coordinates), if the three are about a right isosceles triangle.
fn corner_first(c: &[Pt]) -> Option<(Pt, Pt, Pt)> {
    let d = |i: usize, j: usize| c[i].sub(c[j]).len();
    // The corner is opposite the longest side.
    let sides = [(d(1, 2), 0), (d(0, 2), 1), (d(0, 1), 2)];
    let corner = sides.iter().max_by(|a, b| a.0.total_cmp(&b.0))?.1;
    let a = c[corner];
    let (mut b, mut cc) = match corner {
        0 => (c[1], c[2]),
        1 => (c[0], c[2]),
        _ => (c[0], c[1]),
    };
    let (ab, ac) = (b.sub(a), cc.sub(a));
    let (lb, lc) = (ab.len(), ac.len());
    if lb < 7.0 || lc < 7.0 || (lb - lc).abs() > 0.1 * lb.max(lc) {
        return None;
    }
    let cos = (ab.x * ac.x + ab.y * ac.y) / (lb * lc);
    if cos.abs() > 0.1 {
        return None;
    }
    // With y pointing down, the top-right finder is the one clockwise of the side finder.
    if ab.x * ac.y - ab.y * ac.x < 0.0 {
        std::mem::swap(&mut b, &mut cc);
    }
    Some((a, b, cc))
}

/// Samples a `size`-module grid spanned by the finder centres and decodes it.
fn sample_and_decode(
    img: &GrayImage,
    t: u8,
    size: usize,
    tl: Pt,
    tr: Pt,
    bl: Pt,
) -> Option<Decoded> {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let px = img.as_raw();
    let span = (size - 7) as f64;
    let ux = Pt {
        x: (tr.x - tl.x) / span,
        y: (tr.y - tl.y) / span,
    };
    let uy = Pt {
        x: (bl.x - tl.x) / span,
        y: (bl.y - tl.y) / span,
    };
    // Module coordinates (u across, v down, module edges at whole numbers) to pixels.
    let at = |u: f64, v: f64| Pt {
        x: tl.x + (u - 3.5) * ux.x + (v - 3.5) * uy.x,
        y: tl.y + (u - 3.5) * ux.y + (v - 3.5) * uy.y,
    };
    let module = ux.len().min(uy.len());
    // A few pixels around each centre steady it against noise, never reaching the neighbours.
    let r = ((module * 0.2) as i64).clamp(0, 2);
    let mut bits = vec![false; size * size];
    for v in 0..size {
        for u in 0..size {
            let p = at(u as f64 + 0.5, v as f64 + 0.5);
            let (x, y) = (p.x.floor() as i64, p.y.floor() as i64);
            if x - r < 0 || y - r < 0 || x + r >= w || y + r >= h {
                return None;
            }
            let (mut sum, mut n) = (0u32, 0u32);
            for yy in y - r..=y + r {
                let row = (yy * w) as usize;
                for xx in x - r..=x + r {
                    sum += u32::from(px[row + xx as usize]);
                    n += 1;
                }
            }
            bits[v * size + u] = sum <= u32::from(t) * n;
        }
    }
    let grid = rqrr::Grid::new(rqrr::SimpleGrid::from_func(size, |x, y| bits[y * size + x]));
    let mut bytes = Vec::new();
    let meta = grid.decode_to(&mut bytes).ok()?;
    let (version, ec_level, mask) = symbol_meta(meta)?;
    let n = size as f64;
    let corner = |u: f64, v: f64| {
        let p = at(u, v);
        // Pixel positions near an image whose sides fit u32; the rounding cast saturates.
        Corner {
            x: p.x.round() as i32,
            y: p.y.round() as i32,
        }
    };
    let (payload, payload_utf8) = match String::from_utf8(bytes.clone()) {
        Ok(s) => (s, true),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
    };
    Some(Decoded {
        payload,
        payload_utf8,
        bytes,
        version,
        ec_level,
        mask,
        inverted: false,
        preprocess: Preprocess::Sampled,
        corners: [
            corner(0.0, 0.0),
            corner(n, 0.0),
            corner(n, n),
            corner(0.0, n),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::decode::decode_gray;
    use crate::image::render::{RenderOptions, render_gray};

    const PAYLOAD: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";

    #[test]
    fn reads_a_clean_render_as_rqrr_does() {
        let img = render_gray(PAYLOAD, &RenderOptions::default()).unwrap();
        let fast = read(&img).expect("the fast attempt reads a clean render");
        let full = decode_gray(&img).unwrap().remove(0);
        assert_eq!(fast.payload, PAYLOAD);
        assert_eq!(fast.preprocess, Preprocess::Sampled);
        assert_eq!(
            (fast.version, fast.ec_level, fast.mask),
            (full.version, full.ec_level, full.mask)
        );
        // The same symbol corners, to a pixel.
        for (a, b) in fast.corners.iter().zip(full.corners.iter()) {
            assert!(
                (a.x - b.x).abs() <= 1 && (a.y - b.y).abs() <= 1,
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn turned_symbols_keep_their_own_corners() {
        let img = render_gray(PAYLOAD, &RenderOptions::default()).unwrap();
        let straight = read(&img).unwrap();
        let turned = read(&::image::imageops::rotate90(&img)).unwrap();
        assert_eq!(turned.payload, PAYLOAD);
        // A quarter turn clockwise: the symbol's top-left corner is now top-right in the image.
        let side = i32::try_from(img.width()).unwrap();
        let [tl, ..] = turned.corners;
        assert!((tl.x - (side - straight.corners[0].y)).abs() <= 1, "{tl:?}");
        assert!((tl.y - straight.corners[0].x).abs() <= 1, "{tl:?}");
    }

    #[test]
    fn gives_up_rather_than_guess() {
        let img = render_gray(PAYLOAD, &RenderOptions::default()).unwrap();
        // Blank, too small, and two symbols side by side (six finders).
        assert!(read(&GrayImage::from_pixel(300, 300, image::Luma([255]))).is_none());
        assert!(read(&GrayImage::new(10, 10)).is_none());
        let mut two = GrayImage::from_pixel(img.width() * 2, img.height(), image::Luma([255]));
        image::imageops::replace(&mut two, &img, 0, 0);
        image::imageops::replace(&mut two, &img, i64::from(img.width()), 0);
        assert!(read(&two).is_none());
        // A symbol with the middle half of its data scrambled, beyond what error correction M
        // repairs: the finders are found, but no grid decodes.
        let mut wiped = img.clone();
        let (w, h) = wiped.dimensions();
        for y in h / 4..h * 3 / 4 {
            for x in w / 4..w * 3 / 4 {
                let dark = (x / 7 + y / 5 + x * y / 97) % 2 == 0;
                wiped.put_pixel(x, y, image::Luma([if dark { 0 } else { 255 }]));
            }
        }
        assert!(read(&wiped).is_none());
    }
}
