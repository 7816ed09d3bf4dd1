//! docs/programme.md, the operator's guide, works as shown: its shell blocks are run in order,
//! in an empty directory, with `qrcert` on the PATH; each `qrcert` line must end with exit 0,
//! or with the code its `# exit N` comment gives.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

/// The guide's shell blocks as one script, each `qrcert` line followed by a check of its exit
/// code (heredoc bodies are left alone).
fn script(guide: &str) -> String {
    let mut out = String::from("set -u\n");
    let mut in_block = false;
    let mut heredoc: Option<String> = None;
    for (n, line) in guide.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block && line.trim() == "```sh";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(end) = &heredoc {
            out.push_str(line);
            out.push('\n');
            if line.trim() == end {
                heredoc = None;
            }
            continue;
        }
        if let Some(i) = line.find("<<'") {
            // The check cannot follow the line: the heredoc body does.
            heredoc = line[i + 3..].split('\'').next().map(str::to_owned);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if line.starts_with("qrcert ") {
            let (cmd, want) = match line.rsplit_once("# exit ") {
                Some((c, code)) => (c.trim_end(), code.trim().to_owned()),
                None => (line, "0".to_owned()),
            };
            out.push_str(&format!(
                "{cmd}\ncode=$?\nif [ \"$code\" != {want} ]; then echo \"docs/programme.md:{}: exit $code, expected {want}: {}\" >&2; exit 1; fi\n",
                n + 1,
                cmd.replace('"', "'")
            ));
        } else {
            out.push_str(line);
            out.push_str("\n[ $? = 0 ] || { echo \"docs/programme.md:");
            out.push_str(&(n + 1).to_string());
            out.push_str(" failed\" >&2; exit 1; }\n");
        }
    }
    out
}

#[test]
fn the_operators_guide_runs_command_by_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/programme.md")).expect("guide");
    let text = script(&guide);
    assert!(
        text.matches("code=$?").count() >= 12,
        "the guide's commands: {text}"
    );
    let dir = std::env::temp_dir().join(format!("qrcert-guide-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("dirs");
    std::os::unix::fs::symlink(BIN, bin.join("qrcert")).expect("symlink");
    let work = dir.join("work");
    std::fs::create_dir_all(&work).expect("work");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(&text)
        .current_dir(&work)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs");
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("reproduced: all"), "{stdout}");
    let waived =
        std::fs::read_to_string(work.join("runs/acme-1.0-waived/report.json")).expect("waived run");
    assert!(waived.contains("XPASS"), "the stale waiver shows");
    let _ = std::fs::remove_dir_all(&dir);
}
