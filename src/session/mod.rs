//! `qrcert session`: a lab session for a wallet app on a phone. A local web page shows the
//! deck's codes one at a time, full screen, for the phone to scan; the tester records what the
//! app did; at the end the observations are graded by the same rules as `qrcert run` and the
//! same four report formats are written (and signed).
//!
//! - [`observation`]: what a tester records, bounded; [`store`]: the session on disk,
//!   resumable; [`photo`]: evidence photos, checked from their headers;
//! - [`grade`]: observations to the canonical report; [`api`]: the JSON API and the page.

pub mod api;
pub mod grade;
pub mod observation;
pub mod photo;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::deck::write::{WriteError, write_deck};
use crate::deck::{Deck, DeckError, DeckOptions, build};
use crate::report::Report;
use crate::report::files::{ReportFileError, Written, write_all};
use crate::report::sign::SecretKey;
use crate::vectors::Suite;

pub use observation::{Observation, Outcome};
pub use store::{Header, Store, StoreError, Tester};

/// Why a session cannot start or finish.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The deck cannot be made.
    #[error(transparent)]
    Deck(#[from] DeckError),
    /// The deck cannot be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The session directory cannot be used.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The reports cannot be written.
    #[error(transparent)]
    Report(#[from] ReportFileError),
}

/// A running session: the deck, its images and the store, shared by the API's handlers.
pub struct Session {
    suite: Suite,
    deck: Deck,
    images: Vec<Vec<u8>>,
    /// What the tester can see of each card: what the code carries, for the form to confirm
    /// or correct (read from the payload, whatever the expected result).
    carried: Vec<crate::deck::shown::Displayed>,
    store: Mutex<Store>,
    sign_key: Option<SecretKey>,
    dir: PathBuf,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("dir", &self.dir)
            .field("cards", &self.deck.cards.len())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Opens (or resumes) the session in `dir`. A new session's clock is `opts.clock`; a
    /// resumed one keeps its own, so its cards are the same. The deck (answer key included)
    /// is written into `dir` beside the session files.
    pub fn open(
        suite: Suite,
        opts: &DeckOptions,
        dir: &Path,
        sign_key: Option<SecretKey>,
    ) -> Result<Session, SessionError> {
        let store = Store::open(
            dir,
            Header {
                session_format: store::SESSION_FORMAT,
                profile: opts.profile,
                role: opts.role,
                tags: opts.tags_text.clone(),
                clock: opts.clock,
                fresh_seed: opts.fresh.as_ref().map(|f| f.seed.clone()),
                tester: None,
            },
        )?;
        let opts = DeckOptions {
            clock: store.header.clock,
            ..opts.clone()
        };
        let deck = build(&suite, &opts)?;
        let images = write_deck(&deck, dir)?;
        let carried = deck
            .cards
            .iter()
            .map(|c| {
                crate::deck::Shown::of_payload(&c.payload)
                    .unwrap_or_default()
                    .as_displayed()
            })
            .collect();
        Ok(Session {
            suite,
            deck,
            images,
            carried,
            store: Mutex::new(store),
            sign_key,
            dir: dir.to_path_buf(),
        })
    }

    /// The deck.
    pub fn deck(&self) -> &Deck {
        &self.deck
    }

    /// The session directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        // A handler that panicked mid-write left the log as it was; the store stays usable.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The report of the observations so far.
    pub fn report(&self) -> Report {
        let s = self.store();
        grade::report(
            &self.suite,
            &self.deck,
            &s.header,
            &s.observations,
            &s.photos,
        )
    }

    /// Grades the observations and writes the four report formats (and the signature).
    pub fn finish(&self) -> Result<(Report, Written), SessionError> {
        let report = self.report();
        let written = write_all(&report, &self.dir, self.sign_key.as_ref())?;
        Ok((report, written))
    }
}
