//! `summary.md`: a short Markdown summary for pull-request comments. Verdict, grid, counts, the
//! first failing cases, waivers and the run's identity; the HTML report has the rest.
//!
//! Everything that comes from the implementation or the vectors is escaped for GitHub-flavoured
//! Markdown tables (pipes, newlines, HTML), so a hostile reply cannot break the comment's layout
//! or inject markup.

use std::fmt::Write as _;

use super::grid::{Grid, cell_label, verdict_label};
use super::model::{CellVerdict, Grade, Report, Verdict};
use super::text;

/// How many failing cases the summary lists by default.
pub const DEFAULT_MAX_FAILURES: usize = 10;

/// The longest message shown in a table cell.
const MESSAGE_CHARS: usize = 200;

/// The Markdown summary, listing at most `max_failures` failing (FAIL or ERROR) cases.
pub fn to_markdown(report: &Report, max_failures: usize) -> String {
    let mut md = String::new();
    let icon = match report.verdict {
        Verdict::Certified => "✅",
        Verdict::NotCertified => "❌",
    };
    // Writing to a String cannot fail.
    let _ = writeln!(
        md,
        "## {icon} qrcert: {} — {}\n",
        verdict_label(report.verdict),
        cell(&text::implementation(report))
    );
    let _ = writeln!(md, "> {}\n", cell(&report.verdict_reason));
    grid(&mut md, report);
    roles(&mut md, report);
    directions(&mut md, report);
    counts(&mut md, report);
    ladder(&mut md, report);
    failures(&mut md, report, max_failures);
    waivers(&mut md, report);
    let _ = writeln!(md, "<sub>{}</sub>", cell(&text::identity_line(report)));
    md
}

fn grid(md: &mut String, report: &Report) {
    let g = Grid::of(report);
    if g.profiles.is_empty() {
        md.push_str("No cases ran.\n\n");
        return;
    }
    md.push_str("| profile |");
    for c in &g.capabilities {
        let _ = write!(md, " {c} |");
    }
    md.push_str("\n|---|");
    md.push_str(&"---|".repeat(g.capabilities.len()));
    md.push('\n');
    for p in &g.profiles {
        let _ = write!(md, "| **{p}** |");
        for c in &g.capabilities {
            match g.cell(*p, *c) {
                Some(cert) => {
                    let icon = match cert.verdict {
                        CellVerdict::Certified => "✅",
                        CellVerdict::NotCertified => "❌",
                        CellVerdict::NotClaimed => "➖",
                    };
                    let _ = write!(md, " {icon} {} |", cell_label(cert.verdict));
                }
                None => md.push_str(" · |"),
            }
        }
        md.push('\n');
    }
    md.push('\n');
}

/// Which roles hold for which profile, and why (not).
fn roles(md: &mut String, report: &Report) {
    if report.roles.is_empty() {
        return;
    }
    md.push_str("| role | profile | certificate | why |\n|---|---|---|---|\n");
    for r in &report.roles {
        let _ = writeln!(
            md,
            "| {} | {} | {} {} | {} |",
            r.role,
            r.profile,
            match r.verdict {
                Verdict::Certified => "✅",
                Verdict::NotCertified => "❌",
            },
            match r.verdict {
                Verdict::Certified => "certified",
                Verdict::NotCertified => "not certified",
            },
            cell(&r.reason)
        );
    }
    md.push('\n');
}

/// The cross-border certificate, one row per direction, with the cases of each capability.
fn directions(md: &mut String, report: &Report) {
    if report.directions.is_empty() {
        return;
    }
    md.push_str("### Cross-border, by direction\n\n| direction | certificate | parse | validate | generate | why |\n|---|---|---|---|---|---|\n");
    for d in &report.directions {
        let cap = |k: crate::Capability| {
            d.cells
                .iter()
                .find(|c| c.capability == k)
                .map_or("·".to_owned(), |c| {
                    format!("{}/{}", c.counts.get(super::Grade::Pass), c.counts.total())
                })
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            d.direction,
            match d.verdict {
                Verdict::Certified => "✅ certified",
                Verdict::NotCertified => "❌ not certified",
            },
            cap(crate::Capability::Parse),
            cap(crate::Capability::Validate),
            cap(crate::Capability::Generate),
            cell(&d.reason)
        );
    }
    md.push('\n');
}

fn counts(md: &mut String, report: &Report) {
    let parts: Vec<String> = Grade::ALL
        .into_iter()
        .map(|g| (g, report.summary.grades.get(g)))
        .filter(|(_, n)| *n > 0)
        .map(|(g, n)| format!("{g} {n}"))
        .collect();
    let _ = writeln!(
        md,
        "**{} cases:** {}\n",
        report.summary.total,
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(" · ")
        }
    );
}

/// Per-rung scan counts, when ladder cases ran: one line per profile and kind.
fn ladder(md: &mut String, report: &Report) {
    let table = super::ladder::table(&report.scan_ladder);
    if table.is_empty() {
        return;
    }
    md.push_str("### Scan ladder (read / cases per difficulty level; **bold**: required by the profile)\n\n");
    md.push_str("| profile | distortion | 1 | 2 | 3 | 4 | 5 |\n|---|---|---|---|---|---|---|\n");
    for (profile, kinds) in &table {
        for (kind, levels) in kinds {
            let _ = write!(md, "| {profile} | {} |", cell(kind));
            for level in levels {
                match level {
                    Some(r) if r.required => {
                        let _ = write!(md, " **{}** |", cell(&r.cell()));
                    }
                    Some(r) => {
                        let _ = write!(md, " {} |", cell(&r.cell()));
                    }
                    None => md.push_str(" · |"),
                }
            }
            md.push('\n');
        }
    }
    md.push('\n');
}

fn failures(md: &mut String, report: &Report, max: usize) {
    let failing: Vec<_> = report.cases.iter().filter(|c| c.grade.blocks()).collect();
    if failing.is_empty() {
        return;
    }
    let shown = failing.len().min(max);
    if shown < failing.len() {
        let _ = writeln!(
            md,
            "### Failing cases (first {shown} of {})\n",
            failing.len()
        );
    } else {
        let _ = writeln!(md, "### Failing cases ({})\n", failing.len());
    }
    if shown == 0 {
        return;
    }
    md.push_str("| case | grade | message | rules |\n|---|---|---|---|\n");
    for c in failing.into_iter().take(shown) {
        let rules: Vec<String> = c.rules.iter().map(|r| code(r)).collect();
        let _ = writeln!(
            md,
            "| {} ({}/{}) | {} | {} | {} |",
            code(&c.id),
            c.profile,
            c.capability,
            c.grade,
            cell(&text::cut(&c.message, MESSAGE_CHARS)),
            rules.join(" ")
        );
    }
    md.push('\n');
}

fn waivers(md: &mut String, report: &Report) {
    if report.waivers.is_empty() {
        return;
    }
    let _ = writeln!(md, "### Waivers ({})\n", report.waivers.len());
    md.push_str("| waiver | state | expects | expires | reference | cases | reason |\n");
    md.push_str("|---|---|---|---|---|---|---|\n");
    for w in &report.waivers {
        let state = match w.state.as_str() {
            "stale" => "⚠️ stale (passes now: remove it)".to_owned(),
            "expired" => "⚠️ expired (not applied)".to_owned(),
            "unused" => "⚠️ unused (matches no case)".to_owned(),
            other => cell(other),
        };
        let _ = writeln!(
            md,
            "| {} | {state} | {} | {} | {} | {} | {} |",
            code(&w.vector),
            w.expected_grade,
            cell(&w.expires),
            cell(&w.reference),
            w.cases.len(),
            cell(&text::cut(&w.reason, MESSAGE_CHARS))
        );
    }
    md.push('\n');
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '\n' | '\r' | '\t' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An identifier as inline code, or escaped text when it holds a backtick.
fn code(s: &str) -> String {
    if s.contains('`') || s.contains(['\n', '\r', '|']) {
        cell(s)
    } else {
        format!("`{s}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn summary_of_the_sample() {
        let md = to_markdown(&fixtures::sample().normalized(), DEFAULT_MAX_FAILURES);
        insta::assert_snapshot!("summary_md", md);
    }

    #[test]
    fn lists_at_most_n_failures_and_says_how_many_there_are() {
        let report = fixtures::sample();
        let blocking = report.summary.grades.blocking();
        assert!(blocking > 2);
        let md = to_markdown(&report, 2);
        assert!(
            md.contains(&format!("### Failing cases (first 2 of {blocking})")),
            "{md}"
        );
        let section = md.split("### Waivers").next().unwrap();
        assert_eq!(section.lines().filter(|l| l.starts_with("| `")).count(), 2);
    }

    #[test]
    fn a_certified_run_has_no_failure_section() {
        let md = to_markdown(&fixtures::reference_run(), DEFAULT_MAX_FAILURES);
        assert!(
            md.starts_with("## ✅ qrcert: CERTIFIED — qrcert-reference"),
            "{md}"
        );
        assert!(!md.contains("Failing cases"));
        assert!(!md.contains("### Waivers"));
    }

    #[test]
    fn hostile_text_cannot_break_the_table() {
        let mut report = fixtures::sample();
        let c = report
            .cases
            .iter_mut()
            .find(|c| c.grade == Grade::Fail)
            .unwrap();
        c.message = "a | b\n## injected <img src=x onerror=alert(1)>".into();
        c.id = "ID`|x".into();
        let md = to_markdown(&report, 50);
        assert!(
            md.contains("a \\| b ## injected &lt;img src=x onerror=alert(1)&gt;"),
            "{md}"
        );
        assert!(!md.contains("\n## injected"));
        assert!(md.contains("ID\\`\\|x"));
    }
}
