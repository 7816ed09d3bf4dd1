//! `qrcert report reproduce REPORT.json`: runs again exactly what a report records (selection,
//! fresh seed, clock, suite, implementation) and says, case by case, whether the new report
//! equals the old one.
//!
//! Exit codes: 0 reproduced exactly; 1 the reports differ (or the suite is not the recorded one);
//! 2 the run could not be made.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;

use super::{CliError, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::report::files::read_report;
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
    if s.smoke {
        argv.push("--smoke".into());
    }
    Ok(argv)
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

pub(super) fn reproduce(a: ReproduceArgs) -> Result<u8, CliError> {
    let (_, old) = read_report(&a.report).map_err(|e| CliError::Usage(e.to_string()))?;
    if old.suite.sealed_by.is_some() {
        super::output::note(
            "the report's suite was sealed; this re-run does not check the seal (run with --suite-key to)",
        );
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
            "reproduced: all {} cases equal the report's (grades, requests, replies), same suite {}, verdict {:?}\n",
            old.cases.len(),
            old.suite.sha256,
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
