//! INTEROP.QR.BYTE_ECI, the one INTEROP rule about the QR symbol rather than the payload:
//! image inspection reports how the symbol encodes its data, and this judges it.

use crate::rules::finding::{At, Finding};

use super::QR_BYTE_ECI;

/// How a QR symbol encodes its payload, as image inspection reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SymbolEncoding {
    /// Whether every data segment is in Byte mode (no Numeric, Alphanumeric or Kanji segment).
    pub byte_mode_only: bool,
    /// The ECI designator in force, if the symbol carries one (26 is UTF-8).
    pub eci: Option<u32>,
}

/// INTEROP.QR.BYTE_ECI: a payload with non-ASCII text must be in Byte mode with ECI 26, or a
/// foreign decoder may guess Shift_JIS or ISO-8859-1 and garble the Japanese or Khmer name.
pub fn check_byte_eci(payload: &str, encoding: &SymbolEncoding) -> Option<Finding> {
    if payload.is_ascii() || (encoding.byte_mode_only && encoding.eci == Some(26)) {
        return None;
    }
    let what = match (encoding.byte_mode_only, encoding.eci) {
        (false, _) => "has segments outside Byte mode".to_owned(),
        (true, None) => "carries no ECI".to_owned(),
        (true, Some(e)) => format!("carries ECI {e:06}, not 000026 (UTF-8)"),
    };
    let at = At::offset(0);
    Some(Finding {
        rule: &QR_BYTE_ECI,
        severity: QR_BYTE_ECI.severity,
        offset: at.offset,
        path: at.path,
        message: format!(
            "the payload holds non-ASCII text but the symbol {what}: a foreign decoder may not read it as UTF-8"
        )
        .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const UTF8: SymbolEncoding = SymbolEncoding {
        byte_mode_only: true,
        eci: Some(26),
    };

    #[test]
    fn fires_on_non_ascii_without_byte_mode_and_eci_26() {
        let p = "0109さくら";
        for bad in [
            SymbolEncoding {
                byte_mode_only: true,
                eci: None,
            },
            SymbolEncoding {
                byte_mode_only: true,
                eci: Some(3),
            },
            SymbolEncoding {
                byte_mode_only: false,
                eci: Some(26),
            },
        ] {
            let f = check_byte_eci(p, &bad).expect("fires");
            assert_eq!(f.rule.id, "INTEROP.QR.BYTE_ECI");
        }
    }

    #[test]
    fn silent_with_byte_mode_and_eci_26_or_on_ascii() {
        assert!(check_byte_eci("0109さくら", &UTF8).is_none());
        let plain = SymbolEncoding {
            byte_mode_only: false,
            eci: None,
        };
        assert!(check_byte_eci("000201", &plain).is_none());
    }
}
