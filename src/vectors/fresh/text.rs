//! Which values of a suite are merchant data, and what each becomes under a seed.
//!
//! Values are found in the well-formed payloads and in the generate inputs (names, cities,
//! alternate-language names, account and merchant IDs, additional-data labels, amounts,
//! timestamps). Each distinct value gets one replacement, the same everywhere it occurs, so a
//! base code and all its mutants share the fresh merchant. A replacement has exactly as many
//! characters as the value, each of the same class (upper-case Latin, lower-case Latin, digit,
//! Khmer, Japanese; anything else, such as punctuation or the forbidden character a mutant
//! carries, is kept), so every length, charset and structure rule judges it as it judged the
//! value.

use std::collections::{BTreeMap, BTreeSet};

use super::pools::{JAPANESE, KHMER, LATIN};
use super::rng::Rng;
use crate::rules::thaiqr::thai_check_digit;
use crate::vectors::generate::build::{Unit, obj, root_objects};

/// Digit-only values shorter than this are codes (bank BINs, scheme sub-codes), kept.
const DIGITS_MIN: usize = 9;
/// The leading digits a digit-only ID keeps (country prefix, bank or scheme prefix).
const DIGITS_KEPT: usize = 5;
/// Longer digit strings are structures (a mutant's nested template), not IDs.
const DIGITS_MAX: usize = 19;

fn is_khmer(c: char) -> bool {
    ('\u{1780}'..='\u{17FF}').contains(&c)
}

fn is_japanese(c: char) -> bool {
    ('\u{3041}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// A GUID or an AID: identifies a scheme, never a merchant. An AID's RID starts with `A`
/// (internationally registered) or `D` (nationally registered, ISO/IEC 7816-5).
fn is_scheme_id(v: &str) -> bool {
    (v.contains('.') && !v.contains('@'))
        || (v.len() >= 10
            && v.bytes().all(|b| b.is_ascii_hexdigit())
            && v.starts_with(['A', 'a', 'D', 'd']))
}

fn is_timestamp(v: &str) -> bool {
    v.len() == 13 && v.starts_with('1') && v.bytes().all(|b| b.is_ascii_digit())
}

/// Characters of words from one pool, drawn one at a time.
struct Stream<'a> {
    rng: Rng,
    pool: &'a [&'a str],
    buf: Vec<char>,
    keep: fn(char) -> bool,
}

impl Stream<'_> {
    fn next(&mut self) -> char {
        while self.buf.is_empty() {
            let w = *self.rng.pick(self.pool);
            self.buf = w.chars().filter(|c| (self.keep)(*c)).rev().collect();
        }
        self.buf.pop().unwrap_or('X')
    }
}

/// Merchant text of the same length and character classes as `v`.
fn fresh_text(seed: u64, v: &str) -> String {
    let mut latin = Stream {
        rng: Rng::keyed(seed, "latin", v),
        pool: LATIN,
        buf: Vec::new(),
        keep: |c| c.is_ascii_alphabetic(),
    };
    let mut khmer = Stream {
        rng: Rng::keyed(seed, "khmer", v),
        pool: KHMER,
        buf: Vec::new(),
        keep: is_khmer,
    };
    let mut japanese = Stream {
        rng: Rng::keyed(seed, "japanese", v),
        pool: JAPANESE,
        buf: Vec::new(),
        keep: is_japanese,
    };
    let mut digits = Rng::keyed(seed, "digits", v);
    v.chars()
        .map(|c| match c {
            'A'..='Z' => latin.next().to_ascii_uppercase(),
            'a'..='z' => latin.next().to_ascii_lowercase(),
            '0'..='9' => char::from(b'0' + digits.below(10) as u8),
            c if is_khmer(c) => khmer.next(),
            c if is_japanese(c) => japanese.next(),
            c => c,
        })
        .collect()
}

/// A digit-only ID: the leading digits kept, the rest drawn; a 13-digit ID keeps whether it
/// passes the Thai ID check digit (THQR.29.02.CHECK_DIGIT judges it).
fn fresh_digits(seed: u64, v: &str) -> String {
    let mut rng = Rng::keyed(seed, "id", v);
    let mut d: Vec<u8> = v.bytes().collect();
    for x in d.iter_mut().skip(DIGITS_KEPT) {
        *x = b'0' + rng.below(10) as u8;
    }
    if d.len() == 13 {
        let passes = thai_check_digit(v);
        for _ in 0..10 {
            if thai_check_digit(&String::from_utf8_lossy(&d)) == passes {
                break;
            }
            d[12] = b'0' + (d[12] - b'0' + 1) % 10;
        }
    }
    String::from_utf8_lossy(&d).into_owned()
}

/// An amount of the same shape: the same decimals and digit count, zeros before the first
/// significant digit kept (so a zero amount stays zero and `0.50` stays under one).
fn fresh_amount(seed: u64, v: &str) -> String {
    let mut rng = Rng::keyed(seed, "amount", v);
    let mut significant = false;
    v.chars()
        .map(|c| match c {
            '0' if !significant => '0',
            '1'..='9' if !significant => {
                significant = true;
                char::from(b'1' + rng.below(9) as u8)
            }
            '0'..='9' => char::from(b'0' + rng.below(10) as u8),
            c => c,
        })
        .collect()
}

/// What one value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Text,
    Digits,
    Amount,
    Timestamp,
}

/// The merchant data found in a suite's well-formed payloads: each value with the data-object
/// ID it stood under and what it is.
#[derive(Debug, Default)]
pub struct Harvest {
    values: BTreeSet<(String, u8, Kind)>,
    /// The earliest clock a case judges at (the anchor the time shift starts from).
    pub earliest_now: Option<i64>,
}

impl Harvest {
    fn label(&mut self, id: u8, v: &str, in_account: bool) {
        // A value that swallowed the CRC object (a length mutant) is not merchant data.
        if v.is_empty() || is_scheme_id(v) || v.contains("6304") {
            return;
        }
        // Inside an account template, a word of capitals is a service or bank code
        // (VietQR's QRIBFTTA), not merchant data.
        if in_account && v.bytes().all(|b| b.is_ascii_uppercase()) {
            return;
        }
        let kind = if v.bytes().all(|b| b.is_ascii_digit()) {
            if !(DIGITS_MIN..=DIGITS_MAX).contains(&v.len())
                || root_objects(v, Unit::Chars).is_some()
            {
                return;
            }
            Kind::Digits
        } else if v.chars().any(char::is_alphabetic) {
            Kind::Text
        } else {
            return;
        };
        self.values.insert((v.to_owned(), id, kind));
    }

    fn account(&mut self, v: &str, unit: Unit, depth: u8) {
        for (k, kv) in root_objects(v, unit).unwrap_or_default() {
            // A nested template (VietQR's 38/01: BIN and account inside the account).
            let nested = depth == 0
                && kv.len() >= 8
                && kv.starts_with("00")
                && root_objects(&kv, unit).is_some_and(|o| o.len() >= 2);
            if nested {
                self.account(&kv, unit, 1);
            } else if depth == 0 && k == 0 {
                // An account template's 00 names the payment network (EMVCo §4.8), whatever
                // form it takes: a new value would be an unknown network, not new merchant data.
            } else {
                self.label(k, &kv, true);
            }
        }
    }

    /// Collects the merchant data of a payload (nothing when it does not parse cleanly: its
    /// values are found in the well-formed codes it was mutated from).
    pub fn payload(&mut self, payload: &str, unit: Unit) {
        let Some(objs) = root_objects(payload, unit) else {
            return;
        };
        for (id, v) in objs {
            match id {
                54 if !v.is_empty() => {
                    self.values.insert((v, id, Kind::Amount));
                }
                59 | 60 => self.label(id, &v, false),
                26..=51 => self.account(&v, unit, 0),
                // Bill, mobile, store, loyalty, reference, customer, terminal, purpose (09 is a
                // code list).
                62 => root_objects(&v, unit)
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, _)| (1..=8).contains(k))
                    .for_each(|(k, kv)| self.label(*k, kv, false)),
                // Alternate-language name and city (00 is the language code).
                64 => root_objects(&v, unit)
                    .unwrap_or_default()
                    .iter()
                    .filter(|(k, _)| (1..=2).contains(k))
                    .for_each(|(k, kv)| self.label(*k, kv, false)),
                80..=99 => root_objects(&v, unit)
                    .unwrap_or_default()
                    .iter()
                    .filter(|(_, kv)| is_timestamp(kv))
                    .for_each(|(k, kv)| {
                        self.values.insert((kv.clone(), *k, Kind::Timestamp));
                    }),
                _ => {}
            }
        }
    }

    /// Notes a clock a case judges at.
    pub fn now(&mut self, ms: i64) {
        self.earliest_now = Some(self.earliest_now.map_or(ms, |e| e.min(ms)));
    }
}

/// Whether a string of a generate input at `path` is merchant data (the account's own fields,
/// names, cities, labels, amount, times), not a code or a form name.
fn is_merchant_data(path: &[String]) -> bool {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    match p[..] {
        ["account", .., last] => !matches!(last, "scheme" | "guid" | "tag" | "type"),
        ["additional", ..] => true,
        ["merchant", "name" | "city"] => true,
        ["merchant", "alternate_language", "name" | "city"] => true,
        ["transaction", "amount" | "created_at_ms" | "expires_at_ms"] => true,
        _ => false,
    }
}

fn walk_mut(
    v: &mut serde_json::Value,
    path: &mut Vec<String>,
    f: &mut dyn FnMut(&str) -> Option<String>,
) {
    match v {
        serde_json::Value::String(s) if is_merchant_data(path) => {
            if let Some(n) = f(s) {
                *s = n;
            }
        }
        serde_json::Value::Object(m) => m.iter_mut().for_each(|(k, x)| {
            path.push(k.clone());
            walk_mut(x, path, f);
            path.pop();
        }),
        _ => {}
    }
}

/// Every value's replacement under one seed and time shift.
#[derive(Debug)]
pub struct Substitution {
    /// What is replaced, longest first: data objects (`ID LL value`) where they occur, and
    /// timestamps wherever they occur (a mutant's broken template still carries them, and its
    /// clock moves with them).
    patterns: Vec<(String, String)>,
    /// Indexes into `patterns` by their first two characters (all ASCII digits).
    by_prefix: BTreeMap<String, Vec<usize>>,
    /// Each value (with the data-object ID it stood under) to its replacement.
    by_object: BTreeMap<(u8, String), String>,
    /// Each value to its replacement.
    by_value: BTreeMap<String, String>,
    /// Milliseconds every clock and timestamp moves by.
    pub shift_ms: i64,
}

fn longest_first(v: &mut Vec<(String, String)>) {
    v.sort_by(|a, b| {
        b.0.chars()
            .count()
            .cmp(&a.0.chars().count())
            .then(a.0.cmp(&b.0))
    });
    v.dedup();
}

impl Substitution {
    /// The replacements of everything `h` found, under `seed`, shifting time by `shift_ms`;
    /// data objects are matched as each of `units` writes them.
    pub fn new(h: &Harvest, seed: u64, shift_ms: i64, units: &[Unit]) -> Substitution {
        let mut objects = Vec::new();
        let mut bare = Vec::new();
        let mut by_object = BTreeMap::new();
        let mut by_value = BTreeMap::new();
        for (v, id, kind) in &h.values {
            let new = match kind {
                Kind::Text => fresh_text(seed, v),
                Kind::Digits => fresh_digits(seed, v),
                Kind::Amount => fresh_amount(seed, v),
                Kind::Timestamp => v
                    .parse::<i64>()
                    .ok()
                    .map(|t| (t + shift_ms).to_string())
                    .filter(|t| t.len() == v.len())
                    .unwrap_or_else(|| v.clone()),
            };
            if *kind == Kind::Timestamp {
                bare.push((v.clone(), new.clone()));
            }
            for u in units {
                objects.push((obj(*id, v, *u), obj(*id, &new, *u)));
            }
            by_object.insert((*id, v.clone()), new.clone());
            by_value.entry(v.clone()).or_insert(new);
        }
        let mut patterns = objects;
        patterns.extend(bare);
        longest_first(&mut patterns);
        let mut by_prefix: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (k, (old, _)) in patterns.iter().enumerate() {
            if let Some(key) = old.get(..2) {
                by_prefix.entry(key.to_owned()).or_default().push(k);
            }
        }
        Substitution {
            patterns,
            by_prefix,
            by_object,
            by_value,
            shift_ms,
        }
    }

    /// Text (a payload) with every value replaced in one pass, so a replacement is never
    /// replaced again; as many characters as before.
    pub fn text(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        'scan: while i < s.len() {
            let rest = &s[i..];
            if let Some(key) = rest.get(..2)
                && let Some(candidates) = self.by_prefix.get(key)
            {
                for &k in candidates {
                    let (old, new) = &self.patterns[k];
                    if rest.starts_with(old.as_str()) {
                        out.push_str(new);
                        i += old.len();
                        continue 'scan;
                    }
                }
            }
            let ch = rest.chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
        out
    }

    /// A field's value (`key`: its two-digit ID): replaced when it is a value found under
    /// that ID.
    pub fn field(&self, key: &str, v: &str) -> String {
        key.parse::<u8>()
            .ok()
            .and_then(|id| self.by_object.get(&(id, v.to_owned())))
            .cloned()
            .unwrap_or_else(|| v.to_owned())
    }

    /// A generate input with every value found in the payloads replaced.
    pub fn input(&self, data: &mut serde_json::Value) {
        walk_mut(data, &mut Vec::new(), &mut |v| {
            self.by_value.get(v).cloned()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_keep_length_and_classes() {
        let v = "Demo Noodle Bar-7 ហាងគុយទាវ さくらテスト";
        let n = fresh_text(1, v);
        assert_ne!(n, v);
        assert_eq!(n.chars().count(), v.chars().count());
        assert_eq!(n.encode_utf16().count(), v.encode_utf16().count());
        assert_eq!(n.len(), v.len());
        for (a, b) in v.chars().zip(n.chars()) {
            assert_eq!(a.is_ascii_uppercase(), b.is_ascii_uppercase());
            assert_eq!(a.is_ascii_lowercase(), b.is_ascii_lowercase());
            assert_eq!(a.is_ascii_digit(), b.is_ascii_digit());
            assert_eq!(is_khmer(a), is_khmer(b));
            assert_eq!(is_japanese(a), is_japanese(b));
            if !a.is_alphanumeric() {
                assert_eq!(a, b);
            }
        }
        assert_eq!(fresh_text(1, v), n, "deterministic");
        assert_ne!(fresh_text(2, v), n);
    }

    #[test]
    fn amounts_keep_their_shape_and_ids_their_prefix_and_check_digit() {
        for a in ["2.50", "0.50", "0", "0.00", "1000", "12.345"] {
            let n = fresh_amount(3, a);
            assert_eq!(n.len(), a.len());
            assert_eq!(n.find('.'), a.find('.'));
            assert_eq!(
                n.trim_start_matches(['0', '.']).is_empty(),
                a.trim_start_matches(['0', '.']).is_empty()
            );
        }
        for id in ["1234567890121", "1999999999998", "0066899999999"] {
            let n = fresh_digits(4, id);
            assert_eq!(n[..DIGITS_KEPT], id[..DIGITS_KEPT]);
            assert_eq!(thai_check_digit(&n), thai_check_digit(id));
        }
    }

    #[test]
    fn a_network_identifier_is_never_merchant_data() {
        // Template 29 names its network by a nationally registered AID (D...), template 30 by
        // a word that is neither an AID nor a reverse domain: neither is harvested, the
        // merchant's own IDs are.
        let mut h = Harvest::default();
        h.payload(
            "00020101021129300012D156000000000510A93FO3230Q30200008MYNETWRK0104S12X5802CN5914BEST TRANSPORT6007BEIJING6304B13A",
            Unit::Chars,
        );
        let values: Vec<&str> = h.values.iter().map(|(v, _, _)| v.as_str()).collect();
        assert!(values.contains(&"A93FO3230Q"), "{values:?}");
        assert!(values.contains(&"BEST TRANSPORT"), "{values:?}");
        assert!(
            !values
                .iter()
                .any(|v| v.starts_with("D156") || *v == "MYNETWRK"),
            "{values:?}"
        );
    }
}
