//! Validation throughput: payloads per second on one core, with a reused `Validator`.
//!
//! Run: `cargo bench --bench validate`. Throughput is printed as elements/s (payloads/s).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

use qrcert::Profile;
use qrcert::rules::validator::{Options, Validator};

/// (name, payload, profile) triples: realistic payloads of each profile.
const PAYLOADS: &[(&str, &str, Profile)] = &[
    (
        "emvco/annex-b",
        "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A",
        Profile::Emvco,
    ),
    (
        "emvco/synthetic-static",
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373",
        Profile::Emvco,
    ),
    (
        "emvco/synthetic-fee",
        "00020101021226340018com.example.qrcert0108ACCT0001520459995303840540510.0055020256041.505802US5916QRCERT SYNTHETIC6009TESTVILLE62120508SYN0010263040F3E",
        Profile::Emvco,
    ),
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    for &(name, payload, profile) in PAYLOADS {
        let options = Options {
            profile: Some(profile),
            now_ms: Some(1_780_000_900_000),
            ..Options::default()
        };
        let mut v = Validator::new();
        assert!(
            v.check(payload, &options).map(|r| r.valid).unwrap_or(false),
            "{name} must be valid"
        );
        group.throughput(Throughput::Elements(1));
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = v.check(black_box(payload), &options).map(|r| r.valid);
                black_box(r)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
