//! Building payloads for vectors from a tree of data objects, independently of qrcert's parser:
//! the tree gives both the payload text and the expected `fields`, and the parser is checked
//! against it (not the other way round).

use crate::Profile;
use crate::emv::LengthUnit;
use crate::emv::crc;
use crate::emv::payload::Node;
use crate::merchant::{Account, Kind, MerchantData, Tip};
use crate::vectors::model::{Field, Fields};

/// How a length counts its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Unicode scalar values (EMVCo, JPQR).
    Chars,
    /// UTF-16 code units (KHQR).
    Utf16,
    /// UTF-8 bytes (a common bug, for mutants).
    Bytes,
}

impl Unit {
    /// The length of `s` in this unit.
    pub fn len(self, s: &str) -> usize {
        match self {
            Unit::Chars => s.chars().count(),
            Unit::Utf16 => s.encode_utf16().count(),
            Unit::Bytes => s.len(),
        }
    }
}

/// A value: text, or a template's children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum V {
    /// Primitive.
    S(String),
    /// Template.
    T(Vec<(u8, V)>),
}

/// Text value.
pub fn s(v: impl Into<String>) -> V {
    V::S(v.into())
}

/// Template value.
pub fn t(children: &[(u8, V)]) -> V {
    V::T(children.to_vec())
}

/// One data object, written with a two-digit length (or three digits when over 99, which is
/// the defect some vectors need).
pub fn obj(id: u8, value: &str, unit: Unit) -> String {
    let n = unit.len(value);
    if n > 99 {
        format!("{id:02}{n:03}{value}")
    } else {
        format!("{id:02}{n:02}{value}")
    }
}

impl V {
    /// The encoded value.
    pub fn encode(&self, unit: Unit) -> String {
        match self {
            V::S(v) => v.clone(),
            V::T(kids) => kids
                .iter()
                .map(|(id, v)| obj(*id, &v.encode(unit), unit))
                .collect(),
        }
    }

    fn field(&self) -> Field {
        match self {
            V::S(v) => Field::Value(v.clone()),
            V::T(kids) => Field::Template(fields_of(kids)),
        }
    }
}

impl From<&Node> for V {
    fn from(n: &Node) -> V {
        match n {
            Node::Primitive { value, .. } => V::S(value.clone()),
            Node::Template { children, .. } => {
                V::T(children.iter().map(|c| (c.id(), V::from(c))).collect())
            }
        }
    }
}

/// The data objects an account of the neutral merchant data becomes, as the owning profile's
/// account schema writes them (templates with their children in the schema's order); empty
/// when the account is malformed (vectors built from it then say so by failing lint).
pub fn account_objs(account: &Account) -> Vec<(u8, V)> {
    match account {
        Account::Scheme { scheme, fields } => crate::rules::profile::account_schema(scheme)
            .and_then(|(_, schema)| schema.nodes(fields).ok())
            .unwrap_or_default()
            .iter()
            .map(|n| (n.id(), V::from(n)))
            .collect(),
        Account::Template { tag, guid, fields } => {
            let mut kids = vec![(0u8, s(guid.clone()))];
            for (k, v) in fields {
                kids.push((k.parse().unwrap_or(99), s(v.clone())));
            }
            vec![(*tag, V::T(kids))]
        }
        Account::Primitive { tag, value } => vec![(*tag, s(value.clone()))],
    }
}

/// The canonical payload of merchant data under a profile, as every reference generator of the
/// suite writes it: root objects in ascending ID order, 63 last, template children in the order
/// the account form writes them, lengths in the profile's unit, currency, country and category
/// from the profile's defaults when the data leaves them out, the profile's timestamp template
/// when the data gives both times. Profiles differ only in their spec's data.
pub fn canonical(m: &MerchantData, profile: Profile) -> P {
    let spec = profile.spec();
    let unit = match spec.unit {
        LengthUnit::Utf16 => Unit::Utf16,
        LengthUnit::Bytes => Unit::Bytes,
        LengthUnit::Chars => Unit::Chars,
    };
    let mut p = P::new(unit)
        .add_s(0, "01")
        .add_s(1, if m.kind == Kind::Dynamic { "12" } else { "11" });
    for (id, v) in account_objs(&m.account) {
        p = p.add(id, v);
    }
    let d = spec.defaults;
    let opt = |p: P, id: u8, v: Option<&str>| match v {
        Some(v) => p.add_s(id, v),
        None => p,
    };
    p = opt(
        p,
        52,
        m.merchant.category_code.as_deref().or(d.category_code),
    );
    p = opt(p, 53, m.transaction.currency.as_deref().or(d.currency));
    p = opt(p, 54, m.transaction.amount.as_deref());
    match &m.transaction.tip {
        Some(Tip::Prompt) => p = p.add_s(55, "01"),
        Some(Tip::Fixed { value }) => p = p.add_s(55, "02").add_s(56, value),
        Some(Tip::Percentage { value }) => p = p.add_s(55, "03").add_s(57, value),
        None => {}
    }
    p = opt(p, 58, m.merchant.country.as_deref().or(d.country));
    for (id, v) in [(59, &m.merchant.name), (60, &m.merchant.city)] {
        if !v.is_empty() {
            p = p.add_s(id, v);
        }
    }
    p = opt(p, 61, m.merchant.postal_code.as_deref());
    let add: Vec<(u8, V)> = m
        .additional
        .fields()
        .iter()
        .filter_map(|(i, v)| v.map(|v| (*i, s(v))))
        .collect();
    if !add.is_empty() {
        p = p.add(62, V::T(add));
    }
    if let Some(alt) = &m.merchant.alternate_language {
        let mut kids = vec![(0, s(alt.language.clone())), (1, s(alt.name.clone()))];
        if let Some(c) = &alt.city {
            kids.push((2, s(c.clone())));
        }
        p = p.add(64, V::T(kids));
    }
    if let (Some(id), Some(c), Some(e)) = (
        spec.timestamps,
        &m.transaction.created_at_ms,
        &m.transaction.expires_at_ms,
    ) {
        p = p.add(id, V::T(vec![(0, s(c.clone())), (1, s(e.clone()))]));
    }
    p.sorted()
}

fn fields_of(objs: &[(u8, V)]) -> Fields {
    let mut out = Fields::new();
    for (id, v) in objs {
        out.entry(format!("{id:02}")).or_insert_with(|| v.field());
    }
    out
}

/// A payload under construction: root objects in order, without the CRC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct P {
    /// Root objects (no 63).
    pub objs: Vec<(u8, V)>,
    /// Length unit.
    pub unit: Unit,
}

impl P {
    /// An empty payload counting lengths in `unit`.
    pub fn new(unit: Unit) -> P {
        P {
            objs: Vec::new(),
            unit,
        }
    }

    /// Sets the first object with `id` (or appends it).
    pub fn set(mut self, id: u8, v: V) -> P {
        match self.objs.iter_mut().find(|e| e.0 == id) {
            Some(e) => e.1 = v,
            None => self.objs.push((id, v)),
        }
        self
    }

    /// Sets a text object.
    pub fn set_s(self, id: u8, v: &str) -> P {
        self.set(id, s(v))
    }

    /// Appends an object (even when the ID exists: duplicates are a defect vectors need).
    pub fn add(mut self, id: u8, v: V) -> P {
        self.objs.push((id, v));
        self
    }

    /// Appends a text object.
    pub fn add_s(self, id: u8, v: &str) -> P {
        self.add(id, s(v))
    }

    /// Inserts an object at `index`.
    pub fn insert(mut self, index: usize, id: u8, v: V) -> P {
        let i = index.min(self.objs.len());
        self.objs.insert(i, (id, v));
        self
    }

    /// Removes every object with `id`.
    pub fn del(mut self, id: u8) -> P {
        self.objs.retain(|e| e.0 != id);
        self
    }

    /// Sorts root objects by ID (stable), the canonical order.
    pub fn sorted(mut self) -> P {
        self.objs.sort_by_key(|e| e.0);
        self
    }

    /// The text before `6304`.
    pub fn body(&self) -> String {
        self.objs
            .iter()
            .map(|(id, v)| obj(*id, &v.encode(self.unit), self.unit))
            .collect()
    }

    /// The payload with `6304` and its correct CRC.
    pub fn sealed(&self) -> String {
        crc::seal(&self.body())
    }

    /// The payload with `6304` and the given CRC text.
    pub fn with_crc(&self, crc: &str) -> String {
        format!("{}6304{crc}", self.body())
    }

    /// The fields a parser must return for the sealed payload (63 included).
    pub fn fields(&self) -> Fields {
        let sealed = self.sealed();
        let mut f = fields_of(&self.objs);
        f.insert(
            "63".into(),
            Field::Value(sealed[sealed.len() - 4..].to_owned()),
        );
        f
    }

    /// The text value of root object `id`.
    pub fn get(&self, id: u8) -> Option<&str> {
        self.objs
            .iter()
            .find(|e| e.0 == id)
            .and_then(|e| match &e.1 {
                V::S(v) => Some(v.as_str()),
                V::T(_) => None,
            })
    }
}

/// The structural defect the TLV grammar itself predicts for a payload, found by a minimal
/// scanner written for the generator (root level, then one level into templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predicted {
    /// Fewer than four characters left for a root header.
    TruncatedHeader,
    /// A root ID is not two digits.
    IdNotNumeric,
    /// A root length is not two digits.
    LengthNotNumeric,
    /// A root value runs past the end.
    Overrun,
    /// The root parses but a template's content does not.
    TemplateSyntax,
    /// Text follows a complete `6304` + 4 object at the end.
    AfterCrc,
}

impl Predicted {
    /// The EMVCo rule the defect fires.
    pub fn rule(self) -> &'static str {
        match self {
            Predicted::TruncatedHeader => "EMV.TLV.TRUNCATED_HEADER",
            Predicted::IdNotNumeric => "EMV.TLV.ID_NUMERIC",
            Predicted::LengthNotNumeric => "EMV.TLV.LENGTH_NUMERIC",
            Predicted::Overrun => "EMV.TLV.LENGTH_OVERRUN",
            Predicted::TemplateSyntax => "EMV.TLV.TEMPLATE_SYNTAX",
            Predicted::AfterCrc => "EMV.63.LAST",
        }
    }
}

fn is_template(id: u8, in_62: bool) -> bool {
    if in_62 {
        (50..=99).contains(&id)
    } else {
        (26..=51).contains(&id) || id == 62 || id == 64 || (80..=99).contains(&id)
    }
}

/// Scans one level; returns the first error, and the (id, value) objects found before it.
fn scan_level(chars: &[char], unit: Unit) -> (Vec<(u8, String)>, Option<Predicted>) {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars.len() - i < 4 {
            return (out, Some(Predicted::TruncatedHeader));
        }
        let d = |c: char| c.to_digit(10).filter(|_| c.is_ascii_digit());
        let (Some(a), Some(b)) = (d(chars[i]), d(chars[i + 1])) else {
            return (out, Some(Predicted::IdNotNumeric));
        };
        let (Some(x), Some(y)) = (d(chars[i + 2]), d(chars[i + 3])) else {
            return (out, Some(Predicted::LengthNotNumeric));
        };
        let id = (a * 10 + b) as u8;
        let want = (x * 10 + y) as usize;
        let start = i + 4;
        let mut j = start;
        let mut got = 0;
        while got < want && j < chars.len() {
            got += unit.len(chars[j].encode_utf8(&mut [0; 4]));
            j += 1;
        }
        if got != want {
            return (out, Some(Predicted::Overrun));
        }
        out.push((id, chars[start..j].iter().collect()));
        i = j;
    }
    (out, None)
}

/// Predicts the structural defect of a payload, or `None` when it parses cleanly.
pub fn predict(payload: &str, unit: Unit) -> Option<Predicted> {
    let chars: Vec<char> = payload.chars().collect();
    let (root, err) = scan_level(&chars, unit);
    if let Some(e) = err {
        // A complete CRC object followed by more text is "63 not last", not broken TLV.
        let consumed: usize = root.iter().map(|(_, v)| 4 + v.chars().count()).sum();
        let crc_done = root
            .last()
            .is_some_and(|(id, v)| *id == 63 && v.chars().count() == 4);
        return Some(if crc_done && consumed < chars.len() {
            Predicted::AfterCrc
        } else {
            e
        });
    }
    for (id, v) in &root {
        if is_template(*id, false) {
            let vc: Vec<char> = v.chars().collect();
            let (kids, e) = scan_level(&vc, unit);
            if e.is_some() {
                return Some(Predicted::TemplateSyntax);
            }
            if *id == 62 {
                for (k, kv) in kids {
                    if is_template(k, true) {
                        let kc: Vec<char> = kv.chars().collect();
                        if scan_level(&kc, unit).1.is_some() {
                            return Some(Predicted::TemplateSyntax);
                        }
                    }
                }
            }
        }
    }
    None
}

/// The root objects of a cleanly parsing payload (ID, value), by the generator's scanner.
pub fn root_objects(payload: &str, unit: Unit) -> Option<Vec<(u8, String)>> {
    let chars: Vec<char> = payload.chars().collect();
    match scan_level(&chars, unit) {
        (objs, None) => Some(objs),
        _ => None,
    }
}

/// The Khmer alternate-language name the samples use, without a local city: shared by the
/// EMVCo and KHQR generate plans.
pub fn khmer_name_only() -> crate::merchant::AlternateLanguage {
    crate::merchant::AlternateLanguage {
        language: "km".into(),
        name: "ហាងគុយទាវ".into(),
        city: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_digest_synthetic_payload() {
        let p = P::new(Unit::Chars)
            .set_s(0, "01")
            .set_s(1, "11")
            .set(26, t(&[(0, s("com.example.qrcert")), (1, s("ACCT0001"))]))
            .set_s(52, "5999")
            .set_s(53, "840")
            .set_s(58, "US")
            .set_s(59, "QRCERT SYNTHETIC")
            .set_s(60, "TESTVILLE");
        assert_eq!(
            p.sealed(),
            "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373"
        );
        assert_eq!(p.fields()["63"], Field::Value("6373".into()));
        assert!(predict(&p.sealed(), Unit::Chars).is_none());
    }

    #[test]
    fn predicts_structural_defects() {
        assert_eq!(
            predict("0002010", Unit::Chars),
            Some(Predicted::TruncatedHeader)
        );
        assert_eq!(
            predict("000201AB02", Unit::Chars),
            Some(Predicted::IdNotNumeric)
        );
        assert_eq!(
            predict("00020152+5ABCDE", Unit::Chars),
            Some(Predicted::LengthNotNumeric)
        );
        assert_eq!(
            predict("00020152990", Unit::Chars),
            Some(Predicted::Overrun)
        );
        assert_eq!(
            predict("0002012605X9abc", Unit::Chars),
            Some(Predicted::TemplateSyntax)
        );
        assert_eq!(
            predict("00020163041234\n", Unit::Chars),
            Some(Predicted::AfterCrc)
        );
        // UTF-16 units: one emoji is two units.
        assert_eq!(predict("5902🍜", Unit::Utf16), None);
        assert_eq!(predict("5902🍜", Unit::Chars), Some(Predicted::Overrun));
    }
}
