//! The official KHQR SDK's leniencies (khqr.md sections 6 "Not checked" and 9): payloads its
//! `verify()` accepts although KHQR's rules (or the EMVCo base) forbid them. One test per
//! leniency, named for it: qrcert, under `--profile khqr`, rejects the payload (MUST) or reports
//! it (SHOULD/INFO), and the test names the rule that catches it. CRCs are recomputed, as the
//! digest's probes are.

use crate::Profile;
use crate::rules::Severity;
use crate::rules::testkit::{B, lower_crc, opts, run, seal};

use super::tests::{EXPIRATION, STATIC, d, s, t};

/// How qrcert must treat the leniency.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// A MUST rule fires: the payload is invalid.
    Invalid,
    /// A SHOULD or INFO rule fires: reported, the payload stays valid unless something else
    /// breaks a MUST.
    Reported,
}

fn caught(payload: &str, rule: &str, expect: Expect) {
    caught_at(payload, rule, expect, Some(EXPIRATION));
}

fn caught_at(payload: &str, rule: &str, expect: Expect, now: Option<i64>) {
    let v = run(payload, &opts(Some(Profile::Khqr), now));
    let f = v
        .findings
        .iter()
        .find(|f| f.rule.id == rule)
        .unwrap_or_else(|| panic!("{rule} did not fire on {payload:?}: {:#?}", v.findings));
    match expect {
        Expect::Invalid => {
            assert_eq!(f.severity, Severity::Must, "{rule}");
            assert!(!v.valid, "{payload:?} must be invalid");
        }
        Expect::Reported => {
            assert_ne!(f.severity, Severity::Must, "{rule}");
        }
    }
    // Every KHQR rule records what the SDK does with the defect.
    if rule.starts_with("KHQR.") {
        assert!(f.rule.ref_behaviour.is_some(), "{rule}");
    }
}

fn sealed(b: B) -> String {
    b.sealed()
}

#[test]
fn payload_format_indicator_02_is_caught_by_00_value() {
    caught(&sealed(s().set(0, "02")), "KHQR.00.VALUE", Expect::Invalid);
}

#[test]
fn payload_format_indicator_after_01_is_caught_by_00_first() {
    caught(
        &sealed(s().del(0).insert(1, 0, "01")),
        "KHQR.00.FIRST",
        Expect::Invalid,
    );
}

#[test]
fn one_character_payload_format_indicator_is_caught_by_00_value() {
    caught(&sealed(s().set(0, "1")), "KHQR.00.VALUE", Expect::Invalid);
}

#[test]
fn root_tag_repeated_apart_is_caught_by_duplicate_tag() {
    caught(
        &sealed(s().add(59, "Other Name")),
        "KHQR.TLV.DUPLICATE_TAG",
        Expect::Invalid,
    );
}

#[test]
fn second_crc_after_a_valid_one_is_caught_by_crc_extra_object() {
    caught(&seal(STATIC), "KHQR.CRC.EXTRA_OBJECT", Expect::Invalid);
}

#[test]
fn lower_case_crc_is_reported_by_crc_lowercase() {
    caught(&lower_crc(STATIC), "KHQR.CRC.LOWERCASE", Expect::Reported);
}

#[test]
fn non_numeric_amounts_are_caught_by_54_format() {
    for amount in ["abc", "50,000", "+500", "1e+21", "1.5.0", ".5"] {
        caught(
            &sealed(d().set(54, amount)),
            "KHQR.54.FORMAT",
            Expect::Invalid,
        );
    }
}

#[test]
fn zero_amount_on_a_dynamic_code_is_caught_by_54_zero() {
    caught(&sealed(d().set(54, "0")), "KHQR.54.ZERO", Expect::Invalid);
}

#[test]
fn riel_amount_with_decimals_is_caught_by_54_khr_decimals() {
    caught(
        &sealed(d().set(53, "116").set(54, "500.5")),
        "KHQR.54.KHR_DECIMALS",
        Expect::Invalid,
    );
}

#[test]
fn dollar_amount_with_three_decimals_is_caught_by_54_usd_decimals() {
    caught(
        &sealed(d().set(54, "1.234")),
        "KHQR.54.USD_DECIMALS",
        Expect::Invalid,
    );
}

#[test]
fn foreign_country_code_is_caught_by_58_value() {
    for country in ["US", "KHM", "K"] {
        caught(
            &sealed(s().set(58, country)),
            "KHQR.58.VALUE",
            Expect::Invalid,
        );
    }
}

#[test]
fn two_digit_merchant_category_code_is_caught_by_52_format() {
    caught(
        &sealed(s().set(52, "59")),
        "KHQR.52.FORMAT",
        Expect::Invalid,
    );
}

#[test]
fn malformed_account_ids_are_caught_by_account_id_format() {
    for id in ["@", "a@b@c", "name@"] {
        caught(
            &sealed(s().set(29, &t(&[(0, id)]))),
            "KHQR.MAI.ACCOUNT_ID_FORMAT",
            Expect::Invalid,
        );
    }
}

#[test]
fn merchant_template_with_only_the_account_id_is_caught_by_30_required_rules() {
    let p = sealed(d().set(30, &t(&[(0, "demo@sandbox")])));
    caught(&p, "KHQR.30.MERCHANT_ID_REQUIRED", Expect::Invalid);
    caught(&p, "KHQR.30.ACQUIRING_BANK_REQUIRED", Expect::Invalid);
}

#[test]
fn unionpay_on_a_dollar_code_is_caught_by_15_khr_only() {
    caught(
        &sealed(d().insert(2, 15, "1234567890123456")),
        "KHQR.15.KHR_ONLY",
        Expect::Invalid,
    );
}

#[test]
fn expiry_bypass_by_setting_01_to_11_is_caught_by_99_expired() {
    let p = sealed(d().set(1, "11"));
    caught_at(&p, "KHQR.99.EXPIRED", Expect::Invalid, Some(EXPIRATION + 1));
    caught_at(
        &p,
        "KHQR.54.NOT_DYNAMIC",
        Expect::Invalid,
        Some(EXPIRATION + 1),
    );
}

#[test]
fn expiry_bypass_by_removing_01_is_caught_by_99_expired() {
    let p = sealed(d().del(1));
    caught_at(&p, "KHQR.99.EXPIRED", Expect::Invalid, Some(EXPIRATION + 1));
    caught_at(
        &p,
        "KHQR.54.NOT_DYNAMIC",
        Expect::Invalid,
        Some(EXPIRATION + 1),
    );
}

#[test]
fn timestamp_template_without_creation_time_is_caught_by_99_creation_required() {
    caught(
        &sealed(d().set(99, &t(&[(1, "1780000900000")]))),
        "KHQR.99.CREATION_REQUIRED",
        Expect::Invalid,
    );
}

#[test]
fn unchecked_creation_time_is_caught_by_99_creation_format() {
    caught(
        &sealed(d().set(99, &t(&[(0, "yesterday"), (1, "1780000900000")]))),
        "KHQR.99.CREATION_FORMAT",
        Expect::Invalid,
    );
}

#[test]
fn junk_in_a_static_codes_99_is_reported_by_99_on_static() {
    caught(
        &sealed(s().add(99, &t(&[(0, "1780000000000"), (5, "junk")]))),
        "KHQR.99.ON_STATIC",
        Expect::Reported,
    );
}

#[test]
fn language_template_with_only_the_city_is_caught_by_64_city_only() {
    caught(
        &sealed(s().add(64, &t(&[(2, "បាត់ដំបង")]))),
        "KHQR.64.CITY_ONLY",
        Expect::Invalid,
    );
}

#[test]
fn one_character_language_preference_is_caught_by_64_preference_length() {
    caught(
        &sealed(s().add(64, &t(&[(0, "k"), (1, "ហាង")]))),
        "KHQR.64.PREFERENCE_LENGTH",
        Expect::Invalid,
    );
}

#[test]
fn signed_or_spaced_lengths_read_by_parseint_are_caught_by_length_format() {
    for field in ["+6", " 6"] {
        let p = seal(
            &s().body()
                .replace("6010Battambang", &format!("60{field}Kampot")),
        );
        caught(&p, "KHQR.TLV.LENGTH_FORMAT", Expect::Invalid);
    }
}

#[test]
fn skipped_root_tags_are_reported_by_unknown_root() {
    let guid = t(&[(0, "com.example.pay")]);
    for (id, v) in [(26, guid.as_str()), (65, "X"), (80, guid.as_str())] {
        caught(
            &sealed(s().add(id, v)),
            "KHQR.TAG.UNKNOWN_ROOT",
            Expect::Reported,
        );
    }
}

#[test]
fn ignored_tip_is_reported_by_tip_or_fee() {
    caught(
        &sealed(s().add(55, "01")),
        "KHQR.TAG.TIP_OR_FEE",
        Expect::Reported,
    );
}

#[test]
fn additional_data_with_only_emvco_fields_is_reported_by_unknown_subtag() {
    let p = sealed(s().add(62, &t(&[(5, "REF-1"), (50, &t(&[(0, "com.example.pay")]))])));
    caught(&p, "KHQR.TAG.UNKNOWN_SUBTAG", Expect::Reported);
}

#[test]
fn repeated_sub_tag_is_caught_by_emv_duplicate_subid() {
    caught(
        &sealed(s().add(62, &t(&[(1, "INV-1"), (1, "INV-2")]))),
        "EMV.TLV.DUPLICATE_SUBID",
        Expect::Invalid,
    );
}

#[test]
fn zero_length_object_is_caught_by_zero_length() {
    caught(
        &sealed(s().add(62, &t(&[(7, "")]))),
        "KHQR.TLV.ZERO_LENGTH",
        Expect::Invalid,
    );
}

#[test]
fn khmer_merchant_name_is_reported_by_local_script_in_root() {
    caught(
        &sealed(s().set(59, "ហាងគុយទាវ")),
        "KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT",
        Expect::Reported,
    );
}

#[test]
fn emoji_in_a_value_is_reported_by_text_non_bmp() {
    caught(
        &sealed(s().set(59, "Tea 🍵")),
        "KHQR.TEXT.NON_BMP",
        Expect::Reported,
    );
}

#[test]
fn both_account_templates_are_reported_by_mai_both() {
    caught(
        &sealed(s().insert(3, 30, &t(&[(0, "demo@sandbox"), (1, "M-1"), (2, "Bank")]))),
        "KHQR.MAI.BOTH",
        Expect::Reported,
    );
}

#[test]
fn missing_point_of_initiation_is_reported_by_01_present() {
    caught(&sealed(s().del(1)), "KHQR.01.PRESENT", Expect::Reported);
}

#[test]
fn amount_on_a_static_code_with_99_is_caught_by_54_not_dynamic() {
    caught(
        &sealed(d().set(1, "11")),
        "KHQR.54.NOT_DYNAMIC",
        Expect::Invalid,
    );
}

#[test]
fn fields_only_sdk_1_0_7_rejects_are_reported_by_legacy_readers() {
    caught(
        &sealed(s().set(59, &"N".repeat(25))),
        "KHQR.COMPAT.LEGACY_READERS",
        Expect::Reported,
    );
}

#[test]
fn mobile_number_without_a_character_check_is_reported_by_mobile_number_format() {
    caught(
        &sealed(s().add(62, &t(&[(2, "call me")]))),
        "KHQR.62.MOBILE_NUMBER_FORMAT",
        Expect::Reported,
    );
}

#[test]
fn unchecked_language_code_is_reported_by_64_preference_code() {
    caught(
        &sealed(s().add(64, &t(&[(0, "kh"), (1, "ហាង")]))),
        "KHQR.64.PREFERENCE_CODE",
        Expect::Reported,
    );
}
