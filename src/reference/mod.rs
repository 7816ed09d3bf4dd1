//! qrcert's own reference implementation of the protocol's operations, certified by the same
//! suite as every vendor and served over every transport (`qrcert reference --stdio | --http`).

mod defect;
mod generate;
mod parse;
mod payer;

use std::cell::RefCell;

use serde_json::Value;

use crate::Profile;
use crate::adapter::library::Implementation;
use crate::adapter::protocol::{
    Description, Fields, GenerateReply, ImplError, OpKind, ParseReply, Timestamp, ValidateReply,
    VendorError,
};
use crate::rules::validator::{Options, Validator};
use crate::rules::{Role, Severity};
use crate::{Capability, Clock, image};

pub use defect::{Defect, Evidence, Reach};
pub use generate::generate;
pub use parse::parse;
pub(crate) use payer::Decimal;
pub use payer::{payer, payer_of};

/// The reference implementation.
#[derive(Debug, Default, Clone)]
pub struct Reference {
    /// A deliberate defect (only `qrcert selftest` and tests set one).
    defect: Option<Defect>,
}

impl Reference {
    /// The reference implementation.
    pub fn new() -> Reference {
        Reference::default()
    }

    /// The reference implementation broken by one deliberate defect, for `qrcert selftest`:
    /// it must never be certified. Only the selftest reaches this (its process variants
    /// through the hidden `qrcert selftest --peer NAME`).
    pub fn with_defect(defect: Defect) -> Reference {
        Reference {
            defect: Some(defect),
        }
    }

    /// The defect, if this is a broken variant.
    pub fn defect(&self) -> Option<Defect> {
        self.defect
    }

    /// Holds a request of a profile the defect hangs on.
    fn maybe_hang(&self, profile: Profile) {
        if self.defect.is_some_and(|d| d.hangs_on(profile)) {
            std::thread::sleep(defect::HANG);
        }
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
    validate_with(payload, profile, now, None)
}

fn validate_with(
    payload: &str,
    profile: Profile,
    now: Option<Clock>,
    defect: Option<Defect>,
) -> Result<ValidateReply, ImplError> {
    let overlay = profile.spec().kind == crate::rules::profile::Kind::Overlay;
    let now = match defect {
        Some(Defect::ExpiryIgnored) => None,
        Some(Defect::ForeignExpiryIgnored) if overlay => None,
        Some(Defect::ExpiryWrongClock) => Some(Clock::system()),
        _ => now,
    };
    // The code-point reader judges what it read: the payload re-encoded in UTF-16 lengths,
    // with the CRC it checked on the raw payload.
    let reread = match defect {
        Some(Defect::KhqrUtf16Ignored) if profile == Profile::Khqr => {
            defect::reread_code_points(payload)
        }
        _ => None,
    };
    let crc_checked_raw = reread.is_some() && defect::crc_matches(payload);
    let judged = reread.as_deref().unwrap_or(payload);
    // The riel-with-cents reader: two decimals on a KHR amount look right to it.
    let khr_cents = overlay
        && defect == Some(Defect::ForeignKhrTwoDecimals)
        && defect::khr_with_two_decimals(payload);
    let hidden = |rule: &str| {
        defect.is_some_and(|d| d.hides(rule, payload))
            || (khr_cents && matches!(rule, "INTEROP.54.EXPONENT" | "KHQR.54.KHR_DECIMALS"))
            || (crc_checked_raw && crate::rules::profile::is_crc_mismatch(rule))
    };
    // The broken wallet judges Thai codes as plain EMVCo (the base profile), relaxations lost.
    let judged_as = match defect {
        Some(Defect::ThaiRelaxationsIgnored) if profile == Profile::Thaiqr => {
            crate::rules::profile::base().profile
        }
        Some(Defect::ForeignAccountRejected) if overlay => Profile::Jpqr,
        _ => profile,
    };
    let options = Options {
        profile: Some(judged_as),
        role: Role::Consumer,
        now_ms: now.map(Clock::millis),
        ..Options::default()
    };
    VALIDATOR.with(|v| {
        let mut v = v.borrow_mut();
        let verdict = v
            .validate(judged, &options)
            .map_err(|e| ImplError::new("refused", e.to_string()))?;
        let reported = || verdict.findings.iter().filter(|f| !hidden(f.rule.id));
        Ok(ValidateReply {
            // `valid` is false exactly when a MUST finding exists, so a defect hiding findings
            // recomputes it from what is left.
            valid: !reported().any(|f| f.severity == Severity::Must),
            errors: reported()
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
            name: match self.defect {
                None => "qrcert-reference".into(),
                Some(d) => format!("qrcert-reference+{}", d.name()),
            },
            version: env!("CARGO_PKG_VERSION").into(),
            capabilities: if self.defect == Some(Defect::ClaimsNothing) {
                Vec::new()
            } else {
                Capability::ALL.to_vec()
            },
            profiles: Profile::ALL
                .into_iter()
                .filter(|p| p.spec().reference_claims)
                .collect(),
        }
    }

    fn parse(&self, payload: &str) -> Result<Fields, ImplError> {
        let mut fields = parse(payload)?;
        if self.defect == Some(Defect::Parse62SubtagsLost) {
            defect::drop_62_subtags(&mut fields);
        }
        if self.defect == Some(Defect::ForeignTag64Dropped) {
            defect::drop_foreign_64(&mut fields);
        }
        Ok(fields)
    }

    fn parse_reply(&self, payload: &str) -> Result<ParseReply, ImplError> {
        let fields = self.parse(payload)?;
        // The payer view reads the code itself, not what a defect left of the fields.
        let mut payer = payer_of(&parse(payload)?);
        if self.defect == Some(Defect::PayerKhrCents) {
            defect::payer_with_cents(&mut payer);
        }
        Ok(ParseReply {
            fields,
            payer: Some(Box::new(payer)),
        })
    }

    fn validate_for(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
        wallet: Option<Profile>,
    ) -> Result<ValidateReply, ImplError> {
        if let Some(w) = wallet
            && w.spec().kind != crate::rules::profile::Kind::National
        {
            return Err(ImplError::bad_request(format!(
                "wallet {w} is not a national profile: a wallet judges codes as one scheme's app"
            )));
        }
        self.validate(payload, profile, now)
    }

    fn validate(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        self.maybe_hang(profile);
        let reply = validate_with(
            payload,
            profile,
            now.map(|t| Clock::from_millis(t.unix_millis())),
            self.defect,
        )?;
        if self.defect == Some(Defect::DodgesRejections) && !reply.valid {
            return Err(ImplError::unsupported(OpKind::Validate));
        }
        Ok(reply)
    }

    fn generate(&self, profile: Profile, input: &Value) -> Result<String, ImplError> {
        self.maybe_hang(profile);
        generate::generate_with(profile, input, None, self.defect)
    }

    fn generate_reply(&self, profile: Profile, input: &Value) -> Result<GenerateReply, ImplError> {
        let payload = self.generate(profile, input)?;
        // What the profile's generators return beside the payload (KHQR: its MD5), as its spec
        // says.
        let md5 = crate::rules::spec(profile)
            .and_then(|s| s.generated)
            .and_then(|g| g.digest)
            .map(|digest| digest(&payload))
            .map(|md5| match self.defect {
                Some(Defect::GenerateMd5UpperCase) => md5.to_ascii_uppercase(),
                _ => md5,
            });
        Ok(GenerateReply { payload, md5 })
    }

    fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
        render_with(payload, self.defect)
    }

    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        scan_with(png, self.defect)
    }
}

/// Renders a payload the way EMVCo §4.12 asks: byte mode only, ECI 26 when the payload has
/// characters outside ans, error correction M, a 4-module quiet zone.
pub fn render(payload: &str) -> Result<Vec<u8>, ImplError> {
    render_with(payload, None)
}

fn render_with(payload: &str, defect: Option<Defect>) -> Result<Vec<u8>, ImplError> {
    let mut options = image::RenderOptions::default();
    match defect {
        Some(Defect::RenderKanji) => options.segmentation = image::Segmentation::Automatic,
        Some(Defect::RenderNoQuietZone) => options.quiet_zone = 0,
        Some(Defect::RenderWithoutEci) => options.eci = image::EciPolicy::Never,
        _ => {}
    }
    image::render_png(payload, &options).map_err(|e| ImplError::new("render_failed", e.to_string()))
}

/// Reads the payload of the one QR symbol in a PNG (upright, rotated or inverted).
pub fn scan(png: &[u8]) -> Result<String, ImplError> {
    scan_with(png, None)
}

fn scan_with(png: &[u8], defect: Option<Defect>) -> Result<String, ImplError> {
    let decoded = image::decode_png_one_cached(png, &image::DecodeLimits::default())
        .map_err(|e| ImplError::new("not_read", e.to_string()))?;
    if defect == Some(Defect::ScanUprightOnly) && !defect::upright(&decoded) {
        return Err(ImplError::new("not_read", "no upright symbol found"));
    }
    if !decoded.payload_utf8 {
        return Err(ImplError::new(
            "EMV.PAYLOAD.UTF8",
            "the symbol's bytes are not UTF-8",
        ));
    }
    Ok(decoded.payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cross_border_request_names_a_national_wallet() {
        let r = Reference::new();
        let code = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";
        let ok = r.validate_for(code, Profile::Interop, None, Some(Profile::Jpqr));
        assert!(ok.is_ok_and(|v| v.valid));
        let err = r
            .validate_for(code, Profile::Interop, None, Some(Profile::Interop))
            .unwrap_err();
        assert_eq!(err.code, crate::adapter::protocol::BAD_REQUEST);
    }

    #[test]
    fn the_parse_reply_carries_the_payer_view_and_the_cents_reader_garbles_it() {
        let code = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";
        let payer = Reference::new().parse_reply(code).unwrap().payer.unwrap();
        assert!(payer.amount_entered_by_payer);
        assert_eq!(payer.currency.unwrap().minor_units, Some(0));
        let broken = Reference::with_defect(Defect::PayerKhrCents)
            .parse_reply(code)
            .unwrap()
            .payer
            .unwrap();
        assert_eq!(broken.currency.unwrap().minor_units, Some(2));
    }
}
