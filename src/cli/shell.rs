//! `qrcert completions SHELL` and `qrcert man`: shell completion scripts and manual pages,
//! generated from the command line's own definition so they never drift from it.

use std::io::Write;
use std::path::PathBuf;

use clap::{CommandFactory, ValueEnum};

use super::{Cli, CliError, EXIT_OK};

/// Shells qrcert writes completions for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Shell {
    /// Bash: `source <(qrcert completions bash)`, or save into
    /// `/usr/share/bash-completion/completions/qrcert`.
    Bash,
    /// Zsh: save as `_qrcert` in a directory of `$fpath`.
    Zsh,
    /// Fish: save into `~/.config/fish/completions/qrcert.fish`.
    Fish,
}

#[derive(Debug, clap::Args)]
pub(super) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, clap::Args)]
pub(super) struct ManArgs {
    /// Write `qrcert.1` and one page per command (`qrcert-run.1`, ...) into DIR instead of
    /// printing `qrcert.1`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Prints the completion script for a shell.
pub(super) fn completions(args: CompletionsArgs) -> Result<u8, CliError> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut cmd, "qrcert", &mut buf);
    std::io::stdout()
        .lock()
        .write_all(&buf)
        .map_err(CliError::io("writing the completions"))?;
    Ok(EXIT_OK)
}

/// Prints the manual page, or writes every page into a directory.
pub(super) fn man(args: ManArgs) -> Result<u8, CliError> {
    let cmd = Cli::command();
    match args.out {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(CliError::io("rendering the manual page"))?;
            std::io::stdout()
                .lock()
                .write_all(&buf)
                .map_err(CliError::io("writing the manual page"))?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .map_err(CliError::io(format!("creating {}", dir.display())))?;
            clap_mangen::generate_to(cmd, &dir).map_err(CliError::io(format!(
                "writing manual pages into {}",
                dir.display()
            )))?;
            super::output::note(&format!(
                "manual pages in {}; read one with `man -l {}`",
                dir.display(),
                dir.join("qrcert.1").display()
            ));
        }
    }
    Ok(EXIT_OK)
}
