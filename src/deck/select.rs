//! Which vectors become cards: a wallet profile's own validate and parse vectors (role wallet),
//! or the other schemes' codes judged for that wallet (role cross-border), each kept only when
//! its expectation holds at the deck's clock, because a phone judges expiry by its own clock.

use crate::image::{RenderOptions, render_png};
use crate::role::CertRole;
use crate::rules::Role;
use crate::vectors::{Case, Expect, Input, Outcome, Suite, TagExpr, VectorStatus};
use crate::{Capability, Clock, Profile};

use super::{Card, CardExpect, DECK_FORMAT, Deck, DeckSuite, Omitted, Shown};

/// Pixels per module of a card's PNG: sharp when a browser scales it to the card.
pub const CARD_SCALE: u32 = 10;

/// What a deck holds.
#[derive(Debug, Clone)]
pub struct DeckOptions {
    /// The wallet's profile.
    pub profile: Profile,
    /// Wallet or cross-border.
    pub role: CertRole,
    /// Only vectors whose tags match.
    pub tags: Option<TagExpr>,
    /// The tag expression as typed.
    pub tags_text: Option<String>,
    /// The instant the expectations must hold at.
    pub clock: Clock,
    /// How the suite was re-instantiated, when the cards come from a fresh suite
    /// (`--fresh SEED`): recorded in `deck.json` and the session's report.
    pub fresh: Option<crate::report::model::FreshInfo>,
}

/// Why no deck could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeckError {
    /// A profile that has no wallet of its own.
    #[error(
        "profile {0} is not a wallet's profile: give the wallet's own scheme (e.g. khqr, jpqr)"
    )]
    NotAWalletProfile(Profile),
    /// The merchant role has no cards: merchant systems are certified with `qrcert run`.
    #[error("role merchant has no cards: a deck tests wallets (role wallet or cross-border)")]
    MerchantRole,
    /// Nothing selected.
    #[error("no card in the selection ({0})")]
    Empty(String),
}

/// The case's tag naming a cross-border direction into `wallet`'s app (`khqr-in-jpqr`).
fn crosses_into(case: &Case, wallet: Profile) -> bool {
    let suffix = format!("-in-{}", wallet.as_str());
    case.tags.iter().any(|t| t.ends_with(&suffix))
}

fn selected(case: &Case, opts: &DeckOptions) -> bool {
    if case.status != VectorStatus::Active
        || !matches!(case.capability(), Capability::Validate | Capability::Parse)
    {
        return false;
    }
    if let Input::Validate(v) = &case.input
        && v.role == Role::Generator
    {
        return false;
    }
    let in_role = match opts.role {
        CertRole::Wallet => case.profile == opts.profile,
        CertRole::CrossBorder => {
            case.profile.spec().kind == crate::rules::profile::Kind::Overlay
                && crosses_into(case, opts.profile)
        }
        CertRole::Merchant => false,
    };
    in_role
        && opts
            .tags
            .as_ref()
            .is_none_or(|e| e.matches(&|t: &str| case.has_tag(t)))
}

/// The card a case makes, or why it makes none.
fn card_of(case: &Case, clock: Clock) -> Result<Card, String> {
    let (payload, result, rules, judged_as) = match (&case.input, &case.expect) {
        (Input::Validate(i), Expect::Validate(e)) => {
            let Some(text) = i.payload.as_str() else {
                return Err("the payload is not UTF-8; a printed code cannot carry it".into());
            };
            (text.to_owned(), e.outcome(), e.rules.clone(), case.profile)
        }
        (Input::Parse(i), Expect::Parse(_)) => {
            (i.payload.clone(), Outcome::Accept, Vec::new(), case.profile)
        }
        _ => return Err("not a validate or parse vector".into()),
    };
    // A phone judges the code at the moment it is scanned: keep the card only when the
    // vector's expectation holds at the deck's clock too.
    let now = crate::reference::validate(&payload, judged_as, Some(clock))
        .map_err(|e| format!("the reference refuses to judge it: {}", e.message))?;
    let at_deck = if now.valid {
        Outcome::Accept
    } else {
        Outcome::Reject
    };
    if at_deck != result {
        return Err(format!(
            "at the deck's clock ({}) the code is judged {}, the vector expects {} at its own \
             clock; it depends on the time a phone reads it",
            clock.to_rfc3339(),
            at_deck.as_str(),
            result.as_str()
        ));
    }
    let shown = match result {
        Outcome::Accept => Shown::of_payload(&payload).unwrap_or_default(),
        Outcome::Reject => Shown::default(),
    };
    Ok(Card {
        id: case.id.clone(),
        image: format!("cards/{}.png", case.id),
        payload,
        expect: CardExpect {
            result,
            shown,
            rules,
        },
        profile: case.profile,
        capability: case.capability(),
        title: case.title.clone(),
    })
}

/// Builds the deck of a suite (images are rendered by [`render_card`] when written).
pub fn build(suite: &Suite, opts: &DeckOptions) -> Result<Deck, DeckError> {
    if opts.role == CertRole::Merchant {
        return Err(DeckError::MerchantRole);
    }
    if !matches!(
        opts.profile.spec().kind,
        crate::rules::profile::Kind::National | crate::rules::profile::Kind::Base
    ) {
        return Err(DeckError::NotAWalletProfile(opts.profile));
    }
    let mut cards = Vec::new();
    let mut omitted = Vec::new();
    for case in suite.cases.iter().filter(|c| selected(c, opts)) {
        match card_of(case, opts.clock).and_then(|c| {
            render_card(&c.payload)
                .map(|_| c)
                .map_err(|e| format!("it cannot be rendered: {e}"))
        }) {
            Ok(card) => cards.push(card),
            Err(reason) => omitted.push(Omitted {
                id: case.id.clone(),
                reason,
            }),
        }
    }
    if cards.is_empty() {
        return Err(DeckError::Empty(format!(
            "profile {}, role {}{}",
            opts.profile,
            opts.role,
            opts.tags_text
                .as_deref()
                .map(|t| format!(", tags {t}"))
                .unwrap_or_default()
        )));
    }
    Ok(Deck {
        deck_format: DECK_FORMAT,
        profile: opts.profile,
        role: opts.role,
        tags: opts.tags_text.clone(),
        clock: opts.clock,
        suite: DeckSuite {
            version: suite.manifest.suite_version.to_string(),
            sha256: suite.sha256.clone(),
            fresh: opts.fresh.clone(),
        },
        cards,
        omitted,
    })
}

/// A card's symbol as PNG: byte mode only, ECI 26 when the text is not plain ASCII, error
/// correction M, a 4-module quiet zone.
pub fn render_card(payload: &str) -> Result<Vec<u8>, crate::image::RenderError> {
    render_png(
        payload,
        &RenderOptions {
            scale: CARD_SCALE,
            ..RenderOptions::default()
        },
    )
}
