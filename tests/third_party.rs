//! Real implementations written by others, installed from npm at pinned versions, certified
//! through their adapters in examples/adapters/: the National Bank of Cambodia's official KHQR
//! SDK (`bakong-khqr`), the independent EMVCo and PromptPay library `promptparse` and the VietQR
//! library `vietnam-qr-pay`. Neither is expected to be
//! certified; the runs must complete, find what the committed example reports found, and match
//! them case by case.
//!
//! They need `node` and `npm` (scripts/test, the README's test command, installs both, and
//! `npm ci` fetches the pinned packages); without node they fail and say how to install it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use qrcert::Capability;
use qrcert::Profile;
use qrcert::report::{CellVerdict, Grade, Report, Verdict};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Node must be there: without it these tests fail with the line that installs it.
fn require_node() {
    let found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "node is not installed: run the tests with scripts/test, which installs it, or \
         `apt-get install -y nodejs npm`"
    );
}

/// Installs the adapter's pinned package from its lock file when it is missing.
fn ensure_installed(adapter: &str, package: &str) {
    let dir = root().join("examples/adapters").join(adapter);
    if dir
        .join("node_modules")
        .join(package)
        .join("package.json")
        .is_file()
    {
        return;
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .output()
        .expect("npm runs");
    assert!(
        out.status.success(),
        "npm ci in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Certifies an adapter the way examples/adapters/make-example-report.sh does.
fn certify(adapter: &str, profiles: &[&str], out: &Path) -> (i32, Report) {
    let mut args = vec![
        "run".to_owned(),
        "--adapter".into(),
        format!("examples/adapters/{adapter}/adapter.yaml"),
        "--now".into(),
        "2026-05-28T20:41:40Z".into(),
        "--quiet".into(),
        "--out".into(),
        out.display().to_string(),
    ];
    for p in profiles {
        args.push("--profile".into());
        args.push((*p).into());
    }
    let run = Command::new(env!("CARGO_BIN_EXE_qrcert"))
        .args(&args)
        .current_dir(root())
        .output()
        .unwrap();
    let code = run.status.code().unwrap_or(-1);
    let text = std::fs::read_to_string(out.join("report.json")).unwrap_or_else(|e| {
        panic!(
            "no report (exit {code}): {e}\n{}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    (code, serde_json::from_str(&text).unwrap())
}

fn committed(adapter: &str) -> Report {
    let path = root()
        .join("reports/examples")
        .join(adapter)
        .join("report.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn grades(r: &Report) -> BTreeMap<&str, Grade> {
    r.cases.iter().map(|c| (c.id.as_str(), c.grade)).collect()
}

fn case<'r>(r: &'r Report, id: &str) -> &'r qrcert::report::CaseReport {
    r.cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} not in the report"))
}

/// The fresh run grades every case the committed report has exactly as it did.
fn matches_committed(fresh: &Report, adapter: &str) {
    let old = committed(adapter);
    assert_eq!(old.implementation.version, fresh.implementation.version);
    let fresh = grades(fresh);
    for (id, grade) in grades(&old) {
        if let Some(now) = fresh.get(id) {
            assert_eq!(
                *now, grade,
                "{id}: graded {now} now, {grade} in reports/examples/{adapter} (regenerate it with examples/adapters/make-example-report.sh {adapter})"
            );
        }
    }
}

#[test]
fn the_official_khqr_sdk_is_certified_and_found_lenient() {
    require_node();
    ensure_installed("bakong-khqr", "bakong-khqr");
    let out = tempfile::tempdir().unwrap();
    let (code, report) = certify("bakong-khqr", &["khqr", "interop"], out.path());
    assert_eq!(code, 1, "the SDK is not expected to be certified");
    assert_eq!(report.verdict, Verdict::NotCertified);
    assert_eq!(report.implementation.name, "bakong-khqr");
    assert_eq!(report.implementation.version, "1.0.20");
    // It reads and accepts the KHQR digest's samples...
    assert_eq!(case(&report, "KHQR-EXAMPLES-001").grade, Grade::Pass);
    assert!(
        report
            .certification
            .iter()
            .any(|c| c.profile == Profile::Khqr
                && c.capability == Capability::Parse
                && c.verdict == CellVerdict::Certified)
    );
    // ...accepts a code with a repeated root tag (it keeps the last copy)...
    assert!(report.cases.iter().any(|c| c.grade == Grade::Fail
        && c.rules.iter().any(|r| r == "KHQR.TLV.DUPLICATE_TAG")
        && c.message.starts_with("accepted")));
    // ...and never returns from verify() on some desynchronised lengths.
    let hung: Vec<&str> = report
        .cases
        .iter()
        .filter(|c| c.message.contains("sdk_hung"))
        .map(|c| c.id.as_str())
        .collect();
    assert!(hung.contains(&"KHQR-MUT-LENGTH-012"), "{hung:?}");
    // As a KHQR wallet meeting JPQR codes it is not certified: it drops the JPQR account (26)
    // and the postal code (61) the payer's wallet needs, and refuses valid JPQR codes.
    let at_jpqr = report
        .directions
        .iter()
        .find(|d| d.direction.wallet == Profile::Khqr && d.direction.code == Profile::Jpqr)
        .expect("a khqr wallet at jpqr codes direction");
    assert_eq!(at_jpqr.verdict, Verdict::NotCertified);
    let dropped = case(&report, "INTEROP-JPQR-EXAMPLES-AT-KHQR-1001");
    assert_eq!(dropped.grade, Grade::Fail);
    assert!(dropped.message.contains("26 missing") && dropped.message.contains("61 missing"));
    let refused = case(&report, "INTEROP-CROSSBORDER-003");
    assert_eq!(refused.grade, Grade::Fail);
    assert!(refused.message.starts_with("rejected a well-formed code"));
    assert!(
        report
            .cases
            .iter()
            .filter(|c| c.profile == Profile::Interop)
            .all(|c| c.direction.is_some())
    );
    matches_committed(&report, "bakong-khqr");
}

#[test]
fn promptparse_is_certified_and_its_utf16_crc_caught() {
    require_node();
    ensure_installed("promptparse", "promptparse");
    let out = tempfile::tempdir().unwrap();
    let (code, report) = certify("promptparse", &["emvco", "thaiqr"], out.path());
    assert_eq!(code, 1);
    assert_eq!(report.implementation.name, "promptparse");
    assert_eq!(report.implementation.version, "1.6.0");
    assert_eq!(case(&report, "EMV-PARSE-001").grade, Grade::Pass);
    assert_eq!(case(&report, "EMV-GENERATE-001").grade, Grade::Pass);
    // Its CRC runs over the low byte of each character: wrong for Japanese text.
    let jp = case(&report, "EMV-GENERATE-007");
    assert_eq!(jp.grade, Grade::Fail);
    assert_eq!(jp.rules, ["EMV.63.CRC_MISMATCH"]);
    // Under thaiqr, as a Thai payment app uses it: it reads the digest's samples...
    assert_eq!(case(&report, "THQR-EXAMPLES-001").grade, Grade::Pass);
    // ...copies '081-234-5678' into 29/01 instead of normalising it...
    let mobile = case(&report, "THQR-GENERATE-002");
    assert_eq!(mobile.grade, Grade::Fail);
    assert_eq!(
        mobile.rules,
        ["THQR.29.01.FORMAT", "THQR.GEN.MOBILE_NORMALISATION"]
    );
    // ...writes an amount of -5.00 instead of refusing it, and rejects a Thai name in 64.
    assert_eq!(case(&report, "THQR-GENERATE-009").grade, Grade::Fail);
    assert_eq!(case(&report, "THQR-EXAMPLES-006").grade, Grade::Fail);
    // Its generated codes are detected as Thai QR.
    let made = case(&report, "THQR-GENERATE-001").observed["payload"]
        .as_str()
        .expect("a payload")
        .to_owned();
    let v = qrcert::rules::validate(&made, &qrcert::rules::Options::default()).unwrap();
    assert_eq!(v.profile, Profile::Thaiqr);
    assert!(v.valid, "{:?}", v.rule_ids());
    matches_committed(&report, "promptparse");
}

#[test]
fn vietnam_qr_pay_is_certified_and_its_leniencies_caught() {
    require_node();
    ensure_installed("vietnam-qr-pay", "vietnam-qr-pay");
    let out = tempfile::tempdir().unwrap();
    let (code, report) = certify("vietnam-qr-pay", &["vietqr"], out.path());
    assert_eq!(code, 1, "the library is not expected to be certified");
    assert_eq!(report.implementation.name, "vietnam-qr-pay");
    assert_eq!(report.implementation.version, "1.5.1");
    // It reads and accepts the digest's samples, 38/01 opened as BIN and account...
    assert_eq!(case(&report, "VNQR-EXAMPLES-001").grade, Grade::Pass);
    assert_eq!(case(&report, "VNQR-PARSE-001").grade, Grade::Pass);
    // ...writes a VND amount of 1000.50 instead of refusing it...
    let amount = case(&report, "VNQR-GENERATE-005");
    assert_eq!(amount.grade, Grade::Fail);
    assert_eq!(amount.rules, ["VNQR.54.DIGITS"]);
    // ...and accepts a merchant payment without 52/59/60.
    assert_eq!(case(&report, "VNQR-ACCOUNT-017").grade, Grade::Fail);
    // Its generated codes are detected as VietQR and valid.
    let made = case(&report, "VNQR-GENERATE-001").observed["payload"]
        .as_str()
        .expect("a payload")
        .to_owned();
    let v = qrcert::rules::validate(&made, &qrcert::rules::Options::default()).unwrap();
    assert_eq!(v.profile, Profile::Vietqr);
    assert!(v.valid, "{:?}", v.rule_ids());
    matches_committed(&report, "vietnam-qr-pay");
}
