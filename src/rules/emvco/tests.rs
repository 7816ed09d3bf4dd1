//! Every EMVCo payload rule: a payload that makes it fire, and valid payloads where it is silent.

use proptest::prelude::*;

use crate::Profile;
use crate::emv::crc;
use crate::rules::validator::{EmvVersion, Options, Validator, Verdict};
use crate::rules::{Scope, Severity, Status};

pub(crate) const ANNEX_B: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
pub(crate) const SYNTHETIC_STATIC: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";
pub(crate) const SYNTHETIC_FEE: &str = "00020101021226340018com.example.qrcert0108ACCT0001520459995303840540510.0055020256041.505802US5916QRCERT SYNTHETIC6009TESTVILLE62120508SYN0010263040F3E";

/// A data object with its length counted in characters.
fn o(id: u8, v: &str) -> String {
    format!("{id:02}{:02}{v}", v.chars().count())
}

/// A payload built from the synthetic static one by editing objects.
#[derive(Clone)]
struct P(Vec<(u8, String)>);

impl P {
    fn base() -> P {
        P(vec![
            (0, "01".into()),
            (1, "11".into()),
            (
                26,
                format!("{}{}", o(0, "com.example.qrcert"), o(1, "ACCT0001")),
            ),
            (52, "5999".into()),
            (53, "840".into()),
            (58, "US".into()),
            (59, "QRCERT SYNTHETIC".into()),
            (60, "TESTVILLE".into()),
        ])
    }
    fn set(mut self, id: u8, v: &str) -> P {
        match self.0.iter_mut().find(|e| e.0 == id) {
            Some(e) => e.1 = v.into(),
            None => self.0.push((id, v.into())),
        }
        self
    }
    fn add(mut self, id: u8, v: &str) -> P {
        self.0.push((id, v.into()));
        self
    }
    fn del(mut self, id: u8) -> P {
        self.0.retain(|e| e.0 != id);
        self
    }
    fn body(&self) -> String {
        self.0.iter().map(|(id, v)| o(*id, v)).collect()
    }
    fn sealed(&self) -> String {
        crc::seal(&self.body())
    }
}

fn run(text: &str, options: &Options) -> Verdict {
    Validator::new().validate(text, options).expect("validates")
}

fn emv() -> Options {
    Options {
        profile: Some(Profile::Emvco),
        ..Options::default()
    }
}

/// A payload whose CRC contains a hex letter, so its lower-case form differs.
fn lower_case_crc() -> String {
    (0..100)
        .map(|i| P::base().set(61, &format!("{i:05}")).sealed())
        .find(|p| p[p.len() - 4..].bytes().any(|b| b.is_ascii_alphabetic()))
        .map(|p| {
            let (a, b) = p.split_at(p.len() - 4);
            format!("{a}{}", b.to_ascii_lowercase())
        })
        .expect("some CRC has a letter")
}

fn three_digit(id: u8, content: &str) -> String {
    let body = format!(
        "{}{id:02}{:03}{content}",
        P::base().body(),
        content.chars().count()
    );
    crc::seal(&body)
}

fn cases() -> Vec<(&'static str, String, Options)> {
    let e = emv;
    let v10 = || Options {
        emv_version: EmvVersion::V1_0,
        ..emv()
    };
    let big_template = || format!("{}{}", o(0, "com.example.x"), o(1, &"X".repeat(80)));
    let mut many = P::base();
    for id in 80..=85 {
        many = many.add(id, &big_template());
    }
    let mut wide = P::base();
    for id in 80..=83 {
        wide = wide.add(
            id,
            &format!("{}{}", o(0, "com.example.x"), o(1, &"語".repeat(60))),
        );
    }
    let raw = P::base().body();
    let valid = P::base().sealed();
    let flipped = {
        let last = valid.chars().last().unwrap();
        let new = if last == '0' { '1' } else { '0' };
        format!("{}{new}", &valid[..valid.len() - 1])
    };
    vec![
        ("EMV.PAYLOAD.EMPTY", String::new(), e()),
        ("EMV.PAYLOAD.MAX_CHARS", many.sealed(), e()),
        ("EMV.PAYLOAD.MAX_BYTES", wide.sealed(), e()),
        ("EMV.PAYLOAD.CONTROL_CHARS", format!("{valid}\r\n"), e()),
        (
            "EMV.PAYLOAD.CONTROL_CHARS",
            P::base()
                .add(64, &format!("{}{}", o(0, "EN"), o(1, "Shop\u{7}")))
                .sealed(),
            e(),
        ),
        ("EMV.TLV.TRUNCATED_HEADER", format!("{raw}52"), e()),
        ("EMV.TLV.ID_NUMERIC", format!("{raw}5A02XX"), e()),
        (
            "EMV.TLV.LENGTH_NUMERIC",
            crc::seal(&format!("{raw}61+5ABCDE")),
            e(),
        ),
        (
            "EMV.TLV.LENGTH_NUMERIC",
            crc::seal(&format!("{raw}61 5ABCDE")),
            e(),
        ),
        ("EMV.TLV.LENGTH_ZERO", P::base().add(61, "").sealed(), e()),
        ("EMV.TLV.LENGTH_OVERRUN", format!("{raw}6199ABC"), e()),
        (
            "EMV.TLV.DUPLICATE_ID",
            P::base().add(59, "OTHER NAME").sealed(),
            e(),
        ),
        (
            "EMV.TLV.DUPLICATE_SUBID",
            P::base()
                .add(62, &format!("{}{}", o(1, "A"), o(1, "B")))
                .sealed(),
            e(),
        ),
        (
            "EMV.TLV.TEMPLATE_SYNTAX",
            P::base().add(62, "01X9ab").sealed(),
            e(),
        ),
        (
            "EMV.TLV.ORDER_NUMERIC",
            P::base().del(52).add(52, "5999").sealed(),
            e(),
        ),
        ("EMV.CHARSET.N", P::base().set(52, "59A9").sealed(), e()),
        ("EMV.CHARSET.ANS", P::base().set(58, "ÜS").sealed(), e()),
        (
            "EMV.CHARSET.S_PRECOMPOSED",
            P::base()
                .add(64, &format!("{}{}", o(0, "FR"), o(1, "CAFE\u{301}")))
                .sealed(),
            e(),
        ),
        (
            "EMV.CHARSET.NON_BMP",
            P::base()
                .add(64, &format!("{}{}", o(0, "EN"), o(1, "CAFE🍜")))
                .sealed(),
            e(),
        ),
        (
            "EMV.MODEL.VERSION_MISMATCH",
            P::base().add(62, &o(11, "000")).sealed(),
            v10(),
        ),
        ("EMV.00.PRESENT", P::base().del(0).sealed(), e()),
        ("EMV.00.FIRST", P::base().del(0).add(0, "01").sealed(), e()),
        ("EMV.00.LENGTH", P::base().set(0, "001").sealed(), e()),
        ("EMV.00.VALUE", P::base().set(0, "02").sealed(), e()),
        ("EMV.01.LENGTH", P::base().set(1, "111").sealed(), e()),
        ("EMV.01.VALUE", P::base().set(1, "13").sealed(), e()),
        (
            "EMV.01.STATIC_WITH_AMOUNT",
            P::base().add(54, "10.00").sealed(),
            e(),
        ),
        ("EMV.MAI.PRESENT", P::base().del(26).sealed(), e()),
        (
            "EMV.MAI.LENGTH",
            three_digit(
                27,
                &format!("{}{}", o(0, "com.example.qrcert"), o(1, &"A".repeat(80))),
            ),
            e(),
        ),
        (
            "EMV.MAI.CHARSET",
            P::base()
                .set(
                    26,
                    &format!("{}{}", o(0, "com.example.qrcert"), o(1, "ACCTé")),
                )
                .sealed(),
            e(),
        ),
        (
            "EMV.MAI.GUID_PRESENT",
            P::base().set(26, &o(1, "ACCT0001")).sealed(),
            e(),
        ),
        (
            "EMV.MAI.GUID_LENGTH",
            P::base().set(26, &o(0, &"a".repeat(33))).sealed(),
            e(),
        ),
        (
            "EMV.MAI.GUID_FORMAT",
            P::base().set(26, &o(0, "demo@sandbox")).sealed(),
            e(),
        ),
        (
            "EMV.MAI.RESERVED_EMVCO",
            P::base().add(6, "12345678").sealed(),
            e(),
        ),
        ("EMV.52.PRESENT", P::base().del(52).sealed(), e()),
        ("EMV.52.FORMAT", P::base().set(52, "599").sealed(), e()),
        ("EMV.52.ISO18245", P::base().set(52, "0000").sealed(), e()),
        ("EMV.53.PRESENT", P::base().del(53).sealed(), e()),
        ("EMV.53.FORMAT", P::base().set(53, "84").sealed(), e()),
        ("EMV.53.ISO4217", P::base().set(53, "000").sealed(), e()),
        (
            "EMV.54.LENGTH",
            P::base().set(1, "12").add(54, "12345678901234").sealed(),
            e(),
        ),
        (
            "EMV.54.FORMAT",
            P::base().set(1, "12").add(54, "98,73").sealed(),
            e(),
        ),
        (
            "EMV.54.NONZERO",
            P::base().set(1, "12").add(54, "0.00").sealed(),
            e(),
        ),
        (
            "EMV.54.DECIMALS",
            P::base().set(1, "12").add(54, "1.5").sealed(),
            e(),
        ),
        (
            "EMV.54.LEADING_DOT",
            P::base().set(1, "12").add(54, ".50").sealed(),
            e(),
        ),
        (
            "EMV.54.LEADING_ZERO",
            P::base().set(1, "12").add(54, "0012.50").sealed(),
            e(),
        ),
        ("EMV.55.LENGTH", P::base().add(55, "1").sealed(), e()),
        ("EMV.55.VALUE", P::base().add(55, "04").sealed(), e()),
        ("EMV.56.REQUIRED", P::base().add(55, "02").sealed(), e()),
        (
            "EMV.56.FORBIDDEN",
            P::base().add(55, "01").add(56, "1.00").sealed(),
            e(),
        ),
        (
            "EMV.56.FORMAT",
            P::base().add(55, "02").add(56, "0.00").sealed(),
            e(),
        ),
        (
            "EMV.56.DECIMALS",
            P::base().add(55, "02").add(56, "1.5").sealed(),
            e(),
        ),
        ("EMV.57.REQUIRED", P::base().add(55, "03").sealed(), e()),
        (
            "EMV.57.FORBIDDEN",
            P::base()
                .add(55, "02")
                .add(56, "1.00")
                .add(57, "3")
                .sealed(),
            e(),
        ),
        (
            "EMV.57.FORMAT",
            P::base().add(55, "03").add(57, "12.5%").sealed(),
            e(),
        ),
        (
            "EMV.57.RANGE",
            P::base().add(55, "03").add(57, "100").sealed(),
            e(),
        ),
        ("EMV.58.PRESENT", P::base().del(58).sealed(), e()),
        ("EMV.58.FORMAT", P::base().set(58, "U1").sealed(), e()),
        ("EMV.58.ISO3166", P::base().set(58, "us").sealed(), e()),
        ("EMV.59.PRESENT", P::base().del(59).sealed(), e()),
        (
            "EMV.59.LENGTH",
            P::base().set(59, &"N".repeat(26)).sealed(),
            e(),
        ),
        (
            "EMV.59.CHARSET",
            P::base().set(59, "CAFÉ TOKYO").sealed(),
            e(),
        ),
        (
            "EMV.59.WHITESPACE",
            P::base().set(59, "CAFE TOKYO ").sealed(),
            e(),
        ),
        ("EMV.60.PRESENT", P::base().del(60).sealed(), e()),
        (
            "EMV.60.LENGTH",
            P::base().set(60, &"C".repeat(16)).sealed(),
            e(),
        ),
        ("EMV.60.CHARSET", P::base().set(60, "ZÜRICH").sealed(), e()),
        (
            "EMV.61.LENGTH",
            P::base().add(61, "12345678901").sealed(),
            e(),
        ),
        ("EMV.61.CHARSET", P::base().add(61, "1000é").sealed(), e()),
        ("EMV.RFU.ROOT", P::base().add(65, "X").sealed(), e()),
        (
            "EMV.62.LENGTH",
            three_digit(
                62,
                &format!(
                    "{}{}{}{}",
                    o(1, &"B".repeat(25)),
                    o(2, &"M".repeat(25)),
                    o(3, &"S".repeat(25)),
                    o(5, "REF0000001")
                ),
            ),
            e(),
        ),
        ("EMV.62.NOT_EMPTY", P::base().add(62, "").sealed(), e()),
        (
            "EMV.62.SUB_LENGTH",
            P::base().add(62, &o(1, &"B".repeat(26))).sealed(),
            e(),
        ),
        (
            "EMV.62.SUB_CHARSET",
            P::base().add(62, &o(5, "RÉF")).sealed(),
            e(),
        ),
        (
            "EMV.62.PROMPT_VALUE",
            P::base().add(62, &o(2, "***")).sealed(),
            e(),
        ),
        (
            "EMV.62.09.VALUE",
            P::base().add(62, &o(9, "MM")).sealed(),
            e(),
        ),
        (
            "EMV.62.10.LENGTH",
            P::base().add(62, &o(10, &"1".repeat(21))).sealed(),
            e(),
        ),
        (
            "EMV.62.11.FORMAT",
            P::base().add(62, &o(11, "00")).sealed(),
            e(),
        ),
        (
            "EMV.62.11.VALUES",
            P::base().add(62, &o(11, "800")).sealed(),
            e(),
        ),
        (
            "EMV.62.RFU_SUBID",
            P::base().add(62, &o(12, "X")).sealed(),
            e(),
        ),
        (
            "EMV.62.PSS_GUID_PRESENT",
            P::base().add(62, &o(50, &o(1, "ab"))).sealed(),
            e(),
        ),
        (
            "EMV.62.PSS_GUID_LENGTH",
            P::base().add(62, &o(50, &o(0, &"a".repeat(33)))).sealed(),
            e(),
        ),
        (
            "EMV.64.LENGTH",
            three_digit(
                64,
                &format!(
                    "{}{}{}{}",
                    o(0, "EN"),
                    o(1, &"N".repeat(25)),
                    o(2, &"C".repeat(15)),
                    o(3, &"X".repeat(47))
                ),
            ),
            e(),
        ),
        (
            "EMV.64.00.PRESENT",
            P::base().add(64, &o(1, "Name")).sealed(),
            e(),
        ),
        (
            "EMV.64.00.FORMAT",
            P::base()
                .add(64, &format!("{}{}", o(0, "J1"), o(1, "Name")))
                .sealed(),
            e(),
        ),
        (
            "EMV.64.00.ISO639",
            P::base()
                .add(64, &format!("{}{}", o(0, "XX"), o(1, "Name")))
                .sealed(),
            e(),
        ),
        (
            "EMV.64.01.PRESENT",
            P::base().add(64, &o(0, "JA")).sealed(),
            e(),
        ),
        (
            "EMV.64.01.LENGTH",
            P::base()
                .add(64, &format!("{}{}", o(0, "JA"), o(1, &"名".repeat(26))))
                .sealed(),
            e(),
        ),
        (
            "EMV.64.02.LENGTH",
            P::base()
                .add(
                    64,
                    &format!("{}{}{}", o(0, "JA"), o(1, "名"), o(2, &"市".repeat(16))),
                )
                .sealed(),
            e(),
        ),
        (
            "EMV.64.RFU_SUBID",
            P::base()
                .add(64, &format!("{}{}{}", o(0, "JA"), o(1, "名"), o(3, "x")))
                .sealed(),
            e(),
        ),
        (
            "EMV.UNRES.GUID_PRESENT",
            P::base().add(80, &o(1, "ab")).sealed(),
            e(),
        ),
        (
            "EMV.UNRES.GUID_LENGTH",
            P::base().add(80, &o(0, &"a".repeat(33))).sealed(),
            e(),
        ),
        (
            "EMV.UNRES.GUID_FORMAT",
            P::base().add(80, &o(0, "demo@sandbox")).sealed(),
            e(),
        ),
        (
            "EMV.UNRES.LENGTH",
            three_digit(
                80,
                &format!("{}{}", o(0, "com.example.x"), o(1, &"Y".repeat(90))),
            ),
            e(),
        ),
        ("EMV.63.PRESENT", raw.clone(), e()),
        ("EMV.63.LAST", format!("{valid}5802US"), e()),
        ("EMV.63.LAST", format!("{valid}\n"), e()),
        ("EMV.63.LENGTH", format!("{raw}6303ABC"), e()),
        ("EMV.63.HEX", format!("{raw}6304ZZZZ"), e()),
        ("EMV.63.HEX", format!("{raw}6304+1A3"), e()),
        ("EMV.63.UPPERCASE", lower_case_crc(), e()),
        ("EMV.63.CRC_MISMATCH", flipped, e()),
    ]
}

#[test]
fn every_case_fires_its_rule_and_valid_follows_must() {
    for (rule, payload, options) in cases() {
        let v = run(&payload, &options);
        assert!(
            v.fired(rule),
            "{rule} did not fire on {payload:?}: {:#?}",
            v.findings
        );
        assert_eq!(
            v.valid,
            !v.findings.iter().any(|f| f.severity == Severity::Must),
            "valid must be false exactly when a MUST finding exists"
        );
        for f in &v.findings {
            assert!(f.offset <= payload.len(), "{rule}: offset past the end");
        }
    }
}

#[test]
fn every_active_payload_rule_has_a_firing_case() {
    let covered: Vec<&str> = cases().iter().map(|c| c.0).collect();
    for r in super::RULES {
        if r.status == Status::Active && r.scope == Scope::Payload && r.id != "EMV.PAYLOAD.UTF8" {
            assert!(covered.contains(&r.id), "{} has no firing case", r.id);
        }
    }
}

#[test]
fn invalid_utf8_is_a_finding_with_its_offset() {
    let mut bytes = SYNTHETIC_STATIC.as_bytes().to_vec();
    bytes[10] = 0xFF;
    let v = Validator::new().validate_bytes(&bytes, &emv()).unwrap();
    assert!(v.fired("EMV.PAYLOAD.UTF8"));
    assert_eq!(v.findings[0].offset, 10);
    assert!(!v.valid);
    // A lone surrogate encoded as WTF-8 (ED A0 80) is not UTF-8 either.
    let v = Validator::new()
        .validate_bytes(b"0002\xED\xA0\x80", &emv())
        .unwrap();
    assert!(v.fired("EMV.PAYLOAD.UTF8"));
}

#[test]
fn valid_payloads_are_silent() {
    for p in [SYNTHETIC_STATIC, SYNTHETIC_FEE, &P::base().sealed()] {
        let v = run(p, &emv());
        assert!(v.valid, "{p}: {:#?}", v.findings);
        assert!(v.findings.is_empty(), "{p}: {:#?}", v.findings);
    }
}

#[test]
fn the_spec_example_is_valid_with_only_info_findings() {
    let v = run(ANNEX_B, &emv());
    assert!(v.valid, "{:#?}", v.findings);
    assert!(
        v.findings.iter().all(|f| f.severity == Severity::Info),
        "{:#?}",
        v.findings
    );
    assert!(v.fired("EMV.62.PROMPT_VALUE"));
    assert!(v.fired("EMV.TLV.ORDER_NUMERIC"));
}

#[test]
fn a_lower_case_crc_is_should_for_consumers_and_must_for_generators() {
    let p = lower_case_crc();
    let consumer = run(&p, &emv());
    assert!(consumer.valid);
    let generator = run(
        &p,
        &Options {
            role: crate::rules::Role::Generator,
            ..emv()
        },
    );
    assert!(!generator.valid);
}

#[test]
fn missing_objects_are_not_guessed_after_a_structural_error() {
    // The length of 26 is one too long: everything after it is misread.
    let p = crc::seal(&P::base().body().replacen("2634", "2635", 1));
    let v = run(&p, &emv());
    assert!(!v.valid);
    assert!(!v.fired("EMV.59.PRESENT"), "{:#?}", v.findings);
}

#[test]
fn diagnosis_names_byte_counted_lengths() {
    let body = P::base()
        .add(64, &format!("{}{}", o(0, "JA"), o(1, "さくら")))
        .body()
        .replace("64130002JA0103さくら", "64190002JA0109さくら");
    let v = run(&crc::seal(&body), &emv());
    let msg = v
        .findings
        .iter()
        .map(|f| f.message.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(msg.contains("count bytes"), "{msg}");
}

#[test]
fn crc_mismatch_explains_common_wrong_computations() {
    let body = &ANNEX_B[..ANNEX_B.len() - 4];
    for (wrong, hint) in [("C919", "UTF-16"), ("E0D2", "XMODEM"), ("4314", "X-25")] {
        let v = run(&format!("{body}{wrong}"), &emv());
        let f = v
            .findings
            .iter()
            .find(|f| f.rule.id == "EMV.63.CRC_MISMATCH")
            .unwrap();
        assert!(f.message.contains(hint), "{}", f.message);
    }
}

#[test]
fn profile_detection_under_auto() {
    let v = run(SYNTHETIC_STATIC, &Options::default());
    assert_eq!(v.profile, Profile::Emvco);
}

#[test]
fn oversized_input_is_refused() {
    let big = "0".repeat(crate::rules::validator::MAX_PAYLOAD_BYTES + 1);
    assert!(Validator::new().validate(&big, &emv()).is_err());
    let v = run(&"0".repeat(60_000), &emv());
    assert!(!v.valid);
}

proptest! {
    #[test]
    fn mutations_of_valid_payloads_never_panic(
        seed in prop_oneof![Just(ANNEX_B), Just(SYNTHETIC_STATIC), Just(SYNTHETIC_FEE)],
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<char>(), 0u8..4), 1..6),
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
        for profile in [None, Some(Profile::Emvco)] {
            let verdict = v.validate(&text, &Options { profile, ..Options::default() }).unwrap();
            prop_assert_eq!(verdict.valid, !verdict.findings.iter().any(|f| f.severity == Severity::Must));
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Validator::new().validate_bytes(&bytes, &Options::default()).unwrap();
    }
}

#[test]
fn order_is_reported_once_with_or_without_repeats() {
    // IDs merely out of order take the parse's short path; a repeated ID the full pass.
    let plain = P::base().del(52).add(52, "5999").sealed();
    let repeated = P::base().del(52).add(52, "5999").add(52, "5999").sealed();
    for p in [plain, repeated] {
        let v = run(&p, &emv());
        let order: Vec<_> = v
            .findings
            .iter()
            .filter(|f| f.rule.id == "EMV.TLV.ORDER_NUMERIC")
            .collect();
        assert_eq!(order.len(), 1, "{p}: {:#?}", v.findings);
        assert!(
            order[0].message.starts_with("data object 52 follows ")
                && order[0]
                    .message
                    .ends_with("; ascending order is not required"),
            "{}",
            order[0].message
        );
    }
}

#[test]
fn recycled_message_buffers_hold_only_their_own_message() {
    // One validator, payload after payload: each verdict equals a fresh validator's.
    let other = P::base().del(52).add(52, "5999").sealed();
    let mut v = Validator::new();
    for _ in 0..3 {
        for p in [ANNEX_B, other.as_str(), SYNTHETIC_STATIC] {
            assert_eq!(v.validate(p, &emv()).unwrap(), run(p, &emv()), "{p}");
        }
    }
}
