//! What a run certifies, derived from its graded cases alone, so that a merged, waived or
//! re-rendered report states the same certificate as the run that made it.
//!
//! - A profile x capability cell is *not claimed* when every case in it is UNSUPPORTED: the
//!   runner grades UNSUPPORTED only the cases of a cell the implementation did not claim in
//!   `describe` (inside a claimed cell a refusal is ERROR).
//! - A claimed cell is *certified* with at least one PASS and no FAIL or ERROR. Only SHOULD-level
//!   misses (NON_STRICT), INFO or waived cases with no PASS certify nothing: nothing was shown.
//! - The run is certified when at least one claimed cell is certified and no claimed cell has a
//!   FAIL or ERROR. A run that certifies nothing is not certified.
//! - A role (merchant, wallet, cross-border) holds for a profile only when every capability of
//!   that role is certified for it; a capability that was not run or not claimed keeps it from
//!   holding.

use std::collections::BTreeMap;

use super::model::{
    CaseReport, CellVerdict, Certification, Counts, DirectionCell, DirectionCertificate, Grade,
    RoleCertificate, Verdict,
};
use crate::role::{CertRole, Direction};
use crate::{Capability, Profile};

/// The certificate of a set of graded cases.
#[derive(Debug, Clone, PartialEq)]
pub struct Certificate {
    /// One entry per profile x capability with cases, in profile then capability order.
    pub cells: Vec<Certification>,
    /// One entry per profile x role with cases.
    pub roles: Vec<RoleCertificate>,
    /// One entry per cross-border direction with cases.
    pub directions: Vec<DirectionCertificate>,
    /// The overall verdict.
    pub verdict: Verdict,
    /// The overall verdict in one line: what holds, or why nothing does.
    pub reason: String,
}

/// Judges `cases`.
pub fn certify(cases: &[CaseReport]) -> Certificate {
    let mut counts: BTreeMap<(Profile, Capability), Counts> = BTreeMap::new();
    for c in cases {
        counts
            .entry((c.profile, c.capability))
            .or_default()
            .add(c.grade);
    }
    let cells: Vec<Certification> = counts
        .into_iter()
        .map(|((profile, capability), counts)| {
            let (verdict, reason) = judge_cell(&counts);
            Certification {
                profile,
                capability,
                verdict,
                reason,
                counts,
            }
        })
        .collect();
    let roles = judge_roles(&cells);
    let directions = judge_directions(cases);
    let (verdict, reason) = judge_run(&cells);
    Certificate {
        cells,
        roles,
        directions,
        verdict,
        reason,
    }
}

fn judge_cell(counts: &Counts) -> (CellVerdict, String) {
    let total = counts.total();
    if counts.get(Grade::Unsupported) == total {
        return (
            CellVerdict::NotClaimed,
            "not claimed in describe: nothing shown".to_owned(),
        );
    }
    let blocking: Vec<String> = [Grade::Fail, Grade::Error]
        .into_iter()
        .filter(|g| counts.get(*g) > 0)
        .map(|g| format!("{} {g}", counts.get(g)))
        .collect();
    if !blocking.is_empty() {
        return (CellVerdict::NotCertified, blocking.join(", "));
    }
    if counts.get(Grade::Pass) == 0 {
        return (
            CellVerdict::NotCertified,
            format!("no case passed ({total} cases, none shown to conform)"),
        );
    }
    (
        CellVerdict::Certified,
        format!("{} of {total} cases passed", counts.get(Grade::Pass)),
    )
}

fn judge_roles(cells: &[Certification]) -> Vec<RoleCertificate> {
    let mut pairs: Vec<(Profile, CertRole)> = cells
        .iter()
        .map(|c| (c.profile, CertRole::of_cell(c.profile, c.capability)))
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|(profile, role)| {
            let mut missing = Vec::new();
            for &capability in role.capabilities() {
                let why = match cells
                    .iter()
                    .find(|c| c.profile == profile && c.capability == capability)
                {
                    None => Some("not run"),
                    Some(c) => match c.verdict {
                        CellVerdict::Certified => None,
                        CellVerdict::NotClaimed => Some("not claimed"),
                        CellVerdict::NotCertified => Some("not certified"),
                    },
                };
                if let Some(why) = why {
                    missing.push(format!("{capability} {why}"));
                }
            }
            let (verdict, reason) = if missing.is_empty() {
                (
                    Verdict::Certified,
                    format!("{} certified", list(role.capabilities())),
                )
            } else {
                (Verdict::NotCertified, missing.join(", "))
            };
            RoleCertificate {
                role,
                profile,
                verdict,
                reason,
            }
        })
        .collect()
}

/// A direction holds when the wallet's capabilities (parse and validate) are certified for it,
/// and its merchant side, when any ran, too. A capability that did not run keeps it from holding.
fn judge_directions(cases: &[CaseReport]) -> Vec<DirectionCertificate> {
    let mut counts: BTreeMap<Direction, BTreeMap<Capability, Counts>> = BTreeMap::new();
    for c in cases {
        if let Some(d) = c.direction {
            counts
                .entry(d)
                .or_default()
                .entry(c.capability)
                .or_default()
                .add(c.grade);
        }
    }
    counts
        .into_iter()
        .map(|(direction, caps)| {
            let cells: Vec<DirectionCell> = caps
                .iter()
                .map(|(&capability, counts)| DirectionCell {
                    capability,
                    verdict: judge_cell(counts).0,
                    counts: *counts,
                })
                .collect();
            let mut required: Vec<Capability> = Direction::WALLET.to_vec();
            for c in &cells {
                if !required.contains(&c.capability) {
                    required.push(c.capability);
                }
            }
            let mut missing = Vec::new();
            for capability in &required {
                let why = match cells.iter().find(|c| c.capability == *capability) {
                    None => Some("not run".to_owned()),
                    Some(c) => match c.verdict {
                        CellVerdict::Certified => None,
                        CellVerdict::NotClaimed => Some("not claimed".to_owned()),
                        CellVerdict::NotCertified => Some(judge_cell(&c.counts).1),
                    },
                };
                if let Some(why) = why {
                    missing.push(format!("{capability} {why}"));
                }
            }
            let (verdict, reason) = if missing.is_empty() {
                let total: u64 = cells.iter().map(|c| c.counts.total()).sum();
                (
                    Verdict::Certified,
                    format!("{} certified ({total} cases)", list(&required)),
                )
            } else {
                (Verdict::NotCertified, missing.join("; "))
            };
            DirectionCertificate {
                direction,
                verdict,
                reason,
                cells,
            }
        })
        .collect()
}

fn list(capabilities: &[Capability]) -> String {
    capabilities
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn cell_name(c: &Certification) -> String {
    format!("{} {}", c.profile, c.capability)
}

fn judge_run(cells: &[Certification]) -> (Verdict, String) {
    if cells.is_empty() {
        return (
            Verdict::NotCertified,
            "nothing certified: no case ran".into(),
        );
    }
    let claimed: Vec<&Certification> = cells
        .iter()
        .filter(|c| c.verdict != CellVerdict::NotClaimed)
        .collect();
    if claimed.is_empty() {
        return (
            Verdict::NotCertified,
            "nothing certified: no capability claimed".into(),
        );
    }
    let blocked: Vec<String> = claimed
        .iter()
        .filter(|c| c.counts.blocking() > 0)
        .map(|c| format!("{} ({})", cell_name(c), c.reason))
        .collect();
    if !blocked.is_empty() {
        return (
            Verdict::NotCertified,
            format!("not certified: {}", shorten(&blocked, 6)),
        );
    }
    let certified: Vec<String> = claimed
        .iter()
        .filter(|c| c.verdict == CellVerdict::Certified)
        .map(|c| cell_name(c))
        .collect();
    if certified.is_empty() {
        return (
            Verdict::NotCertified,
            "nothing certified: no claimed capability has a passing case".into(),
        );
    }
    (
        Verdict::Certified,
        format!("certified: {}", shorten(&certified, 40)),
    )
}

fn shorten(items: &[String], n: usize) -> String {
    let mut s = items.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn case(id: &str, profile: Profile, capability: Capability, grade: Grade) -> CaseReport {
        CaseReport {
            id: id.into(),
            profile,
            capability,
            title: String::new(),
            feature: String::new(),
            scenario: String::new(),
            grade,
            message: String::new(),
            expected: Value::Null,
            observed: Value::Null,
            rules: Vec::new(),
            refs: Vec::new(),
            source: String::new(),
            request: Value::Null,
            reply: Value::Null,
            duration_ms: 0,
            stderr: None,
            waiver: None,
            direction: None,
        }
    }

    use Capability::*;
    use Grade::*;
    use Profile::*;

    #[test]
    fn a_run_that_claims_nothing_certifies_nothing() {
        let c = certify(&[
            case("A", Khqr, Validate, Unsupported),
            case("B", Khqr, Parse, Unsupported),
        ]);
        assert_eq!(c.verdict, Verdict::NotCertified);
        assert_eq!(c.reason, "nothing certified: no capability claimed");
        assert!(c.cells.iter().all(|x| x.verdict == CellVerdict::NotClaimed));
        assert!(c.roles.iter().all(|r| r.verdict == Verdict::NotCertified));
        assert_eq!(certify(&[]).verdict, Verdict::NotCertified);
    }

    #[test]
    fn a_claimed_cell_needs_a_pass_and_no_blocking_case() {
        let only_non_strict = certify(&[case("A", Khqr, Validate, NonStrict)]);
        assert_eq!(only_non_strict.cells[0].verdict, CellVerdict::NotCertified);
        assert_eq!(only_non_strict.verdict, Verdict::NotCertified);
        assert!(
            only_non_strict
                .reason
                .contains("no claimed capability has a passing case")
        );

        let mixed = certify(&[
            case("A", Khqr, Validate, Pass),
            case("B", Khqr, Validate, Error),
            case("C", Khqr, Parse, Pass),
        ]);
        assert_eq!(mixed.verdict, Verdict::NotCertified);
        assert_eq!(mixed.reason, "not certified: khqr validate (1 ERROR)");
        let parse = mixed.cells.iter().find(|c| c.capability == Parse).unwrap();
        assert_eq!(parse.verdict, CellVerdict::Certified);
    }

    #[test]
    fn unclaimed_cells_do_not_block_but_keep_roles_from_holding() {
        let c = certify(&[
            case("A", Khqr, Validate, Pass),
            case("B", Khqr, Parse, Pass),
            case("C", Khqr, Scan, Unsupported),
            case("D", Khqr, Generate, Pass),
            case("E", Khqr, Render, Pass),
        ]);
        assert_eq!(c.verdict, Verdict::Certified);
        assert!(
            c.reason.starts_with("certified: khqr parse"),
            "{}",
            c.reason
        );
        let role = |r| c.roles.iter().find(|x| x.role == r).unwrap();
        assert_eq!(role(CertRole::Merchant).verdict, Verdict::Certified);
        assert_eq!(role(CertRole::Wallet).verdict, Verdict::NotCertified);
        assert_eq!(role(CertRole::Wallet).reason, "scan not claimed");
    }

    #[test]
    fn a_role_whose_capability_did_not_run_does_not_hold() {
        let c = certify(&[case("A", Interop, Validate, Pass)]);
        assert_eq!(c.verdict, Verdict::Certified);
        assert_eq!(c.roles.len(), 1);
        assert_eq!(c.roles[0].role, CertRole::CrossBorder);
        assert_eq!(c.roles[0].verdict, Verdict::NotCertified);
        assert_eq!(c.roles[0].reason, "parse not run, generate not run");
    }

    #[test]
    fn directions_are_certified_apart() {
        let jk = Direction {
            wallet: Jpqr,
            code: Khqr,
        };
        let kj = Direction {
            wallet: Khqr,
            code: Jpqr,
        };
        let dir = |mut c: CaseReport, d| {
            c.direction = Some(d);
            c
        };
        let c = certify(&[
            dir(case("A", Interop, Validate, Pass), jk),
            dir(case("B", Interop, Parse, Pass), jk),
            dir(case("C", Interop, Generate, Pass), jk),
            dir(case("D", Interop, Validate, Pass), kj),
            dir(case("E", Interop, Validate, Fail), kj),
            dir(case("F", Interop, Parse, Pass), kj),
            case("G", Khqr, Validate, Pass),
        ]);
        assert_eq!(c.directions.len(), 2);
        let get = |d| c.directions.iter().find(|x| x.direction == d).unwrap();
        assert_eq!(get(jk).verdict, Verdict::Certified);
        assert_eq!(
            get(jk).reason,
            "parse, validate, generate certified (3 cases)"
        );
        assert_eq!(get(kj).verdict, Verdict::NotCertified);
        assert_eq!(get(kj).reason, "validate 1 FAIL");
        assert_eq!(jk.to_string(), "jpqr wallet at khqr codes");
        // A wallet capability that did not run keeps the direction from holding.
        let only = certify(&[dir(case("A", Interop, Validate, Pass), jk)]);
        assert_eq!(only.directions[0].reason, "parse not run");
    }
}
