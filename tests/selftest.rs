//! The selftest: every broken variant of the reference implementation is caught, each by a
//! vector that names its defect; and leaving out the vectors of the rule that catches a defect
//! leaves that defect uncaught, so the selftest fails.

use std::path::PathBuf;
use std::process::Command;

use qrcert::reference::{Defect, Evidence};
use qrcert::report::Verdict;
use qrcert::selftest::{Options, Outcome, selftest};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options(defects: &[Defect], without_rules: &[&str]) -> Options {
    let mut o = Options::new(root().join("vectors"), root().join("features"));
    // The process variants run as this qrcert program.
    o.peer = Some(env!("CARGO_BIN_EXE_qrcert").into());
    o.defects = defects.to_vec();
    o.without_rules = without_rules.iter().map(|r| r.to_string()).collect();
    o
}

async fn run(options: Options) -> (Outcome, Vec<String>) {
    let mut lines = Vec::new();
    let outcome = selftest(&options, |l| lines.push(l.to_owned()))
        .await
        .unwrap();
    (outcome, lines)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_broken_variant_is_caught_by_a_vector_naming_its_defect() {
    let (outcome, lines) = run(options(&Defect::ALL, &[])).await;
    assert_eq!(outcome.pristine.verdict, Verdict::Certified, "{lines:#?}");
    assert!(outcome.variants.len() >= 20);
    for v in &outcome.variants {
        assert!(v.caught(), "{}", v.line());
        assert_eq!(v.verdict, Verdict::NotCertified);
        // Caught for the right reason: the evidence is the defect's own, never unrelated.
        match v.defect.evidence() {
            Evidence::Rules(rules) => assert!(
                v.via.iter().all(|r| rules.contains(&r.as_str())),
                "{}: {:?}",
                v.defect.name(),
                v.via
            ),
            Evidence::ParseField(f) => {
                assert_eq!(v.via.iter().next().unwrap(), &format!("parse field {f}"))
            }
            Evidence::PayerField(f) => {
                assert_eq!(v.via.iter().next().unwrap(), &format!("payer field {f}"))
            }
            Evidence::Tag(t) => assert_eq!(v.via.iter().next().unwrap(), &format!("tag {t}")),
            Evidence::Timeout(p) => {
                assert_eq!(v.via.iter().next().unwrap(), &format!("timeout on {p}"))
            }
            Evidence::Fault(kind) => {
                assert_eq!(v.via.iter().next().unwrap(), &format!("{kind} fault"))
            }
            Evidence::Verdict(reason) => {
                assert_eq!(v.via.iter().next().unwrap(), &format!("verdict {reason:?}"))
            }
        }
        assert!(v.orphans.is_empty(), "{}", v.line());
    }
    assert!(outcome.passed());
    let n = Defect::ALL.len();
    assert_eq!(
        outcome.summary_line(),
        format!("{n}/{n} broken implementations caught")
    );
    assert_eq!(lines.len(), n + 1);
    assert!(lines[0].starts_with("pristine  qrcert-reference certified"));
    assert!(lines[1..].iter().all(|l| l.starts_with("caught  ")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_vectors_of_its_rules_a_defect_goes_uncaught() {
    let dup = [
        "EMV.TLV.DUPLICATE_ID",
        "EMV.TLV.DUPLICATE_SUBID",
        "KHQR.TLV.DUPLICATE_TAG",
    ];
    let (outcome, lines) = run(options(
        &[Defect::DuplicatesAccepted, Defect::JpqrGuidCaseInsensitive],
        &dup,
    ))
    .await;
    // The suite without those vectors still certifies the pristine reference...
    assert_eq!(outcome.pristine.verdict, Verdict::Certified, "{lines:#?}");
    // ...but no longer sees duplicates, while the GUID defect is still caught.
    let dup_v = &outcome.variants[0];
    assert!(!dup_v.caught(), "{}", dup_v.line());
    assert!(dup_v.line().starts_with("MISSED  duplicates-accepted"));
    assert!(
        outcome.variants[1].caught(),
        "{}",
        outcome.variants[1].line()
    );
    assert!(!outcome.passed());
    assert_eq!(outcome.summary_line(), "1/2 broken implementations caught");
}

#[test]
fn the_command_exits_non_zero_when_a_defect_goes_uncaught() {
    let qrcert = env!("CARGO_BIN_EXE_qrcert");
    let caught = Command::new(qrcert)
        .current_dir(root())
        .args(["selftest", "--defect", "jpqr-guid-case-insensitive"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&caught.stdout);
    assert_eq!(caught.status.code(), Some(0), "{out}");
    assert!(out.contains("caught  jpqr-guid-case-insensitive"), "{out}");
    assert!(
        out.ends_with("1/1 broken implementations caught\n"),
        "{out}"
    );

    let missed = Command::new(qrcert)
        .current_dir(root())
        .args([
            "selftest",
            "--defect",
            "jpqr-guid-case-insensitive",
            "--without-rule",
            "JPQR.26.00.GUID",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&missed.stdout);
    assert_eq!(missed.status.code(), Some(1), "{out}");
    assert!(out.contains("MISSED  jpqr-guid-case-insensitive"), "{out}");
    assert!(
        out.ends_with("0/1 broken implementations caught\n"),
        "{out}"
    );

    let bad = Command::new(qrcert)
        .current_dir(root())
        .args(["selftest", "--defect", "no-such-defect"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no such defect"));
}

#[test]
fn the_list_names_every_defect_and_its_evidence() {
    let out = Command::new(env!("CARGO_BIN_EXE_qrcert"))
        .args(["selftest", "--list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for d in Defect::ALL {
        assert!(text.contains(d.name()), "{}", d.name());
        assert!(text.contains(d.description()), "{}", d.name());
    }
    assert!(text.contains("caught by: EMV.QR.QUIET_ZONE_NONE"));
}
