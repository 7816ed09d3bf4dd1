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
/// back to the same text, or a fact the parser noted for the rules (first occurrences, regularity,
/// printability) that a plain recomputation contradicts. A panic is the finding; this is meant for
/// fuzzers and property tests.
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
            check_parse_facts(text, &tlv);
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
    for profile in std::iter::once(None).chain(Profile::ALL.map(Some)) {
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

/// The facts the parser collects on the fly, recomputed the slow way.
fn check_parse_facts(text: &str, tlv: &Tlv) {
    let roots = tlv.root();
    for id in 0..100u8 {
        assert_eq!(
            tlv.first_root(id),
            roots.iter().position(|o| o.id == id),
            "first root {id:02} of {text:?}"
        );
        assert_eq!(
            tlv.root_ids().contains(id),
            roots.iter().any(|o| o.id == id),
            "root ID set, {id:02}, of {text:?}"
        );
    }
    assert_eq!(
        tlv.is_printable(),
        text.bytes().all(|b| (0x20..=0x7E).contains(&b))
    );
    assert_eq!(tlv.is_ascii(), text.is_ascii());
    for o in tlv.objects() {
        assert_eq!(
            Some(o.char_start as usize),
            text.get(..o.start as usize).map(|t| t.chars().count()),
            "character offset of {:02} at byte {} of {text:?}",
            o.id,
            o.start
        );
        assert_eq!(
            o.value_printable,
            o.value(text).bytes().all(|b| (0x20..=0x7E).contains(&b)),
            "printable flag of {:02} at byte {} of {text:?}",
            o.id,
            o.start
        );
    }
    assert_eq!(
        tlv.unprintable().collect::<Vec<_>>(),
        (0..tlv.objects().len())
            .filter(|&i| !tlv.objects()[i].value_printable)
            .collect::<Vec<_>>(),
        "unprintable objects of {text:?}"
    );
    // Repeats: a zero length anywhere, or an ID twice at the root or in one template.
    let objects = tlv.objects();
    let level_repeats = |level: &[crate::emv::tlv::Object]| {
        level
            .iter()
            .enumerate()
            .any(|(k, a)| level[k + 1..].iter().any(|b| b.id == a.id))
    };
    let repeats = objects.iter().any(|o| o.declared_len == 0)
        || level_repeats(roots)
        || (0..objects.len()).any(|i| level_repeats(tlv.children(i)));
    assert_eq!(tlv.has_repeats(), repeats, "repeats of {text:?}");
    if !tlv.is_irregular() {
        // Then the duplicate, order and zero-length rules have nothing to find.
        assert!(!repeats, "{text:?}");
        let mut ids: Vec<u8> = roots.iter().map(|o| o.id).collect();
        if ids.last() == Some(&63) {
            ids.pop();
        }
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{text:?}");
        assert!(!ids.contains(&63), "{text:?}");
    }
}
