//! The THQR layer of the catalogue (`docs/spec/thaiqr.md`, section 9): 61 rules. Each records
//! what the reference library (promptparse 1.6.0) does with such a payload: its validators
//! `validate.anyId` / `validate.billPayment` ("accepts" when they return data, "null" when they
//! return nothing, "P null" when its CRC step fails).
//!
//! Confidence: H -> Confirmed, M -> Secondary, L -> Inferred, P -> Decision (qrcert policy).

use crate::rules::rule::Confidence::{
    Confirmed as H, Decision as P, Inferred as L, Secondary as M,
};
use crate::rules::rule::{Rule, Scope};

catalogue! { RULES {
    // Selectors (section 5)
    PROFILE_DETECT = Rule::info("THQR.PROFILE.DETECT", P, "THQR §5", "Selector: a merchant-account template (26-51) whose 00 starts 'A000000677' (the BOT RID) selects the THQR rules.")
        .ref_impl(None, "keys on exact AIDs in 29/30");
    PROFILE_SLIP_VERIFY = Rule::info("THQR.PROFILE.SLIP_VERIFY", H, "THQR §3.7, §5", "Selector: 00 is a template and the last object is 91: a transfer-slip verification code, not a payment code; the MPM rules do not apply.")
        .ref_impl(None, "slip validators read it");
    PROFILE_NOT_EMV = Rule::info("THQR.PROFILE.NOT_EMV", H, "THQR §3.3, §5", "The text is a BOT bill barcode ('|' biller CR ref1 CR ref2 CR amount), not an EMV payload; the MPM rules do not apply.")
        .ref_impl(None, "P null; parseBarcode reads it");

    // Merchant-account templates (sections 3.2-3.4)
    MAI_REQUIRED = Rule::must("THQR.MAI.REQUIRED", H, "THQR §3.2, §5", "No template 29, 30 or 31 carries a Thai AID (A000000677...): the code has no PromptPay payee.")
        .ref_impl(None, "null");
    MAI_AID_PLACEMENT = Rule::must("THQR.MAI.AID_PLACEMENT", H, "THQR §3.2, §3.3", "A credit-transfer AID (...0111, ...0114) outside 29, or a bill-payment AID (...0112, ...2006) outside 30.")
        .ref_impl(None, "null");
    MAI_AID_UNKNOWN = Rule::should("THQR.MAI.AID_UNKNOWN", M, "THQR §3.2-3.4", "A 00 starts 'A000000677' but is none of the known Thai AIDs (...010111, ...010114, ...010112, ...012006, ...010113, ...012004).")
        .ref_impl(None, "null");
    MAI_AID_CASE = Rule::must("THQR.MAI.AID_CASE", H, "THQR §3.2, §5", "A Thai AID is written with lower-case hex.")
        .ref_impl(None, "null (exact compare)");
    MAI_29_AND_30 = Rule::should("THQR.MAI.29_AND_30", H, "THQR §3.2, §3.3", "Both 29 (credit transfer) and 30 (bill payment) are present: two payees.")
        .ref_impl(None, "accepts (A and B both)");
    MAI_CARD_SCHEME = Rule::info("THQR.MAI.CARD_SCHEME", M, "THQR §3.1", "A card-scheme account (02-16) sits beside the Thai template (a multi-scheme merchant code).")
        .ref_impl(None, "ignored");

    // Tag 29: credit transfer (section 3.2)
    ID29_GUID = Rule::must("THQR.29.GUID", H, "THQR §3.2", "29/00 is not 'A000000677010111' (credit transfer) or 'A000000677010114' (with one-time authorisation).")
        .ref_impl(None, "null");
    ID29_PROXY_REQUIRED = Rule::must("THQR.29.PROXY_REQUIRED", H, "THQR §3.2", "29 holds no proxy: none of 01 (mobile), 02 (national or tax ID), 03 (e-wallet), 04 (bank account).")
        .ref_impl(None, "null");
    ID29_PROXY_SINGLE = Rule::must("THQR.29.PROXY_SINGLE", H, "THQR §3.2", "29 holds more than one proxy (01-04): which one is paid depends on the reader.")
        .ref_impl(None, "accepts, first of 01..04");
    ID29_01_FORMAT = Rule::must("THQR.29.01.FORMAT", H, "THQR §3.2", "The mobile proxy (29/01) is not '0066' followed by 9 digits.")
        .ref_impl(None, "accepts (12 digits, letters)");
    ID29_02_FORMAT = Rule::must("THQR.29.02.FORMAT", M, "THQR §3.2", "The national or tax ID proxy (29/02) is not 13 digits.")
        .ref_impl(None, "accepts");
    ID29_02_CHECK_DIGIT = Rule::should("THQR.29.02.CHECK_DIGIT", M, "THQR §3.2", "The 13-digit ID (29/02) fails the Thai check digit (weights 13..2, (11 - sum mod 11) mod 10).")
        .ref_impl(None, "unchecked");
    ID29_03_FORMAT = Rule::must("THQR.29.03.FORMAT", M, "THQR §3.2", "The e-wallet proxy (29/03) is not 15 digits.")
        .ref_impl(None, "accepts");
    ID29_03_TRUEMONEY = Rule::info("THQR.29.03.TRUEMONEY", H, "THQR §3.2", "The e-wallet ID (29/03) starts '14': a TrueMoney wallet code.")
        .ref_impl(None, "read as e-wallet");
    ID29_04_FORMAT = Rule::must("THQR.29.04.FORMAT", M, "THQR §3.2", "The bank-account proxy (29/04) is not a 3-digit bank code followed by the account number, 4-43 characters.")
        .ref_impl(None, "accepts");
    ID29_05_OTA_REQUIRED = Rule::must("THQR.29.05.OTA_REQUIRED", M, "THQR §3.2, §4", "AID ...0114 (one-time authorisation) without a 10-character OTA code in 29/05.")
        .ref_impl(None, "null (AID unknown to it)");
    ID29_05_WITHOUT_OTA_AID = Rule::should("THQR.29.05.WITHOUT_OTA_AID", L, "THQR §3.2", "An OTA code (29/05) with the plain credit-transfer AID ...0111 (inferred: the OTA code belongs to ...0114).")
        .ref_impl(None, "ignored");
    ID29_UNKNOWN_SUBTAG = Rule::info("THQR.29.UNKNOWN_SUBTAG", H, "THQR §3.2", "A 29 sub-tag outside 00-05.")
        .ref_impl(None, "ignored");

    // Tag 30: bill payment (section 3.3)
    ID30_GUID = Rule::must("THQR.30.GUID", H, "THQR §3.3", "30/00 is not 'A000000677010112' (domestic bill payment) or 'A000000677012006' (cross-border).")
        .ref_impl(None, "null");
    ID30_01_REQUIRED = Rule::must("THQR.30.01.REQUIRED", H, "THQR §3.3", "The biller ID (30/01) is missing or empty.")
        .ref_impl(None, "null");
    ID30_01_FORMAT = Rule::must("THQR.30.01.FORMAT", M, "THQR §3.3", "The biller ID (30/01) is not 15 digits (a 13-digit tax ID and a 2-digit suffix).")
        .ref_impl(None, "accepts (13 digits)");
    ID30_02_REQUIRED = Rule::must("THQR.30.02.REQUIRED", H, "THQR §3.3", "Reference 1 (30/02) is missing or empty.")
        .ref_impl(None, "null");
    ID30_02_LENGTH = Rule::must("THQR.30.02.LENGTH", M, "THQR §3.3", "Reference 1 (30/02) is over 20 characters.")
        .ref_impl(None, "accepts");
    ID30_03_LENGTH = Rule::must("THQR.30.03.LENGTH", M, "THQR §3.3", "Reference 2 (30/03) is over 20 characters.")
        .ref_impl(None, "accepts");
    ID30_REF_CHARSET = Rule::should("THQR.30.REF_CHARSET", L, "THQR §3.3", "A bill reference (30/02, 30/03) has characters other than A-Z and 0-9 (inferred from real codes; the BOT format is ans).")
        .ref_impl(None, "accepts");
    ID30_CROSS_BORDER = Rule::info("THQR.30.CROSS_BORDER", H, "THQR §3.3", "30/00 is 'A000000677012006': a cross-border merchant bill payment.")
        .ref_impl(None, "null");
    ID30_CROSS_BORDER_62_08 = Rule::should("THQR.30.CROSS_BORDER_62_08", M, "THQR §3.3, §3.5", "A cross-border bill payment whose 62/08 is not 3 digits (currency), 13 characters (local amount) and 2 letters (country).")
        .ref_impl(None, "unchecked");
    ID30_REF3 = Rule::info("THQR.30.REF3", H, "THQR §3.3, §3.5", "62/07 on a bill payment: the library's undocumented 'reference 3'.")
        .ref_impl(None, "returned as ref3");
    ID31_PAYMENT_INNOVATION = Rule::info("THQR.31.PAYMENT_INNOVATION", M, "THQR §3.4", "Template 31 (payment innovation, ...012004 or the vendor AID ...010113) is present; its sub-fields are acquirer-defined.")
        .ref_impl(None, "ignored");
    MERCHANT_NAME_ABSENT = Rule::info("THQR.MERCHANT.NAME_ABSENT", L, "THQR §6", "A bill-payment or payment-innovation code (30 or 31) carries no merchant name (59) (inferred: whether 59 is required there is open).")
        .ref_impl(None, "accepts");

    // Root values (sections 3.1, 3.8, 4)
    ID01_NON_QR_METHOD = Rule::info("THQR.01.NON_QR_METHOD", M, "THQR §3.1", "01 is '21', '22' or '31': a BLE or NFC method of the Thai standard, not a QR symbol (explains EMV.01.VALUE).")
        .ref_impl(None, "accepts");
    ID01_DYNAMIC_WITHOUT_AMOUNT = Rule::should("THQR.01.DYNAMIC_WITHOUT_AMOUNT", H, "THQR §4", "A dynamic code (01 = '12') has no amount (54).")
        .ref_impl(None, "accepts");
    ID01_STATIC_WITH_AMOUNT = Rule::info("THQR.01.STATIC_WITH_AMOUNT", M, "THQR §4", "A static code (01 = '11') carries an amount (54), as K SHOP-style merchant codes do.")
        .ref_impl(None, "accepts");
    ID53_REQUIRED = Rule::must("THQR.53.REQUIRED", H, "THQR §3.1, §3.8", "Transaction Currency (53) is missing.")
        .ref_impl(None, "accepts");
    ID53_VALUE = Rule::must("THQR.53.VALUE", H, "THQR §3.8", "Transaction Currency (53) is not '764' (THB).")
        .ref_impl(None, "accepts");
    ID58_REQUIRED = Rule::must("THQR.58.REQUIRED", H, "THQR §3.1, §3.8", "Country Code (58) is missing.")
        .ref_impl(None, "accepts");
    ID58_VALUE = Rule::must("THQR.58.VALUE", H, "THQR §3.8", "Country Code (58) is not 'TH'.")
        .ref_impl(None, "accepts");
    ID54_FORMAT = Rule::must("THQR.54.FORMAT", H, "THQR §3.8", "The amount (54) is not digits with at most one '.' ('-5', '1,000.00', '1e+21').")
        .ref_impl(None, "accepts; parseFloat ('1,000.00' is 1)");
    ID54_ZERO = Rule::must("THQR.54.ZERO", H, "THQR §3.8", "The amount (54) is numerically zero.")
        .ref_impl(None, "accepts");
    ID54_DECIMALS = Rule::should("THQR.54.DECIMALS", P, "THQR §3.8", "The amount (54) has 1 or 3 or more decimals; THB has 2.")
        .ref_impl(None, "accepts");
    ID54_NON_CANONICAL = Rule::info("THQR.54.NON_CANONICAL", H, "THQR §3.8", "The amount (54) is not in the reference generators' form digits.dd ('100', '100.').")
        .ref_impl(None, "accepts");
    TEXT_NON_ASCII = Rule::should("THQR.TEXT.NON_ASCII", H, "THQR §1", "A value holds non-ASCII text (Thai in 59, 60, 62 or 64): readers disagree on its CRC and lengths (promptparse rejects it).")
        .ref_impl(None, "P null");

    // Tags 80 and 81 (section 3.6)
    ID80_00_LENGTH = Rule::must("THQR.80.00.LENGTH", M, "THQR §3.6", "The VAT TQRC seller tax branch ID (80/00) is not exactly 4 characters.")
        .ref_impl(None, "ignored");
    ID80_01_FORMAT = Rule::should("THQR.80.01.FORMAT", M, "THQR §3.6", "The VAT rate (80/01) is not 1-5 characters with 2 decimals ('7.00').")
        .ref_impl(None, "ignored");
    ID80_02_REQUIRED = Rule::must("THQR.80.02.REQUIRED", M, "THQR §3.6", "A VAT TQRC (80) without its VAT amount (80/02), or one not 1-13 characters.")
        .ref_impl(None, "ignored");
    ID81_FORMAT = Rule::must("THQR.81.FORMAT", H, "THQR §3.6", "The TrueMoney message (81) is not a multiple of 4 upper-case hex digits (one UTF-16 code unit each).")
        .ref_impl(None, "accepts (raw value kept)");
    ID81_NON_TRUEMONEY = Rule::should("THQR.81.NON_TRUEMONEY", L, "THQR §3.6", "81 in a code that is not a TrueMoney code (29/03 not starting '14'); inferred: only TrueMoney is known to use it.")
        .ref_impl(None, "accepts (raw value kept)");

    // CRC (section 1)
    CRC_MISMATCH = Rule::must("THQR.CRC.MISMATCH", H, "THQR §1", "The CRC is not the CRC-16/CCITT-FALSE of the payload's UTF-8 bytes through '6304'.")
        .ref_impl(None, "P null");
    CRC_LOWERCASE = Rule::should("THQR.CRC.LOWERCASE", H, "THQR §1, §7", "The CRC is written in lower-case hex.")
        .ref_impl(None, "accepts; V false");
    CRC_UNPADDED = Rule::must("THQR.CRC.UNPADDED", H, "THQR §1, §7", "The CRC has 1-3 hex digits ('6303ABC', '6304' + 3 hex): a generator dropped leading zeros.")
        .ref_impl(None, "null (slip validator pads and accepts)");
    CRC_EXTRA_OBJECT = Rule::must("THQR.CRC.EXTRA_OBJECT", H, "THQR §7", "A second CRC object (63) follows, e.g. '6304' + CRC after a valid one.")
        .ref_impl(None, "accepts; V false");
    CRC_CODE_UNITS = Rule::must("THQR.CRC.CODE_UNITS", H, "THQR §1, §7", "The CRC was computed over the low byte of each UTF-16 code unit (promptparse's CRC) instead of the UTF-8 bytes.")
        .ref_impl(None, "library's withCrcTag does");

    // TLV structure (section 7)
    TLV_LENGTH_MISMATCH = Rule::must("THQR.TLV.LENGTH_MISMATCH", H, "THQR §7", "A length overruns its value, or the objects do not end exactly at the CRC.")
        .ref_impl(None, "accepts; V false");
    TLV_LENGTH_FORMAT = Rule::must("THQR.TLV.LENGTH_FORMAT", H, "THQR §7", "A length is not two ASCII digits ('A2', '+2', ' 2').")
        .ref_impl(None, "accepts; V false");
    TLV_DUPLICATE_TAG = Rule::must("THQR.TLV.DUPLICATE_TAG", H, "THQR §7", "A root tag or sub-tag occurs twice (the library keeps the first).")
        .ref_impl(None, "accepts, first wins");
    TLV_ZERO_LENGTH = Rule::must("THQR.TLV.ZERO_LENGTH", H, "THQR §7", "A data object has length 00.")
        .ref_impl(None, "accepts");

    // Generators (judged by generate vectors)
    GEN_MOBILE_NORMALISATION = Rule::must("THQR.GEN.MOBILE_NORMALISATION", H, "THQR §3.2, §7", "A generator given a Thai mobile number ('081-234-5678', '+66812345678') writes 29/01 other than '0066' + 9 digits.")
        .scope(Scope::Generator)
        .ref_impl(None, "library writes 6681-234-5678, 0+668..., 0000812345678");
    GEN_AMOUNT_UNCHECKED = Rule::must("THQR.GEN.AMOUNT_UNCHECKED", H, "THQR §3.8, §7", "A generator writes an amount (54) breaking THQR.54.FORMAT ('-5.00', '1e+21') instead of refusing it.")
        .scope(Scope::Generator)
        .ref_impl(None, "library writes -5.00, 1e+21");
}}
