//! `qrcert run`: the certification run.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;

use super::output::Paint;
use super::{CliError, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::adapter::config::AdapterConfig;
use crate::report::files::{read_report, write_all};
use crate::report::model::{FreshInfo, OverlayInfo, SuiteSource};
use crate::report::sign::{PublicKey, SecretKey};
use crate::report::waiver::{self, Waivers};
use crate::report::{Grade, Report, Verdict, diff};
use crate::runner::resume::{
    HEADER_FILE, ResumeError, RunHeader, STREAM_FILE, read_finished, reopen_stream,
};
use crate::runner::select::{CertRole, Filters};
use crate::runner::{Durability, RunError, RunOptions, progress, run_durable};
use crate::vectors::TagExpr;
use crate::vectors::fresh::{self, SeedArg};
use crate::{Capability, Clock, Profile};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The implementation: `builtin` (the reference), `cli:COMMAND`, `http:URL`, or an adapter
    /// configuration file (`FILE.yaml`).
    #[arg(long, default_value = "builtin")]
    adapter: String,
    /// Only these profiles (repeatable): emvco, jpqr, khqr, interop.
    #[arg(long)]
    profile: Vec<Profile>,
    /// Only these capabilities (repeatable): parse, validate, generate, render, scan.
    #[arg(long)]
    capability: Vec<Capability>,
    /// Only these certification roles (repeatable).
    #[arg(long, value_enum)]
    role: Vec<CertRole>,
    /// Only vectors whose tags match this expression (`khqr and not mutation`).
    #[arg(long)]
    tags: Option<String>,
    /// Only vectors whose ID matches this glob (repeatable): `KHQR-TAG99-*`.
    #[arg(long = "vector", value_name = "ID-GLOB")]
    vector: Vec<String>,
    /// Only the smoke subset.
    #[arg(long)]
    smoke: bool,
    /// Only shard K of N (`2/3`): a deterministic slice of the selected vectors.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// The clock for expiry rules: RFC 3339 or epoch milliseconds. Default: the system clock,
    /// read once; the report records it.
    #[arg(long)]
    now: Option<Clock>,
    /// Per-request timeout (`5s`, `500ms`, or seconds).
    #[arg(long, value_parser = parse_duration)]
    timeout: Option<Duration>,
    /// Concurrent requests.
    #[arg(long, default_value_t = 8)]
    jobs: usize,
    /// Timeouts or crashes in a row after which the implementation is declared unresponsive:
    /// every case not yet asked is graded ERROR at once and the run ends (`--resume` asks them
    /// later). 0: never.
    #[arg(long, value_name = "K", default_value_t = crate::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS)]
    max_consecutive_faults: u32,
    /// Where to write the reports.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
    /// Continue a killed run in DIR (its `--out`): cases already in DIR/report.jsonl are not
    /// run again. The suite, selection, implementation and clock must be those of the run
    /// (without `--now`, the run's clock is used).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["out", "list"])]
    resume: Option<PathBuf>,
    /// Only list the scenarios and vectors that would run.
    #[arg(long)]
    list: bool,
    /// The vectors directory. Default: the suite built into this qrcert (`qrcert vectors
    /// export DIR` writes it out).
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// The features directory. Default: the suite built into this qrcert.
    #[arg(long, value_name = "DIR")]
    features: Option<PathBuf>,
    /// Sign report.json with this ed25519 secret key (see `qrcert keygen`): writes
    /// report.json.sig.
    #[arg(long, value_name = "FILE")]
    sign_key: Option<PathBuf>,
    /// Waivers for known gaps (YAML): waived failures are WAIVED, waived cases that pass are
    /// XPASS (a stale waiver), expired waivers no longer apply.
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Run a fresh suite: the suite re-instantiated from SEED (`random` picks one) with merchant
    /// data no implementation has seen, same mutations and expectations, written to
    /// OUT/fresh-suite and checked against the reference first. The report records the seed.
    #[arg(long, value_name = "SEED|random", conflicts_with = "resume")]
    fresh: Option<SeedArg>,
    /// Run only a suite sealed with this operator key (`qrcert vectors seal`): an unsigned
    /// suite, one sealed by another key, or one altered in any byte is refused (exit 2). The
    /// report records the key's fingerprint.
    #[arg(long, value_name = "KEY.pub")]
    suite_key: Option<PathBuf>,
    /// An operator's private vectors directory added to the suite (repeatable): its own
    /// manifest (and, with --suite-key, its own seal), files the suite does not have. The run
    /// uses the merged suite, written to OUT/suite-with-overlays.
    #[arg(long, value_name = "DIR")]
    overlay: Vec<PathBuf>,
    /// Compare with an earlier report; exit 1 when something regressed.
    #[arg(long, value_name = "OLD.json")]
    baseline: Option<PathBuf>,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => s.split_at(i),
        None => (s, "s"),
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (e.g. 5s, 500ms)"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        _ => return Err(format!("{s:?}: unknown unit {unit:?} (ms, s, m)")),
    };
    if !(secs > 0.0 && secs < 86_400.0) {
        return Err(format!("{s:?} is out of range"));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn parse_shard(s: &str) -> Result<(u32, u32), CliError> {
    let bad = || CliError::Usage(format!("--shard {s:?}: expected K/N with 1 <= K <= N"));
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u32, u32) = (k.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k - 1, n))
}

/// The run directory's state before the run: fresh, or what a killed run left.
struct Start {
    durability: Durability,
    stream: Option<std::fs::File>,
    clock: Option<Clock>,
}

/// Prepares the run directory: a fresh run starts an empty stream and drops an old header; a
/// resume reads the header and the finished cases and reopens the stream after them.
fn prepare_dir(args: &Args) -> Result<Start, CliError> {
    let dir = &args.out;
    let stream_path = dir.join(STREAM_FILE);
    let resume_error = |e: ResumeError| CliError::Usage(e.to_string());
    if args.resume.is_none() {
        match std::fs::remove_file(dir.join(HEADER_FILE)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CliError::io(format!("removing the old {HEADER_FILE}"))(e)),
        }
        let stream = std::fs::File::create(&stream_path)
            .map_err(CliError::io(format!("creating {}", stream_path.display())))?;
        return Ok(Start {
            durability: Durability {
                dir: Some(dir.clone()),
                resume: None,
            },
            stream: Some(stream),
            clock: None,
        });
    }
    let header = RunHeader::read(dir).map_err(resume_error)?;
    let finished = read_finished(&stream_path).map_err(resume_error)?;
    let stream = reopen_stream(&stream_path, &finished).map_err(resume_error)?;
    super::output::note(&format!(
        "resuming {}: {} case(s) already graded{}{}",
        dir.display(),
        finished.cases.len(),
        if finished.retried > 0 {
            format!(
                "; {} not asked before (unresponsive implementation) are asked now",
                finished.retried
            )
        } else {
            String::new()
        },
        if finished.dropped_torn_line {
            "; the torn last line was dropped and its case runs again"
        } else {
            ""
        }
    ));
    Ok(Start {
        clock: Some(header.clock),
        durability: Durability {
            dir: Some(dir.clone()),
            resume: Some((header, finished)),
        },
        stream: Some(stream),
    })
}

pub(super) fn run_command(mut args: Args) -> Result<u8, CliError> {
    if let Some(dir) = &args.resume {
        args.out = dir.clone();
    }
    let tags = match &args.tags {
        Some(t) => Some(
            t.parse::<TagExpr>()
                .map_err(|e| CliError::Usage(format!("--tags {t:?}: {e}")))?,
        ),
        None => None,
    };
    let filters = Filters {
        profiles: args.profile.clone(),
        capabilities: args.capability.clone(),
        roles: args.role.clone(),
        tags,
        tags_text: args.tags.clone(),
        vectors: args.vector.clone(),
        smoke: args.smoke,
        shard: args.shard.as_deref().map(parse_shard).transpose()?,
    };
    let adapter =
        AdapterConfig::from_arg(&args.adapter).map_err(|e| CliError::Usage(e.to_string()))?;
    // Read the files a run needs before it starts: a bad key or waiver file should cost seconds,
    // not a whole run.
    let key = args
        .sign_key
        .as_deref()
        .map(SecretKey::load)
        .transpose()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let waivers = args
        .waivers
        .as_deref()
        .map(Waivers::load)
        .transpose()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let baseline = args
        .baseline
        .as_deref()
        .map(read_report)
        .transpose()
        .map_err(|e| CliError::Usage(e.to_string()))?
        .map(|(_, r)| r);
    if !args.list {
        std::fs::create_dir_all(&args.out)
            .map_err(CliError::io(format!("creating {}", args.out.display())))?;
    }
    let start = if args.list {
        Start {
            durability: Durability::default(),
            stream: None,
            clock: None,
        }
    } else {
        prepare_dir(&args)?
    };
    let (vectors_dir, features_dir) =
        super::suite_dirs(args.vectors.clone(), args.features.clone())?;
    if let Some(gone) = args.overlay.iter().find(|d| !d.is_dir()) {
        return Err(CliError::Usage(format!(
            "--overlay {}: not a directory",
            gone.display()
        )));
    }
    let seals = match &args.suite_key {
        None => None,
        Some(path) => {
            let key = PublicKey::load(path).map_err(|e| CliError::Usage(e.to_string()))?;
            // The built-in suite is pinned by this binary; a directory must carry a seal.
            let base = args.vectors.is_some().then_some(&vectors_dir);
            let mut fingerprints = Vec::new();
            for dir in base.into_iter().chain(&args.overlay) {
                match crate::vectors::seal::verify(dir, &key) {
                    Ok(f) => fingerprints.push(f),
                    Err(e) => {
                        crate::errln!("qrcert: error: sealed suite refused: {e}");
                        return Ok(EXIT_ERROR);
                    }
                }
            }
            Some((key.key_id(), fingerprints))
        }
    };
    let sealed_by = seals.as_ref().and_then(|(_, f)| f.last().cloned());
    let (vectors_dir, overlays) = if args.overlay.is_empty() {
        (vectors_dir, Vec::new())
    } else {
        let merged = args.out.join(OVERLAID_DIR);
        match crate::vectors::overlay::merge(&vectors_dir, &args.overlay, &merged) {
            Ok(hashes) => {
                let overlays = args
                    .overlay
                    .iter()
                    .zip(hashes)
                    .map(|(dir, sha256)| OverlayInfo {
                        path: dir.display().to_string(),
                        sha256,
                        sealed_by: seals.as_ref().map(|(key, _)| key.clone()),
                    })
                    .collect();
                (merged, overlays)
            }
            Err(e) => {
                crate::errln!("qrcert: error: {e}");
                return Ok(EXIT_ERROR);
            }
        }
    };
    let clock = args.now.or(start.clock).unwrap_or_else(Clock::system);
    let (vectors_dir, fresh_info) = match args.fresh {
        None => (vectors_dir, None),
        Some(seed) => {
            match fresh_suite(
                seed.resolve(),
                &vectors_dir,
                &features_dir,
                clock,
                &args.out,
            )? {
                Ok(x) => x,
                Err(code) => return Ok(code),
            }
        }
    };
    let options = RunOptions {
        adapter,
        vectors_dir,
        features_dir,
        filters,
        clock,
        timeout: args.timeout,
        jobs: args.jobs.max(1),
        list_only: args.list,
        builtin: None,
        max_consecutive_faults: args.max_consecutive_faults,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::io("starting the runtime"))?;
    let quiet = super::output::output().quiet || args.list;
    super::output::detail(&format!(
        "suite: vectors {}, features {}{}",
        options.vectors_dir.display(),
        options.features_dir.display(),
        if crate::embedded::is_extracted_vectors(&options.vectors_dir) {
            " (built in)"
        } else {
            ""
        }
    ));
    let Start {
        durability, stream, ..
    } = start;
    let out_dir = args.out.clone();
    let outcome = rt.block_on(async move {
        if !args.list {
            tokio::spawn(stop_on_signal(out_dir));
        }
        let (tx, rx) = mpsc::unbounded_channel();
        // The events carry everything the consumer shows and streams, so the suite is loaded
        // once, by the run.
        let consumer = tokio::spawn(async move { progress::consume_into(rx, stream, quiet).await });
        let result = run_durable(options, durability, tx).await;
        let streamed = consumer.await;
        (result, streamed)
    });
    let (result, streamed) = outcome;
    if let Ok(Err(e)) = streamed {
        return Err(CliError::Io {
            what: "writing report.jsonl".into(),
            source: e,
        });
    }
    match result {
        Err(
            e @ (RunError::Vacuous(_)
            | RunError::Harness(_)
            | RunError::Vectors(_)
            | RunError::Resume(_)),
        ) => {
            crate::errln!("qrcert: error: {e}");
            Ok(EXIT_ERROR)
        }
        Err(e) => Err(CliError::Usage(e.to_string())),
        Ok(outcome) => {
            if args.list {
                let mut total = 0;
                for (feature, scenario, ids) in &outcome.listing {
                    crate::outln!("{feature}: {scenario} ({} vectors)", ids.len());
                    for id in ids {
                        crate::outln!("  {id}");
                    }
                    total += ids.len();
                }
                crate::outln!("{total} vectors would run");
                return Ok(EXIT_OK);
            }
            let Some(mut report) = outcome.report else {
                return Ok(EXIT_ERROR);
            };
            report.suite.fresh = fresh_info;
            report.suite.sealed_by = sealed_by;
            report.suite.overlays = overlays;
            // A fresh or overlaid suite is run from a directory qrcert wrote; where it came from
            // is the base the run was given.
            report.suite.source = Some(if args.vectors.is_some() {
                SuiteSource::Directory
            } else {
                SuiteSource::Embedded
            });
            if let Some(w) = &waivers {
                let today = waiver::clock_date(report.clock);
                for warning in waiver::apply(&mut report, w, today) {
                    crate::errln!("qrcert: waiver: {warning}");
                }
            }
            write_all(&report, &args.out, key.as_ref())
                .map_err(|e| CliError::Usage(e.to_string()))?;
            crate::out!("{}", summary_text(&report, &args.out));
            let mut code = match report.verdict {
                Verdict::Certified => EXIT_OK,
                Verdict::NotCertified => EXIT_FAIL,
            };
            if let Some(old) = &baseline {
                let d = diff::diff(old, &report);
                crate::out!("{}", d.to_text());
                if d.regressed() {
                    code = EXIT_FAIL;
                }
            }
            Ok(code)
        }
    }
}

/// Makes the fresh suite for `seed` in `out/fresh-suite` and has the reference pass every
/// vector of it. `Err(2)` (printed) when the reference contradicts a vector.
pub(super) fn fresh_suite(
    seed: u64,
    source: &std::path::Path,
    features: &std::path::Path,
    clock: Clock,
    out: &std::path::Path,
) -> Result<Result<(PathBuf, Option<FreshInfo>), u8>, CliError> {
    let suite = match fresh::instantiate(source, seed, clock) {
        Ok(s) => s,
        Err(e) => {
            crate::errln!("qrcert: error: {e}");
            return Ok(Err(EXIT_ERROR));
        }
    };
    let dir = out.join(FRESH_DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(CliError::io(format!("clearing {}", dir.display())))?;
    }
    suite
        .write(&dir)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    super::output::note(&format!("{suite}; written to {}", dir.display()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::io("starting the runtime"))?;
    let checked = rt.block_on(crate::runner::precheck::contradictions(
        dir.clone(),
        features.to_path_buf(),
        clock,
    ));
    match checked {
        Ok(c) if c.is_empty() => Ok(Ok((
            dir,
            Some(FreshInfo {
                seed: seed.to_string(),
                base_sha256: suite.base_sha256,
            }),
        ))),
        Ok(c) => {
            for x in &c {
                crate::errln!(
                    "qrcert: error: fresh suite seed {seed}: vector {}: the reference contradicts its expectation ({}: {})",
                    x.id,
                    x.grade,
                    x.message
                );
            }
            Ok(Err(EXIT_ERROR))
        }
        Err(e) => {
            crate::errln!(
                "qrcert: error: fresh suite seed {seed}: the reference check failed: {e}"
            );
            Ok(Err(EXIT_ERROR))
        }
    }
}

/// Where a run with `--overlay` writes the merged suite, inside `--out`.
pub(super) const OVERLAID_DIR: &str = "suite-with-overlays";

/// Where a fresh run writes its suite, inside `--out`.
pub(super) const FRESH_DIR: &str = "fresh-suite";

/// On Ctrl-C or SIGTERM: kills every implementation process group (a wrapper's children
/// included), says how to finish the run, and exits 130. Every case graded so far is already in
/// `report.jsonl`.
async fn stop_on_signal(dir: PathBuf) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            return;
        };
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
    }
    let groups = crate::adapter::kill_all_process_groups();
    crate::errln!(
        "\nqrcert: interrupted; stopped {groups} implementation process group(s). Finish the run with: qrcert run --resume {}",
        dir.display()
    );
    std::process::exit(130);
}

fn summary_text(report: &Report, dir: &std::path::Path) -> String {
    let mut s = format!(
        "{} {} {}: {} (suite {}, clock {})\n  {}\n",
        report.implementation.name,
        report.implementation.version,
        match report.verdict {
            Verdict::Certified => Paint::Good.stdout("CERTIFIED"),
            Verdict::NotCertified => Paint::Bad.stdout("NOT CERTIFIED"),
        },
        Grade::ALL
            .iter()
            .filter(|g| report.summary.grades.get(**g) > 0)
            .map(|g| format!("{} {}", report.summary.grades.get(*g), g))
            .collect::<Vec<_>>()
            .join(", "),
        report.suite.version,
        report.clock,
        report.verdict_reason,
    );
    for c in &report.certification {
        s.push_str(&format!(
            "  {:<8} {:<9} {:<14} {}\n",
            c.profile.as_str(),
            c.capability.as_str(),
            crate::report::grid::cell_label(c.verdict),
            c.reason
        ));
    }
    for r in &report.roles {
        s.push_str(&format!(
            "  role {:<12} for {:<8} {:<14} {}\n",
            r.role.as_str(),
            r.profile.as_str(),
            match r.verdict {
                Verdict::Certified => "certified",
                Verdict::NotCertified => "not certified",
            },
            r.reason
        ));
    }
    for d in &report.directions {
        s.push_str(&format!(
            "  cross-border {}: {} ({})\n",
            d.direction,
            match d.verdict {
                Verdict::Certified => "certified",
                Verdict::NotCertified => "not certified",
            },
            d.reason
        ));
    }
    for note in &report.implementation.adapter.notes {
        s.push_str(&format!("  note: {note}\n"));
    }
    s.push_str(&format!(
        "reports in {}: report.json, junit.xml, report.html, summary.md{}\n",
        dir.display(),
        if dir.join("report.json.sig").is_file() {
            ", report.json.sig"
        } else {
            ""
        }
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_shards() {
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0s").is_err());
        assert_eq!(parse_shard("2/3").unwrap(), (1, 3));
        assert!(parse_shard("0/3").is_err());
        assert!(parse_shard("4/3").is_err());
    }
}
