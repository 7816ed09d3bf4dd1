//! ISO 639-1 two-letter language codes (the 183 codes in force; `iw`, `in`, `ji` and other
//! withdrawn codes are not included).

/// As of which list this table was taken.
pub const LIST_DATE: &str = "2024-01";

/// Lower-case ISO 639-1 codes, sorted.
pub static CODES: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Whether `code` is an ISO 639-1 code, compared case-insensitively (EMVCo's own example writes
/// `ZH`, JPQR requires `JA`, ISO lists lower case).
pub fn is_code(code: &str) -> bool {
    if code.len() != 2 || !code.is_ascii() {
        return false;
    }
    // Lower-cased on the stack: this runs on every payload with a language template, and the
    // validation hot path does not allocate.
    let b = code.as_bytes();
    let lower = [b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase()];
    CODES
        .binary_search_by(|c| c.as_bytes().cmp(&lower[..]))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(CODES.len(), 183);
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        for c in ["ja", "JA", "km", "ZH", "en"] {
            assert!(is_code(c), "{c}");
        }
        for c in ["jp", "xx", "kh", "j", "jpn"] {
            assert!(!is_code(c), "{c}");
        }
    }
}
