//! What a command-line user expects of any tool: shell completions and a manual page generated
//! from the command line itself, `--color auto|always|never` honouring `NO_COLOR`, and
//! `--quiet` and `--verbose` on every command.

use std::process::{Command, Output};

use clap::CommandFactory;
use qrcert::cli::Cli;

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");
const VALID: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";

fn qrcert(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .envs(env.iter().copied())
        .env_remove("NO_COLOR")
        .output()
        .expect("run qrcert")
}

fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let o = qrcert(&["completions", shell], &[]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(o.stdout).unwrap();
        for sub in subcommands() {
            assert!(script.contains(&sub), "{shell} completions lack {sub}");
        }
        // fish names long options without their dashes (`-l adapter`).
        assert!(script.contains("adapter"), "{shell}");
    }
    // The bash script is valid bash, and completes `qrcert val` to validate.
    let o = qrcert(&["completions", "bash"], &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("qrcert.bash");
    std::fs::write(&file, &o.stdout).unwrap();
    let check = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(qrcert val); COMP_CWORD=1; COMP_LINE='qrcert val'; \
             COMP_POINT=10; _qrcert qrcert val qrcert; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        ))
        .output()
        .unwrap();
    let replies = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(replies.lines().any(|l| l == "validate"), "{replies}");
    let bad = qrcert(&["completions", "powershell-7"], &[]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_manual_page_is_generated() {
    let o = qrcert(&["man"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(
        page.contains(".TH qrcert 1"),
        "{}",
        &page[..page.len().min(300)]
    );
    for sub in subcommands() {
        assert!(page.contains(&sub), "the page lacks {sub}");
    }
    let dir = tempfile::tempdir().unwrap();
    let o = qrcert(&["man", "--out", dir.path().to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0));
    let run = std::fs::read_to_string(dir.path().join("qrcert-run.1")).unwrap();
    assert!(run.contains(".TH qrcert-run 1"));
    assert!(run.contains("adapter"));
    assert!(dir.path().join("qrcert.1").is_file());
    assert!(dir.path().join("qrcert-validate.1").is_file());
}

#[test]
fn colour_follows_color_and_no_color() {
    let esc = |o: &Output| o.stdout.contains(&0x1b);
    // Output into a pipe: plain unless asked.
    assert!(!esc(&qrcert(&["validate", VALID], &[])));
    assert!(esc(&qrcert(&["validate", "--color", "always", VALID], &[])));
    assert!(esc(&qrcert(
        &["--color=always", "validate", VALID],
        &[("NO_COLOR", "1")]
    )));
    assert!(!esc(&qrcert(&["validate", "--color", "never", VALID], &[])));
    assert!(!esc(&qrcert(
        &["validate", "--color", "auto", VALID],
        &[("NO_COLOR", "1")]
    )));
    let o = qrcert(&["validate", "--color", "always", VALID], &[]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("\u{1b}[1;32mVALID\u{1b}[0m"));
    let bad = qrcert(&["validate", "--color", "sometimes", VALID], &[]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn quiet_and_verbose_are_on_every_command() {
    let mut cmd = Cli::command();
    cmd.build();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        for flag in ["quiet", "verbose", "color"] {
            assert!(
                sub.get_arguments().any(|a| a.get_id() == flag),
                "qrcert {} has no --{flag}",
                sub.get_name()
            );
        }
    }
    // --verbose says what --quiet keeps back; the result is the same.
    let now = "2026-05-28T20:41:40Z";
    let quiet = qrcert(&["validate", "--quiet", "--now", now, VALID], &[]);
    let verbose = qrcert(&["validate", "--verbose", "--now", now, VALID], &[]);
    assert_eq!(quiet.stdout, verbose.stdout);
    assert!(quiet.stderr.is_empty());
    assert!(String::from_utf8_lossy(&verbose.stderr).contains("clock"));
    let both = qrcert(&["validate", "-q", "-v", VALID], &[]);
    assert_eq!(both.status.code(), Some(2));
}
