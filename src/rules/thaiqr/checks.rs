//! The THQR payload checks (thaiqr.md sections 1-6).

use crate::emv::crc;
use crate::emv::payload::Obj;
use crate::rules::emvco::{self, at, at_value, quote, template_complete};
use crate::rules::finding::{At, TagPath};
use crate::rules::validator::{Context, Sink};

use super::*;

/// The account templates and their AIDs.
pub(super) fn accounts(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    if ctx.options.profile.is_none_or(|p| p.spec().kind == Kind::Overlay)
        && let Some(o) = thai_templates(p).next()
    {
        sink.emit(
            &PROFILE_DETECT,
            at(ctx, &o),
            format!(
                "template {:02} carries the Thai AID {}: judged as Thai QR Payment",
                o.id(),
                quote(o.child_value(0).unwrap_or(""))
            ),
        );
    }
    let in_29_30_31 = thai_templates(p).any(|o| matches!(o.id(), 29..=31));
    if !in_29_30_31 && ctx.complete {
        sink.emit(
            &MAI_REQUIRED,
            At::offset(0),
            "no template 29, 30 or 31 carries a Thai AID (A000000677...): the code names no PromptPay payee",
        );
    }
    for o in thai_templates(p) {
        let o = &o;
        let aid = o.child_value(0).unwrap_or("");
        let upper = aid.to_ascii_uppercase();
        if aid != upper {
            sink.emit(
                &MAI_AID_CASE,
                at(ctx, o),
                format!(
                    "{:02}/00 is {}: the AID is upper-case hex",
                    o.id(),
                    quote(aid)
                ),
            );
        }
        if !KNOWN_AIDS.contains(&upper.as_str()) {
            sink.emit(
                &MAI_AID_UNKNOWN,
                at(ctx, o),
                format!("{:02}/00 {} is not a known Thai AID", o.id(), quote(aid)),
            );
        }
        let placed = match upper.as_str() {
            AID_CREDIT | AID_OTA => Some(29),
            AID_BILL | AID_CROSS_BORDER => Some(30),
            _ => None,
        };
        if let Some(want) = placed
            && want != o.id()
        {
            sink.emit(
                &MAI_AID_PLACEMENT,
                at(ctx, o),
                format!(
                    "the AID {} belongs in template {want}, not {:02}",
                    quote(aid),
                    o.id()
                ),
            );
        }
    }
    if p.root(29).is_some() && p.root(30).is_some() {
        let o = p.root(30).map_or(At::offset(0), |o| at(ctx, &o));
        sink.emit(
            &MAI_29_AND_30,
            o,
            "both 29 (credit transfer) and 30 (bill payment) are present: the code names two payees",
        );
    }
    if thai_templates(p).next().is_some()
        && let Some(o) = p.roots().find(|o| (2..=16).contains(&o.id()))
    {
        sink.emit(
            &MAI_CARD_SCHEME,
            at(ctx, &o),
            format!(
                "card-scheme account {:02} beside the Thai template: a multi-scheme merchant code",
                o.id()
            ),
        );
    }
    if let Some(t) = p.root(29).filter(|t| t.is_template()) {
        credit_transfer(ctx, sink, &t);
    }
    if let Some(t) = p.root(30).filter(|t| t.is_template()) {
        bill_payment(ctx, sink, &t);
    }
    if let Some(t) = p.root(31) {
        sink.emit(
            &ID31_PAYMENT_INNOVATION,
            at(ctx, &t),
            "template 31 (payment innovation): its sub-fields are acquirer-defined",
        );
    }
    if (p.has(30) || p.has(31)) && !p.has(59) && ctx.complete {
        sink.emit(
            &MERCHANT_NAME_ABSENT,
            At::new(0, TagPath::tag(59)),
            "a bill-payment or payment-innovation code without a merchant name (59): the payer sees the name the switch resolves",
        );
    }
}

fn credit_transfer(ctx: &Context<'_>, sink: &mut Sink<'_>, t: &Obj<'_>) {
    let complete = template_complete(ctx.payload.tlv(), t.index());
    let aid = t.child_value(0).unwrap_or("");
    if aid != AID_CREDIT && aid != AID_OTA {
        sink.emit(
            &ID29_GUID,
            at(ctx, t),
            format!(
                "29/00 is {}; credit transfer is {AID_CREDIT} (or {AID_OTA} with a one-time code)",
                quote(aid)
            ),
        );
    }
    let proxies: Vec<Obj<'_>> = t.children().filter(|c| (1..=4).contains(&c.id())).collect();
    match proxies.len() {
        0 if complete => sink.emit(
            &ID29_PROXY_REQUIRED,
            at(ctx, t),
            "29 names no proxy (01 mobile, 02 national or tax ID, 03 e-wallet, 04 bank account)",
        ),
        0 | 1 => {}
        n => sink.emit(
            &ID29_PROXY_SINGLE,
            at(ctx, &proxies[1]),
            format!("29 names {n} proxies; readers pay different ones"),
        ),
    }
    for c in t.children() {
        let v = c.value();
        match c.id() {
            0 => {}
            1 if !(v.len() == 13 && v.starts_with("0066") && digits(v)) => sink.emit(
                &ID29_01_FORMAT,
                at(ctx, &c),
                format!(
                    "29/01 is {}; a mobile proxy is '0066' and the 9-digit national number",
                    quote(v)
                ),
            ),
            2 if !(v.len() == 13 && digits(v)) => sink.emit(
                &ID29_02_FORMAT,
                at(ctx, &c),
                format!("29/02 is {}; a national or tax ID is 13 digits", quote(v)),
            ),
            2 if !thai_check_digit(v) => sink.emit(
                &ID29_02_CHECK_DIGIT,
                at(ctx, &c),
                format!("29/02 {} fails the Thai ID check digit", quote(v)),
            ),
            3 if !(v.len() == 15 && digits(v)) => sink.emit(
                &ID29_03_FORMAT,
                at(ctx, &c),
                format!("29/03 is {}; an e-wallet ID is 15 digits", quote(v)),
            ),
            3 if v.starts_with("14") => sink.emit(
                &ID29_03_TRUEMONEY,
                at(ctx, &c),
                "29/03 starts '14': a TrueMoney wallet code",
            ),
            4 if !bank_account(v) => sink.emit(
                &ID29_04_FORMAT,
                at(ctx, &c),
                format!(
                    "29/04 is {}; a bank-account proxy is a 3-digit bank code and the account, 4-43 characters",
                    quote(v)
                ),
            ),
            5 if aid == AID_CREDIT => sink.emit(
                &ID29_05_WITHOUT_OTA_AID,
                at(ctx, &c),
                "an OTA code (29/05) with the plain credit-transfer AID ...0111",
            ),
            1..=5 => {}
            id => sink.emit(
                &ID29_UNKNOWN_SUBTAG,
                at(ctx, &c),
                format!("29/{id:02} is not a credit-transfer field (00-05)"),
            ),
        }
    }
    if aid == AID_OTA
        && complete
        && t.child_value(5).is_none_or(|v| v.chars().count() != 10)
    {
        sink.emit(
            &ID29_05_OTA_REQUIRED,
            at(ctx, t),
            "AID ...0114 (one-time authorisation) needs a 10-character OTA code in 29/05",
        );
    }
}

fn bill_payment(ctx: &Context<'_>, sink: &mut Sink<'_>, t: &Obj<'_>) {
    let p = &ctx.payload;
    let complete = template_complete(p.tlv(), t.index());
    let aid = t.child_value(0).unwrap_or("");
    if aid != AID_BILL && aid != AID_CROSS_BORDER {
        sink.emit(
            &ID30_GUID,
            at(ctx, t),
            format!(
                "30/00 is {}; bill payment is {AID_BILL} (cross-border {AID_CROSS_BORDER})",
                quote(aid)
            ),
        );
    }
    match t.child(1) {
        Some(c) if !c.value().is_empty() && !biller_id(c.value()) => {
            sink.emit(
                &ID30_01_FORMAT,
                at(ctx, &c),
                format!(
                    "30/01 is {}; a biller ID is a 13-digit tax ID and a 2-digit suffix",
                    quote(c.value())
                ),
            );
        }
        Some(c) if !c.value().is_empty() => {}
        Some(c) => sink.emit(&ID30_01_REQUIRED, at(ctx, &c), "the biller ID (30/01) is empty"),
        None if complete => sink.emit(
            &ID30_01_REQUIRED,
            at(ctx, t),
            "the biller ID (30/01) is missing",
        ),
        None => {}
    }
    match t.child(2) {
        Some(c) if c.value().is_empty() => {
            sink.emit(&ID30_02_REQUIRED, at(ctx, &c), "reference 1 (30/02) is empty");
        }
        Some(_) => {}
        None if complete => sink.emit(
            &ID30_02_REQUIRED,
            at(ctx, t),
            "reference 1 (30/02) is missing",
        ),
        None => {}
    }
    for (id, rule) in [(2u8, &ID30_02_LENGTH), (3, &ID30_03_LENGTH)] {
        if let Some(c) = t.child(id) {
            let n = c.value().chars().count();
            if n > 20 {
                sink.emit(
                    rule,
                    at(ctx, &c),
                    format!("30/{id:02} has {n} characters; a reference holds at most 20"),
                );
            }
            if let Some(bad) = c
                .value()
                .chars()
                .find(|ch| !(ch.is_ascii_uppercase() || ch.is_ascii_digit()))
            {
                sink.emit(
                    &ID30_REF_CHARSET,
                    at(ctx, &c),
                    format!(
                        "30/{id:02} holds {bad:?}: real bill references are upper-case letters and digits"
                    ),
                );
            }
        }
    }
    if aid == AID_CROSS_BORDER {
        sink.emit(
            &ID30_CROSS_BORDER,
            at(ctx, t),
            "a cross-border merchant bill payment (...012006)",
        );
        let triple = p
            .root(62)
            .and_then(|a| a.child_value(8))
            .is_some_and(cross_border_triple);
        if !triple {
            sink.emit(
                &ID30_CROSS_BORDER_62_08,
                At::new(0, TagPath::sub(62, 8)),
                "a cross-border bill payment's 62/08 is currency (3 digits), local amount (13) and country (2 letters)",
            );
        }
    }
    if let Some(o) = p.root(62).and_then(|a| a.child(7)) {
        sink.emit(
            &ID30_REF3,
            at(ctx, &o),
            "62/07 on a bill payment: promptparse reads it as 'reference 3'",
        );
    }
}

/// 00, 01, 53, 54 and 58.
pub(super) fn values(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let amount = p.root(54);
    if let Some(o) = p.root(1) {
        match o.value() {
            "21" | "22" | "31" => sink.emit(
                &ID01_NON_QR_METHOD,
                at(ctx, &o),
                format!(
                    "01 is {}: a BLE or NFC method of the Thai standard, not a QR symbol",
                    quote(o.value())
                ),
            ),
            "12" if amount.is_none() && ctx.complete => sink.emit(
                &ID01_DYNAMIC_WITHOUT_AMOUNT,
                at(ctx, &o),
                "a dynamic code (01 = '12') without an amount (54)",
            ),
            "11" if amount.is_some() => sink.emit(
                &ID01_STATIC_WITH_AMOUNT,
                at(ctx, &o),
                "a static code (01 = '11') with an amount (54)",
            ),
            _ => {}
        }
    }
    emvco::fixed_roots(
        ctx,
        sink,
        "Thai",
        &[
            (53, "764", &ID53_REQUIRED, &ID53_VALUE),
            (58, "TH", &ID58_REQUIRED, &ID58_VALUE),
        ],
    );
    if let Some(o) = amount {
        let v = o.value();
        let dots = v.matches('.').count();
        let well_formed =
            dots <= 1 && v.bytes().any(|b| b.is_ascii_digit()) && v.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if !well_formed {
            sink.emit(
                &ID54_FORMAT,
                at(ctx, &o),
                format!(
                    "54 is {}; an amount is digits with at most one '.'",
                    quote(v)
                ),
            );
            return;
        }
        if v.bytes().all(|b| b == b'0' || b == b'.') {
            sink.emit(&ID54_ZERO, at(ctx, &o), format!("54 is {}: zero", quote(v)));
        }
        let decimals = v.split_once('.').map(|(_, f)| f.len());
        if decimals.is_some_and(|d| d == 1 || d >= 3) {
            sink.emit(
                &ID54_DECIMALS,
                at(ctx, &o),
                format!("54 is {}; THB amounts have 2 decimals", quote(v)),
            );
        }
        if decimals != Some(2) || v.starts_with('.') {
            sink.emit(
                &ID54_NON_CANONICAL,
                at(ctx, &o),
                format!(
                    "54 is {}; reference generators write digits.dd ('1499.00')",
                    quote(v)
                ),
            );
        }
    }
}

/// Non-ASCII text, the VAT TQRC (80) and the TrueMoney message (81).
pub(super) fn text_80_81(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    if !ctx.printable
        && let Some((i, off)) = p
            .tlv()
            .objects()
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.is_template)
            .find_map(|(i, o)| {
                o.value(ctx.text())
                    .char_indices()
                    .find(|(_, c)| !c.is_ascii())
                    .map(|(off, _)| (i, off))
            })
    {
        let o = p.tlv().objects()[i];
        let path = emvco::path_of(p.tlv(), i);
        sink.emit(
            &TEXT_NON_ASCII,
            At::new(o.value_start() as usize + off, path),
            format!(
                "{path} holds non-ASCII text: Thai readers disagree on its CRC and lengths (promptparse rejects it)"
            ),
        );
    }
    if let Some(t) = p.root(80).filter(|t| t.is_template()) {
        match t.child(0) {
            Some(c) if c.value().chars().count() == 4 => {}
            Some(c) => sink.emit(
                &ID80_00_LENGTH,
                at(ctx, &c),
                format!(
                    "80/00 is {}; the seller tax branch ID is exactly 4 characters",
                    quote(c.value())
                ),
            ),
            None => sink.emit(
                &ID80_00_LENGTH,
                at(ctx, &t),
                "the VAT TQRC (80) has no seller tax branch ID (80/00)",
            ),
        }
        if let Some(c) = t.child(1) {
            let v = c.value();
            let ok = (1..=5).contains(&v.len())
                && v
                    .split_once('.')
                    .is_some_and(|(i, f)| !i.is_empty() && digits(i) && f.len() == 2 && digits(f));
            if !ok {
                sink.emit(
                    &ID80_01_FORMAT,
                    at(ctx, &c),
                    format!("80/01 is {}; a VAT rate is written with 2 decimals ('7.00')", quote(v)),
                );
            }
        }
        if t
            .child(2)
            .is_none_or(|c| !(1..=13).contains(&c.value().chars().count()))
        {
            sink.emit(
                &ID80_02_REQUIRED,
                at(ctx, &t),
                "the VAT TQRC (80) needs its VAT amount (80/02), 1-13 characters",
            );
        }
    }
    if let Some(o) = p.root(81) {
        if is_truemoney(p) {
            let v = o.value();
            let ok = v.len() % 4 == 0
                && v
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
            if !ok {
                sink.emit(
                    &ID81_FORMAT,
                    at_value(ctx, &o, 0),
                    format!(
                        "81 is {}; the TrueMoney message is upper-case hex, 4 digits per UTF-16 code unit",
                        quote(v)
                    ),
                );
            }
        } else {
            sink.emit(
                &ID81_NON_TRUEMONEY,
                at(ctx, &o),
                "81 in a code that is not a TrueMoney code (29/03 does not start '14')",
            );
        }
    }
}

/// The CRC and TLV structure, restating the EMVCo findings with the library's behaviour.
pub(super) fn structure(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    use emvco::*;
    sink.restate(
        &[&ID63_CRC_MISMATCH],
        &CRC_MISMATCH,
        "the CRC is not the CRC-16/CCITT-FALSE of the UTF-8 bytes through '6304' (promptparse's parse() returns null)",
    );
    sink.restate(
        &[&ID63_UPPERCASE],
        &CRC_LOWERCASE,
        "the CRC is lower-case hex: promptparse's validators accept it, EMVCoQR.validate does not",
    );
    sink.restate(
        &[&TLV_LENGTH_OVERRUN, &TLV_TRUNCATED_HEADER],
        &TLV_LENGTH_MISMATCH,
        "a length overruns its value, or the objects do not end exactly at the CRC",
    );
    sink.restate(
        &[&TLV_LENGTH_NUMERIC],
        &TLV_LENGTH_FORMAT,
        "a length is not two ASCII digits",
    );
    sink.restate(
        &[&TLV_DUPLICATE_ID, &TLV_DUPLICATE_SUBID],
        &TLV_DUPLICATE_TAG,
        "a tag occurs twice: promptparse pays the first copy, other readers the last",
    );
    sink.restate(&[&TLV_LENGTH_ZERO], &TLV_ZERO_LENGTH, "a data object has length 00");
    let text = ctx.text();
    let b = text.as_bytes();
    let n = b.len();
    // '6303' + 3 hex ('6301'/'6302' likewise), or '6304' + 3 hex at the very end: a CRC that
    // lost its leading zeros.
    let short_63 = ctx.payload.root(63).is_some_and(|o| {
        (1..=3).contains(&o.value().len()) && o.value().bytes().all(|b| b.is_ascii_hexdigit())
    });
    let cut_6304 = n >= 7
        && b[n - 7..n - 3] == *b"6304"
        && b[n - 3..].iter().all(u8::is_ascii_hexdigit)
        && ctx.payload.root(63).is_none_or(|o| o.value().len() != 4);
    let unpadded = short_63 || cut_6304;
    if unpadded {
        sink.emit(
            &CRC_UNPADDED,
            At::new(n.saturating_sub(3), TagPath::tag(63)),
            "the CRC has fewer than 4 hex digits: a generator dropped its leading zeros",
        );
    }
    if ctx.payload.roots().filter(|o| o.id() == 63).count() > 1 {
        let second = ctx.payload.roots().filter(|o| o.id() == 63).nth(1);
        sink.emit(
            &CRC_EXTRA_OBJECT,
            second.map_or(At::offset(n), |o| at(ctx, &o)),
            "a second CRC object (63) follows the first",
        );
    }
    if !text.is_ascii() && sink.fired(&ID63_CRC_MISMATCH) && n >= 8 {
        let body = &text[..n - 4];
        let mut c = crc::INIT;
        for unit in body.encode_utf16() {
            // The low byte only, as `crc ^= s.charCodeAt(i) << 8` over 16 bits keeps.
            c = crc::update(c, &[unit as u8]);
        }
        if crc::from_hex(&b[n - 4..]) == Some(c) {
            sink.emit(
                &CRC_CODE_UNITS,
                At::new(n - 4, TagPath::tag(63)),
                "the CRC is the one promptparse computes (the low byte of each UTF-16 code unit), not the CRC of the UTF-8 bytes",
            );
        }
    }
}

fn digits(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())
}

/// The Thai ID check digit: weights 13..2 on the first 12 digits,
/// check = (11 - sum mod 11) mod 10.
pub fn thai_check_digit(v: &str) -> bool {
    let d: Vec<u32> = v.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 13 {
        return false;
    }
    let sum: u32 = d[..12].iter().zip((2..=13).rev()).map(|(x, w)| x * w).sum();
    (11 - sum % 11) % 10 == d[12]
}

fn biller_id(v: &str) -> bool {
    v.len() == 15 && digits(v)
}

fn bank_account(v: &str) -> bool {
    let n = v.chars().count();
    (4..=43).contains(&n) && v.len() >= 3 && digits(&v[..3])
}

/// 62/08 of a cross-border bill payment: 3 digits, 13 characters, 2 letters.
fn cross_border_triple(v: &str) -> bool {
    let c: Vec<char> = v.chars().collect();
    c.len() == 18
        && c[..3].iter().all(char::is_ascii_digit)
        && c[16..].iter().all(char::is_ascii_uppercase)
}
