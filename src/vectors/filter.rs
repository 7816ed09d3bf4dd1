//! `--tags` expressions: `smoke`, `khqr and not slow`, `crc or tlv`, `(a or b) and not c`.
//!
//! Grammar (`not` binds tighter than `and`, which binds tighter than `or`):
//!
//! ```text
//! expr := and ("or" and)*
//! and  := not ("and" not)*
//! not  := "not" not | "(" expr ")" | TAG
//! TAG  := [A-Za-z0-9._-]+, other than the three keywords
//! ```

use std::fmt;
use std::str::FromStr;

/// A parsed tag expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagExpr {
    /// The case carries this tag.
    Tag(String),
    /// Negation.
    Not(Box<TagExpr>),
    /// Both.
    And(Box<TagExpr>, Box<TagExpr>),
    /// Either.
    Or(Box<TagExpr>, Box<TagExpr>),
}

impl TagExpr {
    /// Evaluates the expression; `has` says whether the case carries a tag.
    pub fn matches(&self, has: &dyn Fn(&str) -> bool) -> bool {
        match self {
            TagExpr::Tag(t) => has(t),
            TagExpr::Not(e) => !e.matches(has),
            TagExpr::And(a, b) => a.matches(has) && b.matches(has),
            TagExpr::Or(a, b) => a.matches(has) || b.matches(has),
        }
    }
}

impl fmt::Display for TagExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TagExpr::Tag(t) => f.write_str(t),
            TagExpr::Not(e) => write!(f, "not {e}"),
            TagExpr::And(a, b) => write!(f, "({a} and {b})"),
            TagExpr::Or(a, b) => write!(f, "({a} or {b})"),
        }
    }
}

/// A tag expression that does not parse: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("tag expression {input:?}, at character {at}: {message}")]
pub struct TagExprError {
    /// The expression.
    pub input: String,
    /// 1-based character position.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

/// Expressions longer than this are refused (they come from the command line).
const MAX_LEN: usize = 1024;
/// Nesting deeper than this is refused, so recursion stays bounded.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Open,
    Close,
}

struct Parser<'a> {
    input: &'a str,
    toks: Vec<(usize, Tok)>,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, at: usize, message: impl Into<String>) -> TagExprError {
        TagExprError {
            input: self.input.to_owned(),
            at,
            message: message.into(),
        }
    }

    fn here(&self) -> usize {
        self.toks
            .get(self.pos)
            .map_or(self.input.chars().count() + 1, |t| t.0)
    }

    fn keyword(&self, k: &str) -> bool {
        matches!(self.toks.get(self.pos), Some((_, Tok::Word(w))) if w == k)
    }

    fn or(&mut self) -> Result<TagExpr, TagExprError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            let right = self.and()?;
            left = TagExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<TagExpr, TagExprError> {
        let mut left = self.not()?;
        while self.keyword("and") {
            self.pos += 1;
            let right = self.not()?;
            left = TagExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<TagExpr, TagExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(self.here(), format!("nested deeper than {MAX_DEPTH}")));
        }
        let at = self.here();
        let result = match self.toks.get(self.pos).cloned() {
            None => Err(self.err(at, "expected a tag, 'not' or '('")),
            Some((_, Tok::Word(w))) if w == "not" => {
                self.pos += 1;
                self.not().map(|e| TagExpr::Not(Box::new(e)))
            }
            Some((_, Tok::Word(w))) if w == "and" || w == "or" => {
                Err(self.err(at, format!("expected a tag before '{w}'")))
            }
            Some((_, Tok::Word(w))) => {
                self.pos += 1;
                Ok(TagExpr::Tag(w))
            }
            Some((_, Tok::Open)) => {
                self.pos += 1;
                let e = self.or()?;
                match self.toks.get(self.pos) {
                    Some((_, Tok::Close)) => {
                        self.pos += 1;
                        Ok(e)
                    }
                    _ => Err(self.err(self.here(), "expected ')'")),
                }
            }
            Some((_, Tok::Close)) => Err(self.err(at, "unexpected ')'")),
        };
        self.depth -= 1;
        result
    }
}

impl FromStr for TagExpr {
    type Err = TagExprError;

    fn from_str(input: &str) -> Result<TagExpr, TagExprError> {
        let err = |at: usize, message: &str| TagExprError {
            input: input.to_owned(),
            at,
            message: message.to_owned(),
        };
        if input.len() > MAX_LEN {
            return Err(err(MAX_LEN, "longer than 1024 bytes"));
        }
        let mut toks = Vec::new();
        let mut chars = input.chars().enumerate().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '(' => toks.push((i + 1, Tok::Open)),
                ')' => toks.push((i + 1, Tok::Close)),
                c if c.is_whitespace() => {}
                c if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') => {
                    let mut w = String::from(c);
                    while let Some((_, d)) = chars.peek() {
                        if d.is_ascii_alphanumeric() || matches!(d, '.' | '_' | '-') {
                            w.push(*d);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    toks.push((i + 1, Tok::Word(w)));
                }
                other => {
                    return Err(err(
                        i + 1,
                        &format!("unexpected {other:?}; tags are letters, digits, '.', '_', '-'"),
                    ));
                }
            }
        }
        let mut p = Parser {
            input,
            toks,
            pos: 0,
            depth: 0,
        };
        let e = p.or()?;
        if p.pos < p.toks.len() {
            return Err(p.err(p.here(), "expected 'and', 'or' or the end"));
        }
        Ok(e)
    }
}

/// The shard (0-based) a vector belongs to among `n`: a stable hash of its ID, so every machine
/// of a CI matrix splits the suite the same way.
pub fn shard_of(id: &str, n: u32) -> u32 {
    // FNV-1a: stable across platforms and versions, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(n.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_ids_stably() {
        let ids: Vec<String> = (0..1000).map(|i| format!("EMV-CRC-{i:03}")).collect();
        let mut counts = [0u32; 3];
        for id in &ids {
            let s = shard_of(id, 3);
            assert_eq!(s, shard_of(id, 3));
            counts[s as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c > 250), "{counts:?}");
        assert_eq!(shard_of("EMV-CRC-001", 1), 0);
    }

    fn eval(expr: &str, tags: &[&str]) -> bool {
        let e: TagExpr = expr.parse().unwrap();
        e.matches(&|t| tags.contains(&t))
    }

    #[test]
    fn precedence_and_grouping() {
        assert!(eval("smoke", &["smoke"]));
        assert!(!eval("smoke", &["crc"]));
        assert!(eval("khqr and not slow", &["khqr"]));
        assert!(!eval("khqr and not slow", &["khqr", "slow"]));
        assert!(eval("crc or tlv", &["tlv"]));
        // not > and > or
        assert!(eval("a or b and c", &["a"]));
        assert!(!eval("(a or b) and c", &["a"]));
        assert!(eval("not not a", &["a"]));
        assert_eq!(
            "a or b and not c".parse::<TagExpr>().unwrap().to_string(),
            "(a or (b and not c))"
        );
    }

    #[test]
    fn errors_say_where() {
        for (bad, at) in [
            ("", 1),
            ("a and", 6),
            ("and a", 1),
            ("(a or b", 8),
            ("a b", 3),
            ("a)", 2),
            ("a & b", 3),
        ] {
            let e = bad.parse::<TagExpr>().unwrap_err();
            assert_eq!(e.at, at, "{bad}: {e}");
        }
        let deep = format!("{}a{}", "(".repeat(200), ")".repeat(200));
        assert!(deep.parse::<TagExpr>().is_err());
        assert!("x".repeat(2000).parse::<TagExpr>().is_err());
    }
}
