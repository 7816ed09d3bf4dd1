//! `qrcert reference`: the built-in reference implementation behind a transport, so the CLI and
//! HTTP transports (and any vendor tooling) can be exercised against a known-good peer.

use std::net::SocketAddr;
use std::sync::Arc;

use super::{CliError, EXIT_OK};
use crate::adapter::library::Implementation;
use crate::adapter::serve::{serve_http, serve_stdio};
use crate::reference::Reference;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("transport").required(true).args(["stdio", "http"])))]
pub(super) struct Args {
    /// Serve the adapter protocol as JSON lines on standard input and output.
    #[arg(long)]
    stdio: bool,
    /// Serve the adapter protocol over HTTP (`POST /{op}`) on this address, e.g. 127.0.0.1:8080.
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    let imp: Arc<dyn Implementation> = Arc::new(Reference::new());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::io("starting the runtime"))?;
    rt.block_on(async move {
        if args.stdio {
            serve_stdio(imp, tokio::io::stdin(), tokio::io::stdout())
                .await
                .map_err(CliError::io("serving on standard input/output"))
        } else if let Some(addr) = args.http {
            let server = serve_http(imp, addr)
                .await
                .map_err(CliError::io(format!("binding {addr}")))?;
            crate::errln!("qrcert reference: serving on {}", server.base_url());
            tokio::select! {
                r = server.wait() => r.map_err(CliError::io("serving HTTP")),
                _ = tokio::signal::ctrl_c() => Ok(()),
            }
        } else {
            Err(CliError::Usage("choose --stdio or --http ADDR".into()))
        }
    })?;
    Ok(EXIT_OK)
}
