//! qrcert: a conformance test and certification harness for QR-code payments
//! (EMVCo Merchant-Presented Mode and its national profiles JPQR and KHQR).
//!
//! Data flows one way: vectors -> runner -> adapter -> verdicts -> report.

pub mod adapter;
pub mod capability;
pub mod cli;
pub mod clock;
pub mod deck;
pub mod embedded;
pub mod emv;
pub mod image;
pub mod merchant;
#[macro_use]
pub mod profile;
pub mod reference;
pub mod report;
pub mod role;
pub mod rules;
pub mod runner;
pub mod selftest;
pub mod session;
pub mod vectors;

pub use capability::Capability;
pub use clock::Clock;
pub use profile::Profile;
