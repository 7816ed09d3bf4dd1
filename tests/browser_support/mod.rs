//! Headless Chromium for the browser tests (the HTML report, the deck, the session page).
//!
//! Needs `/usr/bin/chromium` (Debian package `chromium`; `scripts/test`, the README's test
//! command, installs it). Without it a test fails and says how to install it: it is never
//! skipped.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one Chromium invocation may take.
pub(crate) const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

/// The Chromium binary; fails the test when there is none.
pub(crate) fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("QRCERT_CHROMIUM") {
        return PathBuf::from(p);
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "chromium is not installed: run the tests with scripts/test, which installs it, \
                 or `apt-get install -y chromium` (or set QRCERT_CHROMIUM to a Chromium binary)"
            )
        })
}

/// The flags every headless run uses.
pub(crate) const HEADLESS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// Runs Chromium headless with a fresh profile; returns its stdout.
pub(crate) fn run_chromium(bin: &Path, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(bin);
    cmd.args(HEADLESS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).map(|_| s)
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > BROWSER_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {BROWSER_TIMEOUT:?}: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = out_reader.join().unwrap().unwrap();
    let err = err_reader.join().unwrap();
    assert!(status.success(), "chromium failed ({status}): {err}");
    out
}

/// `target/test-output`, where screenshots go.
pub(crate) fn output_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is target/tmp; the screenshots go beside it.
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(&tmp).join("test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Prints `url` to a PDF; returns its bytes.
pub(crate) fn print_to_pdf(bin: &Path, url: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out.pdf");
    run_chromium(
        bin,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
            "--virtual-time-budget=5000".into(),
            url.to_owned(),
        ],
    );
    std::fs::read(&pdf).expect("PDF written")
}

/// The pages of a PDF, as Chromium writes it (one `/Type /Page` object per page, uncompressed).
pub(crate) fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// The `/MediaBox` of the first page, in points.
pub(crate) fn pdf_media_box(pdf: &[u8]) -> Option<[f64; 4]> {
    let text = String::from_utf8_lossy(pdf);
    let i = text.find("/MediaBox [")?;
    let rest = &text[i + "/MediaBox [".len()..];
    let nums: Vec<f64> = rest[..rest.find(']')?]
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    nums.try_into().ok()
}
