//! Ed25519 key files.
//!
//! Secret key (`PREFIX`, written mode 0600 on Unix):
//! ```text
//! qrcert ed25519 secret key v1
//! <64 hex digits: the 32-byte seed>
//! ```
//! Public key (`PREFIX.pub`):
//! ```text
//! qrcert ed25519 public key v1
//! <64 hex digits: the 32-byte public key>
//! ```
//! Blank lines and surrounding whitespace are ignored (keys get copied between machines); anything
//! else is refused. A key's ID is the first 16 hex digits of the SHA-256 of its public key.

use std::fmt;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// First line of a secret key file.
pub const SECRET_HEADER: &str = "qrcert ed25519 secret key v1";
/// First line of a public key file.
pub const PUBLIC_HEADER: &str = "qrcert ed25519 public key v1";
/// The largest key file read.
const MAX_KEY_FILE: u64 = 4096;

/// A key file that cannot be used, or one that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a key file of the expected kind.
    #[error("{origin}: not a qrcert {kind} key file: {reason}")]
    Malformed {
        /// The file.
        origin: String,
        /// `secret` or `public`.
        kind: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// `keygen` would overwrite a file.
    #[error("{0}: already exists; refusing to overwrite a key")]
    Exists(String),
    /// The operating system gave no randomness.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
}

/// An Ed25519 signing key.
pub struct SecretKey(SigningKey);

/// An Ed25519 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the seed.
        write!(f, "SecretKey({})", self.public().key_id())
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

impl SecretKey {
    /// A new key from the operating system's randomness.
    pub fn generate() -> Result<SecretKey, KeyError> {
        use rand::TryRng;
        let mut seed = [0u8; 32];
        rand::rngs::SysRng
            .try_fill_bytes(&mut seed)
            .map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(SecretKey::from_seed(seed))
    }

    /// The key with this 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> SecretKey {
        SecretKey(SigningKey::from_bytes(&seed))
    }

    /// Its public key.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    pub(super) fn signing_key(&self) -> &SigningKey {
        &self.0
    }

    /// The key file's text.
    pub fn to_file_text(&self) -> String {
        format!("{SECRET_HEADER}\n{}\n", hex::encode(self.0.to_bytes()))
    }

    /// Reads a secret key file's text; `origin` names it in errors.
    pub fn from_file_text(text: &str, origin: &str) -> Result<SecretKey, KeyError> {
        parse(text, origin, "secret", SECRET_HEADER).map(SecretKey::from_seed)
    }

    /// Reads a secret key file.
    pub fn load(path: &Path) -> Result<SecretKey, KeyError> {
        SecretKey::from_file_text(&read_bounded(path)?, &path.display().to_string())
    }
}

impl PublicKey {
    /// The first 16 hex digits of the SHA-256 of the key: short enough to read, long enough to
    /// tell keys apart.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(self.0.as_bytes())[..8])
    }

    pub(super) fn verifying_key(&self) -> &VerifyingKey {
        &self.0
    }

    /// The key file's text.
    pub fn to_file_text(&self) -> String {
        format!("{PUBLIC_HEADER}\n{}\n", hex::encode(self.0.as_bytes()))
    }

    /// Reads a public key file's text; `origin` names it in errors.
    pub fn from_file_text(text: &str, origin: &str) -> Result<PublicKey, KeyError> {
        let bytes = parse(text, origin, "public", PUBLIC_HEADER)?;
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| KeyError::Malformed {
                origin: origin.to_owned(),
                kind: "public",
                reason: "the 32 bytes are not an Ed25519 public key".into(),
            })
    }

    /// Reads a public key file.
    pub fn load(path: &Path) -> Result<PublicKey, KeyError> {
        PublicKey::from_file_text(&read_bounded(path)?, &path.display().to_string())
    }
}

fn parse(text: &str, origin: &str, kind: &'static str, header: &str) -> Result<[u8; 32], KeyError> {
    let bad = |reason: String| KeyError::Malformed {
        origin: origin.to_owned(),
        kind,
        reason,
    };
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    match lines.next() {
        Some(h) if h == header => {}
        Some(h) if h == SECRET_HEADER || h == PUBLIC_HEADER => {
            return Err(bad(format!(
                "this is a {} key file",
                if kind == "secret" { "public" } else { "secret" }
            )));
        }
        _ => return Err(bad(format!("the first line must be {header:?}"))),
    }
    let hex_line = lines
        .next()
        .ok_or_else(|| bad("the key line is missing".into()))?;
    if lines.next().is_some() {
        return Err(bad("unexpected text after the key line".into()));
    }
    let mut key = [0u8; 32];
    if hex_line.len() != 64 {
        return Err(bad(format!(
            "the key line must be 64 hex digits, found {} characters",
            hex_line.chars().count()
        )));
    }
    hex::decode_to_slice(hex_line, &mut key)
        .map_err(|e| bad(format!("the key line is not hex: {e}")))?;
    Ok(key)
}

fn read_bounded(path: &Path) -> Result<String, KeyError> {
    use std::io::Read;
    let io = |source| KeyError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_KEY_FILE + 1)
        .read_to_string(&mut text)
        .map_err(io)?;
    if text.len() as u64 > MAX_KEY_FILE {
        return Err(KeyError::Malformed {
            origin: path.display().to_string(),
            kind: "key",
            reason: format!("over {MAX_KEY_FILE} bytes"),
        });
    }
    Ok(text)
}

/// Writes a new key pair to `prefix` (secret, mode 0600) and `prefix.pub`, refusing to overwrite
/// either. Returns both paths.
pub fn keygen(prefix: &Path) -> Result<(PathBuf, PathBuf, PublicKey), KeyError> {
    let secret_path = prefix.to_path_buf();
    let mut public_name = prefix.as_os_str().to_owned();
    public_name.push(".pub");
    let public_path = PathBuf::from(public_name);
    for p in [&secret_path, &public_path] {
        if p.exists() {
            return Err(KeyError::Exists(p.display().to_string()));
        }
    }
    let key = SecretKey::generate()?;
    write_new(&secret_path, &key.to_file_text(), true)?;
    let public = key.public();
    write_new(&public_path, &public.to_file_text(), false)?;
    Ok((secret_path, public_path, public))
}

fn write_new(path: &Path, text: &str, secret: bool) -> Result<(), KeyError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let io = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            KeyError::Exists(path.display().to_string())
        } else {
            KeyError::Io {
                path: path.display().to_string(),
                source,
            }
        }
    };
    let mut f = options.open(path).map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip_and_refuse_the_wrong_kind() {
        let k = SecretKey::from_seed([7; 32]);
        let text = k.to_file_text();
        assert!(text.starts_with("qrcert ed25519 secret key v1\n0707"));
        let back = SecretKey::from_file_text(&text, "k").unwrap();
        assert_eq!(back.public(), k.public());
        let p = k.public();
        let pub_text = p.to_file_text();
        assert_eq!(PublicKey::from_file_text(&pub_text, "k.pub").unwrap(), p);
        // Whitespace from copying is fine.
        let loose = format!("\r\n  {}  \r\n", pub_text.replace('\n', "\r\n"));
        assert_eq!(PublicKey::from_file_text(&loose, "k.pub").unwrap(), p);

        let e = PublicKey::from_file_text(&text, "k")
            .unwrap_err()
            .to_string();
        assert!(e.contains("this is a secret key file"), "{e}");
        let e = SecretKey::from_file_text(&pub_text, "k.pub")
            .unwrap_err()
            .to_string();
        assert!(e.contains("this is a public key file"), "{e}");
        let e = SecretKey::from_file_text("hello\n", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("first line must be"), "{e}");
        let short = format!("{SECRET_HEADER}\nabcd\n");
        let e = SecretKey::from_file_text(&short, "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("64 hex digits"), "{e}");
        let nothex = format!("{SECRET_HEADER}\n{}\n", "zz".repeat(32));
        assert!(SecretKey::from_file_text(&nothex, "x").is_err());
        let extra = format!("{}more\n", k.to_file_text());
        assert!(SecretKey::from_file_text(&extra, "x").is_err());
        assert!(!format!("{k:?}").contains("0707"), "Debug hides the seed");
        assert_eq!(p.key_id().len(), 16);
    }

    #[test]
    fn keygen_writes_a_private_secret_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let prefix = dir.path().join("signer");
        let (s, p, public) = keygen(&prefix).unwrap();
        assert_eq!(p, dir.path().join("signer.pub"));
        let secret = SecretKey::load(&s).unwrap();
        assert_eq!(secret.public(), public);
        assert_eq!(PublicKey::load(&p).unwrap(), public);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&s).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let e = keygen(&prefix).unwrap_err();
        assert!(matches!(e, KeyError::Exists(_)), "{e}");
        // Two keys differ.
        let (_, _, other) = keygen(&dir.path().join("other")).unwrap();
        assert_ne!(other, public);
    }
}
