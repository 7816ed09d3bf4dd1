//! Validation throughput: payloads per second on one core, with a reused `Validator`.
//!
//! Run: `cargo bench --bench validate`. Throughput is printed as elements/s (payloads/s).
//! Groups: `validate` (each payload under its own profile), `auto` (profile detected),
//! `emvco-only` (the national payloads under the EMVCo base alone: the reference figure the
//! KHQR and JPQR profiles must stay within 1.5x of).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use qrcert::Profile;
use qrcert::rules::validator::{Options, Validator};

const ANNEX_B: &str = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";
const EMV_STATIC: &str = "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373";
const EMV_FEE: &str = "00020101021226340018com.example.qrcert0108ACCT0001520459995303840540510.0055020256041.505802US5916QRCERT SYNTHETIC6009TESTVILLE62120508SYN0010263040F3E";
const KHQR_STATIC: &str = "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7";
const KHQR_DYNAMIC: &str = "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78";
const JPQR_STATIC: &str = "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B";
const JPQR_DYNAMIC: &str = "00020101021226680019jp.or.paymentsjapan011300000001234560204000203060000100406000003520458125303392540415005802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63046C0C";

/// The clock at which the dynamic KHQR sample is still valid (its expiration millisecond).
const NOW: i64 = 1_780_000_900_000;

/// (group, name, payload, profile, must be valid)
const CASES: &[(&str, &str, &str, Option<Profile>, bool)] = &[
    (
        "validate",
        "emvco/annex-b",
        ANNEX_B,
        Some(Profile::Emvco),
        true,
    ),
    (
        "validate",
        "emvco/synthetic-static",
        EMV_STATIC,
        Some(Profile::Emvco),
        true,
    ),
    (
        "validate",
        "emvco/synthetic-fee",
        EMV_FEE,
        Some(Profile::Emvco),
        true,
    ),
    (
        "validate",
        "khqr/static",
        KHQR_STATIC,
        Some(Profile::Khqr),
        true,
    ),
    (
        "validate",
        "khqr/dynamic-khmer",
        KHQR_DYNAMIC,
        Some(Profile::Khqr),
        true,
    ),
    (
        "validate",
        "jpqr/static",
        JPQR_STATIC,
        Some(Profile::Jpqr),
        true,
    ),
    (
        "validate",
        "jpqr/dynamic",
        JPQR_DYNAMIC,
        Some(Profile::Jpqr),
        true,
    ),
    (
        "validate",
        "interop/khqr-dynamic-khmer",
        KHQR_DYNAMIC,
        Some(Profile::Interop),
        true,
    ),
    (
        "validate",
        "interop/jpqr-static",
        JPQR_STATIC,
        Some(Profile::Interop),
        true,
    ),
    ("auto", "emvco/synthetic-static", EMV_STATIC, None, true),
    ("auto", "khqr/static", KHQR_STATIC, None, true),
    ("auto", "khqr/dynamic-khmer", KHQR_DYNAMIC, None, true),
    ("auto", "jpqr/static", JPQR_STATIC, None, true),
    ("auto", "jpqr/dynamic", JPQR_DYNAMIC, None, true),
    (
        "emvco-only",
        "khqr/static",
        KHQR_STATIC,
        Some(Profile::Emvco),
        false,
    ),
    (
        "emvco-only",
        "khqr/dynamic-khmer",
        KHQR_DYNAMIC,
        Some(Profile::Emvco),
        false,
    ),
    (
        "emvco-only",
        "jpqr/static",
        JPQR_STATIC,
        Some(Profile::Emvco),
        true,
    ),
    (
        "emvco-only",
        "jpqr/dynamic",
        JPQR_DYNAMIC,
        Some(Profile::Emvco),
        true,
    ),
];

fn bench(c: &mut Criterion) {
    for group_name in ["validate", "auto", "emvco-only"] {
        let mut group = c.benchmark_group(group_name);
        group.throughput(Throughput::Elements(1));
        for &(g, name, payload, profile, must_be_valid) in CASES {
            if g != group_name {
                continue;
            }
            let options = Options {
                profile,
                now_ms: Some(NOW),
                ..Options::default()
            };
            let mut v = Validator::new();
            let valid = v.check(payload, &options).map(|r| r.valid).unwrap_or(false);
            assert!(valid || !must_be_valid, "{g}/{name} must be valid");
            group.bench_function(name, |b| {
                b.iter(|| {
                    let r = v.check(black_box(payload), &options).map(|r| r.valid);
                    black_box(r)
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
