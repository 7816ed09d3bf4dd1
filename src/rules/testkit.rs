//! Test helpers shared by the profile tests: payloads built object by object, with lengths
//! counted in a chosen unit and the CRC recomputed, and one-line validation.

use crate::Profile;
use crate::emv::crc;
use crate::emv::units::LengthUnit;
use crate::rules::validator::{Options, Validator, Verdict};

/// One data object `ID` + two-digit length in `unit` + value (no check that it fits two digits:
/// tests build over-long objects on purpose).
pub(crate) fn obj(unit: LengthUnit, id: u8, v: &str) -> String {
    format!("{id:02}{:02}{v}", unit.measure(v))
}

/// Template content from sub-objects.
pub(crate) fn tpl(unit: LengthUnit, subs: &[(u8, &str)]) -> String {
    subs.iter().map(|(id, v)| obj(unit, *id, v)).collect()
}

/// A payload as an ordered list of root objects (63 excluded: [`B::sealed`] appends it).
#[derive(Clone, Debug)]
pub(crate) struct B {
    pub unit: LengthUnit,
    pub objs: Vec<(u8, String)>,
}

impl B {
    pub(crate) fn new(unit: LengthUnit, objs: &[(u8, &str)]) -> B {
        B {
            unit,
            objs: objs.iter().map(|(id, v)| (*id, (*v).to_owned())).collect(),
        }
    }

    /// Replaces the first object with `id`, or appends one.
    pub(crate) fn set(mut self, id: u8, v: &str) -> B {
        match self.objs.iter_mut().find(|e| e.0 == id) {
            Some(e) => e.1 = v.into(),
            None => self.objs.push((id, v.into())),
        }
        self
    }

    /// Appends an object (even if the ID exists).
    pub(crate) fn add(mut self, id: u8, v: &str) -> B {
        self.objs.push((id, v.into()));
        self
    }

    /// Inserts an object at position `at`.
    pub(crate) fn insert(mut self, at: usize, id: u8, v: &str) -> B {
        self.objs.insert(at.min(self.objs.len()), (id, v.into()));
        self
    }

    /// Removes every object with `id`.
    pub(crate) fn del(mut self, id: u8) -> B {
        self.objs.retain(|e| e.0 != id);
        self
    }

    /// The objects without the CRC.
    pub(crate) fn body(&self) -> String {
        self.objs
            .iter()
            .map(|(id, v)| obj(self.unit, *id, v))
            .collect()
    }

    /// The objects with lengths counted in `unit` instead, sealed.
    pub(crate) fn sealed_in(&self, unit: LengthUnit) -> String {
        B {
            unit,
            objs: self.objs.clone(),
        }
        .sealed()
    }

    /// The payload with `6304` and its CRC.
    pub(crate) fn sealed(&self) -> String {
        crc::seal(&self.body())
    }
}

/// Seals an arbitrary body.
pub(crate) fn seal(body: &str) -> String {
    crc::seal(body)
}

/// Options for a profile (`None`: auto) at a clock.
pub(crate) fn opts(profile: Option<Profile>, now_ms: Option<i64>) -> Options {
    Options {
        profile,
        now_ms,
        ..Options::default()
    }
}

/// Validates with a fresh validator.
pub(crate) fn run(text: &str, options: &Options) -> Verdict {
    Validator::new()
        .validate(text, options)
        .expect("the profile is available")
}

/// A payload whose CRC, written in lower case, differs from the upper-case form.
pub(crate) fn lower_crc(p: &str) -> String {
    let (a, b) = p.split_at(p.len() - 4);
    format!("{a}{}", b.to_ascii_lowercase())
}

/// The payload with its last CRC digit changed.
pub(crate) fn flip_crc(p: &str) -> String {
    let last = p.chars().last().expect("non-empty");
    let new = if last == '0' { '1' } else { '0' };
    format!("{}{new}", &p[..p.len() - 1])
}

/// A firing case: `fire` must make `rule` fire; `quiet`, a near miss, must not.
pub(crate) struct Case {
    pub rule: &'static str,
    pub fire: String,
    pub quiet: String,
    pub options: Options,
}

/// Runs a table of cases: each fires on `fire`, stays silent on `quiet`, and `valid` is false
/// exactly when a MUST finding exists.
pub(crate) fn check_cases(cases: &[Case]) {
    let mut v = Validator::new();
    for c in cases {
        let fired = v.validate(&c.fire, &c.options).expect("validates");
        assert!(
            fired.fired(c.rule),
            "{} did not fire on {:?}: {:#?}",
            c.rule,
            c.fire,
            fired.findings
        );
        assert_eq!(
            fired.valid,
            !fired
                .findings
                .iter()
                .any(|f| f.severity == crate::rules::Severity::Must)
        );
        for f in &fired.findings {
            assert!(f.offset <= c.fire.len(), "{}: offset past the end", c.rule);
        }
        let quiet = v.validate(&c.quiet, &c.options).expect("validates");
        assert!(
            !quiet.fired(c.rule),
            "{} fired on its near miss {:?}: {:#?}",
            c.rule,
            c.quiet,
            quiet.findings
        );
    }
}

/// Asserts every active payload rule of `layer` has a case.
pub(crate) fn assert_covered(layer: &[&crate::rules::Rule], cases: &[Case]) {
    use crate::rules::{Scope, Status};
    for r in layer {
        if r.status == Status::Active && r.scope == Scope::Payload {
            assert!(
                cases.iter().any(|c| c.rule == r.id),
                "{} has no firing case",
                r.id
            );
        }
    }
}
