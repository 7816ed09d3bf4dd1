//! A session on disk, so that nothing entered is lost and a restarted server goes on where the
//! last one stopped:
//!
//! - `session.json`: what the session tests (profile, role, tags), its clock, and the tester,
//!   device and app entered at the start; replaced atomically;
//! - `observations.jsonl`: one line per observation or photo, appended and synced to disk as it
//!   is made; the last line for a card wins, and a torn last line (a kill mid-write) is dropped;
//! - `photos/<id>.png|jpg`: the tester's photos of the phone's screen.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::observation::Observation;
use crate::role::CertRole;
use crate::{Clock, Profile};

/// The session header file.
pub const SESSION_JSON: &str = "session.json";
/// The observation log.
pub const OBSERVATIONS: &str = "observations.jsonl";
/// The photo folder.
pub const PHOTOS: &str = "photos";
/// The version of the files' shape.
pub const SESSION_FORMAT: u32 = 1;
/// The longest tester, device or app field.
pub const MAX_TESTER_CHARS: usize = 200;

/// Who observed what, entered at the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tester {
    /// The tester's name.
    pub tester: String,
    /// The phone (make, model, OS version).
    pub device: String,
    /// The wallet app's name.
    pub app: String,
    /// The wallet app's version.
    pub app_version: String,
}

impl Tester {
    /// Every field given, bounded, without control characters.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in [
            ("tester", &self.tester),
            ("device", &self.device),
            ("app", &self.app),
            ("app_version", &self.app_version),
        ] {
            if v.trim().is_empty() {
                return Err(format!("{name} is empty"));
            }
            if v.chars().count() > MAX_TESTER_CHARS {
                return Err(format!("{name} is over {MAX_TESTER_CHARS} characters"));
            }
            if v.chars().any(char::is_control) {
                return Err(format!("{name} holds a control character"));
            }
        }
        Ok(())
    }
}

/// `session.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// [`SESSION_FORMAT`].
    pub session_format: u32,
    /// The wallet's profile.
    pub profile: Profile,
    /// Wallet or cross-border.
    pub role: CertRole,
    /// The tag expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    /// The instant the cards' expectations hold at (the session's start).
    pub clock: Clock,
    /// The seed of the fresh suite the cards come from (`--fresh`), in decimal; a resumed
    /// session makes the same suite again from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fresh_seed: Option<String>,
    /// Who tests what; `None` until the tester has started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tester: Option<Tester>,
}

/// One line of `observations.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The card.
    pub id: String,
    /// When it was recorded (RFC 3339).
    pub at: String,
    /// An observation...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observation: Option<Observation>,
    /// ...or a photo, relative to the session directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

/// A session directory that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// `session.json` is not a session header.
    #[error("{path}: not a qrcert session header: {message}")]
    Header {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The directory holds a session of another selection.
    #[error(
        "{dir} holds a session of {found}; this command asks for {asked} (use another --out, or the same selection to resume)"
    )]
    Mismatch {
        /// The directory.
        dir: PathBuf,
        /// What the header says.
        found: String,
        /// What the command line asks.
        asked: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An open session directory.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// The header.
    pub header: Header,
    log: File,
    /// The last observation per card.
    pub observations: BTreeMap<String, Observation>,
    /// The last photo per card.
    pub photos: BTreeMap<String, String>,
    /// Lines of the log dropped as torn or unreadable when it was opened.
    pub dropped_lines: usize,
}

fn describe(h: &Header) -> String {
    format!(
        "profile {}, role {}{}{}",
        h.profile,
        h.role,
        h.tags
            .as_deref()
            .map(|t| format!(", tags {t:?}"))
            .unwrap_or_default(),
        h.fresh_seed
            .as_deref()
            .map(|s| format!(", fresh seed {s}"))
            .unwrap_or_default()
    )
}

/// The header of the session in `dir`, if one was started there (a resumed session keeps its
/// clock and fresh seed).
pub fn existing_header(dir: &Path) -> Option<Header> {
    let bytes = std::fs::read(dir.join(SESSION_JSON)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl Store {
    /// Opens `dir`: a new session with `fresh` as its header, or the one already there (which
    /// must test the same selection; its clock and tester are kept).
    pub fn open(dir: &Path, fresh: Header) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir.join(PHOTOS)).map_err(io(dir))?;
        let header_path = dir.join(SESSION_JSON);
        let header = match std::fs::read(&header_path) {
            Ok(bytes) => {
                let h: Header = serde_json::from_slice(&bytes).map_err(|e| StoreError::Header {
                    path: header_path.clone(),
                    message: e.to_string(),
                })?;
                if (h.profile, h.role, &h.tags, &h.fresh_seed)
                    != (fresh.profile, fresh.role, &fresh.tags, &fresh.fresh_seed)
                {
                    return Err(StoreError::Mismatch {
                        dir: dir.to_path_buf(),
                        found: describe(&h),
                        asked: describe(&fresh),
                    });
                }
                h
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write_atomic(&header_path, &header_bytes(&fresh))?;
                fresh
            }
            Err(e) => return Err(io(&header_path)(e)),
        };
        let log_path = dir.join(OBSERVATIONS);
        let mut observations = BTreeMap::new();
        let mut photos = BTreeMap::new();
        let mut dropped_lines = 0;
        match std::fs::read(&log_path) {
            Ok(bytes) => {
                for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                    match serde_json::from_slice::<Entry>(line) {
                        Ok(e) => {
                            if let Some(o) = e.observation {
                                observations.insert(e.id.clone(), o);
                            }
                            if let Some(p) = e.photo {
                                photos.insert(e.id, p);
                            }
                        }
                        Err(_) => dropped_lines += 1,
                    }
                }
                // A torn last line has no newline: start the next entry on a line of its own.
                if bytes.last().is_some_and(|b| *b != b'\n') {
                    let mut f = OpenOptions::new()
                        .append(true)
                        .open(&log_path)
                        .map_err(io(&log_path))?;
                    f.write_all(b"\n").map_err(io(&log_path))?;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&log_path)(e)),
        }
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(io(&log_path))?;
        Ok(Store {
            dir: dir.to_path_buf(),
            header,
            log,
            observations,
            photos,
            dropped_lines,
        })
    }

    /// The session directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Records who tests what (replacing `session.json` atomically).
    pub fn set_tester(&mut self, tester: Tester) -> Result<(), StoreError> {
        let mut h = self.header.clone();
        h.tester = Some(tester);
        write_atomic(&self.dir.join(SESSION_JSON), &header_bytes(&h))?;
        self.header = h;
        Ok(())
    }

    fn append(&mut self, entry: &Entry) -> Result<(), StoreError> {
        let path = self.dir.join(OBSERVATIONS);
        let mut line = serde_json::to_vec(entry).unwrap_or_default();
        line.push(b'\n');
        // One write per line, synced before the API answers: what the tester was told is
        // recorded is on the disk.
        self.log.write_all(&line).map_err(io(&path))?;
        self.log.sync_data().map_err(io(&path))?;
        Ok(())
    }

    /// Records an observation.
    pub fn observe(&mut self, id: &str, observation: Observation) -> Result<(), StoreError> {
        self.append(&Entry {
            id: id.to_owned(),
            at: Clock::system().to_rfc3339(),
            observation: Some(observation.clone()),
            photo: None,
        })?;
        self.observations.insert(id.to_owned(), observation);
        Ok(())
    }

    /// Stores a photo (already checked) and records it.
    pub fn add_photo(&mut self, id: &str, ext: &str, bytes: &[u8]) -> Result<String, StoreError> {
        let rel = format!("{PHOTOS}/{id}.{ext}");
        let path = self.dir.join(&rel);
        write_atomic(&path, bytes)?;
        self.append(&Entry {
            id: id.to_owned(),
            at: Clock::system().to_rfc3339(),
            observation: None,
            photo: Some(rel.clone()),
        })?;
        self.photos.insert(id.to_owned(), rel.clone());
        Ok(rel)
    }
}

fn header_bytes(h: &Header) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(h).unwrap_or_default();
    b.push(b'\n');
    b
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let tmp = path.with_extension("tmp");
    let mut f = File::create(&tmp).map_err(io(&tmp))?;
    f.write_all(bytes).map_err(io(&tmp))?;
    f.sync_all().map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::observation::Outcome;

    fn header() -> Header {
        Header {
            session_format: SESSION_FORMAT,
            profile: Profile::Khqr,
            role: CertRole::Wallet,
            tags: None,
            clock: Clock::from_millis(1_780_000_000_000),
            fresh_seed: None,
            tester: None,
        }
    }

    #[test]
    fn observations_survive_a_reopen_and_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path(), header()).unwrap();
        let obs = Observation {
            outcome: Outcome::Refused,
            shown: Default::default(),
            note: Some("said invalid QR".into()),
        };
        s.observe("KHQR-CRC-001", obs.clone()).unwrap();
        s.add_photo("KHQR-CRC-001", "png", b"x").unwrap();
        drop(s);
        // A kill in the middle of a write.
        let log = dir.path().join(OBSERVATIONS);
        let mut f = OpenOptions::new().append(true).open(&log).unwrap();
        f.write_all(b"{\"id\":\"KHQR-CRC-002\",\"at\"").unwrap();
        drop(f);
        let mut later = header();
        later.clock = Clock::from_millis(0);
        let mut s = Store::open(dir.path(), later).unwrap();
        assert_eq!(s.header.clock, header().clock, "the first clock is kept");
        assert_eq!(s.observations["KHQR-CRC-001"], obs);
        assert_eq!(s.photos["KHQR-CRC-001"], "photos/KHQR-CRC-001.png");
        assert_eq!(s.dropped_lines, 1);
        s.observe("KHQR-CRC-002", obs.clone()).unwrap();
        drop(s);
        let s = Store::open(dir.path(), header()).unwrap();
        assert_eq!(s.observations.len(), 2);
        assert_eq!(s.dropped_lines, 1);

        let mut other = header();
        other.profile = Profile::Jpqr;
        assert!(matches!(
            Store::open(dir.path(), other),
            Err(StoreError::Mismatch { .. })
        ));
    }
}
