//! Validation in a tight loop, for profilers:
//!
//! ```text
//! cargo build --release --example profile_validate
//! valgrind --tool=callgrind target/release/examples/profile_validate khqr-dynamic 100000
//! perf record -g target/release/examples/profile_validate emvco-static 20000000
//! ```
//!
//! Arguments: `[SAMPLE|PAYLOAD] [ITERATIONS] [PROFILE]`. SAMPLE is one of the names below (the
//! payloads of `benches/validate.rs`); anything else is taken as the payload itself. PROFILE is
//! `auto`, `emvco`, `khqr`, `jpqr` or `interop`; by default the sample's own profile.

use qrcert::Profile;
use qrcert::rules::validator::{Options, Validator};

/// (name, payload, profile)
const SAMPLES: &[(&str, &str, &str)] = &[
    (
        "emvco-static",
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373",
        "emvco",
    ),
    (
        "emvco-fee",
        "00020101021226340018com.example.qrcert0108ACCT0001520459995303840540510.0055020256041.505802US5916QRCERT SYNTHETIC6009TESTVILLE62120508SYN0010263040F3E",
        "emvco",
    ),
    (
        "emvco-annex-b",
        "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A",
        "emvco",
    ),
    (
        "khqr-static",
        "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7",
        "khqr",
    ),
    (
        "khqr-dynamic",
        "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78",
        "khqr",
    ),
    (
        "jpqr-static",
        "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B",
        "jpqr",
    ),
];

/// The clock at which the dynamic KHQR sample is still valid.
const NOW: i64 = 1_780_000_900_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "emvco-static".into());
    let (payload, default_profile) = match SAMPLES.iter().find(|s| s.0 == first) {
        Some(&(_, p, profile)) => (p.to_owned(), profile),
        None => (first, "auto"),
    };
    let n: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5_000_000);
    let profile_name = args.next().unwrap_or_else(|| default_profile.to_owned());
    let profile = match profile_name.as_str() {
        "auto" => None,
        p => match p.parse::<Profile>() {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        },
    };
    let options = Options {
        profile,
        now_ms: Some(NOW),
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
        "{n} payloads ({valid} valid) in {s:.3}s: {:.0}/s, {:.0} ns each",
        n as f64 / s,
        s * 1e9 / n as f64
    );
}
