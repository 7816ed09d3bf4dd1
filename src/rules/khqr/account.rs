//! The Bakong account templates 29 (individual) and 30 (merchant) (khqr.md section 3.2).

use crate::emv::payload::Obj;
use crate::rules::emvco::{quote, template_complete};
use crate::rules::finding::TagPath;
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let t29 = p.root(29);
    let t30 = p.root(30);
    match (t29, t30) {
        (None, None) => missing(
            ctx,
            sink,
            &MAI_REQUIRED,
            TagPath::ROOT,
            "neither account template 29 (individual) nor 30 (merchant) is present; a KHQR code carries its Bakong account in one of them",
        ),
        (Some(_), Some(b)) => sink.emit(
            &MAI_BOTH,
            at(ctx, &b),
            "both account templates 29 and 30 are present; a KHQR code carries one",
        ),
        _ => {}
    }
    for t in [t29, t30].into_iter().flatten() {
        if t.is_template() {
            template(ctx, sink, &t);
        }
    }
}

fn template(ctx: &Context<'_>, sink: &mut Sink<'_>, t: &Obj<'_>) {
    let id = t.id();
    let complete = template_complete(ctx.payload.tlv(), t.index());
    match t.child(0) {
        None => {
            if complete {
                sink.emit(
                    &MAI_ACCOUNT_ID_REQUIRED,
                    at(ctx, t),
                    format!("template {id:02} has no Bakong account ID (00)"),
                );
            }
        }
        Some(c) => {
            let v = c.value();
            let len = c.object().declared_len;
            if v.is_empty() {
                sink.emit(
                    &MAI_ACCOUNT_ID_REQUIRED,
                    at(ctx, &c),
                    format!("the Bakong account ID ({id:02}/00) is empty"),
                );
            } else {
                if len > 32 {
                    sink.emit(
                        &MAI_ACCOUNT_ID_LENGTH,
                        at(ctx, &c),
                        format!(
                            "the Bakong account ID ({id:02}/00) is {}; at most 32",
                            units(len)
                        ),
                    );
                }
                if !is_bakong_id(v) {
                    sink.emit(
                        &MAI_ACCOUNT_ID_FORMAT,
                        at(ctx, &c),
                        format!(
                            "the Bakong account ID ({id:02}/00) is {}; it must be 'name@bank': one '@' with text on both sides",
                            quote(v)
                        ),
                    );
                }
            }
        }
    }
    if let Some(c) = t.child(1) {
        let len = c.object().declared_len;
        if len > 32 {
            let rule = if id == 29 {
                &ID29_ACCOUNT_INFO_LENGTH
            } else {
                &ID30_MERCHANT_ID_LENGTH
            };
            sink.emit(
                rule,
                at(ctx, &c),
                format!("{id:02}/01 is {}; at most 32", units(len)),
            );
        }
    } else if id == 30 && complete {
        sink.emit(
            &ID30_MERCHANT_ID_REQUIRED,
            at(ctx, t),
            "the merchant account template (30) has no merchant ID (01)",
        );
    }
    if let Some(c) = t.child(2) {
        let len = c.object().declared_len;
        if len > 32 {
            sink.emit(
                &MAI_ACQUIRING_BANK_LENGTH,
                at(ctx, &c),
                format!(
                    "the acquiring bank ({id:02}/02) is {}; at most 32",
                    units(len)
                ),
            );
        }
    } else if id == 30 && complete {
        sink.emit(
            &ID30_ACQUIRING_BANK_REQUIRED,
            at(ctx, t),
            "the merchant account template (30) has no acquiring bank (02)",
        );
    }
}

/// `name@bank`: exactly one `@`, with text on both sides.
pub fn is_bakong_id(v: &str) -> bool {
    match v.split_once('@') {
        Some((name, bank)) => !name.is_empty() && !bank.is_empty() && !bank.contains('@'),
        None => false,
    }
}
