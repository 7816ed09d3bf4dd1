//! Templates 62 (additional data) and 64 (language) as KHQR reads them (khqr.md sections 3.3,
//! 3.4).

use crate::rules::data::iso639;
use crate::rules::emvco::{quote, template_complete};
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    additional_data(ctx, sink);
    language(ctx, sink);
}

fn additional_data(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t) = ctx.payload.root(62).filter(|t| t.is_template()) else {
        return;
    };
    for c in t.children() {
        let (rule, name) = match c.id() {
            1 => (&ID62_BILL_NUMBER_LENGTH, "bill number"),
            2 => (&ID62_MOBILE_NUMBER_LENGTH, "mobile number"),
            3 => (&ID62_STORE_LABEL_LENGTH, "store label"),
            7 => (&ID62_TERMINAL_LABEL_LENGTH, "terminal label"),
            8 => (&ID62_PURPOSE_LENGTH, "purpose of transaction"),
            _ => continue,
        };
        let len = c.object().declared_len;
        if len == 0 || len > 25 {
            sink.emit(
                rule,
                at(ctx, &c),
                format!(
                    "the {name} (62/{:02}) is {}; it must be 1-25",
                    c.id(),
                    units(len)
                ),
            );
        }
        let legacy = match c.id() {
            1 | 3 | 7 => (len == 25).then_some("SDK 1.0.7 allows at most 24 UTF-16 units"),
            2 => (13..=25)
                .contains(&len)
                .then_some("SDK 1.0.7 allows a mobile number of at most 12 UTF-16 units"),
            _ => None,
        };
        if let Some(why) = legacy {
            sink.emit(
                &COMPAT_LEGACY_READERS,
                at(ctx, &c),
                format!("62/{:02} is {}: {why}", c.id(), units(len)),
            );
        }
        if c.id() == 2 && !c.value().is_empty() {
            let v = c.value();
            let digits = v.strip_prefix('+').unwrap_or(v);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                sink.emit(
                    &ID62_MOBILE_NUMBER_FORMAT,
                    at(ctx, &c),
                    format!(
                        "the mobile number (62/02) is {}; expected digits with an optional leading '+'",
                        quote(v)
                    ),
                );
            }
        }
    }
}

fn language(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let Some(t) = ctx.payload.root(64).filter(|t| t.is_template()) else {
        return;
    };
    let complete = template_complete(ctx.payload.tlv(), t.index());
    let (pref, name, city) = (t.child(0), t.child(1), t.child(2));
    if let Some(c) = pref {
        let v = c.value();
        if c.object().declared_len != 2 {
            sink.emit(
                &ID64_PREFERENCE_LENGTH,
                at(ctx, &c),
                format!(
                    "the language preference (64/00) is {}; it must be exactly 2 characters ('km')",
                    quote(v)
                ),
            );
        } else if !iso639::is_code(v) {
            sink.emit(
                &ID64_PREFERENCE_CODE,
                at(ctx, &c),
                format!(
                    "the language preference (64/00) is {}, not an ISO 639-1 code ('km' for Khmer)",
                    quote(v)
                ),
            );
        }
    }
    if complete {
        match (pref.is_some(), name.is_some()) {
            (true, false) => sink.emit(
                &ID64_NAME_REQUIRED,
                at(ctx, &t),
                "the language template (64) has a preference (00) but no merchant name (01)",
            ),
            (false, true) => sink.emit(
                &ID64_PREFERENCE_REQUIRED,
                at(ctx, &t),
                "the language template (64) has a merchant name (01) but no language preference (00); the SDK throws internally",
            ),
            (false, false) if city.is_some() => sink.emit(
                &ID64_CITY_ONLY,
                at(ctx, &t),
                "the language template (64) holds only the city (02); EMVCo requires the preference (00) and the name (01)",
            ),
            _ => {}
        }
    }
    if let Some(c) = name {
        let len = c.object().declared_len;
        if len == 0 || len > 25 {
            sink.emit(
                &ID64_NAME_LENGTH,
                at(ctx, &c),
                format!(
                    "the alternate-language merchant name (64/01) is {}; it must be 1-25",
                    units(len)
                ),
            );
        }
    }
    if let Some(c) = city {
        let len = c.object().declared_len;
        if len == 0 || len > 15 {
            sink.emit(
                &ID64_CITY_LENGTH,
                at(ctx, &c),
                format!(
                    "the alternate-language merchant city (64/02) is {}; it must be 1-15",
                    units(len)
                ),
            );
        }
    }
}
