//! An experiment, not part of qrcert: how fast could full EMVCo MPM validation be if the
//! checks ran inside the parse, in one pass with no object records (the "fused single pass"
//! that docs/performance.md once named as the route to 200 ns per payload)?
//!
//! `Fused::check` walks the payload once and checks each data object as it finds it, for every
//! payload rule of the EMVCo layer (`EMV.PAYLOAD.*`, `EMV.TLV.*`, `EMV.CHARSET.*`, 00-99 and
//! the templates). It reuses qrcert's primitives (the printable-ASCII cursor, the character
//! walk, the CRC, the GUID, amount and code tables), so the comparison measures the
//! structure, not the primitives. It is a floor, not a product: messages of findings that a
//! valid payload never carries are placeholders, and there are no roles, profiles,
//! relaxations, structural diagnosis or national layers. `compare` shows how close its rule
//! IDs come to the validator's on the golden vectors. Results: README.md next to this file.
use qrcert::Profile;
use qrcert::emv::charset::{
    first_control, first_non_ans, first_non_bmp, first_unprintable, is_n, is_nfc,
};
use qrcert::emv::crc::{crc16, from_hex};
use qrcert::emv::units::{LengthUnit, advance};
use qrcert::rules::catalogue;
use qrcert::rules::data::{iso639, iso3166, iso4217, mcc};
use qrcert::rules::emvco::amount::Amount;
use qrcert::rules::emvco::guid;
use qrcert::rules::rule::Severity;
use qrcert::rules::validator::{Options, Validator};
use qrcert::vectors::{Input, Suite};

/// With the `free-primitives` feature, the CRC, the checks of S values (control characters, NFC,
/// non-BMP) and GUID classification are skipped: a bound on what tuning those primitives could
/// ever give. Not a validator then (`compare` disagrees wherever they fire).
const FREE_PRIMITIVES: bool = cfg!(feature = "free-primitives");

/// A finding: the rule ID, the byte offset, up to three IDs of the path and the message.
#[derive(Debug)]
pub struct F {
    pub rule: &'static str,
    pub offset: u32,
    pub path: [u8; 3],
    pub msg: String,
}

/// The fused validator: its findings, and message buffers reused across payloads.
#[derive(Default)]
pub struct Fused {
    pub findings: Vec<F>,
    spare: Vec<String>,
    objs: Vec<Hdr>,
}

#[derive(Clone, Copy, Default)]
struct Hdr {
    id: u8,
    len: u8,
    pos: usize,
    vs: usize,
    ve: usize,
    printable: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum LevelErr {
    None,
    Trunc(usize),
    Id(usize),
    Len(usize),
    Over(usize),
}

const DIGITS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
fn two(id: u8) -> &'static str {
    let i = usize::from(id.min(99)) * 2;
    &DIGITS[i..i + 2]
}

/// Walks one level, calling `f` per object; stops at the first structural error.
#[inline(always)]
fn level(
    text: &str,
    start: usize,
    limit: usize,
    mut odd: usize,
    mut f: impl FnMut(Hdr),
) -> LevelErr {
    let bytes = text.as_bytes();
    let mut pos = start;
    while pos < limit {
        let Some(&[i0, i1, l0, l1]) = bytes.get(pos..pos + 4).filter(|_| pos + 4 <= limit) else {
            return LevelErr::Trunc(pos);
        };
        let word = u32::from_le_bytes([i0, i1, l0, l1]);
        let high = word & 0xF0F0_F0F0;
        let high6 = word.wrapping_add(0x0606_0606) & 0xF0F0_F0F0;
        if (high ^ 0x3030_3030) | (high6 ^ 0x3030_3030) != 0 {
            return if i0.is_ascii_digit() && i1.is_ascii_digit() {
                LevelErr::Len(pos + 2)
            } else {
                LevelErr::Id(pos)
            };
        }
        let d = word & 0x0F0F_0F0F;
        let pairs = d * 10 + (d >> 8);
        let id = pairs as u8;
        let len = (pairs >> 16) as u8;
        let vs = pos + 4;
        let ae = vs + usize::from(len);
        let (ve, printable) = if ae <= odd {
            (ae, true)
        } else {
            match advance(text, vs, limit, usize::from(len), LengthUnit::Chars, false) {
                Ok((e, _)) => {
                    odd = first_unprintable(bytes, e, limit);
                    (e, false)
                }
                Err(_) => return LevelErr::Over(pos + 2),
            }
        };
        f(Hdr {
            id,
            len,
            pos,
            vs,
            ve,
            printable,
        });
        pos = ve;
    }
    LevelErr::None
}

/// Walks the children of template `t`, calling `f` per child; returns the level's error and
/// the offset of the first repeated sub-ID.
#[inline(always)]
fn children(text: &str, t: Hdr, mut f: impl FnMut(Hdr)) -> (LevelErr, Option<usize>) {
    let odd = if t.printable {
        t.ve
    } else {
        first_unprintable(text.as_bytes(), t.vs, t.ve)
    };
    let mut seen = 0u128;
    let mut dup = None;
    let e = level(text, t.vs, t.ve, odd, |c| {
        if seen >> c.id & 1 != 0 {
            dup.get_or_insert(c.pos);
        }
        seen |= 1 << c.id;
        f(c);
    });
    (e, dup)
}

impl Fused {
    #[cold]
    fn emit(&mut self, rule: &'static str, offset: usize, path: [u8; 3], msg: String) {
        self.findings.push(F {
            rule,
            offset: offset as u32,
            path,
            msg,
        });
    }
    fn compose(&mut self, parts: &[&str]) -> String {
        let mut m = self.spare.pop().unwrap_or_default();
        for p in parts {
            m.push_str(p);
        }
        m
    }
    fn s_value(&mut self, text: &str, h: Hdr, path: [u8; 3]) {
        if h.printable || FREE_PRIMITIVES {
            return;
        }
        let v = &text[h.vs..h.ve];
        if let Some((off, _)) = first_control(v) {
            self.emit(
                "EMV.PAYLOAD.CONTROL_CHARS",
                h.vs + off,
                path,
                "control".into(),
            );
        }
        if !is_nfc(v) {
            self.emit("EMV.CHARSET.S_PRECOMPOSED", h.vs, path, "nfc".into());
        }
        if let Some((off, _)) = first_non_bmp(v) {
            self.emit("EMV.CHARSET.NON_BMP", h.vs + off, path, "bmp".into());
        }
    }
    fn ans(&mut self, text: &str, h: Hdr, rule: &'static str, path: [u8; 3]) {
        if !h.printable
            && let Some((off, _)) = first_non_ans(&text[h.vs..h.ve])
        {
            self.emit(rule, h.vs + off, path, "ans".into());
        }
    }
    /// A template with a GUID in 00 (26-51, 80-99, 62/50-99).
    fn guid_template(
        &mut self,
        text: &str,
        t: Hdr,
        path: [u8; 3],
        present: &'static str,
        length: &'static str,
        format: Option<&'static str>,
    ) {
        let mut guid: Option<Hdr> = None;
        let (e, dup) = children(text, t, |c| {
            if c.id == 0 {
                guid = Some(c);
            }
        });
        if let Some(p) = dup {
            self.emit("EMV.TLV.DUPLICATE_SUBID", p, path, "dup".into());
        }
        if e != LevelErr::None {
            self.emit("EMV.TLV.TEMPLATE_SYNTAX", t.pos, path, "syntax".into());
        }
        match guid {
            None => {
                if e == LevelErr::None {
                    self.emit(present, t.pos, path, "no guid".into())
                }
            }
            Some(g) => {
                let v = &text[g.vs..g.ve];
                if !(1..=32).contains(&g.len) || !g.printable {
                    self.emit(length, g.pos, path, "len".into());
                } else if let Some(rule) = format
                    && !FREE_PRIMITIVES
                    && guid::form(v).is_none()
                {
                    self.emit(rule, g.pos, path, "form".into());
                }
            }
        }
    }

    /// Judges `text` against every EMVCo payload rule in one walk; returns whether it is valid.
    pub fn check(&mut self, text: &str) -> bool {
        for f in self.findings.drain(..) {
            let mut m = f.msg;
            m.clear();
            if self.spare.len() < 16 {
                self.spare.push(m);
            }
        }
        let bytes = text.as_bytes();
        let n = bytes.len();
        if n == 0 {
            self.emit("EMV.PAYLOAD.EMPTY", 0, [0; 3], "empty".into());
            return false;
        }
        if n > 512 {
            self.emit("EMV.PAYLOAD.MAX_BYTES", 0, [0; 3], format!("{n}"));
            if text.chars().count() > 512 {
                self.emit("EMV.PAYLOAD.MAX_CHARS", 0, [0; 3], format!("{n}"));
            }
        }
        let odd = first_unprintable(bytes, 0, n);
        let mut seen = 0u128;
        let mut prev: i16 = -1;
        let mut order_at = None;
        let mut dup_at = None;
        let mut zero_at = None;
        let mut idx = [u8::MAX; 128];
        let mut objs = std::mem::take(&mut self.objs);
        objs.clear();
        let e = level(text, 0, n, odd, |h| {
            if seen >> h.id & 1 != 0 {
                dup_at.get_or_insert(h.pos);
            } else if objs.len() < 255 {
                idx[usize::from(h.id) & 127] = objs.len() as u8;
                objs.push(h);
            }
            seen |= 1 << h.id;
            if h.len == 0 {
                zero_at.get_or_insert(h.pos);
            }
            if i16::from(h.id) < prev && h.id != 63 {
                order_at.get_or_insert((h.pos, h.id, prev as u8));
            }
            prev = i16::from(h.id);
        });
        let complete = e == LevelErr::None;
        let roots = |id: usize| -> Option<Hdr> {
            let i = idx[id & 127];
            (i != u8::MAX).then(|| objs[usize::from(i)])
        };
        match e {
            LevelErr::None => {}
            LevelErr::Trunc(p) => self.emit("EMV.TLV.TRUNCATED_HEADER", p, [0; 3], "t".into()),
            LevelErr::Id(p) => self.emit("EMV.TLV.ID_NUMERIC", p, [0; 3], "i".into()),
            LevelErr::Len(p) => self.emit("EMV.TLV.LENGTH_NUMERIC", p, [0; 3], "l".into()),
            LevelErr::Over(p) => self.emit("EMV.TLV.LENGTH_OVERRUN", p, [0; 3], "o".into()),
        }
        if let Some(p) = dup_at {
            self.emit("EMV.TLV.DUPLICATE_ID", p, [0; 3], "d".into());
        }
        if let Some(p) = zero_at {
            self.emit("EMV.TLV.LENGTH_ZERO", p, [0; 3], "z".into());
        }
        if let Some((p, id, before)) = order_at {
            let m = self.compose(&[
                "data object ",
                two(id),
                " follows ",
                two(before),
                "; ascending order is not required",
            ]);
            self.findings.push(F {
                rule: "EMV.TLV.ORDER_NUMERIC",
                offset: p as u32,
                path: [id, 0, 0],
                msg: m,
            });
        }
        let missing = |s: &mut Self, id: usize, rule: &'static str| {
            if complete {
                s.emit(rule, 0, [id as u8, 0, 0], "missing".into());
            }
        };
        // 00
        match roots(0) {
            None => missing(self, 0, "EMV.00.PRESENT"),
            Some(h) => {
                if h.pos != 0 {
                    self.emit("EMV.00.FIRST", h.pos, [0; 3], "f".into());
                }
                if h.len != 2 {
                    self.emit("EMV.00.LENGTH", h.pos, [0; 3], "l".into());
                }
                if &text[h.vs..h.ve] != "01" {
                    self.emit("EMV.00.VALUE", h.pos, [0; 3], "v".into());
                }
            }
        }
        for id in [0u8, 1, 52, 53, 55] {
            if let Some(h) = roots(usize::from(id))
                && !is_n(&text[h.vs..h.ve])
            {
                self.emit("EMV.CHARSET.N", h.vs, [id, 0, 0], "n".into());
            }
        }
        let is_static = roots(1).is_some_and(|h| &text[h.vs..h.ve] == "11");
        if let Some(h) = roots(1) {
            if h.len != 2 {
                self.emit("EMV.01.LENGTH", h.pos, [1, 0, 0], "l".into());
            }
            if !matches!(&text[h.vs..h.ve], "11" | "12") {
                self.emit("EMV.01.VALUE", h.pos, [1, 0, 0], "v".into());
            }
            if is_static && roots(54).is_some() {
                self.emit("EMV.01.STATIC_WITH_AMOUNT", h.pos, [1, 0, 0], "s".into());
            }
        }
        // Ranged IDs: 02-51, 65-79, 80-99.
        let mut any_mai = false;
        let mut ranged =
            seen & (((1u128 << 52) - 1) & !3 | (((1u128 << 100) - 1) & !((1u128 << 65) - 1)));
        while ranged != 0 {
            let id = ranged.trailing_zeros() as u8;
            ranged &= ranged - 1;
            let Some(h) = roots(usize::from(id)) else {
                continue;
            };
            let path = [id, 0, 0];
            match id {
                2..=51 => {
                    any_mai = true;
                    if matches!(id, 6..=8 | 17..=25) {
                        self.emit("EMV.MAI.RESERVED_EMVCO", h.pos, path, "r".into());
                    }
                    self.ans(text, h, "EMV.MAI.CHARSET", path);
                    if id >= 26 {
                        self.guid_template(
                            text,
                            h,
                            path,
                            "EMV.MAI.GUID_PRESENT",
                            "EMV.MAI.GUID_LENGTH",
                            Some("EMV.MAI.GUID_FORMAT"),
                        );
                    }
                }
                65..=79 => self.emit("EMV.RFU.ROOT", h.pos, path, "rfu".into()),
                _ => self.guid_template(
                    text,
                    h,
                    path,
                    "EMV.UNRES.GUID_PRESENT",
                    "EMV.UNRES.GUID_LENGTH",
                    Some("EMV.UNRES.GUID_FORMAT"),
                ),
            }
        }
        if !any_mai && complete {
            self.emit("EMV.MAI.PRESENT", 0, [0; 3], "mai".into());
        }
        // 52, 53
        match roots(52) {
            None => missing(self, 52, "EMV.52.PRESENT"),
            Some(h) => {
                let v = &text[h.vs..h.ve];
                if v.len() != 4 || !is_n(v) {
                    self.emit("EMV.52.FORMAT", h.pos, [52, 0, 0], "f".into());
                } else if !mcc::is_known(v) {
                    self.emit("EMV.52.ISO18245", h.pos, [52, 0, 0], "k".into());
                }
            }
        }
        let mut exponent = None;
        match roots(53) {
            None => missing(self, 53, "EMV.53.PRESENT"),
            Some(h) => {
                let v = &text[h.vs..h.ve];
                if v.len() != 3 || !is_n(v) {
                    self.emit("EMV.53.FORMAT", h.pos, [53, 0, 0], "f".into());
                } else if !iso4217::is_assigned(v) {
                    self.emit("EMV.53.ISO4217", h.pos, [53, 0, 0], "k".into());
                }
                exponent = iso4217::exponent(v);
            }
        }
        let amount = |s: &mut Self,
                      h: Hdr,
                      fmt: &'static str,
                      dec: &'static str,
                      p: [u8; 3]|
         -> Option<()> {
            let v = &text[h.vs..h.ve];
            match Amount::parse(v) {
                None => {
                    s.emit(fmt, h.pos, p, "f".into());
                    None
                }
                Some(a) => {
                    if let Some(e) = exponent
                        && a.decimals() > 0
                        && a.decimals() != usize::from(e)
                    {
                        s.emit(dec, h.pos, p, "d".into());
                    }
                    if p[0] == 54 {
                        if a.is_zero() {
                            s.emit("EMV.54.NONZERO", h.pos, p, "z".into());
                        }
                        if a.int.is_empty() {
                            s.emit("EMV.54.LEADING_DOT", h.pos, p, ".".into());
                        }
                        if a.leading_zero() {
                            s.emit("EMV.54.LEADING_ZERO", h.pos, p, "0".to_string());
                        }
                    }
                    Some(())
                }
            }
        };
        if let Some(h) = roots(54) {
            if h.len > 13 {
                self.emit("EMV.54.LENGTH", h.pos, [54, 0, 0], "l".into());
            }
            self.ans(text, h, "EMV.CHARSET.ANS", [54, 0, 0]);
            amount(self, h, "EMV.54.FORMAT", "EMV.54.DECIMALS", [54, 0, 0]);
        }
        let tip = roots(55).map(|h| &text[h.vs..h.ve]);
        if let Some(h) = roots(55) {
            if h.len != 2 {
                self.emit("EMV.55.LENGTH", h.pos, [55, 0, 0], "l".into());
            }
            if !matches!(tip, Some("01" | "02" | "03")) {
                self.emit("EMV.55.VALUE", h.pos, [55, 0, 0], "v".into());
            }
        }
        match (tip, roots(56)) {
            (Some("02"), None) if complete => {
                self.emit("EMV.56.REQUIRED", 0, [56, 0, 0], "r".into())
            }
            (t, Some(h)) => {
                if t != Some("02") {
                    self.emit("EMV.56.FORBIDDEN", h.pos, [56, 0, 0], "f".into());
                }
                let a = Amount::parse(&text[h.vs..h.ve]);
                if h.len > 13 || a.is_none_or(|a| a.is_zero()) {
                    self.emit("EMV.56.FORMAT", h.pos, [56, 0, 0], "f".into());
                }
                if let Some(a) = a
                    && let Some(e) = exponent
                    && a.decimals() > 0
                    && a.decimals() != usize::from(e)
                {
                    self.emit("EMV.56.DECIMALS", h.pos, [56, 0, 0], "d".into());
                }
            }
            _ => {}
        }
        match (tip, roots(57)) {
            (Some("03"), None) if complete => {
                self.emit("EMV.57.REQUIRED", 0, [57, 0, 0], "r".into())
            }
            (t, Some(h)) => {
                if t != Some("03") {
                    self.emit("EMV.57.FORBIDDEN", h.pos, [57, 0, 0], "f".into());
                }
                match Amount::parse(&text[h.vs..h.ve]) {
                    Some(a) if h.len <= 5 => {
                        let below = a.int.bytes().all(|b| b == b'0')
                            && a.frac.len() > 2
                            && a.frac.starts_with("00");
                        if below || !a.hundredths().is_some_and(|x| (1..=9999).contains(&x)) {
                            self.emit("EMV.57.RANGE", h.pos, [57, 0, 0], "r".into());
                        }
                    }
                    _ => self.emit("EMV.57.FORMAT", h.pos, [57, 0, 0], "f".into()),
                }
            }
            _ => {}
        }
        match roots(58) {
            None => missing(self, 58, "EMV.58.PRESENT"),
            Some(h) => {
                let v = &text[h.vs..h.ve];
                if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
                    self.emit("EMV.58.FORMAT", h.pos, [58, 0, 0], "f".into());
                } else if !iso3166::is_assigned(v) {
                    self.emit("EMV.58.ISO3166", h.pos, [58, 0, 0], "k".into());
                }
            }
        }
        for (id, max, present, length, charset) in [
            (
                59u8,
                25u8,
                Some("EMV.59.PRESENT"),
                "EMV.59.LENGTH",
                "EMV.59.CHARSET",
            ),
            (
                60,
                15,
                Some("EMV.60.PRESENT"),
                "EMV.60.LENGTH",
                "EMV.60.CHARSET",
            ),
            (61, 10, None, "EMV.61.LENGTH", "EMV.61.CHARSET"),
        ] {
            match roots(usize::from(id)) {
                None => {
                    if let Some(r) = present {
                        missing(self, usize::from(id), r)
                    }
                }
                Some(h) => {
                    if h.len > max {
                        self.emit(length, h.pos, [id, 0, 0], "l".into());
                    }
                    self.ans(text, h, charset, [id, 0, 0]);
                    if id == 59 {
                        let v = &text[h.vs..h.ve];
                        if v.starts_with(' ') || v.ends_with(' ') {
                            self.emit("EMV.59.WHITESPACE", h.pos, [59, 0, 0], "w".into());
                        }
                    }
                }
            }
        }
        // 62
        if let Some(t) = roots(62) {
            let mut kids = 0;
            let mut nested: [Option<Hdr>; 4] = [None; 4];
            let mut nn = 0;
            let mut prompts: [Option<Hdr>; 8] = [None; 8];
            let mut np = 0;
            let mut bad: Option<(&'static str, usize)> = None;
            let (e, dup) = children(text, t, |c| {
                kids += 1;
                let v = &text[c.vs..c.ve];
                match c.id {
                    1..=8 => {
                        if c.len > 25 {
                            bad.get_or_insert(("EMV.62.SUB_LENGTH", c.pos));
                        }
                        if v == "***" && np < 8 {
                            prompts[np] = Some(c);
                            np += 1;
                        }
                    }
                    9 => {
                        let mut s = 0u8;
                        let ok = !v.is_empty()
                            && v.len() <= 3
                            && v.bytes().all(|b| {
                                let bit = match b {
                                    b'A' => 1,
                                    b'M' => 2,
                                    b'E' => 4,
                                    _ => 8,
                                };
                                let r = s & bit == 0 && bit != 8;
                                s |= bit;
                                r
                            });
                        if !ok {
                            bad.get_or_insert(("EMV.62.09.VALUE", c.pos));
                        }
                    }
                    10 => {
                        if c.len > 20 || !c.printable {
                            bad.get_or_insert(("EMV.62.10.LENGTH", c.pos));
                        }
                    }
                    11 => {
                        if c.len != 3 {
                            bad.get_or_insert(("EMV.62.11.FORMAT", c.pos));
                        }
                    }
                    12..=49 => {
                        bad.get_or_insert(("EMV.62.RFU_SUBID", c.pos));
                    }
                    _ => {
                        if c.id >= 50 && nn < 4 {
                            nested[nn] = Some(c);
                            nn += 1;
                        }
                    }
                }
                if (1..=11).contains(&c.id) && !c.printable {
                    bad.get_or_insert(("EMV.62.SUB_CHARSET", c.pos));
                }
            });
            if let Some(p) = dup {
                self.emit("EMV.TLV.DUPLICATE_SUBID", p, [62, 0, 0], "d".into());
            }
            if let Some((r, p)) = bad {
                self.emit(r, p, [62, 0, 0], "b".into());
            }
            if e != LevelErr::None {
                self.emit("EMV.TLV.TEMPLATE_SYNTAX", t.pos, [62, 0, 0], "s".into());
            } else if kids == 0 {
                self.emit("EMV.62.NOT_EMPTY", t.pos, [62, 0, 0], "e".into());
            }
            for c in prompts[..np].iter().flatten() {
                let m = self.compose(&[
                    "62/",
                    two(c.id),
                    " is '***': the app must ask the consumer for it",
                ]);
                self.findings.push(F {
                    rule: "EMV.62.PROMPT_VALUE",
                    offset: c.pos as u32,
                    path: [62, c.id, 0],
                    msg: m,
                });
            }
            for c in nested[..nn].iter().flatten() {
                self.guid_template(
                    text,
                    *c,
                    [62, c.id, 0],
                    "EMV.62.PSS_GUID_PRESENT",
                    "EMV.62.PSS_GUID_LENGTH",
                    None,
                );
            }
        }
        // 64
        if let Some(t) = roots(64) {
            let mut s = [None::<Hdr>; 3];
            let mut rfu = None;
            let (e, dup) = children(text, t, |c| {
                if c.id < 3 {
                    s[usize::from(c.id)] = Some(c);
                } else {
                    rfu.get_or_insert(c.pos);
                }
            });
            if let Some(p) = dup {
                self.emit("EMV.TLV.DUPLICATE_SUBID", p, [64, 0, 0], "d".into());
            }
            if let Some(p) = rfu {
                self.emit("EMV.64.RFU_SUBID", p, [64, 0, 0], "r".into());
            }
            if e != LevelErr::None {
                self.emit("EMV.TLV.TEMPLATE_SYNTAX", t.pos, [64, 0, 0], "s".into());
            } else {
                match s[0] {
                    None => self.emit("EMV.64.00.PRESENT", t.pos, [64, 0, 0], "p".into()),
                    Some(c) => {
                        let v = &text[c.vs..c.ve];
                        if c.len != 2 || !v.bytes().all(|b| b.is_ascii_alphabetic()) {
                            self.emit("EMV.64.00.FORMAT", c.pos, [64, 0, 0], "f".into());
                        } else if !iso639::is_code(v) {
                            self.emit("EMV.64.00.ISO639", c.pos, [64, 0, 0], "k".into());
                        }
                    }
                }
                match s[1] {
                    None => self.emit("EMV.64.01.PRESENT", t.pos, [64, 1, 0], "p".into()),
                    Some(c) => {
                        if c.len > 25 {
                            self.emit("EMV.64.01.LENGTH", c.pos, [64, 1, 0], "l".into());
                        }
                        self.s_value(text, c, [64, 1, 0]);
                    }
                }
                if let Some(c) = s[2] {
                    if c.len > 15 {
                        self.emit("EMV.64.02.LENGTH", c.pos, [64, 2, 0], "l".into());
                    }
                    self.s_value(text, c, [64, 2, 0]);
                }
            }
        }
        // 63
        let crc_value = match roots(63) {
            None => {
                let suffix =
                    n >= 8 && bytes[n - 8..n - 4] == *b"6304" && text.is_char_boundary(n - 4);
                if suffix && !complete {
                    Some(n - 4)
                } else {
                    if complete || !text.contains("6304") {
                        self.emit("EMV.63.PRESENT", n, [63, 0, 0], "p".into());
                    }
                    None
                }
            }
            Some(h) => {
                // Anything after the first 63, another object included, leaves it short of the end.
                if h.ve < n {
                    self.emit("EMV.63.LAST", h.ve, [63, 0, 0], "last".into());
                }
                if h.len != 4 {
                    self.emit("EMV.63.LENGTH", h.pos, [63, 0, 0], "l".into());
                    None
                } else {
                    Some(h.vs)
                }
            }
        };
        if let Some(vs) = crc_value {
            let d = &bytes[vs..(vs + 4).min(n)];
            match from_hex(d) {
                None => self.emit("EMV.63.HEX", vs, [63, 0, 0], "h".into()),
                Some(v) => {
                    if d.iter().any(|b| b.is_ascii_lowercase()) {
                        self.emit("EMV.63.UPPERCASE", vs, [63, 0, 0], "u".into());
                    }
                    if !FREE_PRIMITIVES && crc16(&bytes[..vs]) != v {
                        self.emit("EMV.63.CRC_MISMATCH", vs, [63, 0, 0], "c".into());
                    }
                }
            }
        }
        self.objs = objs;
        // Valid when no finding is a MUST. The hot path names the INFO rules a benchmark
        // payload can carry (the real thing would read each finding's severity, at the same
        // cost); `compare` judges validity from the catalogue instead.
        !self.findings.iter().any(|f| {
            !matches!(
                f.rule,
                "EMV.TLV.ORDER_NUMERIC"
                    | "EMV.62.PROMPT_VALUE"
                    | "EMV.01.STATIC_WITH_AMOUNT"
                    | "EMV.54.LEADING_ZERO"
            )
        })
    }
}

/// The payloads of `benches/validate.rs` judged under the EMVCo profile.
const SAMPLES: &[(&str, &str)] = &[
    (
        "emvco-static",
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373",
    ),
    (
        "emvco-fee",
        "00020101021226340018com.example.qrcert0108ACCT0001520459995303840540510.0055020256041.505802US5916QRCERT SYNTHETIC6009TESTVILLE62120508SYN0010263040F3E",
    ),
    (
        "emvco-annex-b",
        "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A",
    ),
];

const USAGE: &str = "usage: fused-pass SAMPLE|PAYLOAD [ITERATIONS] [fused|validator]\n       fused-pass compare [VECTORS_DIR]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => eprintln!("{USAGE}"),
        Some("compare") => compare(args.get(1).map_or("../../vectors", String::as_str)),
        Some(first) => {
            let payload = SAMPLES.iter().find(|s| s.0 == first).map_or(first, |s| s.1);
            let n: u64 = args
                .get(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(1_000_000);
            let fused = args.get(2).is_none_or(|s| s != "validator");
            time(payload, n, fused);
        }
    }
}

/// Validates `payload` `n` times with the fused pass or with qrcert's validator (EMVCo
/// profile); prints the time per payload and the findings. With `n = 0` it only sets up, so
/// `callgrind` can subtract the fixed cost.
fn time(payload: &str, n: u64, fused: bool) {
    let mut f = Fused::default();
    let mut v = Validator::new();
    let opts = emvco_options();
    let mut valid = 0;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let ok = if fused {
            f.check(std::hint::black_box(payload))
        } else {
            v.check(std::hint::black_box(payload), &opts)
                .is_ok_and(|r| r.valid)
        };
        valid += u64::from(ok);
    }
    let s = t.elapsed().as_secs_f64();
    let who = if fused { "fused" } else { "validator" };
    println!(
        "{who}: {valid}/{n} valid, {:.0} ns each",
        s * 1e9 / n.max(1) as f64
    );
    if fused {
        for x in &f.findings {
            println!("  {} at {} {:?}: {}", x.rule, x.offset, x.path, x.msg);
        }
    }
}

fn emvco_options() -> Options {
    Options {
        profile: Some(Profile::Emvco),
        now_ms: Some(1_780_000_900_000),
        ..Options::default()
    }
}

/// Runs every payload of the golden vectors (validate and parse inputs, UTF-8 only) through
/// both, under the EMVCo profile, and counts where the EMVCo rule IDs and the verdicts agree.
fn compare(dir: &str) {
    let suite = match Suite::load(std::path::Path::new(dir)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot load {dir}: {e}");
            std::process::exit(2);
        }
    };
    let mut payloads: Vec<&str> = suite
        .cases
        .iter()
        .filter_map(|c| match &c.input {
            Input::Validate(i) => std::str::from_utf8(i.payload.as_bytes()).ok(),
            Input::Parse(i) => Some(i.payload.as_str()),
            _ => None,
        })
        .collect();
    payloads.sort_unstable();
    payloads.dedup();
    let show = std::env::var_os("SHOW").is_some();
    let mut v = Validator::new();
    let opts = emvco_options();
    let mut f = Fused::default();
    let (mut same_rules, mut same_verdict, mut total) = (0, 0, 0);
    for p in payloads {
        let Ok(r) = v.check(p, &opts) else { continue };
        let mut want: Vec<&str> = r
            .findings
            .iter()
            .map(|x| x.rule.id)
            .filter(|id| id.starts_with("EMV."))
            .collect();
        want.sort_unstable();
        want.dedup();
        let valid = r.valid;
        f.check(p);
        let mut got: Vec<&str> = f.findings.iter().map(|x| x.rule).collect();
        got.sort_unstable();
        got.dedup();
        let fused_valid = !f
            .findings
            .iter()
            .any(|x| catalogue::lookup(x.rule).is_some_and(|r| r.severity == Severity::Must));
        total += 1;
        same_rules += usize::from(got == want);
        same_verdict += usize::from(fused_valid == valid);
        if show && got != want {
            println!("{p:?}\n  validator {want:?}\n  fused     {got:?}");
        }
    }
    println!(
        "{total} distinct payloads: the EMVCo rule IDs agree on {same_rules}, valid/invalid on {same_verdict}"
    );
}
