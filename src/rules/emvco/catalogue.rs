//! The EMVCo layer of the catalogue (`docs/spec/emvco.md`, section 8): 107 MPM rules and 26
//! CPM rules (planned). Each static is the rule whose ID its name spells.

use crate::rules::rule::Confidence::{
    Confirmed as C, ConfirmedPolicy as CP, Inferred as I, Secondary as S,
};
use crate::rules::rule::{Rule, Scope, Severity};

catalogue! { RULES {
    // 8.1 Payload and TLV
    PAYLOAD_EMPTY = Rule::must("EMV.PAYLOAD.EMPTY", C, "§3.2", "The payload is empty.");
    PAYLOAD_UTF8 = Rule::must("EMV.PAYLOAD.UTF8", C, "§1.4.3", "The payload bytes are not valid UTF-8.");
    PAYLOAD_MAX_CHARS = Rule::should("EMV.PAYLOAD.MAX_CHARS", C, "§4.1", "The payload is longer than 512 characters.");
    PAYLOAD_MAX_BYTES = Rule::should("EMV.PAYLOAD.MAX_BYTES", CP, "§4.1; CPM §4.1.1.1", "The payload is longer than 512 UTF-8 bytes, the practical reader limit.");
    PAYLOAD_CONTROL_CHARS = Rule::must("EMV.PAYLOAD.CONTROL_CHARS", CP, "§3.2, §4.5", "A control character (U+0000-U+001F, U+007F) outside any data object, e.g. a trailing CR/LF (MUST), or inside an S value (reported as SHOULD); inside N and ans values the charset rules fire instead.");
    TLV_TRUNCATED_HEADER = Rule::must("EMV.TLV.TRUNCATED_HEADER", C, "§3.2", "Fewer than four characters are left where a data object starts.");
    TLV_ID_NUMERIC = Rule::must("EMV.TLV.ID_NUMERIC", C, "§4.3.1.1", "A data object ID is not two ASCII digits.");
    TLV_LENGTH_NUMERIC = Rule::must("EMV.TLV.LENGTH_NUMERIC", C, "§4.4.1.2", "A length is not two ASCII digits (e.g. '+5', '-1', ' 5', full-width digits).");
    TLV_LENGTH_ZERO = Rule::must("EMV.TLV.LENGTH_ZERO", C, "§4.4.1.2", "A data object has length 00.");
    TLV_LENGTH_OVERRUN = Rule::must("EMV.TLV.LENGTH_OVERRUN", C, "§4.4.1.1", "A value runs past the end of the payload or of its template.");
    TLV_DUPLICATE_ID = Rule::must("EMV.TLV.DUPLICATE_ID", C, "§4.3.1.2", "A root data object ID occurs twice.");
    TLV_DUPLICATE_SUBID = Rule::must("EMV.TLV.DUPLICATE_SUBID", C, "§4.3.1.2", "A sub-ID occurs twice in one template.");
    TLV_TEMPLATE_SYNTAX = Rule::must("EMV.TLV.TEMPLATE_SYNTAX", C, "§3.2", "The value of a template (26-51, 62, 64, 62/50-99, 80-99) does not parse fully as TLV.");
    TLV_ORDER_NUMERIC = Rule::info("EMV.TLV.ORDER_NUMERIC", C, "§4.6.1", "Data objects are not in ascending ID order (allowed).");
    CHARSET_N = Rule::must("EMV.CHARSET.N", C, "§4.5.1.1", "A numeric (N) value has a character other than 0-9.");
    CHARSET_ANS = Rule::must("EMV.CHARSET.ANS", C, "§4.5.2.1; Book 4 Table 36", "An ans value has a character outside U+0020-U+007E (fields with their own charset rule report there).");
    CHARSET_S_PRECOMPOSED = Rule::should("EMV.CHARSET.S_PRECOMPOSED", C, "§1.4.3, §4.5.3.1", "An S value is not in precomposed form (NFC), so character counts differ across platforms.");
    CHARSET_NON_BMP = Rule::should("EMV.CHARSET.NON_BMP", I, "§4.4.1.1", "Inferred: an S value has a character above U+FFFF, where code-point and UTF-16 counters disagree on lengths.");
    MODEL_VERSION_MISMATCH = Rule::info("EMV.MODEL.VERSION_MISMATCH", S, "MPM v1.1", "62/10 or 62/11 (v1.1 fields) present while validating as v1.0, where they are RFU.");

    // 8.2 Root objects
    ID00_PRESENT = Rule::must("EMV.00.PRESENT", C, "T3.6, §4.2.1.1", "Payload Format Indicator (00) is missing.");
    ID00_FIRST = Rule::must("EMV.00.FIRST", C, "§4.6.1.1", "Payload Format Indicator (00) is not the first data object.");
    ID00_LENGTH = Rule::must("EMV.00.LENGTH", C, "T3.6", "Payload Format Indicator (00) length is not 02.");
    ID00_VALUE = Rule::must("EMV.00.VALUE", C, "§4.7.1.1", "Payload Format Indicator (00) is not '01'.");
    ID01_LENGTH = Rule::must("EMV.01.LENGTH", C, "T3.6", "Point of Initiation Method (01) length is not 02.");
    ID01_VALUE = Rule::must("EMV.01.VALUE", C, "§4.7.2.1", "Point of Initiation Method (01) is not '11' (static) or '12' (dynamic).");
    ID01_STATIC_WITH_AMOUNT = Rule::info("EMV.01.STATIC_WITH_AMOUNT", I, "§4.7.2.1", "Inferred: a static code (01 = '11') carries an amount (54); legal in EMVCo, a profile may forbid it.");
    MAI_PRESENT = Rule::must("EMV.MAI.PRESENT", C, "§4.7.9.1", "No Merchant Account Information (02-51) is present.");
    MAI_LENGTH = Rule::must("EMV.MAI.LENGTH", C, "T3.6", "A Merchant Account Information value is over 99 characters (written with a 3-digit length).");
    MAI_CHARSET = Rule::must("EMV.MAI.CHARSET", C, "T3.6, Annex A", "A Merchant Account Information value (template content included) is not ans.");
    MAI_GUID_PRESENT = Rule::must("EMV.MAI.GUID_PRESENT", C, "§4.7.11.2, T4.2", "A Merchant Account Information template (26-51) has no GUID (00).");
    MAI_GUID_LENGTH = Rule::must("EMV.MAI.GUID_LENGTH", C, "T4.2", "A Merchant Account Information GUID (26-51/00) is not 1-32 ans characters.");
    MAI_GUID_FORMAT = Rule::should("EMV.MAI.GUID_FORMAT", CP, "§4.7.11.2", "A Merchant Account Information GUID is not an AID (10-32 hex digits, even count), a 32-hex UUID or a reverse domain name.");
    MAI_RESERVED_EMVCO = Rule::should("EMV.MAI.RESERVED_EMVCO", CP, "T4.1", "Merchant Account Information uses an ID reserved for EMVCo (06-08, 17-25).");
    ID52_PRESENT = Rule::must("EMV.52.PRESENT", C, "T3.6", "Merchant Category Code (52) is missing.");
    ID52_FORMAT = Rule::must("EMV.52.FORMAT", C, "T3.6", "Merchant Category Code (52) is not exactly 4 digits.");
    ID52_ISO18245 = Rule::should("EMV.52.ISO18245", CP, "§4.7.12.1", "Merchant Category Code (52) is not a known ISO 18245 code ('0000' is common and is not one).");
    ID53_PRESENT = Rule::must("EMV.53.PRESENT", C, "T3.6", "Transaction Currency (53) is missing.");
    ID53_FORMAT = Rule::must("EMV.53.FORMAT", C, "T3.6, §4.7.5.1", "Transaction Currency (53) is not exactly 3 digits.");
    ID53_ISO4217 = Rule::should("EMV.53.ISO4217", CP, "§4.7.5.1", "Transaction Currency (53) is not an assigned ISO 4217 numeric code.");
    ID54_LENGTH = Rule::must("EMV.54.LENGTH", C, "T3.6", "Transaction Amount (54) is over 13 characters.");
    ID54_FORMAT = Rule::must("EMV.54.FORMAT", C, "§4.7.4.1", "Transaction Amount (54) is not digits with at most one '.', or has no digit.");
    ID54_NONZERO = Rule::must("EMV.54.NONZERO", C, "§4.7.4.1", "Transaction Amount (54) is numerically zero.");
    ID54_DECIMALS = Rule::should("EMV.54.DECIMALS", C, "§4.7.4.1", "Transaction Amount (54) has decimal digits that disagree with the ISO 4217 exponent of the currency (53).");
    ID54_LEADING_DOT = Rule::should("EMV.54.LEADING_DOT", I, "§4.7.4.1", "Inferred: Transaction Amount (54) starts with '.'.");
    ID54_LEADING_ZERO = Rule::info("EMV.54.LEADING_ZERO", I, "§4.7.4.1", "Inferred: Transaction Amount (54) has superfluous leading zeros.");
    ID55_LENGTH = Rule::must("EMV.55.LENGTH", C, "T3.6", "Tip or Convenience Indicator (55) length is not 02.");
    ID55_VALUE = Rule::must("EMV.55.VALUE", C, "§4.7.6.1", "Tip or Convenience Indicator (55) is not '01', '02' or '03'.");
    ID56_REQUIRED = Rule::must("EMV.56.REQUIRED", C, "§4.7.7.1", "55 = '02' (fixed fee) but Convenience Fee Fixed (56) is missing.");
    ID56_FORBIDDEN = Rule::must("EMV.56.FORBIDDEN", C, "§4.7.7.1", "Convenience Fee Fixed (56) is present while 55 is not '02'.");
    ID56_FORMAT = Rule::must("EMV.56.FORMAT", C, "§4.7.7.1-3", "Convenience Fee Fixed (56) is over 13 characters, not digits with at most one '.', or zero.");
    ID56_DECIMALS = Rule::should("EMV.56.DECIMALS", C, "§4.7.7.3", "Convenience Fee Fixed (56) has decimal digits that disagree with the currency's exponent.");
    ID57_REQUIRED = Rule::must("EMV.57.REQUIRED", C, "§4.7.8.1", "55 = '03' (percentage fee) but Convenience Fee Percentage (57) is missing.");
    ID57_FORBIDDEN = Rule::must("EMV.57.FORBIDDEN", C, "§4.7.8.1", "Convenience Fee Percentage (57) is present while 55 is not '03'.");
    ID57_FORMAT = Rule::must("EMV.57.FORMAT", C, "§4.7.8.2-3", "Convenience Fee Percentage (57) is over 5 characters or not digits with at most one '.' (e.g. has '%').");
    ID57_RANGE = Rule::must("EMV.57.RANGE", C, "§4.7.8.1", "Convenience Fee Percentage (57) is outside 0.01-99.99.");
    ID58_PRESENT = Rule::must("EMV.58.PRESENT", C, "T3.6", "Country Code (58) is missing.");
    ID58_FORMAT = Rule::must("EMV.58.FORMAT", C, "T3.6, §4.7.13.1", "Country Code (58) is not 2 letters.");
    ID58_ISO3166 = Rule::should("EMV.58.ISO3166", CP, "§4.7.13.1", "Country Code (58) is not an assigned upper-case ISO 3166-1 alpha-2 code.");
    ID59_PRESENT = Rule::must("EMV.59.PRESENT", C, "§4.7.14.1", "Merchant Name (59) is missing.");
    ID59_LENGTH = Rule::must("EMV.59.LENGTH", C, "T3.6", "Merchant Name (59) is over 25 characters.");
    ID59_CHARSET = Rule::must("EMV.59.CHARSET", C, "T3.6", "Merchant Name (59) is not ans (local script belongs in 64/01).");
    ID59_WHITESPACE = Rule::should("EMV.59.WHITESPACE", I, "-", "Inferred: Merchant Name (59) has leading or trailing spaces.");
    ID60_PRESENT = Rule::must("EMV.60.PRESENT", C, "§4.7.15.1", "Merchant City (60) is missing.");
    ID60_LENGTH = Rule::must("EMV.60.LENGTH", C, "T3.6", "Merchant City (60) is over 15 characters.");
    ID60_CHARSET = Rule::must("EMV.60.CHARSET", C, "T3.6", "Merchant City (60) is not ans (local script belongs in 64/02).");
    ID61_LENGTH = Rule::must("EMV.61.LENGTH", C, "T3.6", "Postal Code (61) is over 10 characters.");
    ID61_CHARSET = Rule::must("EMV.61.CHARSET", C, "T3.6", "Postal Code (61) is not ans.");
    RFU_ROOT = Rule::should("EMV.RFU.ROOT", CP, "§4.10", "A root ID reserved for EMVCo (65-79) is used: generators must not emit it, consumers must tolerate it.");

    // 8.3 Templates 62, 64, 80-99
    ID62_LENGTH = Rule::must("EMV.62.LENGTH", C, "T3.6", "Additional Data Field Template (62) is over 99 characters (written with a 3-digit length).");
    ID62_NOT_EMPTY = Rule::must("EMV.62.NOT_EMPTY", C, "§4.8.1.1", "Additional Data Field Template (62) holds no data object.");
    ID62_SUB_LENGTH = Rule::must("EMV.62.SUB_LENGTH", C, "T3.7", "A 62 field 01-08 is over 25 characters.");
    ID62_SUB_CHARSET = Rule::must("EMV.62.SUB_CHARSET", C, "T3.7", "A 62 field 01-11 is not ans.");
    ID62_PROMPT_VALUE = Rule::info("EMV.62.PROMPT_VALUE", C, "§4.8.1.2", "A 62 field 01-08 is '***': the app must prompt the consumer for it (not an error).");
    ID62_09_VALUE = Rule::must("EMV.62.09.VALUE", C, "§4.8.1.3", "Additional Consumer Data Request (62/09) is not 1-3 of 'A', 'M', 'E' without repeats.");
    ID62_10_LENGTH = Rule::must("EMV.62.10.LENGTH", S, "MPM v1.1", "Merchant Tax ID (62/10) is over 20 characters or not ans.");
    ID62_11_FORMAT = Rule::must("EMV.62.11.FORMAT", S, "MPM v1.1", "Merchant Channel (62/11) is not exactly 3 characters.");
    ID62_11_VALUES = Rule::should("EMV.62.11.VALUES", S, "MPM v1.1", "Merchant Channel (62/11) positions are outside 0-7 / 0-3 / 0-3.");
    ID62_RFU_SUBID = Rule::should("EMV.62.RFU_SUBID", C, "T4.3", "A 62 sub-ID reserved for EMVCo is used (12-49 in v1.1, 10-49 in v1.0).");
    ID62_PSS_GUID_PRESENT = Rule::must("EMV.62.PSS_GUID_PRESENT", C, "§4.8.1.5, T4.4", "A payment-system specific template (62/50-99) has no GUID (00).");
    ID62_PSS_GUID_LENGTH = Rule::must("EMV.62.PSS_GUID_LENGTH", C, "T4.4", "A payment-system specific template's GUID (62/50-99/00) is not 1-32 ans characters.");
    ID64_LENGTH = Rule::must("EMV.64.LENGTH", C, "T3.6", "Language Template (64) is over 99 characters (written with a 3-digit length).");
    ID64_00_PRESENT = Rule::must("EMV.64.00.PRESENT", C, "§4.9.1.1", "Language Template (64) has no Language Preference (00).");
    ID64_00_FORMAT = Rule::must("EMV.64.00.FORMAT", C, "§4.9.2.1", "Language Preference (64/00) is not 2 letters.");
    ID64_00_ISO639 = Rule::should("EMV.64.00.ISO639", CP, "§4.9.2.1", "Language Preference (64/00) is not an ISO 639-1 code (compared case-insensitively).");
    ID64_01_PRESENT = Rule::must("EMV.64.01.PRESENT", C, "§4.9.1.1, §4.9.3.1", "Language Template (64) has no alternate-language Merchant Name (01).");
    ID64_01_LENGTH = Rule::must("EMV.64.01.LENGTH", C, "T3.8", "Alternate-language Merchant Name (64/01) is over 25 characters.");
    ID64_02_LENGTH = Rule::must("EMV.64.02.LENGTH", C, "T3.8", "Alternate-language Merchant City (64/02) is over 15 characters.");
    ID64_RFU_SUBID = Rule::should("EMV.64.RFU_SUBID", C, "§4.9.1.1", "A 64 sub-ID reserved for EMVCo (03-99) is used.");
    UNRES_GUID_PRESENT = Rule::must("EMV.UNRES.GUID_PRESENT", C, "§4.11.1.1-2", "An unreserved template (80-99) has no GUID (00).");
    UNRES_GUID_LENGTH = Rule::must("EMV.UNRES.GUID_LENGTH", C, "T4.5", "An unreserved template's GUID (80-99/00) is not 1-32 ans characters.");
    UNRES_GUID_FORMAT = Rule::should("EMV.UNRES.GUID_FORMAT", CP, "§4.11.1.2", "An unreserved template's GUID is not an AID, a 32-hex UUID or a reverse domain name.");
    UNRES_LENGTH = Rule::must("EMV.UNRES.LENGTH", C, "T3.6", "An unreserved template (80-99) is over 99 characters (written with a 3-digit length).");

    // 8.4 CRC
    ID63_PRESENT = Rule::must("EMV.63.PRESENT", C, "T3.6", "The CRC (63) is missing.");
    ID63_LAST = Rule::must("EMV.63.LAST", C, "§4.6.1.2", "Something follows the CRC value (63 must be the last data object, with nothing after it).");
    ID63_LENGTH = Rule::must("EMV.63.LENGTH", C, "T3.6, §4.7.3.2", "The CRC object is not '6304' followed by 4 characters.");
    ID63_HEX = Rule::must("EMV.63.HEX", C, "§4.7.3.2", "The CRC value is not 4 hex digits.");
    ID63_UPPERCASE = Rule::should("EMV.63.UPPERCASE", I, "§4.7.3.2 examples", "Inferred: the CRC uses lower-case hex digits (a generator MUST write upper case; consumers SHOULD accept it).")
        .when_generated(Severity::Must);
    ID63_CRC_MISMATCH = Rule::must("EMV.63.CRC_MISMATCH", C, "§4.7.3.1", "The CRC is not the CRC-16/CCITT-FALSE of the payload's UTF-8 bytes through '6304'.");
    ID63_CONSUMER_REJECTS_BAD_CRC = Rule::must("EMV.63.CONSUMER_REJECTS_BAD_CRC", I, "§4.7.3", "Inferred: a consumer accepted a payload whose CRC does not match.")
        .scope(Scope::Behaviour);

    // 8.5 QR symbol
    QR_DECODES = Rule::must("EMV.QR.DECODES", C, "ISO/IEC 18004", "The QR symbol does not decode to exactly the expected payload.").scope(Scope::Symbol);
    QR_BYTE_MODE_ONLY = Rule::must("EMV.QR.BYTE_MODE_ONLY", C, "§4.12.1.1", "The QR symbol has a Numeric, Alphanumeric or Kanji segment; all data must be in Byte mode.").scope(Scope::Symbol);
    QR_NO_STRUCTURED_APPEND = Rule::must("EMV.QR.NO_STRUCTURED_APPEND", C, "§4.12.1.1", "The QR symbol uses Structured Append.").scope(Scope::Symbol);
    QR_NO_FNC1 = Rule::must("EMV.QR.NO_FNC1", C, "§4.12.1.1", "The QR symbol uses FNC1 mode.").scope(Scope::Symbol);
    QR_ECI_UTF8_REQUIRED = Rule::must("EMV.QR.ECI_UTF8_REQUIRED", C, "§4.12.1.2", "A payload with non-ans characters is encoded without ECI 000026 (UTF-8).").scope(Scope::Symbol);
    QR_ECI_VALUE = Rule::should("EMV.QR.ECI_VALUE", I, "§4.12.1.2", "Inferred: the QR symbol carries an ECI other than 26.").scope(Scope::Symbol);
    QR_QUIET_ZONE = Rule::should("EMV.QR.QUIET_ZONE", C, "ISO/IEC 18004", "The quiet zone is under 4 modules (ISO/IEC 18004, not EMVCo).").scope(Scope::Symbol);
    QR_QUIET_ZONE_NONE = Rule::must("EMV.QR.QUIET_ZONE_NONE", crate::rules::rule::Confidence::Decision, "ISO/IEC 18004 §6.3.8 (EMVCo §4.12 refers to it)", "qrcert policy: a rendered image has no quiet zone at all (the symbol touches the image edge), so it cannot be read wherever it is placed on a dark or busy surface; 1-3 modules is EMV.QR.QUIET_ZONE (SHOULD).").scope(Scope::Symbol);
    QR_EC_LEVEL = Rule::should("EMV.QR.EC_LEVEL", crate::rules::rule::Confidence::Decision, "ISO/IEC 18004 (EMVCo sets no level)", "The symbol's error-correction level is below the level the vector or profile asks for; EMVCo sets no threshold, so this is qrcert policy (SHOULD).").scope(Scope::Symbol);
    QR_NOT_MIRRORED = Rule::info("EMV.QR.NOT_MIRRORED", I, "CPM §3.2 (MPM silent)", "Inferred: the QR symbol is mirrored or has reversed reflectance.").scope(Scope::Symbol);

    // 8.6 Consumer-Presented Mode: catalogued for a later profile.
    CPM_PREFIX = Rule::must("EMV.CPM.PREFIX", C, "CPM §5.1.1.1", "CPM text does not start 'hQVDUFY'.").planned();
    CPM_BASE64 = Rule::must("EMV.CPM.BASE64", C, "CPM §5.1.1.2", "CPM text is not valid RFC 4648 Base64.").planned();
    CPM_BER_TLV = Rule::must("EMV.CPM.BER_TLV", C, "CPM §5.1.1.2", "CPM data is not well-formed BER-TLV.").planned();
    CPM_85_FIRST = Rule::must("EMV.CPM.85.FIRST", C, "CPM §5.1.1.2, T3.1", "CPM: the first tag is not 85.").planned();
    CPM_85_VALUE = Rule::must("EMV.CPM.85.VALUE", C, "CPM §5.1.1.3", "CPM: 85 is not 'CPV01'.").planned();
    CPM_61_PRESENT = Rule::must("EMV.CPM.61.PRESENT", C, "CPM §5.1.1.3", "CPM: no Application Template (61).").planned();
    CPM_61_COUNT = Rule::must("EMV.CPM.61.COUNT", C, "CPM §3.1", "CPM: more than two Application Templates (61).").planned();
    CPM_62_COUNT = Rule::must("EMV.CPM.62.COUNT", C, "CPM §3.1", "CPM: more than one Common Data Template (62).").planned();
    CPM_62_WITH_ONE_APP = Rule::should("EMV.CPM.62.WITH_ONE_APP", I, "CPM §3.1", "Inferred: CPM has a 62 beside a single 61.").planned();
    CPM_ORDER = Rule::must("EMV.CPM.ORDER", C, "CPM §3.1", "CPM: another template before 85, the 61s or 62.").planned();
    CPM_4F_PRESENT = Rule::must("EMV.CPM.4F.PRESENT", C, "CPM §5.1.1.4, T6.1", "CPM: a 61 without 4F.").planned();
    CPM_4F_LENGTH = Rule::must("EMV.CPM.4F.LENGTH", C, "CPM §5.1.1.4, Annex A", "CPM: 4F is not 5-16 bytes.").planned();
    CPM_PAN_SOURCE = Rule::must("EMV.CPM.PAN_SOURCE", C, "CPM T6.1", "CPM: neither 57 nor 5A in the POI data.").planned();
    CPM_DUP_POI_DATA = Rule::must("EMV.CPM.DUP_POI_DATA", C, "CPM §5.1.1.10", "CPM: a primitive object twice in the chosen 61 + 62.").planned();
    CPM_TEMPLATE_OVERLAP = Rule::must("EMV.CPM.TEMPLATE_OVERLAP", C, "CPM §3.1", "CPM: the same object in 61 and 62.").planned();
    CPM_50_FORMAT = Rule::must("EMV.CPM.50.FORMAT", C, "CPM Annex A", "CPM: 50 is not 1-16 bytes ans with space the only special.").planned();
    CPM_5F20_LENGTH = Rule::must("EMV.CPM.5F20.LENGTH", C, "CPM Annex A", "CPM: 5F20 is not 2-26 bytes ans.").planned();
    CPM_5F2D_FORMAT = Rule::must("EMV.CPM.5F2D.FORMAT", C, "CPM Annex A", "CPM: 5F2D is not 2-8 bytes of letter pairs.").planned();
    CPM_5F50_SCHEME = Rule::should("EMV.CPM.5F50.SCHEME", C, "CPM T6.3", "CPM: 5F50 is not a tel: or mailto: URI.").planned();
    CPM_9F08_LENGTH = Rule::must("EMV.CPM.9F08.LENGTH", C, "CPM Annex A", "CPM: 9F08 is not 2 bytes.").planned();
    CPM_9F19_LENGTH = Rule::must("EMV.CPM.9F19.LENGTH", C, "CPM Annex A", "CPM: 9F19 is not 6 bytes.").planned();
    CPM_9F24_FORMAT = Rule::must("EMV.CPM.9F24.FORMAT", C, "CPM Annex A", "CPM: 9F24 is not 29 bytes of upper case and digits.").planned();
    CPM_9F25_LENGTH = Rule::must("EMV.CPM.9F25.LENGTH", C, "CPM Annex A", "CPM: 9F25 is not 2 bytes.").planned();
    CPM_5A_LENGTH = Rule::must("EMV.CPM.5A.LENGTH", C, "CPM Annex A", "CPM: 5A is over 10 bytes.").planned();
    CPM_57_FORMAT = Rule::must("EMV.CPM.57.FORMAT", C, "CPM §6.2, T6.2", "CPM: 57 is over 19 bytes or not PAN + 'D' + YYMM + service code + data + 'F' pad.").planned();
    CPM_SIZE = Rule::should("EMV.CPM.SIZE", C, "CPM §3.1", "CPM: decoded payload over 512 bytes.").planned();
}}
