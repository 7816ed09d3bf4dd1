use super::*;
use crate::report::fixtures;

fn ids(list: &[CaseChange]) -> Vec<&str> {
    list.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn reference_against_deviant_names_exactly_the_changed_cases() {
    let d = diff(&fixtures::reference_run(), &fixtures::deviant_run());
    assert_eq!(
        ids(&d.newly_failing),
        [
            "EMV-CRC-001",
            "EMV-GEN-001",
            "JPQR-GEN-001",
            "JPQR-PARSE-001",
            "JPQR-REN-001",
            "KHQR-PARSE-001",
            "KHQR-REN-001"
        ]
    );
    assert_eq!(
        ids(&d.changed_grades),
        ["EMV-AMT-003", "KHQR-GEN-001", "KHQR-SCAN-050"]
    );
    assert!(d.newly_passing.is_empty() && d.added.is_empty() && d.removed.is_empty());
    let outputs: Vec<&str> = d.changed_outputs.iter().map(|o| o.id.as_str()).collect();
    // KHQR-GEN-001 has no output on the new side (unsupported): a grade change, not a diff.
    assert_eq!(
        outputs,
        [
            "EMV-GEN-001",
            "JPQR-GEN-001",
            "JPQR-PARSE-001",
            "KHQR-PARSE-001"
        ]
    );
    let generated = &d.changed_outputs[0];
    let paths: Vec<&str> = generated.fields.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        ["payload/59", "payload/63"],
        "the cut name and its CRC"
    );
    assert_eq!(
        generated.fields[0].old.as_deref(),
        Some("\"QRCERT SYNTHETIC\"")
    );
    assert_eq!(
        generated.fields[0].new.as_deref(),
        Some("\"QRCERT SYNTHETI\"")
    );
    let parse = &d.changed_outputs[2];
    assert!(
        parse
            .fields
            .iter()
            .all(|f| f.path.starts_with("fields/64/") && f.new.is_none())
    );
    assert_eq!(
        d.identity.iter().map(|c| c.what).collect::<Vec<_>>(),
        ["implementation"]
    );
    assert_eq!(d.verdict, Some((Verdict::Certified, Verdict::NotCertified)));
    assert!(d.regressed());
    assert!(
        d.conclusion()
            .starts_with("REGRESSED: 7 newly failing, certification lost")
    );
}

#[test]
fn diff_output_snapshots() {
    let d = diff(&fixtures::reference_run(), &fixtures::deviant_run());
    insta::assert_snapshot!("diff_reference_to_deviant_text", d.to_text());
    insta::assert_snapshot!("diff_reference_to_deviant_markdown", d.to_markdown());
}

#[test]
fn the_other_way_round_is_no_regression() {
    let d = diff(&fixtures::deviant_run(), &fixtures::reference_run());
    assert_eq!(d.newly_passing.len(), 7);
    assert!(d.newly_failing.is_empty());
    assert!(!d.regressed());
    assert!(d.conclusion().starts_with("no regression (7 newly passing"));
}

#[test]
fn a_report_against_itself_has_no_differences() {
    let r = fixtures::sample();
    let d = diff(&r, &r);
    assert!(d.is_empty());
    assert!(!d.regressed());
    assert_eq!(d.conclusion(), "no differences");
    assert!(d.to_text().ends_with("no differences\n"));
}

#[test]
fn suite_and_rules_changes_added_and_removed_cases() {
    let old = fixtures::reference_run();
    let mut new = old.clone();
    new.suite.version = "2026.2".into();
    new.suite.rules_version = "2026.12.0".into();
    new.suite.sha256 = "f".repeat(64);
    let mut extra = new.cases[0].clone();
    extra.id = "ZZZ-NEW-001".into();
    extra.grade = Grade::Fail;
    new.cases.push(extra);
    new.cases.retain(|c| c.id != "EMV-VAL-001");
    new.recompute();
    let d = diff(&old, &new);
    let whats: Vec<&str> = d.identity.iter().map(|c| c.what).collect();
    assert_eq!(
        whats,
        ["suite.version", "suite.sha256", "suite.rules_version"]
    );
    assert_eq!(ids(&d.added), ["ZZZ-NEW-001"]);
    assert_eq!(ids(&d.removed), ["EMV-VAL-001"]);
    assert!(d.newly_failing.is_empty());
    // A new failing vector costs the certification: that is a regression for a CI gate.
    assert!(d.regressed());
    let text = d.to_text();
    assert!(
        // The fixture pins its rules version (src/report/fixtures/runner.rs).
        text.contains("suite.rules_version: 2026.11.0 -> 2026.12.0"),
        "{text}"
    );
    assert!(text.contains("added cases (1):\n  ZZZ-NEW-001"), "{text}");
}

#[test]
fn a_capability_becoming_unsupported_is_a_regression() {
    let old = fixtures::reference_run();
    let mut new = old.clone();
    for c in new
        .cases
        .iter_mut()
        .filter(|c| c.capability == Capability::Scan)
    {
        c.grade = Grade::Unsupported;
    }
    new.recompute();
    let d = diff(&old, &new);
    assert!(d.newly_failing.is_empty());
    assert!(d.regressed(), "{}", d.to_text());
    assert!(d.conclusion().contains("cell(s) no longer certified"));
}

#[test]
fn hostile_messages_stay_on_one_line() {
    let old = fixtures::reference_run();
    let mut new = old.clone();
    new.cases[0].grade = Grade::Fail;
    new.cases[0].message = "bad\n\u{1b}[2Jcleared | <b>x</b>".into();
    new.recompute();
    let d = diff(&old, &new);
    let text = d.to_text();
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("bad  [2Jcleared"), "{text}");
    let md = d.to_markdown();
    assert!(md.contains("\\| &lt;b&gt;x&lt;/b&gt;"), "{md}");
}
