//! Certification reports: the canonical JSON model, and the formats made from it.

pub mod model;

pub use model::{
    CaseReport, Certification, CellVerdict, Counts, Grade, Report, Summary, Verdict,
};
