//! Which vectors a run covers: the command line's filters, as one predicate over cases.

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::vectors::filter::shard_of;
use crate::vectors::{Case, Input, TagExpr, VectorStatus};
use crate::{Capability, Profile};

pub use crate::role::CertRole;

/// The role a case belongs to.
pub fn role_of(case: &Case) -> CertRole {
    CertRole::of_cell(case.profile, case.capability())
}

/// The filters of one run.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Profiles (empty: all).
    pub profiles: Vec<Profile>,
    /// Capabilities (empty: all).
    pub capabilities: Vec<Capability>,
    /// Roles (empty: all).
    pub roles: Vec<CertRole>,
    /// Tag expression.
    pub tags: Option<TagExpr>,
    /// The tag expression as typed.
    pub tags_text: Option<String>,
    /// Vector ID globs (empty: all).
    pub vectors: Vec<String>,
    /// Only the smoke subset.
    pub smoke: bool,
    /// Only shard `k` of `n` (0-based `k`).
    pub shard: Option<(u32, u32)>,
}

/// A vector ID glob that does not compile.
#[derive(Debug, Clone, thiserror::Error)]
#[error("--vector {0:?} is not a valid glob: {1}")]
pub struct BadGlob(pub String, pub String);

/// The compiled filters.
#[derive(Debug, Clone)]
pub struct Selector {
    filters: Filters,
    globs: Option<GlobSet>,
}

impl Selector {
    /// Compiles the filters.
    pub fn new(filters: Filters) -> Result<Selector, BadGlob> {
        let globs = if filters.vectors.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for g in &filters.vectors {
                b.add(Glob::new(g).map_err(|e| BadGlob(g.clone(), e.to_string()))?);
            }
            Some(
                b.build()
                    .map_err(|e| BadGlob(filters.vectors.join(","), e.to_string()))?,
            )
        };
        Ok(Selector { filters, globs })
    }

    /// The filters.
    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    /// Whether the run covers `case`. Retired vectors never run. Two kinds of validate vectors
    /// test qrcert's own validator only and are not sent to implementations: those judged in the
    /// generator role (they grade generated output, not a consumer), and those whose payload is
    /// not UTF-8 (the JSON adapter protocol cannot carry it; such bytes are an adapter's decoding
    /// problem, covered by the scan and transport tests).
    pub fn covers(&self, case: &Case) -> bool {
        let f = &self.filters;
        if case.status != VectorStatus::Active {
            return false;
        }
        if let Input::Validate(v) = &case.input
            && (v.role == crate::rules::Role::Generator || v.payload.as_str().is_none())
        {
            return false;
        }
        if !f.profiles.is_empty() && !f.profiles.contains(&case.profile) {
            return false;
        }
        if !f.capabilities.is_empty() && !f.capabilities.contains(&case.capability()) {
            return false;
        }
        if !f.roles.is_empty() && !f.roles.contains(&role_of(case)) {
            return false;
        }
        if f.smoke && !case.has_tag("smoke") {
            return false;
        }
        if let Some(expr) = &f.tags
            && !expr.matches(&|t: &str| case.has_tag(t))
        {
            return false;
        }
        if let Some(g) = &self.globs
            && !g.is_match(&case.id)
        {
            return false;
        }
        if let Some((k, n)) = f.shard
            && shard_of(&case.id, n) != k
        {
            return false;
        }
        true
    }
}
