//! `qrcert keygen --out PREFIX`: a new Ed25519 key pair for signing reports.

use std::io::Write;
use std::path::PathBuf;

use super::{CliError, EXIT_OK};
use crate::report::sign::keygen;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Writes the secret key to PREFIX (mode 0600) and the public key to PREFIX.pub; refuses to
    /// overwrite either.
    #[arg(long = "out", value_name = "PREFIX")]
    out: PathBuf,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    let (secret, public, key) = keygen(&args.out).map_err(|e| CliError::Usage(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "wrote secret key {} (keep it private) and public key {} (key id {})",
        secret.display(),
        public.display(),
        key.key_id()
    )
    .map_err(CliError::io("writing to stdout"))?;
    Ok(EXIT_OK)
}
