//! The in-process transport: an implementation linked into qrcert (the reference
//! implementation, or a Rust vendor's crate) behind the same [`Adapter`] trait.

use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::Value;

use crate::Profile;
use crate::adapter::protocol::{
    Description, Fields, GenerateReply, ImplError, Op, OpKind, ParseReply, Png, RenderReply, Reply,
    ScanReply, Timestamp, ValidateReply,
};
use crate::adapter::{Adapter, CallError, Fault, HarnessError, Request, settle};

/// An implementation of the protocol's operations as plain synchronous Rust. Everything but
/// `describe` answers `unsupported` unless overridden.
pub trait Implementation: Send + Sync {
    /// Name, version, capabilities and profiles.
    fn describe(&self) -> Description;

    /// Decodes a payload into its data objects.
    fn parse(&self, payload: &str) -> Result<Fields, ImplError> {
        let _ = payload;
        Err(ImplError::unsupported(OpKind::Parse))
    }

    /// Decodes a payload with what the payer is shown. The default is
    /// [`Implementation::parse`]'s fields alone, without a payer view.
    fn parse_reply(&self, payload: &str) -> Result<ParseReply, ImplError> {
        Ok(ParseReply {
            fields: self.parse(payload)?,
            payer: None,
        })
    }

    /// [`Implementation::validate`] for a request that names the wallet judging the code (a
    /// cross-border request). The default ignores the wallet.
    fn validate_for(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
        wallet: Option<Profile>,
    ) -> Result<ValidateReply, ImplError> {
        let _ = wallet;
        self.validate(payload, profile, now)
    }

    /// Accepts or rejects a payload under `profile`, judging time-dependent rules at `now`
    /// (the implementation's own clock when `None`).
    fn validate(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        let _ = (payload, profile, now);
        Err(ImplError::unsupported(OpKind::Validate))
    }

    /// Produces a payload from neutral merchant data.
    fn generate(&self, profile: Profile, input: &Value) -> Result<String, ImplError> {
        let _ = (profile, input);
        Err(ImplError::unsupported(OpKind::Generate))
    }

    /// Produces a payload from neutral merchant data, with whatever the implementation returns
    /// beside it (a digest). The default is [`Implementation::generate`]'s payload alone.
    fn generate_reply(&self, profile: Profile, input: &Value) -> Result<GenerateReply, ImplError> {
        Ok(GenerateReply {
            payload: self.generate(profile, input)?,
            md5: None,
        })
    }

    /// Produces a PNG QR image of a payload.
    fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
        let _ = payload;
        Err(ImplError::unsupported(OpKind::Render))
    }

    /// Reads the payload from a PNG QR image.
    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        let _ = png;
        Err(ImplError::unsupported(OpKind::Scan))
    }
}

/// Runs one operation on an implementation: the single place mapping the protocol onto the
/// trait, shared by [`LibraryAdapter`] and the servers in [`crate::adapter::serve`].
pub fn dispatch(imp: &dyn Implementation, op: &Op) -> Result<Reply, ImplError> {
    Ok(match op {
        Op::Describe => Reply::Describe(imp.describe()),
        Op::Parse { payload } => Reply::Parse(imp.parse_reply(payload)?),
        Op::Validate {
            payload,
            profile,
            now,
            wallet,
        } => Reply::Validate(imp.validate_for(payload, *profile, *now, *wallet)?),
        Op::Generate { profile, input } => Reply::Generate(imp.generate_reply(*profile, input)?),
        Op::Render { payload } => Reply::Render(RenderReply {
            png: Png(imp.render(payload)?),
        }),
        Op::Scan { png } => Reply::Scan(ScanReply {
            payload: imp.scan(&png.0)?,
        }),
    })
}

/// Wraps an in-process [`Implementation`] as an [`Adapter`].
///
/// Each call runs on tokio's blocking pool, so a slow implementation never stalls the runtime;
/// a panic becomes [`Fault::Panicked`]. A timeout, when set, bounds the wait, though the
/// abandoned call still runs to its end on its thread (threads cannot be killed).
pub struct LibraryAdapter {
    imp: Arc<dyn Implementation>,
    timeout: Option<Duration>,
    closed: AtomicBool,
}

impl LibraryAdapter {
    /// An adapter without a timeout.
    pub fn new(imp: Arc<dyn Implementation>) -> Self {
        LibraryAdapter {
            imp,
            timeout: None,
            closed: AtomicBool::new(false),
        }
    }

    /// The same adapter, giving up on a call after `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

impl Adapter for LibraryAdapter {
    fn call<'a>(&'a self, request: Request) -> BoxFuture<'a, Result<Reply, CallError>> {
        Box::pin(async move {
            if self.closed.load(Ordering::Acquire) {
                return Err(CallError::Harness(HarnessError::Closed));
            }
            let asked = request.op.kind();
            let imp = Arc::clone(&self.imp);
            let task = tokio::task::spawn_blocking(move || dispatch(imp.as_ref(), &request.op));
            let joined = match self.timeout {
                Some(after) => match tokio::time::timeout(after, task).await {
                    Ok(joined) => joined,
                    Err(_) => return Err(Fault::Timeout { after }.into()),
                },
                None => task.await,
            };
            match joined {
                Ok(result) => settle(asked, result),
                Err(join) => Err(Fault::Panicked {
                    message: match join.try_into_panic() {
                        Ok(payload) => panic_message(payload.as_ref()),
                        Err(_) => "the call was cancelled".to_owned(),
                    },
                }
                .into()),
            }
        })
    }

    fn close<'a>(&'a self) -> BoxFuture<'a, ()> {
        self.closed.store(true, Ordering::Release);
        Box::pin(async {})
    }

    fn transport(&self) -> &'static str {
        "library"
    }
}

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Capability;

    struct Partial;

    impl Implementation for Partial {
        fn describe(&self) -> Description {
            Description {
                name: "partial".into(),
                version: "1".into(),
                capabilities: vec![Capability::Validate],
                profiles: vec![Profile::Emvco],
            }
        }

        fn validate(
            &self,
            payload: &str,
            _profile: Profile,
            _now: Option<Timestamp>,
        ) -> Result<ValidateReply, ImplError> {
            if payload == "panic" {
                panic!("boom on {payload}");
            }
            if payload == "slow" {
                std::thread::sleep(Duration::from_millis(500));
            }
            Ok(ValidateReply {
                valid: payload.starts_with("000201"),
                errors: vec![],
            })
        }
    }

    fn validate(payload: &str) -> Request {
        Request::new(
            1,
            Op::Validate {
                payload: payload.into(),
                profile: Profile::Emvco,
                now: None,
                wallet: None,
            },
        )
    }

    #[tokio::test]
    async fn answers_refuses_and_survives_panics() {
        let adapter = LibraryAdapter::new(Arc::new(Partial));
        assert_eq!(adapter.describe().await.unwrap().name, "partial");
        let ok = adapter.call(validate("000201xyz")).await.unwrap();
        assert_eq!(
            ok,
            Reply::Validate(ValidateReply {
                valid: true,
                errors: vec![]
            })
        );
        let unsupported = adapter
            .call(Request::new(
                2,
                Op::Parse {
                    payload: "x".into(),
                },
            ))
            .await;
        match unsupported {
            Err(CallError::Refused(e)) => assert!(e.is_unsupported()),
            other => panic!("expected unsupported, got {other:?}"),
        }
        match adapter.call(validate("panic")).await {
            Err(CallError::Fault(Fault::Panicked { message })) => {
                assert_eq!(message, "boom on panic")
            }
            other => panic!("expected a panic fault, got {other:?}"),
        }
        let bounded =
            LibraryAdapter::new(Arc::new(Partial)).with_timeout(Duration::from_millis(100));
        match bounded.call(validate("slow")).await {
            Err(CallError::Fault(Fault::Timeout { after })) => {
                assert_eq!(after, Duration::from_millis(100))
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
        assert!(bounded.call(validate("000201")).await.is_ok());
        adapter.close().await;
        assert_eq!(
            adapter.call(validate("000201")).await,
            Err(CallError::Harness(HarnessError::Closed))
        );
    }
}
