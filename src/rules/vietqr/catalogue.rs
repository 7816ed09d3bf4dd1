//! The VNQR layer of the catalogue (`docs/spec/vietqr.md`, section 9): 50 rules. Each records
//! what the reference library (vietnam-qr-pay 1.5.1) does with such a payload: `new
//! QRPay(s).isValid` ("accepts" when true, "rejects" when false; "-" for generator rules).
//!
//! Confidence: H -> Confirmed, M -> Secondary, L -> Inferred, P -> Decision (qrcert policy).

use crate::rules::rule::Confidence::{
    Confirmed as H, Decision as P, Inferred as L, Secondary as M,
};
use crate::rules::rule::{Rule, Scope};

catalogue! { RULES {
    // Selectors (section 5)
    PROFILE_DETECT = Rule::info("VNQR.PROFILE.DETECT", P, "VNQR §5", "Selector: a merchant-account template (26-51) whose 00 is 'A000000727' (NAPAS) selects the VNQR rules.")
        .ref_impl(None, "provider VIETQR (26 or 38)");
    PROFILE_VNPAY = Rule::info("VNQR.PROFILE.VNPAY", H, "VNQR §3.3, §5", "Selector: 26 with 00 'A000000775' is a VNPAY-QR code, another domestic scheme: the VNQR rules do not apply, the EMVCo layer does.")
        .ref_impl(None, "provider VNPAY");

    // The NAPAS template 38 (section 3.2)
    MAI_REQUIRED = Rule::must("VNQR.MAI.REQUIRED", H, "VNQR §3.2, §5", "No merchant-account template carries the NAPAS GUID 'A000000727'.")
        .ref_impl(None, "accepts, provider undefined");
    MAI_TAG_38 = Rule::should("VNQR.MAI.TAG_38", H, "VNQR §3.2, §5", "The NAPAS template is in a tag other than 38 (every generator uses 38).")
        .ref_impl(None, "accepts (26)");
    ID38_GUID = Rule::must("VNQR.38.GUID", H, "VNQR §3.2", "38/00 is not exactly 'A000000727' (case included).")
        .ref_impl(None, "accepts, drops BIN and account");
    ID38_01_REQUIRED = Rule::must("VNQR.38.01.REQUIRED", H, "VNQR §3.2", "The beneficiary organisation (38/01) is missing.")
        .ref_impl(None, "accepts");
    ID38_01_TEMPLATE = Rule::must("VNQR.38.01.TEMPLATE", H, "VNQR §3.2", "38/01 is not a template holding 00 (BIN) and 01 (account, card or merchant ID), e.g. a flat value.")
        .ref_impl(None, "accepts, BIN and account undefined");
    ID38_01_00_FORMAT = Rule::must("VNQR.38.01.00.FORMAT", H, "VNQR §3.2", "The bank BIN (38/01/00) is not exactly 6 digits.")
        .ref_impl(None, "accepts (5 digits, letters)");
    ID38_01_00_KNOWN = Rule::should("VNQR.38.01.00.KNOWN", M, "VNQR §3.2", "The bank BIN (38/01/00) is not in qrcert's versioned table of Vietnamese bank BINs.")
        .ref_impl(None, "unchecked");
    ID38_01_01_REQUIRED = Rule::must("VNQR.38.01.01.REQUIRED", H, "VNQR §3.2", "The account, card or merchant ID (38/01/01) is missing or empty.")
        .ref_impl(None, "accepts");
    ID38_01_01_LENGTH = Rule::must("VNQR.38.01.01.LENGTH", M, "VNQR §3.2", "The account, card or merchant ID (38/01/01) is over 19 characters.")
        .ref_impl(None, "accepts (20)");
    ID38_01_01_CHARSET = Rule::should("VNQR.38.01.01.CHARSET", L, "VNQR §3.2", "The account (38/01/01) has characters other than A-Z and 0-9 (inferred from real accounts; the NAPAS format is ans).")
        .ref_impl(None, "accepts");
    ID38_02_LENGTH = Rule::must("VNQR.38.02.LENGTH", M, "VNQR §3.2", "The service code (38/02) is over 10 characters.")
        .ref_impl(None, "accepts");
    ID38_02_KNOWN = Rule::should("VNQR.38.02.KNOWN", M, "VNQR §3.2", "The service code (38/02) is not QRIBFTTA, QRIBFTTC, QRPUSH or QRCASH (case-sensitive).")
        .ref_impl(None, "accepts any");
    ID38_02_ABSENT = Rule::should("VNQR.38.02.ABSENT", M, "VNQR §3.2", "No service code (38/02): readers disagree (QRPUSH for one, unknown for the library).")
        .ref_impl(None, "accepts");
    ID38_UNKNOWN_SUBTAG = Rule::info("VNQR.38.UNKNOWN_SUBTAG", H, "VNQR §3.2", "A 38 sub-tag outside 00-02, or a 38/01 sub-tag outside 00-01.")
        .ref_impl(None, "ignored");
    ID38_SUB_LENGTH = Rule::must("VNQR.38.SUB_LENGTH", H, "VNQR §3.2, §7", "A length inside 38/01 overruns its value or leaves characters over: the account is read truncated.")
        .ref_impl(None, "accepts, account truncated");
    IBFTTC_CARD_FORMAT = Rule::should("VNQR.IBFTTC.CARD_FORMAT", L, "VNQR §3.2", "A card transfer (QRIBFTTC) whose 38/01/01 is not 16-19 digits (inferred from domestic card numbers).")
        .ref_impl(None, "accepts");
    QRPUSH_MERCHANT_FIELDS = Rule::must("VNQR.QRPUSH.MERCHANT_FIELDS", M, "VNQR §3.1, §6", "A merchant payment or ATM code (38/02 QRPUSH, QRCASH or absent) lacks 52, 59 or 60.")
        .ref_impl(None, "accepts");
    QRCASH_DYNAMIC = Rule::should("VNQR.QRCASH.DYNAMIC", M, "VNQR §3.2, §4", "An ATM withdrawal code (QRCASH) is not dynamic (01 not '12').")
        .ref_impl(None, "accepts");
    QRCASH_REFERENCES = Rule::should("VNQR.QRCASH.REFERENCES", M, "VNQR §3.2, §3.4", "An ATM withdrawal code (QRCASH) lacks 62/05 (reference) or 62/07 (terminal).")
        .ref_impl(None, "accepts");

    // Root values (sections 3.1, 3.5, 4)
    ID01_PRESENT = Rule::should("VNQR.01.PRESENT", M, "VNQR §3.1", "Point of Initiation Method (01) is missing.")
        .ref_impl(None, "accepts");
    ID01_DYNAMIC_WITHOUT_AMOUNT = Rule::should("VNQR.01.DYNAMIC_WITHOUT_AMOUNT", H, "VNQR §4", "A dynamic code (01 = '12') has no amount (54).")
        .ref_impl(None, "accepts");
    ID01_STATIC_WITH_AMOUNT = Rule::info("VNQR.01.STATIC_WITH_AMOUNT", H, "VNQR §4", "A static code (01 = '11') carries an amount (54).")
        .ref_impl(None, "accepts");
    ID53_REQUIRED = Rule::must("VNQR.53.REQUIRED", H, "VNQR §3.1, §3.5", "Transaction Currency (53) is missing.")
        .ref_impl(None, "accepts");
    ID53_VALUE = Rule::must("VNQR.53.VALUE", H, "VNQR §3.5", "Transaction Currency (53) is not '704' (VND).")
        .ref_impl(None, "accepts");
    ID58_REQUIRED = Rule::must("VNQR.58.REQUIRED", H, "VNQR §3.1, §3.5", "Country Code (58) is missing.")
        .ref_impl(None, "accepts");
    ID58_VALUE = Rule::must("VNQR.58.VALUE", H, "VNQR §3.5", "Country Code (58) is not 'VN'.")
        .ref_impl(None, "accepts");
    ID54_DIGITS = Rule::must("VNQR.54.DIGITS", H, "VNQR §3.5", "The VND amount (54) holds a '.' or ',' ('1000.50', '50.000', '50,000'): VND has no minor unit, and '50.000' means fifty thousand to a Vietnamese reader.")
        .ref_impl(None, "accepts, raw string");
    ID54_FORMAT = Rule::must("VNQR.54.FORMAT", H, "VNQR §3.5", "The amount (54) is not a plain number at all ('abc', '-5000', '5e4', spaces).")
        .ref_impl(None, "accepts");
    ID54_ZERO = Rule::must("VNQR.54.ZERO", H, "VNQR §3.5", "The amount (54) is numerically zero.")
        .ref_impl(None, "accepts");
    ID54_LEADING_ZERO = Rule::info("VNQR.54.LEADING_ZERO", P, "VNQR §3.5", "The amount (54) has superfluous leading zeros.")
        .ref_impl(None, "accepts");

    // Template 62 and 80-99 (sections 3.2, 3.4)
    ID62_08_LENGTH = Rule::must("VNQR.62.08.LENGTH", H, "VNQR §3.4", "The purpose of transaction (62/08) is over 25 characters.")
        .ref_impl(None, "accepts; generator writes 30");
    ID62_08_NON_ASCII = Rule::should("VNQR.62.08.NON_ASCII", H, "VNQR §1, §6", "The purpose (62/08) holds non-ASCII (Vietnamese) text: allowed under VNQR (EMV.62.SUB_CHARSET relaxed), but readers disagree on its length unit.")
        .ref_impl(None, "accepts; generator passes it");
    ID62_08_NFD = Rule::should("VNQR.62.08.NFD", H, "VNQR §1", "The purpose (62/08) is not in NFC (base letters with combining marks): a different byte string, length and CRC for the same text.")
        .ref_impl(None, "counts UTF-16 units (18, not 13)");
    ID62_05_WALLET_REF = Rule::info("VNQR.62.05.WALLET_REF", M, "VNQR §3.2", "62/05 carries a wallet reference (MOMOW2W...).")
        .ref_impl(None, "kept");
    ID80_PRIMITIVE = Rule::should("VNQR.80.PRIMITIVE", M, "VNQR §3.2, §6", "An 80-99 object whose whole value is 1-3 digits (legacy MoMo): not a template with a GUID (the EMVCo rules are relaxed to SHOULD for it).")
        .ref_impl(None, "kept");

    // Text, CRC and TLV (sections 1, 7)
    TEXT_LENGTH_UNIT = Rule::must("VNQR.TEXT.LENGTH_UNIT", H, "VNQR §1", "A length counts UTF-8 bytes instead of characters (any accented text): the reader swallows the CRC into 62/08.")
        .ref_impl(None, "accepts, 62/08 swallows 6304 + CRC");
    TEXT_NON_BMP = Rule::should("VNQR.TEXT.NON_BMP", H, "VNQR §1", "A value holds a character above U+FFFF (an emoji in 62/08): code-point and UTF-16 readers count it differently.")
        .ref_impl(None, "counts UTF-16 units; rejects the code-point length");
    CRC_MISMATCH = Rule::must("VNQR.CRC.MISMATCH", H, "VNQR §1, §7", "The CRC is not the CRC-16/CCITT-FALSE of the payload's UTF-8 bytes through '6304'.")
        .ref_impl(None, "rejects");
    CRC_LOWERCASE = Rule::should("VNQR.CRC.LOWERCASE", H, "VNQR §1, §7", "The CRC is written in lower-case hex.")
        .ref_impl(None, "accepts");
    CRC_UNPADDED = Rule::must("VNQR.CRC.UNPADDED", H, "VNQR §7", "The CRC has 1-3 hex digits ('6303ABC', '6304' + 3 hex): a generator dropped leading zeros.")
        .ref_impl(None, "rejects");
    CRC_EXTRA_OBJECT = Rule::must("VNQR.CRC.EXTRA_OBJECT", H, "VNQR §7", "A second CRC object (63) follows, e.g. '6304' + CRC after a valid one.")
        .ref_impl(None, "accepts");
    TLV_LENGTH_MISMATCH = Rule::must("VNQR.TLV.LENGTH_MISMATCH", H, "VNQR §7", "A root length overruns its value, or the objects do not end exactly at the CRC.")
        .ref_impl(None, "rejects (root only)");
    TLV_LENGTH_FORMAT = Rule::must("VNQR.TLV.LENGTH_FORMAT", H, "VNQR §7", "A length is not two ASCII digits ('+2', ' 2', '2 ', 'A2').")
        .ref_impl(None, "accepts ('+2', ' 2', '2 '); 'A2': rejects");
    TLV_DUPLICATE_TAG = Rule::must("VNQR.TLV.DUPLICATE_TAG", H, "VNQR §7", "A root tag or sub-tag occurs twice (the library keeps the last).")
        .ref_impl(None, "accepts, last wins");
    TLV_ZERO_LENGTH = Rule::must("VNQR.TLV.ZERO_LENGTH", H, "VNQR §7", "A data object has length 00.")
        .ref_impl(None, "accepts");

    // Generators and re-encoders (judged by generate vectors and the runner)
    GEN_LENGTH_FIELD = Rule::must("VNQR.GEN.LENGTH_FIELD", H, "VNQR §7", "A generator writes a length that is not the value's length as 2 digits ('54ed...', a cut 3-digit length).")
        .scope(Scope::Generator)
        .ref_impl(None, "library generator does");
    GEN_REENCODE_LOSS = Rule::should("VNQR.GEN.REENCODE_LOSS", H, "VNQR §7", "A reader that re-encodes a parsed code drops or changes objects (build() after parsing drops 64). Planned: the adapter protocol has no re-encode operation to observe it through.")
        .scope(Scope::Behaviour)
        .planned()
        .ref_impl(None, "build() drops 64");
    GEN_LOSSY_TEXT = Rule::info("VNQR.GEN.LOSSY_TEXT", M, "VNQR §1", "A generator deletes letters it cannot encode instead of transliterating them. Planned: telling a deletion from an allowed transliteration needs a transliteration table the digest does not give.")
        .scope(Scope::Generator)
        .planned()
        .ref_impl(None, "-");
}}

