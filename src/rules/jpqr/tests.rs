//! Every JPQR payload rule: a payload that makes it fire and a near miss where it is silent; the
//! digest's samples are silent; the bill-payment form is recognised, never failed as MPM.

use crate::Profile;
use crate::emv::crc;
use crate::emv::units::LengthUnit::{Bytes, Chars};
use crate::rules::testkit::{B, Case, assert_covered, check_cases, opts, run, tpl};
use crate::rules::validator::Options;

pub(crate) const STATIC: &str = "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B";
pub(crate) const DYNAMIC: &str = "00020101021226680019jp.or.paymentsjapan011300000001234560204000203060000100406000003520458125303392540415005802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63046C0C";

/// A plain EMVCo code (no JPQR template).
pub(crate) const EMVCO: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";

pub(crate) fn t(subs: &[(u8, &str)]) -> String {
    tpl(Chars, subs)
}

/// The JPQR template with one sub-tag replaced (or removed, with `None`) or added.
fn id_with(sub: u8, v: Option<&str>) -> String {
    let mut subs: Vec<(u8, &str)> = vec![
        (0, "jp.or.paymentsjapan"),
        (1, "0000000123456"),
        (2, "0002"),
        (3, "000010"),
        (4, "000003"),
    ];
    match (subs.iter().position(|e| e.0 == sub), v) {
        (Some(i), Some(v)) => subs[i].1 = v,
        (Some(i), None) => {
            subs.remove(i);
        }
        (None, Some(v)) => subs.push((sub, v)),
        (None, None) => {}
    }
    t(&subs)
}

pub(crate) fn s() -> B {
    B::new(
        Chars,
        &[
            (0, "01"),
            (1, "11"),
            (26, &id_with(0, Some("jp.or.paymentsjapan"))),
            (52, "5812"),
            (53, "392"),
            (58, "JP"),
            (59, "SAKURA TEST CAFE"),
            (60, "SHIBUYA-KU"),
            (61, "1500002"),
            (64, &t(&[(0, "JA"), (1, "さくらテストカフェ")])),
        ],
    )
}

pub(crate) fn d() -> B {
    s().set(1, "12").insert(5, 54, "1500")
}

/// The static sample as a byte-counting writer produces it: every length, template contents
/// included, counts UTF-8 bytes.
pub(crate) fn byte_counted() -> String {
    s().set(64, "0002JA0127さくらテストカフェ").sealed_in(Bytes)
}

/// A synthetic eL-QR shaped payload (jpqr.md section 6): 255 digits, CRC as 5 decimals.
pub(crate) fn bill() -> String {
    let record = format!("{}{}", "0".repeat(20), "00000001500").repeat(3);
    let record = &record[..83];
    let body = format!(
        "000201010212279600051380001{}{}54110000000150062{}{}8085{}6305",
        83,
        record,
        26,
        "20262026012026053120260630",
        "0".repeat(85)
    );
    let crc = crc::crc16(body.as_bytes());
    format!("{body}{crc:05}")
}

fn jpqr() -> Options {
    opts(Some(Profile::Jpqr), None)
}

fn case(rule: &'static str, fire: B, quiet: B) -> Case {
    Case {
        rule,
        fire: fire.sealed(),
        quiet: quiet.sealed(),
        options: jpqr(),
    }
}

fn cases() -> Vec<Case> {
    let lang = |subs: &[(u8, &str)]| t(subs);
    vec![
        Case {
            rule: "JPQR.PROFILE.MPM",
            fire: STATIC.into(),
            quiet: EMVCO.into(),
            options: opts(None, None),
        },
        case(
            "JPQR.26.ID_PRESENT",
            s().set(26, &t(&[(0, "com.example.qrcert"), (1, "ACCT0001")])),
            s(),
        ),
        case(
            "JPQR.26.ID_IN_TAG_26",
            s().del(26)
                .insert(2, 27, &id_with(0, Some("jp.or.paymentsjapan"))),
            s(),
        ),
        case(
            "JPQR.26.ID_SINGLE",
            s().insert(3, 27, &id_with(0, Some("jp.or.paymentsjapan"))),
            s(),
        ),
        Case {
            rule: "JPQR.26.00.GUID",
            fire: s()
                .set(26, &id_with(0, Some("JP.OR.PAYMENTSJAPAN")))
                .sealed(),
            quiet: STATIC.into(),
            options: opts(None, None),
        },
        case(
            "JPQR.26.LEVELS_PRESENT",
            s().set(26, &id_with(4, None)),
            s(),
        ),
        case(
            "JPQR.26.01.LENGTH_13",
            s().set(26, &id_with(1, Some("000000012345"))),
            s(),
        ),
        case(
            "JPQR.26.02.LENGTH_4",
            s().set(26, &id_with(2, Some("00002"))),
            s(),
        ),
        case(
            "JPQR.26.03.LENGTH_6",
            s().set(26, &id_with(3, Some("00001"))),
            s(),
        ),
        case(
            "JPQR.26.04.LENGTH_6",
            s().set(26, &id_with(4, Some("0000003"))),
            s(),
        ),
        case(
            "JPQR.26.LEVELS_NUMERIC",
            s().set(26, &id_with(2, Some("00A2"))),
            s(),
        ),
        case(
            "JPQR.26.NO_EXTRA_SUBTAGS",
            s().set(26, &id_with(5, Some("X"))),
            s(),
        ),
        case("JPQR.53.CURRENCY_JPY", s().set(53, "840"), s()),
        case("JPQR.54.NO_DECIMALS", d().set(54, "1500."), d()),
        case(
            "JPQR.54.NO_DECIMALS",
            d().set(54, "498.50"),
            d().set(54, "498"),
        ),
        case("JPQR.54.DYNAMIC_REQUIRES_AMOUNT", d().del(54), d()),
        case("JPQR.58.COUNTRY_JP", s().set(58, "KH"), s()),
        case("JPQR.59.ROMANIZED", s().set(59, "さくらテストカフェ"), s()),
        case("JPQR.60.ROMANIZED", s().set(60, "渋谷区"), s()),
        case("JPQR.61.POSTAL_PRESENT", s().del(61), s()),
        case("JPQR.61.POSTAL_PRESENT", s().set(61, ""), s()),
        case("JPQR.61.POSTAL_7_DIGITS", s().set(61, "150-0002"), s()),
        case("JPQR.61.POSTAL_7_DIGITS", s().set(61, "150000"), s()),
        case("JPQR.64.PRESENT", s().del(64), s()),
        case(
            "JPQR.64.00.LANG_JA",
            s().set(64, &lang(&[(0, "ja"), (1, "さくら")])),
            s().set(64, &lang(&[(0, "JA"), (1, "さくら")])),
        ),
        case(
            "JPQR.64.01.NAME_PRESENT",
            s().set(64, &lang(&[(0, "JA")])),
            s(),
        ),
        case(
            "JPQR.64.01.NAME_PRESENT",
            s().set(64, &lang(&[(0, "JA"), (1, &"さ".repeat(26))])),
            s().set(64, &lang(&[(0, "JA"), (1, &"さ".repeat(25))])),
        ),
        case(
            "JPQR.64.02.ABSENT",
            s().set(64, &lang(&[(0, "JA"), (1, "さくら"), (2, "渋谷")])),
            s(),
        ),
        Case {
            rule: "JPQR.LENGTH.CHARACTERS",
            fire: byte_counted(),
            quiet: STATIC.into(),
            options: jpqr(),
        },
        Case {
            rule: "JPQR.PROFILE.BILL",
            fire: bill(),
            quiet: STATIC.into(),
            options: opts(None, None),
        },
    ]
}

#[test]
fn the_samples_are_the_digest_payloads() {
    assert_eq!(s().sealed(), STATIC);
    assert_eq!(d().sealed(), DYNAMIC);
    assert_eq!(bill().len(), 255);
    assert!(crate::rules::detect::is_bill_payment(&bill()));
}

#[test]
fn every_case_fires_its_rule_and_its_near_miss_is_silent() {
    check_cases(&cases());
}

#[test]
fn every_active_payload_rule_has_a_case() {
    assert_covered(super::RULES, &cases());
    assert_covered(super::BILL_RULES, &cases());
}

#[test]
fn the_samples_are_silent_under_jpqr() {
    for p in [STATIC, DYNAMIC] {
        let v = run(p, &jpqr());
        assert_eq!(v.profile, Profile::Jpqr);
        assert!(v.findings.is_empty(), "{p}: {:#?}", v.findings);
        assert!(v.relaxed.is_empty());
        // Under auto, only the selector reports, naming the template.
        let a = run(p, &opts(None, None));
        assert_eq!(a.profile, Profile::Jpqr);
        assert_eq!(a.rule_ids(), ["JPQR.PROFILE.MPM"]);
        assert!(a.findings[0].message.contains("26"));
        assert!(a.valid);
    }
}

#[test]
fn a_wrong_case_guid_is_detected_as_jpqr_and_fails_its_guid_rule() {
    let p = s()
        .set(26, &id_with(0, Some("JP.OR.PAYMENTSJAPAN")))
        .sealed();
    let v = run(&p, &opts(None, None));
    assert_eq!(v.profile, Profile::Jpqr);
    assert!(!v.valid);
    assert!(v.fired("JPQR.26.00.GUID"));
    assert!(!v.fired("JPQR.26.ID_PRESENT"));
}

#[test]
fn the_bill_form_is_recognised_and_never_failed_as_mpm() {
    for options in [opts(None, None), jpqr()] {
        let v = run(&bill(), &options);
        assert_eq!(v.profile, Profile::JpqrBill);
        assert!(v.valid, "{:#?}", v.findings);
        assert_eq!(v.rule_ids(), ["JPQR.PROFILE.BILL"]);
        assert!(!v.findings.iter().any(|f| f.rule.id.starts_with("EMV.")));
    }
    // A decimal CRC never passes as an MPM CRC.
    let e = run(&bill(), &opts(Some(Profile::Emvco), None));
    assert!(!e.valid);
    // Forcing jpqr-bill on an MPM code says it does not have the shape.
    let f = run(STATIC, &opts(Some(Profile::JpqrBill), None));
    assert_eq!(f.rule_ids(), ["JPQR.PROFILE.BILL"]);
    assert!(f.findings[0].message.contains("does not have"));
}

#[test]
fn byte_counted_lengths_are_named() {
    let v = run(&byte_counted(), &jpqr());
    let f = v
        .findings
        .iter()
        .find(|f| f.rule.id == "JPQR.LENGTH.CHARACTERS")
        .expect("fires");
    assert!(f.message.contains("bytes"), "{}", f.message);
    assert!(!v.valid);
}

#[test]
fn bill_rules_are_planned_and_mpm_rules_active() {
    use crate::rules::Status;
    assert_eq!(super::RULES.len() + super::BILL_RULES.len(), 39);
    assert!(
        super::BILL_RULES
            .iter()
            .filter(|r| r.id != "JPQR.PROFILE.BILL")
            .all(|r| r.status == Status::Planned)
    );
    assert_eq!(
        super::BILL_RULES
            .iter()
            .filter(|r| r.status == Status::Planned)
            .count(),
        13
    );
    assert!(super::RULES.iter().all(|r| r.status == Status::Active));
}
