//! Results to the canonical report.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::adapter::config::{AdapterConfig, Transport};
use crate::report::model::{
    AdapterInfo, CaseReport, Harness, ImplementationInfo, REPORT_FORMAT, Report, RuleInfo,
    Selection, SuiteInfo, SuiteSource, Summary, Timing,
};
use crate::report::{Counts, Verdict};
use crate::rules::lookup;
use crate::vectors::{Case, Suite};

use super::context::{CaseResult, RunContext};

/// One case's report entry.
pub fn case_report(case: &Case, r: &CaseResult) -> CaseReport {
    CaseReport {
        id: case.id.clone(),
        profile: case.profile,
        capability: case.capability(),
        title: case.title.clone(),
        feature: r.feature.clone(),
        scenario: r.scenario.clone(),
        grade: r.grade,
        message: r.message.clone(),
        expected: r.expected.clone(),
        observed: r.observed.clone(),
        rules: r.rules.clone(),
        refs: case.refs.clone(),
        source: case.source.to_string(),
        request: r.request.clone(),
        reply: r.reply.clone(),
        duration_ms: r.duration_ms,
        stderr: r.stderr.clone(),
        waiver: None,
        direction: case.direction(),
    }
}

/// A case a killed run finished, back as the runner records it (the inverse of
/// [`case_report`]).
/// [`case_report`], moving the result's values instead of copying them: the report is built
/// once at the end of a run, when the results are no longer needed.
pub fn into_case_report(case: &Case, r: CaseResult) -> CaseReport {
    CaseReport {
        id: case.id.clone(),
        profile: case.profile,
        capability: case.capability(),
        title: case.title.clone(),
        feature: r.feature,
        scenario: r.scenario,
        grade: r.grade,
        message: r.message,
        expected: r.expected,
        observed: r.observed,
        rules: r.rules,
        refs: case.refs.clone(),
        source: case.source.to_string(),
        request: r.request,
        reply: r.reply,
        duration_ms: r.duration_ms,
        stderr: r.stderr,
        waiver: None,
        direction: case.direction(),
    }
}

/// The result of a case carried over from the report a run resumes.
pub fn resumed_result(index: usize, r: &CaseReport) -> CaseResult {
    CaseResult {
        index,
        feature: r.feature.clone(),
        scenario: r.scenario.clone(),
        grade: r.grade,
        message: r.message.clone(),
        expected: r.expected.clone(),
        observed: r.observed.clone(),
        rules: r.rules.clone(),
        request: r.request.clone(),
        reply: r.reply.clone(),
        duration_ms: r.duration_ms,
        stderr: r.stderr.clone(),
    }
}

/// The adapter as a report shows it: transport and target, secrets redacted.
pub fn adapter_info(config: &AdapterConfig) -> AdapterInfo {
    let red = config.redacted();
    let target = match red.get("command") {
        Some(serde_json::Value::Array(argv)) => argv
            .iter()
            .filter_map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => red
            .get("url")
            .and_then(|u| u.as_str())
            .unwrap_or("in-process reference implementation")
            .to_owned(),
    };
    // The built-in reference is reached in process, through the library transport: reports name
    // the transport (`library`, `cli`, `http`), as their schema says, not the configuration.
    let transport = match config.transport {
        Transport::Builtin { .. } => "library",
        ref other => other.name(),
    };
    AdapterInfo {
        transport: transport.to_owned(),
        target,
        notes: Vec::new(),
    }
}

/// The suite as reports (and run headers) name it.
pub fn suite_info(suite: &Suite) -> SuiteInfo {
    let effective = suite
        .manifest
        .versions
        .iter()
        .find(|v| v.version == suite.manifest.suite_version)
        .map(|v| v.effective.clone());
    SuiteInfo {
        version: suite.manifest.suite_version.to_string(),
        effective,
        rules_version: suite.manifest.rules_version.clone(),
        sha256: suite.sha256.clone(),
        source: Some(if crate::embedded::is_extracted_vectors(&suite.root) {
            SuiteSource::Embedded
        } else {
            SuiteSource::Directory
        }),
        fresh: None,
        sealed_by: None,
        overlays: Vec::new(),
    }
}

/// The implementation as reports (and run headers) name it: its `describe`, or why there is
/// none, and how it was reached.
pub fn implementation_info(ctx: &RunContext, config: &AdapterConfig) -> ImplementationInfo {
    let (name, version, capabilities, profiles) = match &ctx.description {
        Some(d) => (
            d.name.clone(),
            d.version.clone(),
            d.capabilities.clone(),
            d.profiles.clone(),
        ),
        None => (
            format!(
                "unknown (describe failed: {})",
                ctx.describe_error.clone().unwrap_or_default()
            ),
            "unknown".into(),
            Vec::new(),
            Vec::new(),
        ),
    };
    ImplementationInfo {
        name,
        version,
        capabilities,
        profiles,
        adapter: adapter_info(config),
    }
}

/// Builds the report.
pub fn build_report(
    ctx: &RunContext,
    config: &AdapterConfig,
    results: Vec<CaseResult>,
    elapsed: Duration,
) -> Report {
    let suite = &ctx.suite;
    let mut roles: Vec<&'static str> = results
        .iter()
        .map(|r| super::select::role_of(&suite.cases[r.index]).as_str())
        .collect();
    roles.sort_unstable();
    roles.dedup();
    let cases: Vec<CaseReport> = results
        .into_iter()
        .map(|r| into_case_report(&suite.cases[r.index], r))
        .collect();
    let rules = rules_cited(&cases);
    let f = ctx.selector.filters();
    let mut report = Report {
        report_format: REPORT_FORMAT,
        harness: Harness::current(),
        suite: suite_info(suite),
        implementation: implementation_info(ctx, config),
        clock: ctx.clock,
        selection: Selection {
            profiles: f.profiles.clone(),
            capabilities: f.capabilities.clone(),
            roles: roles.into_iter().map(str::to_owned).collect(),
            tags: f.tags_text.clone(),
            vectors: f.vectors.clone(),
            smoke: f.smoke,
            shard: f.shard.map(|(k, n)| format!("{}/{n}", k + 1)),
        },
        verdict: Verdict::NotCertified,
        verdict_reason: String::new(),
        certification: Vec::new(),
        roles: Vec::new(),
        directions: Vec::new(),
        summary: Summary {
            total: 0,
            grades: Counts::default(),
        },
        scan_ladder: Vec::new(),
        waivers: Vec::new(),
        rules,
        cases,
        timing: Timing {
            started: crate::Clock::system().to_rfc3339(),
            duration_ms: elapsed.as_millis() as u64,
        },
    };
    report.recompute();
    report
}

/// The catalogue entry of every rule the cases cite, for the report's `rules` map (a report
/// explains its rule IDs without the catalogue at hand).
pub fn rules_cited(cases: &[CaseReport]) -> BTreeMap<String, RuleInfo> {
    let mut rules = BTreeMap::new();
    for id in cases.iter().flat_map(|c| &c.rules) {
        if let Some(rule) = lookup(id) {
            rules.entry(id.clone()).or_insert_with(|| RuleInfo {
                severity: rule.severity.to_string(),
                summary: rule.summary.to_owned(),
                reference: rule.reference.to_owned(),
                confidence: rule.confidence.as_str().to_owned(),
            });
        }
    }
    rules
}
