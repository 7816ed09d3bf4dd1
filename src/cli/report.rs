//! `qrcert report verify|diff|render|schema`: checking, comparing and re-rendering reports.

use std::io::Write;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use super::{CliError, EXIT_FAIL, EXIT_OK};
use crate::report::files::{self, MAX_REPORT_BYTES, read_bounded, read_report};
use crate::report::sign::{PublicKey, signature};
use crate::report::{diff, schema};

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// Check a report's signature: exit 0 only when the report and its signature are untouched
    /// and signed by the given key, 1 when they are not, 2 when files are missing or unreadable.
    Verify(VerifyArgs),
    /// Compare two reports: newly failing and passing cases, changed grades and outputs, changed
    /// suite or rules. Exit 1 when the new report regressed, 0 otherwise, 2 on error.
    Diff(DiffArgs),
    /// Write junit.xml, report.html and summary.md made from a report.json.
    Render(RenderArgs),
    /// Print the JSON Schema of report.json.
    Schema,
    /// Merge the reports of `qrcert run --shard K/N` (every shard of one run) into the report of
    /// the whole run. Refuses reports of different suites, implementations, clocks or
    /// selections, and missing or repeated shards. Exit 0 when the merged run is certified, 1
    /// when not, 2 when the shards cannot be merged.
    Merge(super::merge::MergeArgs),
    /// Re-run exactly what a report records (selection, fresh seed, clock, suite, the same
    /// implementation) and say, case by case, whether the new report equals it. Exit 0 when it
    /// does, 1 when something differs, 2 when the run cannot be made.
    Reproduce(super::reproduce::ReproduceArgs),
}

#[derive(Debug, clap::Args)]
pub(super) struct VerifyArgs {
    /// The signer's public key file (from `qrcert keygen`).
    #[arg(long, value_name = "PUB")]
    key: PathBuf,
    /// The signature file [default: REPORT.json.sig].
    #[arg(long, value_name = "FILE")]
    sig: Option<PathBuf>,
    /// The report.
    report: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Markdown,
}

#[derive(Debug, clap::Args)]
pub(super) struct DiffArgs {
    /// The older report (the baseline).
    old: PathBuf,
    /// The newer report.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, clap::Args)]
pub(super) struct RenderArgs {
    /// The report.
    report: PathBuf,
    /// Directory to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub(super) fn run(command: Command) -> Result<u8, CliError> {
    match command {
        Command::Verify(a) => verify(a),
        Command::Diff(a) => diff_reports(a),
        Command::Render(a) => render(a),
        Command::Schema => print(schema::REPORT_SCHEMA),
        Command::Merge(a) => super::merge::merge_command(a),
        Command::Reproduce(a) => super::reproduce::reproduce(a),
    }
}

fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

fn print(text: &str) -> Result<u8, CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .map_err(CliError::io("writing to stdout"))?;
    Ok(EXIT_OK)
}

fn verify(a: VerifyArgs) -> Result<u8, CliError> {
    let key = PublicKey::load(&a.key).map_err(usage)?;
    let sig_path = a.sig.unwrap_or_else(|| {
        let mut p = a.report.as_os_str().to_owned();
        p.push(".sig");
        PathBuf::from(p)
    });
    let report = read_bounded(&a.report, MAX_REPORT_BYTES).map_err(usage)?;
    // Anything larger is not a signature; read a little past the limit so it is reported as such.
    let sig = read_bounded(&sig_path, signature::MAX_SIGNATURE_FILE as u64 * 4).map_err(usage)?;
    if let Err(e) = signature::verify_bytes(&report, &sig, &key) {
        let _ = writeln!(
            std::io::stderr(),
            "qrcert: {} does NOT verify against {}: {e}",
            a.report.display(),
            sig_path.display()
        );
        return Ok(EXIT_FAIL);
    }
    let parsed = crate::report::Report::from_json(&report).map_err(|e| {
        usage(format!(
            "{}: the signature is valid, but the file is not a qrcert report: {e}",
            a.report.display()
        ))
    })?;
    print(&format!(
        "OK: {} is signed by key {} and unchanged\n  implementation {} {} · suite {} (sha256 {}, rules {}) · qrcert {} · clock {} · verdict {}\n",
        a.report.display(),
        key.key_id(),
        parsed.implementation.name,
        parsed.implementation.version,
        parsed.suite.version,
        parsed.suite.sha256,
        parsed.suite.rules_version,
        parsed.harness.version,
        parsed.clock,
        crate::report::grid::verdict_label(parsed.verdict),
    ))
}

fn diff_reports(a: DiffArgs) -> Result<u8, CliError> {
    let (_, old) = read_report(&a.old).map_err(usage)?;
    let (_, new) = read_report(&a.new).map_err(usage)?;
    let d = diff::diff(&old, &new);
    print(&match a.format {
        Format::Text => d.to_text(),
        Format::Markdown => d.to_markdown(),
    })?;
    Ok(if d.regressed() { EXIT_FAIL } else { EXIT_OK })
}

fn render(a: RenderArgs) -> Result<u8, CliError> {
    let (_, report) = read_report(&a.report).map_err(usage)?;
    let w = files::write_derived(&report, &a.out).map_err(usage)?;
    print(&format!(
        "wrote {}, {} and {}\n",
        w.junit.display(),
        w.html.display(),
        w.markdown.display()
    ))
}
