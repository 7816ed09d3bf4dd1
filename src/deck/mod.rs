//! Printed test decks for wallet apps on real phones: the wallet-side validate and parse vectors
//! of a selection as QR cards (rendered by qrcert, byte mode, ECI 26 when needed), a print-ready
//! page of them and an answer key.
//!
//! - [`select`]: which vectors become cards, judged at the deck's clock;
//! - [`shown`]: what a wallet must display for an accepted card;
//! - [`html`]: the printable page; [`write`]: the deck directory.

pub mod html;
pub mod select;
pub mod shown;
pub mod write;

use serde::{Deserialize, Serialize};

use crate::role::CertRole;
use crate::vectors::Outcome;
use crate::{Capability, Clock, Profile};

pub use select::{DeckError, DeckOptions, build};
pub use shown::Shown;

/// The version of `deck.json`'s shape.
pub const DECK_FORMAT: u32 = 1;

/// What the app must do with a card: the answer key's `expect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardExpect {
    /// Accept (show a payment screen) or reject (refuse the code).
    pub result: Outcome,
    /// What the payment screen must show (empty for a card to refuse).
    pub shown: Shown,
    /// The rules the card is about (those a refusal is for).
    pub rules: Vec<String>,
}

/// One card: one vector as a printed code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// The vector ID.
    pub id: String,
    /// The payload the symbol encodes.
    pub payload: String,
    /// The card's image, relative to the deck directory (`cards/<id>.png`).
    pub image: String,
    /// The expected outcome.
    pub expect: CardExpect,
    /// The vector's profile (`interop` for a cross-border card).
    pub profile: Profile,
    /// The vector's capability (validate or parse).
    pub capability: Capability,
    /// What the vector checks, for the answer key's reader (never printed on the card).
    pub title: String,
}

/// A vector of the selection left out of the deck, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Omitted {
    /// The vector ID.
    pub id: String,
    /// Why it is not a card.
    pub reason: String,
}

/// The suite a deck was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckSuite {
    /// Suite version.
    pub version: String,
    /// SHA-256 of the manifest.
    pub sha256: String,
    /// The seed and source suite of a fresh suite (`--fresh SEED`); absent for the committed
    /// suite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fresh: Option<crate::report::model::FreshInfo>,
}

/// A deck: the answer key as `deck.json` holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deck {
    /// [`DECK_FORMAT`].
    pub deck_format: u32,
    /// The wallet's profile.
    pub profile: Profile,
    /// Wallet (the profile's own codes) or cross-border (the other schemes' codes).
    pub role: CertRole,
    /// The tag expression, as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    /// The instant the expectations hold at: a phone judges expiry by its own clock, so a
    /// card whose verdict depends on the time is kept only when it holds at this instant.
    pub clock: Clock,
    /// The suite.
    pub suite: DeckSuite,
    /// The cards, in suite order.
    pub cards: Vec<Card>,
    /// Selected vectors that are not cards.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub omitted: Vec<Omitted>,
}

impl Deck {
    /// The card with this ID.
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }
}
