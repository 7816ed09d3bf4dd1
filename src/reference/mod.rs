//! qrcert's own reference implementation of the protocol's operations, certified by the same
//! suite as every vendor and served over every transport (`qrcert reference --stdio | --http`).

mod generate;
mod parse;

use std::cell::RefCell;

use serde_json::Value;

use crate::Profile;
use crate::adapter::library::Implementation;
use crate::adapter::protocol::{
    Description, Fields, ImplError, Timestamp, ValidateReply, VendorError,
};
use crate::rules::validator::{Options, Validator};
use crate::rules::{Role, Severity};
use crate::{Capability, Clock, image};

pub use generate::generate;
pub use parse::parse;

/// The reference implementation.
#[derive(Debug, Default, Clone)]
pub struct Reference {
    _private: (),
}

impl Reference {
    /// The reference implementation.
    pub fn new() -> Reference {
        Reference::default()
    }
}

thread_local! {
    /// One validator per thread: callers run operations concurrently, and a validator keeps
    /// its buffers between payloads.
    static VALIDATOR: RefCell<Validator> = RefCell::new(Validator::new());
}

/// Validates with the reference rules and reports MUST and SHOULD findings as vendor errors
/// whose codes are qrcert rule IDs (so no error map is needed).
pub fn validate(
    payload: &str,
    profile: Profile,
    now: Option<Clock>,
) -> Result<ValidateReply, ImplError> {
    let options = Options {
        profile: Some(profile),
        role: Role::Consumer,
        now_ms: now.map(Clock::millis),
        ..Options::default()
    };
    VALIDATOR.with(|v| {
        let mut v = v.borrow_mut();
        let verdict = v
            .validate(payload, &options)
            .map_err(|e| ImplError::new("refused", e.to_string()))?;
        Ok(ValidateReply {
            valid: verdict.valid,
            errors: verdict
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .map(|f| VendorError {
                    code: f.rule.id.to_owned(),
                    message: f.message.to_string(),
                })
                .collect(),
        })
    })
}

impl Implementation for Reference {
    fn describe(&self) -> Description {
        Description {
            name: "qrcert-reference".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            capabilities: Capability::ALL.to_vec(),
            profiles: vec![Profile::Emvco, Profile::Jpqr, Profile::Khqr],
        }
    }

    fn parse(&self, payload: &str) -> Result<Fields, ImplError> {
        parse(payload)
    }

    fn validate(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        validate(
            payload,
            profile,
            now.map(|t| Clock::from_millis(t.unix_millis())),
        )
    }

    fn generate(&self, profile: Profile, input: &Value) -> Result<String, ImplError> {
        generate(profile, input, None)
    }

    fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
        render(payload)
    }

    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        scan(png)
    }
}

/// Renders a payload the way EMVCo §4.12 asks: byte mode only, ECI 26 when the payload has
/// characters outside ans, error correction M, a 4-module quiet zone.
pub fn render(payload: &str) -> Result<Vec<u8>, ImplError> {
    image::render_png(payload, &image::RenderOptions::default())
        .map_err(|e| ImplError::new("render_failed", e.to_string()))
}

/// Reads the payload of the one QR symbol in a PNG (upright, rotated or inverted).
pub fn scan(png: &[u8]) -> Result<String, ImplError> {
    let decoded = image::decode_png_one(png, &image::DecodeLimits::default())
        .map_err(|e| ImplError::new("not_read", e.to_string()))?;
    if !decoded.payload_utf8 {
        return Err(ImplError::new(
            "EMV.PAYLOAD.UTF8",
            "the symbol's bytes are not UTF-8",
        ));
    }
    Ok(decoded.payload)
}
