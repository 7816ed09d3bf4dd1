//! Root data objects 00-61 and the RFU range 65-79 (Table 3.6, §4.7).

use crate::emv::charset;
use crate::emv::payload::Obj;
use crate::emv::tlv::IdSet;
use crate::rules::data::{iso3166, iso4217, mcc};
use crate::rules::finding::{At, TagPath};
use crate::rules::rule::Rule;
use crate::rules::validator::{Context, Sink};

use super::amount::Amount;
use super::guid;
use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let tlv = p.tlv();

    // 00 Payload Format Indicator
    match p.root(0) {
        None => missing(
            ctx,
            sink,
            &ID00_PRESENT,
            TagPath::tag(0),
            "Payload Format Indicator",
        ),
        Some(o) => {
            if tlv.root().first().is_some_and(|f| f.id != 0) {
                sink.emit(
                    &ID00_FIRST,
                    at(ctx, &o),
                    format!(
                        "00 is at byte {}; it must be the first data object",
                        o.offset()
                    ),
                );
            }
            exact_len(ctx, sink, &o, &ID00_LENGTH, 2);
            if o.value() != "01" {
                sink.emit(
                    &ID00_VALUE,
                    at(ctx, &o),
                    format!("00 is {}; the only defined value is '01'", quote(o.value())),
                );
            }
        }
    }

    // 01 Point of Initiation Method
    if let Some(o) = p.root(1) {
        exact_len(ctx, sink, &o, &ID01_LENGTH, 2);
        match o.value() {
            "11" => {
                if p.has(54) {
                    sink.emit(
                        &ID01_STATIC_WITH_AMOUNT,
                        at(ctx, &o),
                        "a static code (01 = '11') carries a transaction amount (54)",
                    );
                }
            }
            "12" => {}
            v => sink.emit(
                &ID01_VALUE,
                at(ctx, &o),
                format!("01 is {}; use '11' (static) or '12' (dynamic)", quote(v)),
            ),
        }
    }

    // The ID ranges 02-51 Merchant Account Information, 65-79 reserved for EMVCo, 80-99
    // unreserved templates. On a regular parse each ID occurs once, in order, so the IDs the
    // parser saw lead straight to the few objects in these ranges; otherwise every root object
    // is visited, repeats included.
    let mut any_mai = false;
    if tlv.is_irregular() {
        for o in p.roots().filter(|o| RANGED_IDS.contains(o.id())) {
            any_mai |= ranged_root(ctx, sink, &o);
        }
    } else {
        for id in tlv.root_ids().intersection(RANGED_IDS).iter() {
            if let Some(o) = p.root(id) {
                any_mai |= ranged_root(ctx, sink, &o);
            }
        }
    }
    if !any_mai {
        missing(
            ctx,
            sink,
            &MAI_PRESENT,
            TagPath::ROOT,
            "Merchant Account Information (any of 02-51)",
        );
    }

    // 52 Merchant Category Code
    match p.root(52) {
        None => missing(
            ctx,
            sink,
            &ID52_PRESENT,
            TagPath::tag(52),
            "Merchant Category Code",
        ),
        Some(o) => {
            let v = o.value();
            if v.len() != 4 || !charset::is_n(v) {
                sink.emit(
                    &ID52_FORMAT,
                    at(ctx, &o),
                    format!("52 is {}; it must be exactly 4 digits", quote(v)),
                );
            } else if !mcc::is_known(v) {
                sink.emit(
                    &ID52_ISO18245,
                    at(ctx, &o),
                    format!(
                        "52 is {}, not a known ISO 18245 merchant category code",
                        quote(v)
                    ),
                );
            }
        }
    }

    // 53 Transaction Currency
    match p.root(53) {
        None => missing(
            ctx,
            sink,
            &ID53_PRESENT,
            TagPath::tag(53),
            "Transaction Currency",
        ),
        Some(o) => {
            let v = o.value();
            if v.len() != 3 || !charset::is_n(v) {
                sink.emit(
                    &ID53_FORMAT,
                    at(ctx, &o),
                    format!(
                        "53 is {}; it must be an ISO 4217 numeric code of exactly 3 digits",
                        quote(v)
                    ),
                );
            } else if !iso4217::is_assigned(v) {
                sink.emit(
                    &ID53_ISO4217,
                    at(ctx, &o),
                    format!("53 is {}, not an assigned ISO 4217 numeric code", quote(v)),
                );
            }
        }
    }
    let exponent = p.value(53).and_then(iso4217::exponent);

    // 54 Transaction Amount
    if let Some(o) = p.root(54) {
        if o.object().declared_len > 13 {
            sink.emit(
                &ID54_LENGTH,
                at(ctx, &o),
                format!(
                    "54 is {} characters long; at most 13",
                    o.object().declared_len
                ),
            );
        }
        match Amount::parse(o.value()) {
            None => sink.emit(
                &ID54_FORMAT,
                at(ctx, &o),
                format!(
                    "54 is {}; an amount is digits with at most one '.', no sign, comma or space",
                    quote(o.value())
                ),
            ),
            Some(a) => {
                if a.is_zero() {
                    sink.emit(
                        &ID54_NONZERO,
                        at(ctx, &o),
                        format!(
                            "54 is {}, which is zero; omit 54 to let the consumer enter the amount",
                            quote(o.value())
                        ),
                    );
                }
                decimals(ctx, sink, &o, &a, exponent, &ID54_DECIMALS);
                if a.int.is_empty() {
                    sink.emit(
                        &ID54_LEADING_DOT,
                        at(ctx, &o),
                        format!("54 is {}: write a digit before the '.'", quote(o.value())),
                    );
                }
                if a.leading_zero() {
                    sink.emit(
                        &ID54_LEADING_ZERO,
                        at(ctx, &o),
                        format!("54 is {}: superfluous leading zeros", quote(o.value())),
                    );
                }
            }
        }
    }

    // 55 / 56 / 57 tip and convenience fee
    let v55 = p.value(55);
    if let Some(o) = p.root(55) {
        exact_len(ctx, sink, &o, &ID55_LENGTH, 2);
        if !matches!(o.value(), "01" | "02" | "03") {
            sink.emit(
                &ID55_VALUE,
                at(ctx, &o),
                format!(
                    "55 is {}; use '01' (prompt for tip), '02' (fixed fee in 56) or '03' (percentage in 57)",
                    quote(o.value())
                ),
            );
        }
    }
    match (v55, p.root(56)) {
        (Some("02"), None) => missing(
            ctx,
            sink,
            &ID56_REQUIRED,
            TagPath::tag(56),
            "Convenience Fee Fixed (required by 55 = '02')",
        ),
        (v, Some(o)) => {
            if v != Some("02") {
                sink.emit(
                    &ID56_FORBIDDEN,
                    at(ctx, &o),
                    "56 (fixed fee) is present but 55 is not '02'",
                );
            }
            let parsed = Amount::parse(o.value());
            let bad = o.object().declared_len > 13 || parsed.is_none_or(|a| a.is_zero());
            if bad {
                sink.emit(
                    &ID56_FORMAT,
                    at(ctx, &o),
                    format!(
                        "56 is {}; a fee is 1-13 characters of digits with at most one '.', and not zero",
                        quote(o.value())
                    ),
                );
            }
            if let Some(a) = parsed {
                decimals(ctx, sink, &o, &a, exponent, &ID56_DECIMALS);
            }
        }
        _ => {}
    }
    match (v55, p.root(57)) {
        (Some("03"), None) => missing(
            ctx,
            sink,
            &ID57_REQUIRED,
            TagPath::tag(57),
            "Convenience Fee Percentage (required by 55 = '03')",
        ),
        (v, Some(o)) => {
            if v != Some("03") {
                sink.emit(
                    &ID57_FORBIDDEN,
                    at(ctx, &o),
                    "57 (percentage fee) is present but 55 is not '03'",
                );
            }
            match Amount::parse(o.value()) {
                Some(a) if o.object().declared_len <= 5 => {
                    // hundredths() rounds digits beyond 0.01 up (so 99.991 is above 99.99);
                    // a value such as 0.001 must still count as below 0.01.
                    let below = a.int.bytes().all(|b| b == b'0')
                        && a.frac.len() > 2
                        && a.frac.starts_with("00");
                    if below || !a.hundredths().is_some_and(|h| (1..=9999).contains(&h)) {
                        sink.emit(
                            &ID57_RANGE,
                            at(ctx, &o),
                            format!("57 is {}; a percentage is 0.01 to 99.99", quote(o.value())),
                        );
                    }
                }
                _ => sink.emit(
                    &ID57_FORMAT,
                    at(ctx, &o),
                    format!(
                        "57 is {}; a percentage is at most 5 characters of digits with at most one '.', without '%'",
                        quote(o.value())
                    ),
                ),
            }
        }
        _ => {}
    }

    // 58 Country Code
    match p.root(58) {
        None => missing(ctx, sink, &ID58_PRESENT, TagPath::tag(58), "Country Code"),
        Some(o) => {
            let v = o.value();
            if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
                sink.emit(
                    &ID58_FORMAT,
                    at(ctx, &o),
                    format!(
                        "58 is {}; it must be an ISO 3166-1 alpha-2 code (2 letters)",
                        quote(v)
                    ),
                );
            } else if !iso3166::is_assigned(v) {
                sink.emit(
                    &ID58_ISO3166,
                    at(ctx, &o),
                    format!(
                        "58 is {}, not an assigned upper-case ISO 3166-1 alpha-2 code",
                        quote(v)
                    ),
                );
            }
        }
    }

    // 59 Merchant Name, 60 Merchant City, 61 Postal Code
    text_field(
        ctx,
        sink,
        59,
        "Merchant Name",
        Some(&ID59_PRESENT),
        25,
        &ID59_LENGTH,
        &ID59_CHARSET,
    );
    if let Some(o) = p.root(59)
        && (o.value().starts_with(' ') || o.value().ends_with(' '))
    {
        sink.emit(
            &ID59_WHITESPACE,
            at(ctx, &o),
            format!("59 is {}: leading or trailing spaces", quote(o.value())),
        );
    }
    text_field(
        ctx,
        sink,
        60,
        "Merchant City",
        Some(&ID60_PRESENT),
        15,
        &ID60_LENGTH,
        &ID60_CHARSET,
    );
    text_field(
        ctx,
        sink,
        61,
        "Postal Code",
        None,
        10,
        &ID61_LENGTH,
        &ID61_CHARSET,
    );

    // Lengths over 99, written with three digits.
    if let Some((off, id, n)) = ctx.diagnosis.three_digit {
        let rule = match id {
            2..=51 => Some(&MAI_LENGTH),
            62 => Some(&ID62_LENGTH),
            64 => Some(&ID64_LENGTH),
            80..=99 => Some(&UNRES_LENGTH),
            _ => None,
        };
        if let Some(rule) = rule {
            sink.emit(
                rule,
                At::new(off, TagPath::tag(id)),
                format!(
                    "data object {id:02} holds {n} characters, written with a three-digit length; a value holds at most 99"
                ),
            );
        }
    }
}

/// Reports a missing object, but only when the root parsed completely: after a structural error
/// the objects that follow are unknown, and "missing" would be a guess.
/// The root IDs [`ranged_root`] judges.
const RANGED_IDS: IdSet = IdSet::range(2, 51).union(IdSet::range(65, 99));

/// Checks one root object of the ranges 02-51, 65-79 and 80-99; returns whether it is a
/// merchant account information object.
fn ranged_root(ctx: &Context<'_>, sink: &mut Sink<'_>, o: &Obj<'_>) -> bool {
    let id = o.id();
    match id {
        2..=51 => {
            if matches!(id, 6..=8 | 17..=25) {
                sink.emit(
                    &MAI_RESERVED_EMVCO,
                    at(ctx, o),
                    format!("merchant account information uses ID {id:02}, reserved for EMVCo"),
                );
            }
            if let Some((off, c)) = o.first_non_ans() {
                sink.emit(
                    &MAI_CHARSET,
                    at_value(ctx, o, off),
                    format!(
                        "merchant account information {id:02} must be printable ASCII (ans), template content included; it has {}",
                        charset::show(c)
                    ),
                );
            }
            if o.is_template() {
                check_guid(ctx, sink, o, GuidRules::MAI);
            }
            true
        }
        65..=79 => {
            sink.emit(
                &RFU_ROOT,
                at(ctx, o),
                format!("root ID {id:02} is reserved for EMVCo; generators must not emit it"),
            );
            false
        }
        80..=99 => {
            if o.is_template() {
                check_guid(ctx, sink, o, GuidRules::UNRES);
            }
            false
        }
        _ => false,
    }
}

pub(super) fn missing(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    rule: &'static Rule,
    path: TagPath,
    name: &str,
) {
    if ctx.complete {
        sink.emit(rule, At::new(0, path), format!("{name} is missing"));
    }
}

#[inline]
fn exact_len(ctx: &Context<'_>, sink: &mut Sink<'_>, o: &Obj<'_>, rule: &'static Rule, n: u8) {
    let len = o.object().declared_len;
    if len != n {
        sink.emit(
            rule,
            At::new(o.offset() + 2, path_of(ctx.payload.tlv(), o.index())),
            format!("{:02} declares length {len:02}; it must be {n:02}", o.id()),
        );
    }
}

#[inline]
fn decimals(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    o: &Obj<'_>,
    a: &Amount<'_>,
    exponent: Option<u8>,
    rule: &'static Rule,
) {
    if let Some(e) = exponent
        && a.decimals() > 0
        && a.decimals() != usize::from(e)
    {
        sink.emit(
            rule,
            at(ctx, o),
            format!(
                "{:02} is {} with {} decimal(s); the currency {} has {e}",
                o.id(),
                quote(o.value()),
                a.decimals(),
                ctx.payload.value(53).unwrap_or("?")
            ),
        );
    }
}

#[allow(clippy::too_many_arguments)]
#[inline]
fn text_field(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    id: u8,
    name: &str,
    present: Option<&'static Rule>,
    max: u8,
    length: &'static Rule,
    charset_rule: &'static Rule,
) {
    match ctx.payload.root(id) {
        None => {
            if let Some(rule) = present {
                missing(ctx, sink, rule, TagPath::tag(id), name);
            }
        }
        Some(o) => {
            let len = o.object().declared_len;
            if len > max {
                sink.emit(
                    length,
                    at(ctx, &o),
                    format!(
                        "{id:02} ({name}) is {len} {} long; at most {max}",
                        ctx.spec.unit.describe()
                    ),
                );
            }
            if let Some((off, c)) = o.first_non_ans() {
                // Lazy: KHQR relaxes the 59 and 60 character sets.
                sink.emit_lazy(charset_rule, at_value(ctx, &o, off), || {
                    format!(
                        "{id:02} ({name}) must be printable ASCII (ans) but has {}",
                        charset::show(c)
                    )
                });
            }
        }
    }
}

/// The GUID rules of one template family.
pub(super) struct GuidRules {
    pub present: &'static Rule,
    pub length: &'static Rule,
    pub format: Option<&'static Rule>,
    pub name: &'static str,
}

impl GuidRules {
    pub(super) const MAI: GuidRules = GuidRules {
        present: &MAI_GUID_PRESENT,
        length: &MAI_GUID_LENGTH,
        format: Some(&MAI_GUID_FORMAT),
        name: "merchant account information template",
    };
    pub(super) const UNRES: GuidRules = GuidRules {
        present: &UNRES_GUID_PRESENT,
        length: &UNRES_GUID_LENGTH,
        format: Some(&UNRES_GUID_FORMAT),
        name: "unreserved template",
    };
    pub(super) const PSS: GuidRules = GuidRules {
        present: &ID62_PSS_GUID_PRESENT,
        length: &ID62_PSS_GUID_LENGTH,
        format: None,
        name: "payment-system specific template",
    };
}

/// Checks sub-ID 00 (the GUID) of a template.
pub(super) fn check_guid(ctx: &Context<'_>, sink: &mut Sink<'_>, t: &Obj<'_>, rules: GuidRules) {
    let tlv = ctx.payload.tlv();
    match t.child(0) {
        None => {
            if template_complete(tlv, t.index()) {
                sink.emit(
                    rules.present,
                    at(ctx, t),
                    format!(
                        "{} {} has no GUID (sub-ID 00)",
                        rules.name,
                        path_of(tlv, t.index())
                    ),
                );
            }
        }
        Some(g) => {
            let v = g.value();
            let len = g.object().declared_len;
            let non_ans = g.first_non_ans();
            if len == 0 || len > 32 || non_ans.is_some() {
                sink.emit(
                    rules.length,
                    at(ctx, &g),
                    format!(
                        "GUID {} of {} is {len} characters{}; it must be 1-32 printable ASCII characters",
                        quote(v),
                        path_of(tlv, t.index()),
                        non_ans.map_or(String::new(), |(_, c)| format!(" with {}", charset::show(c)))
                    ),
                );
            } else if let Some(rule) = rules.format
                && guid::form(v).is_none()
            {
                // Lazy: KHQR relaxes this rule for its account IDs and timestamps.
                sink.emit_lazy(rule, at(ctx, &g), || {
                    format!(
                        "GUID {} of {} is neither an AID (10-32 hex digits), a UUID nor a reverse domain name",
                        quote(v),
                        path_of(tlv, t.index())
                    )
                });
            }
        }
    }
}
