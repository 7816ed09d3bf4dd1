//! The properties the `validate` fuzz target checks on every input, shared with the property
//! tests of `tests/fuzz_properties.rs`, so that a minute of `cargo test` and hours of libFuzzer
//! hold the parser and the validator to the same invariants.

use crate::Profile;
use crate::emv::payload::Model;
use crate::emv::{LengthUnit, ParseOptions, Payload, TemplateSet, Tlv};
use crate::rules::validator::{Options, Validator};
use crate::rules::{Role, Severity};

/// Runs any bytes through the TLV parser (all three length units) and the validator (every
/// profile, both roles), and panics when an invariant breaks: a finding or object offset past
/// the input, `valid` not exactly "no MUST finding", or a clean parse that does not serialise
/// back to the same text. A panic is the finding; this is meant for fuzzers and property tests.
pub fn check_validate(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        for unit in [LengthUnit::Chars, LengthUnit::Utf16, LengthUnit::Bytes] {
            let tlv = Tlv::parse(
                text,
                &ParseOptions {
                    unit,
                    templates: TemplateSet::EMV,
                },
            );
            let p = Payload::new(text, &tlv);
            for o in p.roots() {
                assert!(o.value_offset() <= text.len());
                for c in o.children() {
                    let _ = c.value();
                }
            }
            let model = Model::from_tlv(text, &tlv);
            let _ = model.to_fields();
            if tlv.errors().is_empty() {
                // A clean parse serialises back to the same text.
                assert_eq!(model.to_payload(unit).as_deref(), Ok(text));
            }
        }
    }
    let mut v = Validator::new();
    for profile in [
        None,
        Some(Profile::Emvco),
        Some(Profile::Jpqr),
        Some(Profile::Khqr),
        Some(Profile::Interop),
    ] {
        for role in [Role::Consumer, Role::Generator] {
            let options = Options {
                profile,
                role,
                now_ms: Some(1_780_000_900_000),
                ..Options::default()
            };
            if let Ok(verdict) = v.validate_bytes(data, &options) {
                assert_eq!(
                    verdict.valid,
                    !verdict
                        .findings
                        .iter()
                        .any(|f| f.severity == Severity::Must)
                );
                for f in &verdict.findings {
                    assert!(
                        f.offset <= data.len(),
                        "{} offset {} past {}",
                        f.rule.id,
                        f.offset,
                        data.len()
                    );
                }
            }
        }
    }
}
