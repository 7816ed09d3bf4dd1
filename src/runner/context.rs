//! What every scenario of a run shares: the adapter, the suite, the selection, and the results
//! collected so far.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::Clock;
use crate::adapter::config::ErrorMap;
use crate::adapter::{Adapter, Description};
use crate::adapter::{CallError, Fault};
use crate::report::{CaseReport, Grade, StderrNote};
use crate::rules::profile::Kind;
use crate::vectors::{Case, Suite};

use super::select::Selector;

/// One graded case, as the runner records it.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// Index into the suite's cases.
    pub index: usize,
    /// Feature file (relative path) that ran it.
    pub feature: String,
    /// Scenario that ran it.
    pub scenario: String,
    /// The grade.
    pub grade: Grade,
    /// Why.
    pub message: String,
    /// Expected, for reports.
    pub expected: Value,
    /// Observed, for reports.
    pub observed: Value,
    /// Rules involved.
    pub rules: Vec<String>,
    /// Request summary.
    pub request: Value,
    /// Reply summary.
    pub reply: Value,
    /// Wall time.
    pub duration_ms: u64,
    /// What the implementation wrote to stderr meanwhile (CLI transport).
    pub stderr: Option<StderrNote>,
}

/// What happens during a run, for progress reporters and streamed results.
#[derive(Debug, Clone)]
pub enum Event {
    /// A scenario started selecting and running vectors.
    ScenarioStarted {
        /// Feature file.
        feature: String,
        /// Scenario name.
        scenario: String,
        /// How many vectors it runs.
        cases: usize,
    },
    /// The run selected this many cases and starts playing the features.
    Started {
        /// Cases selected.
        cases: usize,
    },
    /// A case was graded: its entry in the report, as streamed to `report.jsonl`.
    CaseFinished(Box<CaseReport>),
}

/// Timeouts or crashes in a row after which an implementation is declared unresponsive, unless
/// `--max-consecutive-faults` says otherwise.
pub const DEFAULT_MAX_CONSECUTIVE_FAULTS: u32 = 5;

/// A problem with the run itself (features, vectors, configuration): exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarnessProblem(pub String);

/// Shared state of a run.
pub struct RunContext {
    /// The implementation.
    pub adapter: Box<dyn Adapter>,
    /// Its description, when `describe` answered.
    pub description: Option<Description>,
    /// Why `describe` did not answer, if it did not.
    pub describe_error: Option<String>,
    /// The vectors.
    pub suite: Suite,
    /// The command line's filters.
    pub selector: Selector,
    /// Vendor codes to rule IDs.
    pub error_map: ErrorMap,
    /// The run's clock.
    pub clock: Clock,
    /// The vectors directory.
    pub vectors_dir: PathBuf,
    /// Concurrent calls per step.
    pub jobs: usize,
    /// Only list what would run.
    pub list_only: bool,
    /// Request ids (0 is `describe`).
    next_id: AtomicU64,
    /// Mutable state.
    pub state: Mutex<State>,
    /// Event stream.
    pub events: UnboundedSender<Event>,
    /// Cases a killed run already graded, by vector ID: a resumed run reuses them instead of
    /// asking the implementation again.
    pub finished: BTreeMap<String, CaseReport>,
    /// Timeouts or crashes in a row after which the implementation is declared unresponsive
    /// (0: never).
    pub max_consecutive_faults: u32,
    /// The current run of such faults, and the verdict once it is reached.
    streak: Mutex<Streak>,
}

/// Timeouts and crashes in a row.
#[derive(Debug, Default)]
struct Streak {
    consecutive: u32,
    last: String,
    /// Set once, when the streak reached the limit: every case not yet asked is ERROR.
    unresponsive: Option<Fault>,
}

/// The mutable part of a run.
#[derive(Debug, Default)]
pub struct State {
    /// Which scenario claimed each case (by suite index): a case runs once.
    pub claimed: HashMap<usize, (String, String)>,
    /// Graded cases.
    pub results: Vec<CaseResult>,
    /// Harness problems found while running scenarios.
    pub problems: Vec<HarnessProblem>,
    /// Scenarios and the cases they ran (feature, scenario, case indices).
    pub scenarios: Vec<(String, String, Vec<usize>)>,
}

impl RunContext {
    /// Builds the context.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        adapter: Box<dyn Adapter>,
        description: Result<Description, String>,
        suite: Suite,
        selector: Selector,
        error_map: ErrorMap,
        clock: Clock,
        vectors_dir: PathBuf,
        jobs: usize,
        list_only: bool,
        events: UnboundedSender<Event>,
    ) -> RunContext {
        let (description, describe_error) = match description {
            Ok(d) => (Some(d), None),
            Err(e) => (None, Some(e)),
        };
        RunContext {
            adapter,
            description,
            describe_error,
            suite,
            selector,
            error_map,
            clock,
            vectors_dir,
            jobs: jobs.max(1),
            list_only,
            next_id: AtomicU64::new(1),
            state: Mutex::new(State::default()),
            events,
            finished: BTreeMap::new(),
            max_consecutive_faults: DEFAULT_MAX_CONSECUTIVE_FAULTS,
            streak: Mutex::new(Streak::default()),
        }
    }

    /// The fault every case not yet asked gets, once the implementation has been declared
    /// unresponsive (or when it never described itself).
    pub fn not_asked(&self) -> Option<Fault> {
        if self.description.is_none() && !self.list_only {
            return Some(Fault::Undescribed {
                detail: self.describe_error.clone().unwrap_or_default(),
            });
        }
        self.streak
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .unresponsive
            .clone()
    }

    /// Counts a call's outcome towards (or against) the run of timeouts and crashes.
    pub fn note_outcome<T>(&self, result: &Result<T, CallError>) {
        if self.max_consecutive_faults == 0 {
            return;
        }
        let mut streak = self.streak.lock().unwrap_or_else(|p| p.into_inner());
        match result {
            Err(CallError::Fault(f)) if f.is_unresponsive_kind() => {
                streak.consecutive += 1;
                streak.last = f.to_string();
                if streak.consecutive >= self.max_consecutive_faults
                    && streak.unresponsive.is_none()
                {
                    streak.unresponsive = Some(Fault::Unresponsive {
                        consecutive: streak.consecutive,
                        last: streak.last.clone(),
                    });
                }
            }
            // A harness problem says nothing about the implementation.
            Err(CallError::Harness(_)) => {}
            Err(CallError::Fault(f)) if f.not_asked() || matches!(f, Fault::Interrupted { .. }) => {
            }
            _ => streak.consecutive = 0,
        }
    }

    /// A fresh request id.
    pub fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Locks the state; a poisoned lock (a panic elsewhere) still yields the data, which is
    /// only ever appended to.
    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the implementation claims what `case` needs. Without a description nothing is
    /// claimed (and [`RunContext::not_asked`] grades every case ERROR). Cross-border cases (an
    /// overlay profile) need a claim of the overlay or of any national profile: a wallet of any
    /// scheme meets foreign codes.
    pub fn claims(&self, case: &Case) -> bool {
        let Some(d) = &self.description else {
            return false;
        };
        let cap_ok = d.capabilities.contains(&case.capability());
        let profile_ok = match case.profile.spec().kind {
            Kind::Overlay => d
                .profiles
                .iter()
                .any(|p| *p == case.profile || p.spec().kind == Kind::National),
            _ => d.profiles.contains(&case.profile),
        };
        cap_ok && profile_ok
    }
}
