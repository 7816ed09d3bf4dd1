//! The certification run: vectors -> requests -> adapter -> grades -> report.
//!
//! - [`select`]: the command line's filters; [`request`]: vectors to protocol requests;
//! - [`grade`]: replies to grades; [`steps`]: the Gherkin vocabulary and World;
//! - [`writer`]: Gherkin-side checks; [`context`]: shared state and the event stream;
//! - [`engine`]: the run itself; [`build`]: results to the canonical report;
//! - [`progress`]: the streamed results; [`resume`]: continuing a killed run from them.

pub mod build;
pub mod context;
pub mod engine;
pub mod grade;
pub mod payer;
pub mod precheck;
pub mod progress;
pub mod request;
pub mod resume;
pub mod select;
pub mod steps;
pub mod writer;

pub use context::DEFAULT_MAX_CONSECUTIVE_FAULTS;
pub use engine::{Durability, RunError, RunOptions, RunOutcome, run, run_durable};
