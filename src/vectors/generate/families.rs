//! Systematic mutation families: every base payload, every data object, one defect at a time.
//!
//! Each family is deterministic, and each case's number is derived from (base index, object
//! index, variant), so IDs are stable as long as bases and tables are only ever appended to.
//! Expected rules come from what the mutation does to the TLV grammar (predicted by
//! [`predict`], a scanner independent of qrcert's parser) or from the rule the changed value
//! breaks; mutants whose outcome the grammar does not settle are left out.

use super::build::{P, Unit, V, obj, predict, s, t};
use super::{Draft, Plan, validate};
use crate::Profile;
use crate::emv::crc;

/// A valid payload that families mutate, with the findings it has before any mutation.
#[derive(Debug, Clone)]
pub struct Base {
    /// Short name used in titles.
    pub name: &'static str,
    /// The payload tree.
    pub p: P,
    /// INFO findings of the unmutated payload.
    pub info: Vec<&'static str>,
    /// SHOULD findings of the unmutated payload.
    pub warnings: Vec<&'static str>,
    /// The clock the profile needs (KHQR expiry), if any.
    pub now: Option<i64>,
}

impl Base {
    /// A base payload with no findings of its own, judged at the run's clock.
    pub fn new(name: &'static str, p: P) -> Base {
        Base {
            name,
            p,
            info: Vec::new(),
            warnings: Vec::new(),
            now: None,
        }
    }

    /// With the INFO findings the unmutated payload has.
    pub fn info(mut self, rules: &[&'static str]) -> Base {
        self.info = rules.to_vec();
        self
    }

    /// With the SHOULD findings the unmutated payload has.
    pub fn warnings(mut self, rules: &[&'static str]) -> Base {
        self.warnings = rules.to_vec();
        self
    }

    /// Judged at `ms` (a profile whose samples expire).
    pub fn at(mut self, ms: i64) -> Base {
        self.now = Some(ms);
        self
    }
}

fn with_now(d: Draft, b: &Base) -> Draft {
    match b.now {
        Some(ms) => d.now(ms),
        None => d,
    }
}

/// The root objects of a base as written, with the CRC object last: (id, encoded value).
fn written(b: &Base) -> Vec<(u8, String)> {
    let mut v: Vec<(u8, String)> =
        b.p.objs
            .iter()
            .map(|(id, x)| (*id, x.encode(b.p.unit)))
            .collect();
    let sealed = b.p.sealed();
    v.push((63, sealed[sealed.len() - 4..].to_owned()));
    v
}

fn join(objs: &[(u8, String)], unit: Unit) -> String {
    objs.iter().map(|(id, v)| obj(*id, v, unit)).collect()
}

/// Truncation: cut each object inside its header, inside its value, and just before it.
pub fn truncate(profile: Profile, bases: &[Base]) -> Plan {
    let mut d = Vec::new();
    for (bi, b) in bases.iter().enumerate() {
        let objs = written(b);
        let mut start = 0usize; // in characters
        let full: Vec<char> = join(&objs, b.p.unit).chars().collect();
        for (k, (id, v)) in objs.iter().enumerate() {
            let len = v.chars().count();
            let cuts = [
                (start + 2, format!("cut inside the header of {id:02}")),
                (
                    start + 4 + len / 2,
                    format!("cut inside the value of {id:02}"),
                ),
                (start, format!("cut just before {id:02}")),
            ];
            for (vi, (at, what)) in cuts.into_iter().enumerate() {
                if at == 0 {
                    continue;
                }
                let text: String = full[..at].iter().collect();
                let rule = match predict(&text, b.p.unit) {
                    Some(p) => p.rule(),
                    None => "EMV.63.PRESENT",
                };
                let num = (bi * 100 + k * 3 + vi + 1) as u16;
                d.push(with_now(
                    validate(num, &format!("{}: {what}", b.name), text)
                        .reject(&[rule])
                        .tags(&["negative", "mutation", "truncate"]),
                    b,
                ));
            }
            start += 4 + len;
        }
    }
    Plan::new(
        profile,
        "mut-truncate",
        "Mutation family: payloads truncated inside each object's header, inside its value, and just before it.",
        &["EMV QRCPS MPM v1.0 §3.2, §4.4.1"],
        d,
    )
}

/// Wrong lengths: each root object's declared length one too long and one too short, and the
/// same for the last child of each template; the CRC is recomputed so the length is the only
/// defect. Mutants the grammar still parses (misaligned but well-formed) are left out.
pub fn length(profile: Profile, bases: &[Base]) -> Plan {
    let mut d = Vec::new();
    for (bi, b) in bases.iter().enumerate() {
        let unit = b.p.unit;
        for (k, (id, v)) in b.p.objs.iter().enumerate() {
            let encoded = v.encode(unit);
            let n = unit.len(&encoded);
            let mut variants: Vec<(usize, String, String)> = Vec::new();
            for (vi, delta) in [(0usize, 1i32), (1, -1)] {
                let m = n as i32 + delta;
                if (1..=99).contains(&m) {
                    variants.push((
                        vi,
                        format!("{id:02}{m:02}{encoded}"),
                        format!("{id:02} declares {m} for {n}"),
                    ));
                }
            }
            if let V::T(kids) = v
                && let Some((cid, cv)) = kids.last()
            {
                let inner_before: String = kids[..kids.len() - 1]
                    .iter()
                    .map(|(i, x)| obj(*i, &x.encode(unit), unit))
                    .collect();
                let cenc = cv.encode(unit);
                let cn = unit.len(&cenc);
                for (vi, delta) in [(2usize, 1i32), (3, -1)] {
                    let m = cn as i32 + delta;
                    if (1..=99).contains(&m) {
                        let content = format!("{inner_before}{cid:02}{m:02}{cenc}");
                        variants.push((
                            vi,
                            obj(*id, &content, unit),
                            format!("{id:02}/{cid:02} declares {m} for {cn}"),
                        ));
                    }
                }
            }
            for (vi, text, what) in variants {
                let body: String =
                    b.p.objs
                        .iter()
                        .enumerate()
                        .map(|(j, (i, x))| {
                            if j == k {
                                text.clone()
                            } else {
                                obj(*i, &x.encode(unit), unit)
                            }
                        })
                        .collect();
                let payload = crc::seal(&body);
                let Some(pred) = predict(&payload, unit) else {
                    continue;
                };
                let num = (bi * 100 + k * 4 + vi + 1) as u16;
                d.push(with_now(
                    validate(num, &format!("{}: {what}", b.name), payload)
                        .reject(&[pred.rule()])
                        .tags(&["negative", "mutation", "length"]),
                    b,
                ));
            }
        }
    }
    Plan::new(
        profile,
        "mut-length",
        "Mutation family: declared lengths one too long or too short (CRC recomputed), root objects and template children.",
        &["EMV QRCPS MPM v1.0 §4.4.1"],
        d,
    )
}

fn crc_hex(alg: &'static ::crc::Algorithm<u16>, bytes: &[u8]) -> String {
    format!("{:04X}", ::crc::Crc::<u16>::new(alg).checksum(bytes))
}

/// The CRCs of `head` (the payload up to and including `6304`) under the algorithms and inputs
/// implementations confuse with CCITT-FALSE over the UTF-8 bytes, in a fixed order: the wrong
/// CRCs of the mutation family, and what a fresh suite recomputes them with.
pub fn wrong_algorithm_crcs(head: &str) -> [(&'static str, String); 7] {
    let body = head.strip_suffix("6304").unwrap_or(head);
    let utf16: Vec<u8> = head.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    [
        (
            "CRC-16/X-25 (ISO/IEC 13239 HDLC)",
            crc_hex(&::crc::CRC_16_IBM_SDLC, head.as_bytes()),
        ),
        (
            "CRC-16/XMODEM (initial value 0)",
            crc_hex(&::crc::CRC_16_XMODEM, head.as_bytes()),
        ),
        (
            "CRC-16/KERMIT (reflected)",
            crc_hex(&::crc::CRC_16_KERMIT, head.as_bytes()),
        ),
        ("CRC-16/ARC", crc_hex(&::crc::CRC_16_ARC, head.as_bytes())),
        (
            "CRC-16/MODBUS",
            crc_hex(&::crc::CRC_16_MODBUS, head.as_bytes()),
        ),
        (
            "CCITT-FALSE over UTF-16 code units",
            crc_hex(&::crc::CRC_16_IBM_3740, &utf16),
        ),
        (
            "CCITT-FALSE without the 6304 header",
            crc_hex(&::crc::CRC_16_IBM_3740, body.as_bytes()),
        ),
    ]
}

/// Wrong CRCs: each digit off by one, the CRCs of wrong algorithms and wrong inputs, and the
/// lower-case form (a SHOULD finding for consumers, a MUST for generators).
pub fn crc_family(
    profile: Profile,
    bases: &[Base],
    mismatch: &'static str,
    lower: &[&'static str],
    lower_info: &[&'static str],
) -> Plan {
    let mut d = Vec::new();
    for (bi, b) in bases.iter().enumerate() {
        let sealed = b.p.sealed();
        let (head, right) = sealed.split_at(sealed.len() - 4);
        let mut wrong: Vec<(usize, String, String)> = Vec::new();
        for i in 0..4 {
            let mut c: Vec<char> = right.chars().collect();
            let v = c[i].to_digit(16).unwrap_or(0);
            c[i] = std::char::from_digit((v + 1) % 16, 16)
                .unwrap_or('0')
                .to_ascii_uppercase();
            wrong.push((
                i,
                c.into_iter().collect(),
                format!("CRC digit {} off by one", i + 1),
            ));
        }
        for (i, (what, crc)) in wrong_algorithm_crcs(head).into_iter().enumerate() {
            wrong.push((4 + i, crc, format!("CRC computed with {what}")));
        }
        let swapped = format!("{}{}", &right[2..], &right[..2]);
        wrong.push((11, swapped, "CRC bytes swapped (little-endian)".into()));
        for (vi, c, what) in wrong {
            if c == right {
                continue;
            }
            let num = (bi * 20 + vi + 1) as u16;
            d.push(with_now(
                validate(num, &format!("{}: {what}", b.name), format!("{head}{c}"))
                    .reject(&[mismatch])
                    .tags(&["negative", "mutation", "crc"]),
                b,
            ));
        }
        if right.bytes().any(|x| x.is_ascii_alphabetic()) {
            let lc = format!("{head}{}", right.to_ascii_lowercase());
            let mut warns = b.warnings.clone();
            warns.extend_from_slice(lower);
            let mut info = b.info.clone();
            info.extend_from_slice(lower_info);
            d.push(with_now(
                validate(
                    (bi * 20 + 13) as u16,
                    &format!("{}: lower-case CRC (consumer)", b.name),
                    lc.clone(),
                )
                .warn(&warns)
                .info(&info)
                .tags(&["negative", "mutation", "crc"]),
                b,
            ));
            d.push(with_now(
                validate(
                    (bi * 20 + 14) as u16,
                    &format!("{}: lower-case CRC from a generator", b.name),
                    lc,
                )
                .as_generated()
                .reject(&["EMV.63.UPPERCASE"])
                .tags(&["negative", "mutation", "crc", "generator"]),
                b,
            ));
        }
    }
    Plan::new(
        profile,
        "mut-crc",
        "Mutation family: wrong CRCs (each digit, wrong algorithms, wrong input, byte order) and lower-case CRCs.",
        &["EMV QRCPS MPM v1.0 §4.7.3"],
        d,
    )
}

/// Duplicates: each root object again just before the CRC, and each template's last child
/// again inside its template (CRC recomputed).
pub fn duplicate(
    profile: Profile,
    bases: &[Base],
    dup_id: &'static str,
    dup_sub: &'static str,
) -> Plan {
    let mut d = Vec::new();
    for (bi, b) in bases.iter().enumerate() {
        for (k, (id, v)) in b.p.objs.iter().enumerate() {
            let p = b.p.clone().add(*id, v.clone());
            let num = (bi * 100 + k * 2 + 1) as u16;
            d.push(with_now(
                validate(num, &format!("{}: {id:02} twice", b.name), p.sealed())
                    .reject(&[dup_id])
                    .tags(&["negative", "mutation", "duplicate"]),
                b,
            ));
            if let V::T(kids) = v
                && let Some(last) = kids.last()
            {
                let mut more = kids.clone();
                more.push(last.clone());
                let nv = V::T(more);
                if b.p.unit.len(&nv.encode(b.p.unit)) > 99 {
                    continue;
                }
                let mut p = b.p.clone();
                p.objs[k].1 = nv;
                d.push(with_now(
                    validate(
                        num + 1,
                        &format!("{}: {id:02}/{:02} twice", b.name, last.0),
                        p.sealed(),
                    )
                    .reject(&[dup_sub])
                    .tags(&["negative", "mutation", "duplicate"]),
                    b,
                ));
            }
        }
    }
    Plan::new(
        profile,
        "mut-duplicate",
        "Mutation family: each data object twice (root IDs and template sub-IDs), CRC recomputed.",
        &["EMV QRCPS MPM v1.0 §4.3.1.2"],
        d,
    )
}

/// Reordering: permutations that keep 00 first and 63 last are valid; moving 00 is not.
pub fn reorder(
    profile: Profile,
    bases: &[Base],
    order_info: &[&'static str],
    first_rule: &'static str,
) -> Plan {
    let mut d = Vec::new();
    for (bi, b) in bases.iter().enumerate() {
        let first = b.p.objs[0].clone();
        let rest: Vec<(u8, V)> = b.p.objs[1..].to_vec();
        let n = rest.len();
        let mut perms: Vec<(String, Vec<(u8, V)>)> =
            vec![("reversed".into(), rest.iter().rev().cloned().collect())];
        for r in 1..=3.min(n.saturating_sub(1)) {
            let mut x = rest.clone();
            x.rotate_left(r);
            perms.push((format!("rotated by {r}"), x));
        }
        let mut pairs = rest.clone();
        for i in (0..n.saturating_sub(1)).step_by(2) {
            pairs.swap(i, i + 1);
        }
        perms.push(("adjacent pairs swapped".into(), pairs));
        let mut sorted = rest.clone();
        sorted.sort_by_key(|e| e.0);
        perms.push(("ascending ID order".into(), sorted));
        for (vi, (what, order)) in perms.into_iter().enumerate() {
            let mut objs = vec![first.clone()];
            objs.extend(order);
            let ascending = objs.windows(2).all(|w| w[0].0 <= w[1].0);
            let p = P {
                objs,
                unit: b.p.unit,
            };
            let mut info: Vec<&str> = b
                .info
                .iter()
                .copied()
                .filter(|i| !order_info.contains(i))
                .collect();
            if !ascending {
                info.extend_from_slice(order_info);
            }
            d.push(with_now(
                validate(
                    (bi * 20 + vi + 1) as u16,
                    &format!("{}: objects {what}, 00 first, 63 last", b.name),
                    p.sealed(),
                )
                .warn(&b.warnings)
                .info(&info)
                .tags(&["positive", "mutation", "order"]),
                b,
            ));
        }
        let mut moved = rest.clone();
        moved.push(first.clone());
        let p = P {
            objs: moved,
            unit: b.p.unit,
        };
        d.push(with_now(
            validate(
                (bi * 20 + 10) as u16,
                &format!("{}: 00 moved to the end", b.name),
                p.sealed(),
            )
            .reject(&[first_rule])
            .tags(&["negative", "mutation", "order"]),
            b,
        ));
    }
    Plan::new(
        profile,
        "mut-reorder",
        "Mutation family: reordered objects (valid while 00 is first and 63 last) and a misplaced 00.",
        &["EMV QRCPS MPM v1.0 §4.6.1"],
        d,
    )
}

/// One out-of-range value: set root object `id` (or a template's children) and expect rules.
#[derive(Debug, Clone)]
pub struct Range {
    /// What is set.
    pub id: u8,
    /// The new value.
    pub value: V,
    /// Extra objects the mutation needs (e.g. 55 = 03 for a 57 value).
    pub with: Vec<(u8, V)>,
    /// MUST rules expected (empty: the payload stays valid).
    pub rules: Vec<&'static str>,
    /// SHOULD rules expected on top of the base's.
    pub warnings: Vec<&'static str>,
}

/// A text range entry.
pub fn r(id: u8, value: &str, rules: &[&'static str]) -> Range {
    Range {
        id,
        value: s(value),
        with: Vec::new(),
        rules: rules.to_vec(),
        warnings: Vec::new(),
    }
}

/// A range entry that only raises SHOULD findings.
pub fn w(id: u8, value: &str, warnings: &[&'static str]) -> Range {
    Range {
        id,
        value: s(value),
        with: Vec::new(),
        rules: Vec::new(),
        warnings: warnings.to_vec(),
    }
}

impl Range {
    /// Adds objects the mutation needs.
    pub fn with(mut self, id: u8, v: &str) -> Range {
        self.with.push((id, s(v)));
        self
    }

    /// Sets a template value instead of text.
    pub fn template(
        id: u8,
        kids: &[(u8, V)],
        rules: &[&'static str],
        warnings: &[&'static str],
    ) -> Range {
        Range {
            id,
            value: t(kids),
            with: Vec::new(),
            rules: rules.to_vec(),
            warnings: warnings.to_vec(),
        }
    }
}

fn show(v: &V) -> String {
    match v {
        V::S(x) if x.chars().count() > 20 => format!("{} characters", x.chars().count()),
        V::S(x) => format!("'{x}'"),
        V::T(k) => k
            .iter()
            .map(|(i, x)| format!("{i:02}={}", show(x)))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Out-of-range values for each field, applied to each base.
pub fn range(profile: Profile, bases: &[Base], table: &[Range]) -> Plan {
    let mut d = Vec::new();
    for (bi, b) in bases.iter().enumerate() {
        for (m, e) in table.iter().enumerate() {
            let mut p = b.p.clone();
            for (id, v) in &e.with {
                p = p.set(*id, v.clone());
            }
            p = p.set(e.id, e.value.clone());
            let mut warnings = b.warnings.clone();
            for x in &e.warnings {
                if !warnings.contains(x) {
                    warnings.push(x);
                }
            }
            let title = format!("{}: {:02} = {}", b.name, e.id, show(&e.value));
            let mut draft = validate((bi * 100 + m + 1) as u16, &title, p.sealed()).warn(&warnings);
            draft = if e.rules.is_empty() {
                draft.tags(&["negative", "mutation", "range"])
            } else {
                draft
                    .reject(&e.rules)
                    .tags(&["negative", "mutation", "range"])
            };
            d.push(with_now(draft, b));
        }
    }
    Plan::new(
        profile,
        "mut-range",
        "Mutation family: out-of-range and malformed values for each field, CRC recomputed.",
        &["EMV QRCPS MPM v1.0 Table 3.6"],
        d,
    )
}

/// The rules a profile's mutants are judged by: the data that makes the families one profile's.
#[derive(Debug, Clone, Copy)]
pub struct FamilyRules {
    /// A wrong CRC.
    pub mismatch: &'static str,
    /// SHOULD findings of a lower-case CRC (consumer role).
    pub lower: &'static [&'static str],
    /// INFO findings of a lower-case CRC.
    pub lower_info: &'static [&'static str],
    /// A repeated root ID.
    pub dup_id: &'static str,
    /// A repeated sub-ID.
    pub dup_sub: &'static str,
    /// INFO findings of objects out of ascending order.
    pub order_info: &'static [&'static str],
    /// 00 not first.
    pub first: &'static str,
}

/// The EMVCo base's family rules (JPQR judges its mutants by them too).
pub const EMVCO_RULES: FamilyRules = FamilyRules {
    mismatch: "EMV.63.CRC_MISMATCH",
    lower: &["EMV.63.UPPERCASE"],
    lower_info: &[],
    dup_id: "EMV.TLV.DUPLICATE_ID",
    dup_sub: "EMV.TLV.DUPLICATE_SUBID",
    order_info: &["EMV.TLV.ORDER_NUMERIC"],
    first: "EMV.00.FIRST",
};

/// Every mutation family over a profile's bases: truncation, lengths, CRCs, duplicates,
/// reordering and its out-of-range table.
pub fn standard(
    profile: Profile,
    bases: &[Base],
    ranges: &[Range],
    rules: &FamilyRules,
) -> Vec<Plan> {
    vec![
        truncate(profile, bases),
        length(profile, bases),
        crc_family(
            profile,
            bases,
            rules.mismatch,
            rules.lower,
            rules.lower_info,
        ),
        duplicate(profile, bases, rules.dup_id, rules.dup_sub),
        reorder(profile, bases, rules.order_info, rules.first),
        range(profile, bases, ranges),
    ]
}
