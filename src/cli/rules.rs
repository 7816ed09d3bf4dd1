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
    /// The catalogue page committed as docs/rules.md.
    Markdown,
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
            serde_json::to_writer_pretty(&mut out, &entries).map_err(|e| {
                match e.io_error_kind() {
                    // A closed pipe (`| head`) is the reader's choice, not an error.
                    Some(kind) => CliError::Io {
                        what: "writing the catalogue".into(),
                        source: kind.into(),
                    },
                    None => CliError::Usage(e.to_string()),
                }
            })?;
            writeln!(out).map_err(io)?;
        }
        Format::Markdown => {
            out.write_all(markdown(&entries).as_bytes()).map_err(io)?;
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
                let by = r.ref_impl.as_deref().unwrap_or("reference");
                match (r.ref_code, r.ref_behaviour) {
                    (Some(code), Some(b)) => {
                        text.push_str(&format!(" ({by}: code {code}; behaviour: {b})"))
                    }
                    (Some(code), None) => text.push_str(&format!(" ({by}: code {code})")),
                    (None, Some(b)) => text.push_str(&format!(" ({by}: {b})")),
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

/// The catalogue as a Markdown page, one table per layer.
fn markdown(entries: &[Entry]) -> String {
    let mut s = String::from(
        "# qrcert rule catalogue\n\n\
         Generated by `qrcert rules --format markdown` (a test keeps this file in sync). \
         Severity `X/Y(G)`: X when the payload is consumer input, Y when it is a generator's output. \
         Confidence: CONFIRMED (in the specification text or observed in the official implementation), \
         CONFIRMED* (requirement in the text, the test is qrcert policy), SECONDARY (secondary sources agree), \
         INFERRED and UNCONFIRMED (qrcert's reading; said in the summary), DECISION (qrcert policy). \
         Status `planned`: catalogued for a later profile, not checked yet.\n",
    );
    let mut layer = None;
    for e in entries {
        let r = &e.rule;
        if layer != Some(r.profile) {
            layer = Some(r.profile);
            s.push_str(&format!(
                "\n## {}\n\n| ID | severity | confidence | status | scope | summary | reference | {} |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n",
                r.profile,
                r.profile
                    .spec()
                    .reference_impl
                    .map_or("reference implementation".to_owned(), |i| format!(
                        "{} {}",
                        i.name, i.version
                    ))
            ));
        }
        let sev = if r.severity == r.generator_severity {
            r.severity.to_string()
        } else {
            format!("{}/{}(G)", r.severity, r.generator_severity)
        };
        let sdk = match (r.ref_code, r.ref_behaviour) {
            (Some(c), Some(b)) => format!("{c} ({b})"),
            (Some(c), None) => c.to_string(),
            (None, Some(b)) => b.to_owned(),
            (None, None) => String::new(),
        };
        let cell = |t: &str| t.replace('|', "\\|");
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
            r.id,
            sev,
            r.confidence,
            json_name(&r.status),
            json_name(&r.scope),
            cell(r.summary),
            cell(r.reference),
            cell(&sdk)
        ));
    }
    s
}

fn json_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_rules_md_is_in_sync_with_the_catalogue() {
        let entries: Vec<Entry> = all()
            .map(|r| Entry {
                rule: r.into(),
                relaxed: None,
            })
            .collect();
        let expected = markdown(&entries);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == expected,
            "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
        );
    }
}
