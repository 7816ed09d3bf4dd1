//! CRC-16/CCITT-FALSE (alias CRC-16/IBM-3740): the checksum of EMVCo data object 63.
//!
//! Width 16, polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR, computed over
//! the UTF-8 bytes of the payload from its first character through the literal `6304`
//! (EMV QRCPS MPM §4.7.3). Check value: `crc16(b"123456789") == 0x29B1`.
//!
//! Table-driven with slicing-by-8: the CRC sits on the hot path of every validation, and one
//! table lookup per byte is the limit of the byte-wise form.

/// Eight 256-entry tables: `TABLES[0]` is the classic byte-wise table; `TABLES[k][b]` is the CRC
/// of byte `b` followed by `k` zero bytes, which lets eight input bytes be folded per step.
static TABLES: [[u16; 256]; 8] = build_tables();

const fn build_tables() -> [[u16; 256]; 8] {
    let mut tables = [[0u16; 256]; 8];
    let mut b = 0;
    while b < 256 {
        let mut crc = (b as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
            bit += 1;
        }
        tables[0][b] = crc;
        b += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            let prev = tables[k - 1][b];
            tables[k][b] = (prev << 8) ^ tables[0][(prev >> 8) as usize];
            b += 1;
        }
        k += 1;
    }
    tables
}

/// The initial register value of CRC-16/CCITT-FALSE.
pub const INIT: u16 = 0xFFFF;

/// Continues a CRC over more bytes; start with [`INIT`].
pub fn update(mut crc: u16, bytes: &[u8]) -> u16 {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let hi = (crc >> 8) as u8 ^ c[0];
        let lo = crc as u8 ^ c[1];
        crc = TABLES[7][hi as usize]
            ^ TABLES[6][lo as usize]
            ^ TABLES[5][c[2] as usize]
            ^ TABLES[4][c[3] as usize]
            ^ TABLES[3][c[4] as usize]
            ^ TABLES[2][c[5] as usize]
            ^ TABLES[1][c[6] as usize]
            ^ TABLES[0][c[7] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc << 8) ^ TABLES[0][((crc >> 8) as u8 ^ b) as usize];
    }
    crc
}

/// CRC-16/CCITT-FALSE of `bytes`.
pub fn crc16(bytes: &[u8]) -> u16 {
    update(INIT, bytes)
}

/// The four upper-case, zero-padded hex digits a payload carries after `6304`.
pub fn to_hex(crc: u16) -> [u8; 4] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [
        HEX[(crc >> 12) as usize & 0xF],
        HEX[(crc >> 8) as usize & 0xF],
        HEX[(crc >> 4) as usize & 0xF],
        HEX[crc as usize & 0xF],
    ]
}

/// Reads four hex digits (either case) as a CRC value; `None` when any is not a hex digit.
pub fn from_hex(digits: &[u8]) -> Option<u16> {
    if digits.len() != 4 {
        return None;
    }
    let mut v: u16 = 0;
    for &d in digits {
        let n = match d {
            b'0'..=b'9' => d - b'0',
            b'A'..=b'F' => d - b'A' + 10,
            b'a'..=b'f' => d - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u16::from(n);
    }
    Some(v)
}

/// Appends `6304` and the correct CRC to a payload body that ends just before the CRC object.
/// Used by generators and by the vector tooling to seal a payload.
pub fn seal(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 8);
    out.push_str(body);
    out.push_str("6304");
    let crc = crc16(out.as_bytes());
    // to_hex yields ASCII hex digits only, so this is always valid UTF-8.
    out.push_str(std::str::from_utf8(&to_hex(crc)).unwrap_or("0000"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const REFERENCE: crc::Crc<u16> = crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740);

    fn bitwise(bytes: &[u8]) -> u16 {
        let mut crc: u16 = 0xFFFF;
        for &b in bytes {
            crc ^= u16::from(b) << 8;
            for _ in 0..8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ 0x1021
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    #[test]
    fn check_values_from_the_digest() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc16(b""), 0xFFFF);
        assert_eq!(crc16(b"6304"), 0x6007);
    }

    #[test]
    fn emvco_annex_b_example_gives_a13a() {
        let p = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
        let body = &p.as_bytes()[..p.len() - 4];
        assert_eq!(crc16(body), 0xA13A);
        assert_eq!(&to_hex(crc16(body)), b"A13A");
    }

    #[test]
    fn hex_is_zero_padded_upper_case() {
        assert_eq!(&to_hex(0x007B), b"007B");
        assert_eq!(&to_hex(0x0F3E), b"0F3E");
        assert_eq!(from_hex(b"0f3e"), Some(0x0F3E));
        assert_eq!(from_hex(b"ZZZZ"), None);
        assert_eq!(from_hex(b"+1A3"), None);
        assert_eq!(from_hex(b"1A3"), None);
    }

    #[test]
    fn seal_produces_the_synthetic_digest_payload() {
        let body = "00020101021226340018com.example.qrcert0108ACCT0001520459995303840540510.0055020256041.505802US5916QRCERT SYNTHETIC6009TESTVILLE62120508SYN00102";
        assert!(seal(body).ends_with("63040F3E"));
    }

    proptest! {
        #[test]
        fn agrees_with_the_crc_crate_and_the_bitwise_form(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let ours = crc16(&bytes);
            prop_assert_eq!(ours, REFERENCE.checksum(&bytes));
            prop_assert_eq!(ours, bitwise(&bytes));
        }

        #[test]
        fn update_is_incremental(bytes in proptest::collection::vec(any::<u8>(), 0..100), split in 0usize..100) {
            let split = split.min(bytes.len());
            let (a, b) = bytes.split_at(split);
            prop_assert_eq!(update(update(INIT, a), b), crc16(&bytes));
        }
    }
}
