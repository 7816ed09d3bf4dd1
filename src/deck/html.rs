//! `deck.html`: the cards, nine to a sheet, one sheet to a printed page, with crop marks. The
//! page is self-contained (images are `data:` URIs, styles inline, a Content-Security-Policy
//! forbids any other source) and holds no expected result, so that the tester is not biased.
//!
//! The sheet fits A4 and US Letter alike; the `@page` size is A4 unless the page is opened
//! with `#letter` or Letter is picked in the screen-only selector.

use base64::Engine;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::Deck;

const CSS: &str = include_str!("deck.css");
const CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
/// Picks the paper: `#letter` or the selector switches `@page` to Letter.
const JS: &str = r#"(function(){var s=document.getElementById('paper'),p=document.getElementById('pick');function set(v){s.textContent='@page{size:'+(v==='letter'?'letter':'A4')+';margin:7mm}';if(p)p.value=v;document.documentElement.dataset.paper=v;}set(location.hash==='#letter'?'letter':'a4');if(p)p.addEventListener('change',function(){set(p.value);});})();"#;

/// Cards per sheet (3 x 3).
pub const CARDS_PER_SHEET: usize = 9;

/// The instruction printed on every card.
pub const INSTRUCTION: &str =
    "Scan with the wallet app, then record what the app shows (or that it refused the code).";

/// The deck page. `image` gives each card's PNG, in card order.
pub fn to_html(deck: &Deck, images: &[Vec<u8>]) -> String {
    let total = deck.cards.len();
    let title = format!(
        "qrcert test deck: {} {} ({} cards)",
        deck.profile, deck.role, total
    );
    let sheets = deck
        .cards
        .iter()
        .zip(images)
        .enumerate()
        .collect::<Vec<_>>();
    let page = html! {
        (DOCTYPE)
        html lang="en" data-paper="a4" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
                style id="paper" { "@page{size:A4;margin:7mm}" }
            }
            body {
                header.screen {
                    h1 { (title) }
                    p {
                        "Suite " (deck.suite.version) ", made " (deck.clock.to_rfc3339())
                        ". Print at 100 % (no fit-to-page), cut along the crop marks. "
                        "The answer key is deck.json; keep it away from the tester."
                    }
                    p {
                        label { "Paper: "
                            select id="pick" {
                                option value="a4" { "A4" }
                                option value="letter" { "US Letter" }
                            }
                        }
                    }
                }
                @for chunk in sheets.chunks(CARDS_PER_SHEET) {
                    section.sheet {
                        @for (i, (card, png)) in chunk {
                            (card_markup(deck, *i, total, &card.id, png))
                        }
                    }
                }
                script { (PreEscaped(JS)) }
            }
        }
    };
    page.into_string()
}

fn card_markup(deck: &Deck, index: usize, total: usize, id: &str, png: &[u8]) -> Markup {
    let src = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    );
    html! {
        div.card data-id=(id) {
            i.crop.tl {} i.crop.tr {} i.crop.bl {} i.crop.br {}
            img src=(src) alt=(format!("QR code of case {id}"));
            div.id { (id) }
            div.how { (INSTRUCTION) }
            div.foot { "qrcert · " (deck.profile) " " (deck.role) " · card " (index + 1) " of " (total) }
        }
    }
}
