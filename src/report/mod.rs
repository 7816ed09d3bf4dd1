//! Certification reports: the canonical JSON model, and the formats made from it.

pub mod certificate;
pub mod diff;
pub mod files;
pub mod fixtures;
pub mod grid;
pub mod html;
pub mod junit;
pub mod ladder;
pub mod markdown;
pub mod merge;
pub mod model;
pub mod png;
pub mod schema;
pub mod sign;
pub mod text;
pub mod waiver;

pub use certificate::RoleCertificate;
pub use ladder::LadderRow;
pub use model::{
    CaseReport, CellVerdict, Certification, Counts, Grade, Report, StderrNote, Summary, Verdict,
};
