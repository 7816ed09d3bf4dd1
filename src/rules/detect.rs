//! `--profile auto`: which profile a payload claims to be (design.md, "Rules").
//!
//! Every profile's spec may carry a detector ([`ProfileSpec::detect`](super::ProfileSpec)); the
//! strongest claim wins (a whole-payload shape, then an account identifier, then circumstantial
//! evidence such as a country and currency), ties going to the registry's order; a payload no
//! profile claims is plain EMVCo. Today's detectors, each in its profile's folder:
//!
//! | profile | claim | strength |
//! | --- | --- | --- |
//! | jpqr-bill | all digits, ending in `6305` + 5 decimal digits | shape |
//! | jpqr | a template (26-51) whose 00 is `jp.or.paymentsjapan` in any case | identifier |
//! | khqr | 29 or 30 whose 00 holds an account ID with an `@` | identifier |
//! | khqr | `KH` with 116/840, 116 alone, or `KH` with a 29/30 template | heuristic |
//!
//! Detection is deliberately looser than each profile's identification rules, so that a payload
//! which looks like a profile but breaks its identification is judged under that profile and
//! gets a finding naming the defect instead of passing as plain EMVCo:
//!
//! | looks like | detected | the rule that fires |
//! | --- | --- | --- |
//! | JPQR, GUID in the wrong case (`JP.OR.PAYMENTSJAPAN`) | jpqr | `JPQR.26.00.GUID` |
//! | JPQR, template in 27 instead of 26 | jpqr | `JPQR.26.ID_IN_TAG_26` |
//! | KHQR, account ID without `@` (`demosandbox`) | khqr | `KHQR.MAI.ACCOUNT_ID_FORMAT` |
//! | KHQR, account ID `a@b@c` or `name@` | khqr | `KHQR.MAI.ACCOUNT_ID_FORMAT` |
//! | KHQR, KH + 116 but no 29/30 (account under 26) | khqr | `KHQR.MAI.REQUIRED` |
//! | KHQR, Bakong ID but country or currency foreign | khqr | `KHQR.58.VALUE` / `KHQR.53.VALUE` |
//! | KHQR, riel but country not KH | khqr | `KHQR.58.VALUE` |
//! | JPQR bill payment | jpqr-bill | `JPQR.PROFILE.BILL` (INFO: recognised, not judged) |
//!
//! Under `--profile auto` the JPQR layer also reports its selector, `JPQR.PROFILE.MPM` (INFO),
//! naming the template that selected it.

use crate::Profile;
use crate::emv::{Payload, Tlv};

pub use super::jpqr::bill::is_bill_payment;

/// The JPQR merchant-account GUID.
pub const JPQR_GUID: &str = super::jpqr::GUID;

/// Detects the profile of a payload from an EMV parse of it.
pub fn detect(text: &str, tlv: &Tlv) -> Profile {
    super::profile::detect(text, &Payload::new(text, tlv))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emv::ParseOptions;

    fn d(text: &str) -> Profile {
        detect(text, &Tlv::parse(text, &ParseOptions::default()))
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
        assert_eq!(d("26230019JP.OR.PAYMENTSJAPAN"), Profile::Jpqr);
        assert_eq!(d("27230019jp.or.paymentsjapan"), Profile::Jpqr);
    }

    #[test]
    fn cambodian_evidence_without_a_valid_bakong_id() {
        // No '@' in the account ID, but KH + KHR.
        assert_eq!(d("29150011demosandbox53031165802KH"), Profile::Khqr);
        // The riel alone.
        assert_eq!(d("29150011demosandbox5303116"), Profile::Khqr);
        // KH with an account template, currency broken.
        assert_eq!(d("29150011demosandbox53033925802KH"), Profile::Khqr);
        // A Bakong ID wins over a foreign country.
        assert_eq!(d("29160012demo@sandbox53033925802JP"), Profile::Khqr);
        // A Visa-style 29 (AID, no '@') in China is not KHQR.
        assert_eq!(
            d("29300012D156000000000510A93FO3230Q5802CN5303156"),
            Profile::Emvco
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
