//! A rule: one check with a stable identity. Rules are data; the checks that fire them live in
//! the profile modules.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::Profile;

/// How bad a broken rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Severity {
    /// A "shall" broken: the payload is invalid (grade FAIL).
    Must,
    /// A recommendation or an interoperability risk (grade NON_STRICT).
    Should,
    /// Reported only.
    Info,
}

impl Severity {
    /// `MUST`, `SHOULD` or `INFO`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Must => "MUST",
            Severity::Should => "SHOULD",
            Severity::Info => "INFO",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure qrcert is of the fact behind a rule. The digests in `docs/spec` use several
/// scales; they map here as follows: EMVCo C / C* / S / I; JPQR CONFIRMED / INFERRED /
/// UNCONFIRMED; KHQR H -> Confirmed, M -> Secondary, L -> Inferred, P -> Decision; INTEROP
/// DECISION.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Confidence {
    /// Stated in the specification text (or observed by running the official implementation).
    Confirmed,
    /// The requirement is in the text; how qrcert tests it (severity, heuristic, code list) is policy.
    ConfirmedPolicy,
    /// Independent secondary sources agree; not checked against the primary text.
    Secondary,
    /// The text is silent or ambiguous; this is qrcert's reading.
    Inferred,
    /// No evidence either way: reported, not judged with certainty.
    Unconfirmed,
    /// qrcert's own policy decision, where no source settles it.
    Decision,
}

impl Confidence {
    /// The label printed in `qrcert rules` and reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "CONFIRMED",
            Confidence::ConfirmedPolicy => "CONFIRMED*",
            Confidence::Secondary => "SECONDARY",
            Confidence::Inferred => "INFERRED",
            Confidence::Unconfirmed => "UNCONFIRMED",
            Confidence::Decision => "DECISION",
        }
    }
}

/// Whether a rule is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Implemented and in force.
    Active,
    /// Catalogued for a later profile (EMVCo CPM, JPQR bill payment); not checked yet.
    Planned,
    /// No longer checked. The ID stays reserved forever.
    Retired,
}

/// What a rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// A payload string: fired by `qrcert validate`.
    Payload,
    /// A QR symbol (image): fired by image inspection in render certification.
    Symbol,
    /// What an implementation does (e.g. a consumer accepting a bad CRC): fired by the runner.
    Behaviour,
    /// A generator's reply beyond the payload (e.g. KHQR's md5): fired by the runner.
    Generator,
}

/// One rule of the catalogue.
#[derive(Debug)]
pub struct Rule {
    /// Stable ID, `<PROFILE>.<tag or area>.<NAME>`; never reused.
    pub id: &'static str,
    /// Severity when the payload is judged as consumer input (the default role).
    pub severity: Severity,
    /// Severity when the payload is an implementation's generated output.
    pub generator_severity: Severity,
    /// Where the requirement comes from (spec section, table, source key).
    pub reference: &'static str,
    /// One line a vendor understands. Inferred and unconfirmed rules say so here.
    pub summary: &'static str,
    /// How sure the fact is.
    pub confidence: Confidence,
    /// Active, planned or retired.
    pub status: Status,
    /// What the rule judges.
    pub scope: Scope,
    /// The error code of the layer's reference implementation (its spec's
    /// [`ReferenceImpl`](super::profile::ReferenceImpl), e.g. the KHQR SDK) for the same defect,
    /// if one matches.
    pub ref_code: Option<u8>,
    /// What the layer's reference implementation does with such a payload (e.g. `accepts`).
    pub ref_behaviour: Option<&'static str>,
}

impl Rule {
    /// A rule of the given severity in both roles, active, judging payloads.
    pub const fn new(
        id: &'static str,
        severity: Severity,
        confidence: Confidence,
        reference: &'static str,
        summary: &'static str,
    ) -> Rule {
        Rule {
            id,
            severity,
            generator_severity: severity,
            reference,
            summary,
            confidence,
            status: Status::Active,
            scope: Scope::Payload,
            ref_code: None,
            ref_behaviour: None,
        }
    }

    /// A MUST rule.
    pub const fn must(
        id: &'static str,
        confidence: Confidence,
        reference: &'static str,
        summary: &'static str,
    ) -> Rule {
        Rule::new(id, Severity::Must, confidence, reference, summary)
    }

    /// A SHOULD rule.
    pub const fn should(
        id: &'static str,
        confidence: Confidence,
        reference: &'static str,
        summary: &'static str,
    ) -> Rule {
        Rule::new(id, Severity::Should, confidence, reference, summary)
    }

    /// An INFO rule.
    pub const fn info(
        id: &'static str,
        confidence: Confidence,
        reference: &'static str,
        summary: &'static str,
    ) -> Rule {
        Rule::new(id, Severity::Info, confidence, reference, summary)
    }

    /// Sets the severity that applies when judging a generator's output.
    pub const fn when_generated(mut self, severity: Severity) -> Rule {
        self.generator_severity = severity;
        self
    }

    /// Marks the rule as catalogued but not yet implemented.
    pub const fn planned(mut self) -> Rule {
        self.status = Status::Planned;
        self
    }

    /// Marks the rule as retired.
    pub const fn retired(mut self) -> Rule {
        self.status = Status::Retired;
        self
    }

    /// Sets what the rule judges.
    pub const fn scope(mut self, scope: Scope) -> Rule {
        self.scope = scope;
        self
    }

    /// Records the layer's reference implementation's code and behaviour for this defect.
    pub const fn ref_impl(mut self, code: Option<u8>, behaviour: &'static str) -> Rule {
        self.ref_code = code;
        self.ref_behaviour = Some(behaviour);
        self
    }

    /// Whether the layer's reference implementation accepts a payload with this defect (a
    /// leniency qrcert reports rather than copies): its behaviour starts with `accepts`, or is
    /// `ignored`, `unchecked` or `kept`.
    pub fn ref_accepts(&self) -> bool {
        self.ref_behaviour.is_some_and(|b| {
            b.starts_with("accepts") || matches!(b, "ignored" | "unchecked" | "kept")
        })
    }

    /// The severity for a role.
    pub const fn severity_for(&self, role: Role) -> Severity {
        match role {
            Role::Consumer => self.severity,
            Role::Generator => self.generator_severity,
        }
    }

    /// The profile layer that defines the rule: the profile with the longest rule-ID prefix
    /// matching it (`JPQR.BILL.` before `JPQR.`); the base profile for an ID no profile claims
    /// (the catalogue's tests prove every catalogued rule is claimed by its own layer).
    pub fn layer(&self) -> Profile {
        super::profile::specs()
            .flat_map(|s| s.rule_prefixes.iter().map(move |p| (p, s.profile)))
            .filter(|(p, _)| self.id.starts_with(*p))
            .max_by_key(|(p, _)| p.len())
            .map_or(super::profile::base().profile, |(_, profile)| profile)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// Serialises a rule reference as its ID.
pub fn serialize_id<S: Serializer>(rule: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

/// Whose output a payload is, which decides role-dependent severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The payload is input to a consumer (wallet, scanner): the default of `qrcert validate`.
    #[default]
    Consumer,
    /// The payload was produced by the implementation's generator.
    Generator,
}

/// The catalogue entry as printed by `qrcert rules --format json`.
#[derive(Debug, Serialize)]
pub struct RuleRecord {
    /// Stable ID.
    pub id: &'static str,
    /// Profile layer.
    pub profile: Profile,
    /// Consumer-role severity.
    pub severity: Severity,
    /// Generator-role severity.
    pub generator_severity: Severity,
    /// Spec reference.
    pub reference: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Confidence label.
    pub confidence: &'static str,
    /// Active, planned, retired.
    pub status: Status,
    /// What it judges.
    pub scope: Scope,
    /// The layer's reference implementation (`bakong-khqr 1.0.20`), when the rule records
    /// its behaviour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_impl: Option<String>,
    /// The reference implementation's error code, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_code: Option<u8>,
    /// The reference implementation's behaviour, if recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ref_behaviour: Option<&'static str>,
}

impl From<&'static Rule> for RuleRecord {
    fn from(r: &'static Rule) -> RuleRecord {
        RuleRecord {
            id: r.id,
            profile: r.layer(),
            severity: r.severity,
            generator_severity: r.generator_severity,
            reference: r.reference,
            summary: r.summary,
            confidence: r.confidence.as_str(),
            status: r.status,
            scope: r.scope,
            ref_impl: r.ref_behaviour.and_then(|_| {
                r.layer()
                    .spec()
                    .reference_impl
                    .map(|i| format!("{} {}", i.name, i.version))
            }),
            ref_code: r.ref_code,
            ref_behaviour: r.ref_behaviour,
        }
    }
}
