//! `qrcert deck`: a printable test deck and its answer key, for certifying a wallet app on a
//! phone (see also `qrcert session`).

use std::path::{Path, PathBuf};

use super::{CliError, EXIT_OK};
use crate::deck::write::{DECK_HTML, DECK_JSON, write_deck};
use crate::deck::{DeckOptions, build};
use crate::report::model::FreshInfo;
use crate::role::CertRole;
use crate::vectors::fresh::SeedArg;
use crate::vectors::{Suite, TagExpr};
use crate::{Clock, Profile};

/// The deck's selection, shared with `qrcert session`.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct Selection {
    /// The wallet's own profile (khqr, jpqr, thaiqr, vietqr, emvco).
    #[arg(long)]
    pub(super) profile: Profile,
    /// wallet: the profile's own codes; cross-border: the other schemes' codes, judged for a
    /// wallet of this profile.
    #[arg(long, value_enum, default_value_t = CertRole::Wallet)]
    pub(super) role: CertRole,
    /// Only vectors whose tags match this expression (`smoke`, `not mutation`).
    #[arg(long)]
    pub(super) tags: Option<String>,
    /// The vectors directory. Default: the suite built into this qrcert.
    #[arg(long, value_name = "DIR")]
    pub(super) vectors: Option<PathBuf>,
    /// Cards from the suite re-instantiated from this seed (or `random`, recorded), as
    /// `qrcert run --fresh` makes and checks it: new merchant data, so no card is one a wallet
    /// maker has seen. The fresh suite is written to OUT/fresh-suite; deck.json records the seed.
    #[arg(long, value_name = "SEED")]
    pub(super) fresh: Option<SeedArg>,
}

impl Selection {
    /// The deck's options at `clock`.
    pub(super) fn options(&self, clock: Clock) -> Result<DeckOptions, CliError> {
        let tags = self
            .tags
            .as_deref()
            .map(str::parse::<TagExpr>)
            .transpose()
            .map_err(|e| CliError::Usage(e.to_string()))?;
        Ok(DeckOptions {
            profile: self.profile,
            role: self.role,
            tags,
            tags_text: self.tags.clone(),
            clock,
            fresh: None,
        })
    }

    /// Loads the suite: the committed one, or with `seed` the fresh suite made from it at
    /// `clock`, written to `out`/fresh-suite and checked by the reference as `qrcert run
    /// --fresh` does. `Err(code)` when the fresh suite cannot be used (said on stderr).
    pub(super) fn suite(
        &self,
        seed: Option<u64>,
        clock: Clock,
        out: &Path,
    ) -> Result<Result<(Suite, Option<FreshInfo>), u8>, CliError> {
        let (vectors, features) = super::suite_dirs(self.vectors.clone(), None)?;
        let (dir, fresh) = match seed {
            None => (vectors, None),
            Some(seed) => match super::run::fresh_suite(seed, &vectors, &features, clock, out)? {
                Ok(x) => x,
                Err(code) => return Ok(Err(code)),
            },
        };
        let suite = Suite::load(&dir).map_err(|e| CliError::Usage(e.to_string()))?;
        Ok(Ok((suite, fresh)))
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(flatten)]
    selection: Selection,
    /// The instant the cards' expectations must hold at (a phone judges expiry by its own
    /// clock). Default: now.
    #[arg(long)]
    now: Option<Clock>,
    /// Where to write deck.html, deck.json and cards/.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    let clock = args.now.unwrap_or_else(Clock::system);
    let mut opts = args.selection.options(clock)?;
    let seed = args.selection.fresh.map(SeedArg::resolve);
    let (suite, fresh) = match args.selection.suite(seed, clock, &args.out)? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    opts.fresh = fresh;
    let deck = build(&suite, &opts).map_err(|e| CliError::Usage(e.to_string()))?;
    write_deck(&deck, &args.out).map_err(|e| CliError::Usage(e.to_string()))?;
    let accept = deck
        .cards
        .iter()
        .filter(|c| c.expect.result == crate::vectors::Outcome::Accept)
        .count();
    crate::outln!(
        "qrcert deck: {} cards ({accept} to accept, {} to refuse) in {}: {DECK_HTML} to print, \
         {DECK_JSON} is the answer key{}",
        deck.cards.len(),
        deck.cards.len() - accept,
        args.out.display(),
        if deck.omitted.is_empty() {
            String::new()
        } else {
            format!(
                "; {} vectors left out (their reasons are in {DECK_JSON})",
                deck.omitted.len()
            )
        }
    );
    Ok(EXIT_OK)
}
