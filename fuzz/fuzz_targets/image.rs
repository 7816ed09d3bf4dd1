//! Any bytes down the image path a run takes with an implementation's PNG: header check,
//! bounded grayscale load, QR decode and symbol inspection. Never a panic, and nothing larger
//! than the limits is ever decoded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrcert::image::png::read_header;
use qrcert::image::{DecodeLimits, decode_png, inspect_png, load_gray};

/// Smaller than the defaults so one input cannot take the fuzzer's memory or seconds; the
/// code paths are the same.
const LIMITS: DecodeLimits = DecodeLimits {
    max_file_bytes: 1 << 20,
    max_pixels: 1 << 20,
};

fuzz_target!(|data: &[u8]| {
    let header = read_header(data);
    match load_gray(data, &LIMITS) {
        Ok(img) => {
            let h = header.expect("a PNG that loads has a readable header");
            assert_eq!((img.width(), img.height()), (h.width, h.height));
            assert!(u64::from(h.width) * u64::from(h.height) <= LIMITS.max_pixels);
            let _ = decode_png(data, &LIMITS);
            let _ = inspect_png(data, &LIMITS);
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert!(decode_png(data, &LIMITS).is_err());
            assert!(inspect_png(data, &LIMITS).is_err());
        }
    }
});
