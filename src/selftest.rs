//! `qrcert selftest`: the proof that the harness sees defects.
//!
//! A harness that passes everything is worthless. The selftest certifies the pristine reference
//! implementation (which must be certified), then each deliberately broken variant of it
//! ([`Defect`]), which must not be. A variant counts as caught only when its run is not
//! certified *and* a blocking case (FAIL or ERROR) carries the defect's own evidence (a rule
//! that names it, the parse field it garbles, the tag of the images it cannot read, a timeout on
//! its profile, the fault it causes, the reason nothing is certified): failing for unrelated
//! reasons does not count.
//!
//! Most variants run in process. Those only a real process can have (late replies, exiting
//! after describe, children that never end) run as `qrcert selftest --peer NAME` behind the CLI
//! transport ([`peer`]); for the last, no process it started may outlive the run.

pub mod peer;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::adapter::Secret;
use crate::adapter::cli::CliOptions;
use crate::adapter::config::{AdapterConfig, ErrorMap, Transport};
use crate::adapter::library::Implementation;
use crate::reference::{Defect, Evidence, Reach, Reference};
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
    /// The qrcert program that serves the process variants (`qrcert selftest --peer NAME`);
    /// required when one is selected.
    pub peer: Option<PathBuf>,
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
            peer: None,
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
    /// Processes of the variant still alive after its run (they must not be).
    pub orphans: Vec<u32>,
}

impl Variant {
    /// Caught: not certified, failed by at least one case that names the defect (or, for a
    /// run that certifies nothing, by its verdict), and nothing of it left running.
    pub fn caught(&self) -> bool {
        self.verdict == Verdict::NotCertified
            && !self.evidence.is_empty()
            && self.orphans.is_empty()
    }

    /// The line `qrcert selftest` prints for it.
    pub fn line(&self) -> String {
        let name = self.defect.name();
        if !self.orphans.is_empty() {
            format!(
                "MISSED  {name:<28} {} process(es) outlived the run: {:?}",
                self.orphans.len(),
                self.orphans
            )
        } else if self.caught() {
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
        Evidence::PayerField(f) => format!("a parse case showing the payer a wrong {f}"),
        Evidence::Tag(t) => format!("a failed vector tagged {t}"),
        Evidence::Timeout(p) => format!("a timeout on a {p} case"),
        Evidence::Fault(kind) => format!("a case graded ERROR for a {kind} fault"),
        Evidence::Verdict(reason) => format!("the verdict {reason:?}"),
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
        Evidence::PayerField(field) => {
            let differs = case.capability == Capability::Parse
                && case.expected.get("payer").is_some()
                && case.expected["payer"].get(field) != case.observed["payer"].get(field);
            differs.then(|| vec![format!("payer field {field}")])
        }
        Evidence::Tag(tag) => suite
            .cases
            .iter()
            .find(|c| c.id == case.id)
            .filter(|c| c.tags.iter().any(|t| t == tag))
            .map(|_| vec![format!("tag {tag}")]),
        // The case's own profile, or the profile its request named (a cross-border case asks
        // the implementation under the wallet's or the code's profile).
        Evidence::Timeout(profile) => ((case.profile == profile
            || case.request["profile"] == profile.as_str())
            && case.observed["fault"] == "timeout")
            .then(|| vec![format!("timeout on {profile}")]),
        Evidence::Fault(kind) => {
            (case.observed["fault"] == kind).then(|| vec![format!("{kind} fault")])
        }
        // Judged on the report, not on a case.
        Evidence::Verdict(_) => None,
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
    if let Evidence::Verdict(reason) = defect.evidence()
        && report.verdict == Verdict::NotCertified
        && report.verdict_reason.starts_with(reason)
    {
        // Nothing blocks, yet nothing is certified: every case is evidence of it.
        evidence.extend(report.cases.iter().map(|c| c.id.clone()));
        via.insert(format!("verdict {reason:?}"));
    }
    evidence.sort();
    Variant {
        defect,
        verdict: report.verdict,
        blocking,
        evidence,
        via,
        orphans: Vec::new(),
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
    adapter: AdapterConfig,
    imp: Arc<dyn Implementation>,
    timeout: Option<Duration>,
    jobs: usize,
    max_consecutive_faults: u32,
) -> Result<Report, RunError> {
    let run_options = RunOptions {
        adapter,
        vectors_dir: options.vectors_dir.clone(),
        features_dir: options.features_dir.clone(),
        filters: filters.clone(),
        clock: options.clock,
        timeout,
        jobs,
        list_only: false,
        max_consecutive_faults,
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
        AdapterConfig::from_arg("builtin")?,
        Arc::new(Reference::new()),
        None,
        options.jobs,
        crate::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS,
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
        let imp = Arc::new(Reference::with_defect(defect));
        let v = match defect.reach() {
            Reach::Library => {
                let hangs = matches!(defect.evidence(), Evidence::Timeout(_));
                // The hanging variant waits out one timeout per affected request: run it
                // short and wide. Its point is that each hung case is graded on its own, so it
                // is never declared unresponsive: at this short timeout the slowest scans of
                // the ladder time out too, and would otherwise end the run before a JPQR case
                // is asked (the process variants show the unresponsive path).
                let (timeout, jobs, streak) = if hangs {
                    (Some(options.hang_timeout), options.jobs.max(32), 0)
                } else {
                    (
                        None,
                        options.jobs,
                        crate::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS,
                    )
                };
                let adapter = AdapterConfig::from_arg("builtin")?;
                let report =
                    certify(options, &filters, adapter, imp, timeout, jobs, streak).await?;
                judge(defect, &report, &suite)
            }
            Reach::Process => {
                let marker = format!("{}-{}", std::process::id(), defect.name());
                let adapter = peer_adapter(options, defect, &marker)?;
                let timeout = Some(options.hang_timeout);
                let report = certify(
                    options,
                    &filters,
                    adapter,
                    imp,
                    timeout,
                    options.jobs,
                    crate::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS,
                )
                .await?;
                let mut v = judge(defect, &report, &suite);
                v.orphans = survivors(&marker).await;
                v
            }
        };
        progress(&v.line());
        variants.push(v);
    }
    Ok(Outcome { pristine, variants })
}

/// The environment variable every process of a process variant inherits, so that survivors
/// can be found.
pub const MARKER_VAR: &str = "QRCERT_SELFTEST_PEER";

/// The CLI transport to `qrcert selftest --peer NAME`, marked with `marker`.
fn peer_adapter(
    options: &Options,
    defect: Defect,
    marker: &str,
) -> Result<AdapterConfig, RunError> {
    let Some(program) = &options.peer else {
        return Err(RunError::Harness(vec![format!(
            "the {} variant runs as a process: the selftest needs the qrcert program to serve it (Options::peer)",
            defect.name()
        )]));
    };
    // Late enough that no reply can be credited, short enough to keep the selftest quick.
    let delay = options.hang_timeout.saturating_mul(3);
    let mut cli = CliOptions::new(vec![
        program.display().to_string(),
        "selftest".into(),
        "--peer".into(),
        defect.name().into(),
        "--peer-delay-ms".into(),
        delay.as_millis().to_string(),
    ])
    .map_err(|e| RunError::Harness(vec![e.to_string()]))?;
    cli.env = vec![(MARKER_VAR.into(), Secret::new(marker))];
    cli.request_timeout = options.hang_timeout;
    Ok(AdapterConfig {
        name: Some(format!("selftest peer {}", defect.name())),
        transport: Transport::Cli(cli),
        error_map: ErrorMap::default(),
        source: None,
    })
}

/// Processes still carrying `marker` in their environment, a moment after the run (the kernel
/// needs a moment to reap what was killed). Empty where /proc cannot be read.
async fn survivors(marker: &str) -> Vec<u32> {
    let needle = format!("{MARKER_VAR}={marker}");
    let mut found = Vec::new();
    for _ in 0..20 {
        found = marked(&needle);
        if found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    found
}

fn marked(needle: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let env = std::fs::read(e.path().join("environ")).ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let zombie = stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
            (!zombie && env.split(|b| *b == 0).any(|v| v == needle.as_bytes())).then_some(pid)
        })
        .collect()
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
            orphans: Vec::new(),
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
