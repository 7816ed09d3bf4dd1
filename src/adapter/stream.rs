//! A pipelined JSON-lines conversation over any pair of byte streams: requests go out through
//! a writer task, replies come back through a reader task that routes them to the waiting
//! calls by id. The CLI transport runs one per child process; [`StreamAdapter`] exposes it for
//! any other streams (a socket, an in-memory pipe to [`crate::adapter::serve::serve_stdio`]).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use futures::future::BoxFuture;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufWriter};
use tokio::sync::{mpsc, oneshot};

use crate::adapter::lines::{Line, LineReader};
use crate::adapter::protocol::{ReplyId, decode_reply, probe_reply_id};
use crate::adapter::{Adapter, CallError, Fault, HarnessError, Reply, Request, settle};

/// What a waiting call receives: the reply line, or the fault that ended its wait.
type Delivery = Result<Vec<u8>, Fault>;

/// How many recently given-up request ids are remembered, so their late replies are dropped
/// quietly instead of being taken for strays.
const ABANDONED_MEMORY: usize = 4096;

/// Requests queued for the writer before callers wait for room.
const QUEUE: usize = 1024;

/// One conversation: the handle callers use. The reader side runs as a separate future.
pub(crate) struct Conversation {
    lines: mpsc::Sender<Vec<u8>>,
    shared: Arc<Shared>,
    close_input: Mutex<Option<oneshot::Sender<()>>>,
}

/// The routing state shared by the callers and the reader.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Replies that came after their request had timed out: discarded, never credited.
    late: AtomicU64,
    max_reply_bytes: usize,
}

impl State {
    /// Starts the clock of the oldest request in flight, if it has not started yet. Called
    /// whenever a request joins or leaves.
    fn promote_head(&mut self) {
        if let Some(head) = self.waiters.values_mut().min_by_key(|w| w.seq)
            && head.head_since.is_none()
        {
            head.head_since = Some(Instant::now());
        }
    }
}

#[derive(Default)]
struct State {
    waiters: HashMap<u64, Waiter>,
    next_seq: u64,
    abandoned: HashSet<u64>,
    abandoned_order: VecDeque<u64>,
    /// Set once, when the other side is gone; no registrations after.
    ended: Option<Fault>,
}

struct Waiter {
    seq: u64,
    tx: oneshot::Sender<Delivery>,
    /// Since when this is the oldest request in flight: the moment an implementation that
    /// answers in order can start on it, and so when its time starts to run.
    head_since: Option<Instant>,
}

/// Why a request could not be registered.
pub(crate) enum Register {
    /// The id is already in flight.
    Duplicate,
    /// The conversation has ended.
    Ended,
}

/// How one exchange ended.
pub(crate) enum Outcome {
    /// The reply line.
    Line(Vec<u8>),
    /// The request failed (a bad line blamed on it, or the other side ended).
    Fault(Fault),
    /// No reply in the time allowed; the request is still registered as abandoned.
    TimedOut,
}

/// Locks a mutex whose data stays consistent even if a holder panicked (each critical section
/// is a few field updates with no panicking calls in between).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Conversation {
    /// Starts the writer task; returns the handle and the reader future, which the caller
    /// spawns and follows with its own end-of-stream handling ([`Conversation::end`]).
    pub(crate) fn start<R, W>(
        reader: R,
        writer: W,
        max_reply_bytes: usize,
    ) -> (Conversation, impl Future<Output = ()> + Send + 'static)
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            late: AtomicU64::new(0),
            max_reply_bytes,
        });
        let (lines_tx, lines_rx) = mpsc::channel(QUEUE);
        let (close_tx, close_rx) = oneshot::channel();
        tokio::spawn(write_requests(writer, lines_rx, close_rx));
        let reading = read_replies(reader, Arc::clone(&shared));
        (
            Conversation {
                lines: lines_tx,
                shared,
                close_input: Mutex::new(Some(close_tx)),
            },
            reading,
        )
    }

    /// A handle on the routing state, for the end-of-stream handler.
    pub(crate) fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }

    /// Sends a request line (ending in `\n`) and waits for its reply: up to `allowed` from the
    /// moment every request sent before it on this conversation has been answered. An
    /// implementation that answers in order cannot start on a request before that, so a request
    /// queued behind slow ones is not blamed for them; the oldest request in flight always has
    /// its time running, so a hung implementation is found out within `allowed`.
    pub(crate) async fn exchange(
        &self,
        id: u64,
        line: Vec<u8>,
        allowed: Duration,
    ) -> Result<Outcome, Register> {
        let mut receiver = self.shared.register(id)?;
        // A closed queue means the writer saw the stream break: the reader reports how the
        // other side ended through the receiver.
        let _ = self.lines.send(line).await;
        loop {
            let deadline = match self.shared.head_since(id) {
                Some(since) => since + allowed,
                // Queued behind older requests: look again when the oldest could have timed out.
                None => Instant::now() + allowed,
            };
            tokio::select! {
                delivered = &mut receiver => {
                    return Ok(match delivered {
                        Ok(Ok(line)) => Outcome::Line(line),
                        Ok(Err(fault)) => Outcome::Fault(fault),
                        Err(_) => Outcome::Fault(self.shared.ended_fault()),
                    });
                }
                _ = tokio::time::sleep_until(deadline) => {
                    if self.shared.head_since(id).is_some_and(|since| since + allowed <= Instant::now()) {
                        self.shared.abandon(id);
                        return Ok(Outcome::TimedOut);
                    }
                }
            }
        }
    }

    /// Closes the output stream, asking the other side to finish.
    pub(crate) fn close_input(&self) {
        if let Some(close) = lock(&self.close_input).take() {
            let _ = close.send(());
        }
    }
}

impl Shared {
    fn register(&self, id: u64) -> Result<oneshot::Receiver<Delivery>, Register> {
        let mut state = lock(&self.state);
        if state.ended.is_some() {
            return Err(Register::Ended);
        }
        if state.waiters.contains_key(&id) {
            return Err(Register::Duplicate);
        }
        // A reused id is live again: its reply must not be dropped as a late one.
        if state.abandoned.remove(&id) {
            state.abandoned_order.retain(|a| *a != id);
        }
        let (tx, rx) = oneshot::channel();
        let seq = state.next_seq;
        state.next_seq += 1;
        state.waiters.insert(
            id,
            Waiter {
                seq,
                tx,
                head_since: None,
            },
        );
        state.promote_head();
        Ok(rx)
    }

    /// When `id`'s time started to run: when it became the oldest request in flight; `None`
    /// while older ones are still unanswered (or when it is no longer in flight).
    fn head_since(&self, id: u64) -> Option<Instant> {
        lock(&self.state)
            .waiters
            .get(&id)
            .and_then(|w| w.head_since)
    }

    /// Replies discarded because their request had already timed out.
    pub(crate) fn late_replies(&self) -> u64 {
        self.late.load(Ordering::Relaxed)
    }

    /// Whether the conversation has ended.
    pub(crate) fn is_ended(&self) -> bool {
        lock(&self.state).ended.is_some()
    }

    /// The fault that ended the conversation.
    pub(crate) fn ended_fault(&self) -> Fault {
        lock(&self.state)
            .ended
            .clone()
            .unwrap_or_else(|| Fault::Io {
                context: "waiting for the reply".into(),
                detail: "the connection to the implementation was lost".into(),
            })
    }

    /// Marks the conversation ended (once) and fails every waiting call with `fault`.
    pub(crate) fn end(&self, fault: Fault) {
        let waiters = {
            let mut state = lock(&self.state);
            if state.ended.is_some() {
                return;
            }
            state.ended = Some(fault.clone());
            std::mem::take(&mut state.waiters)
        };
        for (_, waiter) in waiters {
            let _ = waiter.tx.send(Err(fault.clone()));
        }
    }

    /// Stops waiting for `id`; a late reply to it is dropped quietly.
    fn abandon(&self, id: u64) {
        let mut state = lock(&self.state);
        state.waiters.remove(&id);
        state.promote_head();
        remember_abandoned(&mut state, id);
    }

    /// Hands a reply line to its caller. A reply nobody waits for (and that is not a late
    /// answer to a given-up request) is blamed on the oldest request in flight.
    fn deliver(&self, id: u64, line: Vec<u8>) {
        let mut state = lock(&self.state);
        if let Some(waiter) = state.waiters.remove(&id) {
            state.promote_head();
            drop(state);
            let _ = waiter.tx.send(Ok(line));
            return;
        }
        if state.abandoned.contains(&id) {
            // A late reply: its request was already graded as a timeout. Counted for the
            // report, never handed to anyone.
            self.late.fetch_add(1, Ordering::Relaxed);
            return;
        }
        drop(state);
        self.blame_oldest(|expected| Fault::WrongId {
            expected,
            got: id.to_string(),
        });
    }

    /// Fails the oldest request in flight with the fault a bad line makes for it: the line
    /// cannot be matched to its request, and programs mostly answer in order.
    fn blame_oldest(&self, fault: impl FnOnce(u64) -> Fault) {
        let mut state = lock(&self.state);
        let Some(oldest) = state
            .waiters
            .iter()
            .min_by_key(|(_, w)| w.seq)
            .map(|(id, _)| *id)
        else {
            // Nothing in flight: a stray line (a banner, a late duplicate). Nobody to blame.
            return;
        };
        let Some(waiter) = state.waiters.remove(&oldest) else {
            return;
        };
        state.promote_head();
        remember_abandoned(&mut state, oldest);
        drop(state);
        let _ = waiter.tx.send(Err(fault(oldest)));
    }
}

fn remember_abandoned(state: &mut State, id: u64) {
    if state.abandoned.insert(id) {
        state.abandoned_order.push_back(id);
    }
    while state.abandoned_order.len() > ABANDONED_MEMORY {
        if let Some(old) = state.abandoned_order.pop_front() {
            state.abandoned.remove(&old);
        }
    }
}

/// Writes request lines, batching those that queue up into one flush.
async fn write_requests<W: AsyncWrite + Unpin>(
    writer: W,
    mut lines: mpsc::Receiver<Vec<u8>>,
    mut close: oneshot::Receiver<()>,
) {
    let mut out = BufWriter::with_capacity(64 * 1024, writer);
    loop {
        let first = tokio::select! {
            line = lines.recv() => line,
            _ = &mut close => None,
        };
        let Some(first) = first else { break };
        if out.write_all(&first).await.is_err() {
            return;
        }
        while let Ok(more) = lines.try_recv() {
            if out.write_all(&more).await.is_err() {
                return;
            }
        }
        if out.flush().await.is_err() {
            return;
        }
    }
    let _ = out.shutdown().await;
}

/// Reads reply lines and routes them by id until the stream ends.
async fn read_replies<R: AsyncRead + Unpin>(reader: R, shared: Arc<Shared>) {
    let mut lines = LineReader::new(reader, shared.max_reply_bytes);
    loop {
        match lines.next_line().await {
            Ok(Some((n, Line::Text(bytes)))) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match probe_reply_id(&bytes) {
                    Ok(ReplyId::Id(id)) => shared.deliver(id, bytes),
                    Ok(ReplyId::Missing) => {
                        shared.blame_oldest(|_| Fault::MissingField { field: "id" })
                    }
                    Ok(ReplyId::Invalid(got)) => {
                        shared.blame_oldest(|expected| Fault::WrongId { expected, got })
                    }
                    Err(fault) => shared.blame_oldest(|_| fault.at_line(n)),
                }
            }
            Ok(Some((_, Line::Oversized))) => shared.blame_oldest(|_| Fault::Oversized {
                limit: shared.max_reply_bytes,
            }),
            Ok(None) | Err(_) => return,
        }
    }
}

/// An implementation at the other end of a pair of byte streams, speaking JSON lines.
///
/// A timeout fails only the request concerned (a stream cannot be restarted); when the stream
/// ends, every request in flight and every later call fails.
pub struct StreamAdapter {
    conversation: Conversation,
    request_timeout: Duration,
    closed: AtomicBool,
}

impl StreamAdapter {
    /// Starts talking over `reader` (replies) and `writer` (requests).
    pub fn new<R, W>(
        reader: R,
        writer: W,
        request_timeout: Duration,
        max_reply_bytes: usize,
    ) -> Self
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (conversation, reading) = Conversation::start(reader, writer, max_reply_bytes);
        let shared = conversation.shared();
        tokio::spawn(async move {
            reading.await;
            shared.end(Fault::Exited {
                status: "the stream closed".into(),
                stderr_tail: String::new(),
            });
        });
        StreamAdapter {
            conversation,
            request_timeout,
            closed: AtomicBool::new(false),
        }
    }
}

impl Adapter for StreamAdapter {
    fn call<'a>(&'a self, request: Request) -> BoxFuture<'a, Result<Reply, CallError>> {
        Box::pin(async move {
            if self.closed.load(Ordering::Acquire) {
                return Err(CallError::Harness(HarnessError::Closed));
            }
            let asked = request.op.kind();
            let id = request.id;
            let mut line = request.to_json();
            line.push(b'\n');
            let after = self.request_timeout;
            match self.conversation.exchange(id, line, after).await {
                Ok(Outcome::Line(bytes)) => settle(asked, decode_reply(&bytes, id, asked)?),
                Ok(Outcome::Fault(fault)) => Err(fault.into()),
                Ok(Outcome::TimedOut) => Err(Fault::Timeout { after }.into()),
                Err(Register::Duplicate) => Err(CallError::Harness(HarnessError::DuplicateId(id))),
                Err(Register::Ended) => Err(self.conversation.shared.ended_fault().into()),
            }
        })
    }

    fn close<'a>(&'a self) -> BoxFuture<'a, ()> {
        self.closed.store(true, Ordering::Release);
        self.conversation.close_input();
        Box::pin(async {})
    }

    fn transport(&self) -> &'static str {
        "stream"
    }

    fn describe_within<'a>(
        &'a self,
        budget: Duration,
    ) -> BoxFuture<'a, Result<crate::adapter::Description, CallError>> {
        // Through the conversation, not under an outer timeout: a timed-out describe must be
        // abandoned (its late reply dropped), or a retry with the same id would be refused.
        Box::pin(async move {
            let request = Request::new(crate::adapter::DESCRIBE_ID, crate::adapter::Op::Describe);
            let mut line = request.to_json();
            line.push(b'\n');
            let result = match self.conversation.exchange(request.id, line, budget).await {
                Ok(Outcome::Line(bytes)) => {
                    let asked = crate::adapter::OpKind::Describe;
                    decode_reply(&bytes, request.id, asked)
                        .map_err(CallError::Fault)
                        .and_then(|r| settle(asked, r))
                }
                Ok(Outcome::Fault(fault)) => Err(fault.into()),
                Ok(Outcome::TimedOut) => Err(Fault::Timeout { after: budget }.into()),
                Err(Register::Duplicate) => {
                    Err(CallError::Harness(HarnessError::DuplicateId(request.id)))
                }
                Err(Register::Ended) => Err(self.conversation.shared.ended_fault().into()),
            };
            crate::adapter::as_description(result)
        })
    }

    fn notes(&self) -> Vec<String> {
        late_note(self.conversation.shared.late_replies())
    }
}

/// The report's note on late replies, if there were any.
pub(crate) fn late_note(late: u64) -> Vec<String> {
    if late == 0 {
        Vec::new()
    } else {
        vec![format!(
            "{late} late repl{} discarded: {} came after {} request had timed out, and no late reply is credited",
            if late == 1 { "y" } else { "ies" },
            if late == 1 { "it" } else { "they" },
            if late == 1 { "its" } else { "their" },
        )]
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    use super::*;
    use crate::adapter::protocol::{Op, Reply};

    fn validate(id: u64) -> Request {
        Request::new(
            id,
            Op::Validate {
                payload: "000201".into(),
                profile: crate::Profile::Emvco,
                now: None,
                wallet: None,
            },
        )
    }

    /// A reply that comes after its request timed out is discarded and counted: never credited,
    /// and never taken for the reply of the request that comes next.
    #[tokio::test]
    async fn a_late_reply_is_discarded_never_credited() {
        let (ours, theirs) = tokio::io::duplex(64 * 1024);
        let (our_read, our_write) = tokio::io::split(ours);
        let (their_read, mut their_write) = tokio::io::split(theirs);
        // The other side: answers request 1 (valid) only after request 2 has arrived, then
        // request 2 (invalid).
        tokio::spawn(async move {
            let mut lines = BufReader::new(their_read).lines();
            let _first = lines.next_line().await;
            let _second = lines.next_line().await;
            for (id, valid) in [(1, true), (2, false)] {
                let line =
                    format!("{{\"id\": {id}, \"ok\": true, \"valid\": {valid}, \"errors\": []}}\n");
                let _ = their_write.write_all(line.as_bytes()).await;
            }
            let _ = their_write.flush().await;
            std::future::pending::<()>().await;
        });
        let adapter = StreamAdapter::new(
            our_read,
            our_write,
            Duration::from_millis(200),
            DEFAULT_TEST_REPLY_BYTES,
        );
        assert_eq!(
            adapter.call(validate(1)).await,
            Err(CallError::Fault(Fault::Timeout {
                after: Duration::from_millis(200)
            }))
        );
        // Request 2's reply is request 2's, whatever arrived before it.
        match adapter.call(validate(2)).await {
            Ok(Reply::Validate(v)) => assert!(!v.valid, "request 1's late reply was credited"),
            other => panic!("{other:?}"),
        }
        assert_eq!(adapter.conversation.shared.late_replies(), 1);
        assert_eq!(
            adapter.notes(),
            [
                "1 late reply discarded: it came after its request had timed out, and no late reply is credited"
            ]
        );
    }

    const DEFAULT_TEST_REPLY_BYTES: usize = 1 << 20;
}
