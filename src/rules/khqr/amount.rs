//! The amount (54): strict grammar, per-currency decimals, and its ties to 01 and 99 (khqr.md
//! sections 3.6, 4, 5).

use crate::rules::emvco::amount::Amount;
use crate::rules::emvco::quote;
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let Some(o) = p.root(54) else {
        return;
    };
    let v = o.value();
    let len = o.object().declared_len;
    if len == 0 || len > 13 {
        sink.emit(
            &ID54_LENGTH,
            at(ctx, &o),
            format!("54 is {} long; an amount is 1-13 characters", units(len)),
        );
    }
    if matches!(p.value(1), None | Some("11")) {
        sink.emit(
            &ID54_NOT_DYNAMIC,
            at(ctx, &o),
            "an amount (54) on a code that is not dynamic (01 is '11' or missing): set 01 to '12' and add 99, or drop 54",
        );
    }
    if !p.has(99) && ctx.complete {
        sink.emit(
            &ID54_WITHOUT_TIMESTAMP,
            at(ctx, &o),
            "an amount (54) without the timestamp template (99) and its expiration",
        );
    }
    let currency = p.value(53);
    if currency == Some("116") && v.contains('.') {
        sink.emit(
            &ID54_KHR_DECIMALS,
            at(ctx, &o),
            format!(
                "54 is {} on a riel code (53 = '116'); KHR amounts are integers",
                quote(v)
            ),
        );
    }
    if v.is_empty() {
        return;
    }
    // KHQR's grammar is stricter than EMVCo's: digits, then optionally '.' and more digits.
    let strict = Amount::parse(v).filter(|a| !a.int.is_empty() && (!a.dot || !a.frac.is_empty()));
    let Some(a) = strict else {
        sink.emit(
            &ID54_FORMAT,
            at(ctx, &o),
            format!(
                "54 is {}; an amount is digits with an optional '.' and more digits (no sign, comma, exponent or second point)",
                quote(v)
            ),
        );
        return;
    };
    if a.is_zero() {
        sink.emit(
            &ID54_ZERO,
            at(ctx, &o),
            format!(
                "54 is {}, which is zero; a dynamic code carries an amount above zero",
                quote(v)
            ),
        );
    }
    if currency == Some("840") && a.decimals() >= 3 {
        sink.emit(
            &ID54_USD_DECIMALS,
            at(ctx, &o),
            format!(
                "54 is {} with {} decimals on a US dollar code; at most 2",
                quote(v),
                a.decimals()
            ),
        );
    }
    let non_canonical = if currency == Some("840") && a.decimals() == 1 {
        Some("one decimal; the generator writes 2 ('1.50')")
    } else if currency == Some("840") && a.decimals() == 2 && a.frac == "00" {
        Some("an integral amount with decimals; the generator writes it without ('100')")
    } else if a.leading_zero() {
        Some("leading zeros")
    } else {
        None
    };
    if let Some(why) = non_canonical {
        sink.emit(
            &ID54_NON_CANONICAL,
            at(ctx, &o),
            format!("54 is {}: {why}", quote(v)),
        );
    }
}
