//! `qrcert run` as a vendor's CI runs it: exit codes, the files written, `--list`, vacuous runs,
//! and the reference implementation certified through a real child process.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

fn qrcert(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("run qrcert")
}

#[test]
fn run_writes_the_reports_and_exits_0_when_certified() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = qrcert(&[
        "run",
        "--smoke",
        "--now",
        "2026-05-28T20:41:40Z",
        "--out",
        out,
        "-q",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("CERTIFIED"), "{stdout}");
    for f in ["report.json", "report.jsonl"] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["verdict"], "certified");
    assert_eq!(report["clock"], "2026-05-28T20:41:40.000Z");
    let lines = std::fs::read_to_string(dir.path().join("report.jsonl")).unwrap();
    assert_eq!(
        lines.lines().count() as u64,
        report["summary"]["total"].as_u64().unwrap()
    );
}

#[test]
fn the_reference_over_the_cli_transport_is_certified_too() {
    let dir = tempfile::tempdir().unwrap();
    let adapter = format!("cli:{BIN} reference --stdio");
    let o = qrcert(&[
        "run",
        "--smoke",
        "--adapter",
        &adapter,
        "--now",
        "2026-05-28T20:41:40Z",
        "--out",
        dir.path().to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["implementation"]["adapter"]["transport"], "cli");
    assert_eq!(report["implementation"]["name"], "qrcert-reference");
}

#[test]
fn filters_matching_nothing_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let o = qrcert(&[
        "run",
        "--vector",
        "NOPE-*",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("vacuous run") && err.contains("match no"),
        "{err}"
    );
    let o = qrcert(&[
        "run",
        "--profile",
        "khqr",
        "--tags",
        "(broken",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn list_shows_scenarios_and_vectors_without_running() {
    let o = qrcert(&[
        "run",
        "--list",
        "--profile",
        "khqr",
        "--capability",
        "generate",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("features/khqr/generate.feature"), "{out}");
    assert!(out.contains("KHQR-GENERATE-001"), "{out}");
    assert!(out.trim_end().ends_with("vectors would run"), "{out}");
}

#[test]
fn undefined_steps_and_unrun_vectors_are_harness_errors() {
    let dir = tempfile::tempdir().unwrap();
    let features = dir.path().join("features");
    std::fs::create_dir_all(features.join("emvco")).unwrap();
    std::fs::write(
        features.join("emvco/validate.feature"),
        "Feature: a programme with a typo\n\n  Scenario: broken\n    Given the implementation under test\n    When it validatez every \"emvco\" vector\n    Then every vector gets its expected result\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = qrcert(&[
        "run",
        "--profile",
        "emvco",
        "--features",
        features.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no step definition matches this step"),
        "{err}"
    );
    assert!(err.contains("validate.feature:5"), "{err}");
    assert!(err.contains("not run by any scenario"), "{err}");
}

#[test]
fn a_closed_stdout_and_stderr_do_not_stop_a_run_or_lose_its_report() {
    // `qrcert run 2>&1 | head -1`: the reader goes away; the run still finishes and writes
    // its reports, and its exit code is the verdict's, not a panic's.
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "--smoke",
            "--verbose",
            "--now",
            "2026-05-28T20:41:40Z",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run qrcert");
    drop(child.stdout.take());
    drop(child.stderr.take());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "{status}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["verdict"], "certified");
}
