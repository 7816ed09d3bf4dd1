//! Overlays: an operator's private vector directories added to a suite (the built-in one, or
//! `--vectors`). Each overlay is a vectors directory of its own, with its own manifest (and
//! seal); the run uses a merged directory whose manifest pins every file of every part.

use std::path::{Path, PathBuf};

use crate::vectors::Suite;
use crate::vectors::load::LoadErrors;
use crate::vectors::manifest::{MANIFEST_FILE, sha256_hex};

/// Why the parts cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    /// A part does not load or does not match its manifest.
    #[error("{dir}: cannot be used:\n{errors}")]
    Part {
        /// The part.
        dir: PathBuf,
        /// Its problems.
        errors: LoadErrors,
    },
    /// Two parts hold the same file.
    #[error("{file} is in both {first} and {second}: an overlay adds files, it never replaces one")]
    Clash {
        /// The file, relative to the vectors directory.
        file: String,
        /// The part that had it first.
        first: PathBuf,
        /// The overlay that has it too.
        second: PathBuf,
    },
    /// Reading or writing failed.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

fn io(file: &Path) -> impl FnOnce(std::io::Error) -> OverlayError + '_ {
    move |source| OverlayError::Io {
        file: file.to_path_buf(),
        source,
    }
}

/// Writes into `out` the suite `base` with every file of each overlay added; returns each
/// overlay's own suite hash (SHA-256 of its manifest file), in order, so a report can
/// say which parts made the merged suite. The merged manifest is `base`'s plan with every part's
/// files.
pub fn merge(base: &Path, overlays: &[PathBuf], out: &Path) -> Result<Vec<String>, OverlayError> {
    let load = |dir: &Path| {
        Suite::load(dir).map_err(|errors| OverlayError::Part {
            dir: dir.to_path_buf(),
            errors,
        })
    };
    let first = load(base)?;
    let mut manifest = first.manifest.clone();
    let mut owner: std::collections::BTreeMap<String, PathBuf> = manifest
        .files
        .keys()
        .map(|f| (f.clone(), base.to_path_buf()))
        .collect();
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(io(out))?;
    }
    let copy = |dir: &Path, rel: &str| -> Result<String, OverlayError> {
        let from = dir.join(rel);
        let to = out.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let bytes = std::fs::read(&from).map_err(io(&from))?;
        std::fs::write(&to, &bytes).map_err(io(&to))?;
        Ok(sha256_hex(&bytes))
    };
    for rel in first.manifest.files.keys() {
        copy(base, rel)?;
    }
    let mut hashes = Vec::with_capacity(overlays.len());
    for dir in overlays {
        let part = load(dir)?;
        hashes.push(part.sha256.clone());
        for rel in part.manifest.files.keys() {
            if let Some(prev) = owner.get(rel) {
                return Err(OverlayError::Clash {
                    file: rel.clone(),
                    first: prev.clone(),
                    second: dir.clone(),
                });
            }
            let sha = copy(dir, rel)?;
            owner.insert(rel.clone(), dir.clone());
            manifest.files.insert(rel.clone(), sha);
        }
        manifest
            .retired
            .extend(part.manifest.retired.iter().cloned());
    }
    manifest.retired.sort();
    manifest.retired.dedup();
    let path = out.join(MANIFEST_FILE);
    std::fs::write(&path, manifest.to_yaml()).map_err(io(&path))?;
    Ok(hashes)
}
