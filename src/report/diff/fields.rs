//! Field-level differences between two outputs (`observed` of parse and generate cases).
//!
//! Outputs are flattened to `path -> value` leaves (`fields/26/00`). A string under a `payload`
//! key that decodes as an EMV payload is also broken into its data objects (`payload/59`), so a
//! changed merchant name reads as one changed field rather than two long strings that differ
//! somewhere.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::reference;

/// One leaf that differs; `None` means absent on that side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Where, e.g. `payload/59` or `fields/64/01`.
    pub path: String,
    /// Before, as JSON text.
    pub old: Option<String>,
    /// After, as JSON text.
    pub new: Option<String>,
}

/// The longest leaf shown.
const LEAF_CHARS: usize = 300;
/// How deep outputs are walked (they are untrusted).
const MAX_DEPTH: usize = 32;

/// The leaves of `old` and `new` that differ, in path order.
pub fn changes(old: &Value, new: &Value) -> Vec<FieldChange> {
    let (a, b) = (leaves(old), leaves(new));
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .map(|p| FieldChange {
            path: p.clone(),
            old: a.get(p).cloned(),
            new: b.get(p).cloned(),
        })
        .collect()
}

fn leaves(v: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    walk(v, String::new(), 0, &mut out);
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}/{key}")
    }
}

fn walk(v: &Value, path: String, depth: usize, out: &mut BTreeMap<String, String>) {
    if depth > MAX_DEPTH {
        out.insert(path, "…(too deep)".into());
        return;
    }
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                let here = join(&path, k);
                if k == "payload"
                    && let Value::String(p) = x
                    && let Some(decoded) = decode(p)
                {
                    walk(&decoded, here, depth + 1, out);
                    continue;
                }
                walk(x, here, depth + 1, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, x) in items.iter().enumerate() {
                walk(x, join(&path, &i.to_string()), depth + 1, out);
            }
        }
        leaf => {
            let text = serde_json::to_string(leaf).unwrap_or_default();
            out.insert(path, super::super::text::cut(&text, LEAF_CHARS));
        }
    }
}

/// A payload's data objects, when it parses.
fn decode(payload: &str) -> Option<Value> {
    let fields = reference::parse(payload).ok()?;
    serde_json::to_value(fields).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payloads_are_compared_object_by_object() {
        let old = json!({"payload": crate::emv::crc::seal("000201010211520459995303840" )});
        let new = json!({"payload": crate::emv::crc::seal("000201010212520459995303840" )});
        let c = changes(&old, &new);
        assert_eq!(c.len(), 2, "{c:?}");
        assert_eq!(c[0].path, "payload/01");
        assert_eq!(c[0].old.as_deref(), Some("\"11\""));
        assert_eq!(c[0].new.as_deref(), Some("\"12\""));
        assert_eq!(c[1].path, "payload/63", "the CRC changes with it");
    }

    #[test]
    fn fields_added_removed_and_non_payload_strings() {
        let old = json!({"fields": {"00": "01", "64": {"00": "JA"}}, "payload": "not tlv"});
        let new = json!({"fields": {"00": "01"}, "payload": "still not"});
        let c = changes(&old, &new);
        assert_eq!(
            c,
            vec![
                FieldChange {
                    path: "fields/64/00".into(),
                    old: Some("\"JA\"".into()),
                    new: None
                },
                FieldChange {
                    path: "payload".into(),
                    old: Some("\"not tlv\"".into()),
                    new: Some("\"still not\"".into())
                },
            ]
        );
        assert!(changes(&old, &old).is_empty());
    }
}
