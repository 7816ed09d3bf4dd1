//! The adapter protocol's messages as types: what the harness sends and what an implementation
//! answers. Codec only, no I/O: the transports move these as JSON lines or HTTP bodies.
//!
//! A request is `{"id": 7, "op": "validate", "payload": "...", "profile": "khqr", "now": "..."}`;
//! a reply is `{"id": 7, "ok": true, ...op fields}` or
//! `{"id": 7, "ok": false, "error": {"code": "...", "message": "..."}}`. A reply does not name its
//! op, so it is decoded against the op of the request it answers ([`decode_reply`]).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::adapter::fault::Fault;
use crate::{Capability, Profile};

/// The error code an implementation answers when it lacks a capability.
pub const UNSUPPORTED: &str = "unsupported";

/// The error code a server answers to a request line it cannot read.
pub const BAD_REQUEST: &str = "bad_request";

/// The longest excerpt of a bad reply quoted in a fault: enough to recognise it, short enough
/// for a report line.
const SNIPPET_CHARS: usize = 120;

/// One request: the correlation id chosen by the harness and the operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Echoed in the reply; unique among the requests in flight on one adapter.
    pub id: u64,
    /// What to do, with its arguments.
    #[serde(flatten)]
    pub op: Op,
}

impl Request {
    /// A request with the given id.
    pub fn new(id: u64, op: Op) -> Self {
        Request { id, op }
    }

    /// The wire form: one JSON object, without the trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        // Serialising plain data (strings, integers, a JSON value) into a Vec cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads a request line. On failure gives back the id when the line still had a readable
    /// one, so that the refusal can be addressed.
    pub fn from_json(line: &[u8]) -> Result<Request, (Option<u64>, String)> {
        match serde_json::from_slice::<Request>(line) {
            Ok(req) => Ok(req),
            Err(err) => {
                let id = serde_json::from_slice::<IdProbe>(line)
                    .ok()
                    .and_then(|p| p.id)
                    .and_then(|v| v.as_u64());
                Err((id, err.to_string()))
            }
        }
    }
}

/// An operation with its arguments; the `op` field of a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Op {
    /// Name, version, capabilities and profiles of the implementation.
    Describe,
    /// Decode a payload into its data objects.
    Parse {
        /// The payload string as scanned.
        payload: String,
    },
    /// Accept or reject a payload under a profile.
    Validate {
        /// The payload string as scanned.
        payload: String,
        /// The profile to judge it under.
        profile: Profile,
        /// The clock to judge time-dependent rules (expiry) against; absent means "now".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        now: Option<Timestamp>,
        /// For a cross-border request (`profile` the overlay), the national profile of the
        /// wallet that judges the code: with several national profiles it cannot be derived
        /// from the code. Absent on domestic requests.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        wallet: Option<Profile>,
    },
    /// Produce a payload from neutral merchant data.
    Generate {
        /// The profile to generate for.
        profile: Profile,
        /// Merchant data; its schema belongs to the vectors, so it stays untyped here.
        input: Value,
    },
    /// Produce a QR image of a payload.
    Render {
        /// The payload to encode.
        payload: String,
    },
    /// Read the payload back from a QR image.
    Scan {
        /// The image, PNG.
        png: Png,
    },
}

impl Op {
    /// Which operation this is, without its arguments.
    pub fn kind(&self) -> OpKind {
        match self {
            Op::Describe => OpKind::Describe,
            Op::Parse { .. } => OpKind::Parse,
            Op::Validate { .. } => OpKind::Validate,
            Op::Generate { .. } => OpKind::Generate,
            Op::Render { .. } => OpKind::Render,
            Op::Scan { .. } => OpKind::Scan,
        }
    }
}

/// The name of an operation: a capability, or `describe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    /// `describe`.
    Describe,
    /// `parse`.
    Parse,
    /// `validate`.
    Validate,
    /// `generate`.
    Generate,
    /// `render`.
    Render,
    /// `scan`.
    Scan,
}

impl OpKind {
    /// Every operation, `describe` first.
    pub const ALL: [OpKind; 6] = [
        OpKind::Describe,
        OpKind::Parse,
        OpKind::Validate,
        OpKind::Generate,
        OpKind::Render,
        OpKind::Scan,
    ];

    /// The wire name, also the HTTP path segment.
    pub const fn as_str(self) -> &'static str {
        match self {
            OpKind::Describe => "describe",
            OpKind::Parse => "parse",
            OpKind::Validate => "validate",
            OpKind::Generate => "generate",
            OpKind::Render => "render",
            OpKind::Scan => "scan",
        }
    }

    /// The capability this operation exercises; `describe` is not one.
    pub const fn capability(self) -> Option<Capability> {
        match self {
            OpKind::Describe => None,
            OpKind::Parse => Some(Capability::Parse),
            OpKind::Validate => Some(Capability::Validate),
            OpKind::Generate => Some(Capability::Generate),
            OpKind::Render => Some(Capability::Render),
            OpKind::Scan => Some(Capability::Scan),
        }
    }
}

impl fmt::Display for OpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operation name the protocol does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown operation {0:?} (expected one of: describe, parse, validate, generate, render, scan)"
)]
pub struct UnknownOp(pub String);

impl FromStr for OpKind {
    type Err = UnknownOp;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OpKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownOp(s.to_owned()))
    }
}

/// A successful answer, one shape per operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Reply {
    /// Answer to `describe`.
    Describe(Description),
    /// Answer to `parse`.
    Parse(ParseReply),
    /// Answer to `validate`.
    Validate(ValidateReply),
    /// Answer to `generate`.
    Generate(GenerateReply),
    /// Answer to `render`.
    Render(RenderReply),
    /// Answer to `scan`.
    Scan(ScanReply),
}

impl Reply {
    /// The operation this reply answers.
    pub fn kind(&self) -> OpKind {
        match self {
            Reply::Describe(_) => OpKind::Describe,
            Reply::Parse(_) => OpKind::Parse,
            Reply::Validate(_) => OpKind::Validate,
            Reply::Generate(_) => OpKind::Generate,
            Reply::Render(_) => OpKind::Render,
            Reply::Scan(_) => OpKind::Scan,
        }
    }
}

/// Who the implementation is and what it can do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// Product name, as the vendor wants it in reports.
    pub name: String,
    /// Product version.
    pub version: String,
    /// The operations it implements (other than `describe`).
    pub capabilities: Vec<Capability>,
    /// The profiles it claims.
    pub profiles: Vec<Profile>,
}

/// The decoded data objects of a payload, and what the payer is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseReply {
    /// Tag -> value, templates nested.
    pub fields: Fields,
    /// What the payer confirms before paying, as the wallet reads the code. Optional on the
    /// wire; cross-border parse vectors require it and grade it field by field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<Box<Payer>>,
}

/// The payment screen of a wallet: what the payer confirms before paying. Every value is
/// read from the code (no value is invented: a field the code does not carry is absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    /// The amount (54) in the currency's major unit, written with exactly its minor units
    /// (`1000` riel, `1000.00` dollars, `2.50` dollars). Absent on a code without an amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// The currency (53).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Whether the payer must enter the amount: the code carries none (a static code).
    pub amount_entered_by_payer: bool,
    /// Who is paid.
    #[serde(default)]
    pub merchant: PayerMerchant,
    /// The merchant category code (52).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The bill number (62/01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_number: Option<String>,
    /// The reference label (62/05).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The tip or convenience-fee indicator (55) with the fee (56, or 57 of the amount) and
    /// the total the payer pays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip: Option<PayerTip>,
    /// When a dynamic code expires (KHQR 99/01), RFC 3339 in UTC with milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// A currency as the payer sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    /// ISO 4217 numeric code, as the code carries it (`116`).
    pub numeric: String,
    /// ISO 4217 alphabetic code (`KHR`), absent for a code ISO 4217 does not list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<String>,
    /// Digits after the decimal point (KHR and JPY 0, USD 2); absent when ISO 4217 gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_units: Option<u8>,
}

/// The merchant as the payer sees it: Latin script (59, 60) and the local language (64).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerMerchant {
    /// Merchant name (59).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Merchant city (60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The local language (64/00, ISO 639-1 as the code writes it: `km`, `ja`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The name in the local language (64/01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_local: Option<String>,
    /// The city in the local language (64/02).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_local: Option<String>,
}

/// The tip or convenience fee (55, 56, 57).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayerTip {
    /// 55 as the code carries it: `01` the payer is prompted for a tip, `02` a fixed fee
    /// (56), `03` a percentage fee (57).
    pub indicator: String,
    /// The fee in the currency's major unit, with its minor units: 56, or 57 percent of the
    /// amount rounded half up. Absent for a tip prompt or a fee that cannot be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<String>,
    /// The percentage (57) as the code carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<String>,
    /// Amount plus fee, with the currency's minor units. Absent when either is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
}

/// Data objects by tag: `{"00": "01", "29": {"00": "..."}}`. Sorted by tag, which for two-digit
/// EMV tags is payload order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fields(pub BTreeMap<String, Field>);

impl Fields {
    /// The primitive value at `path` (`["62", "01"]`: data object 01 of template 62); `None`
    /// when a step is missing, the path is empty, or it ends at a template.
    pub fn value(&self, path: &[&str]) -> Option<&str> {
        let (first, rest) = path.split_first()?;
        let mut f = self.0.get(*first)?;
        for key in rest {
            match f {
                Field::Template(t) => f = t.0.get(*key)?,
                Field::Value(_) => return None,
            }
        }
        match f {
            Field::Value(v) => Some(v.as_str()),
            Field::Template(_) => None,
        }
    }
}

/// One data object: a primitive value or a template of nested objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Field {
    /// A primitive value.
    Value(String),
    /// A template.
    Template(Fields),
}

/// The verdict of an implementation on one payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidateReply {
    /// Whether the implementation accepts the payload.
    pub valid: bool,
    /// The vendor's reasons, in the vendor's codes; the adapter config maps them to rule IDs.
    #[serde(default)]
    pub errors: Vec<VendorError>,
}

/// One reason an implementation gives for rejecting a payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorError {
    /// The vendor's own code.
    pub code: String,
    /// Human-readable explanation.
    #[serde(default)]
    pub message: String,
}

/// A generated payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateReply {
    /// The payload string.
    pub payload: String,
    /// The lower-case hex MD5 of the payload's UTF-8 bytes, for generators that return one
    /// beside the payload (the official KHQR SDK does: the Bakong Open API's lookup handle).
    /// Judged when present (`KHQR.GEN.MD5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

/// A rendered QR image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderReply {
    /// The image, PNG.
    pub png: Png,
}

/// A scanned payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanReply {
    /// The payload string read from the image.
    pub payload: String,
}

/// An implementation's refusal: `ok: false`. Code [`UNSUPPORTED`] means the capability is
/// missing, which grades UNSUPPORTED rather than FAIL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ImplError {
    /// Machine-readable code.
    pub code: String,
    /// Human-readable explanation.
    #[serde(default)]
    pub message: String,
}

impl ImplError {
    /// An error with any code.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ImplError {
            code: code.into(),
            message: message.into(),
        }
    }

    /// The implementation lacks this operation.
    pub fn unsupported(op: OpKind) -> Self {
        ImplError::new(UNSUPPORTED, format!("{op} is not supported"))
    }

    /// The request could not be read.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ImplError::new(BAD_REQUEST, message)
    }

    /// Whether this refusal means "capability missing".
    pub fn is_unsupported(&self) -> bool {
        self.code == UNSUPPORTED
    }
}

/// A whole reply line: the id and either a reply or a refusal. `id` is `None` only when a server
/// refuses a request line whose id it could not read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyEnvelope {
    /// The id of the request answered.
    pub id: Option<u64>,
    /// `ok: true` with the op's fields, or `ok: false` with the error.
    pub result: Result<Reply, ImplError>,
}

impl ReplyEnvelope {
    /// The wire form: one JSON object, without the trailing newline.
    pub fn to_json(&self) -> Vec<u8> {
        // Plain data into a Vec: serialisation cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

impl Serialize for ReplyEnvelope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Okay<'a> {
            id: Option<u64>,
            ok: bool,
            #[serde(flatten)]
            body: &'a Reply,
        }
        #[derive(Serialize)]
        struct Refusal<'a> {
            id: Option<u64>,
            ok: bool,
            error: &'a ImplError,
        }
        match &self.result {
            Ok(body) => Okay {
                id: self.id,
                ok: true,
                body,
            }
            .serialize(serializer),
            Err(error) => Refusal {
                id: self.id,
                ok: false,
                error,
            }
            .serialize(serializer),
        }
    }
}

/// Just the id of a line, read cheaply so a reply can be routed before it is decoded.
#[derive(Deserialize)]
struct IdProbe {
    #[serde(default)]
    id: Option<Value>,
}

/// Where a reply line claims to belong.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyId {
    /// A usable id.
    Id(u64),
    /// The reply has no `id` field (or `null`).
    Missing,
    /// The id is not an unsigned integer; holds its JSON text.
    Invalid(String),
}

/// Reads only the id of a reply line. A line that is not a JSON object gives
/// [`Fault::NotJson`] (or [`Fault::NotUtf8`]).
pub fn probe_reply_id(line: &[u8]) -> Result<ReplyId, Fault> {
    check_utf8(line)?;
    let probe: IdProbe = serde_json::from_slice(line).map_err(|e| not_json(line, &e))?;
    Ok(match probe.id {
        None | Some(Value::Null) => ReplyId::Missing,
        Some(v) => match v.as_u64() {
            Some(id) => ReplyId::Id(id),
            None => ReplyId::Invalid(snippet_of(&v.to_string())),
        },
    })
}

/// The raw envelope, before the op-specific body is typed.
#[derive(Deserialize)]
struct WireReply {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    ok: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// Decodes a reply line (or HTTP body) to the request `expected_id` of kind `op`.
///
/// Every way the line can be wrong is a [`Fault`]: not UTF-8, not JSON, no or wrong id, no `ok`,
/// a body that does not fit the op. A well-formed `ok: false` is the implementation's answer
/// and comes back as `Ok(Err(ImplError))`.
pub fn decode_reply(
    line: &[u8],
    expected_id: u64,
    op: OpKind,
) -> Result<Result<Reply, ImplError>, Fault> {
    check_utf8(line)?;
    let wire: WireReply = serde_json::from_slice(line).map_err(|e| not_json(line, &e))?;
    match wire.id {
        None | Some(Value::Null) => return Err(Fault::MissingField { field: "id" }),
        Some(v) => match v.as_u64() {
            Some(id) if id == expected_id => {}
            Some(got) => {
                return Err(Fault::WrongId {
                    expected: expected_id,
                    got: got.to_string(),
                });
            }
            None => {
                return Err(Fault::WrongId {
                    expected: expected_id,
                    got: snippet_of(&v.to_string()),
                });
            }
        },
    }
    let ok = match wire.ok {
        None | Some(Value::Null) => return Err(Fault::MissingField { field: "ok" }),
        Some(Value::Bool(b)) => b,
        Some(other) => {
            return Err(Fault::BadReply {
                what: format!(
                    "\"ok\" must be true or false, got {}",
                    snippet_of(&other.to_string())
                ),
            });
        }
    };
    if !ok {
        let Some(error) = wire.error else {
            return Err(Fault::MissingField { field: "error" });
        };
        return serde_json::from_value::<ImplError>(error)
            .map(Err)
            .map_err(|e| Fault::BadReply {
                what: format!("\"error\" must be {{\"code\", \"message\"}}: {e}"),
            });
    }
    let body = Value::Object(wire.rest);
    let typed = match op {
        OpKind::Describe => serde_json::from_value(body).map(Reply::Describe),
        OpKind::Parse => serde_json::from_value(body).map(Reply::Parse),
        OpKind::Validate => serde_json::from_value(body).map(Reply::Validate),
        OpKind::Generate => serde_json::from_value(body).map(Reply::Generate),
        OpKind::Render => serde_json::from_value(body).map(Reply::Render),
        OpKind::Scan => serde_json::from_value(body).map(Reply::Scan),
    };
    typed.map(Ok).map_err(|e| Fault::BadReply {
        what: format!("{op} reply: {e}"),
    })
}

/// Checks the line is UTF-8 and starts like a JSON object (serde would otherwise read a JSON
/// array positionally into the envelope).
fn check_utf8(line: &[u8]) -> Result<(), Fault> {
    let text = std::str::from_utf8(line).map_err(|e| Fault::NotUtf8 {
        offset: e.valid_up_to(),
        line: None,
    })?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return Ok(());
    }
    Err(Fault::NotJson {
        snippet: snippet_of(text),
        column: text.len() - trimmed.len() + 1,
        line: None,
        detail: "expected a JSON object".into(),
    })
}

fn not_json(line: &[u8], err: &serde_json::Error) -> Fault {
    Fault::NotJson {
        snippet: snippet_of(&String::from_utf8_lossy(line)),
        column: err.column(),
        line: None,
        detail: err.to_string(),
    }
}

/// The first characters of a text, marked when cut: what a fault quotes.
pub fn snippet_of(text: &str) -> String {
    let mut out: String = text.chars().take(SNIPPET_CHARS).collect();
    if text.chars().nth(SNIPPET_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// PNG bytes, carried as standard base64 on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Png(pub Vec<u8>);

impl fmt::Debug for Png {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Png({} bytes)", self.0.len())
    }
}

impl Serialize for Png {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Png {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Png)
            .map_err(|e| serde::de::Error::custom(format!("png is not valid base64: {e}")))
    }
}

/// A UTC instant, written as RFC 3339 with milliseconds (`2026-01-01T00:00:00.000Z`). Any RFC
/// 3339 offset is accepted on input and converted to UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(time::OffsetDateTime);

/// A string that is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not an RFC 3339 timestamp (e.g. 2026-01-01T00:00:00Z): {reason}")]
pub struct BadTimestamp {
    /// The text given.
    pub text: String,
    /// Why it was refused.
    pub reason: String,
}

impl Timestamp {
    /// The instant `ms` milliseconds after the Unix epoch, if representable.
    pub fn from_unix_millis(ms: i64) -> Option<Timestamp> {
        ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
            .ok()
            .map(Timestamp)
    }

    /// Milliseconds since the Unix epoch (KHQR expiry timestamps use this unit).
    pub fn unix_millis(self) -> i64 {
        // An OffsetDateTime spans years -9999..=9999: its millisecond count fits an i64.
        (self.0.unix_timestamp_nanos() / 1_000_000) as i64
    }

    /// The instant as a `time` value, in UTC.
    pub fn as_offset_date_time(self) -> ::time::OffsetDateTime {
        self.0
    }
}

impl From<::time::OffsetDateTime> for Timestamp {
    fn from(t: ::time::OffsetDateTime) -> Self {
        Timestamp(t.to_offset(::time::UtcOffset::UTC))
    }
}

impl FromStr for Timestamp {
    type Err = BadTimestamp;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ::time::OffsetDateTime::parse(s, &::time::format_description::well_known::Rfc3339)
            .map(Timestamp::from)
            .map_err(|e| BadTimestamp {
                text: snippet_of(s),
                reason: e.to_string(),
            })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_have_the_documented_wire_form() {
        let req = Request::new(
            7,
            Op::Validate {
                payload: "000201".into(),
                profile: Profile::Khqr,
                now: Some("2026-01-01T09:00:00+09:00".parse().unwrap()),
                wallet: None,
            },
        );
        let wire: Value = serde_json::from_slice(&req.to_json()).unwrap();
        assert_eq!(
            wire,
            json!({"id": 7, "op": "validate", "payload": "000201", "profile": "khqr",
                   "now": "2026-01-01T00:00:00.000Z"})
        );
        assert_eq!(Request::from_json(&req.to_json()), Ok(req));
        let describe = Request::new(1, Op::Describe);
        assert_eq!(describe.to_json(), br#"{"id":1,"op":"describe"}"#);
        let scan = Request::new(
            2,
            Op::Scan {
                png: Png(vec![0x89, b'P']),
            },
        );
        assert_eq!(scan.to_json(), br#"{"id":2,"op":"scan","png":"iVA="}"#);
    }

    #[test]
    fn bad_requests_keep_their_id_when_readable() {
        let (id, why) = Request::from_json(br#"{"id": 9, "op": "fly"}"#).unwrap_err();
        assert_eq!(id, Some(9));
        assert!(why.contains("fly"), "{why}");
        let (id, _) = Request::from_json(b"not json").unwrap_err();
        assert_eq!(id, None);
        let (id, why) =
            Request::from_json(br#"{"id":3,"op":"validate","payload":"x","profile":"auto"}"#)
                .unwrap_err();
        assert_eq!(id, Some(3));
        assert!(why.contains("auto"), "{why}");
    }

    #[test]
    fn replies_round_trip_through_the_envelope() {
        let mut fields = BTreeMap::new();
        fields.insert("00".to_owned(), Field::Value("01".into()));
        let mut inner = BTreeMap::new();
        inner.insert("00".to_owned(), Field::Value("kh.gov.nbc.bakong".into()));
        fields.insert("29".to_owned(), Field::Template(Fields(inner)));
        let replies = [
            Reply::Describe(Description {
                name: "x".into(),
                version: "1".into(),
                capabilities: vec![Capability::Parse],
                profiles: vec![Profile::Emvco, Profile::JpqrBill],
            }),
            Reply::Parse(ParseReply {
                fields: Fields(fields),
                payer: None,
            }),
            Reply::Validate(ValidateReply {
                valid: false,
                errors: vec![VendorError {
                    code: "E_CRC".into(),
                    message: "bad crc".into(),
                }],
            }),
            Reply::Generate(GenerateReply {
                payload: "0002".into(),
                md5: Some("3bc4e4f0ad1d0a23ebd2b0d7b3d5b8f0".into()),
            }),
            Reply::Render(RenderReply {
                png: Png(vec![1, 2, 3]),
            }),
            Reply::Scan(ScanReply {
                payload: "0002".into(),
            }),
        ];
        for reply in replies {
            let kind = reply.kind();
            let line = ReplyEnvelope {
                id: Some(5),
                result: Ok(reply.clone()),
            }
            .to_json();
            assert_eq!(decode_reply(&line, 5, kind), Ok(Ok(reply)));
        }
        let refusal = ReplyEnvelope {
            id: Some(6),
            result: Err(ImplError::unsupported(OpKind::Scan)),
        }
        .to_json();
        assert_eq!(
            serde_json::from_slice::<Value>(&refusal).unwrap(),
            json!({"id": 6, "ok": false, "error": {"code": "unsupported", "message": "scan is not supported"}})
        );
        let decoded = decode_reply(&refusal, 6, OpKind::Scan)
            .unwrap()
            .unwrap_err();
        assert!(decoded.is_unsupported());
    }

    #[test]
    fn every_broken_reply_is_a_specific_fault() {
        let v = OpKind::Validate;
        let fault = |line: &str| decode_reply(line.as_bytes(), 1, v).unwrap_err();
        assert!(matches!(fault("hello"), Fault::NotJson { column: 1, .. }));
        assert!(matches!(
            fault(r#"{"id":1,"ok":true,"valid":true} x"#),
            Fault::NotJson { .. }
        ));
        assert_eq!(
            decode_reply(b"{\"id\":1,\xff}", 1, v),
            Err(Fault::NotUtf8 {
                offset: 8,
                line: None
            })
        );
        assert_eq!(fault(r#"{"ok":true}"#), Fault::MissingField { field: "id" });
        assert_eq!(
            fault(r#"{"id":2,"ok":true,"valid":true}"#),
            Fault::WrongId {
                expected: 1,
                got: "2".into()
            }
        );
        assert_eq!(
            fault(r#"{"id":"1","ok":true,"valid":true}"#),
            Fault::WrongId {
                expected: 1,
                got: "\"1\"".into()
            }
        );
        assert_eq!(
            fault(r#"{"id":1,"valid":true}"#),
            Fault::MissingField { field: "ok" }
        );
        assert_eq!(
            fault(r#"{"id":1,"ok":false}"#),
            Fault::MissingField { field: "error" }
        );
        assert!(matches!(
            fault(r#"{"id":1,"ok":"yes"}"#),
            Fault::BadReply { .. }
        ));
        match fault(r#"{"id":1,"ok":true,"errors":[]}"#) {
            Fault::BadReply { what } => assert!(what.contains("valid"), "{what}"),
            other => panic!("{other:?}"),
        }
        match decode_reply(br#"{"id":1,"ok":true,"png":"@@"}"#, 1, OpKind::Render) {
            Err(Fault::BadReply { what }) => assert!(what.contains("base64"), "{what}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode_reply(
                br#"{"id":1,"ok":true,"name":"x","version":"1","capabilities":["fly"],"profiles":[]}"#,
                1,
                OpKind::Describe
            ),
            Err(Fault::BadReply { .. })
        ));
        // Extra fields are tolerated: vendors may add debugging data.
        assert!(decode_reply(br#"{"id":1,"ok":true,"valid":true,"trace":"x"}"#, 1, v).is_ok());
    }

    #[test]
    fn ids_are_probed_without_decoding_the_body() {
        assert_eq!(
            probe_reply_id(br#"{"id":3,"junk":[1,2]}"#),
            Ok(ReplyId::Id(3))
        );
        assert_eq!(probe_reply_id(br#"{"ok":true}"#), Ok(ReplyId::Missing));
        assert_eq!(probe_reply_id(br#"{"id":null}"#), Ok(ReplyId::Missing));
        assert_eq!(
            probe_reply_id(br#"{"id":-1}"#),
            Ok(ReplyId::Invalid("-1".into()))
        );
        assert!(matches!(probe_reply_id(b"[1]"), Err(Fault::NotJson { .. })));
    }

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let t: Timestamp = "2026-03-01T12:30:00.123456+07:00".parse().unwrap();
        assert_eq!(t.to_string(), "2026-03-01T05:30:00.123Z");
        assert_eq!(
            Timestamp::from_unix_millis(t.unix_millis())
                .unwrap()
                .to_string(),
            t.to_string()
        );
        assert!("2026-03-01".parse::<Timestamp>().is_err());
        assert!("yesterday".parse::<Timestamp>().is_err());
        assert_eq!(
            Timestamp::from_unix_millis(0).unwrap().to_string(),
            "1970-01-01T00:00:00.000Z"
        );
    }
}
