//! Untrusted configuration and data through the command line: YAML alias bombs and deep nesting,
//! huge files, image bombs, and vector image references that leave the suite are refused with a
//! clear error (exit 2, or ERROR for the case an implementation's image hit), quickly and
//! without taking memory.

mod run_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use qrcert::report::Grade;
use run_support::*;

const LIMIT: Duration = Duration::from_secs(180);

/// qrcert's peak memory bound for these runs, in KiB (a smoke run peaks near 30 MiB).
const RSS_LIMIT_KIB: u64 = 64 * 1024;

fn refused(args: &[&str], words: &[&str]) -> Watched {
    let w = run_watched(args, &[], LIMIT);
    assert_eq!(w.code, Some(2), "{args:?}: {}{}", w.stdout, w.stderr);
    for word in words {
        assert!(w.stderr.contains(word), "{args:?}: {}", w.stderr);
    }
    assert!(!w.stderr.contains("panicked"), "{}", w.stderr);
    assert!(
        w.peak_rss_kib < RSS_LIMIT_KIB,
        "{args:?}: peaked at {} KiB",
        w.peak_rss_kib
    );
    w
}

fn run_with_adapter(config: &Path, out: &Path) -> Vec<String> {
    [
        "run",
        "--smoke",
        "--now",
        CLOCK,
        "-q",
        "--adapter",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]
    .map(str::to_owned)
    .to_vec()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn adapter_config_bombs_and_monsters_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let write = |name: &str, text: String| {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // Billion laughs, typed to fit (error_map values are lists of rule IDs): 40 000 aliases of a
    // 4 000-item list would expand to 160 million strings.
    let mut bomb = String::from("transport: builtin\nerror_map:\n  A0: &a0 [");
    bomb.push_str(&vec!["EMV.63.CRC_MISMATCH"; 4000].join(","));
    bomb.push_str("]\n");
    for i in 1..40_000 {
        bomb.push_str(&format!("  K{i}: *a0\n"));
    }
    let p = write("bomb.yaml", bomb);
    refused(
        &strs(&run_with_adapter(&p, &out)),
        &["bomb.yaml:3:", "anchors and aliases"],
    );

    // Deep nesting, flow and block.
    let p = write(
        "deep.yaml",
        format!(
            "transport: builtin\nerror_map:\n  A: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    refused(&strs(&run_with_adapter(&p, &out)), &["deep.yaml:3:"]);
    let mut block = String::from("transport: builtin\nerror_map:\n");
    for i in 1..200 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    let p = write("block.yaml", block);
    refused(&strs(&run_with_adapter(&p, &out)), &["block.yaml:"]);

    // Huge: refused by size before it is parsed.
    let p = write(
        "huge.yaml",
        format!("transport: builtin\nname: {}\n", "x".repeat(2 << 20)),
    );
    refused(
        &strs(&run_with_adapter(&p, &out)),
        &["huge.yaml", "larger than 1048576 bytes"],
    );
    assert!(!out.join("report.json").exists());
}

/// A copy of the suite to spoil.
fn suite_copy(tmp: &Path) -> PathBuf {
    let dst = tmp.join("vectors");
    let status = Command::new("cp")
        .arg("-r")
        .arg(repo().join("vectors"))
        .arg(&dst)
        .status()
        .unwrap();
    assert!(status.success());
    dst
}

fn run_on(vectors: &Path, out: &Path, adapter: &str) -> Vec<String> {
    [
        "run",
        "--smoke",
        "--now",
        CLOCK,
        "-q",
        "--vectors",
        vectors.to_str().unwrap(),
        "--adapter",
        adapter,
        "--out",
        out.to_str().unwrap(),
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn vector_file_bombs_and_monsters_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let vectors = suite_copy(tmp.path());
    let out = tmp.path().join("out");
    let crc = vectors.join("emvco/crc.yaml");

    let mut bomb = String::from("profile: emvco\narea: crc\ncases:\n  - &a0 {id: X}\n");
    for i in 1..10 {
        bomb.push_str(&format!(
            "  - &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(",")
        ));
    }
    std::fs::write(&crc, bomb).unwrap();
    refused(
        &strs(&run_on(&vectors, &out, "builtin")),
        &["emvco/crc.yaml", "anchors and aliases"],
    );

    // 100 MB (sparse: it costs no disk), refused by its size before it is read.
    let f = std::fs::File::create(&crc).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    drop(f);
    refused(
        &strs(&run_on(&vectors, &out, "builtin")),
        &["emvco/crc.yaml", "104857600 bytes", "limited to"],
    );
}

#[test]
fn image_references_leaving_the_suite_are_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let vectors = suite_copy(tmp.path());
    let scan = vectors.join("emvco/scan.yaml");
    let text = std::fs::read_to_string(&scan).unwrap();
    let first = text.find("image: \"images/").unwrap();
    let end = first + text[first..].find(".png\"").unwrap() + 5;
    let spoiled = format!(
        "{}image: \"images/../../../../etc/passwd\"{}",
        &text[..first],
        &text[end..]
    );
    std::fs::write(&scan, spoiled).unwrap();
    // Re-pinned, as a tampering vendor would: the manifest does not protect against this.
    let o = Command::new(BIN)
        .args([
            "vectors",
            "--dir",
            vectors.to_str().unwrap(),
            "manifest",
            "--update",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Lint names the case and the path.
    let o = Command::new(BIN)
        .args(["vectors", "--dir", vectors.to_str().unwrap(), "lint"])
        .output()
        .unwrap();
    let lint = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{lint}");
    assert!(
        lint.contains("EMV-SCAN-001") && lint.contains("images/../../../../etc/passwd"),
        "{lint}"
    );

    // The run refuses before the implementation is started: the logging implementation
    // never sees even `describe`.
    let log = tmp.path().join("requests.log");
    let config = hostile_cli_config(tmp.path(), "log", "");
    let out = tmp.path().join("out");
    let args = run_on(&vectors, &out, config.to_str().unwrap());
    let w = run_watched(
        &strs(&args),
        &[("HOSTILE_LOG", log.to_str().unwrap())],
        LIMIT,
    );
    assert_eq!(w.code, Some(2), "{}", w.stderr);
    assert!(
        w.stderr.contains("EMV-SCAN-001")
            && w.stderr
                .contains("image paths must stay inside vectors/images/"),
        "{}",
        w.stderr
    );
    assert!(!log.exists(), "the implementation was contacted");
    assert!(!out.join("report.json").exists());
}

/// A PNG of 16000 x 16000 pixels in about 270 KiB (256 MB once inflated), from the hostile
/// fixture.
fn write_bomb(path: &Path) {
    let code = format!(
        "import sys; sys.path.insert(0, {:?}); import hostile; open({:?}, 'wb').write(hostile.bomb())",
        hostile_script().parent().unwrap().display().to_string(),
        path.display().to_string()
    );
    let o = Command::new("python3")
        .args(["-c", &code])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::metadata(path).unwrap().len() < 1 << 20);
}

#[test]
fn image_bombs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();

    // On the command line.
    let bomb = tmp.path().join("bomb.png");
    write_bomb(&bomb);
    let w = run_watched(&["decode", bomb.to_str().unwrap()], &[], LIMIT);
    assert_ne!(w.code, Some(0));
    assert!(
        w.stderr.contains("too large") && w.stderr.contains("256000000"),
        "{}",
        w.stderr
    );
    assert!(w.peak_rss_kib < RSS_LIMIT_KIB, "{} KiB", w.peak_rss_kib);

    // From an implementation, in a run: its render replies are bombs. Those cases are ERROR
    // (qrcert refused the image; the implementation's fault, not a verdict on the symbol), the
    // rest is graded as usual, and memory stays bounded.
    // Building the bomb takes Python a few seconds: a longer timeout.
    let config = hostile_cli_config(tmp.path(), "image_bomb", "timeouts: {request: 20s}\n");
    let out = tmp.path().join("out");
    let w = run_watched(&strs(&run_with_adapter(&config, &out)), &[], LIMIT);
    assert_eq!(w.code, Some(1), "{}", w.stderr);
    let r = report(&out);
    let base = smoke_baseline();
    assert_eq!(ids(&r), ids(base));
    let mut renders = 0;
    for (c, b) in r.cases.iter().zip(&base.cases) {
        if c.capability == qrcert::Capability::Render {
            renders += 1;
            assert_eq!(c.grade, Grade::Error, "{}: {}", c.id, c.message);
            assert!(
                c.message.contains("refused") && c.message.contains("too large"),
                "{}",
                c.message
            );
        } else {
            assert_eq!(c.grade, b.grade, "{}", c.id);
        }
    }
    assert!(renders > 0);
    assert!(w.peak_rss_kib < RSS_LIMIT_KIB, "{} KiB", w.peak_rss_kib);
}
