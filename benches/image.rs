//! Render and decode throughput of the image module on the fixture payloads (the same strings
//! as `tests/image/fixtures.rs`), at the default options (level M, 8 px/module, 4-module quiet
//! zone). Each iteration is one image, so criterion's element rate is images per second.
//!
//! The `golden_set` group measures the committed suite itself: rendering every clean golden
//! image the scan vectors name, decoding them, and decoding every ladder image at a required
//! rung (what a certification run asks of the reference scanner). Its element rate is images
//! per second over the whole set. `decode_stress_rungs` decodes the ladder images at stress
//! rungs (read or not): the cost of the scan retries that only run when plain reading fails.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qrcert::image::golden::Variant;
use qrcert::image::{
    DecodeLimits, RenderOptions, decode_png, decode_png_one, inspect_png, render_png,
};
use qrcert::vectors::images::{Golden, plan};
use qrcert::vectors::{Expect, load_dir};

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

/// The committed golden images: (image, its bytes) for the clean renders, the bytes of the
/// ladder images at rungs the vectors mark required, and those at stress rungs.
type GoldenSet = (Vec<Golden>, Vec<Vec<u8>>, Vec<Vec<u8>>, Vec<Vec<u8>>);

fn golden_set() -> GoldenSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let loaded = load_dir(&dir);
    let golden = plan(&loaded).expect("the committed vectors name their images consistently");
    let rung_images = |required: bool| -> std::collections::BTreeSet<String> {
        loaded
            .cases()
            .filter_map(|c| match (&c.input, &c.expect) {
                (qrcert::vectors::Input::Scan(i), Expect::Scan(e))
                    if e.rung.as_ref().is_some_and(|r| r.required == required) =>
                {
                    i.images.last().cloned()
                }
                _ => None,
            })
            .collect()
    };
    let (required, stress) = (rung_images(true), rung_images(false));
    let read = |g: &Golden| std::fs::read(dir.join(&g.path)).expect("committed image");
    let clean: Vec<Golden> = golden
        .iter()
        .filter(|g| g.variant == Variant::Clean)
        .cloned()
        .collect();
    let clean_bytes = clean.iter().map(read).collect();
    let ladder = golden
        .iter()
        .filter(|g| required.contains(&g.path))
        .map(read)
        .collect();
    let stressed = golden
        .iter()
        .filter(|g| stress.contains(&g.path))
        .map(read)
        .collect();
    (clean, clean_bytes, ladder, stressed)
}

fn golden(c: &mut Criterion) {
    let (clean, clean_bytes, ladder, stressed) = golden_set();
    let limits = DecodeLimits::default();
    // Check once, outside the timing, that every image reads back to its payload.
    for (g, bytes) in clean.iter().zip(&clean_bytes) {
        assert_eq!(&g.render().expect("renders"), bytes, "{}", g.path);
        assert_eq!(
            Some(decode_png_one(bytes, &limits).expect("decodes").payload),
            g.payload
        );
    }
    for bytes in &ladder {
        decode_png_one(bytes, &limits).expect("required rungs decode");
    }
    let mut group = c.benchmark_group("golden_set");
    group.sample_size(20);
    group.throughput(Throughput::Elements(clean.len() as u64));
    group.bench_function("render_clean", |b| {
        b.iter(|| {
            for g in &clean {
                black_box(g.render().expect("renders"));
            }
        })
    });
    group.bench_function("decode_clean", |b| {
        b.iter(|| {
            for bytes in &clean_bytes {
                black_box(decode_png_one(black_box(bytes), &limits).expect("decodes"));
            }
        })
    });
    group.throughput(Throughput::Elements(ladder.len() as u64));
    group.bench_function("decode_required_rungs", |b| {
        b.iter(|| {
            for bytes in &ladder {
                black_box(decode_png_one(black_box(bytes), &limits).expect("decodes"));
            }
        })
    });
    group.throughput(Throughput::Elements(stressed.len() as u64));
    group.bench_function("decode_stress_rungs", |b| {
        b.iter(|| {
            for bytes in &stressed {
                // Some stress rungs are unreadable by design: the time to give up counts too.
                black_box(decode_png_one(black_box(bytes), &limits).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, render, decode, inspect, golden);
criterion_main!(benches);
