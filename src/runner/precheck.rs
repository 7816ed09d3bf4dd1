//! The reference's word on a suite before an implementation sees it: every fresh vector must be
//! passed by qrcert's own reference implementation, or the suite (not the vendor) is wrong.

use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::adapter::config::AdapterConfig;
use crate::report::Grade;
use crate::runner::select::Filters;
use crate::runner::{RunError, RunOptions, run};
use crate::{Capability, Clock};

/// A vector whose expectation the reference contradicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contradiction {
    /// The vector.
    pub id: String,
    /// What the reference got.
    pub grade: Grade,
    /// Why.
    pub message: String,
}

/// Runs the reference, in process, over every parse, validate, generate and render vector of
/// `vectors_dir` (scan cases read images the caller checked already), at `clock`, and returns
/// the vectors it does not pass.
pub async fn contradictions(
    vectors_dir: PathBuf,
    features_dir: PathBuf,
    clock: Clock,
) -> Result<Vec<Contradiction>, RunError> {
    let adapter = AdapterConfig::from_arg("builtin")?;
    let options = RunOptions {
        adapter,
        vectors_dir,
        features_dir,
        filters: Filters {
            capabilities: vec![
                Capability::Parse,
                Capability::Validate,
                Capability::Generate,
                Capability::Render,
            ],
            ..Filters::default()
        },
        clock,
        timeout: None,
        jobs: 4,
        list_only: false,
        builtin: None,
        max_consecutive_faults: 0,
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let outcome = run(options, tx).await;
    let _ = drain.await;
    let report = outcome?
        .report
        .ok_or_else(|| RunError::Harness(vec!["the reference check produced no report".into()]))?;
    Ok(report
        .cases
        .into_iter()
        .filter(|c| c.grade != Grade::Pass)
        .map(|c| Contradiction {
            id: c.id,
            grade: c.grade,
            message: c.message,
        })
        .collect())
}
