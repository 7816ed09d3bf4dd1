//! The JPQR profile (Japan, Payments Japan Association; `docs/spec/jpqr.md`): EMVCo MPM with
//! the JPQR merchant-account template (GUID `jp.or.paymentsjapan` and four management levels),
//! yen only, country JP, a mandatory postal code and a mandatory Japanese name in template 64.
//! Lengths count characters (code points), as in EMVCo.
//!
//! The numeric bill-payment / eL-QR form is a different profile, `jpqr-bill` ([`BILL_SPEC`]):
//! recognised, never judged by MPM rules.

pub mod bill;
pub mod catalogue;
pub mod plans;
mod root;
mod template;

pub use catalogue::*;

use crate::Profile;
use crate::emv::payload::{Node, Payload};
use crate::emv::{LengthUnit, TemplateSet};
use crate::rules::profile::{
    AccountField, AccountFields, AccountSchema, Claim, Currency, Defaults, Kind, LadderPolicy,
    ProfileSpec, Strength,
};

/// The JPQR merchant-account GUID (case-sensitive).
pub const GUID: &str = "jp.or.paymentsjapan";

/// The JPQR MPM profile. It needs no relaxation of the EMVCo base: JPQR codes are EMVCo codes
/// with tighter values (jpqr.md section 2), and where JPQR tightens a base SHOULD (JPY decimals,
/// romanised 59/60) both rules fire.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Jpqr,
    kind: Kind::National,
    label: "JPQR",
    document: "JPQR (Payments Japan)",
    digest_tag: Some("JPQR"),
    digest: Some("docs/spec/jpqr.md"),
    rule_prefixes: &["JPQR."],
    vector_prefix: "JPQR",
    unit: LengthUnit::Chars,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &[],
    checks: &[template::check, root::check],
    rules: RULES,
    generated: None,
    detect: Some(detect),
    redirect: Some(redirect),
    recognise: None,
    currencies: &[Currency {
        numeric: "392",
        alpha: "JPY",
        exponent: 0,
    }],
    countries: &["JP"],
    local_language: Some("JA"),
    crc_mismatch: "EMV.63.CRC_MISMATCH",
    reference_impl: None,
    defaults: Defaults {
        category_code: None,
        currency: Some("392"),
        country: Some("JP"),
    },
    accounts: &[AccountSchema {
        scheme: "jpqr",
        doc: "the unified store identifier in template 26 (GUID `jp.or.paymentsjapan`)",
        fields: &[
            AccountField {
                name: "level1",
                required: true,
                doc: "management level 1 (13 digits), 26/01",
            },
            AccountField {
                name: "level2",
                required: true,
                doc: "management level 2 (4 digits), 26/02",
            },
            AccountField {
                name: "level3",
                required: true,
                doc: "management level 3 (6 digits), 26/03",
            },
            AccountField {
                name: "level4",
                required: true,
                doc: "management level 4 (6 digits), 26/04",
            },
        ],
        build: account,
    }],
    nested: &[],
    timestamps: None,
    ladder: LadderPolicy {
        seed: 12,
        required: &[],
    },
    plans: Some(plans::all),
    reference_claims: true,
};

/// The JPQR bill-payment / eL-QR profile: no EMVCo base (the form breaks it on purpose: no
/// templates, a 5-digit decimal CRC), only its selector; its own rules are planned.
pub static BILL_SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::JpqrBill,
    kind: Kind::Recognised,
    label: "JPQR bill payment",
    document: "JPQR bill payment",
    digest_tag: None,
    digest: Some("docs/spec/jpqr.md"),
    rule_prefixes: &["JPQR.BILL.", "JPQR.ELQR."],
    vector_prefix: "JPQRBILL",
    unit: LengthUnit::Chars,
    templates: TemplateSet::NONE,
    emv_base: false,
    relaxations: &[],
    checks: &[bill::check],
    rules: BILL_RULES,
    generated: None,
    detect: Some(detect_bill),
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
        seed: 14,
        required: &[],
    },
    plans: None,
    reference_claims: false,
};

/// Detection: a merchant-account template (26-51) whose 00 is the JPQR GUID in any case
/// (a wrong-case GUID is judged as JPQR and fails `JPQR.26.00.GUID`).
fn detect(_: &str, p: &Payload<'_>) -> Option<Claim> {
    p.roots()
        .filter(|o| (26..=51).contains(&o.id()))
        .find_map(|o| o.child_value(0).filter(|g| g.eq_ignore_ascii_case(GUID)))
        .map(|g| Claim {
            strength: Strength::Identifier,
            exact: g == GUID,
        })
}

/// Detection of the bill-payment shape.
fn detect_bill(text: &str, _: &Payload<'_>) -> Option<Claim> {
    bill::is_bill_payment(text).then_some(Claim {
        strength: Strength::Shape,
        exact: true,
    })
}

/// The bill-payment form is never judged by MPM rules, even when JPQR is forced.
fn redirect(text: &str) -> Option<Profile> {
    bill::is_bill_payment(text).then_some(Profile::JpqrBill)
}

fn account(f: &AccountFields) -> Result<Vec<Node>, String> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    Ok(vec![Node::Template {
        id: 26,
        children: vec![
            prim(0, GUID),
            prim(1, get("level1")),
            prim(2, get("level2")),
            prim(3, get("level3")),
            prim(4, get("level4")),
        ],
    }])
}

fn prim(id: u8, value: impl Into<String>) -> Node {
    Node::Primitive {
        id,
        value: value.into(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
