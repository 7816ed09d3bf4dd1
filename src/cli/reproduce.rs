//! `qrcert report reproduce REPORT.json`: runs again exactly what a report records (selection,
//! fresh seed, clock, suite, implementation) and says, case by case, whether the new report
//! equals the old one.
//!
//! A report whose suite was sealed (it records the suite key's fingerprint) is reproduced only
//! with the seal checked again: the operator's public key (`--suite-key`) must be the one the
//! report names, and the suite (`--vectors`) must still carry its seal, unaltered in any byte.
//!
//! A report of a run with overlays (`--overlay DIR`) is reproduced with the same overlays, in
//! the same order: from where the report records them, or from `--overlay` here when they moved.
//! Each must still be the overlay the report names (its manifest's hash), and a sealed one must
//! still carry its seal.
//!
//! Exit codes: 0 reproduced exactly; 1 the reports differ (or the suite is not the recorded one);
//! 2 the run could not be made (a sealed report's key missing or another, its suite unsealed or
//! altered).

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;

use super::{CliError, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::report::files::read_report;
use crate::report::model::SuiteSource;
use crate::report::sign::PublicKey;
use crate::report::{CaseReport, Report};

#[derive(Debug, clap::Args)]
pub(super) struct ReproduceArgs {
    /// The report to reproduce.
    report: PathBuf,
    /// The implementation, when it cannot be reached as the report records it (an adapter
    /// configuration file, a secret in the command): `builtin`, `cli:COMMAND`, `http://...` or
    /// FILE.yaml. Default: the recorded one.
    #[arg(long)]
    adapter: Option<String>,
    /// The vectors directory the report was run on (or, for a fresh run, the suite it was made
    /// from). Default: the suite built into this qrcert.
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// The features directory. Default: the suite built into this qrcert.
    #[arg(long, value_name = "DIR")]
    features: Option<PathBuf>,
    /// Where the new run writes its reports.
    #[arg(long, value_name = "DIR", default_value = "reports/reproduced")]
    out: PathBuf,
    /// The operator's public key the suite was sealed with. Required when the report records a
    /// sealed suite: the key must have the report's fingerprint, and the suite (--vectors) must
    /// still carry its seal, unaltered (exit 2 otherwise, naming the file).
    #[arg(long, value_name = "FILE")]
    suite_key: Option<PathBuf>,
    /// The overlay directories the report was run with, when they are no longer where it
    /// records them: as many as it records, in its order (repeatable). Default: the recorded
    /// paths.
    #[arg(long, value_name = "DIR")]
    overlay: Vec<PathBuf>,
}

/// `qrcert run`'s arguments, parsed from the command line a report implies.
#[derive(Debug, Parser)]
#[command(name = "qrcert")]
struct RunLine {
    #[command(flatten)]
    args: super::run::Args,
}

/// The `--adapter` value that reaches the implementation the report names.
fn recorded_adapter(old: &Report) -> Result<String, CliError> {
    let a = &old.implementation.adapter;
    match a.transport.as_str() {
        "library" => Ok("builtin".into()),
        "cli" => Ok(format!("cli:{}", a.target)),
        "http" if a.target.starts_with("http://") || a.target.starts_with("https://") => {
            Ok(a.target.clone())
        }
        "http" => Ok(format!("http:{}", a.target)),
        other => Err(CliError::Usage(format!(
            "the report reached its implementation over {other:?}; say how to reach it with --adapter"
        ))),
    }
}

/// The `qrcert run` command line that re-runs `old`.
fn run_line(old: &Report, a: &ReproduceArgs) -> Result<Vec<String>, CliError> {
    let adapter = match &a.adapter {
        Some(x) => x.clone(),
        None => recorded_adapter(old)?,
    };
    let mut argv: Vec<String> = vec![
        "qrcert".into(),
        "--adapter".into(),
        adapter,
        "--now".into(),
        old.clock.to_rfc3339(),
        "--out".into(),
        a.out.display().to_string(),
    ];
    let s = &old.selection;
    let mut pair = |flag: &str, v: String| {
        argv.push(flag.into());
        argv.push(v);
    };
    for p in &s.profiles {
        pair("--profile", p.as_str().into());
    }
    for c in &s.capabilities {
        pair("--capability", c.as_str().into());
    }
    for r in &s.roles {
        pair("--role", r.clone());
    }
    if let Some(t) = &s.tags {
        pair("--tags", t.clone());
    }
    for v in &s.vectors {
        pair("--vector", v.clone());
    }
    if let Some(sh) = &s.shard {
        pair("--shard", sh.clone());
    }
    if let Some(f) = &old.suite.fresh {
        pair("--fresh", f.seed.clone());
    }
    if let Some(v) = &a.vectors {
        pair("--vectors", v.display().to_string());
    }
    if let Some(f) = &a.features {
        pair("--features", f.display().to_string());
    }
    if let Some(k) = &a.suite_key {
        pair("--suite-key", k.display().to_string());
    }
    for dir in overlay_dirs(old, a)? {
        pair("--overlay", dir);
    }
    if s.smoke {
        argv.push("--smoke".into());
    }
    Ok(argv)
}

/// The overlays to re-run with: `--overlay` when given (as many as the report records), else
/// the recorded paths.
fn overlay_dirs(old: &Report, a: &ReproduceArgs) -> Result<Vec<String>, CliError> {
    let recorded = &old.suite.overlays;
    if a.overlay.is_empty() {
        if let Some(gone) = recorded
            .iter()
            .find(|o| !std::path::Path::new(&o.path).is_dir())
        {
            return Err(CliError::Usage(format!(
                "{}: the report's overlay {} is not a directory here: name where its overlays are now with --overlay DIR, in the report's order",
                a.report.display(),
                gone.path
            )));
        }
        return Ok(recorded.iter().map(|o| o.path.clone()).collect());
    }
    if a.overlay.len() != recorded.len() {
        let named: Vec<&str> = recorded.iter().map(|o| o.path.as_str()).collect();
        return Err(CliError::Usage(format!(
            "{}: the report's run had {} overlay(s) ({}), and --overlay names {}: name each, in the report's order",
            a.report.display(),
            recorded.len(),
            if named.is_empty() {
                "none".to_owned()
            } else {
                named.join(", ")
            },
            a.overlay.len()
        )));
    }
    Ok(a.overlay.iter().map(|d| d.display().to_string()).collect())
}

/// What a case's outcome is, timing aside.
fn outcome(c: &CaseReport) -> serde_json::Value {
    let mut c = c.clone();
    c.duration_ms = 0;
    serde_json::to_value(&c).unwrap_or_default()
}

/// The differences between two reports of the same run, case by case.
pub(super) fn compare(old: &Report, new: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if old.suite.sha256 != new.suite.sha256 {
        out.push(format!(
            "suite: {} then, {} now",
            old.suite.sha256, new.suite.sha256
        ));
    }
    if old.suite.sealed_by != new.suite.sealed_by {
        let key = |k: &Option<String>| k.clone().unwrap_or_else(|| "no seal".into());
        out.push(format!(
            "suite seal: {} then, {} now",
            key(&old.suite.sealed_by),
            key(&new.suite.sealed_by)
        ));
    }
    let (oo, no) = (&old.suite.overlays, &new.suite.overlays);
    if oo.len() != no.len() {
        out.push(format!("overlays: {} then, {} now", oo.len(), no.len()));
    }
    for (i, (o, n)) in oo.iter().zip(no).enumerate() {
        // A moved directory is the same overlay; its content and seal are what count.
        if o.sha256 != n.sha256 {
            out.push(format!(
                "overlay {} ({} then, {} now): manifest {} then, {} now",
                i + 1,
                o.path,
                n.path,
                o.sha256,
                n.sha256
            ));
        }
        if o.sealed_by != n.sealed_by {
            let key = |k: &Option<String>| k.clone().unwrap_or_else(|| "no seal".into());
            out.push(format!(
                "overlay {} ({}): seal {} then, {} now",
                i + 1,
                n.path,
                key(&o.sealed_by),
                key(&n.sealed_by)
            ));
        }
    }
    let (oi, ni) = (&old.implementation, &new.implementation);
    if (oi.name.as_str(), oi.version.as_str()) != (ni.name.as_str(), ni.version.as_str()) {
        out.push(format!(
            "implementation: {} {} then, {} {} now",
            oi.name, oi.version, ni.name, ni.version
        ));
    }
    if old.verdict != new.verdict {
        out.push(format!(
            "verdict: {:?} then, {:?} now",
            old.verdict, new.verdict
        ));
    }
    let by_id = |r: &Report| -> std::collections::BTreeMap<String, CaseReport> {
        r.cases.iter().map(|c| (c.id.clone(), c.clone())).collect()
    };
    let (o, n) = (by_id(old), by_id(new));
    for (id, oc) in &o {
        match n.get(id) {
            None => out.push(format!("{id}: not run now")),
            Some(nc) if outcome(oc) != outcome(nc) => {
                let what = if oc.grade != nc.grade {
                    format!("{} then, {} now", oc.grade, nc.grade)
                } else if oc.observed != nc.observed {
                    format!(
                        "{} both times, but the implementation answered differently",
                        nc.grade
                    )
                } else {
                    format!("{} both times, but the case record differs", nc.grade)
                };
                out.push(format!("{id}: {what}"));
            }
            Some(_) => {}
        }
    }
    for id in n.keys().filter(|id| !o.contains_key(*id)) {
        out.push(format!("{id}: run now, not then"));
    }
    out
}

/// For a report of a sealed suite: whether the re-run can check the seal as the original run
/// did. `Some(exit code)` refuses, having said why; the run itself (`--suite-key`) then refuses
/// a suite that lost its seal or was altered, naming the file.
fn check_seal_args(old: &Report, a: &ReproduceArgs) -> Result<Option<u8>, CliError> {
    let Some(recorded) = &old.suite.sealed_by else {
        return Ok(None);
    };
    let refuse = |why: String| {
        crate::errln!("qrcert: error: {why}");
        Ok(Some(EXIT_ERROR))
    };
    let Some(path) = &a.suite_key else {
        return refuse(format!(
            "{}: the report's suite was sealed by key {recorded}; reproducing it checks the seal again: pass the operator's public key with --suite-key FILE (and the sealed suite with --vectors DIR)",
            a.report.display()
        ));
    };
    let key = PublicKey::load(path).map_err(|e| CliError::Usage(e.to_string()))?;
    if key.key_id() != *recorded {
        return refuse(format!(
            "{}: key {} is not the suite key of the report (its suite was sealed by key {recorded})",
            path.display(),
            key.key_id()
        ));
    }
    // Only overlays were sealed when the base was the built-in suite (pinned by the binary).
    if a.vectors.is_none() && old.suite.source != Some(SuiteSource::Embedded) {
        return refuse(format!(
            "{}: the report's suite was sealed, and the suite built into qrcert carries no seal: name the sealed suite with --vectors DIR",
            a.report.display()
        ));
    }
    Ok(None)
}

pub(super) fn reproduce(a: ReproduceArgs) -> Result<u8, CliError> {
    let (_, old) = read_report(&a.report).map_err(|e| CliError::Usage(e.to_string()))?;
    if let Some(code) = check_seal_args(&old, &a)? {
        return Ok(code);
    }
    let argv = run_line(&old, &a)?;
    super::output::note(&format!("re-running: qrcert run {}", argv[1..].join(" ")));
    let line = RunLine::try_parse_from(&argv).map_err(|e| {
        CliError::Usage(format!("the report implies a run qrcert cannot parse: {e}"))
    })?;
    let code = super::run::run_command(line.args)?;
    if code == EXIT_ERROR {
        return Ok(EXIT_ERROR);
    }
    let (_, new) =
        read_report(&a.out.join("report.json")).map_err(|e| CliError::Usage(e.to_string()))?;
    let diffs = compare(&old, &new);
    let mut text = String::new();
    let code = if diffs.is_empty() {
        text.push_str(&format!(
            "reproduced: all {} cases equal the report's (grades, requests, replies), same suite {}{}, verdict {:?}\n",
            old.cases.len(),
            old.suite.sha256,
            match old.suite.overlays.len() {
                0 => String::new(),
                n => format!(" (with the same {n} overlay(s))"),
            },
            old.verdict
        ));
        EXIT_OK
    } else {
        text.push_str(&format!("NOT reproduced: {} difference(s)\n", diffs.len()));
        for d in &diffs {
            text.push_str(&format!("  {d}\n"));
        }
        EXIT_FAIL
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(CliError::io("writing to stdout"))?;
    Ok(code)
}
