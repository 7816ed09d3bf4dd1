//! Shared by the whole-run reliability tests: `qrcert run` as a child process, watched for time
//! and memory; the hostile implementation; reading reports back.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use qrcert::report::{Grade, Report};

/// The qrcert binary under test.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

/// The clock every test run uses, so reports compare.
pub(crate) const CLOCK: &str = "2026-05-28T20:41:40Z";

/// The repository root (where `vectors/` and `features/` live).
pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The hostile implementation script.
pub(crate) fn hostile_script() -> PathBuf {
    repo().join("tests/fixtures/hostile/hostile.py")
}

/// What a watched run did.
#[derive(Debug)]
pub(crate) struct Watched {
    /// Exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error (the last 1 MiB).
    pub stderr: String,
    /// qrcert's own peak resident set (VmHWM), in KiB, as last seen before it exited.
    pub peak_rss_kib: u64,
    /// Wall time.
    pub elapsed: Duration,
}

/// Reads VmHWM (peak resident set) of a live process.
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn drain(mut r: impl Read + Send + 'static, keep: usize) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut kept: Vec<u8> = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > 2 * keep {
                kept.drain(..kept.len() - keep);
            }
        }
        String::from_utf8_lossy(&kept).into_owned()
    })
}

/// Starts `qrcert ARGS` in the repository with extra environment variables.
pub(crate) fn spawn(args: &[&str], envs: &[(&str, &str)]) -> Child {
    Command::new(BIN)
        .current_dir(repo())
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start qrcert")
}

/// Waits for a started qrcert, sampling its peak memory; kills it and fails the test when it
/// runs past `limit` (a hang is exactly what these tests exist to catch).
pub(crate) fn watch(mut child: Child, limit: Duration) -> Watched {
    let started = Instant::now();
    let pid = child.id();
    let out = drain(child.stdout.take().expect("piped"), 1 << 20);
    let err = drain(child.stderr.take().expect("piped"), 1 << 20);
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_rss(pid) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "qrcert did not finish within {limit:?}; stderr:\n{}",
                err.join().unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(5));
    };
    Watched {
        code: status.code(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        peak_rss_kib: peak,
        elapsed: started.elapsed(),
    }
}

/// Runs `qrcert ARGS` to the end (see [`watch`]).
pub(crate) fn run_watched(args: &[&str], envs: &[(&str, &str)], limit: Duration) -> Watched {
    watch(spawn(args, envs), limit)
}

/// Reads `DIR/report.json`.
pub(crate) fn report(dir: &Path) -> Report {
    let bytes = std::fs::read(dir.join("report.json"))
        .unwrap_or_else(|e| panic!("{}/report.json: {e}", dir.display()));
    Report::from_json(&bytes).expect("a report")
}

/// The report of the reference implementation (in process) on `--smoke` at [`CLOCK`]: what
/// every case not hit by a fault must match.
pub(crate) fn smoke_baseline() -> &'static Report {
    static BASELINE: OnceLock<Report> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let w = run_watched(
            &[
                "run",
                "--smoke",
                "--now",
                CLOCK,
                "-q",
                "--out",
                dir.path().to_str().unwrap(),
            ],
            &[],
            Duration::from_secs(300),
        );
        assert_eq!(w.code, Some(0), "{}", w.stderr);
        report(dir.path())
    })
}

/// Writes an adapter config for the hostile implementation of `kind` over the CLI transport,
/// with short timeouts unless `extra` (more YAML lines) sets its own.
pub(crate) fn hostile_cli_config(dir: &Path, kind: &str, extra: &str) -> PathBuf {
    let path = dir.join(format!("hostile-{kind}.yaml"));
    let timeouts = if extra.contains("timeouts:") {
        ""
    } else {
        "timeouts: {request: 1s, start: 3s}\n"
    };
    let text = format!(
        "name: hostile-{kind}\ntransport: cli\ncommand: [python3, {:?}, {kind}]\nenv: {{QRCERT_BIN: {:?}}}\n{timeouts}{extra}",
        hostile_script().display().to_string(),
        BIN,
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// How many cases got `grade`.
pub(crate) fn count(report: &Report, grade: Grade) -> usize {
    report.cases.iter().filter(|c| c.grade == grade).count()
}

/// The IDs of a report's cases, in report order.
pub(crate) fn ids(report: &Report) -> Vec<&str> {
    report.cases.iter().map(|c| c.id.as_str()).collect()
}
