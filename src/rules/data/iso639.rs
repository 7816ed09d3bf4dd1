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

/// One bit per two-letter code (`a`-`z` x `a`-`z`, 676 bits), built from [`CODES`] at compile
/// time: this runs on every payload with a language template, often twice (EMVCo and the
/// national profile), so it is a shift and a mask rather than a search.
static BITS: [u64; 11] = {
    let mut bits = [0u64; 11];
    let mut i = 0;
    while i < CODES.len() {
        let c = CODES[i].as_bytes();
        let n = (c[0] - b'a') as usize * 26 + (c[1] - b'a') as usize;
        bits[n / 64] |= 1 << (n % 64);
        i += 1;
    }
    bits
};

/// Whether `code` is an ISO 639-1 code, compared case-insensitively (EMVCo's own example writes
/// `ZH`, JPQR requires `JA`, ISO lists lower case).
pub fn is_code(code: &str) -> bool {
    let &[a, b] = code.as_bytes() else {
        return false;
    };
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    if !a.is_ascii_lowercase() || !b.is_ascii_lowercase() {
        return false;
    }
    let n = usize::from(a - b'a') * 26 + usize::from(b - b'a');
    BITS[n / 64] >> (n % 64) & 1 == 1
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
        for c in ["jp", "xx", "kh", "j", "jpn", "", "k1", "é", "ja "] {
            assert!(!is_code(c), "{c}");
        }
        // The bitset agrees with the list for every two-letter pair.
        for a in b'a'..=b'z' {
            for b in b'a'..=b'z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(is_code(&code), CODES.contains(&code.as_str()), "{code}");
            }
        }
    }
}
