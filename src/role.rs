//! Certification roles: which side of a payment an implementation plays, as national switches
//! organise their test plans. A certificate names the roles it covers.

use serde::{Deserialize, Serialize};

use crate::{Capability, Profile};

/// A certification role.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    Serialize,
    Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum CertRole {
    /// The merchant side: generating and rendering codes.
    Merchant,
    /// The wallet side: parsing, validating as a consumer, scanning.
    Wallet,
    /// A wallet of one scheme against codes of the other.
    CrossBorder,
}

impl CertRole {
    /// Every role.
    pub const ALL: [CertRole; 3] = [CertRole::Merchant, CertRole::Wallet, CertRole::CrossBorder];

    /// The name used on the command line, in feature tags (`@cross-border`) and reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            CertRole::Merchant => "merchant",
            CertRole::Wallet => "wallet",
            CertRole::CrossBorder => "cross-border",
        }
    }

    /// The role a profile x capability cell belongs to: an overlay profile's (interop) cells
    /// are cross-border.
    pub fn of_cell(profile: Profile, capability: Capability) -> CertRole {
        if profile.spec().kind == crate::rules::profile::Kind::Overlay {
            CertRole::CrossBorder
        } else if matches!(capability, Capability::Generate | Capability::Render) {
            CertRole::Merchant
        } else {
            CertRole::Wallet
        }
    }

    /// The capabilities a profile must have certified for this role to hold: all of them. A
    /// merchant system that generates but cannot render, or a wallet that validates but cannot
    /// scan, holds no role certificate, only its cells.
    pub const fn capabilities(self) -> &'static [Capability] {
        match self {
            CertRole::Merchant => &[Capability::Generate, Capability::Render],
            CertRole::Wallet => &[Capability::Parse, Capability::Validate, Capability::Scan],
            CertRole::CrossBorder => &[
                Capability::Parse,
                Capability::Validate,
                Capability::Generate,
            ],
        }
    }
}

/// A cross-border direction: a wallet of one profile meeting codes of another. Every
/// cross-border case carries one, and certificates are given per direction ("jpqr wallet at
/// khqr codes: certified").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Direction {
    /// The wallet's profile.
    pub wallet: Profile,
    /// The profile of the codes it meets (`emvco` for a code of no national scheme).
    pub code: Profile,
}

impl Direction {
    /// The capabilities a direction needs certified: the wallet's. A direction whose merchant
    /// side ran (the code's scheme generating for this wallet) needs that certified too.
    pub const WALLET: [Capability; 2] = [Capability::Parse, Capability::Validate];
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} wallet at {} codes", self.wallet, self.code)
    }
}

impl std::fmt::Display for CertRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_belongs_to_a_role_that_requires_it() {
        for p in Profile::ALL {
            for c in Capability::ALL {
                let role = CertRole::of_cell(p, c);
                // Interop has no render or scan vectors: a cross-border wallet meets codes, not
                // images of them.
                if role == CertRole::CrossBorder
                    && matches!(c, Capability::Render | Capability::Scan)
                {
                    continue;
                }
                assert!(role.capabilities().contains(&c), "{p} {c} -> {role}");
            }
        }
    }
}
