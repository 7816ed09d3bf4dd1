//! The fuzz targets' properties, as property tests that run in every `cargo test` (the fuzzers
//! in `fuzz/` run the same checks for minutes at a time), plus every kept input: the fuzz seeds
//! and the inputs of crashes found and fixed (`fuzz/regressions/<target>/`).
//!
//! Entry points: the payload parser and validator, the vector loader, the adapter reply and
//! request parsers, the adapter config parser, and the image decoder path.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use qrcert::adapter::config::AdapterConfig;
use qrcert::adapter::protocol::{OpKind, ReplyId, Request, decode_reply, probe_reply_id};
use qrcert::image::png::read_header;
use qrcert::image::{DecodeLimits, decode_png, inspect_png, load_gray};
use qrcert::rules::invariants::check_validate;
use qrcert::vectors::load::{parse_file, parse_manifest};

fn check_vectors(data: &[u8]) {
    for rel in ["emvco/crc.yaml", "khqr/tag29.yaml"] {
        let shown = Path::new("vectors").join(rel);
        let (file, errors) = parse_file(Path::new(rel), &shown, data);
        for e in &errors {
            assert_eq!(e.file(), shown.as_path());
            assert!(!e.to_string().is_empty());
        }
        if let Some(f) = file {
            assert_eq!(f.sha256.len(), 64);
        }
    }
    if let Err(e) = parse_manifest(Path::new("vectors/manifest.yaml"), data) {
        assert!(!e.to_string().is_empty());
    }
}

fn check_reply(data: &[u8]) {
    let probed = probe_reply_id(data);
    let expected = match &probed {
        Ok(ReplyId::Id(id)) => *id,
        _ => 7,
    };
    for op in OpKind::ALL {
        match decode_reply(data, expected, op) {
            Ok(Ok(reply)) => {
                assert_eq!(reply.kind(), op);
                assert_eq!(probed, Ok(ReplyId::Id(expected)));
            }
            Ok(Err(_)) => assert_eq!(probed, Ok(ReplyId::Id(expected))),
            Err(fault) => assert!(!fault.to_string().is_empty()),
        }
    }
    if let Ok(req) = Request::from_json(data) {
        assert_eq!(Request::from_json(&req.to_json()).unwrap(), req);
    }
}

fn check_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match AdapterConfig::from_yaml(text, "fuzz.yaml", Path::new("/nonexistent")) {
        Ok(c) => {
            let _ = c.redacted().to_string();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

const IMAGE_LIMITS: DecodeLimits = DecodeLimits {
    max_file_bytes: 1 << 20,
    max_pixels: 1 << 20,
};

fn check_image(data: &[u8]) {
    let header = read_header(data);
    match load_gray(data, &IMAGE_LIMITS) {
        Ok(img) => {
            let h = header.expect("a PNG that loads has a header");
            assert_eq!((img.width(), img.height()), (h.width, h.height));
            let _ = decode_png(data, &IMAGE_LIMITS);
            let _ = inspect_png(data, &IMAGE_LIMITS);
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert!(decode_png(data, &IMAGE_LIMITS).is_err());
            assert!(inspect_png(data, &IMAGE_LIMITS).is_err());
        }
    }
}

/// One target's checks on one input.
type Check = fn(&[u8]);

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every kept input of `target`: seeds and regressions.
fn kept(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_file() {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_kept_input_passes_its_target() {
    let targets: [(&str, Check); 6] = [
        ("validate", check_validate),
        ("vectors", check_vectors),
        ("adapter_reply", check_reply),
        ("adapter_config", check_config),
        ("image", check_image),
        // The image_load target checks a subset of what check_image does.
        ("image_load", check_image),
    ];
    for (target, check) in targets {
        let inputs = kept(target);
        assert!(!inputs.is_empty(), "no seeds for {target}");
        for (path, bytes) in inputs {
            let r = std::panic::catch_unwind(|| check(&bytes));
            assert!(r.is_ok(), "{target}: {} fails", path.display());
        }
    }
}

/// A real input of a target, to mutate.
fn seed(target: &str, name: &str) -> Vec<u8> {
    std::fs::read(fuzz_dir().join("seeds").join(target).join(name)).unwrap()
}

fn mutate(mut bytes: Vec<u8>, edits: &[(prop::sample::Index, u8, u8)]) -> Vec<u8> {
    for (at, op, x) in edits {
        if bytes.is_empty() {
            bytes.push(*x);
            continue;
        }
        let i = at.index(bytes.len());
        match op % 4 {
            0 => bytes[i] ^= x.max(&1),
            1 => bytes.insert(i, *x),
            2 => {
                bytes.remove(i);
            }
            _ => bytes.truncate(i),
        }
    }
    bytes
}

fn edits() -> impl Strategy<Value = Vec<(prop::sample::Index, u8, u8)>> {
    proptest::collection::vec(
        (any::<prop::sample::Index>(), any::<u8>(), any::<u8>()),
        1..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn validator_any_bytes(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_validate(&data);
    }

    #[test]
    fn validator_mutated_payloads(e in edits()) {
        check_validate(&mutate(seed("validate", "khqr-dynamic"), &e));
    }

    #[test]
    fn vector_loader_any_text(text in "\\PC{0,400}") {
        check_vectors(text.as_bytes());
    }

    #[test]
    fn vector_loader_mutated_files(e in edits()) {
        check_vectors(&mutate(seed("vectors", "khqr-scan.yaml"), &e));
    }

    #[test]
    fn adapter_replies_any_bytes(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_reply(&data);
    }

    #[test]
    fn adapter_replies_mutated(e in edits(), which in 0usize..4) {
        let name = ["describe", "validate", "err", "req-validate"][which];
        check_reply(&mutate(seed("adapter_reply", name), &e));
    }

    #[test]
    fn adapter_replies_any_json(v in json_value()) {
        check_reply(v.to_string().as_bytes());
        let mut with_id = serde_json::json!({"id": 7, "ok": true});
        with_id["valid"] = v.clone();
        with_id["fields"] = v;
        check_reply(with_id.to_string().as_bytes());
    }

    #[test]
    fn adapter_configs_mutated(e in edits(), which in 0usize..3) {
        let name = ["cli.yaml", "http.yaml", "python.yaml"][which];
        check_config(&mutate(seed("adapter_config", name), &e));
    }
}

proptest! {
    // Each case decodes a real image: fewer of them.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn image_path_mutated_pngs(e in edits()) {
        check_image(&mutate(seed("image", "khqr-static.png"), &e));
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        "\\PC{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z0-9]{0,4}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
