//! `--profile auto`: which profile a payload claims to be (design.md, "Rules").
//!
//! In order, the first match wins:
//! 1. all digits, ending in `6305` + 5 decimal digits (the bill-payment CRC) -> `jpqr-bill`;
//! 2. a merchant-account template (26-51) whose 00 is `jp.or.paymentsjapan` in any case -> `jpqr`;
//! 3. template 29 or 30 whose 00 holds a Bakong account ID (has an `@`) -> `khqr`;
//! 4. country `KH` with currency 116 or 840, or currency 116 (only Cambodia uses the riel), or
//!    country `KH` with a 29/30 template -> `khqr`;
//! 5. anything else -> `emvco`.
//!
//! Detection is deliberately looser than each profile's identification rules, so that a payload
//! which looks like a profile but breaks its identification is judged under that profile and
//! gets a finding naming the defect instead of passing as plain EMVCo:
//!
//! | looks like | because | detected | the rule that fires |
//! | --- | --- | --- | --- |
//! | JPQR, GUID in the wrong case (`JP.OR.PAYMENTSJAPAN`) | 2 | jpqr | `JPQR.26.00.GUID` |
//! | JPQR, template in 27 instead of 26 | 2 | jpqr | `JPQR.26.ID_IN_TAG_26` |
//! | KHQR, account ID without `@` (`demosandbox`) | 4 | khqr | `KHQR.MAI.ACCOUNT_ID_FORMAT` |
//! | KHQR, account ID `a@b@c` or `name@` | 3 | khqr | `KHQR.MAI.ACCOUNT_ID_FORMAT` |
//! | KHQR, KH + 116 but no 29/30 (account under 26) | 4 | khqr | `KHQR.MAI.REQUIRED` |
//! | KHQR, Bakong ID but country or currency foreign | 3 | khqr | `KHQR.58.VALUE` / `KHQR.53.VALUE` |
//! | KHQR, riel but country not KH | 4 | khqr | `KHQR.58.VALUE` |
//! | JPQR bill payment | 1 | jpqr-bill | `JPQR.PROFILE.BILL` (INFO: recognised, not judged) |
//!
//! Under `--profile auto` the JPQR layer also reports its selector, `JPQR.PROFILE.MPM` (INFO),
//! naming the template that selected it.

use crate::Profile;
use crate::emv::{Payload, Tlv};

/// The JPQR merchant-account GUID.
pub const JPQR_GUID: &str = super::jpqr::GUID;

/// Why a payload was detected as its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The numeric bill-payment shape.
    BillShape,
    /// A template (its ID) carries the JPQR GUID; `exact` is false when only the case differs.
    JpqrGuid {
        /// The template's ID.
        id: u8,
        /// Whether the GUID is exactly `jp.or.paymentsjapan`.
        exact: bool,
    },
    /// Template 29 or 30 (its ID) holds an account ID with an `@`.
    BakongAccount {
        /// The template's ID.
        id: u8,
    },
    /// Country `KH` with currency 116/840, currency 116 alone, or `KH` with a 29/30 template.
    Cambodian,
    /// Nothing national: plain EMVCo.
    None,
}

impl Evidence {
    /// The profile this evidence selects.
    pub fn profile(self) -> Profile {
        match self {
            Evidence::BillShape => Profile::JpqrBill,
            Evidence::JpqrGuid { .. } => Profile::Jpqr,
            Evidence::BakongAccount { .. } | Evidence::Cambodian => Profile::Khqr,
            Evidence::None => Profile::Emvco,
        }
    }
}

/// Detects the profile of a payload from an EMV parse of it.
pub fn detect(text: &str, tlv: &Tlv) -> Profile {
    evidence(text, tlv).profile()
}

/// Why the payload is detected as what it is.
pub fn evidence(text: &str, tlv: &Tlv) -> Evidence {
    if is_bill_payment(text) {
        return Evidence::BillShape;
    }
    let p = Payload::new(text, tlv);
    for o in p.roots().filter(|o| (26..=51).contains(&o.id())) {
        if let Some(g) = o.child_value(0)
            && g.eq_ignore_ascii_case(JPQR_GUID)
        {
            return Evidence::JpqrGuid {
                id: o.id(),
                exact: g == JPQR_GUID,
            };
        }
    }
    for id in [29, 30] {
        if p.root(id)
            .and_then(|t| t.child_value(0))
            .is_some_and(|acct| acct.contains('@'))
        {
            return Evidence::BakongAccount { id };
        }
    }
    let kh = p.value(58) == Some("KH");
    let currency = p.value(53);
    let cambodian = (kh && matches!(currency, Some("116" | "840")))
        || currency == Some("116")
        || (kh && (p.has(29) || p.has(30)));
    if cambodian {
        return Evidence::Cambodian;
    }
    Evidence::None
}

/// The JPQR bill-payment / eL-QR shape: all digits, ending in `6305` and five decimal digits.
pub fn is_bill_payment(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 9 && b[b.len() - 9..b.len() - 5] == *b"6305" && b.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emv::ParseOptions;

    fn d(text: &str) -> Profile {
        detect(text, &Tlv::parse(text, &ParseOptions::default()))
    }

    fn e(text: &str) -> Evidence {
        evidence(text, &Tlv::parse(text, &ParseOptions::default()))
    }

    #[test]
    fn detects_each_profile() {
        assert_eq!(
            d(
                "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B"
            ),
            Profile::Jpqr
        );
        assert_eq!(
            d(
                "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7"
            ),
            Profile::Khqr
        );
        assert_eq!(
            d(
                "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373"
            ),
            Profile::Emvco
        );
        let bill = format!("{}6305{}", "0".repeat(246), "12345");
        assert_eq!(d(&bill), Profile::JpqrBill);
        assert_eq!(d(""), Profile::Emvco);
    }

    #[test]
    fn wrong_case_guid_is_still_jpqr() {
        let t = "26230019JP.OR.PAYMENTSJAPAN";
        assert_eq!(d(t), Profile::Jpqr);
        assert_eq!(
            e(t),
            Evidence::JpqrGuid {
                id: 26,
                exact: false
            }
        );
        assert_eq!(
            e("27230019jp.or.paymentsjapan"),
            Evidence::JpqrGuid {
                id: 27,
                exact: true
            }
        );
    }

    #[test]
    fn cambodian_evidence_without_a_valid_bakong_id() {
        // No '@' in the account ID, but KH + KHR.
        assert_eq!(e("29150011demosandbox53031165802KH"), Evidence::Cambodian);
        // The riel alone.
        assert_eq!(e("29150011demosandbox5303116"), Evidence::Cambodian);
        // KH with an account template, currency broken.
        assert_eq!(e("29150011demosandbox53033925802KH"), Evidence::Cambodian);
        // A Bakong ID wins over a foreign country.
        assert_eq!(
            e("29160012demo@sandbox53033925802JP"),
            Evidence::BakongAccount { id: 29 }
        );
        // A Visa-style 29 (AID, no '@') in China is not KHQR.
        assert_eq!(
            e("29300012D156000000000510A93FO3230Q5802CN5303156"),
            Evidence::None
        );
    }

    #[test]
    fn jpqr_wins_over_khqr_markers() {
        assert_eq!(
            d("26230019jp.or.paymentsjapan29160012demo@sandbox"),
            Profile::Jpqr
        );
    }
}
