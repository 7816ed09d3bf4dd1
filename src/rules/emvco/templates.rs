//! Templates 62 (Additional Data), 64 (Language) and 80-99 (Unreserved) (Tables 3.7, 3.8, 4.3-4.5).

use crate::emv::charset;
use crate::rules::data::iso639;
use crate::rules::finding::TagPath;
use crate::rules::validator::{Context, EmvVersion, Sink};

use super::root::{GuidRules, check_guid, missing};
use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let tlv = p.tlv();
    let v11 = ctx.options.emv_version == EmvVersion::V1_1;

    if let Some(t) = p.root(62).filter(|t| t.is_template()) {
        let complete = template_complete(tlv, t.index());
        if complete && t.children().next().is_none() {
            sink.emit(
                &ID62_NOT_EMPTY,
                at(ctx, &t),
                "62 holds no data object; omit it instead",
            );
        }
        for c in t.children() {
            let id = c.id();
            let v = c.value();
            let len = c.object().declared_len;
            if (1..=8).contains(&id) {
                if len > 25 {
                    sink.emit(
                        &ID62_SUB_LENGTH,
                        at(ctx, &c),
                        format!("62/{id:02} is {len} characters long; at most 25"),
                    );
                }
                if v == "***" {
                    let message = sink.compose(&[
                        "62/",
                        two_digit(id),
                        " is '***': the app must ask the consumer for it",
                    ]);
                    sink.emit(&ID62_PROMPT_VALUE, at(ctx, &c), message);
                }
            }
            let ans_field = if v11 { 1..=11 } else { 1..=9 };
            if ans_field.contains(&id)
                && let Some((off, ch)) = c.first_non_ans()
            {
                sink.emit(
                    &ID62_SUB_CHARSET,
                    at_value(ctx, &c, off),
                    format!(
                        "62/{id:02} must be printable ASCII (ans) but has {}",
                        charset::show(ch)
                    ),
                );
            }
            if id == 9 && !consumer_data_request_ok(v) {
                sink.emit(
                    &ID62_09_VALUE,
                    at(ctx, &c),
                    format!(
                        "62/09 is {}; it must be 1-3 of 'A' (address), 'M' (mobile), 'E' (e-mail), each at most once",
                        quote(v)
                    ),
                );
            }
            if v11 && id == 10 && (len > 20 || c.first_non_ans().is_some()) {
                sink.emit(
                    &ID62_10_LENGTH,
                    at(ctx, &c),
                    format!(
                        "62/10 (Merchant Tax ID) is {}; at most 20 printable ASCII characters",
                        quote(v)
                    ),
                );
            }
            if v11 && id == 11 {
                if len != 3 {
                    sink.emit(
                        &ID62_11_FORMAT,
                        at(ctx, &c),
                        format!(
                            "62/11 (Merchant Channel) is {}; it must be exactly 3 characters",
                            quote(v)
                        ),
                    );
                } else if !merchant_channel_ok(v) {
                    sink.emit(
                        &ID62_11_VALUES,
                        at(ctx, &c),
                        format!(
                            "62/11 (Merchant Channel) is {}; positions are media 0-7, location 0-3, presence 0-3",
                            quote(v)
                        ),
                    );
                }
            }
            let rfu = if v11 { 12..=49 } else { 10..=49 };
            if rfu.contains(&id) {
                sink.emit(
                    &ID62_RFU_SUBID,
                    at(ctx, &c),
                    format!("62/{id:02} is reserved for EMVCo"),
                );
            }
            if (50..=99).contains(&id) && c.is_template() {
                check_guid(ctx, sink, &c, GuidRules::PSS);
            }
        }
    }

    if let Some(t) = p.root(64).filter(|t| t.is_template()) {
        let path = |sub| TagPath::sub(64, sub);
        match t.child(0) {
            None => {
                if template_complete(tlv, t.index()) {
                    missing(
                        ctx,
                        sink,
                        &ID64_00_PRESENT,
                        path(0),
                        "Language Preference (64/00)",
                    );
                }
            }
            Some(c) => {
                let v = c.value();
                if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
                    sink.emit(
                        &ID64_00_FORMAT,
                        at(ctx, &c),
                        format!("64/00 is {}; it must be 2 letters (ISO 639-1)", quote(v)),
                    );
                } else if !iso639::is_code(v) {
                    sink.emit(
                        &ID64_00_ISO639,
                        at(ctx, &c),
                        format!("64/00 is {}, not an ISO 639-1 language code", quote(v)),
                    );
                }
            }
        }
        match t.child(1) {
            None => {
                if template_complete(tlv, t.index()) {
                    missing(
                        ctx,
                        sink,
                        &ID64_01_PRESENT,
                        path(1),
                        "Merchant Name - Alternate Language (64/01)",
                    );
                }
            }
            Some(c) => {
                let len = c.object().declared_len;
                if len > 25 {
                    sink.emit(
                        &ID64_01_LENGTH,
                        at(ctx, &c),
                        format!(
                            "64/01 is {len} {} long; at most 25",
                            ctx.spec.unit.describe()
                        ),
                    );
                }
            }
        }
        if let Some(c) = t.child(2) {
            let len = c.object().declared_len;
            if len > 15 {
                sink.emit(
                    &ID64_02_LENGTH,
                    at(ctx, &c),
                    format!(
                        "64/02 is {len} {} long; at most 15",
                        ctx.spec.unit.describe()
                    ),
                );
            }
        }
        for c in t.children().filter(|c| c.id() >= 3) {
            sink.emit(
                &ID64_RFU_SUBID,
                at(ctx, &c),
                format!("64/{:02} is reserved for EMVCo", c.id()),
            );
        }
    }
}

/// 62/09: any combination of `A`, `M`, `E`, each at most once.
fn consumer_data_request_ok(v: &str) -> bool {
    let mut seen = [false; 3];
    for b in v.bytes() {
        let i = match b {
            b'A' => 0,
            b'M' => 1,
            b'E' => 2,
            _ => return false,
        };
        if seen[i] {
            return false;
        }
        seen[i] = true;
    }
    (1..=3).contains(&v.len())
}

/// 62/11: media 0-7, transaction location 0-3, merchant presence 0-3.
fn merchant_channel_ok(v: &str) -> bool {
    matches!(v.as_bytes(), [b'0'..=b'7', b'0'..=b'3', b'0'..=b'3'])
}
