//! Writes a synthetic suite of N EMVCo validate vectors (and the feature that runs them) to a
//! directory, for timing and memory measurements of whole runs through any transport:
//!
//! ```text
//! cargo run --release --example synthetic_suite -- 100000 /tmp/syn
//! /usr/bin/time -v target/release/qrcert run -q --vectors /tmp/syn/vectors \
//!     --features /tmp/syn/features --out /tmp/syn/out --adapter builtin
//! ```
//!
//! See docs/performance.md. The suite is the one `benches/suite.rs` generates.

#[path = "../benches/support/synthetic_suite.rs"]
mod synthetic_suite;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = match args.next().map(|s| s.parse()) {
        Some(Ok(n)) => n,
        _ => {
            eprintln!("usage: synthetic_suite N DIR");
            std::process::exit(2);
        }
    };
    let Some(dir) = args.next() else {
        eprintln!("usage: synthetic_suite N DIR");
        std::process::exit(2);
    };
    match synthetic_suite::write(std::path::Path::new(&dir), n) {
        Ok((v, f)) => println!(
            "{n} vectors in {}, features in {}",
            v.display(),
            f.display()
        ),
        Err(e) => {
            eprintln!("writing the suite to {dir}: {e}");
            std::process::exit(2);
        }
    }
}
