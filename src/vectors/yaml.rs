//! Writing vector files: one fixed layout, every text value double-quoted with escapes for
//! anything a reviewer could not see (control characters, format characters, a decomposed
//! accent), so the committed YAML reads the same in every YAML parser and in every editor.

use std::fmt::Write as _;

use super::model::*;
use super::wire::{WGenerateInput, WRenderExpect, WScanExpect};
use crate::rules::{EmvVersion, Role};

/// Characters written as escapes although they are printable: invisible or easily confused.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00A0}' | '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}'
        | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{2000}'..='\u{200F}'
        | '\u{2028}'..='\u{202F}' | '\u{205F}'..='\u{206F}' | '\u{3000}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFF}'
        | '\u{E000}'..='\u{F8FF}' | '\u{E0000}'..='\u{E0FFF}' | '\u{F0000}'..)
}

/// `s` as a YAML double-quoted scalar. Combining marks are escaped when the text is not in
/// NFC (so `CAFE\u0301` stays visibly decomposed) and kept in NFC text (Khmer vowel signs).
pub fn quote(s: &str) -> String {
    let nfc = crate::emv::charset::is_nfc(s);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || ('\u{7F}'..='\u{9F}').contains(&c) => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if is_invisible(c) || (!nfc && unicode_normalization::char::is_combining_mark(c)) => {
                if (c as u32) > 0xFFFF {
                    let _ = write!(out, "\\U{:08X}", c as u32);
                } else {
                    let _ = write!(out, "\\u{:04X}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a token can be written plain (rule IDs, tags, keys, enum words).
fn plain_ok(s: &str) -> bool {
    const AMBIGUOUS: [&str; 12] = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", "True", "False",
    ];
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !AMBIGUOUS.iter().any(|a| a.eq_ignore_ascii_case(s))
}

fn token(s: &str) -> String {
    if plain_ok(s) { s.to_owned() } else { quote(s) }
}

fn flow_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| token(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// Writes a JSON value as block YAML at `indent` spaces (the value of `key`).
fn value(out: &mut String, indent: usize, key: &str, v: &serde_json::Value) {
    let pad = " ".repeat(indent);
    match v {
        serde_json::Value::Null => {}
        serde_json::Value::Object(m) if m.is_empty() => {
            let _ = writeln!(out, "{pad}{}: {{}}", token(key));
        }
        serde_json::Value::Object(m) => {
            let _ = writeln!(out, "{pad}{}:", token(key));
            for (k, x) in m {
                value(out, indent + 2, k, x);
            }
        }
        serde_json::Value::Array(a) => {
            let strings: Option<Vec<String>> =
                a.iter().map(|x| x.as_str().map(str::to_owned)).collect();
            match strings {
                Some(s) => {
                    let _ = writeln!(out, "{pad}{}: {}", token(key), flow_list(&s));
                }
                None => {
                    let _ = writeln!(out, "{pad}{}:", token(key));
                    for x in a {
                        value(out, indent + 2, "-", x);
                    }
                }
            }
        }
        serde_json::Value::String(s) => {
            let _ = writeln!(out, "{pad}{}: {}", token(key), quote(s));
        }
        serde_json::Value::Bool(b) => {
            let _ = writeln!(out, "{pad}{}: {b}", token(key));
        }
        serde_json::Value::Number(n) => {
            let _ = writeln!(out, "{pad}{}: {n}", token(key));
        }
    }
}

fn fields(out: &mut String, indent: usize, f: &Fields) {
    let pad = " ".repeat(indent);
    for (k, v) in f {
        match v {
            Field::Value(s) => {
                let _ = writeln!(out, "{pad}{}: {}", quote(k), quote(s));
            }
            Field::Template(t) => {
                let _ = writeln!(out, "{pad}{}:", quote(k));
                fields(out, indent + 2, t);
            }
        }
    }
}

fn json<T: serde::Serialize>(t: &T) -> serde_json::Value {
    // The wire types hold only strings, booleans, small integers and maps: serialisation to a
    // JSON value cannot fail for them.
    serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
}

/// Writes one case in the fixed layout.
pub fn write_case(out: &mut String, c: &Case) {
    let _ = writeln!(out, "  - id: {}", token(&c.id));
    let _ = writeln!(out, "    capability: {}", c.capability());
    let _ = writeln!(out, "    title: {}", quote(&c.title));
    out.push_str("    input:\n");
    match &c.input {
        Input::Validate(i) => {
            match &i.payload {
                PayloadText::Text(t) => {
                    let _ = writeln!(out, "      payload: {}", quote(t));
                }
                PayloadText::Bytes(b) => {
                    let _ = writeln!(out, "      payload_hex: {}", quote(&hex::encode_upper(b)));
                }
            }
            if let Some(now) = i.now {
                let _ = writeln!(out, "      now: {}", quote(&now.to_rfc3339()));
            }
            if i.role != Role::default() {
                let _ = writeln!(out, "      role: generator");
            }
            if i.emv_version != EmvVersion::default() {
                let _ = writeln!(out, "      emv_version: \"1.0\"");
            }
        }
        Input::Parse(ParseInput { payload }) | Input::Render(RenderInput { payload }) => {
            let _ = writeln!(out, "      payload: {}", quote(payload));
        }
        Input::Generate(g) => {
            let w = json(&WGenerateInput {
                data: g.data.clone(),
                now: g.now,
            });
            if let serde_json::Value::Object(m) = w {
                for (k, x) in &m {
                    value(out, 6, k, x);
                }
            }
        }
        Input::Scan(s) => {
            if let [one] = s.images.as_slice() {
                let _ = writeln!(out, "      image: {}", quote(one));
            } else {
                let q: Vec<String> = s.images.iter().map(|x| quote(x)).collect();
                let _ = writeln!(out, "      sequence: [{}]", q.join(", "));
            }
        }
    }
    out.push_str("    expect:\n");
    match &c.expect {
        Expect::Validate(e) => {
            let _ = writeln!(out, "      result: {}", e.outcome().as_str());
            for (k, list) in [
                ("rules", &e.rules),
                ("warnings", &e.warnings),
                ("info", &e.info),
            ] {
                if !list.is_empty() {
                    let _ = writeln!(out, "      {k}: {}", flow_list(list));
                }
            }
        }
        Expect::Parse(p) => {
            out.push_str("      fields:\n");
            fields(out, 8, &p.fields);
            if let Some(payer) = &p.payer {
                value(out, 6, "payer", &json(payer));
            }
        }
        Expect::Generate(g) => {
            if let Some(p) = &g.payload {
                let _ = writeln!(out, "      payload: {}", quote(p));
            }
            if g.must_validate {
                out.push_str("      must_validate: true\n");
            }
            if !g.fields.is_empty() {
                out.push_str("      fields:\n");
                fields(out, 8, &g.fields);
            }
            if !g.refuse.is_empty() {
                let _ = writeln!(out, "      refuse: {}", flow_list(&g.refuse));
            }
            if !g.checks.is_empty() {
                let _ = writeln!(out, "      checks: {}", flow_list(&g.checks));
            }
            if !g.warnings.is_empty() {
                let _ = writeln!(out, "      warnings: {}", flow_list(&g.warnings));
            }
        }
        Expect::Render(r) => {
            let w = json(&WRenderExpect {
                checks: r.checks.clone(),
                eci_utf8: r.eci_utf8,
                min_ec_level: r.min_ec_level,
            });
            if let serde_json::Value::Object(m) = w {
                for (k, x) in &m {
                    value(out, 6, k, x);
                }
            }
        }
        Expect::Scan(s) => {
            let w = json(&WScanExpect {
                payload: s.payload.clone(),
                rules: s.rules.clone(),
                rung: s.rung.as_ref().map(|r| r.id.clone()),
                required: s.rung.as_ref().map(|r| r.required),
            });
            if let serde_json::Value::Object(m) = w {
                for (k, x) in &m {
                    value(out, 6, k, x);
                }
            }
        }
    }
    if !c.refs.is_empty() {
        let q: Vec<String> = c.refs.iter().map(|x| quote(x)).collect();
        let _ = writeln!(out, "    refs: [{}]", q.join(", "));
    }
    if !c.tags.is_empty() {
        let _ = writeln!(out, "    tags: {}", flow_list(&c.tags));
    }
    if c.status == VectorStatus::Retired {
        out.push_str("    status: retired\n");
    }
    let _ = writeln!(out, "    since: {}", quote(&c.since.to_string()));
    if let Some(r) = c.retired_in {
        let _ = writeln!(out, "    retired_in: {}", quote(&r.to_string()));
    }
    if let Some(n) = &c.notes {
        let _ = writeln!(out, "    notes: {}", quote(n));
    }
}

/// The header of a vector file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHeader {
    /// The profile (also the directory name).
    pub profile: crate::Profile,
    /// The area (also the file stem).
    pub area: String,
    /// What the file covers.
    pub description: Option<String>,
    /// The tool that owns the file, when generated.
    pub generated_by: Option<String>,
}

/// Writes a whole vector file.
pub fn write_file(h: &FileHeader, cases: &[Case]) -> String {
    let mut out = String::new();
    if let Some(d) = &h.description {
        for line in d.lines() {
            let _ = writeln!(out, "# {line}");
        }
    }
    if h.generated_by.is_some() {
        out.push_str("# Generated by `qrcert vectors generate` from src/vectors/generate/; edit the generator\n");
        out.push_str("# and regenerate (hand edits are overwritten). See vectors/README.md.\n");
    }
    let _ = writeln!(out, "profile: {}", h.profile);
    let _ = writeln!(out, "area: {}", token(&h.area));
    if let Some(d) = &h.description {
        let _ = writeln!(out, "description: {}", quote(d));
    }
    if let Some(g) = &h.generated_by {
        let _ = writeln!(out, "generated_by: {}", quote(g));
    }
    out.push_str("cases:\n");
    for c in cases {
        write_case(&mut out, c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_survives_a_yaml_round_trip_exactly() {
        let samples = [
            "00",
            "01",
            "12345678901234567890",
            "ហាងគុយទាវ",
            "さくらテストカフェ",
            "CAFE🍜",
            "trailing spaces  ",
            " leading",
            "CAFE\u{301}",
            "\r\n",
            "tab\there",
            "nul\0bell\u{7}del\u{7F}c1\u{85}",
            "quote\" back\\slash",
            "line\u{2028}sep\u{FEFF}bom\u{200B}zw\u{A0}nbsp",
            "# not a comment",
            "key: value",
            "- dash",
            "&anchor *alias !tag",
            "",
            "yes",
        ];
        for s in samples {
            let doc = format!("v: {}\n", quote(s));
            let back: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            assert_eq!(back["v"], s, "{doc}");
        }
    }

    #[test]
    fn invisible_and_decomposed_characters_are_escaped() {
        assert_eq!(quote("CAFE\u{301}"), "\"CAFE\\u0301\"");
        assert_eq!(quote("a\u{FEFF}"), "\"a\\uFEFF\"");
        assert_eq!(quote("x\r\n"), "\"x\\r\\n\"");
        // NFC Khmer keeps its vowel signs readable.
        assert_eq!(quote("ហាងគុយទាវ"), "\"ហាងគុយទាវ\"");
    }

    #[test]
    fn tokens_are_plain_only_when_unambiguous() {
        assert_eq!(token("EMV.63.CRC_MISMATCH"), "EMV.63.CRC_MISMATCH");
        assert_eq!(token("smoke"), "smoke");
        assert_eq!(token("yes"), "\"yes\"");
        assert_eq!(token("00"), "\"00\"");
        assert_eq!(token("a b"), "\"a b\"");
    }
}
