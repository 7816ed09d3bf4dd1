//! QR images: golden rendering with explicit byte segments, decoding with rqrr, inspection of
//! how a symbol was built, and a seeded distortion ladder for scan certification.
//!
//! Layout, one job per file:
//! - [`symbol`]: level, version and mask types;
//! - [`render`]: payload -> module matrix -> grayscale image -> PNG;
//! - [`png`]: bounded PNG loading (untrusted input) and deterministic PNG encoding;
//! - [`decode`]: rqrr scanning, after [`sampled`], the fast first attempt for one symbol that
//!   is not foreshortened; [`attempts`]: the views of an image it tries (binarised,
//!   upscaled, inverted, then locally thresholded, denoised, sharpened, enlarged) when the
//!   straight image yields nothing; [`preprocess`]: the image operations those views use;
//! - [`ecc`], [`grid`], [`segments`]: qrcert's own read of the corrected bit stream, for the
//!   segment modes and ECI designator that rqrr does not report;
//! - [`quiet`]: quiet zone measurement; [`inspect`]: the facts certification needs;
//! - [`distort`]: the distortion ladder.

pub mod attempts;
pub mod decode;
mod decoded;
pub mod distort;
pub mod ecc;
pub mod error;
pub mod golden;
pub mod grid;
pub mod inspect;
pub mod png;
pub mod preprocess;
pub mod quiet;
pub mod render;
pub mod sampled;
pub mod segments;
pub mod symbol;

pub use attempts::Preprocess;
pub use decode::{
    Corner, Decoded, decode_gray, decode_gray_one, decode_png, decode_png_one,
    decode_png_one_cached, forget_decoded, invert,
};
pub use distort::policy::{is_required, required_level};
pub use distort::{
    Difficulty, DistortionKind, Params, Rung, apply, ladder, reads_up_to, rung_by_id,
};
pub use error::{DecodeError, Limit, SymbolFault};
pub use image::GrayImage;
pub use inspect::{SymbolFacts, inspect_gray, inspect_png};
pub use png::{DecodeLimits, encode_png, load_gray, read_file_bounded};
pub use quiet::Margins;
pub use render::{EciPolicy, RenderError, RenderOptions, Segmentation, render_gray, render_png};
pub use segments::{Mode, Segment, StreamError};
pub use symbol::{EcLevel, MaskPattern, SymbolVersion};
