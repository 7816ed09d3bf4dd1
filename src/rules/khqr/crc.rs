//! The CRC the way the SDK's `verify()` reads it: a textual suffix `6304` + 4 hex digits, and the
//! CRC of everything before the last 4 characters (khqr.md section 6, steps 1-3).

use crate::emv::crc;
use crate::rules::emvco::quote;
use crate::rules::finding::{At, TagPath};
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let text = ctx.text();
    let b = text.as_bytes();
    let n = b.len();
    let path = TagPath::tag(63);
    let suffix =
        n >= 8 && b[n - 8..n - 4] == *b"6304" && b[n - 4..].iter().all(u8::is_ascii_hexdigit);
    if !suffix {
        sink.emit(
            &CRC_SUFFIX,
            At::new(n, path),
            format!(
                "the payload ends in {}; it must end in '6304' and 4 hex digits (no trailing bytes)",
                quote(tail(text, 8))
            ),
        );
    } else {
        // The last 4 bytes are ASCII hex digits, so n - 4 is a character boundary.
        let (body, digits) = b.split_at(n - 4);
        let claimed = crc::from_hex(digits);
        let actual = crc::crc16(body);
        if claimed != Some(actual) {
            sink.emit(
                &CRC_MISMATCH,
                At::new(n - 4, path),
                format!(
                    "the CRC is '{}'; CRC-16/CCITT-FALSE over the {} UTF-8 bytes before it is '{}'",
                    &text[n - 4..],
                    body.len(),
                    String::from_utf8_lossy(&crc::to_hex(actual))
                ),
            );
        }
        if digits.iter().any(u8::is_ascii_lowercase) {
            sink.emit(
                &CRC_LOWERCASE,
                At::new(n - 4, path),
                format!(
                    "the CRC '{}' is in lower case; write upper-case hex",
                    &text[n - 4..]
                ),
            );
            sink.emit(
                &COMPAT_LEGACY_READERS,
                At::new(n - 4, path),
                "SDK 1.0.7 rejects a lower-case CRC (code 8)",
            );
        }
    }

    let mut crcs = ctx.payload.roots().filter(|o| o.id() == 63);
    if let (Some(_), Some(second)) = (crcs.next(), crcs.next()) {
        sink.emit(
            &CRC_EXTRA_OBJECT,
            at(ctx, &second),
            format!(
                "a second CRC object starts at byte {}; a payload has exactly one 63, at its end",
                second.offset()
            ),
        );
    }
}

/// The last `n` characters of `text` (fewer if it is shorter).
fn tail(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}
