//! Why an image could not be read. Images are untrusted input: every failure is one of these,
//! never a panic.

use std::path::PathBuf;

use serde::Serialize;

/// Which bound an oversized input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Size of the file or byte buffer.
    FileBytes,
    /// Width times height declared in the PNG header.
    Pixels,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Limit::FileBytes => "file size (bytes)",
            Limit::Pixels => "pixel count",
        })
    }
}

/// What went wrong inside a QR symbol that was found but could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolFault {
    /// Neither copy of the format information (level and mask) could be corrected.
    FormatInfo,
    /// The grid size does not match any QR version.
    Version,
    /// More codeword errors than the Reed-Solomon blocks can correct.
    ErrorCorrection,
    /// The corrected bit stream is malformed (unknown mode, segment running past the end).
    DataStream,
    /// The decoded bytes are not UTF-8.
    Encoding,
}

impl std::fmt::Display for SymbolFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SymbolFault::FormatInfo => "format information unreadable",
            SymbolFault::Version => "grid size matches no QR version",
            SymbolFault::ErrorCorrection => "too many errors for Reed-Solomon correction",
            SymbolFault::DataStream => "malformed data bit stream",
            SymbolFault::Encoding => "decoded bytes are not UTF-8",
        })
    }
}

impl From<rqrr::DeQRError> for SymbolFault {
    fn from(e: rqrr::DeQRError) -> Self {
        use rqrr::DeQRError as E;
        match e {
            E::FormatEcc => SymbolFault::FormatInfo,
            E::InvalidVersion | E::InvalidGridSize => SymbolFault::Version,
            E::DataEcc => SymbolFault::ErrorCorrection,
            E::EncodingError => SymbolFault::Encoding,
            E::IoError | E::DataUnderflow | E::DataOverflow | E::UnknownDataType => {
                SymbolFault::DataStream
            }
        }
    }
}

/// Why no payload came out of an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Zero bytes of input.
    #[error("image is empty (0 bytes)")]
    Empty,
    /// The input does not start with the PNG signature.
    #[error("not a PNG image (the first 8 bytes are not the PNG signature)")]
    NotPng,
    /// The PNG ends before its image data does.
    #[error("PNG is truncated: {detail}")]
    Truncated {
        /// Where the data ran out.
        detail: String,
    },
    /// The input breaks a size bound; refused before its pixels were decoded.
    #[error("image too large: {limit} is {actual}, the limit is {max}")]
    TooLarge {
        /// The bound broken.
        limit: Limit,
        /// The value found (declared or measured).
        actual: u64,
        /// The bound.
        max: u64,
    },
    /// The PNG decoder needed more memory than allowed (huge metadata chunks, for example).
    #[error("PNG decoder would exceed its memory limit of {max_bytes} bytes: {detail}")]
    OverMemoryLimit {
        /// The allocation bound given to the decoder.
        max_bytes: u64,
        /// The decoder's description.
        detail: String,
    },
    /// The PNG is malformed in another way (bad header, checksum, compressed stream).
    #[error("malformed PNG: {detail}")]
    Corrupt {
        /// The decoder's description.
        detail: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {detail}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's description.
        detail: String,
    },
    /// No QR symbol was found, neither in the image nor in its inverse.
    #[error("no QR symbol found in the image (also tried it inverted)")]
    NotDetected,
    /// Symbols were found but none could be read.
    #[error("{symbols} QR symbol(s) found but none could be read: {fault}")]
    DecodeFailed {
        /// How many candidate symbols were found.
        symbols: usize,
        /// The fault of the first one.
        fault: SymbolFault,
    },
}
