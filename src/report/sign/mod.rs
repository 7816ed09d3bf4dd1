//! Signing reports: Ed25519 key files ([`keys`]) and detached signatures over a report's
//! canonical bytes ([`signature`]). The report records the suite hash, the harness version, the
//! implementation's identity and the clock, so one signature binds all of them.

pub mod keys;
pub mod signature;

pub use keys::{KeyError, PublicKey, SecretKey, keygen};
pub use signature::{VerifyError, sign, verify, verify_bytes};
