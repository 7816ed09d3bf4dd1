//! The VNQR profile (Vietnam, NAPAS VietQR; `docs/spec/vietqr.md`): EMVCo MPM with lengths in
//! characters, the NAPAS merchant-account template 38 (GUID `A000000727`) whose 38/01 is a
//! template two levels deep (bank BIN and account, card or merchant ID) and whose 38/02 names
//! the service (`QRIBFTTA`, `QRIBFTTC` transfers, `QRPUSH` merchant payment, `QRCASH` ATM
//! withdrawal), VND (704, no minor unit) and VN only.
//!
//! Transfer codes carry no 52, 59 or 60 and wallets pay them, so the EMVCo presence rules for
//! those are off under this profile when 38/02 is a transfer code (each relaxation named below).
//! qrcert follows the rules, not the reference library's leniencies: every rule records what
//! vietnam-qr-pay 1.5.1 does with the defect.

pub mod catalogue;
mod checks;
pub mod generated;
pub mod plans;

pub use catalogue::*;

use crate::Profile;
use crate::emv::payload::{Node, Obj, Payload};
use crate::emv::{LengthUnit, TemplateSet};
use crate::rules::emvco;
use crate::rules::finding::TagPath;
use crate::rules::profile::{
    AccountField, AccountFields, AccountSchema, Action, Claim, Currency, Defaults, Kind,
    LadderPolicy, ProfileSpec, ReferenceImpl, Relaxation, Strength,
};
use crate::rules::rule::Severity;

/// NAPAS's AID: the GUID of the VietQR template.
pub const GUID: &str = "A000000727";
/// VNPAY-QR's AID (another domestic scheme, in 26).
pub const VNPAY_GUID: &str = "A000000775";
/// The service codes of 38/02.
pub const SERVICES: [&str; 4] = ["QRIBFTTA", "QRIBFTTC", "QRPUSH", "QRCASH"];

/// Bank BINs (38/01/00): the distinct BINs of the reference library's bank table
/// (vietnam-qr-pay 1.5.1, `BanksObject`), sorted. Versioned data, not a rule of the NAPAS text
/// (VNQR.38.01.00.KNOWN is a SHOULD); most start 970, a few do not (MoMo is 971025).
pub const BINS: [&str; 58] = [
    "422589", "458761", "546034", "546035", "668888", "796500", "801011", "963369", "963388",
    "970400", "970403", "970405", "970406", "970407", "970408", "970409", "970410", "970412",
    "970414", "970415", "970416", "970418", "970419", "970421", "970422", "970423", "970424",
    "970425", "970426", "970427", "970428", "970429", "970430", "970431", "970432", "970433",
    "970434", "970436", "970437", "970438", "970439", "970440", "970441", "970442", "970443",
    "970444", "970446", "970448", "970449", "970452", "970454", "970455", "970456", "970457",
    "970458", "970462", "970463", "971025",
];

/// The reference library the digest read and ran.
pub const VIETNAM_QR_PAY: ReferenceImpl = ReferenceImpl {
    label: "vietnam-qr-pay",
    name: "vietnam-qr-pay",
    version: "1.5.1",
};

const UNRESERVED: [u8; 20] = [
    80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99,
];

/// The EMVCo base rules VNQR departs from (vietqr.md section 6).
static RELAXATIONS: [Relaxation; 6] = [
    Relaxation::new(
        &emvco::ID52_PRESENT,
        &[],
        Action::Disable,
        "VietQR transfer codes (38/02 QRIBFTTA or QRIBFTTC) carry no 52: the library, subiz and liopay write none (vietqr.md 3.1, 6)",
    )
    .when(transfer),
    Relaxation::new(
        &emvco::ID59_PRESENT,
        &[],
        Action::Disable,
        "VietQR transfer codes (38/02 QRIBFTTA or QRIBFTTC) carry no 59: NAPAS resolves the beneficiary's name (vietqr.md 3.1, 6)",
    )
    .when(transfer),
    Relaxation::new(
        &emvco::ID60_PRESENT,
        &[],
        Action::Disable,
        "VietQR transfer codes (38/02 QRIBFTTA or QRIBFTTC) carry no 60 (vietqr.md 3.1, 6)",
    )
    .when(transfer),
    Relaxation::new(
        &emvco::ID62_SUB_CHARSET,
        &[62],
        Action::Severity(Severity::Should),
        "VietQR lets the purpose (62/08) carry Vietnamese: the library emits it and banks show it; VNQR.62.08.NON_ASCII reports it (vietqr.md 6); not applied under interop",
    )
    .when(purpose)
    .not_under_overlay(),
    Relaxation::new(
        &emvco::TLV_TEMPLATE_SYNTAX,
        &UNRESERVED,
        Action::Severity(Severity::Should),
        "legacy MoMo codes put a bare 1-3 digit number in 80 (vietqr.md 3.2, 6); VNQR.80.PRIMITIVE reports it",
    )
    .when(legacy_primitive),
    Relaxation::new(
        &emvco::UNRES_GUID_PRESENT,
        &UNRESERVED,
        Action::Severity(Severity::Should),
        "legacy MoMo codes put a bare 1-3 digit number in 80, with no GUID (vietqr.md 3.2, 6); VNQR.80.PRIMITIVE reports it",
    )
    .when(legacy_primitive),
];

/// The VNQR profile.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Vietqr,
    kind: Kind::National,
    label: "VietQR",
    document: "NAPAS VietQR",
    digest_tag: Some("VNQR"),
    digest: Some("docs/spec/vietqr.md"),
    rule_prefixes: &["VNQR."],
    vector_prefix: "VNQR",
    unit: LengthUnit::Chars,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &RELAXATIONS,
    checks: &[checks::structure, checks::napas, checks::values],
    rules: RULES,
    generated: Some(&generated::REPLY_CHECKS),
    detect: Some(detect),
    redirect: None,
    recognise: None,
    currencies: &[Currency {
        numeric: "704",
        alpha: "VND",
        exponent: 0,
    }],
    countries: &["VN"],
    local_language: Some("vi"),
    crc_mismatch: "VNQR.CRC.MISMATCH",
    reference_impl: Some(VIETNAM_QR_PAY),
    defaults: Defaults {
        category_code: None,
        currency: Some("704"),
        country: Some("VN"),
    },
    accounts: &[AccountSchema {
        scheme: "napas",
        doc: "a VietQR beneficiary in template 38 (GUID A000000727): bank BIN and account, card or merchant ID in 38/01, service in 38/02",
        fields: &[
            AccountField {
                name: "bin",
                required: true,
                doc: "the bank's 6-digit BIN, 38/01/00",
            },
            AccountField {
                name: "account",
                required: true,
                doc: "account, card number, merchant or ATM ID, up to 19 characters, 38/01/01",
            },
            AccountField {
                name: "service",
                required: false,
                doc: "QRIBFTTA (transfer to an account, the default), QRIBFTTC (to a card), QRPUSH (merchant payment), QRCASH (ATM withdrawal), 38/02",
            },
        ],
        build: napas,
    }],
    nested: &[(38, 1)],
    timestamps: None,
    ladder: LadderPolicy {
        seed: 16,
        required: &[],
    },
    plans: Some(plans::all),
    reference_claims: true,
};

/// The templates (26-51) whose 00 is the NAPAS GUID, in any case.
fn napas_templates<'a>(p: &Payload<'a>) -> impl Iterator<Item = Obj<'a>> + 'a {
    p.roots().filter(|o| {
        (26..=51).contains(&o.id())
            && o.is_template()
            && o.child_value(0).is_some_and(|g| g.eq_ignore_ascii_case(GUID))
    })
}

/// The service code (38/02) of the code's NAPAS template.
fn service<'a>(p: &Payload<'a>) -> Option<&'a str> {
    napas_templates(p).next().and_then(|t| t.child_value(2))
}

fn transfer(p: &Payload<'_>, _: &TagPath) -> bool {
    matches!(service(p), Some("QRIBFTTA" | "QRIBFTTC"))
}

fn purpose(_: &Payload<'_>, path: &TagPath) -> bool {
    path.get(1) == Some(8)
}

fn legacy_primitive(p: &Payload<'_>, path: &TagPath) -> bool {
    path.root_id()
        .and_then(|id| p.root(id))
        .is_some_and(|o| (1..=3).contains(&o.value().len()) && o.value().bytes().all(|b| b.is_ascii_digit()))
}

/// Detection: a template (26-51) whose 00 is the NAPAS GUID (in any case, so that a wrong-case
/// GUID is judged and named); circumstantially, a VNPAY-QR code (reported, VNQR rules off).
fn detect(_: &str, p: &Payload<'_>) -> Option<Claim> {
    if let Some(t) = napas_templates(p).next() {
        return Some(Claim {
            strength: Strength::Identifier,
            exact: t.child_value(0) == Some(GUID),
        });
    }
    p.root(26)
        .and_then(|t| t.child_value(0))
        .filter(|g| *g == VNPAY_GUID)
        .map(|_| Claim {
            strength: Strength::Heuristic,
            exact: false,
        })
}

fn prim(id: u8, value: impl Into<String>) -> Node {
    Node::Primitive {
        id,
        value: value.into(),
    }
}

fn napas(f: &AccountFields) -> Result<Vec<Node>, String> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    Ok(vec![Node::Template {
        id: 38,
        children: vec![
            prim(0, GUID),
            Node::Template {
                id: 1,
                children: vec![prim(0, get("bin")), prim(1, get("account"))],
            },
            prim(2, f.get("service").map_or("QRIBFTTA", String::as_str)),
        ],
    }])
}

#[cfg(test)]
mod tests;
