//! The INTEROP payload rules.

use crate::emv::charset;
use crate::emv::units::{LengthUnit, advance};
use crate::rules::data::iso639;
use crate::rules::emvco::amount::Amount;
use crate::rules::emvco::{at, at_value, guid, path_of, quote, template_complete};
use crate::rules::finding::{At, TagPath};
use crate::rules::khqr;
use crate::rules::profile::{Currency, ProfileSpec, nationals};
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

/// The national profiles whose identifier the code carries exactly (an iterator: a valid code
/// is judged without allocating).
fn identified<'c>(ctx: &'c Context<'_>) -> impl Iterator<Item = &'static ProfileSpec> + 'c {
    nationals().filter(|s| s.identifies(ctx.text(), &ctx.payload))
}

fn detectable(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut found = identified(ctx);
    let why = match (found.next(), found.next()) {
        (Some(_), None) => return,
        (None, _) => format!(
            "the code carries the exact account identifier of no national profile ({})",
            nationals().map(|s| s.label).collect::<Vec<_>>().join(", ")
        ),
        _ => format!(
            "the code identifies as several national profiles ({})",
            identified(ctx).map(|s| s.label).collect::<Vec<_>>().join(", ")
        ),
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

/// Every national profile's currencies, with the profile.
fn currencies() -> impl Iterator<Item = (&'static ProfileSpec, &'static Currency)> {
    nationals().flat_map(|s| s.currencies.iter().map(move |c| (s, c)))
}

fn currency_list() -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    for (_, c) in currencies() {
        if !seen.contains(&c.numeric) {
            seen.push(c.numeric);
            out.push(format!("{} ({})", c.numeric, c.alpha));
        }
    }
    out.join(", ")
}

fn currency_and_amount(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let currency = p.value(53);
    if let Some(o) = p.root(53)
        && !currencies().any(|(_, c)| c.numeric == o.value())
    {
        sink.emit(
            &ID53_SUPPORTED,
            at(ctx, &o),
            format!(
                "53 is {}; cross-border wallets support the national profiles' currencies: {}",
                quote(o.value()),
                currency_list()
            ),
        );
    }
    if let (Some(c), Some(o)) = (currency, p.root(58))
        && !currencies().any(|(s, cur)| cur.numeric == c && s.countries.contains(&o.value()))
    {
        let pairs: Vec<String> = currencies()
            .flat_map(|(s, cur)| s.countries.iter().map(move |k| format!("{k}/{}", cur.numeric)))
            .collect();
        sink.emit(
            &ID53_58_PAIR,
            at(ctx, &o),
            format!(
                "country {} with currency {}: not one of {}",
                quote(o.value()),
                quote(c),
                pairs.join(", ")
            ),
        );
    }
    if let Some(o) = p.root(54)
        && let Some(a) = Amount::parse(o.value())
        && let Some((_, cur)) = currencies().find(|(_, cur)| Some(cur.numeric) == currency)
    {
        let ok = match cur.exponent {
            0 => !a.dot,
            n => !a.dot || a.decimals() == usize::from(n),
        };
        if !ok {
            let allowed = match cur.exponent {
                0 => "none".to_owned(),
                n => format!("none or exactly {n}"),
            };
            sink.emit(
                &ID54_EXPONENT,
                at(ctx, &o),
                format!(
                    "54 is {}; currency {} allows {allowed} decimals",
                    quote(o.value()),
                    cur.numeric
                ),
            );
        }
    }
}

fn names(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    if !p.has(59) && ctx.complete {
        sink.emit(
            &ID59_PRESENT,
            At::new(0, TagPath::tag(59)),
            "the code has no merchant name (59): a foreign wallet has no payee name to show before the customer confirms",
        );
    }
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
    let lang = ctx.profile.spec().local_language;
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
                "the CRC {} is in lower case; the national profiles' readers differ in accepting it",
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
                    "{path} holds {} above U+FFFF: profiles counting code points count it as 1, those counting UTF-16 units (KHQR) as 2, so one scheme's readers misread the lengths the other writes",
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
