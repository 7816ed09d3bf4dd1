//! Property tests: no input makes the decoder, the inspector or the renderer panic.

use proptest::prelude::*;
use qrcert::image::{DecodeLimits, RenderOptions, decode_png, inspect_png, render_png};

use crate::fixtures;

fn small_limits() -> DecodeLimits {
    // Keep each case cheap: a mutated header may declare a large but allowed image.
    DecodeLimits {
        max_file_bytes: 1 << 20,
        max_pixels: 1_000_000,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = decode_png(&bytes, &small_limits());
        let _ = inspect_png(&bytes, &small_limits());
    }

    #[test]
    fn png_signature_then_garbage_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
        bytes.extend(tail);
        prop_assert!(decode_png(&bytes, &small_limits()).is_err());
        prop_assert!(inspect_png(&bytes, &small_limits()).is_err());
    }

    #[test]
    fn random_text_renders_or_says_why(text in "\\PC{0,400}") {
        match render_png(&text, &RenderOptions { scale: 2, ..RenderOptions::default() }) {
            Ok(png) => prop_assert!(png.starts_with(b"\x89PNG")),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Byte flips anywhere in a real render reach the zlib, filter and QR layers.
    #[test]
    fn mutated_render_never_panics(flips in proptest::collection::vec((any::<prop::sample::Index>(), 1..=255u8), 1..8)) {
        let mut png = render_png(fixtures::ASCII, &RenderOptions { scale: 3, ..RenderOptions::default() })
            .expect("renders");
        for (at, x) in flips {
            let i = at.index(png.len());
            png[i] ^= x;
        }
        let _ = decode_png(&png, &small_limits());
        let _ = inspect_png(&png, &small_limits());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any corrected data stream, any version: the segment walk ends, with or without an error.
    #[test]
    fn segment_walk_never_panics(data in proptest::collection::vec(any::<u8>(), 0..400), v in 1u8..=40) {
        let version = qrcert::image::SymbolVersion::new(v).expect("in range");
        let walk = qrcert::image::segments::walk(&data, version);
        prop_assert!(walk.segments.len() <= data.len() * 2 + 1);
    }

    /// Random module grids of every valid size: reading fails cleanly or returns a reading.
    #[test]
    fn random_grid_never_panics(v in 1usize..=40, seed in any::<u64>()) {
        let size = 17 + 4 * v;
        let grid = rqrr::SimpleGrid::from_func(size, |x, y| {
            let h = (x as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (y as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f) ^ seed;
            h.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 63 == 1
        });
        let _ = qrcert::image::grid::read_grid(&grid);
    }

    /// Random blocks: correction either reports success with a block whose syndromes vanish
    /// or refuses; it never panics.
    #[test]
    fn reed_solomon_never_panics(block in proptest::collection::vec(any::<u8>(), 0..300), nsym in 0usize..70) {
        let mut b = block.clone();
        if let Some(n) = qrcert::image::ecc::rs_correct(&mut b, nsym) {
            prop_assert!(n <= nsym / 2);
            let mut again = b.clone();
            prop_assert_eq!(qrcert::image::ecc::rs_correct(&mut again, nsym), Some(0));
        }
    }
}
