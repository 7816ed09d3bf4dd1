//! `vectors/manifest.yaml`: the suite version, the rules version it speaks, the effective date
//! of every certification plan, the SHA-256 of every file, and the ledger of retired IDs.
//!
//! The manifest makes the suite tamper-evident: the loader refuses a set whose hashes do not
//! match, whose files are not all listed, or whose rules version this build does not know.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::SuiteVersion;
use crate::rules::catalogue::RULES_VERSION;

/// The file name of the manifest inside the vectors directory.
pub const MANIFEST_FILE: &str = "manifest.yaml";

/// Rules versions this build can judge vectors against: the catalogue's own, plus older ones
/// whose rule IDs and severities this catalogue still honours unchanged.
/// Rules versions a vector set may name. 2026.11.2 only added `EMV.QR.EC_LEVEL` and 2026.11.3
/// only `EMV.QR.QUIET_ZONE_NONE`, so sets written against 2026.11.1 keep their meaning.
pub const KNOWN_RULES_VERSIONS: &[&str] = &["2026.11.1", "2026.11.2", "2026.11.3", RULES_VERSION];

/// One certification plan: a suite version and the date it takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanVersion {
    /// The suite version.
    pub version: SuiteVersion,
    /// ISO 8601 date (`2026-11-01`) from which certification runs against this plan.
    pub effective: String,
    /// What changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The current suite version (the latest plan).
    pub suite_version: SuiteVersion,
    /// The rules version the vectors speak (`rules::catalogue::RULES_VERSION`).
    pub rules_version: String,
    /// Every plan, oldest first.
    pub versions: Vec<PlanVersion>,
    /// Every vector ID ever retired. A retired ID stays retired: no active case may take it,
    /// and its case stays in the suite.
    #[serde(default)]
    pub retired: Vec<String>,
    /// SHA-256 (lower-case hex) of every file, keyed by path relative to the vectors directory.
    pub files: BTreeMap<String, String>,
}

/// A manifest problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The rules version is not one this build knows.
    #[error(
        "the manifest speaks rules version {found}, which this qrcert does not know (it knows {known}); use the qrcert release that matches the suite"
    )]
    UnknownRulesVersion {
        /// What the manifest says.
        found: String,
        /// What this build knows, comma-separated.
        known: String,
    },
    /// Something is wrong with the plan list.
    #[error("versions: {0}")]
    Versions(String),
    /// A file's hash differs from the manifest.
    #[error(
        "{file}: SHA-256 is {actual} but the manifest says {listed}; the file was changed without `qrcert vectors manifest --update`"
    )]
    HashMismatch {
        /// Path relative to the vectors directory.
        file: String,
        /// The manifest's hash.
        listed: String,
        /// The file's hash.
        actual: String,
    },
    /// A file on disk is not in the manifest.
    #[error("{file}: not listed in the manifest; run `qrcert vectors manifest --update`")]
    Unlisted {
        /// Path relative to the vectors directory.
        file: String,
    },
    /// A listed file is missing.
    #[error("{file}: listed in the manifest but missing")]
    Missing {
        /// Path relative to the vectors directory.
        file: String,
    },
    /// A listed path is not a plain relative path inside the vectors directory.
    #[error("{file}: not a relative path inside the vectors directory")]
    BadPath {
        /// The path as listed.
        file: String,
    },
}

/// The SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Parses an ISO 8601 calendar date, `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year: i32 = s[0..4].parse().ok()?;
    let month: u8 = s[5..7].parse().ok()?;
    let day: u8 = s[8..10].parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    time::Date::from_calendar_date(year, month, day).ok()
}

/// Whether `path` is a plain relative path (`emvco/crc.yaml`): no `..`, no leading `/`, no
/// backslashes, no empty components.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains(':'))
}

impl Manifest {
    /// Checks what can be checked without the files: rules version and plan list.
    pub fn check_header(&self) -> Vec<ManifestError> {
        let mut errs = Vec::new();
        if !KNOWN_RULES_VERSIONS.contains(&self.rules_version.as_str()) {
            errs.push(ManifestError::UnknownRulesVersion {
                found: self.rules_version.clone(),
                known: KNOWN_RULES_VERSIONS.join(", "),
            });
        }
        if self.versions.is_empty() {
            errs.push(ManifestError::Versions("no plan is listed".into()));
        }
        let mut prev: Option<(&PlanVersion, time::Date)> = None;
        for v in &self.versions {
            let date = match parse_date(&v.effective) {
                Some(d) => d,
                None => {
                    errs.push(ManifestError::Versions(format!(
                        "{}: effective {:?} is not a date (YYYY-MM-DD)",
                        v.version, v.effective
                    )));
                    continue;
                }
            };
            if let Some((p, pd)) = prev
                && (v.version <= p.version || date < pd)
            {
                errs.push(ManifestError::Versions(format!(
                    "{} (effective {}) does not follow {} (effective {}): list plans oldest first",
                    v.version, v.effective, p.version, p.effective
                )));
            }
            prev = Some((v, date));
        }
        if self.versions.last().map(|v| v.version) != Some(self.suite_version) {
            errs.push(ManifestError::Versions(format!(
                "the suite version {} must be the last plan listed",
                self.suite_version
            )));
        }
        for f in self.files.keys() {
            if !is_plain_relative(f) || f == MANIFEST_FILE {
                errs.push(ManifestError::BadPath { file: f.clone() });
            }
        }
        errs
    }

    /// Whether `version` is a plan of this manifest.
    pub fn knows(&self, version: SuiteVersion) -> bool {
        self.versions.iter().any(|v| v.version == version)
    }

    /// The plan of a version.
    pub fn plan(&self, version: SuiteVersion) -> Option<&PlanVersion> {
        self.versions.iter().find(|v| v.version == version)
    }

    /// Compares the listed hashes with the actual files (`actual`: path -> SHA-256).
    pub fn check_files(&self, actual: &BTreeMap<String, String>) -> Vec<ManifestError> {
        let mut errs = Vec::new();
        for (file, listed) in &self.files {
            match actual.get(file) {
                None => errs.push(ManifestError::Missing { file: file.clone() }),
                Some(h) if !h.eq_ignore_ascii_case(listed) => {
                    errs.push(ManifestError::HashMismatch {
                        file: file.clone(),
                        listed: listed.clone(),
                        actual: h.clone(),
                    })
                }
                Some(_) => {}
            }
        }
        for file in actual.keys() {
            if !self.files.contains_key(file) {
                errs.push(ManifestError::Unlisted { file: file.clone() });
            }
        }
        errs
    }

    /// The manifest as YAML, in a fixed layout (so `--update` produces minimal diffs).
    pub fn to_yaml(&self) -> String {
        let q = super::yaml::quote;
        let mut out = String::new();
        out.push_str(
            "# The qrcert vector suite manifest. `qrcert vectors manifest --update` rewrites the\n",
        );
        out.push_str(
            "# hashes and the retired-ID ledger; edit versions by hand when a new plan starts.\n",
        );
        let _ = writeln!(out, "suite_version: {}", q(&self.suite_version.to_string()));
        let _ = writeln!(out, "rules_version: {}", q(&self.rules_version));
        out.push_str("versions:\n");
        for v in &self.versions {
            let _ = writeln!(out, "  - version: {}", q(&v.version.to_string()));
            let _ = writeln!(out, "    effective: {}", q(&v.effective));
            if let Some(n) = &v.notes {
                let _ = writeln!(out, "    notes: {}", q(n));
            }
        }
        if self.retired.is_empty() {
            out.push_str("retired: []\n");
        } else {
            out.push_str("retired:\n");
            for id in &self.retired {
                let _ = writeln!(out, "  - {}", q(id));
            }
        }
        out.push_str(if self.files.is_empty() {
            "files: {}\n"
        } else {
            "files:\n"
        });
        for (f, h) in &self.files {
            let _ = writeln!(out, "  {}: {}", q(f), q(h));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            suite_version: "2026.11.0".parse().unwrap(),
            rules_version: RULES_VERSION.into(),
            versions: vec![PlanVersion {
                version: "2026.11.0".parse().unwrap(),
                effective: "2026-11-01".into(),
                notes: Some("First plan.".into()),
            }],
            retired: vec!["EMV-CRC-009".into()],
            files: BTreeMap::from([("emvco/crc.yaml".into(), sha256_hex(b"x"))]),
        }
    }

    #[test]
    fn yaml_round_trips() {
        let m = manifest();
        let back: Manifest = serde_saphyr::from_str(&m.to_yaml()).unwrap();
        assert_eq!(back, m);
        assert!(m.check_header().is_empty(), "{:?}", m.check_header());
    }

    #[test]
    fn header_problems_are_named() {
        let mut m = manifest();
        m.rules_version = "1999.1.0".into();
        m.versions.push(PlanVersion {
            version: "2026.10.0".parse().unwrap(),
            effective: "2026-13-01".into(),
            notes: None,
        });
        m.files.insert("../etc/passwd".into(), "00".into());
        let errs = m.check_header();
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("1999.1.0")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("not a date")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("must be the last")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("../etc/passwd")), "{text:?}");
    }

    #[test]
    fn file_checks_find_edits_gaps_and_strays() {
        let m = manifest();
        let same = BTreeMap::from([("emvco/crc.yaml".into(), sha256_hex(b"x"))]);
        assert!(m.check_files(&same).is_empty());
        let edited = BTreeMap::from([
            ("emvco/crc.yaml".into(), sha256_hex(b"y")),
            ("emvco/new.yaml".into(), sha256_hex(b"z")),
        ]);
        let errs = m.check_files(&edited);
        assert!(matches!(errs[0], ManifestError::HashMismatch { .. }));
        assert!(matches!(errs[1], ManifestError::Unlisted { .. }));
        assert!(matches!(
            m.check_files(&BTreeMap::new())[0],
            ManifestError::Missing { .. }
        ));
    }

    #[test]
    fn plain_relative_paths() {
        assert!(is_plain_relative("emvco/crc.yaml"));
        assert!(is_plain_relative("images/a.png"));
        for bad in ["", "/etc/x", "a/../b", "./a", "a//b", "a\\b", "C:/x"] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
    }
}
