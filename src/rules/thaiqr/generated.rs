//! Judging a Thai QR generator's reply beyond its payload's own rules (thaiqr.md 3.2, 3.8, 7):
//! what it made of a mobile number, and an amount it should have refused.

use crate::merchant::Account;
use crate::rules::finding::Finding;
use crate::rules::generated::{GeneratedReply, ReplyChecks, generator_findings, reply_finding};
use crate::rules::validator::Validator;
use crate::{Profile, emv};

use super::{GEN_AMOUNT_UNCHECKED, GEN_MOBILE_NORMALISATION, normalise_mobile};

/// Thai QR's generator-reply rules and their check.
pub static REPLY_CHECKS: ReplyChecks = ReplyChecks {
    rules: &[&GEN_MOBILE_NORMALISATION, &GEN_AMOUNT_UNCHECKED],
    check,
    digest: None,
};

fn check(reply: &GeneratedReply<'_>, validator: &mut Validator, now_ms: Option<i64>) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(payload) = reply.payload else {
        return out;
    };
    if generator_findings(payload, Profile::Thaiqr, validator, now_ms).contains(&"THQR.54.FORMAT") {
        out.push(reply_finding(
            &GEN_AMOUNT_UNCHECKED,
            "the generator wrote an amount (54) that breaks THQR.54.FORMAT instead of refusing it"
                .to_owned(),
        ));
    }
    let mobile = reply.input.and_then(|d| match &d.account {
        Account::Scheme { scheme, fields } if scheme == "promptpay" => fields.get("mobile"),
        _ => None,
    });
    if let Some(mobile) = mobile
        && let Some(want) = normalise_mobile(mobile)
    {
        let got = written_mobile(payload);
        if got.as_deref() != Some(want.as_str()) {
            out.push(reply_finding(
                &GEN_MOBILE_NORMALISATION,
                format!(
                    "given the mobile number {mobile:?}, the generator wrote 29/01 {} instead of {want:?}",
                    got.map_or_else(|| "nothing".to_owned(), |g| format!("{g:?}"))
                ),
            ));
        }
    }
    out
}

/// The value of 29/01 as written, when the payload has one.
fn written_mobile(payload: &str) -> Option<String> {
    let spec = Profile::Thaiqr.spec();
    let options = emv::ParseOptions {
        unit: spec.unit,
        templates: spec.templates,
    };
    let tlv = emv::Tlv::parse(payload, &options);
    let p = emv::payload::Payload::new(payload, &tlv);
    p.root(29)?.child_value(1).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merchant::MerchantData;

    fn data(mobile: &str) -> MerchantData {
        serde_json::from_value(serde_json::json!({
            "kind": "static",
            "account": {"scheme": "promptpay", "mobile": mobile},
            "merchant": {"country": "TH"},
            "transaction": {"currency": "764"}
        }))
        .unwrap()
    }

    fn payload(proxy: &str, amount: Option<&str>) -> String {
        let a = amount.map_or(String::new(), |a| format!("54{:02}{a}", a.len()));
        crate::emv::crc::seal(&format!(
            "000201010211{}5303764{a}5802TH",
            {
                let inner = format!("0016A00000067701011101{:02}{proxy}", proxy.len());
                format!("29{:02}{inner}", inner.len())
            }
        ))
    }

    fn ids(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule.id).collect()
    }

    #[test]
    fn a_mobile_number_must_be_written_normalised() {
        let mut v = Validator::new();
        let d = data("081-234-5678");
        let good = payload("0066812345678", None);
        let reply = GeneratedReply {
            payload: Some(&good),
            md5: None,
            input: Some(&d),
        };
        assert!(check(&reply, &mut v, None).is_empty(), "{:?}", ids(&check(&reply, &mut v, None)));
        let bad = payload("081-234-5678", None);
        let reply = GeneratedReply {
            payload: Some(&bad),
            ..reply
        };
        assert!(ids(&check(&reply, &mut v, None)).contains(&"THQR.GEN.MOBILE_NORMALISATION"));
    }

    #[test]
    fn an_amount_that_should_have_been_refused_is_named() {
        let mut v = Validator::new();
        let bad = payload("0066812345678", Some("-5.00"));
        let reply = GeneratedReply {
            payload: Some(&bad),
            md5: None,
            input: None,
        };
        assert_eq!(ids(&check(&reply, &mut v, None)), ["THQR.GEN.AMOUNT_UNCHECKED"]);
    }
}
