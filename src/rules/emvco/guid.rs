//! The GUID heuristic of §4.7.11.2: an AID, a UUID without hyphens, or a reverse domain name.

/// The recognised forms of a globally unique identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidForm {
    /// An Application Identifier: RID (5 bytes) + optional PIX, 10-32 hex digits, even count.
    /// A 32-hex UUID without hyphens is also of this shape.
    Aid,
    /// A reverse domain name such as `com.example.pay`.
    ReverseDomain,
}

const HEX: u8 = 1;
const ALPHA: u8 = 2;
const DIGIT: u8 = 4;
const HYPHEN: u8 = 8;
const DOT: u8 = 16;
/// Allowed somewhere in a reverse domain name: a letter, a digit, `-` or `.`.
const DOMAIN: u8 = 32;

/// Character classes per byte: one table lookup per character on the validator's hot path,
/// where every merchant-account template's GUID is classified.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut k = 0;
        if c.is_ascii_hexdigit() {
            k |= HEX;
        }
        if c.is_ascii_alphabetic() {
            k |= ALPHA;
        }
        if c.is_ascii_digit() {
            k |= DIGIT;
        }
        if c == b'-' {
            k |= HYPHEN;
        }
        if c == b'.' {
            k |= DOT;
        }
        if k & (ALPHA | DIGIT | HYPHEN | DOT) != 0 {
            k |= DOMAIN;
        }
        t[b] = k;
        b += 1;
    }
    t
};

/// The classes every byte of `bytes` has, in one branch-free pass.
fn classes(bytes: &[u8]) -> u8 {
    bytes
        .iter()
        .fold(u8::MAX, |all, &c| all & CLASS[c as usize])
}

/// Which form `guid` takes, if any.
pub fn form(guid: &str) -> Option<GuidForm> {
    let b = guid.as_bytes();
    let n = b.len();
    let all = classes(b);
    if all & HEX != 0 && (10..=32).contains(&n) && n.is_multiple_of(2) {
        return Some(GuidForm::Aid);
    }
    // Reverse domain: a top-level label of 2-63 letters, then one or more labels of letters,
    // digits and inner hyphens (not first, not last), separated by single dots. One pass
    // classifies every byte; the label structure is then checked per label, not per byte.
    if all & DOMAIN == 0 {
        return None;
    }
    let mut labels = b.split(|&c| c == b'.');
    let top = labels.next()?;
    if !(2..=63).contains(&top.len()) || classes(top) & ALPHA == 0 {
        return None;
    }
    let mut count = 1;
    for label in labels {
        let ok = label.first().is_some_and(|&c| c != b'-')
            && label.last().is_some_and(|&c| c != b'-')
            && label.len() <= 63;
        if !ok {
            return None;
        }
        count += 1;
    }
    (count >= 2).then_some(GuidForm::ReverseDomain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The earlier per-byte state machine, kept as the reference the faster per-label form must
    /// agree with.
    fn per_byte_form(guid: &str) -> Option<GuidForm> {
        let b = guid.as_bytes();
        let n = b.len();
        let all = b.iter().fold(HEX, |acc, &c| acc & CLASS[c as usize]);
        if all & HEX != 0 && (10..=32).contains(&n) && n.is_multiple_of(2) {
            return Some(GuidForm::Aid);
        }
        // Reverse domain, in one pass: a top-level label of 2-63 letters, then one or more labels of
        // letters, digits and inner hyphens, separated by single dots.
        let mut labels = 0u32;
        let mut len = 0usize;
        let mut prev = b'.';
        for &c in b {
            if c == b'.' {
                if len == 0 || prev == b'-' || (labels == 0 && len < 2) {
                    return None;
                }
                labels += 1;
                len = 0;
            } else {
                let k = CLASS[c as usize];
                let ok = if labels == 0 {
                    k & ALPHA != 0
                } else {
                    k & (ALPHA | DIGIT) != 0 || (k & HYPHEN != 0 && len > 0)
                };
                len += 1;
                if !ok || len > 63 {
                    return None;
                }
            }
            prev = c;
        }
        if len == 0 || prev == b'-' || (labels == 0 && len < 2) {
            return None;
        }
        labels += 1;
        (labels >= 2).then_some(GuidForm::ReverseDomain)
    }

    proptest! {
        #[test]
        fn agrees_with_the_per_byte_form(g in "[a-fA-F0-9xz.@_-]{0,40}") {
            prop_assert_eq!(form(&g), per_byte_form(&g));
        }

        #[test]
        fn agrees_on_domain_shapes(g in "([a-z]{1,4}[.-]?){0,8}") {
            prop_assert_eq!(form(&g), per_byte_form(&g));
        }

        #[test]
        fn agrees_on_long_labels(g in "([a-z]{1,70}[.-]?){0,3}") {
            prop_assert_eq!(form(&g), per_byte_form(&g));
        }
    }

    #[test]
    fn forms() {
        assert_eq!(form("D15600000000"), Some(GuidForm::Aid));
        assert_eq!(form("A011223344998877"), Some(GuidForm::Aid));
        assert_eq!(
            form("0123456789abcdef0123456789ABCDEF"),
            Some(GuidForm::Aid)
        );
        assert_eq!(form("com.example.pay"), Some(GuidForm::ReverseDomain));
        assert_eq!(form("BR.GOV.BCB.PIX"), Some(GuidForm::ReverseDomain));
        assert_eq!(form("jp.or.paymentsjapan"), Some(GuidForm::ReverseDomain));
        assert_eq!(form("demo@sandbox"), None);
        assert_eq!(form("D156000000"), Some(GuidForm::Aid));
        assert_eq!(form("D15600000"), None);
        assert_eq!(form("example"), None);
        assert_eq!(form("com..x"), None);
        assert_eq!(form("1780000000000"), None);
        assert_eq!(form("com.-x"), None);
        assert_eq!(form("com.x-"), None);
        assert_eq!(form("com.a-b.c9"), Some(GuidForm::ReverseDomain));
        assert_eq!(form("c.example"), None);
        assert_eq!(form("c0m.example"), None);
        assert_eq!(form("com."), None);
        assert_eq!(form(".com"), None);
        assert_eq!(form("com.ex_ample"), None);
        assert_eq!(
            form(&format!("com.{}", "a".repeat(63))),
            Some(GuidForm::ReverseDomain)
        );
        assert_eq!(form(&format!("com.{}", "a".repeat(64))), None);
    }
}
