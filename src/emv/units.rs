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
            let (mut pos, taken, _) = skip_words(text.as_bytes(), start, limit, n, false);
            let rest = &text.as_bytes()[..limit];
            for _ in taken..n {
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
            let (mut pos, mut units, mut chars) =
                skip_words(text.as_bytes(), start, limit, n, true);
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

/// Takes whole 8-byte words of `bytes[start..limit]` while they hold fewer than the `n` units
/// wanted, counting characters by their lead bytes instead of walking them one by one (where
/// each step waits for the load before it). Returns the character boundary reached, the units
/// and the characters before it; the caller walks the rest. `utf16`: characters of four UTF-8
/// bytes count two units.
#[inline]
fn skip_words(
    bytes: &[u8],
    start: usize,
    limit: usize,
    n: usize,
    utf16: bool,
) -> (usize, usize, usize) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let (mut pos, mut units, mut chars) = (start, 0, 0);
    while let Some(w) = bytes.get(pos..pos + 8).filter(|_| pos + 8 <= limit) {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let w = u64::from_le_bytes(word);
        // Bit 7 of each byte, after shifting by k, holds bit 7-k of the same byte.
        let continuation = (w & !(w << 1) & HIGH).count_ones() as usize;
        let leads = 8 - continuation;
        let quads = if utf16 {
            (w & (w << 1) & (w << 2) & (w << 3) & HIGH).count_ones() as usize
        } else {
            0
        };
        if units + leads + quads >= n {
            break;
        }
        units += leads + quads;
        chars += leads;
        pos += 8;
    }
    // A word may end inside a character: step back to its lead, and uncount it.
    if pos > start && bytes.get(pos).is_some_and(|&b| b & 0xC0 == 0x80) {
        while pos > start && bytes.get(pos).is_some_and(|&b| b & 0xC0 == 0x80) {
            pos -= 1;
        }
        let lead = bytes.get(pos).copied().unwrap_or(0);
        units -= if utf16 && lead >= 0xF0 { 2 } else { 1 };
        chars -= 1;
    }
    (pos, units, chars)
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

    /// `advance` as a plain walk, one character at a time.
    fn reference(
        text: &str,
        start: usize,
        limit: usize,
        n: usize,
        unit: LengthUnit,
    ) -> Result<(usize, usize), AdvanceError> {
        let (mut pos, mut units, mut chars) = (start, 0, 0);
        while units < n {
            // A character that starts before the limit is taken, even if it ends past it.
            let Some(c) = text.get(pos..).and_then(|t| t.chars().next()) else {
                return Err(AdvanceError::PastEnd);
            };
            if pos >= limit {
                return Err(AdvanceError::PastEnd);
            }
            units += match unit {
                LengthUnit::Utf16 => c.len_utf16(),
                _ => 1,
            };
            pos += c.len_utf8();
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

    proptest::proptest! {
        #[test]
        fn word_skips_agree_with_the_walk(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just('a'),
                    proptest::prelude::Just('é'),
                    proptest::prelude::Just('ហ'),
                    proptest::prelude::Just('最'),
                    proptest::prelude::Just('🍵'),
                    proptest::prelude::any::<char>(),
                ],
                0..40,
            ),
            start_char in 0usize..40,
            limit_cut in 0usize..12,
            n in 0usize..60,
        ) {
            let text: String = chars.into_iter().collect();
            let start = text
                .char_indices()
                .map(|(i, _)| i)
                .nth(start_char)
                .unwrap_or(text.len());
            // Limits inside a character too: a template may end there.
            let limit = text.len().saturating_sub(limit_cut).max(start);
            for unit in [LengthUnit::Chars, LengthUnit::Utf16] {
                proptest::prop_assert_eq!(
                    advance(&text, start, limit, n, unit, false),
                    reference(&text, start, limit, n, unit),
                    "{:?} {} {} {} {:?}", text, start, limit, n, unit
                );
            }
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
