//! The run: load and check the vectors, reach the implementation, play the features, check that
//! every selected vector was run, and hand the results to the report builder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cucumber::{Cucumber, parser, runner};
use futures::FutureExt;
use tokio::sync::mpsc;

use crate::Clock;
use crate::adapter::config::{AdapterConfig, ConfigError, Transport};
use crate::adapter::library::Implementation;
use crate::reference::Reference;
use crate::report::Report;
use crate::vectors::{LoadErrors, Suite};

use super::build::{build_report, implementation_info, suite_info};
use super::context::{Event, RunContext};
use super::request::image_path_errors;
use super::resume::{Finished, HEADER_FORMAT, ResumeError, RunHeader, SelectionKey};
use super::select::{BadGlob, Filters, Selector};
use super::steps::{CertWorld, RunContextHandle, collection};
use super::writer::CheckWriter;

/// Everything a run needs.
#[derive(Clone)]
pub struct RunOptions {
    /// The implementation under test.
    pub adapter: AdapterConfig,
    /// The vectors directory (`vectors/`).
    pub vectors_dir: PathBuf,
    /// The features directory (`features/`).
    pub features_dir: PathBuf,
    /// The command line's filters.
    pub filters: Filters,
    /// The clock for time-dependent rules.
    pub clock: Clock,
    /// Per-request timeout, overriding the adapter configuration.
    pub timeout: Option<Duration>,
    /// Concurrent requests.
    pub jobs: usize,
    /// Only list what would run.
    pub list_only: bool,
    /// The in-process implementation behind `--adapter builtin`: the reference implementation
    /// unless a caller (a Rust vendor's test, `qrcert selftest`) links its own.
    pub builtin: Option<Arc<dyn Implementation>>,
    /// Timeouts or crashes in a row after which the implementation is declared unresponsive
    /// and every case not yet asked is ERROR (0: never).
    pub max_consecutive_faults: u32,
}

/// Why a run could not produce a verdict (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The vector set is broken, tampered with or of an unknown rules version.
    #[error("the vectors cannot be used:\n{0}")]
    Vectors(LoadErrors),
    /// The adapter configuration is wrong.
    #[error(transparent)]
    Adapter(#[from] ConfigError),
    /// A filter is wrong.
    #[error(transparent)]
    Filter(#[from] BadGlob),
    /// The features or the run itself are broken.
    #[error("the run is not usable:\n  {}", .0.join("\n  "))]
    Harness(Vec<String>),
    /// Nothing ran: a vacuous run is never a pass.
    #[error("vacuous run: {0}")]
    Vacuous(String),
    /// The run directory cannot be written or resumed.
    #[error(transparent)]
    Resume(#[from] ResumeError),
}

/// What a run keeps on disk so that a kill loses nothing, and what a resumed run continues
/// from. The default keeps nothing and resumes nothing.
#[derive(Debug, Clone, Default)]
pub struct Durability {
    /// The run directory: `run.json` is written there before the first case.
    pub dir: Option<PathBuf>,
    /// When resuming: the header of the run being continued and the cases it finished.
    pub resume: Option<(RunHeader, Finished)>,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// The report (with timing); `None` for a listing.
    pub report: Option<Report>,
    /// For `--list`: scenarios and the vector IDs they would run.
    pub listing: Vec<(String, String, Vec<String>)>,
}

/// Applies `--timeout` to whatever transport the configuration names.
fn with_timeout(mut config: AdapterConfig, timeout: Option<Duration>) -> AdapterConfig {
    if let Some(t) = timeout {
        match &mut config.transport {
            Transport::Builtin { request_timeout } => *request_timeout = Some(t),
            Transport::Cli(o) => o.request_timeout = t,
            Transport::Http(o) => o.request_timeout = t,
        }
    }
    config
}

/// Runs the certification. Events (scenario starts, graded cases) go to `events` as they
/// happen.
pub async fn run(
    options: RunOptions,
    events: mpsc::UnboundedSender<Event>,
) -> Result<RunOutcome, RunError> {
    run_durable(options, Durability::default(), events).await
}

/// [`run`], writing the run header into `durability.dir` before the first case and, when
/// resuming, refusing a different certification and reusing the finished cases instead of
/// asking the implementation again. Resumed cases produce no events: they are on disk already.
pub async fn run_durable(
    options: RunOptions,
    durability: Durability,
    events: mpsc::UnboundedSender<Event>,
) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    let suite = Suite::load(&options.vectors_dir).map_err(RunError::Vectors)?;
    let selector = Selector::new(options.filters.clone())?;
    let eligible: Vec<usize> = suite
        .cases
        .iter()
        .enumerate()
        .filter(|(_, c)| selector.covers(c))
        .map(|(i, _)| i)
        .collect();
    if eligible.is_empty() {
        return Err(RunError::Vacuous(
            "the filters match no active vector (check --profile, --capability, --tags, --vector, --role, --shard)".into(),
        ));
    }

    // Refuse image references that leave the suite before anything is started or sent.
    let bad_paths: Vec<String> = eligible
        .iter()
        .flat_map(|&i| image_path_errors(&suite.cases[i]))
        .map(|e| e.to_string())
        .collect();
    if !bad_paths.is_empty() {
        return Err(RunError::Harness(bad_paths));
    }

    let config = with_timeout(options.adapter.clone(), options.timeout);
    let builtin: Arc<dyn Implementation> = options
        .builtin
        .clone()
        .unwrap_or_else(|| Arc::new(Reference::new()));
    let adapter = config.open(Some(builtin))?;
    let description = if options.list_only {
        Err("not asked (--list)".to_owned())
    } else {
        describe(adapter.as_ref(), config.transport.describe_budget()).await
    };
    let mut ctx = RunContext::new(
        adapter,
        description,
        suite,
        selector,
        config.error_map.clone(),
        options.clock,
        options.vectors_dir.clone(),
        options.jobs,
        options.list_only,
        events,
    );
    ctx.max_consecutive_faults = options.max_consecutive_faults;
    if !options.list_only
        && let Err(e) = start_durably(&mut ctx, &config, &eligible, durability)
    {
        ctx.adapter.close().await;
        return Err(e.into());
    }
    let ctx = Arc::new(ctx);
    let _ = ctx.events.send(Event::Started {
        cases: eligible.len(),
    });

    let gherkin = play_features(&options.features_dir, Arc::clone(&ctx)).await;
    let mut problems = gherkin.problems;
    if gherkin.features == 0 {
        problems.push(format!(
            "no feature files under {}",
            options.features_dir.display()
        ));
    }
    let (claimed, state_problems) = {
        let state = ctx.state();
        (
            state.claimed.clone(),
            state
                .problems
                .iter()
                .map(|p| p.0.clone())
                .collect::<Vec<_>>(),
        )
    };
    problems.extend(state_problems);
    let uncovered: Vec<&str> = eligible
        .iter()
        .filter(|i| !claimed.contains_key(i))
        .map(|&i| ctx.suite.cases[i].id.as_str())
        .collect();
    if !uncovered.is_empty() {
        let shown: Vec<&str> = uncovered.iter().take(10).copied().collect();
        problems.push(format!(
            "{} selected vector(s) are not run by any scenario: {}{}",
            uncovered.len(),
            shown.join(", "),
            if uncovered.len() > shown.len() {
                ", ..."
            } else {
                ""
            }
        ));
    }
    if !problems.is_empty() {
        ctx.adapter.close().await;
        return Err(RunError::Harness(problems));
    }

    if options.list_only {
        let mut by_scenario: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        let mut order: Vec<(usize, (String, String))> = claimed.into_iter().collect();
        order.sort();
        for (i, key) in order {
            by_scenario
                .entry(key)
                .or_default()
                .push(ctx.suite.cases[i].id.clone());
        }
        return Ok(RunOutcome {
            report: None,
            listing: by_scenario
                .into_iter()
                .map(|((f, s), ids)| (f, s, ids))
                .collect(),
        });
    }
    // Read before closing: closing replaces the processes whose counts the notes come from.
    let notes = ctx.adapter.notes();
    ctx.adapter.close().await;
    // Taken, not copied: the report is the only place the results live from here on.
    let results = std::mem::take(&mut ctx.state().results);
    if results.is_empty() {
        return Err(RunError::Vacuous("no case ran".into()));
    }
    let mut report = build_report(&ctx, &config, results, started.elapsed());
    report.implementation.adapter.notes = notes;
    Ok(RunOutcome {
        report: Some(report),
        listing: Vec::new(),
    })
}

/// Asks `describe` within `budget`, and once more within twice that if the first answer is a
/// fault: a slow start on a loaded machine must not cost a vendor the run. The error says what
/// happened both times.
async fn describe(
    adapter: &dyn crate::adapter::Adapter,
    budget: Duration,
) -> Result<crate::adapter::Description, String> {
    let first = match adapter.describe_within(budget).await {
        Ok(d) => return Ok(d),
        Err(e) => e,
    };
    let longer = budget.saturating_mul(2);
    match adapter.describe_within(longer).await {
        Ok(d) => Ok(d),
        Err(second) => Err(format!(
            "first within {}: {first}; then within {}: {second}",
            crate::adapter::fault::human(budget),
            crate::adapter::fault::human(longer)
        )),
    }
}

/// Checks a resume against the run it continues, hands it the finished cases, and writes the
/// header of this run.
fn start_durably(
    ctx: &mut RunContext,
    config: &AdapterConfig,
    eligible: &[usize],
    durability: Durability,
) -> Result<(), ResumeError> {
    let header = RunHeader {
        format: HEADER_FORMAT,
        harness: crate::report::model::Harness::current(),
        suite: suite_info(&ctx.suite),
        implementation: implementation_info(ctx, config),
        clock: ctx.clock,
        selection: SelectionKey::of(ctx.selector.filters()),
    };
    if let Some((previous, finished)) = durability.resume {
        let dir = durability.dir.clone().unwrap_or_default();
        let differences = previous.differences(&header);
        if !differences.is_empty() {
            return Err(ResumeError::Mismatch { dir, differences });
        }
        let selected: std::collections::HashSet<&str> = eligible
            .iter()
            .map(|&i| ctx.suite.cases[i].id.as_str())
            .collect();
        if let Some(id) = finished
            .cases
            .keys()
            .find(|id| !selected.contains(id.as_str()))
        {
            return Err(ResumeError::Unselected {
                path: dir.join(super::resume::STREAM_FILE),
                id: id.clone(),
            });
        }
        ctx.finished = finished.cases;
    }
    if let Some(dir) = &durability.dir {
        header.write(dir)?;
    }
    Ok(())
}

/// Plays every feature under `dir`, one scenario at a time (so a vector claimed by two
/// scenarios always belongs to the first, in file order).
async fn play_features(dir: &Path, ctx: Arc<RunContext>) -> super::writer::GherkinReport {
    // cucumber reports absolute feature paths; reports show them relative to the features
    // directory, as `features/khqr/validate.feature`.
    let base = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let hook_ctx = Arc::new(RunContextHandle(ctx));
    let runner = runner::Basic::default()
        .steps(collection())
        .max_concurrent_scenarios(1);
    let cucumber: Cucumber<CertWorld, _, PathBuf, _, _, cucumber::cli::Empty> =
        Cucumber::custom(parser::Basic::new(), runner, CheckWriter::default());
    let cucumber = cucumber.with_default_cli().before(
        move |feature, _rule, scenario, world: &mut CertWorld| {
            let handle = Arc::clone(&hook_ctx);
            let path = feature
                .path
                .as_ref()
                .map(|p| {
                    p.strip_prefix(&base)
                        .map(|r| Path::new("features").join(r))
                        .unwrap_or_else(|_| p.clone())
                        .display()
                        .to_string()
                })
                .unwrap_or_else(|| feature.name.clone());
            let name = scenario.name.clone();
            async move {
                world.run = Some(handle);
                world.feature = path;
                world.scenario = name;
            }
            .boxed_local()
        },
    );
    cucumber.run(dir.to_path_buf()).await.report
}
