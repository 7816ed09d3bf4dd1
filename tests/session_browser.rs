//! The session page as a tester uses it, in headless Chromium driven through WebDriver
//! (chromedriver, Debian package `chromium-driver`; `scripts/test` installs it): the tester
//! says who tests what, steps through three cards by clicking (previous and next included),
//! records what the app did, and finishes; the report is then checked. Screenshots of the page
//! go to `target/test-output/session.png` (the README's picture).

mod browser_support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use browser_support::{chromium, output_dir};
use fantoccini::{ClientBuilder, Locator};
use qrcert::deck::Deck;
use qrcert::report::{Report, Verdict};
use qrcert::vectors::Outcome;

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");
const CLOCK: &str = "2026-05-28T20:41:40Z";
const WAIT: Duration = Duration::from_secs(30);

/// Child processes killed when the test ends, however it ends.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn chromedriver() -> (Kill, String) {
    let bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or_else(|| {
            panic!(
                "chromedriver is not installed: run the tests with scripts/test, which installs \
                 it, or `apt-get install -y chromium-driver`"
            )
        });
    let port = free_port();
    let child = Command::new(bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < WAIT, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    (Kill(child), format!("http://127.0.0.1:{port}"))
}

fn session(dir: &Path) -> (Kill, String) {
    let mut child = Command::new(BIN)
        .args([
            "session",
            "--http",
            "127.0.0.1:0",
            "--profile",
            "khqr",
            "--tags",
            "upi",
        ])
        .args(["--now", CLOCK, "--out"])
        .arg(dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (Kill(child), url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tester_clicks_through_a_session_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, url) = session(dir.path());
    let deck: Deck =
        serde_json::from_slice(&std::fs::read(dir.path().join("deck.json")).unwrap()).unwrap();
    assert_eq!(deck.cards.len(), 3, "the upi selection");

    let (_driver, driver_url) = chromedriver();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium(),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                     "--disable-dev-shm-usage", "--no-first-run"],
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver_url)
        .await
        .expect("a WebDriver session");

    let result = async {
        c.goto(&url).await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("body[data-ready=start]"))
            .await?;
        for (field, value) in [
            ("tester", "A. Tester"),
            ("device", "Pixel 8, Android 15"),
            ("app", "Demo Wallet"),
            ("app_version", "4.2.0"),
        ] {
            c.find(Locator::Id(field)).await?.send_keys(value).await?;
        }
        c.find(Locator::Id("begin")).await?.click().await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("body[data-ready=yes]"))
            .await?;

        for (i, card) in deck.cards.iter().enumerate() {
            c.wait()
                .at_most(WAIT)
                .for_element(Locator::Css(&format!("body[data-card='{}']", card.id)))
                .await?;
            if i == 1 {
                // Back to the first card: it shows as recorded; then on again.
                c.find(Locator::Id("prev")).await?.click().await?;
                c.wait()
                    .at_most(WAIT)
                    .for_element(Locator::Css(&format!(
                        "body[data-card='{}']",
                        deck.cards[0].id
                    )))
                    .await?;
                let state = c.find(Locator::Id("state")).await?.text().await?;
                assert!(state.contains("recorded"), "{state}");
                c.find(Locator::Id("next")).await?.click().await?;
                c.wait()
                    .at_most(WAIT)
                    .for_element(Locator::Css(&format!("body[data-card='{}']", card.id)))
                    .await?;
                let shot = c.screenshot().await?;
                std::fs::write(output_dir().join("session.png"), shot).unwrap();
            }
            let outcome = match card.expect.result {
                Outcome::Accept => "accepted",
                Outcome::Reject => "refused",
            };
            c.find(Locator::Css(&format!(
                "input[name=outcome][value={outcome}]"
            )))
            .await?
            .click()
            .await?;
            if card.expect.result == Outcome::Accept {
                // The form holds what the code carries; the tester confirms what the app showed.
                let amount = c.find(Locator::Id("amount")).await?.prop("value").await?;
                assert_eq!(
                    amount,
                    card.expect.shown.amount.clone().or(Some(String::new()))
                );
                let name = c
                    .find(Locator::Id("merchant_name"))
                    .await?
                    .prop("value")
                    .await?;
                assert_eq!(name, card.expect.shown.merchant_name.clone());
            }
            c.find(Locator::Id("note"))
                .await?
                .send_keys(&format!("card {}", i + 1))
                .await?;
            c.find(Locator::Id("record")).await?.click().await?;
        }
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(
                "//div[@id='count'][text()='3 of 3 observed']",
            ))
            .await?;
        c.find(Locator::Id("finish")).await?.click().await?;
        let verdict = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#verdict[data-verdict]"))
            .await?;
        let text = verdict.text().await?;
        Ok::<String, fantoccini::error::CmdError>(text)
    }
    .await;
    let _ = c.close().await;
    let text = result.expect("the page works");
    assert!(text.starts_with("CERTIFIED"), "{text}");

    let report =
        Report::from_json(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report.verdict, Verdict::Certified);
    assert_eq!(report.cases.len(), 3);
    assert_eq!(report.implementation.name, "Demo Wallet");
    assert!(report.implementation.adapter.target.contains("Pixel 8"));
    for (i, card) in deck.cards.iter().enumerate() {
        let case = report.cases.iter().find(|x| x.id == card.id).unwrap();
        assert_eq!(case.observed["note"], format!("card {}", i + 1));
    }
    let shot = std::fs::read(output_dir().join("session.png")).unwrap();
    assert!(shot.len() > 10_000);
}
