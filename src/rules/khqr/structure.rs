//! TLV structure as KHQR sees it (lengths in UTF-16 units, one template level), duplicates, zero
//! lengths, the generator's order, tags the SDK does not know, and text that trips other readers.

use crate::emv::charset;
use crate::emv::payload::Obj;
use crate::emv::tlv::{IdSet, NONE, TemplateSet, TlvErrorKind};
use crate::rules::emvco::{self, path_of, quote};
use crate::rules::finding::{At, TagPath};
use crate::rules::rule::Severity;
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    lengths(ctx, sink);
    // The parse noted whether a level repeats a tag or holds a length 00: the same fact that
    // lets the EMVCo layer skip its pass. The canonical order is ascending ID with 63 last,
    // which a regular parse already is.
    let tlv = ctx.payload.tlv();
    if tlv.has_repeats() {
        duplicates_and_zero(ctx, sink);
    }
    if tlv.is_irregular() {
        order(ctx, sink);
    }
    tags(ctx, sink);
    text(ctx, sink);
}

/// Structural failures, each named for its likely cause.
fn lengths(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let tlv = ctx.payload.tlv();
    let d = ctx.diagnosis;
    if let Some((off, id, n)) = d.three_digit {
        let is_template = TemplateSet::EMV.root_has(id);
        let rule = if is_template {
            &TLV_TEMPLATE_OVER_99
        } else {
            &TLV_LENGTH_MISMATCH
        };
        sink.emit(
            rule,
            At::new(off, TagPath::tag(id)),
            format!(
                "data object {id:02} at byte {off} holds {n} UTF-16 units, written with the three-digit length '{n}'; a length has two digits, so a value holds at most 99"
            ),
        );
        return;
    }
    if let Some((unit, off)) = d.unit_mismatch {
        sink.emit(
            &TLV_LENGTH_UNITS,
            At::offset(off),
            format!(
                "the lengths count {}; KHQR counts UTF-16 code units (JavaScript string length), and the payload parses cleanly (from byte {off}) only when lengths count {}",
                unit.describe(),
                unit.describe()
            ),
        );
        return;
    }
    let after_crc = tlv
        .root()
        .last()
        .is_some_and(|o| o.id == 63 && o.value_end as usize == tlv.root_end());
    for e in tlv.errors() {
        if e.parent == NONE && after_crc {
            // Bytes after a complete CRC object: KHQR.CRC.SUFFIX or KHQR.CRC.EXTRA_OBJECT.
            continue;
        }
        let offset = e.offset as usize;
        let path = if e.parent == NONE {
            TagPath::ROOT
        } else {
            path_of(tlv, e.parent as usize)
        };
        let found: String = ctx
            .text()
            .get(offset..)
            .unwrap_or("")
            .chars()
            .take(2)
            .collect();
        match e.kind {
            TlvErrorKind::LengthNotNumeric => sink.emit(
                &TLV_LENGTH_FORMAT,
                At::new(offset, path),
                format!(
                    "the length field at byte {offset} is {}, not two ASCII digits (if an earlier length is wrong, this is where the misreading shows)",
                    quote(&found)
                ),
            ),
            TlvErrorKind::SplitsCharacter => sink.emit(
                &TLV_LENGTH_UNITS,
                At::new(offset, path),
                format!(
                    "the length {} at byte {offset} ends inside a surrogate pair: a character above U+FFFF counts 2 UTF-16 units",
                    quote(&found)
                ),
            ),
            TlvErrorKind::Overrun => sink.emit(
                &TLV_LENGTH_MISMATCH,
                At::new(offset, path),
                format!(
                    "the length {} at byte {offset} runs past the end of {}",
                    quote(&found),
                    if e.parent == NONE { "the payload" } else { "its template" }
                ),
            ),
            TlvErrorKind::IdNotNumeric | TlvErrorKind::TruncatedHeader => sink.emit(
                &TLV_LENGTH_MISMATCH,
                At::new(offset, path),
                format!(
                    "no data object starts at byte {offset} (found {}): an earlier length is wrong, or the objects do not end at the CRC",
                    quote(&found)
                ),
            ),
        }
    }
    // Parsed to the end without error, yet the last object is not the CRC that the text ends
    // with: a length swallowed the CRC into a value.
    let text = ctx.text();
    let ends_with_crc_text =
        text.len() >= 8 && text.as_bytes()[text.len() - 8..text.len() - 4] == *b"6304";
    if tlv.errors().is_empty() && ends_with_crc_text && tlv.root().last().is_none_or(|o| o.id != 63)
    {
        sink.emit(
            &TLV_LENGTH_MISMATCH,
            At::offset(text.len() - 8),
            "the text ends in '6304' and a CRC, but the data objects do not end there: a length swallows the CRC into a value",
        );
    }
}

fn duplicates_and_zero(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut seen: u128 = 0;
    for o in ctx.payload.roots() {
        let bit = 1u128 << o.id();
        if seen & bit != 0 && o.id() != 63 {
            sink.emit(
                &TLV_DUPLICATE_TAG,
                at(ctx, &o),
                format!(
                    "root tag {:02} occurs again at byte {}: the SDK keeps the last copy (or stops when the copies are adjacent), other readers the first",
                    o.id(),
                    o.offset()
                ),
            );
        }
        seen |= bit;
    }
    let tlv = ctx.payload.tlv();
    for (i, o) in tlv.objects().iter().enumerate() {
        if o.declared_len == 0 {
            let path = path_of(tlv, i);
            sink.emit(
                &TLV_ZERO_LENGTH,
                At::new(o.start as usize + 2, path),
                format!("data object {path} has length 00; omit it instead"),
            );
        }
    }
}

/// The generator's position of a root tag; `None` for tags it never writes.
const fn root_rank(id: u8) -> Option<u8> {
    Some(match id {
        0 => 0,
        1 => 1,
        15 => 2,
        29 | 30 => 3,
        52 => 4,
        53 => 5,
        54 => 6,
        58 => 7,
        59 => 8,
        60 => 9,
        62 => 10,
        64 => 11,
        99 => 12,
        63 => 13,
        _ => return None,
    })
}

/// Whether the generator writes sub-tag `sub` of `parent` (it writes them in ascending order).
fn known_sub(parent: u8, sub: u8) -> bool {
    match parent {
        29 | 30 | 64 => sub <= 2,
        62 => matches!(sub, 1..=3 | 7 | 8),
        99 => sub <= 1,
        _ => false,
    }
}

fn order(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let mut prev: Option<(u8, u8)> = None;
    for o in ctx.payload.roots() {
        if let Some(rank) = root_rank(o.id()) {
            if let Some((p, pid)) = prev
                && rank < p
            {
                sink.emit(
                    &ORDER_CANONICAL,
                    at(ctx, &o),
                    format!(
                        "{:02} follows {pid:02}; the SDK generator writes 00, 01, 15, 29/30, 52, 53, 54, 58, 59, 60, 62, 64, 99, 63",
                        o.id()
                    ),
                );
                return;
            }
            prev = Some((rank, o.id()));
        }
        if SDK_TEMPLATES.contains(o.id()) {
            let mut last: Option<u8> = None;
            for c in o.children().filter(|c| known_sub(o.id(), c.id())) {
                if let Some(l) = last
                    && c.id() < l
                {
                    sink.emit(
                        &ORDER_CANONICAL,
                        at(ctx, &c),
                        format!(
                            "{:02}/{:02} follows {:02}/{l:02}; the SDK generator writes sub-tags in ascending order",
                            o.id(),
                            c.id(),
                            o.id()
                        ),
                    );
                    return;
                }
                last = Some(c.id());
            }
        }
    }
}

/// The root tags the SDK reads: those [`root_rank`] ranks.
const KNOWN_ROOTS: IdSet = {
    let mut ids = [0u8; 100];
    let (mut id, mut n) = (0u8, 0);
    while id < 100 {
        if root_rank(id).is_some() {
            ids[n] = id;
            n += 1;
        }
        id += 1;
    }
    IdSet::of(ids.split_at(n).0)
};

/// The root templates whose sub-tags the SDK reads.
const SDK_TEMPLATES: IdSet = IdSet::of(&[29, 30, 62, 64, 99]);

fn tags(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let tlv = p.tlv();
    if tlv.is_irregular() {
        for o in p.roots() {
            tag_checks(ctx, sink, &o);
        }
        return;
    }
    // A regular parse holds each ID once, in ascending order: only unknown tags, tips and fees
    // and the templates can fire, and the parser's ID set leads straight to them.
    let ids = tlv.root_ids();
    let candidates = ids
        .difference(KNOWN_ROOTS)
        .union(ids.intersection(IdSet::range(55, 57)))
        .union(ids.intersection(SDK_TEMPLATES));
    for id in candidates.iter() {
        if let Some(o) = p.root(id) {
            tag_checks(ctx, sink, &o);
        }
    }
}

/// The tag rules for one root object and its sub-tags.
#[inline(always)]
fn tag_checks(ctx: &Context<'_>, sink: &mut Sink<'_>, o: &Obj<'_>) {
    let id = o.id();
    if root_rank(id).is_none() {
        sink.emit(
            &TAG_UNKNOWN_ROOT,
            at(ctx, o),
            format!("root tag {id:02} is not one the KHQR SDK reads; SDK-based readers skip it"),
        );
    }
    if matches!(id, 55..=57) {
        sink.emit(
            &TAG_TIP_OR_FEE,
            at(ctx, o),
            format!(
                "{id:02} (tip or convenience fee) is present; SDK-based wallets ignore it, so the consumer may pay a different amount than intended"
            ),
        );
    }
    if SDK_TEMPLATES.contains(id) {
        for c in o.children().filter(|c| !known_sub(id, c.id())) {
            sink.emit(
                &TAG_UNKNOWN_SUBTAG,
                at(ctx, &c),
                format!(
                    "{id:02}/{:02} is not a sub-tag the KHQR SDK reads; it is skipped",
                    c.id()
                ),
            );
        }
    }
}

fn text(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let tlv = ctx.payload.tlv();
    let text = ctx.text();
    // Only a 4-byte UTF-8 sequence encodes a character above U+FFFF. Branch-free so it
    // vectorises: it runs on every non-ASCII payload.
    let any_non_bmp = !tlv.is_ascii() && text.bytes().fold(false, |a, b| a | (b >= 0xF0));
    if any_non_bmp {
        for (i, o) in tlv.objects().iter().enumerate() {
            if o.is_template {
                continue;
            }
            if let Some((off, c)) = charset::first_non_bmp(o.value(text)) {
                let path = path_of(tlv, i);
                sink.emit(
                    &TEXT_NON_BMP,
                    At::new(o.value_start() as usize + off, path),
                    format!(
                        "{path} holds {} above U+FFFF: it counts 2 UTF-16 units, and readers counting code points misread every later length",
                        charset::show(c)
                    ),
                );
            }
        }
    }
    // 59 and 60 are S under KHQR (the EMVCo ans rules are relaxed): report local script, and
    // apply the S rules that the base layer applies only to S fields.
    let ids: &[u8] = if ctx.printable { &[] } else { &[59, 60] };
    for &id in ids {
        let Some(o) = ctx.payload.root(id) else {
            continue;
        };
        let v = o.value();
        if v.is_ascii() && charset::first_control(v).is_none() {
            continue;
        }
        if let Some((off, c)) = v.char_indices().find(|(_, c)| !c.is_ascii()) {
            sink.emit(
                &TEXT_LOCAL_SCRIPT_IN_ROOT,
                emvco::at_value(ctx, &o, off),
                format!(
                    "{id:02} holds {}: KHQR allows it, but a foreign wallet may not display it; write Latin in {id:02} and the local script in 64",
                    charset::show(c)
                ),
            );
        }
        if let Some((off, c)) = charset::first_control(v) {
            sink.emit_with(
                &emvco::PAYLOAD_CONTROL_CHARS,
                Severity::Should,
                emvco::at_value(ctx, &o, off),
                format!("{id:02} holds the control character {}", charset::show(c)),
            );
        }
        if !charset::is_nfc(v) {
            sink.emit(
                &emvco::CHARSET_S_PRECOMPOSED,
                at(ctx, &o),
                format!(
                    "{id:02} {} is not in precomposed form (NFC): platforms count its characters differently",
                    quote(v)
                ),
            );
        }
    }
}
