//! The JPQR profile (Japan, Payments Japan Association; `shared/spec/jpqr.md`): EMVCo MPM with
//! the JPQR merchant-account template (GUID `jp.or.paymentsjapan` and four management levels),
//! yen only, country JP, a mandatory postal code and a mandatory Japanese name in template 64.
//! Lengths count characters (code points), as in EMVCo.
//!
//! The numeric bill-payment / eL-QR form is a different profile, `jpqr-bill` ([`BILL_SPEC`]):
//! recognised, never judged by MPM rules.

pub mod bill;
pub mod catalogue;
mod root;
mod template;

pub use catalogue::*;

use crate::Profile;
use crate::emv::{LengthUnit, TemplateSet};
use crate::rules::profile::ProfileSpec;

/// The JPQR merchant-account GUID (case-sensitive).
pub const GUID: &str = "jp.or.paymentsjapan";

/// The JPQR MPM profile. It needs no relaxation of the EMVCo base: JPQR codes are EMVCo codes
/// with tighter values (jpqr.md section 2), and where JPQR tightens a base SHOULD (JPY decimals,
/// romanised 59/60) both rules fire.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Jpqr,
    unit: LengthUnit::Chars,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &[],
    checks: &[template::check, root::check],
    rules: RULES,
    generated: None,
};

/// The JPQR bill-payment / eL-QR profile: no EMVCo base (the form breaks it on purpose: no
/// templates, a 5-digit decimal CRC), only its selector; its own rules are planned.
pub static BILL_SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::JpqrBill,
    unit: LengthUnit::Chars,
    templates: TemplateSet::NONE,
    emv_base: false,
    relaxations: &[],
    checks: &[bill::check],
    rules: BILL_RULES,
    generated: None,
};

#[cfg(test)]
pub(crate) mod tests;
