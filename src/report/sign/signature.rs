//! Detached signatures over a report's canonical bytes (`report.json.sig`).
//!
//! ```text
//! qrcert report signature v1
//! algorithm: ed25519
//! key-id: <16 hex digits>
//! report-sha256: <64 hex digits>
//! signature: <128 hex digits>
//! ```
//!
//! The signature is pure Ed25519 (RFC 8032, no prehash) over [`DOMAIN`] followed by the report's
//! bytes exactly as written; the domain prefix keeps a report key from being usable to sign
//! anything else. `report-sha256` lets `verify` say "the report changed" rather than only "bad
//! signature"; it is checked, never trusted alone. The file must be exactly as `sign` writes it
//! (lower-case hex, these lines, one `\n` each), so any change to it is detected.

use ed25519_dalek::Signature;
use sha2::{Digest, Sha256};

use super::keys::{PublicKey, SecretKey};

/// What is signed before the report's bytes.
pub const DOMAIN: &[u8] = b"qrcert report signature v1\n";
/// First line of a signature file.
const HEADER: &str = "qrcert report signature v1";
/// The largest signature file considered.
pub const MAX_SIGNATURE_FILE: usize = 1024;

/// Why a report does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The signature file is not one `sign` writes.
    #[error("the signature file is malformed: {0}")]
    Malformed(String),
    /// The signature names another key.
    #[error(
        "the signature was made with key {signed_by}, not with the given key {given} (another signer, or the signature file was altered)"
    )]
    WrongKey {
        /// The key ID in the signature file.
        signed_by: String,
        /// The ID of the key given.
        given: String,
    },
    /// The report's bytes are not the ones signed.
    #[error(
        "the report was changed after signing: its SHA-256 is {actual}, the signature covers {signed}"
    )]
    ReportChanged {
        /// SHA-256 recorded in the signature.
        signed: String,
        /// SHA-256 of the report given.
        actual: String,
    },
    /// The Ed25519 signature does not verify.
    #[error("the Ed25519 signature does not verify (the signature or the report was altered)")]
    BadSignature,
}

fn message(report: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + report.len());
    m.extend_from_slice(DOMAIN);
    m.extend_from_slice(report);
    m
}

fn render(key_id: &str, sha256: &str, signature: &str) -> String {
    format!(
        "{HEADER}\nalgorithm: ed25519\nkey-id: {key_id}\nreport-sha256: {sha256}\nsignature: {signature}\n"
    )
}

/// Signs `report` (its exact bytes); returns the signature file's text.
pub fn sign(report: &[u8], key: &SecretKey) -> String {
    use ed25519_dalek::Signer;
    let sig = key.signing_key().sign(&message(report));
    render(
        &key.public().key_id(),
        &hex::encode(Sha256::digest(report)),
        &hex::encode(sig.to_bytes()),
    )
}

struct Parsed {
    key_id: String,
    sha256: String,
    signature: [u8; 64],
}

fn field<'a>(line: Option<&'a str>, name: &str) -> Result<&'a str, VerifyError> {
    line.and_then(|l| l.strip_prefix(name))
        .and_then(|l| l.strip_prefix(": "))
        .ok_or_else(|| VerifyError::Malformed(format!("expected a `{name}: ` line")))
}

fn lower_hex(value: &str, digits: usize, name: &str) -> Result<(), VerifyError> {
    if value.len() == digits
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(VerifyError::Malformed(format!(
            "`{name}` must be {digits} lower-case hex digits"
        )))
    }
}

fn parse(text: &str) -> Result<Parsed, VerifyError> {
    if text.len() > MAX_SIGNATURE_FILE {
        return Err(VerifyError::Malformed(format!(
            "{} bytes is far larger than a signature file",
            text.len()
        )));
    }
    if text.contains('\r') {
        return Err(VerifyError::Malformed(
            "it has CR line ends (converted to CRLF?); it must be exactly as qrcert wrote it"
                .into(),
        ));
    }
    let mut lines = text.split('\n');
    if lines.next() != Some(HEADER) {
        return Err(VerifyError::Malformed(format!(
            "the first line must be {HEADER:?}"
        )));
    }
    let algorithm = field(lines.next(), "algorithm")?;
    if algorithm != "ed25519" {
        return Err(VerifyError::Malformed(format!(
            "unknown algorithm {algorithm:?} (only ed25519)"
        )));
    }
    let key_id = field(lines.next(), "key-id")?;
    lower_hex(key_id, 16, "key-id")?;
    let sha256 = field(lines.next(), "report-sha256")?;
    lower_hex(sha256, 64, "report-sha256")?;
    let sig_hex = field(lines.next(), "signature")?;
    lower_hex(sig_hex, 128, "signature")?;
    let mut signature = [0u8; 64];
    hex::decode_to_slice(sig_hex, &mut signature)
        .map_err(|e| VerifyError::Malformed(format!("`signature`: {e}")))?;
    // Exactly the text `sign` writes: nothing before, between or after (a trailing `\n` only).
    if render(key_id, sha256, sig_hex) != text {
        return Err(VerifyError::Malformed(
            "unexpected text around the fields (the file must be exactly as qrcert wrote it)"
                .into(),
        ));
    }
    Ok(Parsed {
        key_id: key_id.to_owned(),
        sha256: sha256.to_owned(),
        signature,
    })
}

/// Checks that `signature_text` is a signature by `key` over exactly `report`.
pub fn verify(report: &[u8], signature_text: &str, key: &PublicKey) -> Result<(), VerifyError> {
    let p = parse(signature_text)?;
    let given = key.key_id();
    if p.key_id != given {
        return Err(VerifyError::WrongKey {
            signed_by: p.key_id,
            given,
        });
    }
    let actual = hex::encode(Sha256::digest(report));
    if p.sha256 != actual {
        return Err(VerifyError::ReportChanged {
            signed: p.sha256,
            actual,
        });
    }
    let sig = Signature::from_bytes(&p.signature);
    key.verifying_key()
        .verify_strict(&message(report), &sig)
        .map_err(|_| VerifyError::BadSignature)
}

/// [`verify`] for a signature file read as bytes (it must be UTF-8 text).
pub fn verify_bytes(report: &[u8], signature: &[u8], key: &PublicKey) -> Result<(), VerifyError> {
    let text = std::str::from_utf8(signature)
        .map_err(|_| VerifyError::Malformed("not UTF-8 text".into()))?;
    verify(report, text, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    fn key(n: u8) -> SecretKey {
        SecretKey::from_seed([n; 32])
    }

    #[test]
    fn an_untouched_report_verifies() {
        let report = fixtures::sample().to_canonical_json();
        let k = key(1);
        let sig = sign(&report, &k);
        assert!(sig.starts_with("qrcert report signature v1\nalgorithm: ed25519\nkey-id: "));
        assert_eq!(sig.lines().count(), 5);
        assert_eq!(verify(&report, &sig, &k.public()), Ok(()));
        // Deterministic: Ed25519 signs the same bytes the same way.
        assert_eq!(sign(&report, &k), sig);
    }

    #[test]
    fn flipping_any_byte_of_the_report_fails() {
        let report = fixtures::sample().to_canonical_json();
        let k = key(2);
        let sig = sign(&report, &k);
        // Every 97th byte plus the first and last: hundreds of positions over the whole report.
        let mut positions: Vec<usize> = (0..report.len()).step_by(97).collect();
        positions.push(report.len() - 1);
        assert!(positions.len() > 200);
        for i in positions {
            for flip in [0x01u8, 0x80] {
                let mut bad = report.clone();
                bad[i] ^= flip;
                let e = verify(&bad, &sig, &k.public()).unwrap_err();
                assert!(
                    matches!(e, VerifyError::ReportChanged { .. }),
                    "byte {i}: {e}"
                );
            }
        }
        let mut longer = report.clone();
        longer.push(b'\n');
        assert!(verify(&longer, &sig, &k.public()).is_err());
        assert!(verify(&report[..report.len() - 1], &sig, &k.public()).is_err());
    }

    #[test]
    fn flipping_any_byte_of_the_signature_fails() {
        let report = fixtures::reference_run().to_canonical_json();
        let k = key(3);
        let sig = sign(&report, &k).into_bytes();
        for i in 0..sig.len() {
            for flip in [0x01u8, 0x20, 0x80] {
                let mut bad = sig.clone();
                bad[i] ^= flip;
                assert!(
                    verify_bytes(&report, &bad, &k.public()).is_err(),
                    "flipping byte {i} ({:?}) with {flip:#x} went unnoticed",
                    sig[i] as char
                );
            }
        }
    }

    #[test]
    fn a_signature_by_another_key_fails() {
        let report = fixtures::reference_run().to_canonical_json();
        let sig = sign(&report, &key(4));
        let e = verify(&report, &sig, &key(5).public()).unwrap_err();
        assert!(matches!(e, VerifyError::WrongKey { .. }), "{e}");
        assert!(e.to_string().contains("not with the given key"));
        // Even with the key-id line forged to the verifier's key, the signature itself fails.
        let forged = sig.replace(&key(4).public().key_id(), &key(5).public().key_id());
        assert_eq!(
            verify(&report, &forged, &key(5).public()),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn the_signature_covers_the_domain_not_just_the_bytes() {
        use ed25519_dalek::Signer;
        let report = b"{}\n";
        let k = key(6);
        // A raw Ed25519 signature over the bytes alone (no domain) must not verify.
        let raw = k.signing_key().sign(report);
        let text = render(
            &k.public().key_id(),
            &hex::encode(Sha256::digest(report)),
            &hex::encode(raw.to_bytes()),
        );
        assert_eq!(
            verify(report, &text, &k.public()),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn malformed_signature_files_are_named_as_such() {
        let report = b"{}\n";
        let k = key(7);
        let sig = sign(report, &k);
        for (bad, what) in [
            (String::new(), "first line"),
            (sig.replace("ed25519\nkey", "rsa\nkey"), "unknown algorithm"),
            (sig.to_uppercase(), "first line"),
            (format!("{sig}extra"), "exactly as qrcert wrote it"),
            (sig.replace('\n', "\r\n"), "CR line ends"),
            ("x".repeat(5000), "far larger"),
        ] {
            let e = verify(report, &bad, &k.public()).unwrap_err();
            assert!(e.to_string().contains(what), "{what}: {e}");
        }
        assert!(verify_bytes(report, b"\xff\xfe", &k.public()).is_err());
    }
}
