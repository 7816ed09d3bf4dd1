//! Rules that the runner's grading fires on its own, beyond the rules vectors name: what an
//! implementation's symbol shows (render), and what its behaviour shows (a consumer accepting a
//! bad CRC). Each entry says what in a suite lets grading reach it, so `qrcert vectors lint` can
//! tell a rule that some grading path fires from a dead one. The grader names these rules
//! through this table, so the table cannot claim a path the grader does not take.

use crate::Capability;

use super::emvco;
use super::rule::Rule;

/// What in a suite lets grading fire a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Any active vector of this capability.
    Capability(Capability),
    /// An active validate vector expecting a rejection for a profile's CRC-mismatch rule (the
    /// consumer who accepts it breaks the graded rule).
    CrcMismatchRejection,
}

/// A rule grading fires, and what lets it.
#[derive(Debug)]
pub struct Graded {
    /// The rule.
    pub rule: &'static Rule,
    /// What a suite needs for grading to fire it.
    pub trigger: Trigger,
}

const RENDER: Trigger = Trigger::Capability(Capability::Render);

/// Every rule grading fires on its own.
pub static GRADED: &[Graded] = &[
    Graded {
        rule: &emvco::ID63_CONSUMER_REJECTS_BAD_CRC,
        trigger: Trigger::CrcMismatchRejection,
    },
    Graded {
        rule: &emvco::QR_DECODES,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_BYTE_MODE_ONLY,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_NO_STRUCTURED_APPEND,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_NO_FNC1,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_ECI_UTF8_REQUIRED,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_ECI_VALUE,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_QUIET_ZONE,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_QUIET_ZONE_NONE,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_EC_LEVEL,
        trigger: RENDER,
    },
    Graded {
        rule: &emvco::QR_NOT_MIRRORED,
        trigger: RENDER,
    },
];

/// The entry for a rule, if grading fires it.
pub fn graded(id: &str) -> Option<&'static Graded> {
    GRADED.iter().find(|g| g.rule.id == id)
}
