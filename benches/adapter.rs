//! Validate calls per second through the transports, against an implementation that answers
//! at once (`valid: true`), so the figure is the transport's own limit.
//!
//! - `cli`: a persistent child process, requests pipelined (64 in flight). The child is this
//!   very bench binary, re-run with `QRCERT_BENCH_ECHO_CHILD=1`, serving the echo
//!   implementation with `serve_stdio` on its stdin/stdout: compiled Rust, so the measurement
//!   is not the speed of a Python loop, and no separate build step is needed.
//! - `http`: `serve_http` on loopback, the HTTP transport with 16 connections, 64 in flight.
//!
//! Targets on a 2-core machine: >= 20 000 calls/s (cli), >= 5 000 calls/s (http).
//! Run: `cargo bench --bench adapter`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use futures::StreamExt;
use qrcert::adapter::Adapter;
use qrcert::adapter::Secret;
use qrcert::adapter::cli::{CliAdapter, CliOptions};
use qrcert::adapter::http::{HttpAdapter, HttpOptions};
use qrcert::adapter::library::Implementation;
use qrcert::adapter::protocol::{
    Description, ImplError, Op, Reply, Request, Timestamp, ValidateReply,
};
use qrcert::adapter::serve::{serve_http, serve_stdio};
use qrcert::{Capability, Profile};

/// Set in the environment of the child process started by the CLI benchmark.
const CHILD_ENV: &str = "QRCERT_BENCH_ECHO_CHILD";

/// Calls per measured batch.
const BATCH: u64 = 2000;

/// Calls in flight at once, as a runner with `--jobs 64` would have.
const IN_FLIGHT: usize = 64;

/// A KHQR-sized payload, so the lines are realistic.
const PAYLOAD: &str = "00020101021229370017kh.gov.nbc.bakong0112cafe@abaa52045812530311654031005802KH5910Cafe Klang6010Phnom Penh99170013176716800000063041C6B";

struct Echo;

impl Implementation for Echo {
    fn describe(&self) -> Description {
        Description {
            name: "echo".into(),
            version: "1".into(),
            capabilities: vec![Capability::Validate],
            profiles: vec![Profile::Khqr],
        }
    }

    fn validate(
        &self,
        _payload: &str,
        _profile: Profile,
        _now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        Ok(ValidateReply {
            valid: true,
            errors: vec![],
        })
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs `iters` batches of validate calls, `IN_FLIGHT` at a time; returns the time taken.
async fn batches(adapter: &dyn Adapter, ids: &AtomicU64, iters: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..iters {
        let valid = futures::stream::iter(0..BATCH)
            .map(|_| {
                adapter.call(Request::new(
                    ids.fetch_add(1, Ordering::Relaxed),
                    Op::Validate {
                        payload: PAYLOAD.into(),
                        profile: Profile::Khqr,
                        now: Some("2026-01-01T00:00:00Z".parse().expect("a timestamp")),
                        wallet: None,
                    },
                ))
            })
            .buffer_unordered(IN_FLIGHT)
            .filter(|r| futures::future::ready(matches!(r, Ok(Reply::Validate(_)))))
            .count()
            .await;
        assert_eq!(valid as u64, BATCH, "some calls failed");
    }
    started.elapsed()
}

fn bench_cli(c: &mut Criterion) {
    let rt = runtime();
    let exe = std::env::current_exe().expect("the bench binary's path");
    let mut opts = CliOptions::new(vec![exe.display().to_string()]).expect("a command");
    opts.env = vec![(CHILD_ENV.into(), Secret::new("1"))];
    let adapter = CliAdapter::new(opts);
    let ids = AtomicU64::new(1);
    rt.block_on(async {
        assert_eq!(
            adapter.describe().await.expect("the child answers").name,
            "echo"
        );
    });
    let mut group = c.benchmark_group("adapter");
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function("cli_validate_pipelined", |b| {
        b.iter_custom(|iters| rt.block_on(batches(&adapter, &ids, iters)))
    });
    group.finish();
    rt.block_on(adapter.close());
}

fn bench_http(c: &mut Criterion) {
    let rt = runtime();
    let server = rt
        .block_on(serve_http(
            Arc::new(Echo),
            "127.0.0.1:0".parse().expect("an address"),
        ))
        .expect("a loopback server");
    let mut opts = HttpOptions::new(&server.base_url()).expect("a URL");
    opts.concurrency = 16;
    let adapter = rt.block_on(async { HttpAdapter::new(opts).expect("an HTTP client") });
    let ids = AtomicU64::new(1);
    let mut group = c.benchmark_group("adapter");
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function("http_validate_concurrent", |b| {
        b.iter_custom(|iters| rt.block_on(batches(&adapter, &ids, iters)))
    });
    group.finish();
    rt.block_on(server.shutdown()).expect("a clean shutdown");
}

fn main() {
    if std::env::var_os(CHILD_ENV).is_some() {
        // The child side of the CLI benchmark: serve until the parent closes stdin.
        let rt = runtime();
        rt.block_on(serve_stdio(
            Arc::new(Echo),
            tokio::io::stdin(),
            tokio::io::stdout(),
        ))
        .expect("serving stdin/stdout");
        return;
    }
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    bench_cli(&mut c);
    bench_http(&mut c);
    c.final_summary();
}
