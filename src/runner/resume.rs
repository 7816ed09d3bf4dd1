//! Resuming a killed run: the `run.json` header a run writes before its first case, and the
//! finished cases read back from the `report.jsonl` stream.
//!
//! A run directory is resumable when it holds both files. The header pins what makes two runs
//! comparable (suite, selection, implementation, clock); a resume that differs in any of them is
//! refused, because its report would silently mix two certifications.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::report::CaseReport;
use crate::report::model::{Harness, ImplementationInfo, SuiteInfo};
use crate::{Capability, Clock, Profile};

use super::select::{CertRole, Filters};

/// The header's file name inside a run directory.
pub const HEADER_FILE: &str = "run.json";

/// The streamed results' file name inside a run directory.
pub const STREAM_FILE: &str = "report.jsonl";

/// The version of the header format.
pub const HEADER_FORMAT: u32 = 1;

/// The largest header read: it holds a few identifiers, never megabytes.
const MAX_HEADER_BYTES: u64 = 1024 * 1024;

/// The largest streamed line read back: a case with an embedded failing image (256 KiB of PNG
/// as base64, in the request and the reply) stays far below this.
const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;

/// The command line's filters as the header records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionKey {
    /// `--profile`.
    pub profiles: Vec<Profile>,
    /// `--capability`.
    pub capabilities: Vec<Capability>,
    /// `--role`.
    pub roles: Vec<String>,
    /// `--tags`, as typed.
    pub tags: Option<String>,
    /// `--vector` globs.
    pub vectors: Vec<String>,
    /// `--smoke`.
    pub smoke: bool,
    /// `--shard`, as `K/N`.
    pub shard: Option<String>,
}

impl SelectionKey {
    /// The key of a run's filters. Repeatable filters are sorted and deduplicated: their order
    /// on the command line selects nothing different.
    pub fn of(f: &Filters) -> SelectionKey {
        fn set<T: Ord + Clone>(v: &[T]) -> Vec<T> {
            let mut v = v.to_vec();
            v.sort();
            v.dedup();
            v
        }
        let roles: Vec<String> = f
            .roles
            .iter()
            .map(|r: &CertRole| r.as_str().to_owned())
            .collect();
        SelectionKey {
            profiles: set(&f.profiles),
            capabilities: set(&f.capabilities),
            roles: set(&roles),
            tags: f.tags_text.clone(),
            vectors: set(&f.vectors),
            smoke: f.smoke,
            shard: f.shard.map(|(k, n)| format!("{}/{n}", k + 1)),
        }
    }
}

/// What a run records before its first case, so that a resume can check it continues the same
/// certification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunHeader {
    /// Header format.
    pub format: u32,
    /// The harness.
    pub harness: Harness,
    /// The suite.
    pub suite: SuiteInfo,
    /// The implementation (its `describe` and how it is reached, secrets redacted).
    pub implementation: ImplementationInfo,
    /// The clock.
    pub clock: Clock,
    /// The filters.
    pub selection: SelectionKey,
}

impl RunHeader {
    /// How `self` (the recorded run) and `now` (the resuming one) differ, one line per field;
    /// empty when the resume may go on.
    pub fn differences(&self, now: &RunHeader) -> Vec<String> {
        let mut out = Vec::new();
        let mut differs = |what: &str, was: String, is: String| {
            if was != is {
                out.push(format!("{what}: the run has {was}, this resume has {is}"));
            }
        };
        differs(
            "harness",
            self.harness.version.clone(),
            now.harness.version.clone(),
        );
        differs(
            "suite",
            format!("{} (sha256 {})", self.suite.version, self.suite.sha256),
            format!("{} (sha256 {})", now.suite.version, now.suite.sha256),
        );
        differs(
            "implementation",
            identity(&self.implementation),
            identity(&now.implementation),
        );
        differs("clock", self.clock.to_string(), now.clock.to_string());
        differs(
            "selection",
            json_of(&self.selection),
            json_of(&now.selection),
        );
        out
    }

    /// Writes the header into `dir`, replacing any earlier one in one step (a write to a
    /// temporary file, then a rename), so a kill never leaves half a header.
    pub fn write(&self, dir: &Path) -> Result<(), ResumeError> {
        let path = dir.join(HEADER_FILE);
        let tmp = dir.join(format!(".{HEADER_FILE}.tmp"));
        let io = |e: std::io::Error| ResumeError::Io {
            path: path.clone(),
            detail: e.to_string(),
        };
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        std::fs::write(&tmp, &bytes).map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)
    }

    /// Reads the header of a run directory.
    pub fn read(dir: &Path) -> Result<RunHeader, ResumeError> {
        let path = dir.join(HEADER_FILE);
        let file = File::open(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ResumeError::NoHeader(dir.to_path_buf())
            } else {
                ResumeError::Io {
                    path: path.clone(),
                    detail: e.to_string(),
                }
            }
        })?;
        let mut bytes = Vec::new();
        file.take(MAX_HEADER_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ResumeError::Io {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        if bytes.len() as u64 > MAX_HEADER_BYTES {
            return Err(ResumeError::Corrupt {
                path,
                detail: format!("larger than {MAX_HEADER_BYTES} bytes"),
            });
        }
        let header: RunHeader =
            serde_json::from_slice(&bytes).map_err(|e| ResumeError::Corrupt {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        if header.format != HEADER_FORMAT {
            return Err(ResumeError::Corrupt {
                path,
                detail: format!(
                    "header format {} (this qrcert writes {HEADER_FORMAT})",
                    header.format
                ),
            });
        }
        Ok(header)
    }
}

fn identity(i: &ImplementationInfo) -> String {
    format!(
        "{} {} via {} {} (capabilities {}; profiles {})",
        i.name,
        i.version,
        i.adapter.transport,
        i.adapter.target,
        json_of(&i.capabilities),
        json_of(&i.profiles)
    )
}

fn json_of<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Why a run directory cannot be resumed.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    /// The directory holds no header: not a run directory, or the run was killed before it
    /// reached the implementation.
    #[error(
        "{} has no {HEADER_FILE}: it is not a qrcert run directory, or the run stopped before it started; start it again without --resume",
        .0.display()
    )]
    NoHeader(PathBuf),
    /// A file could not be read or written.
    #[error("{}: {detail}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        detail: String,
    },
    /// A file is not what a run writes.
    #[error("{}: not a qrcert run file: {detail}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A line in the middle of the stream is damaged: something other than a kill wrote it.
    #[error(
        "{}:{line}: damaged result line ({detail}); only the last line of a killed run may be torn",
        path.display()
    )]
    BadLine {
        /// The stream.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        detail: String,
    },
    /// The same case appears twice in the stream.
    #[error("{}:{line}: case {id} appears a second time", path.display())]
    Duplicate {
        /// The stream.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The case.
        id: String,
    },
    /// The resume is not the same certification as the run it continues.
    #[error("cannot resume {}:\n  {}", dir.display(), .differences.join("\n  "))]
    Mismatch {
        /// The run directory.
        dir: PathBuf,
        /// What differs.
        differences: Vec<String>,
    },
    /// The stream holds a case this run does not select.
    #[error(
        "{}: case {id} was run but is not selected now; the run directory belongs to another selection",
        path.display()
    )]
    Unselected {
        /// The stream.
        path: PathBuf,
        /// The case.
        id: String,
    },
}

/// The cases a killed run finished, by vector ID.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    /// The finished cases.
    pub cases: BTreeMap<String, CaseReport>,
    /// Whether the last line was torn (cut by the kill) and dropped.
    pub dropped_torn_line: bool,
    /// Bytes of the stream that hold complete lines: where appending resumes.
    pub valid_len: u64,
    /// Cases in the stream that were not asked (the implementation had been declared
    /// unresponsive): they run again.
    pub retried: usize,
}

/// Whether a streamed case was graded without being asked, so a resumed run must ask it.
fn not_asked(case: &CaseReport) -> bool {
    matches!(
        case.observed.get("fault").and_then(|f| f.as_str()),
        Some("unresponsive" | "undescribed")
    )
}

/// Reads the finished cases from a `report.jsonl` stream. The last line may be torn (a kill
/// in the middle of a write): it is dropped, and its case runs again. Any other damaged line
/// is an error. A missing stream means nothing finished. Cases that were not asked (an
/// unresponsive implementation) are not finished: they run again.
pub fn read_finished(path: &Path) -> Result<Finished, ResumeError> {
    let io = |e: std::io::Error| ResumeError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Finished::default()),
        Err(e) => return Err(io(e)),
    };
    let mut reader = BufReader::new(file);
    let mut out = Finished::default();
    let mut line_no = 0usize;
    let mut pending: Option<(usize, String)> = None;
    loop {
        let mut buf = Vec::new();
        // Read at most one line more than the limit, so a line that is too long is seen as
        // such without holding all of it.
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(io)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        // A damaged line is only acceptable as the last one: hold the error until we know.
        if let Some((at, detail)) = pending.take() {
            return Err(ResumeError::BadLine {
                path: path.to_path_buf(),
                line: at,
                detail,
            });
        }
        let complete = buf.last() == Some(&b'\n');
        if !complete {
            if buf.len() > MAX_LINE_BYTES {
                return Err(ResumeError::BadLine {
                    path: path.to_path_buf(),
                    line: line_no,
                    detail: format!("longer than {MAX_LINE_BYTES} bytes"),
                });
            }
            // No newline: the kill cut this line; it is the last one by construction.
            out.dropped_torn_line = true;
            break;
        }
        match serde_json::from_slice::<CaseReport>(&buf) {
            // Graded ERROR without being asked (the implementation had been declared
            // unresponsive): a resumed run asks it. A later line for the same case replaces it.
            Ok(case) if not_asked(&case) => {
                out.valid_len += n as u64;
                out.retried += 1;
            }
            Ok(case) => {
                if out.cases.contains_key(&case.id) {
                    return Err(ResumeError::Duplicate {
                        path: path.to_path_buf(),
                        line: line_no,
                        id: case.id,
                    });
                }
                out.valid_len += n as u64;
                out.cases.insert(case.id.clone(), case);
            }
            Err(e) => pending = Some((line_no, e.to_string())),
        }
    }
    if pending.is_some() {
        // A complete but unreadable last line: written whole but garbled, e.g. by a full disk.
        out.dropped_torn_line = true;
    }
    Ok(out)
}

/// Opens the stream for appending after the finished cases, cutting off a torn last line so
/// the next result starts on a line of its own.
pub fn reopen_stream(path: &Path, finished: &Finished) -> Result<File, ResumeError> {
    let io = |e: std::io::Error| ResumeError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    file.set_len(finished.valid_len).map_err(io)?;
    file.flush().map_err(io)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Grade;
    use serde_json::Value;

    fn case(id: &str) -> CaseReport {
        CaseReport {
            id: id.into(),
            profile: Profile::Emvco,
            capability: Capability::Validate,
            title: "t".into(),
            feature: "features/x.feature".into(),
            scenario: "s".into(),
            grade: Grade::Pass,
            message: "ok".into(),
            expected: Value::Null,
            observed: Value::Null,
            rules: vec![],
            refs: vec![],
            source: "emvco/x.yaml:1".into(),
            request: Value::Null,
            reply: Value::Null,
            duration_ms: 3,
            stderr: None,
            waiver: None,
            direction: None,
        }
    }

    fn line(id: &str) -> String {
        format!("{}\n", serde_json::to_string(&case(id)).unwrap())
    }

    #[test]
    fn a_torn_last_line_is_dropped_and_cut_before_appending() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(STREAM_FILE);
        let whole = format!("{}{}", line("A-1"), line("A-2"));
        let torn = &line("A-3")[..20];
        std::fs::write(&p, format!("{whole}{torn}")).unwrap();
        let f = read_finished(&p).unwrap();
        assert_eq!(f.cases.keys().collect::<Vec<_>>(), ["A-1", "A-2"]);
        assert!(f.dropped_torn_line);
        assert_eq!(f.valid_len, whole.len() as u64);
        let mut file = reopen_stream(&p, &f).unwrap();
        file.write_all(line("A-3").as_bytes()).unwrap();
        drop(file);
        let again = read_finished(&p).unwrap();
        assert_eq!(again.cases.len(), 3);
        assert!(!again.dropped_torn_line);
    }

    #[test]
    fn damage_before_the_last_line_and_duplicates_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(STREAM_FILE);
        std::fs::write(&p, format!("{}{{oops\n{}", line("A-1"), line("A-2"))).unwrap();
        let e = read_finished(&p).unwrap_err();
        assert!(matches!(e, ResumeError::BadLine { line: 2, .. }), "{e}");
        std::fs::write(&p, format!("{}{}", line("A-1"), line("A-1"))).unwrap();
        let e = read_finished(&p).unwrap_err();
        assert!(matches!(e, ResumeError::Duplicate { line: 2, .. }), "{e}");
        // A garbled but complete last line is treated like a torn one.
        std::fs::write(&p, format!("{}{{oops\n", line("A-1"))).unwrap();
        let f = read_finished(&p).unwrap();
        assert_eq!(f.cases.len(), 1);
        assert!(f.dropped_torn_line);
    }

    #[test]
    fn selection_keys_ignore_the_order_of_repeated_filters_but_not_their_content() {
        let a = Filters {
            profiles: vec![Profile::Khqr, Profile::Emvco],
            roles: vec![CertRole::Wallet, CertRole::Merchant],
            ..Filters::default()
        };
        let b = Filters {
            profiles: vec![Profile::Emvco, Profile::Khqr, Profile::Emvco],
            roles: vec![CertRole::Merchant, CertRole::Wallet],
            ..Filters::default()
        };
        assert_eq!(SelectionKey::of(&a), SelectionKey::of(&b));
        let c = Filters {
            shard: Some((0, 3)),
            ..a.clone()
        };
        assert_ne!(SelectionKey::of(&a), SelectionKey::of(&c));
        assert_eq!(SelectionKey::of(&c).shard.as_deref(), Some("1/3"));
    }

    #[test]
    fn a_missing_stream_is_an_empty_one_and_a_missing_header_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let f = read_finished(&dir.path().join(STREAM_FILE)).unwrap();
        assert!(f.cases.is_empty());
        let e = RunHeader::read(dir.path()).unwrap_err();
        assert!(e.to_string().contains("has no run.json"), "{e}");
        std::fs::write(dir.path().join(HEADER_FILE), "{}").unwrap();
        let e = RunHeader::read(dir.path()).unwrap_err();
        assert!(matches!(e, ResumeError::Corrupt { .. }), "{e}");
    }
}
