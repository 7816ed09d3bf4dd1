//! Any bytes through the cheap half of the image path: the header check and the bounded
//! grayscale load (signature, chunk walk, limits, zlib, filters, colour conversion), without the
//! QR decoder, so the fuzzer reaches far more inputs per second than `image` does. Never a
//! panic, never more pixels than the limits allow, the loaded size always the declared one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qrcert::image::png::read_header;
use qrcert::image::{DecodeLimits, load_gray};

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
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
