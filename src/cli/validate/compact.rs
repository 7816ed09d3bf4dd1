//! The compact `--batch` line: what a pipeline needs to act on a verdict (valid, the profile,
//! per finding the rule, severity, byte offset and data object, and the rules not judged),
//! written straight into the output buffer. `--explain` adds the messages, and the base rules
//! the profile relaxed with the reasons, through serde instead.
//!
//! ```text
//! {"line":1,"valid":true,"profile":"khqr"}
//! {"line":2,"valid":false,"profile":"khqr","findings":[{"rule":"EMV.63.CRC_MISMATCH","severity":"MUST","offset":128,"path":"63"}]}
//! ```

use crate::Profile;
use crate::rules::Rule;
use crate::rules::finding::{Finding, TagPath};

/// The parts of a verdict a compact line shows, borrowed from an owned or a borrowed verdict.
pub(super) struct Parts<'a> {
    pub valid: bool,
    pub profile: Profile,
    pub interop: bool,
    pub findings: &'a [Finding],
    pub not_evaluated: &'a [&'static Rule],
}

/// Appends one line (with its newline) to `out`.
pub(super) fn write(out: &mut Vec<u8>, line: u64, v: &Parts<'_>) {
    out.extend_from_slice(b"{\"line\":");
    push_u64(out, line);
    out.extend_from_slice(if v.valid {
        b",\"valid\":true,\"profile\":"
    } else {
        b",\"valid\":false,\"profile\":"
    });
    push_str(out, v.profile.as_str());
    if v.interop {
        out.extend_from_slice(b",\"interop\":true");
    }
    if !v.findings.is_empty() {
        out.extend_from_slice(b",\"findings\":[");
        for (i, f) in v.findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"rule\":");
            push_str(out, f.rule.id);
            out.extend_from_slice(b",\"severity\":");
            push_str(out, f.severity.as_str());
            push_place(out, f.offset, &f.path);
            out.push(b'}');
        }
        out.push(b']');
    }
    if !v.not_evaluated.is_empty() {
        out.extend_from_slice(b",\"not_evaluated\":[");
        for (i, r) in v.not_evaluated.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_str(out, r.id);
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}\n");
}

/// `,"offset":N` and, below the root, `,"path":"62.01"`.
fn push_place(out: &mut Vec<u8>, offset: usize, path: &TagPath) {
    out.extend_from_slice(b",\"offset\":");
    push_u64(out, offset as u64);
    if !path.is_empty() {
        out.extend_from_slice(b",\"path\":\"");
        for (i, id) in path.ids().enumerate() {
            if i > 0 {
                out.push(b'.');
            }
            out.extend_from_slice(&[b'0' + id / 10, b'0' + id % 10]);
        }
        out.push(b'"');
    }
}

/// A JSON string. Rule IDs, severities and profile names are plain ASCII; anything else is
/// escaped by serde_json all the same.
fn push_str(out: &mut Vec<u8>, s: &str) {
    if s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b < 0x7f)
    {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // A &str always serialises.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// A number in decimal.
pub(super) fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::validator::{Options, Validator};

    fn compact(payload: &str) -> (String, serde_json::Value) {
        let v = Validator::new()
            .validate(payload, &Options::default())
            .unwrap();
        let mut out = Vec::new();
        write(
            &mut out,
            7,
            &Parts {
                valid: v.valid,
                profile: v.profile,
                interop: v.interop,
                findings: &v.findings,
                not_evaluated: &v.not_evaluated,
            },
        );
        let text = String::from_utf8(out).unwrap();
        let json = serde_json::from_str(&text).unwrap();
        (text, json)
    }

    #[test]
    fn a_line_is_the_verdict_without_the_prose() {
        let good = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";
        let (text, json) = compact(good);
        assert!(text.ends_with("}\n") && text.lines().count() == 1);
        assert_eq!(json["line"], 7);
        assert_eq!(json["valid"], true);
        let full = Validator::new()
            .validate(good, &Options::default())
            .unwrap();
        assert_eq!(json["profile"], full.profile.as_str());

        let bad = good.replace("63046373", "63046374");
        let (_, json) = compact(&bad);
        assert_eq!(json["valid"], false);
        let full = Validator::new()
            .validate(&bad, &Options::default())
            .unwrap();
        let findings = json["findings"].as_array().unwrap();
        assert_eq!(findings.len(), full.findings.len());
        for (c, f) in findings.iter().zip(&full.findings) {
            assert_eq!(c["rule"], f.rule.id);
            assert_eq!(c["severity"], f.severity.as_str());
            assert_eq!(c["offset"], f.offset as u64);
            assert_eq!(
                c.get("path").and_then(|p| p.as_str()).unwrap_or(""),
                f.path.to_string()
            );
            assert!(c.get("message").is_none());
        }
        assert!(
            findings
                .iter()
                .any(|f| f["rule"] == "EMV.63.CRC_MISMATCH" && f["path"] == "63")
        );
    }

    #[test]
    fn numbers_and_strings() {
        let mut out = Vec::new();
        for n in [0, 7, 10, 1234567890, u64::MAX] {
            out.clear();
            push_u64(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
        out.clear();
        push_str(&mut out, "a\"b\n");
        assert_eq!(out, br#""a\"b\n""#);
    }
}
