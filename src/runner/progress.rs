//! Showing a run as it happens: a progress bar on a terminal, plain lines otherwise, and the
//! stream of graded cases as JSON lines (`report.jsonl`), written as each case finishes so a killed
//! run leaves every finished case on disk.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::report::Grade;

use super::context::Event;

/// Consumes run events until the sender is dropped. Returns how many cases it saw.
pub async fn consume(
    events: UnboundedReceiver<Event>,
    jsonl: Option<&Path>,
    quiet: bool,
) -> std::io::Result<u64> {
    let file = match jsonl {
        Some(p) => Some(File::create(p)?),
        None => None,
    };
    consume_into(events, file, quiet).await
}

/// [`consume`], streaming into an already open file: a resumed run appends to the stream of
/// the run it continues.
pub async fn consume_into(
    mut events: UnboundedReceiver<Event>,
    jsonl: Option<File>,
    quiet: bool,
) -> std::io::Result<u64> {
    let mut out = jsonl.map(BufWriter::new);
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        // The length is set when the run has selected its cases (`Event::Started`).
        let b = ProgressBar::new(0);
        b.set_style(
            ProgressStyle::with_template("{spinner} [{bar:40}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let mut seen = 0u64;
    while let Some(ev) = events.recv().await {
        match ev {
            Event::ScenarioStarted {
                feature,
                scenario,
                cases: n,
            } => {
                if let Some(b) = &bar {
                    b.set_message(format!("{feature}: {scenario}"));
                } else if !quiet && n > 0 {
                    crate::errln!("qrcert: {feature}: {scenario} ({n} vectors)");
                }
            }
            Event::Started { cases } => {
                if let Some(b) = &bar {
                    b.set_length(cases as u64);
                }
            }
            Event::CaseFinished(r) => {
                seen += 1;
                if let Some(b) = &bar {
                    b.inc(1);
                    if r.grade.blocks() {
                        b.println(format!("{:<11} {}  {}", r.grade.as_str(), r.id, r.message));
                    }
                } else if !quiet && r.grade != Grade::Pass {
                    crate::errln!("  {:<11} {}  {}", r.grade.as_str(), r.id, r.message);
                }
                if let Some(w) = &mut out {
                    let line = serde_json::to_string(&r).unwrap_or_default();
                    writeln!(w, "{line}")?;
                    // Flushed per case: the point of the stream is surviving a kill.
                    w.flush()?;
                }
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(seen)
}
