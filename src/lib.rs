//! qrcert: a conformance test and certification harness for QR-code payments
//! (EMVCo Merchant-Presented Mode and its national profiles JPQR and KHQR).
//!
//! Data flows one way: vectors -> runner -> adapter -> verdicts -> report.

/// `println!` that never panics: when standard output is closed (`qrcert run | head -1`) the
/// text is lost, but the command goes on and writes its files.
#[doc(hidden)]
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!` that never panics (see `outln!`).
#[doc(hidden)]
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics: a closed standard error (`qrcert run 2>&1 | head -1`) must not
/// stop a run half-way and lose its report.
#[doc(hidden)]
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

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
