//! The typed vector model: what the loader returns and the runner consumes.
//!
//! A vector file holds cases of one profile and one area; each case tests one capability. Input
//! and expectation are enums with one variant per capability, and the loader guarantees that
//! both variants match the case's capability.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::merchant::MerchantData;
use crate::rules::{EmvVersion, Role};
use crate::{Capability, Clock, Profile};

/// A suite version, `YEAR.MONTH.PATCH` (e.g. `2026.11.0`): the certification plan a vector
/// entered or left. Ordered numerically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SuiteVersion {
    /// Year.
    pub year: u16,
    /// Month, 1-12.
    pub month: u8,
    /// Revision within the month.
    pub patch: u16,
}

/// A suite version that is not `YEAR.MONTH.PATCH`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a suite version (YEAR.MONTH.PATCH, e.g. 2026.11.0)")]
pub struct BadVersion(pub String);

impl FromStr for SuiteVersion {
    type Err = BadVersion;

    fn from_str(s: &str) -> Result<SuiteVersion, BadVersion> {
        let bad = || BadVersion(s.to_owned());
        let mut parts = s.split('.');
        let (Some(y), Some(m), Some(p), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let digits =
            |t: &str| !t.is_empty() && t.len() <= 5 && t.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y) && digits(m) && digits(p)) || y.len() != 4 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let patch = p.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(SuiteVersion { year, month, patch })
    }
}

impl fmt::Display for SuiteVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.year, self.month, self.patch)
    }
}

impl Serialize for SuiteVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SuiteVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SuiteVersion, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Whether a vector is part of the current certification plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VectorStatus {
    /// Run and graded.
    #[default]
    Active,
    /// No longer run; the ID stays reserved forever.
    Retired,
}

impl VectorStatus {
    /// `active` or `retired`.
    pub const fn as_str(self) -> &'static str {
        match self {
            VectorStatus::Active => "active",
            VectorStatus::Retired => "retired",
        }
    }
}

/// Where a case was read from: the file (relative to the vectors directory) and the 1-based line
/// of the case's first key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// Path relative to the vectors directory, with `/` separators (`emvco/crc.yaml`).
    pub file: PathBuf,
    /// 1-based line; 0 when unknown.
    pub line: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// A payload as a vector gives it: text, or raw bytes for the few vectors that test input which
/// is not UTF-8 (`payload_hex`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PayloadText {
    /// The usual case: a UTF-8 string, exactly as written (control characters via YAML
    /// double-quoted escapes).
    Text(String),
    /// Bytes that need not be UTF-8.
    Bytes(Vec<u8>),
}

impl PayloadText {
    /// The bytes an implementation receives.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            PayloadText::Text(s) => s.as_bytes(),
            PayloadText::Bytes(b) => b,
        }
    }

    /// The text, when it is UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PayloadText::Text(s) => Some(s),
            PayloadText::Bytes(b) => std::str::from_utf8(b).ok(),
        }
    }
}

/// The input of a case, one variant per capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Judge a payload.
    Validate(ValidateInput),
    /// Decode a payload into its data objects.
    Parse(ParseInput),
    /// Produce a payload from neutral merchant data (boxed: merchant data is large).
    Generate(Box<GenerateInput>),
    /// Produce a QR image from a payload.
    Render(RenderInput),
    /// Read a payload back from an image (or a sequence of images).
    Scan(ScanInput),
}

/// `validate` input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateInput {
    /// The payload.
    pub payload: PayloadText,
    /// The clock for time-dependent rules (KHQR expiry); `None` leaves them unjudged.
    pub now: Option<Clock>,
    /// Consumer input (default) or a generator's output.
    pub role: Role,
    /// The EMVCo edition to judge against (default 1.1).
    pub emv_version: EmvVersion,
}

/// `parse` input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseInput {
    /// The payload.
    pub payload: String,
}

/// `generate` input: the neutral merchant-data schema, plus the clock for generators that
/// stamp times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateInput {
    /// Merchant data ([`MerchantData`]).
    pub data: MerchantData,
    /// The request's clock.
    pub now: Option<Clock>,
}

/// `render` input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderInput {
    /// The payload to encode.
    pub payload: String,
}

/// `scan` input: image paths relative to the vectors directory (`images/x.png`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanInput {
    /// One image, or the frames of a sequence read in order.
    pub images: Vec<String>,
}

/// The expected outcome, one variant per capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// For `validate`.
    Validate(ValidateExpect),
    /// For `parse`.
    Parse(ParseExpect),
    /// For `generate`.
    Generate(GenerateExpect),
    /// For `render`.
    Render(RenderExpect),
    /// For `scan`.
    Scan(ScanExpect),
}

/// Accept or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The payload is valid: no MUST-level finding.
    Accept,
    /// The payload is invalid: at least one MUST-level finding.
    Reject,
}

impl Outcome {
    /// `accept` or `reject`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Accept => "accept",
            Outcome::Reject => "reject",
        }
    }
}

/// What a validator must say about a payload. Findings are named by severity as they fire for
/// the case's profile and role (after the profile's relaxations): `rules` at MUST level,
/// `warnings` at SHOULD level, `info` at INFO level. Each listed rule must fire; other findings
/// may fire too.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidateExpect {
    /// Accept (no MUST finding) or reject.
    pub result: Option<Outcome>,
    /// MUST-level rules that must fire (only with `reject`; at least one there).
    pub rules: Vec<String>,
    /// SHOULD-level rules that must fire.
    pub warnings: Vec<String>,
    /// INFO-level rules that must fire.
    pub info: Vec<String>,
}

impl ValidateExpect {
    /// The outcome (the loader guarantees it is set).
    pub fn outcome(&self) -> Outcome {
        self.result.unwrap_or(Outcome::Accept)
    }

    /// Every rule named, whatever its level.
    pub fn all_rules(&self) -> impl Iterator<Item = &str> {
        self.rules
            .iter()
            .chain(&self.warnings)
            .chain(&self.info)
            .map(String::as_str)
    }
}

/// A decoded value in the adapter protocol's `fields` shape: text, or a template's children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Field {
    /// A primitive value.
    Value(String),
    /// A template, keyed by two-digit sub-ID.
    Template(Fields),
}

/// Data objects keyed by two-digit ID (`"00"`, `"29"`), as `{"00": "01", "29": {"00": "..."}}`.
pub type Fields = BTreeMap<String, Field>;

/// What a parser must return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseExpect {
    /// Every data object of the payload (including 63), templates nested.
    pub fields: Fields,
    /// What the payer must be shown (cross-border parse vectors): derived from the payload by
    /// the reference, graded field by field. `None`: the payer view is not graded.
    pub payer: Option<Box<crate::adapter::protocol::Payer>>,
}

/// What a generator must return: either an exact payload or properties of it, or a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenerateExpect {
    /// The exact canonical payload (root objects in ascending ID order, 63 last, upper-case
    /// CRC; KHQR in the official SDK's order).
    pub payload: Option<String>,
    /// The payload must have no MUST finding when validated as generator output.
    pub must_validate: bool,
    /// Data objects the payload must carry with exactly these values (a subset of the parse).
    pub fields: Fields,
    /// The generator must refuse the input (it cannot be encoded without breaking these rules).
    pub refuse: Vec<String>,
    /// Rules about the generator's whole reply that grading checks on this case (a profile's
    /// reply checks: KHQR's md5 beside the payload, false success).
    pub checks: Vec<String>,
    /// SHOULD rules the expected code breaks because its input asks for it (a cross-border
    /// code whose merchant data has no local-script name): they do not make the grade
    /// NON_STRICT; any other SHOULD finding does.
    pub warnings: Vec<String>,
}

/// QR error-correction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EcLevel {
    /// ~7 %.
    L,
    /// ~15 %.
    M,
    /// ~25 %.
    Q,
    /// ~30 %.
    H,
}

/// What a rendered symbol must satisfy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderExpect {
    /// Symbol-scope rules (`EMV.QR.*`) the image must pass.
    pub checks: Vec<String>,
    /// Whether the symbol must carry ECI 000026 (`Some(true)`), must carry none
    /// (`Some(false)`), or either.
    pub eci_utf8: Option<bool>,
    /// Lowest acceptable error-correction level.
    pub min_ec_level: Option<EcLevel>,
}

/// What a scanner must read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScanExpect {
    /// The exact payload; `None` when the scanner must refuse the image(s).
    pub payload: Option<String>,
    /// Symbol-scope rules that make the image unacceptable (with a refusal).
    pub rules: Vec<String>,
    /// For an image (the last frame) made through a rung of the distortion ladder: which rung,
    /// and whether the profile requires wallets to read it.
    pub rung: Option<RungExpect>,
}

/// A ladder rung as a scan vector names it. Whether a rung is required is written into the
/// vector (from `image::distort::policy` when the vector is generated), so a suite grades the
/// same way whatever the harness version; lint keeps the two in step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RungExpect {
    /// The rung ID (`blur-2`), as in the image's file name.
    pub id: String,
    /// Required: not reading the image fails the case. Not required: a stress rung, where not
    /// reading it is INFO. A wrong payload fails either way.
    pub required: bool,
}

/// One vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Stable ID, `<PROFILE>-<AREA>-<NNN>` (`EMV-CRC-004`); never reused.
    pub id: String,
    /// The profile the implementation is asked to apply.
    pub profile: Profile,
    /// The file's area (`crc`, `tag29`).
    pub area: String,
    /// One line saying what the case checks.
    pub title: String,
    /// Input.
    pub input: Input,
    /// Expected outcome.
    pub expect: Expect,
    /// Spec references (`EMV QRCPS MPM v1.0 §4.7.3.1`).
    pub refs: Vec<String>,
    /// Tags for `--tags` selection (`smoke`, `crc`).
    pub tags: Vec<String>,
    /// Active or retired.
    pub status: VectorStatus,
    /// The suite version the case entered.
    pub since: SuiteVersion,
    /// The suite version the case left (retired cases only).
    pub retired_in: Option<SuiteVersion>,
    /// Free text for reviewers.
    pub notes: Option<String>,
    /// Where it was read from.
    pub source: Location,
}

impl Case {
    /// The capability under test (from the input variant).
    pub fn capability(&self) -> Capability {
        match self.input {
            Input::Validate(_) => Capability::Validate,
            Input::Parse(_) => Capability::Parse,
            Input::Generate(_) => Capability::Generate,
            Input::Render(_) => Capability::Render,
            Input::Scan(_) => Capability::Scan,
        }
    }

    /// A cross-border case's direction, from its tag `<code>-in-<wallet>` (`khqr-in-jpqr`);
    /// `None` for a domestic case.
    pub fn direction(&self) -> Option<crate::role::Direction> {
        (self.profile.spec().kind == crate::rules::profile::Kind::Overlay)
            .then(|| super::generate::interop::replay::direction_of_tags(&self.tags))
            .flatten()
    }

    /// Whether the case is run.
    pub fn is_active(&self) -> bool {
        self.status == VectorStatus::Active
    }

    /// Whether the case carries `tag`, explicitly or implicitly (its profile, capability, area
    /// and status count as tags, so `khqr and validate` selects).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
            || self.profile.as_str() == tag
            || self.capability().as_str() == tag
            || self.area == tag
            || self.status.as_str() == tag
    }

    /// Rule IDs the expectation names.
    pub fn rule_refs(&self) -> Vec<&str> {
        match &self.expect {
            Expect::Validate(e) => e.all_rules().collect(),
            Expect::Generate(e) => e
                .refuse
                .iter()
                .chain(&e.checks)
                .chain(&e.warnings)
                .map(String::as_str)
                .collect(),
            Expect::Render(e) => e.checks.iter().map(String::as_str).collect(),
            Expect::Scan(e) => e.rules.iter().map(String::as_str).collect(),
            Expect::Parse(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suite_versions_parse_order_and_print() {
        let a: SuiteVersion = "2026.11.0".parse().unwrap();
        let b: SuiteVersion = "2027.1.0".parse().unwrap();
        let c: SuiteVersion = "2026.11.10".parse().unwrap();
        assert!(a < c && c < b);
        assert_eq!(a.to_string(), "2026.11.0");
        for bad in [
            "2026.13.0",
            "26.1.0",
            "2026.1",
            "2026.1.0.1",
            "2026.x.0",
            "",
            "2026..0",
        ] {
            assert!(bad.parse::<SuiteVersion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn payload_bytes_and_text() {
        let t = PayloadText::Text("00".into());
        assert_eq!(t.as_bytes(), b"00");
        let b = PayloadText::Bytes(vec![0x30, 0xFF]);
        assert_eq!(b.as_str(), None);
        assert_eq!(b.as_bytes(), &[0x30, 0xFF]);
    }
}
