//! The whole catalogue: every layer's rules, looked up by ID.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::Rule;

/// Every rule of every layer, in catalogue order (the registry's: EMVCo first).
pub fn all() -> impl Iterator<Item = &'static Rule> {
    super::profile::specs().flat_map(|s| s.rules.iter().copied())
}

/// The rule with this exact ID.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Rule>> = OnceLock::new();
    INDEX
        .get_or_init(|| all().map(|r| (r.id, r)).collect())
        .get(id)
        .copied()
}

/// The version of the rule catalogue. Vectors and reports name the rules version they speak;
/// bump it whenever a rule is added, retired or changes severity.
pub const RULES_VERSION: &str = "2026.12.0";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Confidence, Status};
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id), "duplicate rule ID {}", r.id);
            let parts: Vec<&str> = r.id.split('.').collect();
            assert!(parts.len() >= 3, "{}: <PROFILE>.<area>.<NAME>", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '_'),
                "{}",
                r.id
            );
            let name = parts[parts.len() - 1];
            // A NAME is a word, never a bare tag number ('THQR.MAI.29_AND_30' is the digest's).
            assert!(
                name.starts_with(|c: char| c.is_ascii_uppercase())
                    || name.contains(|c: char| c.is_ascii_uppercase()),
                "{}: NAME is a word",
                r.id
            );
            assert_eq!(lookup(r.id).map(|x| x.id), Some(r.id));
        }
        assert!(lookup("EMV.63.CRC").is_none());
    }

    #[test]
    fn inferred_and_unconfirmed_rules_say_so_in_their_summary() {
        for r in all() {
            let s = r.summary.to_ascii_lowercase();
            match r.confidence {
                Confidence::Inferred => assert!(s.contains("inferred"), "{}", r.id),
                Confidence::Unconfirmed => assert!(s.contains("unconfirmed"), "{}", r.id),
                _ => {}
            }
        }
    }

    #[test]
    fn the_national_layers_have_the_digest_counts() {
        use crate::Profile;
        let count = |prefix: &str| all().filter(|r| r.id.starts_with(prefix)).count();
        assert_eq!(count("KHQR."), 76);
        assert_eq!(count("JPQR."), 39);
        assert_eq!(count("INTEROP."), 13);
        let planned: Vec<_> = all()
            .filter(|r| r.id.starts_with("JPQR.") && r.status == Status::Planned)
            .collect();
        assert_eq!(planned.len(), 13);
        assert!(planned.iter().all(|r| r.layer() == Profile::JpqrBill));
        assert_eq!(
            lookup("JPQR.PROFILE.BILL").map(|r| r.layer()),
            Some(Profile::Jpqr)
        );
        // Every KHQR rule records the SDK's behaviour; codes are valid SDK codes (1-51).
        for r in all().filter(|r| r.id.starts_with("KHQR.")) {
            assert!(r.ref_behaviour.is_some(), "{}", r.id);
            assert!(r.ref_code.is_none_or(|c| (1..=51).contains(&c)), "{}", r.id);
        }
        assert!(
            all()
                .filter(|r| !r.id.starts_with("KHQR."))
                .all(|r| r.ref_code.is_none())
        );
    }

    #[test]
    fn the_emvco_layer_has_the_digest_counts() {
        // The digest's 133 plus EMV.QR.EC_LEVEL and EMV.QR.QUIET_ZONE_NONE, added by qrcert for
        // render certification.
        let emv: Vec<_> = all().filter(|r| r.id.starts_with("EMV.")).collect();
        assert_eq!(emv.len(), 135);
        let cpm = emv.iter().filter(|r| r.id.starts_with("EMV.CPM.")).count();
        assert_eq!(cpm, 26);
        assert!(
            emv.iter()
                .filter(|r| r.id.starts_with("EMV.CPM."))
                .all(|r| r.status == Status::Planned)
        );
    }
}
