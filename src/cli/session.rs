//! `qrcert session`: a local web app for certifying a wallet app on a phone with a tester.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use super::deck::Selection;
use super::{CliError, EXIT_OK};
use crate::Clock;
use crate::report::sign::SecretKey;
use crate::session::{Session, api};
use crate::vectors::fresh::SeedArg;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Serve the session page and its API on this address. Port 0 picks a free one (the
    /// address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    http: SocketAddr,
    /// Allow an address other than loopback (the page has no login: anyone who reaches it can
    /// record observations).
    #[arg(long)]
    listen_public: bool,
    #[command(flatten)]
    selection: Selection,
    /// The session directory: observations, photos, the deck and, at the end, the reports.
    /// Run the same command again to resume.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Sign report.json with this ed25519 secret key (see `qrcert keygen`).
    #[arg(long, value_name = "FILE")]
    sign_key: Option<PathBuf>,
    /// The instant the cards' expectations hold at, for a new session (default: now). A
    /// resumed session keeps its own.
    #[arg(long)]
    now: Option<Clock>,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    if !args.http.ip().is_loopback() && !args.listen_public {
        return Err(CliError::Usage(format!(
            "--http {}: not a loopback address; add --listen-public to serve the session to the network",
            args.http
        )));
    }
    let key = args
        .sign_key
        .as_deref()
        .map(SecretKey::load)
        .transpose()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    // A resumed session keeps its clock and its fresh seed, so its cards are the same.
    let resumed = crate::session::store::existing_header(&args.out);
    let clock = resumed
        .as_ref()
        .map(|h| h.clock)
        .or(args.now)
        .unwrap_or_else(Clock::system);
    let recorded = resumed
        .and_then(|h| h.fresh_seed)
        .and_then(|s| s.parse::<u64>().ok());
    let seed = match (args.selection.fresh, recorded) {
        (Some(SeedArg::Random), Some(s)) => Some(s),
        (Some(a), _) => Some(a.resolve()),
        (None, _) => None,
    };
    let mut opts = args.selection.options(clock)?;
    let (suite, fresh) = match args.selection.suite(seed, clock, &args.out)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    opts.fresh = fresh;
    let session =
        Session::open(suite, &opts, &args.out, key).map_err(|e| CliError::Usage(e.to_string()))?;
    let session = Arc::new(session);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::io("starting the runtime"))?;
    rt.block_on(async move {
        let (listener, addr) = api::bind(args.http)
            .await
            .map_err(CliError::io(format!("binding {}", args.http)))?;
        let report = session.report();
        let observed = report
            .cases
            .iter()
            .filter(|c| !c.observed.is_null())
            .count();
        let mut out = std::io::stdout();
        let _ = writeln!(
            out,
            "qrcert session: http://{addr}/ ({} cards, {observed} observed; session in {})",
            session.deck().cards.len(),
            args.out.display()
        );
        let _ = out.flush();
        api::serve(listener, session, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(CliError::io("serving the session"))
    })?;
    Ok(EXIT_OK)
}
