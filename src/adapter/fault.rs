//! What an implementation did wrong at the transport level. Each fault grades its case ERROR;
//! the run goes on. The messages are read by vendors, so they say what happened in plain words.

use std::time::Duration;

/// A fault of the implementation under test (or of the program or server wrapping it).
///
/// Cloneable because one event (a crash, a hang) fails every request in flight at that moment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// No reply in time.
    #[error("no reply within {} (the request timed out)", human(*after))]
    Timeout {
        /// The time allowed.
        after: Duration,
    },
    /// The program died (non-zero exit or a signal) before answering.
    #[error(
        "the program crashed before answering ({status}){}",
        tail_suffix(stderr_tail)
    )]
    Crashed {
        /// How it ended, e.g. "exit status 3" or "killed by signal 11".
        status: String,
        /// The last lines it wrote to stderr.
        stderr_tail: String,
    },
    /// The program ended normally (status 0) or closed its output without answering.
    #[error(
        "the program exited without answering ({status}){}",
        tail_suffix(stderr_tail)
    )]
    Exited {
        /// How it ended.
        status: String,
        /// The last lines it wrote to stderr.
        stderr_tail: String,
    },
    /// The reply is not JSON.
    #[error("the reply is not JSON ({detail}){}: {snippet:?}", line_suffix(*line))]
    NotJson {
        /// The start of the reply.
        snippet: String,
        /// The column (1-based) where JSON reading failed.
        column: usize,
        /// The line number in the program's output, when read from a stream.
        line: Option<u64>,
        /// The parser's explanation.
        detail: String,
    },
    /// The reply is not UTF-8 text.
    #[error("the reply is not UTF-8: invalid byte at offset {offset}{}", line_suffix(*line))]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// The line number in the program's output, when read from a stream.
        line: Option<u64>,
    },
    /// The reply is larger than allowed; the rest of it was discarded unread.
    #[error(
        "the reply is larger than the limit of {limit} bytes (raise max_reply_bytes if this is intended)"
    )]
    Oversized {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The reply answers another request.
    #[error("the reply carries id {got} but the request had id {expected}")]
    WrongId {
        /// The id sent.
        expected: u64,
        /// The id received, as written.
        got: String,
    },
    /// A required envelope field is absent.
    #[error("the reply has no \"{field}\" field")]
    MissingField {
        /// The field name.
        field: &'static str,
    },
    /// The reply is JSON but does not fit the protocol.
    #[error("the reply does not fit the protocol: {what}")]
    BadReply {
        /// What is wrong with it.
        what: String,
    },
    /// The HTTP server answered with an error status.
    #[error("the server answered HTTP {status}{}", body_suffix(body))]
    Http {
        /// The status code.
        status: u16,
        /// The start of the response body.
        body: String,
    },
    /// Nothing accepted the connection.
    #[error("could not connect to {url}: {detail}")]
    ConnectionRefused {
        /// Where we tried (credentials removed).
        url: String,
        /// The network error.
        detail: String,
    },
    /// The program could not be started at all.
    #[error("could not start {command:?}: {reason}")]
    Spawn {
        /// The program.
        command: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The program failed to start (or died before answering anything) too many times in a row;
    /// requests now fail at once instead of restarting it again.
    #[error("gave up after {attempts} failed starts in a row; last: {last}")]
    GaveUp {
        /// Consecutive failed starts.
        attempts: u32,
        /// What happened the last time.
        last: String,
    },
    /// Reading or writing the channel to the implementation failed.
    #[error("{context}: {detail}")]
    Io {
        /// What was being done.
        context: String,
        /// The operating system's error.
        detail: String,
    },
    /// An in-process implementation panicked.
    #[error("the implementation panicked: {message}")]
    Panicked {
        /// The panic message.
        message: String,
    },
    /// The program was killed while this request was in flight because another request on it
    /// timed out; the request was sent again to a fresh process once, and that was killed too.
    #[error(
        "the program was killed while this request was in flight, because request {by} on it timed out (already retried once)"
    )]
    Interrupted {
        /// The request whose timeout killed the program.
        by: u64,
    },
    /// Not asked: too many timeouts or crashes in a row came before it.
    #[error(
        "not asked: the implementation was declared unresponsive after {consecutive} timeouts or crashes in a row (last: {last}); `qrcert run --resume DIR` asks the remaining cases again"
    )]
    Unresponsive {
        /// The faults in a row that decided it.
        consecutive: u32,
        /// The last of them.
        last: String,
    },
    /// Not asked: `describe` failed, even when retried with a longer budget, so nothing the
    /// implementation claims is known.
    #[error(
        "not asked: the implementation did not answer describe, even when retried with a longer budget ({detail})"
    )]
    Undescribed {
        /// What happened to the two attempts.
        detail: String,
    },
}

impl Fault {
    /// The same fault, located at a line of the program's output.
    pub fn at_line(self, n: u64) -> Fault {
        match self {
            Fault::NotJson {
                snippet,
                column,
                detail,
                ..
            } => Fault::NotJson {
                snippet,
                column,
                line: Some(n),
                detail,
            },
            Fault::NotUtf8 { offset, .. } => Fault::NotUtf8 {
                offset,
                line: Some(n),
            },
            other => other,
        }
    }

    /// A short stable name of the fault kind, for reports and counts.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Timeout { .. } => "timeout",
            Fault::Crashed { .. } => "crashed",
            Fault::Exited { .. } => "exited",
            Fault::NotJson { .. } => "not_json",
            Fault::NotUtf8 { .. } => "not_utf8",
            Fault::Oversized { .. } => "oversized",
            Fault::WrongId { .. } => "wrong_id",
            Fault::MissingField { .. } => "missing_field",
            Fault::BadReply { .. } => "bad_reply",
            Fault::Http { .. } => "http",
            Fault::ConnectionRefused { .. } => "connection_refused",
            Fault::Spawn { .. } => "spawn",
            Fault::GaveUp { .. } => "gave_up",
            Fault::Io { .. } => "io",
            Fault::Panicked { .. } => "panicked",
            Fault::Interrupted { .. } => "interrupted",
            Fault::Unresponsive { .. } => "unresponsive",
            Fault::Undescribed { .. } => "undescribed",
        }
    }

    /// Whether the fault says the implementation is not there: it hung, died or cannot be
    /// reached. A run of these, and only these, declares an implementation unresponsive; a
    /// garbled or misaddressed reply still shows a live peer. (An interrupted request was
    /// another one's casualty: it neither counts nor breaks the run.)
    pub fn is_unresponsive_kind(&self) -> bool {
        matches!(
            self,
            Fault::Timeout { .. }
                | Fault::Crashed { .. }
                | Fault::Exited { .. }
                | Fault::GaveUp { .. }
                | Fault::Spawn { .. }
                | Fault::ConnectionRefused { .. }
                | Fault::Io { .. }
        )
    }

    /// Whether the case was never asked, so a resumed run must ask it.
    pub fn not_asked(&self) -> bool {
        matches!(self, Fault::Unresponsive { .. } | Fault::Undescribed { .. })
    }
}

/// "300 ms", "2 s", "1.5 s": durations as a vendor reads them.
pub(crate) fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn tail_suffix(tail: &str) -> String {
    let tail = tail.trim_end();
    if tail.is_empty() {
        "; it wrote nothing to stderr".to_owned()
    } else {
        format!("; end of its stderr:\n{tail}")
    }
}

fn line_suffix(line: Option<u64>) -> String {
    line.map(|n| format!(" on output line {n}"))
        .unwrap_or_default()
}

fn body_suffix(body: &str) -> String {
    if body.trim().is_empty() {
        String::new()
    } else {
        format!(": {body:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_happened() {
        let t = Fault::Timeout {
            after: Duration::from_millis(300),
        };
        assert_eq!(
            t.to_string(),
            "no reply within 300 ms (the request timed out)"
        );
        let c = Fault::Crashed {
            status: "exit status 3".into(),
            stderr_tail: "Traceback\nBoom\n".into(),
        };
        assert_eq!(
            c.to_string(),
            "the program crashed before answering (exit status 3); end of its stderr:\nTraceback\nBoom"
        );
        let e = Fault::Exited {
            status: "exit status 0".into(),
            stderr_tail: String::new(),
        };
        assert!(e.to_string().ends_with("it wrote nothing to stderr"));
        let j = Fault::NotJson {
            snippet: "hello".into(),
            column: 1,
            line: None,
            detail: "expected value".into(),
        }
        .at_line(4);
        assert_eq!(
            j.to_string(),
            "the reply is not JSON (expected value) on output line 4: \"hello\""
        );
        assert_eq!(
            Fault::Http {
                status: 503,
                body: "busy".into()
            }
            .to_string(),
            "the server answered HTTP 503: \"busy\""
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human(Duration::from_secs(5)), "5 s");
        assert_eq!(human(Duration::from_millis(20)), "20 ms");
    }
}
