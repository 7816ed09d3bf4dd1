//! Untrusted images: every bad input gets its own clear error, quickly, without a panic.

use std::io::Write;

use qrcert::image::{
    DecodeError, DecodeLimits, Limit, decode_png, inspect_png, read_file_bounded, render_png,
};
use qrcert::image::{RenderOptions, encode_png};

use crate::fixtures;

fn limits() -> DecodeLimits {
    DecodeLimits::default()
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    let crc = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(&body);
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend(body);
    out.extend(crc.to_be_bytes());
    out
}

/// A complete, well-formed PNG file declaring `w` x `h` 8-bit grayscale whose IDAT holds a
/// tiny zlib stream: a decompression bomb if anyone believed the header.
fn bomb(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    // zlib: a stored empty final block would be invalid for this size, which is the point:
    // the decoder must never get far enough to notice.
    let idat = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &idat));
    png.extend(chunk(b"IEND", &[]));
    png
}

#[test]
fn decompression_bomb_is_refused_from_its_header() {
    let png = bomb(200_000, 200_000);
    assert!(png.len() < 100);
    let expected = DecodeError::TooLarge {
        limit: Limit::Pixels,
        actual: 40_000_000_000,
        max: 40_000_000,
    };
    assert_eq!(decode_png(&png, &limits()), Err(expected.clone()));
    assert_eq!(inspect_png(&png, &limits()).err(), Some(expected));
    // Just over the default bound is refused too; the bound is not a rough one.
    let png = bomb(40_001, 1000);
    assert!(matches!(
        decode_png(&png, &limits()),
        Err(DecodeError::TooLarge {
            limit: Limit::Pixels,
            ..
        })
    ));
}

#[test]
fn within_bounds_but_lying_data_is_corrupt_not_a_panic() {
    let png = bomb(3000, 3000);
    let err = decode_png(&png, &limits()).expect_err("no pixel data");
    assert!(
        matches!(
            err,
            DecodeError::Corrupt { .. } | DecodeError::Truncated { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn truncated_png_is_truncated() {
    let png = render_png(fixtures::ASCII, &RenderOptions::default()).expect("renders");
    for cut in [9, 20, 40, png.len() / 2, png.len() - 13, png.len() - 1] {
        let err = decode_png(&png[..cut], &limits()).expect_err("truncated");
        assert!(
            matches!(err, DecodeError::Truncated { .. }),
            "cut at {cut}: {err:?}"
        );
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}

#[test]
fn random_bytes_are_not_png() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(decode_png(&bytes, &limits()), Err(DecodeError::NotPng));
    assert_eq!(
        inspect_png(b"%PDF-1.7", &limits()).err(),
        Some(DecodeError::NotPng)
    );
}

#[test]
fn empty_input_is_empty() {
    assert_eq!(decode_png(&[], &limits()), Err(DecodeError::Empty));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("empty.png");
    std::fs::File::create(&path).expect("create");
    let bytes = read_file_bounded(&path, &limits()).expect("reads");
    assert_eq!(decode_png(&bytes, &limits()), Err(DecodeError::Empty));
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.png");
    let mut f = std::fs::File::create(&path).expect("create");
    f.write_all(&bomb(100, 100)).expect("write");
    // 500 MB, sparse: costs no disk, and must cost no memory either.
    f.set_len(500 * 1024 * 1024).expect("set_len");
    drop(f);
    let err = read_file_bounded(&path, &limits()).expect_err("too large");
    assert_eq!(
        err,
        DecodeError::TooLarge {
            limit: Limit::FileBytes,
            actual: 500 * 1024 * 1024,
            max: 32 * 1024 * 1024
        }
    );
}

#[test]
fn missing_file_names_the_path() {
    let err = read_file_bounded(std::path::Path::new("/nonexistent/qr.png"), &limits())
        .expect_err("missing");
    assert!(
        matches!(&err, DecodeError::Io { path, .. } if path.ends_with("qr.png")),
        "{err:?}"
    );
    assert!(err.to_string().contains("/nonexistent/qr.png"));
}

#[test]
fn tighter_limits_apply() {
    let png = render_png(fixtures::ASCII, &RenderOptions::default()).expect("renders");
    let small = DecodeLimits {
        max_pixels: 10_000,
        ..limits()
    };
    assert!(matches!(
        decode_png(&png, &small),
        Err(DecodeError::TooLarge {
            limit: Limit::Pixels,
            ..
        })
    ));
    let tiny = DecodeLimits {
        max_file_bytes: 100,
        ..limits()
    };
    assert!(matches!(
        decode_png(&png, &tiny),
        Err(DecodeError::TooLarge {
            limit: Limit::FileBytes,
            ..
        })
    ));
}

#[test]
fn valid_png_without_a_symbol_is_not_detected() {
    let img =
        qrcert::image::GrayImage::from_fn(300, 200, |x, y| image::Luma([((x + y) % 256) as u8]));
    let png = encode_png(&img).expect("encodes");
    assert_eq!(decode_png(&png, &limits()), Err(DecodeError::NotDetected));
    assert_eq!(
        inspect_png(&png, &limits()).err(),
        Some(DecodeError::NotDetected)
    );
}

#[test]
fn damaged_image_data_is_an_error_not_a_panic() {
    let mut png = render_png(fixtures::ASCII, &RenderOptions::default()).expect("renders");
    // Overwrite the middle of the IDAT payload.
    let mid = png.len() / 2;
    for b in &mut png[mid..mid + 16] {
        *b ^= 0xa5;
    }
    let result = decode_png(&png, &limits());
    assert!(
        matches!(
            result,
            Err(DecodeError::Corrupt { .. }
                | DecodeError::NotDetected
                | DecodeError::DecodeFailed { .. })
        ),
        "{result:?}"
    );
}
