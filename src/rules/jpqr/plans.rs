//! The curated JPQR vectors (`docs/spec/jpqr.md`): the digest's static and dynamic samples with
//! Japanese names, and negatives for every JPQR MPM payload rule. (Bill payment / eL-QR rules
//! are planned and need no vectors yet.)

use crate::vectors::generate::build::{P, Unit, V, obj, s, t};
use crate::vectors::generate::{Draft, Plan, parse, refuse, validate};
use crate::Profile;
use crate::vectors::generate::golden::{self, Golden};
use crate::vectors::generate::families::{Base, EMVCO_RULES, Range, r, standard};
use crate::emv::crc;
use crate::merchant::{
    Account, Additional, AlternateLanguage, Kind, Merchant, MerchantData, Transaction,
};

const LEVELS: [&str; 4] = ["0000000123456", "0002", "000010", "000003"];

/// The JPQR template with level `sub` replaced (or removed with `None`, or added when `sub` is
/// not 1-4).
pub fn level_template(sub: u8, v: Option<&str>) -> V {
    let mut kids: Vec<(u8, V)> = vec![(0, s("jp.or.paymentsjapan"))];
    for (i, l) in LEVELS.iter().enumerate() {
        kids.push((i as u8 + 1, s(*l)));
    }
    match (kids.iter().position(|e| e.0 == sub), v) {
        (Some(i), Some(v)) => kids[i].1 = s(v),
        (Some(i), None) => {
            kids.remove(i);
        }
        (None, Some(v)) => kids.push((sub, s(v))),
        (None, None) => {}
    }
    V::T(kids)
}

/// The digest's static sample (CRC 4F8B).
pub fn st() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(26, level_template(0, Some("jp.or.paymentsjapan")))
        .add_s(52, "5812")
        .add_s(53, "392")
        .add_s(58, "JP")
        .add_s(59, "SAKURA TEST CAFE")
        .add_s(60, "SHIBUYA-KU")
        .add_s(61, "1500002")
        .add(64, t(&[(0, s("JA")), (1, s("さくらテストカフェ"))]))
}

/// The digest's dynamic sample, 1500 yen (CRC 6C0C).
pub fn dy() -> P {
    st().set_s(1, "12").insert(5, 54, s("1500"))
}

fn pay(p: &P) -> String {
    p.sealed()
}

fn examples() -> Plan {
    let d = vec![
        validate(
            1,
            "Static JPQR code with a Japanese name (the digest's sample)",
            pay(&st()),
        )
        .tags(&["smoke", "positive", "static", "japanese"]),
        validate(2, "Dynamic JPQR code, 1500 yen", pay(&dy()))
            .tags(&["smoke", "positive", "dynamic", "japanese"]),
        validate(
            3,
            "A card-scheme account (04) beside the JPQR template",
            pay(&st().insert(2, 4, s("5555444433332222"))),
        )
        .tags(&["positive", "mai"]),
        validate(
            4,
            "A katakana name",
            pay(&st().set(64, t(&[(0, s("JA")), (1, s("サクラテストカフェ"))]))),
        )
        .tags(&["positive", "japanese"]),
        validate(
            5,
            "A kanji name of 25 characters, the maximum",
            pay(&st().set(64, t(&[(0, s("JA")), (1, s("桜".repeat(25)))]))),
        )
        .tags(&["positive", "japanese", "boundary"]),
        validate(
            6,
            "A large yen amount",
            pay(&dy().set_s(54, "9999999999999")),
        )
        .tags(&["positive", "amount", "boundary"]),
        validate(
            7,
            "A static code with an amount (allowed)",
            pay(&st().insert(5, 54, s("500"))),
        )
        .info(&["EMV.01.STATIC_WITH_AMOUNT"])
        .tags(&["positive", "static"]),
        validate(
            8,
            "Objects in the order GEC's fixtures use (60 after 00, 64 before 53)",
            pay(&P {
                objs: vec![
                    st().objs[0].clone(),
                    st().objs[7].clone(),
                    st().objs[1].clone(),
                    st().objs[2].clone(),
                    st().objs[3].clone(),
                    st().objs[9].clone(),
                    st().objs[4].clone(),
                    st().objs[5].clone(),
                    st().objs[6].clone(),
                    st().objs[8].clone(),
                ],
                unit: Unit::Chars,
            }),
        )
        .info(&["EMV.TLV.ORDER_NUMERIC"])
        .tags(&["positive", "order"]),
        validate(
            9,
            "A bill-payment (eL-QR) code is classified as such, not failed as MPM",
            bill_payment(),
        )
        .info(&["JPQR.PROFILE.BILL"])
        .tags(&["positive", "bill"])
        .note("jpqr.md 6 and note 15: an MPM checker must classify a bill code, not fail it."),
    ];
    Plan::new(
        Profile::Jpqr,
        "examples",
        "JPQR: valid static and dynamic codes with Japanese names.",
        &["JPQR digest §2, §3"],
        d,
    )
}

/// A synthetic bill-payment code of the eL-QR shape (jpqr.md 6): all digits, 80 holding 85
/// zeros, and 63 of length 05 holding the CRC through `6305` as five decimal digits.
fn bill_payment() -> String {
    let body = format!("0002010102125405120008085{}6305", "0".repeat(85));
    format!("{body}{:05}", crate::emv::crc::crc16(body.as_bytes()))
}

fn tag26_area() -> Plan {
    let with26 = |v: V| pay(&st().set(26, v));
    let d = vec![
        validate(
            1,
            "A 26 template with another GUID: no JPQR identifier",
            with26(t(&[(0, s("com.example.qrcert")), (1, s("ACCT0001"))])),
        )
        .reject(&["JPQR.26.ID_PRESENT"])
        .tags(&["negative"]),
        validate(
            2,
            "The JPQR template in 27 instead of 26",
            pay(&st()
                .del(26)
                .insert(2, 27, level_template(0, Some("jp.or.paymentsjapan")))),
        )
        .warn(&["JPQR.26.ID_IN_TAG_26"])
        .tags(&["negative"]),
        validate(
            3,
            "Two JPQR templates (26 and 27)",
            pay(&st().insert(3, 27, level_template(0, Some("jp.or.paymentsjapan")))),
        )
        .warn(&["JPQR.26.ID_IN_TAG_26", "JPQR.26.ID_SINGLE"])
        .tags(&["negative"]),
        validate(
            4,
            "The GUID in upper case (JP.OR.PAYMENTSJAPAN)",
            with26(level_template(0, Some("JP.OR.PAYMENTSJAPAN"))),
        )
        .reject(&["JPQR.26.00.GUID"])
        .tags(&["negative", "smoke"]),
        validate(
            5,
            "Management level 4 missing",
            with26(level_template(4, None)),
        )
        .reject(&["JPQR.26.LEVELS_PRESENT"])
        .tags(&["negative"]),
        validate(
            6,
            "Management level 1 missing",
            with26(level_template(1, None)),
        )
        .reject(&["JPQR.26.LEVELS_PRESENT"])
        .tags(&["negative"]),
        validate(
            7,
            "Level 1 of 12 digits",
            with26(level_template(1, Some("000000012345"))),
        )
        .reject(&["JPQR.26.01.LENGTH_13"])
        .tags(&["negative"]),
        validate(
            8,
            "Level 2 of 5 digits",
            with26(level_template(2, Some("00002"))),
        )
        .reject(&["JPQR.26.02.LENGTH_4"])
        .tags(&["negative"]),
        validate(
            9,
            "Level 3 of 5 digits",
            with26(level_template(3, Some("00001"))),
        )
        .reject(&["JPQR.26.03.LENGTH_6"])
        .tags(&["negative"]),
        validate(
            10,
            "Level 4 of 7 digits",
            with26(level_template(4, Some("0000003"))),
        )
        .reject(&["JPQR.26.04.LENGTH_6"])
        .tags(&["negative"]),
        validate(
            11,
            "A letter in level 2",
            with26(level_template(2, Some("00A2"))),
        )
        .reject(&["JPQR.26.LEVELS_NUMERIC"])
        .tags(&["negative"]),
        validate(
            12,
            "An extra sub-tag 05 in the JPQR template",
            with26(level_template(5, Some("X"))),
        )
        .warn(&["JPQR.26.NO_EXTRA_SUBTAGS"])
        .tags(&["negative"]),
    ];
    Plan::new(
        Profile::Jpqr,
        "tag26",
        "JPQR: the merchant-account template with the unified store identifier.",
        &["JPQR digest §3"],
        d,
    )
}

fn root_area() -> Plan {
    let lang = |kids: &[(u8, V)]| pay(&st().set(64, t(kids)));
    let bytes = {
        let mut p = st();
        p.unit = Unit::Bytes;
        p.sealed()
    };
    let d = vec![
        validate(
            1,
            "Currency 840 in a JPQR code",
            pay(&st().set_s(53, "840")),
        )
        .reject(&["JPQR.53.CURRENCY_JPY"])
        .tags(&["negative", "smoke"]),
        validate(
            2,
            "A yen amount with a trailing dot (1500.)",
            pay(&dy().set_s(54, "1500.")),
        )
        .reject(&["JPQR.54.NO_DECIMALS"])
        .tags(&["negative", "amount"]),
        validate(
            3,
            "A yen amount with decimals (498.50)",
            pay(&dy().set_s(54, "498.50")),
        )
        .reject(&["JPQR.54.NO_DECIMALS"])
        .tags(&["negative", "amount"]),
        validate(4, "A dynamic code without an amount", pay(&dy().del(54)))
            .reject(&["JPQR.54.DYNAMIC_REQUIRES_AMOUNT"])
            .tags(&["negative", "amount"]),
        validate(5, "Country KH in a JPQR code", pay(&st().set_s(58, "KH")))
            .reject(&["JPQR.58.COUNTRY_JP"])
            .tags(&["negative"]),
        validate(
            6,
            "A Japanese name in 59",
            pay(&st().set_s(59, "さくらテストカフェ")),
        )
        .reject(&["EMV.59.CHARSET"])
        .warn(&["JPQR.59.ROMANIZED"])
        .tags(&["negative", "japanese"]),
        validate(7, "A Japanese city in 60", pay(&st().set_s(60, "渋谷区")))
            .reject(&["EMV.60.CHARSET"])
            .warn(&["JPQR.60.ROMANIZED"])
            .tags(&["negative", "japanese"]),
        validate(8, "No postal code (61)", pay(&st().del(61)))
            .reject(&["JPQR.61.POSTAL_PRESENT"])
            .tags(&["negative"]),
        validate(9, "An empty postal code", pay(&st().set_s(61, "")))
            .reject(&["JPQR.61.POSTAL_PRESENT"])
            .tags(&["negative"]),
        validate(
            10,
            "A postal code with a hyphen (150-0002)",
            pay(&st().set_s(61, "150-0002")),
        )
        .reject(&["JPQR.61.POSTAL_7_DIGITS"])
        .tags(&["negative"]),
        validate(
            11,
            "A postal code of 6 digits",
            pay(&st().set_s(61, "150000")),
        )
        .reject(&["JPQR.61.POSTAL_7_DIGITS"])
        .tags(&["negative"]),
        validate(12, "No language template (64)", pay(&st().del(64)))
            .reject(&["JPQR.64.PRESENT"])
            .tags(&["negative"]),
        validate(
            13,
            "Language preference in lower case (ja)",
            lang(&[(0, s("ja")), (1, s("さくら"))]),
        )
        .reject(&["JPQR.64.00.LANG_JA"])
        .tags(&["negative"]),
        validate(
            14,
            "A language template without a name",
            lang(&[(0, s("JA"))]),
        )
        .reject(&["JPQR.64.01.NAME_PRESENT"])
        .tags(&["negative"]),
        validate(
            15,
            "A Japanese name of 26 characters",
            lang(&[(0, s("JA")), (1, s("さ".repeat(26)))]),
        )
        .reject(&["JPQR.64.01.NAME_PRESENT"])
        .tags(&["negative", "boundary"]),
        validate(
            16,
            "An alternate-language city (64/02), which JPQR forbids",
            lang(&[(0, s("JA")), (1, s("さくら")), (2, s("渋谷"))]),
        )
        .reject(&["JPQR.64.02.ABSENT"])
        .tags(&["negative"]),
        validate(17, "Lengths counted in UTF-8 bytes", bytes)
            .reject(&["JPQR.LENGTH.CHARACTERS"])
            .tags(&["negative", "length-units"]),
        validate(
            18,
            "64 counted in bytes, the rest in characters",
            crc::seal(&format!(
                "{}{}",
                st().del(64).body(),
                obj(64, "0002JA0127さくらテストカフェ", Unit::Chars)
            )),
        )
        .reject(&["JPQR.LENGTH.CHARACTERS"])
        .tags(&["negative", "length-units"]),
    ];
    Plan::new(
        Profile::Jpqr,
        "root",
        "JPQR: currency, country, amount, names, postal code, the language template and length units.",
        &["JPQR digest §2, §4, §5"],
        d,
    )
}

fn parse_area() -> Plan {
    let d = vec![
        parse(1, "The static sample, Japanese name included", &st()).tags(&["smoke", "japanese"]),
        parse(2, "The dynamic sample", &dy()),
        parse(
            3,
            "Leading zeros in the management levels are kept",
            &st().set(26, level_template(1, Some("0000000000001"))),
        ),
    ];
    Plan::new(
        Profile::Jpqr,
        "parse",
        "JPQR: decoding codes into their data objects.",
        &["JPQR digest §2, §3"],
        d,
    )
}

pub(crate) fn jdata() -> MerchantData {
    MerchantData {
        kind: Kind::Static,
        account: Account::scheme(
            "jpqr",
            &[
                ("level1", LEVELS[0]),
                ("level2", LEVELS[1]),
                ("level3", LEVELS[2]),
                ("level4", LEVELS[3]),
            ],
        ),
        merchant: Merchant {
            name: "SAKURA TEST CAFE".into(),
            city: "SHIBUYA-KU".into(),
            category_code: Some("5812".into()),
            country: Some("JP".into()),
            postal_code: Some("1500002".into()),
            alternate_language: Some(AlternateLanguage {
                language: "JA".into(),
                name: "さくらテストカフェ".into(),
                city: None,
            }),
        },
        transaction: Transaction {
            currency: Some("392".into()),
            ..Transaction::default()
        },
        additional: Additional::default(),
    }
}

fn gen_case(num: u16, title: &str, m: MerchantData) -> Draft {
    crate::vectors::generate::canonical_case(Profile::Emvco, num, title, m)
}

fn generate_area() -> Plan {
    let with = |f: &dyn Fn(&mut MerchantData)| {
        let mut m = jdata();
        f(&mut m);
        m
    };
    let d = vec![
        gen_case(1, "Static JPQR code (the digest's static sample)", jdata())
            .tags(&["smoke", "static", "japanese"]),
        gen_case(
            2,
            "Dynamic JPQR code, 1500 yen",
            with(&|m| {
                m.kind = Kind::Dynamic;
                m.transaction.amount = Some("1500".into());
            }),
        )
        .tags(&["dynamic"]),
        gen_case(
            3,
            "A katakana name",
            with(&|m| {
                if let Some(a) = &mut m.merchant.alternate_language {
                    a.name = "サクラテストカフェ".into();
                }
            }),
        )
        .tags(&["japanese"]),
        refuse(
            4,
            "Dollars cannot be encoded in JPQR",
            with(&|m| m.transaction.currency = Some("840".into())),
            &["JPQR.53.CURRENCY_JPY"],
        ),
        refuse(
            5,
            "A yen amount with decimals cannot be encoded",
            with(&|m| {
                m.kind = Kind::Dynamic;
                m.transaction.amount = Some("1500.50".into());
            }),
            &["JPQR.54.NO_DECIMALS"],
        ),
        refuse(
            6,
            "A JPQR code needs a postal code",
            with(&|m| m.merchant.postal_code = None),
            &["JPQR.61.POSTAL_PRESENT"],
        ),
        refuse(
            7,
            "A JPQR code needs the Japanese name",
            with(&|m| m.merchant.alternate_language = None),
            &["JPQR.64.PRESENT"],
        ),
        refuse(
            8,
            "A JPQR code has no alternate-language city",
            with(&|m| {
                if let Some(a) = &mut m.merchant.alternate_language {
                    a.city = Some("渋谷".into());
                }
            }),
            &["JPQR.64.02.ABSENT"],
        ),
    ];
    Plan::new(
        Profile::Jpqr,
        "generate",
        "JPQR: generating codes from the neutral merchant-data schema.",
        &["JPQR digest §2, §3", "vectors/README.md (merchant data)"],
        d,
    )
}

/// The golden codes: the render and scan files.
fn golden() -> [Plan; 2] {
    let codes = [
        Golden {
            image: "jpqr-static",
            payload: pay(&st()),
            render: ("The static sample: Japanese text needs ECI 26; no Kanji mode", &["smoke", "japanese"]),
            scan: ("Read the static sample", &["smoke", "japanese"]),
        },
        Golden {
            image: "jpqr-dynamic",
            payload: pay(&dy()),
            render: ("The dynamic sample", &[]),
            scan: ("Read the dynamic sample", &[]),
        },
    ];
    golden::plans(Profile::Jpqr, "JPQR", "JPQR digest §5", &codes)
}

/// Every jpqr plan: the curated JPQR files and the mutation families.
pub fn all() -> Vec<Plan> {
    [plans(), families()].concat()
}

/// Every curated JPQR file.
pub fn plans() -> Vec<Plan> {
    let curated: [fn() -> Plan; 5] = [examples, tag26_area, root_area, parse_area, generate_area];
    curated.iter().map(|area| area()).chain(golden()).collect()
}

/// The JPQR bases: the digest's samples.
fn bases() -> Vec<Base> {
    vec![
        Base::new("JPQR static", st()),
        Base::new("JPQR dynamic", dy()),
    ]
}

fn ranges() -> Vec<Range> {

    vec![
        r(0, "02", &["EMV.00.VALUE"]),
        r(1, "13", &["EMV.01.VALUE"]),
        r(53, "840", &["JPQR.53.CURRENCY_JPY"]),
        r(53, "116", &["JPQR.53.CURRENCY_JPY"]),
        r(58, "US", &["JPQR.58.COUNTRY_JP"]),
        r(58, "KH", &["JPQR.58.COUNTRY_JP"]),
        r(61, "150-0002", &["JPQR.61.POSTAL_7_DIGITS"]),
        r(61, "150000", &["JPQR.61.POSTAL_7_DIGITS"]),
        r(61, "15000021", &["JPQR.61.POSTAL_7_DIGITS"]),
        r(54, "1500.50", &["JPQR.54.NO_DECIMALS"]),
        r(54, "1500.", &["JPQR.54.NO_DECIMALS"]),
        r(54, "0", &["EMV.54.NONZERO"]),
        r(59, &"N".repeat(26), &["EMV.59.LENGTH"]),
        Range::template(
            64,
            &[(0, s("ja")), (1, s("さくら"))],
            &["JPQR.64.00.LANG_JA"],
            &[],
        ),
        Range::template(64, &[(0, s("JA"))], &["JPQR.64.01.NAME_PRESENT"], &[]),
        Range::template(
            64,
            &[(0, s("JA")), (1, s("さくら")), (2, s("渋谷"))],
            &["JPQR.64.02.ABSENT"],
            &[],
        ),
        Range {
            id: 26,
            value: level_template(1, Some("000000012345")),
            with: Vec::new(),
            rules: vec!["JPQR.26.01.LENGTH_13"],
            warnings: Vec::new(),
        },
        Range {
            id: 26,
            value: level_template(2, Some("00002")),
            with: Vec::new(),
            rules: vec!["JPQR.26.02.LENGTH_4"],
            warnings: Vec::new(),
        },
        Range {
            id: 26,
            value: level_template(3, Some("00001")),
            with: Vec::new(),
            rules: vec!["JPQR.26.03.LENGTH_6"],
            warnings: Vec::new(),
        },
        Range {
            id: 26,
            value: level_template(4, Some("0000003")),
            with: Vec::new(),
            rules: vec!["JPQR.26.04.LENGTH_6"],
            warnings: Vec::new(),
        },
        Range {
            id: 26,
            value: level_template(2, Some("00A2")),
            with: Vec::new(),
            rules: vec!["JPQR.26.LEVELS_NUMERIC"],
            warnings: Vec::new(),
        },
    ]
}

/// The JPQR mutation families.
fn families() -> Vec<Plan> {
    standard(Profile::Jpqr, &bases(), &ranges(), &EMVCO_RULES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_rebuild_the_digest_samples() {
        assert!(st().sealed().ends_with("63044F8B"), "{}", st().sealed());
        assert!(dy().sealed().ends_with("63046C0C"), "{}", dy().sealed());
        assert_eq!(
            crate::rules::emvco::plans::canonical(&jdata()).sealed(),
            st().sealed()
        );
    }
}
