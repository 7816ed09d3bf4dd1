//! The CLI transport: the implementation is a program speaking JSON lines on stdin/stdout.
//!
//! Persistent mode (the default) keeps `concurrency` long-lived processes; requests are
//! pipelined and replies matched by id, so a fast program is limited by its own speed, not by
//! round trips. Per-call mode starts the program for each request. Either way every misbehaviour
//! is a [`Fault`] for the request concerned and the adapter keeps going: a hung process is
//! killed and restarted, a crashed one restarted, garbage and oversized lines are skipped with
//! bounded memory, and a program that cannot stay up is given up on after a few tries.

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

use crate::adapter::config::Secret;
use crate::adapter::lines::{Line, LineReader};
use crate::adapter::protocol::decode_reply;
use crate::adapter::stderr::StderrTail;
use crate::adapter::stream::{Conversation, Outcome, Register, Shared, lock};
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
}

/// Persistent processes, one per slot, restarted on demand.
struct Pool {
    slots: Vec<tokio::sync::Mutex<Option<Arc<Process>>>>,
    next: AtomicUsize,
    starts: Mutex<StartRecord>,
    closed: AtomicBool,
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
            let shared = process.conversation.shared();
            let allowed = if shared.answered() {
                opts.request_timeout
            } else {
                opts.request_timeout + opts.start_timeout
            };
            return match process
                .conversation
                .exchange(id, line.clone(), allowed)
                .await
            {
                Ok(Outcome::Line(bytes)) => settle(asked, decode_reply(&bytes, id, asked)?),
                Ok(Outcome::Fault(fault)) => Err(fault.into()),
                Ok(Outcome::TimedOut) => {
                    // A hung program is killed; whatever else was in flight on it fails too.
                    let fault = Fault::Timeout { after: allowed };
                    shared.end(fault.clone());
                    process.killer.kill();
                    Err(fault.into())
                }
                Err(Register::Duplicate) => Err(CallError::Harness(HarnessError::DuplicateId(id))),
                // Died between the check and now: start another (bounded by the start limit).
                Err(Register::Ended) => continue,
            };
        }
    }

    /// The slot's live process, starting one if needed; fails fast once the start limit is hit.
    async fn ensure(
        &self,
        opts: &CliOptions,
        slot: &tokio::sync::Mutex<Option<Arc<Process>>>,
    ) -> Result<Arc<Process>, CallError> {
        let mut current = slot.lock().await;
        if self.closed.load(Ordering::Acquire) {
            return Err(CallError::Harness(HarnessError::Closed));
        }
        if let Some(process) = current.as_ref() {
            let shared = process.conversation.shared();
            if !shared.is_ended() {
                return Ok(Arc::clone(process));
            }
            // Taken out under the slot lock, so each death is counted once.
            current.take();
            let mut starts = lock(&self.starts);
            if shared.answered() {
                starts.failures = 0;
            } else {
                starts.failures += 1;
                starts.last = shared.ended_fault().to_string();
            }
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
        match Process::start(opts) {
            Ok(process) => {
                *current = Some(Arc::clone(&process));
                Ok(process)
            }
            Err(fault) => {
                let mut starts = lock(&self.starts);
                starts.failures += 1;
                starts.last = fault.to_string();
                Err(fault.into())
            }
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
        let tail = StderrTail::drain(stderr);
        let (conversation, reading) = Conversation::start(stdout, stdin, opts.max_reply_bytes);
        let (kill_tx, kill_rx) = oneshot::channel();
        let (exit_tx, exit_rx) = watch::channel(None);
        tokio::spawn(reap(child, kill_rx, exit_tx));
        let killer = Killer(Arc::new(Mutex::new(Some(kill_tx))));
        tokio::spawn(watch_end(
            reading,
            conversation.shared(),
            exit_rx.clone(),
            killer.clone(),
            tail.clone(),
        ));
        Ok(Arc::new(Process {
            conversation,
            killer,
            exit: exit_rx,
            tail,
        }))
    }

    /// Closes stdin, gives the program a moment to exit, then kills it.
    async fn shutdown(&self) {
        self.conversation.close_input();
        let mut exit = self.exit.clone();
        let hung = tokio::time::timeout(EXIT_GRACE, exit.wait_for(Option::is_some))
            .await
            .is_err();
        if hung {
            self.killer.kill();
        }
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

/// The kill switch: sending kills the process. Shared by the handle and the end watcher.
#[derive(Clone)]
struct Killer(Arc<Mutex<Option<oneshot::Sender<()>>>>);

impl Killer {
    fn kill(&self) {
        if let Some(kill) = lock(&self.0).take() {
            let _ = kill.send(());
        }
    }
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
    if tokio::time::timeout(EXIT_GRACE, child.wait())
        .await
        .is_err()
    {
        let _ = child.start_kill();
        let _ = child.wait().await;
    }
    settle(asked, result?)
}
