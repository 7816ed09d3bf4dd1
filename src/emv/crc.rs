//! CRC-16/CCITT-FALSE (alias CRC-16/IBM-3740): the checksum of EMVCo data object 63.
//!
//! Width 16, polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR, computed over
//! the UTF-8 bytes of the payload from its first character through the literal `6304`
//! (EMV QRCPS MPM §4.7.3). Check value: `crc16(b"123456789") == 0x29B1`.
//!
//! Table-driven with slicing-by-32: the CRC sits on the hot path of every validation, and its
//! speed is bound by the latency of the lookups that depend on the register, not by their number.
//! Byte-wise, every byte waits for a load; slicing by 32 bytes leaves two dependent loads per 32
//! bytes, while the other thirty run ahead. The tail of a payload (fewer than 32 bytes) is folded
//! in one step of its own width with the same tables, so a 135-byte payload costs five dependent
//! steps instead of 135.

/// The widest step, in bytes.
const WIDTH: usize = 32;

/// `WIDTH` 256-entry tables: `TABLES[0]` is the classic byte-wise table; `TABLES[k][b]` is the
/// CRC of byte `b` followed by `k` zero bytes, which lets up to `WIDTH` input bytes be folded per
/// step. 16 KiB.
static TABLES: [[u16; 256]; WIDTH] = build_tables();

const fn build_tables() -> [[u16; 256]; WIDTH] {
    let mut tables = [[0u16; 256]; WIDTH];
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
    while k < WIDTH {
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

/// Folds `K` bytes (2 <= K <= WIDTH) into the register. The first two bytes meet the register;
/// the rest do not depend on it, so they are combined first and the dependent chain stays two
/// loads and two XORs long.
#[inline(always)]
fn fold<const K: usize>(crc: u16, c: &[u8; K]) -> u16 {
    let mut rest = 0u16;
    let mut i = 2;
    while i < K {
        rest ^= TABLES[K - 1 - i][c[i] as usize];
        i += 1;
    }
    let hi = (crc >> 8) as u8 ^ c[0];
    let lo = crc as u8 ^ c[1];
    TABLES[K - 1][hi as usize] ^ TABLES[K - 2][lo as usize] ^ rest
}

/// One byte into the register (the classic step).
#[inline(always)]
fn byte(crc: u16, b: u8) -> u16 {
    (crc << 8) ^ TABLES[0][((crc >> 8) as u8 ^ b) as usize]
}

/// Folds a tail shorter than `WIDTH` in one step of its own width.
fn fold_tail(crc: u16, tail: &[u8]) -> u16 {
    macro_rules! widths {
        ($($k:literal)*) => {
            match tail.len() {
                0 => crc,
                1 => byte(crc, tail[0]),
                $($k => match <&[u8; $k]>::try_from(tail) {
                    Ok(c) => fold(crc, c),
                    Err(_) => tail.iter().fold(crc, |c, &b| byte(c, b)),
                },)*
                _ => tail.iter().fold(crc, |c, &b| byte(c, b)),
            }
        };
    }
    widths!(2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31)
}

/// Continues a CRC over more bytes; start with [`INIT`].
pub fn update(mut crc: u16, bytes: &[u8]) -> u16 {
    let (blocks, tail) = bytes.as_chunks::<WIDTH>();
    for block in blocks {
        crc = fold(crc, block);
    }
    fold_tail(crc, tail)
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
