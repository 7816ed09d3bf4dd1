//! From a sampled module grid (rqrr's `BitGrid`) to corrected data codewords and segments.
//!
//! rqrr reads the format information and the raw codewords in placement order but keeps its
//! unmasking and error correction private. The mask is removed here by wrapping the grid so that
//! every module outside the format areas is XORed with the mask pattern before rqrr reads it;
//! the function patterns that rqrr skips are unaffected either way.

use rqrr::BitGrid;

use super::ecc::{self, BlockLayout};
use super::error::SymbolFault;
use super::segments::{self, Walk};
use super::symbol::{EcLevel, MaskPattern, SymbolVersion};

/// What a grid holds, read without rqrr's payload decoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridReading {
    /// Version, from the grid size.
    pub version: SymbolVersion,
    /// Level, from the format information.
    pub ec: EcLevel,
    /// Mask, from the format information.
    pub mask: MaskPattern,
    /// Whether the grid only read when transposed (a mirrored symbol).
    pub mirrored: bool,
    /// Codewords repaired by Reed-Solomon correction.
    pub repaired: usize,
    /// The segment walk over the corrected data codewords.
    pub walk: Walk,
}

/// The grid with rows and columns swapped, which is how a mirror image reads.
struct Transposed<'a>(&'a dyn BitGrid);

impl BitGrid for Transposed<'_> {
    fn size(&self) -> usize {
        self.0.size()
    }
    fn bit(&self, y: usize, x: usize) -> bool {
        self.0.bit(x, y)
    }
}

/// The grid with the data mask removed outside the two format information areas.
struct Unmasked<'a> {
    inner: &'a dyn BitGrid,
    mask: MaskPattern,
}

impl BitGrid for Unmasked<'_> {
    fn size(&self) -> usize {
        self.inner.size()
    }
    fn bit(&self, y: usize, x: usize) -> bool {
        let n = self.inner.size();
        let format_area = (y <= 8 && x <= 8) || (x == 8 && y + 8 >= n) || (y == 8 && x + 8 >= n);
        self.inner.bit(y, x) ^ (!format_area && self.mask.inverts(y, x))
    }
}

/// Read a grid, trying its mirror image when the straight reading fails.
pub fn read_grid(grid: &dyn BitGrid) -> Result<GridReading, SymbolFault> {
    match read_oriented(grid) {
        Ok(r) => Ok(r),
        Err(fault) => match read_oriented(&Transposed(grid)) {
            Ok(r) => Ok(GridReading {
                mirrored: true,
                ..r
            }),
            Err(_) => Err(fault),
        },
    }
}

fn read_oriented(grid: &dyn BitGrid) -> Result<GridReading, SymbolFault> {
    let size = grid.size();
    if !(21..=177).contains(&size) || !(size - 17).is_multiple_of(4) {
        return Err(SymbolFault::Version);
    }
    let (meta, _) = rqrr::Grid::new(Borrowed(grid)).get_raw_data()?;
    let version = u8::try_from(meta.version.0)
        .ok()
        .and_then(SymbolVersion::new)
        .filter(|v| v.size() == size)
        .ok_or(SymbolFault::Version)?;
    let ec = EcLevel::from_format_bits(meta.ecc_level);
    let mask = u8::try_from(meta.mask)
        .ok()
        .and_then(MaskPattern::new)
        .ok_or(SymbolFault::FormatInfo)?;

    let (_, raw) = rqrr::Grid::new(Unmasked { inner: grid, mask }).get_raw_data()?;
    let layout = BlockLayout::new(version, ec);
    let bytes = raw.len / 8;
    if bytes < layout.total {
        return Err(SymbolFault::Version);
    }
    let corrected = ecc::correct(&raw.data[..layout.total], &layout)
        .map_err(|_| SymbolFault::ErrorCorrection)?;
    Ok(GridReading {
        version,
        ec,
        mask,
        mirrored: false,
        repaired: corrected.repaired,
        walk: segments::walk(&corrected.data, version),
    })
}

/// rqrr's `Grid::new` takes its grid by value; this lends it a reference instead.
struct Borrowed<'a>(&'a dyn BitGrid);

impl BitGrid for Borrowed<'_> {
    fn size(&self) -> usize {
        self.0.size()
    }
    fn bit(&self, y: usize, x: usize) -> bool {
        self.0.bit(y, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::render::{Matrix, RenderOptions, Segmentation, encode_matrix};
    use crate::image::segments::Mode;

    struct MatrixGrid<'a>(&'a Matrix);

    impl BitGrid for MatrixGrid<'_> {
        fn size(&self) -> usize {
            self.0.size()
        }
        fn bit(&self, y: usize, x: usize) -> bool {
            self.0.is_dark(y, x)
        }
    }

    #[test]
    fn every_mask_level_and_version_band_reads_back() {
        let payload = "KH ហាង";
        let mut read = 0;
        for version in [1u8, 2, 7, 10, 27, 40] {
            for ec in EcLevel::ALL {
                for mask in 0..8 {
                    let opts = RenderOptions {
                        ec,
                        version: SymbolVersion::new(version),
                        mask: MaskPattern::new(mask),
                        ..RenderOptions::default()
                    };
                    // Version 1 cannot hold the payload at the stronger levels.
                    let Ok(m) = encode_matrix(payload, &opts) else {
                        continue;
                    };
                    read += 1;
                    let r = read_grid(&MatrixGrid(&m)).unwrap();
                    assert_eq!(
                        (r.version, r.ec, r.mask.get(), r.mirrored),
                        (m.version, ec, mask, false)
                    );
                    assert_eq!(r.walk.bytes, payload.as_bytes());
                    let modes: Vec<_> = r.walk.segments.iter().map(|s| s.mode).collect();
                    assert_eq!(modes, [Mode::Eci, Mode::Byte]);
                    assert_eq!(r.repaired, 0);
                }
            }
        }
        assert!(read >= 5 * 4 * 8 + 2 * 8, "only {read} combinations fitted");
    }

    #[test]
    fn mirrored_grid_is_read_and_flagged() {
        let m = encode_matrix("MIRROR", &RenderOptions::default()).unwrap();
        let r = read_grid(&Transposed(&MatrixGrid(&m))).unwrap();
        assert!(r.mirrored);
        assert_eq!(r.walk.bytes, b"MIRROR");
    }

    #[test]
    fn damaged_modules_are_repaired_and_counted() {
        let opts = RenderOptions {
            ec: EcLevel::H,
            ..RenderOptions::default()
        };
        let m = encode_matrix("DAMAGE TEST 0123456789", &opts).unwrap();
        struct Damaged<'a>(MatrixGrid<'a>);
        impl BitGrid for Damaged<'_> {
            fn size(&self) -> usize {
                self.0.size()
            }
            fn bit(&self, y: usize, x: usize) -> bool {
                // Flip a 3x3 patch in the data area near the bottom-right corner.
                let n = self.size();
                self.0.bit(y, x) ^ (y + 5 >= n && y + 2 < n && x + 5 >= n && x + 2 < n)
            }
        }
        let r = read_grid(&Damaged(MatrixGrid(&m))).unwrap();
        assert_eq!(r.walk.bytes, b"DAMAGE TEST 0123456789");
        assert!(r.repaired >= 1);
    }

    #[test]
    fn automatic_segmentation_is_visible() {
        let opts = RenderOptions {
            segmentation: Segmentation::Automatic,
            ..RenderOptions::default()
        };
        let m = encode_matrix("ABCDEFGH12345678901234", &opts).unwrap();
        let r = read_grid(&MatrixGrid(&m)).unwrap();
        assert!(
            r.walk.segments.iter().any(|s| s.mode == Mode::Numeric),
            "{:?}",
            r.walk.segments
        );
    }
}
