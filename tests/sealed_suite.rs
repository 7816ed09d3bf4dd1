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

/// `qrcert ARGS` in `dir`, with `--suite-key KEY` when a key is given.
fn keyed<'a>(dir: &Path, mut args: Vec<&'a str>, key: Option<&'a str>) -> Output {
    if let Some(k) = key {
        args.extend(["--suite-key", k]);
    }
    qrcert(dir, &args)
}

/// `qrcert keygen --out NAME` in `dir`; returns the key ID it prints.
fn keygen(dir: &Path, name: &str) -> String {
    let said = ok(&qrcert(dir, &["keygen", "--out", name]));
    said.split("key id ")
        .nth(1)
        .and_then(|s| s.get(..16))
        .expect("key id")
        .to_owned()
}

/// `qrcert vectors seal --key operator --vectors VECTORS` in `dir`.
fn seal(dir: &Path, vectors: &str) {
    ok(&qrcert(
        dir,
        &["vectors", "seal", "--key", "operator", "--vectors", vectors],
    ));
}

/// Changes one byte (the first `Q`) of `file`.
fn change_one_byte(file: &Path) {
    let mut bytes = std::fs::read(file).expect("read");
    let i = bytes
        .iter()
        .position(|b| *b == b'Q')
        .expect("a Q to change");
    bytes[i] = b'R';
    std::fs::write(file, bytes).expect("write");
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
    let key_id = keygen(&dir, "operator");
    ok(&qrcert(&dir, &["keygen", "--out", "other"]));
    ok(&qrcert(&dir, &["vectors", "export", "suite"]));

    // Unsigned: refused.
    let o = run(&dir, "operator.pub", "r0");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not sealed"));

    seal(&dir, "suite/vectors");
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
    change_one_byte(&dir.join("suite/vectors/emvco/tlv.yaml"));
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
    let args = vec![
        "report",
        "reproduce",
        "r1/report.json",
        "--vectors",
        "suite/vectors",
        "--out",
        out,
        "-q",
    ];
    keyed(dir, args, key)
}

#[test]
fn reproducing_a_sealed_report_checks_the_seal_again() {
    let dir = workdir("reproduce");
    ok(&qrcert(&dir, &["keygen", "--out", "operator"]));
    ok(&qrcert(&dir, &["keygen", "--out", "other"]));
    ok(&qrcert(&dir, &["vectors", "export", "suite"]));
    seal(&dir, "suite/vectors");
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
    change_one_byte(&dir.join("suite/vectors/emvco/tlv.yaml"));
    let o = reproduce(&dir, Some("operator.pub"), "p3");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("emvco/tlv.yaml: altered"), "{stderr}");
    assert!(!dir.join("p3/report.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes the operator's guide's private vectors as an overlay of their own in `dir/private`,
/// with its own manifest.
fn private_overlay(dir: &Path) {
    std::fs::create_dir_all(dir.join("private/khqr")).expect("dirs");
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
        dir,
        &["vectors", "--dir", "private", "manifest", "--update"],
    ));
}

/// `qrcert run --overlay private` over the built-in suite's KHQR validate cases, with the
/// suite key when one is given.
fn run_overlaid(dir: &Path, key: Option<&str>, out: &str) -> Output {
    let args = vec![
        "run",
        "--overlay",
        "private",
        "--profile",
        "khqr",
        "--capability",
        "validate",
        "--now",
        "2026-12-01T00:00:00Z",
        "--out",
        out,
        "-q",
    ];
    keyed(dir, args, key)
}

/// `qrcert report reproduce r1/report.json` with `extra` arguments.
fn reproduce_overlaid(dir: &Path, extra: &[&str], out: &str) -> Output {
    let mut args = vec!["report", "reproduce", "r1/report.json", "--out", out, "-q"];
    args.extend(extra);
    qrcert(dir, &args)
}

fn report_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("report")).expect("json")
}

#[test]
fn private_vectors_overlay_the_built_in_suite_each_sealed_on_its_own() {
    let dir = workdir("overlay");
    let key_id = keygen(&dir, "operator");
    ok(&qrcert(&dir, &["keygen", "--out", "other"]));
    private_overlay(&dir);
    seal(&dir, "private");
    ok(&run_overlaid(&dir, Some("operator.pub"), "r1"));
    let report = std::fs::read_to_string(dir.join("r1/report.json")).expect("report");
    assert!(report.contains("KHQR-OPERATOR-002") && report.contains("KHQR-TAG99-001"));
    // The report names the overlay, its manifest and its seal: enough to run it again.
    let r = report_json(&dir.join("r1/report.json"));
    let overlays = r["suite"]["overlays"].as_array().expect("overlays");
    assert_eq!(overlays.len(), 1, "{overlays:?}");
    assert_eq!(overlays[0]["path"], "private");
    assert_eq!(overlays[0]["sealed_by"], key_id.as_str());
    assert_eq!(overlays[0]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(r["suite"]["source"], "embedded");

    // Reproduced with the overlay, its seal checked again: no key, refused; the key, exact.
    let o = reproduce_overlaid(&dir, &[], "p0");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--suite-key FILE"));
    let stdout = ok(&reproduce_overlaid(
        &dir,
        &["--suite-key", "operator.pub"],
        "p1",
    ));
    assert!(
        stdout.contains("reproduced: all") && stdout.contains("with the same 1 overlay(s)"),
        "{stdout}"
    );
    let p1 = report_json(&dir.join("p1/report.json"));
    assert_eq!(p1["suite"]["sha256"], r["suite"]["sha256"]);
    assert!(p1["cases"].as_array().is_some_and(|c| {
        c.iter()
            .any(|c| c["id"] == "KHQR-OPERATOR-001" && c["grade"] == "PASS")
    }));

    // Moved: named again with --overlay, it is the same overlay.
    std::fs::rename(dir.join("private"), dir.join("moved")).expect("move");
    let o = reproduce_overlaid(&dir, &["--suite-key", "operator.pub"], "p2");
    assert_eq!(o.status.code(), Some(2), "the recorded path is gone");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("overlay private is not a directory here"),
        "{stderr}"
    );
    let stdout = ok(&reproduce_overlaid(
        &dir,
        &["--suite-key", "operator.pub", "--overlay", "moved"],
        "p3",
    ));
    assert!(stdout.contains("reproduced: all"), "{stdout}");
    // As many overlays as the report records, or a clear refusal.
    let o = reproduce_overlaid(
        &dir,
        &[
            "--suite-key",
            "operator.pub",
            "--overlay",
            "moved",
            "--overlay",
            "moved",
        ],
        "p4",
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("had 1 overlay(s) (private)"), "{stderr}");
    std::fs::rename(dir.join("moved"), dir.join("private")).expect("move back");

    let o = run_overlaid(&dir, Some("other.pub"), "r2");
    assert_eq!(o.status.code(), Some(2));

    let file = dir.join("private/khqr/operator.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("Private Market", "Private Marker", 1)).expect("write");
    let o = run_overlaid(&dir, Some("operator.pub"), "r3");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("khqr/operator.yaml: altered"), "{stderr}");
    // Reproducing the report on the altered overlay is refused the same way, naming the file.
    let o = reproduce_overlaid(&dir, &["--suite-key", "operator.pub"], "p5");
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("khqr/operator.yaml: altered"), "{stderr}");
    assert!(!dir.join("p5/report.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unsealed_overlay_is_reproduced_and_a_changed_one_is_named() {
    let dir = workdir("overlay-unsealed");
    private_overlay(&dir);
    ok(&run_overlaid(&dir, None, "r1"));
    let r = report_json(&dir.join("r1/report.json"));
    assert_eq!(r["suite"]["overlays"][0]["path"], "private");
    assert!(r["suite"]["overlays"][0].get("sealed_by").is_none());
    let stdout = ok(&reproduce_overlaid(&dir, &[], "p1"));
    assert!(stdout.contains("with the same 1 overlay(s)"), "{stdout}");

    // The overlay changed (and re-hashed, so it loads): not reproduced, the overlay and the
    // case it changed named.
    let file = dir.join("private/khqr/operator.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("Private Market", "Private Marker", 1)).expect("write");
    ok(&qrcert(
        &dir,
        &["vectors", "--dir", "private", "manifest", "--update"],
    ));
    let o = reproduce_overlaid(&dir, &[], "p2");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("NOT reproduced"), "{stdout}");
    assert!(
        stdout.contains("overlay 1 (private then, private now): manifest"),
        "{stdout}"
    );
    assert!(
        stdout.contains("KHQR-OPERATOR-001: PASS then, FAIL now"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
