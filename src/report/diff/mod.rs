//! Regression review: what changed between two reports (`qrcert report diff OLD NEW`).
//!
//! Cases are matched by ID. A case is *newly failing* when its grade went from anything else to
//! FAIL or ERROR, *newly passing* the other way round; other grade changes are listed as such.
//! For parse and generate cases whose outputs (`observed`) have the same shape on both sides, they
//! are compared field by field, payloads object by object. Changes of the suite, rules, harness or implementation are listed first,
//! since they explain the rest.
//!
//! [`ReportDiff::regressed`] is true when a case is newly failing, the overall verdict went from
//! certified to not certified, or a profile x capability cell lost its certification.

mod fields;
mod render;

use std::collections::BTreeMap;

pub use fields::{FieldChange, changes as field_changes};

use super::model::{CaseReport, CellVerdict, Grade, Report, Verdict};
use super::text;
use crate::{Capability, Profile};

/// A case whose grade changed (or that exists on one side only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseChange {
    /// Vector ID.
    pub id: String,
    /// Profile.
    pub profile: Profile,
    /// Capability.
    pub capability: Capability,
    /// Grade before (None: the case is new).
    pub old: Option<Grade>,
    /// Grade after (None: the case is gone).
    pub new: Option<Grade>,
    /// The newer side's message.
    pub message: String,
}

/// A parse or generate case whose output changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputChange {
    /// Vector ID.
    pub id: String,
    /// Profile.
    pub profile: Profile,
    /// Capability.
    pub capability: Capability,
    /// The differing fields.
    pub fields: Vec<FieldChange>,
}

/// A profile x capability cell whose verdict changed (None: the cell did not run on that side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellChange {
    /// Profile.
    pub profile: Profile,
    /// Capability.
    pub capability: Capability,
    /// Before.
    pub old: Option<CellVerdict>,
    /// After.
    pub new: Option<CellVerdict>,
}

/// A changed piece of the run's identity (suite, rules, harness, implementation, clock, selection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityChange {
    /// What, e.g. `suite.version`.
    pub what: &'static str,
    /// Before.
    pub old: String,
    /// After.
    pub new: String,
}

/// Everything that differs between two reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDiff {
    /// One-line identity of the old run.
    pub old_run: String,
    /// One-line identity of the new run.
    pub new_run: String,
    /// Changed identity fields.
    pub identity: Vec<IdentityChange>,
    /// The overall verdict, when it changed.
    pub verdict: Option<(Verdict, Verdict)>,
    /// Cells whose verdict changed.
    pub cells: Vec<CellChange>,
    /// Cases now FAIL or ERROR that were not.
    pub newly_failing: Vec<CaseChange>,
    /// Cases no longer FAIL or ERROR.
    pub newly_passing: Vec<CaseChange>,
    /// Other grade changes.
    pub changed_grades: Vec<CaseChange>,
    /// Cases only in the new report.
    pub added: Vec<CaseChange>,
    /// Cases only in the old report.
    pub removed: Vec<CaseChange>,
    /// Parse and generate cases whose output changed.
    pub changed_outputs: Vec<OutputChange>,
}

/// Compares two reports.
pub fn diff(old: &Report, new: &Report) -> ReportDiff {
    let olds: BTreeMap<&str, &CaseReport> = old.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let news: BTreeMap<&str, &CaseReport> = new.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut d = ReportDiff {
        old_run: text::identity_line(old),
        new_run: text::identity_line(new),
        identity: identity(old, new),
        verdict: (old.verdict != new.verdict).then_some((old.verdict, new.verdict)),
        cells: cells(old, new),
        newly_failing: Vec::new(),
        newly_passing: Vec::new(),
        changed_grades: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
        changed_outputs: Vec::new(),
    };
    for (id, n) in &news {
        let Some(o) = olds.get(id) else {
            d.added.push(change(n, None, Some(n.grade)));
            continue;
        };
        if o.grade != n.grade {
            let c = change(n, Some(o.grade), Some(n.grade));
            match (o.grade.blocks(), n.grade.blocks()) {
                (false, true) => d.newly_failing.push(c),
                (true, false) => d.newly_passing.push(c),
                _ => d.changed_grades.push(c),
            }
        }
        if matches!(n.capability, Capability::Parse | Capability::Generate)
            && comparable(&o.observed, &n.observed)
        {
            let fields = fields::changes(&o.observed, &n.observed);
            if !fields.is_empty() {
                d.changed_outputs.push(OutputChange {
                    id: n.id.clone(),
                    profile: n.profile,
                    capability: n.capability,
                    fields,
                });
            }
        }
    }
    for (id, o) in &olds {
        if !news.contains_key(id) {
            d.removed.push(change(o, Some(o.grade), None));
        }
    }
    d
}

/// Whether both sides produced the same kind of output (the same top-level keys, e.g. both a
/// `payload`). An output on one side and a refusal or fault on the other is a grade change, and
/// listing every field of the missing output would only bury it.
pub fn comparable(old: &serde_json::Value, new: &serde_json::Value) -> bool {
    match (old.as_object(), new.as_object()) {
        (Some(a), Some(b)) => a.keys().eq(b.keys()),
        _ => old.is_object() == new.is_object(),
    }
}

fn change(c: &CaseReport, old: Option<Grade>, new: Option<Grade>) -> CaseChange {
    CaseChange {
        id: c.id.clone(),
        profile: c.profile,
        capability: c.capability,
        old,
        new,
        message: c.message.clone(),
    }
}

fn identity(old: &Report, new: &Report) -> Vec<IdentityChange> {
    let fields: [(&'static str, String, String); 8] = [
        (
            "suite.version",
            old.suite.version.clone(),
            new.suite.version.clone(),
        ),
        (
            "suite.sha256",
            old.suite.sha256.clone(),
            new.suite.sha256.clone(),
        ),
        (
            "suite.rules_version",
            old.suite.rules_version.clone(),
            new.suite.rules_version.clone(),
        ),
        (
            "harness.version",
            old.harness.version.clone(),
            new.harness.version.clone(),
        ),
        (
            "implementation",
            text::implementation(old),
            text::implementation(new),
        ),
        (
            "implementation.adapter",
            format!(
                "{} {}",
                old.implementation.adapter.transport, old.implementation.adapter.target
            ),
            format!(
                "{} {}",
                new.implementation.adapter.transport, new.implementation.adapter.target
            ),
        ),
        ("clock", old.clock.to_string(), new.clock.to_string()),
        (
            "selection",
            serde_json::to_string(&old.selection).unwrap_or_default(),
            serde_json::to_string(&new.selection).unwrap_or_default(),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(what, old, new)| IdentityChange { what, old, new })
        .collect()
}

fn cells(old: &Report, new: &Report) -> Vec<CellChange> {
    let mut all: BTreeMap<(Profile, Capability), (Option<CellVerdict>, Option<CellVerdict>)> =
        BTreeMap::new();
    for c in &old.certification {
        all.entry((c.profile, c.capability)).or_default().0 = Some(c.verdict);
    }
    for c in &new.certification {
        all.entry((c.profile, c.capability)).or_default().1 = Some(c.verdict);
    }
    all.into_iter()
        .filter(|(_, (o, n))| o != n)
        .map(|((profile, capability), (old, new))| CellChange {
            profile,
            capability,
            old,
            new,
        })
        .collect()
}

impl ReportDiff {
    /// Whether the new run is worse: a newly failing case, the verdict lost, or a cell that was
    /// certified and now is not (failing, or the capability became unsupported).
    pub fn regressed(&self) -> bool {
        !self.newly_failing.is_empty()
            || self.verdict == Some((Verdict::Certified, Verdict::NotCertified))
            || self.cells.iter().any(|c| {
                c.old == Some(CellVerdict::Certified)
                    && matches!(
                        c.new,
                        Some(CellVerdict::NotCertified | CellVerdict::NotClaimed)
                    )
            })
    }

    /// Whether nothing at all differs (identity aside from the clock included).
    pub fn is_empty(&self) -> bool {
        self.identity.is_empty()
            && self.verdict.is_none()
            && self.cells.is_empty()
            && self.newly_failing.is_empty()
            && self.newly_passing.is_empty()
            && self.changed_grades.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed_outputs.is_empty()
    }
}

#[cfg(test)]
mod tests;
