//! The CLI transport against real child processes, well-behaved and hostile
//! (tests/fixtures/adapters/*.py). Each fault must hit the request concerned, later requests
//! must still be answered (or fail fast once the program cannot be kept up), and every test
//! ends in bounded time.

mod adapter_support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use adapter_support::{fixture, validate};
use qrcert::adapter::Secret;
use qrcert::adapter::cli::{CliAdapter, CliMode, CliOptions};
use qrcert::adapter::protocol::{Op, Reply, Request, ValidateReply};
use qrcert::adapter::{Adapter, CallError, Fault, HarnessError};

fn valid(reply: &Result<Reply, CallError>) -> bool {
    match reply {
        Ok(Reply::Validate(ValidateReply { valid, .. })) => *valid,
        other => panic!("expected a validate reply, got {other:?}"),
    }
}

fn fault(reply: Result<Reply, CallError>) -> Fault {
    match reply {
        Err(CallError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_well_behaved_program_answers_everything_concurrently() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = fixture("well_behaved.py");
    opts.concurrency = 2;
    opts.cwd = Some(dir.path().to_path_buf());
    opts.env = vec![
        ("FIXTURE_NAME".into(), Secret::new("acme-sdk")),
        ("ACME_TOKEN".into(), Secret::new("t0ken")),
    ];
    opts.request_timeout = Duration::from_secs(5);
    let adapter = Arc::new(CliAdapter::new(opts));
    assert_eq!(adapter.transport(), "cli");
    let description = adapter.describe().await.unwrap();
    assert_eq!(description.name, "acme-sdk");

    match adapter.call(validate(1, "env:ACME_TOKEN")).await {
        Ok(Reply::Validate(r)) => assert_eq!(r.errors[0].message, "t0ken"),
        other => panic!("{other:?}"),
    }
    match adapter.call(validate(2, "cwd")).await {
        Ok(Reply::Validate(r)) => assert_eq!(
            std::fs::canonicalize(&r.errors[0].message).unwrap(),
            std::fs::canonicalize(dir.path()).unwrap()
        ),
        other => panic!("{other:?}"),
    }
    match adapter
        .call(Request::new(
            3,
            Op::Render {
                payload: "x".into(),
            },
        ))
        .await
    {
        Err(CallError::Refused(e)) => assert!(e.is_unsupported(), "{e}"),
        other => panic!("expected unsupported, got {other:?}"),
    }

    // Many calls in flight at once over a pool of two pipelined processes.
    let calls = (0..400u64).map(|i| {
        let adapter = Arc::clone(&adapter);
        tokio::spawn(async move {
            let payload = if i % 3 == 0 { "000201x" } else { "999" };
            let reply = adapter.call(validate(100 + i, payload)).await;
            (i, valid(&reply))
        })
    });
    for call in futures::future::join_all(calls).await {
        let (i, is_valid) = call.unwrap();
        assert_eq!(is_valid, i % 3 == 0, "request {i}");
    }
    // Two processes ran side by side; neither was restarted, and the report says nothing of it.
    assert_eq!(adapter.notes(), Vec::<String>::new());

    adapter.close().await;
    assert_eq!(
        adapter.call(validate(999, "000201")).await,
        Err(CallError::Harness(HarnessError::Closed))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_id_in_flight_is_the_harness_s_error() {
    let mut opts = fixture("slow.py");
    opts.env = vec![("SLOW_MS".into(), Secret::new("400"))];
    opts.request_timeout = Duration::from_secs(5);
    let adapter = Arc::new(CliAdapter::new(opts));
    assert!(valid(&adapter.call(validate(1, "000201")).await));
    let first = {
        let adapter = Arc::clone(&adapter);
        tokio::spawn(async move { adapter.call(validate(7, "slow")).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        adapter.call(validate(7, "000201")).await,
        Err(CallError::Harness(HarnessError::DuplicateId(7)))
    );
    assert!(!valid(&first.await.unwrap()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_call_mode_starts_the_program_for_each_request() {
    let mut opts = fixture("well_behaved.py");
    opts.mode = CliMode::PerCall;
    opts.concurrency = 4;
    let adapter = Arc::new(CliAdapter::new(opts));
    assert_eq!(adapter.describe().await.unwrap().name, "fixture");
    let calls = (0..12u64).map(|i| {
        let adapter = Arc::clone(&adapter);
        tokio::spawn(async move {
            let payload = if i % 2 == 0 { "000201" } else { "x" };
            (i, valid(&adapter.call(validate(i + 1, payload)).await))
        })
    });
    for call in futures::future::join_all(calls).await {
        let (i, is_valid) = call.unwrap();
        assert_eq!(is_valid, i % 2 == 0);
    }

    let mut silent = fixture("exits_at_once.py");
    silent.mode = CliMode::PerCall;
    let adapter = CliAdapter::new(silent);
    match fault(adapter.call(validate(1, "000201")).await) {
        Fault::Exited { status, .. } => assert!(status.contains('0'), "{status}"),
        other => panic!("expected a silent exit, got {other:?}"),
    }

    // Reading to the end of its input and leaving without a word is a silent exit too.
    let mut reader = fixture("never_answers.py");
    reader.mode = CliMode::PerCall;
    let adapter = CliAdapter::new(reader);
    assert!(matches!(
        fault(adapter.call(validate(1, "000201")).await),
        Fault::Exited { .. }
    ));

    let mut hung = fixture("slow.py");
    hung.mode = CliMode::PerCall;
    hung.start_timeout = Duration::from_millis(100);
    hung.env = vec![("SLOW_MS".into(), Secret::new("3000"))];
    let adapter = CliAdapter::new(hung);
    let started = Instant::now();
    assert_eq!(
        fault(adapter.call(validate(1, "slow")).await),
        Fault::Timeout {
            after: Duration::from_millis(400)
        }
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_program_that_never_answers_times_out_then_is_given_up() {
    let mut opts = fixture("never_answers.py");
    opts.start_timeout = Duration::from_millis(100);
    let adapter = CliAdapter::new(opts);
    for id in 1..=3 {
        assert_eq!(
            fault(adapter.call(validate(id, "000201")).await),
            Fault::Timeout {
                after: Duration::from_millis(400)
            },
            "request {id}"
        );
    }
    let started = Instant::now();
    match fault(adapter.call(validate(4, "000201")).await) {
        Fault::GaveUp { attempts, last } => {
            assert_eq!(attempts, 3);
            assert!(last.contains("no reply within 400 ms"), "{last}");
        }
        other => panic!("expected to give up, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "gave up slowly"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_times_out_and_the_program_is_restarted() {
    let mut opts = fixture("slow.py");
    opts.env = vec![("SLOW_MS".into(), Secret::new("3000"))];
    let adapter = Arc::new(CliAdapter::new(opts));
    assert!(valid(&adapter.call(validate(1, "000201")).await));

    // The slow request and one queued behind it: the hung process is killed (its whole group),
    // the slow request fails, and the queued one, which was not given its time, is asked again
    // on a fresh process.
    let slow = {
        let adapter = Arc::clone(&adapter);
        tokio::spawn(async move { adapter.call(validate(2, "slow")).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let queued = adapter.call(validate(3, "000201")).await;
    let started = Instant::now();
    let slow = slow.await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        fault(slow),
        Fault::Timeout {
            after: Duration::from_millis(300)
        }
    );
    assert!(valid(&queued), "the interrupted request was asked again");

    // A fresh process answers the next requests.
    assert!(valid(&adapter.call(validate(4, "000201")).await));
    assert!(!valid(&adapter.call(validate(5, "nope")).await));
    let notes = adapter.notes();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("the program was restarted 1 time ")),
        "{notes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crashes_fail_the_request_with_the_stderr_tail_and_the_program_restarts() {
    let adapter = CliAdapter::new(fixture("crashy.py"));
    for id in 1..=9u64 {
        let reply = adapter.call(validate(id, "000201")).await;
        if id % 3 == 0 {
            match fault(reply) {
                Fault::Crashed {
                    status,
                    stderr_tail,
                } => {
                    assert!(status.contains('3'), "{status}");
                    assert!(
                        stderr_tail.contains("boom: the vendor SDK fell over"),
                        "{stderr_tail}"
                    );
                }
                other => panic!("request {id}: expected a crash, got {other:?}"),
            }
        } else {
            assert!(
                matches!(
                    reply,
                    Ok(Reply::Validate(ValidateReply { valid: true, .. }))
                ),
                "request {id}: {reply:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_lines_fail_their_request_only() {
    let adapter = CliAdapter::new(fixture("garbage.py"));
    assert!(valid(&adapter.call(validate(1, "000201")).await));
    match fault(adapter.call(validate(2, "garbage")).await) {
        Fault::NotJson { snippet, line, .. } => {
            assert!(snippet.contains("NullPointerException"), "{snippet}");
            // Line 1 of its output answered the describe qrcert asks every fresh process.
            assert_eq!(line, Some(3));
        }
        other => panic!("expected not-JSON, got {other:?}"),
    }
    match fault(adapter.call(validate(3, "binary")).await) {
        Fault::NotUtf8 { offset, line } => {
            assert_eq!(offset, 32);
            assert_eq!(line, Some(4));
        }
        other => panic!("expected not-UTF-8, got {other:?}"),
    }
    assert!(valid(&adapter.call(validate(4, "000201")).await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_with_wrong_or_missing_ids_fail_the_request_they_displaced() {
    let adapter = CliAdapter::new(fixture("wrong_ids.py"));
    assert!(valid(&adapter.call(validate(1, "000201")).await));
    assert_eq!(
        fault(adapter.call(validate(2, "wrong")).await),
        Fault::WrongId {
            expected: 2,
            got: "1002".into()
        }
    );
    assert_eq!(
        fault(adapter.call(validate(3, "noid")).await),
        Fault::MissingField { field: "id" }
    );
    assert_eq!(
        fault(adapter.call(validate(4, "stringid")).await),
        Fault::WrongId {
            expected: 4,
            got: "\"4\"".into()
        }
    );
    assert!(valid(&adapter.call(validate(5, "000201")).await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_program_that_exits_at_once_is_given_up_after_three_starts() {
    let adapter = CliAdapter::new(fixture("exits_at_once.py"));
    for id in 1..=3 {
        match fault(adapter.call(validate(id, "000201")).await) {
            Fault::Exited {
                status,
                stderr_tail,
            } => {
                assert!(status.contains('0'), "{status}");
                assert!(stderr_tail.is_empty(), "{stderr_tail}");
            }
            other => panic!("request {id}: expected a silent exit, got {other:?}"),
        }
    }
    let started = Instant::now();
    match fault(adapter.call(validate(4, "000201")).await) {
        Fault::GaveUp { attempts, last } => {
            assert_eq!(attempts, 3);
            assert!(last.contains("exited without answering"), "{last}");
        }
        other => panic!("expected to give up, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(100));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stderr_flood_neither_blocks_the_program_nor_grows_the_tail() {
    let mut opts = fixture("stderr_flood.py");
    opts.request_timeout = Duration::from_secs(5);
    let adapter = CliAdapter::new(opts);
    for id in 1..=5 {
        assert!(
            valid(&adapter.call(validate(id, "000201")).await),
            "request {id}"
        );
    }
    match fault(adapter.call(validate(6, "crash")).await) {
        Fault::Crashed { stderr_tail, .. } => {
            assert!(
                stderr_tail.len() <= 4200,
                "{} bytes kept",
                stderr_tail.len()
            );
            assert!(
                stderr_tail.ends_with("last words of request 6\n"),
                "{stderr_tail}"
            );
        }
        other => panic!("expected a crash, got {other:?}"),
    }
    assert!(valid(&adapter.call(validate(7, "000201")).await));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_program_fails_fast_and_is_given_up() {
    let mut opts = CliOptions::new(vec!["/nonexistent/qrcert-vendor-adapter".into()]).unwrap();
    opts.restart_backoff = Duration::from_millis(10);
    let adapter = CliAdapter::new(opts);
    for id in 1..=3 {
        match fault(adapter.call(validate(id, "000201")).await) {
            Fault::Spawn { command, reason } => {
                assert_eq!(command, "/nonexistent/qrcert-vendor-adapter");
                assert!(reason.contains("No such file"), "{reason}");
            }
            other => panic!("expected a spawn failure, got {other:?}"),
        }
    }
    assert!(matches!(
        fault(adapter.call(validate(4, "000201")).await),
        Fault::GaveUp { attempts: 3, .. }
    ));
}
