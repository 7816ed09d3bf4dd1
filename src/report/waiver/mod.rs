//! Waivers: a vendor's known, ticketed gaps, accepted for a limited time.
//!
//! One YAML file per implementation (`qrcert run --waivers FILE`):
//!
//! ```yaml
//! implementation: acme-qr        # optional: the `describe` name this file is for
//! waivers:
//!   - vector: EMV-CRC-001        # a vector ID, or a glob over IDs (`*`, `?`, `[...]`)
//!     expected_grade: FAIL       # FAIL, ERROR or NON_STRICT: the grade the gap produces
//!     reason: Accepts payloads with a bad CRC; the parser fix ships in 2.4.
//!     reference: ACME-1234       # ticket
//!     expires: 2026-06-30        # last day the waiver applies (the run clock's UTC date)
//! ```
//!
//! Unknown keys are refused, the file is at most [`MAX_WAIVER_FILE`] bytes and
//! [`MAX_WAIVERS`] entries. How a waiver changes grades is in [`apply`].

mod apply;

use std::path::Path;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use time::{Date, Month};

use crate::report::model::Grade;

pub use apply::{WaiverWarning, apply, clock_date};

/// The largest waiver file read (1 MiB).
pub const MAX_WAIVER_FILE: u64 = 1024 * 1024;
/// The most waivers one file may hold.
pub const MAX_WAIVERS: usize = 10_000;

/// A waiver file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_WAIVER_FILE`].
    #[error("{path}: {size} bytes is over the {MAX_WAIVER_FILE}-byte limit for a waiver file")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
    },
    /// Not YAML of the waiver shape.
    #[error("{origin}{}: {message}", location(.line, .column))]
    Syntax {
        /// The file.
        origin: String,
        /// 1-based line, when known.
        line: Option<u64>,
        /// 1-based column, when known.
        column: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// An entry has a bad value.
    #[error("{origin}: waiver {index} ({vector:?}): {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// 1-based position in the list.
        index: usize,
        /// Its `vector` field.
        vector: String,
        /// What is wrong.
        message: String,
    },
    /// More than [`MAX_WAIVERS`] entries.
    #[error("{origin}: {count} waivers is over the limit of {MAX_WAIVERS}")]
    TooMany {
        /// The file.
        origin: String,
        /// How many.
        count: usize,
    },
}

fn location(line: &Option<u64>, column: &Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    implementation: Option<String>,
    #[serde(default)]
    waivers: Vec<RawWaiver>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    vector: String,
    expected_grade: Grade,
    reason: String,
    reference: String,
    expires: String,
}

/// One waiver.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The vector ID or glob, as written.
    pub vector: String,
    /// The grade the gap produces: FAIL, ERROR or NON_STRICT.
    pub expected_grade: Grade,
    /// Why the gap exists.
    pub reason: String,
    /// Ticket or other reference.
    pub reference: String,
    /// The last day on which the waiver applies.
    pub expires: Date,
    matcher: GlobMatcher,
    exact: bool,
}

impl Waiver {
    /// Whether the waiver names `id` (exactly or through its glob).
    pub fn matches(&self, id: &str) -> bool {
        if self.exact {
            self.vector == id
        } else {
            self.matcher.is_match(id)
        }
    }

    /// Whether `vector` is a plain ID rather than a glob.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// `expires` as `YYYY-MM-DD`.
    pub fn expires_text(&self) -> String {
        format_date(self.expires)
    }
}

/// A loaded waiver file.
#[derive(Debug, Clone, Default)]
pub struct Waivers {
    /// The implementation name the file is for, when it says.
    pub implementation: Option<String>,
    /// The waivers, in file order.
    pub waivers: Vec<Waiver>,
    /// Where they came from (a path, or a label for text).
    pub origin: String,
}

impl Waivers {
    /// Reads a waiver file, refusing files over [`MAX_WAIVER_FILE`] before reading them.
    pub fn load(path: &Path) -> Result<Waivers, WaiverError> {
        use std::io::Read;
        let origin = path.display().to_string();
        let io = |source| WaiverError::Io {
            path: origin.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let mut text = String::new();
        // Read one byte past the limit so an oversized (or growing) file is seen as such.
        file.take(MAX_WAIVER_FILE + 1)
            .read_to_string(&mut text)
            .map_err(io)?;
        if text.len() as u64 > MAX_WAIVER_FILE {
            return Err(WaiverError::TooLarge {
                path: origin,
                size: text.len() as u64,
            });
        }
        Waivers::from_yaml(&text, &origin)
    }

    /// Parses waiver YAML; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Waivers, WaiverError> {
        if text.len() as u64 > MAX_WAIVER_FILE {
            return Err(WaiverError::TooLarge {
                path: origin.to_owned(),
                size: text.len() as u64,
            });
        }
        let options = serde_saphyr::options! { with_snippet: false, crop_radius: 0 };
        let raw: RawFile = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
            let loc = e.location();
            let message = e.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            WaiverError::Syntax {
                origin: origin.to_owned(),
                line: loc.map(|l| l.line()),
                column: loc.map(|l| l.column()),
                message,
            }
        })?;
        if raw.waivers.len() > MAX_WAIVERS {
            return Err(WaiverError::TooMany {
                origin: origin.to_owned(),
                count: raw.waivers.len(),
            });
        }
        let waivers = raw
            .waivers
            .into_iter()
            .enumerate()
            .map(|(i, w)| check(w, origin, i + 1))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Waivers {
            implementation: raw.implementation,
            waivers,
            origin: origin.to_owned(),
        })
    }
}

fn check(w: RawWaiver, origin: &str, index: usize) -> Result<Waiver, WaiverError> {
    let invalid = |message: String| WaiverError::Invalid {
        origin: origin.to_owned(),
        index,
        vector: w.vector.clone(),
        message,
    };
    if w.vector.trim().is_empty() {
        return Err(invalid("`vector` is empty".into()));
    }
    if !matches!(
        w.expected_grade,
        Grade::Fail | Grade::Error | Grade::NonStrict
    ) {
        return Err(invalid(format!(
            "expected_grade {} cannot be waived (only FAIL, ERROR or NON_STRICT)",
            w.expected_grade
        )));
    }
    if w.reason.trim().is_empty() {
        return Err(invalid("`reason` is empty: say why the gap exists".into()));
    }
    if w.reference.trim().is_empty() {
        return Err(invalid("`reference` is empty: name the ticket".into()));
    }
    let expires = parse_date(&w.expires).ok_or_else(|| {
        invalid(format!(
            "expires {:?} is not a date of the form YYYY-MM-DD",
            w.expires
        ))
    })?;
    let exact = !w.vector.contains(['*', '?', '[', ']', '{', '}']);
    let matcher = Glob::new(&w.vector)
        .map_err(|e| invalid(format!("bad glob: {e}")))?
        .compile_matcher();
    Ok(Waiver {
        vector: w.vector,
        expected_grade: w.expected_grade,
        reason: w.reason,
        reference: w.reference,
        expires,
        matcher,
        exact,
    })
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
    let day = u8::try_from(digits(8..10)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month() as u8,
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
implementation: acme-qr
waivers:
  - vector: EMV-CRC-001
    expected_grade: FAIL
    reason: accepts bad CRCs
    reference: ACME-1
    expires: 2026-06-30
  - vector: \"KHQR-*\"
    expected_grade: ERROR
    reason: times out on KHQR
    reference: ACME-2
    expires: \"2027-01-01\"
";

    #[test]
    fn loads_ids_globs_and_dates() {
        let w = Waivers::from_yaml(GOOD, "w.yaml").unwrap();
        assert_eq!(w.implementation.as_deref(), Some("acme-qr"));
        assert_eq!(w.waivers.len(), 2);
        assert!(w.waivers[0].is_exact());
        assert!(w.waivers[0].matches("EMV-CRC-001"));
        assert!(!w.waivers[0].matches("EMV-CRC-0011"));
        assert_eq!(w.waivers[0].expires_text(), "2026-06-30");
        assert!(!w.waivers[1].is_exact());
        assert!(w.waivers[1].matches("KHQR-TAG29-004"));
        assert!(!w.waivers[1].matches("EMV-KHQR-1"));
        assert_eq!(w.waivers[1].expected_grade, Grade::Error);
    }

    #[test]
    fn refuses_bad_files_clearly() {
        let unknown = "waivers:\n  - vector: A\n    expected_grade: FAIL\n    reason: r\n    reference: t\n    expires: 2026-01-01\n    owner: me\n";
        let e = Waivers::from_yaml(unknown, "w.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("w.yaml:"), "{e}");
        assert!(e.contains("owner"), "{e}");

        let pass = GOOD.replace("expected_grade: FAIL", "expected_grade: PASS");
        let e = Waivers::from_yaml(&pass, "w.yaml").unwrap_err().to_string();
        assert!(e.contains("PASS cannot be waived"), "{e}");

        let date = GOOD.replace("2026-06-30", "30/06/2026");
        let e = Waivers::from_yaml(&date, "w.yaml").unwrap_err().to_string();
        assert!(e.contains("waiver 1 (\"EMV-CRC-001\")"), "{e}");
        assert!(e.contains("YYYY-MM-DD"), "{e}");

        let grade = GOOD.replace("expected_grade: FAIL", "expected_grade: BROKEN");
        let e = Waivers::from_yaml(&grade, "w.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("BROKEN"), "{e}");

        let no_reason = GOOD.replace("accepts bad CRCs", "\"\"");
        assert!(Waivers::from_yaml(&no_reason, "w").is_err());
        assert!(Waivers::from_yaml("- just a list", "w").is_err());
        assert!(Waivers::from_yaml(&GOOD.replace("\"KHQR-*\"", "\"KHQR-[\""), "w").is_err());
    }

    #[test]
    fn load_bounds_the_file_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        let mut text = String::from("waivers: []\n");
        while (text.len() as u64) <= MAX_WAIVER_FILE {
            text.push_str("# padding padding padding padding padding padding padding\n");
        }
        std::fs::write(&path, &text).unwrap();
        let e = Waivers::load(&path).unwrap_err();
        assert!(matches!(e, WaiverError::TooLarge { .. }), "{e}");
        let e = Waivers::load(&dir.path().join("missing.yaml")).unwrap_err();
        assert!(e.to_string().contains("missing.yaml"), "{e}");
        let ok = dir.path().join("ok.yaml");
        std::fs::write(&ok, GOOD).unwrap();
        assert_eq!(Waivers::load(&ok).unwrap().waivers.len(), 2);
    }
}
