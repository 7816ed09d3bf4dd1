//! The INTEROP layer (`docs/spec/jpqr.md`, section 10.1): qrcert's own rules for codes meant to
//! be paid from a wallet of the other scheme (a Japanese wallet at a KHQR sticker, a Cambodian
//! wallet at a JPQR sticker). Every rule is a qrcert decision, derived from the digest's
//! cross-border table; reports print the confidence DECISION.

use crate::rules::rule::Confidence::Decision as D;
use crate::rules::rule::{Rule, Scope};

catalogue! { RULES {
    PROFILE_DETECTABLE = Rule::must("INTEROP.PROFILE.DETECTABLE", D, "JPQR §10, §10.1", "The code carries the exact account identifier of no national profile (JPQR's GUID 'jp.or.paymentsjapan', a Bakong account ID in 29/30, a Thai AID, ...), or of several: a foreign wallet cannot choose a profile.");
    ID53_SUPPORTED = Rule::must("INTEROP.53.SUPPORTED", D, "JPQR §10, §10.1", "Transaction Currency (53) is not a currency of a national profile (392 JPY, 116 KHR, 840 USD, 764 THB, ...; `qrcert rules` names each profile's).");
    ID53_58_PAIR = Rule::info("INTEROP.53_58.PAIR", D, "JPQR §10, §10.1", "Country (58) and currency (53) are not a pair of one national profile (JP/392, KH/116, KH/840, TH/764, ...); wallets take each from its own field.");
    ID54_EXPONENT = Rule::must("INTEROP.54.EXPONENT", D, "JPQR §10, §10.1", "The amount (54) has decimals its currency does not allow (exponent 0, e.g. 392, 116: none; exponent 2, e.g. 840, 764: none or exactly 2).");
    ID59_PRESENT = Rule::should("INTEROP.59.PRESENT", D, "THQR §8; VNQR §8", "Merchant Name (59) is absent (PromptPay personal codes, VietQR transfers): a foreign wallet has no payee name to show before the customer confirms.");
    ID59_LATIN = Rule::must("INTEROP.59.LATIN", D, "JPQR §10, §10.1; KHQR §3.6", "Merchant Name (59) is not printable ASCII: a foreign wallet may have no font or transliteration for it.");
    ID60_LATIN = Rule::must("INTEROP.60.LATIN", D, "JPQR §10, §10.1; KHQR §3.6", "Merchant City (60) is not printable ASCII.");
    ID64_LOCAL_NAME = Rule::should("INTEROP.64.LOCAL_NAME", D, "JPQR §10, §10.1", "The merchant's local-script name is absent from the language template (64/01 with the profile's 64/00: 'JA' for JPQR, 'km' for KHQR, 'th' for Thai QR).");
    ID64_LANG_CODE = Rule::should("INTEROP.64.LANG_CODE", D, "JPQR §10, §10.1", "The language preference (64/00) is not an ISO 639-1 code (compared case-insensitively).");
    ID63_UPPERCASE = Rule::must("INTEROP.63.UPPERCASE", D, "JPQR §8.12, §10.1; KHQR §2", "The CRC is not upper-case hex: readers differ in accepting lower case.");
    TEXT_BMP_ONLY = Rule::should("INTEROP.TEXT.BMP_ONLY", D, "JPQR §5, §10.1; KHQR §1", "A value holds a character above U+FFFF: JPQR counts code points, KHQR UTF-16 units, so the two schemes' readers disagree on its length.");
    MAI_PRIMITIVE_02_25 = Rule::must("INTEROP.MAI.PRIMITIVE_02_25", D, "JPQR §8.3, §10, §10.1", "A primitive account field (02-25) holds TLV with an account identifier: a reader would have to parse it as a template to pay.");
    QR_BYTE_ECI = Rule::should("INTEROP.QR.BYTE_ECI", D, "JPQR §5, §10.1; EMVCo §4.12", "(Image) A non-ASCII payload is not encoded in Byte mode with ECI 26 (UTF-8). Planned: no cross-border render or scan case exists yet to grade it on; render cases judge the same symbols with EMV.QR.BYTE_MODE_ONLY and EMV.QR.ECI_UTF8_REQUIRED.")
        .scope(Scope::Symbol)
        .planned();
}}
