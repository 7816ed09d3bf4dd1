//! `qrcert report merge`: the shard reports of a CI matrix into one report.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{CliError, EXIT_FAIL, EXIT_OK};
use crate::report::merge::{ShardReport, merge};
use crate::report::{Report, Verdict};

/// The largest report read: a full-suite report with embedded images of failing cases stays
/// far below this; anything larger is not a report.
const MAX_REPORT_BYTES: u64 = 1 << 30;

/// `qrcert report ...`.
#[derive(Debug, clap::Subcommand)]
pub(super) enum ReportCommand {
    /// Merge the reports of `qrcert run --shard K/N` (every shard of one run) into the report of
    /// the whole run. Refuses reports of different suites, implementations, clocks or
    /// selections, missing or repeated shards. Exit 0 when the merged run is certified, 1 when
    /// not, 2 when the shards cannot be merged.
    Merge(MergeArgs),
}

/// `qrcert report merge`.
#[derive(Debug, clap::Args)]
pub(super) struct MergeArgs {
    /// The shards: run directories (their report.json is read) or report.json files.
    #[arg(required = true, value_name = "DIR|REPORT.json")]
    shards: Vec<PathBuf>,
    /// Where to write the merged report.json.
    #[arg(long, value_name = "DIR", default_value = "reports/merged")]
    out: PathBuf,
}

pub(super) fn run(command: ReportCommand) -> Result<u8, CliError> {
    match command {
        ReportCommand::Merge(a) => merge_command(a),
    }
}

fn read_report(arg: &Path) -> Result<ShardReport, CliError> {
    let path = if arg.is_dir() {
        arg.join("report.json")
    } else {
        arg.to_path_buf()
    };
    let shown = path.display().to_string();
    let file = std::fs::File::open(&path).map_err(CliError::io(format!("reading {shown}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(CliError::io(format!("reading {shown}")))?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(CliError::Usage(format!(
            "{shown}: larger than {MAX_REPORT_BYTES} bytes, not a qrcert report"
        )));
    }
    let report = Report::from_json(&bytes)
        .map_err(|e| CliError::Usage(format!("{shown}: not a qrcert report: {e}")))?;
    Ok(ShardReport {
        origin: shown,
        report,
    })
}

fn merge_command(a: MergeArgs) -> Result<u8, CliError> {
    let shards = a
        .shards
        .iter()
        .map(|p| read_report(p))
        .collect::<Result<Vec<_>, _>>()?;
    let count = shards.len();
    let merged = merge(shards).map_err(|e| CliError::Usage(format!("cannot merge: {e}")))?;
    std::fs::create_dir_all(&a.out)
        .map_err(CliError::io(format!("creating {}", a.out.display())))?;
    // Written aside and renamed, so a reader never sees half a report.
    let path = a.out.join("report.json");
    let tmp = a.out.join(".report.json.tmp");
    std::fs::write(&tmp, merged.to_canonical_json())
        .map_err(CliError::io(format!("writing {}", tmp.display())))?;
    std::fs::rename(&tmp, &path).map_err(CliError::io(format!("writing {}", path.display())))?;
    println!(
        "{} {}: {} (merged {count} shards, {} cases, suite {}, clock {})\n{}",
        merged.implementation.name,
        merged.implementation.version,
        match merged.verdict {
            Verdict::Certified => "CERTIFIED",
            Verdict::NotCertified => "NOT CERTIFIED",
        },
        merged.summary.total,
        merged.suite.version,
        merged.clock,
        path.display()
    );
    Ok(match merged.verdict {
        Verdict::Certified => EXIT_OK,
        Verdict::NotCertified => EXIT_FAIL,
    })
}
