//! PNG images inside a case's request and reply. Reports never carry large binaries verbatim: the
//! runner replaces each PNG by a summary `{"png": {"sha256", "bytes", "data_base64"?}}`, keeping
//! the image itself only for cases that did not pass and only up to [`MAX_EMBEDDED_PNG`] bytes, so
//! a reviewer can see the failing symbol without the report growing with every passing one.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The largest PNG kept inside a report (256 KiB).
pub const MAX_EMBEDDED_PNG: usize = 256 * 1024;

/// The summary object that stands for `png` in a request or reply: its SHA-256 and size, plus the
/// image itself (base64) when `keep_data` is set and it is at most [`MAX_EMBEDDED_PNG`] bytes.
pub fn summarize(png: &[u8], keep_data: bool) -> Value {
    let mut summary = json!({
        "sha256": hex::encode(Sha256::digest(png)),
        "bytes": png.len(),
    });
    if keep_data && png.len() <= MAX_EMBEDDED_PNG {
        summary["data_base64"] = Value::String(STANDARD.encode(png));
    }
    json!({ "png": summary })
}

/// One image found in a request or reply, as the HTML report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedPng {
    /// Where it was: `request`, `reply`, or a JSON path below them (`reply.png`).
    pub location: String,
    /// Hex SHA-256 the runner recorded.
    pub sha256: String,
    /// Size the runner recorded.
    pub bytes: u64,
    /// The image as base64, when the report kept it and it really is a PNG of that size.
    pub data_base64: Option<String>,
}

/// Finds every `{"png": {"sha256", "bytes", ...}}` summary below `value` (depth-limited, since
/// reports are untrusted input). The image data is only returned when it decodes as base64, starts
/// with the PNG signature and matches the recorded size: a page must never embed something that
/// is not the image the summary describes.
pub fn find(value: &Value, location: &str) -> Vec<EmbeddedPng> {
    let mut out = Vec::new();
    walk(value, location.to_owned(), 0, &mut out);
    out
}

const MAX_DEPTH: usize = 16;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn walk(value: &Value, location: String, depth: usize, out: &mut Vec<EmbeddedPng>) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{location}.{k}");
                if k == "png"
                    && let Some(found) = summary(v, &here)
                {
                    out.push(found);
                    continue;
                }
                walk(v, here, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{location}[{i}]"), depth + 1, out);
            }
        }
        _ => {}
    }
}

fn summary(v: &Value, location: &str) -> Option<EmbeddedPng> {
    let sha256 = v.get("sha256")?.as_str()?.to_owned();
    let bytes = v.get("bytes")?.as_u64()?;
    let data_base64 = v
        .get("data_base64")
        .and_then(Value::as_str)
        .filter(|d| d.len() <= MAX_EMBEDDED_PNG.div_ceil(3) * 4)
        .filter(|d| {
            STANDARD
                .decode(d)
                .is_ok_and(|raw| raw.starts_with(PNG_SIGNATURE) && raw.len() as u64 == bytes)
        })
        .map(str::to_owned);
    Some(EmbeddedPng {
        location: location.to_owned(),
        sha256,
        bytes,
        data_base64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_png() -> Vec<u8> {
        crate::reference::render("000201").unwrap()
    }

    #[test]
    fn summary_keeps_data_only_when_asked_and_small() {
        let png = tiny_png();
        let kept = summarize(&png, true);
        assert_eq!(kept["png"]["bytes"], png.len());
        assert_eq!(kept["png"]["sha256"].as_str().unwrap().len(), 64);
        assert!(kept["png"]["data_base64"].is_string());
        assert!(summarize(&png, false)["png"].get("data_base64").is_none());
        let big = vec![0u8; MAX_EMBEDDED_PNG + 1];
        assert!(summarize(&big, true)["png"].get("data_base64").is_none());
    }

    #[test]
    fn finds_summaries_and_refuses_data_that_is_not_the_png() {
        let png = tiny_png();
        let reply = json!({"ok": true, "png": summarize(&png, true)["png"].clone()});
        let found = find(&reply, "reply");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location, "reply.png");
        assert!(found[0].data_base64.is_some());

        let lying = json!({"png": {"sha256": "00", "bytes": 3, "data_base64": STANDARD.encode(b"<script>")}});
        let found = find(&lying, "reply");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].data_base64, None, "not a PNG: never embedded");

        let wrong_size =
            json!({"png": {"sha256": "00", "bytes": 1, "data_base64": STANDARD.encode(&png)}});
        assert_eq!(find(&wrong_size, "r")[0].data_base64, None);
        assert!(find(&json!({"png": "raw"}), "r").is_empty());
    }
}
