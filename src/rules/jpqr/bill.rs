//! The JPQR bill-payment / eL-QR form (jpqr.md section 6): all digits, no templates, the CRC as
//! `6305` + 5 decimal digits. qrcert recognises it and reports it as the profile `jpqr-bill`
//! with the selector JPQR.PROFILE.BILL; the BILL/ELQR rules are catalogued as planned, so such a
//! payload is never failed by MPM rules.

use crate::rules::finding::At;
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let text = ctx.text();
    let message = if is_bill_payment(text) {
        "recognised as a JPQR bill-payment / eL-QR code (all digits, CRC '6305' + 5 decimal digits): not an EMVCo MPM code, so the MPM rules do not apply; its own rules are planned"
    } else {
        "validated as jpqr-bill on request, but the payload does not have the bill-payment shape (all digits, ending in '6305' + 5 decimal digits); its rules are planned, so nothing else is judged"
    };
    sink.emit(&PROFILE_BILL, At::offset(0), message);
}

/// The JPQR bill-payment / eL-QR shape: all digits, ending in `6305` and five decimal digits.
pub fn is_bill_payment(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 9 && b[b.len() - 9..b.len() - 5] == *b"6305" && b.iter().all(u8::is_ascii_digit)
}
