//! The deck directory: `deck.html`, `deck.json` (the answer key) and `cards/<id>.png`.

use std::path::{Path, PathBuf};

use super::Deck;
use super::select::render_card;

/// The printable page.
pub const DECK_HTML: &str = "deck.html";
/// The answer key.
pub const DECK_JSON: &str = "deck.json";
/// The folder of card images.
pub const CARDS_DIR: &str = "cards";

/// A deck that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A card could not be rendered.
    #[error("card {id}: {source}")]
    Render {
        /// The card.
        id: String,
        /// The cause.
        source: crate::image::RenderError,
    },
    /// A vector ID that is not a safe file name.
    #[error("card {0:?}: the ID is not a safe file name")]
    BadId(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether a card ID can name a file: letters, digits, `-`, `_` and `.`, not starting with `.`.
pub fn safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Every card's PNG, in card order.
pub fn card_images(deck: &Deck) -> Result<Vec<Vec<u8>>, WriteError> {
    deck.cards
        .iter()
        .map(|c| {
            if !safe_id(&c.id) {
                return Err(WriteError::BadId(c.id.clone()));
            }
            render_card(&c.payload).map_err(|source| WriteError::Render {
                id: c.id.clone(),
                source,
            })
        })
        .collect()
}

/// The answer key's bytes: pretty JSON with a trailing newline.
pub fn deck_json(deck: &Deck) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(deck).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Writes the deck into `dir` (created if missing); returns the card images it wrote.
pub fn write_deck(deck: &Deck, dir: &Path) -> Result<Vec<Vec<u8>>, WriteError> {
    let cards = dir.join(CARDS_DIR);
    std::fs::create_dir_all(&cards).map_err(io(&cards))?;
    let images = card_images(deck)?;
    for (card, png) in deck.cards.iter().zip(&images) {
        let p = cards.join(format!("{}.png", card.id));
        std::fs::write(&p, png).map_err(io(&p))?;
    }
    let p = dir.join(DECK_JSON);
    std::fs::write(&p, deck_json(deck)).map_err(io(&p))?;
    let p = dir.join(DECK_HTML);
    std::fs::write(&p, super::html::to_html(deck, &images)).map_err(io(&p))?;
    Ok(images)
}
