//! Report files on disk: reading a `report.json` (bounded), and writing every format of one run
//! into a directory, as `qrcert run --out DIR` does.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::model::Report;
use super::sign::{self, SecretKey};
use super::{html, junit, markdown};

/// The largest report read (1 GiB): failing images are kept up to 256 KiB each.
pub const MAX_REPORT_BYTES: u64 = 1 << 30;

/// File names inside a run's output directory.
pub const REPORT_JSON: &str = "report.json";
/// JUnit XML.
pub const JUNIT_XML: &str = "junit.xml";
/// The HTML page.
pub const REPORT_HTML: &str = "report.html";
/// The Markdown summary.
pub const SUMMARY_MD: &str = "summary.md";
/// The detached signature of report.json.
pub const SIGNATURE: &str = "report.json.sig";

/// A report file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ReportFileError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Over the size limit.
    #[error("{path}: larger than {limit} bytes; not read")]
    TooLarge {
        /// The file.
        path: String,
        /// The limit.
        limit: u64,
    },
    /// Not a qrcert report.
    #[error("{path}: not a qrcert report: {source}")]
    Json {
        /// The file.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
    /// JUnit could not be written.
    #[error(transparent)]
    Junit(#[from] junit::JunitError),
}

/// Reads at most `limit` bytes of `path`, refusing larger files.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReportFileError> {
    let io = |source| ReportFileError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReportFileError::TooLarge {
            path: path.display().to_string(),
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a report: its exact bytes (what a signature covers) and the parsed model.
pub fn read_report(path: &Path) -> Result<(Vec<u8>, Report), ReportFileError> {
    let bytes = read_bounded(path, MAX_REPORT_BYTES)?;
    let mut report = Report::from_json(&bytes).map_err(|source| ReportFileError::Json {
        path: path.display().to_string(),
        source,
    })?;
    // A report of an earlier format is judged as this harness judges: its certificate (reasons,
    // roles, cells not claimed) is derived again from its cases. The bytes stay as read, for
    // signature checks.
    if report.report_format < crate::report::model::REPORT_FORMAT {
        report.recompute();
    }
    Ok((bytes, report))
}

/// The files [`write_all`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// report.json (absent when only the derived formats were written).
    pub json: Option<PathBuf>,
    /// junit.xml.
    pub junit: PathBuf,
    /// report.html.
    pub html: PathBuf,
    /// summary.md.
    pub markdown: PathBuf,
    /// report.json.sig, when a key was given.
    pub signature: Option<PathBuf>,
}

fn write(path: PathBuf, bytes: &[u8]) -> Result<PathBuf, ReportFileError> {
    std::fs::write(&path, bytes).map_err(|source| ReportFileError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(path)
}

/// Writes `report.json` (canonical bytes), `junit.xml`, `report.html`, `summary.md` and, with a
/// key, `report.json.sig` into `dir` (created if missing).
pub fn write_all(
    report: &Report,
    dir: &Path,
    key: Option<&SecretKey>,
) -> Result<Written, ReportFileError> {
    // The derived formats first, each written and dropped before the next: for a large run
    // the canonical bytes and the HTML page are never in memory together.
    let mut written = write_derived(report, dir)?;
    let json = report.to_canonical_json();
    written.json = Some(write(dir.join(REPORT_JSON), &json)?);
    if let Some(key) = key {
        let sig = sign::sign(&json, key);
        written.signature = Some(write(dir.join(SIGNATURE), sig.as_bytes())?);
    }
    Ok(written)
}

/// Writes only the formats made from the report (JUnit, HTML, Markdown) into `dir`.
pub fn write_derived(report: &Report, dir: &Path) -> Result<Written, ReportFileError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportFileError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(Written {
        json: None,
        junit: write(dir.join(JUNIT_XML), junit::to_junit(report)?.as_bytes())?,
        html: write(dir.join(REPORT_HTML), html::to_html(report).as_bytes())?,
        markdown: write(
            dir.join(SUMMARY_MD),
            markdown::to_markdown(report, markdown::DEFAULT_MAX_FAILURES).as_bytes(),
        )?,
        signature: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn writes_every_format_and_reads_the_report_back() {
        let dir = tempfile::tempdir().unwrap();
        let report = fixtures::sample();
        let key = SecretKey::from_seed([9; 32]);
        let w = write_all(&report, dir.path(), Some(&key)).unwrap();
        let (bytes, back) = read_report(w.json.as_ref().unwrap()).unwrap();
        assert_eq!(back, report);
        assert_eq!(bytes, report.to_canonical_json());
        let sig = std::fs::read_to_string(w.signature.unwrap()).unwrap();
        assert_eq!(sign::verify(&bytes, &sig, &key.public()), Ok(()));
        for p in [&w.junit, &w.html, &w.markdown] {
            assert!(std::fs::metadata(p).unwrap().len() > 100, "{}", p.display());
        }
    }

    #[test]
    fn bad_report_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        std::fs::write(&p, b"{\"report_format\": 1}").unwrap();
        let e = read_report(&p).unwrap_err().to_string();
        assert!(e.contains("r.json: not a qrcert report"), "{e}");
        std::fs::write(&p, vec![b' '; 11]).unwrap();
        assert!(matches!(
            read_bounded(&p, 10),
            Err(ReportFileError::TooLarge { .. })
        ));
        let e = read_report(&dir.path().join("missing.json")).unwrap_err();
        assert!(matches!(e, ReportFileError::Io { .. }));
    }
}
