//! `qrcert render` and `qrcert decode`: payload to PNG the way EMVCo asks (byte segments, ECI 26
//! when needed), and PNG back to payload, with the symbol's facts on request.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use super::{CliError, EXIT_FAIL, EXIT_OK};
use crate::image::{self, DecodeLimits, EcLevel, RenderOptions, Segmentation};

#[derive(Debug, clap::Args)]
pub(super) struct RenderArgs {
    /// The payload to encode.
    payload: String,
    /// Where to write the PNG.
    #[arg(short = 'o', long = "out")]
    out: PathBuf,
    /// Error-correction level (L, M, Q or H; case does not matter).
    #[arg(long, value_enum, ignore_case = true, default_value_t = Ec::M)]
    ec: Ec,
    /// Pixels per module.
    #[arg(long, default_value_t = 8)]
    scale: u32,
    /// Quiet zone in modules.
    #[arg(long, default_value_t = 4)]
    quiet_zone: u32,
    /// Let the encoder choose segment modes (numeric, alphanumeric, Kanji) as many encoders do;
    /// EMVCo forbids it, so this exists to produce counter-examples.
    #[arg(long)]
    auto_segments: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Ec {
    L,
    M,
    Q,
    H,
}

#[derive(Debug, clap::Args)]
pub(super) struct DecodeArgs {
    /// The PNG file.
    file: PathBuf,
    /// Print the symbol's facts (version, EC level, mask, segment modes, ECI, quiet zone) as JSON.
    #[arg(long)]
    inspect: bool,
}

pub(super) fn render(args: RenderArgs) -> Result<u8, CliError> {
    let options = RenderOptions {
        ec: match args.ec {
            Ec::L => EcLevel::L,
            Ec::M => EcLevel::M,
            Ec::Q => EcLevel::Q,
            Ec::H => EcLevel::H,
        },
        scale: args.scale,
        quiet_zone: args.quiet_zone,
        segmentation: if args.auto_segments {
            Segmentation::Automatic
        } else {
            Segmentation::ByteOnly
        },
        ..RenderOptions::default()
    };
    let png = image::render_png(&args.payload, &options)
        .map_err(|e| CliError::Usage(format!("cannot render: {e}")))?;
    std::fs::write(&args.out, png)
        .map_err(CliError::io(format!("writing {}", args.out.display())))?;
    Ok(EXIT_OK)
}

pub(super) fn decode(args: DecodeArgs) -> Result<u8, CliError> {
    let limits = DecodeLimits::default();
    let bytes = image::read_file_bounded(&args.file, &limits)
        .map_err(|e| CliError::Usage(format!("{}: {e}", args.file.display())))?;
    let mut out = std::io::stdout().lock();
    let io = CliError::io("writing the result");
    if args.inspect {
        match image::inspect_png(&bytes, &limits) {
            Ok(facts) => {
                let json = serde_json::to_string_pretty(&facts)
                    .map_err(|e| CliError::Usage(e.to_string()))?;
                writeln!(out, "{json}").map_err(io)?;
                Ok(EXIT_OK)
            }
            Err(e) => {
                crate::errln!("qrcert: {}: {e}", args.file.display());
                Ok(EXIT_FAIL)
            }
        }
    } else {
        match image::decode_png_one(&bytes, &limits) {
            Ok(d) => {
                writeln!(out, "{}", d.payload).map_err(io)?;
                Ok(EXIT_OK)
            }
            Err(e) => {
                crate::errln!("qrcert: {}: {e}", args.file.display());
                Ok(EXIT_FAIL)
            }
        }
    }
}
