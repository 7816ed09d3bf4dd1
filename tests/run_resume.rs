//! A run killed mid-way keeps every finished case on disk, and `qrcert run --resume DIR` finishes
//! it without asking the implementation again for those cases, ending with the report an
//! uninterrupted run writes. A resume of a different certification is refused.

mod run_support;

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use qrcert::report::Report;
use run_support::*;
use serde_json::Value;

const LIMIT: Duration = Duration::from_secs(240);

fn args<'a>(config: &'a str, out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "run",
        "--smoke",
        "--now",
        CLOCK,
        "-q",
        "--adapter",
        config,
        "--out",
        out,
    ];
    a.extend_from_slice(extra);
    a
}

/// Requests the implementation received (one JSON line each), `describe` excluded.
fn requests(log: &Path) -> Vec<Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["op"] != "describe")
        .collect()
}

/// How many requests a case sends, read from its report entry.
fn requests_of(case: &qrcert::report::CaseReport) -> usize {
    match &case.request {
        Value::Null => 0,
        Value::Array(a) => a.len(),
        _ => 1,
    }
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn canonical(r: &Report) -> String {
    String::from_utf8(r.normalized().to_canonical_json()).unwrap()
}

#[test]
fn a_killed_run_resumes_to_the_report_of_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    let config = hostile_cli_config(tmp.path(), "log", "");
    let config = config.to_str().unwrap();

    // The uninterrupted run.
    let whole_dir = tmp.path().join("whole");
    let whole_log = tmp.path().join("whole.log");
    let w = run_watched(
        &args(config, whole_dir.to_str().unwrap(), &[]),
        &[("HOSTILE_LOG", whole_log.to_str().unwrap())],
        LIMIT,
    );
    assert_eq!(w.code, Some(0), "{}", w.stderr);
    let whole = report(&whole_dir);
    let total = whole.cases.len();
    assert!(total > 30);
    let all_requests: usize = whole.cases.iter().map(requests_of).sum();
    assert_eq!(requests(&whole_log).len(), all_requests);

    // The same run, slowed down and killed (SIGKILL: no chance to clean up) once a third of
    // its cases are on disk. (`--jobs` is not part of what a resume must repeat: it changes
    // how fast cases run, not how they are graded.)
    let dir = tmp.path().join("killed");
    let killed_log = tmp.path().join("killed.log");
    // One request at a time, so the delay never adds up to a timeout in a queue.
    let mut child = spawn(
        &args(config, dir.to_str().unwrap(), &["--jobs", "1"]),
        &[
            ("HOSTILE_LOG", killed_log.to_str().unwrap()),
            ("HOSTILE_DELAY_MS", "100"),
        ],
    );
    let stream = dir.join("report.jsonl");
    let started = Instant::now();
    loop {
        let done = std::fs::read_to_string(&stream)
            .map(|s| s.lines().count())
            .unwrap_or(0);
        if done >= total / 3 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        assert!(started.elapsed() < LIMIT, "the run made no progress");
        thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !dir.join("report.json").exists(),
        "killed before the end, there is no report.json"
    );
    // Every finished case is on disk, each a complete line. Simulate a kill in the middle of
    // a write too: half a line at the end.
    let finished = lines(&stream);
    assert!(finished.len() >= total / 3 && finished.len() < total);
    let finished_ids: Vec<String> = finished
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let next = whole
        .cases
        .iter()
        .find(|c| !finished_ids.contains(&c.id))
        .unwrap();
    let torn = serde_json::to_string(next).unwrap();
    let mut bytes = std::fs::read(&stream).unwrap();
    bytes.extend_from_slice(&torn.as_bytes()[..torn.len() / 2]);
    std::fs::write(&stream, bytes).unwrap();

    // The resume: same command line plus --resume, no --out.
    let resume_log = tmp.path().join("resume.log");
    let mut resume_args = args(config, "", &["--resume", dir.to_str().unwrap()]);
    // `--resume` takes the place of `--out`.
    let out_at = resume_args.iter().position(|a| *a == "--out").unwrap();
    resume_args.drain(out_at..out_at + 2);
    let w = run_watched(
        &resume_args,
        &[("HOSTILE_LOG", resume_log.to_str().unwrap())],
        LIMIT,
    );
    assert_eq!(w.code, Some(0), "{}", w.stderr);
    let resumed = report(&dir);
    assert_eq!(canonical(&resumed), canonical(&whole));

    // Finished cases were not asked again: the resume sent exactly the others' requests.
    let expected_requests: usize = whole
        .cases
        .iter()
        .filter(|c| !finished_ids.contains(&c.id))
        .map(requests_of)
        .sum();
    assert_eq!(requests(&resume_log).len(), expected_requests);
    assert!(expected_requests < all_requests);

    // The stream is whole again: every case once, the torn line gone, the old lines untouched.
    let after = lines(&stream);
    assert_eq!(after.len(), total);
    assert_eq!(&after[..finished.len()], &finished[..]);
    let mut ids: Vec<String> = after
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total);
}

#[test]
fn a_resume_of_a_different_certification_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let d = dir.to_str().unwrap();
    let base = [
        "run",
        "--smoke",
        "--capability",
        "validate",
        "--profile",
        "khqr",
        "-q",
    ];
    let first = run_watched(
        &[&base[..], &["--now", CLOCK, "--out", d]].concat(),
        &[],
        LIMIT,
    );
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let first_report = canonical(&report(&dir));

    let refused = |extra: &[&str], words: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        a.extend_from_slice(&["--resume", d]);
        let w = run_watched(&a, &[], LIMIT);
        assert_eq!(w.code, Some(2), "{extra:?}: {}", w.stderr);
        for word in words {
            assert!(w.stderr.contains(word), "{extra:?}: {}", w.stderr);
        }
    };
    // Identical: accepted (nothing left to run, same verdict); without --now the run's clock
    // is used.
    let again = run_watched(&[&base[..], &["--resume", d]].concat(), &[], LIMIT);
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    refused(
        &["--now", "2030-01-01T00:00:00Z"],
        &["cannot resume", "clock"],
    );
    refused(&["--tags", "smoke"], &["cannot resume", "selection"]);
    let other = format!("cli:{BIN} reference --stdio");
    refused(&["--adapter", &other], &["cannot resume", "implementation"]);
    // `--resume` and `--out` name the same thing; both at once is a usage error.
    refused(&["--out", d], &["--out"]);
    // The refused attempts left the run as it was.
    assert_eq!(canonical(&report(&dir)), first_report);
    assert_eq!(
        lines(&dir.join("report.jsonl")).len(),
        report(&dir).cases.len()
    );

    let empty = tempfile::tempdir().unwrap();
    let w = run_watched(
        &[&base[..], &["--resume", empty.path().to_str().unwrap()]].concat(),
        &[],
        LIMIT,
    );
    assert_eq!(w.code, Some(2));
    assert!(w.stderr.contains("has no run.json"), "{}", w.stderr);
}
