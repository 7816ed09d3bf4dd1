//! Implementations that must never be certified, run as a vendor would run them:
//! `qrcert run --profile khqr --timeout 1` against tests/fixtures/hostile/nothing.py, over the
//! CLI transport and, where the fault has an HTTP form, over HTTP. Each claims everything and
//! honours nothing (or claims nothing at all). Every run must end in bounded time with exit 1,
//! not certified, with as many cases as a healthy run and no PASS; apart from the implementation
//! that claims nothing, no case may be UNSUPPORTED: a refusal inside a claim, and every fault,
//! is an ERROR.

mod run_support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use qrcert::report::{CellVerdict, Grade, Report, Verdict};
use run_support::*;

/// The bound for each run.
const RUN_LIMIT: Duration = Duration::from_secs(240);

fn script() -> PathBuf {
    repo().join("tests/fixtures/hostile/nothing.py")
}

/// How many cases `--profile khqr` selects: what every run, however hostile its
/// implementation, must report.
fn healthy_cases() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| {
        let w = run_watched(&["run", "--profile", "khqr", "--list"], &[], RUN_LIMIT);
        assert_eq!(w.code, Some(0), "{}", w.stderr);
        w.stdout
            .lines()
            .find_map(|l| l.strip_suffix(" vectors would run"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no count in {}", w.stdout))
    })
}

fn certify(adapter: &str, out: &Path) -> (Watched, Report) {
    let w = run_watched(
        &[
            "run",
            "--profile",
            "khqr",
            "--timeout",
            "1",
            "--now",
            CLOCK,
            "-q",
            "--adapter",
            adapter,
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
        RUN_LIMIT,
    );
    assert!(
        out.join("report.json").is_file(),
        "{adapter}: no report: exit {:?}\n{}",
        w.code,
        w.stderr
    );
    let r = report(out);
    (w, r)
}

/// What every hostile run must show. `words`: one of them is in every ERROR case's message.
fn never_certified(what: &str, w: &Watched, r: &Report, unsupported_allowed: bool, words: &[&str]) {
    assert_eq!(w.code, Some(1), "{what}: exit code\n{}", w.stderr);
    assert!(!w.stderr.contains("panicked"), "{what}: {}", w.stderr);
    assert!(w.elapsed < RUN_LIMIT, "{what}: took {:?}", w.elapsed);
    assert_eq!(r.verdict, Verdict::NotCertified, "{what}");
    assert!(!r.verdict_reason.is_empty());
    assert_eq!(
        r.cases.len(),
        healthy_cases(),
        "{what}: every case is reported"
    );
    assert_eq!(count(r, Grade::Pass), 0, "{what}: a PASS");
    assert!(
        r.certification
            .iter()
            .all(|c| c.verdict != CellVerdict::Certified),
        "{what}: a certified cell"
    );
    if !unsupported_allowed {
        assert_eq!(count(r, Grade::Unsupported), 0, "{what}: UNSUPPORTED cases");
        assert_eq!(
            count(r, Grade::Error),
            r.cases.len(),
            "{what}: not all ERROR"
        );
    }
    for c in r.cases.iter().filter(|c| c.grade == Grade::Error) {
        assert!(
            words.iter().any(|w| c.message.contains(w)),
            "{what}: {} is ERROR for an unexpected reason: {}",
            c.id,
            c.message
        );
    }
}

fn cli_config(dir: &Path, kind: &str, extra: &str) -> PathBuf {
    let path = dir.join(format!("nothing-{kind}.yaml"));
    std::fs::write(
        &path,
        format!(
            "transport: cli\ncommand: [python3, {:?}, {kind}]\nmax_reply_bytes: 4194304\n{extra}",
            script().display().to_string()
        ),
    )
    .unwrap();
    path
}

fn cli(kind: &str, words: &[&str]) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let config = cli_config(dir.path(), kind, "");
    let out = dir.path().join("out");
    let (w, r) = certify(config.to_str().unwrap(), &out);
    never_certified(&format!("cli {kind}"), &w, &r, false, words);
    r
}

/// The server, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(kind: &str, words: &[&str]) -> Report {
    let mut child = Command::new("python3")
        .arg(script())
        .arg(kind)
        .arg("--http")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let server = Server(child);
    let port: u16 = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the server said {line:?}"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // The URL as people type it.
    let (w, r) = certify(&format!("http:http://127.0.0.1:{port}"), &out);
    drop(server);
    never_certified(&format!("http {kind}"), &w, &r, false, words);
    r
}

const CLAIMED_BUT_REFUSED: &str = "claimed but refused";

#[test]
fn cli_hang() {
    let r = cli("hang", &["did not answer describe"]);
    assert!(
        r.implementation.name.starts_with("unknown"),
        "{}",
        r.implementation.name
    );
}

#[test]
fn http_hang() {
    let r = http("hang", &["did not answer describe"]);
    assert!(r.implementation.name.starts_with("unknown"));
}

#[test]
fn cli_crash_on_every_fifth_request() {
    let r = cli("crash5", &[CLAIMED_BUT_REFUSED, "crashed before answering"]);
    assert!(
        r.cases
            .iter()
            .any(|c| c.message.contains("boom: the vendor SDK fell over")),
        "the crash's stderr reaches the report"
    );
}

#[test]
fn http_drops_every_fifth_connection() {
    http(
        "crash5",
        &[
            CLAIMED_BUT_REFUSED,
            "connection",
            "closed",
            "reset",
            "error sending request",
        ],
    );
}

#[test]
fn cli_non_json() {
    cli("nonjson", &["not JSON"]);
}

#[test]
fn http_non_json() {
    http("nonjson", &["not JSON"]);
}

#[test]
fn cli_64_mib_lines() {
    // Writing 64 MiB can take longer than the 1 s timeout on a loaded machine: a timeout is as
    // right a verdict for such a case as the size limit, and at least one case must show the limit.
    let r = cli(
        "huge",
        &[
            CLAIMED_BUT_REFUSED,
            "larger than the limit",
            "no reply within",
        ],
    );
    assert!(
        r.cases
            .iter()
            .any(|c| c.message.contains("larger than the limit"))
    );
}

#[test]
fn http_64_mib_bodies() {
    let r = http(
        "huge",
        &[
            CLAIMED_BUT_REFUSED,
            "larger than the limit",
            "no reply within",
        ],
    );
    assert!(
        r.cases
            .iter()
            .any(|c| c.message.contains("larger than the limit"))
    );
}

#[test]
fn cli_wrong_ids() {
    cli("wrong_id", &["carries id", "timed out"]);
}

#[test]
fn http_wrong_ids() {
    http("wrong_id", &["carries id"]);
}

#[test]
fn cli_exit_after_describe() {
    let r = cli(
        "exit_after_describe",
        &["exited without answering", "unresponsive"],
    );
    // Declared unresponsive: most cases were never asked, and say so.
    assert!(
        r.cases
            .iter()
            .any(|c| c.observed["fault"] == "unresponsive")
    );
    assert_eq!(r.implementation.name, "nothing-exit_after_describe");
}

#[test]
fn http_stops_serving_after_describe() {
    let r = http(
        "exit_after_describe",
        &["could not connect", "connection", "closed", "unresponsive"],
    );
    assert!(
        r.cases
            .iter()
            .any(|c| c.observed["fault"] == "unresponsive")
    );
}

#[test]
fn cli_three_seconds_per_answer() {
    let r = cli(
        "slow",
        &["timed out", "killed while this request", "unresponsive"],
    );
    // The late replies were never credited: not one case carries the implementation's answer.
    assert!(
        r.cases
            .iter()
            .all(|c| !c.message.contains(CLAIMED_BUT_REFUSED)),
        "a reply later than the timeout was credited"
    );
    assert_eq!(
        r.implementation.name, "nothing-slow",
        "describe got its start-up budget"
    );
}

#[test]
fn http_three_seconds_per_answer() {
    let r = http("slow", &["timed out", "unresponsive"]);
    assert!(
        r.cases
            .iter()
            .all(|c| !c.message.contains(CLAIMED_BUT_REFUSED))
    );
}

#[test]
fn cli_floods_stderr() {
    let r = cli("flood", &[CLAIMED_BUT_REFUSED]);
    // Its describe was read despite the flood, and each case keeps a bounded tail of it.
    assert_eq!(r.implementation.name, "nothing-flood");
    let with_stderr: Vec<_> = r.cases.iter().filter_map(|c| c.stderr.as_ref()).collect();
    assert!(!with_stderr.is_empty(), "no case kept its stderr");
    for e in with_stderr {
        assert!(e.bytes >= 1024 * 1024, "{} bytes counted", e.bytes);
        assert!(e.tail.len() <= 4200, "{} bytes kept", e.tail.len());
    }
}

#[test]
fn cli_claims_everything_refuses_everything() {
    cli("refuse_all", &[CLAIMED_BUT_REFUSED]);
}

#[test]
fn http_claims_everything_refuses_everything() {
    http("refuse_all", &[CLAIMED_BUT_REFUSED]);
}

fn claims_nothing(r: &Report) {
    assert_eq!(count(r, Grade::Unsupported), r.cases.len());
    assert_eq!(r.verdict_reason, "nothing certified: no capability claimed");
    assert!(
        r.certification
            .iter()
            .all(|c| c.verdict == CellVerdict::NotClaimed)
    );
}

#[test]
fn cli_claims_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = cli_config(dir.path(), "claim_nothing", "");
    let out = dir.path().join("out");
    let (w, r) = certify(config.to_str().unwrap(), &out);
    never_certified("cli claim_nothing", &w, &r, true, &[]);
    claims_nothing(&r);
    // Every format says so.
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        md.contains("NOT CERTIFIED") && md.contains("nothing certified: no capability claimed")
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("NOT CERTIFIED") && html.contains("nothing certified: no capability claimed")
    );
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    let parsed = quick_junit::Report::deserialize_from_str(&junit).unwrap();
    assert_eq!(parsed.failures, 1, "the certificate testcase fails");
    assert!(junit.contains("nothing certified: no capability claimed"));
    assert!(w.stdout.contains("NOT CERTIFIED"));
    assert!(
        w.stdout
            .contains("nothing certified: no capability claimed")
    );
}

#[test]
fn http_claims_nothing() {
    let mut child = Command::new("python3")
        .arg(script())
        .arg("claim_nothing")
        .arg("--http")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _server = Server(child);
    let port = line.trim().trim_start_matches("PORT ");
    let dir = tempfile::tempdir().unwrap();
    let (w, r) = certify(
        &format!("http:http://127.0.0.1:{port}"),
        &dir.path().join("out"),
    );
    never_certified("http claim_nothing", &w, &r, true, &[]);
    claims_nothing(&r);
}

/// Processes whose environment carries `marker`.
fn marked(marker: &str) -> Vec<u32> {
    let needle = format!("QRCERT_TEST_MARKER={marker}");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(env) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        let zombie = std::fs::read_to_string(entry.path().join("stat"))
            .map(|s| s.contains(") Z "))
            .unwrap_or(true);
        if !zombie && env.split(|b| *b == 0).any(|v| v == needle.as_bytes()) {
            found.push(pid);
        }
    }
    found
}

#[test]
fn a_wrapper_leaves_no_process_behind() {
    let dir = tempfile::tempdir().unwrap();
    let marker = format!("wrapper-{}", std::process::id());
    let config = cli_config(
        dir.path(),
        "wrapper",
        &format!("env: {{QRCERT_TEST_MARKER: {marker}}}\n"),
    );
    let out = dir.path().join("out");
    let (w, r) = certify(config.to_str().unwrap(), &out);
    never_certified(
        "cli wrapper",
        &w,
        &r,
        false,
        &["timed out", "killed while this request", "unresponsive"],
    );
    let left = marked(&marker);
    assert!(left.is_empty(), "processes outlived the run: {left:?}");
}

#[test]
fn ctrl_c_leaves_no_process_behind() {
    let dir = tempfile::tempdir().unwrap();
    let marker = format!("ctrlc-{}", std::process::id());
    let config = cli_config(
        dir.path(),
        "wrapper",
        &format!("env: {{QRCERT_TEST_MARKER: {marker}}}\ntimeouts: {{request: 60s}}\n"),
    );
    let out = dir.path().join("out");
    let child = spawn(
        &[
            "run",
            "--profile",
            "khqr",
            "--now",
            CLOCK,
            "-q",
            "--adapter",
            config.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
    );
    let pid = child.id();
    // Wait until the wrapper has started its never-ending child.
    let mut waited = Duration::ZERO;
    while marked(&marker).len() < 2 {
        assert!(
            waited < Duration::from_secs(60),
            "the wrapper never started its child"
        );
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    }
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let w = watch(child, Duration::from_secs(30));
    assert_eq!(w.code, Some(130), "{}", w.stderr);
    assert!(w.stderr.contains("--resume"), "{}", w.stderr);
    std::thread::sleep(Duration::from_millis(200));
    let left = marked(&marker);
    assert!(left.is_empty(), "processes outlived Ctrl-C: {left:?}");
}
