//! The symbol parameters shared by rendering and inspection: error-correction level, version and
//! mask pattern, each a small validated type so that an out-of-range value cannot travel far.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Error-correction level of a QR symbol (ISO/IEC 18004 §5.1): how much of the symbol can be
/// damaged before it stops decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum EcLevel {
    /// About 7% of codewords recoverable.
    L,
    /// About 15% of codewords recoverable; the default, as most payment QR generators use it.
    #[default]
    M,
    /// About 25% of codewords recoverable.
    Q,
    /// About 30% of codewords recoverable.
    H,
}

impl EcLevel {
    /// Every level, weakest first.
    pub const ALL: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

    /// Position in [`EcLevel::ALL`], used to index per-level tables.
    pub(crate) const fn index(self) -> usize {
        match self {
            EcLevel::L => 0,
            EcLevel::M => 1,
            EcLevel::Q => 2,
            EcLevel::H => 3,
        }
    }

    /// The level from the 2-bit field of the format information, which orders the levels
    /// M, L, H, Q (00, 01, 10, 11) rather than by strength.
    pub(crate) const fn from_format_bits(bits: u16) -> Self {
        match bits & 0b11 {
            0b00 => EcLevel::M,
            0b01 => EcLevel::L,
            0b10 => EcLevel::H,
            _ => EcLevel::Q,
        }
    }

    pub(crate) const fn to_qrcode(self) -> qrcode::EcLevel {
        match self {
            EcLevel::L => qrcode::EcLevel::L,
            EcLevel::M => qrcode::EcLevel::M,
            EcLevel::Q => qrcode::EcLevel::Q,
            EcLevel::H => qrcode::EcLevel::H,
        }
    }
}

impl fmt::Display for EcLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            EcLevel::L => "L",
            EcLevel::M => "M",
            EcLevel::Q => "Q",
            EcLevel::H => "H",
        };
        f.write_str(s)
    }
}

/// A QR symbol version, 1 (21x21 modules) to 40 (177x177). Micro QR is out of scope: EMVCo
/// payloads do not fit it and payment apps do not read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct SymbolVersion(u8);

impl SymbolVersion {
    /// The smallest version.
    pub const MIN: SymbolVersion = SymbolVersion(1);
    /// The largest version.
    pub const MAX: SymbolVersion = SymbolVersion(40);

    /// The version numbered `n`, if `n` is in 1..=40.
    pub const fn new(n: u8) -> Option<Self> {
        if n >= 1 && n <= 40 {
            Some(SymbolVersion(n))
        } else {
            None
        }
    }

    /// The version number, 1..=40.
    pub const fn get(self) -> u8 {
        self.0
    }

    /// Modules per side, without quiet zone.
    pub const fn size(self) -> usize {
        self.0 as usize * 4 + 17
    }
}

impl TryFrom<u8> for SymbolVersion {
    type Error = String;

    fn try_from(n: u8) -> Result<Self, Self::Error> {
        SymbolVersion::new(n).ok_or_else(|| format!("QR version {n} is outside 1..=40"))
    }
}

impl From<SymbolVersion> for u8 {
    fn from(v: SymbolVersion) -> u8 {
        v.0
    }
}

impl fmt::Display for SymbolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One of the eight data mask patterns (ISO/IEC 18004 §7.8.2), numbered as in the format
/// information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct MaskPattern(u8);

impl MaskPattern {
    /// The pattern numbered `n`, if `n` is in 0..=7.
    pub const fn new(n: u8) -> Option<Self> {
        if n <= 7 { Some(MaskPattern(n)) } else { None }
    }

    /// The pattern number, 0..=7.
    pub const fn get(self) -> u8 {
        self.0
    }

    /// Whether the pattern inverts the module at `row`, `col`.
    pub(crate) const fn inverts(self, row: usize, col: usize) -> bool {
        let (i, j) = (row, col);
        match self.0 {
            0 => (i + j) % 2 == 0,
            1 => i % 2 == 0,
            2 => j % 3 == 0,
            3 => (i + j) % 3 == 0,
            4 => (i / 2 + j / 3) % 2 == 0,
            5 => (i * j) % 2 + (i * j) % 3 == 0,
            6 => ((i * j) % 2 + (i * j) % 3) % 2 == 0,
            _ => ((i + j) % 2 + (i * j) % 3) % 2 == 0,
        }
    }

    pub(crate) const fn to_qrcode(self) -> qrcode::canvas::MaskPattern {
        use qrcode::canvas::MaskPattern as P;
        match self.0 {
            0 => P::Checkerboard,
            1 => P::HorizontalLines,
            2 => P::VerticalLines,
            3 => P::DiagonalLines,
            4 => P::LargeCheckerboard,
            5 => P::Fields,
            6 => P::Diamonds,
            _ => P::Meadow,
        }
    }
}

impl TryFrom<u8> for MaskPattern {
    type Error = String;

    fn try_from(n: u8) -> Result<Self, Self::Error> {
        MaskPattern::new(n).ok_or_else(|| format!("mask pattern {n} is outside 0..=7"))
    }
}

impl From<MaskPattern> for u8 {
    fn from(m: MaskPattern) -> u8 {
        m.0
    }
}

impl fmt::Display for MaskPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_bounds() {
        assert!(SymbolVersion::new(0).is_none());
        assert!(SymbolVersion::new(41).is_none());
        assert_eq!(SymbolVersion::new(1).map(SymbolVersion::size), Some(21));
        assert_eq!(SymbolVersion::new(40).map(SymbolVersion::size), Some(177));
    }

    #[test]
    fn mask_bounds() {
        assert!(MaskPattern::new(8).is_none());
        assert_eq!(MaskPattern::new(7).map(MaskPattern::get), Some(7));
    }

    #[test]
    fn format_bits_order_is_m_l_h_q() {
        let levels: Vec<EcLevel> = (0..4).map(EcLevel::from_format_bits).collect();
        assert_eq!(levels, [EcLevel::M, EcLevel::L, EcLevel::H, EcLevel::Q]);
    }

    #[test]
    fn serde_rejects_out_of_range() {
        assert!(serde_json::from_str::<SymbolVersion>("41").is_err());
        assert!(serde_json::from_str::<MaskPattern>("9").is_err());
        assert_eq!(
            serde_json::to_string(&SymbolVersion(7)).ok().as_deref(),
            Some("7")
        );
    }
}
