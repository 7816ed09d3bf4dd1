//! The VNQR payload checks (vietqr.md sections 1-6).

use crate::emv::charset;
use crate::emv::units::LengthUnit;
use crate::emv::{ParseOptions, Tlv};
use crate::rules::emvco::{self, at, at_value, quote, template_complete};
use crate::rules::finding::{At, TagPath};
use crate::rules::validator::{Context, Sink};

use super::*;

/// The CRC and TLV structure, restating the EMVCo findings with the library's behaviour, and
/// the length unit of Vietnamese text.
pub(super) fn structure(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    use emvco::*;
    sink.restate(
        &[&ID63_CRC_MISMATCH],
        &CRC_MISMATCH,
        "the CRC is not the CRC-16/CCITT-FALSE of the UTF-8 bytes through '6304' (isValid is false)",
    );
    sink.restate(
        &[&ID63_UPPERCASE],
        &CRC_LOWERCASE,
        "the CRC is lower-case hex: vietnam-qr-pay compares case-insensitively, other readers refuse it",
    );
    sink.restate(
        &[&TLV_LENGTH_OVERRUN, &TLV_TRUNCATED_HEADER],
        &TLV_LENGTH_MISMATCH,
        "a length overruns its value, or the objects do not end exactly at the CRC",
    );
    sink.restate(
        &[&TLV_LENGTH_NUMERIC],
        &TLV_LENGTH_FORMAT,
        "a length is not two ASCII digits (vietnam-qr-pay reads '+2', ' 2' and '2 ' as 2)",
    );
    sink.restate(
        &[&TLV_DUPLICATE_ID, &TLV_DUPLICATE_SUBID],
        &TLV_DUPLICATE_TAG,
        "a tag occurs twice: vietnam-qr-pay pays the last copy, other readers the first",
    );
    sink.restate(&[&TLV_LENGTH_ZERO], &TLV_ZERO_LENGTH, "a data object has length 00");
    if let Some((LengthUnit::Bytes, off)) = ctx.diagnosis.unit_mismatch {
        sink.emit(
            &TEXT_LENGTH_UNIT,
            At::offset(off),
            "the lengths count UTF-8 bytes: the payload parses cleanly only that way; VietQR counts characters, and a byte-counting reader swallows the CRC into 62/08",
        );
    }
    let text = ctx.text();
    let b = text.as_bytes();
    let n = b.len();
    let short_63 = ctx.payload.root(63).is_some_and(|o| {
        (1..=3).contains(&o.value().len()) && o.value().bytes().all(|b| b.is_ascii_hexdigit())
    });
    let cut_6304 = n >= 7
        && b[n - 7..n - 3] == *b"6304"
        && b[n - 3..].iter().all(u8::is_ascii_hexdigit)
        && ctx.payload.root(63).is_none_or(|o| o.value().len() != 4);
    if short_63 || cut_6304 {
        sink.emit(
            &CRC_UNPADDED,
            At::new(n.saturating_sub(3), TagPath::tag(63)),
            "the CRC has fewer than 4 hex digits: a generator dropped its leading zeros",
        );
    }
    if let Some(second) = ctx.payload.roots().filter(|o| o.id() == 63).nth(1) {
        sink.emit(
            &CRC_EXTRA_OBJECT,
            at(ctx, &second),
            "a second CRC object (63) follows the first",
        );
    }
    if !ctx.printable && text.bytes().any(|b| b >= 0xF0) {
        let tlv = ctx.payload.tlv();
        if let Some((i, off)) = tlv
            .objects()
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.is_template)
            .find_map(|(i, o)| charset::first_non_bmp(o.value(text)).map(|(off, _)| (i, off)))
        {
            let o = tlv.objects()[i];
            let path = emvco::path_of(tlv, i);
            sink.emit(
                &TEXT_NON_BMP,
                At::new(o.value_start() as usize + off, path),
                format!(
                    "{path} holds a character above U+FFFF: code-point readers count it 1, UTF-16 readers (vietnam-qr-pay) 2"
                ),
            );
        }
    }
}

/// The NAPAS template 38 and the service rules.
pub(super) fn napas(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let Some(t) = napas_templates(p).next() else {
        if let Some(o) = p
            .root(26)
            .filter(|o| o.child_value(0) == Some(VNPAY_GUID))
        {
            sink.emit(
                &PROFILE_VNPAY,
                at(ctx, &o),
                "26 carries the VNPAY-QR AID A000000775: another domestic scheme, judged by the EMVCo rules only",
            );
        } else if ctx.complete {
            sink.emit(
                &MAI_REQUIRED,
                At::offset(0),
                "no merchant-account template carries the NAPAS GUID A000000727",
            );
        }
        return;
    };
    if ctx
        .options
        .profile
        .is_none_or(|p| p.spec().kind == Kind::Overlay)
    {
        sink.emit(
            &PROFILE_DETECT,
            at(ctx, &t),
            format!(
                "template {:02} carries the NAPAS GUID: judged as VietQR",
                t.id()
            ),
        );
    }
    if t.id() != 38 {
        sink.emit(
            &MAI_TAG_38,
            at(ctx, &t),
            format!("the NAPAS template is in {:02}; every generator uses 38", t.id()),
        );
    }
    if t.child_value(0) != Some(GUID) {
        sink.emit(
            &ID38_GUID,
            at(ctx, &t),
            format!(
                "{:02}/00 is {}; the NAPAS GUID is exactly 'A000000727'",
                t.id(),
                quote(t.child_value(0).unwrap_or(""))
            ),
        );
    }
    let complete = template_complete(p.tlv(), t.index());
    for c in t.children().filter(|c| c.id() > 2) {
        sink.emit(
            &ID38_UNKNOWN_SUBTAG,
            at(ctx, &c),
            format!("{:02}/{:02} is not a VietQR field (00-02)", t.id(), c.id()),
        );
    }
    let service = t.child_value(2);
    let account = match t.child(1) {
        None => {
            if complete {
                sink.emit(
                    &ID38_01_REQUIRED,
                    at(ctx, &t),
                    "the beneficiary organisation (38/01: BIN and account) is missing",
                );
            }
            None
        }
        Some(o) => beneficiary(ctx, sink, &o),
    };
    match t.child(2) {
        None if complete => sink.emit(
            &ID38_02_ABSENT,
            at(ctx, &t),
            "no service code (38/02): readers disagree on what the code is for",
        ),
        None => {}
        Some(c) => {
            let v = c.value();
            if v.chars().count() > 10 {
                sink.emit(
                    &ID38_02_LENGTH,
                    at(ctx, &c),
                    format!("38/02 is {}; a service code has at most 10 characters", quote(v)),
                );
            }
            if !SERVICES.contains(&v) {
                sink.emit(
                    &ID38_02_KNOWN,
                    at(ctx, &c),
                    format!(
                        "38/02 is {}; the service codes are QRIBFTTA, QRIBFTTC, QRPUSH and QRCASH",
                        quote(v)
                    ),
                );
            }
        }
    }
    if service == Some("QRIBFTTC")
        && let Some(a) = account
        && !(16..=19).contains(&a.len())
    {
        sink.emit(
            &IBFTTC_CARD_FORMAT,
            At::new(0, TagPath::sub(38, 1)),
            format!(
                "a card transfer (QRIBFTTC) to {}: a domestic card number has 16-19 digits",
                quote(a)
            ),
        );
    }
    if matches!(service, None | Some("QRPUSH" | "QRCASH")) && ctx.complete {
        let missing: Vec<String> = [52u8, 59, 60]
            .into_iter()
            .filter(|id| !p.has(*id))
            .map(|id| format!("{id}"))
            .collect();
        if !missing.is_empty() {
            sink.emit(
                &QRPUSH_MERCHANT_FIELDS,
                at(ctx, &t),
                format!(
                    "a {} code without {}: merchant payment and ATM codes carry 52, 59 and 60",
                    service.unwrap_or("merchant (no 38/02)"),
                    missing.join(", ")
                ),
            );
        }
    }
    if service == Some("QRCASH") {
        if p.value(1) != Some("12") {
            sink.emit(
                &QRCASH_DYNAMIC,
                at(ctx, &t),
                "an ATM withdrawal code (QRCASH) is not dynamic (01 is not '12')",
            );
        }
        let extra = p.root(62);
        if extra.and_then(|e| e.child(5)).is_none() || extra.and_then(|e| e.child(7)).is_none() {
            sink.emit(
                &QRCASH_REFERENCES,
                At::new(0, TagPath::tag(62)),
                "an ATM withdrawal code (QRCASH) carries its reference (62/05) and terminal (62/07)",
            );
        }
    }
}

/// 38/01: a template two levels deep, parsed here from its text. Returns the account.
fn beneficiary<'a>(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    o: &crate::emv::payload::Obj<'a>,
) -> Option<&'a str> {
    let v = o.value();
    let tlv = Tlv::parse(
        v,
        &ParseOptions {
            unit: ctx.spec.unit,
            templates: TemplateSet::NONE,
        },
    );
    let inner = crate::emv::payload::Payload::new(v, &tlv);
    let first_is_bin = tlv.root().first().is_some_and(|f| f.id == 0);
    if !tlv.errors().is_empty() {
        if first_is_bin {
            sink.emit(
                &ID38_SUB_LENGTH,
                at_value(ctx, o, tlv.errors()[0].offset as usize),
                format!(
                    "a length inside 38/01 ({}) overruns or leaves characters over: a reader takes a truncated account",
                    quote(v)
                ),
            );
        } else {
            sink.emit(
                &ID38_01_TEMPLATE,
                at(ctx, o),
                format!(
                    "38/01 is {}: not a template holding 00 (BIN) and 01 (account)",
                    quote(v)
                ),
            );
        }
        return None;
    }
    let Some(bin) = inner.root(0) else {
        sink.emit(
            &ID38_01_TEMPLATE,
            at(ctx, o),
            "38/01 has no BIN (00): it must hold 00 (BIN) and 01 (account)",
        );
        return None;
    };
    let path = TagPath::sub(38, 1).child(0);
    let off = |x: &crate::emv::payload::Obj<'_>| o.value_offset() + x.offset();
    let bv = bin.value();
    if !(bv.len() == 6 && bv.bytes().all(|b| b.is_ascii_digit())) {
        sink.emit(
            &ID38_01_00_FORMAT,
            At::new(off(&bin), path),
            format!("the BIN (38/01/00) is {}; a BIN is 6 digits", quote(bv)),
        );
    } else if !BINS.contains(&bv) {
        sink.emit(
            &ID38_01_00_KNOWN,
            At::new(off(&bin), path),
            format!(
                "the BIN {} is not in qrcert's bank table (vietnam-qr-pay 1.5.1's BINs)",
                quote(bv)
            ),
        );
    }
    for x in inner.roots().filter(|x| x.id() > 1) {
        sink.emit(
            &ID38_UNKNOWN_SUBTAG,
            At::new(off(&x), TagPath::sub(38, 1).child(x.id())),
            format!("38/01/{:02} is not a VietQR field (00-01)", x.id()),
        );
    }
    let path = TagPath::sub(38, 1).child(1);
    match inner.root(1) {
        Some(a) if !a.value().is_empty() => {
            let av = a.value();
            if av.chars().count() > 19 {
                sink.emit(
                    &ID38_01_01_LENGTH,
                    At::new(off(&a), path),
                    format!("38/01/01 has {} characters; at most 19", av.chars().count()),
                );
            }
            if let Some(c) = av
                .chars()
                .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
            {
                sink.emit(
                    &ID38_01_01_CHARSET,
                    At::new(off(&a), path),
                    format!("38/01/01 holds {c:?}: accounts are upper-case letters and digits"),
                );
            }
            // The same text, borrowed from 38/01's value rather than from the local parse.
            v.get(a.value_offset()..a.value_offset() + av.len())
        }
        _ => {
            sink.emit(
                &ID38_01_01_REQUIRED,
                At::new(o.offset(), path),
                "the account, card or merchant ID (38/01/01) is missing or empty",
            );
            None
        }
    }
}

/// 01, 53, 54, 58, 62 and 80-99.
pub(super) fn values(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    if napas_templates(p).next().is_none() {
        return;
    }
    let amount = p.root(54);
    match p.root(1) {
        None if ctx.complete => sink.emit(
            &ID01_PRESENT,
            At::new(0, TagPath::tag(1)),
            "the Point of Initiation Method (01) is missing",
        ),
        Some(o) if o.value() == "12" && amount.is_none() && ctx.complete => sink.emit(
            &ID01_DYNAMIC_WITHOUT_AMOUNT,
            at(ctx, &o),
            "a dynamic code (01 = '12') without an amount (54)",
        ),
        Some(o) if o.value() == "11" && amount.is_some() => sink.emit(
            &ID01_STATIC_WITH_AMOUNT,
            at(ctx, &o),
            "a static code (01 = '11') with an amount (54)",
        ),
        _ => {}
    }
    emvco::fixed_roots(
        ctx,
        sink,
        "VietQR",
        &[
            (53, "704", &ID53_REQUIRED, &ID53_VALUE),
            (58, "VN", &ID58_REQUIRED, &ID58_VALUE),
        ],
    );
    if let Some(o) = amount {
        let v = o.value();
        let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        let separated = !digits
            && v.bytes().any(|b| b.is_ascii_digit())
            && v.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
            && v.bytes().next().is_some_and(|b| b.is_ascii_digit());
        if separated {
            sink.emit(
                &ID54_DIGITS,
                at(ctx, &o),
                format!(
                    "54 is {}: VND has no minor unit, and a Vietnamese reader takes '.' and ',' as thousands separators",
                    quote(v)
                ),
            );
        } else if !digits {
            sink.emit(
                &ID54_FORMAT,
                at(ctx, &o),
                format!("54 is {}: not a plain number", quote(v)),
            );
        } else if v.bytes().all(|b| b == b'0') {
            sink.emit(&ID54_ZERO, at(ctx, &o), format!("54 is {}: zero", quote(v)));
        } else if v.starts_with('0') {
            sink.emit(
                &ID54_LEADING_ZERO,
                at(ctx, &o),
                format!("54 is {}: superfluous leading zeros", quote(v)),
            );
        }
    }
    if let Some(extra) = p.root(62).filter(|o| o.is_template()) {
        if let Some(c) = extra.child(8) {
            let v = c.value();
            let n = v.chars().count();
            if n > 25 {
                sink.emit(
                    &ID62_08_LENGTH,
                    at(ctx, &c),
                    format!("62/08 has {n} characters; the purpose holds at most 25"),
                );
            }
            if !v.is_ascii() {
                sink.emit(
                    &ID62_08_NON_ASCII,
                    at(ctx, &c),
                    "62/08 holds Vietnamese text: allowed under VietQR, but readers disagree on its length unit and most generators strip accents",
                );
                if !charset::is_nfc(v) {
                    sink.emit(
                        &ID62_08_NFD,
                        at(ctx, &c),
                        "62/08 is not in NFC (letters with combining marks): a different byte string, length and CRC than the same text in NFC",
                    );
                }
            }
        }
        if let Some(c) = extra.child(5)
            && c.value().starts_with("MOMOW2W")
        {
            sink.emit(
                &ID62_05_WALLET_REF,
                at(ctx, &c),
                "62/05 carries a MoMo wallet reference",
            );
        }
    }
    for o in p.roots().filter(|o| (80..=99).contains(&o.id())) {
        let v = o.value();
        if (1..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) {
            sink.emit(
                &ID80_PRIMITIVE,
                at(ctx, &o),
                format!(
                    "{} is the bare number {}: a legacy MoMo field, not a template with a GUID",
                    o.id(),
                    quote(v)
                ),
            );
        }
    }
}
