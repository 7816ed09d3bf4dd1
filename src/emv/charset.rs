//! The character sets of EMV MPM data objects (§4.5, EMV Book 4 Annex B Table 36).
//!
//! - **N**: `0`-`9`.
//! - **ans**: the EMV Common Character Set, U+0020..U+007E (Table 36 shows 95 characters, 0x7F is
//!   blank, although the MPM text says "96").
//! - **S**: any precomposed Unicode, UTF-8 encoded.

use unicode_normalization::{IsNormalized, is_nfc_quick};

/// The format of a data object's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Numeric digits.
    N,
    /// The EMV Common Character Set.
    Ans,
    /// Any precomposed Unicode.
    S,
}

/// Whether `s` is all ASCII digits (the empty string is).
#[inline]
pub fn is_n(s: &str) -> bool {
    // Branch-free so short values do not pay a mispredicted exit per byte.
    s.bytes().fold(true, |ok, b| ok & b.is_ascii_digit())
}

/// Whether `c` is in the EMV Common Character Set.
#[inline]
pub fn is_ans_char(c: char) -> bool {
    ('\u{20}'..='\u{7E}').contains(&c)
}

/// Byte offset (within `s`) and character of the first character outside ans.
#[inline]
pub fn first_non_ans(s: &str) -> Option<(usize, char)> {
    if s.bytes().all(|b| (0x20..=0x7E).contains(&b)) {
        return None;
    }
    s.char_indices().find(|&(_, c)| !is_ans_char(c))
}

/// The high bit of each byte of the result is set when that byte of `x` is outside 0x20-0x7E:
/// above 0x7F, or (its low seven bits) below 0x20 or equal to 0x7F. The additions cannot carry
/// between bytes: each adds at most 0x60 to at most 0x7F.
#[inline(always)]
fn unprintable(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let low = x & LOW7;
    (x | !(low + 0x6060_6060_6060_6060) | (low + 0x0101_0101_0101_0101)) & HIGH
}

#[inline(always)]
fn word(c: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(c);
    u64::from_le_bytes(w)
}

/// The offset of the first byte of `bytes[from..limit]` outside U+0020-U+007E, or `limit` when
/// every byte is printable ASCII (`from` when the range is out of bounds, so a caller that
/// trusts the bytes before the answer trusts none).
///
/// The parser's cursor: a value that ends at or before this offset is printable ASCII and is
/// its next `len` bytes in every length unit, so one scan per level replaces a check per value.
/// Sixteen bytes per step in a branch-free fold over an array, which the compiler vectorises,
/// then machine words to find the byte.
#[inline]
pub fn first_unprintable(bytes: &[u8], from: usize, limit: usize) -> usize {
    let Some(v) = bytes.get(from..limit) else {
        return from;
    };
    let mut at = 0;
    for c in v.as_chunks::<16>().0 {
        if c.iter()
            .fold(0u8, |bad, &b| bad | u8::from(b.wrapping_sub(0x20) > 0x5E))
            != 0
        {
            break;
        }
        at += 16;
    }
    while let Some(w) = v.get(at..at + 8) {
        let bad = unprintable(word(w));
        if bad != 0 {
            return from + at + (bad.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = v.len() - at;
    if rest > 0 && v.len() >= 8 {
        // The last word overlaps bytes already checked: drop their flags.
        let bad = unprintable(word(&v[v.len() - 8..])) >> (8 * (8 - rest));
        if bad != 0 {
            return from + at + (bad.trailing_zeros() / 8) as usize;
        }
        return limit;
    }
    v[at..]
        .iter()
        .position(|b| b.wrapping_sub(0x20) > 0x5E)
        .map_or(limit, |i| from + at + i)
}

/// Byte offset and character of the first non-digit.
#[inline]
pub fn first_non_n(s: &str) -> Option<(usize, char)> {
    if is_n(s) {
        return None;
    }
    s.char_indices().find(|&(_, c)| !c.is_ascii_digit())
}

/// Whether `c` is a control character (U+0000..U+001F or U+007F).
#[inline]
pub fn is_control(c: char) -> bool {
    c < '\u{20}' || c == '\u{7F}'
}

/// Byte offset and character of the first control character.
#[inline]
pub fn first_control(s: &str) -> Option<(usize, char)> {
    if !s.bytes().any(|b| b < 0x20 || b == 0x7F) {
        return None;
    }
    s.char_indices().find(|&(_, c)| is_control(c))
}

/// Byte offset and character of the first character above U+FFFF.
#[inline]
pub fn first_non_bmp(s: &str) -> Option<(usize, char)> {
    // Only a 4-byte UTF-8 sequence (lead byte 0xF0..=0xF4) encodes a non-BMP character.
    if !s.bytes().any(|b| b >= 0xF0) {
        return None;
    }
    s.char_indices().find(|&(_, c)| c as u32 > 0xFFFF)
}

/// Ranges of characters that are NFC-stable starters: `NFC_Quick_Check=Yes` and canonical
/// combining class 0. A text made only of them is in NFC whatever their order, so checking it
/// needs no normalisation tables. The ranges cover the scripts of the national profiles (Khmer,
/// kana, CJK) and Latin; `tests::safe_ranges_are_stable_starters` checks every character in them
/// against the normalisation crate.
const NFC_SAFE: &[(char, char)] = &[
    ('\u{0000}', '\u{02FF}'), // ASCII, Latin-1, Latin Extended A/B, IPA, spacing modifiers
    ('\u{1780}', '\u{17D1}'), // Khmer, up to the coeng U+17D2 (ccc 9)
    ('\u{17D3}', '\u{17DC}'), // Khmer signs, up to U+17DD (ccc 230)
    ('\u{17DE}', '\u{17FF}'), // Khmer digits and the rest of the block
    ('\u{1E00}', '\u{1EFF}'), // Latin Extended Additional (precomposed Vietnamese)
    ('\u{3000}', '\u{3029}'), // CJK symbols, up to the tone marks U+302A-U+302F
    ('\u{3030}', '\u{3098}'), // Hiragana, up to the voicing marks U+3099-U+309A
    ('\u{309B}', '\u{30FF}'), // Katakana
    ('\u{3400}', '\u{4DBF}'), // CJK Extension A
    ('\u{4E00}', '\u{9FFF}'), // CJK Unified Ideographs
    ('\u{AC00}', '\u{D7A3}'), // Hangul syllables
    ('\u{FF00}', '\u{FFEF}'), // Halfwidth and fullwidth forms
];

/// Whether `c` is in [`NFC_SAFE`]: a binary search of the sorted ranges, since the CJK and
/// Hangul ranges that Chinese and Korean texts need sit at the end of the table.
#[inline]
fn nfc_safe(c: char) -> bool {
    if c <= '\u{02FF}' {
        return true;
    }
    let i = NFC_SAFE.partition_point(|&(_, hi)| hi < c);
    NFC_SAFE.get(i).is_some_and(|&(lo, _)| lo <= c)
}

/// Whether `s` is in Unicode Normalization Form C (precomposed).
#[inline]
pub fn is_nfc(s: &str) -> bool {
    if s.is_ascii() || s.chars().all(nfc_safe) {
        return true;
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => true,
        IsNormalized::No => false,
        IsNormalized::Maybe => unicode_normalization::is_nfc(s),
    }
}

/// A printable rendering of a character for messages: `'A'`, or `U+000A` for invisible ones.
pub fn show(c: char) -> String {
    if c.is_control() || c.is_whitespace() && c != ' ' {
        format!("U+{:04X}", c as u32)
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii() {
        let printable = |v: &[u8]| first_unprintable(v, 0, v.len()) == v.len();
        assert!(printable(b" ~AZaz09"));
        assert!(printable(b""));
        for bad in [&b"\x1F"[..], b"\x7F", b"a\x80", b"\xFF", b"\n"] {
            assert!(!printable(bad), "{bad:?}");
        }
    }

    /// The cursor's answer, the slow way.
    fn first_bad(v: &[u8], from: usize, limit: usize) -> usize {
        match v.get(from..limit) {
            None => from,
            Some(r) => r
                .iter()
                .position(|b| !(0x20..=0x7E).contains(b))
                .map_or(limit, |i| from + i),
        }
    }

    proptest::proptest! {
        #[test]
        fn the_cursor_finds_the_first_unprintable_byte(
            v in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => 0x20u8..0x7F,
                    1 => 0x1Eu8..0x22,
                    1 => 0x7Du8..0x81,
                    1 => proptest::prelude::any::<u8>(),
                ],
                0..120,
            ),
            a in 0usize..125,
            b in 0usize..125,
        ) {
            let (from, limit) = (a.min(b), a.max(b));
            proptest::prop_assert_eq!(
                first_unprintable(&v, from, limit),
                first_bad(&v, from, limit)
            );
        }
    }

    #[test]
    fn the_cursor_finds_every_bad_byte_at_every_place() {
        // Every length up to past two vector steps, every position of the bad byte, every
        // start inside the slice: the chunk, word, overlapping-word and byte paths.
        for len in 0..40 {
            let mut v = vec![b'a'; len];
            for from in 0..=len {
                assert_eq!(first_unprintable(&v, from, len), len, "{len} {from}");
            }
            for i in 0..len {
                for bad in [0x00, 0x1F, 0x7F, 0x80, 0xFF] {
                    v[i] = bad;
                    for from in 0..=len {
                        let want = if from <= i { i } else { len };
                        assert_eq!(
                            first_unprintable(&v, from, len),
                            want,
                            "{len} {i} {bad:#x} {from}"
                        );
                    }
                }
                for good in [0x20, 0x7E] {
                    v[i] = good;
                    assert_eq!(first_unprintable(&v, 0, len), len, "{len} {i} {good:#x}");
                }
                v[i] = b'a';
            }
        }
        // A range out of bounds trusts nothing.
        assert_eq!(first_unprintable(b"abc", 2, 9), 2);
        assert_eq!(first_unprintable(b"abc", 3, 1), 3);
    }

    #[test]
    fn ans_edges() {
        assert!(first_non_ans(" ~azAZ09").is_none());
        assert_eq!(first_non_ans("ab\u{1F}"), Some((2, '\u{1F}')));
        assert_eq!(first_non_ans("ab\u{7F}"), Some((2, '\u{7F}')));
        assert_eq!(first_non_ans("Café"), Some((3, 'é')));
    }

    #[test]
    fn n_and_controls_and_bmp() {
        assert!(is_n("0123"));
        assert!(!is_n("12a"));
        assert_eq!(first_non_n("12a"), Some((2, 'a')));
        assert_eq!(first_control("ok\r\n"), Some((2, '\r')));
        assert_eq!(first_non_bmp("CAFE🍜"), Some((4, '🍜')));
        assert_eq!(first_non_bmp("ហាង"), None);
    }

    #[test]
    fn safe_range_search_matches_the_table() {
        assert!(
            NFC_SAFE.windows(2).all(|w| w[0].1 < w[1].0),
            "sorted, disjoint"
        );
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let listed = NFC_SAFE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c));
            assert_eq!(nfc_safe(c), listed, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn safe_ranges_are_stable_starters() {
        use unicode_normalization::char::canonical_combining_class;
        for &(lo, hi) in NFC_SAFE {
            for c in lo..=hi {
                assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", c as u32);
                assert_eq!(
                    is_nfc_quick(std::iter::once(c)),
                    IsNormalized::Yes,
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn nfc() {
        assert!(is_nfc("É"));
        assert!(!is_nfc("E\u{301}"));
        assert!(is_nfc("ហាងគុយទាវ"));
        assert!(!is_nfc("カ\u{3099}"));
    }
}
