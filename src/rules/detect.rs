//! `--profile auto`: which profile a payload claims to be.
//!
//! - tag 26-51 with GUID `jp.or.paymentsjapan` (any case, so a wrong-case GUID is still judged
//!   as JPQR and fails JPQR's GUID rule) -> `jpqr`;
//! - tag 29/30 with a Bakong account ID (`name@bank`) in 00, or country `KH` with currency
//!   116/840 -> `khqr`;
//! - the numeric bill-payment form, whose CRC object is `6305` + 5 decimal digits -> `jpqr-bill`;
//! - anything else -> `emvco`.

use crate::Profile;
use crate::emv::{Payload, Tlv};

/// The JPQR merchant-account GUID.
pub const JPQR_GUID: &str = "jp.or.paymentsjapan";

/// Detects the profile of a payload from an EMV parse of it.
pub fn detect(text: &str, tlv: &Tlv) -> Profile {
    if is_bill_payment(text) {
        return Profile::JpqrBill;
    }
    let p = Payload::new(text, tlv);
    let jpqr = (26..=51).any(|id| {
        p.root(id)
            .and_then(|t| t.child_value(0))
            .is_some_and(|g| g.eq_ignore_ascii_case(JPQR_GUID))
    });
    if jpqr {
        return Profile::Jpqr;
    }
    let bakong = [29, 30].into_iter().any(|id| {
        p.root(id)
            .and_then(|t| t.child_value(0))
            .is_some_and(|acct| acct.contains('@'))
    });
    let kh = p.value(58) == Some("KH") && matches!(p.value(53), Some("116" | "840"));
    if bakong || kh {
        return Profile::Khqr;
    }
    Profile::Emvco
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
    }
}
