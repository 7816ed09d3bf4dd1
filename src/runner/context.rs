//! What every scenario of a run shares: the adapter, the suite, the selection, and the results
//! collected so far.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::adapter::config::ErrorMap;
use crate::adapter::{Adapter, Description};
use crate::report::{CaseReport, Grade};
use crate::rules::profile::Kind;
use crate::vectors::{Case, Suite};
use crate::{Capability, Clock};

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

    /// Whether the implementation claims what `case` needs. Without a description it is given
    /// the benefit of the doubt. Cross-border cases (an overlay profile) need a claim of the
    /// overlay or of any national profile: a wallet of any scheme meets foreign codes.
    pub fn claims(&self, case: &Case) -> bool {
        let Some(d) = &self.description else {
            return true;
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

    /// The capabilities the implementation claims (all, without a description).
    pub fn claimed_capabilities(&self) -> Vec<Capability> {
        self.description
            .as_ref()
            .map(|d| d.capabilities.clone())
            .unwrap_or_else(|| Capability::ALL.to_vec())
    }
}
