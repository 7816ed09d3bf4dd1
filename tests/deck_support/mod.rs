//! What the deck and session tests share about fresh decks.

use std::collections::BTreeMap;
use std::path::Path;

use qrcert::deck::Deck;

/// Asserts that at least 80 % of `a`'s cards carry another payload than `b`'s card of the same
/// ID: two seeds print different codes.
pub(crate) fn assert_cards_differ(a: &Deck, b: &Deck, seeds: &str) {
    let b_by_id: BTreeMap<&str, &str> = b
        .cards
        .iter()
        .map(|c| (c.id.as_str(), c.payload.as_str()))
        .collect();
    let differ = a
        .cards
        .iter()
        .filter(|c| b_by_id.get(c.id.as_str()).is_some_and(|p| *p != c.payload))
        .count();
    assert!(
        differ * 10 >= a.cards.len() * 8,
        "{differ} of {} cards differ between seeds {seeds}",
        a.cards.len()
    );
}

/// The payload of every validate and parse case of a suite directory, by vector ID.
pub(crate) fn suite_payloads(vectors: &Path) -> BTreeMap<String, String> {
    qrcert::vectors::load_dir(vectors)
        .cases()
        .filter_map(|c| match &c.input {
            qrcert::vectors::Input::Validate(i) => {
                i.payload.as_str().map(|p| (c.id.clone(), p.to_owned()))
            }
            qrcert::vectors::Input::Parse(i) => Some((c.id.clone(), i.payload.clone())),
            _ => None,
        })
        .collect()
}
