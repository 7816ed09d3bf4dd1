//! Per-rung scan counts: how a wallet did on each rung of the distortion ladder, per profile.
//! Derived from the cases alone (each ladder case's `expected.rung`, `expected.required` and
//! `observed.outcome`), so [`super::Report::recompute`] rebuilds it after waivers and any
//! writer can show it without the vectors.

use std::collections::BTreeMap;

use super::model::{CaseReport, Grade, LadderRow};
use crate::image::DistortionKind;
use crate::{Capability, Profile};

/// Where a kind sits in the ladder (unknown kinds last, by name).
fn kind_order(kind: &str) -> usize {
    DistortionKind::ALL
        .iter()
        .position(|k| k.as_str() == kind)
        .unwrap_or(DistortionKind::ALL.len())
}

/// The rows for `cases`, sorted by profile, then in ladder order (kind, difficulty).
pub fn ladder_rows(cases: &[CaseReport]) -> Vec<LadderRow> {
    let mut rows: BTreeMap<(Profile, usize, String, u8), LadderRow> = BTreeMap::new();
    for c in cases.iter().filter(|c| c.capability == Capability::Scan) {
        let Some(rung) = c.expected.get("rung").and_then(|r| r.as_str()) else {
            continue;
        };
        let Some((kind, level)) = rung.rsplit_once('-') else {
            continue;
        };
        let difficulty = level.parse::<u8>().unwrap_or(0);
        let required = c
            .expected
            .get("required")
            .and_then(|r| r.as_bool())
            .unwrap_or(false);
        let row = rows
            .entry((c.profile, kind_order(kind), kind.to_owned(), difficulty))
            .or_insert_with(|| LadderRow {
                profile: c.profile,
                rung: rung.to_owned(),
                kind: kind.to_owned(),
                difficulty,
                required,
                cases: 0,
                read: 0,
                misread: 0,
                not_detected: 0,
                other: 0,
            });
        row.cases += 1;
        let outcome = c.observed.get("outcome").and_then(|o| o.as_str());
        match outcome {
            // Faults decide the grade before the scanner's answer is looked at.
            _ if matches!(c.grade, Grade::Error | Grade::Unsupported) => row.other += 1,
            Some("read") => row.read += 1,
            Some("misread" | "stale") => row.misread += 1,
            Some("not_detected") => row.not_detected += 1,
            _ => row.other += 1,
        }
    }
    rows.into_values().collect()
}

/// A kind's rows by level (index 0 is level 1; `None` where the kind has no such level or no
/// case ran).
pub type KindRow<'a> = (String, [Option<&'a LadderRow>; 5]);

/// The rows laid out for a table: per profile, kinds in ladder order.
pub fn table(rows: &[LadderRow]) -> Vec<(Profile, Vec<KindRow<'_>>)> {
    let mut out: Vec<(Profile, Vec<KindRow<'_>>)> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|(p, _)| *p != row.profile) {
            out.push((row.profile, Vec::new()));
        }
        let Some((_, kinds)) = out.last_mut() else {
            continue;
        };
        if kinds.last().is_none_or(|(k, _)| *k != row.kind) {
            kinds.push((row.kind.clone(), [None; 5]));
        }
        let Some((_, levels)) = kinds.last_mut() else {
            continue;
        };
        if let Some(slot) = usize::from(row.difficulty)
            .checked_sub(1)
            .and_then(|i| levels.get_mut(i))
        {
            *slot = Some(row);
        }
    }
    out
}

impl LadderRow {
    /// The cell text: `read/cases`, and the misreads and other outcomes when there are any.
    pub fn cell(&self) -> String {
        let mut s = format!("{}/{}", self.read, self.cases);
        if self.misread > 0 {
            s.push_str(&format!(" ({} misread)", self.misread));
        }
        if self.other > 0 {
            s.push_str(&format!(" ({} no verdict)", self.other));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(
        id: &str,
        rung: Option<&str>,
        required: bool,
        outcome: &str,
        grade: Grade,
    ) -> CaseReport {
        CaseReport {
            id: id.into(),
            profile: Profile::Khqr,
            capability: Capability::Scan,
            title: String::new(),
            feature: String::new(),
            scenario: String::new(),
            grade,
            message: String::new(),
            expected: match rung {
                Some(r) => json!({"payload": "x", "rung": r, "required": required}),
                None => json!({"payload": "x"}),
            },
            observed: json!({"outcome": outcome}),
            rules: Vec::new(),
            refs: Vec::new(),
            source: String::new(),
            request: json!(null),
            reply: json!(null),
            duration_ms: 0,
            stderr: None,
            waiver: None,
            direction: None,
        }
    }

    #[test]
    fn rows_count_each_outcome_per_rung() {
        let cases = vec![
            case("A", Some("blur-2"), true, "read", Grade::Pass),
            case("B", Some("blur-2"), true, "not_detected", Grade::Fail),
            case("C", Some("blur-4"), false, "not_detected", Grade::Info),
            case("D", Some("blur-4"), false, "misread", Grade::Fail),
            case("E", Some("blur-4"), false, "stale", Grade::Fail),
            case("F", Some("blur-4"), false, "", Grade::Error),
            case("G", None, false, "read", Grade::Pass),
            case("H", Some("scale-1"), true, "read", Grade::Pass),
        ];
        let rows = ladder_rows(&cases);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].rung, "scale-1", "ladder order, not alphabetical");
        let rows = &rows[1..];
        let r2 = &rows[0];
        assert_eq!(
            (
                r2.rung.as_str(),
                r2.kind.as_str(),
                r2.difficulty,
                r2.required
            ),
            ("blur-2", "blur", 2, true)
        );
        assert_eq!((r2.cases, r2.read, r2.not_detected), (2, 1, 1));
        let r4 = &rows[1];
        assert_eq!(
            (r4.cases, r4.read, r4.misread, r4.not_detected, r4.other),
            (4, 0, 2, 1, 1)
        );
        assert!(!r4.required);
        assert_eq!(r4.cell(), "0/4 (2 misread) (1 no verdict)");
        let all = ladder_rows(&cases);
        let t = table(&all);
        assert_eq!(t.len(), 1);
        let (profile, kinds) = &t[0];
        assert_eq!(*profile, Profile::Khqr);
        let names: Vec<&str> = kinds.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["scale", "blur"]);
        let blur = &kinds[1].1;
        assert_eq!(blur[1].map(|r| r.rung.as_str()), Some("blur-2"));
        assert!(blur[0].is_none() && blur[2].is_none());
    }
}
