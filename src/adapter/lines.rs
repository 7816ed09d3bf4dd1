//! Reading newline-delimited messages from an untrusted stream with a hard size cap: a line
//! longer than the cap is skipped while it is read, never held in memory.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};

/// One line read from the stream.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The line's bytes, without the newline (and without a trailing `\r`).
    Text(Vec<u8>),
    /// The line exceeded the cap; its bytes were discarded as they arrived.
    Oversized,
}

/// Reads capped lines and counts them, so faults can name the output line.
pub(crate) struct LineReader<R> {
    inner: BufReader<R>,
    cap: usize,
    count: u64,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    /// A reader refusing lines longer than `cap` bytes.
    pub(crate) fn new(inner: R, cap: usize) -> Self {
        LineReader {
            inner: BufReader::with_capacity(64 * 1024, inner),
            cap,
            count: 0,
        }
    }

    /// The next line and its 1-based number, or `None` at end of stream. A last line without a
    /// newline still counts as a line.
    pub(crate) async fn next_line(&mut self) -> io::Result<Option<(u64, Line)>> {
        let mut buf = Vec::new();
        let mut oversized = false;
        let mut seen_any = false;
        loop {
            let avail = self.inner.fill_buf().await?;
            if avail.is_empty() {
                if !seen_any {
                    return Ok(None);
                }
                break;
            }
            seen_any = true;
            let (chunk_len, consumed, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i, i + 1, true),
                None => (avail.len(), avail.len(), false),
            };
            if !oversized {
                if buf.len() + chunk_len > self.cap {
                    oversized = true;
                    buf = Vec::new();
                } else {
                    buf.extend_from_slice(&avail[..chunk_len]);
                }
            }
            self.inner.consume(consumed);
            if done {
                break;
            }
        }
        self.count += 1;
        if oversized {
            return Ok(Some((self.count, Line::Oversized)));
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        Ok(Some((self.count, Line::Text(buf))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn splits_caps_and_counts() {
        let (mut w, r) = tokio::io::duplex(16);
        let writer = tokio::spawn(async move {
            w.write_all(b"one\r\n").await.unwrap();
            w.write_all(&[b'x'; 100]).await.unwrap();
            w.write_all(b"\n\ntwo\nlast").await.unwrap();
        });
        let mut lines = LineReader::new(r, 10);
        assert_eq!(
            lines.next_line().await.unwrap(),
            Some((1, Line::Text(b"one".to_vec())))
        );
        assert_eq!(lines.next_line().await.unwrap(), Some((2, Line::Oversized)));
        assert_eq!(
            lines.next_line().await.unwrap(),
            Some((3, Line::Text(Vec::new())))
        );
        assert_eq!(
            lines.next_line().await.unwrap(),
            Some((4, Line::Text(b"two".to_vec())))
        );
        writer.await.unwrap();
        assert_eq!(
            lines.next_line().await.unwrap(),
            Some((5, Line::Text(b"last".to_vec())))
        );
        assert_eq!(lines.next_line().await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_line_exactly_at_the_cap_is_kept() {
        let (mut w, r) = tokio::io::duplex(64);
        w.write_all(b"0123456789\n01234567890\n").await.unwrap();
        drop(w);
        let mut lines = LineReader::new(r, 10);
        assert_eq!(
            lines.next_line().await.unwrap(),
            Some((1, Line::Text(b"0123456789".to_vec())))
        );
        assert_eq!(lines.next_line().await.unwrap(), Some((2, Line::Oversized)));
        assert_eq!(lines.next_line().await.unwrap(), None);
    }
}
