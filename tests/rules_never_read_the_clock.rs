//! Expiry is reproducible only if no rule reads the system clock: the clock comes from
//! `Options::now_ms` (the CLI reads the system clock once, outside the rules, when `--now` is
//! absent). This audits the rule sources for every way Rust code reads the time.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reads src/rules") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_rule_source_reads_the_system_clock() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 20, "found only {} rule files", files.len());
    let forbidden = [
        "SystemTime",
        "Instant::now",
        "now_utc",
        "now_local",
        "Clock::system",
        "chrono::",
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).expect("reads a rule file");
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{} mentions {word}: rules take the clock from Options::now_ms",
                f.display()
            );
        }
    }
}
