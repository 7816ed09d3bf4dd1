//! The clock of a run: one instant, injected (`--now`) or read once at the start, never read
//! inside a rule.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An instant in milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clock {
    millis: i64,
}

impl Clock {
    /// The instant `millis` after the epoch.
    pub const fn from_millis(millis: i64) -> Clock {
        Clock { millis }
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.millis
    }

    /// The system clock, read once. Callers keep the value for the whole run.
    pub fn system() -> Clock {
        let now = OffsetDateTime::now_utc();
        Clock::from_millis((now.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-01-01T00:00:00.000Z`.
    pub fn to_rfc3339(self) -> String {
        let nanos = i128::from(self.millis) * 1_000_000;
        match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
            Ok(t) => {
                let (y, mo, d) = (t.year(), t.month() as u8, t.day());
                format!(
                    "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                    t.hour(),
                    t.minute(),
                    t.second(),
                    t.millisecond()
                )
            }
            Err(_) => format!("@{}ms", self.millis),
        }
    }
}

/// A `--now` value that is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not an RFC 3339 timestamp (e.g. 2026-05-28T20:26:40Z) or milliseconds since the epoch"
)]
pub struct BadClock(pub String);

impl FromStr for Clock {
    type Err = BadClock;

    /// Accepts RFC 3339 (`2026-05-28T20:26:40.000Z`, any offset) or integer milliseconds since the
    /// epoch (`1780000900000`, the unit KHQR timestamps use).
    fn from_str(s: &str) -> Result<Clock, BadClock> {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            return s
                .parse::<i64>()
                .map(Clock::from_millis)
                .map_err(|_| BadClock(s.to_owned()));
        }
        let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| BadClock(s.to_owned()))?;
        let millis = t.unix_timestamp_nanos() / 1_000_000;
        i64::try_from(millis)
            .map(Clock::from_millis)
            .map_err(|_| BadClock(s.to_owned()))
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Clock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Clock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Clock, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_millis() {
        let c: Clock = "2026-05-28T20:26:40Z".parse().unwrap();
        assert_eq!(c.millis(), 1_780_000_000_000);
        assert_eq!(c.to_rfc3339(), "2026-05-28T20:26:40.000Z");
        let c: Clock = "2026-05-28T22:26:40.001+02:00".parse().unwrap();
        assert_eq!(c.millis(), 1_780_000_000_001);
        assert_eq!(
            "1780000900000".parse::<Clock>().unwrap().millis(),
            1_780_000_900_000
        );
        assert!("yesterday".parse::<Clock>().is_err());
        assert!("".parse::<Clock>().is_err());
    }
}
