//! The VietQR vectors (`qrcert vectors generate`): the digest's samples (made by
//! vietnam-qr-pay), a negative for every VNQR payload rule, parse, generate, render and scan
//! cases, and the shared mutation families over the samples.

use crate::Profile;
use crate::vectors::generate::golden::{self, Golden};
use crate::emv::crc;
use crate::merchant::{Account, Kind, Merchant, MerchantData, Transaction};
use crate::vectors::generate::build::{P, Unit, V, s, t};
use crate::vectors::generate::families::{self, Base, FamilyRules, Range, r};
use crate::vectors::generate::{Draft, Plan, parse, refuse, validate};

use super::GUID;

const PROFILE: Profile = Profile::Vietqr;
const REFS: &[&str] = &["VNQR digest §3, §9"];

fn napas(bin: &str, account: &str, service: Option<&str>) -> V {
    let mut kids = vec![
        (0u8, s(GUID)),
        (1, t(&[(0, s(bin)), (1, s(account))])),
    ];
    if let Some(sv) = service {
        kids.push((2, s(sv)));
    }
    V::T(kids)
}

fn base(kind: &str, template: V) -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, kind)
        .add(38, template)
        .add_s(53, "704")
        .add_s(58, "VN")
}

/// Static account transfer (CRC 0437, a leading zero).
pub fn transfer() -> P {
    base("11", napas("970436", "00112233112", Some("QRIBFTTA")))
}

/// Dynamic account transfer, VND 150000, with a purpose.
pub fn dynamic() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "12")
        .add(38, napas("970418", "21510001234567", Some("QRIBFTTA")))
        .add_s(53, "704")
        .add_s(54, "150000")
        .add_s(58, "VN")
        .add(62, t(&[(8, s("THANH TOAN DON 42"))]))
}

/// Static card transfer (QRIBFTTC).
pub fn card() -> P {
    base("11", napas("970415", "9704150000000018", Some("QRIBFTTC")))
}

/// Dynamic transfer whose purpose is Vietnamese (NFC): VNQR.62.08.NON_ASCII.
pub fn purpose_vi() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "12")
        .add(38, napas("970422", "0123456789", Some("QRIBFTTA")))
        .add_s(53, "704")
        .add_s(54, "45000")
        .add_s(58, "VN")
        .add(62, t(&[(8, s("Cà phê sữa đá"))]))
}

/// Static merchant payment (QRPUSH) with MCC, name and city.
pub fn merchant() -> P {
    P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(38, napas("970407", "MC0000012345", Some("QRPUSH")))
        .add_s(52, "5812")
        .add_s(53, "704")
        .add_s(58, "VN")
        .add_s(59, "PHO DEMO")
        .add_s(60, "HA NOI")
}

fn v(num: u16, title: &str, p: &P) -> Draft {
    validate(num, title, p.sealed())
}

fn with_purpose(p: P, purpose: &str) -> P {
    p.set(62, t(&[(8, s(purpose))]))
}

fn examples() -> Plan {
    let vnpay = P::new(Unit::Chars)
        .add_s(0, "01")
        .add_s(1, "11")
        .add(26, t(&[(0, s("A000000775")), (1, s("MERCH01"))]))
        .add_s(52, "5812")
        .add_s(53, "704")
        .add_s(58, "VN")
        .add_s(59, "PHO DEMO")
        .add_s(60, "HA NOI");
    let cash = merchant()
        .set_s(1, "12")
        .set(38, napas("970407", "ATM0001", Some("QRCASH")))
        .add_s(54, "500000")
        .add(62, t(&[(5, s("WD20260001")), (7, s("ATM0001"))]))
        .sorted();
    let d = vec![
        v(1, "Static account transfer (the digest's sample; CRC 0437)", &transfer())
            .tags(&["smoke", "positive", "static", "transfer"]),
        v(2, "Dynamic account transfer, VND 150000, with a purpose", &dynamic())
            .tags(&["positive", "dynamic", "transfer"]),
        v(3, "Static card transfer (QRIBFTTC)", &card()).tags(&["positive", "card"]),
        v(4, "A Vietnamese purpose in 62/08 (NFC)", &purpose_vi())
            .warn(&["VNQR.62.08.NON_ASCII", "EMV.62.SUB_CHARSET"])
            .tags(&["positive", "vietnamese"]),
        v(5, "Static merchant payment (QRPUSH) with MCC, name and city", &merchant())
            .tags(&["positive", "merchant"]),
        v(6, "A dynamic ATM withdrawal (QRCASH) with reference and terminal", &cash)
            .tags(&["positive", "cash"]),
        v(7, "A VNPAY-QR code is recognised; the EMVCo rules judge it", &vnpay)
            .info(&["VNQR.PROFILE.VNPAY"])
            .tags(&["positive", "vnpay"]),
        v(8, "An amount with a superfluous leading zero (0150000) is read, and noted", &dynamic().set_s(54, "0150000"))
            .info(&["VNQR.54.LEADING_ZERO"])
            .tags(&["positive", "amount"]),
    ];
    Plan::new(
        PROFILE,
        "examples",
        "VietQR: the digest's samples (transfers to an account and a card, a Vietnamese purpose, a merchant payment) and the other valid forms.",
        REFS,
        d,
    )
}

fn account_area() -> Plan {
    let tr = transfer();
    let inner = |bin: &str, acct: &str| napas(bin, acct, Some("QRIBFTTA"));
    let d = vec![
        v(1, "No NAPAS template: a generic merchant account under 26", &tr.clone().del(38).add(26, t(&[(0, s("com.example.qrcert")), (1, s("ACCT0001"))])).sorted())
            .reject(&["VNQR.MAI.REQUIRED"])
            .tags(&["negative"]),
        v(2, "The NAPAS template in 26 instead of 38", &tr.clone().del(38).add(26, inner("970436", "00112233112")).sorted())
            .warn(&["VNQR.MAI.TAG_38"])
            .tags(&["negative"]),
        v(3, "The NAPAS GUID in lower case", &tr.clone().set(38, t(&[(0, s("a000000727")), (1, t(&[(0, s("970436")), (1, s("00112233112"))])), (2, s("QRIBFTTA"))])))
            .reject(&["VNQR.38.GUID"])
            .tags(&["negative"]),
        v(4, "38 without the beneficiary (38/01)", &tr.clone().set(38, t(&[(0, s(GUID)), (2, s("QRIBFTTA"))])))
            .reject(&["VNQR.38.01.REQUIRED"])
            .tags(&["negative"]),
        v(5, "A flat 38/01 (BIN and account run together)", &tr.clone().set(38, t(&[(0, s(GUID)), (1, s("97043600112233112")), (2, s("QRIBFTTA"))])))
            .reject(&["VNQR.38.01.TEMPLATE"])
            .tags(&["negative"]),
        v(6, "A 5-digit BIN", &tr.clone().set(38, inner("97043", "00112233112")))
            .reject(&["VNQR.38.01.00.FORMAT"])
            .tags(&["negative"]),
        v(7, "A BIN not in the bank table", &tr.clone().set(38, inner("970499", "00112233112")))
            .warn(&["VNQR.38.01.00.KNOWN"])
            .tags(&["negative"]),
        v(8, "38/01 without the account", &tr.clone().set(38, t(&[(0, s(GUID)), (1, t(&[(0, s("970436"))])), (2, s("QRIBFTTA"))])))
            .reject(&["VNQR.38.01.01.REQUIRED"])
            .tags(&["negative"]),
        v(9, "An account of 20 characters", &tr.clone().set(38, inner("970436", "00112233112233445566")))
            .reject(&["VNQR.38.01.01.LENGTH"])
            .tags(&["negative"]),
        v(10, "An account with a hyphen", &tr.clone().set(38, inner("970436", "0011-2233")))
            .warn(&["VNQR.38.01.01.CHARSET"])
            .tags(&["negative"]),
        v(11, "A service code of 11 characters", &merchant().set(38, napas("970407", "MC0000012345", Some("QRADVERTISE"))))
            .reject(&["VNQR.38.02.LENGTH"])
            .warn(&["VNQR.38.02.KNOWN"])
            .tags(&["negative"]),
        v(12, "An unknown service code on a merchant code", &merchant().set(38, napas("970407", "MC0000012345", Some("QRTEST"))))
            .warn(&["VNQR.38.02.KNOWN"])
            .tags(&["negative"]),
        v(13, "A merchant code without a service code", &merchant().set(38, napas("970407", "MC0000012345", None)))
            .warn(&["VNQR.38.02.ABSENT"])
            .tags(&["negative"]),
        v(14, "A 38 sub-tag outside 00-02", &tr.clone().set(38, t(&[(0, s(GUID)), (1, t(&[(0, s("970436")), (1, s("00112233112"))])), (2, s("QRIBFTTA")), (3, s("X"))])))
            .info(&["VNQR.38.UNKNOWN_SUBTAG"])
            .tags(&["positive"]),
        v(15, "38/01's account length one short: the account would be read truncated", &tr.clone().set(38, t(&[(0, s(GUID)), (1, s("0006970436011000112233112")), (2, s("QRIBFTTA"))])))
            .reject(&["VNQR.38.SUB_LENGTH"])
            .tags(&["negative"]),
        v(16, "A card transfer to an 11-digit account number", &card().set(38, napas("970415", "00112233112", Some("QRIBFTTC"))))
            .warn(&["VNQR.IBFTTC.CARD_FORMAT"])
            .tags(&["negative"]),
        v(17, "A merchant payment (QRPUSH) without 52, 59 and 60", &tr.clone().set(38, napas("970436", "00112233112", Some("QRPUSH"))))
            .reject(&["VNQR.QRPUSH.MERCHANT_FIELDS", "EMV.52.PRESENT", "EMV.59.PRESENT", "EMV.60.PRESENT"])
            .tags(&["negative"]),
        v(18, "A static ATM withdrawal without reference and terminal", &merchant().set(38, napas("970407", "ATM0001", Some("QRCASH"))))
            .warn(&["VNQR.QRCASH.DYNAMIC", "VNQR.QRCASH.REFERENCES"])
            .tags(&["negative", "cash"]),
    ];
    Plan::new(
        PROFILE,
        "account",
        "VietQR: the NAPAS template 38, its nested 38/01 (BIN, account) and the service code 38/02.",
        REFS,
        d,
    )
}

fn root_area() -> Plan {
    let tr = transfer();
    let dy = dynamic();
    let d = vec![
        v(1, "No point of initiation (01)", &tr.clone().del(1)).warn(&["VNQR.01.PRESENT"]).tags(&["negative"]),
        v(2, "A dynamic code without an amount", &tr.clone().set_s(1, "12")).warn(&["VNQR.01.DYNAMIC_WITHOUT_AMOUNT"]).tags(&["negative"]),
        v(3, "A static code with an amount", &tr.clone().set_s(54, "50000").sorted()).info(&["VNQR.01.STATIC_WITH_AMOUNT"]).tags(&["positive"]),
        v(4, "No currency (53)", &tr.clone().del(53)).reject(&["VNQR.53.REQUIRED"]).tags(&["negative"]),
        v(5, "Currency 840", &tr.clone().set_s(53, "840")).reject(&["VNQR.53.VALUE"]).tags(&["negative"]),
        v(6, "No country (58)", &tr.clone().del(58)).reject(&["VNQR.58.REQUIRED"]).tags(&["negative"]),
        v(7, "Country TH", &tr.clone().set_s(58, "TH")).reject(&["VNQR.58.VALUE"]).tags(&["negative"]),
        v(8, "Amount 1000.50: VND has no minor unit", &dy.clone().set_s(54, "1000.50")).reject(&["VNQR.54.DIGITS"]).tags(&["negative"]),
        v(9, "Amount 50.000: fifty thousand to a Vietnamese reader, fifty to others", &dy.clone().set_s(54, "50.000")).reject(&["VNQR.54.DIGITS"]).tags(&["negative"]),
        v(10, "Amount 50,000", &dy.clone().set_s(54, "50,000")).reject(&["VNQR.54.DIGITS"]).tags(&["negative"]),
        v(11, "Amount abc", &dy.clone().set_s(54, "abc")).reject(&["VNQR.54.FORMAT"]).tags(&["negative"]),
        v(12, "Amount -5000", &dy.clone().set_s(54, "-5000")).reject(&["VNQR.54.FORMAT"]).tags(&["negative"]),
        v(13, "Amount 5e4", &dy.clone().set_s(54, "5e4")).reject(&["VNQR.54.FORMAT"]).tags(&["negative"]),
        v(14, "Amount 0", &dy.clone().set_s(54, "0")).reject(&["VNQR.54.ZERO"]).tags(&["negative"]),
    ];
    Plan::new(
        PROFILE,
        "root",
        "VietQR: point of initiation, currency 704, country VN and the VND amount (digits only).",
        REFS,
        d,
    )
}

fn text_area() -> Plan {
    let nfd = "Ca\u{300} phe\u{302} su\u{31b}\u{303}a \u{111}a\u{301}";
    let bytes = {
        let p = purpose_vi();
        P {
            objs: p.objs.clone(),
            unit: Unit::Bytes,
        }
    };
    let d = vec![
        v(1, "A purpose of 26 characters", &with_purpose(dynamic(), &"P".repeat(26))).reject(&["VNQR.62.08.LENGTH"]).tags(&["negative"]),
        v(2, "A Vietnamese purpose in NFD (combining marks)", &with_purpose(dynamic(), nfd))
            .warn(&["VNQR.62.08.NON_ASCII", "VNQR.62.08.NFD", "EMV.62.SUB_CHARSET"])
            .tags(&["negative", "vietnamese"]),
        v(3, "A MoMo wallet reference in 62/05", &dynamic().set(62, t(&[(5, s("MOMOW2W123456")), (8, s("THANH TOAN DON 42"))])))
            .info(&["VNQR.62.05.WALLET_REF"])
            .tags(&["positive"]),
        v(4, "A legacy MoMo 80 holding a bare number", &transfer().add_s(80, "123"))
            .warn(&["VNQR.80.PRIMITIVE", "EMV.TLV.TEMPLATE_SYNTAX"])
            .tags(&["negative"]),
        validate(5, "Lengths counted in UTF-8 bytes over a Vietnamese purpose", bytes.sealed())
            .reject(&["VNQR.TEXT.LENGTH_UNIT"])
            .tags(&["negative", "vietnamese"]),
        v(6, "An emoji in the purpose", &with_purpose(dynamic(), "Tra sua 🧋"))
            .warn(&["VNQR.TEXT.NON_BMP", "VNQR.62.08.NON_ASCII", "EMV.62.SUB_CHARSET"])
            .tags(&["negative", "emoji"]),
    ];
    Plan::new(
        PROFILE,
        "text",
        "VietQR: the purpose (62/08) in Vietnamese, NFD and emoji, length units, legacy MoMo 80.",
        REFS,
        d,
    )
}

fn crc_area() -> Plan {
    let body = transfer().body();
    let sealed = dynamic().sealed();
    let extra = crc::seal(&format!("{sealed}6304"));
    let d = vec![
        validate(1, "A wrong CRC", transfer().with_crc("0438")).reject(&["VNQR.CRC.MISMATCH"]).tags(&["negative", "crc"]),
        validate(2, "A lower-case CRC", format!("{}{}", &sealed[..sealed.len() - 4], sealed[sealed.len() - 4..].to_ascii_lowercase()))
            .warn(&["EMV.63.UPPERCASE", "VNQR.CRC.LOWERCASE"])
            .tags(&["negative", "crc"]),
        validate(3, "The CRC 0437 written as 6303437", format!("{body}6303437")).reject(&["VNQR.CRC.UNPADDED"]).tags(&["negative", "crc"]),
        validate(4, "The CRC 0437 written as 6304437", format!("{body}6304437")).reject(&["VNQR.CRC.UNPADDED"]).tags(&["negative", "crc"]),
        validate(5, "A second 6304 and CRC after a valid one", extra).reject(&["VNQR.CRC.EXTRA_OBJECT"]).tags(&["negative", "crc"]),
    ];
    Plan::new(
        PROFILE,
        "crc",
        "VietQR: CRC defects of Vietnamese generators (unpadded, lower case, a second CRC).",
        REFS,
        d,
    )
}

fn tlv_area() -> Plan {
    let sealed = transfer().sealed();
    let d = vec![
        validate(1, "The payload cut one character short", sealed[..sealed.len() - 1].to_owned()).reject(&["VNQR.TLV.LENGTH_MISMATCH"]).tags(&["negative"]),
        validate(2, "58's length written ' 2'", crc::seal(&transfer().body().replace("5802VN", "58 2VN"))).reject(&["VNQR.TLV.LENGTH_FORMAT"]).tags(&["negative"]),
        v(3, "58 twice", &transfer().add_s(58, "VN")).reject(&["VNQR.TLV.DUPLICATE_TAG"]).tags(&["negative"]),
        validate(4, "A zero-length 61", crc::seal(&format!("{}6100", transfer().body()))).reject(&["VNQR.TLV.ZERO_LENGTH"]).tags(&["negative"]),
    ];
    Plan::new(
        PROFILE,
        "tlv",
        "VietQR: TLV structure as vietnam-qr-pay's readers see it.",
        REFS,
        d,
    )
}

fn parse_area() -> Plan {
    let d = vec![
        parse(1, "The static transfer: 38/01 is a template two levels deep", &transfer()),
        parse(2, "The dynamic transfer with its purpose", &dynamic()),
        parse(3, "A Vietnamese purpose counts characters", &purpose_vi()).tags(&["vietnamese"]),
        parse(4, "The merchant payment", &merchant()),
    ];
    Plan::new(
        PROFILE,
        "parse",
        "VietQR: decoding codes into their data objects, 38/01 included.",
        REFS,
        d,
    )
}

fn vdata(bin: &str, account: &str, service: Option<&str>, kind: Kind, amount: Option<&str>) -> MerchantData {
    let mut fields = vec![("bin", bin), ("account", account)];
    fields.extend(service.map(|s| ("service", s)));
    MerchantData {
        kind,
        account: Account::scheme("napas", &fields),
        merchant: Merchant::default(),
        transaction: Transaction {
            amount: amount.map(Into::into),
            ..Transaction::default()
        },
        additional: Default::default(),
    }
}

fn gen_case(num: u16, title: &str, m: MerchantData) -> Draft {
    crate::vectors::generate::canonical_case(PROFILE, num, title, m)
}

fn generate_area() -> Plan {
    let mut dy = vdata("970418", "21510001234567", None, Kind::Dynamic, Some("150000"));
    dy.additional.purpose = Some("THANH TOAN DON 42".into());
    let mut shop = vdata("970407", "MC0000012345", Some("QRPUSH"), Kind::Static, None);
    shop.merchant = Merchant {
        name: "PHO DEMO".into(),
        city: "HA NOI".into(),
        category_code: Some("5812".into()),
        ..Merchant::default()
    };
    let mut long = vdata("970418", "21510001234567", Some("QRIBFTTA"), Kind::Dynamic, Some("150000"));
    long.additional.purpose = Some("THANH TOAN DON HANG SO 4242".into());
    let d = vec![
        gen_case(1, "A static transfer to an account (service QRIBFTTA by default)", vdata("970436", "00112233112", None, Kind::Static, None))
            .tags(&["transfer"]),
        gen_case(2, "A dynamic transfer, VND 150000, with a purpose", dy).tags(&["dynamic", "transfer"]),
        gen_case(3, "A static transfer to a card", vdata("970415", "9704150000000018", Some("QRIBFTTC"), Kind::Static, None)).tags(&["card"]),
        gen_case(4, "A merchant payment with MCC, name and city", shop).tags(&["merchant"]),
        refuse(5, "An amount of 1000.50 cannot be encoded in VND", vdata("970436", "00112233112", None, Kind::Dynamic, Some("1000.50")), &["VNQR.54.DIGITS"])
            .note("vietnam-qr-pay writes the amount string unchanged."),
        refuse(6, "A 5-digit BIN cannot be encoded", vdata("97043", "00112233112", None, Kind::Static, None), &["VNQR.38.01.00.FORMAT"]),
        refuse(7, "A purpose of 27 characters cannot be encoded", long, &["VNQR.62.08.LENGTH"])
            .note("vietnam-qr-pay writes it (VNQR.GEN.LENGTH_FIELD for values over 99)."),
        refuse(8, "A merchant payment without name and city cannot be encoded", vdata("970407", "MC0000012345", Some("QRPUSH"), Kind::Static, None), &["VNQR.QRPUSH.MERCHANT_FIELDS"]),
        refuse(9, "An account of 20 characters cannot be encoded", vdata("970436", "00112233112233445566", None, Kind::Static, None), &["VNQR.38.01.01.LENGTH"]),
    ];
    Plan::new(
        PROFILE,
        "generate",
        "VietQR: merchant data (napas accounts) to VietQR codes.",
        REFS,
        d,
    )
}

/// The golden codes: the render and scan files.
fn golden() -> [Plan; 2] {
    let codes = [
        Golden {
            image: "vietqr-purpose",
            payload: purpose_vi().sealed(),
            render: ("A Vietnamese purpose needs ECI 26 and Byte mode", &["vietnamese"]),
            scan: ("Read the transfer with a Vietnamese purpose", &["smoke", "vietnamese"]),
        },
        Golden {
            image: "vietqr-transfer",
            payload: transfer().sealed(),
            render: ("The static transfer", &[]),
            scan: ("Read the static transfer", &[]),
        },
    ];
    golden::plans(PROFILE, "VietQR", "VNQR digest §1", &codes)
}

fn bases() -> Vec<Base> {
    vec![
        Base::new("VietQR transfer", transfer()),
        Base::new("VietQR dynamic", dynamic()),
        Base::new("VietQR merchant", merchant()),
    ]
}

fn ranges() -> Vec<Range> {
    vec![
        r(0, "02", &["EMV.00.VALUE"]),
        r(1, "13", &["EMV.01.VALUE"]),
        r(53, "840", &["VNQR.53.VALUE"]),
        r(53, "764", &["VNQR.53.VALUE"]),
        r(58, "TH", &["VNQR.58.VALUE"]),
        r(58, "KH", &["VNQR.58.VALUE"]),
        r(54, "1000.50", &["VNQR.54.DIGITS"]),
        r(54, "50.000", &["VNQR.54.DIGITS"]),
        r(54, "-5000", &["VNQR.54.FORMAT"]),
        r(54, "0", &["VNQR.54.ZERO"]),
        Range::template(38, &[(0, s(GUID)), (1, s("97043600112233112"))], &["VNQR.38.01.TEMPLATE"], &["VNQR.38.02.ABSENT"]),
        Range::template(38, &[(0, s("A000000728")), (1, t(&[(0, s("970436")), (1, s("00112233112"))])), (2, s("QRIBFTTA"))], &["VNQR.MAI.REQUIRED"], &[]),
    ]
}

/// A JPQR wallet meets VietQR codes (`--profile interop`): an account template it does not
/// know (38 with the nested 38/01), VND without a minor unit, no 59 on transfers, Vietnamese
/// text in 62/08 (a MUST under interop) and in 64.
fn crossborder() -> Plan {
    let x = |num, title: &str, p: &P| {
        validate(num, title, p.sealed()).tags(&["foreign-code", "vnqr-in-jpqr"])
    };
    let with64 = merchant().add(64, t(&[(0, s("vi")), (1, s("Phở Ngon"))]));
    let d = vec![
        x(1, "A JPQR wallet reads a VietQR merchant payment with the Vietnamese name in 64", &with64)
            .info(&["VNQR.PROFILE.DETECT"])
            .tags(&["positive"]),
        x(2, "A JPQR wallet reads a static VietQR transfer: no 59 to show, no 64", &transfer())
            .warn(&["INTEROP.59.PRESENT", "INTEROP.64.LOCAL_NAME"])
            .tags(&["negative"]),
        x(3, "VND 150000.00: VND has no minor unit", &dynamic().set_s(54, "150000.00"))
            .reject(&["INTEROP.54.EXPONENT", "VNQR.54.DIGITS"])
            .tags(&["negative"]),
        x(4, "A Vietnamese purpose in 62/08 must be ASCII across the border", &purpose_vi())
            .reject(&["EMV.62.SUB_CHARSET"])
            .warn(&["INTEROP.59.PRESENT", "INTEROP.64.LOCAL_NAME", "VNQR.62.08.NON_ASCII"])
            .tags(&["negative", "vietnamese"]),
        x(5, "A VietQR merchant payment in US dollars", &merchant().set_s(53, "840"))
            .reject(&["VNQR.53.VALUE"])
            .warn(&["INTEROP.64.LOCAL_NAME"])
            .info(&["INTEROP.53_58.PAIR"])
            .tags(&["negative"]),
        x(6, "An emoji in the purpose: code-point and UTF-16 readers disagree", &with_purpose(dynamic(), "Tra sua 🧋"))
            .reject(&["EMV.62.SUB_CHARSET"])
            .warn(&["INTEROP.59.PRESENT", "INTEROP.64.LOCAL_NAME", "INTEROP.TEXT.BMP_ONLY", "VNQR.TEXT.NON_BMP", "VNQR.62.08.NON_ASCII"])
            .tags(&["negative", "emoji"]),
    ];
    Plan::new(
        Profile::Interop,
        "vietqr",
        "INTEROP: JPQR wallets reading VietQR codes.",
        &["VNQR digest §8"],
        d,
    )
}

fn crossborder_parse() -> Plan {
    Plan::new(
        Profile::Interop,
        "vietqr-parse",
        "INTEROP: decoding VietQR codes in a JPQR wallet.",
        &["VNQR digest §8"],
        vec![parse(1, "A JPQR wallet decodes a VietQR transfer (38/01 two levels deep)", &dynamic()) .tags(&["foreign-code", "vnqr-in-jpqr"])],
    )
}

/// The shared mutation families over the VietQR samples.
fn families() -> Vec<Plan> {
    families::standard(
        PROFILE,
        &bases(),
        &ranges(),
        &FamilyRules {
            mismatch: "VNQR.CRC.MISMATCH",
            lower: &["EMV.63.UPPERCASE", "VNQR.CRC.LOWERCASE"],
            dup_id: "VNQR.TLV.DUPLICATE_TAG",
            dup_sub: "VNQR.TLV.DUPLICATE_TAG",
            ..families::EMVCO_RULES
        },
    )
}

/// Every VNQR plan.
pub fn all() -> Vec<Plan> {
    let curated: [fn() -> Plan; 8] = [examples, account_area, root_area, text_area, crc_area, tlv_area, parse_area, generate_area];
    let curated = curated.iter().map(|area| area());
    curated.chain(golden()).chain([crossborder()]).chain([crossborder_parse()]).chain(families()).collect()
}
