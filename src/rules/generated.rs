//! Judging a generator's whole reply, beyond the payload string: what a profile's generators
//! return beside the payload (KHQR's SDK returns the payload's MD5, the Bakong Open API's lookup
//! handle), and false success. A profile that has such rules names them and their check in its
//! spec ([`ReplyChecks`]); the runner runs the check on every generate case of the profile, and
//! the vector generator lists the rules in each generate vector's `checks`.

use super::finding::Finding;
use super::rule::Rule;
use super::validator::Validator;

/// What a generator returned on success.
#[derive(Debug, Clone, Copy, Default)]
pub struct GeneratedReply<'a> {
    /// The payload string, if the reply had one.
    pub payload: Option<&'a str>,
    /// The digest the generator returned beside it, if any (an absent digest is not judged:
    /// only some generators return one).
    pub md5: Option<&'a str>,
    /// The merchant data the generator was given, when known: some rules judge what the
    /// generator made of it (a mobile number normalised).
    pub input: Option<&'a crate::merchant::MerchantData>,
}

/// A finding of a generator-reply rule (MUST unless the rule says otherwise; the payload as a
/// whole is its location).
pub fn reply_finding(rule: &'static Rule, message: String) -> Finding {
    Finding {
        rule,
        severity: rule.severity,
        offset: 0,
        path: super::TagPath::ROOT,
        message: message.into(),
    }
}

/// The generator-role findings of the payload under `profile`, at `now_ms`: what a false
/// success or an unchecked field shows.
pub fn generator_findings(
    payload: &str,
    profile: crate::Profile,
    validator: &mut Validator,
    now_ms: Option<i64>,
) -> Vec<&'static str> {
    let options = super::validator::Options {
        profile: Some(profile),
        role: super::rule::Role::Generator,
        now_ms,
        ..super::validator::Options::default()
    };
    match validator.check(payload, &options) {
        Ok(v) => v.findings.iter().map(|f| f.rule.id).collect(),
        Err(_) => Vec::new(),
    }
}

/// A profile's checks of generator replies.
#[derive(Debug)]
pub struct ReplyChecks {
    /// The rules the check fires.
    pub rules: &'static [&'static Rule],
    /// Findings on a successful reply, judged at `now_ms` (epoch milliseconds).
    pub check: fn(&GeneratedReply<'_>, &mut Validator, Option<i64>) -> Vec<Finding>,
    /// The digest a conforming generator of the profile returns beside a payload, if the
    /// profile's generators return one.
    pub digest: Option<fn(&str) -> String>,
}

impl ReplyChecks {
    /// The rule IDs, for vectors and lint.
    pub fn rule_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().map(|r| r.id)
    }
}
