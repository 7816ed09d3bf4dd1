//! What waivers do to a report's grades.
//!
//! For each case the first matching waiver decides: plain IDs before globs, then file order (a
//! second match is a warning). An unexpired waiver turns
//! - a case graded exactly its `expected_grade` into WAIVED;
//! - a case that PASSed into XPASS (the gap is closed: the waiver is stale and should go);
//! - any other grade into nothing: the case keeps its real grade and a warning says the grades
//!   differ. A waiver documents one known gap; if a case waived for FAIL now ERRORs (the adapter
//!   crashes) or a case waived for ERROR now FAILs, that is a different problem and must not be
//!   hidden by a ticket written for the first one.
//!
//! A waiver is expired after its `expires` day (judged on the run clock's UTC date, so a replayed
//! run with `--now` judges the same way): it covers nothing, the cases keep their grades, their
//! message says the waiver expired, and a warning is returned. A waiver that matches no case is a
//! warning too (a typo, or a vector that was retired).

use std::fmt;

use time::{Date, OffsetDateTime};

use super::{Waiver, Waivers, format_date};
use crate::Clock;
use crate::report::model::{Grade, Report, WaiverInfo};

/// Something about the waivers a user should look at; none of these stops a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiverWarning {
    /// The waiver's vector ID or glob matched no case.
    UnknownVector {
        /// The `vector` field.
        vector: String,
    },
    /// The waiver's expiry day has passed; it was not applied.
    Expired {
        /// The `vector` field.
        vector: String,
        /// The expiry day.
        expires: String,
        /// Cases it would have covered.
        cases: Vec<String>,
    },
    /// Cases the waiver covers passed: the gap is closed and the waiver should be removed.
    Stale {
        /// The `vector` field.
        vector: String,
        /// The cases graded XPASS.
        cases: Vec<String>,
    },
    /// The case's grade is not the grade the waiver expects, so it was not waived.
    GradeMismatch {
        /// The `vector` field.
        vector: String,
        /// The case.
        case: String,
        /// What the waiver expects.
        expected: Grade,
        /// What the case got.
        actual: Grade,
    },
    /// Several waivers match a case; only the first applies.
    Overlap {
        /// The case.
        case: String,
        /// The waiver used.
        used: String,
        /// The waivers ignored for this case.
        ignored: Vec<String>,
    },
    /// The file names another implementation: none of its waivers was applied.
    OtherImplementation {
        /// The implementation the file names.
        file: String,
        /// The implementation in the report.
        report: String,
    },
}

impl fmt::Display for WaiverWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiverWarning::UnknownVector { vector } => {
                write!(
                    f,
                    "waiver {vector:?} matches no case in this run (unknown or retired vector ID?)"
                )
            }
            WaiverWarning::Expired {
                vector,
                expires,
                cases,
            } => write!(
                f,
                "waiver {vector:?} expired on {expires} and no longer applies{}",
                list(" (cases keep their grades: ", cases, ")")
            ),
            WaiverWarning::Stale { vector, cases } => write!(
                f,
                "waiver {vector:?} is stale: {} now pass{}; remove the waiver",
                cases.join(", "),
                if cases.len() == 1 { "es" } else { "" }
            ),
            WaiverWarning::GradeMismatch {
                vector,
                case,
                expected,
                actual,
            } => write!(
                f,
                "waiver {vector:?} expects {expected} but {case} is {actual}: not waived"
            ),
            WaiverWarning::Overlap {
                case,
                used,
                ignored,
            } => write!(
                f,
                "{case} matches several waivers; {used:?} applies, {} ignored",
                ignored
                    .iter()
                    .map(|v| format!("{v:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            WaiverWarning::OtherImplementation { file, report } => write!(
                f,
                "the waiver file is for implementation {file:?}, the report is of {report:?}: no waiver applied"
            ),
        }
    }
}

fn list(before: &str, items: &[String], after: &str) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!("{before}{}{after}", items.join(", "))
    }
}

/// The UTC date of the run clock: the `today` waivers are judged against.
pub fn clock_date(clock: Clock) -> Date {
    let nanos = i128::from(clock.millis()) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map(OffsetDateTime::date)
        // Out of the representable range only for absurd clocks; MAX expires every waiver.
        .unwrap_or(Date::MAX)
}

/// Applies `waivers` to `report` as of `today` (see the module documentation), fills each case's
/// `waiver` and the report's `waivers` list, and recomputes the verdicts. Apply once per report:
/// cases already graded WAIVED or XPASS are left alone.
pub fn apply(report: &mut Report, waivers: &Waivers, today: Date) -> Vec<WaiverWarning> {
    let mut warnings = Vec::new();
    let n = waivers.waivers.len();
    let mut matched = vec![false; n];
    let mut covered: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut stale: Vec<Vec<String>> = vec![Vec::new(); n];
    let expired: Vec<bool> = waivers.waivers.iter().map(|w| today > w.expires).collect();

    let other = waivers
        .implementation
        .as_ref()
        .filter(|name| **name != report.implementation.name);
    if let Some(name) = other {
        warnings.push(WaiverWarning::OtherImplementation {
            file: name.clone(),
            report: report.implementation.name.clone(),
        });
    } else {
        for case in &mut report.cases {
            if matches!(case.grade, Grade::Waived | Grade::Xpass) {
                continue;
            }
            let mut hits = candidates(&waivers.waivers, &case.id);
            let Some(first) = hits.next() else { continue };
            let ignored: Vec<String> = hits.map(|i| waivers.waivers[i].vector.clone()).collect();
            let w = &waivers.waivers[first];
            if !ignored.is_empty() {
                warnings.push(WaiverWarning::Overlap {
                    case: case.id.clone(),
                    used: w.vector.clone(),
                    ignored,
                });
            }
            matched[first] = true;
            if expired[first] {
                covered[first].push(case.id.clone());
                if case.grade != Grade::Pass {
                    case.message.push_str(&format!(
                        " [waiver {:?} ({}) expired on {}: not applied]",
                        w.vector,
                        w.reference,
                        w.expires_text()
                    ));
                }
                continue;
            }
            if case.grade == Grade::Pass {
                case.grade = Grade::Xpass;
                case.message.push_str(&format!(
                    " [waiver {:?} ({}) expects {}, but the case passed: the waiver is stale]",
                    w.vector, w.reference, w.expected_grade
                ));
                case.waiver = Some(w.vector.clone());
                covered[first].push(case.id.clone());
                stale[first].push(case.id.clone());
            } else if case.grade == w.expected_grade {
                case.grade = Grade::Waived;
                case.message.push_str(&format!(
                    " [waived until {} by {:?} ({}): {}]",
                    w.expires_text(),
                    w.vector,
                    w.reference,
                    w.reason
                ));
                case.waiver = Some(w.vector.clone());
                covered[first].push(case.id.clone());
            } else {
                warnings.push(WaiverWarning::GradeMismatch {
                    vector: w.vector.clone(),
                    case: case.id.clone(),
                    expected: w.expected_grade,
                    actual: case.grade,
                });
            }
        }
    }

    let mut infos = Vec::with_capacity(n);
    for (i, w) in waivers.waivers.iter().enumerate() {
        let state = if expired[i] {
            warnings.push(WaiverWarning::Expired {
                vector: w.vector.clone(),
                expires: w.expires_text(),
                cases: covered[i].clone(),
            });
            "expired"
        } else if !stale[i].is_empty() {
            warnings.push(WaiverWarning::Stale {
                vector: w.vector.clone(),
                cases: stale[i].clone(),
            });
            "stale"
        } else if covered[i].is_empty() {
            if !matched[i] && other.is_none() {
                warnings.push(WaiverWarning::UnknownVector {
                    vector: w.vector.clone(),
                });
            }
            "unused"
        } else {
            "active"
        };
        infos.push(WaiverInfo {
            vector: w.vector.clone(),
            expected_grade: w.expected_grade,
            reason: w.reason.clone(),
            reference: w.reference.clone(),
            expires: format_date(w.expires),
            state: state.to_owned(),
            cases: std::mem::take(&mut covered[i]),
        });
    }
    report.waivers = infos;
    report.recompute();
    warnings
}

/// Indices of the waivers matching `id`: plain IDs first, then globs, each in file order.
fn candidates<'a>(waivers: &'a [Waiver], id: &'a str) -> impl Iterator<Item = usize> + 'a {
    let exact = waivers
        .iter()
        .enumerate()
        .filter(move |(_, w)| w.is_exact() && w.matches(id));
    let globs = waivers
        .iter()
        .enumerate()
        .filter(move |(_, w)| !w.is_exact() && w.matches(id));
    exact.chain(globs).map(|(i, _)| i)
}

#[cfg(test)]
mod tests;
