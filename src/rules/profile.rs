//! Profiles as data: how lengths count, which IDs are templates, which checks run, which EMVCo
//! base rules the profile relaxes (each relaxation named by rule ID, shown in reports), and
//! everything else that is particular to a profile: its names, detection, currencies and
//! countries, account templates, generated-data defaults, reference implementation, scan
//! policy and vector plans. Generic code asks the spec; it never matches on a profile's name.

use crate::Profile;
use crate::emv::payload::{Node, Payload};
use crate::emv::{LengthUnit, TemplateSet};

use super::finding::TagPath;
use super::generated::ReplyChecks;
use super::rule::{Rule, Severity};
use super::validator::{Context, Sink};

/// What a profile does to a base rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The rule does not apply under this profile.
    Disable,
    /// The rule applies with another severity.
    Severity(Severity),
}

/// One explicit departure from the EMVCo base layer.
#[derive(Debug)]
pub struct Relaxation {
    /// The base rule.
    pub rule: &'static Rule,
    /// The root IDs whose findings are relaxed; empty means everywhere.
    pub roots: &'static [u8],
    /// What happens to its findings.
    pub action: Action,
    /// Why, for reports.
    pub reason: &'static str,
    /// A narrower condition on the payload (e.g. "only when 38/02 is a transfer code"); `None`
    /// applies the relaxation wherever `roots` says.
    pub when: Option<fn(&Payload<'_>, &TagPath) -> bool>,
    /// Whether it still applies when an overlay (interop) judges the code for a foreign wallet.
    pub under_overlay: bool,
}

impl Relaxation {
    /// A relaxation that applies wherever `roots` says.
    pub const fn new(
        rule: &'static Rule,
        roots: &'static [u8],
        action: Action,
        reason: &'static str,
    ) -> Relaxation {
        Relaxation {
            rule,
            roots,
            action,
            reason,
            when: None,
            under_overlay: true,
        }
    }

    /// Keeps the relaxation out of cross-border judging: a foreign wallet needs the base rule.
    pub const fn not_under_overlay(mut self) -> Relaxation {
        self.under_overlay = false;
        self
    }

    /// Narrows the relaxation to payloads (and finding paths) for which `when` holds.
    pub const fn when(mut self, when: fn(&Payload<'_>, &TagPath) -> bool) -> Relaxation {
        self.when = Some(when);
        self
    }

    /// Whether this relaxation covers a finding of `rule` at root ID `root`.
    pub fn covers(&self, rule: &'static Rule, root: Option<u8>) -> bool {
        std::ptr::eq(self.rule, rule)
            && (self.roots.is_empty() || root.is_some_and(|r| self.roots.contains(&r)))
    }
}

/// A check: reads the parsed payload, reports findings.
pub type Check = fn(&Context<'_>, &mut Sink<'_>);

/// What part a profile plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The EMVCo base layer every national profile builds on.
    Base,
    /// A national profile: EMVCo plus its own rules, with the relaxations it needs.
    National,
    /// Rules applied on top of the detected national profile (`interop`).
    Overlay,
    /// A form that is recognised and reported, not judged by MPM rules (JPQR bill payment).
    Recognised,
}

/// How strongly a payload claims a profile; the strongest claim wins, ties go to the
/// registry's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Circumstantial: a country and currency only this profile uses.
    Heuristic,
    /// The profile's account identifier (a GUID or AID, an account ID form), maybe malformed.
    Identifier,
    /// A whole-payload shape no other profile has (the numeric bill-payment form).
    Shape,
}

/// A profile's claim on a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// How strong it is.
    pub strength: Strength,
    /// Whether the identifier is exactly right (a foreign wallet can rely on it); detection is
    /// looser so that a malformed code is judged under the profile it imitates.
    pub exact: bool,
}

/// Names a non-payment form of a profile's ecosystem: the INFO rule to report and why.
pub type Recognise = fn(&str, &Payload<'_>) -> Option<(&'static Rule, &'static str)>;

/// Detects a profile's claim on a payload (its text and an EMV parse of it).
pub type Detect = fn(&str, &Payload<'_>) -> Option<Claim>;

/// A currency a profile uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    /// ISO 4217 numeric code (`764`).
    pub numeric: &'static str,
    /// ISO 4217 letters (`THB`).
    pub alpha: &'static str,
    /// Minor unit: 0 allows no decimals; 2 allows none or exactly two.
    pub exponent: u8,
}

/// A profile's reference implementation: the library its digest read and ran. Rules of the
/// profile record what it does with each defect ([`Rule::reference_behaviour`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceImpl {
    /// How reports name it ("the official KHQR SDK").
    pub label: &'static str,
    /// Package name (`bakong-khqr`).
    pub name: &'static str,
    /// The version the digest ran.
    pub version: &'static str,
}

/// Defaults a generator uses when the neutral merchant data leaves a field out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Defaults {
    /// 52.
    pub category_code: Option<&'static str>,
    /// 53.
    pub currency: Option<&'static str>,
    /// 58.
    pub country: Option<&'static str>,
}

/// The fields of a profile's account form, as the neutral merchant data gives them.
pub type AccountFields = std::collections::BTreeMap<String, String>;

/// One field of an account form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountField {
    /// The key in merchant data (`bin`).
    pub name: &'static str,
    /// Whether it must be given.
    pub required: bool,
    /// What it is, for the schema documentation.
    pub doc: &'static str,
}

/// A profile's account form in the neutral merchant data (`account: {scheme: ..., ...}`): its
/// fields, and how a generator writes them as data objects.
#[derive(Debug)]
pub struct AccountSchema {
    /// The `scheme` value.
    pub scheme: &'static str,
    /// What it is.
    pub doc: &'static str,
    /// Its fields.
    pub fields: &'static [AccountField],
    /// The data objects (a merchant-account template, sometimes a primitive beside it) for
    /// valid fields; a message naming the field otherwise.
    pub build: fn(&AccountFields) -> Result<Vec<Node>, String>,
}

impl AccountSchema {
    /// Checks the field names (unknown and missing ones), then builds the data objects.
    pub fn nodes(&self, fields: &AccountFields) -> Result<Vec<Node>, String> {
        for k in fields.keys() {
            if !self.fields.iter().any(|f| f.name == k) {
                let known: Vec<&str> = self.fields.iter().map(|f| f.name).collect();
                return Err(format!(
                    "account scheme {}: unknown field {k:?} (expected: {})",
                    self.scheme,
                    known.join(", ")
                ));
            }
        }
        if let Some(f) = self
            .fields
            .iter()
            .find(|f| f.required && !fields.contains_key(f.name))
        {
            return Err(format!(
                "account scheme {}: missing field {:?}",
                self.scheme, f.name
            ));
        }
        (self.build)(fields)
    }
}

/// Scan-ladder policy: the seed of a profile's distorted golden images and its departures
/// from the shared table of required rungs (`image::distort::policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LadderPolicy {
    /// The seed of every seeded rung of the profile's ladder images.
    pub seed: u64,
    /// Required levels that differ from the shared table: (kind name, level).
    pub required: &'static [(&'static str, u8)],
}

/// Everything that makes a profile.
pub struct ProfileSpec {
    /// Which profile.
    pub profile: Profile,
    /// The part it plays.
    pub kind: Kind,
    /// Its name in titles and messages ("KHQR", "EMVCo MPM").
    pub label: &'static str,
    /// The document its rule references point into ("KHQR (NBC Bakong)").
    pub document: &'static str,
    /// The digest's tag that references start with (`KHQR` in "KHQR §3.2"), if it has one.
    pub digest_tag: Option<&'static str>,
    /// The digest the rules cite, inside the repository (`docs/spec/khqr.md`).
    pub digest: Option<&'static str>,
    /// Rule-ID prefixes of its layer (`KHQR.`); the longest matching prefix names a rule's layer.
    pub rule_prefixes: &'static [&'static str],
    /// Vector-ID prefix (`KHQR` in `KHQR-TAG29-004`).
    pub vector_prefix: &'static str,
    /// What a TLV length counts.
    pub unit: LengthUnit,
    /// Which IDs hold nested TLV.
    pub templates: TemplateSet,
    /// Whether the EMVCo base checks run.
    pub emv_base: bool,
    /// Departures from the base layer.
    pub relaxations: &'static [Relaxation],
    /// The profile's own checks, run after the base checks.
    pub checks: &'static [Check],
    /// The profile's own rules (for `qrcert rules --profile`).
    pub rules: &'static [&'static Rule],
    /// Checks of a generator's whole reply (payload and digest), when the profile has rules
    /// about it.
    pub generated: Option<&'static ReplyChecks>,
    /// Detection under `--profile auto`.
    pub detect: Option<Detect>,
    /// When this profile is forced, a payload of another form it covers (JPQR's bill payment).
    pub redirect: Option<fn(&str) -> Option<Profile>>,
    /// Forms of the profile's ecosystem that are not payment codes (a transfer slip, a bill
    /// barcode): when it names one, the validator reports that INFO rule and judges nothing
    /// else.
    pub recognise: Option<Recognise>,
    /// Currencies (53) its codes use.
    pub currencies: &'static [Currency],
    /// Countries (58) its codes use.
    pub countries: &'static [&'static str],
    /// The language (64/00) of the local-script name a foreign wallet shows, if it has one.
    pub local_language: Option<&'static str>,
    /// The rule a wrong CRC breaks under this profile.
    pub crc_mismatch: &'static str,
    /// The library its digest ran, if any.
    pub reference_impl: Option<ReferenceImpl>,
    /// Generated-data defaults.
    pub defaults: Defaults,
    /// Its account forms in the neutral merchant data.
    pub accounts: &'static [AccountSchema],
    /// Templates nested inside a root template that the EMV parse leaves as text (VietQR's
    /// 38/01): (root ID, sub-ID). Parse output opens them when their value is clean TLV.
    pub nested: &'static [(u8, u8)],
    /// The template a dynamic code's creation and expiry times go in (KHQR's 99), if the
    /// profile has one: a generator writes its 00 (created) and 01 (expires).
    pub timestamps: Option<u8>,
    /// Scan-ladder seed and required rungs.
    pub ladder: LadderPolicy,
    /// Its vector-generation plans (`qrcert vectors generate`), if it has vectors.
    pub plans: Option<fn() -> Vec<crate::vectors::generate::Plan>>,
    /// Whether qrcert's reference implementation claims the profile in `describe`.
    pub reference_claims: bool,
}

impl std::fmt::Debug for ProfileSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileSpec")
            .field("profile", &self.profile)
            .field("kind", &self.kind)
            .field("unit", &self.unit)
            .field("relaxations", &self.relaxations.len())
            .field("checks", &self.checks.len())
            .finish()
    }
}

impl ProfileSpec {
    /// The currency with this numeric code, if the profile uses it.
    pub fn currency(&self, numeric: &str) -> Option<&'static Currency> {
        self.currencies.iter().find(|c| c.numeric == numeric)
    }

    /// Whether the payload is exactly this profile's (a right identifier, not a heuristic).
    pub fn identifies(&self, text: &str, payload: &Payload<'_>) -> bool {
        self.detect
            .and_then(|d| d(text, payload))
            .is_some_and(|c| c.exact && c.strength >= Strength::Identifier)
    }
}

/// The spec of a profile. Every profile of the registry is implemented; the `Option` is kept
/// for callers written against builds that lacked some.
pub fn spec(profile: Profile) -> Option<&'static ProfileSpec> {
    Some(profile.spec())
}

/// Every spec, in registry order.
pub fn specs() -> impl Iterator<Item = &'static ProfileSpec> {
    Profile::ALL.into_iter().map(Profile::spec)
}

/// The EMVCo base profile.
pub fn base() -> &'static ProfileSpec {
    specs()
        .find(|s| s.kind == Kind::Base)
        .unwrap_or_else(|| Profile::ALL[0].spec())
}

/// The national profiles.
pub fn nationals() -> impl Iterator<Item = &'static ProfileSpec> {
    specs().filter(|s| s.kind == Kind::National)
}

/// The account form with this `scheme` name, and the profile that owns it.
pub fn account_schema(scheme: &str) -> Option<(&'static ProfileSpec, &'static AccountSchema)> {
    specs().find_map(|s| {
        s.accounts
            .iter()
            .find(|a| a.scheme == scheme)
            .map(|a| (s, a))
    })
}

/// Whether `rule` is the CRC-mismatch rule of some profile.
pub fn is_crc_mismatch(rule: &str) -> bool {
    specs().any(|s| s.crc_mismatch == rule)
}

/// The profile detected for a payload: the strongest claim, ties to the registry's order;
/// the base profile when nothing claims it.
pub fn detect(text: &str, payload: &Payload<'_>) -> Profile {
    let mut best: Option<(Strength, Profile)> = None;
    for s in specs() {
        if let Some(c) = s.detect.and_then(|d| d(text, payload))
            && best.is_none_or(|(b, _)| c.strength > b)
        {
            best = Some((c.strength, s.profile));
        }
    }
    best.map_or(base().profile, |(_, p)| p)
}

/// The rules a profile applies: the base layer (unless the profile does not use it, or is it)
/// and its own, with the relaxations it declares.
pub fn rules_of(spec: &'static ProfileSpec) -> impl Iterator<Item = &'static Rule> {
    let b = base();
    let base_rules: &'static [&'static Rule] = if spec.emv_base && !std::ptr::eq(spec, b) {
        b.rules
    } else {
        &[]
    };
    base_rules.iter().chain(spec.rules.iter()).copied()
}

/// Opens the profile's nested templates (see [`ProfileSpec::nested`]) in a parsed model: a
/// primitive sub-object whose value is clean TLV becomes a template of primitives.
pub fn open_nested(spec: &ProfileSpec, model: &mut crate::emv::payload::Model) {
    use crate::emv::{ParseOptions, Tlv};
    for (root, sub) in spec.nested {
        for node in model.objects.iter_mut() {
            let Node::Template { id, children } = node else {
                continue;
            };
            if id != root {
                continue;
            }
            for child in children.iter_mut() {
                let Node::Primitive { id, value } = child else {
                    continue;
                };
                if id != sub {
                    continue;
                }
                let opts = ParseOptions {
                    unit: spec.unit,
                    templates: TemplateSet::NONE,
                };
                let tlv = Tlv::parse(value, &opts);
                if tlv.errors().is_empty() && tlv.root_count() > 0 {
                    let inner = crate::emv::payload::Model::from_tlv(value, &tlv);
                    *child = Node::Template {
                        id: *sub,
                        children: inner.objects,
                    };
                }
            }
        }
    }
}
