//! The diff as plain text (terminals, CI logs) and as Markdown (pull-request comments).

use std::fmt::Write as _;

use super::{CaseChange, CellChange, OutputChange, ReportDiff};
use crate::report::grid::cell_label;
use crate::report::model::{CellVerdict, Grade, Verdict};
use crate::report::text;

/// The most field changes shown per case.
const FIELDS_PER_CASE: usize = 50;
/// The longest message shown.
const MESSAGE_CHARS: usize = 200;

fn grade(g: Option<Grade>) -> &'static str {
    g.map_or("(absent)", Grade::as_str)
}

fn cell(v: Option<CellVerdict>) -> &'static str {
    v.map_or("(not run)", cell_label)
}

fn verdict(v: Verdict) -> &'static str {
    crate::report::grid::verdict_label(v)
}

/// Control characters out, so a hostile message cannot rewrite the terminal.
fn clean(s: &str) -> String {
    text::cut(
        &s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>(),
        MESSAGE_CHARS,
    )
}

impl ReportDiff {
    /// Plain text.
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        // Writing to a String cannot fail.
        let _ = writeln!(t, "old: {}", clean(&self.old_run));
        let _ = writeln!(t, "new: {}", clean(&self.new_run));
        if !self.identity.is_empty() {
            t.push_str("\nchanged run identity:\n");
            for c in &self.identity {
                let _ = writeln!(t, "  {}: {} -> {}", c.what, clean(&c.old), clean(&c.new));
            }
        }
        if let Some((o, n)) = self.verdict {
            let _ = writeln!(t, "\nverdict: {} -> {}", verdict(o), verdict(n));
        }
        if !self.cells.is_empty() {
            t.push_str("\ncertification cells:\n");
            for c in &self.cells {
                let _ = writeln!(t, "  {}", cell_line(c));
            }
        }
        let sections: [(&str, &Vec<CaseChange>); 5] = [
            ("newly failing", &self.newly_failing),
            ("newly passing", &self.newly_passing),
            ("changed grades", &self.changed_grades),
            ("added cases", &self.added),
            ("removed cases", &self.removed),
        ];
        for (title, list) in sections {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(t, "\n{title} ({}):", list.len());
            for c in list {
                let _ = writeln!(
                    t,
                    "  {} ({}/{}): {} -> {}  {}",
                    clean(&c.id),
                    c.profile,
                    c.capability,
                    grade(c.old),
                    grade(c.new),
                    clean(&c.message)
                );
            }
        }
        if !self.changed_outputs.is_empty() {
            let _ = writeln!(t, "\nchanged outputs ({}):", self.changed_outputs.len());
            for o in &self.changed_outputs {
                let _ = writeln!(t, "  {} ({}/{}):", clean(&o.id), o.profile, o.capability);
                for line in field_lines(o) {
                    let _ = writeln!(t, "    {line}");
                }
            }
        }
        let _ = writeln!(t, "\n{}", self.conclusion());
        t
    }

    /// Markdown.
    pub fn to_markdown(&self) -> String {
        let mut m = String::new();
        let _ = writeln!(
            m,
            "## {} qrcert report diff\n",
            if self.regressed() { "❌" } else { "✅" }
        );
        let _ = writeln!(m, "**{}**\n", md(&self.conclusion()));
        let _ = writeln!(
            m,
            "- old: {}\n- new: {}\n",
            md(&self.old_run),
            md(&self.new_run)
        );
        if !self.identity.is_empty() || self.verdict.is_some() || !self.cells.is_empty() {
            m.push_str("| what | old | new |\n|---|---|---|\n");
            for c in &self.identity {
                let _ = writeln!(m, "| {} | {} | {} |", c.what, md(&c.old), md(&c.new));
            }
            if let Some((o, n)) = self.verdict {
                let _ = writeln!(m, "| verdict | {} | {} |", verdict(o), verdict(n));
            }
            for c in &self.cells {
                let _ = writeln!(
                    m,
                    "| {}/{} | {} | {} |",
                    c.profile,
                    c.capability,
                    cell(c.old),
                    cell(c.new)
                );
            }
            m.push('\n');
        }
        let sections: [(&str, &Vec<CaseChange>); 5] = [
            ("Newly failing", &self.newly_failing),
            ("Newly passing", &self.newly_passing),
            ("Changed grades", &self.changed_grades),
            ("Added cases", &self.added),
            ("Removed cases", &self.removed),
        ];
        for (title, list) in sections {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(m, "### {title} ({})\n", list.len());
            m.push_str("| case | old | new | message |\n|---|---|---|---|\n");
            for c in list {
                let _ = writeln!(
                    m,
                    "| `{}` ({}/{}) | {} | {} | {} |",
                    md(&c.id).replace('`', "'"),
                    c.profile,
                    c.capability,
                    grade(c.old),
                    grade(c.new),
                    md(&clean(&c.message))
                );
            }
            m.push('\n');
        }
        if !self.changed_outputs.is_empty() {
            let _ = writeln!(m, "### Changed outputs ({})\n", self.changed_outputs.len());
            for o in &self.changed_outputs {
                let _ = writeln!(
                    m,
                    "`{}` ({}/{}):\n",
                    md(&o.id).replace('`', "'"),
                    o.profile,
                    o.capability
                );
                let body: Vec<String> = diff_lines(o);
                let body = body.join("\n");
                let fence = "`".repeat(3.max(longest_backtick_run(&body) + 1));
                let _ = writeln!(m, "{fence}diff\n{body}\n{fence}\n");
            }
        }
        m
    }

    /// One line: regressed or not, and why.
    pub fn conclusion(&self) -> String {
        if self.regressed() {
            let mut why = Vec::new();
            if !self.newly_failing.is_empty() {
                why.push(format!("{} newly failing", self.newly_failing.len()));
            }
            if self.verdict == Some((Verdict::Certified, Verdict::NotCertified)) {
                why.push("certification lost".into());
            }
            let lost = self
                .cells
                .iter()
                .filter(|c| {
                    c.old == Some(CellVerdict::Certified)
                        && c.new != Some(CellVerdict::Certified)
                        && c.new.is_some()
                })
                .count();
            if lost > 0 {
                why.push(format!("{lost} cell(s) no longer certified"));
            }
            format!("REGRESSED: {}", why.join(", "))
        } else if self.is_empty() {
            "no differences".into()
        } else {
            format!(
                "no regression ({} newly passing, {} other grade changes, {} changed outputs)",
                self.newly_passing.len(),
                self.changed_grades.len(),
                self.changed_outputs.len()
            )
        }
    }
}

fn cell_line(c: &CellChange) -> String {
    format!(
        "{}/{}: {} -> {}",
        c.profile,
        c.capability,
        cell(c.old),
        cell(c.new)
    )
}

fn field_lines(o: &OutputChange) -> Vec<String> {
    let mut out: Vec<String> = o
        .fields
        .iter()
        .take(FIELDS_PER_CASE)
        .map(|f| {
            format!(
                "{}: {} -> {}",
                clean(&f.path),
                f.old.as_deref().map_or("(absent)".into(), clean),
                f.new.as_deref().map_or("(absent)".into(), clean)
            )
        })
        .collect();
    if o.fields.len() > FIELDS_PER_CASE {
        out.push(format!("… {} more", o.fields.len() - FIELDS_PER_CASE));
    }
    out
}

fn diff_lines(o: &OutputChange) -> Vec<String> {
    let mut out = Vec::new();
    for f in o.fields.iter().take(FIELDS_PER_CASE) {
        if let Some(old) = &f.old {
            out.push(format!("- {}: {}", clean(&f.path), clean(old)));
        }
        if let Some(new) = &f.new {
            out.push(format!("+ {}: {}", clean(&f.path), clean(new)));
        }
    }
    if o.fields.len() > FIELDS_PER_CASE {
        out.push(format!("  … {} more", o.fields.len() - FIELDS_PER_CASE));
    }
    out
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// Text safe in Markdown (tables and prose).
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
