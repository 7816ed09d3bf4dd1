//! Sealed suites: `qrcert vectors seal` and `qrcert run --suite-key`. An untouched sealed suite
//! runs and the report records the key; one byte changed in one vector file, another key, or no
//! seal at all is refused with exit 2, naming what is wrong.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

fn qrcert(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("qrcert runs")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qrcert-seal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run(dir: &Path, key: &str, out: &str) -> Output {
    qrcert(
        dir,
        &[
            "run",
            "--vectors",
            "suite/vectors",
            "--suite-key",
            key,
            "--capability",
            "validate",
            "--profile",
            "khqr",
            "--now",
            "2026-12-01T00:00:00Z",
            "--out",
            out,
            "-q",
        ],
    )
}

#[test]
fn a_sealed_suite_runs_untouched_and_is_refused_altered_or_under_another_key() {
    let dir = workdir("sealed");
    let keygen = ok(&qrcert(&dir, &["keygen", "--out", "operator"]));
    let key_id = keygen
        .split("key id ")
        .nth(1)
        .and_then(|s| s.get(..16))
        .expect("key id")
        .to_owned();
    ok(&qrcert(&dir, &["keygen", "--out", "other"]));
    ok(&qrcert(&dir, &["vectors", "export", "suite"]));

    // Unsigned: refused.
    let o = run(&dir, "operator.pub", "r0");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not sealed"));

    ok(&qrcert(
        &dir,
        &[
            "vectors",
            "seal",
            "--key",
            "operator",
            "--vectors",
            "suite/vectors",
        ],
    ));
    let o = run(&dir, "operator.pub", "r1");
    ok(&o);
    let report = std::fs::read_to_string(dir.join("r1/report.json")).expect("report");
    assert!(
        report.contains(&format!("\"sealed_by\": \"{key_id}\"")),
        "the report records the suite key"
    );

    // Another key: refused, naming both keys.
    let o = run(&dir, "other.pub", "r2");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("sealed by key") && stderr.contains(&key_id),
        "{stderr}"
    );
    assert!(!dir.join("r2/report.json").exists());

    // One byte changed in one vector file: refused, naming the file.
    let file = dir.join("suite/vectors/emvco/tlv.yaml");
    let mut bytes = std::fs::read(&file).expect("read");
    let i = bytes
        .iter()
        .position(|b| *b == b'Q')
        .expect("a Q to change");
    bytes[i] = b'R';
    std::fs::write(&file, bytes).expect("write");
    let o = run(&dir, "operator.pub", "r3");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("emvco/tlv.yaml: altered"), "{stderr}");
    assert!(!dir.join("r3/report.json").exists());

    // Re-hashing the manifest does not help: the manifest itself is sealed.
    ok(&qrcert(
        &dir,
        &["vectors", "--dir", "suite/vectors", "manifest", "--update"],
    ));
    let o = run(&dir, "operator.pub", "r4");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("manifest.yaml: altered after sealing"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn reproduce(dir: &Path, key: Option<&str>, out: &str) -> Output {
    let mut args = vec![
        "report",
        "reproduce",
        "r1/report.json",
        "--vectors",
        "suite/vectors",
        "--out",
        out,
        "-q",
    ];
    if let Some(k) = key {
        args.extend(["--suite-key", k]);
    }
    qrcert(dir, &args)
}

#[test]
fn reproducing_a_sealed_report_checks_the_seal_again() {
    let dir = workdir("reproduce");
    ok(&qrcert(&dir, &["keygen", "--out", "operator"]));
    ok(&qrcert(&dir, &["keygen", "--out", "other"]));
    ok(&qrcert(&dir, &["vectors", "export", "suite"]));
    ok(&qrcert(
        &dir,
        &[
            "vectors",
            "seal",
            "--key",
            "operator",
            "--vectors",
            "suite/vectors",
        ],
    ));
    ok(&run(&dir, "operator.pub", "r1"));

    // No key: refused, saying how to pass it.
    let o = reproduce(&dir, None, "p0");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("--suite-key FILE"), "{stderr}");
    assert!(!dir.join("p0/report.json").exists());

    // Another key: refused, naming the key file.
    let o = reproduce(&dir, Some("other.pub"), "p1");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("other.pub") && stderr.contains("is not the suite key"),
        "{stderr}"
    );
    assert!(!dir.join("p1/report.json").exists());

    // The right key on the untouched suite: reproduced, seal and all.
    let o = reproduce(&dir, Some("operator.pub"), "p2");
    let stdout = ok(&o);
    assert!(stdout.contains("reproduced: all"), "{stdout}");

    // One byte changed in one vector file: refused, naming the file.
    let file = dir.join("suite/vectors/emvco/tlv.yaml");
    let mut bytes = std::fs::read(&file).expect("read");
    let i = bytes
        .iter()
        .position(|b| *b == b'Q')
        .expect("a Q to change");
    bytes[i] = b'R';
    std::fs::write(&file, bytes).expect("write");
    let o = reproduce(&dir, Some("operator.pub"), "p3");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("emvco/tlv.yaml: altered"), "{stderr}");
    assert!(!dir.join("p3/report.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn private_vectors_overlay_the_built_in_suite_each_sealed_on_its_own() {
    let dir = workdir("overlay");
    std::fs::create_dir_all(dir.join("private/khqr")).expect("dirs");
    ok(&qrcert(&dir, &["keygen", "--out", "operator"]));
    ok(&qrcert(&dir, &["keygen", "--out", "other"]));
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/programme.md"))
            .expect("guide");
    // The private vectors of the operator's guide, as an overlay of their own.
    let body = guide
        .split("cat > programme/vectors/khqr/operator.yaml <<'YAML'\n")
        .nth(1)
        .and_then(|s| s.split("\nYAML\n").next())
        .expect("the guide's private vectors");
    std::fs::write(dir.join("private/khqr/operator.yaml"), format!("{body}\n")).expect("write");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/manifest.yaml"),
        dir.join("private/manifest.yaml"),
    )
    .expect("manifest");
    ok(&qrcert(
        &dir,
        &["vectors", "--dir", "private", "manifest", "--update"],
    ));
    ok(&qrcert(
        &dir,
        &[
            "vectors",
            "seal",
            "--key",
            "operator",
            "--vectors",
            "private",
        ],
    ));
    let run = |key: &str, out: &str| {
        qrcert(
            &dir,
            &[
                "run",
                "--overlay",
                "private",
                "--suite-key",
                key,
                "--profile",
                "khqr",
                "--capability",
                "validate",
                "--now",
                "2026-12-01T00:00:00Z",
                "--out",
                out,
                "-q",
            ],
        )
    };
    let o = run("operator.pub", "r1");
    ok(&o);
    let report = std::fs::read_to_string(dir.join("r1/report.json")).expect("report");
    assert!(report.contains("KHQR-OPERATOR-002") && report.contains("KHQR-TAG99-001"));

    let o = run("other.pub", "r2");
    assert_eq!(o.status.code(), Some(2));

    let file = dir.join("private/khqr/operator.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("Private Market", "Private Marker", 1)).expect("write");
    let o = run("operator.pub", "r3");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("khqr/operator.yaml: altered"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
