//! Judging a KHQR generator's reply beyond the payload string: the md5 the SDK returns beside the
//! payload (the Bakong Open API's lookup handle), and false success (khqr.md sections 1, 5).
//! The profile's spec names [`REPLY_CHECKS`]; the runner runs [`check_generated`] on every
//! generate case of the KHQR profile.

use md5::{Digest, Md5};

use crate::Profile;
use crate::rules::finding::Finding;
pub use crate::rules::generated::GeneratedReply;
use crate::rules::generated::ReplyChecks;
use crate::rules::rule::{Role, Severity};
use crate::rules::validator::{Options, Validator};

use super::{GEN_FALSE_SUCCESS, GEN_MD5};

/// KHQR's generator-reply rules and their check.
pub static REPLY_CHECKS: ReplyChecks = ReplyChecks {
    rules: &[&GEN_MD5, &GEN_FALSE_SUCCESS],
    check: check_generated,
    digest: Some(md5_hex),
};

/// The lower-case hex MD5 of the payload's UTF-8 bytes.
pub fn md5_hex(payload: &str) -> String {
    hex::encode(Md5::digest(payload.as_bytes()))
}

/// The findings on a successful generator reply: KHQR.GEN.FALSE_SUCCESS when there is no payload
/// or it breaks a MUST rule of the KHQR profile (judged as generator output, at the clock in
/// `now_ms`), KHQR.GEN.MD5 when the md5 does not match.
pub fn check_generated(
    reply: &GeneratedReply<'_>,
    validator: &mut Validator,
    now_ms: Option<i64>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |rule, message: String| Finding {
        rule,
        severity: Severity::Must,
        offset: 0,
        path: crate::rules::TagPath::ROOT,
        message: message.into(),
    };
    let Some(payload) = reply.payload else {
        out.push(finding(
            &GEN_FALSE_SUCCESS,
            "the generator reported success but returned no payload string".to_owned(),
        ));
        return out;
    };
    let options = Options {
        profile: Some(Profile::Khqr),
        role: Role::Generator,
        now_ms,
        ..Options::default()
    };
    match validator.check(payload, &options) {
        Ok(v) if v.valid => {}
        Ok(v) => {
            let mut ids: Vec<&str> = v
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Must)
                .map(|f| f.rule.id)
                .collect();
            ids.dedup();
            out.push(finding(
                &GEN_FALSE_SUCCESS,
                format!(
                    "the generator reported success, but its payload breaks MUST rules: {}",
                    ids.join(", ")
                ),
            ));
        }
        Err(e) => out.push(finding(
            &GEN_FALSE_SUCCESS,
            format!("the generator reported success, but its payload cannot be validated: {e}"),
        )),
    }
    if let Some(md5) = reply.md5 {
        let want = md5_hex(payload);
        if md5 != want {
            out.push(finding(
                &GEN_MD5,
                format!(
                    "the md5 is {md5:?}; the lower-case hex MD5 of the payload's {} UTF-8 bytes is {want:?}",
                    payload.len()
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DYNAMIC: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";
    const NOW: Option<i64> = Some(1_780_000_900_000);

    fn ids(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule.id).collect()
    }

    #[test]
    fn the_digest_md5_matches() {
        assert_eq!(md5_hex(DYNAMIC), "8b6af7420ea4b80d7c2638b323bc01e2");
    }

    #[test]
    fn md5_fires_on_a_wrong_or_upper_case_digest_and_is_silent_on_the_right_one() {
        let mut v = Validator::new();
        let good = GeneratedReply {
            payload: Some(DYNAMIC),
            md5: Some("8b6af7420ea4b80d7c2638b323bc01e2"),
            input: None,
        };
        assert!(check_generated(&good, &mut v, NOW).is_empty());
        let upper = GeneratedReply {
            md5: Some("8B6AF7420EA4B80D7C2638B323BC01E2"),
            ..good
        };
        assert_eq!(ids(&check_generated(&upper, &mut v, NOW)), ["KHQR.GEN.MD5"]);
        let other = GeneratedReply {
            md5: Some("d41d8cd98f00b204e9800998ecf8427e"),
            ..good
        };
        assert_eq!(ids(&check_generated(&other, &mut v, NOW)), ["KHQR.GEN.MD5"]);
    }

    #[test]
    fn false_success_fires_without_a_payload_or_with_a_broken_one() {
        let mut v = Validator::new();
        let none = GeneratedReply::default();
        assert_eq!(
            ids(&check_generated(&none, &mut v, NOW)),
            ["KHQR.GEN.FALSE_SUCCESS"]
        );
        // The SDK's generator writes a three-digit length for a 116-unit 62 (khqr.md 5).
        let broken = format!(
            "{}62116{}",
            &DYNAMIC[..DYNAMIC.find("6220").unwrap()],
            "0125".to_owned() + &"B".repeat(25) + "0225" + &"M".repeat(25)
        );
        let f = check_generated(
            &GeneratedReply {
                payload: Some(&broken),
                md5: None,
                input: None,
            },
            &mut v,
            NOW,
        );
        assert_eq!(ids(&f), ["KHQR.GEN.FALSE_SUCCESS"]);
        assert!(f[0].message.contains("MUST"), "{}", f[0].message);
        // An expired payload is a broken MUST too, at the given clock.
        let f = check_generated(
            &GeneratedReply {
                payload: Some(DYNAMIC),
                md5: None,
                input: None,
            },
            &mut v,
            Some(1_780_000_900_001),
        );
        assert!(f[0].message.contains("KHQR.99.EXPIRED"), "{}", f[0].message);
    }

    #[test]
    fn false_success_is_silent_on_a_valid_payload() {
        let mut v = Validator::new();
        let ok = GeneratedReply {
            payload: Some(DYNAMIC),
            md5: None,
            input: None,
        };
        assert!(check_generated(&ok, &mut v, NOW).is_empty());
    }
}
