//! JPQR's root objects over EMVCo: 53, 54, 58, 59, 60, 61 and the mandatory Japanese language
//! template 64 (jpqr.md sections 2, 4), and lengths counted in characters (section 5).

use crate::emv::LengthUnit;
use crate::emv::charset;
use crate::rules::emvco::{at, at_value, quote, template_complete};
use crate::rules::finding::{At, TagPath};
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;

    if let Some(o) = p.root(53)
        && o.value() != "392"
    {
        sink.emit(
            &ID53_CURRENCY_JPY,
            at(ctx, &o),
            format!("53 is {}; a JPQR code is in yen, '392'", quote(o.value())),
        );
    }
    match p.root(54) {
        Some(o) if o.value().contains('.') => sink.emit(
            &ID54_NO_DECIMALS,
            at(ctx, &o),
            format!(
                "54 is {}; yen amounts are integers, without '.'",
                quote(o.value())
            ),
        ),
        None if p.value(1) == Some("12") && ctx.complete => sink.emit(
            &ID54_DYNAMIC_REQUIRES_AMOUNT,
            At::new(0, TagPath::tag(54)),
            "01 is '12' (dynamic) but there is no amount (54)",
        ),
        _ => {}
    }
    if let Some(o) = p.root(58)
        && o.value() != "JP"
    {
        sink.emit(
            &ID58_COUNTRY_JP,
            at(ctx, &o),
            format!("58 is {}; a JPQR code says 'JP'", quote(o.value())),
        );
    }
    for (id, rule, what) in [
        (59u8, &ID59_ROMANIZED, "merchant name"),
        (60, &ID60_ROMANIZED, "city"),
    ] {
        if let Some(o) = p.root(id)
            && let Some((off, c)) = o.first_non_ans()
        {
            sink.emit(
                rule,
                at_value(ctx, &o, off),
                format!(
                    "{id:02} holds {}; JPQR writes the romanised {what} here (the Japanese name goes in 64/01)",
                    charset::show(c)
                ),
            );
        }
    }
    postal_code(ctx, sink);
    language(ctx, sink);
    if let Some((unit, off)) = ctx.diagnosis.unit_mismatch
        && unit != LengthUnit::Chars
    {
        sink.emit(
            &LENGTH_CHARACTERS,
            At::offset(off),
            format!(
                "the lengths count {}: the payload parses cleanly (from byte {off}) only that way; JPQR counts characters (code points), so 'さくら' is length 03, not {}",
                unit.describe(),
                if unit == LengthUnit::Bytes { "09" } else { "a UTF-16 count" }
            ),
        );
    }
}

fn postal_code(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    match ctx.payload.root(61) {
        None => {
            if ctx.complete {
                sink.emit(
                    &ID61_POSTAL_PRESENT,
                    At::new(0, TagPath::tag(61)),
                    "the postal code (61) is missing; JPQR makes it mandatory",
                );
            }
        }
        Some(o) if o.value().is_empty() => sink.emit(
            &ID61_POSTAL_PRESENT,
            at(ctx, &o),
            "the postal code (61) is empty",
        ),
        Some(o) => {
            let v = o.value();
            if v.len() != 7 || !v.bytes().all(|b| b.is_ascii_digit()) {
                sink.emit(
                    &ID61_POSTAL_7_DIGITS,
                    at(ctx, &o),
                    format!(
                        "the postal code (61) is {}; a Japanese postal code is 7 digits without a hyphen",
                        quote(v)
                    ),
                );
            }
        }
    }
}

fn language(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let Some(t) = p.root(64) else {
        if ctx.complete {
            sink.emit(
                &ID64_PRESENT,
                At::new(0, TagPath::tag(64)),
                "the language template (64) with the Japanese merchant name is missing; JPQR makes it mandatory",
            );
        }
        return;
    };
    if !t.is_template() {
        return;
    }
    let complete = template_complete(p.tlv(), t.index());
    match t.child(0) {
        Some(c) if c.value() != "JA" => sink.emit(
            &ID64_00_LANG_JA,
            at(ctx, &c),
            format!(
                "the language preference (64/00) is {}; JPQR requires exactly 'JA'",
                quote(c.value())
            ),
        ),
        None if complete => sink.emit(
            &ID64_00_LANG_JA,
            at(ctx, &t),
            "the language template (64) has no language preference (00); JPQR requires 'JA'",
        ),
        _ => {}
    }
    match t.child(1) {
        Some(c) => {
            let len = c.object().declared_len;
            if len == 0 || len > 25 {
                sink.emit(
                    &ID64_01_NAME_PRESENT,
                    at(ctx, &c),
                    format!(
                        "the Japanese merchant name (64/01) is {len} characters; it must be 1-25"
                    ),
                );
            }
        }
        None if complete => sink.emit(
            &ID64_01_NAME_PRESENT,
            at(ctx, &t),
            "the language template (64) has no Japanese merchant name (01)",
        ),
        None => {}
    }
    if let Some(c) = t.child(2) {
        sink.emit(
            &ID64_02_ABSENT,
            at(ctx, &c),
            format!(
                "64/02 (alternate-language city, {}) is present; JPQR codes carry none",
                quote(c.value())
            ),
        );
    }
}
