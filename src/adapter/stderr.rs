//! Keeping the end of a child's stderr: drained continuously (a child blocked on a full stderr
//! pipe would hang) into a fixed-size buffer (a flood must not grow memory). Every byte is
//! counted, so each case can be given what was written while it ran: the count, and the last
//! bytes of it that are still in the buffer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::watch;

/// How much of the end of stderr is kept: enough for a stack trace's last frames.
pub(crate) const TAIL_BYTES: usize = 4096;

/// The last [`TAIL_BYTES`] bytes a child wrote to stderr, and how many it wrote in all. Cheap
/// to clone; shared with the task draining the pipe.
#[derive(Clone)]
pub(crate) struct StderrTail {
    buf: Arc<Mutex<Ring>>,
    /// Becomes true when the pipe has closed: everything the child wrote is in `buf`.
    closed: watch::Receiver<bool>,
}

impl Default for StderrTail {
    fn default() -> Self {
        // Nothing drains a default tail, so it is closed from the start.
        let (_, closed) = watch::channel(true);
        StderrTail {
            buf: Arc::default(),
            closed,
        }
    }
}

#[derive(Default)]
struct Ring {
    bytes: VecDeque<u8>,
    /// Bytes written since the start, kept or not.
    total: u64,
}

/// What a child wrote to stderr between two moments: the count, and the end of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StderrSlice {
    /// Bytes written in the interval.
    pub bytes: u64,
    /// The last of them (at most [`TAIL_BYTES`]), as text.
    pub tail: String,
}

impl StderrTail {
    /// Starts draining `pipe` into the tail until it closes.
    pub(crate) fn drain<R: AsyncRead + Unpin + Send + 'static>(pipe: R) -> StderrTail {
        let (done, closed) = watch::channel(false);
        let tail = StderrTail {
            buf: Arc::default(),
            closed,
        };
        let sink = tail.clone();
        tokio::spawn(async move {
            let mut pipe = pipe;
            let mut chunk = vec![0u8; 64 * 1024];
            // A read error ends the drain like EOF: the child's stderr is gone either way.
            while let Ok(n) = pipe.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                sink.push(&chunk[..n]);
            }
            let _ = done.send(true);
        });
        tail
    }

    /// Waits, at most `limit`, for the pipe to close, so that what a child wrote just before
    /// it died is in the tail. A grandchild that holds the pipe open only costs the limit.
    pub(crate) async fn closed_within(&self, limit: Duration) {
        let mut closed = self.closed.clone();
        let _ = tokio::time::timeout(limit, closed.wait_for(|c| *c)).await;
    }

    fn push(&self, bytes: &[u8]) {
        // A poisoned lock only means another thread panicked mid-push; the bytes are still bytes.
        let mut ring = self.buf.lock().unwrap_or_else(PoisonError::into_inner);
        ring.total += bytes.len() as u64;
        let bytes = &bytes[bytes.len().saturating_sub(TAIL_BYTES)..];
        let excess = (ring.bytes.len() + bytes.len()).saturating_sub(TAIL_BYTES);
        ring.bytes.drain(..excess);
        ring.bytes.extend(bytes);
    }

    /// Bytes written so far: a mark to take a [`StderrTail::since`] from.
    pub(crate) fn mark(&self) -> u64 {
        self.buf
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }

    /// What was written after `mark`, or `None` when nothing was.
    pub(crate) fn since(&self, mark: u64) -> Option<StderrSlice> {
        let ring = self.buf.lock().unwrap_or_else(PoisonError::into_inner);
        let written = ring.total.saturating_sub(mark);
        if written == 0 {
            return None;
        }
        let kept = usize::try_from(written)
            .unwrap_or(usize::MAX)
            .min(ring.bytes.len());
        let bytes: Vec<u8> = ring
            .bytes
            .iter()
            .skip(ring.bytes.len() - kept)
            .copied()
            .collect();
        Some(StderrSlice {
            bytes: written,
            tail: readable(&bytes, written > kept as u64),
        })
    }

    /// The tail as text, starting at a line boundary when the buffer was cut.
    pub(crate) fn text(&self) -> String {
        let ring = self.buf.lock().unwrap_or_else(PoisonError::into_inner);
        let bytes: Vec<u8> = ring.bytes.iter().copied().collect();
        readable(&bytes, bytes.len() >= TAIL_BYTES)
    }
}

/// Bytes as text; when they are the end of something longer, from the first line boundary on.
fn readable(bytes: &[u8], cut: bool) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    if cut && let Some(i) = text.find('\n') {
        return format!("[…]{}", &text[i..]);
    }
    text
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

    #[test]
    fn a_slice_counts_everything_and_keeps_the_end() {
        let tail = StderrTail::default();
        tail.push(b"before\n");
        let mark = tail.mark();
        assert_eq!(tail.since(mark), None);
        tail.push(b"one\ntwo\n");
        assert_eq!(
            tail.since(mark),
            Some(StderrSlice {
                bytes: 8,
                tail: "one\ntwo\n".into()
            })
        );
        // A flood: counted in full, the kept end bounded.
        let mark = tail.mark();
        for _ in 0..256 {
            tail.push(&[b'x'; 4096]);
        }
        tail.push(b"\nlast words\n");
        let slice = tail.since(mark).unwrap();
        assert_eq!(slice.bytes, 256 * 4096 + 12);
        assert!(slice.tail.len() <= TAIL_BYTES + 8);
        assert!(slice.tail.ends_with("last words\n"), "{:?}", slice.tail);
    }
}
