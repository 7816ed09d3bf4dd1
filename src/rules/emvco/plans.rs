//! The curated EMVCo vectors: the spec's own example, synthetic positives for every variant,
//! the digest's "a harness should probe this" ideas, and negatives for every payload rule.

use crate::vectors::generate::build::{P, Predicted, Unit, obj, predict, s, t};
use crate::vectors::generate::{Draft, Plan, parse, refuse, render, scan, validate, validate_payload};
use crate::Profile;
use crate::vectors::generate::families::{Base, EMVCO_RULES, Range, r, standard, w};
use crate::emv::crc;
use crate::merchant::{
    Account, Additional, AlternateLanguage, Kind, Merchant, MerchantData, Tip, Transaction,
};
use crate::vectors::model::PayloadText;

/// The spec's worked example (MPM v1.0 Annex B.7), byte-exact.
pub const ANNEX_B: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/// The Annex B payload as a tree (in its own, non-numeric order).
pub fn annex_b() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "12")
        .add(29, t(&[(0, s("D15600000000")), (5, s("A93FO3230Q"))]))
        .add(31, t(&[(0, s("D15600000001")), (3, s("12345678"))]))
        .add_s(52, "4111")
        .add_s(58, "CN")
        .add_s(59, "BEST TRANSPORT")
        .add_s(60, "BEIJING")
        .add(64, t(&[(0, s("ZH")), (1, s("最佳运输")), (2, s("北京"))]))
        .add_s(54, "23.72")
        .add_s(53, "156")
        .add_s(55, "01")
        .add(
            62,
            t(&[
                (3, s("1234")),
                (6, s("***")),
                (7, s("A6008667")),
                (9, s("ME")),
            ]),
        )
        .add(91, t(&[(0, s("A011223344998877")), (7, s("12345678"))]))
}

/// The digest's minimal synthetic static payload (CRC 6373).
pub fn base() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(26, t(&[(0, s("com.example.qrcert")), (1, s("ACCT0001"))]))
        .add_s(52, "5999")
        .add_s(53, "840")
        .add_s(58, "US")
        .add_s(59, "QRCERT SYNTHETIC")
        .add_s(60, "TESTVILLE")
}

/// The digest's dynamic payload with a fixed fee; its CRC 0F3E starts with zero.
pub fn fee() -> P {
    base()
        .set_s(1, "12")
        .insert(5, 54, s("10.00"))
        .insert(6, 55, s("02"))
        .insert(7, 56, s("1.50"))
        .add(62, t(&[(5, s("SYN00102"))]))
}

/// A dynamic payload with 61, 62 and a Japanese 64.
pub fn rich() -> P {
    base()
        .set_s(1, "12")
        .insert(5, 54, s("25.00"))
        .add_s(61, "1500002")
        .add(
            62,
            t(&[(1, s("INV-0042")), (7, s("TILL-07")), (9, s("AME"))]),
        )
        .add(
            64,
            t(&[(0, s("JA")), (1, s("さくらテストカフェ")), (2, s("渋谷"))]),
        )
}

fn pay(p: &P) -> String {
    p.sealed()
}

/// A payload of exactly `len` ASCII characters: the base payload padded with unreserved
/// templates (GUID plus a filler value), the last one sized to fit.
fn padded(len: usize) -> String {
    const MAX: usize = 4 + 99;
    let guid = obj(0, "com.example.fill", Unit::Chars);
    let min = 4 + guid.len() + 4 + 1;
    let body = base().body();
    let mut room = len.saturating_sub(body.len() + 8);
    let mut extra = String::new();
    let mut id = 80u8;
    while room >= min {
        let size = if room == MAX || room >= MAX + min {
            MAX
        } else if room <= MAX {
            room
        } else {
            room - min
        };
        let value = "F".repeat(size - 4 - guid.len() - 4);
        extra.push_str(&obj(
            id,
            &format!("{guid}{}", obj(1, &value, Unit::Chars)),
            Unit::Chars,
        ));
        room -= size;
        id += 1;
    }
    crc::seal(&format!("{body}{extra}"))
}

/// Finds a value for 62/05 that gives the base payload a CRC starting with `prefix`. The
/// search is deterministic, so the vector is too; the generator's tests check the result.
fn crc_with_prefix(prefix: &str) -> P {
    for i in 0..2_000_000u32 {
        let p = base().add(62, t(&[(5, s(format!("REF{i:07}")))]));
        let sealed = p.sealed();
        if sealed[sealed.len() - 4..].starts_with(prefix) {
            return p;
        }
    }
    base()
}

fn validate_lower_crc(num: u16, title: &str) -> Draft {
    // A CRC with a letter, so that its lower-case form differs.
    let p = crc_with_prefix("A");
    let sealed = p.sealed();
    let (body, c) = sealed.split_at(sealed.len() - 4);
    validate(num, title, format!("{body}{}", c.to_ascii_lowercase()))
}

fn examples() -> Plan {
    let mut d = vec![
        validate(1, "The spec's worked example (Annex B.7) is valid", ANNEX_B)
            .info(&["EMV.TLV.ORDER_NUMERIC", "EMV.62.PROMPT_VALUE"])
            .refs(&["EMV QRCPS MPM v1.0 Annex B.7"])
            .tags(&["smoke", "positive", "annex-b"])
            .note("Byte-exact from the hex dump; 248 characters, 260 UTF-8 bytes; CRC A13A over the 256 bytes through 6304. Objects are not in numeric order (allowed)."),
        validate(2, "Minimal static synthetic payload", pay(&base()))
            .refs(&["EMV QRCPS MPM v1.0 Table 3.6"])
            .tags(&["smoke", "positive", "static"]),
        validate(3, "Dynamic payload with a fixed convenience fee; CRC 0F3E starts with zero", pay(&fee()))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.3.2", "§4.7.7"])
            .tags(&["positive", "dynamic", "crc"])
            .note("Catches unpadded CRC writers (6304F3E) and readers that drop leading zeros."),
        validate(4, "Dynamic payload with postal code, additional data and a Japanese alternate name", pay(&rich()))
            .refs(&["EMV QRCPS MPM v1.0 §4.8, §4.9"])
            .tags(&["positive", "dynamic", "japanese"]),
        validate(5, "No Point of Initiation Method (01): optional in EMVCo", pay(&base().del(1)))
            .refs(&["EMV QRCPS MPM v1.0 Table 3.6"])
            .tags(&["positive"])
            .note("Some national restatements require 01; the EMVCo base profile does not."),
        validate(6, "A static code carrying an amount is legal (INFO only)", pay(&base().insert(5, 54, s("10.00"))))
            .info(&["EMV.01.STATIC_WITH_AMOUNT"])
            .tags(&["positive", "static"]),
        validate(7, "Yen amount without decimals", pay(&base().set_s(1, "12").set_s(53, "392").insert(5, 54, s("1500")).set_s(58, "JP")))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.4.1", "ISO 4217 (JPY exponent 0)"])
            .tags(&["positive", "amount"]),
        validate(8, "Kuwaiti dinar amount with three decimals", pay(&base().set_s(1, "12").set_s(53, "414").insert(5, 54, s("1.234")).set_s(58, "KW")))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.4.1", "ISO 4217 (KWD exponent 3)"])
            .tags(&["positive", "amount"]),
        validate(9, "Amount with a bare trailing dot (98.) is valid", pay(&base().set_s(1, "12").insert(5, 54, s("98."))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.4.1"])
            .tags(&["positive", "amount"]),
        validate(10, "Amount without decimals in a two-decimal currency is valid", pay(&base().set_s(1, "12").insert(5, 54, s("98"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.4.1"])
            .tags(&["positive", "amount"]),
        validate(11, "Primitive card-scheme account (02, Visa) without any template", pay(&base().del(26).insert(2, 2, s("4000123412341234"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.10.1", "Table 4.1"])
            .tags(&["positive", "mai"]),
        validate(12, "A primitive account value that is not TLV-shaped (0208NOT-TLV!)", pay(&base().del(26).insert(2, 2, s("NOT-TLV!"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.10.1"])
            .tags(&["positive", "mai"])
            .note("02-25 are primitive: a parser must not descend into them."),
        validate(13, "Several accounts side by side (02, 04, 26, 27)", pay(&base().insert(2, 2, s("4000123412341234")).insert(3, 4, s("5500123412341234")).insert(5, 27, t(&[(0, s("D15600000001")), (1, s("ACCT0002"))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.9.1"])
            .tags(&["positive", "mai"]),
        validate(14, "Tip prompt (55 = 01) without 56 or 57", pay(&base().set_s(1, "12").insert(5, 54, s("10.00")).insert(6, 55, s("01"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.6.1"])
            .tags(&["positive", "tip"]),
        validate(15, "Percentage fee 3.00 (55 = 03, 57)", pay(&base().set_s(1, "12").insert(5, 54, s("10.00")).insert(6, 55, s("03")).insert(7, 57, s("3.00"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.8"])
            .tags(&["positive", "tip"]),
        validate(16, "Percentage fee at its lower bound, 0.01", pay(&base().insert(5, 55, s("03")).insert(6, 57, s("0.01"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.8.1"])
            .tags(&["positive", "tip", "boundary"]),
        validate(17, "Percentage fee at its upper bound, 99.99", pay(&base().insert(5, 55, s("03")).insert(6, 57, s("99.99"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.8.1"])
            .tags(&["positive", "tip", "boundary"]),
        validate(18, "Percentage fee written 03.00 (leading zero) is valid", pay(&base().insert(5, 55, s("03")).insert(6, 57, s("03.00"))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.8"])
            .tags(&["positive", "tip"]),
        validate(19, "Payment-system template 62/50 with a GUID", pay(&base().add(62, t(&[(1, s("INV-1")), (50, t(&[(0, s("com.example.loyalty")), (1, s("L-77"))]))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.8.1.5", "Table 4.4"])
            .tags(&["positive", "tag62"]),
        validate(20, "Additional Consumer Data Request 62/09 = AME", pay(&base().add(62, t(&[(9, s("AME"))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.8.1.3"])
            .tags(&["positive", "tag62"]),
        validate(21, "v1.1 fields: Merchant Tax ID (62/10) and Merchant Channel (62/11)", pay(&base().add(62, t(&[(10, s("TAX-12345")), (11, s("420"))]))))
            .refs(&["EMV QRCPS MPM v1.1 (62/10, 62/11)"])
            .tags(&["positive", "tag62", "v1.1"]),
        validate(22, "Khmer alternate-language name in 64", pay(&base().add(64, t(&[(0, s("km")), (1, s("ហាងគុយទាវ")), (2, s("បាត់ដំបង"))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.9"])
            .tags(&["positive", "tag64", "khmer"])
            .note("64/00 compared case-insensitively; lengths count characters (9 and 8)."),
        validate(23, "Chinese alternate-language name in 64 (as in Annex B)", pay(&base().add(64, t(&[(0, s("ZH")), (1, s("最佳运输")), (2, s("北京"))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.9"])
            .tags(&["positive", "tag64"]),
        validate(24, "Unreserved template 91 with an AID GUID (as in Annex B)", pay(&base().add(91, t(&[(0, s("A011223344998877")), (7, s("12345678"))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.11"])
            .tags(&["positive", "unreserved"]),
        validate(25, "Objects in a shuffled order (00 first, 63 last) are valid", pay(&P { objs: vec![base().objs[0].clone(), base().objs[7].clone(), base().objs[4].clone(), base().objs[2].clone(), base().objs[6].clone(), base().objs[1].clone(), base().objs[5].clone(), base().objs[3].clone()], unit: Unit::Chars }))
            .info(&["EMV.TLV.ORDER_NUMERIC"])
            .refs(&["EMV QRCPS MPM v1.0 §4.6.1"])
            .tags(&["positive", "order"]),
        validate(26, "GUID as a 32-hex UUID without hyphens", pay(&base().set(26, t(&[(0, s("0123456789abcdef0123456789ABCDEF")), (1, s("ACCT0001"))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.11.2"])
            .tags(&["positive", "guid"]),
        validate(27, "GUID as an upper-case reverse domain (BR.GOV.BCB.PIX)", pay(&base().set(26, t(&[(0, s("BR.GOV.BCB.PIX")), (1, s("ACCT0001"))]))))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.11.2"])
            .tags(&["positive", "guid"]),
        validate(28, "A payload of exactly 512 characters raises no size warning", padded(512))
            .refs(&["EMV QRCPS MPM v1.0 §4.1"])
            .tags(&["positive", "size", "boundary"]),
        validate(29, "CRC 0x0xxx: the leading zero is written", pay(&crc_with_prefix("00")))
            .refs(&["EMV QRCPS MPM v1.0 §4.7.3.2"])
            .tags(&["positive", "crc"])
            .note("CRC starts 00: unpadded writers produce a 2- or 3-character CRC."),
        validate(30, "Printable ASCII edges: space (0x20) and tilde (0x7E) in the name", pay(&base().set_s(59, "A ~ Z")))
            .refs(&["EMV 4.3 Book 4 Table 36"])
            .tags(&["positive", "charset", "boundary"]),
        validate(31, "Postal code (61) of 10 characters, the maximum", pay(&base().add_s(61, "1234567890")))
            .refs(&["EMV QRCPS MPM v1.0 Table 3.6"])
            .tags(&["positive", "boundary"]),
        validate(32, "Merchant name of 25 characters and city of 15, the maxima", pay(&base().set_s(59, &"N".repeat(25)).set_s(60, &"C".repeat(15))))
            .refs(&["EMV QRCPS MPM v1.0 Table 3.6"])
            .tags(&["positive", "boundary"]),
        validate(33, "Amount of 13 characters, the maximum", pay(&base().set_s(1, "12").insert(5, 54, s("9999999999.99"))))
            .refs(&["EMV QRCPS MPM v1.0 Table 3.6"])
            .tags(&["positive", "amount", "boundary"]),
        validate(34, "Bill number (62/01) of 25 characters, the maximum", pay(&base().add(62, t(&[(1, s("B".repeat(25)))]))))
            .refs(&["EMV QRCPS MPM v1.0 Table 3.7"])
            .tags(&["positive", "tag62", "boundary"]),
    ];
    d.push(
        validate(
            35,
            "Annex B judged as the output of a generator is valid too",
            ANNEX_B,
        )
        .as_generated()
        .info(&["EMV.TLV.ORDER_NUMERIC", "EMV.62.PROMPT_VALUE"])
        .refs(&["EMV QRCPS MPM v1.0 Annex B.7"])
        .tags(&["positive", "annex-b", "generator"]),
    );
    Plan::new(
        Profile::Emvco,
        "examples",
        "EMVCo MPM: valid payloads, from the spec's own example to every variant and boundary.",
        &["EMV QRCPS MPM v1.0 Table 3.6"],
        d,
    )
}

fn payload_area() -> Plan {
    let valid = pay(&base());
    // Byte-level defects, each with the CRC recomputed over the exact bytes so the encoding is
    // the only defect.
    let seal_bytes = |mut body: Vec<u8>| {
        body.extend_from_slice(b"6304");
        let c = crc::to_hex(crc::crc16(&body));
        body.extend_from_slice(&c);
        body
    };
    let body = base().body().into_bytes();
    let mut bad_utf8 = body.clone();
    bad_utf8[40] = 0xFF;
    let bad_utf8 = seal_bytes(bad_utf8);
    let mut overlong = body.clone();
    overlong.splice(45..46, [0xC0, 0xAE]);
    let overlong = seal_bytes(overlong);
    let mut surrogate = body.clone();
    surrogate.splice(44..45, [0xED, 0xA0, 0x80]);
    let surrogate = seal_bytes(surrogate);
    let mut cut = pay(&base().add(64, t(&[(0, s("JA")), (1, s("さくら"))]))).into_bytes();
    let pos = cut.len() - 8 - 2;
    cut.truncate(pos);
    let wide_filler = |n: usize| {
        let mut p = base();
        for id in 80..80 + n as u8 {
            p = p.add(id, t(&[(0, s("com.example.x")), (1, s("語".repeat(60)))]));
        }
        pay(&p)
    };
    let d = vec![
        validate(1, "An empty payload", "")
            .reject(&["EMV.PAYLOAD.EMPTY"])
            .tags(&["negative", "smoke"]),
        validate_payload(
            2,
            "A byte that is not UTF-8 (0xFF) inside the merchant account",
            PayloadText::Bytes(bad_utf8),
        )
        .reject(&["EMV.PAYLOAD.UTF8"])
        .tags(&["negative", "utf8"]),
        validate_payload(
            3,
            "An overlong UTF-8 encoding (C0 AE for '.')",
            PayloadText::Bytes(overlong),
        )
        .reject(&["EMV.PAYLOAD.UTF8"])
        .tags(&["negative", "utf8"]),
        validate_payload(
            4,
            "A UTF-16 surrogate encoded as UTF-8 (ED A0 80)",
            PayloadText::Bytes(surrogate),
        )
        .reject(&["EMV.PAYLOAD.UTF8"])
        .tags(&["negative", "utf8"]),
        validate_payload(
            5,
            "A payload cut inside a multi-byte character",
            PayloadText::Bytes(cut),
        )
        .reject(&["EMV.PAYLOAD.UTF8"])
        .tags(&["negative", "utf8"]),
        validate(
            6,
            "513 characters: one over the recommended 512",
            padded(513),
        )
        .warn(&["EMV.PAYLOAD.MAX_CHARS", "EMV.PAYLOAD.MAX_BYTES"])
        .tags(&["negative", "size", "boundary"]),
        validate(
            7,
            "Over 512 UTF-8 bytes but under 512 characters",
            wide_filler(3),
        )
        .warn(&["EMV.PAYLOAD.MAX_BYTES"])
        .tags(&["negative", "size"]),
        validate(8, "Over 512 characters and bytes", wide_filler(6))
            .warn(&["EMV.PAYLOAD.MAX_CHARS", "EMV.PAYLOAD.MAX_BYTES"])
            .tags(&["negative", "size"]),
        validate(
            9,
            "A valid payload followed by CR LF (a scanner's line ending)",
            format!("{valid}\r\n"),
        )
        .reject(&["EMV.PAYLOAD.CONTROL_CHARS"])
        .tags(&["negative", "smoke"])
        .note("Readers must not trim: the CRC covers the bytes as transmitted."),
        validate(10, "A valid payload followed by LF", format!("{valid}\n"))
            .reject(&["EMV.PAYLOAD.CONTROL_CHARS", "EMV.63.LAST"])
            .tags(&["negative"]),
        validate(11, "A valid payload followed by NUL", format!("{valid}\0"))
            .reject(&["EMV.PAYLOAD.CONTROL_CHARS"])
            .tags(&["negative"]),
        validate(
            12,
            "A control character (BEL) inside an S value (64/01) is a SHOULD finding",
            pay(&base().add(64, t(&[(0, s("EN")), (1, s("Shop\u{7}"))]))),
        )
        .warn(&["EMV.PAYLOAD.CONTROL_CHARS"])
        .tags(&["negative", "charset"]),
        validate(
            13,
            "A leading byte-order mark",
            crc::seal(&format!("\u{FEFF}{}", base().body())),
        )
        .reject(&["EMV.TLV.ID_NUMERIC"])
        .tags(&["negative"])
        .note("A BOM is not part of any data object; readers that strip it hide a defect."),
        validate(
            14,
            "A leading space",
            crc::seal(&format!(" {}", base().body())),
        )
        .reject(&["EMV.TLV.ID_NUMERIC"])
        .tags(&["negative"]),
        validate(15, "A trailing space after the CRC", format!("{valid} "))
            .reject(&["EMV.63.LAST"])
            .tags(&["negative"]),
        validate(
            16,
            "A tab inside the merchant name (an ans value)",
            pay(&base().set_s(59, "QRCERT\tSHOP")),
        )
        .reject(&["EMV.59.CHARSET"])
        .tags(&["negative", "charset"]),
    ];
    Plan::new(
        Profile::Emvco,
        "payload",
        "EMVCo MPM: the payload as a whole: emptiness, UTF-8, size, stray control characters.",
        &["EMV QRCPS MPM v1.0 §3.2, §4.1"],
        d,
    )
}

fn tlv_area() -> Plan {
    let raw = base().body();
    let predicted =
        |p: &str| predict(p, Unit::Chars).map_or("EMV.TLV.LENGTH_OVERRUN", Predicted::rule);
    // 64 with its lengths counted in UTF-8 bytes instead of characters.
    let name = "さくらテストカフェ";
    let inner = format!("0002JA01{:02}{name}", name.len());
    let by_bytes = crc::seal(&format!("{raw}64{:02}{inner}", inner.len()));
    let inner16 = String::from("0002EN0106CAFE🍜");
    let by_utf16 = crc::seal(&format!("{raw}64{:02}{inner16}", inner16.chars().count()));
    let d = vec![
        validate(
            1,
            "Two characters left where an object starts",
            format!("{raw}52"),
        )
        .reject(&["EMV.TLV.TRUNCATED_HEADER"])
        .tags(&["negative"]),
        validate(
            2,
            "Three characters left where an object starts",
            format!("{raw}630"),
        )
        .reject(&["EMV.TLV.TRUNCATED_HEADER"])
        .tags(&["negative"]),
        validate(3, "A letter in an ID (5A)", format!("{raw}5A02XX"))
            .reject(&["EMV.TLV.ID_NUMERIC"])
            .tags(&["negative"]),
        validate(
            4,
            "An ID of two letters",
            crc::seal(&format!("{raw}AB02XX")),
        )
        .reject(&["EMV.TLV.ID_NUMERIC"])
        .tags(&["negative"]),
        validate(
            5,
            "Length '+5' (accepted by Go strconv.Atoi and Java Integer.valueOf)",
            crc::seal(&format!("{raw}61+5ABCDE")),
        )
        .reject(&["EMV.TLV.LENGTH_NUMERIC"])
        .tags(&["negative", "smoke"]),
        validate(
            6,
            "Length ' 5' (leading space)",
            crc::seal(&format!("{raw}61 5ABCDE")),
        )
        .reject(&["EMV.TLV.LENGTH_NUMERIC"])
        .tags(&["negative"]),
        validate(
            7,
            "Length '-1' (a Go slice panic by code reading)",
            crc::seal(&format!("{raw}61-1A")),
        )
        .reject(&["EMV.TLV.LENGTH_NUMERIC"])
        .tags(&["negative"]),
        validate(
            8,
            "Length '5 ' (trailing space)",
            crc::seal(&format!("{raw}615 ABCDE")),
        )
        .reject(&["EMV.TLV.LENGTH_NUMERIC"])
        .tags(&["negative"]),
        validate(9, "Length '0x'", crc::seal(&format!("{raw}610xABCDE")))
            .reject(&["EMV.TLV.LENGTH_NUMERIC"])
            .tags(&["negative"]),
        validate(
            10,
            "Length in full-width digits (０５)",
            crc::seal(&format!("{raw}61０５ABCDE")),
        )
        .reject(&["EMV.TLV.LENGTH_NUMERIC"])
        .tags(&["negative"]),
        validate(
            11,
            "Length in Arabic-Indic digits (٠٥)",
            crc::seal(&format!("{raw}61٠٥ABCDE")),
        )
        .reject(&["EMV.TLV.LENGTH_NUMERIC"])
        .tags(&["negative"]),
        validate(12, "A root object of length 00", pay(&base().add_s(61, "")))
            .reject(&["EMV.TLV.LENGTH_ZERO"])
            .tags(&["negative"]),
        validate(
            13,
            "A sub-object of length 00 inside 62",
            pay(&base().add(62, t(&[(1, s("")), (5, s("REF1"))]))),
        )
        .reject(&["EMV.TLV.LENGTH_ZERO"])
        .tags(&["negative"]),
        validate(
            14,
            "A length that runs past the end of the payload",
            format!("{raw}6199ABC"),
        )
        .reject(&["EMV.TLV.LENGTH_OVERRUN"])
        .tags(&["negative", "smoke"]),
        validate(
            15,
            "The merchant name (59) twice",
            pay(&base().add_s(59, "OTHER NAME")),
        )
        .reject(&["EMV.TLV.DUPLICATE_ID"])
        .tags(&["negative", "duplicate", "smoke"])
        .note("Last-wins parsers accept silently: the wrong party may be shown."),
        validate(
            16,
            "Two 26 templates with different accounts",
            pay(&base().add(26, t(&[(0, s("com.example.qrcert")), (1, s("ACCT9999"))]))),
        )
        .reject(&["EMV.TLV.DUPLICATE_ID"])
        .tags(&["negative", "duplicate"])
        .note("Pay-the-wrong-party risk: a last-wins parser pays ACCT9999."),
        validate(
            17,
            "The Payload Format Indicator (00) twice",
            pay(&base().add_s(0, "01")),
        )
        .reject(&["EMV.TLV.DUPLICATE_ID"])
        .tags(&["negative", "duplicate"]),
        validate(
            18,
            "A repeated sub-ID in 62",
            pay(&base().add(62, t(&[(1, s("A")), (1, s("B"))]))),
        )
        .reject(&["EMV.TLV.DUPLICATE_SUBID"])
        .tags(&["negative", "duplicate"]),
        validate(
            19,
            "A repeated sub-ID in 26",
            pay(&base().set(
                26,
                t(&[
                    (0, s("com.example.qrcert")),
                    (1, s("ACCT0001")),
                    (1, s("ACCT9999")),
                ]),
            )),
        )
        .reject(&["EMV.TLV.DUPLICATE_SUBID"])
        .tags(&["negative", "duplicate"]),
        validate(
            20,
            "A repeated sub-ID in 64",
            pay(&base().add(64, t(&[(0, s("JA")), (1, s("名前")), (1, s("別名"))]))),
        )
        .reject(&["EMV.TLV.DUPLICATE_SUBID"])
        .tags(&["negative", "duplicate"]),
        validate(
            21,
            "A 62 whose content is not TLV",
            pay(&base().add_s(62, "01X9ab")),
        )
        .reject(&["EMV.TLV.TEMPLATE_SYNTAX"])
        .tags(&["negative"]),
        validate(
            22,
            "A 26 whose content ends with a short sub-object",
            pay(&base().set_s(26, "0018com.example.qrcert0109ACCT0001")),
        )
        .reject(&["EMV.TLV.TEMPLATE_SYNTAX"])
        .tags(&["negative"]),
        validate(
            23,
            "A 64 whose content is plain text",
            pay(&base().add_s(64, "Tokyo Shop")),
        )
        .reject(&["EMV.TLV.TEMPLATE_SYNTAX"])
        .tags(&["negative"]),
        validate(
            24,
            "An unreserved template (80) whose content is not TLV",
            pay(&base().add_s(80, "com.example")),
        )
        .reject(&["EMV.TLV.TEMPLATE_SYNTAX"])
        .tags(&["negative"]),
        validate(
            25,
            "A payment-system template 62/50 whose content is not TLV",
            pay(&base().add(62, t(&[(50, s("garbage!"))]))),
        )
        .reject(&["EMV.TLV.TEMPLATE_SYNTAX"])
        .tags(&["negative"]),
        validate(
            26,
            "64 with lengths counted in UTF-8 bytes instead of characters",
            by_bytes.clone(),
        )
        .reject(&[predicted(&by_bytes)])
        .tags(&["negative", "length-units"])
        .note("A strlen-style writer: 64/01 declares 27 (bytes) for 9 characters."),
        validate(
            27,
            "64/01 with an emoji counted in UTF-16 units (CAFE🍜 as 6)",
            by_utf16.clone(),
        )
        .reject(&[predicted(&by_utf16)])
        .tags(&["negative", "length-units"])
        .note("JavaScript .length and Java String.length() count 6; EMVCo counts 5 characters."),
        validate(
            28,
            "Root objects out of numeric order is only INFO",
            pay(&base().del(52).add_s(52, "5999")),
        )
        .info(&["EMV.TLV.ORDER_NUMERIC"])
        .tags(&["positive", "order"]),
    ];
    Plan::new(
        Profile::Emvco,
        "tlv",
        "EMVCo MPM: TLV structure: headers, IDs, lengths, duplicates, template syntax, order.",
        &["EMV QRCPS MPM v1.0 §4.3, §4.4"],
        d,
    )
}

fn charset_area() -> Plan {
    let alt = |lang: &str, name: &str| base().add(64, t(&[(0, s(lang)), (1, s(name))]));
    let d = vec![
        validate(1, "A letter in the merchant category code (59A9)", pay(&base().set_s(52, "59A9"))).reject(&["EMV.CHARSET.N"]).tags(&["negative"]),
        validate(2, "A letter O for a zero in the currency (84O)", pay(&base().set_s(53, "84O"))).reject(&["EMV.CHARSET.N"]).tags(&["negative"]),
        validate(3, "A full-width digit in the tip indicator", pay(&base().add_s(55, "0１"))).reject(&["EMV.CHARSET.N"]).tags(&["negative"]),
        validate(4, "A Latin-1 letter in the country code (ÜS)", pay(&base().set_s(58, "ÜS"))).reject(&["EMV.CHARSET.ANS"]).tags(&["negative"]),
        validate(5, "Full-width digits in the amount", pay(&base().set_s(1, "12").insert(5, 54, s("１０.００")))).reject(&["EMV.CHARSET.ANS"]).tags(&["negative", "amount"]),
        validate(6, "Japanese in the language preference (64/00)", pay(&alt("日本", "名前"))).reject(&["EMV.CHARSET.ANS"]).tags(&["negative", "tag64"]),
        validate(7, "A decomposed accent (E + U+0301) in an S value", pay(&alt("FR", "CAFE\u{301}"))).warn(&["EMV.CHARSET.S_PRECOMPOSED"]).tags(&["negative", "normalisation"])
            .note("Precomposed É counts 1 character, E + U+0301 counts 2: readers disagree on lengths."),
        validate(8, "A decomposed Japanese dakuten (か + U+3099) in 64/01", pay(&alt("JA", "か\u{3099}ふぇ"))).warn(&["EMV.CHARSET.S_PRECOMPOSED"]).tags(&["negative", "normalisation", "japanese"]),
        validate(9, "A decomposed value whose CRC covers its exact bytes still verifies", pay(&alt("FR", "E\u{301}TE"))).warn(&["EMV.CHARSET.S_PRECOMPOSED"]).tags(&["negative", "normalisation", "crc"])
            .note("NFC-first consumers recompute the CRC over different bytes and report a false mismatch."),
        validate(10, "An emoji (above U+FFFF) in 64/01", pay(&alt("EN", "CAFE🍜"))).warn(&["EMV.CHARSET.NON_BMP"]).tags(&["negative", "emoji"])
            .note("5 code points, 6 UTF-16 units, 8 bytes: only code points are correct."),
        validate(11, "A non-ASCII character inside a merchant-account template", pay(&base().set(26, t(&[(0, s("com.example.qrcert")), (1, s("ACCTé"))])))).reject(&["EMV.MAI.CHARSET"]).tags(&["negative", "mai"])
            .note("02-51 are ans as a whole (Table 3.6); the template children's S format does not override it."),
        validate(12, "An accented merchant name (CAFÉ TOKYO)", pay(&base().set_s(59, "CAFÉ TOKYO"))).reject(&["EMV.59.CHARSET"]).tags(&["negative", "smoke"]),
        validate(13, "A Japanese merchant name in 59 (belongs in 64/01)", pay(&base().set_s(59, "さくらカフェ"))).reject(&["EMV.59.CHARSET"]).tags(&["negative", "japanese"]),
        validate(14, "A Khmer merchant name in 59 under EMVCo", pay(&base().set_s(59, "ហាងគុយទាវ"))).reject(&["EMV.59.CHARSET"]).tags(&["negative", "khmer"]),
        validate(15, "A unit separator (0x1F) in the merchant name", pay(&base().set_s(59, "QRCERT\u{1F}SHOP"))).reject(&["EMV.59.CHARSET"]).tags(&["negative", "boundary"]),
        validate(16, "DEL (0x7F) in the merchant name", pay(&base().set_s(59, "QRCERT\u{7F}SHOP"))).reject(&["EMV.59.CHARSET"]).tags(&["negative", "boundary"]),
        validate(17, "An umlaut in the city (ZÜRICH)", pay(&base().set_s(60, "ZÜRICH"))).reject(&["EMV.60.CHARSET"]).tags(&["negative"]),
        validate(18, "A Chinese city in 60 (belongs in 64/02)", pay(&base().set_s(60, "北京"))).reject(&["EMV.60.CHARSET"]).tags(&["negative"]),
        validate(19, "An accent in the postal code", pay(&base().add_s(61, "1000é"))).reject(&["EMV.61.CHARSET"]).tags(&["negative"]),
        validate(20, "An accent in the reference label (62/05)", pay(&base().add(62, t(&[(5, s("RÉF"))])))).reject(&["EMV.62.SUB_CHARSET"]).tags(&["negative", "tag62"]),
        validate(21, "Japanese in the bill number (62/01)", pay(&base().add(62, t(&[(1, s("請求書"))])))).reject(&["EMV.62.SUB_CHARSET"]).tags(&["negative", "tag62"]),
        validate(22, "62/11 under v1.0, where it is RFU", pay(&base().add(62, t(&[(11, s("000"))])))).emv_v10().info(&["EMV.MODEL.VERSION_MISMATCH"]).warn(&["EMV.62.RFU_SUBID"]).tags(&["negative", "v1.0"])
            .note("A library claiming v1.1 that rejects 62/10-11 implements v1.0."),
        validate(23, "62/10 under v1.0, where it is RFU", pay(&base().add(62, t(&[(10, s("TAX-1"))])))).emv_v10().info(&["EMV.MODEL.VERSION_MISMATCH"]).warn(&["EMV.62.RFU_SUBID"]).tags(&["negative", "v1.0"]),
    ];
    Plan::new(
        Profile::Emvco,
        "charset",
        "EMVCo MPM: character sets: N, ans, S, normalisation, characters above U+FFFF.",
        &["EMV QRCPS MPM v1.0 §4.5"],
        d,
    )
}

fn three_digit(id: u8, content: &str) -> String {
    crc::seal(&format!(
        "{}{id:02}{:03}{content}",
        base().body(),
        content.chars().count()
    ))
}

fn root_area() -> Plan {
    let o = |id: u8, v: &str| obj(id, v, Unit::Chars);
    let d = vec![
        validate(1, "No Payload Format Indicator (00)", pay(&base().del(0))).reject(&["EMV.00.PRESENT"]).tags(&["negative"]),
        validate(2, "00 is not the first object", pay(&base().del(0).add_s(0, "01"))).reject(&["EMV.00.FIRST"]).tags(&["negative"]),
        validate(3, "00 after 01", pay(&P { objs: vec![base().objs[1].clone(), base().objs[0].clone()].into_iter().chain(base().objs[2..].iter().cloned()).collect(), unit: Unit::Chars })).reject(&["EMV.00.FIRST"]).tags(&["negative"]),
        validate(4, "00 of length 3 (001)", pay(&base().set_s(0, "001"))).reject(&["EMV.00.LENGTH"]).tags(&["negative"]),
        validate(5, "00 of length 1", pay(&base().set_s(0, "1"))).reject(&["EMV.00.LENGTH"]).tags(&["negative"]),
        validate(6, "00 = 02", pay(&base().set_s(0, "02"))).reject(&["EMV.00.VALUE"]).tags(&["negative", "smoke"]),
        validate(7, "00 = 00", pay(&base().set_s(0, "00"))).reject(&["EMV.00.VALUE"]).tags(&["negative"]),
        validate(8, "01 of length 3", pay(&base().set_s(1, "111"))).reject(&["EMV.01.LENGTH"]).tags(&["negative"]),
        validate(9, "01 of length 1", pay(&base().set_s(1, "1"))).reject(&["EMV.01.LENGTH"]).tags(&["negative"]),
        validate(10, "01 = 13", pay(&base().set_s(1, "13"))).reject(&["EMV.01.VALUE"]).tags(&["negative"]),
        validate(11, "01 = 21", pay(&base().set_s(1, "21"))).reject(&["EMV.01.VALUE"]).tags(&["negative"]),
        validate(12, "No merchant account at all (02-51)", pay(&base().del(26))).reject(&["EMV.MAI.PRESENT"]).tags(&["negative", "mai"]),
        validate(13, "Only an unreserved template, no merchant account", pay(&base().del(26).add(80, t(&[(0, s("com.example.qrcert")), (1, s("ACCT0001"))])))).reject(&["EMV.MAI.PRESENT"]).tags(&["negative", "mai"]),
        validate(14, "A merchant-account template written with a three-digit length", three_digit(27, &format!("{}{}", o(0, "com.example.qrcert"), o(1, &"A".repeat(80))))).reject(&["EMV.MAI.LENGTH"]).tags(&["negative", "mai"])
            .note("A generator that does not check lengths writes 27102...: not TLV."),
        validate(15, "A 26 template without a GUID (00)", pay(&base().set(26, t(&[(1, s("ACCT0001"))])))).reject(&["EMV.MAI.GUID_PRESENT"]).tags(&["negative", "guid"]),
        validate(16, "A GUID of 33 characters", pay(&base().set(26, t(&[(0, s("a".repeat(33)))])))).reject(&["EMV.MAI.GUID_LENGTH"]).tags(&["negative", "guid"]),
        validate(17, "An account-style GUID (demo@sandbox)", pay(&base().set(26, t(&[(0, s("demo@sandbox"))])))).warn(&["EMV.MAI.GUID_FORMAT"]).tags(&["negative", "guid"]),
        validate(18, "A GUID that is one word (example)", pay(&base().set(26, t(&[(0, s("example")), (1, s("ACCT0001"))])))).warn(&["EMV.MAI.GUID_FORMAT"]).tags(&["negative", "guid"]),
        validate(19, "A GUID of 9 hex digits (an odd-length AID)", pay(&base().set(26, t(&[(0, s("D15600000")), (1, s("ACCT0001"))])))).warn(&["EMV.MAI.GUID_FORMAT"]).tags(&["negative", "guid"]),
        validate(20, "A merchant account in 06 (reserved for EMVCo)", pay(&base().insert(2, 6, s("12345678")))).warn(&["EMV.MAI.RESERVED_EMVCO"]).tags(&["negative", "mai"]),
        validate(21, "A merchant account in 17 (reserved for EMVCo)", pay(&base().insert(2, 17, s("12345678")))).warn(&["EMV.MAI.RESERVED_EMVCO"]).tags(&["negative", "mai"]),
        validate(22, "A merchant account in 25 (reserved for EMVCo)", pay(&base().insert(2, 25, s("12345678")))).warn(&["EMV.MAI.RESERVED_EMVCO"]).tags(&["negative", "mai"]),
        validate(23, "No merchant category code (52)", pay(&base().del(52))).reject(&["EMV.52.PRESENT"]).tags(&["negative"])
            .note("PromptPay and VietQR transfers omit 52, 59 and 60; they pass a relaxing national profile, not EMVCo."),
        validate(24, "A three-digit MCC", pay(&base().set_s(52, "599"))).reject(&["EMV.52.FORMAT"]).tags(&["negative"]),
        validate(25, "A five-digit MCC", pay(&base().set_s(52, "59999"))).reject(&["EMV.52.FORMAT"]).tags(&["negative"]),
        validate(26, "MCC 0000 (common, not an ISO 18245 code)", pay(&base().set_s(52, "0000"))).warn(&["EMV.52.ISO18245"]).tags(&["negative"]),
        validate(27, "No transaction currency (53)", pay(&base().del(53))).reject(&["EMV.53.PRESENT"]).tags(&["negative"]),
        validate(28, "A two-digit currency", pay(&base().set_s(53, "84"))).reject(&["EMV.53.FORMAT"]).tags(&["negative"]),
        validate(29, "An alphabetic currency code (USD)", pay(&base().set_s(53, "USD"))).reject(&["EMV.CHARSET.N"]).tags(&["negative"]),
        validate(30, "Currency 000, not an ISO 4217 code", pay(&base().set_s(53, "000"))).warn(&["EMV.53.ISO4217"]).tags(&["negative"]),
        validate(31, "No country code (58)", pay(&base().del(58))).reject(&["EMV.58.PRESENT"]).tags(&["negative"]),
        validate(32, "A digit in the country code (U1)", pay(&base().set_s(58, "U1"))).reject(&["EMV.58.FORMAT"]).tags(&["negative"]),
        validate(33, "A three-letter country code (USA)", pay(&base().set_s(58, "USA"))).reject(&["EMV.58.FORMAT"]).tags(&["negative"]),
        validate(34, "A lower-case country code (us)", pay(&base().set_s(58, "us"))).warn(&["EMV.58.ISO3166"]).tags(&["negative"]),
        validate(35, "An unassigned country code (XX)", pay(&base().set_s(58, "XX"))).warn(&["EMV.58.ISO3166"]).tags(&["negative"]),
        validate(36, "No merchant name (59)", pay(&base().del(59))).reject(&["EMV.59.PRESENT"]).tags(&["negative"]),
        validate(37, "A merchant name of 26 characters", pay(&base().set_s(59, &"N".repeat(26)))).reject(&["EMV.59.LENGTH"]).tags(&["negative", "boundary"]),
        validate(38, "A merchant name with a trailing space", pay(&base().set_s(59, "CAFE TOKYO "))).warn(&["EMV.59.WHITESPACE"]).tags(&["negative"]),
        validate(39, "A merchant name with a leading space", pay(&base().set_s(59, " CAFE TOKYO"))).warn(&["EMV.59.WHITESPACE"]).tags(&["negative"]),
        validate(40, "No merchant city (60)", pay(&base().del(60))).reject(&["EMV.60.PRESENT"]).tags(&["negative"]),
        validate(41, "A city of 16 characters", pay(&base().set_s(60, &"C".repeat(16)))).reject(&["EMV.60.LENGTH"]).tags(&["negative", "boundary"]),
        validate(42, "A postal code of 11 characters", pay(&base().add_s(61, "12345678901"))).reject(&["EMV.61.LENGTH"]).tags(&["negative", "boundary"]),
        validate(43, "Root ID 65 (reserved for EMVCo): consumers tolerate it", pay(&base().add_s(65, "X"))).warn(&["EMV.RFU.ROOT"]).tags(&["negative", "rfu"]),
        validate(44, "Root ID 79 (reserved for EMVCo)", pay(&base().add_s(79, "RFU"))).warn(&["EMV.RFU.ROOT"]).tags(&["negative", "rfu"]),
        validate(45, "No 52, 59 or 60 (a transfer-style code) fails EMVCo", pay(&base().del(52).del(59).del(60))).reject(&["EMV.52.PRESENT", "EMV.59.PRESENT", "EMV.60.PRESENT"]).tags(&["negative"]),
    ];
    Plan::new(
        Profile::Emvco,
        "root",
        "EMVCo MPM: root data objects 00-61 and the reserved IDs 65-79.",
        &["EMV QRCPS MPM v1.0 Table 3.6"],
        d,
    )
}

fn amount_area() -> Plan {
    let dyn_amt = |a: &str| pay(&base().set_s(1, "12").insert(5, 54, s(a)));
    let cur_amt = |c: &str, a: &str| pay(&base().set_s(1, "12").set_s(53, c).insert(5, 54, s(a)));
    let tip = |ind: &str, extra: &[(u8, &str)]| {
        let mut p = base().insert(5, 55, s(ind));
        for (i, (id, v)) in extra.iter().enumerate() {
            p = p.insert(6 + i, *id, s(*v));
        }
        pay(&p)
    };
    let no_ind = |extra: &[(u8, &str)]| {
        let mut p = base();
        for (i, (id, v)) in extra.iter().enumerate() {
            p = p.insert(5 + i, *id, s(*v));
        }
        pay(&p)
    };
    let d = vec![
        validate(1, "An amount of 14 characters", dyn_amt("12345678901234"))
            .reject(&["EMV.54.LENGTH"])
            .tags(&["negative", "boundary"]),
        validate(2, "A comma as decimal separator (98,73)", dyn_amt("98,73"))
            .reject(&["EMV.54.FORMAT"])
            .tags(&["negative", "smoke"]),
        validate(3, "A thousands separator (3 705)", dyn_amt("3 705"))
            .reject(&["EMV.54.FORMAT"])
            .tags(&["negative"]),
        validate(4, "A negative amount (-5)", dyn_amt("-5"))
            .reject(&["EMV.54.FORMAT"])
            .tags(&["negative"]),
        validate(5, "Exponent notation (1e5)", dyn_amt("1e5"))
            .reject(&["EMV.54.FORMAT"])
            .tags(&["negative"]),
        validate(6, "Two decimal points (1.2.3)", dyn_amt("1.2.3"))
            .reject(&["EMV.54.FORMAT"])
            .tags(&["negative"]),
        validate(7, "A lone dot", dyn_amt("."))
            .reject(&["EMV.54.FORMAT"])
            .tags(&["negative"]),
        validate(8, "An amount of 0", dyn_amt("0"))
            .reject(&["EMV.54.NONZERO"])
            .tags(&["negative"]),
        validate(9, "An amount of 0.00", dyn_amt("0.00"))
            .reject(&["EMV.54.NONZERO"])
            .tags(&["negative"]),
        validate(10, "USD amount with one decimal (1.5)", dyn_amt("1.5"))
            .warn(&["EMV.54.DECIMALS"])
            .tags(&["negative"]),
        validate(
            11,
            "USD amount with three decimals (1.505)",
            dyn_amt("1.505"),
        )
        .warn(&["EMV.54.DECIMALS"])
        .tags(&["negative"]),
        validate(
            12,
            "Yen amount with a decimal (100.5)",
            cur_amt("392", "100.5"),
        )
        .warn(&["EMV.54.DECIMALS"])
        .tags(&["negative"]),
        validate(
            13,
            "Kuwaiti dinar amount with two decimals (1.23)",
            cur_amt("414", "1.23"),
        )
        .warn(&["EMV.54.DECIMALS"])
        .tags(&["negative"]),
        validate(14, "A leading dot (.50)", dyn_amt(".50"))
            .warn(&["EMV.54.LEADING_DOT"])
            .tags(&["negative"]),
        validate(
            15,
            "Superfluous leading zeros (0012.50) are only INFO",
            dyn_amt("0012.50"),
        )
        .info(&["EMV.54.LEADING_ZERO"])
        .tags(&["positive"]),
        validate(16, "Tip indicator of length 1", tip("1", &[]))
            .reject(&["EMV.55.LENGTH"])
            .tags(&["negative"]),
        validate(17, "Tip indicator 04 (RFU)", tip("04", &[]))
            .reject(&["EMV.55.VALUE"])
            .tags(&["negative"]),
        validate(18, "Tip indicator 00", tip("00", &[]))
            .reject(&["EMV.55.VALUE"])
            .tags(&["negative"]),
        validate(19, "Fixed fee (55 = 02) without 56", tip("02", &[]))
            .reject(&["EMV.56.REQUIRED"])
            .tags(&["negative", "smoke"]),
        validate(
            20,
            "A fixed fee with a tip prompt (55 = 01)",
            tip("01", &[(56, "1.00")]),
        )
        .reject(&["EMV.56.FORBIDDEN"])
        .tags(&["negative"])
        .note("Some READMEs call 01 a fixed tip; Annex B's 550201 is a tip prompt."),
        validate(21, "A fixed fee without any 55", no_ind(&[(56, "1.00")]))
            .reject(&["EMV.56.FORBIDDEN"])
            .tags(&["negative"]),
        validate(
            22,
            "A fixed fee with 55 = 03",
            tip("03", &[(56, "1.00"), (57, "3")]),
        )
        .reject(&["EMV.56.FORBIDDEN"])
        .tags(&["negative"]),
        validate(23, "A fixed fee of 0.00", tip("02", &[(56, "0.00")]))
            .reject(&["EMV.56.FORMAT"])
            .tags(&["negative"]),
        validate(24, "A negative fixed fee", tip("02", &[(56, "-1")]))
            .reject(&["EMV.56.FORMAT"])
            .tags(&["negative"]),
        validate(
            25,
            "A fixed fee of 14 characters",
            tip("02", &[(56, "12345678901234")]),
        )
        .reject(&["EMV.56.FORMAT"])
        .tags(&["negative"]),
        validate(
            26,
            "A fixed fee with one decimal in USD",
            tip("02", &[(56, "1.5")]),
        )
        .warn(&["EMV.56.DECIMALS"])
        .tags(&["negative"]),
        validate(27, "Percentage fee (55 = 03) without 57", tip("03", &[]))
            .reject(&["EMV.57.REQUIRED"])
            .tags(&["negative"]),
        validate(
            28,
            "A percentage with 55 = 02",
            tip("02", &[(56, "1.00"), (57, "3")]),
        )
        .reject(&["EMV.57.FORBIDDEN"])
        .tags(&["negative"]),
        validate(29, "A percentage without any 55", no_ind(&[(57, "3")]))
            .reject(&["EMV.57.FORBIDDEN"])
            .tags(&["negative"]),
        validate(
            30,
            "A percentage with a % sign (12.5%)",
            tip("03", &[(57, "12.5%")]),
        )
        .reject(&["EMV.57.FORMAT"])
        .tags(&["negative"]),
        validate(
            31,
            "A percentage of 6 characters (100.00)",
            tip("03", &[(57, "100.00")]),
        )
        .reject(&["EMV.57.FORMAT"])
        .tags(&["negative"]),
        validate(32, "A percentage of 100", tip("03", &[(57, "100")]))
            .reject(&["EMV.57.RANGE"])
            .tags(&["negative", "boundary"]),
        validate(33, "A percentage of 0", tip("03", &[(57, "0")]))
            .reject(&["EMV.57.RANGE"])
            .tags(&["negative", "boundary"]),
        validate(34, "A percentage of 00.00", tip("03", &[(57, "00.00")]))
            .reject(&["EMV.57.RANGE"])
            .tags(&["negative", "boundary"]),
        validate(35, "A percentage of 0.001", tip("03", &[(57, "0.001")]))
            .reject(&["EMV.57.RANGE"])
            .tags(&["negative", "boundary"]),
    ];
    Plan::new(
        Profile::Emvco,
        "amount",
        "EMVCo MPM: amount (54), tip indicator (55) and convenience fees (56, 57).",
        &["EMV QRCPS MPM v1.0 §4.7.4-§4.7.8"],
        d,
    )
}

fn templates_area() -> Plan {
    let o = |id: u8, v: &str| obj(id, v, Unit::Chars);
    let t62 = |kids: &[(u8, crate::vectors::generate::build::V)]| pay(&base().add(62, t(kids)));
    let t64 = |kids: &[(u8, crate::vectors::generate::build::V)]| pay(&base().add(64, t(kids)));
    let mut d = vec![
        validate(
            1,
            "62 written with a three-digit length",
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
        )
        .reject(&["EMV.62.LENGTH"])
        .tags(&["negative", "tag62"])
        .note("Four full 25-character fields make 116: the official KHQR SDK writes 62116..."),
        validate(2, "An empty 62 (length 00)", pay(&base().add_s(62, "")))
            .reject(&["EMV.62.NOT_EMPTY", "EMV.TLV.LENGTH_ZERO"])
            .tags(&["negative", "tag62"]),
        validate(3, "62/09 = MM (repeated letter)", t62(&[(9, s("MM"))]))
            .reject(&["EMV.62.09.VALUE"])
            .tags(&["negative", "tag62"]),
        validate(4, "62/09 = me (lower case)", t62(&[(9, s("me"))]))
            .reject(&["EMV.62.09.VALUE"])
            .tags(&["negative", "tag62"]),
        validate(5, "62/09 = X", t62(&[(9, s("X"))]))
            .reject(&["EMV.62.09.VALUE"])
            .tags(&["negative", "tag62"]),
        validate(6, "62/09 = AMEA (four letters)", t62(&[(9, s("AMEA"))]))
            .reject(&["EMV.62.09.VALUE"])
            .tags(&["negative", "tag62"]),
        validate(
            7,
            "Merchant Tax ID (62/10) of 21 characters",
            t62(&[(10, s("1".repeat(21)))]),
        )
        .reject(&["EMV.62.10.LENGTH"])
        .tags(&["negative", "tag62", "v1.1"]),
        validate(
            8,
            "Merchant Channel (62/11) of 2 characters",
            t62(&[(11, s("00"))]),
        )
        .reject(&["EMV.62.11.FORMAT"])
        .tags(&["negative", "tag62", "v1.1"]),
        validate(
            9,
            "Merchant Channel (62/11) of 4 characters",
            t62(&[(11, s("0000"))]),
        )
        .reject(&["EMV.62.11.FORMAT"])
        .tags(&["negative", "tag62", "v1.1"]),
        validate(
            10,
            "Merchant Channel media 8 (a Kenyan extension)",
            t62(&[(11, s("800"))]),
        )
        .warn(&["EMV.62.11.VALUES"])
        .tags(&["negative", "tag62", "v1.1"]),
        validate(11, "Merchant Channel location 4", t62(&[(11, s("040"))]))
            .warn(&["EMV.62.11.VALUES"])
            .tags(&["negative", "tag62", "v1.1"]),
        validate(12, "Merchant Channel presence 9", t62(&[(11, s("009"))]))
            .warn(&["EMV.62.11.VALUES"])
            .tags(&["negative", "tag62", "v1.1"]),
        validate(13, "62 sub-ID 12 (RFU in v1.1)", t62(&[(12, s("X"))]))
            .warn(&["EMV.62.RFU_SUBID"])
            .tags(&["negative", "tag62", "rfu"]),
        validate(14, "62 sub-ID 49 (RFU)", t62(&[(49, s("X"))]))
            .warn(&["EMV.62.RFU_SUBID"])
            .tags(&["negative", "tag62", "rfu"]),
        validate(15, "62/50 without a GUID", t62(&[(50, t(&[(1, s("ab"))]))]))
            .reject(&["EMV.62.PSS_GUID_PRESENT"])
            .tags(&["negative", "tag62", "guid"]),
        validate(
            16,
            "62/50 with a 33-character GUID",
            t62(&[(50, t(&[(0, s("a".repeat(33)))]))]),
        )
        .reject(&["EMV.62.PSS_GUID_LENGTH"])
        .tags(&["negative", "tag62", "guid"]),
        validate(
            17,
            "64 written with a three-digit length",
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
        )
        .reject(&["EMV.64.LENGTH"])
        .tags(&["negative", "tag64"]),
        validate(
            18,
            "64 without a language preference (00)",
            t64(&[(1, s("名前"))]),
        )
        .reject(&["EMV.64.00.PRESENT"])
        .tags(&["negative", "tag64"])
        .note("The official KHQR SDK generates 64 without 00; EMVCo requires it."),
        validate(
            19,
            "64/00 of one letter",
            t64(&[(0, s("J")), (1, s("名前"))]),
        )
        .reject(&["EMV.64.00.FORMAT"])
        .tags(&["negative", "tag64"]),
        validate(
            20,
            "64/00 with a digit (J1)",
            t64(&[(0, s("J1")), (1, s("名前"))]),
        )
        .reject(&["EMV.64.00.FORMAT"])
        .tags(&["negative", "tag64"]),
        validate(
            21,
            "64/00 = XX (not ISO 639-1)",
            t64(&[(0, s("XX")), (1, s("Name"))]),
        )
        .warn(&["EMV.64.00.ISO639"])
        .tags(&["negative", "tag64"]),
        validate(
            22,
            "64 without an alternate name (01)",
            t64(&[(0, s("JA"))]),
        )
        .reject(&["EMV.64.01.PRESENT"])
        .tags(&["negative", "tag64"]),
        validate(
            23,
            "64 with only a city (02)",
            t64(&[(0, s("JA")), (2, s("渋谷"))]),
        )
        .reject(&["EMV.64.01.PRESENT"])
        .tags(&["negative", "tag64"]),
        validate(
            24,
            "64/01 of 26 characters",
            t64(&[(0, s("JA")), (1, s("名".repeat(26)))]),
        )
        .reject(&["EMV.64.01.LENGTH"])
        .tags(&["negative", "tag64", "boundary"]),
        validate(
            25,
            "64/02 of 16 characters",
            t64(&[(0, s("JA")), (1, s("名")), (2, s("市".repeat(16)))]),
        )
        .reject(&["EMV.64.02.LENGTH"])
        .tags(&["negative", "tag64", "boundary"]),
        validate(
            26,
            "64/03 (RFU for EMVCo)",
            t64(&[(0, s("JA")), (1, s("名")), (3, s("x"))]),
        )
        .warn(&["EMV.64.RFU_SUBID"])
        .tags(&["negative", "tag64", "rfu"]),
        validate(
            27,
            "Unreserved template 80 without a GUID",
            pay(&base().add(80, t(&[(1, s("ab"))]))),
        )
        .reject(&["EMV.UNRES.GUID_PRESENT"])
        .tags(&["negative", "unreserved"])
        .note("JPQR eL-QR uses 80 and KHQR 99 without a GUID; their profiles relax this."),
        validate(
            28,
            "Unreserved template 99 holding a timestamp where the GUID goes",
            pay(&base().add(99, t(&[(0, s("1780000000000"))]))),
        )
        .warn(&["EMV.UNRES.GUID_FORMAT"])
        .tags(&["negative", "unreserved"])
        .note("99/00 holds a timestamp here (KHQR's layout): present, but not a GUID form."),
        validate(
            29,
            "Unreserved template with a 33-character GUID",
            pay(&base().add(80, t(&[(0, s("a".repeat(33)))]))),
        )
        .reject(&["EMV.UNRES.GUID_LENGTH"])
        .tags(&["negative", "unreserved"]),
        validate(
            30,
            "Unreserved template with an account-style GUID",
            pay(&base().add(80, t(&[(0, s("demo@sandbox"))]))),
        )
        .warn(&["EMV.UNRES.GUID_FORMAT"])
        .tags(&["negative", "unreserved"]),
        validate(
            31,
            "Unreserved template written with a three-digit length",
            three_digit(
                80,
                &format!("{}{}", o(0, "com.example.x"), o(1, &"Y".repeat(90))),
            ),
        )
        .reject(&["EMV.UNRES.LENGTH"])
        .tags(&["negative", "unreserved"]),
    ];
    // Each field 62/01-08: over 25 characters, and the consumer prompt value ***.
    let names = [
        "bill number",
        "mobile number",
        "store label",
        "loyalty number",
        "reference label",
        "customer label",
        "terminal label",
        "purpose of transaction",
    ];
    for (i, name) in names.iter().enumerate() {
        let sub = i as u8 + 1;
        d.push(
            validate(
                32 + i as u16,
                &format!("62/{sub:02} ({name}) of 26 characters"),
                t62(&[(sub, s("A".repeat(26)))]),
            )
            .reject(&["EMV.62.SUB_LENGTH"])
            .tags(&["negative", "tag62", "boundary"]),
        );
        d.push(
            validate(
                40 + i as u16,
                &format!("62/{sub:02} ({name}) = *** asks the app to prompt"),
                t62(&[(sub, s("***"))]),
            )
            .info(&["EMV.62.PROMPT_VALUE"])
            .tags(&["positive", "tag62", "prompt"]),
        );
    }
    Plan::new(
        Profile::Emvco,
        "templates",
        "EMVCo MPM: templates 62 (additional data), 64 (alternate language) and 80-99 (unreserved).",
        &["EMV QRCPS MPM v1.0 §4.8, §4.9, §4.11"],
        d,
    )
}

/// Computes a CRC-16 variant with the `crc` crate (wrong algorithms real implementations use).
fn crc_with(alg: &'static ::crc::Algorithm<u16>, bytes: &[u8]) -> String {
    format!("{:04X}", ::crc::Crc::<u16>::new(alg).checksum(bytes))
}

fn crc_area() -> Plan {
    let raw = base().body();
    let valid = pay(&base());
    let flip = |p: &str, i: usize| {
        let (head, tail) = p.split_at(p.len() - 4);
        let mut c: Vec<char> = tail.chars().collect();
        let v = c[i].to_digit(16).unwrap_or(0);
        c[i] = std::char::from_digit((v + 1) % 16, 16)
            .unwrap_or('0')
            .to_ascii_uppercase();
        format!("{head}{}", c.into_iter().collect::<String>())
    };
    let annex_body = &ANNEX_B[..ANNEX_B.len() - 4];
    let utf16: Vec<u8> = annex_body
        .encode_utf16()
        .flat_map(|u| [(u >> 8) as u8, u as u8])
        .collect();
    // A payload whose correct CRC is 0000: a reader that turns non-hex into 0 accepts garbage.
    let zero = crc_with_prefix("0000");
    let zero_body = zero.body();
    let d = vec![
        validate(1, "No CRC object", raw.clone())
            .reject(&["EMV.63.PRESENT"])
            .tags(&["negative", "smoke"]),
        validate(2, "An object after the CRC", format!("{valid}5802US"))
            .reject(&["EMV.63.LAST"])
            .tags(&["negative"]),
        validate(3, "The CRC object with length 03", format!("{raw}6303ABC"))
            .reject(&["EMV.63.LENGTH"])
            .tags(&["negative"]),
        validate(
            4,
            "The CRC object with length 05",
            format!("{raw}6305ABCDE"),
        )
        .reject(&["EMV.63.LENGTH"])
        .tags(&["negative"]),
        validate(5, "A non-hex CRC (ZZZZ)", format!("{raw}6304ZZZZ"))
            .reject(&["EMV.63.HEX"])
            .tags(&["negative"]),
        validate(
            6,
            "A CRC with a leading space ( 1A3)",
            format!("{raw}6304 1A3"),
        )
        .reject(&["EMV.63.HEX"])
        .tags(&["negative"]),
        validate(7, "A CRC with a sign (+1A3)", format!("{raw}6304+1A3"))
            .reject(&["EMV.63.HEX"])
            .tags(&["negative"]),
        validate(8, "A CRC written 0x1A", format!("{raw}63040x1A"))
            .reject(&["EMV.63.HEX"])
            .tags(&["negative"]),
        validate_lower_crc(9, "A lower-case CRC: consumers accept it (SHOULD finding)")
            .warn(&["EMV.63.UPPERCASE"])
            .tags(&["negative", "smoke"]),
        validate_lower_crc(10, "A lower-case CRC from a generator breaks a MUST")
            .as_generated()
            .reject(&["EMV.63.UPPERCASE"])
            .tags(&["negative", "generator"]),
        validate(11, "The last CRC digit off by one", flip(&valid, 3))
            .reject(&["EMV.63.CRC_MISMATCH"])
            .tags(&["negative", "smoke"])
            .note("A consumer that accepts this never checks the CRC (dongri's decoder)."),
        validate(
            12,
            "Annex B with the CRC of its UTF-16 code units (C919)",
            format!("{annex_body}{}", crc_with(&::crc::CRC_16_IBM_3740, &utf16)),
        )
        .reject(&["EMV.63.CRC_MISMATCH"])
        .tags(&["negative", "annex-b"])
        .note("JavaScript charCodeAt loops hash UTF-16 units, not UTF-8 bytes."),
        validate(
            13,
            "Annex B with the CRC-16/X-25 (true ISO/IEC 13239 HDLC) value",
            format!(
                "{annex_body}{}",
                crc_with(&::crc::CRC_16_IBM_SDLC, annex_body.as_bytes())
            ),
        )
        .reject(&["EMV.63.CRC_MISMATCH"])
        .tags(&["negative", "annex-b"]),
        validate(
            14,
            "Annex B with the CRC-16/XMODEM value (initial value 0)",
            format!(
                "{annex_body}{}",
                crc_with(&::crc::CRC_16_XMODEM, annex_body.as_bytes())
            ),
        )
        .reject(&["EMV.63.CRC_MISMATCH"])
        .tags(&["negative", "annex-b"]),
        validate(
            15,
            "Annex B with the CRC-16/KERMIT value (reflected)",
            format!(
                "{annex_body}{}",
                crc_with(&::crc::CRC_16_KERMIT, annex_body.as_bytes())
            ),
        )
        .reject(&["EMV.63.CRC_MISMATCH"])
        .tags(&["negative", "annex-b"]),
        validate(
            16,
            "CRC computed without the '6304' header",
            format!(
                "{raw}6304{}",
                crc_with(&::crc::CRC_16_IBM_3740, raw.as_bytes())
            ),
        )
        .reject(&["EMV.63.CRC_MISMATCH"])
        .tags(&["negative"]),
        validate(
            17,
            "A payload whose correct CRC is 0000 is valid",
            zero.sealed(),
        )
        .tags(&["positive", "crc"]),
        validate(
            18,
            "That payload with garbage for a CRC (mercari reads non-hex as 0)",
            format!("{zero_body}6304ZZZZ"),
        )
        .reject(&["EMV.63.HEX"])
        .tags(&["negative"]),
        validate(19, "An unpadded CRC (6304F3E) from toString(16)", {
            let f = pay(&fee());
            format!("{}F3E", &f[..f.len() - 4])
        })
        .reject(&[predict(
            &{
                let f = pay(&fee());
                format!("{}F3E", &f[..f.len() - 4])
            },
            Unit::Chars,
        )
        .map_or("EMV.63.LENGTH", Predicted::rule)])
        .tags(&["negative"]),
        validate(
            20,
            "Two CRC objects, the second after a valid one",
            format!("{valid}6304{}", &valid[valid.len() - 4..]),
        )
        .reject(&["EMV.63.LAST"])
        .tags(&["negative"]),
    ];
    Plan::new(
        Profile::Emvco,
        "crc",
        "EMVCo MPM: the CRC (63): presence, position, format, case, algorithm.",
        &["EMV QRCPS MPM v1.0 §4.7.3"],
        d,
    )
}

fn parse_area() -> Plan {
    let d = vec![
        parse(
            1,
            "Annex B decodes into its objects, templates nested",
            &annex_b(),
        )
        .tags(&["smoke", "annex-b"]),
        parse(2, "The minimal synthetic payload", &base()),
        parse(3, "The fee payload (CRC 0F3E keeps its zero)", &fee()).tags(&["crc"]),
        parse(4, "Postal code, 62 and a Japanese 64", &rich()).tags(&["japanese"]),
        parse(
            5,
            "A primitive account that is not TLV-shaped stays a string",
            &base().del(26).insert(2, 2, s("NOT-TLV!")),
        )
        .tags(&["mai"]),
        parse(
            6,
            "A payment-system template nested in 62",
            &base().add(
                62,
                t(&[
                    (1, s("INV-1")),
                    (50, t(&[(0, s("com.example.loyalty")), (1, s("L-77"))])),
                ]),
            ),
        )
        .tags(&["tag62"]),
        parse(
            7,
            "Khmer alternate language",
            &base().add(64, t(&[(0, s("km")), (1, s("ហាងគុយទាវ")), (2, s("បាត់ដំបង"))])),
        )
        .tags(&["khmer"]),
        parse(
            8,
            "An emoji counts one character",
            &base().add(64, t(&[(0, s("EN")), (1, s("CAFE🍜"))])),
        )
        .tags(&["emoji"]),
        parse(
            9,
            "Unreserved template 91",
            &base().add(91, t(&[(0, s("A011223344998877")), (7, s("12345678"))])),
        )
        .tags(&["unreserved"]),
        parse(
            10,
            "Several account templates",
            &base().insert(3, 27, t(&[(0, s("D15600000001")), (1, s("ACCT0002"))])),
        )
        .tags(&["mai"]),
        parse(
            11,
            "Values that look like numbers stay text (00, 01, 0012.50)",
            &base()
                .set_s(1, "12")
                .insert(5, 54, s("0012.50"))
                .add(62, t(&[(1, s("00000000000000000001"))])),
        )
        .tags(&["amount"]),
        parse(
            12,
            "A decomposed accent is returned as written, not normalised",
            &base().add(64, t(&[(0, s("FR")), (1, s("CAFE\u{301}"))])),
        )
        .tags(&["normalisation"]),
    ];
    Plan::new(
        Profile::Emvco,
        "parse",
        "EMVCo MPM: decoding payloads into their data objects (the adapter protocol's fields).",
        &["EMV QRCPS MPM v1.0 §3.2, Table 3.6 (data objects)"],
        d,
    )
}

fn data(name: &str, city: &str) -> MerchantData {
    MerchantData {
        kind: Kind::Static,
        account: Account::Template {
            tag: 26,
            guid: "com.example.qrcert".into(),
            fields: [("01".to_owned(), "ACCT0001".to_owned())].into(),
        },
        merchant: Merchant {
            name: name.into(),
            city: city.into(),
            category_code: Some("5999".into()),
            country: Some("US".into()),
            postal_code: None,
            alternate_language: None,
        },
        transaction: Transaction {
            currency: Some("840".into()),
            ..Transaction::default()
        },
        additional: Additional::default(),
    }
}

/// The canonical EMVCo payload for merchant data (the shared builder, EMVCo's data).
pub fn canonical(m: &MerchantData) -> P {
    crate::vectors::generate::build::canonical(m, Profile::Emvco)
}

fn gen_case(num: u16, title: &str, m: MerchantData) -> Draft {
    crate::vectors::generate::canonical_case(Profile::Emvco, num, title, m)
}

fn generate_area() -> Plan {
    let base_data = data("QRCERT SYNTHETIC", "TESTVILLE");
    let dynamic = |amount: &str| {
        let mut m = base_data.clone();
        m.kind = Kind::Dynamic;
        m.transaction.amount = Some(amount.into());
        m
    };
    let with = |f: &dyn Fn(&mut MerchantData)| {
        let mut m = base_data.clone();
        f(&mut m);
        m
    };
    let d = vec![
        gen_case(
            1,
            "Static code from the minimal merchant data",
            base_data.clone(),
        )
        .tags(&["smoke", "static"])
        .note("The digest's synthetic static payload, CRC 6373."),
        gen_case(2, "Dynamic code with an amount", dynamic("10.00")).tags(&["dynamic"]),
        gen_case(
            3,
            "Dynamic code with a fixed fee (the CRC 0F3E payload's data)",
            with(&|m| {
                m.kind = Kind::Dynamic;
                m.transaction.amount = Some("10.00".into());
                m.transaction.tip = Some(Tip::Fixed {
                    value: "1.50".into(),
                });
                m.additional.reference_label = Some("SYN00102".into());
            }),
        )
        .tags(&["dynamic", "crc"]),
        gen_case(
            4,
            "Tip prompt",
            with(&|m| {
                m.kind = Kind::Dynamic;
                m.transaction.amount = Some("10.00".into());
                m.transaction.tip = Some(Tip::Prompt);
            }),
        )
        .tags(&["tip"]),
        gen_case(
            5,
            "Percentage fee",
            with(&|m| {
                m.transaction.tip = Some(Tip::Percentage {
                    value: "3.00".into(),
                });
            }),
        )
        .tags(&["tip"]),
        gen_case(
            6,
            "Every additional-data field",
            with(&|m| {
                m.additional = Additional {
                    bill_number: Some("INV-1".into()),
                    mobile_number: Some("+15550100".into()),
                    store_label: Some("S1".into()),
                    loyalty_number: Some("***".into()),
                    reference_label: Some("R1".into()),
                    customer_label: Some("C1".into()),
                    terminal_label: Some("T1".into()),
                    purpose: Some("GIFT".into()),
                    consumer_data_request: Some("ME".into()),
                };
            }),
        )
        .tags(&["tag62"]),
        gen_case(
            7,
            "Japanese alternate-language name and city",
            with(&|m| {
                m.merchant.alternate_language = Some(AlternateLanguage {
                    language: "JA".into(),
                    name: "さくらテストカフェ".into(),
                    city: Some("渋谷".into()),
                });
            }),
        )
        .tags(&["tag64", "japanese"]),
        gen_case(
            8,
            "Khmer alternate-language name",
            with(&|m| {
                m.merchant.alternate_language = Some(crate::vectors::generate::build::khmer_name_only());
            }),
        )
        .tags(&["tag64", "khmer"]),
        gen_case(
            9,
            "A primitive card-scheme account (02)",
            with(&|m| {
                m.account = Account::Primitive {
                    tag: 2,
                    value: "4000123412341234".into(),
                };
            }),
        )
        .tags(&["mai"]),
        gen_case(
            10,
            "An AID-identified account template in 29",
            with(&|m| {
                m.account = Account::Template {
                    tag: 29,
                    guid: "D15600000000".into(),
                    fields: [("05".to_owned(), "A93FO3230Q".to_owned())].into(),
                };
            }),
        )
        .tags(&["mai"]),
        gen_case(
            11,
            "Postal code",
            with(&|m| {
                m.merchant.postal_code = Some("1500002".into());
            }),
        ),
        gen_case(
            12,
            "Yen amount without decimals",
            with(&|m| {
                m.kind = Kind::Dynamic;
                m.transaction.currency = Some("392".into());
                m.transaction.amount = Some("1500".into());
                m.merchant.country = Some("JP".into());
            }),
        )
        .tags(&["amount"]),
        refuse(
            13,
            "A 26-character name cannot be encoded",
            data(&"N".repeat(26), "TESTVILLE"),
            &["EMV.59.LENGTH"],
        ),
        refuse(
            14,
            "A 16-character city cannot be encoded",
            data("SHOP", &"C".repeat(16)),
            &["EMV.60.LENGTH"],
        ),
        refuse(
            15,
            "An accented name cannot go in 59",
            data("CAFÉ TOKYO", "TOKYO"),
            &["EMV.59.CHARSET"],
        ),
        refuse(
            16,
            "An amount of zero cannot be encoded",
            dynamic("0.00"),
            &["EMV.54.NONZERO"],
        ),
        refuse(
            17,
            "A percentage fee of 100 cannot be encoded",
            with(&|m| {
                m.transaction.tip = Some(Tip::Percentage {
                    value: "100".into(),
                });
            }),
            &["EMV.57.RANGE"],
        ),
        refuse(
            18,
            "A 26-character bill number cannot be encoded",
            with(&|m| {
                m.additional.bill_number = Some("B".repeat(26));
            }),
            &["EMV.62.SUB_LENGTH"],
        ),
    ];
    Plan::new(
        Profile::Emvco,
        "generate",
        "EMVCo MPM: generating payloads from the neutral merchant-data schema (vectors/README.md).",
        &[
            "EMV QRCPS MPM v1.0 Table 3.6",
            "vectors/README.md (merchant data)",
        ],
        d,
    )
}

fn render_area() -> Plan {
    let digits = base().add(62, t(&[(1, s("12345678901234567890")), (2, s("5550100"))]));
    let upper = base()
        .set_s(59, "ABCDEFGHIJKLMNOPQRSTUVWXY")
        .set_s(60, "ABCDEFGHIJKLMNO");
    let d = vec![
        render(
            1,
            "Annex B: non-ans text needs ECI 26, all in Byte mode",
            ANNEX_B.into(),
        )
        .tags(&["smoke", "annex-b"]),
        render(2, "An all-ASCII payload in Byte mode", pay(&base())),
        render(
            3,
            "A digit-heavy payload must not be split into Numeric segments",
            pay(&digits),
        )
        .tags(&["segments"]),
        render(
            4,
            "An upper-case-heavy payload must not use Alphanumeric segments",
            pay(&upper),
        )
        .tags(&["segments"]),
        render(
            5,
            "Japanese alternate name: ECI 26, no Kanji mode",
            pay(&rich()),
        )
        .tags(&["japanese", "segments"]),
    ];
    Plan::new(
        Profile::Emvco,
        "render",
        "EMVCo MPM: rendering payloads as QR symbols (EMVCo §4.12: Byte mode, ECI 26 when needed).",
        &["EMV QRCPS MPM v1.0 §4.12"],
        d,
    )
}

fn scan_area() -> Plan {
    let d = vec![
        scan(
            1,
            "Read Annex B from a clean symbol",
            "emv-annex-b",
            ANNEX_B.into(),
        )
        .tags(&["smoke", "annex-b"]),
        scan(
            2,
            "Read the minimal synthetic payload",
            "emv-synthetic-static",
            pay(&base()),
        ),
        scan(
            3,
            "Read the CRC 0F3E payload (no zero dropped)",
            "emv-fee-crc-0f3e",
            pay(&fee()),
        )
        .tags(&["crc"]),
        scan(
            4,
            "Read Annex B rotated by 90 degrees",
            "emv-annex-b-rot90",
            ANNEX_B.into(),
        )
        .tags(&["distortion", "rotated"]),
        scan(
            5,
            "Read Annex B with a 2-module quiet zone",
            "emv-annex-b-quiet2",
            ANNEX_B.into(),
        )
        .tags(&["distortion"]),
    ];
    Plan::new(
        Profile::Emvco,
        "scan",
        "EMVCo MPM: reading payloads back from QR images (vectors/images/).",
        &["ISO/IEC 18004", "EMV QRCPS MPM v1.0 §4.12"],
        d,
    )
}

/// Every emvco plan: the curated EMVCo files and the mutation families.
pub fn all() -> Vec<Plan> {
    [plans(), families()].concat()
}

/// Every curated EMVCo file.
pub fn plans() -> Vec<Plan> {
    let curated: [fn() -> Plan; 12] = [examples, payload_area, tlv_area, charset_area, root_area, amount_area, templates_area, crc_area, parse_area, generate_area, render_area, scan_area];
    curated.iter().map(|area| area()).collect()
}

/// The EMVCo bases.
fn bases() -> Vec<Base> {
    vec![
        Base::new("Annex B", annex_b()).info(&["EMV.TLV.ORDER_NUMERIC", "EMV.62.PROMPT_VALUE"]),
        Base::new("static", base()),
        Base::new("fee", fee()),
        Base::new("rich", rich()),
    ]
}

/// The EMVCo out-of-range table.
fn ranges() -> Vec<Range> {
    vec![
        r(0, "02", &["EMV.00.VALUE"]),
        r(0, "00", &["EMV.00.VALUE"]),
        r(0, "10", &["EMV.00.VALUE"]),
        r(0, "99", &["EMV.00.VALUE"]),
        r(1, "10", &["EMV.01.VALUE"]),
        r(1, "13", &["EMV.01.VALUE"]),
        r(1, "21", &["EMV.01.VALUE"]),
        r(1, "00", &["EMV.01.VALUE"]),
        r(1, "99", &["EMV.01.VALUE"]),
        r(52, "599", &["EMV.52.FORMAT"]),
        r(52, "59999", &["EMV.52.FORMAT"]),
        w(52, "0000", &["EMV.52.ISO18245"]),
        r(53, "84", &["EMV.53.FORMAT"]),
        r(53, "8400", &["EMV.53.FORMAT"]),
        w(53, "000", &["EMV.53.ISO4217"]),
        r(54, "0", &["EMV.54.NONZERO"]),
        r(54, "0.00", &["EMV.54.NONZERO"]),
        r(54, "-1", &["EMV.54.FORMAT"]),
        r(54, "1,00", &["EMV.54.FORMAT"]),
        r(54, "1e3", &["EMV.54.FORMAT"]),
        r(54, "12345678901234", &["EMV.54.LENGTH"]),
        r(55, "00", &["EMV.55.VALUE"]).with(56, "1.00"),
        r(55, "04", &["EMV.55.VALUE"]),
        r(55, "99", &["EMV.55.VALUE"]),
        r(57, "100", &["EMV.57.RANGE"]).with(55, "03"),
        r(57, "0", &["EMV.57.RANGE"]).with(55, "03"),
        r(57, "00.00", &["EMV.57.RANGE"]).with(55, "03"),
        r(57, "100.0", &["EMV.57.RANGE"]).with(55, "03"),
        r(57, "99.999", &["EMV.57.FORMAT"]).with(55, "03"),
        r(58, "U1", &["EMV.58.FORMAT"]),
        r(58, "USA", &["EMV.58.FORMAT"]),
        w(58, "XX", &["EMV.58.ISO3166"]),
        w(58, "us", &["EMV.58.ISO3166"]),
        r(59, &"N".repeat(26), &["EMV.59.LENGTH"]),
        r(60, &"C".repeat(16), &["EMV.60.LENGTH"]),
        r(61, "12345678901", &["EMV.61.LENGTH"]),
        Range::template(62, &[(9, s("MM"))], &["EMV.62.09.VALUE"], &[]),
        Range::template(62, &[(9, s("X"))], &["EMV.62.09.VALUE"], &[]),
        Range::template(62, &[(9, s("AMEA"))], &["EMV.62.09.VALUE"], &[]),
        Range::template(
            64,
            &[(0, s("J1")), (1, s("名前"))],
            &["EMV.64.00.FORMAT"],
            &[],
        ),
        Range::template(
            64,
            &[(0, s("XX")), (1, s("Name"))],
            &[],
            &["EMV.64.00.ISO639"],
        ),
    ]
}

/// The EMVCo mutation families.
fn families() -> Vec<Plan> {
    standard(
        Profile::Emvco,
        &bases(),
        &ranges(),
        &EMVCO_RULES,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_rebuild_the_digest_payloads() {
        assert_eq!(annex_b().sealed(), ANNEX_B);
        assert!(fee().sealed().ends_with("63040F3E"), "{}", fee().sealed());
        assert_eq!(padded(512).chars().count(), 512);
        assert_eq!(padded(513).chars().count(), 513);
        assert!(crc_with_prefix("0000").sealed().ends_with("63040000"));
    }

    #[test]
    fn canonical_generation_reproduces_the_synthetic_payloads() {
        assert_eq!(
            canonical(&data("QRCERT SYNTHETIC", "TESTVILLE")).sealed(),
            base().sealed()
        );
    }
}
