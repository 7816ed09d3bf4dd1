//! `qrcert report reproduce`: a fresh run of the reference reproduces exactly, case by case;
//! the same report reproduced against a changed implementation lists the differences.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn qrcert(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("qrcert runs")
}

fn temp() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qrcert-reproduce-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn a_fresh_reference_run_reproduces_exactly_and_a_changed_adapter_does_not() {
    let dir = temp();
    let first = dir.join("first");
    let s = |p: &Path| p.to_str().expect("utf-8").to_owned();
    let o = qrcert(&[
        "run",
        "--fresh",
        "4242",
        "--now",
        "2026-12-01T00:00:00Z",
        "--capability",
        "validate",
        "--capability",
        "parse",
        "--profile",
        "khqr",
        "--profile",
        "jpqr",
        "--out",
        &s(&first),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report = first.join("report.json");

    let again = dir.join("again");
    let o = qrcert(&[
        "report",
        "reproduce",
        &s(&report),
        "--out",
        &s(&again),
        "-q",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("reproduced: all"), "{stdout}");
    let new = std::fs::read_to_string(again.join("report.json")).expect("new report");
    assert!(
        new.contains("\"seed\": \"4242\""),
        "the re-run is the same fresh suite"
    );

    // The same report against another implementation (one that answers from a table of the
    // committed suite): every difference is listed, case by case.
    let changed = dir.join("changed");
    let adapter = format!(
        "cli:python3 {} {}",
        repo()
            .join("tests/fixtures/memorizer/memorizer.py")
            .display(),
        repo().join("vectors").display()
    );
    let o = qrcert(&[
        "report",
        "reproduce",
        &s(&report),
        "--adapter",
        &adapter,
        "--out",
        &s(&changed),
        "-q",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("NOT reproduced"), "{stdout}");
    assert!(
        stdout.contains("implementation: qrcert-reference"),
        "{stdout}"
    );
    assert!(
        stdout.contains("KHQR-") && stdout.contains("PASS then, FAIL now"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
