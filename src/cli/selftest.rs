//! `qrcert selftest`: certify the reference implementation and its deliberately broken variants;
//! every variant must be caught.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use super::output::Paint;
use super::{CliError, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::Clock;
use crate::reference::Defect;
use crate::runner::RunError;
use crate::selftest::{self, Options, describe_evidence};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Only these defects (repeatable; names as `--list` prints them).
    #[arg(long = "defect", value_name = "NAME")]
    defects: Vec<String>,
    /// Leave out every vector that names this rule (repeatable): shows which defects the
    /// rule's vectors alone catch.
    #[arg(long = "without-rule", value_name = "RULE")]
    without_rules: Vec<String>,
    /// List the defects, what each does and what must catch it, and exit.
    #[arg(long)]
    list: bool,
    /// The run clock. Default: 2026-05-28T20:41:40Z, the clock the suite's expiry vectors are
    /// written around.
    #[arg(long)]
    now: Option<Clock>,
    /// Concurrent requests.
    #[arg(long, default_value_t = 8)]
    jobs: usize,
    /// The per-request timeout of the variant that hangs, in milliseconds.
    #[arg(long, default_value_t = 250)]
    hang_timeout_ms: u64,
    /// The vectors directory. Default: the suite built into this qrcert.
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// The features directory. Default: the suite built into this qrcert.
    #[arg(long, value_name = "DIR")]
    features: Option<PathBuf>,
    /// Serve the process variant NAME on stdin/stdout (the selftest starts this itself).
    #[arg(long, value_name = "NAME", hide = true)]
    peer: Option<String>,
    /// How late the `late-replies` peer answers, in milliseconds.
    #[arg(long, default_value_t = 750, hide = true)]
    peer_delay_ms: u64,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    if let Some(name) = &args.peer {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(CliError::io("starting the runtime"))?;
        let delay = Duration::from_millis(args.peer_delay_ms);
        return match rt.block_on(selftest::peer::serve(name, delay)) {
            Ok(()) => Ok(EXIT_OK),
            Err(e) => Err(CliError::Usage(e.to_string())),
        };
    }
    let mut out = std::io::stdout().lock();
    if args.list {
        for d in Defect::ALL {
            writeln!(
                out,
                "{:<28} {}\n{:<28} caught by: {}",
                d.name(),
                d.description(),
                "",
                describe_evidence(d.evidence())
            )
            .map_err(CliError::io("writing the list"))?;
        }
        return Ok(EXIT_OK);
    }
    let defects = if args.defects.is_empty() {
        Defect::ALL.to_vec()
    } else {
        args.defects
            .iter()
            .map(|n| {
                Defect::from_name(n).ok_or_else(|| {
                    CliError::Usage(format!(
                        "--defect {n:?}: no such defect (see qrcert selftest --list)"
                    ))
                })
            })
            .collect::<Result<_, _>>()?
    };
    for r in &args.without_rules {
        if crate::rules::lookup(r).is_none() {
            return Err(CliError::Usage(format!(
                "--without-rule {r:?}: no such rule (see qrcert rules)"
            )));
        }
    }
    let (vectors, features) = super::suite_dirs(args.vectors.clone(), args.features.clone())?;
    let mut options = Options::new(vectors, features);
    options.defects = defects;
    options.without_rules = args.without_rules.clone();
    options.jobs = args.jobs.max(1);
    options.hang_timeout = Duration::from_millis(args.hang_timeout_ms.max(1));
    // The process variants are served by this very program.
    options.peer = std::env::current_exe().ok();
    if let Some(now) = args.now {
        options.clock = now;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::io("starting the runtime"))?;
    let mut write_err = None;
    let result = rt.block_on(selftest::selftest(&options, |line| {
        let line = paint_line(line);
        if let Err(e) = writeln!(out, "{line}").and_then(|_| out.flush()) {
            write_err.get_or_insert(e);
        }
    }));
    // The hanging variant's abandoned calls sleep out their time on blocking threads.
    rt.shutdown_timeout(Duration::from_secs(5));
    if let Some(e) = write_err {
        return Err(CliError::io("writing the results")(e));
    }
    match result {
        Ok(outcome) => {
            writeln!(out, "{}", outcome.summary_line())
                .map_err(CliError::io("writing the results"))?;
            Ok(if outcome.passed() { EXIT_OK } else { EXIT_FAIL })
        }
        Err(e @ (RunError::Vacuous(_) | RunError::Harness(_) | RunError::Vectors(_))) => {
            crate::errln!("qrcert: error: {e}");
            Ok(EXIT_ERROR)
        }
        Err(e) => Err(CliError::Usage(e.to_string())),
    }
}

/// A result line with its first word coloured: caught and pristine-certified lines good,
/// anything else bad.
fn paint_line(line: &str) -> String {
    let (word, rest) = line.split_once("  ").unwrap_or((line, ""));
    let good = word == "caught" || (word == "pristine" && rest.contains(" certified"));
    let paint = if good { Paint::Good } else { Paint::Bad };
    if rest.is_empty() {
        paint.stdout(word)
    } else {
        format!("{}  {rest}", paint.stdout(word))
    }
}
