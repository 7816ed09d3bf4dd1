//! Whole certification runs (`qrcert run --smoke`) against hostile implementations, through the
//! CLI transport and, where the fault has an HTTP form, the HTTP transport.
//!
//! The hostile implementation (tests/fixtures/hostile/hostile.py) is the reference
//! implementation behind a proxy that mishandles every fourth request. For each kind of fault:
//! the run ends in bounded time with exit 1 and no panic; every case of the selection is in the
//! report; the cases the fault hit are ERROR with a message naming the fault; every other case
//! is graded exactly as the reference is graded in process; and qrcert's memory stays bounded
//! (a 64 MiB reply line is never held).

mod run_support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use qrcert::report::{Grade, Report};
use run_support::*;

/// The longest a hostile run may take. A healthy smoke run takes seconds; the slowest hostile
/// ones (every process hangs until its timeout) take well under a minute on a loaded machine.
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// qrcert's peak memory bound, in KiB. A smoke run peaks near 30 MiB; the configs below cap
/// replies at 4 MiB, so a run that held a 64 MiB line (or a flood of stderr) would exceed it.
const RSS_LIMIT_KIB: u64 = 64 * 1024;

/// The reply cap put in every hostile config.
const MAX_REPLY: &str = "max_reply_bytes: 4194304\n";

/// What a fault must look like in the report.
struct Expect {
    /// Every case is ERROR (the implementation never works at all).
    all_error: bool,
    /// Words of which at least one appears in every ERROR case's message.
    words: &'static [&'static str],
}

fn certify(adapter: &Path, envs: &[(&str, &str)]) -> (Watched, Report, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let w = run_watched(
        &[
            "run",
            "--smoke",
            "--now",
            CLOCK,
            "-q",
            "--adapter",
            adapter.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
        envs,
        RUN_LIMIT,
    );
    assert!(
        out.path().join("report.json").is_file(),
        "no report: exit {:?}\n{}",
        w.code,
        w.stderr
    );
    let r = report(out.path());
    (w, r, out)
}

fn check(kind: &str, w: &Watched, r: &Report, out: &Path, expect: &Expect) {
    let base = smoke_baseline();
    assert_eq!(w.code, Some(1), "{kind}: exit code\n{}", w.stderr);
    assert!(!w.stderr.contains("panicked"), "{kind}: {}", w.stderr);
    assert_eq!(
        ids(r),
        ids(base),
        "{kind}: every case of the selection is reported"
    );
    let streamed = std::fs::read_to_string(out.join("report.jsonl")).unwrap();
    assert_eq!(
        streamed.lines().count(),
        r.cases.len(),
        "{kind}: report.jsonl"
    );
    let errors = count(r, Grade::Error);
    assert!(errors > 0, "{kind}: no case was graded ERROR");
    if expect.all_error {
        assert_eq!(errors, r.cases.len(), "{kind}: every case is ERROR");
    } else {
        assert!(
            errors < r.cases.len(),
            "{kind}: the fault hit every case, the proxy should only hit some"
        );
    }
    for (c, b) in r.cases.iter().zip(&base.cases) {
        if c.grade == Grade::Error {
            assert!(
                expect.words.iter().any(|w| c.message.contains(w)),
                "{kind}: {} is ERROR for an unexpected reason: {}",
                c.id,
                c.message
            );
        } else {
            assert_eq!(
                (c.grade, &c.observed),
                (b.grade, &b.observed),
                "{kind}: {} was not hit but is graded differently from the reference",
                c.id
            );
        }
    }
    assert!(
        w.peak_rss_kib < RSS_LIMIT_KIB,
        "{kind}: qrcert peaked at {} KiB",
        w.peak_rss_kib
    );
}

fn cli(kind: &str, expect: Expect) {
    let dir = tempfile::tempdir().unwrap();
    let config = hostile_cli_config(dir.path(), kind, MAX_REPLY);
    let (w, r, out) = certify(&config, &[]);
    check(kind, &w, &r, out.path(), &expect);
}

#[test]
fn cli_never_answers() {
    cli(
        "never_answers",
        Expect {
            all_error: true,
            words: &["timed out"],
        },
    );
}

#[test]
fn cli_crashes_every_few_requests() {
    cli(
        "crashy",
        Expect {
            all_error: false,
            words: &["crashed before answering"],
        },
    );
}

#[test]
fn cli_answers_garbage() {
    cli(
        "garbage",
        Expect {
            all_error: false,
            words: &["not JSON"],
        },
    );
}

#[test]
fn cli_answers_a_64_mib_line() {
    cli(
        "huge_line",
        Expect {
            all_error: false,
            words: &["larger than the limit of 4194304 bytes"],
        },
    );
}

#[test]
fn cli_answers_with_the_wrong_id() {
    cli(
        "wrong_id",
        Expect {
            all_error: false,
            // The misaddressed reply is reported when it arrives alone; a request whose reply
            // was misaddressed while others were in flight times out.
            words: &["carries id", "timed out"],
        },
    );
}

#[test]
fn cli_exits_0_at_once() {
    cli(
        "exits_at_once",
        Expect {
            all_error: true,
            words: &["exited without answering"],
        },
    );
}

#[test]
fn cli_answers_slowly() {
    cli(
        "slow",
        Expect {
            all_error: false,
            words: &["timed out"],
        },
    );
}

#[test]
fn cli_floods_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let config = hostile_cli_config(dir.path(), "stderr_flood", MAX_REPLY);
    let (w, r, out) = certify(&config, &[]);
    check(
        "stderr_flood",
        &w,
        &r,
        out.path(),
        &Expect {
            all_error: false,
            words: &["crashed before answering"],
        },
    );
    // The end of the flood is kept, bounded, so the vendor's last words reach the report.
    let last_words = r
        .cases
        .iter()
        .filter(|c| c.grade == Grade::Error)
        .filter(|c| c.message.contains("last words: out of licences"))
        .count();
    assert!(last_words > 0, "the stderr tail lost the last words");
    assert!(r.cases.iter().all(|c| c.message.len() < 64 * 1024));
}

/// The hostile implementation served over HTTP; killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(kind: &str) -> (Server, u16) {
    let mut child = Command::new("python3")
        .arg(hostile_script())
        .arg(kind)
        .arg("--http")
        .env("QRCERT_BIN", BIN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the server said {line:?}"));
    (Server(child), port)
}

fn http_config(dir: &Path, kind: &str, port: u16) -> std::path::PathBuf {
    let path = dir.join(format!("http-{kind}.yaml"));
    std::fs::write(
        &path,
        format!(
            "name: hostile-http-{kind}\ntransport: http\nurl: http://127.0.0.1:{port}/qr\ntimeouts: {{request: 1s}}\n{MAX_REPLY}"
        ),
    )
    .unwrap();
    path
}

fn http(kind: &str, expect: Expect) {
    let dir = tempfile::tempdir().unwrap();
    let (server, port) = serve(kind);
    let config = http_config(dir.path(), kind, port);
    let (w, r, out) = certify(&config, &[]);
    drop(server);
    check(&format!("http {kind}"), &w, &r, out.path(), &expect);
}

#[test]
fn http_never_answers() {
    http(
        "never_answers",
        Expect {
            all_error: true,
            words: &["timed out"],
        },
    );
}

#[test]
fn http_drops_connections_every_few_requests() {
    http(
        "crashy",
        Expect {
            all_error: false,
            words: &["connection", "closed", "reset", "error sending request"],
        },
    );
}

#[test]
fn http_answers_garbage() {
    http(
        "garbage",
        Expect {
            all_error: false,
            words: &["not JSON"],
        },
    );
}

#[test]
fn http_answers_a_64_mib_body() {
    http(
        "huge_line",
        Expect {
            all_error: false,
            words: &["larger than the limit of 4194304 bytes"],
        },
    );
}

#[test]
fn http_answers_with_the_wrong_id() {
    http(
        "wrong_id",
        Expect {
            all_error: false,
            words: &["carries id"],
        },
    );
}

#[test]
fn http_answers_slowly() {
    http(
        "slow",
        Expect {
            all_error: false,
            words: &["timed out"],
        },
    );
}

#[test]
fn http_server_gone() {
    // The HTTP form of "exits at once": nothing listens on the port.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let config = http_config(dir.path(), "gone", port);
    let (w, r, out) = certify(&config, &[]);
    check(
        "http gone",
        &w,
        &r,
        out.path(),
        &Expect {
            all_error: true,
            words: &["could not connect"],
        },
    );
}
