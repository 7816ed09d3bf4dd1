//! Plain-text pieces shared by the report writers: short JSON, grade notes, rule lines.

use serde_json::Value;

use super::model::{CaseReport, Grade, Report};

/// Strings longer than this are cut in [`short_json`].
const LONG_STRING: usize = 160;
/// Strings longer than this are cut in [`pretty_json`]: whole payloads fit, base64 images do not.
const LONG_STRING_DETAIL: usize = 2048;
/// Output longer than this is cut in [`short_json`].
const LONG_JSON: usize = 4000;

/// Compact JSON for a message or a table cell: long strings (base64 images, payloads) are cut
/// with a note of their length, and the whole is bounded, so a report stays readable whatever an
/// implementation answered.
pub fn short_json(value: &Value) -> String {
    let text = serde_json::to_string(&shorten(value, LONG_STRING)).unwrap_or_default();
    cut(&text, LONG_JSON)
}

/// Pretty JSON for a details block: strings over 2048 chars (images) are cut, and the whole is
/// bounded by `max` chars.
pub fn pretty_json(value: &Value, max: usize) -> String {
    let text =
        serde_json::to_string_pretty(&shorten(value, LONG_STRING_DETAIL)).unwrap_or_default();
    cut(&text, max)
}

fn shorten(value: &Value, limit: usize) -> Value {
    match value {
        Value::String(s) if s.chars().count() > limit => Value::String(format!(
            "{}… ({} chars)",
            s.chars().take(limit).collect::<String>(),
            s.chars().count()
        )),
        Value::Array(items) => Value::Array(items.iter().map(|v| shorten(v, limit)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), shorten(v, limit)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `text` cut to at most `max` characters, saying how much was left out.
pub fn cut(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        text.to_owned()
    } else {
        format!(
            "{}… ({} more chars)",
            text.chars().take(max).collect::<String>(),
            n - max
        )
    }
}

/// What a grade means for a case that did not simply pass or fail, or `None` for PASS/FAIL/ERROR.
pub fn grade_note(case: &CaseReport) -> Option<String> {
    let waiver = case.waiver.as_deref().unwrap_or("?");
    match case.grade {
        Grade::NonStrict => Some("NON_STRICT: only SHOULD-level expectations were broken, or a rejection named the wrong reason; does not block certification".into()),
        Grade::Info => Some("INFO: reported only; not required by the profile".into()),
        Grade::Waived => Some(format!("WAIVED: a failure covered by waiver {waiver:?}")),
        Grade::Xpass => Some(format!("XPASS: the case passed although waiver {waiver:?} covers it; the waiver is stale and should be removed")),
        Grade::Unsupported => Some("UNSUPPORTED: the implementation does not offer this capability".into()),
        Grade::Pass | Grade::Fail | Grade::Error => None,
    }
}

/// One line per rule of the case: `ID (SEVERITY, reference): summary`, from `report.rules`.
pub fn rule_lines(report: &Report, case: &CaseReport) -> Vec<String> {
    case.rules
        .iter()
        .map(|id| match report.rules.get(id) {
            Some(r) => format!("{id} ({}, {}): {}", r.severity, r.reference, r.summary),
            None => id.clone(),
        })
        .collect()
}

/// The details of a case as plain text: message, expected, observed, rules, source.
pub fn case_details(report: &Report, case: &CaseReport) -> String {
    let mut out = format!("{} [{}] {}\n", case.id, case.grade, case.message);
    out.push_str(&format!("expected: {}\n", short_json(&case.expected)));
    out.push_str(&format!("observed: {}\n", short_json(&case.observed)));
    for line in rule_lines(report, case) {
        out.push_str(&format!("rule: {line}\n"));
    }
    if !case.refs.is_empty() {
        out.push_str(&format!("spec: {}\n", case.refs.join("; ")));
    }
    out.push_str(&format!("vector: {}\n", case.source));
    out
}

/// `name version`.
pub fn implementation(report: &Report) -> String {
    format!(
        "{} {}",
        report.implementation.name, report.implementation.version
    )
}

/// The one-line identity of a run: suite, hash, rules, harness, implementation, clock.
pub fn identity_line(report: &Report) -> String {
    format!(
        "suite {} (sha256 {}, rules {}) · {} {} · implementation {} via {} · clock {}",
        report.suite.version,
        short_hash(&report.suite.sha256),
        report.suite.rules_version,
        report.harness.name,
        report.harness.version,
        implementation(report),
        report.implementation.adapter.transport,
        report.clock
    )
}

/// The first 12 hex digits of a hash.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_strings_and_long_json_are_cut() {
        let v = json!({"png": "A".repeat(1000), "ok": true});
        let s = short_json(&v);
        assert!(s.contains("(1000 chars)"), "{s}");
        assert!(s.len() < 300);
        let big = json!((0..5000).collect::<Vec<_>>());
        assert!(short_json(&big).ends_with("more chars)"));
        assert_eq!(cut("héllo", 3), "hél… (2 more chars)");
        assert_eq!(short_hash("abc"), "abc");
    }
}
