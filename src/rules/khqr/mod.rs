//! The KHQR profile (Cambodia, Bakong; `shared/spec/khqr.md`): EMVCo MPM with lengths counted in
//! UTF-16 code units, Bakong accounts in templates 29/30, KHR and USD only, and the timestamp
//! template 99 whose expiration is judged against the injected clock.
//!
//! qrcert follows the rules, not the official SDK's leniencies: where `verify()` accepts what
//! its own rules forbid, the rule still fires and records the SDK's behaviour
//! ([`Rule::khqr_sdk_behaviour`](crate::rules::Rule)).

mod account;
mod additional;
mod amount;
pub mod catalogue;
mod crc;
pub mod generated;
mod root;
mod structure;
mod timestamp;

pub use account::is_bakong_id;
pub use catalogue::*;

use crate::Profile;
use crate::emv::{LengthUnit, TemplateSet};
use crate::rules::emvco;
use crate::rules::finding::{At, TagPath};
use crate::rules::profile::{Action, ProfileSpec, Relaxation};
use crate::rules::rule::Rule;
use crate::rules::validator::{Context, Sink};

/// The EMVCo base rules KHQR departs from, each for a reason the digest gives.
static RELAXATIONS: [Relaxation; 4] = [
    Relaxation {
        rule: &emvco::ID59_CHARSET,
        roots: &[],
        action: Action::Disable,
        reason: "KHQR allows Khmer (any Unicode, UTF-16 length) in 59: its SDK generates it (khqr.md 3.6); KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT reports it instead",
    },
    Relaxation {
        rule: &emvco::ID60_CHARSET,
        roots: &[],
        action: Action::Disable,
        reason: "KHQR allows Khmer (any Unicode, UTF-16 length) in 60: its SDK generates it (khqr.md 3.6); KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT reports it instead",
    },
    Relaxation {
        rule: &emvco::MAI_GUID_FORMAT,
        roots: &[29, 30],
        action: Action::Disable,
        reason: "KHQR puts the Bakong account ID (name@bank), not a GUID, in 29/00 and 30/00 (khqr.md 3.2); presence and length rules stay",
    },
    Relaxation {
        rule: &emvco::UNRES_GUID_FORMAT,
        roots: &[99],
        action: Action::Disable,
        reason: "KHQR puts the creation time (13-digit milliseconds), not a GUID, in 99/00 (khqr.md 3.2, 3.5); presence and length rules stay",
    },
];

/// The KHQR profile.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Khqr,
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
};

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
