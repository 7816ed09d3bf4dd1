//! Template 99: creation and expiration times (13-digit milliseconds since the Unix epoch), and
//! expiry judged against the injected clock (`Options::now_ms`), never the system clock
//! (khqr.md sections 3.5, 4).

use crate::Clock;
use crate::emv::payload::Obj;
use crate::rules::emvco::{quote, template_complete};
use crate::rules::finding::TagPath;
use crate::rules::validator::{Context, Sink};

use super::*;

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    let p = &ctx.payload;
    let dynamic = p.value(1) == Some("12");
    let Some(t) = p.root(99).filter(|t| t.is_template()) else {
        if dynamic && !p.has(99) {
            missing(
                ctx,
                sink,
                &ID99_EXPIRATION_REQUIRED,
                TagPath::tag(99),
                "01 is '12' (dynamic) but the timestamp template (99) with the expiration time is missing",
            );
        }
        return;
    };
    let complete = template_complete(p.tlv(), t.index());
    let created = t.child(0);
    let expires = t.child(1);
    let creation = created.and_then(|c| stamp(ctx, sink, &c, &ID99_CREATION_FORMAT, "creation"));
    let expiration =
        expires.and_then(|e| stamp(ctx, sink, &e, &ID99_EXPIRATION_FORMAT, "expiration"));

    if dynamic {
        match expires {
            None if complete => sink.emit(
                &ID99_EXPIRATION_REQUIRED,
                at(ctx, &t),
                "01 is '12' (dynamic) but 99 has no expiration time (01)",
            ),
            Some(e) if js_number_is_zero_or_nan(e.value()) => sink.emit(
                &ID99_EXPIRATION_REQUIRED,
                at(ctx, &e),
                format!(
                    "the expiration time (99/01) is {}, which reads as zero or not a number",
                    quote(e.value())
                ),
            ),
            _ => {}
        }
        if created.is_none() && complete {
            sink.emit(
                &ID99_CREATION_REQUIRED,
                at(ctx, &t),
                "the dynamic code's 99 has no creation time (00)",
            );
        }
    } else if t.children().next().is_some() {
        let lone_creation = creation.is_some() && t.children().count() == 1;
        if lone_creation {
            sink.emit(
                &ID99_LEGACY_CREATION_ONLY,
                at(ctx, &t),
                "a static code with a creation-only 99: the shape SDK versions before 1.0.18 wrote",
            );
        } else {
            sink.emit(
                &ID99_ON_STATIC,
                at(ctx, &t),
                "a code that is not dynamic (01 is not '12') carries 99 with more than a lone 13-digit creation time",
            );
        }
    }

    if let (Some(c), Some(x), Some(e)) = (creation, expiration, expires)
        && x < c
    {
        sink.emit(
            &ID99_EXPIRATION_BEFORE_CREATION,
            at(ctx, &e),
            format!(
                "the expiration ({}) is before the creation time ({})",
                show(x),
                show(c)
            ),
        );
    }
    let now = ctx.options.now_ms;
    if let (Some(x), Some(e)) = (expiration, expires) {
        match now {
            None => sink.not_evaluated(&ID99_EXPIRED),
            // Expired exactly when now > expiration: the expiration millisecond is still valid.
            Some(now) if now > x => sink.emit(
                &ID99_EXPIRED,
                at(ctx, &e),
                format!(
                    "the code expired at {} ({x}); the clock is {} ({now}), {} ms later",
                    show(x),
                    show(now),
                    i128::from(now) - i128::from(x)
                ),
            ),
            Some(_) => {}
        }
    }
    if let (Some(c), Some(o)) = (creation, created) {
        match now {
            None => sink.not_evaluated(&ID99_CREATION_IN_FUTURE),
            Some(now) if c > now => sink.emit(
                &ID99_CREATION_IN_FUTURE,
                at(ctx, &o),
                format!(
                    "the creation time {} ({c}) is {} ms after the clock {} ({now}): the generator's clock is ahead",
                    show(c),
                    i128::from(c) - i128::from(now),
                    show(now)
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Reads a 13-digit millisecond timestamp, reporting `rule` when the value is not one.
fn stamp(
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
    o: &Obj<'_>,
    rule: &'static Rule,
    what: &str,
) -> Option<i64> {
    let v = o.value();
    let ms = millis13(v);
    if ms.is_none() {
        let hint = if v.len() == 10 && v.bytes().all(|b| b.is_ascii_digit()) {
            " (10 digits look like seconds)"
        } else {
            ""
        };
        sink.emit(
            rule,
            at(ctx, o),
            format!(
                "the {what} time (99/{:02}) is {}; it must be exactly 13 digits, milliseconds since the Unix epoch{hint}",
                o.id(),
                quote(v)
            ),
        );
    }
    ms
}

fn show(ms: i64) -> String {
    Clock::from_millis(ms).to_rfc3339()
}

/// Whether JavaScript's `Number(v)` is 0 or NaN, the SDK's test for a missing expiration (code
/// 45). Covers what `Number` accepts: surrounding whitespace, an empty string (0), a sign,
/// decimals and exponents, `Infinity`, and `0x`/`0o`/`0b` integers.
pub(super) fn js_number_is_zero_or_nan(v: &str) -> bool {
    let s = v.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if s.is_empty() {
        return true;
    }
    let radix = match s.get(..2) {
        Some("0x" | "0X") => Some(16),
        Some("0o" | "0O") => Some(8),
        Some("0b" | "0B") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        let digits = &s[2..];
        return digits.is_empty()
            || !digits.chars().all(|c| c.is_digit(radix))
            || digits.chars().all(|c| c == '0');
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned == "Infinity" {
        return false;
    }
    // Rust also reads "inf", "nan" and "infinity" in any case; JavaScript does not.
    let numeric = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !numeric {
        return true;
    }
    match s.parse::<f64>() {
        Ok(x) => x == 0.0,
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::js_number_is_zero_or_nan as z;

    #[test]
    fn javascript_number_semantics() {
        for zero_or_nan in [
            "",
            " ",
            "0",
            "0000000000000",
            "abc",
            "1780000900000x",
            "inf",
            "NaN",
            "0x",
            "0x0",
            "1.2.3",
            "e5",
            "--1",
        ] {
            assert!(z(zero_or_nan), "{zero_or_nan:?}");
        }
        for number in [
            "1780000900000",
            " 1780000900000 ",
            "+5",
            "-5",
            "1e3",
            ".5",
            "5.",
            "0x1F",
            "0b1",
            "Infinity",
            "-Infinity",
            "0.1",
        ] {
            assert!(!z(number), "{number:?}");
        }
    }
}
