//! The CLI transport: the implementation is a program speaking JSON lines on stdin/stdout.
//!
//! Persistent mode (the default) keeps `concurrency` long-lived processes; requests are
//! pipelined and replies matched by id, so a fast program is limited by its own speed, not by
//! round trips. Per-call mode starts the program for each request. Either way every misbehaviour
//! is a [`Fault`] for the request concerned and the adapter keeps going: a hung process is
//! killed and restarted, a crashed one restarted, garbage and oversized lines are skipped with
//! bounded memory, and a program that cannot stay up is given up on after a few tries.
//!
//! Start-up never eats into a request's time: every fresh persistent process is asked `describe`
//! first, with the start-up budget, and only then given requests, each with exactly the request
//! timeout. A reply that comes later than that is discarded, never credited. Each process leads
//! its own process group, killed whole (a wrapper script's children included) when it hangs,
//! when it is replaced and when the adapter closes.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio::process::{Child, Command};
use tokio::sync::{Semaphore, oneshot, watch};

use crate::adapter::group;
use crate::adapter::lines::{Line, LineReader};
use crate::adapter::protocol::{Description, Op, OpKind, decode_reply};
use crate::adapter::stderr::{StderrSlice, StderrTail};
use crate::adapter::stream::{Conversation, Outcome, Register, Shared, late_note, lock};
use crate::adapter::{
    Adapter, CallError, DESCRIBE_ID, Fault, HarnessError, Reply, Request, as_description, settle,
};
use crate::adapter::{DEFAULT_MAX_REPLY_BYTES, Secret};

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
    /// Extra time a fresh process gets to answer its first `describe` (JVM start-up and the
    /// like); requests never get it. In per-call mode, where every request starts the program,
    /// each request gets it.
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

/// Extra time for a fresh process's first answer unless configured.
pub const DEFAULT_START_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest pause between restarts.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Time a process gets to exit after its stdin is closed or its stdout ends, before it is killed.
const EXIT_GRACE: Duration = Duration::from_millis(500);

impl CliOptions {
    /// Options for `argv` (program first) with the defaults: persistent, one process, 10 s per
    /// request, 10 s extra for start-up, 16 MiB replies, 3 failed starts, 100 ms backoff.
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
            start_timeout: DEFAULT_START_TIMEOUT,
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

    /// The budget of a fresh process's first `describe`.
    pub fn handshake_budget(&self) -> Duration {
        self.request_timeout + self.start_timeout
    }

    fn spawn(&self) -> Result<Child, Fault> {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        group::isolate(&mut cmd);
        if let Some(cwd) = &self.cwd {
            cmd.current_dir(cwd);
        }
        for (key, value) in &self.env {
            cmd.env(key, value.expose());
        }
        let child = cmd.spawn().map_err(|e| Fault::Spawn {
            command: self.command_line(),
            reason: e.to_string(),
        })?;
        group::register(child.id());
        Ok(child)
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
                record: Mutex::new(PoolRecord::default()),
                closed: AtomicBool::new(false),
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
        Box::pin(async move { self.call_traced(request).await.0 })
    }

    fn call_traced<'a>(
        &'a self,
        request: Request,
    ) -> BoxFuture<'a, (Result<Reply, CallError>, Option<StderrSlice>)> {
        Box::pin(async move {
            if self.closed.load(Ordering::Acquire) {
                return (Err(CallError::Harness(HarnessError::Closed)), None);
            }
            match &self.engine {
                Engine::Persistent(pool) => pool.call(&self.opts, request).await,
                Engine::PerCall(limit) => {
                    // The semaphore is never closed, so acquiring only waits.
                    let Ok(_permit) = limit.acquire().await else {
                        return (Err(CallError::Harness(HarnessError::Closed)), None);
                    };
                    call_once(&self.opts, request).await
                }
            }
        })
    }

    fn describe_within<'a>(
        &'a self,
        budget: Duration,
    ) -> BoxFuture<'a, Result<Description, CallError>> {
        Box::pin(async move {
            if self.closed.load(Ordering::Acquire) {
                return Err(CallError::Harness(HarnessError::Closed));
            }
            match &self.engine {
                // The first slot's process answers it as its handshake; a process that fails
                // it is killed, so asking again starts a fresh one.
                Engine::Persistent(pool) => {
                    let slot = &pool.slots[0];
                    let process = pool.ensure(&self.opts, slot, budget).await?;
                    Ok(process.description.clone())
                }
                Engine::PerCall(_) => {
                    let opts = CliOptions {
                        request_timeout: budget,
                        start_timeout: Duration::ZERO,
                        ..(*self.opts).clone()
                    };
                    as_description(
                        call_once(&opts, Request::new(DESCRIBE_ID, Op::Describe))
                            .await
                            .0,
                    )
                }
            }
        })
    }

    fn close<'a>(&'a self) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.closed.store(true, Ordering::Release);
            if let Engine::Persistent(pool) = &self.engine {
                // Set before the slots are emptied, so no call starts a process behind us.
                pool.closed.store(true, Ordering::Release);
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

    fn notes(&self) -> Vec<String> {
        let Engine::Persistent(pool) = &self.engine else {
            return Vec::new();
        };
        // Live processes' late replies, plus those of the processes they replaced. A slot in
        // use right now is skipped: notes are taken when the run is over.
        let live: u64 = pool
            .slots
            .iter()
            .filter_map(|s| s.try_lock().ok())
            .filter_map(|s| s.as_ref().map(|p| p.conversation.shared().late_replies()))
            .sum();
        let record = lock(&pool.record);
        let mut notes = late_note(record.late + live);
        if record.restarts > 0 {
            notes.push(format!(
                "the program was restarted {} time{} after a crash, an exit or a hang ({} processes started in all, {} at once)",
                record.restarts,
                if record.restarts == 1 { "" } else { "s" },
                record.started,
                pool.slots.len()
            ));
        }
        if !record.described_differently.is_empty() {
            notes.push(format!(
                "a restarted process described itself differently from the first: {}",
                record.described_differently
            ));
        }
        notes
    }
}

/// Persistent processes, one per slot, restarted on demand.
struct Pool {
    slots: Vec<tokio::sync::Mutex<Option<Arc<Process>>>>,
    next: AtomicUsize,
    starts: Mutex<StartRecord>,
    record: Mutex<PoolRecord>,
    closed: AtomicBool,
}

/// Consecutive failed starts across the pool, and what the last one was.
#[derive(Default)]
struct StartRecord {
    failures: u32,
    last: String,
}

/// What the pool saw over the run, for the report's notes.
#[derive(Default)]
struct PoolRecord {
    /// Processes that answered their handshake.
    started: u32,
    /// Processes started in place of one that ended (the first start of each slot is not one).
    restarts: u32,
    /// The first process's description, which later ones are compared with.
    first: Option<Description>,
    /// How a later process's description differed, when one did.
    described_differently: String,
    /// Late replies discarded by processes that have since been replaced.
    late: u64,
}

impl Pool {
    async fn call(
        &self,
        opts: &CliOptions,
        request: Request,
    ) -> (Result<Reply, CallError>, Option<StderrSlice>) {
        let slot = &self.slots[self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len()];
        let asked = request.op.kind();
        let id = request.id;
        let mut line = request.to_json();
        line.push(b'\n');
        let mut interrupted = 0;
        loop {
            let process = match self.ensure(opts, slot, opts.handshake_budget()).await {
                Ok(p) => p,
                Err(e) => return (Err(e), None),
            };
            let mark = process.tail.mark();
            let allowed = opts.request_timeout;
            let outcome = process
                .conversation
                .exchange(id, line.clone(), allowed)
                .await;
            let stderr = process.tail.since(mark);
            let result = match outcome {
                Ok(Outcome::Line(bytes)) => match decode_reply(&bytes, id, asked) {
                    Ok(decoded) => settle(asked, decoded),
                    Err(fault) => Err(fault.into()),
                },
                // Killed because another request hung: this one was not given its time. Ask a
                // fresh process once; a second interruption is the implementation's doing.
                Ok(Outcome::Fault(Fault::Interrupted { .. })) if interrupted == 0 => {
                    interrupted += 1;
                    continue;
                }
                Ok(Outcome::Fault(fault)) => Err(fault.into()),
                Ok(Outcome::TimedOut) => {
                    // A hung program is killed, its whole group with it; the other requests in
                    // flight on it are interrupted and asked again.
                    process
                        .conversation
                        .shared()
                        .end(Fault::Interrupted { by: id });
                    process.killer.kill();
                    Err(Fault::Timeout { after: allowed }.into())
                }
                Err(Register::Duplicate) => Err(CallError::Harness(HarnessError::DuplicateId(id))),
                // Died between the check and now: start another (bounded by the start limit).
                Err(Register::Ended) => continue,
            };
            return (result, stderr);
        }
    }

    /// The slot's live process, starting one and asking it `describe` within `handshake` if
    /// needed; fails fast once the start limit is hit.
    async fn ensure(
        &self,
        opts: &CliOptions,
        slot: &tokio::sync::Mutex<Option<Arc<Process>>>,
        handshake: Duration,
    ) -> Result<Arc<Process>, CallError> {
        let mut current = slot.lock().await;
        if self.closed.load(Ordering::Acquire) {
            return Err(CallError::Harness(HarnessError::Closed));
        }
        if let Some(process) = current.as_ref() {
            if !process.conversation.shared().is_ended() {
                return Ok(Arc::clone(process));
            }
            // Taken out under the slot lock, so each death is counted once. It answered its
            // handshake, so it was a good start: the failure count starts again.
            if let Some(old) = current.take() {
                let mut record = lock(&self.record);
                record.late += old.conversation.shared().late_replies();
                record.restarts += 1;
                drop(record);
                old.killer.kill();
            }
            lock(&self.starts).failures = 0;
        }
        let failures = {
            let starts = lock(&self.starts);
            if starts.failures >= opts.max_failed_starts {
                return Err(Fault::GaveUp {
                    attempts: starts.failures,
                    last: starts.last.clone(),
                }
                .into());
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
        match Process::start(opts, handshake).await {
            Ok(process) => {
                self.remember(&process.description);
                *current = Some(Arc::clone(&process));
                Ok(process)
            }
            Err(e) => {
                let mut starts = lock(&self.starts);
                starts.failures += 1;
                starts.last = e.to_string();
                Err(e)
            }
        }
    }

    fn remember(&self, description: &Description) {
        let mut record = lock(&self.record);
        record.started += 1;
        match &record.first {
            None => record.first = Some(description.clone()),
            Some(first) if first != description && record.described_differently.is_empty() => {
                record.described_differently = format!(
                    "{} {} claiming {:?} for {:?}, then {} {} claiming {:?} for {:?}",
                    first.name,
                    first.version,
                    first.capabilities,
                    first.profiles,
                    description.name,
                    description.version,
                    description.capabilities,
                    description.profiles
                );
            }
            Some(_) => {}
        }
    }
}

/// One running persistent process.
struct Process {
    conversation: Conversation,
    /// Kills the process; shared with the task that watches its end.
    killer: Killer,
    /// Set by the reaper when the process has ended.
    exit: watch::Receiver<Option<ExitStatus>>,
    tail: StderrTail,
    /// Its answer to the handshake.
    description: Description,
}

impl Process {
    /// Starts the program and asks it `describe` within `handshake`; a program that does not
    /// answer it properly is killed and the fault returned.
    async fn start(opts: &CliOptions, handshake: Duration) -> Result<Arc<Process>, CallError> {
        let mut child = opts.spawn()?;
        let pid = child.id();
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            // Unreachable with Stdio::piped() for all three.
            group::kill(pid);
            return Err(Fault::Io {
                context: "starting the program".into(),
                detail: "its standard streams could not be opened".into(),
            }
            .into());
        };
        let tail = StderrTail::drain(stderr);
        let (conversation, reading) = Conversation::start(stdout, stdin, opts.max_reply_bytes);
        let (kill_tx, kill_rx) = oneshot::channel();
        let (exit_tx, exit_rx) = watch::channel(None);
        tokio::spawn(reap(child, pid, kill_rx, exit_tx));
        let killer = Killer(Arc::new(Mutex::new(Some(kill_tx))));
        tokio::spawn(watch_end(
            reading,
            conversation.shared(),
            exit_rx.clone(),
            killer.clone(),
            tail.clone(),
        ));
        let request = Request::new(DESCRIBE_ID, Op::Describe);
        let mut line = request.to_json();
        line.push(b'\n');
        let answer = match conversation.exchange(DESCRIBE_ID, line, handshake).await {
            Ok(Outcome::Line(bytes)) => match decode_reply(&bytes, DESCRIBE_ID, OpKind::Describe) {
                Ok(decoded) => as_description(settle(OpKind::Describe, decoded)),
                Err(fault) => Err(fault.into()),
            },
            Ok(Outcome::Fault(fault)) => Err(fault.into()),
            Ok(Outcome::TimedOut) => Err(Fault::Timeout { after: handshake }.into()),
            Err(_) => Err(conversation.shared().ended_fault().into()),
        };
        match answer {
            Ok(description) => Ok(Arc::new(Process {
                conversation,
                killer,
                exit: exit_rx,
                tail,
                description,
            })),
            Err(e) => {
                conversation.shared().end(Fault::Exited {
                    status: "stopped by qrcert: it did not answer describe".into(),
                    stderr_tail: tail.text(),
                });
                killer.kill();
                Err(e)
            }
        }
    }

    /// Closes stdin, gives the program a moment to exit, then kills its group.
    async fn shutdown(&self) {
        self.conversation.close_input();
        let mut exit = self.exit.clone();
        let _ = tokio::time::timeout(EXIT_GRACE, exit.wait_for(Option::is_some)).await;
        // Even a program that exited may have left children behind: the group goes either way.
        self.killer.kill();
        self.conversation.shared().end(Fault::Exited {
            status: "stopped by qrcert".into(),
            stderr_tail: self.tail.text(),
        });
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.killer.kill();
    }
}

/// The kill switch: sending kills the process group. Shared by the handle and the end watcher.
#[derive(Clone)]
struct Killer(Arc<Mutex<Option<oneshot::Sender<()>>>>);

impl Killer {
    fn kill(&self) {
        if let Some(kill) = lock(&self.0).take() {
            let _ = kill.send(());
        }
    }
}

/// Owns the child: waits for it to end, or kills its group when told (or when its handle is
/// dropped). Whichever way it ends, what is left of its group is killed: a wrapper's children
/// never outlive it.
async fn reap(
    mut child: Child,
    pid: Option<u32>,
    kill: oneshot::Receiver<()>,
    exit: watch::Sender<Option<ExitStatus>>,
) {
    let status = tokio::select! {
        status = child.wait() => status,
        _ = kill => {
            group::kill(pid);
            let _ = child.start_kill();
            child.wait().await
        }
    };
    group::kill(pid);
    // A failed wait leaves the status unknown; the end watcher reports the end without it.
    if let Ok(status) = status {
        let _ = exit.send(Some(status));
    }
}

/// Runs the reader until stdout closes, then reports how the process ended to every request
/// still in flight.
async fn watch_end(
    reading: impl Future<Output = ()>,
    shared: Arc<Shared>,
    mut exit: watch::Receiver<Option<ExitStatus>>,
    killer: Killer,
    tail: StderrTail,
) {
    reading.await;
    // Stdout is closed: the program is ending. Give it a moment to exit, then make sure.
    let hung = tokio::time::timeout(EXIT_GRACE, exit.wait_for(Option::is_some))
        .await
        .is_err();
    if hung {
        killer.kill();
        let _ = tokio::time::timeout(EXIT_GRACE, exit.wait_for(Option::is_some)).await;
        // The kill was qrcert's doing; the fault is the silence, not a crash.
        shared.end(ended(None, tail.text()));
        return;
    }
    let status = *exit.borrow();
    tail.closed_within(EXIT_GRACE).await;
    shared.end(ended(status, tail.text()));
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

/// Per-call mode: one process, one request line in, one reply line out. The program starts
/// for each request, so each gets the start-up budget on top of the request timeout.
async fn call_once(
    opts: &CliOptions,
    request: Request,
) -> (Result<Reply, CallError>, Option<StderrSlice>) {
    let asked = request.op.kind();
    let id = request.id;
    let allowed = opts.request_timeout + opts.start_timeout;
    let mut child = match opts.spawn() {
        Ok(c) => c,
        Err(fault) => return (Err(fault.into()), None),
    };
    let pid = child.id();
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        // Unreachable with Stdio::piped() for all three.
        group::kill(pid);
        let fault = Fault::Io {
            context: "starting the program".into(),
            detail: "its standard streams could not be opened".into(),
        };
        return (Err(fault.into()), None);
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
        Err(_) => Err(Fault::Timeout { after: allowed }),
        Ok(Some(decoded)) => decoded,
        Ok(None) => {
            let status = match tokio::time::timeout(EXIT_GRACE, child.wait()).await {
                Ok(Ok(status)) => Some(status),
                _ => None,
            };
            tail.closed_within(EXIT_GRACE).await;
            Err(ended(status, tail.text()))
        }
    };
    // Answered or not, a program that lingers is stopped (not blamed), with all it started.
    if result.is_ok() {
        let _ = tokio::time::timeout(EXIT_GRACE, child.wait()).await;
    }
    group::kill(pid);
    let _ = child.start_kill();
    let _ = child.wait().await;
    let stderr = tail.since(0);
    let result = match result {
        Ok(decoded) => settle(asked, decoded),
        Err(fault) => Err(fault.into()),
    };
    (result, stderr)
}
