//! The KHQR layer of the catalogue (`docs/spec/khqr.md`, section 10): 76 rules. Each carries
//! the official SDK's (bakong-khqr 1.0.20) error code where one matches, and what its `verify()`
//! does with such a payload, so a vendor can compare qrcert's verdict with the SDK's messages.
//!
//! Confidence: H -> Confirmed, M -> Secondary, L -> Inferred, P -> Decision (qrcert policy). A
//! mixed entry ("H; L signs, spaces") takes its first letter; the summary names the weaker part.

use crate::rules::rule::Confidence::{Confirmed as H, Decision as P, Secondary as M};
use crate::rules::rule::{Rule, Scope};

catalogue! { RULES {
    // CRC (khqr.md §1, §6 steps 1-3)
    CRC_SUFFIX = Rule::must("KHQR.CRC.SUFFIX", H, "KHQR §1, §6.1", "The payload does not end in '6304' + 4 hex digits (63 missing, short CRC, trailing bytes).")
        .ref_impl(Some(8), "8");
    CRC_MISMATCH = Rule::must("KHQR.CRC.MISMATCH", H, "KHQR §1, §6.2", "The CRC is not the CRC-16/CCITT-FALSE of the payload's UTF-8 bytes before the last 4 characters.")
        .ref_impl(Some(8), "8");
    CRC_LOWERCASE = Rule::should("KHQR.CRC.LOWERCASE", H, "KHQR §2, §6.1", "The CRC is written in lower-case hex (SDK 1.0.7 rejects it).")
        .ref_impl(None, "accepts (1.0.7: 8)");
    CRC_EXTRA_OBJECT = Rule::must("KHQR.CRC.EXTRA_OBJECT", H, "KHQR §6", "A second CRC object (63) follows, e.g. '6304' + CRC after a valid one.")
        .ref_impl(None, "accepts");

    // TLV structure (khqr.md §1, §5, §6 step 4)
    TLV_LENGTH_FORMAT = Rule::must("KHQR.TLV.LENGTH_FORMAT", H, "KHQR §1, §6", "A length field is not two ASCII digits ('A0'; '+5', ' 5' are read as 5 by the SDK's parseInt, inferred).")
        .ref_impl(None, "desync (`A0`: 27)");
    TLV_TEMPLATE_OVER_99 = Rule::must("KHQR.TLV.TEMPLATE_OVER_99", H, "KHQR §3.3, §5", "A template's content is over 99 UTF-16 units, written with a three-digit length ('62116...').")
        .ref_impl(Some(24), "24");
    TLV_LENGTH_MISMATCH = Rule::must("KHQR.TLV.LENGTH_MISMATCH", H, "KHQR §1, §6.4", "A length overruns its value, or the objects do not end exactly at the CRC (63).")
        .ref_impl(None, "desync (27/24)");
    TLV_LENGTH_UNITS = Rule::must("KHQR.TLV.LENGTH_UNITS", H, "KHQR §1", "A length counts code points or bytes instead of UTF-16 code units, or ends inside a surrogate pair (the split case is inferred).")
        .ref_impl(None, "desync (27)");
    TLV_DUPLICATE_TAG = Rule::must("KHQR.TLV.DUPLICATE_TAG", H, "KHQR §6.4", "A root tag occurs twice (the SDK keeps the last copy when apart, stops parsing when adjacent).")
        .ref_impl(None, "apart: accepts; adjacent: a \"required\" code");
    TLV_ZERO_LENGTH = Rule::must("KHQR.TLV.ZERO_LENGTH", M, "KHQR §3.3, §6", "A data object has length 00.")
        .ref_impl(None, "field's length code (62/01: 10)");
    ORDER_CANONICAL = Rule::info("KHQR.ORDER.CANONICAL", H, "KHQR §5", "The data objects are not in the official generator's order (allowed; verify ignores order).")
        .ref_impl(None, "accepts");
    TAG_UNKNOWN_ROOT = Rule::info("KHQR.TAG.UNKNOWN_ROOT", H, "KHQR §3.1", "A root tag outside 00, 01, 15, 29, 30, 52-54, 58-60, 62-64, 99: SDK-based readers skip it.")
        .ref_impl(None, "ignored");
    TAG_UNKNOWN_SUBTAG = Rule::info("KHQR.TAG.UNKNOWN_SUBTAG", H, "KHQR §3.2-3.5", "A sub-tag the SDK does not know (29/30: 03+; 62: 04-06, 09+; 64: 03+; 99: 02+); confirmed for 62, inferred for the others.")
        .ref_impl(None, "ignored");
    TAG_TIP_OR_FEE = Rule::should("KHQR.TAG.TIP_OR_FEE", M, "KHQR §3.1", "A tip or convenience fee (55, 56 or 57) is present: SDK-based wallets ignore it.")
        .ref_impl(None, "ignored");

    // 00, 01
    ID00_REQUIRED = Rule::must("KHQR.00.REQUIRED", H, "KHQR §3.1, §6.6", "Payload Format Indicator (00) is missing.")
        .ref_impl(Some(23), "23");
    ID00_FIRST = Rule::must("KHQR.00.FIRST", H, "KHQR §3.1", "Payload Format Indicator (00) is not the first data object.")
        .ref_impl(None, "accepts");
    ID00_VALUE = Rule::must("KHQR.00.VALUE", H, "KHQR §3.1", "Payload Format Indicator (00) is not exactly '01' (the 1-character case is secondary evidence).")
        .ref_impl(Some(16), "over 2: 16; else accepts");
    ID01_PRESENT = Rule::should("KHQR.01.PRESENT", H, "KHQR §3.1, §4", "Point of Initiation Method (01) is missing (EMVCo allows it; the KHQR generator always writes it).")
        .ref_impl(None, "accepts");
    ID01_VALUE = Rule::must("KHQR.01.VALUE", H, "KHQR §3.1, §4", "Point of Initiation Method (01) is not exactly '11' (static) or '12' (dynamic).")
        .ref_impl(Some(48), "over 2: 17; else 48 (to 1.0.17: accepts)");
    ID01_DYNAMIC_WITHOUT_AMOUNT = Rule::must("KHQR.01.DYNAMIC_WITHOUT_AMOUNT", H, "KHQR §4", "A dynamic code (01 = '12') has no amount (54).")
        .ref_impl(Some(47), "47");

    // 54 amount
    ID54_NOT_DYNAMIC = Rule::must("KHQR.54.NOT_DYNAMIC", H, "KHQR §4", "An amount (54) on a code whose 01 is '11' or missing: amounts belong to dynamic codes.")
        .ref_impl(None, "with 99: accepts; else 45");
    ID54_WITHOUT_TIMESTAMP = Rule::must("KHQR.54.WITHOUT_TIMESTAMP", H, "KHQR §4", "An amount (54) without the timestamp template (99).")
        .ref_impl(Some(45), "45");
    ID54_LENGTH = Rule::must("KHQR.54.LENGTH", H, "KHQR §3.6", "The amount (54) is empty or over 13 characters.")
        .ref_impl(Some(4), "4");
    ID54_FORMAT = Rule::must("KHQR.54.FORMAT", H, "KHQR §3.6", "The amount (54) is not digits with an optional '.' and more digits ('-5', 'abc', '50,000', '+500', '1e+21', '1.5.0', '.5').")
        .ref_impl(Some(4), "`-`: 4; else accepts");
    ID54_ZERO = Rule::must("KHQR.54.ZERO", H, "KHQR §3.6, §4", "The amount (54) is numerically zero.")
        .ref_impl(None, "accepts");
    ID54_KHR_DECIMALS = Rule::must("KHQR.54.KHR_DECIMALS", H, "KHQR §3.6, §5", "A riel (116) amount has a decimal point: KHR amounts are integers.")
        .ref_impl(Some(4), "G 4");
    ID54_USD_DECIMALS = Rule::must("KHQR.54.USD_DECIMALS", H, "KHQR §3.6, §5", "A US dollar (840) amount has 3 or more decimals.")
        .ref_impl(Some(4), "G 4");
    ID54_NON_CANONICAL = Rule::info("KHQR.54.NON_CANONICAL", H, "KHQR §5", "The amount is not in the generator's form: one USD decimal ('1.5'), an integral USD amount with decimals ('100.00'), or leading zeros (the last two are qrcert policy).")
        .ref_impl(None, "accepts");

    // 15, account templates 29/30
    ID15_KHR_ONLY = Rule::must("KHQR.15.KHR_ONLY", H, "KHQR §3.1", "A UnionPay account (15) on a US dollar (840) code: UnionPay is KHR only.")
        .ref_impl(Some(44), "G 44");
    MAI_REQUIRED = Rule::must("KHQR.MAI.REQUIRED", H, "KHQR §3.2", "Neither account template 29 (individual) nor 30 (merchant) is present (another template ID does not count).")
        .ref_impl(Some(5), "5");
    MAI_BOTH = Rule::should("KHQR.MAI.BOTH", H, "KHQR §3.2", "Both account templates 29 and 30 are present.")
        .ref_impl(None, "accepts; 30 right before 29: desync");
    MAI_ACCOUNT_ID_REQUIRED = Rule::must("KHQR.MAI.ACCOUNT_ID_REQUIRED", H, "KHQR §3.2", "The Bakong account ID (29/00 or 30/00) is missing or empty.")
        .ref_impl(Some(1), "1");
    MAI_ACCOUNT_ID_LENGTH = Rule::must("KHQR.MAI.ACCOUNT_ID_LENGTH", H, "KHQR §3.2", "The Bakong account ID (29/00 or 30/00) is over 32 UTF-16 units.")
        .ref_impl(Some(6), "6");
    MAI_ACCOUNT_ID_FORMAT = Rule::must("KHQR.MAI.ACCOUNT_ID_FORMAT", H, "KHQR §3.2", "The Bakong account ID is not 'name@bank': exactly one '@' with text on both sides (the both-sides part is qrcert policy).")
        .ref_impl(Some(3), "no `@`: 3; else accepts");
    MAI_ACQUIRING_BANK_LENGTH = Rule::must("KHQR.MAI.ACQUIRING_BANK_LENGTH", H, "KHQR §3.2", "The acquiring bank (29/02 or 30/02) is over 32 UTF-16 units.")
        .ref_impl(Some(33), "33");
    ID29_ACCOUNT_INFO_LENGTH = Rule::must("KHQR.29.ACCOUNT_INFO_LENGTH", H, "KHQR §3.2", "The account information (29/01) is over 32 UTF-16 units.")
        .ref_impl(Some(35), "35 (1.0.7: accepts)");
    ID30_MERCHANT_ID_REQUIRED = Rule::must("KHQR.30.MERCHANT_ID_REQUIRED", H, "KHQR §3.2", "A merchant account template (30) has no merchant ID (01).")
        .ref_impl(Some(30), "G 30");
    ID30_MERCHANT_ID_LENGTH = Rule::must("KHQR.30.MERCHANT_ID_LENGTH", H, "KHQR §3.2", "The merchant ID (30/01) is over 32 UTF-16 units.")
        .ref_impl(Some(35), "35 (G: 32)");
    ID30_ACQUIRING_BANK_REQUIRED = Rule::must("KHQR.30.ACQUIRING_BANK_REQUIRED", H, "KHQR §3.2", "A merchant account template (30) has no acquiring bank (02).")
        .ref_impl(Some(31), "G 31");

    // 52, 53, 58, 59, 60
    ID52_REQUIRED = Rule::must("KHQR.52.REQUIRED", H, "KHQR §3.1, §6.6", "Merchant Category Code (52) is missing.")
        .ref_impl(Some(25), "25");
    ID52_FORMAT = Rule::must("KHQR.52.FORMAT", H, "KHQR §3.1, §3.6", "Merchant Category Code (52) is not exactly 4 digits.")
        .ref_impl(Some(51), "over 4: 18; non-digit: 51 (1.0.18: accepts); under 4: accepts");
    ID53_REQUIRED = Rule::must("KHQR.53.REQUIRED", H, "KHQR §3.1, §6.6", "Transaction Currency (53) is missing.")
        .ref_impl(Some(9), "9");
    ID53_VALUE = Rule::must("KHQR.53.VALUE", H, "KHQR §3.1, §3.6", "Transaction Currency (53) is not '116' (KHR) or '840' (USD).")
        .ref_impl(Some(28), "over 3: 19; else 28");
    ID58_REQUIRED = Rule::must("KHQR.58.REQUIRED", H, "KHQR §3.1, §6.6", "Country Code (58) is missing.")
        .ref_impl(Some(26), "26");
    ID58_VALUE = Rule::must("KHQR.58.VALUE", H, "KHQR §3.1, §3.6", "Country Code (58) is not exactly 'KH'.")
        .ref_impl(Some(20), "over 3: 20; else accepts");
    ID59_REQUIRED = Rule::must("KHQR.59.REQUIRED", H, "KHQR §3.1, §6.6", "Merchant Name (59) is missing or empty.")
        .ref_impl(Some(2), "2");
    ID59_LENGTH = Rule::must("KHQR.59.LENGTH", H, "KHQR §3.1", "Merchant Name (59) is over 25 UTF-16 units.")
        .ref_impl(Some(7), "7");
    ID60_REQUIRED = Rule::must("KHQR.60.REQUIRED", H, "KHQR §3.1, §6.6", "Merchant City (60) is missing or empty.")
        .ref_impl(Some(27), "27");
    ID60_LENGTH = Rule::must("KHQR.60.LENGTH", H, "KHQR §3.1", "Merchant City (60) is over 15 UTF-16 units.")
        .ref_impl(Some(21), "21");

    // 62 additional data
    ID62_BILL_NUMBER_LENGTH = Rule::must("KHQR.62.BILL_NUMBER_LENGTH", H, "KHQR §3.3", "The bill number (62/01) is not 1-25 UTF-16 units.")
        .ref_impl(Some(10), "10");
    ID62_MOBILE_NUMBER_LENGTH = Rule::must("KHQR.62.MOBILE_NUMBER_LENGTH", H, "KHQR §3.3", "The mobile number (62/02) is not 1-25 UTF-16 units.")
        .ref_impl(Some(34), "34");
    ID62_STORE_LABEL_LENGTH = Rule::must("KHQR.62.STORE_LABEL_LENGTH", H, "KHQR §3.3", "The store label (62/03) is not 1-25 UTF-16 units.")
        .ref_impl(Some(11), "11");
    ID62_TERMINAL_LABEL_LENGTH = Rule::must("KHQR.62.TERMINAL_LABEL_LENGTH", H, "KHQR §3.3", "The terminal label (62/07) is not 1-25 UTF-16 units.")
        .ref_impl(Some(12), "12");
    ID62_PURPOSE_LENGTH = Rule::must("KHQR.62.PURPOSE_LENGTH", H, "KHQR §3.3", "The purpose of transaction (62/08) is not 1-25 UTF-16 units.")
        .ref_impl(Some(42), "42 (1.0.7: accepts)");
    ID62_MOBILE_NUMBER_FORMAT = Rule::info("KHQR.62.MOBILE_NUMBER_FORMAT", P, "KHQR §3.3", "qrcert policy: the mobile number (62/02) is not digits with an optional leading '+'.")
        .ref_impl(None, "accepts");

    // 64 language template
    ID64_PREFERENCE_LENGTH = Rule::must("KHQR.64.PREFERENCE_LENGTH", H, "KHQR §3.4", "The language preference (64/00) is not exactly 2 characters.")
        .ref_impl(Some(38), "over 2 or empty: 38; 1: accepts");
    ID64_PREFERENCE_CODE = Rule::should("KHQR.64.PREFERENCE_CODE", P, "KHQR §3.4", "qrcert policy: the language preference (64/00) is not an ISO 639-1 code ('km' for Khmer).")
        .ref_impl(None, "accepts");
    ID64_NAME_REQUIRED = Rule::must("KHQR.64.NAME_REQUIRED", H, "KHQR §3.4", "A language preference (64/00) without the alternate-language merchant name (64/01).")
        .ref_impl(Some(39), "39");
    ID64_PREFERENCE_REQUIRED = Rule::must("KHQR.64.PREFERENCE_REQUIRED", H, "KHQR §3.4", "An alternate-language merchant name (64/01) without the language preference (64/00).")
        .ref_impl(Some(37), "exception, no code (nominal 37; ts-khqr 38)");
    ID64_CITY_ONLY = Rule::must("KHQR.64.CITY_ONLY", H, "KHQR §3.4", "The language template (64) holds the alternate-language city (02) but neither 00 nor 01 (EMVCo requires both).")
        .ref_impl(None, "accepts (1.0.17: exception)");
    ID64_NAME_LENGTH = Rule::must("KHQR.64.NAME_LENGTH", H, "KHQR §3.4", "The alternate-language merchant name (64/01) is not 1-25 UTF-16 units.")
        .ref_impl(Some(40), "40");
    ID64_CITY_LENGTH = Rule::must("KHQR.64.CITY_LENGTH", H, "KHQR §3.4", "The alternate-language merchant city (64/02) is not 1-15 UTF-16 units.")
        .ref_impl(Some(41), "41");

    // 99 timestamps and the clock
    ID99_EXPIRATION_REQUIRED = Rule::must("KHQR.99.EXPIRATION_REQUIRED", H, "KHQR §3.5, §4", "A dynamic code (01 = '12') has no expiration: no 99, or 99/01 missing, zero or not a number (a creation-only 99 included).")
        .ref_impl(Some(45), "45");
    ID99_EXPIRATION_FORMAT = Rule::must("KHQR.99.EXPIRATION_FORMAT", H, "KHQR §3.5", "The expiration time (99/01) is not exactly 13 digits (milliseconds since the epoch).")
        .ref_impl(Some(49), "49");
    ID99_CREATION_REQUIRED = Rule::must("KHQR.99.CREATION_REQUIRED", H, "KHQR §3.5", "A dynamic code's timestamp template (99) has no creation time (00).")
        .ref_impl(None, "accepts");
    ID99_CREATION_FORMAT = Rule::must("KHQR.99.CREATION_FORMAT", P, "KHQR §3.5", "qrcert policy: the creation time (99/00) is not exactly 13 digits (milliseconds since the epoch).")
        .ref_impl(None, "unchecked");
    ID99_EXPIRATION_BEFORE_CREATION = Rule::must("KHQR.99.EXPIRATION_BEFORE_CREATION", H, "KHQR §4", "The expiration time (99/01) is earlier than the creation time (99/00).")
        .ref_impl(Some(50), "50");
    ID99_EXPIRED = Rule::must("KHQR.99.EXPIRED", H, "KHQR §4", "The code has expired: the clock ('now') is later than the expiration time (99/01); judged whenever 99/01 exists.")
        .ref_impl(Some(46), "46 (only if 01=12)");
    ID99_CREATION_IN_FUTURE = Rule::info("KHQR.99.CREATION_IN_FUTURE", P, "KHQR §4", "qrcert policy: the creation time (99/00) is later than the clock ('now'): the generator's clock is skewed.")
        .ref_impl(None, "unchecked");
    ID99_ON_STATIC = Rule::should("KHQR.99.ON_STATIC", H, "KHQR §4", "A non-dynamic code's timestamp template (99) holds more than a lone 13-digit creation time.")
        .ref_impl(None, "accepts");
    ID99_LEGACY_CREATION_ONLY = Rule::info("KHQR.99.LEGACY_CREATION_ONLY", H, "KHQR §2, §4", "A static code carries a creation-only 99 (the pre-1.0.18 generator's shape).")
        .ref_impl(None, "accepts");

    // Text and compatibility
    TEXT_NON_BMP = Rule::should("KHQR.TEXT.NON_BMP", H, "KHQR §1", "A value holds a character above U+FFFF (e.g. an emoji): readers counting code points desynchronise.")
        .ref_impl(None, "accepts");
    TEXT_LOCAL_SCRIPT_IN_ROOT = Rule::should("KHQR.TEXT.LOCAL_SCRIPT_IN_ROOT", H, "KHQR §3.6", "Merchant name (59) or city (60) holds non-ASCII text: KHQR allows it, but foreign wallets may not display it; put Latin in 59/60 and Khmer in 64.")
        .ref_impl(None, "accepts");
    COMPAT_LEGACY_READERS = Rule::info("KHQR.COMPAT.LEGACY_READERS", H, "KHQR §2", "Only SDK 1.0.7 rejects this: a 25-unit 59, 62/01, 62/03 or 62/07, a 62/02 over 12 units, or a lower-case CRC.")
        .ref_impl(None, "accepts");

    // Generator replies (judged by the runner through `khqr::generated`)
    GEN_MD5 = Rule::must("KHQR.GEN.MD5", H, "KHQR §1, §5", "A generator's md5 is not the lower-case hex MD5 of the payload's UTF-8 bytes.")
        .scope(Scope::Generator)
        .ref_impl(None, "-");
    GEN_FALSE_SUCCESS = Rule::must("KHQR.GEN.FALSE_SUCCESS", H, "KHQR §5", "A generator reports success but returns no payload string, or one that breaks a MUST rule.")
        .scope(Scope::Generator)
        .ref_impl(None, "-");
}}
