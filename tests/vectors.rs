//! The committed vector suite: it loads, lints clean with full coverage, agrees with the
//! reference validator, is what the generator writes, matches its schema, and is tamper-evident.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use qrcert::rules::{Validator, all};
use qrcert::vectors::generate::generate_all;
use qrcert::vectors::lint::{LintCode, LintLevel, needs_negative_vector};
use qrcert::vectors::load::{LoadError, updated_manifest};
use qrcert::vectors::manifest::ManifestError;
use qrcert::vectors::{Expect, Input, Suite, lint, load_dir};
use qrcert::{Capability, Profile};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn the_committed_suite_loads_and_lints_clean_with_full_coverage() {
    let suite = Suite::load(&vectors_dir()).unwrap_or_else(|e| panic!("{e}"));
    let active = suite.active().count();
    assert!(active >= 800, "only {active} active vectors");
    let report = lint(&load_dir(&vectors_dir()));
    let errors: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.level == LintLevel::Error)
        .map(|f| f.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(
        report.coverage.missing.is_empty(),
        "{:?}",
        report.coverage.missing
    );
    let needed = all().filter(|r| needs_negative_vector(r)).count();
    assert_eq!(report.coverage.total, needed);
    assert_eq!(report.coverage.covered, needed);
    assert!(
        report.smoke > 0 && report.smoke <= 50,
        "{} smoke cases",
        report.smoke
    );
    // Every capability is represented, and the smoke subset covers each one.
    for cap in Capability::ALL {
        assert!(
            suite
                .active()
                .any(|c| c.capability() == cap && c.has_tag("smoke")),
            "no smoke vector for {cap}"
        );
    }
}

#[test]
fn every_vector_the_reference_validator_sees_gets_the_verdict_its_expectation_names() {
    let suite = Suite::load(&vectors_dir()).unwrap_or_else(|e| panic!("{e}"));
    let mut validator = Validator::new();
    let mut checked = 0;
    let mut problems = Vec::new();
    for case in suite.active() {
        if matches!(case.input, Input::Scan(_)) {
            continue;
        }
        checked += 1;
        for p in qrcert::vectors::verdict::check_case(case, &mut validator) {
            problems.push(format!("{} ({}): {p}", case.id, case.source));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 800, "only {checked} vectors were checked");
}

#[test]
fn reject_vectors_fire_every_listed_rule_and_accept_vectors_are_valid() {
    // The same property as above, spelled out with the validator directly, so a bug in the
    // shared checking code cannot hide a disagreement.
    let suite = Suite::load(&vectors_dir()).unwrap();
    let mut validator = Validator::new();
    let (mut accepts, mut rejects) = (0, 0);
    for case in suite.active() {
        let (Input::Validate(i), Expect::Validate(e)) = (&case.input, &case.expect) else {
            continue;
        };
        let options = qrcert::vectors::verdict::options_for(case, i);
        let v = validator
            .validate_bytes(i.payload.as_bytes(), &options)
            .unwrap();
        match e.outcome() {
            qrcert::vectors::Outcome::Accept => {
                accepts += 1;
                assert!(v.valid, "{}: {:?}", case.id, v.rule_ids());
            }
            qrcert::vectors::Outcome::Reject => {
                rejects += 1;
                assert!(!v.valid, "{}", case.id);
            }
        }
        for id in e.all_rules() {
            assert!(
                v.fired(id),
                "{}: {id} did not fire ({:?})",
                case.id,
                v.rule_ids()
            );
        }
    }
    assert!(
        accepts >= 50 && rejects >= 500,
        "{accepts} accepts, {rejects} rejects"
    );
}

#[test]
fn the_generator_is_deterministic_and_its_output_is_committed() {
    let loaded = load_dir(&vectors_dir());
    let a = generate_all(&loaded).unwrap();
    let b = generate_all(&loaded).unwrap();
    assert_eq!(a.files, b.files);
    assert!(a.changed.is_empty(), "{:?}", a.changed);
    for (rel, text) in &a.files {
        let on_disk = std::fs::read_to_string(vectors_dir().join(rel)).unwrap_or_default();
        assert!(
            on_disk == *text,
            "{rel} is out of date: run `qrcert vectors generate` and `qrcert vectors manifest --update`"
        );
    }
    // The manifest is current too.
    let m = updated_manifest(&loaded).unwrap();
    assert_eq!(
        m,
        loaded.manifest.clone().unwrap(),
        "run `qrcert vectors manifest --update`"
    );
}

#[test]
fn editing_one_byte_without_updating_the_manifest_makes_loading_fail() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&vectors_dir(), tmp.path());
    let file = tmp.path().join("emvco/crc.yaml");
    let mut bytes = std::fs::read(&file).unwrap();
    let at = bytes
        .windows(13)
        .position(|w| w == b"No CRC object")
        .unwrap();
    bytes[at] = b'n';
    std::fs::write(&file, &bytes).unwrap();
    let err = Suite::load(tmp.path()).unwrap_err();
    let mismatch = err.0.iter().any(|e| {
        matches!(e, LoadError::Manifest { error: ManifestError::HashMismatch { file, .. }, .. } if file == "emvco/crc.yaml")
    });
    assert!(mismatch, "{err}");
    assert!(err.to_string().contains("emvco/crc.yaml"), "{err}");
    // Updating the manifest makes it load again.
    let loaded = load_dir(tmp.path());
    std::fs::write(
        tmp.path().join("manifest.yaml"),
        updated_manifest(&loaded).unwrap().to_yaml(),
    )
    .unwrap();
    Suite::load(tmp.path()).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn unlisted_missing_and_unknown_rules_version_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&vectors_dir(), tmp.path());
    std::fs::copy(
        tmp.path().join("emvco/crc.yaml"),
        tmp.path().join("emvco/extra.yaml"),
    )
    .unwrap();
    std::fs::remove_file(tmp.path().join("emvco/tlv.yaml")).unwrap();
    let manifest = std::fs::read_to_string(tmp.path().join("manifest.yaml")).unwrap();
    let old = format!(
        "rules_version: \"{}\"",
        qrcert::rules::catalogue::RULES_VERSION
    );
    std::fs::write(
        tmp.path().join("manifest.yaml"),
        manifest.replace(&old, "rules_version: \"1999.1.0\""),
    )
    .unwrap();
    let err = Suite::load(tmp.path()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("emvco/extra.yaml: not listed"), "{text}");
    assert!(
        text.contains("emvco/tlv.yaml: listed in the manifest but missing"),
        "{text}"
    );
    assert!(text.contains("rules version 1999.1.0"), "{text}");
}

#[test]
fn the_schema_file_is_current_and_every_vector_file_matches_it() {
    let text = std::fs::read_to_string(vectors_dir().join("schema.json")).unwrap();
    assert_eq!(
        text,
        qrcert::vectors::schema::schema_text(),
        "run `qrcert vectors schema > vectors/schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let loaded = load_dir(&vectors_dir());
    assert!(!loaded.files.is_empty());
    for f in &loaded.files {
        let yaml = std::fs::read_to_string(vectors_dir().join(&f.path)).unwrap();
        let json: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            f.path.display(),
            errors.join("; ")
        );
    }
    // The schema refuses what the loader refuses.
    for bad in ["load", "image"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/vectors/lint")
            .join(bad);
        let yaml = std::fs::read_to_string(dir.join(format!("emvco/{bad}.yaml"))).unwrap();
        let json: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
        assert!(
            !validator.is_valid(&json),
            "the schema accepts the {bad} fixture"
        );
    }
}

#[test]
fn counts_per_profile_and_capability() {
    let report = lint(&load_dir(&vectors_dir()));
    let n = |p, k| report.counts.get(&(p, k)).copied().unwrap_or(0);
    assert!(n(Profile::Emvco, Capability::Validate) >= 700);
    for p in [Profile::Emvco, Profile::Jpqr, Profile::Khqr] {
        assert!(n(p, Capability::Validate) >= 100, "{p}");
        for k in Capability::ALL {
            assert!(n(p, k) >= 2, "{p}/{k}: {}", n(p, k));
        }
    }
    assert!(n(Profile::Interop, Capability::Validate) >= 10);
    assert!(n(Profile::Interop, Capability::Parse) >= 2);
}

#[test]
fn every_rule_id_named_by_a_vector_is_in_the_catalogue() {
    let suite = Suite::load(&vectors_dir()).unwrap();
    let known: BTreeSet<&str> = all().map(|r| r.id).collect();
    for c in &suite.cases {
        for id in c.rule_refs() {
            assert!(known.contains(id), "{}: {id}", c.id);
        }
    }
}

#[test]
fn removing_a_rules_only_negative_vectors_drops_coverage() {
    let mut loaded = load_dir(&vectors_dir());
    for f in &mut loaded.files {
        f.cases
            .retain(|c| !c.rule_refs().contains(&"EMV.63.CRC_MISMATCH"));
    }
    let report = lint(&loaded);
    assert!(report.coverage.missing.contains(&"EMV.63.CRC_MISMATCH"));
    assert_eq!(report.coverage.covered + 1, report.coverage.total);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == LintCode::Coverage && f.message.contains("EMV.63.CRC_MISMATCH"))
    );
}

#[test]
fn the_reference_generator_writes_every_exact_payload_and_refuses_what_it_must() {
    let suite = Suite::load(&vectors_dir()).unwrap();
    let mut problems = Vec::new();
    let mut checked = 0;
    for case in suite.active() {
        let (Input::Generate(i), Expect::Generate(e)) = (&case.input, &case.expect) else {
            continue;
        };
        checked += 1;
        let input = serde_json::to_value(&i.data).unwrap();
        // Cross-border generate vectors ask for a code of the account's own scheme.
        let profile = qrcert::runner::request::request_profile(case);
        let got = qrcert::reference::generate(profile, &input, i.now);
        match (&e.payload, got) {
            (Some(want), Ok(p)) if *want == p => {}
            (Some(want), got) => {
                problems.push(format!("{}: expected {want}, got {got:?}", case.id))
            }
            (None, Ok(p)) if !e.refuse.is_empty() => problems.push(format!(
                "{}: expected a refusal ({:?}), got {p}",
                case.id, e.refuse
            )),
            (None, _) => {}
        }
    }
    assert!(checked >= 10);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reference_parser_decodes_every_parse_vector_to_its_fields() {
    let suite = Suite::load(&vectors_dir()).unwrap();
    let mut checked = 0;
    for case in suite.active() {
        let (Input::Parse(i), Expect::Parse(e)) = (&case.input, &case.expect) else {
            continue;
        };
        checked += 1;
        let got =
            qrcert::reference::parse(&i.payload).unwrap_or_else(|e| panic!("{}: {e:?}", case.id));
        assert_eq!(
            serde_json::to_value(&got).unwrap(),
            serde_json::to_value(&e.fields).unwrap(),
            "{}",
            case.id
        );
    }
    assert!(checked >= 10);
}
