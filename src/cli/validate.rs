//! `qrcert validate`: one payload (text or JSON), or `--batch` (JSON lines, in order, on all
//! cores).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};

use clap::ValueEnum;
use rayon::prelude::*;
use serde::Serialize;

use super::{CliError, EXIT_FAIL, EXIT_OK};
use crate::rules::validator::{EmvVersion, MAX_PAYLOAD_BYTES, Options, Validator, Verdict};
use crate::rules::{Role, Severity};
use crate::{Clock, Profile};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The payload, or `-` to read it from standard input (one trailing newline is dropped).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    payload: Option<String>,
    /// Validate one payload per line of FILE (`-` for standard input); print one JSON verdict
    /// per line, in input order.
    #[arg(long, value_name = "FILE")]
    batch: Option<String>,
    /// The profile: auto (detect), emvco, jpqr, khqr, or interop (detect, then add the
    /// cross-border rules).
    #[arg(long, default_value = "auto")]
    profile: String,
    /// The clock for expiry rules: RFC 3339 (2026-05-28T20:26:40Z) or epoch milliseconds.
    /// Default: the system clock, read once at start.
    #[arg(long)]
    now: Option<Clock>,
    /// Judge the payload as consumer input (default) or as a generator's output.
    #[arg(long, value_enum, default_value_t = RoleArg::Consumer)]
    role: RoleArg,
    /// EMVCo MPM edition.
    #[arg(long, value_enum, default_value_t = VersionArg::V1_1)]
    emv_version: VersionArg,
    /// Output format (single payload mode).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Consumer,
    Generator,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VersionArg {
    #[value(name = "1.0")]
    V1_0,
    #[value(name = "1.1")]
    V1_1,
}

#[derive(Serialize)]
struct Single<'a> {
    #[serde(flatten)]
    verdict: &'a Verdict,
    clock: Clock,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    let profile = match args.profile.as_str() {
        "auto" => None,
        p => Some(
            p.parse::<Profile>()
                .map_err(|e| CliError::Usage(e.to_string()))?,
        ),
    };
    let clock = args.now.unwrap_or_else(Clock::system);
    let options = Options {
        profile,
        role: match args.role {
            RoleArg::Consumer => Role::Consumer,
            RoleArg::Generator => Role::Generator,
        },
        now_ms: Some(clock.millis()),
        emv_version: match args.emv_version {
            VersionArg::V1_0 => EmvVersion::V1_0,
            VersionArg::V1_1 => EmvVersion::V1_1,
        },
    };
    if let Some(path) = args.batch {
        return batch(&path, &options);
    }
    let bytes = match args.payload.as_deref() {
        Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_PAYLOAD_BYTES as u64 + 3)
                .read_to_end(&mut buf)
                .map_err(CliError::io("reading the payload from standard input"))?;
            if buf.ends_with(b"\n") {
                buf.pop();
                if buf.ends_with(b"\r") {
                    buf.pop();
                }
            }
            buf
        }
        Some(p) => p.as_bytes().to_vec(),
        None => return Err(CliError::Usage("no payload given".into())),
    };
    let verdict = Validator::new()
        .validate_bytes(&bytes, &options)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    let io = CliError::io("writing the verdict");
    match args.format {
        Format::Json => {
            let single = Single {
                verdict: &verdict,
                clock,
            };
            let json = serde_json::to_string_pretty(&single)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            writeln!(out, "{json}").map_err(io)?;
        }
        Format::Text => out
            .write_all(render_text(&verdict, clock).as_bytes())
            .map_err(io)?,
    }
    Ok(if verdict.valid { EXIT_OK } else { EXIT_FAIL })
}

fn render_text(v: &Verdict, clock: Clock) -> String {
    let mut s = format!(
        "{} under {}{} (clock {clock})\n",
        if v.valid { "VALID" } else { "INVALID" },
        v.profile,
        if v.interop { " + interop" } else { "" },
    );
    let count = |sev| v.findings.iter().filter(|f| f.severity == sev).count();
    if !v.findings.is_empty() {
        s.push_str(&format!(
            "{} MUST, {} SHOULD, {} INFO\n",
            count(Severity::Must),
            count(Severity::Should),
            count(Severity::Info)
        ));
    }
    for f in &v.findings {
        s.push_str(&format!("  {f}\n"));
    }
    for r in &v.relaxed {
        s.push_str(&format!(
            "  relaxed {} at byte {}: {}\n",
            r.rule.id, r.offset, r.reason
        ));
    }
    for r in &v.not_evaluated {
        s.push_str(&format!("  not evaluated: {}\n", r.id));
    }
    s
}

/// One line of `--batch` output.
#[derive(Serialize)]
struct Line<'a> {
    line: u64,
    #[serde(flatten)]
    verdict: Option<&'a Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Lines per parallel chunk: big enough to spread over the cores, small enough to stream.
const CHUNK: usize = 8192;

enum Item {
    Payload(u64, Vec<u8>),
    TooLong(u64, usize),
}

fn batch(path: &str, options: &Options) -> Result<u8, CliError> {
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(path).map_err(CliError::io(format!("opening {path}")))?)
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut any_invalid = false;
    let mut line_no = 0u64;
    let mut eof = false;
    while !eof {
        let mut chunk = Vec::with_capacity(CHUNK);
        while chunk.len() < CHUNK {
            line_no += 1;
            match read_bounded_line(&mut reader, MAX_PAYLOAD_BYTES)
                .map_err(CliError::io(format!("reading {path}")))?
            {
                Bounded::Eof => {
                    eof = true;
                    break;
                }
                Bounded::Line(l) => chunk.push(Item::Payload(line_no, l)),
                Bounded::TooLong(n) => chunk.push(Item::TooLong(line_no, n)),
            }
        }
        let rendered: Vec<(bool, String)> = chunk
            .par_iter()
            .map_init(Validator::new, |v, item| render_line(v, item, options))
            .collect();
        for (valid, json) in rendered {
            any_invalid |= !valid;
            out.write_all(json.as_bytes())
                .map_err(CliError::io("writing verdicts"))?;
        }
        out.flush().map_err(CliError::io("writing verdicts"))?;
    }
    Ok(if any_invalid { EXIT_FAIL } else { EXIT_OK })
}

fn render_line(v: &mut Validator, item: &Item, options: &Options) -> (bool, String) {
    let (line, result) = match item {
        Item::Payload(n, bytes) => (
            *n,
            v.validate_bytes(bytes, options).map_err(|e| e.to_string()),
        ),
        Item::TooLong(n, len) => (
            *n,
            Err(format!(
                "line is over {len} bytes; qrcert refuses payloads over {MAX_PAYLOAD_BYTES} bytes"
            )),
        ),
    };
    let (valid, record) = match &result {
        Ok(verdict) => (
            verdict.valid,
            Line {
                line,
                verdict: Some(verdict),
                error: None,
            },
        ),
        Err(e) => (
            false,
            Line {
                line,
                verdict: None,
                error: Some(e.clone()),
            },
        ),
    };
    let mut json = serde_json::to_string(&record)
        .unwrap_or_else(|e| format!("{{\"line\":{line},\"error\":\"serialisation failed: {e}\"}}"));
    json.push('\n');
    (valid, json)
}

enum Bounded {
    Eof,
    Line(Vec<u8>),
    TooLong(usize),
}

/// Reads one `\n`-terminated line without holding more than `limit` bytes of it: a longer line
/// is consumed to its end and reported by size.
fn read_bounded_line(r: &mut impl BufRead, limit: usize) -> std::io::Result<Bounded> {
    let mut line = Vec::new();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (buf.len(), false),
        };
        total += take;
        if total <= limit {
            line.extend_from_slice(&buf[..take]);
        } else {
            line = Vec::new();
        }
        r.consume(take + usize::from(done));
        if done {
            break;
        }
    }
    Ok(if !any {
        Bounded::Eof
    } else if total > limit {
        Bounded::TooLong(total)
    } else {
        Bounded::Line(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let data = b"abc\n\nxyzxyzxyz\nlast".to_vec();
        let mut r = BufReader::with_capacity(4, &data[..]);
        let mut got = Vec::new();
        loop {
            match read_bounded_line(&mut r, 5).unwrap() {
                Bounded::Eof => break,
                Bounded::Line(l) => got.push(String::from_utf8(l).unwrap()),
                Bounded::TooLong(n) => got.push(format!("<{n}>")),
            }
        }
        assert_eq!(got, ["abc", "", "<9>", "last"]);
    }
}
