//! The Gherkin vocabulary of the certification programme, and the cucumber World that carries
//! the run into each scenario.
//!
//! ```gherkin
//! Given the implementation under test
//! When it validates every "khqr" vector tagged "not positive"
//! When a JPQR wallet parses every "interop" vector tagged "khqr-code"
//! Then every vector gets its expected result
//! ```
//!
//! The subject of a `When` step ("it", "the wallet", "a KHQR wallet") is prose for the reader;
//! the verb names the capability, the quoted profile and optional tag expression select vectors.
//! Each selected vector that the command line's filters also select, and that no earlier scenario
//! ran, is sent through the adapter and graded on its own.

use std::sync::Arc;
use std::time::Instant;

use cucumber::step::{Collection, Context as StepContext};
use futures::future::LocalBoxFuture;
use futures::stream::{self, StreamExt};
use regex::Regex;
use serde_json::{Value, json};

use crate::adapter::protocol::Request;
use crate::adapter::{CallError, Fault};
use crate::report::{Grade, StderrNote};
use crate::vectors::{Input, TagExpr};
use crate::{Capability, Profile};

use super::build::{case_report, resumed_result};
use super::context::{CaseResult, Event, HarnessProblem, RunContext};
use super::grade::{Grader, expected_json};
use super::request::{ops_for, summarize_op, summarize_reply};

/// The World of one scenario.
#[derive(Debug, Default)]
pub struct CertWorld {
    /// The run, set by the `before` hook.
    pub run: Option<Arc<RunContextHandle>>,
    /// The feature file (relative path) and scenario name.
    pub feature: String,
    /// The scenario name.
    pub scenario: String,
    /// Cases this scenario ran (suite indices).
    pub cases: Vec<usize>,
}

/// A `Debug` wrapper: the World must be `Debug`, the adapter inside is not.
pub struct RunContextHandle(pub Arc<RunContext>);

impl std::fmt::Debug for RunContextHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RunContext")
    }
}

impl cucumber::World for CertWorld {
    type Error = std::convert::Infallible;

    async fn new() -> Result<Self, Self::Error> {
        Ok(CertWorld::default())
    }
}

/// The `When` step's pattern.
pub const WHEN_PATTERN: &str = r#"^(?:it|the [A-Za-z -]+|an? [A-Za-z -]+) (validates|parses|generates|renders|scans) every "([a-z-]+)" vector(?: tagged "(.+)")?$"#;

/// Every step of the vocabulary.
pub fn collection() -> Collection<CertWorld> {
    let re = |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("step pattern {p}: {e}"));
    Collection::new()
        .given(
            None,
            re("^the implementation under test$"),
            given_implementation,
        )
        .when(None, re(WHEN_PATTERN), when_runs)
        .then(
            None,
            re("^every vector gets its expected result$"),
            then_expected,
        )
}

fn given_implementation<'a>(w: &'a mut CertWorld, _: StepContext) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        // The implementation was described once at the start of the run; nothing to do per
        // scenario, but a scenario without a run context is a harness bug worth reporting.
        if w.run.is_none() {
            crate::errln!("qrcert: scenario {:?} has no run context", w.scenario);
        }
    })
}

fn capability_of(verb: &str) -> Option<Capability> {
    Some(match verb {
        "validates" => Capability::Validate,
        "parses" => Capability::Parse,
        "generates" => Capability::Generate,
        "renders" => Capability::Render,
        "scans" => Capability::Scan,
        _ => return None,
    })
}

fn when_runs<'a>(w: &'a mut CertWorld, step: StepContext) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        let Some(handle) = w.run.clone() else {
            return;
        };
        let ctx = Arc::clone(&handle.0);
        let groups: Vec<Option<String>> = Regex::new(WHEN_PATTERN)
            .ok()
            .and_then(|re| {
                re.captures(&step.step.value).map(|c| {
                    (1..=3)
                        .map(|i| c.get(i).map(|m| m.as_str().to_owned()))
                        .collect()
                })
            })
            .unwrap_or_default();
        let here = format!("{} ({})", w.feature, w.scenario);
        let problem = |m: String| {
            ctx.state()
                .problems
                .push(HarnessProblem(format!("{here}: {m}")))
        };
        let (Some(Some(verb)), Some(Some(profile))) = (groups.first(), groups.get(1)) else {
            problem(format!(
                "step {:?} does not match the vocabulary",
                step.step.value
            ));
            return;
        };
        let Some(capability) = capability_of(verb) else {
            problem(format!("unknown verb {verb:?}"));
            return;
        };
        let profile: Profile = match profile.parse() {
            Ok(p) => p,
            Err(e) => {
                problem(e.to_string());
                return;
            }
        };
        let tags = match groups.get(2).cloned().flatten() {
            None => None,
            Some(t) => match t.parse::<TagExpr>() {
                Ok(e) => Some(e),
                Err(e) => {
                    problem(format!("tag expression {t:?}: {e}"));
                    return;
                }
            },
        };

        // Claim the cases this step selects that no earlier scenario ran.
        let chosen: Vec<usize> = {
            let mut state = ctx.state();
            let mut chosen = Vec::new();
            for (i, case) in ctx.suite.cases.iter().enumerate() {
                let wanted = case.profile == profile
                    && case.capability() == capability
                    && tags
                        .as_ref()
                        .is_none_or(|t| t.matches(&|tag: &str| case.has_tag(tag)))
                    && ctx.selector.covers(case);
                if wanted && !state.claimed.contains_key(&i) {
                    state
                        .claimed
                        .insert(i, (w.feature.clone(), w.scenario.clone()));
                    chosen.push(i);
                }
            }
            chosen
        };
        let _ = ctx.events.send(Event::ScenarioStarted {
            feature: w.feature.clone(),
            scenario: w.scenario.clone(),
            cases: chosen.len(),
        });
        w.cases.extend(&chosen);
        if ctx.list_only {
            return;
        }
        let feature = w.feature.clone();
        let scenario = w.scenario.clone();
        // Cases a killed run finished are taken as they were graded; they are on disk already,
        // so they raise no event.
        let (resumed, fresh): (Vec<usize>, Vec<usize>) = chosen
            .into_iter()
            .partition(|&i| ctx.finished.contains_key(&ctx.suite.cases[i].id));
        if !resumed.is_empty() {
            let mut state = ctx.state();
            for i in resumed {
                if let Some(done) = ctx.finished.get(&ctx.suite.cases[i].id) {
                    state.results.push(resumed_result(i, done));
                }
            }
        }
        // Each result is streamed (and kept for the report) as soon as it is graded, not when
        // the scenario ends: a scenario of 100 000 vectors holds no second copy of them.
        stream::iter(fresh)
            .map(|i| run_case(Arc::clone(&ctx), i, feature.clone(), scenario.clone()))
            .buffer_unordered(ctx.jobs)
            .for_each(|r| {
                let entry = case_report(&ctx.suite.cases[r.index], &r);
                let _ = ctx.events.send(Event::CaseFinished(Box::new(entry)));
                ctx.state().results.push(r);
                futures::future::ready(())
            })
            .await;
    })
}

/// Sends one case's requests and grades the replies.
async fn run_case(
    ctx: Arc<RunContext>,
    index: usize,
    feature: String,
    scenario: String,
) -> CaseResult {
    let case = &ctx.suite.cases[index];
    let started = Instant::now();
    let base = |grade, message: String, request: Value, reply: Value| CaseResult {
        index,
        feature: feature.clone(),
        scenario: scenario.clone(),
        grade,
        message,
        expected: expected_json(&case.expect),
        observed: Value::Null,
        rules: Vec::new(),
        request,
        reply,
        duration_ms: 0,
        stderr: None,
    };
    if let Some(fault) = ctx.not_asked() {
        return not_asked(base, case, fault);
    }
    if !ctx.claims(case) {
        return base(
            Grade::Unsupported,
            format!(
                "not claimed: describe does not list {} for {}, so it was not asked",
                case.capability(),
                case.profile
            ),
            Value::Null,
            Value::Null,
        );
    }
    let ops = match ops_for(case, ctx.clock, &ctx.vectors_dir) {
        Ok(ops) => ops,
        Err(e) => {
            ctx.state().problems.push(HarnessProblem(e.to_string()));
            return base(
                Grade::Error,
                format!("harness: {e}"),
                Value::Null,
                Value::Null,
            );
        }
    };
    let images: Vec<Option<&str>> = match &case.input {
        Input::Scan(s) => s.images.iter().map(|i| Some(i.as_str())).collect(),
        _ => vec![None; ops.len()],
    };
    let mut results = Vec::with_capacity(ops.len());
    let mut stderr: Option<StderrNote> = None;
    for op in &ops {
        // Declared unresponsive while this case was under way: what is left is not asked.
        if let Some(fault) = ctx.not_asked() {
            if results.is_empty() {
                return not_asked(base, case, fault);
            }
            results.push(Err(CallError::Fault(fault)));
            continue;
        }
        let request = Request::new(ctx.next_id(), op.clone());
        let (result, slice) = ctx.adapter.call_traced(request).await;
        ctx.note_outcome(&result);
        if let Some(slice) = slice {
            let note = stderr.get_or_insert(StderrNote {
                bytes: 0,
                tail: String::new(),
            });
            note.bytes += slice.bytes;
            note.tail = slice.tail;
        }
        results.push(result);
    }
    let grader = Grader {
        error_map: &ctx.error_map,
        clock: ctx.clock,
    };
    let graded = grader.grade(case, &results);
    let embed = graded.grade != Grade::Pass;
    let request_summaries: Vec<Value> = ops
        .iter()
        .zip(&images)
        .map(|(op, img)| summarize_op(op, *img, embed))
        .collect();
    let reply_summaries: Vec<Value> = results
        .iter()
        .map(|r| match r {
            Ok(reply) => summarize_reply(reply, embed),
            Err(crate::adapter::CallError::Refused(e)) => {
                json!({"ok": false, "error": {"code": e.code, "message": e.message}})
            }
            Err(e) => json!({"fault": e.to_string()}),
        })
        .collect();
    let one = |mut v: Vec<Value>| {
        if v.len() == 1 {
            v.remove(0)
        } else {
            Value::Array(v)
        }
    };
    CaseResult {
        index,
        feature,
        scenario,
        grade: graded.grade,
        message: graded.message,
        expected: graded.expected,
        observed: graded.observed,
        rules: graded.rules,
        request: one(request_summaries),
        reply: one(reply_summaries),
        duration_ms: started.elapsed().as_millis() as u64,
        stderr,
    }
}

/// A case that was not asked: the implementation never described itself, or was declared
/// unresponsive before its turn. ERROR, never UNSUPPORTED: nothing was shown.
fn not_asked(
    base: impl Fn(Grade, String, Value, Value) -> CaseResult,
    case: &crate::vectors::Case,
    fault: Fault,
) -> CaseResult {
    let mut r = base(
        Grade::Error,
        format!("adapter fault ({}): {fault}", fault.kind()),
        Value::Null,
        json!({"fault": fault.to_string()}),
    );
    r.observed = json!({"fault": fault.kind(), "message": fault.to_string()});
    r.rules = case.rule_refs().iter().map(|s| s.to_string()).collect();
    r
}

fn then_expected<'a>(w: &'a mut CertWorld, _: StepContext) -> LocalBoxFuture<'a, ()> {
    Box::pin(async move {
        if let Some(handle) = &w.run {
            handle.0.state().scenarios.push((
                w.feature.clone(),
                w.scenario.clone(),
                w.cases.clone(),
            ));
        }
    })
}
