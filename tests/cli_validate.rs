//! `qrcert validate` as a user runs it: exit codes, text and JSON output, stdin, `--batch`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");
const VALID: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";
const BAD_CRC: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046374";

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn qrcert");
    // Feed stdin from another thread: qrcert streams its output while it reads, so writing
    // everything first would deadlock on full pipes.
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("stdin writer");
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn exit_codes_follow_the_design() {
    assert_eq!(run(&["validate", VALID], b"").status.code(), Some(0));
    let bad = run(&["validate", BAD_CRC], b"");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("EMV.63.CRC_MISMATCH"));
    let usage = run(&["validate", "--profile", "nope", VALID], b"");
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("unknown profile"));
    assert_eq!(
        run(&["validate", "--now", "tomorrow", VALID], b"")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["validate"], b"").status.code(), Some(2));
}

#[test]
fn json_output_has_the_design_shape() {
    let o = run(
        &[
            "validate",
            "--format",
            "json",
            "--now",
            "2026-01-01T00:00:00Z",
            BAD_CRC,
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["valid"], false);
    assert_eq!(v["profile"], "emvco");
    assert_eq!(v["clock"], "2026-01-01T00:00:00.000Z");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "EMV.63.CRC_MISMATCH");
    assert_eq!(f["severity"], "MUST");
    assert_eq!(f["offset"], 108);
    assert!(f["message"].as_str().unwrap().contains("6373"));
}

#[test]
fn stdin_drops_one_newline_and_keeps_everything_else() {
    assert_eq!(
        run(&["validate", "-"], format!("{VALID}\n").as_bytes())
            .status
            .code(),
        Some(0)
    );
    let two = run(&["validate", "-"], format!("{VALID}\n\n").as_bytes());
    assert_eq!(two.status.code(), Some(1));
    assert!(stdout(&two).contains("EMV.63.LAST"));
    let not_utf8 = run(&["validate", "--format", "json", "-"], b"0002\xff\xfe");
    assert_eq!(not_utf8.status.code(), Some(1));
    assert!(stdout(&not_utf8).contains("EMV.PAYLOAD.UTF8"));
}

#[test]
fn batch_answers_every_line_in_order() {
    let mut input = String::new();
    let n = 20_000;
    for i in 0..n {
        input.push_str(if i % 3 == 0 { BAD_CRC } else { VALID });
        input.push('\n');
    }
    let o = run(&["validate", "--batch", "-"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n);
    for (i, line) in lines.iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["line"], i as u64 + 1);
        assert_eq!(v["valid"], i % 3 != 0, "line {}", i + 1);
    }
}

#[test]
fn batch_survives_hostile_lines() {
    let mut input = Vec::new();
    input.extend_from_slice(VALID.as_bytes());
    input.push(b'\n');
    input.extend(std::iter::repeat_n(b'9', 200_000));
    input.push(b'\n');
    input.extend_from_slice(b"\xed\xa0\x80\n");
    input.extend_from_slice(b"\0\0\0\0\n");
    input.extend_from_slice(VALID.as_bytes());
    let o = run(&["validate", "--batch", "-"], &input);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["valid"], true);
    assert!(lines[1]["error"].as_str().unwrap().contains("200000"));
    assert_eq!(lines[2]["findings"][0]["rule"], "EMV.PAYLOAD.UTF8");
    assert_eq!(lines[3]["valid"], false);
    assert_eq!(lines[4]["valid"], true);
}

#[test]
fn rules_prints_the_catalogue() {
    let o = run(&["rules", "--format", "json"], b"");
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "EMV.63.CRC_MISMATCH" && r["severity"] == "MUST")
    );
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "EMV.CPM.PREFIX" && r["status"] == "planned")
    );
    let table = run(&["rules"], b"");
    assert!(stdout(&table).contains("EMV.54.LEADING_DOT"));
}
