//! The profile x capability verdict grid that heads every human-readable report.

use super::model::{CellVerdict, Certification, Report, Verdict};
use crate::{Capability, Profile};

/// Rows (profiles) and columns (capabilities) that have at least one case, in catalogue order.
#[derive(Debug)]
pub struct Grid<'a> {
    /// Profiles with cases.
    pub profiles: Vec<Profile>,
    /// Capabilities with cases.
    pub capabilities: Vec<Capability>,
    cells: &'a [Certification],
}

impl<'a> Grid<'a> {
    /// The grid of `report`.
    pub fn of(report: &'a Report) -> Grid<'a> {
        let cells = report.certification.as_slice();
        Grid {
            profiles: Profile::ALL
                .into_iter()
                .filter(|p| cells.iter().any(|c| c.profile == *p))
                .collect(),
            capabilities: Capability::ALL
                .into_iter()
                .filter(|k| cells.iter().any(|c| c.capability == *k))
                .collect(),
            cells,
        }
    }

    /// The cell, when that pair ran.
    pub fn cell(&self, profile: Profile, capability: Capability) -> Option<&'a Certification> {
        self.cells
            .iter()
            .find(|c| c.profile == profile && c.capability == capability)
    }
}

/// `certified`, `not certified` or `not claimed`.
pub fn cell_label(v: CellVerdict) -> &'static str {
    match v {
        CellVerdict::Certified => "certified",
        CellVerdict::NotCertified => "not certified",
        CellVerdict::NotClaimed => "not claimed",
    }
}

/// `CERTIFIED` or `NOT CERTIFIED`.
pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Certified => "CERTIFIED",
        Verdict::NotCertified => "NOT CERTIFIED",
    }
}
