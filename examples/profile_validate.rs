//! Validation in a tight loop, for profilers: `perf record cargo run --release --example
//! profile_validate -- [payload] [iterations]`.

use qrcert::rules::validator::{Options, Validator};

fn main() {
    let mut args = std::env::args().skip(1);
    let payload = args.next().unwrap_or_else(|| {
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373".into()
    });
    let n: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000_000);
    let options = Options {
        profile: Some(qrcert::Profile::Emvco),
        now_ms: Some(0),
        ..Options::default()
    };
    let mut v = Validator::new();
    let start = std::time::Instant::now();
    let mut valid = 0u64;
    for _ in 0..n {
        if v.check(&payload, &options).is_ok_and(|r| r.valid) {
            valid += 1;
        }
    }
    let s = start.elapsed().as_secs_f64();
    println!(
        "{n} payloads ({valid} valid) in {s:.3}s: {:.0}/s",
        n as f64 / s
    );
}
