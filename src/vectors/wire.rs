//! The YAML wire format of a vector file, and its conversion into the typed model.
//!
//! Reading is two-phase so that each capability's input and expectation is strict
//! (`deny_unknown_fields`) without a catch-all struct: the case is read with its `input` and
//! `expect` captured as generic values (with their line), then those are decoded into the
//! capability's own shape. A number where text belongs (`payload: 00` unquoted) is a type error
//! here, which keeps vector files unambiguous for every YAML reader, not just this one.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::model::*;
use crate::merchant::MerchantData;
use crate::rules::{EmvVersion, Role};
use crate::{Capability, Clock, Profile};

/// A vector file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub profile: Profile,
    pub area: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Set on files that `qrcert vectors generate` owns and rewrites.
    #[serde(default)]
    pub generated_by: Option<String>,
    pub cases: Vec<Spanned<RawCase>>,
}

/// One case as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCase {
    pub id: String,
    pub capability: Capability,
    pub title: String,
    pub input: Spanned<serde_json::Value>,
    pub expect: Spanned<serde_json::Value>,
    #[serde(default)]
    pub refs: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub status: VectorStatus,
    pub since: SuiteVersion,
    #[serde(default)]
    pub retired_in: Option<SuiteVersion>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// `validate` input as written.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WValidateInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_hex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<Clock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emv_version: Option<EmvVersion>,
}

/// `validate` expectation as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WValidateExpect {
    pub result: Outcome,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub info: Vec<String>,
}

/// `parse` and `render` input as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WPayloadInput {
    pub payload: String,
}

/// `parse` expectation as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WParseExpect {
    pub fields: Fields,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Box<crate::adapter::protocol::Payer>>,
}

/// `generate` input as written.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WGenerateInput {
    pub data: MerchantData,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<Clock>,
}

/// `generate` expectation as written.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WGenerateExpect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub must_validate: bool,
    #[serde(default, skip_serializing_if = "Fields::is_empty")]
    pub fields: Fields,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refuse: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// `render` expectation as written.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WRenderExpect {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eci_utf8: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ec_level: Option<EcLevel>,
}

/// `scan` input as written.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WScanInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<Vec<String>>,
}

/// `scan` expectation as written.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WScanExpect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rung: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
}

/// A problem with one case's shape: which part, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShapeError {
    /// 1-based line of the offending node.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

fn decode<T: serde::de::DeserializeOwned>(
    what: &str,
    cap: Capability,
    v: &Spanned<serde_json::Value>,
) -> Result<T, ShapeError> {
    serde_json::from_value(v.value.clone()).map_err(|e| ShapeError {
        line: v.referenced.line(),
        message: format!("{what} of a {cap} case: {e}"),
    })
}

fn shape(line: u64, message: impl Into<String>) -> ShapeError {
    ShapeError {
        line,
        message: message.into(),
    }
}

/// Decodes a hex string into bytes (upper or lower case, no separators).
pub(crate) fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    hex::decode(s).ok()
}

/// Converts a raw case into the typed model. `profile` and `area` come from the file header.
pub(crate) fn convert(
    raw: RawCase,
    line: u64,
    profile: Profile,
    area: &str,
    file: &std::path::Path,
) -> Result<Case, ShapeError> {
    let cap = raw.capability;
    let (il, el) = (raw.input.referenced.line(), raw.expect.referenced.line());
    let (input, expect) = match cap {
        Capability::Validate => {
            let i: WValidateInput = decode("input", cap, &raw.input)?;
            let payload = match (i.payload, i.payload_hex) {
                (Some(p), None) => PayloadText::Text(p),
                (None, Some(h)) => PayloadText::Bytes(from_hex(&h).ok_or_else(|| {
                    shape(il, "input.payload_hex is not an even number of hex digits")
                })?),
                (Some(_), Some(_)) => {
                    return Err(shape(
                        il,
                        "input has both payload and payload_hex; give one",
                    ));
                }
                (None, None) => return Err(shape(il, "input needs payload (or payload_hex)")),
            };
            let e: WValidateExpect = decode("expect", cap, &raw.expect)?;
            match e.result {
                Outcome::Reject if e.rules.is_empty() => {
                    return Err(shape(
                        el,
                        "expect: a reject names at least one MUST-level rule in `rules`",
                    ));
                }
                Outcome::Accept if !e.rules.is_empty() => {
                    return Err(shape(
                        el,
                        "expect: an accept has no MUST-level `rules` (SHOULD-level findings go in `warnings`)",
                    ));
                }
                _ => {}
            }
            (
                Input::Validate(ValidateInput {
                    payload,
                    now: i.now,
                    role: i.role.unwrap_or_default(),
                    emv_version: i.emv_version.unwrap_or_default(),
                }),
                Expect::Validate(ValidateExpect {
                    result: Some(e.result),
                    rules: e.rules,
                    warnings: e.warnings,
                    info: e.info,
                }),
            )
        }
        Capability::Parse => {
            let i: WPayloadInput = decode("input", cap, &raw.input)?;
            let e: WParseExpect = decode("expect", cap, &raw.expect)?;
            (
                Input::Parse(ParseInput { payload: i.payload }),
                Expect::Parse(ParseExpect {
                    fields: e.fields,
                    payer: e.payer,
                }),
            )
        }
        Capability::Generate => {
            let i: WGenerateInput = decode("input", cap, &raw.input)?;
            let e: WGenerateExpect = decode("expect", cap, &raw.expect)?;
            let says_something = e.payload.is_some() || e.must_validate || !e.fields.is_empty();
            if says_something != e.refuse.is_empty() {
                return Err(shape(
                    el,
                    "expect: give payload, must_validate or fields for output, or refuse (with the rules) for input that cannot be encoded",
                ));
            }
            (
                Input::Generate(Box::new(GenerateInput {
                    data: i.data,
                    now: i.now,
                })),
                Expect::Generate(GenerateExpect {
                    payload: e.payload,
                    must_validate: e.must_validate,
                    fields: e.fields,
                    refuse: e.refuse,
                    checks: e.checks,
                    warnings: e.warnings,
                }),
            )
        }
        Capability::Render => {
            let i: WPayloadInput = decode("input", cap, &raw.input)?;
            let e: WRenderExpect = decode("expect", cap, &raw.expect)?;
            if e.checks.is_empty() {
                return Err(shape(
                    el,
                    "expect.checks lists the symbol rules the image must pass",
                ));
            }
            (
                Input::Render(RenderInput { payload: i.payload }),
                Expect::Render(RenderExpect {
                    checks: e.checks,
                    eci_utf8: e.eci_utf8,
                    min_ec_level: e.min_ec_level,
                }),
            )
        }
        Capability::Scan => {
            let i: WScanInput = decode("input", cap, &raw.input)?;
            let images = match (i.image, i.sequence) {
                (Some(one), None) => vec![one],
                (None, Some(seq)) if !seq.is_empty() => seq,
                _ => {
                    return Err(shape(
                        il,
                        "input needs exactly one of image or a non-empty sequence",
                    ));
                }
            };
            let e: WScanExpect = decode("expect", cap, &raw.expect)?;
            if e.payload.is_some() != e.rules.is_empty() {
                return Err(shape(
                    el,
                    "expect: give the payload the scanner must read, or the rules that make the image unreadable",
                ));
            }
            let rung = match (e.rung, e.required) {
                (None, None) => None,
                (Some(id), Some(required)) if e.payload.is_some() => {
                    Some(RungExpect { id, required })
                }
                (Some(_), Some(_)) => {
                    return Err(shape(
                        el,
                        "expect.rung is for images that carry a payload: give the payload",
                    ));
                }
                _ => {
                    return Err(shape(
                        el,
                        "expect.rung and expect.required go together (the ladder rung, and whether the profile requires it)",
                    ));
                }
            };
            (
                Input::Scan(ScanInput { images }),
                Expect::Scan(ScanExpect {
                    payload: e.payload,
                    rules: e.rules,
                    rung,
                }),
            )
        }
    };
    match (raw.status, raw.retired_in) {
        (VectorStatus::Retired, None) => {
            return Err(shape(line, "a retired case says when: retired_in"));
        }
        (VectorStatus::Active, Some(_)) => {
            return Err(shape(
                line,
                "retired_in is only for retired cases (status: retired)",
            ));
        }
        _ => {}
    }
    Ok(Case {
        id: raw.id,
        profile,
        area: area.to_owned(),
        title: raw.title,
        input,
        expect,
        refs: raw.refs,
        tags: raw.tags,
        status: raw.status,
        since: raw.since,
        retired_in: raw.retired_in,
        notes: raw.notes,
        source: Location {
            file: file.to_path_buf(),
            line,
        },
    })
}
