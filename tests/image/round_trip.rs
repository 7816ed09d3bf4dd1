//! Golden renders of the fixture payloads decode back exactly with rqrr, and inspection sees
//! how they were built.

use qrcert::image::{
    DecodeLimits, EcLevel, EciPolicy, MaskPattern, Mode, RenderOptions, Segmentation,
    SymbolVersion, decode_png, decode_png_one, encode_png, inspect_gray, inspect_png, invert,
    render_gray, render_png,
};
use sha2::{Digest, Sha256};

use crate::fixtures;

fn limits() -> DecodeLimits {
    DecodeLimits::default()
}

#[test]
fn every_fixture_round_trips_in_byte_mode() {
    for (name, payload) in fixtures::ALL {
        let png = render_png(payload, &RenderOptions::default()).expect("renders");
        let found = decode_png(&png, &limits()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(found.len(), 1, "{name}");
        assert!(found[0].payload_utf8, "{name}");
        assert_eq!(found[0].payload, payload, "{name}");
        assert_eq!(found[0].bytes, payload.as_bytes(), "{name}");

        let facts = inspect_png(&png, &limits()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(facts.payload, payload, "{name}: own segment walk");
        assert!(facts.is_byte_only(), "{name}: {:?}", facts.segments);
        let data: Vec<_> = facts.segments.iter().filter(|s| s.mode.is_data()).collect();
        assert_eq!(data.len(), 1, "{name}: one byte segment");
        assert_eq!(
            data[0].char_count,
            Some(payload.len() as u32),
            "{name}: count is UTF-8 bytes"
        );
        let ascii = payload.chars().all(|c| (' '..='~').contains(&c));
        if ascii {
            assert_eq!(facts.eci, None, "{name}: ASCII needs no ECI");
        } else {
            assert_eq!(facts.eci, Some(26), "{name}: non-ASCII needs ECI 26");
            assert_eq!(facts.segments[0].mode, Mode::Eci, "{name}: ECI comes first");
        }
        assert_eq!(
            (facts.ec_level, facts.quiet_zone_modules),
            (EcLevel::M, 4),
            "{name}"
        );
        assert_eq!(facts.version, found[0].version, "{name}");
        assert_eq!(facts.mask, found[0].mask, "{name}");
    }
}

#[test]
fn automatic_segmentation_of_khmer_is_flagged() {
    let opts = RenderOptions {
        segmentation: Segmentation::Automatic,
        ..RenderOptions::default()
    };
    let img = render_gray(fixtures::KHMER, &opts).expect("renders");
    let facts = inspect_gray(&img).expect("inspects");
    // Readers that copy bytes still recover the text...
    assert_eq!(facts.payload, fixtures::KHMER);
    // ...but the symbol is not byte-only: the UTF-8 Khmer went into Kanji mode.
    assert!(!facts.is_byte_only());
    let forbidden = facts.forbidden_modes();
    assert!(forbidden.contains(&Mode::Kanji), "{forbidden:?}");
    assert!(
        facts
            .segments
            .iter()
            .any(|s| s.mode == Mode::Kanji && s.char_count.unwrap_or(0) > 0)
    );
}

#[test]
fn eci_policy_never_drops_the_designator() {
    let opts = RenderOptions {
        eci: EciPolicy::Never,
        ..RenderOptions::default()
    };
    let facts =
        inspect_gray(&render_gray(fixtures::JAPANESE, &opts).expect("renders")).expect("inspects");
    assert_eq!(facts.eci, None);
    assert_eq!(facts.payload, fixtures::JAPANESE);
}

#[test]
fn quiet_zone_zero_and_four() {
    for (qz, expected) in [(4, 4), (0, 0)] {
        let opts = RenderOptions {
            quiet_zone: qz,
            ..RenderOptions::default()
        };
        let facts = inspect_gray(&render_gray(fixtures::ASCII, &opts).expect("renders"))
            .unwrap_or_else(|e| panic!("quiet zone {qz}: {e}"));
        assert_eq!(
            facts.quiet_zone_modules, expected,
            "quiet zone {qz}: {:?}",
            facts.quiet_zone
        );
        assert_eq!(facts.payload, fixtures::ASCII);
    }
}

#[test]
fn inverted_image_decodes() {
    let img = invert(&render_gray(fixtures::EMOJI, &RenderOptions::default()).expect("renders"));
    let png = encode_png(&img).expect("encodes");
    let d = decode_png_one(&png, &limits()).expect("decodes inverted");
    assert_eq!(d.payload, fixtures::EMOJI);
    assert!(d.inverted);
    let facts = inspect_png(&png, &limits()).expect("inspects inverted");
    assert!(facts.reflectance_reversed);
    assert_eq!(facts.quiet_zone_modules, 4, "{:?}", facts.quiet_zone);
}

#[test]
fn pinned_parameters_are_what_inspection_reads() {
    let opts = RenderOptions {
        ec: EcLevel::H,
        version: SymbolVersion::new(20),
        mask: MaskPattern::new(2),
        scale: 5,
        quiet_zone: 6,
        ..RenderOptions::default()
    };
    let facts = inspect_png(
        &render_png(fixtures::EMVCO_CN, &opts).expect("renders"),
        &limits(),
    )
    .expect("inspects");
    assert_eq!(
        (facts.version.get(), facts.ec_level, facts.mask.get()),
        (20, EcLevel::H, 2)
    );
    assert_eq!(facts.quiet_zone_modules, 6);
    assert!(
        (facts.module_size_px - 5.0).abs() < 0.15,
        "{}",
        facts.module_size_px
    );
}

#[test]
fn render_is_byte_identical_and_pinned() {
    let a = render_png(fixtures::KHMER, &RenderOptions::default()).expect("renders");
    let b = render_png(fixtures::KHMER, &RenderOptions::default()).expect("renders");
    assert_eq!(a, b);
    // Golden digest: a change here means every golden image qrcert hands out changes (new
    // qrcode/image/png versions or encoder settings) and must be a deliberate decision.
    let digest = hex::encode(Sha256::digest(&a));
    assert_eq!(digest, GOLDEN_KHMER_SHA256);
}

const GOLDEN_KHMER_SHA256: &str =
    "5ebf7e1a5fd71d877b19b3660ce4cc695d437e277e09655363b11ed1f463894d";
