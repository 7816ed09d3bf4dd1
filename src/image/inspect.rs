//! Inspection for render certification: not only what a symbol says but how it was built: the
//! segment modes and ECI designator (EMV.QR.BYTE_MODE_ONLY, ECI_UTF8_REQUIRED, ECI_VALUE,
//! NO_STRUCTURED_APPEND, NO_FNC1), the quiet zone (EMV.QR.QUIET_ZONE), reflectance and mirroring
//! (EMV.QR.NOT_MIRRORED), and version, level and mask as report metadata.

use image::GrayImage;
use rqrr::BitGrid;
use serde::Serialize;

use super::attempts::{Preprocess, VIEWS, View, view};
use super::decoded::Corner;
use super::error::{DecodeError, SymbolFault};
use super::grid::{GridReading, read_grid};
use super::png::{DecodeLimits, load_gray};
use super::quiet::{Margins, Placement, measure};
use super::segments::{Mode, Segment, StreamError};
use super::symbol::{EcLevel, MaskPattern, SymbolVersion};

/// Facts about one symbol, as needed to certify the implementation that rendered it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SymbolFacts {
    /// The payload, from qrcert's own walk of the segments; exact when `payload_utf8`,
    /// otherwise lossy.
    pub payload: String,
    /// Whether the payload bytes were valid UTF-8.
    pub payload_utf8: bool,
    /// Symbol version.
    pub version: SymbolVersion,
    /// Error-correction level.
    pub ec_level: EcLevel,
    /// Mask pattern.
    pub mask: MaskPattern,
    /// Segments in stream order.
    pub segments: Vec<Segment>,
    /// The first ECI designator, if any segment carries one.
    pub eci: Option<u32>,
    /// Set when the bit stream is malformed after the segments listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_error: Option<StreamError>,
    /// Codewords that Reed-Solomon correction had to repair (0 for a clean render).
    pub repaired_codewords: usize,
    /// Narrowest light margin, in whole modules (ISO/IEC 18004 asks for 4).
    pub quiet_zone_modules: u32,
    /// Light margin per side, in modules, as measured.
    pub quiet_zone: Margins,
    /// Module pitch in pixels.
    pub module_size_px: f32,
    /// Whether the symbol is light-on-dark (found only in the inverted image).
    pub reflectance_reversed: bool,
    /// Which view of the image the symbol was read from.
    pub preprocess: Preprocess,
    /// Whether the symbol only reads as its mirror image.
    pub mirrored: bool,
    /// Corners in the image: top-left, top-right, bottom-right, bottom-left.
    pub corners: [Corner; 4],
}

impl SymbolFacts {
    /// Segment modes that EMVCo MPM §4.12.1.1 forbids: every data mode but Byte, plus Structured
    /// Append and FNC1, each listed once in order of appearance.
    pub fn forbidden_modes(&self) -> Vec<Mode> {
        let mut out = Vec::new();
        for s in &self.segments {
            if !matches!(s.mode, Mode::Byte | Mode::Eci) && !out.contains(&s.mode) {
                out.push(s.mode);
            }
        }
        out
    }

    /// Whether all data sits in Byte segments (ECI headers allowed) and the stream is sound.
    pub fn is_byte_only(&self) -> bool {
        self.stream_error.is_none() && self.forbidden_modes().is_empty()
    }
}

struct Found {
    margins: Margins,
    module_px: f64,
    inverted: bool,
    preprocess: Preprocess,
    corners: [Corner; 4],
}

fn facts(reading: GridReading, found: Found) -> SymbolFacts {
    let Found {
        margins,
        module_px,
        inverted,
        preprocess,
        corners,
    } = found;
    let eci = reading.walk.segments.iter().find_map(|s| s.eci_designator);
    let (payload, payload_utf8) = match String::from_utf8(reading.walk.bytes) {
        Ok(s) => (s, true),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
    };
    SymbolFacts {
        payload,
        payload_utf8,
        version: reading.version,
        ec_level: reading.ec,
        mask: reading.mask,
        segments: reading.walk.segments,
        eci,
        stream_error: reading.walk.error,
        repaired_codewords: reading.repaired,
        quiet_zone_modules: margins.whole_modules(),
        quiet_zone: margins,
        module_size_px: module_px as f32,
        reflectance_reversed: inverted,
        preprocess,
        mirrored: reading.mirrored,
        corners,
    }
}

struct Pass {
    found: Vec<SymbolFacts>,
    grids: usize,
    fault: Option<SymbolFault>,
}

fn scan(original: &GrayImage, view: View) -> Pass {
    let View {
        preprocess,
        inverted,
        to_input,
        image,
    } = view;
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    let mut pass = Pass {
        found: Vec::new(),
        grids: grids.len(),
        fault: None,
    };
    for grid in &grids {
        match read_grid(&grid.grid) {
            Ok(reading) => {
                let size = grid.grid.size();
                // Measure on the input itself, not on the view rqrr searched: binarising or
                // resampling would move the edges being measured.
                let place = Placement::from_rqrr(&grid.bounds, size, to_input);
                let margins = measure(original, &place, inverted, |r, c| grid.grid.bit(r, c));
                // rqrr also reads some light-on-dark symbols straight; the finder pattern tells
                // the polarity whichever view read it: its centre module is dark, the ring
                // around it light.
                let lum = |row, col| {
                    let (x, y) = place.module_center(row, col);
                    let (x, y) = (x.round().max(0.0) as u32, y.round().max(0.0) as u32);
                    original
                        .get_pixel_checked(x, y)
                        .map_or(128i32, |p| i32::from(p.0[0]))
                };
                let reversed = lum(3, 3) > lum(1, 1);
                let found = Found {
                    margins,
                    module_px: place.module_px(),
                    inverted: reversed,
                    preprocess,
                    corners: place.symbol_corners().map(Corner::from),
                };
                pass.found.push(facts(reading, found));
            }
            Err(fault) => {
                pass.fault.get_or_insert(fault);
            }
        }
    }
    pass
}

/// Inspect every symbol in a grayscale image, from the first view of it that yields any (see
/// [`super::attempts`]).
pub fn inspect_gray_all(img: &GrayImage) -> Result<Vec<SymbolFacts>, DecodeError> {
    let (mut grids, mut fault) = (0, None);
    for index in 0..VIEWS {
        let Some(v) = view(img, index) else { continue };
        let pass = scan(img, v);
        if !pass.found.is_empty() {
            return Ok(pass.found);
        }
        grids = grids.max(pass.grids);
        fault = fault.or(pass.fault);
    }
    match fault {
        Some(fault) if grids > 0 => Err(DecodeError::DecodeFailed {
            symbols: grids,
            fault,
        }),
        _ => Err(DecodeError::NotDetected),
    }
}

/// Inspect the first symbol in a grayscale image.
pub fn inspect_gray(img: &GrayImage) -> Result<SymbolFacts, DecodeError> {
    inspect_gray_all(img)?
        .into_iter()
        .next()
        .ok_or(DecodeError::NotDetected)
}

/// Inspect the first symbol in PNG bytes, within `limits`.
pub fn inspect_png(bytes: &[u8], limits: &DecodeLimits) -> Result<SymbolFacts, DecodeError> {
    inspect_gray(&load_gray(bytes, limits)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::render::{EciPolicy, RenderOptions, render_gray};

    #[test]
    fn clean_render_facts() {
        let opts = RenderOptions {
            ec: EcLevel::H,
            mask: MaskPattern::new(6),
            ..RenderOptions::default()
        };
        let f = inspect_gray(&render_gray("INSPECT ME", &opts).unwrap()).unwrap();
        assert_eq!(f.payload, "INSPECT ME");
        assert_eq!((f.ec_level, f.mask.get(), f.eci), (EcLevel::H, 6, None));
        assert!(f.is_byte_only());
        assert_eq!(f.repaired_codewords, 0);
        assert!((f.module_size_px - 8.0).abs() < 0.2, "{}", f.module_size_px);
        assert_eq!(f.quiet_zone_modules, 4, "{:?}", f.quiet_zone);
        assert!(!f.reflectance_reversed && !f.mirrored);
    }

    #[test]
    fn quiet_zone_widths_are_measured() {
        for qz in [0u32, 1, 2, 3, 4, 6] {
            for scale in [3u32, 8] {
                let opts = RenderOptions {
                    quiet_zone: qz,
                    scale,
                    ..RenderOptions::default()
                };
                let img = render_gray("QUIET ZONE", &opts).unwrap();
                // A symbol touching the border has no edge for rqrr's finder scan to find;
                // give it a dark frame one module away instead, which also bounds the margin.
                let img = if qz == 0 { framed(&img, scale) } else { img };
                let f = inspect_gray(&img).unwrap_or_else(|e| panic!("qz {qz} scale {scale}: {e}"));
                let expected = if qz == 0 { 1 } else { qz };
                assert_eq!(
                    f.quiet_zone_modules, expected,
                    "qz {qz} scale {scale}: {:?}",
                    f.quiet_zone
                );
            }
        }
    }

    /// Surround with one light module then a dark frame of one module.
    fn framed(img: &GrayImage, scale: u32) -> GrayImage {
        let pad = 2 * scale;
        GrayImage::from_fn(img.width() + 2 * pad, img.height() + 2 * pad, |x, y| {
            let inside = |v: u32, n: u32| v >= pad && v < n + pad;
            if inside(x, img.width()) && inside(y, img.height()) {
                *img.get_pixel(x - pad, y - pad)
            } else if x < scale
                || y < scale
                || x >= img.width() + 2 * pad - scale
                || y >= img.height() + 2 * pad - scale
            {
                image::Luma([0])
            } else {
                image::Luma([255])
            }
        })
    }

    #[test]
    fn eci_always_is_reported() {
        let opts = RenderOptions {
            eci: EciPolicy::Always,
            ..RenderOptions::default()
        };
        let f = inspect_gray(&render_gray("ASCII", &opts).unwrap()).unwrap();
        assert_eq!(f.eci, Some(26));
        assert_eq!(f.segments.len(), 2);
    }

    #[test]
    fn facts_serialize_to_json() {
        let f = inspect_gray(&render_gray("JSON", &RenderOptions::default()).unwrap()).unwrap();
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["segments"][0]["mode"], "byte");
        assert_eq!(v["segments"][0]["char_count"], 4);
        assert_eq!(v["ec_level"], "M");
        assert!(v.get("stream_error").is_none());
    }
}
