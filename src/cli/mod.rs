//! The `qrcert` command line.

mod image;
mod keygen;
mod merge;
mod reference;
mod report;
mod rules;
mod run;
mod selftest;
mod validate;
mod vectors;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
