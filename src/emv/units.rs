//! How a TLV length is counted.
//!
//! EMVCo counts characters (§4.4.1.1); qrcert reads that as Unicode scalar values. KHQR's official
//! SDK counts UTF-16 code units (JavaScript string length). Byte-counting writers exist in the
//! wild; parsing with [`LengthUnit::Bytes`] is how qrcert diagnoses them. The three agree on ASCII.

use serde::{Deserialize, Serialize};

/// The unit in which a data object's two-digit length counts its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LengthUnit {
    /// Unicode scalar values (`str::chars().count()`): EMVCo and JPQR.
    Chars,
    /// UTF-16 code units (`encode_utf16().count()`): KHQR.
    Utf16,
    /// UTF-8 bytes: not conforming anywhere; used to diagnose byte-counting writers.
    Bytes,
}

impl LengthUnit {
    /// The size of `s` in this unit.
    pub fn measure(self, s: &str) -> usize {
        match self {
            LengthUnit::Bytes => s.len(),
            _ if s.is_ascii() => s.len(),
            LengthUnit::Chars => s.chars().count(),
            LengthUnit::Utf16 => s.chars().map(char::len_utf16).sum(),
        }
    }

    /// Name for messages.
    pub const fn describe(self) -> &'static str {
        match self {
            LengthUnit::Chars => "characters",
            LengthUnit::Utf16 => "UTF-16 code units",
            LengthUnit::Bytes => "bytes",
        }
    }
}

/// Why `n` units could not be taken from a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdvanceError {
    /// The text ends (or its enclosing template ends) before `n` units.
    PastEnd,
    /// The count ends inside a character: the middle of a UTF-8 sequence (bytes) or between the two
    /// halves of a surrogate pair (UTF-16).
    SplitsCharacter,
}

/// Where taking `n` units from `text[start..limit]` ends: the byte offset after them, and how
/// many scalar values were taken.
///
/// `ascii` is a hint that `text` is pure ASCII, where every unit is one byte; it must be exact.
#[inline]
pub fn advance(
    text: &str,
    start: usize,
    limit: usize,
    n: usize,
    unit: LengthUnit,
    ascii: bool,
) -> Result<(usize, usize), AdvanceError> {
    if ascii {
        let end = start + n;
        return if end <= limit {
            Ok((end, n))
        } else {
            Err(AdvanceError::PastEnd)
        };
    }
    match unit {
        LengthUnit::Bytes => {
            let end = start + n;
            if end > limit {
                Err(AdvanceError::PastEnd)
            } else if !text.is_char_boundary(end) {
                Err(AdvanceError::SplitsCharacter)
            } else {
                Ok((end, text[start..end].chars().count()))
            }
        }
        LengthUnit::Chars => {
            let mut pos = start;
            let rest = &text.as_bytes()[..limit];
            for _ in 0..n {
                let Some(&b) = rest.get(pos) else {
                    return Err(AdvanceError::PastEnd);
                };
                pos += utf8_width(b);
            }
            if pos > limit {
                // The last character straddles the template's end.
                Err(AdvanceError::PastEnd)
            } else {
                Ok((pos, n))
            }
        }
        LengthUnit::Utf16 => {
            let mut pos = start;
            let mut units = 0;
            let mut chars = 0;
            let rest = &text.as_bytes()[..limit];
            while units < n {
                let Some(&b) = rest.get(pos) else {
                    return Err(AdvanceError::PastEnd);
                };
                let w = utf8_width(b);
                units += if w == 4 { 2 } else { 1 };
                pos += w;
                chars += 1;
            }
            if pos > limit {
                Err(AdvanceError::PastEnd)
            } else if units > n {
                Err(AdvanceError::SplitsCharacter)
            } else {
                Ok((pos, chars))
            }
        }
    }
}

/// Width in bytes of the UTF-8 sequence that starts with `lead` (a valid `str` guarantees
/// continuation bytes are never at a character start).
#[inline]
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_table_of_counts() {
        for (text, utf16, chars, bytes) in [
            ("Battambang", 10, 10, 10),
            ("ហាងគុយទាវ", 9, 9, 27),
            ("Tea 🍵", 6, 5, 8),
            ("👍🏽", 4, 2, 8),
            ("CAFE🍜", 6, 5, 8),
            ("𠮷田商店", 5, 4, 13),
        ] {
            assert_eq!(LengthUnit::Utf16.measure(text), utf16, "{text}");
            assert_eq!(LengthUnit::Chars.measure(text), chars, "{text}");
            assert_eq!(LengthUnit::Bytes.measure(text), bytes, "{text}");
        }
    }

    #[test]
    fn advance_in_each_unit() {
        let t = "Tea 🍵X";
        assert_eq!(
            advance(t, 0, t.len(), 5, LengthUnit::Chars, false),
            Ok((8, 5))
        );
        assert_eq!(
            advance(t, 0, t.len(), 6, LengthUnit::Utf16, false),
            Ok((8, 5))
        );
        assert_eq!(
            advance(t, 0, t.len(), 5, LengthUnit::Utf16, false),
            Err(AdvanceError::SplitsCharacter)
        );
        assert_eq!(
            advance(t, 0, t.len(), 6, LengthUnit::Bytes, false),
            Err(AdvanceError::SplitsCharacter)
        );
        assert_eq!(
            advance(t, 0, t.len(), 8, LengthUnit::Bytes, false),
            Ok((8, 5))
        );
        assert_eq!(
            advance(t, 0, t.len(), 7, LengthUnit::Chars, false),
            Err(AdvanceError::PastEnd)
        );
        // A limit inside a multi-byte character counts as running past the end.
        assert_eq!(
            advance(t, 0, 6, 5, LengthUnit::Chars, false),
            Err(AdvanceError::PastEnd)
        );
        assert_eq!(
            advance("abcdef", 1, 6, 3, LengthUnit::Utf16, true),
            Ok((4, 3))
        );
        assert_eq!(
            advance("abc", 1, 3, 3, LengthUnit::Chars, true),
            Err(AdvanceError::PastEnd)
        );
    }
}
