//! How qrcert reaches an implementation under test: one protocol ([`protocol`]), one trait
//! ([`Adapter`]) and three transports: in-process ([`library`]), a child process speaking JSON
//! lines ([`cli`]) and HTTP ([`http`]). [`serve`] puts any [`library::Implementation`] behind the
//! same protocol, so every transport can be tested end to end against one implementation.

pub mod cli;
pub mod config;
pub mod fault;
mod group;
pub mod http;
pub mod library;
mod lines;
pub mod protocol;
mod secret;
pub mod serve;
mod stderr;
pub mod stream;

use std::time::Duration;

use futures::future::BoxFuture;

pub use fault::Fault;
pub use group::kill_all as kill_all_process_groups;
pub use protocol::{Description, ImplError, Op, OpKind, Reply, Request};
pub use secret::Secret;
pub use stderr::StderrSlice;

/// Longest reply accepted by any transport unless configured: images are the largest replies, and a QR PNG is
/// far below this.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 16 * 1024 * 1024;

/// The id [`Adapter::describe`] uses. Callers number their own requests from 1.
pub const DESCRIBE_ID: u64 = 0;

/// Why a call did not produce a reply.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// The implementation answered `ok: false` (including `unsupported`).
    #[error("the implementation refused: {0}")]
    Refused(ImplError),
    /// The implementation misbehaved; the case is graded ERROR.
    #[error(transparent)]
    Fault(Fault),
    /// qrcert itself was used wrongly; not the implementation's fault.
    #[error(transparent)]
    Harness(HarnessError),
}

impl From<Fault> for CallError {
    fn from(f: Fault) -> Self {
        CallError::Fault(f)
    }
}

/// A misuse of the adapter by the harness.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HarnessError {
    /// Another request with this id is in flight on the same adapter.
    #[error("request id {0} is already in flight on this adapter")]
    DuplicateId(u64),
    /// The adapter was closed.
    #[error("the adapter is closed")]
    Closed,
    /// The reply does not answer the op that was asked (a bug in the transport or the
    /// in-process implementation's dispatch).
    #[error("asked {asked} but got a {got} reply")]
    OpMismatch {
        /// The op of the request.
        asked: OpKind,
        /// The op of the reply.
        got: OpKind,
    },
}

/// A connection to one implementation under test.
///
/// Object-safe so the transport can be chosen at run time (`Box<dyn Adapter>`), and `Sync` so
/// the runner can call it from many tasks at once: transports pipeline or pool concurrent calls.
pub trait Adapter: Send + Sync {
    /// Sends one request and waits for its reply. The request id must not be in flight already.
    fn call<'a>(&'a self, request: Request) -> BoxFuture<'a, Result<Reply, CallError>>;

    /// Stops the implementation's processes or connections. Calls after this fail with
    /// [`HarnessError::Closed`]. Idempotent.
    fn close<'a>(&'a self) -> BoxFuture<'a, ()>;

    /// Which transport this is: "library", "cli" or "http".
    fn transport(&self) -> &'static str;

    /// Asks the implementation who it is (with id [`DESCRIBE_ID`]).
    fn describe<'a>(&'a self) -> BoxFuture<'a, Result<Description, CallError>> {
        Box::pin(
            async move { as_description(self.call(Request::new(DESCRIBE_ID, Op::Describe)).await) },
        )
    }

    /// Asks `describe` within `budget`, which also covers starting the implementation. The run
    /// asks this first, and once more with a longer budget if it fails. A transport whose
    /// abandoned calls leave state behind overrides it.
    fn describe_within<'a>(
        &'a self,
        budget: Duration,
    ) -> BoxFuture<'a, Result<Description, CallError>> {
        Box::pin(async move {
            match tokio::time::timeout(budget, self.describe()).await {
                Ok(result) => result,
                Err(_) => Err(CallError::Fault(Fault::Timeout { after: budget })),
            }
        })
    }

    /// [`Adapter::call`], with what the implementation wrote to stderr while the call ran, for
    /// transports that see a stderr.
    fn call_traced<'a>(
        &'a self,
        request: Request,
    ) -> BoxFuture<'a, (Result<Reply, CallError>, Option<StderrSlice>)> {
        Box::pin(async move { (self.call(request).await, None) })
    }

    /// What the transport noticed beyond single calls, for the report: late replies discarded,
    /// restarts. Empty by default.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A describe call's result as a description.
pub(crate) fn as_description(result: Result<Reply, CallError>) -> Result<Description, CallError> {
    match result? {
        Reply::Describe(d) => Ok(d),
        other => Err(CallError::Harness(HarnessError::OpMismatch {
            asked: OpKind::Describe,
            got: other.kind(),
        })),
    }
}

/// Turns a decoded reply into a call result, checking that it answers the op asked.
pub(crate) fn settle(asked: OpKind, result: Result<Reply, ImplError>) -> Result<Reply, CallError> {
    match result {
        Ok(reply) if reply.kind() == asked => Ok(reply),
        Ok(reply) => Err(CallError::Harness(HarnessError::OpMismatch {
            asked,
            got: reply.kind(),
        })),
        Err(refusal) => Err(CallError::Refused(refusal)),
    }
}
