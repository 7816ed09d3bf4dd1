//! The broken variants that only a real process can have (`Reach::Process`), served by
//! `qrcert selftest --peer NAME` over the CLI protocol: the reference implementation behind a
//! process that answers late, exits, or starts children that never end. The selftest runs them
//! as any vendor's program is run, through the CLI transport.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::Profile;
use crate::adapter::library::Implementation;
use crate::adapter::protocol::{
    Description, Fields, GenerateReply, ImplError, Timestamp, ValidateReply,
};
use crate::reference::{Defect, Reach, Reference};

/// The peer name of the never-ending child `leaves-children` starts.
pub const SPIN: &str = "spin";

/// Why a peer cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// Not a process defect (nor the spinning child).
    #[error("{0:?} is not a process variant (see qrcert selftest --list)")]
    Unknown(String),
    /// Reading or writing the protocol failed.
    #[error("serving the protocol: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the peer `name` on stdin/stdout until stdin ends. `delay` is how late `late-replies`
/// answers.
pub async fn serve(name: &str, delay: Duration) -> Result<(), PeerError> {
    if name == SPIN {
        // The vendor SDK's call that never returns.
        loop {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }
    let defect = Defect::from_name(name)
        .filter(|d| d.reach() == Reach::Process)
        .ok_or_else(|| PeerError::Unknown(name.to_owned()))?;
    let imp: Arc<dyn Implementation> = Arc::new(Peer {
        inner: Reference::new(),
        defect,
        delay,
    });
    crate::adapter::serve::serve_stdio(imp, tokio::io::stdin(), tokio::io::stdout()).await?;
    Ok(())
}

/// The reference, misbehaving as a process does.
struct Peer {
    inner: Reference,
    defect: Defect,
    delay: Duration,
}

impl Peer {
    /// What happens before every request but describe.
    fn misbehave(&self) {
        match self.defect {
            Defect::LateReplies => std::thread::sleep(self.delay),
            Defect::ExitsAfterDescribe => std::process::exit(0),
            Defect::LeavesChildren => {
                // A wrapper in front of an SDK: the SDK runs as a child and never returns.
                if let Ok(me) = std::env::current_exe() {
                    let _ = std::process::Command::new(me)
                        .args(["selftest", "--peer", SPIN])
                        .status();
                }
            }
            _ => {}
        }
    }
}

impl Implementation for Peer {
    fn describe(&self) -> Description {
        let mut d = self.inner.describe();
        d.name = format!("qrcert-reference+{}", self.defect.name());
        d
    }

    fn parse(&self, payload: &str) -> Result<Fields, ImplError> {
        self.misbehave();
        self.inner.parse(payload)
    }

    fn validate(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        self.misbehave();
        self.inner.validate(payload, profile, now)
    }

    fn generate(&self, profile: Profile, input: &Value) -> Result<String, ImplError> {
        self.misbehave();
        self.inner.generate(profile, input)
    }

    fn generate_reply(&self, profile: Profile, input: &Value) -> Result<GenerateReply, ImplError> {
        self.misbehave();
        self.inner.generate_reply(profile, input)
    }

    fn render(&self, payload: &str) -> Result<Vec<u8>, ImplError> {
        self.misbehave();
        self.inner.render(payload)
    }

    fn scan(&self, png: &[u8]) -> Result<String, ImplError> {
        self.misbehave();
        self.inner.scan(png)
    }
}
