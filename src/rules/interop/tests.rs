//! Every INTEROP payload rule: a payload that makes it fire and a near miss where it is silent,
//! on JPQR and KHQR codes validated with `--profile interop`.

use crate::Profile;
use crate::emv::units::LengthUnit::Utf16;
use crate::rules::jpqr::tests as jp;
use crate::rules::khqr::tests as kh;
use crate::rules::testkit::{B, Case, assert_covered, check_cases, lower_crc, opts, run, tpl};
use crate::rules::validator::Options;

fn interop() -> Options {
    opts(Some(Profile::Interop), Some(kh::EXPIRATION))
}

fn case(rule: &'static str, fire: B, quiet: B) -> Case {
    Case {
        rule,
        fire: fire.sealed(),
        quiet: quiet.sealed(),
        options: interop(),
    }
}

fn cases() -> Vec<Case> {
    let k64 = |subs: &[(u8, &str)]| tpl(Utf16, subs);
    vec![
        Case {
            rule: "INTEROP.PROFILE.DETECTABLE",
            fire: jp::EMVCO.into(),
            quiet: kh::DYNAMIC.into(),
            options: interop(),
        },
        case(
            "INTEROP.PROFILE.DETECTABLE",
            jp::s().insert(3, 29, &jp::t(&[(0, "demo@sandbox")])),
            jp::s(),
        ),
        case(
            "INTEROP.PROFILE.DETECTABLE",
            kh::s().set(29, &kh::t(&[(0, "demosandbox")])),
            kh::s(),
        ),
        case("INTEROP.53.SUPPORTED", kh::d().set(53, "978"), kh::d()),
        case("INTEROP.53_58.PAIR", kh::d().set(58, "JP"), kh::d()),
        case("INTEROP.53_58.PAIR", jp::s().set(53, "840"), jp::s()),
        case("INTEROP.54.EXPONENT", kh::d().set(54, "2.5"), kh::d()),
        case(
            "INTEROP.54.EXPONENT",
            kh::d().set(53, "116").set(54, "2500.00"),
            kh::d().set(53, "116").set(54, "2500"),
        ),
        case("INTEROP.54.EXPONENT", jp::d().set(54, "1500.0"), jp::d()),
        case("INTEROP.59.PRESENT", kh::d().del(59), kh::d()),
        case("INTEROP.59.LATIN", kh::d().set(59, "ហាងគុយទាវ"), kh::d()),
        case("INTEROP.60.LATIN", kh::d().set(60, "បាត់ដំបង"), kh::d()),
        case("INTEROP.60.LATIN", jp::s().set(60, "渋谷区"), jp::s()),
        case("INTEROP.64.LOCAL_NAME", kh::d().del(64), kh::d()),
        case(
            "INTEROP.64.LOCAL_NAME",
            kh::d().set(64, &k64(&[(0, "en"), (1, "Noodle Bar")])),
            kh::d().set(64, &k64(&[(0, "KM"), (1, "ហាង")])),
        ),
        case(
            "INTEROP.64.LOCAL_NAME",
            jp::s().set(64, &jp::t(&[(0, "EN"), (1, "Sakura Cafe")])),
            jp::s(),
        ),
        case(
            "INTEROP.64.LANG_CODE",
            kh::d().set(64, &k64(&[(0, "kh"), (1, "ហាង")])),
            kh::d(),
        ),
        Case {
            rule: "INTEROP.63.UPPERCASE",
            fire: lower_crc(kh::STATIC),
            quiet: kh::STATIC.into(),
            options: interop(),
        },
        case(
            "INTEROP.TEXT.BMP_ONLY",
            kh::d().set(64, &k64(&[(0, "km"), (1, "ហាង🍜")])),
            kh::d(),
        ),
        case(
            "INTEROP.TEXT.BMP_ONLY",
            jp::s().set(64, &jp::t(&[(0, "JA"), (1, "𠮷田商店")])),
            jp::s(),
        ),
        case(
            "INTEROP.MAI.PRIMITIVE_02_25",
            kh::d().insert(2, 15, &kh::t(&[(0, "demo@sandbox")])),
            kh::d().insert(2, 15, "1234567890123456"),
        ),
        case(
            "INTEROP.MAI.PRIMITIVE_02_25",
            jp::s().insert(
                2,
                4,
                &jp::t(&[(0, "jp.or.paymentsjapan"), (1, "0000000123456")]),
            ),
            jp::s().insert(2, 4, "5555444433332222"),
        ),
    ]
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
fn interop_applies_on_top_of_the_detected_profile() {
    let k = run(kh::DYNAMIC, &interop());
    assert_eq!(k.profile, Profile::Khqr);
    assert!(k.interop);
    assert!(k.valid && k.findings.is_empty(), "{:#?}", k.findings);
    let j = run(jp::STATIC, &interop());
    assert_eq!(j.profile, Profile::Jpqr);
    assert!(j.interop);
    assert_eq!(j.rule_ids(), ["JPQR.PROFILE.MPM"]);
    // The national rules still apply: an expired KHQR code fails under interop too.
    let expired = run(
        kh::DYNAMIC,
        &opts(Some(Profile::Interop), Some(kh::EXPIRATION + 1)),
    );
    assert!(expired.fired("KHQR.99.EXPIRED"));
    // A Khmer-only name is fine under KHQR (SHOULD) but not payable across the border (MUST).
    let khmer = kh::s().set(59, "ហាងគុយទាវ").sealed();
    assert!(run(&khmer, &kh::khqr(None)).valid);
    let x = run(&khmer, &interop());
    assert!(!x.valid && x.fired("INTEROP.59.LATIN"));
}

#[test]
fn every_interop_rule_is_a_decision() {
    assert_eq!(super::RULES.len(), 13);
    assert!(
        super::RULES
            .iter()
            .all(|r| r.confidence == crate::rules::Confidence::Decision)
    );
}
