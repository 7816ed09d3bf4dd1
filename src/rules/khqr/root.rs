//! Root objects 00, 01, 15, 52, 53, 58, 59 and 60 (khqr.md sections 3.1, 3.6, 4).

use crate::rules::emvco::quote;
use crate::rules::finding::TagPath;
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;

    match p.root(0) {
        None => missing(
            ctx,
            sink,
            &ID00_REQUIRED,
            TagPath::tag(0),
            "the Payload Format Indicator (00) is missing",
        ),
        Some(o) => {
            if p.tlv().root().first().is_some_and(|f| f.id != 0) {
                sink.emit(
                    &ID00_FIRST,
                    at(ctx, &o),
                    format!(
                        "00 is at byte {}; it must be the first data object",
                        o.offset()
                    ),
                );
            }
            if o.value() != "01" {
                sink.emit(
                    &ID00_VALUE,
                    at(ctx, &o),
                    format!("00 is {}; it must be exactly '01'", quote(o.value())),
                );
            }
        }
    }

    match p.root(1) {
        None => missing(
            ctx,
            sink,
            &ID01_PRESENT,
            TagPath::tag(1),
            "the Point of Initiation Method (01) is missing; the KHQR generator always writes '11' (static) or '12' (dynamic)",
        ),
        Some(o) => match o.value() {
            "11" => {}
            "12" => {
                if !p.has(54) {
                    missing(
                        ctx,
                        sink,
                        &ID01_DYNAMIC_WITHOUT_AMOUNT,
                        TagPath::tag(1),
                        "01 is '12' (dynamic) but there is no amount (54)",
                    );
                }
            }
            v => sink.emit(
                &ID01_VALUE,
                at(ctx, &o),
                format!("01 is {}; use '11' (static) or '12' (dynamic)", quote(v)),
            ),
        },
    }

    if let Some(o) = p.root(15)
        && p.value(53) == Some("840")
    {
        sink.emit(
            &ID15_KHR_ONLY,
            at(ctx, &o),
            "a UnionPay account (15) on a US dollar code (53 = '840'); the SDK generator allows UnionPay with KHR only (code 44)",
        );
    }

    match p.root(52) {
        None => missing(
            ctx,
            sink,
            &ID52_REQUIRED,
            TagPath::tag(52),
            "the Merchant Category Code (52) is missing",
        ),
        Some(o) => {
            let v = o.value();
            if v.len() != 4 || !v.bytes().all(|b| b.is_ascii_digit()) {
                sink.emit(
                    &ID52_FORMAT,
                    at(ctx, &o),
                    format!("52 is {}; it must be exactly 4 digits", quote(v)),
                );
            }
        }
    }

    match p.root(53) {
        None => missing(
            ctx,
            sink,
            &ID53_REQUIRED,
            TagPath::tag(53),
            "the Transaction Currency (53) is missing",
        ),
        Some(o) => {
            if !matches!(o.value(), "116" | "840") {
                sink.emit(
                    &ID53_VALUE,
                    at(ctx, &o),
                    format!(
                        "53 is {}; KHQR supports '116' (KHR) and '840' (USD) only",
                        quote(o.value())
                    ),
                );
            }
        }
    }

    match p.root(58) {
        None => missing(
            ctx,
            sink,
            &ID58_REQUIRED,
            TagPath::tag(58),
            "the Country Code (58) is missing",
        ),
        Some(o) => {
            if o.value() != "KH" {
                sink.emit(
                    &ID58_VALUE,
                    at(ctx, &o),
                    format!("58 is {}; a KHQR code says 'KH'", quote(o.value())),
                );
            }
        }
    }

    text_field(
        ctx,
        sink,
        59,
        25,
        &ID59_REQUIRED,
        &ID59_LENGTH,
        "Merchant Name",
    );
    text_field(
        ctx,
        sink,
        60,
        15,
        &ID60_REQUIRED,
        &ID60_LENGTH,
        "Merchant City",
    );
    if let Some(o) = p.root(59)
        && o.object().declared_len == 25
    {
        sink.emit(
            &COMPAT_LEGACY_READERS,
            at(ctx, &o),
            "59 is 25 UTF-16 units: SDK 1.0.7 allows at most 24 (code 7)",
        );
    }
}

fn text_field(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    id: u8,
    max: u8,
    required: &'static Rule,
    length: &'static Rule,
    name: &'static str,
) {
    match ctx.payload.root(id) {
        None => {
            if ctx.complete {
                sink.emit(
                    required,
                    At::new(0, TagPath::tag(id)),
                    format!("the {name} ({id:02}) is missing"),
                );
            }
        }
        Some(o) => {
            let len = o.object().declared_len;
            if len == 0 {
                sink.emit(
                    required,
                    at(ctx, &o),
                    format!("the {name} ({id:02}) is empty"),
                );
            } else if len > max {
                sink.emit(
                    length,
                    at(ctx, &o),
                    format!("{id:02} ({name}) is {}; at most {max}", units(len)),
                );
            }
        }
    }
}
