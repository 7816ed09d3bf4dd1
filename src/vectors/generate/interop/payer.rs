//! What the payer is shown, both ways: the amount with its currency's minor units, the fee and
//! tip indicators, names in two scripts, and the KHQR expiry judged at the wallet's clock.
//!
//! Each case names the rule it is about (or none, for a code that must be accepted); the
//! findings that come with it are filled in from the interop profile, as the replayed
//! domestic suites are, so no expectation is copied by hand.

use super::super::build::{P, s, t};
use super::super::{Draft, Plan, parse};
use crate::Profile;
use crate::rules::jpqr::plans::{dy as jdy, st as jst};
use crate::rules::khqr::plans::{CREATION, EXPIRATION, dy as kdy, st as kst};
use crate::rules::{Options, Role, Severity, Validator};
use crate::vectors::model::*;

const KJ: &str = "khqr-in-jpqr";
const JK: &str = "jpqr-in-khqr";

/// A validate case judged under interop at `now`: `must` are the rules it is about (empty: the
/// code is accepted); the other findings come from the interop profile.
fn xd(num: u16, title: &str, p: &P, now: i64, must: &[&str], tags: &[&str]) -> Draft {
    let payload = p.sealed();
    let mut d = super::super::validate(num, title, payload.clone()).now(now);
    let options = Options {
        profile: Some(Profile::Interop),
        role: Role::Consumer,
        now_ms: Some(now),
        ..Options::default()
    };
    if let Ok(v) = Validator::new().validate(&payload, &options) {
        let ids = |sev: Severity| {
            let mut out: Vec<String> = must.iter().map(|x| (*x).to_owned()).collect();
            out.retain(|_| sev == Severity::Must);
            for f in v.findings.iter().filter(|f| f.severity == sev) {
                if !out.iter().any(|x| x == f.rule.id) {
                    out.push(f.rule.id.to_owned());
                }
            }
            out
        };
        d.expect = Expect::Validate(ValidateExpect {
            result: Some(if v.valid {
                Outcome::Accept
            } else {
                Outcome::Reject
            }),
            rules: ids(Severity::Must),
            warnings: ids(Severity::Should),
            info: ids(Severity::Info),
        });
    }
    let polarity = if must.is_empty() {
        "positive"
    } else {
        "negative"
    };
    d.tags(&[polarity]).tags(tags)
}

fn px(num: u16, title: &str, p: &P, tags: &[&str]) -> Draft {
    parse(num, title, p).tags(tags)
}

fn fee(p: P, kids: &[(u8, &str)]) -> P {
    kids.iter().fold(p, |p, (id, v)| p.set_s(*id, v)).sorted()
}

fn amount() -> Vec<Draft> {
    let at = EXPIRATION;
    let khr = kdy().set_s(53, "116");
    vec![
        xd(
            1,
            "KHR 25000: riel have no minor unit",
            &khr.clone().set_s(54, "25000"),
            at,
            &[],
            &[KJ, "topic-amount"],
        ),
        px(
            2,
            "A JPQR wallet shows KHR 25000 as 25000 riel",
            &khr.clone().set_s(54, "25000"),
            &[KJ, "topic-amount"],
        ),
        xd(
            3,
            "KHR 10.5: a riel amount with a decimal is refused",
            &khr.clone().set_s(54, "10.5"),
            at,
            &["INTEROP.54.EXPONENT"],
            &[KJ, "topic-amount", "trap"],
        ),
        xd(
            4,
            "USD 1000 is a thousand dollars, not 10.00",
            &kdy().set_s(54, "1000"),
            at,
            &[],
            &[KJ, "topic-amount", "trap"],
        ),
        px(
            5,
            "A JPQR wallet shows USD 1000 as written (not 10.00)",
            &kdy().set_s(54, "1000"),
            &[KJ, "topic-amount", "trap"],
        ),
        xd(
            6,
            "USD 10.00: two decimals",
            &kdy().set_s(54, "10.00"),
            at,
            &[],
            &[KJ, "topic-amount"],
        ),
        px(
            7,
            "A JPQR wallet shows USD 10.00",
            &kdy().set_s(54, "10.00"),
            &[KJ, "topic-amount"],
        ),
        xd(
            8,
            "USD 10.005: three decimals",
            &kdy().set_s(54, "10.005"),
            at,
            &["INTEROP.54.EXPONENT"],
            &[KJ, "topic-amount", "trap"],
        ),
        xd(
            9,
            "JPY 1500.5: yen have no minor unit",
            &jdy().set_s(54, "1500.5"),
            at,
            &["INTEROP.54.EXPONENT"],
            &[JK, "topic-amount", "trap"],
        ),
        xd(
            10,
            "JPY 1000.00 is not read as 10.00",
            &jdy().set_s(54, "1000.00"),
            at,
            &["INTEROP.54.EXPONENT"],
            &[JK, "topic-amount", "trap"],
        ),
        px(
            11,
            "A KHQR wallet shows JPY 1500",
            &jdy(),
            &[JK, "topic-amount"],
        ),
        px(
            12,
            "A KHQR wallet shows JPY 98000",
            &jdy().set_s(54, "98000"),
            &[JK, "topic-amount"],
        ),
        xd(
            13,
            "A static JPQR code: the payer enters the amount",
            &jst(),
            at,
            &[],
            &[JK, "topic-amount", "static"],
        ),
        px(
            14,
            "A KHQR wallet reads a static JPQR code (no amount)",
            &jst(),
            &[JK, "topic-amount", "static"],
        ),
        xd(
            15,
            "A static KHQR code: the payer enters the amount",
            &kst(),
            at,
            &[],
            &[KJ, "topic-amount", "static"],
        ),
        px(
            16,
            "A JPQR wallet reads a static KHQR code (no amount)",
            &kst(),
            &[KJ, "topic-amount", "static"],
        ),
        xd(
            17,
            "Yen in a KHQR code",
            &kdy().set_s(53, "392").set_s(54, "1500"),
            at,
            &["KHQR.53.VALUE"],
            &[KJ, "topic-amount", "trap"],
        ),
        xd(
            19,
            "KHR 25000.00: riel with cents, as a careless wallet reads them",
            &khr.clone().set_s(54, "25000.00"),
            at,
            &["INTEROP.54.EXPONENT"],
            &[KJ, "topic-amount", "trap"],
        ),
        xd(
            18,
            "US dollars in a JPQR code",
            &jdy().set_s(53, "840"),
            at,
            &["JPQR.53.CURRENCY_JPY"],
            &[JK, "topic-amount", "trap"],
        ),
    ]
}

fn fees() -> Vec<Draft> {
    let at = EXPIRATION;
    vec![
        xd(
            21,
            "KHQR: the payer may add a tip (55 = 01)",
            &fee(kdy(), &[(55, "01")]),
            at,
            &[],
            &[KJ, "topic-fees"],
        ),
        px(
            22,
            "A JPQR wallet reads a KHQR tip prompt",
            &fee(kdy(), &[(55, "01")]),
            &[KJ, "topic-fees"],
        ),
        xd(
            23,
            "KHQR: a fixed fee of USD 0.50 (55 = 02, 56)",
            &fee(kdy(), &[(55, "02"), (56, "0.50")]),
            at,
            &[],
            &[KJ, "topic-fees"],
        ),
        px(
            24,
            "A JPQR wallet reads a KHQR fixed fee: 2.50 + 0.50",
            &fee(kdy(), &[(55, "02"), (56, "0.50")]),
            &[KJ, "topic-fees"],
        ),
        xd(
            25,
            "KHQR: a 1.5 % fee (55 = 03, 57)",
            &fee(kdy(), &[(55, "03"), (57, "1.5")]),
            at,
            &[],
            &[KJ, "topic-fees"],
        ),
        px(
            26,
            "A JPQR wallet reads a KHQR percentage fee",
            &fee(kdy(), &[(55, "03"), (57, "1.5")]),
            &[KJ, "topic-fees"],
        ),
        xd(
            27,
            "KHQR: a fixed fee indicator without the fee",
            &fee(kdy(), &[(55, "02")]),
            at,
            &["EMV.56.REQUIRED"],
            &[KJ, "topic-fees"],
        ),
        xd(
            28,
            "JPQR: the payer may add a tip (55 = 01)",
            &fee(jdy(), &[(55, "01")]),
            at,
            &[],
            &[JK, "topic-fees"],
        ),
        px(
            29,
            "A KHQR wallet reads a JPQR tip prompt",
            &fee(jdy(), &[(55, "01")]),
            &[JK, "topic-fees"],
        ),
        xd(
            30,
            "JPQR: a fixed fee of 100 yen (55 = 02, 56)",
            &fee(jdy(), &[(55, "02"), (56, "100")]),
            at,
            &[],
            &[JK, "topic-fees"],
        ),
        px(
            31,
            "A KHQR wallet reads a JPQR fixed fee: 1500 + 100 yen",
            &fee(jdy(), &[(55, "02"), (56, "100")]),
            &[JK, "topic-fees"],
        ),
        xd(
            32,
            "JPQR: a 3 % fee (55 = 03, 57)",
            &fee(jdy(), &[(55, "03"), (57, "3")]),
            at,
            &[],
            &[JK, "topic-fees"],
        ),
        px(
            33,
            "A KHQR wallet reads a JPQR percentage fee",
            &fee(jdy(), &[(55, "03"), (57, "3")]),
            &[JK, "topic-fees"],
        ),
        xd(
            34,
            "JPQR: a percentage fee without the percentage",
            &fee(jdy(), &[(55, "03")]),
            at,
            &["EMV.57.REQUIRED"],
            &[JK, "topic-fees"],
        ),
        xd(
            35,
            "JPQR: a tip indicator 04 that no scheme defines",
            &fee(jdy(), &[(55, "04")]),
            at,
            &["EMV.55.VALUE"],
            &[JK, "topic-fees"],
        ),
    ]
}

fn names() -> Vec<Draft> {
    let at = EXPIRATION;
    let k64 = |kids: &[(u8, &str)]| {
        kdy().set(
            64,
            t(&kids.iter().map(|(i, v)| (*i, s(*v))).collect::<Vec<_>>()),
        )
    };
    let j64 = |kids: &[(u8, &str)]| {
        jst().set(
            64,
            t(&kids.iter().map(|(i, v)| (*i, s(*v))).collect::<Vec<_>>()),
        )
    };
    vec![
        px(
            41,
            "A JPQR wallet shows the Latin and the Khmer name and city",
            &kdy(),
            &[KJ, "topic-names"],
        ),
        px(
            42,
            "A KHQR wallet shows the Latin and the Japanese name",
            &jst(),
            &[JK, "topic-names"],
        ),
        xd(
            43,
            "A KHQR code whose 64 has a Khmer name but no Khmer city",
            &k64(&[(0, "km"), (1, "ហាងគុយទាវ")]),
            at,
            &[],
            &[KJ, "topic-names"],
        ),
        px(
            44,
            "A JPQR wallet reads a Khmer name without a Khmer city",
            &k64(&[(0, "km"), (1, "ហាងគុយទាវ")]),
            &[KJ, "topic-names"],
        ),
        xd(
            45,
            "A JPQR code with a Japanese city in 64/02, which JPQR leaves out",
            &j64(&[(0, "JA"), (1, "さくらテストカフェ"), (2, "渋谷区")]),
            at,
            &["JPQR.64.02.ABSENT"],
            &[JK, "topic-names"],
        ),
        px(
            46,
            "A KHQR wallet reads the Japanese name from 64/01",
            &jdy(),
            &[JK, "topic-names"],
        ),
        xd(
            47,
            "A Japanese merchant name in 59 (not Latin)",
            &jst().set_s(59, "さくらカフェ"),
            at,
            &["INTEROP.59.LATIN"],
            &[JK, "topic-names"],
        ),
        xd(
            48,
            "A Japanese city in 60 (not Latin)",
            &jst().set_s(60, "渋谷区"),
            at,
            &["INTEROP.60.LATIN"],
            &[JK, "topic-names"],
        ),
        xd(
            49,
            "A JPQR code without its Japanese name in 64",
            &jst().del(64),
            at,
            &["JPQR.64.PRESENT"],
            &[JK, "topic-names"],
        ),
        xd(
            50,
            "Language preference JP: a country, not a language",
            &j64(&[(0, "JP"), (1, "さくらテストカフェ")]),
            at,
            &["JPQR.64.00.LANG_JA"],
            &[JK, "topic-names"],
        ),
    ]
}

/// The KHQR expiry at the wallet's clock. Policy (`docs/profiles.md`): the code is valid up to
/// and including the 99/01 millisecond and expired one millisecond later, with no grace (KHQR
/// §4: 'now' later than 99/01); a creation time (99/00) ahead of the wallet's clock, by seconds
/// or by hours, is the merchant clock's skew, reported as INFO (KHQR.99.CREATION_IN_FUTURE) and
/// never a reason to refuse, because the wallet cannot tell whose clock is wrong and the
/// expiry alone bounds the code's life.
fn expiry() -> Vec<Draft> {
    let k99 = |c: &str, e: &str| kdy().set(99, t(&[(0, s(c)), (1, s(e))]));
    vec![
        xd(
            61,
            "One millisecond before expiry",
            &kdy(),
            EXPIRATION - 1,
            &[],
            &[KJ, "topic-expiry", "clock"],
        ),
        xd(
            62,
            "At the exact expiry millisecond",
            &kdy(),
            EXPIRATION,
            &[],
            &[KJ, "topic-expiry", "clock"],
        ),
        xd(
            63,
            "One millisecond after expiry",
            &kdy(),
            EXPIRATION + 1,
            &["KHQR.99.EXPIRED"],
            &[KJ, "topic-expiry", "clock"],
        ),
        xd(
            64,
            "A day after expiry",
            &kdy(),
            EXPIRATION + 86_400_000,
            &["KHQR.99.EXPIRED"],
            &[KJ, "topic-expiry", "clock"],
        ),
        xd(
            65,
            "Created 5 seconds in the wallet's future (clock skew)",
            &kdy(),
            CREATION - 5_000,
            &[],
            &[KJ, "topic-expiry", "clock", "skew"],
        ),
        xd(
            66,
            "Created 3 hours in the wallet's future",
            &kdy(),
            CREATION - 3 * 3_600_000,
            &[],
            &[KJ, "topic-expiry", "clock", "skew"],
        ),
        xd(
            67,
            "A dynamic KHQR code without 99",
            &kdy().del(99),
            EXPIRATION,
            &["KHQR.99.EXPIRATION_REQUIRED"],
            &[KJ, "topic-expiry"],
        ),
        xd(
            68,
            "An expiry of 12 digits",
            &k99("1780000000000", "178000090000"),
            EXPIRATION,
            &["KHQR.99.EXPIRATION_FORMAT"],
            &[KJ, "topic-expiry"],
        ),
        xd(
            69,
            "An expiry before the creation",
            &k99("1780000900000", "1780000000000"),
            CREATION,
            &["KHQR.99.EXPIRATION_BEFORE_CREATION"],
            &[KJ, "topic-expiry"],
        ),
        xd(
            70,
            "An expiry that is not a number",
            &k99("1780000000000", "17800009000ZZ"),
            EXPIRATION,
            &["KHQR.99.EXPIRATION_FORMAT"],
            &[KJ, "topic-expiry"],
        ),
        xd(
            71,
            "A creation time of letters",
            &k99("abcdefghijklm", "1780000900000"),
            EXPIRATION,
            &["KHQR.99.CREATION_FORMAT"],
            &[KJ, "topic-expiry"],
        ),
        px(
            72,
            "A JPQR wallet reads the KHQR expiry",
            &kdy(),
            &[KJ, "topic-expiry"],
        ),
    ]
}

/// The payer's view, both ways.
pub(super) fn plan() -> Plan {
    let mut drafts = amount();
    drafts.extend(fees());
    drafts.extend(names());
    drafts.extend(expiry());
    Plan {
        profile: Profile::Interop,
        area: "payer".into(),
        description: "INTEROP: what the payer confirms before paying a foreign code: amount and minor units, currency, names in two scripts, fees and tips, the KHQR expiry at the wallet's clock.".into(),
        refs: &["JPQR digest §10, §10.1", "KHQR digest §3.5, §4", "EMVCo MPM §4.7"],
        drafts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_gets_the_verdict_it_is_about() {
        for d in plan().drafts {
            if let (Expect::Validate(e), true) = (&d.expect, d.tags.iter().any(|t| t == "positive"))
            {
                assert_eq!(e.outcome(), Outcome::Accept, "{} {}: {e:?}", d.num, d.title);
            }
            if let (Expect::Validate(e), true) = (&d.expect, d.tags.iter().any(|t| t == "negative"))
            {
                assert_eq!(e.outcome(), Outcome::Reject, "{} {}: {e:?}", d.num, d.title);
            }
        }
    }
}
