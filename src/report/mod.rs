//! Certification reports: the canonical JSON model, and the formats made from it.

pub mod merge;
pub mod model;

pub use model::{CaseReport, CellVerdict, Certification, Counts, Grade, Report, Summary, Verdict};
