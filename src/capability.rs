//! What an implementation under test can do.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One operation of the adapter protocol that an implementation may claim, and that vectors and
/// certification verdicts are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Capability {
    /// Decode a payload string into its data objects.
    Parse,
    /// Accept or reject a payload, naming the broken rules.
    Validate,
    /// Produce a payload from neutral merchant data.
    Generate,
    /// Produce a QR image (PNG) from a payload.
    Render,
    /// Read the payload back from a QR image.
    Scan,
}

impl Capability {
    /// Every capability, in protocol order.
    pub const ALL: [Capability; 5] = [
        Capability::Parse,
        Capability::Validate,
        Capability::Generate,
        Capability::Render,
        Capability::Scan,
    ];

    /// The name used on the command line, in vectors and in the adapter protocol.
    pub const fn as_str(self) -> &'static str {
        match self {
            Capability::Parse => "parse",
            Capability::Validate => "validate",
            Capability::Generate => "generate",
            Capability::Render => "render",
            Capability::Scan => "scan",
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A capability name that qrcert does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown capability {0:?} (expected one of: parse, validate, generate, render, scan)")]
pub struct UnknownCapability(pub String);

impl FromStr for Capability {
    type Err = UnknownCapability;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Capability::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCapability(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Capability::ALL {
            assert_eq!(c.as_str().parse::<Capability>(), Ok(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
        }
        assert!("Scan".parse::<Capability>().is_err());
    }
}
