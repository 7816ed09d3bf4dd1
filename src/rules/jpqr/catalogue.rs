//! The JPQR layer of the catalogue (`docs/spec/jpqr.md`, section 9): 39 rules, of which the 13
//! bill-payment / eL-QR rules (`JPQR.BILL.*`, `JPQR.ELQR.*`) are catalogued as planned: the bill
//! form is recognised (profile `jpqr-bill`, selector `JPQR.PROFILE.BILL`) but not judged yet.
//!
//! Two lists: [`RULES`], the MPM profile `jpqr`, and [`BILL_RULES`], the profile `jpqr-bill`.
//!
//! References use the digest's source keys: GEC (mercari/go-emv-code), NAT (@natade-coco/jpqr),
//! JRR (JPQRReader), STK (a real sticker), ELQ (an eL-QR parser and two real codes).

use crate::rules::rule::Confidence::{Confirmed as C, Inferred as I, Unconfirmed as U};
use crate::rules::rule::Rule;

catalogue! { RULES {
    // Selector
    PROFILE_MPM = Rule::info("JPQR.PROFILE.MPM", C, "JPQR §3, §9; GEC", "Selector: a merchant-account template (26-51; 02-25 are primitive in EMVCo) whose 00 is 'jp.or.paymentsjapan' (matched case-insensitively, so a wrong-case GUID is still judged as JPQR) selects the JPQR MPM rules.");

    // The JPQR merchant-account template (JPQR ID)
    ID26_ID_PRESENT = Rule::must("JPQR.26.ID_PRESENT", C, "JPQR §3; GEC; STK", "No merchant-account template (26-51) carries the JPQR GUID 'jp.or.paymentsjapan' (profile forced to jpqr).");
    ID26_ID_IN_TAG_26 = Rule::should("JPQR.26.ID_IN_TAG_26", I, "JPQR §2, §3; examples; STK", "Inferred: the JPQR template is in a tag other than 26.");
    ID26_ID_SINGLE = Rule::should("JPQR.26.ID_SINGLE", U, "JPQR §11", "Unconfirmed: more than one JPQR template.");
    ID26_00_GUID = Rule::must("JPQR.26.00.GUID", C, "JPQR §3; GEC; NAT; STK", "The JPQR template's GUID (00) is not exactly 'jp.or.paymentsjapan' (case-sensitive).");
    ID26_LEVELS_PRESENT = Rule::must("JPQR.26.LEVELS_PRESENT", C, "JPQR §3; GEC", "A management level (01-04) of the JPQR template is missing.");
    ID26_01_LENGTH_13 = Rule::must("JPQR.26.01.LENGTH_13", C, "JPQR §3; GEC; NAT; STK", "Management level 1 (JPQR template 01) is not 13 characters.");
    ID26_02_LENGTH_4 = Rule::must("JPQR.26.02.LENGTH_4", C, "JPQR §3; GEC; STK", "Management level 2 (JPQR template 02) is not 4 characters.");
    ID26_03_LENGTH_6 = Rule::must("JPQR.26.03.LENGTH_6", C, "JPQR §3; GEC; STK", "Management level 3 (JPQR template 03) is not 6 characters.");
    ID26_04_LENGTH_6 = Rule::must("JPQR.26.04.LENGTH_6", C, "JPQR §3; GEC; STK", "Management level 4 (JPQR template 04) is not 6 characters.");
    ID26_LEVELS_NUMERIC = Rule::must("JPQR.26.LEVELS_NUMERIC", I, "JPQR §3; all values seen", "Inferred: a management level (01-04) has a character other than 0-9.");
    ID26_NO_EXTRA_SUBTAGS = Rule::should("JPQR.26.NO_EXTRA_SUBTAGS", U, "JPQR §3 (GEC ignores them)", "Unconfirmed: the JPQR template has a sub-tag outside 00-04.");

    // Root objects
    ID53_CURRENCY_JPY = Rule::must("JPQR.53.CURRENCY_JPY", C, "JPQR §2; GEC; NAT; STK", "Transaction Currency (53) is not '392' (JPY).");
    ID54_NO_DECIMALS = Rule::must("JPQR.54.NO_DECIMALS", I, "JPQR §4; ISO 4217; EMV.54.DECIMALS", "Inferred: the amount (54) contains '.' (JPY has no minor unit; a trailing '.' counts).");
    ID54_DYNAMIC_REQUIRES_AMOUNT = Rule::must("JPQR.54.DYNAMIC_REQUIRES_AMOUNT", I, "JPQR §4; NAT README", "Inferred: a dynamic code (01 = '12') has no amount (54).");
    ID58_COUNTRY_JP = Rule::must("JPQR.58.COUNTRY_JP", C, "JPQR §2; GEC; NAT; STK", "Country Code (58) is not 'JP'.");
    ID59_ROMANIZED = Rule::should("JPQR.59.ROMANIZED", I, "JPQR §2; STK; EMV.59.CHARSET", "Inferred: Merchant Name (59) is not printable ASCII (the Japanese name belongs in 64/01).");
    ID60_ROMANIZED = Rule::should("JPQR.60.ROMANIZED", I, "JPQR §2; fixtures; EMV.60.CHARSET", "Inferred: Merchant City (60) is not printable ASCII.");
    ID61_POSTAL_PRESENT = Rule::must("JPQR.61.POSTAL_PRESENT", C, "JPQR §2; GEC; NAT", "Postal Code (61) is absent or empty (JPQR makes it mandatory).");
    ID61_POSTAL_7_DIGITS = Rule::must("JPQR.61.POSTAL_7_DIGITS", I, "JPQR §2; examples; JP postal system", "Inferred: Postal Code (61) is not exactly 7 digits (no hyphen).");
    ID64_PRESENT = Rule::must("JPQR.64.PRESENT", C, "JPQR §2; GEC", "The language template (64) is absent (JPQR makes it mandatory).");
    ID64_00_LANG_JA = Rule::must("JPQR.64.00.LANG_JA", C, "JPQR §2; GEC; NAT; STK", "The language preference (64/00) is not exactly 'JA'.");
    ID64_01_NAME_PRESENT = Rule::must("JPQR.64.01.NAME_PRESENT", C, "JPQR §2; GEC; EMV.64.01.*", "The Japanese merchant name (64/01) is absent, empty or over 25 characters.");
    ID64_02_ABSENT = Rule::must("JPQR.64.02.ABSENT", C, "JPQR §2; GEC; STK", "An alternate-language city (64/02) is present: JPQR forbids it.");
    LENGTH_CHARACTERS = Rule::must("JPQR.LENGTH.CHARACTERS", C, "JPQR §5; GEC; JRR; NAT; STK", "A length counts bytes (or UTF-16 units) instead of characters (code points); confirmed for implementations, inferred for real codes.");

}}

catalogue! { BILL_RULES {
    // Bill payment / eL-QR: recognised by its selector, its rules planned.
    PROFILE_BILL = Rule::info("JPQR.PROFILE.BILL", I, "JPQR §6, §9; ELQ", "Selector (inferred): the payload is all digits and ends in '6305' + 5 decimal digits: the JPQR bill-payment / eL-QR form, recognised and not judged by MPM rules.");
    BILL_NUMERIC_ONLY = Rule::must("JPQR.BILL.NUMERIC_ONLY", I, "JPQR §6; real eL-QR", "Inferred: a bill-payment payload has a non-digit.").planned();
    BILL_01_DYNAMIC = Rule::must("JPQR.BILL.01.DYNAMIC", C, "JPQR §6; ELQ; real", "A bill-payment payload's 01 is not '12'.").planned();
    BILL_54_NO_DECIMALS = Rule::must("JPQR.BILL.54.NO_DECIMALS", C, "JPQR §6; real", "A bill-payment amount (54) has a non-digit.").planned();
    BILL_63_CRC_DECIMAL5 = Rule::must("JPQR.BILL.63.CRC_DECIMAL5", C, "JPQR §6; ELQ; real", "A bill-payment CRC is not length 05 or not the CRC through '6305' as 5 decimal digits.").planned();
    ELQR_LENGTH_255 = Rule::must("JPQR.ELQR.LENGTH_255", C, "JPQR §6; ELQ", "An eL-QR payload is not 255 characters.").planned();
    ELQR_TAG_SEQUENCE = Rule::must("JPQR.ELQR.TAG_SEQUENCE", C, "JPQR §6; ELQ", "An eL-QR payload's tags are not exactly 00, 01, 27, 54, 62, 80, 63 in order.").planned();
    ELQR_27_LENGTH_96 = Rule::must("JPQR.ELQR.27.LENGTH_96", C, "JPQR §6; ELQ", "eL-QR 27 is not 96 characters holding only 00 (5) and 01 (83).").planned();
    ELQR_27_00_AGENCY_13800 = Rule::must("JPQR.ELQR.27.00.AGENCY_13800", C, "JPQR §6; ELQ; real", "eL-QR 27/00 is not '13800'.").planned();
    ELQR_54_LENGTH_11 = Rule::must("JPQR.ELQR.54.LENGTH_11", C, "JPQR §6; ELQ", "eL-QR 54 is not 11 digits.").planned();
    ELQR_54_MATCHES_27 = Rule::must("JPQR.ELQR.54.MATCHES_27", I, "JPQR §6; ELQ comment; real", "Inferred: eL-QR 54 differs from the amount inside 27/01.").planned();
    ELQR_62_LENGTH_26 = Rule::must("JPQR.ELQR.62.LENGTH_26", C, "JPQR §6; ELQ", "eL-QR 62 is not 26 raw digits.").planned();
    ELQR_62_DATES_VALID = Rule::must("JPQR.ELQR.62.DATES_VALID", C, "JPQR §6; ELQ", "A yyyyMMdd date in eL-QR 62 is not a real date.").planned();
    ELQR_80_LENGTH_85 = Rule::must("JPQR.ELQR.80.LENGTH_85", C, "JPQR §6; ELQ", "eL-QR 80 is not 85 digits.").planned();
}}
