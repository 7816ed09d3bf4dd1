//! What a report derives from its cases (totals, certificate cells and roles, the verdict, the
//! per-rung scan counts), kept apart from the data types so that the model depends on no
//! judgement and the judgements depend on the model only.

use super::certificate::certify;
use super::ladder::ladder_rows;
use super::model::{Counts, Report, Summary};

impl Report {
    /// Recomputes everything derived from the cases: the summary, the verdict per profile x
    /// capability, the per-rung scan counts and the overall verdict. Call after changing any
    /// case's grade (waivers).
    pub fn recompute(&mut self) {
        self.cases.sort_by(|a, b| a.id.cmp(&b.id));
        let mut total = Counts::default();
        for c in &self.cases {
            total.add(c.grade);
        }
        self.summary = Summary {
            total: total.total(),
            grades: total,
        };
        let certificate = certify(&self.cases);
        self.certification = certificate.cells;
        self.roles = certificate.roles;
        self.directions = certificate.directions;
        self.verdict = certificate.verdict;
        self.verdict_reason = certificate.reason;
        self.scan_ladder = ladder_rows(&self.cases);
    }
}
