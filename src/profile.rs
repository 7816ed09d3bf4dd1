//! The profiles a payload can be judged under.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A rule profile: the EMVCo base layer, a national profile on top of it, or the cross-border
/// overlay. Serialised in lower case (`"khqr"`), as vectors, adapters and reports spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// EMVCo Merchant-Presented Mode, strict.
    Emvco,
    /// Japan's unified code (Payments Japan Association), merchant-presented.
    Jpqr,
    /// Cambodia's Bakong KHQR.
    Khqr,
    /// JPQR <-> KHQR cross-border rules, applied on top of the detected national profile.
    Interop,
    /// The numeric JPQR bill-payment / eL-QR form: recognised, not judged by MPM rules.
    JpqrBill,
}

impl Profile {
    /// Every profile, in catalogue order.
    pub const ALL: [Profile; 5] = [
        Profile::Emvco,
        Profile::Jpqr,
        Profile::Khqr,
        Profile::Interop,
        Profile::JpqrBill,
    ];

    /// The name used on the command line, in vectors and in reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::Emvco => "emvco",
            Profile::Jpqr => "jpqr",
            Profile::Khqr => "khqr",
            Profile::Interop => "interop",
            Profile::JpqrBill => "jpqr-bill",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A profile name that qrcert does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile {0:?} (expected one of: emvco, jpqr, khqr, interop, jpqr-bill)")]
pub struct UnknownProfile(pub String);

impl FromStr for Profile {
    type Err = UnknownProfile;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownProfile(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_str_and_serde() {
        for p in Profile::ALL {
            assert_eq!(p.as_str().parse::<Profile>(), Ok(p));
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
        assert!("KHQR".parse::<Profile>().is_err());
    }
}
