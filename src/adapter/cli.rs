//! The CLI transport: the implementation is a program speaking JSON lines on stdin/stdout.
//!
//! Persistent mode (the default) keeps `concurrency` long-lived processes; requests are
//! pipelined and replies matched by id, so a fast program is limited by its own speed, not by
//! round trips. Per-call mode starts the program for each request. Either way every misbehaviour
//! is a [`Fault`] for the request concerned and the adapter keeps going: a hung process is
//! killed and restarted, a crashed one restarted, garbage and oversized lines are skipped with
//! bounded memory, and a program that cannot stay up is given up on after a few tries.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncWriteExt, BufWriter};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{Semaphore, mpsc, oneshot, watch};

use crate::adapter::config::Secret;
use crate::adapter::lines::{Line, LineReader};
use crate::adapter::protocol::{ReplyId, decode_reply, probe_reply_id};
use crate::adapter::stderr::StderrTail;
use crate::adapter::{Adapter, CallError, Fault, HarnessError, Reply, Request, settle};

/// How the program is run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CliMode {
    /// Long-lived processes, requests pipelined.
    #[default]
    Persistent,
    /// One process per request: it reads one line, writes one line, exits.
    PerCall,
}

/// Everything needed to run the program.
#[derive(Debug, Clone)]
pub struct CliOptions {
    /// The program to run (a path, or a name looked up in `PATH`).
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Its working directory; qrcert's own when `None`.
    pub cwd: Option<PathBuf>,
    /// Variables added to its environment (which it otherwise inherits).
    pub env: Vec<(String, Secret)>,
    /// Persistent or per call.
    pub mode: CliMode,
    /// Time allowed for one reply.
    pub request_timeout: Duration,
    /// Extra time allowed for the first reply of a fresh process (JVM start-up and the like).
    pub start_timeout: Duration,
    /// Processes in the pool (persistent) or running at once (per call).
    pub concurrency: usize,
    /// Longest reply line accepted, in bytes.
    pub max_reply_bytes: usize,
    /// Consecutive failed starts (a process that dies or hangs before answering anything)
    /// after which requests fail at once.
    pub max_failed_starts: u32,
    /// Pause before the first restart after a failed start; doubled after each further one.
    pub restart_backoff: Duration,
}

/// Longest reply accepted unless configured: images are the largest replies, and a QR PNG is
/// far below this.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 16 * 1024 * 1024;

/// The longest pause between restarts.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Time a process gets to exit after its stdin is closed or its stdout ends, before it is killed.
const EXIT_GRACE: Duration = Duration::from_millis(500);

/// How many recently given-up request ids are remembered, so their late replies are dropped
/// quietly instead of being taken for strays.
const ABANDONED_MEMORY: usize = 4096;

impl CliOptions {
    /// Options for `argv` (program first) with the defaults: persistent, one process, 10 s per
    /// request, 30 s extra for start-up, 16 MiB replies, 3 failed starts, 100 ms backoff.
    pub fn new(argv: Vec<String>) -> Result<CliOptions, EmptyCommand> {
        let mut argv = argv.into_iter();
        let program = argv.next().filter(|p| !p.is_empty()).ok_or(EmptyCommand)?;
        Ok(CliOptions {
            program,
            args: argv.collect(),
            cwd: None,
            env: Vec::new(),
            mode: CliMode::Persistent,
            request_timeout: Duration::from_secs(10),
            start_timeout: Duration::from_secs(30),
            concurrency: 1,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            max_failed_starts: 3,
            restart_backoff: Duration::from_millis(100),
        })
    }

    /// The command line as shown in faults.
    fn command_line(&self) -> String {
        std::iter::once(self.program.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn spawn(&self) -> Result<Child, Fault> {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(cwd) = &self.cwd {
            cmd.current_dir(cwd);
        }
        for (key, value) in &self.env {
            cmd.env(key, value.expose());
        }
        cmd.spawn().map_err(|e| Fault::Spawn {
            command: self.command_line(),
            reason: e.to_string(),
        })
    }
}

/// A command line without a program.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the command is empty")]
pub struct EmptyCommand;

/// An implementation behind a child process.
pub struct CliAdapter {
    opts: Arc<CliOptions>,
    engine: Engine,
    closed: AtomicBool,
}

enum Engine {
    Persistent(Pool),
    PerCall(Semaphore),
}

impl CliAdapter {
    /// An adapter for the program. Nothing starts until the first call.
    pub fn new(opts: CliOptions) -> CliAdapter {
        let concurrency = opts.concurrency.max(1);
        let engine = match opts.mode {
            CliMode::Persistent => Engine::Persistent(Pool {
                slots: (0..concurrency)
                    .map(|_| tokio::sync::Mutex::new(None))
                    .collect(),
                next: AtomicUsize::new(0),
                starts: Mutex::new(StartRecord::default()),
            }),
            CliMode::PerCall => Engine::PerCall(Semaphore::new(concurrency)),
        };
        CliAdapter {
            opts: Arc::new(opts),
            engine,
            closed: AtomicBool::new(false),
        }
    }
}

impl Adapter for CliAdapter {
    fn call<'a>(&'a self, request: Request) -> BoxFuture<'a, Result<Reply, CallError>> {
        Box::pin(async move {
            if self.closed.load(Ordering::Acquire) {
                return Err(CallError::Harness(HarnessError::Closed));
            }
            match &self.engine {
                Engine::Persistent(pool) => pool.call(&self.opts, request).await,
                Engine::PerCall(limit) => {
                    // The semaphore is never closed, so acquiring only waits.
                    let _permit = limit
                        .acquire()
                        .await
                        .map_err(|_| CallError::Harness(HarnessError::Closed))?;
                    call_once(&self.opts, request).await
                }
            }
        })
    }

    fn close<'a>(&'a self) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.closed.store(true, Ordering::Release);
            if let Engine::Persistent(pool) = &self.engine {
                let mut stopping = Vec::new();
                for slot in &pool.slots {
                    if let Some(process) = slot.lock().await.take() {
                        stopping.push(process);
                    }
                }
                futures::future::join_all(stopping.iter().map(|p| p.shutdown())).await;
            }
        })
    }

    fn transport(&self) -> &'static str {
        "cli"
    }
}

/// Persistent processes, one per slot, restarted on demand.
struct Pool {
    slots: Vec<tokio::sync::Mutex<Option<Arc<Process>>>>,
    next: AtomicUsize,
    starts: Mutex<StartRecord>,
}

/// Consecutive failed starts across the pool, and what the last one was.
#[derive(Default)]
struct StartRecord {
    failures: u32,
    last: String,
}

impl Pool {
    async fn call(&self, opts: &CliOptions, request: Request) -> Result<Reply, CallError> {
        let slot = &self.slots[self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len()];
        let asked = request.op.kind();
        let id = request.id;
        let mut line = request.to_json();
        line.push(b'\n');
        loop {
            let process = self.ensure(opts, slot).await?;
            let receiver = match process.register(id) {
                Ok(rx) => rx,
                Err(Register::Duplicate) => {
                    return Err(CallError::Harness(HarnessError::DuplicateId(id)));
                }
                // Died between the check and now: start another (bounded by the start limit).
                Err(Register::Dead) => continue,
            };
            let allowed = if process.shared.answered.load(Ordering::Acquire) {
                opts.request_timeout
            } else {
                opts.request_timeout + opts.start_timeout
            };
            let exchange = async {
                // A closed channel means the writer saw the pipe break: the reader will report
                // how the process ended through the receiver.
                let _ = process.lines.send(line).await;
                receiver.await
            };
            return match tokio::time::timeout(allowed, exchange).await {
                Ok(Ok(Ok(bytes))) => {
                    settle(asked, decode_reply(&bytes, id, asked).map_err(CallError::Fault)?)
                }
                Ok(Ok(Err(fault))) => Err(fault.into()),
                Ok(Err(_)) => Err(process.ended_fault().into()),
                Err(_) => {
                    process.abort(Fault::Timeout { after: allowed });
                    Err(Fault::Timeout { after: allowed }.into())
                }
            };
        }
    }

    /// The slot's live process, starting one if needed; fails fast once the start limit is hit.
    async fn ensure(
        &self,
        opts: &CliOptions,
        slot: &tokio::sync::Mutex<Option<Arc<Process>>>,
    ) -> Result<Arc<Process>, Fault> {
        let mut current = slot.lock().await;
        if let Some(process) = current.as_ref() {
            if !process.is_dead() {
                return Ok(Arc::clone(process));
            }
            // Taken out under the slot lock, so each death is counted once.
            if let Some(dead) = current.take() {
                let mut starts = self.starts();
                if dead.shared.answered.load(Ordering::Acquire) {
                    starts.failures = 0;
                } else {
                    starts.failures += 1;
                    starts.last = dead.ended_fault().to_string();
                }
            }
        }
        let failures = {
            let starts = self.starts();
            if starts.failures >= opts.max_failed_starts {
                return Err(Fault::GaveUp {
                    attempts: starts.failures,
                    last: starts.last.clone(),
                });
            }
            starts.failures
        };
        if failures > 0 {
            let backoff = opts
                .restart_backoff
                .saturating_mul(1 << (failures - 1).min(16))
                .min(MAX_BACKOFF);
            tokio::time::sleep(backoff).await;
        }
        match Process::start(opts) {
            Ok(process) => {
                *current = Some(Arc::clone(&process));
                Ok(process)
            }
            Err(fault) => {
                let mut starts = self.starts();
                starts.failures += 1;
                starts.last = fault.to_string();
                Err(fault)
            }
        }
    }

    fn starts(&self) -> MutexGuard<'_, StartRecord> {
        // The record is two plain fields; a panic elsewhere cannot leave it half-written.
        self.starts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a waiting call receives: the reply line, or the fault that ended its wait.
type Delivery = Result<Vec<u8>, Fault>;

/// One running persistent process.
struct Process {
    lines: mpsc::Sender<Vec<u8>>,
    shared: Arc<Shared>,
    /// Kills the process; shared with the reader task.
    killer: Killer,
    /// Set by the reaper when the process has ended.
    exit: watch::Receiver<Option<ExitStatus>>,
    /// Closing stdin asks a well-behaved program to exit.
    close_stdin: Mutex<Option<oneshot::Sender<()>>>,
}

/// The state shared by a process's callers and its reader task.
struct Shared {
    state: Mutex<State>,
    /// Whether the process has answered at least one request (a successful start).
    answered: AtomicBool,
    tail: StderrTail,
    max_reply_bytes: usize,
}

#[derive(Default)]
struct State {
    waiters: HashMap<u64, Waiter>,
    next_seq: u64,
    abandoned: HashSet<u64>,
    abandoned_order: VecDeque<u64>,
    /// Set once, when the process is known dead or has been killed; no registrations after.
    ended: Option<Fault>,
}

struct Waiter {
    seq: u64,
    tx: oneshot::Sender<Delivery>,
}

enum Register {
    Duplicate,
    Dead,
}

impl Process {
    fn start(opts: &CliOptions) -> Result<Arc<Process>, Fault> {
        let mut child = opts.spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            // Unreachable with Stdio::piped() for all three; kill_on_drop reaps the child.
            return Err(Fault::Io {
                context: "starting the program".into(),
                detail: "its standard streams could not be opened".into(),
            });
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            answered: AtomicBool::new(false),
            tail: StderrTail::drain(stderr),
            max_reply_bytes: opts.max_reply_bytes,
        });
        let (lines_tx, lines_rx) = mpsc::channel(1024);
        let (close_tx, close_rx) = oneshot::channel();
        let (kill_tx, kill_rx) = oneshot::channel();
        let (exit_tx, exit_rx) = watch::channel(None);
        tokio::spawn(write_requests(stdin, lines_rx, close_rx));
        tokio::spawn(reap(child, kill_rx, exit_tx));
        let process = Arc::new(Process {
            lines: lines_tx,
            shared: Arc::clone(&shared),
            killer: Killer(Arc::new(Mutex::new(Some(kill_tx)))),
            exit: exit_rx.clone(),
            close_stdin: Mutex::new(Some(close_tx)),
        });
        tokio::spawn(read_replies(stdout, shared, exit_rx, process.killer.clone()));
        Ok(process)
    }

    fn register(&self, id: u64) -> Result<oneshot::Receiver<Delivery>, Register> {
        let mut state = lock(&self.shared.state);
        if state.ended.is_some() {
            return Err(Register::Dead);
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
        state.waiters.insert(id, Waiter { seq, tx });
        Ok(rx)
    }

    fn is_dead(&self) -> bool {
        lock(&self.shared.state).ended.is_some()
    }

    /// The fault that ended the process, for callers whose wait ended without a delivery.
    fn ended_fault(&self) -> Fault {
        lock(&self.shared.state)
            .ended
            .clone()
            .unwrap_or_else(|| Fault::Exited {
                status: "ended".into(),
                stderr_tail: self.shared.tail.text(),
            })
    }

    /// Fails every request in flight with `fault` and kills the process (it hung).
    fn abort(&self, fault: Fault) {
        self.shared.end(fault);
        self.kill_now();
    }

    fn kill_now(&self) {
        self.killer.kill();
    }

    /// Closes stdin, gives the program a moment to exit, then kills it.
    async fn shutdown(&self) {
        if let Some(close) = lock(&self.close_stdin).take() {
            let _ = close.send(());
        }
        let mut exit = self.exit.clone();
        let hung = tokio::time::timeout(EXIT_GRACE, exit.wait_for(Option::is_some))
            .await
            .is_err();
        if hung {
            self.kill_now();
        }
        self.shared.end(Fault::Exited {
            status: "stopped by qrcert".into(),
            stderr_tail: self.shared.tail.text(),
        });
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill_now();
    }
}

/// The kill switch: sending kills the process. Shared by the handle and the reader task.
#[derive(Clone)]
struct Killer(Arc<Mutex<Option<oneshot::Sender<()>>>>);

impl Killer {
    fn kill(&self) {
        if let Some(kill) = lock(&self.0).take() {
            let _ = kill.send(());
        }
    }
}

impl Shared {
    /// Marks the process ended (once) and fails every waiting call with `fault`.
    fn end(&self, fault: Fault) {
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

    /// Hands a reply line to its caller. A reply nobody waits for (and that is not a late
    /// answer to a given-up request) is blamed on the oldest request in flight.
    fn deliver(&self, id: u64, line: Vec<u8>) {
        let mut state = lock(&self.state);
        if let Some(waiter) = state.waiters.remove(&id) {
            drop(state);
            self.answered.store(true, Ordering::Release);
            let _ = waiter.tx.send(Ok(line));
            return;
        }
        if state.abandoned.contains(&id) {
            return;
        }
        drop(state);
        self.blame_oldest(|expected| Fault::WrongId {
            expected,
            got: id.to_string(),
        });
    }

    /// Fails the oldest request in flight with the fault a bad line makes for it; the line
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
        state.abandoned.insert(oldest);
        state.abandoned_order.push_back(oldest);
        while state.abandoned_order.len() > ABANDONED_MEMORY {
            if let Some(old) = state.abandoned_order.pop_front() {
                state.abandoned.remove(&old);
            }
        }
        drop(state);
        let _ = waiter.tx.send(Err(fault(oldest)));
    }
}

/// Locks a mutex whose data stays consistent even if a holder panicked (each critical section
/// is a few field updates with no panicking calls in between).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Writes request lines to the program, batching those that queue up into one flush.
async fn write_requests(
    stdin: ChildStdin,
    mut lines: mpsc::Receiver<Vec<u8>>,
    mut close: oneshot::Receiver<()>,
) {
    let mut out = BufWriter::with_capacity(64 * 1024, stdin);
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

/// Owns the child: waits for it to end, or kills it when told (or when its handle is dropped).
async fn reap(
    mut child: Child,
    kill: oneshot::Receiver<()>,
    exit: watch::Sender<Option<ExitStatus>>,
) {
    let status = tokio::select! {
        status = child.wait() => status,
        _ = kill => {
            let _ = child.start_kill();
            child.wait().await
        }
    };
    // A failed wait leaves the status unknown; the reader then reports the end without it.
    if let Ok(status) = status {
        let _ = exit.send(Some(status));
    }
}

/// Reads reply lines, routes them by id, and reports how the process ended.
async fn read_replies(
    stdout: ChildStdout,
    shared: Arc<Shared>,
    mut exit: watch::Receiver<Option<ExitStatus>>,
    killer: Killer,
) {
    let mut lines = LineReader::new(stdout, shared.max_reply_bytes);
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
            Ok(None) | Err(_) => break,
        }
    }
    // Stdout is closed: the program is ending. Give it a moment to exit, then make sure.
    let hung = tokio::time::timeout(EXIT_GRACE, exit.wait_for(Option::is_some))
        .await
        .is_err();
    if hung {
        killer.kill();
        let _ = tokio::time::timeout(EXIT_GRACE, exit.wait_for(Option::is_some)).await;
    }
    let status = *exit.borrow();
    shared.end(ended(status, shared.tail.text()));
}

/// The fault for a program that ended (or closed its output) without answering.
fn ended(status: Option<ExitStatus>, stderr_tail: String) -> Fault {
    match status {
        Some(s) if s.success() => Fault::Exited {
            status: s.to_string(),
            stderr_tail,
        },
        Some(s) => Fault::Crashed {
            status: s.to_string(),
            stderr_tail,
        },
        None => Fault::Exited {
            status: "closed its output and did not exit; killed".into(),
            stderr_tail,
        },
    }
}

/// Per-call mode: one process, one request line in, one reply line out.
async fn call_once(opts: &CliOptions, request: Request) -> Result<Reply, CallError> {
    let asked = request.op.kind();
    let id = request.id;
    let allowed = opts.request_timeout + opts.start_timeout;
    let mut child = opts.spawn()?;
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        // Unreachable with Stdio::piped() for all three; kill_on_drop reaps the child.
        return Err(Fault::Io {
            context: "starting the program".into(),
            detail: "its standard streams could not be opened".into(),
        }
        .into());
    };
    let tail = StderrTail::drain(stderr);
    let mut line = request.to_json();
    line.push(b'\n');
    let exchange = async {
        // A program that exits without reading makes this fail; its output decides the fault.
        let _ = stdin.write_all(&line).await;
        drop(stdin);
        let mut lines = LineReader::new(stdout, opts.max_reply_bytes);
        loop {
            match lines.next_line().await {
                Ok(Some((_, Line::Text(bytes)))) if bytes.iter().all(u8::is_ascii_whitespace) => {}
                Ok(Some((n, Line::Text(bytes)))) => {
                    return Some(decode_reply(&bytes, id, asked).map_err(|f| f.at_line(n)));
                }
                Ok(Some((_, Line::Oversized))) => {
                    return Some(Err(Fault::Oversized {
                        limit: opts.max_reply_bytes,
                    }));
                }
                Ok(None) | Err(_) => return None,
            }
        }
    };
    let outcome = tokio::time::timeout(allowed, exchange).await;
    let result = match outcome {
        Err(_) => {
            let _ = child.start_kill();
            let _ = child.wait().await;
            return Err(Fault::Timeout { after: allowed }.into());
        }
        Ok(Some(decoded)) => decoded,
        Ok(None) => {
            let status = match tokio::time::timeout(EXIT_GRACE, child.wait()).await {
                Ok(Ok(status)) => Some(status),
                _ => None,
            };
            Err(ended(status, tail.text()))
        }
    };
    // It answered; a program that lingers afterwards is stopped, not blamed.
    if tokio::time::timeout(EXIT_GRACE, child.wait()).await.is_err() {
        let _ = child.start_kill();
        let _ = child.wait().await;
    }
    settle(asked, result?)
}
