//! The curated KHQR vectors (`docs/spec/khqr.md`): the digest's samples, every variant
//! (individual and merchant, static and dynamic, KHR and USD, Khmer alternate language), the
//! clock trio of each dynamic code, and negatives for every KHQR payload rule.

use crate::vectors::generate::build::{P, Unit, V, obj, s, t};
use crate::vectors::generate::{Draft, Plan, parse, refuse, validate};
use crate::Profile;
use crate::vectors::generate::golden::{self, Golden};
use crate::vectors::generate::families::{Base, FamilyRules, Range, r, standard};
use crate::emv::crc;
use crate::merchant::{
    Account, Additional, AlternateLanguage, Kind, Merchant, MerchantData, Transaction,
};

/// 99/00 of the dynamic sample (2026-05-28T20:26:40Z).
pub const CREATION: i64 = 1_780_000_000_000;
/// 99/01 of the dynamic sample: valid at this millisecond, expired one later.
pub const EXPIRATION: i64 = 1_780_000_900_000;

/// The digest's static individual KHR sample (CRC C0F7).
pub fn st() -> P {
    P::new(Unit::Utf16)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(29, t(&[(0, s("demo@sandbox"))]))
        .add_s(52, "5999")
        .add_s(53, "116")
        .add_s(58, "KH")
        .add_s(59, "Demo Noodle Bar")
        .add_s(60, "Battambang")
}

fn ts(created: &str, expires: &str) -> V {
    t(&[(0, s(created)), (1, s(expires))])
}

/// The digest's dynamic merchant USD sample with 62, a Khmer 64 and 99 (CRC AD78).
pub fn dy() -> P {
    P::new(Unit::Utf16)
        .add_s(0, "01")
        .add_s(1, "12")
        .add(
            30,
            t(&[
                (0, s("demo@sandbox")),
                (1, s("M-0042")),
                (2, s("Sandbox Bank")),
            ]),
        )
        .add_s(52, "5812")
        .add_s(53, "840")
        .add_s(54, "2.50")
        .add_s(58, "KH")
        .add_s(59, "Demo Noodle Bar")
        .add_s(60, "Battambang")
        .add(62, t(&[(1, s("INV-77")), (7, s("TILL-2"))]))
        .add(64, t(&[(0, s("km")), (1, s("ហាងគុយទាវ")), (2, s("បាត់ដំបង"))]))
        .add(99, ts("1780000000000", "1780000900000"))
}

/// A KHQR validate case judged at the dynamic sample's expiration millisecond.
fn kv(num: u16, title: &str, payload: impl Into<String>) -> Draft {
    validate(num, title, payload).now(EXPIRATION)
}

fn pay(p: &P) -> String {
    p.sealed()
}

fn examples() -> Plan {
    let d = vec![
        kv(
            1,
            "Static individual KHR code (the digest's sample)",
            pay(&st()),
        )
        .tags(&["smoke", "positive", "static", "khr"]),
        kv(
            2,
            "Dynamic merchant USD code with 62, Khmer 64 and 99, at its expiration millisecond",
            pay(&dy()),
        )
        .tags(&["smoke", "positive", "dynamic", "usd", "khmer", "clock"])
        .note("Valid at now = 99/01 exactly; expired one millisecond later (KHQR-EXAMPLES-004)."),
        validate(3, "The dynamic sample at its creation time", pay(&dy()))
            .now(CREATION)
            .tags(&["positive", "dynamic", "clock"]),
        validate(
            4,
            "The dynamic sample one millisecond after expiry",
            pay(&dy()),
        )
        .now(EXPIRATION + 1)
        .reject(&["KHQR.99.EXPIRED"])
        .tags(&["negative", "dynamic", "clock", "smoke"]),
        kv(
            5,
            "Static merchant code (30) in USD",
            pay(&st()
                .del(29)
                .insert(
                    2,
                    30,
                    t(&[(0, s("shop@abank")), (1, s("M-1")), (2, s("A Bank"))]),
                )
                .set_s(53, "840")),
        )
        .tags(&["positive", "static", "usd", "merchant"]),
        kv(
            6,
            "Dynamic individual code (29) in KHR",
            pay(&st()
                .set_s(1, "12")
                .insert(5, 54, s("5000"))
                .add(99, ts("1780000000000", "1780000900000"))),
        )
        .tags(&["positive", "dynamic", "khr"]),
        validate(
            7,
            "Dynamic individual KHR code at creation",
            pay(&st()
                .set_s(1, "12")
                .insert(5, 54, s("5000"))
                .add(99, ts("1780000000000", "1780000900000"))),
        )
        .now(CREATION)
        .tags(&["positive", "dynamic", "khr", "clock"]),
        validate(
            8,
            "Dynamic individual KHR code one millisecond after expiry",
            pay(&st()
                .set_s(1, "12")
                .insert(5, 54, s("5000"))
                .add(99, ts("1780000000000", "1780000900000"))),
        )
        .now(EXPIRATION + 1)
        .reject(&["KHQR.99.EXPIRED"])
        .tags(&["negative", "dynamic", "khr", "clock"]),
        kv(
            9,
            "Static code with a Khmer alternate-language name and city",
            pay(&st().add(64, t(&[(0, s("km")), (1, s("ហាងគុយទាវ")), (2, s("បាត់ដំបង"))]))),
        )
        .tags(&["positive", "static", "khmer"]),
        kv(
            10,
            "UnionPay account (15) beside the Bakong account, KHR",
            pay(&st().insert(2, 15, s("1234567890123456"))),
        )
        .tags(&["positive", "upi"]),
        kv(
            11,
            "Every 62 field the SDK knows (01, 02, 03, 07, 08)",
            pay(&st().add(
                62,
                t(&[
                    (1, s("INV-1")),
                    (2, s("+85512345678")),
                    (3, s("SHOP-1")),
                    (7, s("TILL-1")),
                    (8, s("Lunch")),
                ]),
            )),
        )
        .tags(&["positive", "tag62"]),
        kv(
            12,
            "The largest KHR amount (13 nines)",
            pay(&st()
                .set_s(1, "12")
                .insert(5, 54, s("9999999999999"))
                .add(99, ts("1780000000000", "1780000900000"))),
        )
        .tags(&["positive", "amount", "boundary"]),
        kv(
            13,
            "The largest USD amount with cents (9999999999.99)",
            pay(&dy().set_s(54, "9999999999.99")),
        )
        .tags(&["positive", "amount", "boundary"]),
        kv(
            14,
            "An integral USD amount written without decimals (100)",
            pay(&dy().set_s(54, "100")),
        )
        .tags(&["positive", "amount"]),
        kv(
            15,
            "The smallest USD amount (0.01)",
            pay(&dy().set_s(54, "0.01")),
        )
        .tags(&["positive", "amount", "boundary"]),
        kv(
            16,
            "Individual account with account information and acquiring bank",
            pay(&st().set(
                29,
                t(&[
                    (0, s("demo@sandbox")),
                    (1, s("ACCT-1")),
                    (2, s("Sandbox Bank")),
                ]),
            )),
        )
        .tags(&["positive", "tag29"]),
        kv(
            17,
            "Account ID of 32 characters, the maximum",
            pay(&st().set(
                29,
                t(&[(0, s(format!("{}@{}", "a".repeat(20), "b".repeat(11))))]),
            )),
        )
        .tags(&["positive", "tag29", "boundary"]),
        kv(
            18,
            "Merchant name of 25 and city of 15 characters",
            pay(&st().set_s(59, &"N".repeat(25)).set_s(60, &"C".repeat(15))),
        )
        .info(&["KHQR.COMPAT.LEGACY_READERS"])
        .tags(&["positive", "boundary"])
        .note("Only the SDK's 1.0.7 rejects a 25-unit name (INFO)."),
    ];
    Plan::new(
        Profile::Khqr,
        "examples",
        "KHQR: valid codes in every variant, and the clock trio of the dynamic samples.",
        &["KHQR digest §3, §4"],
        d,
    )
}

fn crc_area() -> Plan {
    let stat = pay(&st());
    let body = st().body();
    let flip = |p: &str| {
        let last = p.chars().last().unwrap_or('0');
        format!(
            "{}{}",
            &p[..p.len() - 1],
            if last == '0' { '1' } else { '0' }
        )
    };
    let lower = {
        let p = pay(&st().add(62, t(&[(1, s("INV-2"))])));
        let (a, b) = p.split_at(p.len() - 4);
        format!("{a}{}", b.to_ascii_lowercase())
    };
    let d = vec![
        kv(1, "A line feed after the CRC", format!("{stat}\n"))
            .reject(&["KHQR.CRC.SUFFIX"])
            .tags(&["negative"]),
        kv(2, "No CRC", body.clone())
            .reject(&["KHQR.CRC.SUFFIX"])
            .tags(&["negative"]),
        kv(3, "A three-digit CRC", format!("{body}6304C0F"))
            .reject(&["KHQR.CRC.SUFFIX"])
            .tags(&["negative"]),
        kv(4, "The last CRC digit changed", flip(&stat))
            .reject(&["KHQR.CRC.MISMATCH"])
            .tags(&["negative", "smoke"]),
        kv(
            5,
            "A lower-case CRC (the SDK accepts it since 1.0.17)",
            lower,
        )
        .warn(&["EMV.63.UPPERCASE", "KHQR.CRC.LOWERCASE"])
        .info(&["KHQR.COMPAT.LEGACY_READERS"])
        .tags(&["negative"]),
        kv(
            6,
            "A second CRC object after a valid one (the SDK accepts it)",
            crc::seal(&stat),
        )
        .reject(&["KHQR.CRC.EXTRA_OBJECT"])
        .tags(&["negative"]),
    ];
    Plan::new(
        Profile::Khqr,
        "crc",
        "KHQR: the CRC suffix, value, case and a second CRC object.",
        &["KHQR digest §1, §6"],
        d,
    )
}

fn tlv_area() -> Plan {
    let body = st().body();
    let n = |c: &str, k: usize| c.repeat(k);
    let over_99 = {
        let inner = [
            (1u8, n("B", 25)),
            (2, n("1", 25)),
            (3, n("S", 25)),
            (7, n("T", 25)),
        ]
        .iter()
        .map(|(i, v)| obj(*i, v, Unit::Utf16))
        .collect::<String>();
        crc::seal(&format!("{body}62116{inner}"))
    };
    let code_points = crc::seal(&body.replace("5915Demo Noodle Bar", "5905Tea 🍵"));
    let bytes = {
        let p = dy();
        let mut b = P {
            objs: p.objs.clone(),
            unit: Unit::Bytes,
        };
        b.objs.retain(|e| e.0 != 99);
        crc::seal(&format!(
            "{}{}",
            b.body(),
            obj(
                99,
                &t(&[(0, s("1780000000000")), (1, s("1780000900000"))]).encode(Unit::Bytes),
                Unit::Bytes
            )
        ))
    };
    let d = vec![
        kv(
            1,
            "A length with a sign (60+6)",
            crc::seal(&body.replace("6010Battambang", "60+6Kampot")),
        )
        .reject(&["KHQR.TLV.LENGTH_FORMAT"])
        .tags(&["negative"]),
        kv(
            2,
            "62 written with a three-digit length (62116), as the SDK's generator does",
            over_99,
        )
        .reject(&["KHQR.TLV.TEMPLATE_OVER_99"])
        .tags(&["negative", "tag62"]),
        kv(
            3,
            "59 declares one unit too few",
            crc::seal(&body.replace("5915Demo", "5914Demo")),
        )
        .reject(&["KHQR.TLV.LENGTH_MISMATCH"])
        .tags(&["negative"]),
        kv(
            4,
            "60 declares more units than remain before 63",
            crc::seal(&body.replace("6010Battambang", "6018Battambang")),
        )
        .reject(&["KHQR.TLV.LENGTH_MISMATCH"])
        .tags(&["negative"]),
        kv(
            5,
            "An emoji counted as one code point instead of two UTF-16 units",
            code_points,
        )
        .reject(&["KHQR.TLV.LENGTH_UNITS"])
        .tags(&["negative", "length-units", "emoji"]),
        kv(
            6,
            "The dynamic sample with every length counted in UTF-8 bytes",
            bytes,
        )
        .reject(&["KHQR.TLV.LENGTH_UNITS"])
        .tags(&["negative", "length-units", "khmer"]),
        kv(
            7,
            "The merchant name twice",
            pay(&st().add_s(59, "OTHER NAME")),
        )
        .reject(&["KHQR.TLV.DUPLICATE_TAG"])
        .tags(&["negative", "duplicate", "smoke"]),
        kv(
            8,
            "A 62/03 of length 00",
            pay(&st().add(62, t(&[(3, s(""))]))),
        )
        .reject(&["KHQR.TLV.ZERO_LENGTH"])
        .tags(&["negative"]),
        kv(
            9,
            "Root objects out of the SDK's order (INFO)",
            pay(&st().del(52).add_s(52, "5999")),
        )
        .info(&["KHQR.ORDER.CANONICAL"])
        .tags(&["positive", "order"]),
        kv(
            10,
            "62 children out of the SDK's order (INFO)",
            pay(&dy().set(62, t(&[(7, s("TILL-2")), (1, s("INV-77"))]))),
        )
        .info(&["KHQR.ORDER.CANONICAL"])
        .tags(&["positive", "order"]),
        kv(
            11,
            "A root tag the SDK does not know (61)",
            pay(&st().add_s(61, "12000")),
        )
        .info(&["KHQR.TAG.UNKNOWN_ROOT"])
        .tags(&["positive"]),
        kv(
            12,
            "A sub-tag the SDK does not know (29/03)",
            pay(&st().set(29, t(&[(0, s("demo@sandbox")), (3, s("X"))]))),
        )
        .info(&["KHQR.TAG.UNKNOWN_SUBTAG"])
        .tags(&["positive"]),
        kv(
            13,
            "A 62 field the SDK does not know (62/05)",
            pay(&st().add(62, t(&[(5, s("REF-1"))]))),
        )
        .info(&["KHQR.TAG.UNKNOWN_SUBTAG"])
        .tags(&["positive", "tag62"]),
        kv(
            14,
            "A tip prompt (55), which SDK-based wallets ignore",
            pay(&st().add_s(55, "01")),
        )
        .warn(&["KHQR.TAG.TIP_OR_FEE"])
        .tags(&["negative"]),
    ];
    Plan::new(
        Profile::Khqr,
        "tlv",
        "KHQR: lengths in UTF-16 units, templates over 99, duplicates, order and unknown tags.",
        &["KHQR digest §1, §3"],
        d,
    )
}

fn root_area() -> Plan {
    let d = vec![
        kv(1, "No 00", pay(&st().del(0)))
            .reject(&["KHQR.00.REQUIRED"])
            .tags(&["negative"]),
        kv(2, "00 after 01", pay(&st().del(0).insert(1, 0, s("01"))))
            .reject(&["KHQR.00.FIRST"])
            .tags(&["negative"]),
        kv(3, "00 = 02", pay(&st().set_s(0, "02")))
            .reject(&["KHQR.00.VALUE"])
            .tags(&["negative"]),
        kv(4, "00 of one character", pay(&st().set_s(0, "1")))
            .reject(&["KHQR.00.VALUE"])
            .tags(&["negative"]),
        kv(5, "No 01 (the SDK always writes it)", pay(&st().del(1)))
            .warn(&["KHQR.01.PRESENT"])
            .tags(&["negative"]),
        kv(6, "01 = 13", pay(&st().set_s(1, "13")))
            .reject(&["KHQR.01.VALUE"])
            .tags(&["negative"]),
        kv(7, "No 52", pay(&st().del(52)))
            .reject(&["KHQR.52.REQUIRED"])
            .tags(&["negative"]),
        kv(8, "A three-digit MCC", pay(&st().set_s(52, "599")))
            .reject(&["KHQR.52.FORMAT"])
            .tags(&["negative"]),
        kv(9, "A letter in the MCC", pay(&st().set_s(52, "59A9")))
            .reject(&["KHQR.52.FORMAT"])
            .tags(&["negative"]),
        kv(10, "No 53", pay(&st().del(53)))
            .reject(&["KHQR.53.REQUIRED"])
            .tags(&["negative"]),
        kv(11, "Currency 392 (yen)", pay(&st().set_s(53, "392")))
            .reject(&["KHQR.53.VALUE"])
            .tags(&["negative", "smoke"]),
        kv(12, "No 58", pay(&st().del(58)))
            .reject(&["KHQR.58.REQUIRED"])
            .tags(&["negative"]),
        kv(13, "Country US", pay(&st().set_s(58, "US")))
            .reject(&["KHQR.58.VALUE"])
            .tags(&["negative"]),
        kv(14, "Country KHM", pay(&st().set_s(58, "KHM")))
            .reject(&["KHQR.58.VALUE"])
            .tags(&["negative"]),
        kv(15, "No 59", pay(&st().del(59)))
            .reject(&["KHQR.59.REQUIRED"])
            .tags(&["negative"]),
        kv(
            16,
            "A merchant name of 26 units",
            pay(&st().set_s(59, &"N".repeat(26))),
        )
        .reject(&["KHQR.59.LENGTH"])
        .tags(&["negative", "boundary"]),
        kv(17, "No 60", pay(&st().del(60)))
            .reject(&["KHQR.60.REQUIRED"])
            .tags(&["negative"]),
        kv(
            18,
            "A city of 16 units",
            pay(&st().set_s(60, &"C".repeat(16))),
        )
        .reject(&["KHQR.60.LENGTH"])
        .tags(&["negative", "boundary"]),
    ];
    Plan::new(
        Profile::Khqr,
        "root",
        "KHQR: the root objects 00, 01, 52, 53, 58, 59, 60.",
        &["KHQR digest §3.1"],
        d,
    )
}

fn amount_area() -> Plan {
    let dk = || dy().set_s(53, "116");
    let d = vec![
        kv(1, "Dynamic without an amount", pay(&dy().del(54)))
            .reject(&["KHQR.01.DYNAMIC_WITHOUT_AMOUNT"])
            .tags(&["negative"]),
        kv(
            2,
            "An amount on a static code (01 = 11)",
            pay(&dy().set_s(1, "11")),
        )
        .reject(&["KHQR.54.NOT_DYNAMIC"])
        .tags(&["negative"])
        .note("With 01 set to 11 the SDK accepts the code after expiry."),
        kv(3, "An amount without any 01", pay(&dy().del(1)))
            .reject(&["KHQR.54.NOT_DYNAMIC"])
            .tags(&["negative"]),
        kv(4, "An amount without 99", pay(&dy().del(99)))
            .reject(&["KHQR.54.WITHOUT_TIMESTAMP"])
            .tags(&["negative"]),
        kv(
            5,
            "An amount of 14 characters",
            pay(&dy().set_s(54, "12345678901234")),
        )
        .reject(&["KHQR.54.LENGTH"])
        .tags(&["negative", "boundary"]),
        kv(6, "An empty amount (length 00)", pay(&dy().set_s(54, "")))
            .reject(&["KHQR.54.LENGTH"])
            .tags(&["negative"]),
        kv(7, "Amount 1.5.0", pay(&dy().set_s(54, "1.5.0")))
            .reject(&["KHQR.54.FORMAT"])
            .tags(&["negative"]),
        kv(8, "Amount .5", pay(&dy().set_s(54, ".5")))
            .reject(&["KHQR.54.FORMAT"])
            .tags(&["negative"]),
        kv(9, "Amount -5", pay(&dy().set_s(54, "-5")))
            .reject(&["KHQR.54.FORMAT"])
            .tags(&["negative"]),
        kv(10, "Amount 50,000", pay(&dy().set_s(54, "50,000")))
            .reject(&["KHQR.54.FORMAT"])
            .tags(&["negative"]),
        kv(
            11,
            "Amount 1e+21 (the SDK's exponent form)",
            pay(&dy().set_s(54, "1e+21")),
        )
        .reject(&["KHQR.54.FORMAT"])
        .tags(&["negative"]),
        kv(12, "Amount 0", pay(&dy().set_s(54, "0")))
            .reject(&["KHQR.54.ZERO"])
            .tags(&["negative"]),
        kv(
            13,
            "KHR amount with a decimal (500.5)",
            pay(&dk().set_s(54, "500.5")),
        )
        .reject(&["KHQR.54.KHR_DECIMALS"])
        .tags(&["negative", "khr"]),
        kv(
            14,
            "USD amount with three decimals (1.234)",
            pay(&dy().set_s(54, "1.234")),
        )
        .reject(&["KHQR.54.USD_DECIMALS"])
        .tags(&["negative", "usd"]),
        kv(
            15,
            "USD amount with one decimal (2.5): not the generator's form",
            pay(&dy().set_s(54, "2.5")),
        )
        .warn(&["EMV.54.DECIMALS"])
        .info(&["KHQR.54.NON_CANONICAL"])
        .tags(&["negative", "usd"]),
        kv(
            16,
            "USD amount 100.00: not the generator's form",
            pay(&dy().set_s(54, "100.00")),
        )
        .info(&["KHQR.54.NON_CANONICAL"])
        .tags(&["positive", "usd"]),
        kv(
            17,
            "USD amount with a leading zero (02.50)",
            pay(&dy().set_s(54, "02.50")),
        )
        .info(&["KHQR.54.NON_CANONICAL"])
        .tags(&["positive", "usd"]),
        kv(
            18,
            "A UnionPay account (15) with USD",
            pay(&dy().insert(2, 15, s("1234567890123456"))),
        )
        .reject(&["KHQR.15.KHR_ONLY"])
        .tags(&["negative", "upi"]),
    ];
    Plan::new(
        Profile::Khqr,
        "amount",
        "KHQR: static versus dynamic, the amount (54) per currency, and the UnionPay account (15).",
        &["KHQR digest §3.6, §4"],
        d,
    )
}

fn account_area() -> Plan {
    let acct = |a: &str| t(&[(0, s(a))]);
    let m30 = |kids: &[(u8, V)]| dy().set(30, t(kids));
    let d = vec![
        kv(1, "No 29 or 30", pay(&st().del(29)))
            .reject(&["KHQR.MAI.REQUIRED"])
            .tags(&["negative"]),
        kv(
            2,
            "The Bakong account in 26 instead of 29",
            pay(&st().del(29).insert(2, 26, acct("demo@sandbox"))),
        )
        .reject(&["KHQR.MAI.REQUIRED"])
        .tags(&["negative"]),
        kv(
            3,
            "Both 29 and 30",
            pay(&st().insert(
                3,
                30,
                t(&[(0, s("demo@sandbox")), (1, s("M-1")), (2, s("Bank"))]),
            )),
        )
        .warn(&["KHQR.MAI.BOTH"])
        .tags(&["negative"]),
        kv(
            4,
            "29 without an account ID",
            pay(&st().set(29, t(&[(1, s("ACCT-1"))]))),
        )
        .reject(&["KHQR.MAI.ACCOUNT_ID_REQUIRED"])
        .tags(&["negative", "tag29"]),
        kv(
            5,
            "29 with an empty account ID",
            pay(&st().set(29, acct(""))),
        )
        .reject(&["KHQR.MAI.ACCOUNT_ID_REQUIRED"])
        .tags(&["negative", "tag29"]),
        kv(
            6,
            "An account ID of 33 characters",
            pay(&st().set(29, acct(&format!("{}@{}", "a".repeat(20), "b".repeat(12))))),
        )
        .reject(&["KHQR.MAI.ACCOUNT_ID_LENGTH"])
        .tags(&["negative", "tag29", "boundary"]),
        kv(
            7,
            "An account ID with two @ (a@b@c; the SDK accepts it)",
            pay(&st().set(29, acct("a@b@c"))),
        )
        .reject(&["KHQR.MAI.ACCOUNT_ID_FORMAT"])
        .tags(&["negative", "tag29"]),
        kv(
            8,
            "An account ID without @",
            pay(&st().set(29, acct("demosandbox"))),
        )
        .reject(&["KHQR.MAI.ACCOUNT_ID_FORMAT"])
        .tags(&["negative", "tag29"]),
        kv(
            9,
            "An account ID with nothing after @",
            pay(&st().set(29, acct("demo@"))),
        )
        .reject(&["KHQR.MAI.ACCOUNT_ID_FORMAT"])
        .tags(&["negative", "tag29"]),
        kv(
            10,
            "An acquiring bank of 33 characters",
            pay(&st().set(29, t(&[(0, s("demo@sandbox")), (2, s("B".repeat(33)))]))),
        )
        .reject(&["KHQR.MAI.ACQUIRING_BANK_LENGTH"])
        .tags(&["negative", "tag29"]),
        kv(
            11,
            "Account information (29/01) of 33 characters",
            pay(&st().set(29, t(&[(0, s("demo@sandbox")), (1, s("A".repeat(33)))]))),
        )
        .reject(&["KHQR.29.ACCOUNT_INFO_LENGTH"])
        .tags(&["negative", "tag29"]),
        kv(
            12,
            "A merchant account (30) without a merchant ID",
            pay(&m30(&[(0, s("demo@sandbox")), (2, s("Sandbox Bank"))])),
        )
        .reject(&["KHQR.30.MERCHANT_ID_REQUIRED"])
        .tags(&["negative", "tag30"]),
        kv(
            13,
            "A merchant ID of 33 characters",
            pay(&m30(&[
                (0, s("demo@sandbox")),
                (1, s("M".repeat(33))),
                (2, s("Bank")),
            ])),
        )
        .reject(&["KHQR.30.MERCHANT_ID_LENGTH"])
        .tags(&["negative", "tag30"]),
        kv(
            14,
            "A merchant account (30) without an acquiring bank",
            pay(&m30(&[(0, s("demo@sandbox")), (1, s("M-0042"))])),
        )
        .reject(&["KHQR.30.ACQUIRING_BANK_REQUIRED"])
        .tags(&["negative", "tag30"]),
        kv(
            15,
            "A merchant ID of 32 characters, the maximum",
            pay(&m30(&[
                (0, s("demo@sandbox")),
                (1, s("M".repeat(32))),
                (2, s("Bank")),
            ])),
        )
        .tags(&["positive", "tag30", "boundary"]),
    ];
    Plan::new(
        Profile::Khqr,
        "account",
        "KHQR: the Bakong account templates 29 (individual) and 30 (merchant).",
        &["KHQR digest §3.2"],
        d,
    )
}

fn tag62_area() -> Plan {
    let g = |sub: u8, v: &str| pay(&st().add(62, t(&[(sub, s(v))])));
    let d = vec![
        kv(1, "Bill number (62/01) of 26 units", g(1, &"B".repeat(26)))
            .reject(&["KHQR.62.BILL_NUMBER_LENGTH"])
            .tags(&["negative", "boundary"]),
        kv(
            2,
            "Mobile number (62/02) of 26 units",
            g(2, &"1".repeat(26)),
        )
        .reject(&["KHQR.62.MOBILE_NUMBER_LENGTH"])
        .tags(&["negative", "boundary"]),
        kv(3, "Store label (62/03) of 26 units", g(3, &"S".repeat(26)))
            .reject(&["KHQR.62.STORE_LABEL_LENGTH"])
            .tags(&["negative", "boundary"]),
        kv(
            4,
            "Terminal label (62/07) of 26 units",
            g(7, &"T".repeat(26)),
        )
        .reject(&["KHQR.62.TERMINAL_LABEL_LENGTH"])
        .tags(&["negative", "boundary"]),
        kv(5, "Purpose (62/08) of 26 units", g(8, &"P".repeat(26)))
            .reject(&["KHQR.62.PURPOSE_LENGTH"])
            .tags(&["negative", "boundary"]),
        kv(6, "A mobile number with spaces (INFO)", g(2, "012 345 678"))
            .info(&["KHQR.62.MOBILE_NUMBER_FORMAT"])
            .tags(&["positive"]),
        kv(
            7,
            "A mobile number of 13 digits: only SDK 1.0.7 rejects it",
            g(2, &"1".repeat(13)),
        )
        .info(&["KHQR.COMPAT.LEGACY_READERS"])
        .tags(&["positive", "compat"]),
        kv(
            8,
            "A bill number of 25 units, the maximum",
            g(1, &"B".repeat(25)),
        )
        .info(&["KHQR.COMPAT.LEGACY_READERS"])
        .tags(&["positive", "boundary"]),
    ];
    Plan::new(
        Profile::Khqr,
        "tag62",
        "KHQR: the additional data template (62).",
        &["KHQR digest §3.3"],
        d,
    )
}

fn tag64_area() -> Plan {
    let l = |kids: &[(u8, V)]| pay(&st().add(64, t(kids)));
    let d = vec![
        kv(
            1,
            "Language preference of one letter (k)",
            l(&[(0, s("k")), (1, s("ហាង"))]),
        )
        .reject(&["KHQR.64.PREFERENCE_LENGTH"])
        .tags(&["negative"]),
        kv(
            2,
            "Language preference of three letters (khm)",
            l(&[(0, s("khm")), (1, s("ហាង"))]),
        )
        .reject(&["KHQR.64.PREFERENCE_LENGTH"])
        .tags(&["negative"]),
        kv(
            3,
            "Language preference kh (a country, not a language)",
            l(&[(0, s("kh")), (1, s("ហាង"))]),
        )
        .warn(&["EMV.64.00.ISO639", "KHQR.64.PREFERENCE_CODE"])
        .tags(&["negative"]),
        kv(
            4,
            "A language preference without a name",
            l(&[(0, s("km"))]),
        )
        .reject(&["KHQR.64.NAME_REQUIRED"])
        .tags(&["negative"]),
        kv(
            5,
            "A name without a language preference (the SDK throws)",
            l(&[(1, s("ហាង"))]),
        )
        .reject(&["KHQR.64.PREFERENCE_REQUIRED"])
        .tags(&["negative"]),
        kv(6, "Only a city in 64", l(&[(2, s("បាត់ដំបង"))]))
            .reject(&["KHQR.64.CITY_ONLY"])
            .tags(&["negative"]),
        kv(
            7,
            "A Khmer name of 26 units",
            l(&[(0, s("km")), (1, s("ក".repeat(26)))]),
        )
        .reject(&["KHQR.64.NAME_LENGTH"])
        .tags(&["negative", "boundary", "khmer"]),
        kv(
            8,
            "A Khmer city of 16 units",
            l(&[(0, s("km")), (1, s("ហាង")), (2, s("ក".repeat(16)))]),
        )
        .reject(&["KHQR.64.CITY_LENGTH"])
        .tags(&["negative", "boundary", "khmer"]),
        kv(
            9,
            "A Khmer name of 25 units, the maximum",
            l(&[(0, s("km")), (1, s("ក".repeat(25)))]),
        )
        .tags(&["positive", "boundary", "khmer"]),
    ];
    Plan::new(
        Profile::Khqr,
        "tag64",
        "KHQR: the alternate-language template (64).",
        &["KHQR digest §3.4"],
        d,
    )
}

fn tag99_area() -> Plan {
    let with99 = |kids: &[(u8, V)]| pay(&dy().set(99, t(kids)));
    let c = || s("1780000000000");
    let e = || s("1780000900000");
    let d = vec![
        kv(
            1,
            "A dynamic code whose 99 holds only the creation time",
            with99(&[(0, c())]),
        )
        .reject(&["KHQR.99.EXPIRATION_REQUIRED"])
        .tags(&["negative"]),
        kv(2, "A dynamic code without 99", pay(&dy().del(99)))
            .reject(&["KHQR.99.EXPIRATION_REQUIRED"])
            .tags(&["negative"]),
        kv(
            3,
            "An expiration of zero",
            with99(&[(0, c()), (1, s("0000000000000"))]),
        )
        .reject(&["KHQR.99.EXPIRATION_REQUIRED"])
        .tags(&["negative"]),
        kv(
            4,
            "An expiration in seconds (10 digits)",
            with99(&[(0, c()), (1, s("1780000900"))]),
        )
        .reject(&["KHQR.99.EXPIRATION_FORMAT"])
        .tags(&["negative"]),
        kv(
            5,
            "An expiration of 14 digits",
            with99(&[(0, c()), (1, s("17800009000000"))]),
        )
        .reject(&["KHQR.99.EXPIRATION_FORMAT"])
        .tags(&["negative"]),
        kv(
            6,
            "A dynamic code's 99 without a creation time",
            with99(&[(1, e())]),
        )
        .reject(&["KHQR.99.CREATION_REQUIRED"])
        .tags(&["negative"]),
        kv(
            7,
            "A creation time in seconds",
            with99(&[(0, s("1780000000")), (1, e())]),
        )
        .reject(&["KHQR.99.CREATION_FORMAT"])
        .tags(&["negative"]),
        kv(
            8,
            "An expiration before the creation time",
            with99(&[(0, e()), (1, c())]),
        )
        .reject(&["KHQR.99.EXPIRATION_BEFORE_CREATION"])
        .tags(&["negative"]),
        kv(
            9,
            "Expiration equal to creation is not before it",
            with99(&[(0, e()), (1, e())]),
        )
        .tags(&["positive", "boundary"]),
        validate(
            10,
            "The dynamic sample judged one millisecond before its creation",
            pay(&dy()),
        )
        .now(CREATION - 1)
        .info(&["KHQR.99.CREATION_IN_FUTURE"])
        .tags(&["positive", "clock"]),
        kv(
            11,
            "A static code carrying creation and expiration",
            pay(&st().add(99, t(&[(0, c()), (1, e())]))),
        )
        .warn(&["KHQR.99.ON_STATIC"])
        .tags(&["negative", "static"]),
        kv(
            12,
            "A static code whose 99 holds junk",
            pay(&st().add(99, t(&[(0, s("junk"))]))),
        )
        .reject(&["KHQR.99.CREATION_FORMAT"])
        .warn(&["KHQR.99.ON_STATIC"])
        .tags(&["negative", "static"]),
        kv(
            13,
            "A static code with a creation-only 99 (the pre-1.0.18 shape)",
            pay(&st().add(99, t(&[(0, c())]))),
        )
        .info(&["KHQR.99.LEGACY_CREATION_ONLY"])
        .tags(&["positive", "static", "compat"]),
        validate(14, "A static code needs no clock", pay(&st()))
            .tags(&["positive", "static", "clock"]),
    ];
    Plan::new(
        Profile::Khqr,
        "tag99",
        "KHQR: the timestamp template (99) and the clock.",
        &["KHQR digest §3.5, §4"],
        d,
    )
}

fn text_area() -> Plan {
    let d = vec![
        kv(
            1,
            "An emoji in the merchant name",
            pay(&st().set_s(59, "Tea 🍵")),
        )
        .warn(&["KHQR.TEXT.NON_BMP", "KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT"])
        .tags(&["negative", "emoji"]),
        kv(
            2,
            "Emoji with a skin-tone modifier in 64/01",
            pay(&dy().set(64, t(&[(0, s("km")), (1, s("👍🏽"))]))),
        )
        .warn(&["KHQR.TEXT.NON_BMP", "EMV.CHARSET.NON_BMP"])
        .tags(&["negative", "emoji"]),
        kv(
            3,
            "A Khmer merchant name in 59 (allowed, not good practice)",
            pay(&st().set_s(59, "ហាងគុយទាវ")),
        )
        .warn(&["KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT"])
        .tags(&["negative", "khmer", "smoke"]),
        kv(4, "A Khmer city in 60", pay(&st().set_s(60, "បាត់ដំបង")))
            .warn(&["KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT"])
            .tags(&["negative", "khmer"]),
    ];
    Plan::new(
        Profile::Khqr,
        "text",
        "KHQR: text: characters above U+FFFF and local script in 59/60.",
        &["KHQR digest §3.6"],
        d,
    )
}

fn parse_area() -> Plan {
    let d = vec![
        parse(1, "The static sample", &st()).tags(&["smoke"]),
        parse(
            2,
            "The dynamic sample: Khmer lengths count UTF-16 units",
            &dy(),
        )
        .tags(&["khmer"]),
        parse(
            3,
            "An emoji counts two UTF-16 units in KHQR",
            &st().add(64, t(&[(0, s("km")), (1, s("ហាង🍜"))])),
        )
        .tags(&["emoji"]),
        parse(
            4,
            "A UnionPay account beside the Bakong account",
            &st().insert(2, 15, s("1234567890123456")),
        )
        .tags(&["upi"]),
        parse(
            5,
            "Timestamps stay 13-digit strings",
            &st()
                .set_s(1, "12")
                .insert(5, 54, s("5000"))
                .add(99, ts("1780000000000", "1780000900000")),
        )
        .tags(&["dynamic"]),
    ];
    Plan::new(
        Profile::Khqr,
        "parse",
        "KHQR: decoding codes into their data objects.",
        &["KHQR digest §1, §3"],
        d,
    )
}

fn bakong(kind: &str, id: &str, merchant_id: Option<&str>, bank: Option<&str>) -> Account {
    let mut fields = vec![("bakong_id", id), ("type", kind)];
    fields.extend(merchant_id.map(|m| ("merchant_id", m)));
    fields.extend(bank.map(|b| ("acquiring_bank", b)));
    Account::scheme("bakong", &fields)
}

pub(crate) fn kdata(name: &str, city: &str, currency: &str) -> MerchantData {
    MerchantData {
        kind: Kind::Static,
        account: bakong("individual", "demo@sandbox", None, None),
        merchant: Merchant {
            name: name.into(),
            city: city.into(),
            category_code: Some("5999".into()),
            country: Some("KH".into()),
            postal_code: None,
            alternate_language: None,
        },
        transaction: Transaction {
            currency: Some(currency.into()),
            ..Transaction::default()
        },
        additional: Additional::default(),
    }
}

/// The canonical KHQR payload for merchant data (the shared builder, KHQR's data: UTF-16
/// lengths, the timestamps in 99), in the official SDK's order.
pub fn canonical(m: &MerchantData) -> P {
    crate::vectors::generate::build::canonical(m, Profile::Khqr)
}

fn gen_case(num: u16, title: &str, m: MerchantData) -> Draft {
    crate::vectors::generate::canonical_case(Profile::Khqr, num, title, m)
}

fn generate_area() -> Plan {
    let sample = MerchantData {
        kind: Kind::Dynamic,
        account: bakong(
            "merchant",
            "demo@sandbox",
            Some("M-0042"),
            Some("Sandbox Bank"),
        ),
        merchant: Merchant {
            name: "Demo Noodle Bar".into(),
            city: "Battambang".into(),
            category_code: Some("5812".into()),
            country: Some("KH".into()),
            postal_code: None,
            alternate_language: Some(AlternateLanguage {
                language: "km".into(),
                name: "ហាងគុយទាវ".into(),
                city: Some("បាត់ដំបង".into()),
            }),
        },
        transaction: Transaction {
            currency: Some("840".into()),
            amount: Some("2.50".into()),
            tip: None,
            created_at_ms: Some("1780000000000".into()),
            expires_at_ms: Some("1780000900000".into()),
        },
        additional: Additional {
            bill_number: Some("INV-77".into()),
            terminal_label: Some("TILL-2".into()),
            ..Additional::default()
        },
    };
    let with = |f: &dyn Fn(&mut MerchantData)| {
        let mut m = kdata("Demo Noodle Bar", "Battambang", "116");
        f(&mut m);
        m
    };
    let dyn_with = |f: &dyn Fn(&mut MerchantData)| {
        let mut m = sample.clone();
        f(&mut m);
        m
    };
    let d = vec![
        gen_case(
            1,
            "Static individual KHR code (the digest's static sample)",
            kdata("Demo Noodle Bar", "Battambang", "116"),
        )
        .tags(&["smoke", "static", "khr"])
        .note("Static codes are deterministic since SDK 1.0.18."),
        gen_case(
            2,
            "Dynamic merchant USD code (the digest's dynamic sample, CRC AD78)",
            sample.clone(),
        )
        .tags(&["dynamic", "usd", "khmer"])
        .note("Creation and expiration come from the input, so the output is deterministic."),
        gen_case(
            3,
            "Static merchant code in USD",
            with(&|m| {
                m.account = bakong("merchant", "shop@abank", Some("M-1"), Some("A Bank"));
                m.transaction.currency = Some("840".into());
            }),
        )
        .tags(&["static", "usd"]),
        gen_case(
            4,
            "Dynamic individual KHR code",
            with(&|m| {
                m.kind = Kind::Dynamic;
                m.transaction.amount = Some("5000".into());
                m.transaction.created_at_ms = Some("1780000000000".into());
                m.transaction.expires_at_ms = Some("1780000900000".into());
            }),
        )
        .tags(&["dynamic", "khr"]),
        gen_case(
            5,
            "UnionPay account with KHR",
            with(&|m| {
                m.account.set_field("upi_account", Some("1234567890123456"));
            }),
        )
        .tags(&["upi"]),
        gen_case(
            6,
            "Khmer alternate-language name only",
            with(&|m| {
                m.merchant.alternate_language = Some(crate::vectors::generate::build::khmer_name_only());
            }),
        )
        .tags(&["khmer"]),
        gen_case(
            7,
            "Every 62 field the SDK writes",
            with(&|m| {
                m.additional = Additional {
                    bill_number: Some("INV-1".into()),
                    mobile_number: Some("+85512345678".into()),
                    store_label: Some("SHOP-1".into()),
                    terminal_label: Some("TILL-1".into()),
                    purpose: Some("Lunch".into()),
                    ..Additional::default()
                };
            }),
        )
        .tags(&["tag62"]),
        refuse(
            8,
            "A USD amount with three decimals cannot be encoded",
            dyn_with(&|m| m.transaction.amount = Some("1.234".into())),
            &["KHQR.54.USD_DECIMALS"],
        ),
        refuse(
            9,
            "A KHR amount with a decimal cannot be encoded",
            dyn_with(&|m| {
                m.transaction.currency = Some("116".into());
                m.transaction.amount = Some("500.5".into());
            }),
            &["KHQR.54.KHR_DECIMALS"],
        ),
        refuse(
            10,
            "A UnionPay account with USD cannot be encoded",
            dyn_with(&|m| {
                m.account.set_field("upi_account", Some("1234567890123456"));
            }),
            &["KHQR.15.KHR_ONLY"],
        ),
        refuse(
            11,
            "A dynamic code without an expiration cannot be encoded",
            dyn_with(&|m| m.transaction.expires_at_ms = None),
            &["KHQR.99.EXPIRATION_REQUIRED"],
        ),
        refuse(
            12,
            "Four full 25-unit 62 fields overflow the template (the SDK writes 62116)",
            with(&|m| {
                m.additional = Additional {
                    bill_number: Some("B".repeat(25)),
                    mobile_number: Some("1".repeat(25)),
                    store_label: Some("S".repeat(25)),
                    terminal_label: Some("T".repeat(25)),
                    ..Additional::default()
                };
            }),
            &["KHQR.TLV.TEMPLATE_OVER_99"],
        ),
        refuse(
            13,
            "A 26-unit merchant name cannot be encoded",
            with(&|m| m.merchant.name = "N".repeat(26)),
            &["KHQR.59.LENGTH"],
        ),
    ];
    Plan::new(
        Profile::Khqr,
        "generate",
        "KHQR: generating codes from the neutral merchant-data schema.",
        &["KHQR digest §5", "vectors/README.md (merchant data)"],
        d,
    )
}

/// The golden codes: the render and scan files.
fn golden() -> [Plan; 2] {
    let codes = [
        Golden {
            image: "khqr-dynamic",
            payload: pay(&dy()),
            render: ("The dynamic sample: Khmer text needs ECI 26 and Byte mode", &["smoke", "khmer"]),
            scan: ("Read the dynamic sample", &["smoke", "khmer"]),
        },
        Golden {
            image: "khqr-static",
            payload: pay(&st()),
            render: ("The static sample", &[]),
            scan: ("Read the static sample", &[]),
        },
    ];
    golden::plans(Profile::Khqr, "KHQR", "KHQR digest §1", &codes)
}

/// Every khqr plan: the curated KHQR files and the mutation families.
pub fn all() -> Vec<Plan> {
    [plans(), families()].concat()
}

/// Every curated KHQR file.
pub fn plans() -> Vec<Plan> {
    let curated: [fn() -> Plan; 12] = [examples, crc_area, tlv_area, root_area, amount_area, account_area, tag62_area, tag64_area, tag99_area, text_area, parse_area, generate_area];
    curated.iter().map(|area| area()).chain(golden()).collect()
}

/// The KHQR bases: the digest's samples, judged at the dynamic sample's expiration.
fn bases() -> Vec<Base> {
    vec![
        Base::new("KHQR static", st()).at(EXPIRATION),
        Base::new("KHQR dynamic", dy()).at(EXPIRATION),
    ]
}

fn ranges() -> Vec<Range> {
    vec![
        r(0, "02", &["KHQR.00.VALUE"]),
        r(0, "10", &["KHQR.00.VALUE"]),
        r(1, "13", &["KHQR.01.VALUE"]),
        r(1, "21", &["KHQR.01.VALUE"]),
        r(52, "599", &["KHQR.52.FORMAT"]),
        r(52, "59A9", &["KHQR.52.FORMAT"]),
        r(53, "392", &["KHQR.53.VALUE"]),
        r(53, "978", &["KHQR.53.VALUE"]),
        r(53, "000", &["KHQR.53.VALUE"]),
        r(58, "US", &["KHQR.58.VALUE"]),
        r(58, "JP", &["KHQR.58.VALUE"]),
        r(58, "KHM", &["KHQR.58.VALUE"]),
        r(59, &"N".repeat(26), &["KHQR.59.LENGTH"]),
        r(60, &"C".repeat(16), &["KHQR.60.LENGTH"]),
        r(54, "1.5.0", &["KHQR.54.FORMAT"]),
        r(54, "-5", &["KHQR.54.FORMAT"]),
        r(54, "0", &["KHQR.54.ZERO"]),
        r(54, "12345678901234", &["KHQR.54.LENGTH"]),
        Range::template(
            62,
            &[(1, s("B".repeat(26)))],
            &["KHQR.62.BILL_NUMBER_LENGTH"],
            &[],
        ),
        Range::template(
            62,
            &[(3, s("S".repeat(26)))],
            &["KHQR.62.STORE_LABEL_LENGTH"],
            &[],
        ),
        Range::template(
            64,
            &[(0, s("k")), (1, s("ហាង"))],
            &["KHQR.64.PREFERENCE_LENGTH"],
            &[],
        ),
        Range::template(64, &[(0, s("km"))], &["KHQR.64.NAME_REQUIRED"], &[]),
        Range::template(
            29,
            &[(0, s("demosandbox"))],
            &["KHQR.MAI.ACCOUNT_ID_FORMAT"],
            &[],
        ),
    ]
}

/// The KHQR mutation families.
fn families() -> Vec<Plan> {
    standard(
        Profile::Khqr,
        &bases(),
        &ranges(),
        &FamilyRules {
            mismatch: "KHQR.CRC.MISMATCH",
            lower: &["EMV.63.UPPERCASE", "KHQR.CRC.LOWERCASE"],
            lower_info: &["KHQR.COMPAT.LEGACY_READERS"],
            dup_id: "KHQR.TLV.DUPLICATE_TAG",
            dup_sub: "EMV.TLV.DUPLICATE_SUBID",
            order_info: &["EMV.TLV.ORDER_NUMERIC", "KHQR.ORDER.CANONICAL"],
            first: "KHQR.00.FIRST",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_rebuild_the_digest_samples() {
        assert_eq!(
            st().sealed(),
            "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7"
        );
        assert!(dy().sealed().ends_with("6304AD78"), "{}", dy().sealed());
    }
}
