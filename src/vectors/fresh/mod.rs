//! Fresh suites: the committed suite re-instantiated from a seed with merchant data no
//! implementation can have seen, so a lookup table of the public vectors certifies nothing.
//!
//! Every case keeps its ID, mutation and expectation; only its merchant data changes (names in
//! Latin, Khmer and Japanese, cities, account and merchant IDs, labels, amounts, and every clock
//! and timestamp moved to the run's clock). CRCs keep their relation to the data, correct or
//! wrong in the same way (see [`crc`]). Scan cases read images rendered from their fresh
//! payloads, each read back by the reference's scanner before it is kept ([`scan`]; stress rungs
//! keep the committed images). The same seed, source suite and clock give the same bytes; the
//! caller checks every other fresh case against the reference before use.

pub mod crc;
pub mod pools;
pub mod rng;
pub mod scan;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::emv::LengthUnit;
use crate::rules::validator::{Options, validate};
use crate::rules::{Role, Severity};
use crate::vectors::generate::build::{Unit, canonical, obj, predict};
use crate::vectors::load::load_dir;
use crate::vectors::manifest::{MANIFEST_FILE, sha256_hex};
use crate::vectors::model::{Case, Expect, Field, Fields, Input, PayloadText};
use crate::vectors::yaml::write_file;
use crate::vectors::{LoadErrors, Suite};
use crate::{Clock, Profile};

use rayon::prelude::*;
use rng::Rng;
use text::{Harvest, Substitution};

/// The most a fresh suite moves its clocks back from the run's clock: up to 30 days, drawn from
/// the seed, so fresh timestamps are not the run clock minus a fixed offset.
const MAX_JITTER_MS: u64 = 30 * 86_400_000;

/// `--fresh SEED` or `--fresh random`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedArg {
    /// A given seed.
    Fixed(u64),
    /// A seed picked now (and recorded).
    Random,
}

impl FromStr for SeedArg {
    type Err = String;

    fn from_str(s: &str) -> Result<SeedArg, String> {
        if s == "random" {
            return Ok(SeedArg::Random);
        }
        s.parse::<u64>().map(SeedArg::Fixed).map_err(|_| {
            format!(
                "{s:?} is not a seed: a whole number from 0 to 18446744073709551615, or `random`"
            )
        })
    }
}

impl SeedArg {
    /// The seed: the given one, or one drawn from the system clock and the process ID.
    pub fn resolve(self) -> u64 {
        match self {
            SeedArg::Fixed(s) => s,
            SeedArg::Random => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default();
                let key = format!("{nanos}/{}", std::process::id());
                Rng::keyed(0, "random-seed", &key).next_u64()
            }
        }
    }
}

/// A fresh suite, ready to be written.
#[derive(Debug, Clone)]
pub struct FreshSuite {
    /// The seed.
    pub seed: u64,
    /// Every file by path relative to the vectors directory, the manifest included.
    pub files: BTreeMap<String, Vec<u8>>,
    /// SHA-256 of the fresh manifest: the fresh suite's hash, as reports name suites.
    pub sha256: String,
    /// SHA-256 of the manifest of the suite it was made from.
    pub base_sha256: String,
    /// How many cases' inputs changed, and how many cases there are.
    pub changed: (usize, usize),
    /// What happened to the scan cases.
    pub scan: scan::ScanCounts,
}

/// Why a fresh suite could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FreshError {
    /// The suite to re-instantiate does not load.
    #[error("the suite to re-instantiate cannot be used:\n{0}")]
    Source(LoadErrors),
    /// A case could not be re-instantiated.
    #[error("seed {seed}: vector {id}: {message}")]
    Case {
        /// The seed.
        seed: u64,
        /// The vector.
        id: String,
        /// What went wrong.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

fn unit_of(case: &Case) -> Unit {
    // A cross-border case carries the foreign scheme's code: its lengths count in that scheme's
    // unit, not the overlay's.
    let profile = case.direction().map_or(case.profile, |d| d.code);
    match profile.spec().unit {
        LengthUnit::Utf16 => Unit::Utf16,
        LengthUnit::Bytes => Unit::Bytes,
        LengthUnit::Chars => Unit::Chars,
    }
}

fn harvest(h: &mut Harvest, case: &Case) -> Result<(), String> {
    let unit = unit_of(case);
    match &case.input {
        Input::Validate(i) => {
            if let PayloadText::Text(p) = &i.payload {
                h.payload(p, unit);
            }
            if let Some(n) = i.now {
                h.now(n.millis());
            }
        }
        Input::Parse(i) => h.payload(&i.payload, unit),
        Input::Render(i) => h.payload(&i.payload, unit),
        Input::Generate(g) => {
            if let Some(n) = g.now {
                h.now(n.millis());
            }
            if let Expect::Generate(e) = &case.expect
                && let Some(p) = &e.payload
            {
                h.payload(p, unit);
            }
        }
        Input::Scan(_) => {
            if let Expect::Scan(e) = &case.expect
                && let Some(p) = &e.payload
            {
                h.payload(p, unit);
            }
        }
    }
    Ok(())
}

/// The payload with fresh data, or the payload as it was when the fresh data would change the
/// structural defect the TLV grammar predicts for it (a length mutant reading into the CRC reads
/// letters or digits depending on the CRC): the expectation must stay true.
fn payload(s: &Substitution, p: &str, unit: Unit) -> String {
    match crc::fix_crcs(p, &s.text(p)) {
        Some(new) if predict(p, unit) == predict(&new, unit) => new,
        _ => p.to_owned(),
    }
}

/// The decoded fields with fresh values. `written` is the fresh payload and its unit: a value
/// is replaced only where the payload carries the replacement as a whole data object, since
/// the payload's substitution scans text and can miss a value another match overlapped.
fn fields(
    s: &Substitution,
    f: &mut Fields,
    old_crc: Option<&str>,
    new_crc: Option<&str>,
    written: Option<(&str, Unit)>,
) {
    for (k, v) in f.iter_mut() {
        match v {
            Field::Value(x) if k == "63" && old_crc == Some(x.as_str()) => {
                if let Some(n) = new_crc {
                    *x = n.to_owned();
                }
            }
            Field::Value(x) => {
                let new = s.field(k, x);
                let carried = match (written, k.parse::<u8>()) {
                    (Some((payload, unit)), Ok(id)) => payload.contains(&obj(id, &new, unit)),
                    _ => true,
                };
                if carried {
                    *x = new;
                }
            }
            Field::Template(t) => fields(s, t, None, None, written),
        }
    }
}

fn last4(p: &str) -> Option<&str> {
    let n = p.len();
    (n >= 4).then(|| p.get(n - 4..)).flatten()
}

/// Whether the reference judges the fresh payload as it judges the committed one: the same
/// verdict for the same rules. The TLV grammar's prediction ([`payload`]) sees only the first
/// structural defect; fresh data can still move what a mutant reads as IDs and lengths further
/// on (a length mutant reading into an account ID), so the expectation must be kept true here
/// and not left to the run's reference check, which could then only stop the run.
fn same_judgement(
    profile: Profile,
    role: Role,
    old: (&str, Option<Clock>),
    new: (&str, Option<Clock>),
    clock: Clock,
) -> bool {
    let judge = |(p, now): (&str, Option<Clock>)| {
        let options = Options {
            profile: Some(profile),
            role,
            now_ms: Some(now.unwrap_or(clock).millis()),
            ..Options::default()
        };
        validate(p, &options).map(|v| {
            let fired: BTreeSet<(&str, Severity)> = v
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .map(|f| (f.rule.id, f.severity))
                .collect();
            (v.valid, fired)
        })
    };
    matches!((judge(old), judge(new)), (Ok(a), Ok(b)) if a == b)
}

fn refresh(case: &mut Case, s: &Substitution, clock: Clock) -> Result<(), String> {
    let profile = case.profile;
    let unit = unit_of(case);
    let shift = |c: Option<Clock>| c.map(|c| Clock::from_millis(c.millis() + s.shift_ms));
    match (&mut case.input, &mut case.expect) {
        (Input::Validate(i), _) => {
            if let PayloadText::Text(p) = &i.payload {
                let new = payload(s, p, unit);
                let now = shift(i.now);
                // A payload kept as it was keeps its clock too (its timestamps did not move).
                if new != *p && same_judgement(profile, i.role, (p, i.now), (&new, now), clock) {
                    i.now = now;
                    i.payload = PayloadText::Text(new);
                }
            }
        }
        (Input::Parse(i), Expect::Parse(e)) => {
            let new = payload(s, &i.payload, unit);
            // A payload kept as it was keeps its decoded fields too.
            if new != i.payload {
                fields(
                    s,
                    &mut e.fields,
                    last4(&i.payload),
                    last4(&new),
                    Some((&new, unit)),
                );
                // The payer view is read from the code: read it from the fresh one.
                if e.payer.is_some() {
                    e.payer = crate::reference::payer(&new).map(Box::new);
                }
                i.payload = new;
            }
        }
        (Input::Render(i), _) => i.payload = payload(s, &i.payload, unit),
        (Input::Generate(g), Expect::Generate(e)) => {
            let before_data = g.data.clone();
            let mut data = serde_json::to_value(&g.data).map_err(|e| e.to_string())?;
            s.input(&mut data);
            g.data = serde_json::from_value(data).map_err(|e| e.to_string())?;
            g.now = shift(g.now);
            if let Some(p) = &e.payload {
                // A canonical expectation stays canonical: the generator's own builder makes it
                // from the fresh data (inputs a profile rewrites, such as a local phone number,
                // then stay consistent).
                let new = if canonical(&before_data, profile).sealed() == *p {
                    canonical(&g.data, profile).sealed()
                } else {
                    payload(s, p, unit)
                };
                fields(s, &mut e.fields, last4(p), last4(&new), Some((&new, unit)));
                e.payload = Some(new);
            } else {
                fields(s, &mut e.fields, None, None, None);
            }
        }
        _ => {}
    }
    Ok(())
}

/// Re-instantiates the suite in `source` under `seed`, with clocks moved to `clock`.
pub fn instantiate(source: &Path, seed: u64, clock: Clock) -> Result<FreshSuite, FreshError> {
    let verified = Suite::load(source).map_err(FreshError::Source)?;
    let loaded = load_dir(source);
    let mut h = Harvest::default();
    for case in loaded.cases() {
        harvest(&mut h, case).map_err(|message| FreshError::Case {
            seed,
            id: case.id.clone(),
            message,
        })?;
    }
    let jitter = Rng::keyed(seed, "clock", "").below(MAX_JITTER_MS) as i64;
    let shift = h
        .earliest_now
        .map_or(0, |anchor| clock.millis() - anchor - jitter);
    let mut units: Vec<Unit> = loaded.cases().map(unit_of).collect();
    units.dedup();
    units.sort_by_key(|u| *u as u8);
    units.dedup();
    let subst = Substitution::new(&h, seed, shift, &units);

    let goldens = scan::goldens(loaded.cases());
    let mut images = BTreeMap::new();
    let mut scans = scan::ScanCounts::default();
    let mut files = BTreeMap::new();
    let (mut changed, mut total) = (0, 0);
    for f in &loaded.files {
        let mut cases = f.cases.clone();
        let befores: Vec<Input> = cases.iter().map(|c| c.input.clone()).collect();
        for (c, before) in cases.iter_mut().zip(&befores) {
            refresh(c, &subst, clock).map_err(|message| FreshError::Case {
                seed,
                id: c.id.clone(),
                message,
            })?;
            total += 1;
            if c.input != *before {
                changed += 1;
            }
        }
        // Rendering and reading images back is most of a fresh suite's time: cases in parallel,
        // applied in order, so the bytes do not depend on the scheduling.
        let plans: Vec<scan::Fresh> = cases
            .par_iter()
            .map(|c| {
                let unit = unit_of(c);
                scan::plan(c, &goldens, |p: &str| payload(&subst, p, unit), seed)
            })
            .collect();
        for (c, (plan, before)) in cases.iter_mut().zip(plans.into_iter().zip(&befores)) {
            let was_changed = c.input != *before;
            scan::apply(c, plan, &mut images, &mut scans);
            if !was_changed && c.input != *before {
                changed += 1;
            }
        }
        let rel = f
            .path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.insert(rel, write_file(&f.header, &cases).into_bytes());
    }
    files.extend(images);
    let mut manifest = verified.manifest.clone();
    for rel in verified.manifest.files.keys() {
        if !files.contains_key(rel) {
            let path = source.join(rel);
            let bytes = std::fs::read(&path).map_err(|source| FreshError::Io {
                file: path.clone(),
                source,
            })?;
            files.insert(rel.clone(), bytes);
        }
    }
    manifest.files = files
        .iter()
        .map(|(k, v)| (k.clone(), sha256_hex(v)))
        .collect();
    let text = format!(
        "# A fresh suite: {source_sha} re-instantiated with seed {seed} at clock {clock}\n# (`qrcert vectors generate --fresh {seed} --now {clock}` writes it again).\n{}",
        manifest.to_yaml(),
        source_sha = verified.sha256,
        clock = clock.to_rfc3339(),
    );
    let sha256 = sha256_hex(text.as_bytes());
    files.insert(MANIFEST_FILE.to_owned(), text.into_bytes());
    Ok(FreshSuite {
        seed,
        files,
        sha256,
        base_sha256: verified.sha256,
        changed: (changed, total),
        scan: scans,
    })
}

impl FreshSuite {
    /// Writes every file under `dir` (created; files of an earlier fresh suite there are
    /// overwritten, others left alone).
    pub fn write(&self, dir: &Path) -> Result<(), FreshError> {
        for (rel, bytes) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|source| FreshError::Io {
                    file: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&path, bytes).map_err(|source| FreshError::Io {
                file: path.clone(),
                source,
            })?;
        }
        Ok(())
    }
}

impl fmt::Display for FreshSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "fresh suite: seed {}, sha256 {}, {} of {} cases re-instantiated (from suite {}); scan: {} cases read fresh images, {} keep their committed images (the reference read none of their fresh draws, or their payload took no fresh data), {} stress cases keep theirs",
            self.seed,
            self.sha256,
            self.changed.0,
            self.changed.1,
            self.base_sha256,
            self.scan.fresh,
            self.scan.kept,
            self.scan.stress
        )
    }
}
