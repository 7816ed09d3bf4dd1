//! `qrcert selftest`: the proof that the harness sees defects.
//!
//! A harness that passes everything is worthless. The selftest certifies the pristine reference
//! implementation (which must be certified), then each deliberately broken variant of it
//! ([`Defect`]), which must not be. A variant counts as caught only when its run is not
//! certified *and* a blocking case (FAIL or ERROR) carries the defect's own evidence (a rule
//! that names it, the parse field it garbles, the tag of the images it cannot read, a timeout on
//! its profile): failing for unrelated reasons does not count.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::adapter::config::AdapterConfig;
use crate::adapter::library::Implementation;
use crate::reference::{Defect, Evidence, Reference};
use crate::report::{CaseReport, Report, Verdict};
use crate::runner::select::{Filters, Selector};
use crate::runner::{RunError, RunOptions, run};
use crate::vectors::Suite;
use crate::{Capability, Clock};

/// The clock the selftest judges expiry against unless told otherwise: the one the suite's
/// time-dependent vectors are written around.
pub const DEFAULT_CLOCK_MS: i64 = 1_780_000_900_000; // 2026-05-28T20:41:40Z

/// How a selftest runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The vectors directory.
    pub vectors_dir: PathBuf,
    /// The features directory.
    pub features_dir: PathBuf,
    /// Which vectors run (every active one by default).
    pub filters: Filters,
    /// Leave out every vector that names one of these rules: how a test shows that removing
    /// the vectors for a rule leaves the defect it catches uncaught.
    pub without_rules: Vec<String>,
    /// The run clock.
    pub clock: Clock,
    /// Concurrent requests.
    pub jobs: usize,
    /// The per-request timeout for the variant that hangs: short, so that variant stays fast.
    pub hang_timeout: Duration,
    /// The defects to try (every one by default).
    pub defects: Vec<Defect>,
}

impl Options {
    /// Every defect against the whole suite in `vectors_dir` and `features_dir`.
    pub fn new(vectors_dir: impl Into<PathBuf>, features_dir: impl Into<PathBuf>) -> Options {
        Options {
            vectors_dir: vectors_dir.into(),
            features_dir: features_dir.into(),
            filters: Filters::default(),
            without_rules: Vec::new(),
            clock: Clock::from_millis(DEFAULT_CLOCK_MS),
            jobs: 8,
            hang_timeout: Duration::from_millis(250),
            defects: Defect::ALL.to_vec(),
        }
    }
}

/// What the pristine reference implementation's run showed.
#[derive(Debug, Clone)]
pub struct Pristine {
    /// Its verdict (must be certified).
    pub verdict: Verdict,
    /// Cases run.
    pub cases: u64,
    /// The blocking cases, when there are any (a broken suite or reference).
    pub blocking: Vec<String>,
}

impl Pristine {
    /// The line `qrcert selftest` prints for it.
    pub fn line(&self) -> String {
        match self.verdict {
            Verdict::Certified => format!(
                "pristine  qrcert-reference certified on {} cases",
                self.cases
            ),
            Verdict::NotCertified => format!(
                "pristine  qrcert-reference NOT certified: {} blocking cases ({})",
                self.blocking.len(),
                first(&self.blocking, 5)
            ),
        }
    }
}

/// What one broken variant's run showed.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The defect.
    pub defect: Defect,
    /// The run's verdict.
    pub verdict: Verdict,
    /// Every blocking case (FAIL or ERROR).
    pub blocking: usize,
    /// The blocking cases carrying the defect's evidence, sorted.
    pub evidence: Vec<String>,
    /// What those cases showed: the naming rules they list, or the field, tag or fault.
    pub via: BTreeSet<String>,
}

impl Variant {
    /// Caught: not certified, and failed by at least one case that names the defect.
    pub fn caught(&self) -> bool {
        self.verdict == Verdict::NotCertified && !self.evidence.is_empty()
    }

    /// The line `qrcert selftest` prints for it.
    pub fn line(&self) -> String {
        let name = self.defect.name();
        if self.caught() {
            format!(
                "caught  {name:<28} by {} vector{} ({}) via {}; {} blocking in all",
                self.evidence.len(),
                if self.evidence.len() == 1 { "" } else { "s" },
                first(&self.evidence, 3),
                self.via.iter().cloned().collect::<Vec<_>>().join(", "),
                self.blocking
            )
        } else if self.verdict == Verdict::Certified {
            format!("MISSED  {name:<28} certified: no case failed")
        } else {
            format!(
                "MISSED  {name:<28} {} blocking cases, none showing {}",
                self.blocking,
                describe_evidence(self.defect.evidence())
            )
        }
    }
}

/// The whole selftest.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The pristine run.
    pub pristine: Pristine,
    /// Every variant, in order.
    pub variants: Vec<Variant>,
}

impl Outcome {
    /// How many variants were caught.
    pub fn caught(&self) -> usize {
        self.variants.iter().filter(|v| v.caught()).count()
    }

    /// Whether the harness proved itself: pristine certified, every variant caught.
    pub fn passed(&self) -> bool {
        self.pristine.verdict == Verdict::Certified && self.caught() == self.variants.len()
    }

    /// The closing line: `N/N broken implementations caught`.
    pub fn summary_line(&self) -> String {
        format!(
            "{}/{} broken implementations caught",
            self.caught(),
            self.variants.len()
        )
    }
}

fn first(ids: &[String], n: usize) -> String {
    let mut s = ids.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > n {
        s.push_str(", ...");
    }
    s
}

/// The evidence in words, for a MISSED line.
pub fn describe_evidence(e: Evidence) -> String {
    match e {
        Evidence::Rules(r) => r.join(" or "),
        Evidence::ParseField(f) => format!("a parse case garbling {f}"),
        Evidence::Tag(t) => format!("a failed vector tagged {t}"),
        Evidence::Timeout(p) => format!("a timeout on a {p} case"),
    }
}

/// Whether a blocking case carries the evidence; `Some(what)` says what it showed.
fn shows(case: &CaseReport, evidence: Evidence, suite: &Suite) -> Option<Vec<String>> {
    match evidence {
        Evidence::Rules(rules) => {
            let hit: Vec<String> = case
                .rules
                .iter()
                .filter(|r| rules.contains(&r.as_str()))
                .cloned()
                .collect();
            (!hit.is_empty()).then_some(hit)
        }
        Evidence::ParseField(field) => {
            let differs = case.capability == Capability::Parse
                && case.expected["fields"].get(field) != case.observed["fields"].get(field);
            differs.then(|| vec![format!("parse field {field}")])
        }
        Evidence::Tag(tag) => suite
            .cases
            .iter()
            .find(|c| c.id == case.id)
            .filter(|c| c.tags.iter().any(|t| t == tag))
            .map(|_| vec![format!("tag {tag}")]),
        Evidence::Timeout(profile) => (case.profile == profile
            && case.observed["fault"] == "timeout")
            .then(|| vec![format!("timeout on {profile}")]),
    }
}

/// Judges a broken variant's report.
pub fn judge(defect: Defect, report: &Report, suite: &Suite) -> Variant {
    let mut evidence = Vec::new();
    let mut via = BTreeSet::new();
    let mut blocking = 0;
    for c in report.cases.iter().filter(|c| c.grade.blocks()) {
        blocking += 1;
        if let Some(what) = shows(c, defect.evidence(), suite) {
            evidence.push(c.id.clone());
            via.extend(what);
        }
    }
    evidence.sort();
    Variant {
        defect,
        verdict: report.verdict,
        blocking,
        evidence,
        via,
    }
}

/// The filters with `without_rules` applied: every selected active vector except those naming
/// one of the rules.
fn effective_filters(options: &Options, suite: &Suite) -> Result<Filters, RunError> {
    if options.without_rules.is_empty() {
        return Ok(options.filters.clone());
    }
    let selector = Selector::new(options.filters.clone())?;
    let keep: Vec<String> = suite
        .cases
        .iter()
        .filter(|c| selector.covers(c))
        .filter(|c| {
            !c.rule_refs()
                .iter()
                .any(|r| options.without_rules.iter().any(|w| w == r))
        })
        .map(|c| glob_literal(&c.id))
        .collect();
    if keep.is_empty() {
        return Err(RunError::Vacuous(
            "leaving out the vectors of those rules leaves none".into(),
        ));
    }
    Ok(Filters {
        vectors: keep,
        ..options.filters.clone()
    })
}

/// An ID as a glob matching only itself (IDs are letters, digits and '-', but be safe).
fn glob_literal(id: &str) -> String {
    id.chars()
        .map(|c| match c {
            '*' | '?' | '[' | ']' | '{' | '}' | '\\' => format!("[{c}]"),
            c => c.to_string(),
        })
        .collect()
}

/// Runs the suite against one implementation.
async fn certify(
    options: &Options,
    filters: &Filters,
    imp: Arc<dyn Implementation>,
    timeout: Option<Duration>,
    jobs: usize,
) -> Result<Report, RunError> {
    let adapter = AdapterConfig::from_arg("builtin")?;
    let run_options = RunOptions {
        adapter,
        vectors_dir: options.vectors_dir.clone(),
        features_dir: options.features_dir.clone(),
        filters: filters.clone(),
        clock: options.clock,
        timeout,
        jobs,
        list_only: false,
        max_consecutive_faults: crate::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS,
        builtin: Some(imp),
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let outcome = run(run_options, tx).await;
    // The drain ends when the run drops its sender; it cannot fail otherwise.
    let _ = drain.await;
    outcome?
        .report
        .ok_or_else(|| RunError::Harness(vec!["the run produced no report".into()]))
}

/// Certifies the pristine reference, then every variant, calling `progress` with each line as
/// it is known.
pub async fn selftest(
    options: &Options,
    mut progress: impl FnMut(&str),
) -> Result<Outcome, RunError> {
    let suite = Suite::load(&options.vectors_dir).map_err(RunError::Vectors)?;
    let filters = effective_filters(options, &suite)?;
    let report = certify(
        options,
        &filters,
        Arc::new(Reference::new()),
        None,
        options.jobs,
    )
    .await?;
    let pristine = Pristine {
        verdict: report.verdict,
        cases: report.summary.total,
        blocking: report
            .cases
            .iter()
            .filter(|c| c.grade.blocks())
            .map(|c| c.id.clone())
            .collect(),
    };
    progress(&pristine.line());
    let mut variants = Vec::new();
    for &defect in &options.defects {
        let hangs = matches!(defect.evidence(), Evidence::Timeout(_));
        // The hanging variant waits out one timeout per affected request: run it short and wide.
        let (timeout, jobs) = if hangs {
            (Some(options.hang_timeout), options.jobs.max(32))
        } else {
            (None, options.jobs)
        };
        let imp = Arc::new(Reference::with_defect(defect));
        let report = certify(options, &filters, imp, timeout, jobs).await?;
        let v = judge(defect, &report, &suite);
        progress(&v.line());
        variants.push(v);
    }
    Ok(Outcome { pristine, variants })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_literal_globs() {
        assert_eq!(glob_literal("EMV-CRC-001"), "EMV-CRC-001");
        assert_eq!(glob_literal("A*B"), "A[*]B");
    }

    #[test]
    fn lines_say_caught_or_missed() {
        let v = Variant {
            defect: Defect::CrcLowercase,
            verdict: Verdict::NotCertified,
            blocking: 7,
            evidence: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            via: ["EMV.63.UPPERCASE".to_owned()].into_iter().collect(),
        };
        assert!(v.caught());
        let line = v.line();
        assert!(line.starts_with("caught  crc-lowercase"), "{line}");
        assert!(line.contains("by 4 vectors (A, B, C, ...) via EMV.63.UPPERCASE; 7 blocking"));
        let unrelated = Variant {
            evidence: Vec::new(),
            via: BTreeSet::new(),
            ..v.clone()
        };
        assert!(!unrelated.caught());
        assert!(unrelated.line().starts_with("MISSED  crc-lowercase"));
        assert!(unrelated.line().contains("none showing EMV.63.UPPERCASE"));
        let certified = Variant {
            verdict: Verdict::Certified,
            ..v
        };
        assert!(!certified.caught());
        let o = Outcome {
            pristine: Pristine {
                verdict: Verdict::Certified,
                cases: 10,
                blocking: Vec::new(),
            },
            variants: vec![certified, unrelated],
        };
        assert_eq!(o.summary_line(), "0/2 broken implementations caught");
        assert!(!o.passed());
    }
}
