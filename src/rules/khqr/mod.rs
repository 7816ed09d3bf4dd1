//! The KHQR profile (Cambodia, Bakong; `docs/spec/khqr.md`): EMVCo MPM with lengths counted in
//! UTF-16 code units, Bakong accounts in templates 29/30, KHR and USD only, and the timestamp
//! template 99 whose expiration is judged against the injected clock.
//!
//! qrcert follows the rules, not the official SDK's leniencies: where `verify()` accepts what
//! its own rules forbid, the rule still fires and records the SDK's behaviour
//! ([`Rule::ref_behaviour`](crate::rules::Rule)).

mod account;
mod additional;
mod amount;
pub mod catalogue;
pub mod plans;
mod crc;
pub mod generated;
mod root;
mod structure;
mod timestamp;

pub use account::is_bakong_id;
pub use catalogue::*;

use crate::Profile;
use crate::emv::payload::{Node, Payload};
use crate::emv::{LengthUnit, TemplateSet};
use crate::rules::emvco;
use crate::rules::finding::{At, TagPath};
use crate::rules::profile::{
    AccountField, AccountFields, AccountSchema, Action, Claim, Currency, Defaults, Kind,
    LadderPolicy, ProfileSpec, ReferenceImpl, Relaxation, Strength,
};
use crate::rules::rule::Rule;
use crate::rules::validator::{Context, Sink};

/// The EMVCo base rules KHQR departs from, each for a reason the digest gives.
static RELAXATIONS: [Relaxation; 4] = [
    Relaxation::new(
        &emvco::ID59_CHARSET,
        &[],
        Action::Disable,
        "KHQR allows Khmer (any Unicode, UTF-16 length) in 59: its SDK generates it (khqr.md 3.6); KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT reports it instead",
    ),
    Relaxation::new(
        &emvco::ID60_CHARSET,
        &[],
        Action::Disable,
        "KHQR allows Khmer (any Unicode, UTF-16 length) in 60: its SDK generates it (khqr.md 3.6); KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT reports it instead",
    ),
    Relaxation::new(
        &emvco::MAI_GUID_FORMAT,
        &[29, 30],
        Action::Disable,
        "KHQR puts the Bakong account ID (name@bank), not a GUID, in 29/00 and 30/00 (khqr.md 3.2); presence and length rules stay",
    ),
    Relaxation::new(
        &emvco::UNRES_GUID_FORMAT,
        &[99],
        Action::Disable,
        "KHQR puts the creation time (13-digit milliseconds), not a GUID, in 99/00 (khqr.md 3.2, 3.5); presence and length rules stay",
    ),
];

/// The official KHQR SDK, whose behaviour every KHQR rule records.
pub const SDK: ReferenceImpl = ReferenceImpl {
    label: "the official KHQR SDK",
    name: "bakong-khqr",
    version: "1.0.20",
};

/// The KHQR profile.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Khqr,
    kind: Kind::National,
    label: "KHQR",
    document: "KHQR (NBC Bakong)",
    digest_tag: Some("KHQR"),
    digest: Some("docs/spec/khqr.md"),
    rule_prefixes: &["KHQR."],
    vector_prefix: "KHQR",
    unit: LengthUnit::Utf16,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &RELAXATIONS,
    checks: &[
        crc::check,
        structure::check,
        root::check,
        amount::check,
        account::check,
        additional::check,
        timestamp::check,
    ],
    rules: RULES,
    generated: Some(&generated::REPLY_CHECKS),
    detect: Some(detect),
    redirect: None,
    recognise: None,
    currencies: &[
        Currency {
            numeric: "116",
            alpha: "KHR",
            exponent: 0,
        },
        Currency {
            numeric: "840",
            alpha: "USD",
            exponent: 2,
        },
    ],
    countries: &["KH"],
    local_language: Some("km"),
    crc_mismatch: "KHQR.CRC.MISMATCH",
    reference_impl: Some(SDK),
    defaults: Defaults {
        category_code: Some("5999"),
        currency: Some("116"),
        country: Some("KH"),
    },
    accounts: &[AccountSchema {
        scheme: "bakong",
        doc: "a Bakong account in template 29 (individual) or 30 (merchant)",
        fields: &[
            AccountField {
                name: "bakong_id",
                required: true,
                doc: "`name@bank`, 29/00 or 30/00",
            },
            AccountField {
                name: "type",
                required: true,
                doc: "`individual` (29) or `merchant` (30)",
            },
            AccountField {
                name: "merchant_id",
                required: false,
                doc: "29/01 account information or 30/01 merchant ID",
            },
            AccountField {
                name: "acquiring_bank",
                required: false,
                doc: "29/02 or 30/02",
            },
            AccountField {
                name: "upi_account",
                required: false,
                doc: "a UnionPay account (primitive 15, KHR only)",
            },
        ],
        build: account_nodes,
    }],
    nested: &[],
    timestamps: Some(99),
    ladder: LadderPolicy {
        seed: 13,
        required: &[],
    },
    plans: Some(plans::all),
    reference_claims: true,
};

/// Detection: a 29/30 whose 00 holds an account ID with an `@`; else, circumstantially,
/// country `KH` with currency 116 or 840, currency 116 alone (only Cambodia uses the riel), or
/// `KH` with a 29/30 template (so a malformed Bakong ID is judged as KHQR and named).
fn detect(_: &str, p: &Payload<'_>) -> Option<Claim> {
    for id in [29, 30] {
        if let Some(acct) = p.root(id).and_then(|t| t.child_value(0))
            && acct.contains('@')
        {
            return Some(Claim {
                strength: Strength::Identifier,
                exact: is_bakong_id(acct),
            });
        }
    }
    let kh = p.value(58) == Some("KH");
    let currency = p.value(53);
    let cambodian = (kh && matches!(currency, Some("116" | "840")))
        || currency == Some("116")
        || (kh && (p.has(29) || p.has(30)));
    cambodian.then_some(Claim {
        strength: Strength::Heuristic,
        exact: false,
    })
}

fn account_nodes(f: &AccountFields) -> Result<Vec<Node>, String> {
    let prim = |id: u8, v: &str| Node::Primitive {
        id,
        value: v.to_owned(),
    };
    let id = match f.get("type").map(String::as_str) {
        Some("individual") => 29,
        Some("merchant") => 30,
        other => {
            return Err(format!(
                "account scheme bakong: type is {other:?}, not individual or merchant"
            ));
        }
    };
    let mut nodes = Vec::new();
    if let Some(upi) = f.get("upi_account") {
        nodes.push(prim(15, upi));
    }
    let mut children = vec![prim(0, f.get("bakong_id").map_or("", String::as_str))];
    if let Some(m) = f.get("merchant_id") {
        children.push(prim(1, m));
    }
    if let Some(b) = f.get("acquiring_bank") {
        children.push(prim(2, b));
    }
    nodes.push(Node::Template { id, children });
    Ok(nodes)
}

/// Reports a missing object, but only when the root parsed completely (after a structural
/// error, the objects that follow are unknown and "missing" would be a guess).
fn missing(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    rule: &'static Rule,
    path: TagPath,
    message: &'static str,
) {
    if ctx.complete {
        sink.emit(rule, At::new(0, path), message);
    }
}

/// Whether `v` is exactly 13 ASCII digits (KHQR's millisecond timestamps), and its value.
fn millis13(v: &str) -> Option<i64> {
    if v.len() == 13 && v.bytes().all(|b| b.is_ascii_digit()) {
        // 13 digits are below 10^13, far inside i64.
        v.parse().ok()
    } else {
        None
    }
}

/// Describes a length the way KHQR counts it, for messages.
fn units(n: u8) -> String {
    format!("{n} UTF-16 unit{}", if n == 1 { "" } else { "s" })
}

/// The location of an object.
fn at(ctx: &Context<'_>, o: &crate::emv::payload::Obj<'_>) -> At {
    emvco::at(ctx, o)
}

#[cfg(test)]
mod leniencies;
#[cfg(test)]
pub(crate) mod tests;
