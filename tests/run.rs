//! The certification run through its library API: the reference implementation is certified,
//! an implementation that gets some vectors wrong is failed on exactly those vectors, runs are
//! reproducible, and vacuous runs are refused.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use qrcert::adapter::config::AdapterConfig;
use qrcert::adapter::library::Implementation;
use qrcert::adapter::protocol::{Description, Fields, ImplError, Timestamp, ValidateReply};
use qrcert::reference::Reference;
use qrcert::report::{Grade, Report, Verdict};
use qrcert::runner::select::Filters;
use qrcert::runner::{RunError, RunOptions, run};
use qrcert::vectors::{Input, Suite};
use qrcert::{Capability, Clock, Profile};
use serde_json::Value;
use tokio::sync::mpsc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options(builtin: Option<Arc<dyn Implementation>>, filters: Filters) -> RunOptions {
    RunOptions {
        adapter: AdapterConfig::from_arg("builtin").unwrap(),
        vectors_dir: root().join("vectors"),
        features_dir: root().join("features"),
        filters,
        clock: "2026-05-28T20:41:40Z".parse::<Clock>().unwrap(),
        timeout: None,
        jobs: 4,
        list_only: false,
        max_consecutive_faults: qrcert::runner::DEFAULT_MAX_CONSECUTIVE_FAULTS,
        builtin,
    }
}

async fn certify(
    builtin: Option<Arc<dyn Implementation>>,
    filters: Filters,
) -> Result<Report, RunError> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let outcome = run(options(builtin, filters), tx).await;
    drain.await.unwrap();
    outcome.map(|o| o.report.expect("a report"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_implementation_is_certified_on_every_profile_and_capability() {
    let report = certify(None, Filters::default()).await.unwrap();
    assert_eq!(report.verdict, Verdict::Certified);
    // Everything passes but the stress rungs of the distortion ladder that qrcert's decoder
    // cannot read, which are INFO.
    for c in report.cases.iter().filter(|c| c.grade != Grade::Pass) {
        assert_eq!(c.grade, Grade::Info, "{}: {}", c.id, c.message);
        assert_eq!(c.expected["required"], false, "{}", c.id);
    }
    assert_eq!(
        report.summary.grades.get(Grade::Pass) + report.summary.grades.get(Grade::Info),
        report.summary.total
    );
    let active = Suite::load(&root().join("vectors"))
        .unwrap()
        .active()
        .count() as u64;
    // Everything active runs except the validator-only vectors (generator role, non-UTF-8).
    assert!(
        report.summary.total > active - 20,
        "{} of {active}",
        report.summary.total
    );
    for p in [Profile::Emvco, Profile::Jpqr, Profile::Khqr] {
        for c in Capability::ALL {
            assert!(
                report
                    .certification
                    .iter()
                    .any(|x| x.profile == p && x.capability == c),
                "{p} x {c} missing"
            );
        }
    }
    assert!(report.cases.iter().any(|c| c.profile == Profile::Interop));
}

/// The reference implementation with deliberate mistakes on chosen payloads.
struct Mistaken {
    inner: Reference,
    accept: BTreeSet<String>,
    garble_parse: BTreeSet<String>,
}

impl Implementation for Mistaken {
    fn describe(&self) -> Description {
        self.inner.describe()
    }
    fn parse(&self, payload: &str) -> Result<Fields, ImplError> {
        let mut f = self.inner.parse(payload)?;
        if self.garble_parse.contains(payload) {
            f.0.remove("59");
        }
        Ok(f)
    }
    fn validate(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        if self.accept.contains(payload) {
            return Ok(ValidateReply {
                valid: true,
                errors: Vec::new(),
            });
        }
        self.inner.validate(payload, profile, now)
    }
    fn generate(&self, profile: Profile, input: &Value) -> Result<String, ImplError> {
        self.inner.generate(profile, input)
    }
    fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
        self.inner.render(payload)
    }
    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        self.inner.scan(png)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_implementation_with_mistakes_fails_exactly_those_vectors() {
    let suite = Suite::load(&root().join("vectors")).unwrap();
    let payload_of = |id: &str| -> String {
        let case = suite.cases.iter().find(|c| c.id == id).unwrap();
        match &case.input {
            Input::Validate(v) => v.payload.as_str().unwrap().to_owned(),
            Input::Parse(p) => p.payload.clone(),
            _ => panic!("{id}"),
        }
    };
    // The first vector of three areas that a conforming validator must reject.
    let first_reject = |prefix: &str| -> String {
        suite
            .cases
            .iter()
            .find(|c| {
                c.id.starts_with(prefix)
                    && matches!(&c.expect, qrcert::vectors::Expect::Validate(e) if e.outcome() == qrcert::vectors::Outcome::Reject)
            })
            .map(|c| c.id.clone())
            .unwrap()
    };
    let rejected_ids = [
        first_reject("EMV-CRC-"),
        first_reject("KHQR-TAG99-"),
        first_reject("JPQR-TAG26-"),
    ];
    let rejected: Vec<&str> = rejected_ids.iter().map(String::as_str).collect();
    let imp = Mistaken {
        inner: Reference::new(),
        accept: rejected.iter().map(|id| payload_of(id)).collect(),
        garble_parse: [payload_of("EMV-PARSE-001")].into_iter().collect(),
    };
    let filters = Filters {
        profiles: vec![Profile::Emvco, Profile::Khqr, Profile::Jpqr],
        capabilities: vec![Capability::Validate, Capability::Parse],
        ..Filters::default()
    };
    let report = certify(Some(Arc::new(imp)), filters).await.unwrap();
    assert_eq!(report.verdict, Verdict::NotCertified);
    let failing: BTreeSet<&str> = report
        .cases
        .iter()
        .filter(|c| c.grade.blocks())
        .map(|c| c.id.as_str())
        .collect();
    // The same payload can appear in more than one vector; every failure must be one of the
    // payloads answered wrongly, and every chosen vector must fail.
    for id in rejected.iter().chain(["EMV-PARSE-001"].iter()) {
        assert!(failing.contains(id), "{id} not failed: {failing:?}");
    }
    for id in &failing {
        let case = suite.cases.iter().find(|c| c.id == *id).unwrap();
        let p = match &case.input {
            Input::Validate(v) => v.payload.as_str().unwrap().to_owned(),
            Input::Parse(p) => p.payload.clone(),
            _ => String::new(),
        };
        assert!(
            rejected.iter().any(|r| payload_of(r) == p) || payload_of("EMV-PARSE-001") == p,
            "{id} failed although it was answered correctly"
        );
    }
    let parse = report
        .cases
        .iter()
        .find(|c| c.id == "EMV-PARSE-001")
        .unwrap();
    assert!(parse.message.contains("59"), "{}", parse.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_are_reproducible_apart_from_timing() {
    let filters = Filters {
        smoke: true,
        ..Filters::default()
    };
    let a = certify(None, filters.clone()).await.unwrap().normalized();
    let b = certify(None, filters).await.unwrap().normalized();
    assert_eq!(a.to_canonical_json(), b.to_canonical_json());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_matching_nothing_are_a_harness_error() {
    let filters = Filters {
        vectors: vec!["NO-SUCH-*".into()],
        ..Filters::default()
    };
    match certify(None, filters).await {
        Err(RunError::Vacuous(m)) => assert!(m.contains("match no"), "{m}"),
        other => panic!("expected a vacuous-run error, got {other:?}"),
    }
}

/// A dodger answers `unsupported` to every payload it would reject, in a capability it claims:
/// each dodged case is ERROR ("claimed but refused"), never UNSUPPORTED, and the run is not
/// certified although every case it did answer passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dodger_is_not_certified_and_its_dodged_cases_are_errors() {
    let filters = Filters {
        profiles: vec![Profile::Khqr],
        capabilities: vec![Capability::Validate],
        ..Filters::default()
    };
    let dodger = Arc::new(Reference::with_defect(
        qrcert::reference::Defect::DodgesRejections,
    ));
    let report = certify(Some(dodger), filters).await.unwrap();
    assert_eq!(report.verdict, Verdict::NotCertified);
    assert!(
        report
            .verdict_reason
            .starts_with("not certified: khqr validate"),
        "{}",
        report.verdict_reason
    );
    let mut dodged = 0;
    for c in &report.cases {
        assert_ne!(c.grade, Grade::Unsupported, "{}", c.id);
        if c.expected["result"] == "reject" {
            dodged += 1;
            assert_eq!(c.grade, Grade::Error, "{}: {}", c.id, c.message);
            assert!(
                c.message.starts_with("claimed but refused"),
                "{}",
                c.message
            );
        } else {
            assert_eq!(c.grade, Grade::Pass, "{}: {}", c.id, c.message);
        }
    }
    assert!(dodged > 200, "{dodged} dodged cases");
}
