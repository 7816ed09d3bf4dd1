//! Certification reports: the canonical JSON model, and the formats made from it.

pub mod certificate;
pub mod diff;
pub mod files;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
pub mod grid;
pub mod html;
pub mod junit;
pub mod ladder;
pub mod markdown;
pub mod merge;
pub mod model;
pub mod png;
mod recompute;
pub mod schema;
pub mod sign;
pub mod text;
pub mod waiver;

pub use model::{
    CaseReport, CellVerdict, Certification, Counts, DirectionCell, DirectionCertificate, Grade,
    LadderRow, Report, RoleCertificate, StderrNote, Summary, Verdict,
};
