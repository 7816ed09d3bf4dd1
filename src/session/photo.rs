//! Photos of the phone's screen: PNG or JPEG, at most 10 MB, and, as for scan images, the
//! declared size is checked before anything is decoded, so a decompression bomb is refused from
//! its header. The photo is kept as evidence, never decoded.

use crate::image::{DecodeError, DecodeLimits};

/// The largest photo accepted.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

/// A photo the session refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Over [`MAX_PHOTO_BYTES`].
    #[error("the photo is {0} bytes; at most {MAX_PHOTO_BYTES} are accepted")]
    TooLarge(usize),
    /// Neither PNG nor JPEG.
    #[error("the photo is neither PNG nor JPEG")]
    NotAnImage,
    /// A PNG that does not hold together.
    #[error("the PNG photo is unusable: {0}")]
    Png(String),
    /// A JPEG without a readable frame header.
    #[error("the JPEG photo is unusable: {0}")]
    Jpeg(String),
    /// Declares more pixels than a photo can have.
    #[error("the photo declares {width}x{height} pixels, over the limit of {limit}")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// The limit.
        limit: u64,
    },
}

/// A checked photo: its file extension and declared size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Photo {
    /// `png` or `jpg`.
    pub ext: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Checks a photo's type, size and declared dimensions.
pub fn check(bytes: &[u8]) -> Result<Photo, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge(bytes.len()));
    }
    let limit = DecodeLimits::default().max_pixels;
    let (ext, width, height) = if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        let h = crate::image::png::read_header(bytes)
            .map_err(|e: DecodeError| PhotoError::Png(e.to_string()))?;
        ("png", h.width, h.height)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        let (w, h) = jpeg_size(bytes).map_err(PhotoError::Jpeg)?;
        ("jpg", w, h)
    } else {
        return Err(PhotoError::NotAnImage);
    };
    if u64::from(width) * u64::from(height) > limit {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            limit,
        });
    }
    Ok(Photo { ext, width, height })
}

/// The frame size a JPEG declares: the markers are walked to the first start-of-frame.
fn jpeg_size(bytes: &[u8]) -> Result<(u32, u32), String> {
    let mut at = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Err(format!("no marker at byte {at}"));
        };
        at += 2;
        match marker {
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => continue,
            0xD9 | 0xDA => return Err("no frame header before the image data".into()),
            _ => {}
        }
        let len = match (bytes.get(at), bytes.get(at + 1)) {
            (Some(&a), Some(&b)) => usize::from(u16::from_be_bytes([a, b])),
            _ => return Err(format!("truncated at byte {at}")),
        };
        if len < 2 {
            return Err(format!("segment length {len} at byte {at}"));
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = bytes
                .get(at + 2..at + len)
                .ok_or_else(|| format!("frame header truncated at byte {at}"))?;
            if seg.len() < 5 {
                return Err("frame header too short".into());
            }
            let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
            let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
            if width == 0 || height == 0 {
                return Err(format!("declared size {width}x{height} is empty"));
            }
            return Ok((width, height));
        }
        at += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        b.extend([0xFF, 0xC0, 0x00, 0x0B, 8]);
        b.extend(height.to_be_bytes());
        b.extend(width.to_be_bytes());
        b.extend([1, 1, 0x11, 0]);
        b.extend([0xFF, 0xD9]);
        b
    }

    #[test]
    fn photos_are_checked_from_their_headers() {
        let png = crate::image::render_png("hello", &Default::default()).unwrap();
        assert_eq!(check(&png).unwrap().ext, "png");
        let j = check(&jpeg(4032, 3024)).unwrap();
        assert_eq!((j.ext, j.width, j.height), ("jpg", 4032, 3024));
        // A bomb: 65535 x 65535 declared in a few bytes.
        assert!(matches!(
            check(&jpeg(65535, 65535)),
            Err(PhotoError::TooManyPixels { .. })
        ));
        assert!(matches!(check(&jpeg(0, 10)), Err(PhotoError::Jpeg(_))));
        assert!(matches!(check(b"GIF89a"), Err(PhotoError::NotAnImage)));
        assert!(matches!(
            check(&[0xFF, 0xD8, 0xFF]),
            Err(PhotoError::Jpeg(_))
        ));
        let big = vec![0u8; MAX_PHOTO_BYTES + 1];
        assert!(matches!(check(&big), Err(PhotoError::TooLarge(_))));
    }
}
