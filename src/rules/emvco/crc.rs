//! The CRC object 63 (§4.6.1.2, §4.7.3).

use crate::emv::crc;
use crate::rules::finding::{At, TagPath};
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let text = ctx.text();
    let bytes = text.as_bytes();
    let tlv = ctx.payload.tlv();
    let path = TagPath::tag(63);

    // Where the CRC value is: the parsed 63 object, or (when the structure broke earlier) the
    // textual suffix `6304` + 4 characters, so a broken payload still gets its CRC judged.
    let (value_start, value) = match ctx.payload.root(63) {
        Some(o) => {
            let index = o.index();
            let last = index + 1 == tlv.root_count();
            if !last || text.len() > o.object().value_end as usize {
                let after = o.object().value_end as usize;
                let rest = text.get(after..).unwrap_or("");
                sink.emit(
                    &ID63_LAST,
                    At::new(after, path),
                    format!(
                        "{} byte(s) {} follow the CRC at byte {after}; 63 must end the payload",
                        rest.len(),
                        quote(rest)
                    ),
                );
            }
            let len = o.object().declared_len;
            if len != 4 {
                sink.emit(
                    &ID63_LENGTH,
                    At::new(o.offset() + 2, path),
                    format!(
                        "the CRC object declares length {len:02}; it must be '6304' + 4 hex digits"
                    ),
                );
                return;
            }
            (o.value_offset(), o.value())
        }
        None => {
            let n = bytes.len();
            let suffix = n >= 8 && bytes[n - 8..n - 4] == *b"6304" && text.is_char_boundary(n - 4);
            if suffix && !ctx.complete {
                (n - 4, &text[n - 4..])
            } else {
                if ctx.complete || !text.contains("6304") {
                    sink.emit(
                        &ID63_PRESENT,
                        At::new(text.len(), path),
                        "the CRC (63) is missing; a payload ends with '6304' and 4 hex digits",
                    );
                }
                return;
            }
        }
    };

    let Some(claimed) = crc::from_hex(value.as_bytes()) else {
        sink.emit(
            &ID63_HEX,
            At::new(value_start, path),
            format!("the CRC value {} is not 4 hex digits", quote(value)),
        );
        return;
    };
    if value.bytes().any(|b| b.is_ascii_lowercase()) {
        sink.emit(
            &ID63_UPPERCASE,
            At::new(value_start, path),
            format!(
                "the CRC {} is in lower case; write upper-case hex",
                quote(value)
            ),
        );
    }
    let body = &bytes[..value_start];
    let actual = crc::crc16(body);
    if actual != claimed {
        let hex = |v: u16| String::from_utf8_lossy(&crc::to_hex(v)).into_owned();
        sink.emit(
            &ID63_CRC_MISMATCH,
            At::new(value_start, path),
            format!(
                "the CRC is {}; CRC-16/CCITT-FALSE over the {} UTF-8 bytes through '6304' is {}{}",
                value,
                body.len(),
                hex(actual),
                explain(text, value_start, claimed)
            ),
        );
    }
}

/// Names the common wrong CRC computations the claimed value matches.
fn explain(text: &str, value_start: usize, claimed: u16) -> &'static str {
    let body = &text.as_bytes()[..value_start];
    if value_start >= 4 && crc::crc16(&body[..value_start - 4]) == claimed {
        return " (the claimed value is the CRC without the '6304' prefix)";
    }
    if let Some(t) = text.get(..value_start)
        && utf16_units(t) == claimed
    {
        return " (the claimed value is the CRC over UTF-16 code units, not UTF-8 bytes)";
    }
    if xmodem(body) == claimed {
        return " (the claimed value is CRC-16/XMODEM: initial value 0000 instead of FFFF)";
    }
    if x25(body) == claimed {
        return " (the claimed value is CRC-16/X-25, the reflected ISO/IEC 13239 variant)";
    }
    ""
}

/// CCITT-FALSE fed UTF-16 code units the way JavaScript `charCodeAt` loops do.
fn utf16_units(text: &str) -> u16 {
    let mut c: u32 = 0xFFFF;
    for u in text.encode_utf16() {
        c ^= u32::from(u) << 8;
        for _ in 0..8 {
            c = if c & 0x8000 != 0 {
                (c << 1) ^ 0x1021
            } else {
                c << 1
            };
        }
        c &= 0xFFFF;
    }
    c as u16
}

fn xmodem(bytes: &[u8]) -> u16 {
    crc::update(0, bytes)
}

fn x25(bytes: &[u8]) -> u16 {
    let mut c: u16 = 0xFFFF;
    for &b in bytes {
        c ^= u16::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0x8408
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNEX_B: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

    #[test]
    fn wrong_variants_match_the_digest_values() {
        let body = &ANNEX_B[..ANNEX_B.len() - 4];
        assert_eq!(x25(body.as_bytes()), 0x4314);
        assert_eq!(xmodem(body.as_bytes()), 0xE0D2);
        assert_eq!(utf16_units(body), 0xC919);
    }
}
