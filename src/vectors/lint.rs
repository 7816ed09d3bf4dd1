//! `qrcert vectors lint`: everything that makes a vector set trustworthy, checked at once.
//!
//! Each finding names the file, the line, the vector ID (when there is one) and a lint code.
//! Load problems (syntax, unknown fields, wrong types, oversized files, aliases) are findings
//! too, with code `load`, so one run shows every problem.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::load::{IMAGES_DIR, LoadError, Loaded};
use super::manifest::{MANIFEST_FILE, is_plain_relative};
use super::model::*;
use crate::rules::graded::{Trigger, graded};
use crate::rules::profile::{Kind, is_crc_mismatch};
use crate::rules::{Rule, Scope, Severity, Status, Validator, lookup};
use crate::{Capability, Profile};

/// What a lint checks. Printed in kebab case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LintCode {
    /// The file or case could not be loaded (syntax, unknown field, type, size, alias).
    Load,
    /// The manifest disagrees with the files, or is itself malformed.
    Manifest,
    /// An ID is not `<PROFILE>-<AREA>-<NNN>` for its file.
    IdFormat,
    /// Two cases share an ID.
    DuplicateId,
    /// A retired ID is reused, or a retired case disappeared.
    RetiredReused,
    /// A referenced rule is not in the catalogue.
    UnknownRule,
    /// A referenced rule exists but cannot be expected here (planned, retired, wrong scope or
    /// another profile's rule).
    RuleScope,
    /// An active MUST or SHOULD payload rule has no negative vector.
    Coverage,
    /// An active rule that no vector names and no grading path can fire on this suite: the
    /// catalogue would promise a check that never happens.
    DeadRule,
    /// A payload that should carry a correct CRC does not (independent CRC implementation).
    Crc,
    /// `since` / `retired_in` do not name known plans in order.
    Version,
    /// A scan image path leaves `images/`, or the image is not there yet.
    Image,
    /// The reference implementation disagrees with the expectation.
    Verdict,
    /// The smoke subset is too big or misses a profile or capability.
    Smoke,
    /// A tag, title or reference list is malformed.
    Metadata,
}

impl LintCode {
    /// The code as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::Load => "load",
            LintCode::Manifest => "manifest",
            LintCode::IdFormat => "id-format",
            LintCode::DuplicateId => "duplicate-id",
            LintCode::RetiredReused => "retired-reused",
            LintCode::UnknownRule => "unknown-rule",
            LintCode::RuleScope => "rule-scope",
            LintCode::Coverage => "coverage",
            LintCode::DeadRule => "dead-rule",
            LintCode::Crc => "crc",
            LintCode::Version => "version",
            LintCode::Image => "image",
            LintCode::Verdict => "verdict",
            LintCode::Smoke => "smoke",
            LintCode::Metadata => "metadata",
        }
    }
}

impl fmt::Display for LintCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a finding fails the lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// Fails the lint.
    Error,
    /// Reported only (e.g. a scan image not rendered yet).
    Warning,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    /// The file (as shown to the user), or the vectors directory for set-wide findings.
    pub file: PathBuf,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The vector ID, when the finding is about one case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What was checked.
    pub code: LintCode,
    /// Error or warning.
    pub level: LintLevel,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LintFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        write!(f, ": {}", self.level_str())?;
        write!(f, "[{}]", self.code)?;
        if let Some(id) = &self.id {
            write!(f, " {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl LintFinding {
    fn level_str(&self) -> &'static str {
        match self.level {
            LintLevel::Error => "error",
            LintLevel::Warning => "warning",
        }
    }
}

/// Rule coverage: how many active MUST/SHOULD payload rules some active validate vector expects
/// to fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Rules with at least one negative vector.
    pub covered: usize,
    /// Rules that need one.
    pub total: usize,
    /// The rules without one.
    pub missing: Vec<&'static str>,
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = if self.total == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.total as f64
        };
        write!(
            f,
            "{}/{} active MUST/SHOULD payload rules have a negative vector ({pct:.1}%)",
            self.covered, self.total
        )
    }
}

/// Counts of active vectors by profile and capability.
pub type Counts = BTreeMap<(Profile, Capability), usize>;

/// The outcome of a lint run.
#[derive(Debug, Clone, Serialize)]
pub struct LintReport {
    /// Every finding, in file and line order.
    pub findings: Vec<LintFinding>,
    /// Rule coverage.
    pub coverage: Coverage,
    /// Active cases.
    pub active: usize,
    /// Retired cases.
    pub retired: usize,
    /// Active cases tagged `smoke`.
    pub smoke: usize,
    /// Active cases per profile and capability.
    #[serde(serialize_with = "counts_json")]
    pub counts: Counts,
}

fn counts_json<S: serde::Serializer>(c: &Counts, s: S) -> Result<S::Ok, S::Error> {
    let m: BTreeMap<String, usize> = c
        .iter()
        .map(|((p, k), n)| (format!("{p}/{k}"), *n))
        .collect();
    m.serialize(s)
}

impl LintReport {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.level == LintLevel::Error)
    }

    /// Whether any finding means a file could not be used at all.
    pub fn has_load_errors(&self) -> bool {
        self.findings.iter().any(|f| f.code == LintCode::Load)
    }
}

/// The largest smoke subset (production checks and pre-commit hooks run it).
pub const MAX_SMOKE: usize = 50;

/// The ID prefix of a profile's vectors.
pub fn id_prefix(p: Profile) -> &'static str {
    p.spec().vector_prefix
}

/// Whether a rule is one that coverage counts.
pub fn needs_negative_vector(r: &Rule) -> bool {
    r.status == Status::Active
        && r.scope == Scope::Payload
        && (r.severity != Severity::Info || r.generator_severity != Severity::Info)
}

/// Whether a rule of layer `layer` applies to a case of `profile`: the base layer and the
/// profile's own everywhere; under an overlay (interop), every national layer too.
fn layer_applies(layer: Profile, profile: Profile) -> bool {
    let (l, p) = (layer.spec(), profile.spec());
    l.kind == Kind::Base
        || layer == profile
        || (p.kind == Kind::Overlay && l.kind == Kind::National)
}

/// The independent CRC (the `crc` crate's CRC-16/IBM-3740, alias CCITT-FALSE) of a payload
/// through `6304`; `None` when the payload does not end in `6304` + 4 characters.
pub fn independent_crc(payload: &[u8]) -> Option<(String, String)> {
    const CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740);
    let n = payload.len();
    if n < 8 || &payload[n - 8..n - 4] != b"6304" {
        return None;
    }
    let claimed = String::from_utf8_lossy(&payload[n - 4..]).into_owned();
    Some((claimed, format!("{:04X}", CRC.checksum(&payload[..n - 4]))))
}

fn is_area_id(id: &str, profile: Profile, area: &str) -> bool {
    let prefix = format!("{}-{}-", id_prefix(profile), area.to_ascii_uppercase());
    id.strip_prefix(&prefix)
        .is_some_and(|n| (3..=4).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

fn tag_ok(t: &str) -> bool {
    !t.is_empty()
        && !matches!(t, "and" | "or" | "not")
        && t.starts_with(|c: char| c.is_ascii_lowercase())
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

struct Linter<'a> {
    loaded: &'a Loaded,
    findings: Vec<LintFinding>,
}

impl Linter<'_> {
    fn shown(&self, c: &Case) -> PathBuf {
        self.loaded.root.join(&c.source.file)
    }

    fn case(&mut self, c: &Case, code: LintCode, message: impl Into<String>) {
        self.case_at(c, code, LintLevel::Error, message);
    }

    fn case_at(&mut self, c: &Case, code: LintCode, level: LintLevel, message: impl Into<String>) {
        self.findings.push(LintFinding {
            file: self.shown(c),
            line: Some(c.source.line),
            id: Some(c.id.clone()),
            code,
            level,
            message: message.into(),
        });
    }

    fn set(&mut self, file: PathBuf, code: LintCode, message: impl Into<String>) {
        self.findings.push(LintFinding {
            file,
            line: None,
            id: None,
            code,
            level: LintLevel::Error,
            message: message.into(),
        });
    }
}

fn load_finding(e: &LoadError) -> LintFinding {
    let (code, id, message) = match e {
        LoadError::Invalid { id, message, .. } => (LintCode::Load, id.clone(), message.clone()),
        LoadError::Manifest { error, .. } => (LintCode::Manifest, None, error.to_string()),
        LoadError::Yaml {
            column, message, ..
        } => (
            LintCode::Load,
            None,
            if *column > 0 {
                format!("column {column}: {message}")
            } else {
                message.clone()
            },
        ),
        other => {
            let full = other.to_string();
            let shown = format!("{}: ", other.file().display());
            let msg = full.strip_prefix(&shown).unwrap_or(&full).to_owned();
            (LintCode::Load, None, msg)
        }
    };
    LintFinding {
        file: e.file().to_path_buf(),
        line: e.line(),
        id,
        code,
        level: LintLevel::Error,
        message,
    }
}

/// Lints a loaded vector set.
pub fn lint(loaded: &Loaded) -> LintReport {
    let mut l = Linter {
        loaded,
        findings: loaded.errors.iter().map(load_finding).collect(),
    };
    let manifest_path = loaded.root.join(MANIFEST_FILE);
    for e in loaded.manifest_errors() {
        l.set(manifest_path.clone(), LintCode::Manifest, e.to_string());
    }
    let cases: Vec<&Case> = loaded.cases().collect();

    // IDs: format, uniqueness, the retired ledger.
    let mut by_id: HashMap<&str, Vec<&Case>> = HashMap::new();
    for c in &cases {
        by_id.entry(c.id.as_str()).or_default().push(c);
        if !is_area_id(&c.id, c.profile, &c.area) {
            l.case(
                c,
                LintCode::IdFormat,
                format!(
                    "IDs in {} are {}-{}-NNN (three or four digits)",
                    c.source.file.display(),
                    id_prefix(c.profile),
                    c.area.to_ascii_uppercase()
                ),
            );
        }
    }
    for c in &cases {
        let same = &by_id[c.id.as_str()];
        if same.len() > 1 && !std::ptr::eq(same[0], *c) {
            let first = &same[0].source;
            l.case(
                c,
                LintCode::DuplicateId,
                format!("the ID is already used at {first}; IDs are unique across the suite"),
            );
        }
    }
    if let Some(m) = &loaded.manifest {
        let ledger: BTreeSet<&str> = m.retired.iter().map(String::as_str).collect();
        for c in &cases {
            match (c.status, ledger.contains(c.id.as_str())) {
                (VectorStatus::Active, true) => l.case(
                    c,
                    LintCode::RetiredReused,
                    "this ID was retired and IDs are never reused: give the new case a new number",
                ),
                (VectorStatus::Retired, false) => l.case(
                    c,
                    LintCode::RetiredReused,
                    "retired but missing from the manifest's retired ledger: run `qrcert vectors manifest --update`",
                ),
                _ => {}
            }
        }
        for id in ledger {
            if !by_id.contains_key(id) {
                l.set(
                    manifest_path.clone(),
                    LintCode::RetiredReused,
                    format!("retired ID {id} has no case: retired cases stay in the suite (status: retired) so their IDs stay taken"),
                );
            }
        }
        // Versions.
        for c in &cases {
            if !m.knows(c.since) {
                l.case(
                    c,
                    LintCode::Version,
                    format!("since {} is not a plan in the manifest", c.since),
                );
            } else if c.since > m.suite_version {
                l.case(
                    c,
                    LintCode::Version,
                    format!(
                        "since {} is after the suite version {}",
                        c.since, m.suite_version
                    ),
                );
            }
            if let Some(r) = c.retired_in {
                if !m.knows(r) {
                    l.case(
                        c,
                        LintCode::Version,
                        format!("retired_in {r} is not a plan in the manifest"),
                    );
                } else if r <= c.since {
                    l.case(
                        c,
                        LintCode::Version,
                        format!("retired_in {r} is not after since {}", c.since),
                    );
                }
            }
        }
    }

    // Metadata and rule references.
    for c in &cases {
        if c.title.trim().is_empty() {
            l.case(c, LintCode::Metadata, "the title is empty");
        }
        if c.is_active() && c.refs.iter().all(|r| r.trim().is_empty()) {
            l.case(
                c,
                LintCode::Metadata,
                "an active case names at least one spec reference (refs)",
            );
        }
        let mut seen = BTreeSet::new();
        for t in &c.tags {
            if !tag_ok(t) {
                l.case(c, LintCode::Metadata, format!("tag {t:?}: tags are lower-case letters, digits, '-' and '.', and not and/or/not"));
            }
            if !seen.insert(t) {
                l.case(c, LintCode::Metadata, format!("tag {t:?} is listed twice"));
            }
        }
        let wanted_scope = match c.capability() {
            Capability::Validate | Capability::Generate => Scope::Payload,
            Capability::Render | Capability::Scan => Scope::Symbol,
            Capability::Parse => Scope::Payload,
        };
        // A generate vector's `checks` name rules about the generator's whole reply.
        let reply_checks: Vec<&str> = match &c.expect {
            Expect::Generate(e) => e.checks.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        for id in c.rule_refs() {
            let wanted_scope = if reply_checks.contains(&id) {
                Scope::Generator
            } else {
                wanted_scope
            };
            let Some(rule) = lookup(id) else {
                l.case(
                    c,
                    LintCode::UnknownRule,
                    format!("{id} is not in the rule catalogue (`qrcert rules`)"),
                );
                continue;
            };
            if rule.status != Status::Active && c.is_active() {
                let st = if rule.status == Status::Planned {
                    "planned"
                } else {
                    "retired"
                };
                l.case(
                    c,
                    LintCode::RuleScope,
                    format!("{id} is {st}; active vectors expect active rules"),
                );
            }
            if rule.scope != wanted_scope {
                l.case(
                    c,
                    LintCode::RuleScope,
                    format!(
                        "{id} judges {:?} scope; {} vectors name {:?} rules",
                        rule.scope,
                        c.capability(),
                        wanted_scope
                    ),
                );
            }
            if !layer_applies(rule.layer(), c.profile) {
                l.case(
                    c,
                    LintCode::RuleScope,
                    format!(
                        "{id} is a {} rule; the {} profile does not apply it",
                        rule.layer(),
                        c.profile
                    ),
                );
            }
        }
    }

    // CRCs, checked with an independent implementation.
    for c in &cases {
        let (payload, must_be_right, lower_ok): (&[u8], bool, bool) = match (&c.input, &c.expect) {
            (Input::Validate(i), Expect::Validate(e)) => {
                let names_crc = e
                    .all_rules()
                    .any(|r| r.contains(".63.") || r.contains(".CRC."));
                let lower_ok = e.warnings.iter().any(|w| {
                    w == "EMV.63.UPPERCASE"
                        || lookup(w).is_some_and(|r| r.id.ends_with(".CRC.LOWERCASE"))
                });
                (i.payload.as_bytes(), !names_crc || lower_ok, lower_ok)
            }
            (Input::Parse(i), _) => (i.payload.as_bytes(), true, false),
            (Input::Render(i), _) => (i.payload.as_bytes(), true, false),
            (_, Expect::Generate(g)) => match &g.payload {
                Some(p) => (p.as_bytes(), true, false),
                None => continue,
            },
            (_, Expect::Scan(s)) => match &s.payload {
                Some(p) => (p.as_bytes(), true, false),
                None => continue,
            },
            _ => continue,
        };
        if !must_be_right {
            continue;
        }
        // A form of the profile's ecosystem that is not a payment code (a transfer slip, a
        // bill barcode) has no EMV CRC to check.
        if let Some(recognise) = c.profile.spec().recognise
            && let Ok(text) = std::str::from_utf8(payload)
        {
            let spec = c.profile.spec();
            let options = crate::emv::ParseOptions {
                unit: spec.unit,
                templates: spec.templates,
            };
            let tlv = crate::emv::Tlv::parse(text, &options);
            if recognise(text, &crate::emv::payload::Payload::new(text, &tlv)).is_some() {
                continue;
            }
        }
        let accept = matches!(&c.expect, Expect::Validate(e) if e.outcome() == Outcome::Accept)
            || !matches!(c.expect, Expect::Validate(_));
        match independent_crc(payload).or_else(|| independent_bill_crc(payload)) {
            None if accept => l.case(
                c,
                LintCode::Crc,
                "the payload does not end in 6304 and a CRC (or, for a JPQR bill-payment code, in 6305 and five decimal digits)",
            ),
            None => {}
            Some((claimed, right)) => {
                let ok = if lower_ok {
                    claimed.eq_ignore_ascii_case(&right)
                } else {
                    claimed == right
                };
                if !ok {
                    let why = if accept {
                        "a valid payload"
                    } else {
                        "a negative vector that is not about the CRC (its defect must be the only one)"
                    };
                    l.case(c, LintCode::Crc, format!("the CRC is {claimed} but CRC-16/CCITT-FALSE gives {right}; {why} carries the correct CRC"));
                }
            }
        }
    }

    // Scan images.
    for c in &cases {
        if let Input::Scan(s) = &c.input {
            for img in &s.images {
                let inside = img
                    .strip_prefix(IMAGES_DIR)
                    .and_then(|r| r.strip_prefix('/'))
                    .is_some_and(|r| !r.contains('/'));
                if !is_plain_relative(img) || !inside || !img.ends_with(".png") {
                    l.case(c, LintCode::Image, format!("image {img:?} must be {IMAGES_DIR}/<name>.png inside the vectors directory"));
                } else if !loaded.hashes.contains_key(img) {
                    l.case_at(
                        c,
                        LintCode::Image,
                        LintLevel::Warning,
                        format!("image {img} is not rendered yet; the case cannot run until it is"),
                    );
                }
            }
        }
    }

    // Ladder rungs and unreadable frames: what the image names and what the vector expects
    // agree, and `required` follows the profile's policy.
    for c in &cases {
        if let (Input::Scan(s), Expect::Scan(e)) = (&c.input, &c.expect) {
            for p in ladder_problems(c.profile, s, e) {
                l.case(c, LintCode::Image, p);
            }
        }
    }

    // The reference verdict.
    let mut validator = Validator::new();
    for c in cases.iter().filter(|c| c.is_active()) {
        for p in super::verdict::check_case(c, &mut validator) {
            l.case(c, LintCode::Verdict, p);
        }
    }

    // Coverage.
    let mut expected: BTreeSet<&str> = BTreeSet::new();
    for c in cases.iter().filter(|c| c.is_active()) {
        if let Expect::Validate(e) = &c.expect {
            expected.extend(e.rules.iter().chain(&e.warnings).map(String::as_str));
        }
    }
    let mut missing = Vec::new();
    let mut total = 0;
    for r in crate::rules::all().filter(|r| needs_negative_vector(r)) {
        total += 1;
        if !expected.contains(r.id) {
            missing.push(r.id);
        }
    }
    for id in &missing {
        l.set(
            loaded.root.clone(),
            LintCode::Coverage,
            format!("{id} has no negative vector (no active validate case expects it to fire)"),
        );
    }
    let coverage = Coverage {
        covered: total - missing.len(),
        total,
        missing,
    };

    // Cross-border: every INTEROP rule has a negative vector in each direction, and every
    // domestic wallet vector has a counterpart (or a recorded reason why not).
    for problem in cross_border(&cases) {
        l.set(loaded.root.clone(), LintCode::Coverage, problem);
    }

    // Dead rules: every active rule is named by an active vector or fired by a grading path
    // that this suite reaches.
    let named: BTreeSet<&str> = cases
        .iter()
        .filter(|c| c.is_active())
        .flat_map(|c| c.rule_refs())
        .collect();
    let reaches = |t: Trigger| match t {
        Trigger::Capability(k) => cases.iter().any(|c| c.is_active() && c.capability() == k),
        Trigger::CrcMismatchRejection => cases.iter().filter(|c| c.is_active()).any(|c| {
            matches!(&c.expect, Expect::Validate(e)
                if e.outcome() == Outcome::Reject && e.rules.iter().any(|r| is_crc_mismatch(r)))
        }),
    };
    for r in crate::rules::all().filter(|r| r.status == Status::Active) {
        if named.contains(r.id) {
            continue;
        }
        let why = match graded(r.id) {
            Some(g) if reaches(g.trigger) => continue,
            Some(g) => format!(
                "grading fires it only given {}, and this suite has none",
                trigger_text(g.trigger)
            ),
            None => "no active vector names it and no grading path fires it".to_owned(),
        };
        l.set(
            loaded.root.clone(),
            LintCode::DeadRule,
            format!("{} is active but dead: {why}; give it a vector, or mark it planned with the reason", r.id),
        );
    }

    // Smoke subset.
    let active: Vec<&&Case> = cases.iter().filter(|c| c.is_active()).collect();
    let smoke: Vec<&&Case> = active
        .iter()
        .copied()
        .filter(|c| c.tags.iter().any(|t| t == "smoke"))
        .collect();
    if smoke.len() > MAX_SMOKE {
        l.set(
            loaded.root.clone(),
            LintCode::Smoke,
            format!(
                "{} cases are tagged smoke; the smoke subset holds at most {MAX_SMOKE}",
                smoke.len()
            ),
        );
    }
    let profiles: BTreeSet<Profile> = active.iter().map(|c| c.profile).collect();
    let caps: BTreeSet<Capability> = active.iter().map(|c| c.capability()).collect();
    for p in profiles {
        if !smoke.iter().any(|c| c.profile == p) {
            l.set(
                loaded.root.clone(),
                LintCode::Smoke,
                format!("no smoke case for profile {p}"),
            );
        }
    }
    for k in caps {
        if !smoke.iter().any(|c| c.capability() == k) {
            l.set(
                loaded.root.clone(),
                LintCode::Smoke,
                format!("no smoke case for capability {k}"),
            );
        }
    }

    let mut counts = Counts::new();
    for c in &active {
        *counts.entry((c.profile, c.capability())).or_default() += 1;
    }
    let mut findings = l.findings;
    findings
        .sort_by(|a, b| (&a.file, a.line, &a.id, a.code).cmp(&(&b.file, b.line, &b.id, b.code)));
    LintReport {
        findings,
        coverage,
        active: active.len(),
        retired: cases.len() - active.len(),
        smoke: smoke.len(),
        counts,
    }
}

/// The cross-border coverage problems of a suite (see [`lint`]).
fn cross_border(cases: &[&Case]) -> Vec<String> {
    use super::generate::interop::replay::{CROSSINGS, exemption, no_counterpart};
    let active: Vec<&Case> = cases.iter().copied().filter(|c| c.is_active()).collect();
    let ids: BTreeSet<&str> = active.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::new();
    let overlay = Profile::ALL
        .into_iter()
        .find(|p| p.spec().kind == Kind::Overlay);
    let Some(overlay) = overlay else {
        return out;
    };
    // Only a suite that has cross-border vectors is held to this (a suite for one profile
    // has none).
    if !active.iter().any(|c| c.profile == overlay) {
        return out;
    }
    for crossing in CROSSINGS {
        for rule in crate::rules::all().filter(|r| r.layer() == overlay && needs_negative_vector(r))
        {
            let covered = active.iter().any(|c| {
                c.direction() == Some(crossing)
                    && matches!(&c.expect, Expect::Validate(e)
                        if e.rules.iter().chain(&e.warnings).any(|x| x == rule.id))
            });
            if !covered && exemption(rule.id, crossing).is_none() {
                out.push(format!(
                    "{} has no negative vector for a {} wallet meeting {} codes (tag {}), and no recorded reason why it does not apply",
                    rule.id,
                    crossing.wallet,
                    crossing.code,
                    crossing.tag()
                ));
            }
        }
        // The replay crosses the generator's own files; an operator's private file next to them
        // (a sealed overlay, docs/programme.md) has no generated counterpart to hold it to.
        let generated: BTreeSet<String> = crossing
            .code
            .spec()
            .plans
            .map(|plans| plans().into_iter().map(|p| p.area.to_string()).collect())
            .unwrap_or_default();
        for c in active.iter().filter(|c| {
            c.profile == crossing.code
                && generated.contains(c.area.as_str())
                && matches!(
                    c.capability(),
                    Capability::Validate | Capability::Parse | Capability::Generate
                )
        }) {
            if no_counterpart(c).is_some() {
                continue;
            }
            if !crossing
                .counterpart_ids(c)
                .iter()
                .any(|id| ids.contains(id.as_str()))
            {
                out.push(format!(
                    "{} ({}) has no cross-border counterpart for a {} wallet (expected {}) and no recorded reason",
                    c.id,
                    c.source,
                    crossing.wallet,
                    crossing.counterpart_ids(c).join(" or ")
                ));
            }
        }
    }
    out
}

/// The independent CRC of a JPQR bill-payment code (jpqr.md 6): all digits, ending in `6305`
/// and the CRC through it as five decimal digits; `None` for any other payload.
pub fn independent_bill_crc(payload: &[u8]) -> Option<(String, String)> {
    const CRC: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740);
    let n = payload.len();
    if n < 9 || &payload[n - 9..n - 5] != b"6305" || !payload.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let claimed = String::from_utf8_lossy(&payload[n - 5..]).into_owned();
    Some((claimed, format!("{:05}", CRC.checksum(&payload[..n - 5]))))
}

/// A grading trigger in words.
fn trigger_text(t: Trigger) -> String {
    match t {
        Trigger::Capability(k) => format!("an active {k} vector"),
        Trigger::CrcMismatchRejection => {
            "an active validate vector rejecting for a profile's CRC-mismatch rule".to_owned()
        }
    }
}

/// What is inconsistent between a scan vector's images and its ladder expectation.
fn ladder_problems(profile: Profile, input: &ScanInput, expect: &ScanExpect) -> Vec<String> {
    use crate::image::golden::{Variant, variant_of};
    use crate::image::{is_required, required_level, rung_by_id};
    let mut out = Vec::new();
    let Some(last) = input.images.last() else {
        return out;
    };
    let variant = variant_of(last);
    if !variant.carries_payload() && expect.payload.is_some() {
        out.push(format!(
            "{last} carries no payload; a vector can only expect a refusal of it"
        ));
    }
    match (&variant, &expect.rung) {
        (Variant::Rung { id, .. }, None) => out.push(format!(
            "{last} is made through ladder rung {id}: expect.rung and expect.required say so"
        )),
        (Variant::Rung { id, .. }, Some(r)) if *id != r.id => out.push(format!(
            "expect.rung is {} but the image {last} is made through {id}",
            r.id
        )),
        (Variant::Rung { .. }, Some(_)) => {}
        (_, Some(r)) => out.push(format!(
            "expect.rung is {} but the image {last} is not a ladder image (<name>-<rung>-s<seed>.png)",
            r.id
        )),
        (_, None) => {}
    }
    if let Some(r) = &expect.rung {
        match rung_by_id(&r.id) {
            None => out.push(format!("{} is not a rung of the distortion ladder", r.id)),
            Some(rung) if is_required(profile, &rung) != r.required => out.push(format!(
                "{} is {} for {profile} (the policy requires {} up to level {}); expect.required must be {}",
                r.id,
                if r.required { "marked required" } else { "marked not required" },
                rung.kind,
                required_level(profile, rung.kind),
                !r.required
            )),
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod cross_border_tests {
    use super::*;

    #[test]
    fn a_missing_counterpart_or_interop_negative_is_reported() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
        let loaded = super::super::load_dir(&dir);
        let all: Vec<&Case> = loaded.cases().collect();
        assert_eq!(cross_border(&all), Vec::<String>::new());
        let lang = "INTEROP.64.LANG_CODE";
        let kept: Vec<&Case> = all
            .iter()
            .copied()
            .filter(|c| c.id != "INTEROP-KHQR-TAG99-AT-JPQR-001")
            .filter(|c| {
                !(c.has_tag("jpqr-in-khqr")
                    && matches!(&c.expect, Expect::Validate(e) if e.warnings.iter().any(|w| w == lang)))
            })
            .collect();
        let problems = cross_border(&kept);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems.iter().any(|p| p.starts_with(
            "INTEROP.64.LANG_CODE has no negative vector for a khqr wallet meeting jpqr codes"
        )));
        assert!(
            problems.iter().any(|p| p.starts_with("KHQR-TAG99-001 ")
                && p.contains("INTEROP-KHQR-TAG99-AT-JPQR-001"))
        );
    }
}
