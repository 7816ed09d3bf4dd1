//! Certification reports: the canonical JSON model, and the formats made from it.

pub mod ladder;
pub mod model;

pub use ladder::LadderRow;
pub use model::{CaseReport, CellVerdict, Certification, Counts, Grade, Report, Summary, Verdict};
