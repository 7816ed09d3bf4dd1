//! Reading a vector directory: bounded reads, strict YAML with budgets, typed cases, and the
//! manifest check.
//!
//! Layout: `<dir>/manifest.yaml`, `<dir>/<profile>/<area>.yaml`, `<dir>/images/*.png`. Every
//! problem carries the file, the line (when known) and the vector ID (when known); the loader
//! never panics on a hostile file and never reads more than [`MAX_FILE_BYTES`] of one.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::manifest::{MANIFEST_FILE, Manifest, ManifestError, sha256_hex};
use super::model::Case;
use super::wire::{RawFile, convert};
use super::yaml::FileHeader;
use crate::Profile;

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// At most this many files are read from one vectors directory.
pub const MAX_FILES: usize = 4096;

/// The directory that holds scan images, inside the vectors directory.
pub const IMAGES_DIR: &str = "images";

/// Why a file (or the set) could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Reading failed.
    #[error("{file}: {message}")]
    Io {
        /// The path.
        file: PathBuf,
        /// The OS error.
        message: String,
    },
    /// The file exceeds [`MAX_FILE_BYTES`].
    #[error("{file}: {size} bytes; vector files are limited to {limit} bytes")]
    TooLarge {
        /// The path.
        file: PathBuf,
        /// Its size (at least).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file is not UTF-8.
    #[error("{file}: not UTF-8 (first bad byte at offset {offset}); vector files are UTF-8 text")]
    NotUtf8 {
        /// The path.
        file: PathBuf,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// YAML syntax, an unknown field, a wrong type, or a budget breach.
    #[error("{file}:{line}:{column}: {message}")]
    Yaml {
        /// The path.
        file: PathBuf,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// A case or the file header is well-formed YAML but not a valid vector.
    #[error("{file}:{line}: {}{message}", id.as_deref().map(|i| format!("{i}: ")).unwrap_or_default())]
    Invalid {
        /// The path.
        file: PathBuf,
        /// 1-based line.
        line: u64,
        /// The vector ID, when known.
        id: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A file is where no vector file belongs.
    #[error("{file}: {message}")]
    Misplaced {
        /// The path.
        file: PathBuf,
        /// Where it should be.
        message: String,
    },
    /// The manifest is missing, malformed, or disagrees with the files.
    #[error("{}: {error}", file.display())]
    Manifest {
        /// The manifest's path.
        file: PathBuf,
        /// The problem.
        error: ManifestError,
    },
}

impl LoadError {
    /// The file the error is about.
    pub fn file(&self) -> &Path {
        match self {
            LoadError::Io { file, .. }
            | LoadError::TooLarge { file, .. }
            | LoadError::NotUtf8 { file, .. }
            | LoadError::Yaml { file, .. }
            | LoadError::Invalid { file, .. }
            | LoadError::Misplaced { file, .. }
            | LoadError::Manifest { file, .. } => file,
        }
    }

    /// The line, when known.
    pub fn line(&self) -> Option<u64> {
        match self {
            LoadError::Yaml { line, .. } | LoadError::Invalid { line, .. } if *line > 0 => {
                Some(*line)
            }
            _ => None,
        }
    }
}

/// Several load errors, as one error (one per line when printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// Reads at most `limit` bytes of a file, refusing larger files before reading them.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, LoadError> {
    let io = |e: std::io::Error| LoadError::Io {
        file: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.len() > limit {
        return Err(LoadError::TooLarge {
            file: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    // The file may grow between the check and the read: never take more than limit + 1 bytes.
    file.take(limit + 1).read_to_end(&mut buf).map_err(io)?;
    if buf.len() as u64 > limit {
        return Err(LoadError::TooLarge {
            file: path.to_path_buf(),
            size: buf.len() as u64,
            limit,
        });
    }
    Ok(buf)
}

/// The YAML options for vector files: one document, no anchors or aliases (every case is
/// self-contained for review, and alias bombs are impossible), bounded depth and size.
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_documents: 1,
            max_aliases: 0,
            max_anchors: 0,
            max_depth: 24,
            max_nodes: 400_000,
            max_events: 1_600_000,
            max_total_scalar_bytes: 16 * 1024 * 1024,
            max_merge_keys: 0,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 0,
            max_replay_stack_depth: 1,
            max_alias_expansions_per_anchor: 0,
        },
        with_snippet: false,
    }
}

fn yaml_error(file: &Path, e: &serde_saphyr::Error) -> LoadError {
    use serde_saphyr::budget::BudgetBreach;
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let message = match e.without_snippet() {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => {
                "anchors and aliases (&name, *name) are not allowed in vector files: write each case out in full".to_owned()
            }
            BudgetBreach::Depth { depth } => {
                format!("nested {depth} levels deep; vector files nest at most 24 levels")
            }
            BudgetBreach::Documents { .. } => {
                "more than one YAML document (---); a vector file is one document".to_owned()
            }
            other => format!("too large: {other:?}"),
        },
        other => {
            let text = other.to_string();
            // The crate appends "at line L, column C"; the location is printed separately.
            match text.rfind(" at line ") {
                Some(i) if text[i..].contains(", column ") => text[..i].to_owned(),
                _ => text,
            }
        }
    };
    LoadError::Yaml {
        file: file.to_path_buf(),
        line,
        column,
        message,
    }
}

/// A loaded vector file.
#[derive(Debug, Clone)]
pub struct VectorFile {
    /// Path relative to the vectors directory (`emvco/crc.yaml`).
    pub path: PathBuf,
    /// The header.
    pub header: FileHeader,
    /// The cases, in file order (only those that converted cleanly).
    pub cases: Vec<Case>,
    /// The file's SHA-256.
    pub sha256: String,
}

/// Parses one vector file's bytes. `rel` is the path relative to the vectors directory (used in
/// cases' locations); `shown` is the path printed in errors. Returns the cases that are valid
/// and an error for each that is not.
pub fn parse_file(rel: &Path, shown: &Path, bytes: &[u8]) -> (Option<VectorFile>, Vec<LoadError>) {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return (
                None,
                vec![LoadError::NotUtf8 {
                    file: shown.to_path_buf(),
                    offset: e.valid_up_to(),
                }],
            );
        }
    };
    let raw: RawFile = match serde_saphyr::from_str_with_options(text, yaml_options()) {
        Ok(r) => r,
        Err(e) => return (None, vec![yaml_error(shown, &e)]),
    };
    let mut errors = Vec::new();
    let invalid = |line: u64, id: Option<String>, message: String| LoadError::Invalid {
        file: shown.to_path_buf(),
        line,
        id,
        message,
    };
    // The layout is <profile>/<area>.yaml, and the header must say the same.
    let dir = rel.parent().and_then(|p| p.to_str()).unwrap_or("");
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if dir != raw.profile.as_str() {
        errors.push(invalid(
            1,
            None,
            format!(
                "the header says profile {} but the file is in {dir:?}; vector files live at <profile>/<area>.yaml",
                raw.profile
            ),
        ));
    }
    let area_ok = !raw.area.is_empty()
        && raw
            .area
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if raw.area != stem || !area_ok {
        errors.push(invalid(
            1,
            None,
            format!(
                "the header says area {:?} but the file is {stem:?}.yaml; the area is the file name, lower-case letters, digits and '-'",
                raw.area
            ),
        ));
    }
    let mut cases = Vec::with_capacity(raw.cases.len());
    for c in raw.cases {
        let line = c.referenced.line();
        let id = c.value.id.clone();
        match convert(c.value, line, raw.profile, &raw.area, rel) {
            Ok(case) => cases.push(case),
            Err(e) => errors.push(invalid(e.line.max(line), Some(id), e.message)),
        }
    }
    let file = VectorFile {
        path: rel.to_path_buf(),
        header: FileHeader {
            profile: raw.profile,
            area: raw.area,
            description: raw.description,
            generated_by: raw.generated_by,
        },
        cases,
        sha256: sha256_hex(bytes),
    };
    (Some(file), errors)
}

/// Parses the manifest's bytes.
pub fn parse_manifest(shown: &Path, bytes: &[u8]) -> Result<Manifest, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        file: shown.to_path_buf(),
        offset: e.valid_up_to(),
    })?;
    serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| yaml_error(shown, &e))
}

/// Everything read from a vectors directory, problems included: what `lint` works on.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The vectors directory.
    pub root: PathBuf,
    /// The manifest, if it parsed.
    pub manifest: Option<Manifest>,
    /// The manifest's SHA-256 (the suite hash), if it was read.
    pub manifest_sha256: Option<String>,
    /// The vector files that parsed, in path order.
    pub files: Vec<VectorFile>,
    /// SHA-256 of every file the manifest must list (vector files and images).
    pub hashes: BTreeMap<String, String>,
    /// Files that could not be read or parsed, cases that are invalid, misplaced files.
    pub errors: Vec<LoadError>,
}

impl Loaded {
    /// Every case of every file, in file order.
    pub fn cases(&self) -> impl Iterator<Item = &Case> {
        self.files.iter().flat_map(|f| f.cases.iter())
    }

    /// The manifest's complaints about this set: header problems and hash mismatches.
    pub fn manifest_errors(&self) -> Vec<ManifestError> {
        match &self.manifest {
            None => Vec::new(),
            Some(m) => {
                let mut errs = m.check_header();
                errs.extend(m.check_files(&self.hashes));
                errs
            }
        }
    }
}

fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a vectors directory without giving up at the first problem.
pub fn load_dir(root: &Path) -> Loaded {
    let mut loaded = Loaded {
        root: root.to_path_buf(),
        manifest: None,
        manifest_sha256: None,
        files: Vec::new(),
        hashes: BTreeMap::new(),
        errors: Vec::new(),
    };
    let manifest_path = root.join(MANIFEST_FILE);
    match read_bounded(&manifest_path, MAX_FILE_BYTES) {
        Ok(bytes) => {
            loaded.manifest_sha256 = Some(sha256_hex(&bytes));
            match parse_manifest(&manifest_path, &bytes) {
                Ok(m) => loaded.manifest = Some(m),
                Err(e) => loaded.errors.push(e),
            }
        }
        Err(e) => loaded.errors.push(e),
    }
    let mut vector_files: Vec<PathBuf> = Vec::new();
    let mut images: Vec<PathBuf> = Vec::new();
    let entries = match sorted_entries(root) {
        Ok(e) => e,
        Err(e) => {
            loaded.errors.push(e);
            return loaded;
        }
    };
    for (name, is_dir) in entries {
        let rel = PathBuf::from(&name);
        if is_dir {
            let wanted_images = name == IMAGES_DIR;
            if !wanted_images && name.parse::<Profile>().is_err() {
                if !name.starts_with('.') {
                    loaded.errors.push(LoadError::Misplaced {
                        file: root.join(&rel),
                        message: format!(
                            "{name:?} is neither a profile directory ({}) nor {IMAGES_DIR}",
                            Profile::ALL.map(|p| p.as_str()).join(", ")
                        ),
                    });
                }
                continue;
            }
            let inner = match sorted_entries(&root.join(&rel)) {
                Ok(e) => e,
                Err(e) => {
                    loaded.errors.push(e);
                    continue;
                }
            };
            for (file, sub_dir) in inner {
                let path = rel.join(&file);
                let wanted = if wanted_images { ".png" } else { ".yaml" };
                if sub_dir {
                    loaded.errors.push(LoadError::Misplaced {
                        file: root.join(&path),
                        message: format!("no subdirectories here; files are {name}/<name>{wanted}"),
                    });
                } else if file.ends_with(wanted) {
                    if wanted_images {
                        images.push(path);
                    } else {
                        vector_files.push(path);
                    }
                } else if !file.starts_with('.') {
                    loaded.errors.push(LoadError::Misplaced {
                        file: root.join(&path),
                        message: format!("only {wanted} files belong in {name}/"),
                    });
                }
            }
        } else if (name.ends_with(".yaml") || name.ends_with(".yml")) && name != MANIFEST_FILE {
            loaded.errors.push(LoadError::Misplaced {
                file: root.join(&rel),
                message: "vector files live at <profile>/<area>.yaml".into(),
            });
        }
    }
    if vector_files.len() + images.len() > MAX_FILES {
        loaded.errors.push(LoadError::Misplaced {
            file: root.to_path_buf(),
            message: format!(
                "{} files; a vectors directory holds at most {MAX_FILES}",
                vector_files.len() + images.len()
            ),
        });
        return loaded;
    }
    for rel in images {
        let shown = root.join(&rel);
        match read_bounded(&shown, MAX_FILE_BYTES) {
            Ok(bytes) => {
                loaded.hashes.insert(rel_string(&rel), sha256_hex(&bytes));
            }
            Err(e) => loaded.errors.push(e),
        }
    }
    // Files are read, hashed and parsed on all cores (YAML parsing is most of a large run's
    // start-up); the results are gathered in file order, so errors and cases keep their order.
    let parsed: Vec<_> = vector_files
        .par_iter()
        .map(|rel| {
            let shown = root.join(rel);
            let bytes = read_bounded(&shown, MAX_FILE_BYTES)?;
            let hash = sha256_hex(&bytes);
            let rel_norm = PathBuf::from(rel_string(rel));
            Ok((rel_string(rel), hash, parse_file(&rel_norm, &shown, &bytes)))
        })
        .collect();
    for result in parsed {
        match result {
            Ok((rel, hash, (file, errs))) => {
                loaded.hashes.insert(rel, hash);
                loaded.errors.extend(errs);
                if let Some(f) = file {
                    loaded.files.push(f);
                }
            }
            Err(e) => loaded.errors.push(e),
        }
    }
    loaded
}

/// The manifest with every file's current hash and every retired case in the retired ledger
/// (the ledger only grows). `None` when the manifest did not load.
pub fn updated_manifest(loaded: &Loaded) -> Option<Manifest> {
    let mut m = loaded.manifest.clone()?;
    m.files = loaded.hashes.clone();
    let mut ledger: std::collections::BTreeSet<String> = m.retired.iter().cloned().collect();
    ledger.extend(
        loaded
            .cases()
            .filter(|c| !c.is_active())
            .map(|c| c.id.clone()),
    );
    m.retired = ledger.into_iter().collect();
    Some(m)
}

/// Directory entries as (name, is_dir), sorted by name; names that are not UTF-8 are errors.
fn sorted_entries(dir: &Path) -> Result<Vec<(String, bool)>, LoadError> {
    let io = |e: std::io::Error| LoadError::Io {
        file: dir.to_path_buf(),
        message: e.to_string(),
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let is_dir = entry.path().is_dir();
        match entry.file_name().into_string() {
            Ok(name) => out.push((name, is_dir)),
            Err(name) => {
                return Err(LoadError::Misplaced {
                    file: dir.join(name),
                    message: "file names in a vectors directory are UTF-8".into(),
                });
            }
        }
        if out.len() > MAX_FILES {
            return Err(LoadError::Misplaced {
                file: dir.to_path_buf(),
                message: format!("more than {MAX_FILES} entries"),
            });
        }
    }
    out.sort();
    Ok(out)
}

/// A verified vector suite: the manifest matched every file and every case is well-formed.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The vectors directory.
    pub root: PathBuf,
    /// The manifest.
    pub manifest: Manifest,
    /// SHA-256 of the manifest file: one hash that pins the whole suite (it lists every file's).
    pub sha256: String,
    /// Every case, active and retired, in file order.
    pub cases: Vec<Case>,
}

impl Suite {
    /// Loads and verifies a vectors directory. Fails, naming every problem, when a file does
    /// not parse, a case is malformed, a hash differs from the manifest, a file is unlisted or
    /// missing, or the manifest's rules version is unknown.
    pub fn load(root: &Path) -> Result<Suite, LoadErrors> {
        let loaded = load_dir(root);
        let manifest_path = root.join(MANIFEST_FILE);
        let mut errors = loaded.errors.clone();
        errors.extend(
            loaded
                .manifest_errors()
                .into_iter()
                .map(|error| LoadError::Manifest {
                    file: manifest_path.clone(),
                    error,
                }),
        );
        match (loaded.manifest, loaded.manifest_sha256) {
            (Some(manifest), Some(sha256)) if errors.is_empty() => Ok(Suite {
                root: loaded.root,
                manifest,
                sha256,
                cases: loaded.files.into_iter().flat_map(|f| f.cases).collect(),
            }),
            _ => Err(LoadErrors(errors)),
        }
    }

    /// The active cases.
    pub fn active(&self) -> impl Iterator<Item = &Case> {
        self.cases.iter().filter(|c| c.is_active())
    }
}
