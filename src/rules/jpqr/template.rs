//! The JPQR merchant-account template ("JPQR ID", 統一店舗識別コード): GUID and the four
//! management levels (jpqr.md section 3), and the selector finding JPQR.PROFILE.MPM.

use crate::emv::Payload;
use crate::emv::payload::Obj;
use crate::rules::emvco::{at, quote, template_complete};
use crate::rules::finding::{At, TagPath};
use crate::rules::validator::{Context, Sink};

use super::*;

/// The JPQR templates of a payload: merchant-account templates (26-51) whose GUID is
/// `jp.or.paymentsjapan` in any case, so that a wrong-case GUID is still judged as JPQR.
pub(super) fn jpqr_templates<'a>(p: &Payload<'a>) -> impl Iterator<Item = Obj<'a>> + 'a {
    p.roots().filter(|o| {
        (26..=51).contains(&o.id())
            && o.is_template()
            && o.child_value(0)
                .is_some_and(|g| g.eq_ignore_ascii_case(GUID))
    })
}

/// Management levels: sub-tag, required length, rule.
const LEVELS: [(u8, u8, &crate::rules::Rule); 4] = [
    (1, 13, &ID26_01_LENGTH_13),
    (2, 4, &ID26_02_LENGTH_4),
    (3, 6, &ID26_03_LENGTH_6),
    (4, 6, &ID26_04_LENGTH_6),
];

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let mut found = 0;
    for t in jpqr_templates(p) {
        found += 1;
        if found == 1
            && ctx
                .options
                .profile
                .is_none_or(|p| p.spec().kind == crate::rules::profile::Kind::Overlay)
        {
            // Every auto-detected JPQR code reports this, so the usual case costs no allocation.
            let message: std::borrow::Cow<'static, str> = if t.id() == 26 {
                "detected as JPQR MPM: template 26 carries the JPQR GUID".into()
            } else {
                format!(
                    "detected as JPQR MPM: template {:02} carries the JPQR GUID",
                    t.id()
                )
                .into()
            };
            sink.emit(&PROFILE_MPM, at(ctx, &t), message);
        }
        if found == 2 {
            sink.emit(
                &ID26_ID_SINGLE,
                at(ctx, &t),
                format!(
                    "template {:02} is a second JPQR template; a code carries one unified store ID",
                    t.id()
                ),
            );
        }
        if t.id() != 26 {
            sink.emit(
                &ID26_ID_IN_TAG_26,
                at(ctx, &t),
                format!(
                    "the JPQR template is in {:02}; every JPQR code seen uses 26 (readers such as JPQRReader look only there)",
                    t.id()
                ),
            );
        }
        template(ctx, sink, &t);
    }
    if found == 0 && ctx.complete {
        sink.emit(
            &ID26_ID_PRESENT,
            At::new(0, TagPath::tag(26)),
            "no merchant-account template (26-51) carries the JPQR GUID 'jp.or.paymentsjapan'",
        );
    }
}

fn template(ctx: &Context<'_>, sink: &mut Sink<'_>, t: &Obj<'_>) {
    let id = t.id();
    if let Some(g) = t.child(0)
        && g.value() != GUID
    {
        sink.emit(
            &ID26_00_GUID,
            at(ctx, &g),
            format!(
                "the JPQR GUID ({id:02}/00) is {}; it must be exactly 'jp.or.paymentsjapan' (lower case)",
                quote(g.value())
            ),
        );
    }
    let complete = template_complete(ctx.payload.tlv(), t.index());
    for (sub, want, rule) in LEVELS {
        match t.child(sub) {
            None => {
                if complete {
                    sink.emit(
                        &ID26_LEVELS_PRESENT,
                        at(ctx, t),
                        format!("management level {sub} ({id:02}/{sub:02}) is missing"),
                    );
                }
            }
            Some(c) => {
                let len = c.object().declared_len;
                if len != want {
                    sink.emit(
                        rule,
                        at(ctx, &c),
                        format!(
                            "management level {sub} ({id:02}/{sub:02}) is {len} characters; it must be {want}"
                        ),
                    );
                }
                if !c.value().bytes().all(|b| b.is_ascii_digit()) {
                    sink.emit(
                        &ID26_LEVELS_NUMERIC,
                        at(ctx, &c),
                        format!(
                            "management level {sub} ({id:02}/{sub:02}) is {}; every level seen is digits only",
                            quote(c.value())
                        ),
                    );
                }
            }
        }
    }
    for c in t.children().filter(|c| c.id() > 4) {
        sink.emit(
            &ID26_NO_EXTRA_SUBTAGS,
            at(ctx, &c),
            format!(
                "{id:02}/{:02} is outside the JPQR template's sub-tags 00-04",
                c.id()
            ),
        );
    }
}
