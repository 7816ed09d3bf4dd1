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

/// Which form `guid` takes, if any.
pub fn form(guid: &str) -> Option<GuidForm> {
    let n = guid.len();
    if (10..=32).contains(&n) && n.is_multiple_of(2) && guid.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Some(GuidForm::Aid);
    }
    let mut labels = guid.split('.');
    let first = labels.next()?;
    // A top-level domain: letters only, 2-63 of them.
    if !(2..=63).contains(&first.len()) || !first.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut count = 1;
    for label in labels {
        count += 1;
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return None;
        }
    }
    (count >= 2).then_some(GuidForm::ReverseDomain)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
