//! Sealed suites: an operator signs a vectors directory's manifest (which pins every file by
//! SHA-256) with an Ed25519 key; a run given the operator's public key refuses a suite that is
//! unsigned, signed by another key, or altered in any byte, and names what is wrong.

use std::path::{Path, PathBuf};

use crate::report::sign::signature::{VerifyError, sign, verify_bytes};
use crate::report::sign::{PublicKey, SecretKey};
use crate::vectors::load::load_dir;
use crate::vectors::manifest::{MANIFEST_FILE, ManifestError};

/// The seal's file name, next to the manifest.
pub const SEAL_FILE: &str = "manifest.yaml.sig";

/// What a seal signs: this prefix, then the manifest's bytes (so no report signature can pass
/// for a seal, nor the other way round).
const DOMAIN: &[u8] = b"qrcert suite seal v1\n";

/// Why a suite cannot be sealed, or is refused.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// The directory does not load or its manifest does not match its files.
    #[error(
        "{dir}: not a consistent vectors directory (fix it, run `qrcert vectors manifest --update`, then seal):\n  {problems}"
    )]
    Inconsistent {
        /// The directory.
        dir: PathBuf,
        /// Every problem, one per line.
        problems: String,
    },
    /// No seal.
    #[error(
        "{0}: the suite is not sealed (no {SEAL_FILE}); a suite key was given, so only a sealed suite runs"
    )]
    Unsigned(PathBuf),
    /// Sealed with another key.
    #[error("{file}: the suite is sealed by key {signed_by}, not by the suite key {given}")]
    OtherKey {
        /// The seal file.
        file: PathBuf,
        /// Who sealed it.
        signed_by: String,
        /// The key given.
        given: String,
    },
    /// The manifest was changed after sealing, or the seal is broken.
    #[error("{file}: altered after sealing (the seal does not match it: {reason})")]
    Altered {
        /// The file that changed.
        file: PathBuf,
        /// Why.
        reason: String,
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

fn message(manifest: &[u8]) -> Vec<u8> {
    let mut m = DOMAIN.to_vec();
    m.extend_from_slice(manifest);
    m
}

fn read(path: &Path) -> Result<Vec<u8>, SealError> {
    std::fs::read(path).map_err(|source| SealError::Io {
        file: path.to_path_buf(),
        source,
    })
}

/// The files of `dir` that differ from its manifest (named), or why it does not load.
fn check_files(dir: &Path) -> Result<(), SealError> {
    let loaded = load_dir(dir);
    let mut problems: Vec<String> = Vec::new();
    for e in loaded.manifest_errors() {
        problems.push(match e {
            ManifestError::HashMismatch { file, .. } => {
                format!("{}: altered", dir.join(file).display())
            }
            ManifestError::Unlisted { file } => format!("{}: added", dir.join(file).display()),
            ManifestError::Missing { file } => format!("{}: removed", dir.join(file).display()),
            other => other.to_string(),
        });
    }
    if loaded.manifest.is_none() {
        problems.push(format!(
            "{}: missing or malformed",
            dir.join(MANIFEST_FILE).display()
        ));
    }
    problems.extend(loaded.errors.iter().map(ToString::to_string));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SealError::Inconsistent {
            dir: dir.to_path_buf(),
            problems: problems.join("\n  "),
        })
    }
}

/// Seals `dir` with `key`: checks that the manifest pins every file, then writes the seal.
/// Returns the seal's path.
pub fn seal(dir: &Path, key: &SecretKey) -> Result<PathBuf, SealError> {
    check_files(dir)?;
    let manifest = read(&dir.join(MANIFEST_FILE))?;
    let path = dir.join(SEAL_FILE);
    std::fs::write(&path, sign(&message(&manifest), key)).map_err(|source| SealError::Io {
        file: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Checks that `dir` is sealed by `key` and unaltered; returns the key's fingerprint.
pub fn verify(dir: &Path, key: &PublicKey) -> Result<String, SealError> {
    let seal_path = dir.join(SEAL_FILE);
    if !seal_path.is_file() {
        return Err(SealError::Unsigned(dir.to_path_buf()));
    }
    let seal = read(&seal_path)?;
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest = read(&manifest_path)?;
    match verify_bytes(&message(&manifest), &seal, key) {
        Ok(()) => {}
        Err(VerifyError::WrongKey { signed_by, given }) => {
            return Err(SealError::OtherKey {
                file: seal_path,
                signed_by,
                given,
            });
        }
        Err(VerifyError::Malformed(m)) => {
            return Err(SealError::Altered {
                file: seal_path,
                reason: m,
            });
        }
        Err(e) => {
            return Err(SealError::Altered {
                file: manifest_path,
                reason: e.to_string(),
            });
        }
    }
    // The manifest is the operator's: now every file must be the one it pins.
    check_files(dir).map_err(|e| match e {
        SealError::Inconsistent { problems, .. } => SealError::Altered {
            file: dir.to_path_buf(),
            reason: problems,
        },
        other => other,
    })?;
    Ok(key.key_id())
}
