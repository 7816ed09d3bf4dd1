//! Render and decode throughput of the image module on the fixture payloads (the same strings
//! as `tests/image/fixtures.rs`), at the default options (level M, 8 px/module, 4-module quiet
//! zone). Each iteration is one image, so criterion's element rate is images per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qrcert::image::{DecodeLimits, RenderOptions, decode_png, inspect_png, render_png};

const PAYLOADS: [(&str, &str); 5] = [
    (
        "emvco-cn",
        "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A",
    ),
    (
        "ascii",
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373",
    ),
    (
        "khmer",
        "00020101021230420012demo@sandbox0106M-00420212Sandbox Bank52045812530384054042.505802KH5915Demo Noodle Bar6010Battambang62200106INV-770706TILL-264310002km0109ហាងគុយទាវ0208បាត់ដំបង993400131780000000000011317800009000006304AD78",
    ),
    (
        "japanese",
        "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B",
    ),
    (
        "emoji",
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE64150002EN0105CAFE🍜6304CB06",
    ),
];

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_png");
    group.throughput(Throughput::Elements(1));
    let opts = RenderOptions::default();
    for (name, payload) in PAYLOADS {
        group.bench_function(name, |b| b.iter(|| render_png(black_box(payload), &opts)));
    }
    group.finish();
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_png");
    group.throughput(Throughput::Elements(1));
    let limits = DecodeLimits::default();
    for (name, payload) in PAYLOADS {
        let png = render_png(payload, &RenderOptions::default()).expect("fixture renders");
        // Check once, outside the timing, that the benchmark measures a successful decode.
        let found = decode_png(&png, &limits).expect("fixture decodes");
        assert_eq!(found[0].payload, payload);
        group.bench_function(name, |b| b.iter(|| decode_png(black_box(&png), &limits)));
    }
    group.finish();
}

fn inspect(c: &mut Criterion) {
    let mut group = c.benchmark_group("inspect_png");
    group.throughput(Throughput::Elements(1));
    let limits = DecodeLimits::default();
    for (name, payload) in PAYLOADS {
        let png = render_png(payload, &RenderOptions::default()).expect("fixture renders");
        assert_eq!(
            inspect_png(&png, &limits)
                .expect("fixture inspects")
                .payload,
            payload
        );
        group.bench_function(name, |b| b.iter(|| inspect_png(black_box(&png), &limits)));
    }
    group.finish();
}

criterion_group!(benches, render, decode, inspect);
criterion_main!(benches);
