//! Findings: a rule that fired, where, and why.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use super::rule::{Confidence, Rule, Severity, serialize_id};

/// Where in the template tree a finding points: up to three IDs, e.g. `62.50.00`.
///
/// Packed in one integer (three ID bytes and a depth byte): paths are built on the validator's hot
/// path, and a byte array on the stack costs store-forwarding stalls there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagPath(u32);

impl TagPath {
    /// The empty path (the payload as a whole).
    pub const ROOT: TagPath = TagPath(0);

    /// A root data object.
    pub const fn tag(id: u8) -> TagPath {
        TagPath::ROOT.child(id)
    }

    /// A child of a root template.
    pub const fn sub(id: u8, sub: u8) -> TagPath {
        TagPath::tag(id).child(sub)
    }

    /// A path one level deeper (saturates at three levels).
    pub const fn child(self, id: u8) -> TagPath {
        let len = self.len();
        if len >= 3 {
            return self;
        }
        let ids = self.0 & 0x00FF_FFFF;
        TagPath(ids | ((id as u32) << (8 * len)) | (((len + 1) as u32) << 24))
    }

    /// Number of IDs on the path.
    pub const fn len(&self) -> usize {
        (self.0 >> 24) as usize
    }

    /// Whether the path is empty (the payload as a whole).
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ID at `depth` (0 = root).
    pub const fn get(&self, depth: usize) -> Option<u8> {
        if depth < self.len() {
            Some((self.0 >> (8 * depth)) as u8)
        } else {
            None
        }
    }

    /// The IDs on the path, root first.
    pub fn ids(&self) -> impl Iterator<Item = u8> + '_ {
        (0..self.len()).filter_map(|d| self.get(d))
    }

    /// The root ID, if the path names an object.
    pub const fn root_id(&self) -> Option<u8> {
        self.get(0)
    }
}

impl fmt::Display for TagPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.ids().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{id:02}")?;
        }
        Ok(())
    }
}

impl Serialize for TagPath {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A location in the payload: byte offset and tag path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct At {
    /// Byte offset into the payload.
    pub offset: usize,
    /// The data object concerned.
    pub path: TagPath,
}

impl At {
    /// A location with no particular data object.
    pub const fn offset(offset: usize) -> At {
        At {
            offset,
            path: TagPath::ROOT,
        }
    }

    /// A location inside a data object.
    pub const fn new(offset: usize, path: TagPath) -> At {
        At { offset, path }
    }
}

/// A rule that fired on a payload. Serialised with its rule's ID, and also the rule's
/// confidence (the digests ask for it on every finding) and, for rules of a profile with a
/// reference implementation (the KHQR SDK, promptparse, vietnam-qr-pay), its code for the defect
/// (`ref_code`) and whether it accepts the payload anyway (`ref_accepts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The effective severity (after role and profile adjustments).
    pub severity: Severity,
    /// Byte offset into the payload.
    pub offset: usize,
    /// The data object concerned (`"62.01"`); empty for the payload as a whole.
    pub path: TagPath,
    /// What is wrong, for a vendor.
    pub message: Cow<'static, str>,
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            rule: &'static str,
            severity: Severity,
            offset: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            path: Option<&'a TagPath>,
            message: &'a str,
            confidence: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            ref_code: Option<u8>,
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            ref_accepts: bool,
        }
        View {
            rule: self.rule.id,
            severity: self.severity,
            offset: self.offset,
            path: (!is_root(&self.path)).then_some(&self.path),
            message: &self.message,
            confidence: self.rule.confidence.as_str(),
            ref_code: self.rule.ref_code,
            ref_accepts: self.rule.ref_accepts(),
        }
        .serialize(s)
    }
}

fn is_root(p: &TagPath) -> bool {
    p.is_empty()
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<6} {} at byte {}",
            self.severity.as_str(),
            self.rule.id,
            self.offset
        )?;
        if !is_root(&self.path) {
            write!(f, " ({})", self.path)?;
        }
        if self.rule.confidence != Confidence::Confirmed {
            write!(f, " [{}]", self.rule.confidence.as_str())?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A base-rule finding that the profile switched off or downgraded, kept so a report can show
/// that "valid under KHQR" is not "valid under EMVCo".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relaxed {
    /// The base rule that fired.
    #[serde(serialize_with = "serialize_id")]
    pub rule: &'static Rule,
    /// Byte offset.
    pub offset: usize,
    /// Data object concerned.
    #[serde(skip_serializing_if = "is_root")]
    pub path: TagPath,
    /// Why the profile relaxes it.
    pub reason: &'static str,
}
