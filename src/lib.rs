//! qrcert: a conformance test and certification harness for QR-code payments
//! (EMVCo Merchant-Presented Mode and its national profiles JPQR and KHQR).
//!
//! Data flows one way: vectors -> runner -> adapter -> verdicts -> report.

pub mod capability;
pub mod profile;

pub use capability::Capability;
pub use profile::Profile;
pub mod cli;
pub mod clock;
pub mod emv;
pub mod rules;

pub use clock::Clock;
pub mod merchant;
pub mod vectors;
