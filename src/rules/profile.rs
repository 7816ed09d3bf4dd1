//! Profiles as data: how lengths count, which IDs are templates, which checks run, and which
//! EMVCo base rules the profile relaxes (each relaxation named by rule ID, shown in reports).

use crate::Profile;
use crate::emv::{LengthUnit, TemplateSet};

use super::generated::ReplyChecks;
use super::rule::{Rule, Severity};
use super::validator::{Context, Sink};

/// What a profile does to a base rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The rule does not apply under this profile.
    Disable,
    /// The rule applies with another severity.
    Severity(Severity),
}

/// One explicit departure from the EMVCo base layer.
#[derive(Debug)]
pub struct Relaxation {
    /// The base rule.
    pub rule: &'static Rule,
    /// The root IDs whose findings are relaxed; empty means everywhere.
    pub roots: &'static [u8],
    /// What happens to its findings.
    pub action: Action,
    /// Why, for reports.
    pub reason: &'static str,
}

impl Relaxation {
    /// Whether this relaxation covers a finding of `rule` at root ID `root`.
    pub fn covers(&self, rule: &'static Rule, root: Option<u8>) -> bool {
        std::ptr::eq(self.rule, rule)
            && (self.roots.is_empty() || root.is_some_and(|r| self.roots.contains(&r)))
    }
}

/// A check: reads the parsed payload, reports findings.
pub type Check = fn(&Context<'_>, &mut Sink<'_>);

/// Everything that makes a profile.
pub struct ProfileSpec {
    /// Which profile.
    pub profile: Profile,
    /// What a TLV length counts.
    pub unit: LengthUnit,
    /// Which IDs hold nested TLV.
    pub templates: TemplateSet,
    /// Whether the EMVCo base checks run.
    pub emv_base: bool,
    /// Departures from the base layer.
    pub relaxations: &'static [Relaxation],
    /// The profile's own checks, run after the base checks.
    pub checks: &'static [Check],
    /// The profile's own rules (for `qrcert rules --profile`).
    pub rules: &'static [&'static Rule],
    /// Checks of a generator's whole reply (payload and digest), when the profile has rules
    /// about it.
    pub generated: Option<&'static ReplyChecks>,
}

impl std::fmt::Debug for ProfileSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileSpec")
            .field("profile", &self.profile)
            .field("unit", &self.unit)
            .field("relaxations", &self.relaxations.len())
            .field("checks", &self.checks.len())
            .finish()
    }
}

/// The EMVCo base profile: strict MPM.
pub static EMVCO: ProfileSpec = ProfileSpec {
    profile: Profile::Emvco,
    unit: LengthUnit::Chars,
    templates: TemplateSet::EMV,
    emv_base: true,
    relaxations: &[],
    checks: &[],
    rules: &[],
    generated: None,
};

/// The spec of a profile, or `None` when this build does not implement it (every profile is
/// implemented now; the `Option` keeps callers ready for profiles added later).
pub fn spec(profile: Profile) -> Option<&'static ProfileSpec> {
    match profile {
        Profile::Emvco => Some(&EMVCO),
        Profile::Jpqr => Some(&super::jpqr::SPEC),
        Profile::Khqr => Some(&super::khqr::SPEC),
        Profile::Interop => Some(&super::interop::SPEC),
        Profile::JpqrBill => Some(&super::jpqr::BILL_SPEC),
    }
}

/// The rules a profile applies: the base layer (unless the profile does not use it) and its own,
/// with the relaxations it declares.
pub fn rules_of(spec: &'static ProfileSpec) -> impl Iterator<Item = &'static Rule> {
    let base: &'static [&'static Rule] = if spec.emv_base {
        super::emvco::RULES
    } else {
        &[]
    };
    base.iter().chain(spec.rules.iter()).copied()
}
