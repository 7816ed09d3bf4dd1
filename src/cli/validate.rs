//! `qrcert validate`: one payload (text or JSON), or `--batch` (JSON lines, in order, on all
//! cores; compact unless `--explain`).

mod compact;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};

use clap::ValueEnum;
use rayon::prelude::*;
use serde::Serialize;

use super::output::Paint;
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
    /// With `--batch`: each finding's message, confidence and KHQR SDK code, and the base rules
    /// the profile relaxed and why (by default a line gives only rule, severity, offset and data
    /// object of each finding).
    #[arg(long, requires = "batch")]
    explain: bool,
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
        return batch(&path, &options, args.explain);
    }
    super::output::detail(&format!(
        "clock {clock}{}",
        if args.now.is_some() {
            " (--now)"
        } else {
            " (the system clock; --now fixes it)"
        }
    ));
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
        if v.valid {
            Paint::Good.stdout("VALID")
        } else {
            Paint::Bad.stdout("INVALID")
        },
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

/// One line of `--batch --explain` output.
#[derive(Serialize)]
struct Line<'a> {
    line: u64,
    #[serde(flatten)]
    verdict: Option<&'a Verdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Lines read before they are validated together: big enough to spread over the cores, small
/// enough to stream.
const CHUNK: usize = 16_384;

/// Lines one worker validates in a row, into one output buffer.
const SLICE: usize = 512;

thread_local! {
    /// Each worker thread's validator: its buffers are reused for every line the thread judges.
    static VALIDATOR: std::cell::RefCell<Validator> = std::cell::RefCell::new(Validator::new());
}

/// A line of the batch: where its bytes are in the chunk's buffer, or how long it was when it
/// was over the limit (its bytes are not kept).
enum Item {
    Payload(u64, std::ops::Range<usize>),
    TooLong(u64, usize),
}

fn batch(path: &str, options: &Options, explain: bool) -> Result<u8, CliError> {
    let started = std::time::Instant::now();
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(path).map_err(CliError::io(format!("opening {path}")))?)
    };
    let mut reader = BufReader::with_capacity(1 << 18, reader);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 18, stdout.lock());
    let (mut invalid, mut line_no, mut eof) = (0u64, 0u64, false);
    let mut data = Vec::new();
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut bufs: Vec<(u64, Vec<u8>)> = Vec::new();
    while !eof {
        data.clear();
        chunk.clear();
        while chunk.len() < CHUNK {
            line_no += 1;
            match read_bounded_line(&mut reader, MAX_PAYLOAD_BYTES, &mut data)
                .map_err(CliError::io(format!("reading {path}")))?
            {
                Bounded::Eof => {
                    eof = true;
                    line_no -= 1;
                    break;
                }
                Bounded::Line(r) => chunk.push(Item::Payload(line_no, r)),
                Bounded::TooLong(n) => chunk.push(Item::TooLong(line_no, n)),
            }
        }
        // One output buffer per slice of lines, kept from chunk to chunk (fresh buffers would
        // be fresh pages for the kernel to zero, every chunk).
        let slices = chunk.len().div_ceil(SLICE);
        if bufs.len() < slices {
            bufs.resize_with(slices, || (0, Vec::new()));
        }
        chunk
            .par_chunks(SLICE)
            .zip(bufs[..slices].par_iter_mut())
            .for_each(|(items, (bad, buf))| {
                VALIDATOR.with_borrow_mut(|v| {
                    buf.clear();
                    *bad = 0;
                    for item in items {
                        *bad += u64::from(!render_line(v, &data, item, options, explain, buf));
                    }
                })
            });
        for (bad, buf) in &bufs[..slices] {
            invalid += bad;
            out.write_all(buf)
                .map_err(CliError::io("writing verdicts"))?;
        }
        out.flush().map_err(CliError::io("writing verdicts"))?;
    }
    let secs = started.elapsed().as_secs_f64();
    super::output::detail(&format!(
        "{line_no} lines, {invalid} invalid or refused, in {secs:.3} s ({:.0} lines/s)",
        line_no as f64 / secs.max(1e-9)
    ));
    Ok(if invalid > 0 { EXIT_FAIL } else { EXIT_OK })
}

/// Appends the verdict line of one item to `out`; returns whether the payload was valid.
fn render_line(
    v: &mut Validator,
    data: &[u8],
    item: &Item,
    options: &Options,
    explain: bool,
    out: &mut Vec<u8>,
) -> bool {
    let (line, bytes) = match item {
        Item::Payload(n, range) => (*n, &data[range.clone()]),
        Item::TooLong(n, len) => {
            let error = format!(
                "line is over {len} bytes; qrcert refuses payloads over {MAX_PAYLOAD_BYTES} bytes"
            );
            write_error(out, *n, &error);
            return false;
        }
    };
    if !explain && let Ok(text) = std::str::from_utf8(bytes) {
        // The common case borrows the validator's buffers: nothing is allocated per line.
        return match v.check(text, options) {
            Ok(verdict) => {
                compact::write(
                    out,
                    line,
                    &compact::Parts {
                        valid: verdict.valid,
                        profile: verdict.profile,
                        interop: verdict.interop,
                        findings: verdict.findings,
                        not_evaluated: verdict.not_evaluated,
                    },
                );
                verdict.valid
            }
            Err(e) => {
                write_error(out, line, &e.to_string());
                false
            }
        };
    }
    match v.validate_bytes(bytes, options) {
        Ok(verdict) if explain => {
            let record = Line {
                line,
                verdict: Some(&verdict),
                error: None,
            };
            match serde_json::to_writer(&mut *out, &record) {
                Ok(()) => out.push(b'\n'),
                Err(e) => write_error(out, line, &format!("serialisation failed: {e}")),
            }
            verdict.valid
        }
        Ok(verdict) => {
            compact::write(
                out,
                line,
                &compact::Parts {
                    valid: verdict.valid,
                    profile: verdict.profile,
                    interop: verdict.interop,
                    findings: &verdict.findings,
                    not_evaluated: &verdict.not_evaluated,
                },
            );
            verdict.valid
        }
        Err(e) => {
            write_error(out, line, &e.to_string());
            false
        }
    }
}

fn write_error(out: &mut Vec<u8>, line: u64, error: &str) {
    out.extend_from_slice(b"{\"line\":");
    compact::push_u64(out, line);
    out.extend_from_slice(b",\"error\":");
    // A String always serialises.
    let _ = serde_json::to_writer(&mut *out, error);
    out.extend_from_slice(b"}\n");
}

enum Bounded {
    Eof,
    Line(std::ops::Range<usize>),
    TooLong(usize),
}

/// Reads one `\n`-terminated line onto the end of `data` without holding more than `limit`
/// bytes of it: a longer line is consumed to its end, dropped from `data` and reported by size.
fn read_bounded_line(
    r: &mut impl BufRead,
    limit: usize,
    data: &mut Vec<u8>,
) -> std::io::Result<Bounded> {
    let start = data.len();
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
            data.extend_from_slice(&buf[..take]);
        } else {
            data.truncate(start);
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
        Bounded::Line(start..data.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let input = b"abc\n\nxyzxyzxyz\nlast".to_vec();
        let mut r = BufReader::with_capacity(4, &input[..]);
        let mut data = Vec::new();
        let mut got = Vec::new();
        loop {
            match read_bounded_line(&mut r, 5, &mut data).unwrap() {
                Bounded::Eof => break,
                Bounded::Line(l) => got.push(String::from_utf8(data[l].to_vec()).unwrap()),
                Bounded::TooLong(n) => got.push(format!("<{n}>")),
            }
        }
        assert_eq!(got, ["abc", "", "<9>", "last"]);
        // The over-long line left nothing behind.
        assert_eq!(data, b"abclast");
    }
}
