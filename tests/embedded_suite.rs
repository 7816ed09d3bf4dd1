//! The suite built into the binary: a copy of `qrcert` alone, in an empty directory, certifies
//! the reference implementation with the whole suite, as `cargo install` or a CI image would run
//! it; `--vectors` and `--features` still override it; `vectors export` writes it out.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `bin` in `cwd` with a private suite cache and home, as on a machine that never saw the
/// repository.
fn qrcert(bin: &Path, cwd: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(bin)
        .current_dir(cwd)
        .env("HOME", cache)
        .env_remove("XDG_CACHE_HOME")
        .env("QRCERT_CACHE_DIR", cache.join("qrcert"))
        .args(args)
        .output()
        .expect("run qrcert")
}

fn report(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("report.json")).expect("report.json"))
        .expect("report.json is JSON")
}

fn repo_suite_sha256() -> String {
    hex::encode(Sha256::digest(
        std::fs::read(root().join("vectors/manifest.yaml")).unwrap(),
    ))
}

fn say(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_binary_alone_certifies_the_reference_with_the_whole_suite() {
    let empty = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let bin = empty.path().join("qrcert");
    std::fs::copy(env!("CARGO_BIN_EXE_qrcert"), &bin).unwrap();
    let o = qrcert(
        &bin,
        empty.path(),
        cache.path(),
        &["run", "-q", "--now", "2026-05-28T20:41:40Z", "--out", "out"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", say(&o));
    let r = report(&empty.path().join("out"));
    assert_eq!(r["verdict"], "certified");
    assert_eq!(r["suite"]["source"], "embedded");
    assert_eq!(r["suite"]["sha256"], repo_suite_sha256().as_str());
    // The whole suite: every vector a run of the repository's directories selects, scan images
    // included.
    let listed = Command::new(env!("CARGO_BIN_EXE_qrcert"))
        .arg("run")
        .arg("--vectors")
        .arg(root().join("vectors"))
        .arg("--features")
        .arg(root().join("features"))
        .args(["--now", "2026-05-28T20:41:40Z", "--list"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    let selected: u64 = listed
        .lines()
        .last()
        .and_then(|l| l.strip_suffix(" vectors would run"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {listed}"));
    assert!(selected > 1000);
    assert_eq!(r["summary"]["total"].as_u64(), Some(selected));
    assert!(
        r["cases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["capability"] == "scan" && c["grade"] == "PASS")
    );
    // Nothing was written beside the binary but the reports it was asked for.
    let mut left: Vec<String> = std::fs::read_dir(empty.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["out", "qrcert"]);
}

#[test]
fn directories_override_the_embedded_suite_and_export_writes_it_out() {
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_qrcert"));
    let o = qrcert(
        bin,
        work.path(),
        cache.path(),
        &["vectors", "export", "suite"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", say(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("--vectors"));
    let suite = work.path().join("suite");
    // The export is the repository's suite, file for file.
    for rel in ["vectors/manifest.yaml", "features/khqr/scan.feature"] {
        assert_eq!(
            std::fs::read(suite.join(rel)).unwrap(),
            std::fs::read(root().join(rel)).unwrap(),
            "{rel}"
        );
    }
    // Exporting again over it is refused, not mixed.
    let again = qrcert(
        bin,
        work.path(),
        cache.path(),
        &["vectors", "export", "suite"],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(say(&again).contains("already exists"), "{}", say(&again));

    // A run from the exported directories says so, with the same suite hash.
    let o = qrcert(
        bin,
        work.path(),
        cache.path(),
        &[
            "run",
            "--smoke",
            "-q",
            "--vectors",
            "suite/vectors",
            "--features",
            "suite/features",
            "--out",
            "dir",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", say(&o));
    let r = report(&work.path().join("dir"));
    assert_eq!(r["suite"]["source"], "directory");
    assert_eq!(r["suite"]["sha256"], repo_suite_sha256().as_str());

    // An altered vector directory is refused as it always was: the override is really read.
    let crc = suite.join("vectors/emvco/crc.yaml");
    let mut bytes = std::fs::read(&crc).unwrap();
    bytes.extend_from_slice(b"\n# edited\n");
    std::fs::write(&crc, bytes).unwrap();
    let o = qrcert(
        bin,
        work.path(),
        cache.path(),
        &[
            "run",
            "--smoke",
            "-q",
            "--vectors",
            "suite/vectors",
            "--out",
            "bad",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", say(&o));
    assert!(say(&o).contains("crc.yaml"), "{}", say(&o));
}

#[test]
fn a_cache_that_cannot_be_written_is_a_clear_error() {
    let work = tempfile::tempdir().unwrap();
    let blocked = work.path().join("file");
    std::fs::write(&blocked, "not a directory").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_qrcert"))
        .current_dir(work.path())
        .env("QRCERT_CACHE_DIR", blocked.join("cache"))
        .args(["run", "--smoke", "-q", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", say(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("cannot extract the built-in suite"), "{err}");
    assert!(err.contains("QRCERT_CACHE_DIR"), "{err}");
    assert!(err.contains("--vectors"), "{err}");
}
