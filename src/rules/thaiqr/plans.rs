//! The Thai QR vectors (`qrcert vectors generate`): the digest's samples (made by promptparse),
//! a negative for every THQR payload rule, parse, generate, render and scan cases, and the
//! shared mutation families over the samples.

use crate::Profile;
use crate::vectors::generate::golden::{self, Golden};
use crate::emv::crc;
use crate::merchant::{Account, Kind, Merchant, MerchantData, Transaction};
use crate::vectors::generate::build::{P, Unit, V, s, t};
use crate::vectors::generate::families::{self, Base, FamilyRules, Range, r, w};
use crate::vectors::generate::{Draft, Plan, parse, refuse, validate};

use super::{AID_BILL, AID_CREDIT, AID_CROSS_BORDER, AID_OTA};

const PROFILE: Profile = Profile::Thaiqr;
const REFS: &[&str] = &["THQR digest §3, §9"];

fn aid29(proxy: u8, value: &str) -> V {
    t(&[(0, s(AID_CREDIT)), (proxy, s(value))])
}

/// Static personal code to a mobile number (the digest's first sample, CRC 2195).
pub fn personal() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(29, aid29(1, "0066899999999"))
        .add_s(53, "764")
        .add_s(58, "TH")
}

/// Dynamic code to an e-wallet ID, THB 120.50, 54 after 58 as promptparse writes it (EAD7).
pub fn ewallet() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "12")
        .add(29, aid29(3, "004999000000009"))
        .add_s(53, "764")
        .add_s(58, "TH")
        .add_s(54, "120.50")
}

/// Static code to a national ID with a valid check digit (CRC 0FF0, a leading zero).
pub fn national_id() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(29, aid29(2, "1999999999999"))
        .add_s(53, "764")
        .add_s(58, "TH")
}

fn bill_template(biller: &str, ref1: &str, ref2: Option<&str>) -> V {
    let mut kids = vec![(0u8, s(AID_BILL)), (1, s(biller)), (2, s(ref1))];
    if let Some(r2) = ref2 {
        kids.push((3, s(r2)));
    }
    V::T(kids)
}

/// Dynamic bill payment with "reference 3" in 62/07 (825D).
pub fn bill() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "12")
        .add(
            30,
            bill_template("099999999999901", "INV2026001", Some("CUST0042")),
        )
        .add_s(53, "764")
        .add_s(58, "TH")
        .add_s(54, "1499.00")
        .add(62, t(&[(7, s("TILL07"))]))
}

/// The TrueMoney message `ค่ากาแฟ` as 81 hex.
pub const TRUEMONEY_MESSAGE: &str = "0E040E480E320E010E320E410E1F";

/// TrueMoney wallet code, THB 35.00, with the hex message in 81 (011C).
pub fn truemoney() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "12")
        .add(29, aid29(3, "140000899999999"))
        .add_s(53, "764")
        .add_s(58, "TH")
        .add_s(54, "35.00")
        .add_s(81, TRUEMONEY_MESSAGE)
}

/// A merchant code (K SHOP style): bank-account proxy, MCC, Latin name and city, and the Thai
/// name in 64 (which draws THQR.TEXT.NON_ASCII).
pub fn merchant() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(29, aid29(4, "0141234567890"))
        .add_s(52, "5812")
        .add_s(53, "764")
        .add_s(58, "TH")
        .add_s(59, "SIAM CURRY HOUSE")
        .add_s(60, "BANGKOK")
        .add(64, t(&[(0, s("th")), (1, s("ร้านข้าวแกง"))]))
}

fn v(num: u16, title: &str, p: &P) -> Draft {
    validate(num, title, p.sealed())
}

/// The payload of `p` with the CRC promptparse computes (the low byte of each UTF-16 unit).
fn code_unit_crc(p: &P) -> String {
    let head = format!("{}6304", p.body());
    let mut c = crc::INIT;
    for unit in head.encode_utf16() {
        c = crc::update(c, &[unit as u8]);
    }
    format!("{head}{c:04X}")
}

fn examples() -> Plan {
    let d = vec![
        v(1, "Static personal code to a mobile number (the digest's sample)", &personal())
            .tags(&["smoke", "positive", "static", "mobile"]),
        v(2, "Dynamic code to an e-wallet ID, THB 120.50", &ewallet())
            .tags(&["positive", "dynamic", "ewallet"]),
        v(3, "Static code to a national ID; the CRC starts with 0", &national_id())
            .tags(&["positive", "static", "national-id"]),
        v(4, "Dynamic bill payment with reference 3 in 62/07", &bill())
            .info(&["THQR.30.REF3", "THQR.MERCHANT.NAME_ABSENT"])
            .tags(&["positive", "bill"]),
        v(5, "TrueMoney code with its hex message in 81", &truemoney())
            .info(&["THQR.29.03.TRUEMONEY"])
            .tags(&["positive", "truemoney"]),
        v(6, "Merchant code with MCC, name, city and the Thai name in 64", &merchant())
            .warn(&["THQR.TEXT.NON_ASCII"])
            .tags(&["positive", "merchant", "thai"]),
        v(
            8,
            "Personal code with one-time authorisation (AID ...0114 and 29/05)",
            &personal().set(
                29,
                t(&[(0, s(AID_OTA)), (1, s("0066899999999")), (5, s("ABCDE12345"))]),
            ),
        )
        .tags(&["positive", "ota"]),
        v(
            9,
            "VAT TQRC (80) with branch ID, rate and amount",
            &bill().add(80, t(&[(0, s("0001")), (1, s("7.00")), (2, s("98.07"))])),
        )
        .info(&["THQR.30.REF3"])
        .tags(&["positive", "vat"]),
        v(
            10,
            "Cross-border bill payment with currency, local amount and country in 62/08",
            &bill().set(
                30,
                t(&[
                    (0, s(AID_CROSS_BORDER)),
                    (1, s("099999999999901")),
                    (2, s("INV2026001")),
                ]),
            )
            .set(62, t(&[(8, s("7640000001499.00TH"))])),
        )
        .info(&["THQR.30.CROSS_BORDER"])
        .tags(&["positive", "cross-border"]),
        validate(
            11,
            "A transfer-slip verification code is recognised, not failed as a payment code",
            "0039000600000101030140218202601010001ABCDEF5102TH9104ABCD",
        )
        .info(&["THQR.PROFILE.SLIP_VERIFY"])
        .tags(&["positive", "slip"]),
        validate(
            12,
            "A BOT bill barcode is recognised, not failed as an EMV payload",
            "|099999999999901\rINV2026001\rCUST0042\r149900",
        )
        .info(&["THQR.PROFILE.NOT_EMV"])
        .tags(&["positive", "barcode"]),
    ];
    Plan::new(
        PROFILE,
        "examples",
        "Thai QR: the digest's samples (PromptPay credit transfer, bill payment, TrueMoney) and the other valid forms.",
        REFS,
        d,
    )
}

fn account_area() -> Plan {
    let pp = personal();
    let d = vec![
        v(
            1,
            "No Thai template: a generic merchant account under 26",
            &pp.clone().set(26, t(&[(0, s("com.example.qrcert")), (1, s("ACCT0001"))])).del(29).sorted(),
        )
        .reject(&["THQR.MAI.REQUIRED"])
        .tags(&["negative"]),
        v(2, "The bill-payment AID in 29", &pp.clone().set(29, t(&[(0, s(AID_BILL)), (1, s("0066899999999"))])))
            .reject(&["THQR.MAI.AID_PLACEMENT", "THQR.29.GUID"])
            .tags(&["negative"]),
        v(3, "An unknown AID under the Thai RID in 31", &pp.clone().add(31, t(&[(0, s("A000000677019999"))])).sorted())
            .warn(&["THQR.MAI.AID_UNKNOWN"])
            .info(&["THQR.31.PAYMENT_INNOVATION"])
            .tags(&["negative"]),
        v(4, "The credit-transfer AID in lower case", &pp.clone().set(29, t(&[(0, s("a000000677010111")), (1, s("0066899999999"))])))
            .reject(&["THQR.MAI.AID_CASE", "THQR.29.GUID"])
            .tags(&["negative"]),
        v(5, "Both a credit transfer (29) and a bill payment (30)", &pp.clone().add(30, bill_template("099999999999901", "INV2026001", None)).sorted())
            .warn(&["THQR.MAI.29_AND_30"])
            .info(&["THQR.MERCHANT.NAME_ABSENT"])
            .tags(&["negative"]),
        v(6, "A card-scheme account (02) beside the Thai template", &pp.clone().add(2, s("4111111111111111")).sorted())
            .info(&["THQR.MAI.CARD_SCHEME"])
            .tags(&["positive"]),
        v(7, "29/00 is the payment-innovation AID", &pp.clone().set(29, t(&[(0, s("A000000677010113")), (1, s("0066899999999"))])))
            .reject(&["THQR.29.GUID"])
            .tags(&["negative"]),
        v(8, "29 names no proxy", &pp.clone().set(29, t(&[(0, s(AID_CREDIT))])))
            .reject(&["THQR.29.PROXY_REQUIRED"])
            .tags(&["negative"]),
        v(9, "29 names a mobile and a national ID", &pp.clone().set(29, t(&[(0, s(AID_CREDIT)), (1, s("0066899999999")), (2, s("1999999999999"))])))
            .reject(&["THQR.29.PROXY_SINGLE"])
            .tags(&["negative"]),
        v(10, "A mobile proxy of 12 digits", &pp.clone().set(29, aid29(1, "006689999999")))
            .reject(&["THQR.29.01.FORMAT"])
            .tags(&["negative"]),
        v(11, "A mobile proxy written as promptparse writes 081-234-5678", &pp.clone().set(29, aid29(1, "6681-234-5678")))
            .reject(&["THQR.29.01.FORMAT"])
            .tags(&["negative"]),
        v(12, "A national ID of 12 digits", &national_id().set(29, aid29(2, "199999999999")))
            .reject(&["THQR.29.02.FORMAT"])
            .tags(&["negative"]),
        v(13, "A national ID failing the check digit", &national_id().set(29, aid29(2, "1999999999998")))
            .warn(&["THQR.29.02.CHECK_DIGIT"])
            .tags(&["negative"]),
        v(14, "An e-wallet ID of 14 digits", &ewallet().set(29, aid29(3, "00499900000000")))
            .reject(&["THQR.29.03.FORMAT"])
            .tags(&["negative"]),
        v(15, "A bank-account proxy without the bank code", &pp.clone().set(29, aid29(4, "01")))
            .reject(&["THQR.29.04.FORMAT"])
            .tags(&["negative"]),
        v(16, "The OTA AID without its one-time code", &pp.clone().set(29, t(&[(0, s(AID_OTA)), (1, s("0066899999999"))])))
            .reject(&["THQR.29.05.OTA_REQUIRED"])
            .tags(&["negative"]),
        v(17, "A one-time code with the plain credit-transfer AID", &pp.clone().set(29, t(&[(0, s(AID_CREDIT)), (1, s("0066899999999")), (5, s("ABCDE12345"))])))
            .warn(&["THQR.29.05.WITHOUT_OTA_AID"])
            .tags(&["negative"]),
        v(18, "A 29 sub-tag outside 00-05", &pp.clone().set(29, t(&[(0, s(AID_CREDIT)), (1, s("0066899999999")), (6, s("X"))])))
            .info(&["THQR.29.UNKNOWN_SUBTAG"])
            .tags(&["positive"]),
        v(19, "30/00 is the credit-transfer AID", &bill().set(30, t(&[(0, s(AID_CREDIT)), (1, s("099999999999901")), (2, s("INV2026001"))])))
            .reject(&["THQR.30.GUID", "THQR.MAI.AID_PLACEMENT"])
            .tags(&["negative"]),
        v(20, "A bill payment without the biller ID", &bill().set(30, t(&[(0, s(AID_BILL)), (2, s("INV2026001"))])))
            .reject(&["THQR.30.01.REQUIRED"])
            .tags(&["negative"]),
        v(21, "A 13-digit biller ID (the tax ID without its suffix)", &bill().set(30, bill_template("0999999999999", "INV2026001", None)))
            .reject(&["THQR.30.01.FORMAT"])
            .tags(&["negative"]),
        v(22, "A bill payment without reference 1", &bill().set(30, t(&[(0, s(AID_BILL)), (1, s("099999999999901"))])))
            .reject(&["THQR.30.02.REQUIRED"])
            .tags(&["negative"]),
        v(23, "Reference 1 of 21 characters", &bill().set(30, bill_template("099999999999901", &"R".repeat(21), None)))
            .reject(&["THQR.30.02.LENGTH"])
            .tags(&["negative"]),
        v(24, "Reference 2 of 21 characters", &bill().set(30, bill_template("099999999999901", "INV2026001", Some(&"R".repeat(21)))))
            .reject(&["THQR.30.03.LENGTH"])
            .tags(&["negative"]),
        v(25, "A lower-case reference with a hyphen", &bill().set(30, bill_template("099999999999901", "inv-2026", None)))
            .warn(&["THQR.30.REF_CHARSET"])
            .tags(&["negative"]),
        v(26, "A cross-border bill payment without the 62/08 triple", &bill().set(30, t(&[(0, s(AID_CROSS_BORDER)), (1, s("099999999999901")), (2, s("INV2026001"))])))
            .warn(&["THQR.30.CROSS_BORDER_62_08"])
            .info(&["THQR.30.CROSS_BORDER"])
            .tags(&["negative", "cross-border"]),
        v(27, "A payment-innovation template (31) beside a bill payment", &bill().add(31, t(&[(0, s("A000000677012004")), (1, s("004")), (2, s("ACQREF01"))])).sorted())
            .info(&["THQR.31.PAYMENT_INNOVATION"])
            .tags(&["positive"]),
    ];
    Plan::new(
        PROFILE,
        "account",
        "Thai QR: the merchant-account templates 29 (credit transfer), 30 (bill payment) and 31, their AIDs and proxies.",
        REFS,
        d,
    )
}

fn root_area() -> Plan {
    let pp = personal();
    let d = vec![
        v(1, "01 is 21 (a BLE method, not a QR symbol)", &pp.clone().set_s(1, "21"))
            .reject(&["EMV.01.VALUE"])
            .info(&["THQR.01.NON_QR_METHOD"])
            .tags(&["negative"]),
        v(2, "A dynamic code without an amount", &pp.clone().set_s(1, "12"))
            .warn(&["THQR.01.DYNAMIC_WITHOUT_AMOUNT"])
            .tags(&["negative"]),
        v(3, "A static code with an amount", &pp.clone().add_s(54, "100.00"))
            .info(&["THQR.01.STATIC_WITH_AMOUNT"])
            .tags(&["positive"]),
        v(4, "No currency (53)", &pp.clone().del(53))
            .reject(&["THQR.53.REQUIRED"])
            .tags(&["negative"]),
        v(5, "Currency 840 (USD)", &pp.clone().set_s(53, "840"))
            .reject(&["THQR.53.VALUE"])
            .tags(&["negative"]),
        v(6, "No country (58)", &pp.clone().del(58))
            .reject(&["THQR.58.REQUIRED"])
            .tags(&["negative"]),
        v(7, "Country US", &pp.clone().set_s(58, "US"))
            .reject(&["THQR.58.VALUE"])
            .tags(&["negative"]),
        v(8, "Amount -5", &ewallet().set_s(54, "-5"))
            .reject(&["THQR.54.FORMAT"])
            .tags(&["negative"]),
        v(9, "Amount 1,000.00 (promptparse reads 1)", &ewallet().set_s(54, "1,000.00"))
            .reject(&["THQR.54.FORMAT"])
            .tags(&["negative"]),
        v(10, "Amount 1e+21", &ewallet().set_s(54, "1e+21"))
            .reject(&["THQR.54.FORMAT"])
            .tags(&["negative"]),
        v(11, "Amount 0.00", &ewallet().set_s(54, "0.00"))
            .reject(&["THQR.54.ZERO"])
            .tags(&["negative"]),
        v(12, "Amount 120.5 (one decimal)", &ewallet().set_s(54, "120.5"))
            .warn(&["THQR.54.DECIMALS", "EMV.54.DECIMALS"])
            .tags(&["negative"]),
        v(13, "Amount 100 (no decimals)", &ewallet().set_s(54, "100"))
            .info(&["THQR.54.NON_CANONICAL"])
            .tags(&["positive"]),
    ];
    Plan::new(
        PROFILE,
        "root",
        "Thai QR: point of initiation, currency 764, country TH and the THB amount.",
        REFS,
        d,
    )
}

fn text_area() -> Plan {
    let vat = |k: &[(u8, V)]| bill().add(80, V::T(k.to_vec()));
    let d = vec![
        v(1, "The Thai name in 64", &personal().add(64, t(&[(0, s("th")), (1, s("ค่ากาแฟ"))])))
            .warn(&["THQR.TEXT.NON_ASCII"])
            .tags(&["negative", "thai"]),
        v(2, "A VAT TQRC whose branch ID has 5 characters", &vat(&[(0, s("00001")), (1, s("7.00")), (2, s("98.07"))]))
            .reject(&["THQR.80.00.LENGTH"])
            .tags(&["negative", "vat"]),
        v(3, "A VAT rate without decimals", &vat(&[(0, s("0001")), (1, s("7")), (2, s("98.07"))]))
            .warn(&["THQR.80.01.FORMAT"])
            .tags(&["negative", "vat"]),
        v(4, "A VAT TQRC without the VAT amount", &vat(&[(0, s("0001")), (1, s("7.00"))]))
            .reject(&["THQR.80.02.REQUIRED"])
            .tags(&["negative", "vat"]),
        v(5, "A TrueMoney message in lower-case hex", &truemoney().set_s(81, &TRUEMONEY_MESSAGE.to_ascii_lowercase()))
            .reject(&["THQR.81.FORMAT"])
            .tags(&["negative", "truemoney"]),
        v(6, "81 in a code that is not TrueMoney", &ewallet().add_s(81, "00480069"))
            .reject(&["EMV.TLV.TEMPLATE_SYNTAX"])
            .warn(&["THQR.81.NON_TRUEMONEY"])
            .tags(&["negative", "truemoney"]),
    ];
    Plan::new(
        PROFILE,
        "text",
        "Thai QR: non-ASCII text, the VAT TQRC (80) and the TrueMoney message (81).",
        REFS,
        d,
    )
}

fn crc_area() -> Plan {
    let body = national_id().body();
    let sealed = ewallet().sealed();
    let extra = crc::seal(&format!("{sealed}6304"));
    let d = vec![
        validate(1, "A wrong CRC", personal().with_crc("2196"))
            .reject(&["THQR.CRC.MISMATCH"])
            .tags(&["negative", "crc"]),
        validate(2, "A lower-case CRC", format!("{}{}", &sealed[..sealed.len() - 4], sealed[sealed.len() - 4..].to_ascii_lowercase()))
            .warn(&["EMV.63.UPPERCASE", "THQR.CRC.LOWERCASE"])
            .tags(&["negative", "crc"]),
        validate(3, "The CRC 0FF0 written as 6303FF0", format!("{body}6303FF0"))
            .reject(&["THQR.CRC.UNPADDED"])
            .tags(&["negative", "crc"]),
        validate(4, "The CRC 0FF0 written as 6304FF0", format!("{body}6304FF0"))
            .reject(&["THQR.CRC.UNPADDED"])
            .tags(&["negative", "crc"]),
        validate(5, "A second 6304 and CRC after a valid one", extra)
            .reject(&["THQR.CRC.EXTRA_OBJECT"])
            .tags(&["negative", "crc"]),
        validate(6, "A Thai name with promptparse's CRC over UTF-16 code units", code_unit_crc(&merchant()))
            .reject(&["THQR.CRC.MISMATCH", "THQR.CRC.CODE_UNITS"])
            .warn(&["THQR.TEXT.NON_ASCII"])
            .tags(&["negative", "crc", "thai"]),
    ];
    Plan::new(
        PROFILE,
        "crc",
        "Thai QR: CRC defects of Thai generators (unpadded, lower case, code units, a second CRC).",
        REFS,
        d,
    )
}

fn tlv_area() -> Plan {
    let sealed = personal().sealed();
    let d = vec![
        validate(1, "The payload cut one character short", sealed[..sealed.len() - 1].to_owned())
            .reject(&["THQR.TLV.LENGTH_MISMATCH"])
            .tags(&["negative"]),
        validate(2, "58's length written ' 2'", crc::seal(&personal().body().replace("5802TH", "58 2TH")))
            .reject(&["THQR.TLV.LENGTH_FORMAT"])
            .tags(&["negative"]),
        v(3, "58 twice", &personal().add_s(58, "TH"))
            .reject(&["THQR.TLV.DUPLICATE_TAG"])
            .tags(&["negative"]),
        validate(4, "A zero-length 61", crc::seal(&format!("{}6100", personal().body())))
            .reject(&["THQR.TLV.ZERO_LENGTH"])
            .tags(&["negative"]),
    ];
    Plan::new(
        PROFILE,
        "tlv",
        "Thai QR: TLV structure as promptparse's readers see it.",
        REFS,
        d,
    )
}

fn parse_area() -> Plan {
    let d = vec![
        parse(1, "The static personal code", &personal()),
        parse(2, "The bill payment: references and reference 3", &bill()),
        parse(3, "A merchant code with the Thai name in 64", &merchant()).tags(&["thai"]),
    ];
    Plan::new(
        PROFILE,
        "parse",
        "Thai QR: decoding codes into their data objects.",
        REFS,
        d,
    )
}

fn tdata(account: Account, kind: Kind, amount: Option<&str>) -> MerchantData {
    MerchantData {
        kind,
        account,
        merchant: Merchant::default(),
        transaction: Transaction {
            amount: amount.map(Into::into),
            ..Transaction::default()
        },
        additional: Default::default(),
    }
}

fn promptpay(key: &str, value: &str) -> Account {
    Account::scheme("promptpay", &[(key, value)])
}

fn gen_case(num: u16, title: &str, m: MerchantData) -> Draft {
    crate::vectors::generate::canonical_case(PROFILE, num, title, m)
}

fn generate_area() -> Plan {
    let bill_account = Account::scheme(
        "promptpay-bill",
        &[
            ("biller_id", "099999999999901"),
            ("reference1", "INV2026001"),
            ("reference2", "CUST0042"),
        ],
    );
    let mut bill_data = tdata(bill_account.clone(), Kind::Dynamic, Some("1499.00"));
    bill_data.additional.terminal_label = Some("TILL07".into());
    let mut shop = tdata(promptpay("bank_account", "0141234567890"), Kind::Static, None);
    shop.merchant = Merchant {
        name: "SIAM CURRY HOUSE".into(),
        city: "BANGKOK".into(),
        category_code: Some("5812".into()),
        ..Merchant::default()
    };
    let d = vec![
        gen_case(1, "A static personal code to a mobile number", tdata(promptpay("mobile", "0899999999"), Kind::Static, None))
            .tags(&["smoke", "mobile"]),
        gen_case(2, "A mobile number written with hyphens is normalised, not copied (THQR.GEN.MOBILE_NORMALISATION)", tdata(promptpay("mobile", "081-234-5678"), Kind::Static, None))
            .tags(&["mobile"])
            .note("promptparse writes 6681-234-5678 here; the code must carry 0066812345678."),
        gen_case(3, "An international mobile number (+66) is normalised", tdata(promptpay("mobile", "+66812345678"), Kind::Static, None))
            .tags(&["mobile"]),
        gen_case(4, "A static code to a national ID", tdata(promptpay("national_id", "1999999999999"), Kind::Static, None))
            .tags(&["national-id"]),
        gen_case(5, "A dynamic code to an e-wallet ID, THB 120.50", tdata(promptpay("ewallet_id", "004999000000009"), Kind::Dynamic, Some("120.50")))
            .tags(&["ewallet", "dynamic"]),
        gen_case(6, "A dynamic bill payment with reference 3 in 62/07", bill_data)
            .tags(&["bill", "dynamic"]),
        gen_case(7, "A one-time authorisation code selects AID ...0114", tdata(Account::scheme("promptpay", &[("mobile", "0899999999"), ("ota", "ABCDE12345")]), Kind::Static, None))
            .tags(&["ota"]),
        gen_case(8, "A merchant code with MCC, name and city", shop)
            .tags(&["merchant"]),
        refuse(9, "An amount of -5 cannot be encoded (THQR.GEN.AMOUNT_UNCHECKED)", tdata(promptpay("mobile", "0899999999"), Kind::Dynamic, Some("-5.00")), &["THQR.54.FORMAT"])
            .note("promptparse writes 54 = '-5.00'."),
        refuse(10, "An amount of zero cannot be encoded", tdata(promptpay("mobile", "0899999999"), Kind::Dynamic, Some("0.00")), &["THQR.54.ZERO"]),
        refuse(11, "A national ID of 12 digits cannot be encoded", tdata(promptpay("national_id", "199999999999"), Kind::Static, None), &["THQR.29.02.FORMAT"]),
        refuse(12, "A reference 1 of 21 characters cannot be encoded", tdata(Account::scheme("promptpay-bill", &[("biller_id", "099999999999901"), ("reference1", &"R".repeat(21))]), Kind::Static, None), &["THQR.30.02.LENGTH"]),
    ];
    Plan::new(
        PROFILE,
        "generate",
        "Thai QR: merchant data (promptpay and promptpay-bill accounts) to PromptPay codes.",
        REFS,
        d,
    )
}

/// The golden codes: the render and scan files.
fn golden() -> [Plan; 2] {
    let codes = [
        Golden {
            image: "thaiqr-merchant",
            payload: merchant().sealed(),
            render: ("The merchant code: Thai text in 64 needs ECI 26 and Byte mode", &["thai"]),
            scan: ("Read the merchant code with the Thai name", &["smoke", "thai"]),
        },
        Golden {
            image: "thaiqr-personal",
            payload: personal().sealed(),
            render: ("The static personal code", &[]),
            scan: ("Read the static personal code", &[]),
        },
    ];
    golden::plans(PROFILE, "Thai QR", "THQR digest §1", &codes)
}

fn bases() -> Vec<Base> {
    vec![
        Base::new("Thai personal", personal()),
        Base::new("Thai e-wallet", ewallet()),
        Base::new("Thai merchant", merchant()).warnings(&["THQR.TEXT.NON_ASCII"]),
    ]
}

fn ranges() -> Vec<Range> {
    vec![
        r(0, "02", &["EMV.00.VALUE"]),
        r(1, "13", &["EMV.01.VALUE"]),
        r(53, "840", &["THQR.53.VALUE"]),
        r(53, "116", &["THQR.53.VALUE"]),
        r(58, "US", &["THQR.58.VALUE"]),
        r(58, "KH", &["THQR.58.VALUE"]),
        r(54, "-5", &["THQR.54.FORMAT"]),
        r(54, "1,000.00", &["THQR.54.FORMAT"]),
        r(54, "0", &["THQR.54.ZERO"]),
        w(54, "120.5", &["THQR.54.DECIMALS", "EMV.54.DECIMALS"]),
        w(54, "120.505", &["THQR.54.DECIMALS", "EMV.54.DECIMALS"]),
        Range::template(29, &[(0, s(AID_CREDIT)), (1, s("0812345678"))], &["THQR.29.01.FORMAT"], &[]),
        Range::template(29, &[(0, s(AID_CREDIT))], &["THQR.29.PROXY_REQUIRED"], &[]),
        Range::template(29, &[(0, s(AID_BILL)), (1, s("0066899999999"))], &["THQR.29.GUID"], &[]),
    ]
}

/// A JPQR wallet meets Thai codes (`--profile interop`): an account template it does not know,
/// THB with two decimals, no 59 on personal codes, the Thai name in 64.
fn crossborder() -> Plan {
    let x = |num, title: &str, p: &P| validate(num, title, p.sealed()).tags(&["foreign-code", "thqr-in-jpqr"]);
    let lower = {
        let p = ewallet().sealed();
        let (a, b) = p.split_at(p.len() - 4);
        format!("{a}{}", b.to_ascii_lowercase())
    };
    let d = vec![
        x(1, "A JPQR wallet reads a Thai merchant code (a template it does not know, the Thai name in 64)", &merchant())
            .warn(&["THQR.TEXT.NON_ASCII"])
            .info(&["THQR.PROFILE.DETECT"])
            .tags(&["positive", "smoke"]),
        x(2, "A JPQR wallet reads a personal PromptPay code: no 59 to show, no 64", &personal())
            .warn(&["INTEROP.59.PRESENT", "INTEROP.64.LOCAL_NAME"])
            .tags(&["negative"]),
        x(3, "A JPQR wallet reads a dynamic THB 120.50 code", &ewallet())
            .warn(&["INTEROP.59.PRESENT", "INTEROP.64.LOCAL_NAME"])
            .tags(&["negative"]),
        x(4, "THB 120.5: one decimal is not THB's minor unit", &ewallet().set_s(54, "120.5"))
            .reject(&["INTEROP.54.EXPONENT"])
            .warn(&["INTEROP.59.PRESENT", "INTEROP.64.LOCAL_NAME", "THQR.54.DECIMALS", "EMV.54.DECIMALS"])
            .tags(&["negative"]),
        x(5, "A Thai merchant code in US dollars", &merchant().set_s(53, "840"))
            .reject(&["THQR.53.VALUE"])
            .warn(&["THQR.TEXT.NON_ASCII"])
            .info(&["INTEROP.53_58.PAIR"])
            .tags(&["negative"]),
        validate(6, "A lower-case CRC on a Thai code", lower)
            .reject(&["INTEROP.63.UPPERCASE"])
            .warn(&["INTEROP.59.PRESENT", "INTEROP.64.LOCAL_NAME", "EMV.63.UPPERCASE", "THQR.CRC.LOWERCASE"])
            .tags(&["negative", "foreign-code", "thqr-in-jpqr"]),
        x(7, "The Thai name in 59 instead of 64", &merchant().set_s(59, "ร้านข้าวแกง"))
            .reject(&["INTEROP.59.LATIN", "EMV.59.CHARSET"])
            .warn(&["THQR.TEXT.NON_ASCII"])
            .tags(&["negative"]),
    ];
    Plan::new(
        Profile::Interop,
        "thaiqr",
        "INTEROP: JPQR wallets reading Thai QR codes.",
        &["THQR digest §8"],
        d,
    )
}

fn crossborder_parse() -> Plan {
    Plan::new(
        Profile::Interop,
        "thaiqr-parse",
        "INTEROP: decoding Thai QR codes in a JPQR wallet.",
        &["THQR digest §8"],
        vec![parse(1, "A JPQR wallet decodes a Thai merchant code", &merchant()).tags(&["foreign-code", "thqr-in-jpqr"]), parse(2, "A JPQR wallet decodes a Thai bill payment", &bill()).tags(&["foreign-code", "thqr-in-jpqr"])],
    )
}

/// The shared mutation families over the Thai samples.
fn families() -> Vec<Plan> {
    families::standard(
        PROFILE,
        &bases(),
        &ranges(),
        &FamilyRules {
            mismatch: "THQR.CRC.MISMATCH",
            lower: &["EMV.63.UPPERCASE", "THQR.CRC.LOWERCASE"],
            dup_id: "THQR.TLV.DUPLICATE_TAG",
            dup_sub: "THQR.TLV.DUPLICATE_TAG",
            ..families::EMVCO_RULES
        },
    )
}

/// Every THQR plan.
pub fn all() -> Vec<Plan> {
    let curated: [fn() -> Plan; 8] = [examples, account_area, root_area, text_area, crc_area, tlv_area, parse_area, generate_area];
    let curated = curated.iter().map(|area| area());
    curated.chain(golden()).chain([crossborder()]).chain([crossborder_parse()]).chain(families()).collect()
}
