//! `qrcert vectors generate`: writes the committed suite from code, deterministically.
//!
//! Every file this generator owns carries `generated_by` in its header; files without it are
//! hand-written and never touched. Regenerating keeps what the suite promised: a case keeps the
//! `since` it was first published with; a case the generator no longer produces is kept and
//! marked retired (its ID stays taken), unless it never left the current, unpublished plan.
//!
//! Payloads are built from data-object trees ([`build`]), so each vector's expected fields come
//! from how it was built, not from qrcert's parser; CRCs come from `emv::crc::seal` and are
//! re-checked by lint with an independent implementation.

pub mod build;
pub mod families;
pub mod golden;
pub mod interop;
pub mod ladder;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::clock::Clock;
use crate::merchant::MerchantData;
use crate::rules::profile::Kind;
use crate::rules::{EmvVersion, Role, lookup};
use crate::{Capability, Profile};

use super::load::{Loaded, load_dir};
use super::manifest::MANIFEST_FILE;
use super::model::*;
use super::yaml::{FileHeader, write_file};

/// The `generated_by` value of generator-owned files.
pub const GENERATED_BY: &str = "qrcert vectors generate";

/// A case before it is placed in a file: the file gives its profile, area and ID prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The number in the ID (`EMV-CRC-004` is 4). Stable: never renumber.
    pub num: u16,
    /// Title.
    pub title: String,
    /// Input.
    pub input: Input,
    /// Expectation.
    pub expect: Expect,
    /// Spec references (derived from the expected rules when empty).
    pub refs: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Notes.
    pub notes: Option<String>,
}

fn owned(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| (*x).to_owned()).collect()
}

impl Draft {
    fn validate_expect(&mut self) -> &mut ValidateExpect {
        match &mut self.expect {
            Expect::Validate(e) => e,
            // Only the validate constructors call this; a misuse is a generator bug caught by
            // the generator's own tests.
            other => panic!("not a validate draft: {other:?}"),
        }
    }

    fn validate_input(&mut self) -> &mut ValidateInput {
        match &mut self.input {
            Input::Validate(i) => i,
            other => panic!("not a validate draft: {other:?}"),
        }
    }

    /// Expects a rejection with these MUST-level rules.
    pub fn reject(mut self, rules: &[&str]) -> Draft {
        let e = self.validate_expect();
        e.result = Some(Outcome::Reject);
        e.rules = owned(rules);
        self
    }

    /// Expects these SHOULD-level findings.
    pub fn warn(mut self, rules: &[&str]) -> Draft {
        self.validate_expect().warnings = owned(rules);
        self
    }

    /// Expects these INFO-level findings.
    pub fn info(mut self, rules: &[&str]) -> Draft {
        self.validate_expect().info = owned(rules);
        self
    }

    /// Judges at this clock (epoch milliseconds).
    pub fn now(mut self, ms: i64) -> Draft {
        self.validate_input().now = Some(Clock::from_millis(ms));
        self
    }

    /// Judges as a generator's output.
    pub fn as_generated(mut self) -> Draft {
        self.validate_input().role = Role::Generator;
        self
    }

    /// Judges against EMV QRCPS MPM v1.0.
    pub fn emv_v10(mut self) -> Draft {
        self.validate_input().emv_version = EmvVersion::V1_0;
        self
    }

    /// Sets the references.
    pub fn refs(mut self, refs: &[&str]) -> Draft {
        self.refs = owned(refs);
        self
    }

    /// Adds tags.
    pub fn tags(mut self, tags: &[&str]) -> Draft {
        for t in tags {
            if !self.tags.iter().any(|x| x == t) {
                self.tags.push((*t).to_owned());
            }
        }
        self
    }

    /// Sets the notes.
    pub fn note(mut self, notes: &str) -> Draft {
        self.notes = Some(notes.to_owned());
        self
    }
}

fn blank(num: u16, title: &str, input: Input, expect: Expect) -> Draft {
    Draft {
        num,
        title: title.to_owned(),
        input,
        expect,
        refs: Vec::new(),
        tags: Vec::new(),
        notes: None,
    }
}

/// A validate case, expected to be accepted until `.reject()` says otherwise.
pub fn validate(num: u16, title: &str, payload: impl Into<String>) -> Draft {
    validate_payload(num, title, PayloadText::Text(payload.into()))
}

/// A validate case over raw bytes (not UTF-8).
pub fn validate_payload(num: u16, title: &str, payload: PayloadText) -> Draft {
    blank(
        num,
        title,
        Input::Validate(ValidateInput {
            payload,
            now: None,
            role: Role::Consumer,
            emv_version: EmvVersion::default(),
        }),
        Expect::Validate(ValidateExpect {
            result: Some(Outcome::Accept),
            ..ValidateExpect::default()
        }),
    )
}

/// A parse case: the fields come from the tree the payload was built from.
pub fn parse(num: u16, title: &str, p: &build::P) -> Draft {
    blank(
        num,
        title,
        Input::Parse(ParseInput {
            payload: p.sealed(),
        }),
        Expect::Parse(ParseExpect {
            fields: p.fields(),
            payer: None,
        }),
    )
    .tags(&["positive"])
}

/// A generate case whose expected payload is the profile's canonical encoding of `data`.
pub fn canonical_case(profile: Profile, num: u16, title: &str, data: MerchantData) -> Draft {
    let payload = build::canonical(&data, profile).sealed();
    generate(num, title, data, payload)
}

/// A generate case with its exact canonical payload.
pub fn generate(num: u16, title: &str, data: MerchantData, payload: String) -> Draft {
    blank(
        num,
        title,
        Input::Generate(Box::new(GenerateInput { data, now: None })),
        Expect::Generate(GenerateExpect {
            payload: Some(payload),
            must_validate: true,
            ..GenerateExpect::default()
        }),
    )
    .tags(&["positive"])
}

/// A generate case whose input cannot be encoded without breaking `rules`.
pub fn refuse(num: u16, title: &str, data: MerchantData, rules: &[&str]) -> Draft {
    blank(
        num,
        title,
        Input::Generate(Box::new(GenerateInput { data, now: None })),
        Expect::Generate(GenerateExpect {
            refuse: owned(rules),
            ..GenerateExpect::default()
        }),
    )
    .tags(&["negative"])
}

/// The symbol rules every rendered payment QR must pass.
pub const RENDER_CHECKS: [&str; 6] = [
    "EMV.QR.DECODES",
    "EMV.QR.BYTE_MODE_ONLY",
    "EMV.QR.NO_STRUCTURED_APPEND",
    "EMV.QR.NO_FNC1",
    "EMV.QR.ECI_UTF8_REQUIRED",
    "EMV.QR.QUIET_ZONE_NONE",
];

/// The lowest error-correction level a rendered sticker should have: qrcert policy, graded
/// SHOULD (`EMV.QR.EC_LEVEL`). EMVCo MPM §4.12 and the JPQR and KHQR digests set no level;
/// ISO/IEC 18004 offers L (about 7 % of codewords recoverable) to H (30 %). A printed sticker
/// is scratched, creased and glared on for years, and L leaves almost no margin for it; M is
/// the default of most encoders and what qrcert's reference renders.
pub const MIN_EC_LEVEL: EcLevel = EcLevel::M;

/// A render case: ECI 26 required when the payload has characters outside ans (EMVCo
/// §4.12.1.2), either way for an all-ans payload; at least [`MIN_EC_LEVEL`].
pub fn render(num: u16, title: &str, payload: String) -> Draft {
    let eci = !payload.bytes().all(|b| (0x20..0x7F).contains(&b));
    blank(
        num,
        title,
        Input::Render(RenderInput { payload }),
        Expect::Render(RenderExpect {
            checks: owned(&RENDER_CHECKS),
            eci_utf8: eci.then_some(true),
            min_ec_level: Some(MIN_EC_LEVEL),
        }),
    )
    .tags(&["positive"])
}

/// A scan case reading `images/<image>.png`.
pub fn scan(num: u16, title: &str, image: &str, payload: String) -> Draft {
    blank(
        num,
        title,
        Input::Scan(ScanInput {
            images: vec![format!("images/{image}.png")],
        }),
        Expect::Scan(ScanExpect {
            payload: Some(payload),
            rules: Vec::new(),
            rung: None,
        }),
    )
    .tags(&["positive"])
}

/// One generator-owned file.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Profile (directory).
    pub profile: Profile,
    /// Area (file stem).
    pub area: std::borrow::Cow<'static, str>,
    /// What the file covers (the header comment and `description`).
    pub description: String,
    /// References for cases that name none and expect no rule (parse, generate, scan, ...).
    pub refs: &'static [&'static str],
    /// Its cases.
    pub drafts: Vec<Draft>,
}

impl Plan {
    /// A plan for `profile`'s file `area`.
    pub fn new(
        profile: Profile,
        area: impl Into<std::borrow::Cow<'static, str>>,
        description: impl Into<String>,
        refs: &'static [&'static str],
        drafts: Vec<Draft>,
    ) -> Plan {
        Plan {
            profile,
            area: area.into(),
            description: description.into(),
            refs,
            drafts,
        }
    }
}

/// Every generator-owned file, in a fixed order: each profile's plans (its spec names them),
/// then the ladder and sequence files derived from their golden scan images.
pub fn plans() -> Vec<Plan> {
    let mut v: Vec<Plan> = crate::rules::profile::specs()
        .filter_map(|s| s.plans)
        .flat_map(|plans| plans())
        .collect();
    let derived = ladder::plans(&v);
    v.extend(derived);
    v
}

fn derived_refs(d: &Draft) -> Vec<String> {
    let ids: Vec<&str> = match &d.expect {
        Expect::Validate(e) => e.all_rules().collect(),
        Expect::Generate(e) => e.refuse.iter().map(String::as_str).collect(),
        Expect::Render(e) => e.checks.iter().map(String::as_str).collect(),
        Expect::Scan(e) => e.rules.iter().map(String::as_str).collect(),
        Expect::Parse(_) => Vec::new(),
    };
    let mut refs: Vec<String> = Vec::new();
    for id in ids {
        if let Some(r) = lookup(id) {
            let layer = r.layer().spec();
            let doc = layer.document;
            let digest = crate::rules::profile::specs()
                .filter_map(|s| s.digest_tag)
                .find(|t| {
                    r.reference
                        .strip_prefix(t)
                        .is_some_and(|rest| rest.starts_with(' '))
                });
            // EMVCo references either name their edition ("MPM v1.1") or are to v1.0.
            let text = if layer.kind == Kind::Base && !r.reference.starts_with("MPM") {
                format!("{doc} v1.0 {} ({id})", r.reference)
            } else if layer.kind == Kind::Base {
                format!("EMV QRCPS {} ({id})", r.reference)
            } else if let Some(tag) = digest {
                // Profile references name their digest already ("KHQR §3.5").
                format!("{tag} digest {} ({id})", &r.reference[tag.len() + 1..])
            } else {
                format!("{doc} {} ({id})", r.reference)
            };
            if !refs.contains(&text) {
                refs.push(text);
            }
        }
    }
    refs
}

/// The outcome of a generation.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// File contents by path relative to the vectors directory.
    pub files: BTreeMap<String, String>,
    /// IDs from an earlier plan whose input or expectation the generator changed: a changed test
    /// needs a new ID (retire the old one).
    pub changed: Vec<String>,
    /// Other things the author should know.
    pub notices: Vec<String>,
}

/// Why generation could not run.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// No usable manifest (the suite version comes from it).
    #[error("{0}: the manifest is missing or malformed; the suite version comes from it")]
    NoManifest(String),
    /// Two drafts of one file share a number.
    #[error("generator bug: {0} is produced twice")]
    DuplicateId(String),
    /// Writing failed.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Produces every generator-owned file, merged with what `existing` holds.
pub fn generate_all(existing: &Loaded) -> Result<Output, GenerateError> {
    let Some(manifest) = &existing.manifest else {
        return Err(GenerateError::NoManifest(
            existing.root.join(MANIFEST_FILE).display().to_string(),
        ));
    };
    let version = manifest.suite_version;
    let mut out = Output::default();
    for plan in plans() {
        let rel = format!("{}/{}.yaml", plan.profile, plan.area);
        let old: HashMap<&str, &Case> = existing
            .files
            .iter()
            .filter(|f| f.path.to_str() == Some(rel.as_str()))
            .flat_map(|f| f.cases.iter())
            .map(|c| (c.id.as_str(), c))
            .collect();
        let mut cases: Vec<Case> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let area_upper = plan.area.to_ascii_uppercase();
        for mut d in plan.drafts {
            // Every generate case of a profile with reply checks is graded by them: say so.
            if let (Expect::Generate(e), Some(g)) = (&mut d.expect, plan.profile.spec().generated) {
                e.checks = g.rule_ids().map(str::to_owned).collect();
            }
            let id = format!(
                "{}-{area_upper}-{:03}",
                plan.profile.spec().vector_prefix,
                d.num
            );
            if !seen.insert(id.clone()) {
                return Err(GenerateError::DuplicateId(id));
            }
            let prior = old.get(id.as_str());
            if let Some(p) = prior
                && !p.is_active()
            {
                out.notices.push(format!(
                    "{id} is retired; the generator must give its case a new number"
                ));
                cases.push((*p).clone());
                continue;
            }
            let since = prior.map_or(version, |p| p.since);
            if let Some(p) = prior
                && p.since < version
                && (p.input != d.input || p.expect != d.expect)
            {
                out.changed.push(id.clone());
            }
            let mut refs = if d.refs.is_empty() {
                derived_refs(&d)
            } else {
                d.refs.clone()
            };
            if refs.is_empty() {
                refs = owned(plan.refs);
            }
            cases.push(Case {
                id,
                profile: plan.profile,
                area: plan.area.to_string(),
                title: d.title,
                input: d.input,
                expect: d.expect,
                refs,
                tags: d.tags,
                status: VectorStatus::Active,
                since,
                retired_in: None,
                notes: d.notes,
                source: Location {
                    file: rel.clone().into(),
                    line: 0,
                },
            });
        }
        let mut leftovers: Vec<&Case> = old
            .values()
            .copied()
            .filter(|c| !seen.contains(&c.id))
            .collect();
        leftovers.sort_by(|a, b| a.id.cmp(&b.id));
        for c in leftovers {
            if c.is_active() && c.since >= version {
                // Never published: it can simply go.
                continue;
            }
            let mut kept = c.clone();
            if kept.is_active() {
                kept.status = VectorStatus::Retired;
                kept.retired_in = Some(version);
                out.notices.push(format!(
                    "{} is no longer generated: retired in {version}",
                    c.id
                ));
            }
            cases.push(kept);
        }
        let header = FileHeader {
            profile: plan.profile,
            area: plan.area.to_string(),
            description: Some(plan.description),
            generated_by: Some(GENERATED_BY.to_owned()),
        };
        out.files.insert(rel, write_file(&header, &cases));
    }
    Ok(out)
}

/// Regenerates the generator-owned files of `dir`. With `check`, writes nothing and returns
/// the files that differ. Otherwise writes the files that changed (and the caller updates the
/// manifest).
pub fn run(dir: &Path, check: bool) -> Result<(Vec<String>, Output), GenerateError> {
    let existing = load_dir(dir);
    let out = generate_all(&existing)?;
    let mut differ = Vec::new();
    for (rel, text) in &out.files {
        let path = dir.join(rel);
        let current = std::fs::read(&path).ok();
        if current.as_deref() != Some(text.as_bytes()) {
            differ.push(rel.clone());
            if !check {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|source| GenerateError::Io {
                        file: rel.clone(),
                        source,
                    })?;
                }
                std::fs::write(&path, text).map_err(|source| GenerateError::Io {
                    file: rel.clone(),
                    source,
                })?;
            }
        }
    }
    Ok((differ, out))
}

/// Counts drafts by capability (for the generator's own tests).
pub fn draft_counts() -> BTreeMap<(Profile, Capability), usize> {
    let mut m = BTreeMap::new();
    for p in plans() {
        for d in &p.drafts {
            let cap = match d.input {
                Input::Validate(_) => Capability::Validate,
                Input::Parse(_) => Capability::Parse,
                Input::Generate(_) => Capability::Generate,
                Input::Render(_) => Capability::Render,
                Input::Scan(_) => Capability::Scan,
            };
            *m.entry((p.profile, cap)).or_insert(0) += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectors::manifest::PlanVersion;

    fn version(s: &str) -> SuiteVersion {
        s.parse().unwrap()
    }

    #[test]
    fn regeneration_keeps_since_retires_what_is_gone_and_reports_changed_tests() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
        let mut loaded = load_dir(&dir);
        let m = loaded.manifest.as_mut().unwrap();
        let (old, new) = (m.suite_version, version("2099.1.0"));
        m.versions.push(PlanVersion {
            version: new,
            effective: "2099-01-01".into(),
            notes: None,
        });
        m.suite_version = new;
        let crc = loaded
            .files
            .iter_mut()
            .find(|f| f.path.to_str() == Some("emvco/crc.yaml"))
            .unwrap();
        // A published case the generator no longer makes, an unpublished one, a missing one
        // and one whose test changed.
        let mut gone = crc.cases[0].clone();
        gone.id = "EMV-CRC-999".into();
        let mut draft = gone.clone();
        draft.id = "EMV-CRC-998".into();
        draft.since = new;
        crc.cases.retain(|c| c.id != "EMV-CRC-002");
        if let Input::Validate(i) = &mut crc.cases[2].input {
            i.payload = PayloadText::Text("changed".into());
        }
        let changed_id = crc.cases[2].id.clone();
        crc.cases.push(gone);
        crc.cases.push(draft);

        let out = generate_all(&loaded).unwrap();
        let text = &out.files["emvco/crc.yaml"];
        let (file, errors) = crate::vectors::load::parse_file(
            std::path::Path::new("emvco/crc.yaml"),
            std::path::Path::new("emvco/crc.yaml"),
            text.as_bytes(),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let cases = file.unwrap().cases;
        let get = |id: &str| cases.iter().find(|c| c.id == id);
        let retired = get("EMV-CRC-999").expect("kept");
        assert_eq!(retired.status, VectorStatus::Retired);
        assert_eq!(retired.retired_in, Some(new));
        assert!(get("EMV-CRC-998").is_none(), "never published: dropped");
        assert_eq!(get("EMV-CRC-001").unwrap().since, old);
        assert_eq!(
            get("EMV-CRC-002").unwrap().since,
            new,
            "new again in this plan"
        );
        assert_eq!(out.changed, vec![changed_id]);
        assert!(out.notices.iter().any(|n| n.contains("EMV-CRC-999")));
    }
}
