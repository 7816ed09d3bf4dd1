//! The golden test vectors: the YAML format, its loader, the manifest that pins every file, the
//! lint that keeps the set trustworthy, tag filters, and the deterministic generator that writes
//! the committed suite.
//!
//! The public surface the runner uses is [`Suite::load`] and the typed [`Case`].

pub mod filter;
pub mod fresh;
pub mod generate;
pub mod images;
pub mod lint;
pub mod load;
pub mod manifest;
pub mod model;
pub mod overlay;
pub mod schema;
pub mod seal;
pub mod verdict;
mod wire;
pub mod yaml;

pub use filter::TagExpr;
pub use lint::{LintCode, LintFinding, LintReport, lint};
pub use load::{LoadError, LoadErrors, Loaded, Suite, load_dir};
pub use manifest::{Manifest, PlanVersion};
pub use model::*;
