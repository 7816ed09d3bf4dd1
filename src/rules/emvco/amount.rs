//! Amount syntax shared by 54, 56, 57 and the national profiles: digits with at most one `.`.

/// An amount split at its decimal point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount<'a> {
    /// Digits before the point (may be empty: `.5`).
    pub int: &'a str,
    /// Whether a `.` is present (`98.` has one and no decimals).
    pub dot: bool,
    /// Digits after the point.
    pub frac: &'a str,
}

impl<'a> Amount<'a> {
    /// Parses `^([0-9]+\.?[0-9]*|\.[0-9]+)$`: at least one digit, at most one point, nothing else.
    pub fn parse(s: &'a str) -> Option<Amount<'a>> {
        // One branch-free pass: amounts are a few bytes long and sit on the validator's hot
        // path. `bad` collects bytes that are neither digit nor point, `dots` counts points.
        let b = s.as_bytes();
        let mut bad = false;
        let mut dots = 0usize;
        let mut dot_at = b.len();
        for (i, &c) in b.iter().enumerate() {
            let dot = c == b'.';
            bad |= !dot & !c.is_ascii_digit();
            dots += usize::from(dot);
            if dot {
                dot_at = i;
            }
        }
        if bad || dots > 1 || b.len() == dots {
            return None;
        }
        // The '.' byte is always a character boundary.
        let (int, frac) = match dots {
            0 => (s, ""),
            _ => (s.get(..dot_at)?, s.get(dot_at + 1..)?),
        };
        Some(Amount {
            int,
            dot: dots == 1,
            frac,
        })
    }

    /// Whether the amount is numerically zero (`0`, `0.00`, `.0`).
    pub fn is_zero(&self) -> bool {
        self.int.bytes().all(|b| b == b'0') && self.frac.bytes().all(|b| b == b'0')
    }

    /// Number of digits after the point.
    pub fn decimals(&self) -> usize {
        self.frac.len()
    }

    /// Whether the integer part has superfluous leading zeros (`0012.5`; not `0.5`).
    pub fn leading_zero(&self) -> bool {
        self.int.len() >= 2 && self.int.starts_with('0')
    }

    /// The value in hundredths, for range checks; `None` when it does not fit.
    pub fn hundredths(&self) -> Option<u64> {
        let int: u64 = if self.int.is_empty() {
            0
        } else {
            self.int.parse().ok()?
        };
        let mut frac = 0u64;
        let mut scale = 10u64;
        for (i, b) in self.frac.bytes().enumerate() {
            if i >= 2 {
                // Beyond hundredths: round up any remainder so 99.991 counts as above 99.99.
                if b != b'0' {
                    frac += 1;
                    break;
                }
                continue;
            }
            frac += u64::from(b - b'0') * scale;
            scale /= 10;
        }
        int.checked_mul(100)?.checked_add(frac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain reading of the grammar, which the one-pass parser must agree with.
    fn by_split(s: &str) -> Option<Amount<'_>> {
        let (int, dot, frac) = match s.split_once('.') {
            Some((i, f)) => (i, true, f),
            None => (s, false, ""),
        };
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        (digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty())).then_some(Amount {
            int,
            dot,
            frac,
        })
    }

    proptest! {
        #[test]
        fn agrees_with_the_grammar(s in "[0-9.,+ -]{0,8}|.{0,6}") {
            prop_assert_eq!(Amount::parse(&s), by_split(&s));
        }
    }

    #[test]
    fn syntax_from_the_digest() {
        for ok in ["98.73", "98", "98.", ".5", "0012.5", "0", "0.00"] {
            assert!(Amount::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "98,73", "3 705", "-5", "", ".", "1.2.3", "+5", "1e3", "１", "..", "5..", "1.5.",
        ] {
            assert!(Amount::parse(bad).is_none(), "{bad}");
        }
        assert!(Amount::parse("0.00").unwrap().is_zero());
        assert!(!Amount::parse("0.01").unwrap().is_zero());
        assert!(Amount::parse("0012.5").unwrap().leading_zero());
        assert!(!Amount::parse("0.5").unwrap().leading_zero());
        assert_eq!(Amount::parse("98.").unwrap().decimals(), 0);
        assert_eq!(Amount::parse("99.99").unwrap().hundredths(), Some(9999));
        assert_eq!(Amount::parse("99.991").unwrap().hundredths(), Some(10000));
        assert_eq!(Amount::parse("3").unwrap().hundredths(), Some(300));
    }
}
