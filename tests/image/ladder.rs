//! The distortion ladder against qrcert's own decoder: determinism, and the documented levels
//! (`qrcert::image::distort::reads_up_to`) checked both ways.

use qrcert::image::{
    DistortionKind, GrayImage, RenderOptions, Rung, apply, decode_gray, encode_png, ladder,
    reads_up_to, render_gray, rung_by_id,
};

use crate::fixtures;

const SEEDS: [u64; 3] = [1, 2, 3];

fn render(payload: &str) -> GrayImage {
    render_gray(payload, &RenderOptions::default()).expect("fixture renders")
}

fn reads_exactly(img: &GrayImage, payload: &str) -> bool {
    decode_gray(img).is_ok_and(|found| found.iter().any(|d| d.bytes == payload.as_bytes()))
}

#[test]
fn same_seed_same_bytes() {
    let img = render(fixtures::KHMER);
    for rung in ladder() {
        let a = encode_png(&apply(&img, &rung, 7)).expect("encodes");
        let b = encode_png(&apply(&img, &rung, 7)).expect("encodes");
        assert_eq!(a, b, "{} is not deterministic", rung.id());
    }
}

#[test]
fn seeded_rungs_vary_with_the_seed() {
    let img = render(fixtures::ASCII);
    for id in ["noise-1", "glare-3", "blocky-2", "perspective-2"] {
        let rung = rung_by_id(id).expect("standard rung");
        assert_ne!(
            apply(&img, &rung, 1),
            apply(&img, &rung, 2),
            "{id} ignores its seed"
        );
    }
}

/// Every rung up to the documented level, every seed, reads back the exact payload.
fn documented_rungs_decode(name: &str, payload: &str) {
    let img = render(payload);
    let mut failures = Vec::new();
    let rungs: Vec<Rung> = ladder()
        .into_iter()
        .filter(|r| r.level.get() <= reads_up_to(r.kind))
        .collect();
    assert!(
        rungs.len() >= 30,
        "only {} rungs are documented as readable",
        rungs.len()
    );
    for rung in &rungs {
        for seed in SEEDS {
            if !reads_exactly(&apply(&img, rung, seed), payload) {
                failures.push(format!("{}@{seed}", rung.id()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: documented-readable rungs failed: {failures:?}"
    );
}

#[test]
fn documented_rungs_decode_ascii() {
    documented_rungs_decode("ascii", fixtures::ASCII);
}

#[test]
fn documented_rungs_decode_emvco_cn() {
    documented_rungs_decode("emvco-cn", fixtures::EMVCO_CN);
}

#[test]
fn documented_rungs_decode_khmer() {
    documented_rungs_decode("khmer", fixtures::KHMER);
}

#[test]
fn documented_rungs_decode_japanese() {
    documented_rungs_decode("japanese", fixtures::JAPANESE);
}

#[test]
fn documented_rungs_decode_emoji() {
    documented_rungs_decode("emoji", fixtures::EMOJI);
}

/// The documented level is the real boundary: one level up, some fixture and seed fails.
#[test]
fn documented_levels_are_tight() {
    let images: Vec<(&str, GrayImage)> =
        fixtures::ALL.iter().map(|&(_, p)| (p, render(p))).collect();
    for kind in DistortionKind::ALL {
        let next = reads_up_to(kind) + 1;
        let Some(rung) = ladder()
            .into_iter()
            .find(|r| r.kind == kind && r.level.get() == next)
        else {
            continue;
        };
        let fails_somewhere = images.iter().any(|(payload, img)| {
            SEEDS
                .iter()
                .any(|&seed| !reads_exactly(&apply(img, &rung, seed), payload))
        });
        assert!(
            fails_somewhere,
            "{} reads everywhere: raise reads_up_to({kind})",
            rung.id()
        );
    }
}
