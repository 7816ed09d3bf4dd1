//! The canonical certification report: the source of truth that every other format (JUnit, HTML,
//! Markdown, signature) is made from. Field order is fixed by these types, maps are ordered, and
//! cases are sorted by ID, so the same suite, implementation and clock give the same bytes.
//!
//! Timing is the only part that changes between identical runs, and it lives in documented places:
//! the top-level `timing` object and each case's `duration_ms`. [`Report::normalized`] zeroes both.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::role::{CertRole, Direction};
use crate::{Capability, Clock, Profile};

/// The version of this report format. 2: certificate semantics (cells not claimed, a reason per
/// cell and for the run, role certificates) and the per-case stderr tail.
pub const REPORT_FORMAT: u32 = 2;

/// The grade of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Grade {
    /// The implementation did what the vector expects.
    Pass,
    /// A MUST-level expectation was broken.
    Fail,
    /// Only SHOULD-level expectations were broken, or a rejection named the wrong reason.
    NonStrict,
    /// Reported only (e.g. a scan not detected at a rung the profile does not require).
    Info,
    /// The implementation did not claim this profile x capability in `describe`, so it was not
    /// asked. Never given inside a claimed cell: there a refusal is ERROR.
    Unsupported,
    /// The adapter faulted (timeout, crash, garbage, oversized or mismatched reply), or refused
    /// what it claimed.
    Error,
    /// A failure covered by an unexpired waiver.
    Waived,
    /// A waived case that passed: the waiver is stale.
    Xpass,
}

impl Grade {
    /// Every grade, in report order.
    pub const ALL: [Grade; 8] = [
        Grade::Pass,
        Grade::Fail,
        Grade::NonStrict,
        Grade::Info,
        Grade::Unsupported,
        Grade::Error,
        Grade::Waived,
        Grade::Xpass,
    ];

    /// The name used in reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Grade::Pass => "PASS",
            Grade::Fail => "FAIL",
            Grade::NonStrict => "NON_STRICT",
            Grade::Info => "INFO",
            Grade::Unsupported => "UNSUPPORTED",
            Grade::Error => "ERROR",
            Grade::Waived => "WAIVED",
            Grade::Xpass => "XPASS",
        }
    }

    /// Whether the grade blocks certification.
    pub const fn blocks(self) -> bool {
        matches!(self, Grade::Fail | Grade::Error)
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A grade name that is not one of the eight.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown grade {0:?} (expected PASS, FAIL, NON_STRICT, INFO, UNSUPPORTED, ERROR, WAIVED or XPASS)"
)]
pub struct UnknownGrade(pub String);

impl FromStr for Grade {
    type Err = UnknownGrade;

    fn from_str(s: &str) -> Result<Grade, UnknownGrade> {
        Grade::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| UnknownGrade(s.to_owned()))
    }
}

/// How many cases got each grade; every grade is always present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts([u64; 8]);

impl Counts {
    /// Adds one case of `grade`.
    pub fn add(&mut self, grade: Grade) {
        self.0[grade as usize] += 1;
    }

    /// The count for `grade`.
    pub fn get(&self, grade: Grade) -> u64 {
        self.0[grade as usize]
    }

    /// All cases.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// Whether any case blocks certification.
    pub fn blocking(&self) -> u64 {
        self.get(Grade::Fail) + self.get(Grade::Error)
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(8))?;
        for g in Grade::ALL {
            m.serialize_entry(g.as_str(), &self.get(g))?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Counts, D::Error> {
        let map = BTreeMap::<String, u64>::deserialize(d)?;
        let mut c = Counts::default();
        for (k, v) in map {
            let g: Grade = k.parse().map_err(serde::de::Error::custom)?;
            c.0[g as usize] = v;
        }
        Ok(c)
    }
}

/// Certified or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Something was shown to conform and nothing claimed failed: at least one claimed cell is
    /// certified, and no claimed cell has a FAIL or ERROR.
    Certified,
    /// A claimed cell has a FAIL or ERROR, or nothing is certified.
    NotCertified,
}

/// The verdict of one profile x capability cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellVerdict {
    /// Claimed, at least one case passed and none failed or errored.
    Certified,
    /// Claimed, and a case failed or errored, or none passed.
    NotCertified,
    /// Not claimed in `describe`: never certified. (`unsupported` in report format 1.)
    #[serde(alias = "unsupported")]
    NotClaimed,
}

/// The harness that produced the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Harness {
    /// Always `qrcert`.
    pub name: String,
    /// Its version.
    pub version: String,
}

impl Harness {
    /// This build of qrcert.
    pub fn current() -> Harness {
        Harness {
            name: "qrcert".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The vector suite certified against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteInfo {
    /// Suite (certification plan) version.
    pub version: String,
    /// The plan version's effective date, when the manifest gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// Rule catalogue version the vectors speak.
    pub rules_version: String,
    /// SHA-256 over the manifest's file hashes: identifies the exact vector set.
    pub sha256: String,
    /// Where the suite came from: the one built into qrcert, or a directory (`--vectors`).
    /// Absent in reports written before qrcert embedded its suite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SuiteSource>,
    /// For a fresh run (`--fresh`): the seed and the suite it re-instantiated. `sha256` above is
    /// then the fresh suite's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fresh: Option<FreshInfo>,
    /// For a run given `--suite-key`: the fingerprint (key ID) of the key that sealed the
    /// suite, checked before the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_by: Option<String>,
    /// For a run given `--overlay`: each operator's overlay added to the suite, in the order
    /// given. `sha256` above is then the merged suite's; these say which parts made it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<OverlayInfo>,
}

/// An operator's private vectors directory added to a run's suite (`--overlay DIR`): enough to
/// name it again at `qrcert report reproduce` and to know it is the same one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlayInfo {
    /// The directory as the run was given it (relative to where the run was started).
    pub path: String,
    /// SHA-256 of the overlay's own manifest file (which pins every file of it), as `sha256`
    /// is for a suite.
    pub sha256: String,
    /// The fingerprint of the key whose seal on the overlay was checked before the run (with
    /// `--suite-key`); absent when the run checked no seal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_by: Option<String>,
}

/// How a fresh suite was made: enough to make it again (`qrcert vectors generate --fresh SEED
/// --now CLOCK` over the suite `base_sha256` names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreshInfo {
    /// The seed, in decimal (a string: JSON numbers lose 64-bit precision).
    pub seed: String,
    /// SHA-256 of the manifest of the suite the fresh one was made from.
    pub base_sha256: String,
}

/// Where a run's vectors came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuiteSource {
    /// The suite built into the qrcert binary.
    Embedded,
    /// A vectors directory given with `--vectors`.
    Directory,
}

/// How qrcert reached the implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdapterInfo {
    /// `library`, `cli`, `http`, or `tester` (observations a person made, `qrcert session`).
    pub transport: String,
    /// The command or URL, secrets redacted.
    pub target: String,
    /// What the transport noticed beyond single cases: late replies discarded, restarts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The implementation under test: its own description plus how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplementationInfo {
    /// Product name.
    pub name: String,
    /// Product version.
    pub version: String,
    /// Capabilities it claims.
    pub capabilities: Vec<Capability>,
    /// Profiles it claims.
    pub profiles: Vec<Profile>,
    /// Transport.
    pub adapter: AdapterInfo,
}

/// What was selected for the run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Profiles (empty: all).
    pub profiles: Vec<Profile>,
    /// Capabilities (empty: all).
    pub capabilities: Vec<Capability>,
    /// Certification roles covered (`merchant`, `wallet`, `cross-border`).
    pub roles: Vec<String>,
    /// Tag expression, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    /// Vector ID globs, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vectors: Vec<String>,
    /// Whether only the smoke subset ran.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub smoke: bool,
    /// `K/N` when this is one shard of a split run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

/// The verdict of one profile x capability cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    /// Profile.
    pub profile: Profile,
    /// Capability.
    pub capability: Capability,
    /// Verdict.
    pub verdict: CellVerdict,
    /// Why, in one line.
    #[serde(default)]
    pub reason: String,
    /// Cases per grade.
    pub counts: Counts,
}

/// Totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Cases run.
    pub total: u64,
    /// Cases per grade.
    pub grades: Counts,
}

/// A rule referenced by the report, so the report explains itself without the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// MUST, SHOULD or INFO (consumer role).
    pub severity: String,
    /// One-line summary.
    pub summary: String,
    /// Spec reference.
    pub reference: String,
    /// Confidence label.
    pub confidence: String,
}

/// A waiver as applied in this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverInfo {
    /// Vector ID or glob.
    pub vector: String,
    /// The grade the vendor expects while the gap is open.
    pub expected_grade: Grade,
    /// Why the gap exists.
    pub reason: String,
    /// Ticket or reference.
    pub reference: String,
    /// Expiry date (YYYY-MM-DD).
    pub expires: String,
    /// `active`, `expired`, `stale` (a waived case passed) or `unused` (matched no case).
    pub state: String,
    /// Cases it covered.
    pub cases: Vec<String>,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReport {
    /// Vector ID.
    pub id: String,
    /// Profile.
    pub profile: Profile,
    /// Capability.
    pub capability: Capability,
    /// What the vector checks.
    pub title: String,
    /// Feature file that ran it.
    pub feature: String,
    /// Scenario that ran it.
    pub scenario: String,
    /// Grade.
    pub grade: Grade,
    /// Why, in one sentence.
    pub message: String,
    /// What the vector expects.
    pub expected: Value,
    /// What the implementation did.
    pub observed: Value,
    /// The rules the case is about (expected to fire, or found broken).
    pub rules: Vec<String>,
    /// Spec references of the vector.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// Vector file and line.
    pub source: String,
    /// The request sent (large binary parts summarised).
    pub request: Value,
    /// The reply received (large binary parts summarised), or the fault.
    pub reply: Value,
    /// Wall time of the call; a timing field.
    pub duration_ms: u64,
    /// What the implementation wrote to stderr while the case ran (CLI transport), bounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<StderrNote>,
    /// The waiver applied, when the grade is WAIVED or XPASS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
    /// For a cross-border case: whose wallet meets whose code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<crate::role::Direction>,
}

/// The end of what an implementation wrote to stderr during one case: the bytes it wrote in
/// all, and the last of them. The rest was read and discarded, so a flood never stalls a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StderrNote {
    /// Bytes written while the case ran (concurrent cases on the same process share them).
    pub bytes: u64,
    /// The last of them (at most 4 KiB), as text.
    pub tail: String,
}

/// Timing of the run; excluded from reproducibility comparisons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// When the run started (RFC 3339).
    pub started: String,
    /// Wall time of the whole run.
    pub duration_ms: u64,
}

/// The canonical report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version.
    pub report_format: u32,
    /// The harness.
    pub harness: Harness,
    /// The suite.
    pub suite: SuiteInfo,
    /// The implementation.
    pub implementation: ImplementationInfo,
    /// The clock the run judged time-dependent rules against.
    pub clock: Clock,
    /// What was selected.
    pub selection: Selection,
    /// Overall verdict.
    pub verdict: Verdict,
    /// The overall verdict in one line: what is certified, or why nothing is.
    #[serde(default)]
    pub verdict_reason: String,
    /// Verdict per profile x capability.
    pub certification: Vec<Certification>,
    /// Verdict per profile x role (merchant, wallet, cross-border).
    #[serde(default)]
    pub roles: Vec<RoleCertificate>,
    /// Verdict per cross-border direction (absent when no cross-border case ran).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directions: Vec<DirectionCertificate>,
    /// Totals.
    pub summary: Summary,
    /// Per-rung counts of the distortion-ladder scan cases, per profile (absent when no ladder
    /// case ran). Derived from the cases.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scan_ladder: Vec<LadderRow>,
    /// Waivers and what became of them.
    pub waivers: Vec<WaiverInfo>,
    /// Rules referenced by cases.
    pub rules: BTreeMap<String, RuleInfo>,
    /// Every case, sorted by ID.
    pub cases: Vec<CaseReport>,
    /// Timing (not reproducible).
    pub timing: Timing,
}

impl Report {
    /// The report with its timing fields zeroed: equal for equal runs.
    pub fn normalized(&self) -> Report {
        let mut r = self.clone();
        r.timing = Timing::default();
        for c in &mut r.cases {
            c.duration_ms = 0;
        }
        r
    }

    /// The canonical bytes: pretty JSON with a trailing newline. Signatures cover these bytes.
    pub fn to_canonical_json(&self) -> Vec<u8> {
        // Serialising plain data (strings, numbers, ordered maps) cannot fail.
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Reads a report.
    pub fn from_json(bytes: &[u8]) -> Result<Report, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_round_trip_and_counts_serialise_every_grade() {
        for g in Grade::ALL {
            assert_eq!(g.as_str().parse::<Grade>(), Ok(g));
            assert_eq!(serde_json::to_value(g).unwrap(), g.as_str());
        }
        let mut c = Counts::default();
        c.add(Grade::Pass);
        c.add(Grade::Fail);
        c.add(Grade::Fail);
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["FAIL"], 2);
        assert_eq!(json["XPASS"], 0);
        assert_eq!(json.as_object().unwrap().len(), 8);
        let back: Counts = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
        assert_eq!(c.blocking(), 2);
        assert_eq!(c.total(), 3);
    }
}

/// Whether a role holds for a profile, and why (not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCertificate {
    /// The role.
    pub role: CertRole,
    /// The profile it is judged for (`interop` for cross-border).
    pub profile: Profile,
    /// Certified or not.
    pub verdict: Verdict,
    /// One line: which capabilities hold it, or which keep it from holding.
    pub reason: String,
}

/// One rung of one profile: how many ladder cases there were and what the scanner did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderRow {
    /// Profile.
    pub profile: Profile,
    /// Rung ID (`blur-2`).
    pub rung: String,
    /// The distortion kind (`blur`).
    pub kind: String,
    /// The level, 1 (mild) to 5 (severe).
    pub difficulty: u8,
    /// Whether the profile requires wallets to read this rung.
    pub required: bool,
    /// Cases at this rung.
    pub cases: u64,
    /// Read exactly.
    pub read: u64,
    /// A wrong payload, including an earlier frame's (always FAIL).
    pub misread: u64,
    /// Nothing returned: FAIL at a required rung, INFO above.
    pub not_detected: u64,
    /// No scanning verdict: the adapter faulted (ERROR) or the capability is missing.
    pub other: u64,
}

/// Whether a cross-border direction holds ("jpqr wallet at khqr codes: certified"), and why
/// (not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectionCertificate {
    /// Whose wallet meets whose codes.
    pub direction: Direction,
    /// Certified or not.
    pub verdict: Verdict,
    /// One line: which capabilities hold it, or which keep it from holding.
    pub reason: String,
    /// Cases of this direction per capability and grade.
    pub cells: Vec<DirectionCell>,
}

/// One capability of a direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectionCell {
    /// The capability.
    pub capability: Capability,
    /// Its verdict, judged as a profile x capability cell is.
    pub verdict: CellVerdict,
    /// Cases per grade.
    pub counts: Counts,
}
