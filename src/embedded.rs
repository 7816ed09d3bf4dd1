//! The default suite built into the binary: `features/` and `vectors/` (manifest, vector files,
//! golden images) as they were when qrcert was built, so that `qrcert run` works from any
//! directory, after `cargo install`, and in a vendor's CI that has the binary and nothing else.
//!
//! The runner, the loader and cucumber read directories, so the suite is written out once into a
//! content-addressed cache directory (`suite-<SHA-256 of the embedded files>`) and read from
//! there. Every use checks the directory against the embedded bytes, file by file, with nothing
//! extra: a cache that was edited, truncated or added to is replaced, never certified against.
//! The manifest check of the loader then runs as for any directory.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

mod files {
    include!(concat!(env!("OUT_DIR"), "/embedded_suite.rs"));
}

/// The vectors directory inside the suite (and inside an export).
pub const VECTORS: &str = "vectors";
/// The features directory inside the suite (and inside an export).
pub const FEATURES: &str = "features";

/// The environment variable naming the cache directory the suite is extracted into.
pub const CACHE_ENV: &str = "QRCERT_CACHE_DIR";

/// Why the embedded suite cannot be used or written out.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    /// The binary was built without `features/` and `vectors/`.
    #[error(
        "this qrcert was built without a suite (no features/ or vectors/ beside its Cargo.toml); give --vectors DIR and --features DIR"
    )]
    Empty,
    /// The suite could not be written to the cache directory.
    #[error(
        "cannot extract the built-in suite into {}: {source}; set {CACHE_ENV} to a writable directory, or give --vectors DIR and --features DIR",
        dir.display()
    )]
    Extract {
        /// Where it was being written.
        dir: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// `vectors export` would mix the suite with files already there.
    #[error("{} already exists: export into a new or empty directory", path.display())]
    Exists {
        /// The directory in the way.
        path: PathBuf,
    },
    /// `vectors export` could not write a file.
    #[error("writing {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// Every embedded file as (path relative to the suite root with `/` separators, contents), in
/// path order.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    files::FILES
}

/// Whether the binary carries a suite (a manifest and at least one feature file).
pub fn is_available() -> bool {
    file("vectors/manifest.yaml").is_some()
        && files()
            .iter()
            .any(|(p, _)| p.starts_with("features/") && p.ends_with(".feature"))
}

/// The contents of one embedded file.
pub fn file(path: &str) -> Option<&'static [u8]> {
    files()
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| files()[i].1)
}

/// SHA-256 over every embedded path and file, lower-case hex: names the cache directory.
pub fn content_sha256() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut h = Sha256::new();
        for (path, bytes) in files() {
            // Lengths first, so that no two different sets hash the same stream.
            h.update((path.len() as u64).to_le_bytes());
            h.update(path.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        hex::encode(h.finalize())
    })
}

/// The process's extracted suite, once [`extracted`] has made it.
static EXTRACTED: OnceLock<PathBuf> = OnceLock::new();

/// The embedded suite, written out and checked: the directory holding `vectors/` and
/// `features/`. Extracted at most once per process; later calls return the same directory.
pub fn extracted() -> Result<&'static Path, EmbeddedError> {
    if let Some(root) = EXTRACTED.get() {
        return Ok(root);
    }
    if !is_available() {
        return Err(EmbeddedError::Empty);
    }
    let root = extract_into(&cache_root())?;
    Ok(EXTRACTED.get_or_init(|| root))
}

/// Whether `vectors_dir` is the `vectors/` of the embedded suite this process extracted
/// (reports say which suite they used); a copy anywhere else is a directory like any other.
pub fn is_extracted_vectors(vectors_dir: &Path) -> bool {
    EXTRACTED.get().is_some_and(|root| {
        let ours = root.join(VECTORS);
        match (ours.canonicalize(), vectors_dir.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => ours == vectors_dir,
        }
    })
}

/// Where the suite is cached: `$QRCERT_CACHE_DIR`, else `$XDG_CACHE_HOME/qrcert`, else
/// `$HOME/.cache/qrcert`, else the system's temporary directory.
pub fn cache_root() -> PathBuf {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var(CACHE_ENV) {
        return dir;
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return dir.join("qrcert");
    }
    if let Some(home) = var("HOME") {
        return home.join(".cache").join("qrcert");
    }
    std::env::temp_dir().join("qrcert-cache")
}

/// Writes the suite into `cache/suite-<hash>` unless a checked copy is already there, and
/// returns that directory.
fn extract_into(cache: &Path) -> Result<PathBuf, EmbeddedError> {
    let key = &content_sha256()[..16];
    let dir = cache.join(format!("suite-{key}"));
    let fail = |source: io::Error| EmbeddedError::Extract {
        dir: dir.clone(),
        source,
    };
    if matches(&dir).map_err(fail)? {
        return Ok(dir);
    }
    std::fs::create_dir_all(cache).map_err(fail)?;
    let tmp = cache.join(format!(".suite-{key}.{}.tmp", unique()));
    write_all(&tmp).map_err(|e| {
        let _ = std::fs::remove_dir_all(&tmp);
        match e {
            EmbeddedError::Write { source, .. } => fail(source),
            other => other,
        }
    })?;
    // Another process may have finished first, or a damaged copy may be in the way.
    if std::fs::rename(&tmp, &dir).is_err() {
        if matches(&dir).unwrap_or(false) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Ok(dir);
        }
        let stale = cache.join(format!(".suite-{key}.{}.stale", unique()));
        if dir.exists() {
            std::fs::rename(&dir, &stale).map_err(fail)?;
            let _ = std::fs::remove_dir_all(&stale);
        }
        std::fs::rename(&tmp, &dir).map_err(fail)?;
    }
    if !matches(&dir).map_err(fail)? {
        return Err(fail(io::Error::other(
            "the written copy does not read back as written",
        )));
    }
    Ok(dir)
}

/// A name part no other process or call uses at the same time.
fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}.{nanos}", std::process::id())
}

/// Whether `dir` holds exactly the embedded files with exactly their contents (no symbolic
/// links, nothing extra). A missing directory does not match; an unreadable one is an error.
fn matches(dir: &Path) -> io::Result<bool> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    }
    let mut seen = 0;
    if !walk_matches(dir, "", &mut seen)? {
        return Ok(false);
    }
    Ok(seen == files().len())
}

fn walk_matches(dir: &Path, rel: &str, seen: &mut usize) -> io::Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            return Ok(false);
        };
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !walk_matches(&entry.path(), &child, seen)? {
                return Ok(false);
            }
        } else if kind.is_file() {
            let Some(expected) = file(&child) else {
                return Ok(false);
            };
            if entry.metadata()?.len() != expected.len() as u64
                || std::fs::read(entry.path())? != expected
            {
                return Ok(false);
            }
            *seen += 1;
        } else {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Writes every embedded file below `root` (`root/vectors/...`, `root/features/...`), which
/// must not hold a `vectors` or `features` directory yet. Returns the number of files written.
pub fn export(root: &Path) -> Result<usize, EmbeddedError> {
    if !is_available() {
        return Err(EmbeddedError::Empty);
    }
    for sub in [VECTORS, FEATURES] {
        let path = root.join(sub);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(EmbeddedError::Exists { path });
        }
    }
    write_all(root)?;
    Ok(files().len())
}

fn write_all(root: &Path) -> Result<(), EmbeddedError> {
    for (rel, bytes) in files() {
        let path = root.join(rel);
        let write = |source| EmbeddedError::Write {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(write)?;
        }
        std::fs::write(&path, bytes).map_err(write)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_is_embedded_in_path_order() {
        assert!(is_available());
        let paths: Vec<&str> = files().iter().map(|(p, _)| *p).collect();
        assert!(paths.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
        assert!(
            paths
                .iter()
                .all(|p| p.starts_with("features/") || p.starts_with("vectors/"))
        );
        assert!(
            paths
                .iter()
                .any(|p| p.starts_with("vectors/images/") && p.ends_with(".png"))
        );
        let on_disk =
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/manifest.yaml"))
                .unwrap();
        assert_eq!(file("vectors/manifest.yaml"), Some(&on_disk[..]));
        assert_eq!(file("vectors/no-such-file.yaml"), None);
        assert_eq!(content_sha256().len(), 64);
    }

    #[test]
    fn extraction_is_checked_and_repaired() {
        let cache = tempfile::tempdir().unwrap();
        let dir = extract_into(cache.path()).unwrap();
        assert!(matches(&dir).unwrap());
        // A second extraction reuses the checked copy.
        assert_eq!(extract_into(cache.path()).unwrap(), dir);
        // An edited file, an extra feature and a removed image are each replaced, not used.
        let manifest = dir.join("vectors/manifest.yaml");
        std::fs::write(&manifest, "suite_version: tampered\n").unwrap();
        assert!(!matches(&dir).unwrap());
        assert_eq!(extract_into(cache.path()).unwrap(), dir);
        assert!(matches(&dir).unwrap());
        std::fs::write(dir.join("features/extra.feature"), "Feature: extra\n").unwrap();
        assert!(!matches(&dir).unwrap());
        extract_into(cache.path()).unwrap();
        assert!(!dir.join("features/extra.feature").exists());
        let image = files()
            .iter()
            .find(|(p, _)| p.ends_with(".png"))
            .map(|(p, _)| dir.join(p))
            .unwrap();
        std::fs::remove_file(&image).unwrap();
        assert!(!matches(&dir).unwrap());
        extract_into(cache.path()).unwrap();
        assert!(matches(&dir).unwrap());
        // No temporary or stale copies are left behind.
        let left: Vec<_> = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn an_unwritable_cache_is_a_clear_error() {
        let cache = tempfile::tempdir().unwrap();
        // A file where the cache directory should be.
        let blocked = cache.path().join("not-a-dir");
        std::fs::write(&blocked, "x").unwrap();
        let e = extract_into(&blocked.join("qrcert"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot extract the built-in suite"), "{e}");
        assert!(e.contains(CACHE_ENV), "{e}");
    }

    #[test]
    fn export_writes_the_suite_once() {
        let out = tempfile::tempdir().unwrap();
        let n = export(out.path()).unwrap();
        assert_eq!(n, files().len());
        assert!(matches(out.path()).unwrap());
        let again = export(out.path()).unwrap_err().to_string();
        assert!(again.contains("already exists"), "{again}");
    }
}
