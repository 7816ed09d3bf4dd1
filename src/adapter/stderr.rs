//! Keeping the end of a child's stderr: drained continuously (a child blocked on a full stderr
//! pipe would hang) into a fixed-size buffer (a flood must not grow memory).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncRead, AsyncReadExt};

/// How much of the end of stderr is kept: enough for a stack trace's last frames.
pub(crate) const TAIL_BYTES: usize = 4096;

/// The last [`TAIL_BYTES`] bytes a child wrote to stderr. Cheap to clone; shared with the task
/// draining the pipe.
#[derive(Clone, Default)]
pub(crate) struct StderrTail {
    buf: Arc<Mutex<VecDeque<u8>>>,
}

impl StderrTail {
    /// Starts draining `pipe` into the tail until it closes.
    pub(crate) fn drain<R: AsyncRead + Unpin + Send + 'static>(pipe: R) -> StderrTail {
        let tail = StderrTail::default();
        let sink = tail.clone();
        tokio::spawn(async move {
            let mut pipe = pipe;
            let mut chunk = vec![0u8; 8192];
            // A read error ends the drain like EOF: the child's stderr is gone either way.
            while let Ok(n) = pipe.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                sink.push(&chunk[..n]);
            }
        });
        tail
    }

    fn push(&self, bytes: &[u8]) {
        // A poisoned lock only means another thread panicked mid-push; the bytes are still bytes.
        let mut buf = self.buf.lock().unwrap_or_else(PoisonError::into_inner);
        let bytes = &bytes[bytes.len().saturating_sub(TAIL_BYTES)..];
        let excess = (buf.len() + bytes.len()).saturating_sub(TAIL_BYTES);
        buf.drain(..excess);
        buf.extend(bytes);
    }

    /// The tail as text, starting at a line boundary when the buffer was cut.
    pub(crate) fn text(&self) -> String {
        let buf = self.buf.lock().unwrap_or_else(PoisonError::into_inner);
        let bytes: Vec<u8> = buf.iter().copied().collect();
        let full = bytes.len() >= TAIL_BYTES;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if full && let Some(i) = text.find('\n') {
            return format!("[…]{}", &text[i..]);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_end() {
        let tail = StderrTail::default();
        for i in 0..10_000 {
            tail.push(format!("line {i}\n").as_bytes());
        }
        let text = tail.text();
        assert!(text.len() <= TAIL_BYTES + 8, "{}", text.len());
        assert!(text.starts_with("[…]\nline "));
        assert!(text.ends_with("line 9999\n"));
        tail.push(&vec![b'y'; 3 * TAIL_BYTES]);
        assert_eq!(tail.text().len(), TAIL_BYTES);
    }
}
