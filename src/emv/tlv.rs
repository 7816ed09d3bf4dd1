//! The EMV MPM TLV codec: `ID` (two digits) + `Length` (two digits) + `Value`, nested one or two
//! levels in templates.
//!
//! The parser keeps the byte offset and the character offset of every data object, stores objects
//! flat in one reusable buffer (root objects first, then each template's children), and stops a
//! level at its first structural error, recording where. It never panics on any `&str`.

use super::units::{AdvanceError, LengthUnit, advance};

/// Marks "no parent" (a root object) or "no children".
pub const NONE: u16 = u16::MAX;

/// One data object as found in the payload. Offsets are into the payload text.
///
/// 24 bytes: the parser writes one per data object on the validator's hot path, and a record
/// of three machine words is addressed with a shift instead of a multiply chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object {
    /// Byte offset of the ID.
    pub start: u32,
    /// Byte offset just after the value.
    pub value_end: u32,
    /// Offset of the ID counted in Unicode scalar values.
    pub char_start: u32,
    /// Index of the enclosing template object, or [`NONE`].
    pub parent: u16,
    /// Index of the first child (when `is_template`), or [`NONE`].
    pub first_child: u16,
    /// Number of children parsed.
    pub child_count: u16,
    /// The two-digit ID, 0-99.
    pub id: u8,
    /// The declared length, 0-99.
    pub declared_len: u8,
    /// 0 at the root, 1 inside a root template, 2 inside a template nested in 62.
    pub depth: u8,
    /// Whether this object's value was parsed as a template.
    pub is_template: bool,
    /// Whether every byte of the value (a template's: its children included) is printable
    /// ASCII, U+0020-U+007E: then no character-set rule can fire on it.
    pub value_printable: bool,
}

impl Object {
    /// A data object as a level's loop finds it: not (yet) a template, no children.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn leaf(
        id: u8,
        declared_len: u8,
        depth: u8,
        start: usize,
        value_end: usize,
        char_start: usize,
        parent: u16,
        value_printable: bool,
    ) -> Object {
        Object {
            start: start as u32,
            value_end: value_end as u32,
            char_start: char_start as u32,
            parent,
            first_child: NONE,
            child_count: 0,
            id,
            declared_len,
            depth,
            is_template: false,
            value_printable,
        }
    }

    /// Byte offset where the value begins (`start + 4`: the ID and the length are two ASCII
    /// digits each).
    #[inline]
    pub fn value_start(&self) -> u32 {
        self.start + 4
    }

    /// The value as a slice of the payload text it was parsed from.
    #[inline]
    pub fn value<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.value_start() as usize..self.value_end as usize)
            .unwrap_or("")
    }

    /// The whole object (`ID`, length and value) as a slice of the payload text.
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start as usize..self.value_end as usize)
            .unwrap_or("")
    }
}

/// What stopped the parse of one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlvErrorKind {
    /// Fewer than four characters left where an object starts.
    TruncatedHeader,
    /// The ID is not two ASCII digits.
    IdNotNumeric,
    /// The length is not two ASCII digits (`+5`, ` 5`, `A0`, full-width digits).
    LengthNotNumeric,
    /// The value runs past the end of the payload or of its template.
    Overrun,
    /// The declared length ends inside a character (bytes) or a surrogate pair (UTF-16).
    SplitsCharacter,
}

/// A structural error and where it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TlvError {
    /// What went wrong.
    pub kind: TlvErrorKind,
    /// Byte offset of the offending field (the object's start, or its length field).
    pub offset: u32,
    /// Index of the template whose content failed, or [`NONE`] for the root level.
    pub parent: u16,
}

/// Which IDs hold nested TLV, at the root and inside the Additional Data Field Template 62.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateSet {
    /// Bit `n` set: root ID `n` is a template.
    pub root: u128,
    /// Bit `n` set: ID `n` inside 62 is a template.
    pub in_62: u128,
}

impl TemplateSet {
    /// EMVCo MPM: 26-51, 62, 64 and 80-99 at the root; 50-99 inside 62.
    pub const EMV: TemplateSet = TemplateSet {
        root: range_bits(26, 51) | (1 << 62) | (1 << 64) | range_bits(80, 99),
        in_62: range_bits(50, 99),
    };

    /// No templates at all: the flat JPQR bill-payment layout.
    pub const NONE: TemplateSet = TemplateSet { root: 0, in_62: 0 };

    /// Whether root ID `id` is a template.
    pub fn root_has(&self, id: u8) -> bool {
        bit_of(self.root, id)
    }

    fn in_62_has(&self, id: u8) -> bool {
        bit_of(self.in_62, id)
    }
}

/// Bit `id` of `bits`. Picks the 64-bit half first: a variable 128-bit shift costs several
/// instructions, and this runs once per root object.
#[inline]
fn bit_of(bits: u128, id: u8) -> bool {
    let half = if id < 64 {
        bits as u64
    } else {
        (bits >> 64) as u64
    };
    id < 128 && (half >> (id & 63)) & 1 != 0
}

/// A set of data object IDs (0-99), for duplicate checks on the hot path: two machine words,
/// so adding an ID is a shift and an OR instead of a 128-bit shift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdSet([u64; 2]);

impl IdSet {
    /// An empty set.
    pub const fn new() -> IdSet {
        IdSet([0; 2])
    }

    /// Adds `id`; returns whether it was already present. IDs above 127 share bits with lower
    /// ones, which never happens for parsed IDs (two digits).
    #[inline]
    pub fn insert(&mut self, id: u8) -> bool {
        let word = &mut self.0[usize::from(id >> 6) & 1];
        let bit = 1u64 << (id & 63);
        let had = *word & bit != 0;
        *word |= bit;
        had
    }

    /// Whether `id` is in the set.
    #[inline]
    pub fn contains(&self, id: u8) -> bool {
        self.0[usize::from(id >> 6) & 1] >> (id & 63) & 1 != 0
    }

    /// The IDs `lo..=hi` (IDs above 127 are dropped).
    pub const fn range(lo: u8, hi: u8) -> IdSet {
        let bits = range_bits(lo as u32, if hi < 127 { hi as u32 } else { 127 });
        IdSet([bits as u64, (bits >> 64) as u64])
    }

    /// The set of `ids` (IDs above 127 are dropped).
    pub const fn of(ids: &[u8]) -> IdSet {
        let mut words = [0u64; 2];
        let mut i = 0;
        while i < ids.len() {
            let id = ids[i] as usize;
            if id < 128 {
                words[id >> 6] |= 1 << (id & 63);
            }
            i += 1;
        }
        IdSet(words)
    }

    /// The IDs of this set that are not in `other`.
    #[inline]
    pub const fn difference(self, other: IdSet) -> IdSet {
        IdSet([self.0[0] & !other.0[0], self.0[1] & !other.0[1]])
    }

    /// The IDs in either set.
    pub const fn union(self, other: IdSet) -> IdSet {
        IdSet([self.0[0] | other.0[0], self.0[1] | other.0[1]])
    }

    /// The IDs in both sets.
    #[inline]
    pub const fn intersection(self, other: IdSet) -> IdSet {
        IdSet([self.0[0] & other.0[0], self.0[1] & other.0[1]])
    }

    /// How many IDs the set holds.
    #[inline]
    pub const fn len(self) -> usize {
        (self.0[0].count_ones() + self.0[1].count_ones()) as usize
    }

    /// Whether the set is empty.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.0[0] | self.0[1] == 0
    }

    /// The members, in ascending order.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        let [mut lo, mut hi] = self.0;
        std::iter::from_fn(move || {
            if lo != 0 {
                let id = lo.trailing_zeros() as u8;
                lo &= lo - 1;
                Some(id)
            } else if hi != 0 {
                let id = 64 + hi.trailing_zeros() as u8;
                hi &= hi - 1;
                Some(id)
            } else {
                None
            }
        })
    }
}

const fn range_bits(lo: u32, hi: u32) -> u128 {
    let mut bits = 0u128;
    let mut i = lo;
    while i <= hi {
        bits |= 1u128 << i;
        i += 1;
    }
    bits
}

/// How to parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// What a length counts.
    pub unit: LengthUnit,
    /// Which IDs are templates.
    pub templates: TemplateSet,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            unit: LengthUnit::Chars,
            templates: TemplateSet::EMV,
        }
    }
}

/// A parsed payload: every object found, and the errors that stopped a level.
///
/// Reuse one `Tlv` across payloads with [`Tlv::parse_into`] to avoid allocating per payload.
#[derive(Debug, Clone)]
pub struct Tlv {
    objects: Vec<Object>,
    errors: Vec<TlvError>,
    root_count: u16,
    root_end: u32,
    ascii: bool,
    printable: bool,
    /// Index of the first root object with each ID, or [`NONE`]. 128 entries so that any
    /// 7-bit index is in bounds without a check; IDs above 99 never occur.
    first: [u16; 128],
    irregular: bool,
    /// Some level repeats an ID or holds an object of length 00.
    repeats: bool,
    /// Indices of the root objects that are templates, in payload order.
    template_roots: Vec<u16>,
    /// Indices of the objects whose value is not all printable ASCII, ascending.
    unprintable: Vec<u16>,
    /// The IDs present at the root.
    root_ids: IdSet,
}

impl Default for Tlv {
    fn default() -> Self {
        Tlv {
            objects: Vec::new(),
            errors: Vec::new(),
            root_count: 0,
            root_end: 0,
            ascii: true,
            printable: true,
            first: [NONE; 128],
            irregular: false,
            repeats: false,
            template_roots: Vec::new(),
            unprintable: Vec::new(),
            root_ids: IdSet::new(),
        }
    }
}

/// What a level's loop notes as it goes: whether its IDs are strictly ascending (63 aside, as
/// long as it comes last) and its lengths non-zero. Strictly ascending IDs cannot repeat, so a
/// regular level has no duplicate either, and the duplicate, order and zero-length rules need
/// not look at it.
#[derive(Clone, Copy)]
struct Order {
    /// The last ID, or 100 once 63 has been seen (anything after the CRC is irregular).
    prev_id: i16,
    irregular: bool,
}

impl Order {
    const NEW: Order = Order {
        prev_id: -1,
        irregular: false,
    };

    #[inline(always)]
    fn note(&mut self, id: u8, len: u8) {
        self.irregular |= (i16::from(id) <= self.prev_id) | (len == 0);
        self.prev_id = if id == 63 { 100 } else { i16::from(id) };
    }
}

impl Tlv {
    /// Parses `text` into a new `Tlv`.
    pub fn parse(text: &str, options: &ParseOptions) -> Tlv {
        let mut tlv = Tlv::default();
        tlv.parse_into(text, options);
        tlv
    }

    /// Parses `text`, reusing this value's buffers.
    pub fn parse_into(&mut self, text: &str, options: &ParseOptions) {
        self.objects.clear();
        self.errors.clear();
        self.first = [NONE; 128];
        self.irregular = false;
        self.repeats = false;
        // One scan answers the common case (all printable ASCII, so also ASCII) and starts the
        // root level's cursor; only other payloads pay for the second scan.
        let odd = super::charset::first_unprintable(text.as_bytes(), 0, text.len());
        self.printable = odd == text.len();
        self.ascii = self.printable || text.is_ascii();
        // Offsets are u32 and indices u16; payloads are bounded far below both by the callers'
        // size limit, and this guard keeps the parser total even if a caller forgets.
        if text.len() > u32::MAX as usize / 2 {
            self.errors.push(TlvError {
                kind: TlvErrorKind::Overrun,
                offset: 0,
                parent: NONE,
            });
            self.root_count = 0;
            self.root_end = 0;
            return;
        }
        self.template_roots.clear();
        self.unprintable.clear();
        self.root_ids = IdSet::new();
        // Every object takes at least four bytes and nests at most three levels deep: one
        // reservation covers the whole parse, so pushes never reallocate. No parse holds more
        // than NONE objects, which bounds it for hostile lengths.
        self.objects
            .reserve((text.len() / 4 * 3 + 3).min(NONE as usize));
        let (end, _) = self.parse_level::<true>(text, 0, text.len(), odd, 0, NONE, 0, options);
        self.root_count = self.objects.len() as u16;
        self.root_end = end as u32;
        if self.repeats {
            // The root loop indexed every object, so a repeated ID holds its last occurrence:
            // index again, backwards with plain stores, so the first one wins. (Only the root
            // level has been parsed yet, so `repeats` speaks of it alone.)
            self.first = [NONE; 128];
            for (i, o) in self.objects.iter().enumerate().rev() {
                self.first[usize::from(o.id) & 127] = i as u16;
            }
        }

        self.parse_templates(text, options);
    }

    /// Parses the children of every root template, and of the templates nested in 62.
    fn parse_templates(&mut self, text: &str, options: &ParseOptions) {
        for k in 0..self.template_roots.len() {
            let i = usize::from(self.template_roots[k]);
            let id = self.objects[i].id;
            let (first, count) = self.parse_children(text, i, 1, options);
            // Payment-system specific templates nested in 62 (50-99).
            if id == 62 {
                for c in first..first + count {
                    if options.templates.in_62_has(self.objects[c].id) {
                        self.parse_children(text, c, 2, options);
                    }
                }
            }
        }
    }

    /// Parses the value of the object at `index` as a template; returns where its children are.
    fn parse_children(
        &mut self,
        text: &str,
        index: usize,
        depth: u8,
        options: &ParseOptions,
    ) -> (usize, usize) {
        let o = self.objects[index];
        let first = self.objects.len();
        if first >= NONE as usize {
            return (first, 0);
        }
        let (start, limit) = (o.value_start() as usize, o.value_end as usize);
        let char_start = o.char_start as usize + 4;
        // A printable template's children are all printable: no scan.
        let odd = if o.value_printable {
            limit
        } else {
            super::charset::first_unprintable(text.as_bytes(), start, limit)
        };
        self.parse_level::<false>(
            text,
            start,
            limit,
            odd,
            char_start,
            index as u16,
            depth,
            options,
        );
        let count = self.objects.len() - first;
        let parent = &mut self.objects[index];
        parent.is_template = true;
        parent.first_child = if count == 0 { NONE } else { first as u16 };
        parent.child_count = count as u16;
        (first, count)
    }

    /// [`Tlv::parse_level_loop`] for one level: the plain loop when the level is all printable
    /// ASCII (`odd == limit`), the cursor's loop otherwise.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn parse_level<const ROOT: bool>(
        &mut self,
        text: &str,
        start: usize,
        limit: usize,
        odd: usize,
        char_start: usize,
        parent: u16,
        depth: u8,
        options: &ParseOptions,
    ) -> (usize, usize) {
        if odd >= limit {
            self.parse_level_loop::<ROOT, true>(
                text, start, limit, limit, char_start, parent, depth, options,
            )
        } else {
            self.parse_level_loop::<ROOT, false>(
                text, start, limit, odd, char_start, parent, depth, options,
            )
        }
    }

    /// Parses the objects of one level, `text[start..limit]`; returns the byte offset where
    /// parsing stopped and the character offset there. `odd` is the offset of the level's first
    /// byte that is not printable ASCII ([`first_unprintable`], at most `limit`).
    ///
    /// The validator's hot path. The header is read as one word, its four digits checked
    /// together and both numbers decoded together; only a bad header takes the slow path that
    /// says which field is wrong. A value that ends before `odd` is all printable ASCII, so it
    /// is its next `len` bytes in every unit (the byte after an ASCII byte always starts a
    /// character): one comparison, and ASCII and non-ASCII text share the loop. Only a value
    /// that reaches `odd` takes the character walk of [`advance`], and the cursor moves past it
    /// with a scan: most objects of a Khmer or Japanese payload never do. The root level
    /// (`ROOT`) also indexes the first object of each ID, the set of root IDs and the templates,
    /// so none of them needs a pass of its own. `PRINTABLE` is the loop for a level that is all
    /// printable ASCII (`odd == limit`), the common case: it carries no cursor and no lag.
    ///
    /// [`first_unprintable`]: super::charset::first_unprintable
    #[allow(clippy::too_many_arguments)]
    fn parse_level_loop<const ROOT: bool, const PRINTABLE: bool>(
        &mut self,
        text: &str,
        start: usize,
        limit: usize,
        mut odd: usize,
        char_start: usize,
        parent: u16,
        depth: u8,
        options: &ParseOptions,
    ) -> (usize, usize) {
        let bytes = text.as_bytes();
        let templates = options.templates.root;
        let mut pos = start;
        // Bytes minus characters before `pos`: a character offset is the byte offset less
        // this, which changes only after a value with multi-byte characters.
        let mut lag = start.saturating_sub(char_start);
        let mut order = Order::NEW;
        let first_index = self.objects.len();
        while pos < limit {
            let Some(&[i0, i1, l0, l1]) = bytes.get(pos..pos + 4).filter(|_| pos + 4 <= limit)
            else {
                self.fail(TlvErrorKind::TruncatedHeader, pos, parent);
                break;
            };
            let word = u32::from_le_bytes([i0, i1, l0, l1]);
            // Each byte is 0x30-0x39 exactly when its high nibble is 3 and adding 6 leaves it 3
            // (a carry out of a byte only happens when that byte already fails the first
            // test). Both tests in one branch.
            let high = word & 0xF0F0_F0F0;
            let high6 = word.wrapping_add(0x0606_0606) & 0xF0F0_F0F0;
            if (high ^ 0x3030_3030) | (high6 ^ 0x3030_3030) != 0 {
                if two_digits(i0, i1).is_none() {
                    self.fail(TlvErrorKind::IdNotNumeric, pos, parent);
                } else {
                    self.fail(TlvErrorKind::LengthNotNumeric, pos + 2, parent);
                }
                break;
            }
            // With digit values d0..d3 in the bytes, d * 10 + (d >> 8) holds d0 * 10 + d1 in
            // byte 0 and d2 * 10 + d3 in byte 2; no byte exceeds 99, so none carries.
            let d = word & 0x0F0F_0F0F;
            let pairs = d * 10 + (d >> 8);
            let id = pairs as u8;
            let len = (pairs >> 16) as u8;
            let value_start = pos + 4;
            let ascii_end = value_start + usize::from(len);
            // This object's character offset, before its own value moves the lag.
            let char_pos = pos - lag;
            let (value_end, printable) = if PRINTABLE {
                if ascii_end > limit {
                    self.fail(TlvErrorKind::Overrun, pos + 2, parent);
                    break;
                }
                (ascii_end, true)
            } else if ascii_end <= odd {
                (ascii_end, true)
            } else {
                // The value holds a byte that is not printable ASCII, or it runs past the end.
                match advance(
                    text,
                    value_start,
                    limit,
                    usize::from(len),
                    options.unit,
                    false,
                ) {
                    Ok((end, taken)) => {
                        lag += (end - value_start).saturating_sub(taken);
                        odd = super::charset::first_unprintable(bytes, end, limit);
                        (end, false)
                    }
                    Err(AdvanceError::PastEnd) => {
                        self.fail(TlvErrorKind::Overrun, pos + 2, parent);
                        break;
                    }
                    Err(AdvanceError::SplitsCharacter) => {
                        self.fail(TlvErrorKind::SplitsCharacter, pos + 2, parent);
                        break;
                    }
                }
            };
            let index = self.objects.len();
            if index >= NONE as usize {
                self.fail(TlvErrorKind::Overrun, pos, parent);
                break;
            }
            order.note(id, len);
            if ROOT {
                self.first[usize::from(id) & 127] = index as u16;
                self.root_ids.insert(id);
                if bit_of(templates, id) {
                    self.template_roots.push(index as u16);
                }
            }
            self.objects.push(Object::leaf(
                id, len, depth, pos, value_end, char_pos, parent, printable,
            ));
            if !printable {
                self.unprintable.push(index as u16);
            }
            pos = value_end;
        }
        if order.irregular {
            // IDs out of order may repeat; only such a level is searched for repeats.
            self.irregular = true;
            let level = &self.objects[first_index..];
            // At the root, the ID set the loop filled holds fewer IDs than the level has
            // objects exactly when one repeats.
            let repeated = if ROOT {
                self.root_ids.len() != level.len()
            } else {
                repeats(level)
            };
            self.repeats |= repeated || level.iter().any(|o| o.declared_len == 0);
        }
        (pos, pos - lag)
    }

    #[cold]
    fn fail(&mut self, kind: TlvErrorKind, offset: usize, parent: u16) {
        self.errors.push(TlvError {
            kind,
            offset: offset as u32,
            parent,
        });
    }

    /// Every object: root objects first (`..root_count()`), then children by template.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The root objects, in payload order.
    pub fn root(&self) -> &[Object] {
        &self.objects[..self.root_count as usize]
    }

    /// Number of root objects.
    pub fn root_count(&self) -> usize {
        self.root_count as usize
    }

    /// The children of the object at `index`, in payload order.
    pub fn children(&self, index: usize) -> &[Object] {
        match self.objects.get(index) {
            Some(o) if o.first_child != NONE => {
                let s = o.first_child as usize;
                &self.objects[s..s + o.child_count as usize]
            }
            _ => &[],
        }
    }

    /// The structural errors, at most one per level.
    pub fn errors(&self) -> &[TlvError] {
        &self.errors
    }

    /// The root-level structural error, if the root did not parse to the end.
    pub fn root_error(&self) -> Option<&TlvError> {
        self.errors.iter().find(|e| e.parent == NONE)
    }

    /// The byte offset where the root level stopped (the text length when it parsed fully).
    pub fn root_end(&self) -> usize {
        self.root_end as usize
    }

    /// Whether the parsed text was pure ASCII.
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// Whether every byte of the parsed text is printable ASCII (U+0020-U+007E): then no
    /// character-set rule can fire.
    pub fn is_printable(&self) -> bool {
        self.printable
    }

    /// The index (into [`Tlv::objects`]) of the first root object with `id`.
    #[inline]
    pub fn first_root(&self, id: u8) -> Option<usize> {
        match self.first.get(usize::from(id)) {
            Some(&i) if i != NONE => Some(usize::from(i)),
            _ => None,
        }
    }

    /// The indices (into [`Tlv::objects`]) of the objects whose value is not all printable
    /// ASCII, ascending: the only ones the character-set rules need to look at.
    pub fn unprintable(&self) -> impl Iterator<Item = usize> + '_ {
        self.unprintable.iter().map(|&i| usize::from(i))
    }

    /// The IDs present at the root. On a regular parse ([`Tlv::is_irregular`] false) each
    /// occurs once, in ascending order, so visiting these IDs through [`Tlv::first_root`]
    /// visits every root object in payload order.
    #[inline]
    pub fn root_ids(&self) -> IdSet {
        self.root_ids
    }

    /// Whether some level repeats an ID, has IDs out of ascending order, or holds an object of
    /// length 00: when not, the duplicate, order and zero-length rules have nothing to look at.
    pub fn is_irregular(&self) -> bool {
        self.irregular
    }

    /// Whether some level repeats an ID or holds an object of length 00: when not, only the
    /// order rules can find anything on an irregular parse (IDs out of ascending order, or
    /// after 63).
    pub fn has_repeats(&self) -> bool {
        self.repeats
    }
}

/// Whether the objects of one level repeat an ID.
#[cold]
fn repeats(level: &[Object]) -> bool {
    let mut seen = IdSet::new();
    level.iter().fold(false, |r, o| r | seen.insert(o.id))
}

#[inline]
fn two_digits(a: u8, b: u8) -> Option<u8> {
    if a.is_ascii_digit() && b.is_ascii_digit() {
        Some((a - b'0') * 10 + (b - b'0'))
    } else {
        None
    }
}

/// Writes one data object: ID, two-digit length in `unit`, value. Fails when the value does not fit
/// two digits, which is exactly the defect of generators that write `62116...`.
pub fn write_object(
    out: &mut String,
    id: u8,
    value: &str,
    unit: LengthUnit,
) -> Result<(), WriteError> {
    if id > 99 {
        return Err(WriteError::BadId(id));
    }
    let len = unit.measure(value);
    if len > 99 {
        return Err(WriteError::TooLong { id, len });
    }
    out.push(char::from(b'0' + id / 10));
    out.push(char::from(b'0' + id % 10));
    out.push(char::from(b'0' + (len / 10) as u8));
    out.push(char::from(b'0' + (len % 10) as u8));
    out.push_str(value);
    Ok(())
}

/// Why a data object could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// IDs are two digits.
    #[error("data object ID {0} is not in 00-99")]
    BadId(u8),
    /// Lengths are two digits.
    #[error("value of data object {id:02} is {len} long; a length has two digits (at most 99)")]
    TooLong {
        /// The object.
        id: u8,
        /// Its length in the chosen unit.
        len: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNEX_B: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

    fn ids(tlv: &Tlv) -> Vec<u8> {
        tlv.root().iter().map(|o| o.id).collect()
    }

    #[test]
    fn id_sets() {
        let r = IdSet::range(55, 70);
        assert_eq!(r.iter().collect::<Vec<_>>(), (55..=70).collect::<Vec<_>>());
        let s = IdSet::of(&[0, 63, 64, 99, 200]);
        assert_eq!(s.iter().collect::<Vec<_>>(), [0, 63, 64, 99]);
        assert_eq!(s.intersection(r).iter().collect::<Vec<_>>(), [63, 64]);
        assert_eq!(s.difference(r).iter().collect::<Vec<_>>(), [0, 99]);
        assert_eq!(s.union(r).iter().count(), 18);
        assert_eq!(IdSet::range(120, 200).iter().last(), Some(127));
        assert_eq!(IdSet::new().iter().next(), None);
        assert_eq!((s.len(), r.len(), IdSet::new().len()), (4, 16, 0));
        assert!(IdSet::new().is_empty() && !s.is_empty());
    }

    #[test]
    fn parses_the_spec_example_with_offsets() {
        let tlv = Tlv::parse(ANNEX_B, &ParseOptions::default());
        assert!(tlv.errors().is_empty(), "{:?}", tlv.errors());
        assert_eq!(
            ids(&tlv),
            [0, 1, 29, 31, 52, 58, 59, 60, 64, 54, 53, 55, 62, 91, 63]
        );
        assert_eq!(tlv.root_end(), ANNEX_B.len());
        let o64 = tlv.root()[8];
        assert_eq!(o64.declared_len, 20);
        assert_eq!(o64.value(ANNEX_B), "0002ZH0104最佳运输0202北京");
        assert_eq!(o64.value_end - o64.value_start(), 32);
        let kids: Vec<_> = tlv
            .children(8)
            .iter()
            .map(|c| (c.id, c.value(ANNEX_B)))
            .collect();
        assert_eq!(kids, [(0, "ZH"), (1, "最佳运输"), (2, "北京")]);
        // Only 64 and its two Chinese values are listed for the character-set rules.
        let unprintable: Vec<_> = tlv
            .unprintable()
            .map(|i| (tlv.objects()[i].parent, tlv.objects()[i].id))
            .collect();
        assert_eq!(unprintable, [(NONE, 64), (8, 1), (8, 2)]);
        // Character offsets after the CJK text lag the byte offsets by 2 per CJK character.
        let o54 = tlv.root()[9];
        assert_eq!(o54.start - o54.char_start, 12);
        let crc = tlv.root()[14];
        assert_eq!(crc.value(ANNEX_B), "A13A");
        assert_eq!(crc.char_start as usize, ANNEX_B.chars().count() - 8);
        let p62: Vec<_> = tlv.children(12).iter().map(|c| c.id).collect();
        assert_eq!(p62, [3, 6, 7, 9]);
    }

    #[test]
    fn structural_errors_name_kind_and_offset() {
        let cases = [
            ("0002010", TlvErrorKind::TruncatedHeader, 6),
            ("0002010A01X", TlvErrorKind::IdNotNumeric, 6),
            ("000201010+", TlvErrorKind::LengthNotNumeric, 8),
            ("00020101 5", TlvErrorKind::LengthNotNumeric, 8),
            ("0002010105ab", TlvErrorKind::Overrun, 8),
            ("0002", TlvErrorKind::Overrun, 2),
        ];
        for (text, kind, offset) in cases {
            let tlv = Tlv::parse(text, &ParseOptions::default());
            let e = tlv.root_error().copied();
            assert_eq!(
                e,
                Some(TlvError {
                    kind,
                    offset,
                    parent: NONE
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn length_units_change_where_objects_end() {
        // 5905 + "Tea 🍵": five scalar values, six UTF-16 units, eight bytes.
        let chars = "5905Tea 🍵6002XY";
        let utf16 = "5906Tea 🍵6002XY";
        let bytes = "5908Tea 🍵6002XY";
        let opt = |unit| ParseOptions {
            unit,
            templates: TemplateSet::EMV,
        };
        assert!(
            Tlv::parse(chars, &opt(LengthUnit::Chars))
                .errors()
                .is_empty()
        );
        assert!(
            Tlv::parse(utf16, &opt(LengthUnit::Utf16))
                .errors()
                .is_empty()
        );
        assert!(
            Tlv::parse(bytes, &opt(LengthUnit::Bytes))
                .errors()
                .is_empty()
        );
        // A UTF-16 count of 5 ends inside the surrogate pair.
        let split = Tlv::parse(chars, &opt(LengthUnit::Utf16));
        assert_eq!(
            split.root_error().map(|e| e.kind),
            Some(TlvErrorKind::SplitsCharacter)
        );
        // Read by code points, the UTF-16-counted value swallows the next object's first byte.
        let desync = Tlv::parse(utf16, &opt(LengthUnit::Chars));
        assert_eq!(desync.root()[0].value(utf16), "Tea 🍵6");
        assert!(desync.root_error().is_some());
    }

    #[test]
    fn template_errors_are_recorded_against_the_template() {
        let text = "62060108AB6304ABCD";
        let tlv = Tlv::parse(text, &ParseOptions::default());
        assert_eq!(ids(&tlv), [62, 63]);
        let e = tlv.errors()[0];
        assert_eq!(e.parent, 0);
        assert_eq!(e.kind, TlvErrorKind::Overrun);
        assert_eq!(e.offset, 6);
    }

    #[test]
    fn id_sets_and_template_bits() {
        let mut set = IdSet::new();
        for id in [0u8, 63, 64, 99] {
            assert!(!set.contains(id));
            assert!(!set.insert(id));
            assert!(set.insert(id));
            assert!(set.contains(id));
        }
        assert!(!set.contains(1) && !set.contains(65));
        for id in 0..=99u8 {
            let expected = matches!(id, 26..=51 | 62 | 64 | 80..=99);
            assert_eq!(TemplateSet::EMV.root_has(id), expected, "{id}");
            assert_eq!(TemplateSet::EMV.in_62_has(id), id >= 50, "{id}");
        }
        assert!(!TemplateSet::EMV.root_has(200));
    }

    #[test]
    fn no_templates_for_the_flat_layout() {
        let text = "62040102";
        let tlv = Tlv::parse(
            text,
            &ParseOptions {
                unit: LengthUnit::Chars,
                templates: TemplateSet::NONE,
            },
        );
        assert!(!tlv.root()[0].is_template);
        assert!(tlv.children(0).is_empty());
    }

    #[test]
    fn the_parse_notes_first_occurrences_and_irregular_levels() {
        let opts = ParseOptions::default();
        let tlv = Tlv::parse(ANNEX_B, &opts);
        assert_eq!(tlv.first_root(0), Some(0));
        assert_eq!(tlv.first_root(63), Some(tlv.root_count() - 1));
        assert_eq!(tlv.first_root(7), None);
        assert_eq!(tlv.first_root(200), None);
        // 54 follows 64 in the specification's example, but nothing repeats.
        assert!(tlv.is_irregular() && !tlv.has_repeats());
        assert!(!tlv.is_printable() && !tlv.is_ascii());

        let regular = "0002010102115204599953038406304ABCD";
        let tlv = Tlv::parse(regular, &opts);
        assert!(!tlv.is_irregular() && !tlv.has_repeats() && tlv.is_printable());

        // A repeated ID: the first occurrence is the one looked up.
        let tlv = Tlv::parse("0002010102110102126304ABCD", &opts);
        assert!(tlv.is_irregular() && tlv.has_repeats());
        assert_eq!(tlv.first_root(1), Some(1));
        // Anything after 63, a repeated 63, a zero length, a repeated sub-ID: (text, repeats).
        for (text, repeats) in [
            ("00020163041234010211", false),
            ("0002016304123463041234", true),
            ("00020101006304ABCD", true),
            ("00020126100001A0001B63041234", true),
        ] {
            let tlv = Tlv::parse(text, &opts);
            assert!(tlv.is_irregular(), "{text}");
            assert_eq!(tlv.has_repeats(), repeats, "{text}");
        }
        // Sub-IDs in descending order are irregular for the parse (the rules then look closer),
        // but repeat nothing; control characters are not printable.
        let tlv = Tlv::parse("00020126100101B0001A63041234", &opts);
        assert!(tlv.is_irregular() && !tlv.has_repeats());
        assert!(!Tlv::parse("000201\u{7}", &opts).is_printable());
    }

    #[test]
    fn reuse_does_not_leak_state() {
        let mut tlv = Tlv::default();
        tlv.parse_into(ANNEX_B, &ParseOptions::default());
        tlv.parse_into("0002", &ParseOptions::default());
        assert_eq!(tlv.root_count(), 0);
        assert_eq!(tlv.errors().len(), 1);
        tlv.parse_into("", &ParseOptions::default());
        assert!(tlv.errors().is_empty());
        assert_eq!(tlv.root_count(), 0);
    }

    #[test]
    fn write_object_counts_in_the_unit_and_refuses_three_digits() {
        let mut s = String::new();
        write_object(&mut s, 59, "Tea 🍵", LengthUnit::Utf16).unwrap();
        assert_eq!(s, "5906Tea 🍵");
        let long = "x".repeat(100);
        assert_eq!(
            write_object(&mut s, 62, &long, LengthUnit::Chars),
            Err(WriteError::TooLong { id: 62, len: 100 })
        );
    }
}
