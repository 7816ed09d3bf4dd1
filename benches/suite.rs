//! Whole certification runs through the in-process adapter (`--adapter builtin`), the way
//! `qrcert run` does them: load and check the vectors, play the features, grade, build the
//! report. Writing the report files is left out (it is `qrcert run`'s job, not the runner's;
//! docs/performance.md times it with the command).
//!
//! - `suite/builtin`: the committed suite (`vectors/`, `features/`), every profile and capability
//!   (render and scan included). Target: under 2 s.
//! - `suite/synthetic-100k`: 100 000 EMVCo validate vectors generated into a temporary directory
//!   by `support/synthetic_suite.rs` (never committed). Target: under 10 s.
//!
//! Run: `cargo bench --bench suite` (about three minutes; `-- builtin` for the first only).
//! Memory is measured with the command instead (`/usr/bin/time -v qrcert run ...`, see
//! docs/performance.md), since criterion repeats the run in one process.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, Throughput};
use qrcert::adapter::config::AdapterConfig;
use qrcert::runner::select::Filters;
use qrcert::runner::{RunOptions, run};

#[path = "support/synthetic_suite.rs"]
mod synthetic_suite;

/// Cases in the synthetic suite.
const SYNTHETIC: usize = 100_000;

fn options(vectors: &Path, features: &Path) -> RunOptions {
    RunOptions {
        adapter: AdapterConfig::from_arg("builtin").expect("the builtin adapter"),
        vectors_dir: vectors.to_path_buf(),
        features_dir: features.to_path_buf(),
        filters: Filters::default(),
        clock: "2026-01-01T00:00:00Z".parse().expect("a clock"),
        timeout: None,
        jobs: 8,
        list_only: false,
        max_consecutive_faults: qrcert::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS,
        builtin: None,
    }
}

/// One run; returns how many cases it graded, and checks that it certified.
fn run_once(rt: &tokio::runtime::Runtime, options: &RunOptions) -> usize {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    rt.block_on(async {
        // Drain the events as `qrcert run` does, so they do not pile up.
        let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
        let outcome = run(options.clone(), tx).await.expect("the run completes");
        let _ = drain.await;
        let report = outcome.report.expect("a report");
        assert_eq!(
            report.verdict,
            qrcert::report::Verdict::Certified,
            "the reference must certify"
        );
        report.cases.len()
    })
}

fn bench(c: &mut Criterion, name: &str, vectors: &Path, features: &Path) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let opts = options(vectors, features);
    let cases = run_once(&rt, &opts);
    let mut group = c.benchmark_group("suite");
    group.throughput(Throughput::Elements(cases as u64));
    // Each run starts cold: the reference scanner remembers the images it decoded.
    group.bench_function(name, |b| {
        b.iter(|| {
            qrcert::image::forget_decoded();
            run_once(&rt, &opts)
        })
    });
    group.finish();
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    bench(
        &mut c,
        "builtin",
        &root.join("vectors"),
        &root.join("features"),
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (vectors, features) =
        synthetic_suite::write(dir.path(), SYNTHETIC).expect("writing the synthetic suite");
    let mut slow = c.measurement_time(Duration::from_secs(90));
    bench(&mut slow, "synthetic-100k", &vectors, &features);
    slow.final_summary();
}
