//! Scanning: find and read every QR symbol in an image with rqrr, retrying on other views of the
//! image (binarised, upscaled, then all of it inverted for light-on-dark stickers) when the
//! straight image yields nothing; see [`super::attempts`].
//!
//! rqrr copies the bytes of Byte segments through untouched and skips ECI designators, so UTF-8
//! payloads (ECI 26 + Byte, as EMVCo asks) come out exact; they are checked to be UTF-8 rather
//! than reinterpreted as Latin-1 or Shift JIS.

use std::collections::HashMap;
use std::sync::Mutex;

use image::GrayImage;
use rqrr::BitGrid;

pub use super::attempts::invert;
use super::attempts::{VIEWS, View, view};
use super::decoded::symbol_meta;
pub use super::decoded::{Corner, Decoded};
use super::error::{DecodeError, SymbolFault};
use super::png::{DecodeLimits, load_gray};
use super::quiet::Placement;

/// What one pass over an image found.
struct Pass {
    decoded: Vec<Decoded>,
    grids: usize,
    fault: Option<SymbolFault>,
}

fn scan(view: View) -> Pass {
    let View {
        preprocess,
        inverted,
        to_input,
        image,
    } = view;
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    let mut pass = Pass {
        decoded: Vec::new(),
        grids: grids.len(),
        fault: None,
    };
    for grid in &grids {
        let mut bytes = Vec::new();
        match grid.decode_to(&mut bytes) {
            Ok(meta) => {
                let Some(symbol) = symbol_meta(meta) else {
                    pass.fault.get_or_insert(SymbolFault::Version);
                    continue;
                };
                let (payload, payload_utf8) = match String::from_utf8(bytes.clone()) {
                    Ok(s) => (s, true),
                    Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
                };
                pass.decoded.push(Decoded {
                    payload,
                    payload_utf8,
                    bytes,
                    version: symbol.0,
                    ec_level: symbol.1,
                    mask: symbol.2,
                    inverted,
                    preprocess,
                    corners: Placement::from_rqrr(&grid.bounds, grid.grid.size(), to_input)
                        .symbol_corners()
                        .map(Corner::from),
                });
            }
            Err(e) => {
                pass.fault.get_or_insert(SymbolFault::from(e));
            }
        }
    }
    pass
}

/// Read every symbol in a grayscale image, from the first view of it that yields any (see
/// [`super::attempts`]).
pub fn decode_gray(img: &GrayImage) -> Result<Vec<Decoded>, DecodeError> {
    let (mut grids, mut fault) = (0, None);
    for index in 0..VIEWS {
        let Some(v) = view(img, index) else { continue };
        let pass = scan(v);
        if !pass.decoded.is_empty() {
            return Ok(pass.decoded);
        }
        grids = grids.max(pass.grids);
        fault = fault.or(pass.fault);
    }
    match fault {
        Some(fault) if grids > 0 => Err(DecodeError::DecodeFailed {
            symbols: grids,
            fault,
        }),
        _ => Err(DecodeError::NotDetected),
    }
}

/// Read every symbol in PNG bytes, within `limits`.
pub fn decode_png(bytes: &[u8], limits: &DecodeLimits) -> Result<Vec<Decoded>, DecodeError> {
    decode_gray(&load_gray(bytes, limits)?)
}

/// Read PNG bytes expected to hold one symbol: the first one found (rqrr reports symbols in the
/// order their finder patterns are met, top to bottom).
pub fn decode_png_one(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, DecodeError> {
    decode_gray_one(&load_gray(bytes, limits)?)
}

/// Read a grayscale image expected to hold one symbol: the fast sampled attempt first
/// ([`super::sampled`]) on the image and on a few of its views, and only when that reads
/// nothing, every view of [`decode_gray`]. An image of one uniform colour holds nothing any
/// view could find, so it is not tried further.
pub fn decode_gray_one(img: &GrayImage) -> Result<Decoded, DecodeError> {
    if let Some(d) = super::sampled::read(img) {
        return Ok(d);
    }
    let mut pixels = img.pixels().map(|p| p.0[0]);
    if let Some(first) = pixels.next()
        && pixels.all(|p| p == first)
    {
        return Err(DecodeError::NotDetected);
    }
    // The same sampling on the views the retries would build: a few milliseconds each where an
    // rqrr pass costs tens, and what it reads is checked by the same Reed-Solomon decoding.
    for index in SAMPLED_VIEWS {
        let Some(v) = view(img, index) else { continue };
        if let Some(mut d) = super::sampled::read(&v.image) {
            d.preprocess = v.preprocess;
            d.inverted = v.inverted;
            return Ok(d);
        }
    }
    decode_gray(img)?
        .into_iter()
        .next()
        .ok_or(DecodeError::NotDetected)
}

/// The views of [`super::attempts`] that the fast sampling also tries, before any rqrr pass:
/// the inverted image, the local threshold, the denoised and the sharpened image (not the
/// upscaled ones: sampling needs no extra pixels per module, and they cost a resize).
const SAMPLED_VIEWS: [usize; 4] = [3, 6, 7, 8];

/// Results of [`decode_png_one_cached`], by the SHA-256 of the PNG and the limits.
type Memo = HashMap<([u8; 32], DecodeLimits), Result<Decoded, DecodeError>>;

static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

/// Images remembered at most; past that the memo starts again (a long-running server sees an
/// unbounded stream of images).
const MEMO_ENTRIES: usize = 1024;

/// [`decode_png_one`], remembering the result for the same PNG bytes: the reference scanner
/// decodes an image once per process however often it is sent (the frames that sequences
/// repeat, the selftest's certifications of the same suite). Decoding is a pure function of
/// the bytes and the limits, so the answer is the same; only the time differs.
pub fn decode_png_one_cached(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, DecodeError> {
    use sha2::{Digest, Sha256};
    let key: [u8; 32] = Sha256::digest(bytes).into();
    let key = (key, *limits);
    let memo = || MEMO.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(hit) = memo().as_ref().and_then(|m| m.get(&key)) {
        return hit.clone();
    }
    // Decoded outside the lock: concurrent scans of different images run in parallel.
    let result = decode_png_one(bytes, limits);
    let mut guard = memo();
    let map = guard.get_or_insert_with(HashMap::new);
    if map.len() >= MEMO_ENTRIES {
        map.clear();
    }
    map.insert(key, result.clone());
    result
}

/// Forgets every remembered decoding, so that the next scans decode afresh (benchmarks time
/// cold runs).
pub fn forget_decoded() {
    *MEMO.lock().unwrap_or_else(|p| p.into_inner()) = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::attempts::Preprocess;
    use crate::image::render::{RenderOptions, render_gray};
    use crate::image::symbol::{EcLevel, MaskPattern};

    #[test]
    fn reads_a_render_with_its_metadata() {
        let opts = RenderOptions {
            ec: EcLevel::Q,
            mask: MaskPattern::new(3),
            ..RenderOptions::default()
        };
        let img = render_gray("HELLO QRCERT", &opts).unwrap();
        let found = decode_gray(&img).unwrap();
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!((d.payload.as_str(), d.payload_utf8), ("HELLO QRCERT", true));
        // 12 bytes exceed version 1-Q's 11.
        assert_eq!(
            (d.ec_level, d.mask.get(), d.version.get(), d.inverted),
            (EcLevel::Q, 3, 2, false)
        );
        // The symbol (25 modules) starts after the 4-module quiet zone, at 8 px per module.
        assert_eq!(d.corners[0], Corner { x: 32, y: 32 });
        assert_eq!(
            d.corners[2],
            Corner {
                x: 32 + 25 * 8,
                y: 32 + 25 * 8
            }
        );
    }

    #[test]
    fn inverted_symbol_is_read_and_flagged() {
        let img = invert(&render_gray("INVERTED", &RenderOptions::default()).unwrap());
        let found = decode_gray(&img).unwrap();
        assert_eq!(found[0].payload, "INVERTED");
        assert!(found[0].inverted);
        assert_eq!(found[0].preprocess, Preprocess::Straight);
    }

    #[test]
    fn blank_image_has_nothing() {
        let img = crate::image::attempts::blank_like(&GrayImage::new(200, 200));
        assert_eq!(decode_gray(&img), Err(DecodeError::NotDetected));
    }

    #[test]
    fn non_utf8_bytes_are_flagged_not_hidden() {
        use qrcode::bits::Bits;
        let mut bits = Bits::new(qrcode::Version::Normal(1));
        bits.push_eci_designator(3).unwrap();
        bits.push_byte_data(b"caf\xe9").unwrap();
        bits.push_terminator(qrcode::EcLevel::M).unwrap();
        let code = qrcode::QrCode::with_bits(bits, qrcode::EcLevel::M).unwrap();
        let w = code.width();
        let colors = code.to_colors();
        let img = GrayImage::from_fn(((w + 8) * 6) as u32, ((w + 8) * 6) as u32, |x, y| {
            let (c, r) = ((x / 6) as usize, (y / 6) as usize);
            let dark = c >= 4
                && r >= 4
                && c < w + 4
                && r < w + 4
                && colors[(r - 4) * w + c - 4] == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        });
        let d = &decode_gray(&img).unwrap()[0];
        assert!(!d.payload_utf8);
        assert_eq!(d.bytes, b"caf\xe9");
        assert_eq!(d.payload, "caf\u{fffd}");
    }
}
