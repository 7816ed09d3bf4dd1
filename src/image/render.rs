//! Golden rendering: a payload string becomes a QR symbol made only of explicit byte segments
//! (EMVCo MPM §4.12.1.1), with ECI 26 when the text is not plain ASCII (§4.12.1.2), and then a
//! grayscale image drawn pixel by pixel from the module matrix.
//!
//! Every choice that could differ between runs or machines is pinned: the segments, the version
//! (the smallest that fits unless given), the mask (qrcode's penalty-based choice unless given,
//! which is itself deterministic), the scale and quiet zone, and the PNG encoder settings.

use image::{GrayImage, Luma};
use qrcode::bits::Bits;
use qrcode::canvas::Canvas;
use qrcode::types::{Color, QrError};
use serde::{Deserialize, Serialize};

use super::png::encode_png;
use super::symbol::{EcLevel, MaskPattern, SymbolVersion};

/// The ECI designator for UTF-8 (AIM ECI), the only one EMVCo names.
pub const ECI_UTF8: u32 = 26;

/// Largest image side, in pixels, that rendering will produce. A version 40 symbol at 64 pixels
/// per module with a 4-module quiet zone is 11,840 pixels wide; past this a caller has almost
/// certainly passed a wrong scale, and the image would take gigabytes.
pub const MAX_RENDER_SIDE: u32 = 16_384;

/// When to put an ECI designator 26 (UTF-8) in front of the byte segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EciPolicy {
    /// Only when the payload holds a character outside U+0020..=U+007E, as EMVCo asks.
    #[default]
    WhenNeeded,
    /// Always, even for plain ASCII (conforming, a few bits longer).
    Always,
    /// Never: what a non-conforming encoder does with non-ASCII text.
    Never,
}

/// How the payload is split into segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segmentation {
    /// One byte segment holding the UTF-8 bytes: the only conforming choice.
    #[default]
    ByteOnly,
    /// qrcode's automatic optimiser, which picks Numeric, Alphanumeric and Kanji runs to save
    /// bits. It is how real encoders end up putting UTF-8 Khmer into Kanji mode; kept for tests
    /// and for deliberately broken implementations.
    Automatic,
}

/// Everything that decides what a rendered symbol looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderOptions {
    /// Error-correction level.
    pub ec: EcLevel,
    /// Symbol version; `None` picks the smallest that holds the payload at `ec`.
    pub version: Option<SymbolVersion>,
    /// Mask pattern; `None` picks the one with the lowest ISO penalty score.
    pub mask: Option<MaskPattern>,
    /// Pixels per module (at least 1).
    pub scale: u32,
    /// Light margin around the symbol, in modules (ISO/IEC 18004 asks for 4).
    pub quiet_zone: u32,
    /// When to signal UTF-8 with ECI 26.
    pub eci: EciPolicy,
    /// How to split the payload into segments.
    pub segmentation: Segmentation,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            ec: EcLevel::M,
            version: None,
            mask: None,
            scale: 8,
            quiet_zone: 4,
            eci: EciPolicy::WhenNeeded,
            segmentation: Segmentation::ByteOnly,
        }
    }
}

/// Why a payload could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The payload does not fit the requested version, or any version, at this level.
    #[error("payload of {bytes} bytes does not fit {} at error-correction level {ec}", match .version { Some(v) => format!("QR version {v}"), None => "any QR version".to_string() })]
    TooLong {
        /// UTF-8 length of the payload.
        bytes: usize,
        /// The requested level.
        ec: EcLevel,
        /// The requested version, if one was pinned.
        version: Option<SymbolVersion>,
    },
    /// A scale of zero pixels per module.
    #[error("scale must be at least 1 pixel per module")]
    ZeroScale,
    /// The image would exceed [`MAX_RENDER_SIDE`].
    #[error("rendered image would be {side} pixels wide, over the limit of {limit}")]
    ImageTooLarge {
        /// Requested side in pixels (saturated).
        side: u64,
        /// The limit.
        limit: u32,
    },
    /// The qrcode encoder refused the bit stream for another reason.
    #[error("QR encoder error: {0}")]
    Encoder(String),
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// A finished QR symbol: the module matrix and the parameters it was built with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// The version used.
    pub version: SymbolVersion,
    /// The error-correction level used.
    pub ec: EcLevel,
    /// The mask pattern applied.
    pub mask: MaskPattern,
    /// Whether an ECI designator was written.
    pub eci: Option<u32>,
    modules: Vec<bool>,
}

impl Matrix {
    /// Modules per side.
    pub fn size(&self) -> usize {
        self.version.size()
    }

    /// Whether the module at `row`, `col` is dark; `false` outside the symbol.
    pub fn is_dark(&self, row: usize, col: usize) -> bool {
        let n = self.size();
        row < n && col < n && self.modules[row * n + col]
    }
}

/// Whether EMVCo requires ECI 26 for this text: any character outside the printable ASCII range
/// U+0020..=U+007E (the "ans" set of the specification).
pub fn needs_eci(payload: &str) -> bool {
    payload.chars().any(|c| !(' '..='~').contains(&c))
}

/// Encode `payload` into a module matrix.
pub fn encode_matrix(payload: &str, opts: &RenderOptions) -> Result<Matrix, RenderError> {
    let eci = match opts.eci {
        EciPolicy::Always => Some(ECI_UTF8),
        EciPolicy::WhenNeeded if needs_eci(payload) => Some(ECI_UTF8),
        EciPolicy::WhenNeeded | EciPolicy::Never => None,
    };
    let too_long = |version| RenderError::TooLong {
        bytes: payload.len(),
        ec: opts.ec,
        version,
    };

    let (version, bits) = match opts.version {
        Some(v) => (
            v,
            build_bits(payload.as_bytes(), v, eci, opts)
                .map_err(|e| map_qr_error(e, too_long(Some(v))))?,
        ),
        None => {
            let mut found = None;
            for v in (1..=40).filter_map(SymbolVersion::new) {
                match build_bits(payload.as_bytes(), v, eci, opts) {
                    Ok(bits) => {
                        found = Some((v, bits));
                        break;
                    }
                    Err(QrError::DataTooLong) => continue,
                    Err(e) => return Err(RenderError::Encoder(e.to_string())),
                }
            }
            found.ok_or_else(|| too_long(None))?
        }
    };
    let qr_version = bits.version();
    let ec = opts.ec.to_qrcode();
    let data = bits.into_bytes();
    let (data_cw, ec_cw) = qrcode::ec::construct_codewords(&data, qr_version, ec)
        .map_err(|e| RenderError::Encoder(e.to_string()))?;
    let mut canvas = Canvas::new(qr_version, ec);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data_cw, &ec_cw);

    let (mask, colors) = match opts.mask {
        Some(m) => {
            let mut c = canvas;
            c.apply_mask(m.to_qrcode());
            (m, c.into_colors())
        }
        None => {
            let best = canvas.apply_best_mask().into_colors();
            // qrcode does not say which pattern won; its format information does.
            let mask = mask_from_format(&best, version.size()).ok_or(RenderError::Encoder(
                "format information names no mask".into(),
            ))?;
            (mask, best)
        }
    };

    Ok(Matrix {
        version,
        ec: opts.ec,
        mask,
        eci,
        modules: colors.into_iter().map(|c| c == Color::Dark).collect(),
    })
}

/// The mask pattern written in the first copy of the format information of a freshly drawn
/// (error-free) symbol: bits 14..0 run down column 8 beside the top-left finder, then along
/// row 8 leftwards (ISO/IEC 18004 §7.9.1), XORed with 101010000010010.
fn mask_from_format(colors: &[Color], size: usize) -> Option<MaskPattern> {
    const COLS: [usize; 15] = [8, 8, 8, 8, 8, 8, 8, 8, 7, 5, 4, 3, 2, 1, 0];
    const ROWS: [usize; 15] = [0, 1, 2, 3, 4, 5, 7, 8, 8, 8, 8, 8, 8, 8, 8];
    let mut word = 0u16;
    for i in (0..15).rev() {
        let dark = *colors.get(ROWS[i] * size + COLS[i])? == Color::Dark;
        word = (word << 1) | u16::from(dark);
    }
    // The mask number is 3 bits, so it always fits u8.
    MaskPattern::new((((word ^ 0x5412) >> 10) & 7) as u8)
}

fn build_bits(
    data: &[u8],
    version: SymbolVersion,
    eci: Option<u32>,
    opts: &RenderOptions,
) -> Result<Bits, QrError> {
    let mut bits = Bits::new(qrcode::Version::Normal(i16::from(version.get())));
    if let Some(designator) = eci {
        bits.push_eci_designator(designator)?;
    }
    match opts.segmentation {
        Segmentation::ByteOnly => bits.push_byte_data(data)?,
        Segmentation::Automatic => bits.push_optimal_data(data)?,
    }
    bits.push_terminator(opts.ec.to_qrcode())?;
    Ok(bits)
}

fn map_qr_error(e: QrError, too_long: RenderError) -> RenderError {
    match e {
        QrError::DataTooLong => too_long,
        other => RenderError::Encoder(other.to_string()),
    }
}

/// Draw a matrix: black modules (0) on white (255), `scale` pixels per module, `quiet_zone`
/// light modules on every side.
pub fn draw_matrix(matrix: &Matrix, scale: u32, quiet_zone: u32) -> Result<GrayImage, RenderError> {
    if scale == 0 {
        return Err(RenderError::ZeroScale);
    }
    let modules = matrix.size() as u64 + 2 * u64::from(quiet_zone);
    let side = modules.saturating_mul(u64::from(scale));
    let side = u32::try_from(side)
        .ok()
        .filter(|&s| s <= MAX_RENDER_SIDE)
        .ok_or(RenderError::ImageTooLarge {
            side,
            limit: MAX_RENDER_SIDE,
        })?;
    let qz = quiet_zone as usize;
    let scale_us = scale as usize;
    Ok(GrayImage::from_fn(side, side, |x, y| {
        let col = (x as usize / scale_us).wrapping_sub(qz);
        let row = (y as usize / scale_us).wrapping_sub(qz);
        // wrapping_sub sends the quiet zone to huge indices, which is_dark treats as light.
        Luma([if matrix.is_dark(row, col) { 0 } else { 255 }])
    }))
}

/// Render `payload` to an in-memory grayscale image.
pub fn render_gray(payload: &str, opts: &RenderOptions) -> Result<GrayImage, RenderError> {
    if opts.scale == 0 {
        return Err(RenderError::ZeroScale);
    }
    let matrix = encode_matrix(payload, opts)?;
    draw_matrix(&matrix, opts.scale, opts.quiet_zone)
}

/// Render `payload` to PNG bytes (8-bit grayscale, fixed encoder settings), byte-identical for
/// the same payload and options on every machine.
pub fn render_png(payload: &str, opts: &RenderOptions) -> Result<Vec<u8>, RenderError> {
    let img = render_gray(payload, opts)?;
    encode_png(&img).map_err(|e| RenderError::Png(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eci_needed_only_outside_printable_ascii() {
        assert!(!needs_eci("HELLO world ~!"));
        assert!(needs_eci("tab\there"));
        assert!(needs_eci("ហាង"));
        assert!(needs_eci("\u{7f}"));
    }

    #[test]
    fn smallest_version_is_chosen() {
        // 17 bytes fit version 1-L byte mode exactly (capacity 17); 18 do not.
        let opts = RenderOptions {
            ec: EcLevel::L,
            ..RenderOptions::default()
        };
        let m = encode_matrix("ABCDEFGHIJKLMNOPQ", &opts).unwrap();
        assert_eq!(m.version.get(), 1);
        let m = encode_matrix("ABCDEFGHIJKLMNOPQR", &opts).unwrap();
        assert_eq!(m.version.get(), 2);
    }

    #[test]
    fn pinned_version_and_mask_are_used() {
        let opts = RenderOptions {
            version: SymbolVersion::new(12),
            mask: MaskPattern::new(5),
            ..RenderOptions::default()
        };
        let m = encode_matrix("HELLO", &opts).unwrap();
        assert_eq!((m.version.get(), m.mask.get(), m.size()), (12, 5, 65));
    }

    #[test]
    fn format_information_names_the_pinned_mask() {
        for m in 0..8 {
            let opts = RenderOptions {
                mask: MaskPattern::new(m),
                ..RenderOptions::default()
            };
            let matrix = encode_matrix("MASK", &opts).unwrap();
            let colors: Vec<Color> = (0..matrix.size() * matrix.size())
                .map(|i| {
                    if matrix.modules[i] {
                        Color::Dark
                    } else {
                        Color::Light
                    }
                })
                .collect();
            assert_eq!(
                mask_from_format(&colors, matrix.size()),
                MaskPattern::new(m)
            );
        }
    }

    #[test]
    fn too_long_for_pinned_version() {
        let opts = RenderOptions {
            version: SymbolVersion::new(1),
            ..RenderOptions::default()
        };
        let err = encode_matrix(&"A".repeat(40), &opts).unwrap_err();
        assert!(
            matches!(err, RenderError::TooLong { bytes: 40, .. }),
            "{err:?}"
        );
        let err = encode_matrix(&"A".repeat(3000), &RenderOptions::default()).unwrap_err();
        assert!(
            matches!(err, RenderError::TooLong { version: None, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn quiet_zone_and_scale_shape_the_image() {
        let opts = RenderOptions {
            scale: 3,
            quiet_zone: 2,
            ..RenderOptions::default()
        };
        let img = render_gray("HELLO", &opts).unwrap();
        assert_eq!(img.width(), (21 + 4) * 3);
        // Quiet zone is light, the top-left finder corner is dark.
        assert_eq!(img.get_pixel(5, 5).0[0], 255);
        assert_eq!(img.get_pixel(6, 6).0[0], 0);
        assert_eq!(
            render_gray("x", &RenderOptions { scale: 0, ..opts }),
            Err(RenderError::ZeroScale)
        );
    }

    #[test]
    fn oversized_image_is_refused() {
        let opts = RenderOptions {
            scale: 1000,
            ..RenderOptions::default()
        };
        assert!(matches!(
            render_gray("HELLO", &opts),
            Err(RenderError::ImageTooLarge { .. })
        ));
    }
}
