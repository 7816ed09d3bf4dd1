//! Running a profile's checks over one payload.

use std::borrow::Cow;

use serde::Serialize;

use super::finding::{At, Finding, Relaxed};
use super::profile::{Action, Kind, ProfileSpec, Relaxation, spec};
use super::rule::{Role, Rule, Severity, serialize_id};
use crate::Profile;
use crate::emv::tlv::NONE;
use crate::emv::{LengthUnit, ParseOptions, Payload, TemplateSet, Tlv};

/// Payloads longer than this many bytes are refused before parsing. EMVCo's practical limit is
/// 512; 64 KiB leaves room for every hostile test while bounding the work per payload.
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// Which edition of EMV QRCPS MPM to judge against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub enum EmvVersion {
    /// v1.0 (July 2017): 62/10 and 62/11 are RFU.
    #[serde(rename = "1.0")]
    V1_0,
    /// v1.0 plus the two v1.1 fields 62/10 (Merchant Tax ID) and 62/11 (Merchant Channel).
    #[default]
    #[serde(rename = "1.1")]
    V1_1,
}

/// How to validate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The profile; `None` detects it from the payload (`--profile auto`). `Some(Interop)`
    /// detects the national profile and applies the INTEROP rules on top.
    pub profile: Option<Profile>,
    /// Whose output the payload is (decides role-dependent severities).
    pub role: Role,
    /// The clock, in milliseconds since the Unix epoch (UTC). Clock rules are never judged against
    /// the system clock inside the validator: without it they are reported as not evaluated.
    pub now_ms: Option<i64>,
    /// The EMVCo edition.
    pub emv_version: EmvVersion,
}

/// Why a payload could not be validated at all (as opposed to findings about it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidateError {
    /// The payload exceeds [`MAX_PAYLOAD_BYTES`].
    #[error("payload is {len} bytes; qrcert refuses payloads over {limit} bytes")]
    TooLarge {
        /// Its size.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// This build has no implementation of the profile.
    #[error("profile {0} is not available in this build")]
    ProfileUnavailable(Profile),
}

/// What structural diagnosis found when the payload did not parse cleanly: alternative readings
/// that explain the failure, so findings can name the likely defect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Diagnosis {
    /// An object written with a three-digit length (`62116...`): its offset, ID and length.
    pub three_digit: Option<(usize, u8, usize)>,
    /// The payload (or the template at the given offset) parses cleanly when lengths count this
    /// unit instead of the profile's.
    pub unit_mismatch: Option<(LengthUnit, usize)>,
}

/// What checks read: the parsed payload and everything about the run.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The typed view of the parse.
    pub payload: Payload<'a>,
    /// The profile being applied (the detected or forced national profile).
    pub profile: Profile,
    /// Its spec.
    pub spec: &'static ProfileSpec,
    /// The options of this run.
    pub options: &'a Options,
    /// Whether the root level parsed to the end: when it did not, objects after the error are
    /// unknown and "missing object" rules stay silent.
    pub complete: bool,
    /// Structural diagnosis (only computed when something failed to parse).
    pub diagnosis: Diagnosis,
    /// Whether every byte is printable ASCII (U+0020-U+007E): then no character-set rule can
    /// fire and checks may skip their scans.
    pub printable: bool,
}

impl<'a> Context<'a> {
    /// The payload text.
    pub fn text(&self) -> &'a str {
        self.payload.text()
    }
}

/// Where checks report: applies the role's severity and the profile's relaxations.
pub struct Sink<'a> {
    findings: &'a mut Vec<Finding>,
    relaxed: &'a mut Vec<Relaxed>,
    not_evaluated: &'a mut Vec<&'static Rule>,
    relaxations: [&'static [Relaxation]; 2],
    /// Whether an overlay (interop) judges the payload: relaxations kept out of it do not apply.
    overlay: bool,
    role: Role,
    spare: &'a mut Vec<String>,
    /// The payload, for relaxations that hold only on some payloads.
    payload: Option<Payload<'a>>,
}

impl Sink<'_> {
    /// Reports that `rule` fired at `at`.
    pub fn emit(&mut self, rule: &'static Rule, at: At, message: impl Into<Cow<'static, str>>) {
        let severity = rule.severity_for(self.role);
        self.emit_with(rule, severity, at, message);
    }

    /// Reports `rule` with an explicit severity (for rules whose severity depends on where they
    /// fire, such as control characters inside S values).
    pub fn emit_with(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        at: At,
        message: impl Into<Cow<'static, str>>,
    ) {
        if let Some(severity) = self.route(rule, severity, at) {
            self.push(rule, severity, at, message.into());
        }
    }

    /// Reports that `rule` fired, building the message only if the profile keeps the finding:
    /// checks of base rules that a profile relaxes use this, so a relaxed finding costs no
    /// allocation on the hot path.
    pub fn emit_lazy<M: Into<Cow<'static, str>>>(
        &mut self,
        rule: &'static Rule,
        at: At,
        message: impl FnOnce() -> M,
    ) {
        let severity = rule.severity_for(self.role);
        if let Some(severity) = self.route(rule, severity, at) {
            self.push(rule, severity, at, message().into());
        }
    }

    /// Applies the profile's relaxations: `None` when the finding is disabled (and recorded as
    /// relaxed), else the severity it keeps.
    fn route(&mut self, rule: &'static Rule, mut severity: Severity, at: At) -> Option<Severity> {
        let root = at.path.root_id();
        for r in self.relaxations.iter().flat_map(|r| r.iter()) {
            if r.covers(rule, root)
                && (r.under_overlay || !self.overlay)
                && r.when
                    .is_none_or(|w| self.payload.is_some_and(|p| w(&p, &at.path)))
            {
                match r.action {
                    Action::Disable => {
                        self.relaxed.push(Relaxed {
                            rule,
                            offset: at.offset,
                            path: at.path,
                            reason: r.reason,
                        });
                        return None;
                    }
                    Action::Severity(s) => severity = s,
                }
            }
        }
        Some(severity)
    }

    fn push(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        at: At,
        message: Cow<'static, str>,
    ) {
        self.findings.push(Finding {
            rule,
            severity,
            offset: at.offset,
            path: at.path,
            message,
        });
    }

    /// Joins `parts` into a message, in a buffer left by an earlier payload's findings: the
    /// findings that valid payloads carry (INFO notes) then cost no allocation when one
    /// validator checks payload after payload.
    pub fn compose(&mut self, parts: &[&str]) -> String {
        let mut message = self.spare.pop().unwrap_or_default();
        for part in parts {
            message.push_str(part);
        }
        message
    }

    /// Records that a rule could not be judged (e.g. a clock rule without `now`).
    pub fn not_evaluated(&mut self, rule: &'static Rule) {
        if !self.not_evaluated.iter().any(|r| std::ptr::eq(*r, rule)) {
            self.not_evaluated.push(rule);
        }
    }

    /// Whether `rule` has fired so far.
    pub fn fired(&self, rule: &'static Rule) -> bool {
        self.findings.iter().any(|f| std::ptr::eq(f.rule, rule))
    }

    /// Where `rule` first fired, if it has.
    pub fn found(&self, rule: &'static Rule) -> Option<At> {
        self.findings
            .iter()
            .find(|f| std::ptr::eq(f.rule, rule))
            .map(|f| At::new(f.offset, f.path))
    }

    /// A profile's restatement of base rules: when any of `base` fired, `rule` fires at the
    /// first such place, with `message` (for profiles that attach their reference
    /// implementation's behaviour to an EMVCo defect).
    pub fn restate(&mut self, base: &[&'static Rule], rule: &'static Rule, message: &'static str) {
        if let Some(at) = base.iter().find_map(|b| self.found(b)) {
            self.emit(rule, at, message);
        }
    }
}

/// The verdict on one payload, as `qrcert validate --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// False exactly when a MUST finding exists.
    pub valid: bool,
    /// The profile applied (detected or forced).
    pub profile: Profile,
    /// Whether the INTEROP rules were applied on top.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interop: bool,
    /// Every rule that fired, in check order.
    pub findings: Vec<Finding>,
    /// Base-rule findings the profile relaxed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relaxed: Vec<Relaxed>,
    /// Rules that could not be judged (clock rules without `--now`).
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "serialize_rule_ids"
    )]
    pub not_evaluated: Vec<&'static Rule>,
}

fn serialize_rule_ids<S: serde::Serializer>(
    rules: &[&'static Rule],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(rules.iter().map(|r| r.id))
}

impl Verdict {
    /// Whether `rule_id` fired.
    pub fn fired(&self, rule_id: &str) -> bool {
        self.findings.iter().any(|f| f.rule.id == rule_id)
    }

    /// The IDs of the rules that fired, sorted and deduplicated.
    pub fn rule_ids(&self) -> Vec<&'static str> {
        let mut ids: Vec<_> = self.findings.iter().map(|f| f.rule.id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A reusable validator: keeps its parse and finding buffers between payloads so the hot path
/// does not allocate per data object or per payload.
#[derive(Debug, Default)]
pub struct Validator {
    tlv: Tlv,
    alt: Tlv,
    findings: Vec<Finding>,
    relaxed: Vec<Relaxed>,
    not_evaluated: Vec<&'static Rule>,
    /// Message buffers of the last payload's findings, for [`Sink::compose`].
    spare: Vec<String>,
}

/// Empties `findings`, keeping their message buffers in `spare`.
#[inline(never)]
fn recycle(findings: &mut Vec<Finding>, spare: &mut Vec<String>) {
    for f in findings.drain(..) {
        if let Cow::Owned(mut m) = f.message
            && spare.len() < SPARE_BUFFERS
            && m.capacity() <= SPARE_CAPACITY
        {
            m.clear();
            spare.push(m);
        }
    }
}

/// How many message buffers a validator keeps, and the largest it keeps: enough for the
/// findings of an ordinary payload, and no hoard after a pathological one.
const SPARE_BUFFERS: usize = 16;
const SPARE_CAPACITY: usize = 512;

/// A borrowed verdict from [`Validator::check`].
#[derive(Debug, Clone, Copy)]
pub struct VerdictRef<'v> {
    /// False exactly when a MUST finding exists.
    pub valid: bool,
    /// The profile applied.
    pub profile: Profile,
    /// Whether INTEROP rules were applied.
    pub interop: bool,
    /// The findings.
    pub findings: &'v [Finding],
    /// The relaxed base findings.
    pub relaxed: &'v [Relaxed],
    /// Rules not judged.
    pub not_evaluated: &'v [&'static Rule],
}

impl VerdictRef<'_> {
    /// An owned copy.
    pub fn to_owned(&self) -> Verdict {
        Verdict {
            valid: self.valid,
            profile: self.profile,
            interop: self.interop,
            findings: self.findings.to_vec(),
            relaxed: self.relaxed.to_vec(),
            not_evaluated: self.not_evaluated.to_vec(),
        }
    }
}

impl Validator {
    /// A validator with empty buffers.
    pub fn new() -> Validator {
        Validator::default()
    }

    /// Validates `text`, returning an owned verdict.
    pub fn validate(&mut self, text: &str, options: &Options) -> Result<Verdict, ValidateError> {
        self.check(text, options).map(|v| v.to_owned())
    }

    /// Validates `text`, returning a verdict that borrows this validator's buffers.
    pub fn check<'v>(
        &'v mut self,
        text: &str,
        options: &Options,
    ) -> Result<VerdictRef<'v>, ValidateError> {
        if !self.findings.is_empty() {
            recycle(&mut self.findings, &mut self.spare);
        }
        self.relaxed.clear();
        self.not_evaluated.clear();
        if text.len() > MAX_PAYLOAD_BYTES {
            return Err(ValidateError::TooLarge {
                len: text.len(),
                limit: MAX_PAYLOAD_BYTES,
            });
        }
        let default_parse = ParseOptions::default();
        let detect = |tlv: &mut Tlv| {
            tlv.parse_into(text, &default_parse);
            super::profile::detect(text, &Payload::new(text, tlv))
        };
        // `None` detects; an overlay (interop) detects the national profile and adds its own
        // checks; a forced profile may redirect a form it covers (JPQR's bill payment).
        let (profile, overlay, parsed_default) = match options.profile {
            None => (detect(&mut self.tlv), None, true),
            Some(p) if p.spec().kind == Kind::Overlay => (detect(&mut self.tlv), Some(p), true),
            Some(p) => (
                p.spec().redirect.and_then(|r| r(text)).unwrap_or(p),
                None,
                false,
            ),
        };
        let interop = overlay.is_some();
        let spec = spec(profile).ok_or(ValidateError::ProfileUnavailable(profile))?;
        let interop_spec = match overlay {
            Some(o) => Some(spec_or_err(o)?),
            None => None,
        };
        let wanted = ParseOptions {
            unit: spec.unit,
            templates: spec.templates,
        };
        // The detection parse is reused when it is the parse the profile wants: the same
        // options, or units that agree on this text (all units agree on ASCII; code points and
        // UTF-16 units agree unless a character is above U+FFFF, i.e. a 4-byte UTF-8 sequence).
        let units_agree = |a: LengthUnit, b: LengthUnit| {
            a == b
                || text.is_ascii()
                || (a != LengthUnit::Bytes
                    && b != LengthUnit::Bytes
                    && !text.bytes().fold(false, |a, b| a | (b >= 0xF0)))
        };
        let reuse = parsed_default
            && wanted.templates == default_parse.templates
            && units_agree(wanted.unit, default_parse.unit);
        if !reuse {
            self.tlv.parse_into(text, &wanted);
        }

        let mut sink = Sink {
            findings: &mut self.findings,
            relaxed: &mut self.relaxed,
            not_evaluated: &mut self.not_evaluated,
            relaxations: [
                spec.relaxations,
                interop_spec.map_or(&[], |s| s.relaxations),
            ],
            overlay: interop,
            role: options.role,
            spare: &mut self.spare,
            payload: None,
        };
        if text.is_empty() {
            sink.emit(
                &super::emvco::PAYLOAD_EMPTY,
                At::offset(0),
                "the payload is empty",
            );
        } else {
            let tlv = &self.tlv;
            let diagnosis = if needs_diagnosis(tlv) {
                diagnose(text, tlv, &wanted, &mut self.alt)
            } else {
                Diagnosis::default()
            };
            sink.payload = Some(Payload::new(text, tlv));
            let ctx = Context {
                payload: Payload::new(text, tlv),
                profile,
                spec,
                options,
                complete: tlv.root_error().is_none(),
                diagnosis,
                printable: tlv.is_printable(),
            };
            if let Some((rule, message)) = spec.recognise.and_then(|r| r(text, &ctx.payload)) {
                sink.emit(rule, At::offset(0), message);
            } else {
                if spec.emv_base {
                    super::emvco::check(&ctx, &mut sink);
                }
                for check in spec.checks {
                    check(&ctx, &mut sink);
                }
                if let Some(extra) = interop_spec {
                    for check in extra.checks {
                        check(&ctx, &mut sink);
                    }
                }
            }
        }
        let valid = !self.findings.iter().any(|f| f.severity == Severity::Must);
        Ok(VerdictRef {
            valid,
            profile,
            interop,
            findings: &self.findings,
            relaxed: &self.relaxed,
            not_evaluated: &self.not_evaluated,
        })
    }
}

impl Validator {
    /// Validates untrusted bytes: input that is not UTF-8 is a finding (EMV.PAYLOAD.UTF8 at the
    /// first bad byte), not an error.
    pub fn validate_bytes(
        &mut self,
        bytes: &[u8],
        options: &Options,
    ) -> Result<Verdict, ValidateError> {
        if bytes.len() > MAX_PAYLOAD_BYTES {
            return Err(ValidateError::TooLarge {
                len: bytes.len(),
                limit: MAX_PAYLOAD_BYTES,
            });
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => self.validate(text, options),
            Err(e) => {
                let offset = e.valid_up_to();
                let bad: Vec<String> = bytes[offset..]
                    .iter()
                    .take(e.error_len().unwrap_or(bytes.len() - offset).max(1))
                    .map(|b| format!("{b:02X}"))
                    .collect();
                let overlay = options.profile.filter(|p| p.spec().kind == Kind::Overlay);
                let profile = options
                    .profile
                    .filter(|_| overlay.is_none())
                    .unwrap_or_else(|| super::profile::base().profile);
                Ok(Verdict {
                    valid: false,
                    profile,
                    interop: overlay.is_some(),
                    findings: vec![Finding {
                        rule: &super::emvco::PAYLOAD_UTF8,
                        severity: super::emvco::PAYLOAD_UTF8.severity_for(options.role),
                        offset,
                        path: super::finding::TagPath::ROOT,
                        message: format!(
                            "the bytes are not valid UTF-8 at byte {offset} (bytes {})",
                            bad.join(" ")
                        )
                        .into(),
                    }],
                    relaxed: Vec::new(),
                    not_evaluated: Vec::new(),
                })
            }
        }
    }
}

fn spec_or_err(p: Profile) -> Result<&'static ProfileSpec, ValidateError> {
    spec(p).ok_or(ValidateError::ProfileUnavailable(p))
}

/// Validates one payload with a fresh validator.
pub fn validate(text: &str, options: &Options) -> Result<Verdict, ValidateError> {
    Validator::new().validate(text, options)
}

fn needs_diagnosis(tlv: &Tlv) -> bool {
    !tlv.errors().is_empty() || tlv.root().last().is_none_or(|o| o.id != 63)
}

fn clean_to_crc(tlv: &Tlv) -> bool {
    tlv.errors().is_empty() && tlv.root().last().is_some_and(|o| o.id == 63)
}

/// Looks for a reading of the payload that parses cleanly: a three-digit length, or lengths
/// counted in another unit.
fn diagnose(text: &str, tlv: &Tlv, wanted: &ParseOptions, alt: &mut Tlv) -> Diagnosis {
    let mut d = Diagnosis::default();
    let bytes = text.as_bytes();
    let mut starts: Vec<usize> = tlv.root().iter().map(|o| o.start as usize).collect();
    if let Some(e) = tlv.root_error() {
        starts.push((e.offset as usize).saturating_sub(2));
    }
    for p in starts {
        let Some(h) = bytes.get(p..p + 5) else {
            continue;
        };
        if !h.iter().all(u8::is_ascii_digit) {
            continue;
        }
        let id = (h[0] - b'0') * 10 + (h[1] - b'0');
        let n = usize::from(h[2] - b'0') * 100
            + usize::from(h[3] - b'0') * 10
            + usize::from(h[4] - b'0');
        if n <= 99 {
            continue;
        }
        let Ok((end, _)) =
            crate::emv::units::advance(text, p + 5, text.len(), n, wanted.unit, tlv.is_ascii())
        else {
            continue;
        };
        let Some(rest) = text.get(end..) else {
            continue;
        };
        alt.parse_into(rest, wanted);
        if clean_to_crc(alt) {
            d.three_digit = Some((p, id, n));
            break;
        }
    }
    if !tlv.is_ascii() {
        for unit in [LengthUnit::Chars, LengthUnit::Utf16, LengthUnit::Bytes] {
            if unit == wanted.unit {
                continue;
            }
            let opts = ParseOptions {
                unit,
                templates: wanted.templates,
            };
            alt.parse_into(text, &opts);
            if clean_to_crc(alt) {
                d.unit_mismatch = Some((unit, 0));
                return d;
            }
        }
        // The root parsed but a template did not: try the template's content alone.
        for e in tlv.errors().iter().filter(|e| e.parent != NONE) {
            let o = tlv.objects()[e.parent as usize];
            let inner = o.value(text);
            for unit in [LengthUnit::Chars, LengthUnit::Utf16, LengthUnit::Bytes] {
                if unit == wanted.unit {
                    continue;
                }
                alt.parse_into(
                    inner,
                    &ParseOptions {
                        unit,
                        templates: TemplateSet::NONE,
                    },
                );
                if alt.errors().is_empty() && alt.root_count() > 0 {
                    d.unit_mismatch = Some((unit, o.start as usize));
                    return d;
                }
            }
        }
    }
    d
}

/// A serialisable rule reference, for reports that list rules.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(transparent)]
pub struct RuleRef(#[serde(serialize_with = "serialize_id")] pub &'static Rule);
