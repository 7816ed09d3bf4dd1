//! `qrcert rules`: the catalogue as a table or JSON.

use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;

use super::{CliError, EXIT_OK};
use crate::Profile;
use crate::rules::profile::{Action, rules_of};
use crate::rules::{RuleRecord, all, spec};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Only the rules a profile applies (its base layer, its own rules, its relaxations).
    #[arg(long)]
    profile: Option<Profile>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Serialize)]
struct Entry {
    #[serde(flatten)]
    rule: RuleRecord,
    #[serde(skip_serializing_if = "Option::is_none")]
    relaxed: Option<String>,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    let entries: Vec<Entry> = match args.profile {
        None => all()
            .map(|r| Entry {
                rule: r.into(),
                relaxed: None,
            })
            .collect(),
        Some(p) => {
            let spec = spec(p).ok_or_else(|| {
                CliError::Usage(format!("profile {p} is not available in this build"))
            })?;
            rules_of(spec)
                .map(|r| {
                    let relaxed = spec
                        .relaxations
                        .iter()
                        .filter(|x| std::ptr::eq(x.rule, r))
                        .map(|x| {
                            let scope = if x.roots.is_empty() {
                                String::new()
                            } else {
                                let ids: Vec<String> =
                                    x.roots.iter().map(|i| format!("{i:02}")).collect();
                                format!(" for {}", ids.join(", "))
                            };
                            match x.action {
                                Action::Disable => format!("disabled{scope}: {}", x.reason),
                                Action::Severity(s) => format!("{s}{scope}: {}", x.reason),
                            }
                        })
                        .reduce(|a, b| format!("{a}; {b}"));
                    Entry {
                        rule: r.into(),
                        relaxed,
                    }
                })
                .collect()
        }
    };
    let mut out = std::io::stdout().lock();
    let io = CliError::io("writing the catalogue");
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &entries)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            writeln!(out).map_err(io)?;
        }
        Format::Table => {
            let mut text = String::new();
            text.push_str(&format!(
                "{:<38} {:<13} {:<12} {:<8} SUMMARY\n",
                "ID", "SEVERITY", "CONFIDENCE", "STATUS"
            ));
            for e in &entries {
                let r = &e.rule;
                let sev = if r.severity == r.generator_severity {
                    r.severity.to_string()
                } else {
                    format!("{}/{}(G)", r.severity, r.generator_severity)
                };
                let status = serde_json::to_value(r.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                text.push_str(&format!(
                    "{:<38} {:<13} {:<12} {:<8} {} [{}]",
                    r.id, sev, r.confidence, status, r.summary, r.reference
                ));
                match (r.khqr_sdk_code, r.khqr_sdk_behaviour) {
                    (Some(code), Some(b)) => {
                        text.push_str(&format!(" (KHQR SDK code {code}; SDK behaviour: {b})"))
                    }
                    (Some(code), None) => text.push_str(&format!(" (KHQR SDK code {code})")),
                    (None, Some(b)) => text.push_str(&format!(" (KHQR SDK behaviour: {b})")),
                    (None, None) => {}
                }
                if let Some(x) = &e.relaxed {
                    text.push_str(&format!(" -- relaxed: {x}"));
                }
                text.push('\n');
            }
            text.push_str(&format!("{} rules\n", entries.len()));
            out.write_all(text.as_bytes()).map_err(io)?;
        }
    }
    Ok(EXIT_OK)
}
