//! Merging the reports of a sharded run (`qrcert run --shard K/N` on N machines) into the one
//! report an unsharded run would have written.
//!
//! Shards merge only when they are parts of one certification: the same harness, suite,
//! implementation, clock and selection, every shard `1/N` to `N/N` exactly once, each holding only
//! its own cases. Anything else is refused, naming the report that differs, because a merged
//! report that mixed two runs would certify something nobody ran.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{ImplementationInfo, Report, Selection, Timing, WaiverInfo};
use crate::vectors::filter::shard_of;

/// One shard's report and where it came from (a path, for messages).
#[derive(Debug, Clone)]
pub struct ShardReport {
    /// Where the report was read from.
    pub origin: String,
    /// The report.
    pub report: Report,
}

/// Why shard reports cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// No report was given.
    #[error("nothing to merge: give the report of every shard")]
    Empty,
    /// A report was not made with `--shard`.
    #[error(
        "{origin} is not a shard report (its run had no --shard); merge the reports of `qrcert run --shard K/N`"
    )]
    NotAShard {
        /// The report.
        origin: String,
    },
    /// A report's `selection.shard` is not `K/N`.
    #[error("{origin}: shard {shard:?} is not K/N with 1 <= K <= N")]
    BadShard {
        /// The report.
        origin: String,
        /// The recorded value.
        shard: String,
    },
    /// Two reports are not parts of the same certification.
    #[error("{origin} is not from the same run as {first}: its {what} is {found}, not {expected}")]
    Differs {
        /// What differs (`suite`, `implementation`, `clock`, ...).
        what: &'static str,
        /// The first report, which the others are compared with.
        first: String,
        /// The report that differs.
        origin: String,
        /// The first report's value.
        expected: String,
        /// This report's value.
        found: String,
    },
    /// The same shard twice.
    #[error("shard {shard} is given twice: {first} and {second}")]
    DuplicateShard {
        /// `K/N`.
        shard: String,
        /// One report.
        first: String,
        /// The other.
        second: String,
    },
    /// Not every shard is there.
    #[error(
        "shard(s) {} missing: a merged report certifies the whole selection only with every shard",
        .missing.iter().map(|k| format!("{k}/{n}")).collect::<Vec<_>>().join(", ")
    )]
    MissingShards {
        /// The missing `K`s (1-based).
        missing: Vec<u32>,
        /// `N`.
        n: u32,
    },
    /// A case in two reports, or twice in one.
    #[error("case {id} appears in {first} and again in {second}")]
    Overlap {
        /// The vector ID.
        id: String,
        /// One report.
        first: String,
        /// The other.
        second: String,
    },
    /// A case in a shard it does not belong to: the report was edited, or made by a qrcert
    /// that splits differently.
    #[error("{origin}: case {id} belongs to shard {belongs}/{n}, not {shard}")]
    WrongShard {
        /// The report.
        origin: String,
        /// The vector ID.
        id: String,
        /// The shard the report claims to be.
        shard: String,
        /// The shard the case belongs to (1-based).
        belongs: u32,
        /// `N`.
        n: u32,
    },
}

/// Parses `K/N` (1-based, as written in reports).
fn parse_shard(s: &str) -> Option<(u32, u32)> {
    let (k, n) = s.split_once('/')?;
    let (k, n): (u32, u32) = (k.parse().ok()?, n.parse().ok()?);
    (k >= 1 && k <= n).then_some((k, n))
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The selection without what legitimately differs between shards: the shard itself, and the
/// roles (computed from the cases each shard happened to get).
fn shared_selection(s: &Selection) -> Selection {
    Selection {
        shard: None,
        roles: Vec::new(),
        ..s.clone()
    }
}

/// Merges the reports of every shard of one run into the report of the whole run: the union of
/// the cases, with the summary, the per-cell certification and the verdict recomputed. Timing is
/// the earliest start and the longest shard's duration (the wall time of a parallel matrix).
pub fn merge(shards: Vec<ShardReport>) -> Result<Report, MergeError> {
    let first = shards.first().ok_or(MergeError::Empty)?;
    let first_origin = first.origin.clone();
    let base = first.report.clone();

    let mut by_k: BTreeMap<u32, String> = BTreeMap::new();
    let mut n_all: Option<u32> = None;
    for s in &shards {
        let r = &s.report;
        let differs = |what: &'static str, expected: String, found: String| {
            if expected == found {
                Ok(())
            } else {
                Err(MergeError::Differs {
                    what,
                    first: first_origin.clone(),
                    origin: s.origin.clone(),
                    expected,
                    found,
                })
            }
        };
        differs(
            "report format",
            base.report_format.to_string(),
            r.report_format.to_string(),
        )?;
        differs("harness", json(&base.harness), json(&r.harness))?;
        differs("suite", json(&base.suite), json(&r.suite))?;
        // What the transport noticed (late replies, restarts) is each shard's own, not the
        // implementation's identity.
        let identity = |i: &ImplementationInfo| {
            let mut i = i.clone();
            i.adapter.notes.clear();
            json(&i)
        };
        differs(
            "implementation",
            identity(&base.implementation),
            identity(&r.implementation),
        )?;
        differs("clock", base.clock.to_string(), r.clock.to_string())?;
        differs(
            "selection",
            json(&shared_selection(&base.selection)),
            json(&shared_selection(&r.selection)),
        )?;
        let shard = r
            .selection
            .shard
            .clone()
            .ok_or_else(|| MergeError::NotAShard {
                origin: s.origin.clone(),
            })?;
        let (k, n) = parse_shard(&shard).ok_or_else(|| MergeError::BadShard {
            origin: s.origin.clone(),
            shard: shard.clone(),
        })?;
        let expected_n = *n_all.get_or_insert(n);
        differs("shard count", expected_n.to_string(), n.to_string())?;
        if let Some(other) = by_k.insert(k, s.origin.clone()) {
            return Err(MergeError::DuplicateShard {
                shard,
                first: other,
                second: s.origin.clone(),
            });
        }
        for c in &r.cases {
            let belongs = shard_of(&c.id, n);
            if belongs != k - 1 {
                return Err(MergeError::WrongShard {
                    origin: s.origin.clone(),
                    id: c.id.clone(),
                    shard,
                    belongs: belongs + 1,
                    n,
                });
            }
        }
    }
    // `first` exists, so `n_all` was set in the loop.
    let n = n_all.unwrap_or(1);
    let missing: Vec<u32> = (1..=n).filter(|k| !by_k.contains_key(k)).collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingShards { missing, n });
    }

    let mut cases = BTreeMap::new();
    let mut seen_in: BTreeMap<String, String> = BTreeMap::new();
    let mut roles = BTreeSet::new();
    let mut rules = BTreeMap::new();
    let mut waivers: Vec<WaiverInfo> = Vec::new();
    let mut timing: Option<Timing> = None;
    let mut notes: Vec<String> = Vec::new();
    for s in shards {
        for note in &s.report.implementation.adapter.notes {
            let note = format!(
                "shard {}: {note}",
                s.report.selection.shard.as_deref().unwrap_or("?")
            );
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        for c in s.report.cases {
            if let Some(other) = seen_in.insert(c.id.clone(), s.origin.clone()) {
                return Err(MergeError::Overlap {
                    id: c.id,
                    first: other,
                    second: s.origin,
                });
            }
            cases.insert(c.id.clone(), c);
        }
        roles.extend(s.report.selection.roles);
        rules.extend(s.report.rules);
        for w in s.report.waivers {
            merge_waiver(&mut waivers, w);
        }
        let t = s.report.timing;
        timing = Some(match timing {
            None => t,
            Some(m) => Timing {
                started: m.started.min(t.started),
                duration_ms: m.duration_ms.max(t.duration_ms),
            },
        });
    }
    let mut report = base;
    report.selection.shard = None;
    report.selection.roles = roles.into_iter().collect();
    report.cases = cases.into_values().collect();
    report.rules = rules;
    report.waivers = waivers;
    report.timing = timing.unwrap_or_default();
    report.implementation.adapter.notes = notes;
    report.recompute();
    Ok(report)
}

/// Adds a shard's view of a waiver: the same waiver seen by several shards covers the union of
/// their cases, and its state is the most telling one (a stale waiver anywhere is stale; one
/// unused in every shard is unused).
fn merge_waiver(into: &mut Vec<WaiverInfo>, w: WaiverInfo) {
    let same = |a: &WaiverInfo| {
        a.vector == w.vector
            && a.expected_grade == w.expected_grade
            && a.reason == w.reason
            && a.reference == w.reference
            && a.expires == w.expires
    };
    let rank = |state: &str| match state {
        "stale" => 3,
        "expired" => 2,
        "active" => 1,
        _ => 0,
    };
    match into.iter_mut().find(|a| same(a)) {
        Some(a) => {
            a.cases.extend(w.cases);
            a.cases.sort();
            a.cases.dedup();
            if rank(&w.state) > rank(&a.state) {
                a.state = w.state;
            }
        }
        None => into.push(w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{
        AdapterInfo, CaseReport, Harness, ImplementationInfo, REPORT_FORMAT, SuiteInfo,
    };
    use crate::report::{Counts, Grade, Summary, Verdict};
    use crate::{Capability, Clock, Profile};
    use serde_json::Value;

    fn case(id: &str, grade: Grade) -> CaseReport {
        CaseReport {
            id: id.into(),
            profile: Profile::Khqr,
            capability: Capability::Validate,
            title: "t".into(),
            feature: "features/khqr/validate.feature".into(),
            scenario: "s".into(),
            grade,
            message: "m".into(),
            expected: Value::Null,
            observed: Value::Null,
            rules: vec![],
            refs: vec![],
            source: "khqr/x.yaml:1".into(),
            request: Value::Null,
            reply: Value::Null,
            duration_ms: 1,
            stderr: None,
            waiver: None,
            direction: None,
        }
    }

    /// The IDs among `pool` that fall in shard `k` (1-based) of `n`.
    fn ids_of(pool: &[String], k: u32, n: u32) -> Vec<String> {
        pool.iter()
            .filter(|id| shard_of(id, n) == k - 1)
            .cloned()
            .collect()
    }

    fn shard(k: u32, n: u32, ids: &[String], fail: &str) -> ShardReport {
        let mut r = Report {
            report_format: REPORT_FORMAT,
            harness: Harness::current(),
            suite: SuiteInfo {
                version: "2026.11.0".into(),
                effective: None,
                rules_version: "r".into(),
                sha256: "ab".repeat(32),
                source: None,
                fresh: None,
                sealed_by: None,
                overlays: Vec::new(),
            },
            implementation: ImplementationInfo {
                name: "acme".into(),
                version: "1".into(),
                capabilities: vec![Capability::Validate],
                profiles: vec![Profile::Khqr],
                adapter: AdapterInfo {
                    transport: "cli".into(),
                    target: "acme".into(),
                    notes: Vec::new(),
                },
            },
            clock: Clock::from_millis(1_780_000_000_000),
            selection: Selection {
                shard: Some(format!("{k}/{n}")),
                roles: vec!["wallet".into()],
                ..Selection::default()
            },
            verdict: Verdict::Certified,
            verdict_reason: String::new(),
            certification: vec![],
            roles: vec![],
            directions: Vec::new(),
            summary: Summary {
                total: 0,
                grades: Counts::default(),
            },
            scan_ladder: Vec::new(),
            waivers: vec![],
            rules: BTreeMap::new(),
            cases: ids
                .iter()
                .map(|id| case(id, if id == fail { Grade::Fail } else { Grade::Pass }))
                .collect(),
            timing: Timing {
                started: format!("2026-05-28T20:4{k}:00Z"),
                duration_ms: u64::from(k) * 100,
            },
        };
        r.recompute();
        ShardReport {
            origin: format!("shard{k}/report.json"),
            report: r,
        }
    }

    fn pool() -> Vec<String> {
        (0..60).map(|i| format!("KHQR-X-{i:03}")).collect()
    }

    fn three(fail: &str) -> Vec<ShardReport> {
        let p = pool();
        (1..=3)
            .map(|k| shard(k, 3, &ids_of(&p, k, 3), fail))
            .collect()
    }

    #[test]
    fn three_shards_merge_to_the_whole() {
        let fail = "KHQR-X-007";
        let merged = merge(three(fail)).unwrap();
        assert_eq!(merged.cases.len(), 60);
        assert!(merged.cases.windows(2).all(|w| w[0].id < w[1].id));
        assert_eq!(merged.summary.grades.get(Grade::Fail), 1);
        assert_eq!(merged.verdict, Verdict::NotCertified);
        assert_eq!(merged.selection.shard, None);
        assert_eq!(merged.timing.started, "2026-05-28T20:41:00Z");
        assert_eq!(merged.timing.duration_ms, 300);
        // The order of the inputs does not matter.
        let mut reversed = three(fail);
        reversed.reverse();
        assert_eq!(merge(reversed).unwrap(), merged);
    }

    #[test]
    fn shards_of_different_runs_are_refused() {
        let mut s = three("");
        s[1].report.suite.sha256 = "cd".repeat(32);
        let e = merge(s).unwrap_err();
        assert!(
            matches!(e, MergeError::Differs { what: "suite", ref origin, .. } if origin == "shard2/report.json"),
            "{e}"
        );
        let mut s = three("");
        s[2].report.implementation.version = "2".into();
        assert!(matches!(
            merge(s).unwrap_err(),
            MergeError::Differs {
                what: "implementation",
                ..
            }
        ));
        let mut s = three("");
        s[0].report.clock = Clock::from_millis(0);
        // The first report is the reference: the others differ from it.
        assert!(matches!(
            merge(s).unwrap_err(),
            MergeError::Differs { what: "clock", .. }
        ));
        let mut s = three("");
        s[1].report.selection.smoke = true;
        assert!(matches!(
            merge(s).unwrap_err(),
            MergeError::Differs {
                what: "selection",
                ..
            }
        ));
    }

    #[test]
    fn incomplete_duplicated_mislabelled_and_overlapping_shards_are_refused() {
        let mut s = three("");
        s.remove(1);
        assert_eq!(
            merge(s).unwrap_err(),
            MergeError::MissingShards {
                missing: vec![2],
                n: 3
            }
        );
        let mut s = three("");
        let again = s[0].clone();
        s.push(ShardReport {
            origin: "copy/report.json".into(),
            ..again
        });
        assert!(matches!(
            merge(s).unwrap_err(),
            MergeError::DuplicateShard { .. }
        ));
        let mut s = three("");
        let stolen = s[1].report.cases[0].clone();
        s[0].report.cases.push(stolen);
        assert!(matches!(
            merge(s).unwrap_err(),
            MergeError::WrongShard { .. }
        ));
        let mut s = three("");
        s[1].report.selection.shard = None;
        assert!(matches!(
            merge(s).unwrap_err(),
            MergeError::NotAShard { .. }
        ));
        let mut s = three("");
        s[1].report.selection.shard = Some("2/2".into());
        assert!(matches!(
            merge(s).unwrap_err(),
            MergeError::Differs {
                what: "shard count",
                ..
            }
        ));
        let mut s = three("");
        s[1].report.selection.shard = Some("4/3".into());
        assert!(matches!(merge(s).unwrap_err(), MergeError::BadShard { .. }));
        assert_eq!(merge(vec![]).unwrap_err(), MergeError::Empty);
    }

    #[test]
    fn a_case_twice_is_refused() {
        // Correctly split shards cannot share a case (each case belongs to one shard, which
        // `WrongShard` checks); what is left is a case listed twice.
        let p = pool();
        let mut s: Vec<ShardReport> = (1..=2)
            .map(|k| shard(k, 2, &ids_of(&p, k, 2), ""))
            .collect();
        let dup = s[1].report.cases[3].clone();
        s[1].report.cases.push(dup.clone());
        assert_eq!(
            merge(s).unwrap_err(),
            MergeError::Overlap {
                id: dup.id,
                first: "shard2/report.json".into(),
                second: "shard2/report.json".into()
            }
        );
    }

    #[test]
    fn waivers_seen_by_several_shards_merge() {
        let w = |cases: &[&str], state: &str| WaiverInfo {
            vector: "KHQR-X-*".into(),
            expected_grade: Grade::Fail,
            reason: "r".into(),
            reference: "T-1".into(),
            expires: "2027-01-01".into(),
            state: state.into(),
            cases: cases.iter().map(|c| c.to_string()).collect(),
        };
        let mut all = Vec::new();
        merge_waiver(&mut all, w(&["KHQR-X-002"], "active"));
        merge_waiver(&mut all, w(&[], "unused"));
        merge_waiver(&mut all, w(&["KHQR-X-001"], "stale"));
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].state, "stale");
        assert_eq!(all[0].cases, ["KHQR-X-001", "KHQR-X-002"]);
    }
}
