//! `qrcert keygen` and `qrcert report verify|diff|render|schema` as a user runs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qrcert::report::files::{SIGNATURE, write_all};
use qrcert::report::fixtures;
use qrcert::report::sign::SecretKey;

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run qrcert")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A signed sample run in `dir/run`, signed with a key made by `qrcert keygen`.
fn signed_run(dir: &Path) -> (PathBuf, PathBuf) {
    let prefix = dir.join("signer");
    let out = run(&["keygen", "--out", s(&prefix)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("key id "));
    let key = SecretKey::load(&prefix).unwrap();
    let w = write_all(&fixtures::sample(), &dir.join("run"), Some(&key)).unwrap();
    assert_eq!(
        w.signature.as_deref(),
        Some(dir.join("run").join(SIGNATURE).as_path())
    );
    (w.json.unwrap(), dir.join("signer.pub"))
}

#[test]
fn verify_accepts_only_the_untouched_report() {
    let dir = tempfile::tempdir().unwrap();
    let (report, public) = signed_run(dir.path());
    let ok = run(&["report", "verify", "--key", s(&public), s(&report)]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let stdout = text(&ok.stdout);
    assert!(stdout.starts_with("OK: "), "{stdout}");
    assert!(
        stdout.contains("deviant-qr 0.9.0") && stdout.contains("NOT CERTIFIED"),
        "{stdout}"
    );

    let original = std::fs::read(&report).unwrap();
    let step = original.len() / 40;
    for i in (0..original.len())
        .step_by(step)
        .chain([original.len() - 1])
    {
        let mut bad = original.clone();
        bad[i] ^= 0x01;
        std::fs::write(&report, &bad).unwrap();
        let out = run(&["report", "verify", "--key", s(&public), s(&report)]);
        assert_eq!(out.status.code(), Some(1), "report byte {i} flipped");
        assert!(text(&out.stderr).contains("does NOT verify"));
    }
    std::fs::write(&report, &original).unwrap();

    let sig_path = dir.path().join("run").join(SIGNATURE);
    let sig = std::fs::read(&sig_path).unwrap();
    for i in 0..sig.len() {
        let mut bad = sig.clone();
        bad[i] ^= 0x01;
        std::fs::write(&sig_path, &bad).unwrap();
        let out = run(&["report", "verify", "--key", s(&public), s(&report)]);
        assert_eq!(out.status.code(), Some(1), "signature byte {i} flipped");
    }
    std::fs::write(&sig_path, &sig).unwrap();
    assert_eq!(
        run(&["report", "verify", "--key", s(&public), s(&report)])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn verify_with_another_key_or_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let (report, _) = signed_run(dir.path());
    let other = dir.path().join("other");
    assert_eq!(run(&["keygen", "--out", s(&other)]).status.code(), Some(0));
    let other_pub = dir.path().join("other.pub");
    let out = run(&["report", "verify", "--key", s(&other_pub), s(&report)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("not with the given key"),
        "{}",
        text(&out.stderr)
    );

    // --sig names the signature file explicitly.
    let moved = dir.path().join("elsewhere.sig");
    std::fs::rename(dir.path().join("run").join(SIGNATURE), &moved).unwrap();
    let out = run(&[
        "report",
        "verify",
        "--key",
        s(&dir.path().join("signer.pub")),
        s(&report),
    ]);
    assert_eq!(out.status.code(), Some(2), "missing signature is an error");
    assert!(
        text(&out.stderr).contains("report.json.sig"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&[
        "report",
        "verify",
        "--key",
        s(&dir.path().join("signer.pub")),
        "--sig",
        s(&moved),
        s(&report),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The secret key is not a public key.
    let out = run(&[
        "report",
        "verify",
        "--key",
        s(&dir.path().join("signer")),
        s(&report),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("this is a secret key file"));

    // keygen refuses to overwrite.
    let out = run(&["keygen", "--out", s(&other)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("refusing to overwrite"));
}

#[test]
fn diff_exits_1_on_regression_and_0_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.json");
    let deviant = dir.path().join("deviant.json");
    std::fs::write(&reference, fixtures::reference_run().to_canonical_json()).unwrap();
    std::fs::write(&deviant, fixtures::deviant_run().to_canonical_json()).unwrap();

    let out = run(&["report", "diff", s(&reference), s(&deviant)]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out.stdout);
    assert!(t.contains("newly failing (7):"), "{t}");
    assert!(
        t.contains("payload/59: \"QRCERT SYNTHETIC\" -> \"QRCERT SYNTHETI\""),
        "{t}"
    );
    assert!(t.trim_end().ends_with("cell(s) no longer certified"), "{t}");

    let out = run(&[
        "report",
        "diff",
        "--format",
        "markdown",
        s(&deviant),
        s(&reference),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let md = text(&out.stdout);
    assert!(md.starts_with("## ✅ qrcert report diff"), "{md}");
    assert!(md.contains("### Newly passing (7)"), "{md}");

    let same = run(&["report", "diff", s(&reference), s(&reference)]);
    assert_eq!(same.status.code(), Some(0));
    assert!(text(&same.stdout).contains("no differences"));

    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, b"not json").unwrap();
    let out = run(&["report", "diff", s(&reference), s(&garbage)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("garbage.json: not a qrcert report"));
    let out = run(&[
        "report",
        "diff",
        s(&reference),
        s(&dir.path().join("nope.json")),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn render_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    std::fs::write(&report, fixtures::sample().to_canonical_json()).unwrap();
    let out_dir = dir.path().join("out");
    let out = run(&["report", "render", s(&report), "--out", s(&out_dir)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.contains("NOT CERTIFIED"));
    assert!(
        std::fs::read_to_string(out_dir.join("junit.xml"))
            .unwrap()
            .contains("<testsuites")
    );
    assert!(
        std::fs::read_to_string(out_dir.join("summary.md"))
            .unwrap()
            .contains("### Waivers")
    );

    let out = run(&["report", "schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["$id"], "urn:qrcert:report:2");
}
