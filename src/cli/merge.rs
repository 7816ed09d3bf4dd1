//! `qrcert report merge`: the shard reports of a CI matrix into one report, in every format,
//! signed when asked.

use std::path::{Path, PathBuf};

use super::{CliError, EXIT_FAIL, EXIT_OK};
use crate::report::Verdict;
use crate::report::files::{REPORT_JSON, SIGNATURE, read_report, write_all};
use crate::report::merge::{ShardReport, merge};
use crate::report::sign::SecretKey;

/// `qrcert report merge`.
#[derive(Debug, clap::Args)]
pub(super) struct MergeArgs {
    /// The shards: run directories (their report.json is read) or report.json files.
    #[arg(required = true, value_name = "DIR|REPORT.json")]
    shards: Vec<PathBuf>,
    /// Where to write the merged report (report.json, junit.xml, report.html, summary.md).
    #[arg(long, value_name = "DIR", default_value = "reports/merged")]
    out: PathBuf,
    /// Sign the merged report.json with this ed25519 secret key (see `qrcert keygen`): writes
    /// report.json.sig.
    #[arg(long, value_name = "FILE")]
    sign_key: Option<PathBuf>,
}

fn read_shard(arg: &Path) -> Result<ShardReport, CliError> {
    let path = if arg.is_dir() {
        arg.join(REPORT_JSON)
    } else {
        arg.to_path_buf()
    };
    let (_, report) = read_report(&path).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(ShardReport {
        origin: path.display().to_string(),
        report,
    })
}

pub(super) fn merge_command(a: MergeArgs) -> Result<u8, CliError> {
    // A bad key should cost a second, not a merge.
    let key = a
        .sign_key
        .as_deref()
        .map(SecretKey::load)
        .transpose()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let shards = a
        .shards
        .iter()
        .map(|p| read_shard(p))
        .collect::<Result<Vec<_>, _>>()?;
    let count = shards.len();
    let merged = merge(shards).map_err(|e| CliError::Usage(format!("cannot merge: {e}")))?;
    // A signature left from an earlier merge into the same directory would not match.
    match std::fs::remove_file(a.out.join(SIGNATURE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(CliError::io(format!("removing the old {SIGNATURE}"))(e)),
    }
    let written =
        write_all(&merged, &a.out, key.as_ref()).map_err(|e| CliError::Usage(e.to_string()))?;
    crate::outln!(
        "{} {}: {} (merged {count} shards, {} cases, suite {}, clock {})\nreports in {}{}",
        merged.implementation.name,
        merged.implementation.version,
        match merged.verdict {
            Verdict::Certified => "CERTIFIED",
            Verdict::NotCertified => "NOT CERTIFIED",
        },
        merged.summary.total,
        merged.suite.version,
        merged.clock,
        a.out.display(),
        if written.signature.is_some() {
            ", signed"
        } else {
            ""
        }
    );
    Ok(match merged.verdict {
        Verdict::Certified => EXIT_OK,
        Verdict::NotCertified => EXIT_FAIL,
    })
}
