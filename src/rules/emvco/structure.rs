//! Payload size, TLV structure, duplicates, order and character sets.

use crate::emv::charset::{self, Format};
use crate::emv::tlv::{IdSet, NONE, TlvErrorKind};
use crate::rules::finding::{At, TagPath};
use crate::rules::rule::Severity;
use crate::rules::validator::{Context, EmvVersion, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let text = ctx.text();
    let tlv = ctx.payload.tlv();

    // A text has at most as many characters as bytes, so one of at most 512 bytes cannot have
    // too many characters and is not counted.
    let too_many_chars = match text.len() {
        0..=512 => None,
        n if tlv.is_ascii() => Some(n),
        _ => Some(text.chars().count()).filter(|&c| c > 512),
    };
    if let Some(chars) = too_many_chars {
        sink.emit(
            &PAYLOAD_MAX_CHARS,
            At::offset(0),
            format!("the payload is {chars} characters long; EMVCo MPM allows at most 512"),
        );
    }
    if text.len() > 512 {
        sink.emit(
            &PAYLOAD_MAX_BYTES,
            At::offset(0),
            format!(
                "the payload is {} UTF-8 bytes long; readers need only handle 512",
                text.len()
            ),
        );
    }

    structural_errors(ctx, sink);

    // Duplicates, zero lengths and order, in one pass over the flat object list: root objects
    // first, then each template's children, which are contiguous. The parse noticed whether any
    // of them can fire: most payloads skip the pass, and IDs that are merely out of order
    // (the specification's own example) need only the order rule's look at the root.
    if tlv.has_repeats() {
        duplicates_order_zero(tlv, sink);
    } else if tlv.is_irregular() {
        root_order(tlv, sink);
    }

    // Numeric fields.
    for id in [0, 1, 52, 53, 55] {
        if let Some(o) = ctx.payload.root(id)
            && let Some((off, c)) = charset::first_non_n(o.value())
        {
            sink.emit(
                &CHARSET_N,
                at_value(ctx, &o, off),
                format!(
                    "{id:02} is numeric but has {} at byte {}",
                    charset::show(c),
                    o.value_offset() + off
                ),
            );
        }
    }

    // Other character sets can only break when something is outside printable ASCII.
    if !ctx.printable {
        // Printable ASCII breaks no character-set rule: the parser listed the other values,
        // and most values of a Khmer or Japanese payload are not among them.
        let objects = tlv.objects();
        for i in tlv.unprintable() {
            let o = &objects[i];
            if o.is_template {
                continue;
            }
            let value = o.value(text);
            let path = path_of(tlv, i);
            let here = |off: usize| At::new(o.value_start() as usize + off, path);
            match format_of(path) {
                Format::N => {}
                Format::Ans => {
                    let own_rule = [
                        TagPath::tag(54),
                        TagPath::tag(56),
                        TagPath::tag(57),
                        TagPath::tag(58),
                        TagPath::sub(64, 0),
                    ];
                    if own_rule.contains(&path)
                        && let Some((off, c)) = charset::first_non_ans(value)
                    {
                        sink.emit(
                            &CHARSET_ANS,
                            here(off),
                            format!(
                                "{path} must be printable ASCII (ans) but has {}",
                                charset::show(c)
                            ),
                        );
                    }
                }
                Format::S => {
                    if let Some((off, c)) = charset::first_control(value) {
                        sink.emit_with(
                            &PAYLOAD_CONTROL_CHARS,
                            Severity::Should,
                            here(off),
                            format!("{path} holds the control character {}", charset::show(c)),
                        );
                    }
                    if !charset::is_nfc(value) {
                        sink.emit(
                            &CHARSET_S_PRECOMPOSED,
                            here(0),
                            format!(
                                "{path} {} is not in precomposed form (NFC): platforms count its characters differently",
                                quote(value)
                            ),
                        );
                    }
                    if let Some((off, c)) = charset::first_non_bmp(value) {
                        sink.emit(
                            &CHARSET_NON_BMP,
                            here(off),
                            format!(
                                "{path} holds {} above U+FFFF: code-point and UTF-16 counters disagree on its length",
                                charset::show(c)
                            ),
                        );
                    }
                }
            }
        }
    }

    if ctx.options.emv_version == EmvVersion::V1_0
        && let Some(t) = ctx.payload.root(62)
    {
        for c in t.children().filter(|c| matches!(c.id(), 10 | 11)) {
            sink.emit(
                &MODEL_VERSION_MISMATCH,
                at(ctx, &c),
                format!(
                    "62/{:02} is a v1.1 field; under v1.0 it is reserved (RFU)",
                    c.id()
                ),
            );
        }
    }
}

/// Repeated IDs and sub-IDs, root IDs out of ascending order, and lengths of 00.
fn duplicates_order_zero(tlv: &crate::emv::Tlv, sink: &mut Sink<'_>) {
    let objs = tlv.objects();
    let roots = tlv.root_count();
    let mut seen = IdSet::new();
    let mut prev: Option<u8> = None;
    let mut order_reported = false;
    let mut parent = NONE;
    let mut kids = IdSet::new();
    for (i, o) in objs.iter().enumerate() {
        if i < roots {
            if seen.insert(o.id) {
                sink.emit(
                    &TLV_DUPLICATE_ID,
                    At::new(o.start as usize, path_of(tlv, i)),
                    format!(
                        "data object {:02} occurs again at byte {}; each ID may occur once",
                        o.id, o.start
                    ),
                );
            }
            if let Some(p) = prev
                && o.id < p
                && o.id != 63
                && !order_reported
            {
                order_reported = true;
                order_finding(tlv, sink, i, p);
            }
            prev = Some(o.id);
        } else {
            if o.parent != parent {
                parent = o.parent;
                kids = IdSet::new();
            }
            if kids.insert(o.id) {
                let path = path_of(tlv, i);
                sink.emit(
                    &TLV_DUPLICATE_SUBID,
                    At::new(o.start as usize, path),
                    format!(
                        "sub-ID {:02} occurs twice in template {}",
                        o.id,
                        path_of(tlv, o.parent as usize)
                    ),
                );
            }
        }
        if o.declared_len == 0 {
            let path = path_of(tlv, i);
            sink.emit(
                &TLV_LENGTH_ZERO,
                At::new(o.start as usize + 2, path),
                format!("data object {path} has length 00; lengths run from 01 to 99"),
            );
        }
    }
}

/// The first root ID lower than the one before it (63 aside).
fn root_order(tlv: &crate::emv::Tlv, sink: &mut Sink<'_>) {
    let roots = tlv.root();
    if let Some(i) = (1..roots.len()).find(|&i| roots[i].id < roots[i - 1].id && roots[i].id != 63)
    {
        order_finding(tlv, sink, i, roots[i - 1].id);
    }
}

/// EMV.TLV.ORDER_NUMERIC on root object `i`, which follows ID `prev`.
fn order_finding(tlv: &crate::emv::Tlv, sink: &mut Sink<'_>, i: usize, prev: u8) {
    let o = &tlv.objects()[i];
    let message = sink.compose(&[
        "data object ",
        two_digit(o.id),
        " follows ",
        two_digit(prev),
        "; ascending order is not required",
    ]);
    sink.emit(
        &TLV_ORDER_NUMERIC,
        At::new(o.start as usize, path_of(tlv, i)),
        message,
    );
}

fn structural_errors(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let text = ctx.text();
    let tlv = ctx.payload.tlv();
    let hint = diagnosis_hint(ctx);
    if let Some(e) = tlv.root_error() {
        // Bytes after a complete CRC object are reported by EMV.63.LAST, not as broken TLV.
        let after_crc = tlv
            .root()
            .last()
            .is_some_and(|o| o.id == 63 && o.value_end as usize == tlv.root_end());
        if after_crc {
            let rest = text.get(tlv.root_end()..).unwrap_or("");
            if let Some((off, c)) = charset::first_control(rest) {
                sink.emit(
                    &PAYLOAD_CONTROL_CHARS,
                    At::offset(tlv.root_end() + off),
                    format!(
                        "{} after the CRC, outside any data object (a reader must not trim it)",
                        charset::show(c)
                    ),
                );
            }
        } else {
            let offset = e.offset as usize;
            let found = text.get(offset..).unwrap_or("");
            let (rule, what) = match e.kind {
                TlvErrorKind::TruncatedHeader => (
                    &TLV_TRUNCATED_HEADER,
                    format!(
                        "only {} character(s) {} left where a data object should start",
                        found.chars().count(),
                        quote(found)
                    ),
                ),
                TlvErrorKind::IdNotNumeric => (
                    &TLV_ID_NUMERIC,
                    format!(
                        "expected a two-digit ID, found {}",
                        quote(&found.chars().take(2).collect::<String>())
                    ),
                ),
                TlvErrorKind::LengthNotNumeric => (
                    &TLV_LENGTH_NUMERIC,
                    format!(
                        "expected a two-digit length, found {}",
                        quote(&found.chars().take(2).collect::<String>())
                    ),
                ),
                TlvErrorKind::Overrun => (
                    &TLV_LENGTH_OVERRUN,
                    format!(
                        "the length {} runs past the end of the payload",
                        quote(&found.chars().take(2).collect::<String>())
                    ),
                ),
                TlvErrorKind::SplitsCharacter => (
                    &TLV_LENGTH_OVERRUN,
                    format!(
                        "the length {} ends inside a character",
                        quote(&found.chars().take(2).collect::<String>())
                    ),
                ),
            };
            sink.emit(
                rule,
                At::offset(offset),
                format!("at byte {offset}: {what}{hint}"),
            );
        }
    }
    for e in tlv.errors().iter().filter(|e| e.parent != NONE) {
        let parent = e.parent as usize;
        let path = path_of(tlv, parent);
        let why = match e.kind {
            TlvErrorKind::TruncatedHeader => "fewer than four characters left for a sub-object",
            TlvErrorKind::IdNotNumeric => "a sub-ID is not two digits",
            TlvErrorKind::LengthNotNumeric => "a sub-object length is not two digits",
            TlvErrorKind::Overrun => "a sub-object runs past the end of the template",
            TlvErrorKind::SplitsCharacter => "a sub-object length ends inside a character",
        };
        sink.emit(
            &TLV_TEMPLATE_SYNTAX,
            At::new(e.offset as usize, path),
            format!(
                "template {path} does not parse as TLV: {why} (byte {}){hint}",
                e.offset
            ),
        );
    }
}

/// A sentence explaining a structural failure when the diagnosis found a clean reading.
fn diagnosis_hint(ctx: &Context<'_>) -> String {
    let d = ctx.diagnosis;
    if let Some((off, id, n)) = d.three_digit {
        format!(
            "; data object {id:02} at byte {off} is written with a three-digit length ({n}): a length has two digits, so a value holds at most 99"
        )
    } else if let Some((unit, off)) = d.unit_mismatch {
        format!(
            "; the payload parses cleanly (from byte {off}) when lengths count {}: the writer counts {}, {} counts {}",
            unit.describe(),
            unit.describe(),
            ctx.profile,
            ctx.spec.unit.describe()
        )
    } else {
        String::new()
    }
}
