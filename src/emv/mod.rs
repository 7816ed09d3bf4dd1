//! The EMV Merchant-Presented Mode payload: TLV codec with byte and character spans,
//! CRC-16/CCITT-FALSE, and a typed view of the payload.

pub mod charset;
pub mod crc;
pub mod payload;
pub mod tlv;
pub mod units;

pub use payload::Payload;
pub use tlv::{Object, ParseOptions, TemplateSet, Tlv, TlvError, TlvErrorKind};
pub use units::LengthUnit;
