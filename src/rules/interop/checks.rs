//! The INTEROP payload rules.

use crate::Profile;
use crate::emv::charset;
use crate::emv::units::{LengthUnit, advance};
use crate::rules::data::iso639;
use crate::rules::emvco::amount::Amount;
use crate::rules::emvco::{at, at_value, guid, path_of, quote, template_complete};
use crate::rules::finding::{At, TagPath};
use crate::rules::jpqr;
use crate::rules::khqr;
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    detectable(ctx, sink);
    currency_and_amount(ctx, sink);
    names(ctx, sink);
    crc_case(ctx, sink);
    bmp_only(ctx, sink);
    primitive_accounts(ctx, sink);
}

fn detectable(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let jpqr = p.roots().any(|o| {
        (26..=51).contains(&o.id()) && o.is_template() && o.child_value(0) == Some(jpqr::GUID)
    });
    let khqr = [29, 30].into_iter().any(|id| {
        p.root(id)
            .and_then(|t| t.child_value(0))
            .is_some_and(khqr::is_bakong_id)
    });
    let why = match (jpqr, khqr) {
        (true, true) => {
            "the code identifies as both JPQR (a template with the JPQR GUID) and KHQR (29/30 with a Bakong account ID)"
        }
        (false, false) => {
            "the code identifies as neither JPQR (a template with GUID 'jp.or.paymentsjapan', exact case) nor KHQR (29/30 with a Bakong account ID 'name@bank')"
        }
        _ => return,
    };
    sink.emit(
        &PROFILE_DETECTABLE,
        At::offset(0),
        format!(
            "{why}; detected as {}, and a foreign wallet chooses its profile from this",
            ctx.profile
        ),
    );
}

fn currency_and_amount(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let currency = p.value(53);
    if let Some(o) = p.root(53)
        && !matches!(o.value(), "392" | "116" | "840")
    {
        sink.emit(
            &ID53_SUPPORTED,
            at(ctx, &o),
            format!(
                "53 is {}; cross-border wallets support 392 (JPY), 116 (KHR) and 840 (USD)",
                quote(o.value())
            ),
        );
    }
    if let (Some(c), Some(o)) = (currency, p.root(58))
        && !matches!((o.value(), c), ("JP", "392") | ("KH", "116" | "840"))
    {
        sink.emit(
            &ID53_58_PAIR,
            at(ctx, &o),
            format!(
                "country {} with currency {}: not one of JP/392, KH/116, KH/840",
                quote(o.value()),
                quote(c)
            ),
        );
    }
    if let Some(o) = p.root(54)
        && let Some(a) = Amount::parse(o.value())
    {
        let allowed = match currency {
            Some("392" | "116") => Some((!a.dot, "none")),
            Some("840") => Some((!a.dot || a.decimals() == 2, "none or exactly 2")),
            _ => None,
        };
        if let Some((false, rule)) = allowed {
            sink.emit(
                &ID54_EXPONENT,
                at(ctx, &o),
                format!(
                    "54 is {}; currency {} allows {rule} decimals",
                    quote(o.value()),
                    currency.unwrap_or("?")
                ),
            );
        }
    }
}

fn names(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    for (id, rule) in [(59u8, &ID59_LATIN), (60, &ID60_LATIN)] {
        if let Some(o) = p.root(id)
            && let Some((off, c)) = o.first_non_ans()
        {
            sink.emit(
                rule,
                at_value(ctx, &o, off),
                format!(
                    "{id:02} holds {}: a wallet of the other scheme may have no font or transliteration for it; write Latin here and the local script in 64",
                    charset::show(c)
                ),
            );
        }
    }
    let lang = match ctx.profile {
        Profile::Jpqr => Some("JA"),
        Profile::Khqr => Some("km"),
        _ => None,
    };
    let t64 = p.root(64).filter(|t| t.is_template());
    if let Some(want) = lang {
        let ok = t64.is_some_and(|t| {
            t.child_value(0)
                .is_some_and(|l| l.eq_ignore_ascii_case(want))
                && t.child_value(1).is_some_and(|n| !n.is_empty())
        });
        let judged = t64.map_or(ctx.complete, |t| template_complete(p.tlv(), t.index()));
        if !ok && judged {
            sink.emit(
                &ID64_LOCAL_NAME,
                At::new(0, TagPath::tag(64)),
                format!(
                    "the language template (64) does not carry the merchant's local-script name (64/00 '{want}' with 64/01); a foreign wallet shows 59 only"
                ),
            );
        }
    }
    if let Some(c) = t64.and_then(|t| t.child(0))
        && !iso639::is_code(c.value())
    {
        sink.emit(
            &ID64_LANG_CODE,
            at(ctx, &c),
            format!("64/00 is {}, not an ISO 639-1 code", quote(c.value())),
        );
    }
}

fn crc_case(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    if let Some(o) = ctx.payload.root(63)
        && o.value().bytes().any(|b| b.is_ascii_lowercase())
    {
        sink.emit(
            &ID63_UPPERCASE,
            at_value(ctx, &o, 0),
            format!(
                "the CRC {} is in lower case; JPQR and KHQR readers differ in accepting it",
                quote(o.value())
            ),
        );
    }
}

fn bmp_only(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let tlv = ctx.payload.tlv();
    let text = ctx.text();
    if tlv.is_ascii() || !text.bytes().any(|b| b >= 0xF0) {
        return;
    }
    for (i, o) in tlv.objects().iter().enumerate() {
        if o.is_template {
            continue;
        }
        if let Some((off, c)) = charset::first_non_bmp(o.value(text)) {
            let path = path_of(tlv, i);
            sink.emit(
                &TEXT_BMP_ONLY,
                At::new(o.value_start() as usize + off, path),
                format!(
                    "{path} holds {} above U+FFFF: JPQR counts it as 1, KHQR as 2, so one scheme's readers misread the lengths the other writes",
                    charset::show(c)
                ),
            );
        }
    }
}

/// A primitive account field (02-25) whose value is itself TLV carrying an account identifier
/// (a GUID or a Bakong ID in its 00): a wallet would have to parse it as a template to pay.
fn primitive_accounts(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for o in ctx.payload.roots().filter(|o| (2..=25).contains(&o.id())) {
        if let Some(id) = hidden_account(o.value()) {
            sink.emit(
                &MAI_PRIMITIVE_02_25,
                at(ctx, &o),
                format!(
                    "the primitive account field {:02} is TLV with account identifier {} in its 00; wallets never parse 02-25 as templates, so put it in a template (26-51)",
                    o.id(),
                    quote(id)
                ),
            );
        }
    }
}

/// If `v` parses completely as TLV and has a sub-object 00 that is a GUID or a Bakong ID, that
/// identifier.
fn hidden_account(v: &str) -> Option<&str> {
    let b = v.as_bytes();
    let ascii = v.is_ascii();
    let mut pos = 0;
    let mut account = None;
    while pos < b.len() {
        let h = b.get(pos..pos + 4)?;
        if !h.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let id = (h[0] - b'0') * 10 + (h[1] - b'0');
        let len = usize::from((h[2] - b'0') * 10 + (h[3] - b'0'));
        let (end, _) = advance(v, pos + 4, b.len(), len, LengthUnit::Chars, ascii).ok()?;
        let value = &v[pos + 4..end];
        if id == 0 && (guid::form(value).is_some() || khqr::is_bakong_id(value)) {
            account = Some(value);
        }
        pos = end;
    }
    account
}

#[cfg(test)]
mod unit {
    use super::hidden_account;

    #[test]
    fn hidden_accounts_are_found_only_in_complete_tlv() {
        assert_eq!(
            hidden_account("0012demo@sandbox0102AB"),
            Some("demo@sandbox")
        );
        assert_eq!(
            hidden_account("0019jp.or.paymentsjapan"),
            Some("jp.or.paymentsjapan")
        );
        assert_eq!(hidden_account("4000123412341234"), None);
        assert_eq!(hidden_account("0012demo@sandbox01"), None);
        assert_eq!(hidden_account("0104ABCD"), None);
        assert_eq!(hidden_account(""), None);
    }
}
