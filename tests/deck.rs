//! `qrcert deck` as a lab uses it: the binary writes a KHQR wallet deck; every card decodes
//! through rqrr to its payload, in byte mode with ECI 26 exactly when the text needs it; the
//! answer key agrees with the reference validator; and the page prints in headless Chromium
//! with every card whole, on A4 and on US Letter.

mod browser_support;
mod deck_support;

use std::path::Path;
use std::process::Command;

use browser_support::{chromium, output_dir, pdf_media_box, pdf_pages, print_to_pdf, run_chromium};
use qrcert::deck::Deck;
use qrcert::image::{DecodeLimits, Mode, inspect_png};

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

fn write_deck(dir: &Path, args: &[&str]) -> Deck {
    let out = Command::new(BIN)
        .arg("deck")
        .args(args)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "qrcert deck failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&std::fs::read(dir.join("deck.json")).unwrap()).unwrap()
}

fn rqrr_payload(png: &[u8]) -> Vec<u8> {
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .unwrap()
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one symbol per card");
    let mut bytes = Vec::new();
    grids[0].decode_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_khqr_wallet_deck_decodes_card_by_card_and_prints_whole() {
    let dir = tempfile::tempdir().unwrap();
    let deck = write_deck(dir.path(), &["--profile", "khqr", "--role", "wallet"]);
    let n = deck.cards.len();
    assert!(n >= 100, "only {n} cards");
    let accept = deck
        .cards
        .iter()
        .filter(|c| c.expect.result == qrcert::vectors::Outcome::Accept)
        .count();
    assert!(accept > 0 && accept < n, "{accept} of {n} to accept");

    let mut with_eci = 0;
    for card in &deck.cards {
        assert_eq!(card.image, format!("cards/{}.png", card.id));
        let png = std::fs::read(dir.path().join(&card.image)).unwrap();
        assert_eq!(
            rqrr_payload(&png),
            card.payload.as_bytes(),
            "{} decodes to another payload",
            card.id
        );
        let facts = inspect_png(&png, &DecodeLimits::default()).unwrap();
        let data: Vec<Mode> = facts
            .segments
            .iter()
            .map(|s| s.mode)
            .filter(|m| *m != Mode::Eci)
            .collect();
        assert!(
            data.iter().all(|m| *m == Mode::Byte),
            "{}: {data:?}",
            card.id
        );
        let needs = qrcert::image::render::needs_eci(&card.payload);
        assert_eq!(facts.eci == Some(26), needs, "{}: ECI", card.id);
        with_eci += usize::from(needs);
        // The answer key agrees with the reference at the deck's clock.
        let v = qrcert::reference::validate(&card.payload, card.profile, Some(deck.clock)).unwrap();
        assert_eq!(
            v.valid,
            card.expect.result == qrcert::vectors::Outcome::Accept,
            "{}",
            card.id
        );
        if v.valid {
            assert!(card.expect.shown.merchant_name.is_some(), "{}", card.id);
        } else {
            assert_eq!(card.expect.shown, Default::default(), "{}", card.id);
        }
    }
    assert!(with_eci > 0, "no card needed ECI 26");

    // The page holds no expected result and loads nothing.
    let html = std::fs::read_to_string(dir.path().join("deck.html")).unwrap();
    for word in ["accept", "reject", "expect", "KHQR.", "EMV."] {
        assert!(!html.contains(word), "deck.html gives away {word:?}");
    }
    assert_eq!(html.matches("class=\"card\"").count(), n);
    assert_eq!(html.matches("class=\"crop ").count(), 4 * n);
    assert!(!html.contains("http://") && !html.contains("https://"));

    // Printed: nine cards a page, none split, on A4 and on Letter.
    let bin = chromium();
    let page = dir.path().join("deck.html");
    let sheets = n.div_ceil(9);
    for (fragment, width, height) in [("", 595.0, 842.0), ("#letter", 612.0, 792.0)] {
        let pdf = print_to_pdf(&bin, &format!("file://{}{fragment}", page.display()));
        assert_eq!(pdf_pages(&pdf), sheets, "pages of the {fragment:?} print");
        let mb = pdf_media_box(&pdf).expect("a media box");
        assert!(
            (mb[2] - width).abs() < 2.0 && (mb[3] - height).abs() < 2.0,
            "{fragment:?}: page {mb:?}"
        );
    }

    // A picture of the first sheet, for the README.
    let shot = output_dir().join("deck.png");
    let _ = std::fs::remove_file(&shot);
    run_chromium(
        &bin,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=900,1150".into(),
            "--virtual-time-budget=3000".into(),
            format!("file://{}", page.display()),
        ],
    );
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
}

#[test]
fn a_cross_border_deck_holds_the_other_schemes_codes() {
    let dir = tempfile::tempdir().unwrap();
    let deck = write_deck(dir.path(), &["--profile", "khqr", "--role", "cross-border"]);
    assert!(!deck.cards.is_empty());
    for card in &deck.cards {
        assert_eq!(card.profile, qrcert::Profile::Interop, "{}", card.id);
        let png = std::fs::read(dir.path().join(&card.image)).unwrap();
        assert_eq!(rqrr_payload(&png), card.payload.as_bytes(), "{}", card.id);
    }
    // Mostly JPQR codes, the other scheme a KHQR wallet meets.
    assert!(
        deck.cards
            .iter()
            .any(|c| c.payload.contains("jp.or.paymentsjapan"))
    );
}

#[test]
fn a_deck_refuses_what_it_cannot_make() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--profile", "khqr", "--role", "merchant"],
        vec!["--profile", "interop"],
        vec!["--profile", "khqr", "--tags", "no-such-tag"],
        vec!["--profile", "khqr", "--tags", "(smoke"],
    ] {
        let out = Command::new(BIN)
            .arg("deck")
            .args(&args)
            .arg("--out")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("qrcert: error: "), "{args:?}: {err}");
    }
}

#[test]
fn a_fresh_deck_prints_the_fresh_suite_and_two_seeds_print_different_cards() {
    const CLOCK: &str = "2026-12-01T00:00:00Z";
    let dir = tempfile::tempdir().unwrap();
    let args = |seed: &'static str| ["--profile", "khqr", "--now", CLOCK, "--fresh", seed];
    let (a_dir, b_dir) = (dir.path().join("a"), dir.path().join("b"));
    let a = write_deck(&a_dir, &args("1"));
    let b = write_deck(&b_dir, &args("2"));
    let committed =
        deck_support::suite_payloads(&Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors"));
    for (deck, seed, out) in [(&a, "1", &a_dir), (&b, "2", &b_dir)] {
        let fresh = deck
            .suite
            .fresh
            .as_ref()
            .expect("deck.json records the seed");
        assert_eq!(fresh.seed, seed);
        let manifest = std::fs::read(out.join("fresh-suite/manifest.yaml")).unwrap();
        assert_eq!(
            deck.suite.sha256,
            qrcert::vectors::manifest::sha256_hex(&manifest),
            "the deck names the fresh suite"
        );
        // The answer key is the fresh suite's: each card carries its fresh vector's payload,
        // and the reference judges it as the key says at the deck's clock.
        let payloads = deck_support::suite_payloads(&out.join("fresh-suite"));
        let mut novel = 0;
        for card in &deck.cards {
            assert_eq!(Some(&card.payload), payloads.get(&card.id), "{}", card.id);
            if committed.get(&card.id) != Some(&card.payload) {
                novel += 1;
            }
            let png = std::fs::read(out.join(&card.image)).unwrap();
            assert_eq!(
                rqrr_payload(&png),
                card.payload.as_bytes(),
                "{}: the card decodes to its payload",
                card.id
            );
            let judged =
                qrcert::reference::validate(&card.payload, card.profile, Some(deck.clock)).unwrap();
            assert_eq!(
                judged.valid,
                card.expect.result == qrcert::vectors::Outcome::Accept,
                "{}",
                card.id
            );
        }
        let n = deck.cards.len();
        assert!(n >= 100, "only {n} cards");
        assert!(
            novel * 10 >= n * 8,
            "seed {seed}: {novel} of {n} cards are not committed payloads"
        );
    }
    deck_support::assert_cards_differ(&a, &b, "1 and 2");
}
