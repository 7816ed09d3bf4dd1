//! The INTEROP profile: JPQR <-> KHQR cross-border rules (`docs/spec/jpqr.md` section 10.1),
//! applied on top of the detected national profile by `--profile interop`. They say what a
//! wallet of the other scheme needs present and well-formed: a detectable profile, a currency
//! and amount form it supports, a Latin merchant name and city, the local-script name in 64,
//! upper-case CRC, BMP-only text, and no payee data hidden in primitive account fields.

pub mod catalogue;
mod checks;
pub mod symbol;

pub use catalogue::*;

use crate::Profile;
use crate::emv::{LengthUnit, TemplateSet};
use crate::rules::profile::{Defaults, Kind, LadderPolicy, ProfileSpec};

/// The INTEROP overlay. Its unit and templates are not used to parse (the detected national
/// profile's are); `qrcert rules --profile interop` lists the EMVCo base and the INTEROP rules.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Interop,
    kind: Kind::Overlay,
    label: "INTEROP",
    document: "qrcert INTEROP",
    digest_tag: None,
    digest: None,
    rule_prefixes: &["INTEROP."],
    vector_prefix: "INTEROP",
    unit: LengthUnit::Chars,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &[],
    checks: &[checks::check],
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
        seed: 14,
        required: &[],
    },
    // Cross-border cases are claimed through the national profiles.
    plans: Some(crate::vectors::generate::interop::plans),
    reference_claims: false,
};

#[cfg(test)]
mod tests;
