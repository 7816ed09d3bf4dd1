//! JUnit XML for CI systems: one testcase per case, one testsuite per feature file.
//!
//! FAIL is a `<failure>`, ERROR an `<error>`, UNSUPPORTED `<skipped>`; NON_STRICT, INFO, WAIVED and
//! XPASS pass (they do not block certification) with a `<system-out>` note saying what they are.
//! A first testsuite, `qrcert certificate`, holds one testcase for the overall verdict (a failure
//! when not certified, with the reason: a run that certifies nothing has no failing case, and
//! must not look green) and one per role, so a CI dashboard stays green exactly when the run is
//! certified. Every testsuite carries the run's identity as properties.

use std::collections::BTreeMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::model::{CaseReport, Grade, Report};
use super::text;

/// JUnit XML could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write JUnit XML: {0}")]
pub struct JunitError(#[from] quick_junit::SerializeError);

/// The report as JUnit XML.
pub fn to_junit(report: &Report) -> Result<String, JunitError> {
    let mut junit = quick_junit::Report::new(format!(
        "qrcert {} — {}",
        report.suite.version,
        text::implementation(report)
    ));
    junit.set_time(Duration::from_millis(report.timing.duration_ms));
    junit.add_test_suite(certificate(report));
    // Cross-border cases group by direction ("cross-border: jpqr wallet at khqr codes"), the
    // rest by feature file.
    let mut features: BTreeMap<String, Vec<&CaseReport>> = BTreeMap::new();
    for case in &report.cases {
        let group = match case.direction {
            Some(d) => format!("cross-border: {d}"),
            None => case.feature.clone(),
        };
        features.entry(group).or_default().push(case);
    }
    for (feature, cases) in features {
        let mut suite = TestSuite::new(feature);
        suite.add_properties(properties(report));
        suite.set_time(Duration::from_millis(
            cases.iter().map(|c| c.duration_ms).sum(),
        ));
        suite.add_test_cases(cases.into_iter().map(|c| test_case(report, c)));
        junit.add_test_suite(suite);
    }
    Ok(junit.to_string()?)
}

/// The certificate as tests: the overall verdict fails the build when not certified; a role
/// that does not hold is reported, not failed (a merchant system never holds the wallet role).
fn certificate(report: &Report) -> TestSuite {
    let mut suite = TestSuite::new("qrcert certificate");
    suite.add_properties(properties(report));
    let status = match report.verdict {
        super::Verdict::Certified => TestCaseStatus::success(),
        super::Verdict::NotCertified => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(&report.verdict_reason)
                .set_type("NOT_CERTIFIED");
            s
        }
    };
    let mut overall = TestCase::new("certificate: overall verdict", status);
    overall
        .set_classname("qrcert.certificate")
        .set_system_out(&report.verdict_reason);
    suite.add_test_case(overall);
    for r in &report.roles {
        let verdict = match r.verdict {
            super::Verdict::Certified => "certified",
            super::Verdict::NotCertified => "not certified",
        };
        let mut tc = TestCase::new(
            format!("certificate: {} role for {}", r.role, r.profile),
            TestCaseStatus::success(),
        );
        tc.set_classname("qrcert.certificate")
            .set_system_out(format!("{verdict}: {}", r.reason));
        suite.add_test_case(tc);
    }
    for d in &report.directions {
        let verdict = match d.verdict {
            super::Verdict::Certified => "certified",
            super::Verdict::NotCertified => "not certified",
        };
        let mut tc = TestCase::new(
            format!("certificate: cross-border, {}", d.direction),
            TestCaseStatus::success(),
        );
        tc.set_classname("qrcert.certificate")
            .set_system_out(format!("{verdict}: {}", d.reason));
        suite.add_test_case(tc);
    }
    suite
}

fn properties(report: &Report) -> Vec<Property> {
    let mut props = vec![
        Property::new("suite.version", &report.suite.version),
        Property::new("suite.sha256", &report.suite.sha256),
        Property::new("suite.rules_version", &report.suite.rules_version),
        Property::new("harness.version", &report.harness.version),
        Property::new("implementation", text::implementation(report)),
        Property::new(
            "implementation.transport",
            &report.implementation.adapter.transport,
        ),
        Property::new("clock", report.clock.to_string()),
        Property::new(
            "verdict",
            match report.verdict {
                super::Verdict::Certified => "certified",
                super::Verdict::NotCertified => "not_certified",
            },
        ),
        Property::new("verdict.reason", &report.verdict_reason),
    ];
    for w in &report.waivers {
        props.push(Property::new(
            format!("waiver.{}", w.vector),
            format!(
                "{} ({}; expects {}; expires {}): {}",
                w.state, w.reference, w.expected_grade, w.expires, w.reason
            ),
        ));
    }
    props
}

fn test_case(report: &Report, case: &CaseReport) -> TestCase {
    let status = match case.grade {
        Grade::Fail | Grade::Error => {
            let kind = if case.grade == Grade::Fail {
                NonSuccessKind::Failure
            } else {
                NonSuccessKind::Error
            };
            let mut s = TestCaseStatus::non_success(kind);
            s.set_message(&case.message)
                .set_type(case.grade.as_str())
                .set_description(text::case_details(report, case));
            s
        }
        Grade::Unsupported => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(&case.message).set_type("UNSUPPORTED");
            s
        }
        Grade::Pass | Grade::NonStrict | Grade::Info | Grade::Waived | Grade::Xpass => {
            TestCaseStatus::success()
        }
    };
    let mut tc = TestCase::new(format!("{}: {}", case.id, case.title), status);
    tc.set_classname(format!("{}.{}", case.profile, case.capability))
        .set_time(Duration::from_millis(case.duration_ms));
    if let Some(note) = text::grade_note(case) {
        tc.set_system_out(format!("{note}\n{}", text::case_details(report, case)));
    }
    tc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn maps_every_grade_and_carries_the_run_identity() {
        let report = fixtures::sample();
        let xml = to_junit(&report).unwrap();
        assert!(xml.starts_with("<?xml"));
        // One testsuite per feature file.
        for f in ["features/validate.feature", "features/render.feature"] {
            assert!(xml.contains(&format!("<testsuite name=\"{f}\"")), "{f}");
        }
        let fails = report.summary.grades.get(Grade::Fail);
        let errors = report.summary.grades.get(Grade::Error);
        let not_certified = u64::from(report.verdict == super::super::Verdict::NotCertified);
        assert_eq!(
            xml.matches("<failure ").count() as u64,
            fails + not_certified
        );
        assert_eq!(xml.matches("<error ").count() as u64, errors);
        assert_eq!(
            xml.matches("<skipped").count() as u64,
            report.summary.grades.get(Grade::Unsupported)
        );
        assert_eq!(
            xml.matches("<testcase ").count(),
            report.cases.len() + 1 + report.roles.len() + report.directions.len()
        );
        assert!(xml.contains("<testsuite name=\"qrcert certificate\""));
        assert!(xml.contains("name=\"suite.sha256\""));
        assert!(xml.contains(&report.suite.sha256));
        assert!(xml.contains("name=\"clock\" value=\"2026-01-15T09:30:00.000Z\""));
        assert!(xml.contains("name=\"implementation\" value=\"deviant-qr 0.9.0\""));
        assert!(xml.contains("XPASS: the case passed although waiver"));
        assert!(xml.contains("stale"));
        assert!(xml.contains("WAIVED: a failure covered by waiver"));
        // The failing case carries expected vs observed and the rule with its reference.
        assert!(xml.contains("rule: EMV.63.CRC_MISMATCH (MUST, §4.7.3.1)"));
        assert!(xml.contains("expected: {&quot;outcome&quot;:&quot;reject&quot;"));
    }

    #[test]
    fn a_run_that_certifies_nothing_is_red() {
        let mut report = fixtures::sample();
        for c in &mut report.cases {
            c.grade = Grade::Unsupported;
        }
        report.recompute();
        let xml = to_junit(&report).unwrap();
        // No case failed, yet the build must not be green.
        assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
        assert!(xml.contains("nothing certified: no capability claimed"));
        let back = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        assert_eq!(back.failures, 1);
    }

    #[test]
    fn the_xml_parses_and_escapes_hostile_text() {
        let mut report = fixtures::sample();
        report.cases[0].message = "<script>alert(1)</script> & \u{1b}[31m\u{0}".into();
        report.cases[0].grade = Grade::Fail;
        let xml = to_junit(&report).unwrap();
        assert!(!xml.contains("<script>"));
        assert!(xml.contains("&lt;script&gt;"));
        assert!(!xml.contains('\u{0}'));
        let back = quick_junit::Report::deserialize_from_str(&xml).unwrap();
        let cases: usize = back.test_suites.iter().map(|s| s.test_cases.len()).sum();
        assert_eq!(
            cases,
            report.cases.len() + 1 + report.roles.len() + report.directions.len()
        );
        let first = &back
            .test_suites
            .iter()
            .flat_map(|s| &s.test_cases)
            .find(|c| c.name.as_str().starts_with(&report.cases[0].id))
            .unwrap();
        match &first.status {
            TestCaseStatus::NonSuccess { message, .. } => {
                assert!(
                    message
                        .as_ref()
                        .unwrap()
                        .as_str()
                        .starts_with("<script>alert(1)</script> & ")
                );
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn cross_border_cases_group_by_direction() {
        let mut report = fixtures::sample();
        let d = crate::role::Direction {
            wallet: crate::Profile::Jpqr,
            code: crate::Profile::Khqr,
        };
        for c in report.cases.iter_mut().take(2) {
            c.direction = Some(d);
        }
        report.recompute();
        assert_eq!(report.directions.len(), 1);
        let xml = to_junit(&report).unwrap();
        assert!(
            xml.contains("<testsuite name=\"cross-border: jpqr wallet at khqr codes\" tests=\"2\""),
            "{xml}"
        );
        assert!(xml.contains("certificate: cross-border, jpqr wallet at khqr codes"));
        let md = crate::report::markdown::to_markdown(&report, 5);
        assert!(md.contains("| jpqr wallet at khqr codes |"), "{md}");
        let html = crate::report::html::to_html(&report);
        assert!(html.contains("data-direction=\"jpqr-at-khqr\""));
        assert!(html.contains("select name=\"direction\""));
    }
}
