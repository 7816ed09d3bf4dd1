//! Shared by the adapter integration tests: a deterministic test implementation, fixture
//! programs, request builders.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use qrcert::adapter::cli::CliOptions;
use qrcert::adapter::library::Implementation;
use qrcert::adapter::protocol::{
    Description, Field, Fields, ImplError, Op, ParseReply, Request, Timestamp, ValidateReply,
    VendorError,
};
use qrcert::{Capability, Profile};
use serde_json::Value;

/// The directory of the hostile fixture programs.
pub(crate) fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/adapters")
}

/// Options running `python3 tests/fixtures/adapters/NAME` with short timeouts.
pub(crate) fn fixture(name: &str) -> CliOptions {
    let script = fixtures().join(name);
    let mut o = CliOptions::new(vec!["python3".into(), script.display().to_string()]).unwrap();
    o.request_timeout = Duration::from_millis(300);
    // Python starts in tens of milliseconds, but a loaded CI machine can take much longer.
    o.start_timeout = Duration::from_millis(1500);
    o.restart_backoff = Duration::from_millis(20);
    o
}

/// A validate request under the EMVCo profile.
pub(crate) fn validate(id: u64, payload: &str) -> Request {
    Request::new(
        id,
        Op::Validate {
            payload: payload.into(),
            profile: Profile::Emvco,
            now: None,
            wallet: None,
        },
    )
}

/// A test implementation with every capability, deterministic answers, and a few refusals,
/// so that any transport's replies can be compared with the in-process ones.
pub(crate) struct TestImpl;

impl Implementation for TestImpl {
    fn describe(&self) -> Description {
        Description {
            name: "test-impl".into(),
            version: "0.1.0".into(),
            capabilities: Capability::ALL.to_vec(),
            profiles: vec![Profile::Emvco, Profile::Khqr],
        }
    }

    fn parse(&self, payload: &str) -> Result<Fields, ImplError> {
        // Two-digit tag, two-digit length, value; tags 26-51 and 62 nested one level.
        fn tlv(mut s: &str, nested: bool) -> Result<Fields, ImplError> {
            let mut out = std::collections::BTreeMap::new();
            while !s.is_empty() {
                let bad = || ImplError::new("E_TLV", format!("cannot read TLV at {s:?}"));
                let tag = s.get(..2).ok_or_else(bad)?;
                let len: usize = s.get(2..4).ok_or_else(bad)?.parse().map_err(|_| bad())?;
                let value = s.get(4..4 + len).ok_or_else(bad)?;
                let n: u32 = tag.parse().map_err(|_| bad())?;
                let field = if nested && ((26..=51).contains(&n) || n == 62) {
                    Field::Template(tlv(value, false)?)
                } else {
                    Field::Value(value.to_owned())
                };
                out.insert(tag.to_owned(), field);
                s = &s[4 + len..];
            }
            Ok(Fields(out))
        }
        tlv(payload, true)
    }

    fn parse_reply(&self, payload: &str) -> Result<ParseReply, ImplError> {
        // What the payer is shown, read from the decoded fields as the reference reads them.
        let fields = self.parse(payload)?;
        let payer = qrcert::reference::payer_of(&fields);
        Ok(ParseReply {
            fields,
            payer: Some(Box::new(payer)),
        })
    }

    fn validate(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        let mut errors = Vec::new();
        if !payload.starts_with("000201") {
            errors.push(VendorError {
                code: "E_FORMAT".into(),
                message: "payload format indicator missing".into(),
            });
        }
        if profile == Profile::Khqr && !payload.contains("kh.gov.nbc.bakong") {
            errors.push(VendorError {
                code: "E_KHQR".into(),
                message: format!(
                    "no Bakong account (judged at {:?})",
                    now.map(|t| t.to_string())
                ),
            });
        }
        Ok(ValidateReply {
            valid: errors.is_empty(),
            errors,
        })
    }

    fn generate(&self, profile: Profile, input: &Value) -> Result<String, ImplError> {
        let name = input
            .get("merchant_name")
            .and_then(Value::as_str)
            .ok_or_else(|| ImplError::new("E_INPUT", "merchant_name is required"))?;
        Ok(format!(
            "000201{}59{:02}{name}",
            profile.as_str().len(),
            name.len()
        ))
    }

    fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(payload.as_bytes());
        Ok(png)
    }

    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        png.strip_prefix(b"\x89PNG\r\n\x1a\n")
            .and_then(|rest| String::from_utf8(rest.to_vec()).ok())
            .ok_or_else(|| ImplError::new("E_IMAGE", "not an image this implementation made"))
    }
}

/// One request of every op, including ones the test implementation refuses.
pub(crate) fn requests_of_every_kind() -> Vec<Request> {
    use qrcert::adapter::protocol::Png;
    let ops = vec![
        Op::Describe,
        Op::Parse {
            payload: "00020101021129060002015802KH".into(),
        },
        Op::Parse {
            payload: "00020101021129210017kh.gov.nbc.bakong5802KH".into(),
        },
        Op::Validate {
            payload: "000201010211".into(),
            profile: Profile::Emvco,
            now: None,
            wallet: None,
        },
        Op::Validate {
            payload: "hello".into(),
            profile: Profile::Khqr,
            now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
            wallet: None,
        },
        // A cross-border request names the wallet judging the code.
        Op::Validate {
            payload: "00020101021129210017kh.gov.nbc.bakong5802KH".into(),
            profile: Profile::Interop,
            now: None,
            wallet: Some(Profile::Jpqr),
        },
        Op::Generate {
            profile: Profile::Khqr,
            input: serde_json::json!({"merchant_name": "Coffee Klang"}),
        },
        Op::Generate {
            profile: Profile::Emvco,
            input: serde_json::json!({}),
        },
        Op::Render {
            payload: "000201".into(),
        },
        Op::Scan {
            png: Png(b"\x89PNG\r\n\x1a\n000201".to_vec()),
        },
        Op::Scan {
            png: Png(vec![1, 2, 3]),
        },
    ];
    ops.into_iter()
        .enumerate()
        .map(|(i, op)| Request::new(i as u64 + 1, op))
        .collect()
}
