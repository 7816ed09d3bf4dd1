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

/// Whether `s` is in Unicode Normalization Form C (precomposed).
#[inline]
pub fn is_nfc(s: &str) -> bool {
    if s.is_ascii() {
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
    fn nfc() {
        assert!(is_nfc("É"));
        assert!(!is_nfc("E\u{301}"));
        assert!(is_nfc("ហាងគុយទាវ"));
        assert!(!is_nfc("カ\u{3099}"));
    }
}
