//! Every KHQR payload rule: a payload that makes it fire and a near miss where it is silent;
//! the digest's samples are silent; expiry is reproducible and judged only against `now`.

use proptest::prelude::*;

use crate::Profile;
use crate::emv::units::LengthUnit::{Bytes, Utf16};
use crate::rules::testkit::{
    B, Case, assert_covered, check_cases, flip_crc, lower_crc, opts, run, seal, tpl,
};
use crate::rules::validator::{Options, Validator};

pub(crate) const STATIC: &str = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";
pub(crate) const DYNAMIC: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";
/// The clock at which [`DYNAMIC`] expires: valid at this millisecond, expired one later.
pub(crate) const EXPIRATION: i64 = 1_780_000_900_000;
const CREATION: i64 = 1_780_000_000_000;

/// Template content, lengths in UTF-16 units.
pub(crate) fn t(subs: &[(u8, &str)]) -> String {
    tpl(Utf16, subs)
}

/// The static sample, object by object.
pub(crate) fn s() -> B {
    B::new(
        Utf16,
        &[
            (0, "01"),
            (1, "11"),
            (29, &t(&[(0, "demo@sandbox")])),
            (52, "5999"),
            (53, "116"),
            (58, "KH"),
            (59, "Demo Noodle Bar"),
            (60, "Battambang"),
        ],
    )
}

/// The dynamic sample as a byte-counting writer produces it: every length, template contents
/// included, counts UTF-8 bytes.
pub(crate) fn byte_counted() -> String {
    d().set(64, "0002km0127ហាងគុយទាវ0224បាត់ដំបង").sealed_in(Bytes)
}

/// The dynamic sample, object by object.
pub(crate) fn d() -> B {
    B::new(
        Utf16,
        &[
            (0, "01"),
            (1, "12"),
            (
                30,
                &t(&[(0, "demo@sandbox"), (1, "M-0042"), (2, "Sandbox Bank")]),
            ),
            (52, "5812"),
            (53, "840"),
            (54, "2.50"),
            (58, "KH"),
            (59, "Demo Noodle Bar"),
            (60, "Battambang"),
            (62, &t(&[(1, "INV-77"), (7, "TILL-2")])),
            (64, &t(&[(0, "km"), (1, "ហាងគុយទាវ"), (2, "បាត់ដំបង")])),
            (99, &t(&[(0, "1780000000000"), (1, "1780000900000")])),
        ],
    )
}

pub(crate) fn khqr(now: Option<i64>) -> Options {
    opts(Some(Profile::Khqr), now)
}

fn case(rule: &'static str, fire: B, quiet: B) -> Case {
    Case {
        rule,
        fire: fire.sealed(),
        quiet: quiet.sealed(),
        options: khqr(Some(EXPIRATION)),
    }
}

fn raw(rule: &'static str, fire: String, quiet: String) -> Case {
    Case {
        rule,
        fire,
        quiet,
        options: khqr(Some(EXPIRATION)),
    }
}

fn cases() -> Vec<Case> {
    let n = |c: char, k: usize| c.to_string().repeat(k);
    let acct = |a: &str| t(&[(0, a)]);
    let g62 = |sub: u8, v: &str| t(&[(sub, v)]);
    let l64 = |subs: &[(u8, &str)]| t(subs);
    let over_99 = format!(
        "{}62116{}",
        s().body(),
        t(&[
            (1, &n('B', 25)),
            (2, &n('1', 25)),
            (3, &n('S', 25)),
            (7, &n('T', 25))
        ])
    );
    let under_99 = s().add(62, &t(&[(1, &n('B', 25)), (3, &n('S', 25))]));
    vec![
        raw("KHQR.CRC.SUFFIX", format!("{STATIC}\n"), STATIC.into()),
        raw("KHQR.CRC.SUFFIX", s().body(), STATIC.into()),
        raw("KHQR.CRC.MISMATCH", flip_crc(STATIC), STATIC.into()),
        raw("KHQR.CRC.LOWERCASE", lower_crc(STATIC), STATIC.into()),
        raw("KHQR.CRC.EXTRA_OBJECT", seal(STATIC), STATIC.into()),
        raw(
            "KHQR.TLV.LENGTH_FORMAT",
            seal(&s().body().replace("6010Battambang", "60+6Kampot")),
            s().set(60, "Kampot").sealed(),
        ),
        raw(
            "KHQR.TLV.TEMPLATE_OVER_99",
            seal(&over_99),
            under_99.sealed(),
        ),
        raw(
            "KHQR.TLV.LENGTH_MISMATCH",
            seal(&s().body().replace("5915Demo", "5914Demo")),
            STATIC.into(),
        ),
        raw(
            "KHQR.TLV.LENGTH_MISMATCH",
            seal(&s().body().replace("6010Battambang", "6018Battambang")),
            STATIC.into(),
        ),
        raw(
            "KHQR.TLV.LENGTH_UNITS",
            seal(&s().body().replace("5915Demo Noodle Bar", "5905Tea 🍵")),
            s().set(59, "Tea 🍵").sealed(),
        ),
        raw("KHQR.TLV.LENGTH_UNITS", byte_counted(), DYNAMIC.into()),
        case("KHQR.TLV.DUPLICATE_TAG", s().add(59, "OTHER NAME"), s()),
        case(
            "KHQR.TLV.ZERO_LENGTH",
            s().add(62, &g62(3, "")),
            s().add(62, &g62(3, "SHOP-1")),
        ),
        case("KHQR.ORDER.CANONICAL", s().del(52).add(52, "5999"), s()),
        case(
            "KHQR.ORDER.CANONICAL",
            d().set(62, &t(&[(7, "TILL-2"), (1, "INV-77")])),
            d(),
        ),
        case("KHQR.TAG.UNKNOWN_ROOT", s().add(61, "12000"), s()),
        case(
            "KHQR.TAG.UNKNOWN_SUBTAG",
            s().set(29, &t(&[(0, "demo@sandbox"), (3, "X")])),
            s().set(29, &t(&[(0, "demo@sandbox"), (1, "ACCT-1"), (2, "Bank")])),
        ),
        case(
            "KHQR.TAG.UNKNOWN_SUBTAG",
            s().add(62, &g62(5, "REF-1")),
            s().add(62, &g62(8, "Lunch")),
        ),
        case("KHQR.TAG.TIP_OR_FEE", s().add(55, "01"), s()),
        case("KHQR.00.REQUIRED", s().del(0), s()),
        case("KHQR.00.FIRST", s().del(0).insert(1, 0, "01"), s()),
        case("KHQR.00.VALUE", s().set(0, "02"), s()),
        case("KHQR.00.VALUE", s().set(0, "1"), s()),
        case("KHQR.01.PRESENT", s().del(1), s()),
        case("KHQR.01.VALUE", s().set(1, "13"), s().set(1, "12")),
        case("KHQR.01.DYNAMIC_WITHOUT_AMOUNT", d().del(54), d()),
        case("KHQR.54.NOT_DYNAMIC", d().set(1, "11"), d()),
        case("KHQR.54.NOT_DYNAMIC", d().del(1), d()),
        case("KHQR.54.WITHOUT_TIMESTAMP", d().del(99), d()),
        case(
            "KHQR.54.LENGTH",
            d().set(54, "12345678901234"),
            d().set(54, "9999999999.99"),
        ),
        case("KHQR.54.LENGTH", d().set(54, ""), d()),
        case("KHQR.54.FORMAT", d().set(54, "1.5.0"), d()),
        case("KHQR.54.FORMAT", d().set(54, ".5"), d().set(54, "0.50")),
        case("KHQR.54.FORMAT", d().set(54, "-5"), d().set(54, "5")),
        case("KHQR.54.ZERO", d().set(54, "0"), d().set(54, "0.01")),
        case(
            "KHQR.54.KHR_DECIMALS",
            d().set(53, "116").set(54, "500.5"),
            d().set(53, "116").set(54, "500"),
        ),
        case(
            "KHQR.54.USD_DECIMALS",
            d().set(54, "1.234"),
            d().set(54, "1.23"),
        ),
        case("KHQR.54.NON_CANONICAL", d().set(54, "2.5"), d()),
        case(
            "KHQR.54.NON_CANONICAL",
            d().set(54, "100.00"),
            d().set(54, "100"),
        ),
        case("KHQR.54.NON_CANONICAL", d().set(54, "02.50"), d()),
        case(
            "KHQR.15.KHR_ONLY",
            d().insert(2, 15, "1234567890123456"),
            d().insert(2, 15, "1234567890123456")
                .set(53, "116")
                .set(54, "500"),
        ),
        case("KHQR.MAI.REQUIRED", s().del(29), s()),
        case(
            "KHQR.MAI.REQUIRED",
            s().del(29).insert(2, 26, &acct("demo@sandbox")),
            s(),
        ),
        case(
            "KHQR.MAI.BOTH",
            s().insert(3, 30, &t(&[(0, "demo@sandbox"), (1, "M-1"), (2, "Bank")])),
            s(),
        ),
        case(
            "KHQR.MAI.ACCOUNT_ID_REQUIRED",
            s().set(29, &t(&[(1, "ACCT-1")])),
            s(),
        ),
        case("KHQR.MAI.ACCOUNT_ID_REQUIRED", s().set(29, &acct("")), s()),
        case(
            "KHQR.MAI.ACCOUNT_ID_LENGTH",
            s().set(29, &acct(&format!("{}@{}", n('a', 20), n('b', 12)))),
            s().set(29, &acct(&format!("{}@{}", n('a', 20), n('b', 11)))),
        ),
        case(
            "KHQR.MAI.ACCOUNT_ID_FORMAT",
            s().set(29, &acct("a@b@c")),
            s(),
        ),
        case(
            "KHQR.MAI.ACCOUNT_ID_FORMAT",
            s().set(29, &acct("demosandbox")),
            s(),
        ),
        case(
            "KHQR.MAI.ACCOUNT_ID_FORMAT",
            s().set(29, &acct("demo@")),
            s(),
        ),
        case(
            "KHQR.MAI.ACQUIRING_BANK_LENGTH",
            s().set(29, &t(&[(0, "demo@sandbox"), (2, &n('B', 33))])),
            s().set(29, &t(&[(0, "demo@sandbox"), (2, &n('B', 32))])),
        ),
        case(
            "KHQR.29.ACCOUNT_INFO_LENGTH",
            s().set(29, &t(&[(0, "demo@sandbox"), (1, &n('A', 33))])),
            s().set(29, &t(&[(0, "demo@sandbox"), (1, &n('A', 32))])),
        ),
        case(
            "KHQR.30.MERCHANT_ID_REQUIRED",
            d().set(30, &t(&[(0, "demo@sandbox"), (2, "Sandbox Bank")])),
            d(),
        ),
        case(
            "KHQR.30.MERCHANT_ID_LENGTH",
            d().set(
                30,
                &t(&[(0, "demo@sandbox"), (1, &n('M', 33)), (2, "Bank")]),
            ),
            d().set(
                30,
                &t(&[(0, "demo@sandbox"), (1, &n('M', 32)), (2, "Bank")]),
            ),
        ),
        case(
            "KHQR.30.ACQUIRING_BANK_REQUIRED",
            d().set(30, &t(&[(0, "demo@sandbox"), (1, "M-0042")])),
            d(),
        ),
        case("KHQR.52.REQUIRED", s().del(52), s()),
        case("KHQR.52.FORMAT", s().set(52, "599"), s()),
        case("KHQR.52.FORMAT", s().set(52, "59A9"), s()),
        case("KHQR.53.REQUIRED", s().del(53), s()),
        case("KHQR.53.VALUE", s().set(53, "392"), s().set(53, "840")),
        case("KHQR.58.REQUIRED", s().del(58), s()),
        case("KHQR.58.VALUE", s().set(58, "US"), s()),
        case("KHQR.58.VALUE", s().set(58, "KHM"), s()),
        case("KHQR.59.REQUIRED", s().del(59), s()),
        case("KHQR.59.REQUIRED", s().set(59, ""), s()),
        case(
            "KHQR.59.LENGTH",
            s().set(59, &n('N', 26)),
            s().set(59, &n('N', 25)),
        ),
        case("KHQR.60.REQUIRED", s().del(60), s()),
        case(
            "KHQR.60.LENGTH",
            s().set(60, &n('C', 16)),
            s().set(60, &n('C', 15)),
        ),
        case(
            "KHQR.62.BILL_NUMBER_LENGTH",
            s().add(62, &g62(1, &n('B', 26))),
            s().add(62, &g62(1, &n('B', 25))),
        ),
        case(
            "KHQR.62.MOBILE_NUMBER_LENGTH",
            s().add(62, &g62(2, &n('1', 26))),
            s().add(62, &g62(2, &n('1', 25))),
        ),
        case(
            "KHQR.62.STORE_LABEL_LENGTH",
            s().add(62, &g62(3, &n('S', 26))),
            s().add(62, &g62(3, &n('S', 25))),
        ),
        case(
            "KHQR.62.TERMINAL_LABEL_LENGTH",
            s().add(62, &g62(7, &n('T', 26))),
            s().add(62, &g62(7, &n('T', 25))),
        ),
        case(
            "KHQR.62.PURPOSE_LENGTH",
            s().add(62, &g62(8, &n('P', 26))),
            s().add(62, &g62(8, &n('P', 25))),
        ),
        case(
            "KHQR.62.MOBILE_NUMBER_FORMAT",
            s().add(62, &g62(2, "012 345 678")),
            s().add(62, &g62(2, "+85512345678")),
        ),
        case(
            "KHQR.64.PREFERENCE_LENGTH",
            s().add(64, &l64(&[(0, "k"), (1, "ហាង")])),
            s().add(64, &l64(&[(0, "km"), (1, "ហាង")])),
        ),
        case(
            "KHQR.64.PREFERENCE_LENGTH",
            s().add(64, &l64(&[(0, "khm"), (1, "ហាង")])),
            s().add(64, &l64(&[(0, "km"), (1, "ហាង")])),
        ),
        case(
            "KHQR.64.PREFERENCE_CODE",
            s().add(64, &l64(&[(0, "kh"), (1, "ហាង")])),
            s().add(64, &l64(&[(0, "km"), (1, "ហាង")])),
        ),
        case(
            "KHQR.64.NAME_REQUIRED",
            s().add(64, &l64(&[(0, "km")])),
            s().add(64, &l64(&[(0, "km"), (1, "ហាង")])),
        ),
        case(
            "KHQR.64.PREFERENCE_REQUIRED",
            s().add(64, &l64(&[(1, "ហាង")])),
            s().add(64, &l64(&[(0, "km"), (1, "ហាង")])),
        ),
        case(
            "KHQR.64.CITY_ONLY",
            s().add(64, &l64(&[(2, "បាត់ដំបង")])),
            s().add(64, &l64(&[(0, "km"), (1, "ហាង"), (2, "បាត់ដំបង")])),
        ),
        case(
            "KHQR.64.NAME_LENGTH",
            s().add(64, &l64(&[(0, "km"), (1, &n('ក', 26))])),
            s().add(64, &l64(&[(0, "km"), (1, &n('ក', 25))])),
        ),
        case(
            "KHQR.64.CITY_LENGTH",
            s().add(64, &l64(&[(0, "km"), (1, "ហាង"), (2, &n('ក', 16))])),
            s().add(64, &l64(&[(0, "km"), (1, "ហាង"), (2, &n('ក', 15))])),
        ),
        case(
            "KHQR.99.EXPIRATION_REQUIRED",
            d().set(99, &t(&[(0, "1780000000000")])),
            d(),
        ),
        case("KHQR.99.EXPIRATION_REQUIRED", d().del(99), d()),
        case(
            "KHQR.99.EXPIRATION_REQUIRED",
            d().set(99, &t(&[(0, "1780000000000"), (1, "0000000000000")])),
            d(),
        ),
        case(
            "KHQR.99.EXPIRATION_FORMAT",
            d().set(99, &t(&[(0, "1780000000000"), (1, "1780000900")])),
            d(),
        ),
        case(
            "KHQR.99.EXPIRATION_FORMAT",
            d().set(99, &t(&[(0, "1780000000000"), (1, "17800009000000")])),
            d(),
        ),
        case(
            "KHQR.99.CREATION_REQUIRED",
            d().set(99, &t(&[(1, "1780000900000")])),
            d(),
        ),
        case(
            "KHQR.99.CREATION_FORMAT",
            d().set(99, &t(&[(0, "1780000000"), (1, "1780000900000")])),
            d(),
        ),
        case(
            "KHQR.99.EXPIRATION_BEFORE_CREATION",
            d().set(99, &t(&[(0, "1780000900000"), (1, "1780000000000")])),
            d().set(99, &t(&[(0, "1780000900000"), (1, "1780000900000")])),
        ),
        Case {
            rule: "KHQR.99.EXPIRED",
            fire: DYNAMIC.into(),
            quiet: d()
                .set(99, &t(&[(0, "1780000000000"), (1, "1780000900001")]))
                .sealed(),
            options: khqr(Some(EXPIRATION + 1)),
        },
        Case {
            rule: "KHQR.99.CREATION_IN_FUTURE",
            fire: DYNAMIC.into(),
            quiet: d()
                .set(99, &t(&[(0, "1779999999998"), (1, "1780000900000")]))
                .sealed(),
            options: khqr(Some(CREATION - 1)),
        },
        case(
            "KHQR.99.ON_STATIC",
            s().add(99, &t(&[(0, "1780000000000"), (1, "1780000900000")])),
            s().add(99, &t(&[(0, "1780000000000")])),
        ),
        case(
            "KHQR.99.ON_STATIC",
            s().add(99, &t(&[(0, "junk")])),
            s().add(99, &t(&[(0, "1780000000000")])),
        ),
        case(
            "KHQR.99.LEGACY_CREATION_ONLY",
            s().add(99, &t(&[(0, "1780000000000")])),
            s(),
        ),
        case(
            "KHQR.TEXT.NON_BMP",
            s().set(59, "Tea 🍵"),
            s().set(59, "Tea"),
        ),
        case(
            "KHQR.TEXT.NON_BMP",
            d().set(64, &l64(&[(0, "km"), (1, "👍🏽")])),
            d(),
        ),
        case(
            "KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT",
            s().set(59, "ហាងគុយទាវ"),
            s(),
        ),
        case("KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT", s().set(60, "បាត់ដំបង"), s()),
        case(
            "KHQR.COMPAT.LEGACY_READERS",
            s().set(59, &n('N', 25)),
            s().set(59, &n('N', 24)),
        ),
        case(
            "KHQR.COMPAT.LEGACY_READERS",
            s().add(62, &g62(2, &n('1', 13))),
            s().add(62, &g62(2, &n('1', 12))),
        ),
        raw(
            "KHQR.COMPAT.LEGACY_READERS",
            lower_crc(STATIC),
            STATIC.into(),
        ),
    ]
}

#[test]
fn the_samples_are_the_digest_payloads() {
    assert_eq!(s().sealed(), STATIC);
    assert_eq!(d().sealed(), DYNAMIC);
}

#[test]
fn every_case_fires_its_rule_and_its_near_miss_is_silent() {
    check_cases(&cases());
}

#[test]
fn every_active_payload_rule_has_a_case() {
    assert_covered(super::RULES, &cases());
}

#[test]
fn the_samples_are_silent_under_khqr_and_auto() {
    for p in [STATIC, DYNAMIC] {
        for options in [khqr(Some(EXPIRATION)), opts(None, Some(EXPIRATION))] {
            let v = run(p, &options);
            assert_eq!(v.profile, Profile::Khqr);
            assert!(v.valid, "{p}: {:#?}", v.findings);
            assert!(v.findings.is_empty(), "{p}: {:#?}", v.findings);
            assert!(v.not_evaluated.is_empty());
        }
    }
}

#[test]
fn a_name_ending_in_6304_is_valid() {
    // Catches readers that cut the payload at the first '6304' (khqr.md section 6).
    let p = s().set(59, "Noodle Bar 6304").sealed();
    assert_eq!(p.matches("6304").count(), 2);
    let v = run(&p, &khqr(None));
    assert!(v.valid && v.findings.is_empty(), "{:#?}", v.findings);
}

#[test]
fn relaxed_base_rules_are_recorded_with_their_reason() {
    let v = run(DYNAMIC, &khqr(Some(EXPIRATION)));
    let relaxed: Vec<&str> = v.relaxed.iter().map(|r| r.rule.id).collect();
    assert_eq!(relaxed, ["EMV.MAI.GUID_FORMAT", "EMV.UNRES.GUID_FORMAT"]);
    assert!(v.relaxed.iter().all(|r| r.reason.contains("khqr.md")));
    // The same payload under EMVCo: the relaxed findings fire.
    let e = run(DYNAMIC, &opts(Some(Profile::Emvco), Some(EXPIRATION)));
    assert!(e.fired("EMV.MAI.GUID_FORMAT") && e.fired("EMV.UNRES.GUID_FORMAT"));
    // Khmer in 59: EMVCo fails it, KHQR reports a SHOULD instead.
    let khmer = s().set(59, "ហាងគុយទាវ").sealed();
    assert!(!run(&khmer, &opts(Some(Profile::Emvco), None)).valid);
    let k = run(&khmer, &khqr(None));
    assert!(k.valid, "{:#?}", k.findings);
    assert!(k.relaxed.iter().any(|r| r.rule.id == "EMV.59.CHARSET"));
}

#[test]
fn khqr_rules_that_restate_emv_rules_fire_beside_them() {
    let v = run(&flip_crc(STATIC), &khqr(None));
    assert!(v.fired("KHQR.CRC.MISMATCH") && v.fired("EMV.63.CRC_MISMATCH"));
    let sdk = crate::rules::lookup("KHQR.CRC.MISMATCH").unwrap();
    assert_eq!(sdk.ref_code, Some(8));
}

#[test]
fn lengths_count_utf16_units() {
    // The digest's emoji example: 6 UTF-16 units, 5 code points, 8 bytes.
    let right = seal(&s().body().replace("5915Demo Noodle Bar", "5906Tea 🍵"));
    let v = run(&right, &khqr(None));
    assert!(!v.fired("KHQR.TLV.LENGTH_UNITS"), "{:#?}", v.findings);
    assert!(v.fired("KHQR.TEXT.NON_BMP"));
    for wrong in ["5905Tea 🍵", "5908Tea 🍵"] {
        let p = seal(&s().body().replace("5915Demo Noodle Bar", wrong));
        let v = run(&p, &khqr(None));
        assert!(
            v.fired("KHQR.TLV.LENGTH_UNITS"),
            "{wrong}: {:#?}",
            v.findings
        );
        assert!(!v.valid);
    }
    // Khmer: 9 units = 9 code points, but 27 bytes; a byte count is a unit error.
    let bytes = byte_counted();
    assert!(bytes.contains("0127ហាង"), "{bytes}");
    let v = run(&bytes, &khqr(Some(EXPIRATION)));
    let f = v
        .findings
        .iter()
        .find(|f| f.rule.id == "KHQR.TLV.LENGTH_UNITS")
        .expect("fires");
    assert!(f.message.contains("bytes"), "{}", f.message);
}

#[test]
fn expiry_is_judged_against_now_only() {
    let mut v = Validator::new();
    // Valid at the expiration millisecond, expired one millisecond later.
    let at = v.validate(DYNAMIC, &khqr(Some(EXPIRATION))).unwrap();
    assert!(at.valid && !at.fired("KHQR.99.EXPIRED"));
    let after = v.validate(DYNAMIC, &khqr(Some(EXPIRATION + 1))).unwrap();
    assert!(!after.valid && after.fired("KHQR.99.EXPIRED"));
    let f = after
        .findings
        .iter()
        .find(|f| f.rule.id == "KHQR.99.EXPIRED")
        .unwrap();
    assert!(f.message.contains("1 ms later"), "{}", f.message);
    // Without a clock, the clock rules are not evaluated (never silently passed).
    let none = v.validate(DYNAMIC, &khqr(None)).unwrap();
    assert!(!none.fired("KHQR.99.EXPIRED"));
    let ids: Vec<&str> = none.not_evaluated.iter().map(|r| r.id).collect();
    assert_eq!(ids, ["KHQR.99.EXPIRED", "KHQR.99.CREATION_IN_FUTURE"]);
    // The digest's bypass: 01 set to 11 after expiry still fails, and says why.
    let bypass = d().set(1, "11").sealed();
    let b = v.validate(&bypass, &khqr(Some(EXPIRATION + 1))).unwrap();
    assert!(b.fired("KHQR.54.NOT_DYNAMIC") && b.fired("KHQR.99.EXPIRED"));
}

#[test]
fn the_same_payload_and_clock_give_the_same_verdict() {
    let mut reused = Validator::new();
    for now in [CREATION, EXPIRATION, EXPIRATION + 1, i64::MAX, i64::MIN] {
        let options = khqr(Some(now));
        let first = reused.validate(DYNAMIC, &options).unwrap();
        // Other payloads in between must not change it.
        let _ = reused.validate(STATIC, &options).unwrap();
        let again = reused.validate(DYNAMIC, &options).unwrap();
        let fresh = run(DYNAMIC, &options);
        assert_eq!(first, again);
        assert_eq!(first, fresh);
    }
}

#[test]
fn findings_carry_the_sdk_code_and_whether_the_sdk_accepts() {
    let v = run(&s().set(0, "02").sealed(), &khqr(None));
    let json = serde_json::to_value(&v).unwrap();
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "KHQR.00.VALUE")
        .expect("fires");
    assert_eq!(f["ref_code"], 16);
    assert_eq!(f["confidence"], "CONFIRMED");
    let v = run(&s().del(0).insert(1, 0, "01").sealed(), &khqr(None));
    let json = serde_json::to_value(&v).unwrap();
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "KHQR.00.FIRST")
        .expect("fires");
    assert_eq!(f["ref_accepts"], true);
    assert!(f.get("ref_code").is_none());
}

#[test]
fn sdk_codes_are_recorded_on_the_rules() {
    for (id, code) in [
        ("KHQR.99.EXPIRED", Some(46)),
        ("KHQR.99.EXPIRATION_REQUIRED", Some(45)),
        ("KHQR.53.VALUE", Some(28)),
        ("KHQR.MAI.REQUIRED", Some(5)),
        ("KHQR.00.FIRST", None),
    ] {
        let r = crate::rules::lookup(id).unwrap();
        assert_eq!(r.ref_code, code, "{id}");
        assert!(r.ref_behaviour.is_some(), "{id}");
    }
    assert!(super::RULES.iter().all(|r| r.ref_behaviour.is_some()));
}

proptest! {
    #[test]
    fn mutations_never_panic_and_valid_follows_must(
        seed in prop_oneof![Just(STATIC), Just(DYNAMIC)],
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<char>(), 0u8..4), 1..6),
        now in prop_oneof![Just(None), Just(Some(EXPIRATION)), any::<i64>().prop_map(Some)],
    ) {
        let mut chars: Vec<char> = seed.chars().collect();
        for (at, c, op) in edits {
            if chars.is_empty() { break; }
            let i = at.index(chars.len());
            match op {
                0 => chars[i] = c,
                1 => { chars.remove(i); }
                2 => chars.insert(i, c),
                _ => chars.truncate(i),
            }
        }
        let text: String = chars.into_iter().collect();
        let mut v = Validator::new();
        for profile in [None, Some(Profile::Khqr), Some(Profile::Interop)] {
            let verdict = v.validate(&text, &opts(profile, now)).unwrap();
            prop_assert_eq!(verdict.valid, !verdict.findings.iter().any(|f| f.severity == crate::rules::Severity::Must));
            for f in &verdict.findings {
                prop_assert!(f.offset <= text.len());
            }
        }
    }
}
