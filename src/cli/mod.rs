//! The `qrcert` command line.

mod deck;
mod image;
mod keygen;
mod merge;
pub mod output;
mod reference;
mod report;
mod reproduce;
mod rules;
mod run;
mod selftest;
mod session;
mod shell;
mod validate;
mod vectors;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use output::{ColorWhen, Output};

/// Exit code: success (valid payload, certified run).
pub const EXIT_OK: u8 = 0;
/// Exit code: the subject failed (invalid payload, not certified).
pub const EXIT_FAIL: u8 = 1;
/// Exit code: usage, input/output or harness error.
pub const EXIT_ERROR: u8 = 2;

/// Conformance test and certification harness for EMVCo MPM, JPQR and KHQR payment QR codes.
#[derive(Debug, Parser)]
#[command(name = "qrcert", version, about, max_term_width = 100)]
pub struct Cli {
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Only results and errors: no progress, notes or hints.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// More detail: where the suite comes from, what each step did, timings.
    #[arg(long, short, global = true, conflicts_with = "quiet")]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Certify an implementation: run the features and vectors through its adapter and write
    /// the reports.
    Run(Box<run::Args>),
    /// Validate payload strings against a profile's rules.
    Validate(validate::Args),
    /// Print the rule catalogue.
    Rules(rules::Args),
    /// List, lint, generate and pin the golden test vectors.
    Vectors(vectors::Args),
    /// Serve the built-in reference implementation over the adapter protocol.
    Reference(reference::Args),
    /// Render a payload as a QR image (byte segments, ECI 26 when needed).
    Render(image::RenderArgs),
    /// Read the payload of a QR image; `--inspect` prints the symbol's facts.
    Decode(image::DecodeArgs),
    /// Make an Ed25519 key pair for signing reports.
    Keygen(keygen::Args),
    /// Verify, compare or re-render certification reports.
    #[command(subcommand)]
    Report(report::Command),
    /// Prove the harness sees defects: certify the reference implementation and its
    /// deliberately broken variants; every variant must be caught.
    Selftest(selftest::Args),
    /// Write a printable deck of QR cards and its answer key, for testing a wallet app on a
    /// phone.
    Deck(deck::Args),
    /// Serve a lab session: the deck's codes one at a time for a phone to scan, the tester's
    /// observations graded into signed reports.
    Session(session::Args),
    /// Print a shell completion script (bash, zsh, fish).
    Completions(shell::CompletionsArgs),
    /// Print the manual page, or write every page into a directory (`--out DIR`).
    Man(shell::ManArgs),
}

/// An error that ends a command with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A usage error the user can fix.
    #[error("{0}")]
    Usage(String),
    /// Reading or writing failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
}

impl CliError {
    fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> CliError {
        let what = what.into();
        move |source| CliError::Io { what, source }
    }
}

/// The vectors and features directories of a run: each as given, or else the suite built into
/// the binary (written out into the cache once, see [`crate::embedded`]).
fn suite_dirs(
    vectors: Option<PathBuf>,
    features: Option<PathBuf>,
) -> Result<(PathBuf, PathBuf), CliError> {
    let vectors = match vectors {
        Some(v) => v,
        None => embedded_root()?.join(crate::embedded::VECTORS),
    };
    let features = match features {
        Some(f) => f,
        None => embedded_root()?.join(crate::embedded::FEATURES),
    };
    Ok((vectors, features))
}

fn embedded_root() -> Result<&'static std::path::Path, CliError> {
    crate::embedded::extracted().map_err(|e| CliError::Usage(e.to_string()))
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // clap's own help and errors follow --color too, so it is known before clap parses.
    let color = ColorWhen::prescan(&args).unwrap_or_default();
    let cli = Cli::command()
        .color(color.clap())
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .unwrap_or_else(|e| e.exit());
    Output::new(cli.color, cli.quiet, cli.verbose).install();
    let result = match cli.command {
        Command::Run(args) => run::run_command(*args),
        Command::Validate(args) => validate::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Vectors(args) => vectors::run(args),
        Command::Reference(args) => reference::run(args),
        Command::Render(args) => image::render(args),
        Command::Decode(args) => image::decode(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Report(command) => report::run(command),
        Command::Selftest(args) => selftest::run(args),
        Command::Deck(args) => deck::run(args),
        Command::Session(args) => session::run(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man(args) => shell::man(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(CliError::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::from(EXIT_OK)
        }
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "qrcert: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
