use super::*;
use crate::report::fixtures;
use crate::report::waiver::parse_date;

fn date(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn waivers(yaml: &str) -> Waivers {
    Waivers::from_yaml(yaml, "test.yaml").unwrap()
}

fn one(vector: &str, grade: &str, expires: &str) -> Waivers {
    waivers(&format!(
        "waivers:\n  - vector: \"{vector}\"\n    expected_grade: {grade}\n    reason: known gap\n    reference: T-1\n    expires: {expires}\n"
    ))
}

fn case<'a>(r: &'a Report, id: &str) -> &'a crate::report::CaseReport {
    r.cases.iter().find(|c| c.id == id).unwrap()
}

#[test]
fn a_waived_failure_is_waived_and_no_longer_blocks() {
    let mut r = fixtures::deviant_run();
    let before = r.summary.grades.get(Grade::Fail);
    let warnings = apply(
        &mut r,
        &one("EMV-CRC-001", "FAIL", "2026-06-30"),
        date("2026-01-15"),
    );
    assert_eq!(warnings, []);
    let c = case(&r, "EMV-CRC-001");
    assert_eq!(c.grade, Grade::Waived);
    assert_eq!(c.waiver.as_deref(), Some("EMV-CRC-001"));
    assert!(
        c.message.contains("waived until 2026-06-30"),
        "{}",
        c.message
    );
    assert_eq!(r.summary.grades.get(Grade::Fail), before - 1);
    assert_eq!(r.summary.grades.get(Grade::Waived), 1);
    assert_eq!(r.waivers[0].state, "active");
    assert_eq!(r.waivers[0].cases, ["EMV-CRC-001"]);
    let cell = r
        .certification
        .iter()
        .find(|x| x.profile == crate::Profile::Emvco && x.capability == crate::Capability::Validate)
        .unwrap();
    assert_eq!(cell.verdict, crate::report::CellVerdict::Certified);
}

#[test]
fn the_last_day_still_applies() {
    let mut r = fixtures::deviant_run();
    apply(
        &mut r,
        &one("EMV-CRC-001", "FAIL", "2026-01-15"),
        date("2026-01-15"),
    );
    assert_eq!(case(&r, "EMV-CRC-001").grade, Grade::Waived);
}

#[test]
fn a_waiver_on_a_passing_case_is_stale_xpass() {
    let mut r = fixtures::deviant_run();
    let warnings = apply(
        &mut r,
        &one("EMV-VAL-*", "FAIL", "2026-06-30"),
        date("2026-01-15"),
    );
    let c = case(&r, "EMV-VAL-001");
    assert_eq!(c.grade, Grade::Xpass);
    assert!(c.message.contains("stale"), "{}", c.message);
    assert_eq!(
        warnings,
        [WaiverWarning::Stale {
            vector: "EMV-VAL-*".into(),
            cases: vec!["EMV-VAL-001".into()]
        }]
    );
    assert_eq!(r.waivers[0].state, "stale");
    assert!(warnings[0].to_string().contains("remove the waiver"));
    assert!(!Grade::Xpass.blocks());
}

#[test]
fn an_expired_waiver_no_longer_applies_and_says_so() {
    let mut r = fixtures::deviant_run();
    let w = one("EMV-CRC-001", "FAIL", "2026-01-14");
    let warnings = apply(&mut r, &w, date("2026-01-15"));
    let c = case(&r, "EMV-CRC-001");
    assert_eq!(c.grade, Grade::Fail);
    assert_eq!(c.waiver, None);
    assert!(
        c.message.contains("expired on 2026-01-14: not applied"),
        "{}",
        c.message
    );
    assert_eq!(r.waivers[0].state, "expired");
    assert_eq!(r.waivers[0].cases, ["EMV-CRC-001"]);
    assert_eq!(warnings.len(), 1);
    let text = warnings[0].to_string();
    assert!(
        text.contains("expired on 2026-01-14") && text.contains("EMV-CRC-001"),
        "{text}"
    );
    assert_eq!(r.verdict, crate::report::Verdict::NotCertified);
}

#[test]
fn a_waiver_for_an_unknown_vector_is_a_warning() {
    let mut r = fixtures::deviant_run();
    let grades: Vec<Grade> = r.cases.iter().map(|c| c.grade).collect();
    let warnings = apply(
        &mut r,
        &one("NOPE-404", "FAIL", "2026-06-30"),
        date("2026-01-15"),
    );
    assert_eq!(
        warnings,
        [WaiverWarning::UnknownVector {
            vector: "NOPE-404".into()
        }]
    );
    assert!(warnings[0].to_string().contains("matches no case"));
    assert_eq!(r.waivers[0].state, "unused");
    assert_eq!(grades, r.cases.iter().map(|c| c.grade).collect::<Vec<_>>());
}

#[test]
fn a_different_failure_grade_is_not_waived() {
    let mut r = fixtures::deviant_run();
    // KHQR-REN-001 is ERROR (the deviant hangs); a waiver written for FAIL must not hide it.
    let warnings = apply(
        &mut r,
        &one("KHQR-REN-001", "FAIL", "2026-06-30"),
        date("2026-01-15"),
    );
    assert_eq!(case(&r, "KHQR-REN-001").grade, Grade::Error);
    assert_eq!(
        warnings,
        [WaiverWarning::GradeMismatch {
            vector: "KHQR-REN-001".into(),
            case: "KHQR-REN-001".into(),
            expected: Grade::Fail,
            actual: Grade::Error
        }]
    );
    assert_eq!(r.waivers[0].state, "unused");
    let mut r = fixtures::deviant_run();
    apply(
        &mut r,
        &one("KHQR-REN-001", "ERROR", "2026-06-30"),
        date("2026-01-15"),
    );
    assert_eq!(case(&r, "KHQR-REN-001").grade, Grade::Waived);
}

#[test]
fn exact_ids_win_over_globs_and_overlaps_are_reported() {
    let mut r = fixtures::deviant_run();
    let w = waivers(
        "waivers:
  - vector: \"EMV-*\"
    expected_grade: NON_STRICT
    reason: glob
    reference: T-1
    expires: 2026-06-30
  - vector: EMV-CRC-001
    expected_grade: FAIL
    reason: exact
    reference: T-2
    expires: 2026-06-30
",
    );
    let warnings = apply(&mut r, &w, date("2026-01-15"));
    assert_eq!(case(&r, "EMV-CRC-001").grade, Grade::Waived);
    assert_eq!(case(&r, "EMV-AMT-003").grade, Grade::Waived);
    assert!(warnings.contains(&WaiverWarning::Overlap {
        case: "EMV-CRC-001".into(),
        used: "EMV-CRC-001".into(),
        ignored: vec!["EMV-*".into()]
    }));
    // The glob also covers passing EMV cases: they become XPASS.
    assert_eq!(case(&r, "EMV-VAL-001").grade, Grade::Xpass);
}

#[test]
fn a_file_for_another_implementation_applies_nothing() {
    let mut r = fixtures::deviant_run();
    let w = waivers(
        "implementation: someone-else
waivers:
  - vector: EMV-CRC-001
    expected_grade: FAIL
    reason: r
    reference: T
    expires: 2026-06-30
",
    );
    let warnings = apply(&mut r, &w, date("2026-01-15"));
    assert_eq!(case(&r, "EMV-CRC-001").grade, Grade::Fail);
    assert!(matches!(
        warnings[0],
        WaiverWarning::OtherImplementation { .. }
    ));
    assert_eq!(warnings.len(), 1);
}

#[test]
fn clock_date_is_the_utc_day() {
    let c: Clock = "2026-01-15T23:59:59.999Z".parse().unwrap();
    assert_eq!(clock_date(c), date("2026-01-15"));
    let c: Clock = "2026-01-16T00:30:00+02:00".parse().unwrap();
    assert_eq!(clock_date(c), date("2026-01-15"));
}
