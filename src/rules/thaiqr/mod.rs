//! The THQR profile (Thailand, Thai QR Payment / PromptPay; `docs/spec/thaiqr.md`): EMVCo MPM
//! with lengths in characters, the Bank of Thailand's merchant-account templates identified by
//! AIDs under the RID `A000000677` (29 credit transfer to a proxy, 30 bill payment, 31 payment
//! innovation), THB (764) and TH only, and the VAT TQRC (80) and TrueMoney message (81).
//!
//! Personal PromptPay codes carry no 52, 59 or 60 and real wallets pay them every day, so the
//! EMVCo presence rules for those are off under this profile (each relaxation named below).
//! qrcert follows the rules, not the reference library's leniencies: every rule records what
//! promptparse 1.6.0 does with the defect.

pub mod catalogue;
mod checks;
pub mod generated;
pub mod plans;

pub use catalogue::*;
pub use checks::thai_check_digit;

use crate::Profile;
use crate::emv::payload::{Node, Obj, Payload};
use crate::emv::{LengthUnit, TemplateSet};
use crate::rules::emvco;
use crate::rules::finding::TagPath;
use crate::rules::profile::{
    AccountField, AccountFields, AccountSchema, Action, Claim, Currency, Defaults, Kind,
    LadderPolicy, ProfileSpec, ReferenceImpl, Relaxation, Strength,
};
use crate::rules::rule::Rule;

/// The Bank of Thailand's RID: every Thai AID starts with it.
pub const RID: &str = "A000000677";
/// PromptPay credit transfer (29).
pub const AID_CREDIT: &str = "A000000677010111";
/// Credit transfer with a one-time authorisation code (29 with 29/05).
pub const AID_OTA: &str = "A000000677010114";
/// Domestic bill payment (30).
pub const AID_BILL: &str = "A000000677010112";
/// Cross-border merchant bill payment (30).
pub const AID_CROSS_BORDER: &str = "A000000677012006";
/// The known AIDs (the last two are payment innovation, 31).
pub const KNOWN_AIDS: [&str; 6] = [
    AID_CREDIT,
    AID_OTA,
    AID_BILL,
    AID_CROSS_BORDER,
    "A000000677010113",
    "A000000677012004",
];

/// The reference library the digest read and ran.
pub const PROMPTPARSE: ReferenceImpl = ReferenceImpl {
    label: "promptparse",
    name: "promptparse",
    version: "1.6.0",
};

/// The EMVCo base rules THQR departs from (thaiqr.md section 6).
static RELAXATIONS: [Relaxation; 6] = [
    Relaxation::new(
        &emvco::ID52_PRESENT,
        &[],
        Action::Disable,
        "Thai QR makes 52 optional: personal PromptPay codes carry none and wallets pay them (thaiqr.md 3.1, 6)",
    ),
    Relaxation::new(
        &emvco::ID59_PRESENT,
        &[],
        Action::Disable,
        "Thai QR makes 59 optional: personal PromptPay codes and promptparse's bill codes carry none (thaiqr.md 3.1, 6); THQR.MERCHANT.NAME_ABSENT reports it on 30/31 codes",
    ),
    Relaxation::new(
        &emvco::ID60_PRESENT,
        &[],
        Action::Disable,
        "Thai QR makes 60 optional: personal PromptPay codes carry none (thaiqr.md 3.1, 6)",
    ),
    Relaxation::new(
        &emvco::UNRES_GUID_FORMAT,
        &[80],
        Action::Disable,
        "80 is the VAT TQRC: its 00 is a 4-character seller tax branch ID, not a GUID (thaiqr.md 3.6); THQR.80.* judge it",
    ),
    Relaxation::new(
        &emvco::TLV_TEMPLATE_SYNTAX,
        &[81],
        Action::Disable,
        "in a TrueMoney code 81 is the message as hex text, not TLV (thaiqr.md 3.6); THQR.81.FORMAT judges it",
    )
    .when(truemoney_81),
    Relaxation::new(
        &emvco::UNRES_GUID_PRESENT,
        &[81],
        Action::Disable,
        "in a TrueMoney code 81 is the message as hex text, with no GUID (thaiqr.md 3.6); THQR.81.FORMAT judges it",
    )
    .when(truemoney_81),
];

/// The THQR profile.
pub static SPEC: ProfileSpec = ProfileSpec {
    profile: Profile::Thaiqr,
    kind: Kind::National,
    label: "Thai QR",
    document: "Thai QR Payment (BOT)",
    digest_tag: Some("THQR"),
    digest: Some("docs/spec/thaiqr.md"),
    rule_prefixes: &["THQR."],
    vector_prefix: "THQR",
    unit: LengthUnit::Chars,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &RELAXATIONS,
    checks: &[
        checks::structure,
        checks::accounts,
        checks::values,
        checks::text_80_81,
    ],
    rules: RULES,
    generated: Some(&generated::REPLY_CHECKS),
    detect: Some(detect),
    redirect: None,
    recognise: Some(recognise),
    currencies: &[Currency {
        numeric: "764",
        alpha: "THB",
        exponent: 2,
    }],
    countries: &["TH"],
    local_language: Some("th"),
    crc_mismatch: "THQR.CRC.MISMATCH",
    reference_impl: Some(PROMPTPARSE),
    defaults: Defaults {
        category_code: None,
        currency: Some("764"),
        country: Some("TH"),
    },
    accounts: &[
        AccountSchema {
            scheme: "promptpay",
            doc: "a PromptPay credit transfer in template 29 (AID A000000677010111): exactly one proxy",
            fields: &[
                AccountField {
                    name: "mobile",
                    required: false,
                    doc: "a Thai mobile number as people write it (`0812345678`, `081-234-5678`, `+66812345678`); written as 29/01 `0066` + 9 digits",
                },
                AccountField {
                    name: "national_id",
                    required: false,
                    doc: "a 13-digit national or tax ID, 29/02",
                },
                AccountField {
                    name: "ewallet_id",
                    required: false,
                    doc: "a 15-digit e-wallet ID, 29/03",
                },
                AccountField {
                    name: "bank_account",
                    required: false,
                    doc: "a 3-digit bank code and the account number, 29/04",
                },
                AccountField {
                    name: "ota",
                    required: false,
                    doc: "a 10-character one-time authorisation code: AID A000000677010114 with 29/05",
                },
            ],
            build: promptpay,
        },
        AccountSchema {
            scheme: "promptpay-bill",
            doc: "a Thai bill payment in template 30 (AID A000000677010112)",
            fields: &[
                AccountField {
                    name: "biller_id",
                    required: true,
                    doc: "15 digits: the biller's 13-digit tax ID and a 2-digit suffix, 30/01",
                },
                AccountField {
                    name: "reference1",
                    required: true,
                    doc: "reference 1, up to 20 characters, 30/02",
                },
                AccountField {
                    name: "reference2",
                    required: false,
                    doc: "reference 2, up to 20 characters, 30/03",
                },
            ],
            build: bill,
        },
    ],
    nested: &[],
    timestamps: None,
    ladder: LadderPolicy {
        seed: 15,
        required: &[],
    },
    plans: Some(plans::all),
    reference_claims: true,
};

/// The templates (26-51) whose 00 starts with the Thai RID, in any case.
fn thai_templates<'a>(p: &Payload<'a>) -> impl Iterator<Item = Obj<'a>> + 'a {
    p.roots().filter(|o| {
        (26..=51).contains(&o.id())
            && o.is_template()
            && o.child_value(0).is_some_and(|g| {
                g.get(..RID.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(RID))
            })
    })
}

/// A TrueMoney wallet code: 29/03 starts `14`.
fn is_truemoney(p: &Payload<'_>) -> bool {
    p.root(29)
        .and_then(|t| t.child_value(3))
        .is_some_and(|v| v.starts_with("14"))
}

fn truemoney_81(p: &Payload<'_>, _: &TagPath) -> bool {
    is_truemoney(p)
}

/// Detection: a template (26-51) whose 00 starts with the Thai RID (in any case, so that a
/// lower-case AID is judged and named); the slip-verify and BOT barcode shapes.
fn detect(text: &str, p: &Payload<'_>) -> Option<Claim> {
    if recognise(text, p).is_some() {
        return Some(Claim {
            strength: Strength::Shape,
            exact: true,
        });
    }
    let t = thai_templates(p).next()?;
    Some(Claim {
        strength: Strength::Identifier,
        exact: t.child_value(0).is_some_and(|g| g.starts_with(RID)),
    })
}

/// The non-payment forms of the ecosystem: recognised and reported, never failed as MPM.
fn recognise(text: &str, p: &Payload<'_>) -> Option<(&'static Rule, &'static str)> {
    if text.starts_with('|') && text.split('\r').count() == 4 {
        return Some((
            &PROFILE_NOT_EMV,
            "a BOT bill barcode ('|' biller, references and amount separated by carriage returns): not an EMV payload, so the MPM rules do not apply",
        ));
    }
    let first = p.tlv().root().first()?;
    let last = p.tlv().root().last()?;
    (first.id == 0 && first.declared_len != 2 && last.id == 91 && p.tlv().root_error().is_none())
        .then_some((
            &PROFILE_SLIP_VERIFY,
            "a transfer-slip verification code (00 is a template, the CRC is in 91): not a payment code, so the MPM rules do not apply",
        ))
}

fn prim(id: u8, value: impl Into<String>) -> Node {
    Node::Primitive {
        id,
        value: value.into(),
    }
}

/// `0812345678`, `081-234-5678`, `+66812345678`, `66812345678` -> `0066812345678`.
pub fn normalise_mobile(raw: &str) -> Option<String> {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = match d.len() {
        10 if d.starts_with('0') => &d[1..],
        11 if d.starts_with("66") => &d[2..],
        13 if d.starts_with("0066") => &d[4..],
        _ => return None,
    };
    Some(format!("0066{national}"))
}

fn promptpay(f: &AccountFields) -> Result<Vec<Node>, String> {
    let proxies: Vec<(u8, &str, &String)> = [
        (1u8, "mobile"),
        (2, "national_id"),
        (3, "ewallet_id"),
        (4, "bank_account"),
    ]
    .into_iter()
    .filter_map(|(id, k)| f.get(k).map(|v| (id, k, v)))
    .collect();
    let [(id, key, value)] = proxies.as_slice() else {
        return Err(format!(
            "account scheme promptpay: give exactly one of mobile, national_id, ewallet_id, bank_account ({} given)",
            proxies.len()
        ));
    };
    let value = if *key == "mobile" {
        normalise_mobile(value).ok_or_else(|| {
            format!("account scheme promptpay: mobile {value:?} is not a Thai mobile number")
        })?
    } else {
        (*value).clone()
    };
    let aid = if f.contains_key("ota") {
        AID_OTA
    } else {
        AID_CREDIT
    };
    let mut children = vec![prim(0, aid), prim(*id, value)];
    if let Some(ota) = f.get("ota") {
        children.push(prim(5, ota.clone()));
    }
    Ok(vec![Node::Template { id: 29, children }])
}

fn bill(f: &AccountFields) -> Result<Vec<Node>, String> {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let mut children = vec![
        prim(0, AID_BILL),
        prim(1, get("biller_id")),
        prim(2, get("reference1")),
    ];
    if let Some(r2) = f.get("reference2") {
        children.push(prim(3, r2.clone()));
    }
    Ok(vec![Node::Template { id: 30, children }])
}

#[cfg(test)]
mod tests;
