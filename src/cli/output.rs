//! How every command speaks: colour (`--color`, `NO_COLOR`), `--quiet` and `--verbose`, the
//! global options of the command line.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::sync::OnceLock;

use clap::ValueEnum;

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless the `NO_COLOR` environment variable is set and not empty.
    #[default]
    Auto,
    /// Always, even into a file or a pipe.
    Always,
    /// Never.
    Never,
}

impl ColorWhen {
    /// Whether to colour a stream that is (or is not) a terminal, given `NO_COLOR`'s value.
    pub fn enabled(self, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }

    /// The same choice for clap's own help and error messages.
    pub fn clap(self) -> clap::ColorChoice {
        match self {
            ColorWhen::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => {
                clap::ColorChoice::Never
            }
            ColorWhen::Auto => clap::ColorChoice::Auto,
            ColorWhen::Always => clap::ColorChoice::Always,
            ColorWhen::Never => clap::ColorChoice::Never,
        }
    }

    /// The `--color` value among raw arguments, read before clap parses them so that clap's own
    /// help and errors follow it too. `None` when absent or not a valid value (clap then says
    /// so).
    pub fn prescan(args: &[OsString]) -> Option<ColorWhen> {
        let mut found = None;
        let mut iter = args.iter().skip(1);
        while let Some(a) = iter.next() {
            let Some(a) = a.to_str() else { continue };
            if a == "--" {
                break;
            }
            let value = if a == "--color" {
                iter.next().and_then(|v| v.to_str())
            } else {
                a.strip_prefix("--color=")
            };
            if let Some(v) = value {
                found = ColorWhen::from_str(v, false).ok();
            }
        }
        found
    }
}

/// The global output settings of this process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Output {
    /// Colour standard output.
    pub color_stdout: bool,
    /// Colour standard error.
    pub color_stderr: bool,
    /// Only results and errors: no progress, notes or hints.
    pub quiet: bool,
    /// Also details: where the suite came from, timings, what each step did.
    pub verbose: bool,
}

static OUTPUT: OnceLock<Output> = OnceLock::new();

impl Output {
    /// The settings for `--color`, `--quiet` and `--verbose` in this environment.
    pub fn new(color: ColorWhen, quiet: bool, verbose: bool) -> Output {
        let no_color = std::env::var_os("NO_COLOR");
        Output {
            color_stdout: color.enabled(std::io::stdout().is_terminal(), no_color.as_deref()),
            color_stderr: color.enabled(std::io::stderr().is_terminal(), no_color.as_deref()),
            quiet,
            verbose: verbose && !quiet,
        }
    }

    /// Makes these the process's settings (the first call wins).
    pub fn install(self) {
        let _ = OUTPUT.set(self);
    }
}

/// The process's settings: plain, not quiet, not verbose until [`Output::install`].
pub fn output() -> Output {
    OUTPUT.get().copied().unwrap_or_default()
}

/// A colour for a word of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// Success: certified, valid, caught.
    Good,
    /// Failure: not certified, invalid, MUST, missed.
    Bad,
    /// Caution: SHOULD findings.
    Warn,
    /// Emphasis.
    Bold,
}

impl Paint {
    fn code(self) -> &'static str {
        match self {
            Paint::Good => "1;32",
            Paint::Bad => "1;31",
            Paint::Warn => "33",
            Paint::Bold => "1",
        }
    }

    /// `text` in this colour when `on`, else as it is.
    pub fn apply(self, text: &str, on: bool) -> String {
        if on {
            format!("\u{1b}[{}m{text}\u{1b}[0m", self.code())
        } else {
            text.to_owned()
        }
    }

    /// `text` in this colour if standard output is coloured.
    pub fn stdout(self, text: &str) -> String {
        self.apply(text, output().color_stdout)
    }
}

/// Prints a note on standard error unless `--quiet`.
pub fn note(text: &str) {
    if !output().quiet {
        crate::errln!("qrcert: {text}");
    }
}

/// Prints a detail on standard error with `--verbose`.
pub fn detail(text: &str) {
    if output().verbose {
        crate::errln!("qrcert: {text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn auto_means_a_terminal_without_no_color() {
        let auto = ColorWhen::Auto;
        assert!(auto.enabled(true, None));
        assert!(!auto.enabled(false, None));
        assert!(!auto.enabled(true, Some(OsStr::new("1"))));
        // An empty NO_COLOR does not count (no-color.org).
        assert!(auto.enabled(true, Some(OsStr::new(""))));
        assert!(ColorWhen::Always.enabled(false, Some(OsStr::new("1"))));
        assert!(!ColorWhen::Never.enabled(true, None));
    }

    #[test]
    fn prescan_finds_the_last_color_option() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(ColorWhen::prescan(&args(&["qrcert", "run"])), None);
        assert_eq!(
            ColorWhen::prescan(&args(&["qrcert", "--color", "never", "run"])),
            Some(ColorWhen::Never)
        );
        assert_eq!(
            ColorWhen::prescan(&args(&["qrcert", "run", "--color=always"])),
            Some(ColorWhen::Always)
        );
        assert_eq!(
            ColorWhen::prescan(&args(&["qrcert", "validate", "--", "--color=always"])),
            None
        );
        assert_eq!(
            ColorWhen::prescan(&args(&["qrcert", "--color=purple"])),
            None
        );
    }

    #[test]
    fn paint_only_when_on() {
        assert_eq!(Paint::Good.apply("ok", false), "ok");
        assert_eq!(Paint::Bad.apply("no", true), "\u{1b}[1;31mno\u{1b}[0m");
    }
}
