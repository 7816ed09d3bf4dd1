//! What a tester records for one card, and the bounds it must keep.

use serde::{Deserialize, Serialize};

use crate::deck::shown::Displayed;

/// The longest field a tester types (name, city, amount, currency).
pub const MAX_FIELD_CHARS: usize = 200;
/// The longest note.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The largest observation body accepted by the API.
pub const MAX_OBSERVATION_BYTES: usize = 16 * 1024;

/// What the app did with the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It showed a payment screen.
    Accepted,
    /// It refused the code.
    Refused,
    /// It crashed or hung.
    Crashed,
    /// Something else (the note says what).
    Other,
}

impl Outcome {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Refused => "refused",
            Outcome::Crashed => "crashed",
            Outcome::Other => "other",
        }
    }
}

/// One observation, as `POST /api/cases/{id}/observation` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// What the app did.
    pub outcome: Outcome,
    /// What its payment screen showed (only with `accepted`).
    #[serde(default)]
    pub shown: Displayed,
    /// Anything else the tester saw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An observation the API refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObservationError {
    /// A field over its bound.
    #[error("{field} is {chars} characters long; at most {limit} are kept")]
    TooLong {
        /// The field.
        field: &'static str,
        /// Its length.
        chars: usize,
        /// The bound.
        limit: usize,
    },
    /// A control character in a field.
    #[error("{field} holds a control character")]
    Control {
        /// The field.
        field: &'static str,
    },
    /// Values shown for a code the app did not accept.
    #[error("shown values are recorded only when the app accepted the code (outcome accepted)")]
    ShownWithoutAccept,
}

impl Observation {
    /// Checks the bounds.
    pub fn check(&self) -> Result<(), ObservationError> {
        let fields = [
            ("shown.amount", &self.shown.amount, MAX_FIELD_CHARS),
            ("shown.currency", &self.shown.currency, MAX_FIELD_CHARS),
            (
                "shown.merchant_name",
                &self.shown.merchant_name,
                MAX_FIELD_CHARS,
            ),
            (
                "shown.merchant_city",
                &self.shown.merchant_city,
                MAX_FIELD_CHARS,
            ),
            ("note", &self.note, MAX_NOTE_CHARS),
        ];
        for (field, value, limit) in fields {
            let Some(v) = value else { continue };
            let chars = v.chars().count();
            if chars > limit {
                return Err(ObservationError::TooLong {
                    field,
                    chars,
                    limit,
                });
            }
            if v.chars()
                .any(|c| c.is_control() && !(field == "note" && c == '\n'))
            {
                return Err(ObservationError::Control { field });
            }
        }
        let any_shown = [
            &self.shown.amount,
            &self.shown.currency,
            &self.shown.merchant_name,
            &self.shown.merchant_city,
        ]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()));
        if any_shown && self.outcome != Outcome::Accepted {
            return Err(ObservationError::ShownWithoutAccept);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_shape_are_checked() {
        let ok: Observation = serde_json::from_str(
            r#"{"outcome":"accepted","shown":{"amount":"2.50","currency":"USD"},"note":"fine"}"#,
        )
        .unwrap();
        assert_eq!(ok.check(), Ok(()));
        let long = Observation {
            note: Some("x".repeat(MAX_NOTE_CHARS + 1)),
            ..ok.clone()
        };
        assert!(matches!(
            long.check(),
            Err(ObservationError::TooLong { field: "note", .. })
        ));
        let mut ctl = ok.clone();
        ctl.shown.merchant_name = Some("a\u{0}b".into());
        assert_eq!(
            ctl.check(),
            Err(ObservationError::Control {
                field: "shown.merchant_name"
            })
        );
        let refused = Observation {
            outcome: Outcome::Refused,
            ..ok
        };
        assert_eq!(refused.check(), Err(ObservationError::ShownWithoutAccept));
        assert!(serde_json::from_str::<Observation>(r#"{"outcome":"maybe"}"#).is_err());
        assert!(serde_json::from_str::<Observation>(r#"{"outcome":"other","x":1}"#).is_err());
    }
}
