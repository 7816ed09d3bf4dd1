//! ISO 4217 currency codes: numeric code, alphabetic code, minor-unit exponent.
//! List as maintained by the ISO 4217 maintenance agency, amendments through 2025
//! (ZWG 924, SLE 925, XCG 532 in; HRK, CUC, ZWL, SLL, VEF, ANG out).

/// As of which list this table was taken.
pub const LIST_DATE: &str = "2025-07";

/// `(numeric, alphabetic, exponent)`; `None` exponent for funds and units without minor units
/// defined ("N.A." in ISO 4217). Sorted by numeric code.
pub const CURRENCIES: &[(u16, &str, Option<u8>)] = &[
    (8, "ALL", Some(2)),
    (12, "DZD", Some(2)),
    (32, "ARS", Some(2)),
    (36, "AUD", Some(2)),
    (44, "BSD", Some(2)),
    (48, "BHD", Some(3)),
    (50, "BDT", Some(2)),
    (51, "AMD", Some(2)),
    (52, "BBD", Some(2)),
    (60, "BMD", Some(2)),
    (64, "BTN", Some(2)),
    (68, "BOB", Some(2)),
    (72, "BWP", Some(2)),
    (84, "BZD", Some(2)),
    (90, "SBD", Some(2)),
    (96, "BND", Some(2)),
    (104, "MMK", Some(2)),
    (108, "BIF", Some(0)),
    (116, "KHR", Some(2)),
    (124, "CAD", Some(2)),
    (132, "CVE", Some(2)),
    (136, "KYD", Some(2)),
    (144, "LKR", Some(2)),
    (152, "CLP", Some(0)),
    (156, "CNY", Some(2)),
    (170, "COP", Some(2)),
    (174, "KMF", Some(0)),
    (188, "CRC", Some(2)),
    (192, "CUP", Some(2)),
    (203, "CZK", Some(2)),
    (208, "DKK", Some(2)),
    (214, "DOP", Some(2)),
    (222, "SVC", Some(2)),
    (230, "ETB", Some(2)),
    (232, "ERN", Some(2)),
    (238, "FKP", Some(2)),
    (242, "FJD", Some(2)),
    (262, "DJF", Some(0)),
    (270, "GMD", Some(2)),
    (292, "GIP", Some(2)),
    (320, "GTQ", Some(2)),
    (324, "GNF", Some(0)),
    (328, "GYD", Some(2)),
    (332, "HTG", Some(2)),
    (340, "HNL", Some(2)),
    (344, "HKD", Some(2)),
    (348, "HUF", Some(2)),
    (352, "ISK", Some(0)),
    (356, "INR", Some(2)),
    (360, "IDR", Some(2)),
    (364, "IRR", Some(2)),
    (368, "IQD", Some(3)),
    (376, "ILS", Some(2)),
    (388, "JMD", Some(2)),
    (392, "JPY", Some(0)),
    (398, "KZT", Some(2)),
    (400, "JOD", Some(3)),
    (404, "KES", Some(2)),
    (408, "KPW", Some(2)),
    (410, "KRW", Some(0)),
    (414, "KWD", Some(3)),
    (417, "KGS", Some(2)),
    (418, "LAK", Some(2)),
    (422, "LBP", Some(2)),
    (426, "LSL", Some(2)),
    (430, "LRD", Some(2)),
    (434, "LYD", Some(3)),
    (446, "MOP", Some(2)),
    (454, "MWK", Some(2)),
    (458, "MYR", Some(2)),
    (462, "MVR", Some(2)),
    (480, "MUR", Some(2)),
    (484, "MXN", Some(2)),
    (496, "MNT", Some(2)),
    (498, "MDL", Some(2)),
    (504, "MAD", Some(2)),
    (512, "OMR", Some(3)),
    (516, "NAD", Some(2)),
    (524, "NPR", Some(2)),
    (532, "XCG", Some(2)),
    (533, "AWG", Some(2)),
    (548, "VUV", Some(0)),
    (554, "NZD", Some(2)),
    (558, "NIO", Some(2)),
    (566, "NGN", Some(2)),
    (578, "NOK", Some(2)),
    (586, "PKR", Some(2)),
    (590, "PAB", Some(2)),
    (598, "PGK", Some(2)),
    (600, "PYG", Some(0)),
    (604, "PEN", Some(2)),
    (608, "PHP", Some(2)),
    (634, "QAR", Some(2)),
    (643, "RUB", Some(2)),
    (646, "RWF", Some(0)),
    (654, "SHP", Some(2)),
    (682, "SAR", Some(2)),
    (690, "SCR", Some(2)),
    (702, "SGD", Some(2)),
    (704, "VND", Some(0)),
    (706, "SOS", Some(2)),
    (710, "ZAR", Some(2)),
    (728, "SSP", Some(2)),
    (748, "SZL", Some(2)),
    (752, "SEK", Some(2)),
    (756, "CHF", Some(2)),
    (760, "SYP", Some(2)),
    (764, "THB", Some(2)),
    (776, "TOP", Some(2)),
    (780, "TTD", Some(2)),
    (784, "AED", Some(2)),
    (788, "TND", Some(3)),
    (800, "UGX", Some(0)),
    (807, "MKD", Some(2)),
    (818, "EGP", Some(2)),
    (826, "GBP", Some(2)),
    (834, "TZS", Some(2)),
    (840, "USD", Some(2)),
    (858, "UYU", Some(2)),
    (860, "UZS", Some(2)),
    (882, "WST", Some(2)),
    (886, "YER", Some(2)),
    (901, "TWD", Some(2)),
    (924, "ZWG", Some(2)),
    (925, "SLE", Some(2)),
    (926, "VED", Some(2)),
    (927, "UYW", Some(4)),
    (928, "VES", Some(2)),
    (929, "MRU", Some(2)),
    (930, "STN", Some(2)),
    (933, "BYN", Some(2)),
    (934, "TMT", Some(2)),
    (936, "GHS", Some(2)),
    (938, "SDG", Some(2)),
    (940, "UYI", Some(0)),
    (941, "RSD", Some(2)),
    (943, "MZN", Some(2)),
    (944, "AZN", Some(2)),
    (946, "RON", Some(2)),
    (947, "CHE", Some(2)),
    (948, "CHW", Some(2)),
    (949, "TRY", Some(2)),
    (950, "XAF", Some(0)),
    (951, "XCD", Some(2)),
    (952, "XOF", Some(0)),
    (953, "XPF", Some(0)),
    (955, "XBA", None),
    (956, "XBB", None),
    (957, "XBC", None),
    (958, "XBD", None),
    (959, "XAU", None),
    (960, "XDR", None),
    (961, "XAG", None),
    (962, "XPT", None),
    (963, "XTS", None),
    (964, "XPD", None),
    (965, "XUA", None),
    (967, "ZMW", Some(2)),
    (968, "SRD", Some(2)),
    (969, "MGA", Some(2)),
    (970, "COU", Some(2)),
    (971, "AFN", Some(2)),
    (972, "TJS", Some(2)),
    (973, "AOA", Some(2)),
    (975, "BGN", Some(2)),
    (976, "CDF", Some(2)),
    (977, "BAM", Some(2)),
    (978, "EUR", Some(2)),
    (979, "MXV", Some(2)),
    (980, "UAH", Some(2)),
    (981, "GEL", Some(2)),
    (984, "BOV", Some(2)),
    (985, "PLN", Some(2)),
    (986, "BRL", Some(2)),
    (990, "CLF", Some(4)),
    (994, "XSU", None),
    (997, "USN", Some(2)),
    (999, "XXX", None),
];

/// The entry for a three-digit numeric code.
pub fn find(numeric: &str) -> Option<(u16, &'static str, Option<u8>)> {
    if numeric.len() != 3 || !numeric.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u16 = numeric.parse().ok()?;
    CURRENCIES
        .binary_search_by_key(&n, |e| e.0)
        .ok()
        .map(|i| CURRENCIES[i])
}

/// Per numeric code 000-999: 0 unassigned, 0xFF assigned without minor units, else exponent + 1.
/// The validator consults it for every payload.
static BY_CODE: [u8; 1000] = {
    let mut t = [0u8; 1000];
    let mut i = 0;
    while i < CURRENCIES.len() {
        let (n, _, e) = CURRENCIES[i];
        t[n as usize] = match e {
            Some(e) => e + 1,
            None => 0xFF,
        };
        i += 1;
    }
    t
};

fn code(numeric: &str) -> Option<usize> {
    match numeric.as_bytes() {
        &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_digit) => {
            Some(usize::from(a - b'0') * 100 + usize::from(b - b'0') * 10 + usize::from(c - b'0'))
        }
        _ => None,
    }
}

/// Whether a three-digit numeric code is assigned.
pub fn is_assigned(numeric: &str) -> bool {
    code(numeric).is_some_and(|n| BY_CODE[n] != 0)
}

/// The minor-unit exponent of a currency, when it has one.
pub fn exponent(numeric: &str) -> Option<u8> {
    match BY_CODE[code(numeric)?] {
        0 | 0xFF => None,
        e => Some(e - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_known() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(exponent("392"), Some(0));
        assert_eq!(exponent("840"), Some(2));
        assert_eq!(exponent("414"), Some(3));
        assert_eq!(exponent("116"), Some(2));
        assert_eq!(find("156").map(|e| e.1), Some("CNY"));
        assert!(find("000").is_none());
        assert!(find("84X").is_none());
        assert!(find("999").is_some());
        for (n, _, e) in CURRENCIES {
            let code = format!("{n:03}");
            assert!(is_assigned(&code));
            assert_eq!(exponent(&code), *e);
        }
        assert!(!is_assigned("000"));
    }
}
