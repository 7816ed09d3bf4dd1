//! Judging a VietQR generator's reply beyond its payload's own rules (vietqr.md 7): a length
//! field that does not give the value's length.

use crate::rules::finding::Finding;
use crate::rules::generated::{GeneratedReply, ReplyChecks, reply_finding};
use crate::rules::validator::Validator;
use crate::{Profile, emv};

use super::GEN_LENGTH_FIELD;

/// VietQR's generator-reply rules and their check.
pub static REPLY_CHECKS: ReplyChecks = ReplyChecks {
    rules: &[&GEN_LENGTH_FIELD],
    check,
    digest: None,
};

fn check(reply: &GeneratedReply<'_>, _validator: &mut Validator, _now_ms: Option<i64>) -> Vec<Finding> {
    let Some(payload) = reply.payload else {
        return Vec::new();
    };
    let spec = Profile::Vietqr.spec();
    let options = emv::ParseOptions {
        unit: spec.unit,
        templates: spec.templates,
    };
    let tlv = emv::Tlv::parse(payload, &options);
    match tlv.errors().first() {
        None => Vec::new(),
        Some(e) => vec![reply_finding(
            &GEN_LENGTH_FIELD,
            format!(
                "the generator wrote a length that does not give its value's length ({:?} at byte {})",
                e.kind, e.offset
            ),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_length_field_is_named() {
        let mut v = Validator::new();
        let good = crate::emv::crc::seal("00020101021153037045405100005802VN");
        let reply = GeneratedReply {
            payload: Some(&good),
            md5: None,
            input: None,
        };
        assert!(check(&reply, &mut v, None).is_empty());
        let bad = crate::emv::crc::seal("000201010211530370454ed100005802VN");
        let reply = GeneratedReply {
            payload: Some(&bad),
            ..reply
        };
        let f = check(&reply, &mut v, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule.id, "VNQR.GEN.LENGTH_FIELD");
    }
}
