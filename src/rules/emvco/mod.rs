//! The EMVCo MPM base layer: the rule catalogue and the checks that fire it.

pub mod amount;
pub mod catalogue;
pub mod plans;
mod crc;
pub mod guid;
mod root;
mod structure;
mod templates;

pub use catalogue::*;

use crate::emv::charset::Format;
use crate::emv::payload::Obj;
use crate::emv::tlv::{NONE, Tlv};

use super::finding::{At, TagPath};
use super::profile::{Defaults, Kind, LadderPolicy, ProfileSpec};
use crate::Profile;
use crate::emv::{LengthUnit, TemplateSet};
use super::validator::{Context, Sink};

/// The EMVCo base profile: strict MPM. Its checks run through `emv_base`, for it and for every
/// national profile built on it.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Emvco,
    kind: Kind::Base,
    label: "EMVCo MPM",
    document: "EMV QRCPS MPM",
    digest_tag: None,
    digest: Some("docs/spec/emvco.md"),
    rule_prefixes: &["EMV."],
    vector_prefix: "EMV",
    unit: LengthUnit::Chars,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &[],
    checks: &[],
    rules: RULES,
    generated: None,
    detect: None,
    redirect: None,
    recognise: None,
    currencies: &[],
    countries: &[],
    local_language: None,
    crc_mismatch: "EMV.63.CRC_MISMATCH",
    reference_impl: None,
    defaults: Defaults {
        category_code: None,
        currency: None,
        country: None,
    },
    accounts: &[],
    nested: &[],
    timestamps: None,
    ladder: LadderPolicy {
        seed: 11,
        required: &[],
    },
    plans: Some(plans::all),
    reference_claims: true,
};

/// Runs every EMVCo MPM payload check.
pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    structure::check(ctx, sink);
    root::check(ctx, sink);
    templates::check(ctx, sink);
    crc::check(ctx, sink);
}

/// The tag path of the object at `index`.
pub fn path_of(tlv: &Tlv, index: usize) -> TagPath {
    let mut chain = [0u8; 3];
    let mut n = 0;
    let mut i = index;
    while n < 3 {
        let Some(o) = tlv.objects().get(i) else {
            break;
        };
        chain[n] = o.id;
        n += 1;
        if o.parent == NONE {
            break;
        }
        i = o.parent as usize;
    }
    let mut path = TagPath::ROOT;
    for id in chain[..n].iter().rev() {
        path = path.child(*id);
    }
    path
}

/// The location of an object (its ID's byte offset and its path).
pub fn at(ctx: &Context<'_>, o: &Obj<'_>) -> At {
    At::new(o.offset(), path_of(ctx.payload.tlv(), o.index()))
}

/// A national profile's fixed root values (its currency in 53, its country in 58), each as
/// (ID, value, rule when missing, rule when different). A missing one fires only when the code
/// is complete enough to tell.
pub fn fixed_roots(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    scheme: &str,
    fixed: &[(u8, &str, &'static super::rule::Rule, &'static super::rule::Rule)],
) {
    for &(id, want, required, value) in fixed {
        match ctx.payload.root(id) {
            None if ctx.complete => sink.emit(
                required,
                At::new(0, TagPath::tag(id)),
                format!("{id} is missing; a {scheme} code carries {want:?}"),
            ),
            Some(o) if o.value() != want => sink.emit(
                value,
                at(ctx, &o),
                format!("{id} is {}; a {scheme} code carries '{want}'", quote(o.value())),
            ),
            _ => {}
        }
    }
}

/// The location of a character inside an object's value.
pub fn at_value(ctx: &Context<'_>, o: &Obj<'_>, byte_in_value: usize) -> At {
    At::new(
        o.value_offset() + byte_in_value,
        path_of(ctx.payload.tlv(), o.index()),
    )
}

/// Whether the template at `index` parsed to its end (so a missing child is really missing).
pub fn template_complete(tlv: &Tlv, index: usize) -> bool {
    !tlv.errors().iter().any(|e| e.parent as usize == index)
}

/// The EMVCo format of the value at `path` (Table 3.6, 3.7, 3.8, 4.2, 4.4, 4.5).
pub fn format_of(path: TagPath) -> Format {
    let ids = [
        path.get(0).unwrap_or(0),
        path.get(1).unwrap_or(0),
        path.get(2).unwrap_or(0),
    ];
    match ids[..path.len()] {
        [0 | 1 | 52 | 53 | 55] => Format::N,
        [2..=51 | 54 | 56..=61 | 63] => Format::Ans,
        [_] => Format::S,
        [26..=51, 0] | [62, 1..=11] | [64, 0] | [80..=99, 0] | [62, 50..=99, 0] => Format::Ans,
        _ => Format::S,
    }
}

/// `id` (0-99) as two digits, for messages that findings of valid payloads carry: joining
/// static pieces costs a fifth of `format!`. IDs above 99 read as `99`.
pub fn two_digit(id: u8) -> &'static str {
    const DIGITS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
    let i = usize::from(id.min(99)) * 2;
    DIGITS.get(i..i + 2).unwrap_or("99")
}

/// Renders a value for a message: quoted, shortened, control characters escaped.
pub fn quote(value: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::from("'");
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod message_tests {
    use super::two_digit;

    #[test]
    fn two_digit_matches_format() {
        for id in 0..=99u8 {
            assert_eq!(two_digit(id), format!("{id:02}"));
        }
        assert_eq!(two_digit(200), "99");
    }
}
