//! What reading a symbol yields, whichever reader read it (rqrr's own detection in
//! [`super::decode`] or the fast sampling in [`super::sampled`]).

use serde::Serialize;

use super::attempts::Preprocess;
use super::symbol::{EcLevel, MaskPattern, SymbolVersion};

/// A point in image pixel coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Corner {
    /// Column.
    pub x: i32,
    /// Row.
    pub y: i32,
}

impl From<(i32, i32)> for Corner {
    fn from((x, y): (i32, i32)) -> Self {
        Corner { x, y }
    }
}

/// One symbol read from an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decoded {
    /// The payload text; exact when `payload_utf8`, otherwise a lossy rendering (invalid
    /// sequences become U+FFFD) so that it can never equal a valid expected payload by accident.
    pub payload: String,
    /// Whether the decoded bytes were valid UTF-8.
    pub payload_utf8: bool,
    /// The decoded bytes as they were in the symbol.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Symbol version.
    pub version: SymbolVersion,
    /// Error-correction level.
    pub ec_level: EcLevel,
    /// Mask pattern.
    pub mask: MaskPattern,
    /// Whether the symbol was only found in the inverted image (reversed reflectance).
    pub inverted: bool,
    /// Which view of the image the symbol was read from.
    pub preprocess: Preprocess,
    /// Corners of the symbol in the image: top-left, top-right, bottom-right, bottom-left.
    pub corners: [Corner; 4],
}

/// The symbol's version, error-correction level and mask from rqrr's metadata; `None` when
/// rqrr reports values no QR symbol has.
pub(super) fn symbol_meta(meta: rqrr::MetaData) -> Option<(SymbolVersion, EcLevel, MaskPattern)> {
    let version = u8::try_from(meta.version.0)
        .ok()
        .and_then(SymbolVersion::new)?;
    let mask = u8::try_from(meta.mask).ok().and_then(MaskPattern::new)?;
    Some((version, EcLevel::from_format_bits(meta.ecc_level), mask))
}
