//! Image preprocessing for the scan retries ([`super::attempts`]), one step per file:
//!
//! - [`threshold`]: global (Otsu) and local (window mean) binarisation, for glare and uneven
//!   light;
//! - [`denoise`]: box and median filters, for sensor noise;
//! - [`contrast`]: unsharp mask and histogram stretch, for defocus;
//! - [`upscale`]: bounded integer upscaling, for symbols under 2 pixels per module;
//! - [`resize`]: the bilinear resampling both upscales use (`image`'s, pixel for pixel, faster);
//! - [`integral`]: the summed-area table the window means share.
//!
//! Every step is a pure function from one grayscale image to another, linear in the pixel
//! count (the upscale's output is capped), and total: empty and one-pixel images pass through.
//! The unit tests show each step turning a committed ladder image that rqrr alone cannot read
//! (nor after a plain Otsu binarisation) into one it reads to the exact payload.

pub mod contrast;
pub mod denoise;
pub mod integral;
pub mod resize;
pub mod threshold;
pub mod upscale;

#[cfg(test)]
pub(crate) mod tests {
    use image::GrayImage;

    /// A committed ladder image (`vectors/images/<name>.png`) and the payload it carries, read
    /// from the clean rendering of the same payload (the name up to the rung).
    pub(crate) fn ladder_image(name: &str) -> (GrayImage, String) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/images/");
        let load = |n: &str| {
            image::open(format!("{dir}{n}.png"))
                .unwrap_or_else(|e| panic!("{n}: {e}"))
                .to_luma8()
        };
        let base = name
            .split_once(
                [
                    "-scale-",
                    "-perspective-",
                    "-blur-",
                    "-noise-",
                    "-glare-",
                    "-rotate-",
                    "-contrast-",
                    "-trim-",
                    "-blocky-",
                    "-invert-",
                ]
                .iter()
                .find(|k| name.contains(*k))
                .copied()
                .unwrap_or_else(|| panic!("{name} names no rung")),
            )
            .map(|(b, _)| b)
            .unwrap_or(name);
        let clean = load(base);
        let payload = plain_decode(&clean)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("clean {base} does not read"));
        (load(name), payload)
    }

    /// What rqrr alone, with no retry of qrcert's, reads from an image.
    pub(crate) fn plain_decode(img: &GrayImage) -> Vec<String> {
        let mut prepared = rqrr::PreparedImage::prepare(img.clone());
        prepared
            .detect_grids()
            .iter()
            .filter_map(|g| {
                let mut bytes = Vec::new();
                g.decode_to(&mut bytes).ok()?;
                String::from_utf8(bytes).ok()
            })
            .collect()
    }

    /// Whether rqrr alone reads exactly `payload` from the image.
    pub(crate) fn plain_reads(img: &GrayImage, payload: &str) -> bool {
        plain_decode(img).iter().any(|p| p == payload)
    }
}
