//! A walk of the mode indicators in the corrected data bit stream (ISO/IEC 18004 §7.4), which
//! rqrr performs too but without telling which modes it met or which ECI designator it skipped.
//! EMVCo certification needs exactly that: only Byte and ECI segments are allowed.

use serde::Serialize;

use super::symbol::SymbolVersion;

/// A segment mode, as named by its 4-bit indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// `0001`: digits, three per 10 bits.
    Numeric,
    /// `0010`: 45-character set, two per 11 bits.
    Alphanumeric,
    /// `0100`: 8-bit bytes; EMVCo's only allowed data mode.
    Byte,
    /// `1000`: Shift JIS double-byte characters in 13 bits.
    Kanji,
    /// `1101`: GB 2312 characters in 13 bits (GB/T 18284, China).
    Hanzi,
    /// `0111`: Extended Channel Interpretation designator.
    Eci,
    /// `0011`: Structured Append header (symbol position, total, parity).
    StructuredAppend,
    /// `0101`: FNC1 in first position (GS1).
    Fnc1First,
    /// `1001`: FNC1 in second position (AIM application indicator).
    Fnc1Second,
}

impl Mode {
    /// Whether this mode carries payload characters (as opposed to a header like ECI).
    pub fn is_data(self) -> bool {
        matches!(
            self,
            Mode::Numeric | Mode::Alphanumeric | Mode::Byte | Mode::Kanji | Mode::Hanzi
        )
    }
}

/// The fields of a Structured Append header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StructuredAppend {
    /// Position of this symbol in the sequence, 0-based.
    pub position: u8,
    /// Number of symbols in the sequence minus one, as stored.
    pub last: u8,
    /// Parity byte of the whole message.
    pub parity: u8,
}

/// One segment of the bit stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// The mode.
    pub mode: Mode,
    /// Offset of the mode indicator in the data bit stream.
    pub bit_offset: usize,
    /// Character count of a data segment (bytes for Byte mode, characters otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub char_count: Option<u32>,
    /// Designator of an ECI segment (26 is UTF-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eci_designator: Option<u32>,
    /// Header of a Structured Append segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structured_append: Option<StructuredAppend>,
    /// Application indicator of an FNC1 second-position segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_indicator: Option<u8>,
}

impl Segment {
    fn new(mode: Mode, bit_offset: usize) -> Self {
        Segment {
            mode,
            bit_offset,
            char_count: None,
            eci_designator: None,
            structured_append: None,
            application_indicator: None,
        }
    }
}

/// Why the walk stopped before a terminator or the end of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StreamError {
    /// A mode indicator that ISO/IEC 18004 does not define.
    #[error("unknown mode indicator {indicator:#06b} at bit {bit_offset}")]
    UnknownMode {
        /// The 4 bits read.
        indicator: u8,
        /// Where.
        bit_offset: usize,
    },
    /// A segment claims more bits than the stream holds.
    #[error("{mode:?} segment at bit {bit_offset} runs past the end of the data")]
    Overrun {
        /// The segment's mode.
        mode: Mode,
        /// Where the segment starts.
        bit_offset: usize,
    },
    /// An ECI designator whose first byte has the reserved prefix `111`.
    #[error("malformed ECI designator at bit {bit_offset}")]
    BadEci {
        /// Where the segment starts.
        bit_offset: usize,
    },
}

/// Everything the walk learnt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk {
    /// Segments in stream order.
    pub segments: Vec<Segment>,
    /// Payload bytes: digits and alphanumerics as ASCII, Byte segments verbatim, Kanji as Shift
    /// JIS and Hanzi as GB 2312 byte pairs (what rqrr and most readers emit before any
    /// charset conversion).
    pub bytes: Vec<u8>,
    /// Set when the stream is malformed; the segments before the fault are kept.
    pub error: Option<StreamError>,
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn remaining(&self) -> usize {
        self.data.len() * 8 - self.pos
    }

    /// Read `n` <= 32 bits, or `None` if fewer remain (the position is then unchanged).
    fn take(&mut self, n: usize) -> Option<u32> {
        if n > self.remaining() {
            return None;
        }
        let mut v = 0u32;
        for _ in 0..n {
            let bit = (self.data[self.pos / 8] >> (7 - self.pos % 8)) & 1;
            v = (v << 1) | u32::from(bit);
            self.pos += 1;
        }
        Some(v)
    }
}

/// Width of the character count field (ISO/IEC 18004 Table 3).
fn count_bits(mode: Mode, version: SymbolVersion) -> usize {
    let band = match version.get() {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let widths = match mode {
        Mode::Numeric => [10, 12, 14],
        Mode::Alphanumeric => [9, 11, 13],
        Mode::Byte => [8, 16, 16],
        Mode::Kanji | Mode::Hanzi => [8, 10, 12],
        _ => [0, 0, 0],
    };
    widths[band]
}

const ALPHANUMERIC: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Walk the data codewords of a symbol of `version`.
pub fn walk(data: &[u8], version: SymbolVersion) -> Walk {
    let mut out = Walk {
        segments: Vec::new(),
        bytes: Vec::new(),
        error: None,
    };
    let mut r = Reader { data, pos: 0 };
    // Fewer than 4 bits left is an implicit terminator (a symbol filled to capacity).
    while let Some(indicator) = r.take(4) {
        let at = r.pos - 4;
        let mode = match indicator {
            0b0000 => break,
            0b0001 => Mode::Numeric,
            0b0010 => Mode::Alphanumeric,
            0b0100 => Mode::Byte,
            0b1000 => Mode::Kanji,
            0b1101 => Mode::Hanzi,
            0b0111 => Mode::Eci,
            0b0011 => Mode::StructuredAppend,
            0b0101 => Mode::Fnc1First,
            0b1001 => Mode::Fnc1Second,
            other => {
                // `other` is a 4-bit value, so the cast is lossless.
                out.error = Some(StreamError::UnknownMode {
                    indicator: other as u8,
                    bit_offset: at,
                });
                break;
            }
        };
        let mut seg = Segment::new(mode, at);
        let overrun = StreamError::Overrun {
            mode,
            bit_offset: at,
        };
        let ok = match mode {
            Mode::Eci => match read_eci(&mut r) {
                Ok(d) => {
                    seg.eci_designator = Some(d);
                    true
                }
                Err(e) => {
                    out.error = Some(e.unwrap_or(StreamError::BadEci { bit_offset: at }));
                    false
                }
            },
            Mode::StructuredAppend => match (r.take(4), r.take(4), r.take(8)) {
                (Some(p), Some(l), Some(parity)) => {
                    // Each value fits the width it was read with.
                    seg.structured_append = Some(StructuredAppend {
                        position: p as u8,
                        last: l as u8,
                        parity: parity as u8,
                    });
                    true
                }
                _ => {
                    out.error = Some(overrun);
                    false
                }
            },
            Mode::Fnc1First => true,
            Mode::Fnc1Second => match r.take(8) {
                Some(a) => {
                    seg.application_indicator = Some(a as u8);
                    true
                }
                None => {
                    out.error = Some(overrun);
                    false
                }
            },
            _ => {
                let subset_ok = mode != Mode::Hanzi || r.take(4).is_some();
                match (subset_ok, r.take(count_bits(mode, version))) {
                    (true, Some(count)) => {
                        seg.char_count = Some(count);
                        if read_data(&mut r, mode, count, &mut out.bytes) {
                            true
                        } else {
                            out.error = Some(overrun);
                            false
                        }
                    }
                    _ => {
                        out.error = Some(overrun);
                        false
                    }
                }
            }
        };
        out.segments.push(seg);
        if !ok {
            break;
        }
    }
    out
}

/// Read an ECI designator (1, 2 or 3 bytes by its leading bits). `Err(None)` for the reserved
/// `111` prefix, `Err(Some(..))` when the stream ends inside it.
fn read_eci(r: &mut Reader<'_>) -> Result<u32, Option<StreamError>> {
    let at = r.pos - 4;
    let overrun = Some(StreamError::Overrun {
        mode: Mode::Eci,
        bit_offset: at,
    });
    let first = r.take(8).ok_or(overrun)?;
    if first & 0x80 == 0 {
        Ok(first)
    } else if first & 0xc0 == 0x80 {
        Ok(((first & 0x3f) << 8) | r.take(8).ok_or(overrun)?)
    } else if first & 0xe0 == 0xc0 {
        Ok(((first & 0x1f) << 16) | r.take(16).ok_or(overrun)?)
    } else {
        Err(None)
    }
}

/// Read `count` characters of a data mode into `out`; `false` if the stream ends first.
fn read_data(r: &mut Reader<'_>, mode: Mode, count: u32, out: &mut Vec<u8>) -> bool {
    let count = count as usize;
    let needed = match mode {
        Mode::Numeric => 10 * (count / 3) + [0, 4, 7][count % 3],
        Mode::Alphanumeric => 11 * (count / 2) + 6 * (count % 2),
        Mode::Byte => 8 * count,
        _ => 13 * count,
    };
    if needed > r.remaining() {
        return false;
    }
    // From here every take() succeeds: the total was checked above.
    let mut take = |n| r.take(n).unwrap_or(0);
    match mode {
        Mode::Numeric => {
            let mut left = count;
            while left > 0 {
                let digits = left.min(3);
                let v = take([0, 4, 7, 10][digits]);
                let s = format!("{v:0digits$}");
                // A 10-bit group can hold up to 1023: keep the low digits as readers do.
                out.extend_from_slice(&s.as_bytes()[s.len() - digits..]);
                left -= digits;
            }
        }
        Mode::Alphanumeric => {
            let mut left = count;
            while left > 0 {
                let pair = left >= 2;
                let v = take(if pair { 11 } else { 6 }) as usize;
                if pair {
                    out.push(ALPHANUMERIC[(v / 45) % 45]);
                }
                out.push(ALPHANUMERIC[v % 45]);
                left -= if pair { 2 } else { 1 };
            }
        }
        Mode::Byte => {
            for _ in 0..count {
                // 8 bits, so the cast is lossless.
                out.push(take(8) as u8);
            }
        }
        Mode::Kanji => {
            for _ in 0..count {
                let v = take(13);
                let word = (v / 0xc0) << 8 | (v % 0xc0);
                let sjis = if word + 0x8140 <= 0x9ffc {
                    word + 0x8140
                } else {
                    word + 0xc140
                };
                out.extend_from_slice(&[(sjis >> 8) as u8, sjis as u8]);
            }
        }
        _ => {
            for _ in 0..count {
                let v = take(13);
                let word = (v / 0x60) << 8 | (v % 0x60);
                let gb = if word + 0xa1a1 <= 0xaafe {
                    word + 0xa1a1
                } else {
                    word + 0xa6a1
                };
                out.extend_from_slice(&[(gb >> 8) as u8, gb as u8]);
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::bits::Bits;

    fn v(n: u8) -> SymbolVersion {
        SymbolVersion::new(n).unwrap()
    }

    fn modes(w: &Walk) -> Vec<Mode> {
        w.segments.iter().map(|s| s.mode).collect()
    }

    fn bits(version: u8, build: impl FnOnce(&mut Bits)) -> Vec<u8> {
        let mut b = Bits::new(qrcode::Version::Normal(i16::from(version)));
        build(&mut b);
        b.push_terminator(qrcode::EcLevel::L).unwrap();
        b.into_bytes()
    }

    #[test]
    fn byte_segment_with_eci() {
        let text = "ហាង".as_bytes();
        for version in [1, 10, 27] {
            let data = bits(version, |b| {
                b.push_eci_designator(26).unwrap();
                b.push_byte_data(text).unwrap();
            });
            let w = walk(&data, v(version));
            assert_eq!(modes(&w), [Mode::Eci, Mode::Byte], "v{version}");
            assert_eq!(w.segments[0].eci_designator, Some(26));
            assert_eq!(w.segments[1].char_count, Some(9));
            assert_eq!(w.segments[1].bit_offset, 12);
            assert_eq!(w.bytes, text);
            assert_eq!(w.error, None);
        }
    }

    #[test]
    fn every_data_mode_decodes() {
        let data = bits(5, |b| {
            b.push_numeric_data(b"0123456").unwrap();
            b.push_alphanumeric_data(b"AC-42 $").unwrap();
            b.push_kanji_data(b"\x93\x5f\xe4\xaa").unwrap();
            b.push_byte_data(b"\xe1\x9e").unwrap();
        });
        let w = walk(&data, v(5));
        assert_eq!(
            modes(&w),
            [Mode::Numeric, Mode::Alphanumeric, Mode::Kanji, Mode::Byte]
        );
        assert_eq!(w.bytes, b"0123456AC-42 $\x93\x5f\xe4\xaa\xe1\x9e");
        let counts: Vec<_> = w.segments.iter().map(|s| s.char_count).collect();
        assert_eq!(counts, [Some(7), Some(7), Some(2), Some(2)]);
    }

    #[test]
    fn headers_without_data() {
        let data = bits(2, |b| {
            b.push_eci_designator(899).unwrap();
            b.push_fnc1_first_position().unwrap();
            b.push_byte_data(b"x").unwrap();
        });
        let w = walk(&data, v(2));
        assert_eq!(modes(&w), [Mode::Eci, Mode::Fnc1First, Mode::Byte]);
        assert_eq!(w.segments[0].eci_designator, Some(899));
        let data = bits(2, |b| {
            b.push_fnc1_second_position(37).unwrap();
            b.push_eci_designator(999_999).unwrap();
        });
        let w = walk(&data, v(2));
        assert_eq!(w.segments[0].application_indicator, Some(37));
        assert_eq!(w.segments[1].eci_designator, Some(999_999));
    }

    #[test]
    fn structured_append_header() {
        // 0011, position 1, last 2, parity 0x5a, then a byte segment holding "A".
        let data = [
            0b0011_0001,
            0b0010_0101,
            0b1010_0100,
            0b0000_0001,
            0b0100_0001,
            0b0000_0000,
        ];
        let w = walk(&data, v(1));
        assert_eq!(modes(&w), [Mode::StructuredAppend, Mode::Byte]);
        assert_eq!(
            w.segments[0].structured_append,
            Some(StructuredAppend {
                position: 1,
                last: 2,
                parity: 0x5a
            })
        );
        assert_eq!(w.bytes, b"A");
    }

    #[test]
    fn hanzi_segment() {
        // 1101, subset 0001 (GB 2312), count 1, then 13 bits for 0xB0A1 ("啊").
        // (0xB0A1 - 0xA6A1) = 0x0A00 -> 0x0A * 0x60 + 0x00 = 960.
        let mut bitstr = String::from("1101000100000001");
        bitstr += &format!("{:013b}", 960);
        bitstr += "0000";
        while bitstr.len() % 8 != 0 {
            bitstr.push('0');
        }
        let data: Vec<u8> = bitstr
            .as_bytes()
            .chunks(8)
            .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap())
            .collect();
        let w = walk(&data, v(1));
        assert_eq!(modes(&w), [Mode::Hanzi]);
        assert_eq!(w.bytes, [0xb0, 0xa1]);
    }

    #[test]
    fn malformed_streams_report_where() {
        // Byte segment claiming 200 bytes in a 3-byte stream.
        let w = walk(&[0b0100_1100, 0b1000_0000, 0], v(1));
        assert_eq!(
            w.error,
            Some(StreamError::Overrun {
                mode: Mode::Byte,
                bit_offset: 0
            })
        );
        // Reserved indicator 1111.
        let w = walk(&[0b1111_0000], v(1));
        assert_eq!(
            w.error,
            Some(StreamError::UnknownMode {
                indicator: 0b1111,
                bit_offset: 0
            })
        );
        // ECI with the reserved 111 prefix.
        let w = walk(&[0b0111_1110, 0, 0, 0], v(1));
        assert_eq!(w.error, Some(StreamError::BadEci { bit_offset: 0 }));
        // Empty stream: no segments, no error.
        assert_eq!(walk(&[], v(1)).segments, []);
    }
}
