//! Bounded PNG input and deterministic PNG output.
//!
//! Input is untrusted: a decompression bomb declares huge dimensions in a few hundred bytes, so
//! the header is read and checked against [`DecodeLimits`] before a single pixel is inflated,
//! and the image crate's own [`image::Limits`] backs that up during decoding.

use std::io::{Cursor, Read};
use std::path::Path;

use image::codecs::png::{CompressionType, FilterType, PngDecoder, PngEncoder};
use image::{DynamicImage, GrayImage, ImageEncoder, ImageError, Luma};

use super::error::{DecodeError, Limit};

/// The 8-byte signature every PNG starts with.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Bytes needed to reach the end of the IHDR chunk: signature, chunk length and type, the 13
/// header bytes, the CRC.
const HEADER_LEN: usize = 8 + 8 + 13 + 4;

/// Bounds on untrusted images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecodeLimits {
    /// Largest accepted file, in bytes.
    pub max_file_bytes: u64,
    /// Largest accepted width x height.
    pub max_pixels: u64,
}

impl Default for DecodeLimits {
    /// 32 MiB and 40 megapixels: far above any QR sticker photo or render, far below what would
    /// strain the 2-core, 24 GiB machines the harness runs on.
    fn default() -> Self {
        DecodeLimits {
            max_file_bytes: 32 * 1024 * 1024,
            max_pixels: 40_000_000,
        }
    }
}

/// What the IHDR chunk declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PngHeader {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Read and check the signature and IHDR chunk without decoding anything else.
pub fn read_header(bytes: &[u8]) -> Result<PngHeader, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let sig_len = bytes.len().min(PNG_SIGNATURE.len());
    if bytes[..sig_len] != PNG_SIGNATURE[..sig_len] {
        return Err(DecodeError::NotPng);
    }
    if bytes.len() < HEADER_LEN {
        return Err(DecodeError::Truncated {
            detail: format!(
                "{} bytes, the PNG header alone needs {HEADER_LEN}",
                bytes.len()
            ),
        });
    }
    if &bytes[12..16] != b"IHDR" {
        return Err(DecodeError::Corrupt {
            detail: "first chunk is not IHDR".into(),
        });
    }
    let be32 =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let header = PngHeader {
        width: be32(16),
        height: be32(20),
    };
    if header.width == 0 || header.height == 0 {
        return Err(DecodeError::Corrupt {
            detail: format!("declared size {}x{} is empty", header.width, header.height),
        });
    }
    Ok(header)
}

/// Walk the chunk headers (no decompression) to the IEND chunk, so that a file cut anywhere,
/// even after the last image data, is reported as truncated with the place it stops.
fn check_chunks(bytes: &[u8]) -> Result<(), DecodeError> {
    let mut at = PNG_SIGNATURE.len();
    loop {
        if bytes.len() < at + 8 {
            return Err(DecodeError::Truncated {
                detail: format!(
                    "file ends at byte {} inside a chunk header, before IEND",
                    bytes.len()
                ),
            });
        }
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let kind = &bytes[at + 4..at + 8];
        if len > 0x7fff_ffff {
            return Err(DecodeError::Corrupt {
                detail: format!("chunk length {len} at byte {at} exceeds 2^31-1"),
            });
        }
        let end = at + 12 + len as usize;
        if bytes.len() < end {
            return Err(DecodeError::Truncated {
                detail: format!(
                    "{} chunk at byte {at} needs {} bytes, the file ends at {}",
                    String::from_utf8_lossy(kind),
                    end - at,
                    bytes.len()
                ),
            });
        }
        // png 0.18.1 panics on a palette whose length is not whole RGB entries (fixed upstream
        // in image-rs/image-png#682, not yet released); the PNG spec forbids such a palette.
        if kind == b"PLTE" && (len == 0 || !len.is_multiple_of(3) || len > 3 * 256) {
            return Err(DecodeError::Corrupt {
                detail: format!(
                    "PLTE chunk at byte {at} is {len} bytes; a palette is 1 to 256 entries of 3 bytes"
                ),
            });
        }
        if kind == b"IEND" {
            return Ok(());
        }
        at = end;
    }
}

fn check_limits(bytes: &[u8], limits: &DecodeLimits) -> Result<PngHeader, DecodeError> {
    let len = bytes.len() as u64;
    if len > limits.max_file_bytes {
        return Err(DecodeError::TooLarge {
            limit: Limit::FileBytes,
            actual: len,
            max: limits.max_file_bytes,
        });
    }
    let header = read_header(bytes)?;
    let pixels = u64::from(header.width) * u64::from(header.height);
    if pixels > limits.max_pixels {
        return Err(DecodeError::TooLarge {
            limit: Limit::Pixels,
            actual: pixels,
            max: limits.max_pixels,
        });
    }
    check_chunks(bytes)?;
    Ok(header)
}

fn map_image_error(e: ImageError, max_alloc: u64) -> DecodeError {
    match e {
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            DecodeError::Truncated {
                detail: io.to_string(),
            }
        }
        ImageError::Limits(l) => DecodeError::OverMemoryLimit {
            max_bytes: max_alloc,
            detail: l.to_string(),
        },
        other => {
            let detail = other.to_string();
            // The png crate reports a stream that stops early as a format error rather than
            // an I/O one when the cut falls inside a chunk it has already started.
            if detail.contains("EOF") || detail.contains("end of") || detail.contains("truncated") {
                DecodeError::Truncated { detail }
            } else {
                DecodeError::Corrupt { detail }
            }
        }
    }
}

/// Decode PNG bytes into 8-bit grayscale, within `limits`. Transparent pixels are composited on
/// white, as a sticker with a transparent background is printed on white paper; decoding
/// RGBA straight to luma would turn a transparent background black.
pub fn load_gray(bytes: &[u8], limits: &DecodeLimits) -> Result<GrayImage, DecodeError> {
    let header = check_limits(bytes, limits)?;
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(header.width);
    image_limits.max_image_height = Some(header.height);
    // Room for the widest pixel format (RGBA, 16 bits per channel) plus decoder buffers.
    let pixels = u64::from(header.width) * u64::from(header.height);
    let max_alloc = pixels.saturating_mul(8).saturating_add(16 * 1024 * 1024);
    image_limits.max_alloc = Some(max_alloc);
    // The PNG decoder is third-party code fed untrusted bytes: a bug of its that panics (as
    // png 0.18.1 did on short palettes, found by fuzzing) refuses this image instead of
    // taking the run down.
    let decoded = std::panic::catch_unwind(|| {
        let decoder = PngDecoder::with_limits(Cursor::new(bytes), image_limits)?;
        DynamicImage::from_decoder(decoder)
    })
    .map_err(|_| DecodeError::Corrupt {
        detail: "the PNG decoder failed on this file (an internal error, caught)".into(),
    })?;
    let image = decoded.map_err(|e| map_image_error(e, max_alloc))?;
    Ok(to_gray_on_white(&image))
}

fn to_gray_on_white(image: &DynamicImage) -> GrayImage {
    if !image.color().has_alpha() {
        return image.to_luma8();
    }
    let la = image.to_luma_alpha8();
    GrayImage::from_fn(la.width(), la.height(), |x, y| {
        let [l, a] = la.get_pixel(x, y).0;
        let (l, a) = (u32::from(l), u32::from(a));
        // Rounded (l*a + 255*(255-a)) / 255; at most 255, so the cast cannot truncate.
        Luma([((l * a + 255 * (255 - a) + 127) / 255) as u8])
    })
}

/// Read a file, refusing it before reading it whole when it is over `limits.max_file_bytes`
/// (a 500 MB "image" costs a `stat`, not 500 MB of memory).
pub fn read_file_bounded(path: &Path, limits: &DecodeLimits) -> Result<Vec<u8>, DecodeError> {
    let io = |e: std::io::Error| DecodeError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let declared = file.metadata().map_err(io)?.len();
    let too_large = |actual| DecodeError::TooLarge {
        limit: Limit::FileBytes,
        actual,
        max: limits.max_file_bytes,
    };
    if declared > limits.max_file_bytes {
        return Err(too_large(declared));
    }
    // The file may grow between the stat and the read (or be a pipe): cap the read itself too.
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
    file.take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Encode an 8-bit grayscale image as PNG with fixed settings (zlib level 6, the Up filter, no
/// metadata chunks), so the same pixels always give the same bytes.
pub fn encode_png(image: &GrayImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Level(6), FilterType::Up).write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::L8,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_png() -> Vec<u8> {
        let img = GrayImage::from_fn(40, 30, |x, y| Luma([((x * 7 + y * 3) % 256) as u8]));
        encode_png(&img).unwrap()
    }

    /// A PNG signature and IHDR declaring `w` x `h`, with a correct CRC and nothing else.
    fn bomb_header(w: u32, h: u32) -> Vec<u8> {
        let mut chunk = b"IHDR".to_vec();
        chunk.extend(w.to_be_bytes());
        chunk.extend(h.to_be_bytes());
        chunk.extend([8, 0, 0, 0, 0]);
        let crc = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(&chunk);
        let mut out = PNG_SIGNATURE.to_vec();
        out.extend(13u32.to_be_bytes());
        out.extend(chunk);
        out.extend(crc.to_be_bytes());
        out
    }

    #[test]
    fn round_trip_is_lossless() {
        let bytes = small_png();
        let img = load_gray(&bytes, &DecodeLimits::default()).unwrap();
        assert_eq!((img.width(), img.height()), (40, 30));
        assert_eq!(img.get_pixel(5, 4).0[0], 47);
    }

    #[test]
    fn encoding_is_deterministic() {
        assert_eq!(small_png(), small_png());
    }

    #[test]
    fn header_errors() {
        let limits = DecodeLimits::default();
        assert_eq!(load_gray(&[], &limits), Err(DecodeError::Empty));
        assert_eq!(load_gray(b"GIF89a....", &limits), Err(DecodeError::NotPng));
        assert!(matches!(
            load_gray(&PNG_SIGNATURE[..5], &limits),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(
            load_gray(&bomb_header(0, 10), &limits),
            Err(DecodeError::Corrupt { .. })
        ));
    }

    #[test]
    fn bomb_is_refused_from_the_header() {
        let err = load_gray(&bomb_header(100_000, 100_000), &DecodeLimits::default()).unwrap_err();
        assert_eq!(
            err,
            DecodeError::TooLarge {
                limit: Limit::Pixels,
                actual: 10_000_000_000,
                max: 40_000_000
            }
        );
    }

    #[test]
    fn file_size_limit_applies_to_buffers() {
        let bytes = small_png();
        let limits = DecodeLimits {
            max_file_bytes: 10,
            ..DecodeLimits::default()
        };
        assert!(matches!(
            load_gray(&bytes, &limits),
            Err(DecodeError::TooLarge {
                limit: Limit::FileBytes,
                ..
            })
        ));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = small_png();
        for cut in 0..bytes.len() {
            let result = load_gray(&bytes[..cut], &DecodeLimits::default());
            assert!(
                matches!(
                    result,
                    Err(DecodeError::Truncated { .. } | DecodeError::Empty)
                ),
                "cut at {cut} of {}: {result:?}",
                bytes.len()
            );
        }
    }

    #[test]
    fn transparent_background_becomes_white() {
        let rgba = image::RgbaImage::from_fn(4, 4, |x, _| {
            if x < 2 {
                image::Rgba([0, 0, 0, 0])
            } else {
                image::Rgba([0, 0, 0, 255])
            }
        });
        let gray = to_gray_on_white(&DynamicImage::ImageRgba8(rgba));
        assert_eq!(gray.get_pixel(0, 0).0[0], 255);
        assert_eq!(gray.get_pixel(3, 0).0[0], 0);
    }

    /// Found by the `image_load` fuzz target: a 49-byte palette made png 0.18.1 panic.
    #[test]
    fn a_palette_of_partial_entries_is_refused_not_a_panic() {
        let bytes = include_bytes!("../../fuzz/regressions/image_load/plte-49-bytes.png");
        let err = load_gray(bytes, &DecodeLimits::default()).unwrap_err();
        assert!(err.to_string().contains("PLTE"), "{err}");
        assert!(crate::image::decode_png(bytes, &DecodeLimits::default()).is_err());
    }
}
