//! `qrcert session` as a lab (or its phone automation) drives it: the real binary as a child
//! process, its JSON API over loopback HTTP.
//!
//! - observations equal to the answer key certify; three wrong ones do not, and the report
//!   names exactly those three cards;
//! - a session killed half-way (SIGKILL) resumes with every observation kept;
//! - bad input is refused with a clear error; a photo is kept and linked from the report.

mod deck_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use qrcert::deck::{Card, Deck};
use qrcert::report::{Grade, Report, Verdict};
use qrcert::session::grade::correct_observation;
use qrcert::session::{Observation, Outcome};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");
/// The vectors' own clock, so that every expectation of the selection holds.
const CLOCK: &str = "2026-05-28T20:41:40Z";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .args([
            "session",
            "--http",
            "127.0.0.1:0",
            "--profile",
            "khqr",
            "--now",
            CLOCK,
        ])
        .args(extra)
        .arg("--out")
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server {
        child,
        base: url.trim_end_matches('/').to_owned(),
    }
}

fn answer_key(dir: &Path) -> Deck {
    serde_json::from_slice(&std::fs::read(dir.join("deck.json")).unwrap()).unwrap()
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(s: &Server) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: s.base.clone(),
        }
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Vec<u8>, kind: &str) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", kind)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Sends a body over the route's limit on a connection of its own: the server answers 413
    /// as soon as it knows, often before the client has sent everything, so the client may see
    /// the connection closed instead. Either is a refusal.
    async fn post_too_large(&self, path: &str, body: Vec<u8>, kind: &str) {
        let r = reqwest::Client::new()
            .post(format!("{}{path}", self.base))
            .header("content-type", kind)
            .body(body)
            .send()
            .await;
        if let Ok(r) = r {
            assert_eq!(r.status().as_u16(), 413, "{path}");
        }
    }

    async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        self.post(path, serde_json::to_vec(body).unwrap(), "application/json")
            .await
    }

    async fn begin(&self) {
        let (status, v) = self
            .post_json(
                "/api/start",
                &json!({"tester": "A. Tester", "device": "Pixel 8, Android 15", "app": "Demo Wallet", "app_version": "4.2.0"}),
            )
            .await;
        assert_eq!(status, 200, "{v}");
    }

    async fn observe(&self, id: &str, o: &Observation) -> (u16, Value) {
        self.post_json(
            &format!("/api/cases/{id}/observation"),
            &serde_json::to_value(o).unwrap(),
        )
        .await
    }

    async fn finish(&self) -> Value {
        let (status, v) = self.post_json("/api/finish", &json!({})).await;
        assert_eq!(status, 200, "{v}");
        v
    }
}

fn read_report(dir: &Path) -> Report {
    Report::from_json(&std::fs::read(dir.join("report.json")).unwrap()).unwrap()
}

/// Three wrong observations of three kinds: a good code refused, a bad code accepted, a good
/// code shown with the wrong amount (or name, for a code without an amount).
fn three_wrong(deck: &Deck) -> Vec<(String, Observation)> {
    use qrcert::vectors::Outcome as Expected;
    let good: Vec<&Card> = deck
        .cards
        .iter()
        .filter(|c| {
            c.expect.result == Expected::Accept && c.capability == qrcert::Capability::Validate
        })
        .collect();
    let bad = deck
        .cards
        .iter()
        .find(|c| c.expect.result == Expected::Reject)
        .unwrap();
    let shown_card = good
        .iter()
        .find(|c| c.expect.shown.amount.is_some())
        .unwrap();
    let refused_card = good.iter().find(|c| c.id != shown_card.id).unwrap();
    let mut wrong_amount = correct_observation(shown_card);
    wrong_amount.shown.amount = Some("999.99".into());
    vec![
        (
            refused_card.id.clone(),
            Observation {
                outcome: Outcome::Refused,
                shown: Default::default(),
                note: Some("the app said: invalid QR".into()),
            },
        ),
        (
            bad.id.clone(),
            Observation {
                outcome: Outcome::Accepted,
                shown: Default::default(),
                note: None,
            },
        ),
        (shown_card.id.clone(), wrong_amount),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observations_equal_to_the_answer_key_certify_and_three_wrong_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    let out = Command::new(BIN)
        .args(["keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success());
    let session = dir.path().join("session");
    let server = start(&session, &["--sign-key", key.to_str().unwrap()]);
    let api = Api::new(&server);
    let deck = answer_key(&session);
    assert!(deck.cards.len() >= 100);

    let (_, cases) = api.get("/api/cases").await;
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), deck.cards.len());
    assert_eq!(cases[0]["id"], deck.cards[0].id.as_str());
    // The API never gives the answer away.
    let (_, one) = api.get(&format!("/api/cases/{}", deck.cards[0].id)).await;
    assert!(one.get("expect").is_none() && !one.to_string().contains("reject"));
    let img = api
        .http
        .get(format!(
            "{}{}",
            server.base,
            cases[0]["image"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        img.as_ref(),
        std::fs::read(session.join(&deck.cards[0].image)).unwrap()
    );

    // Nothing is recorded before the tester says who tests what.
    let (status, _) = api
        .observe(&deck.cards[0].id, &correct_observation(&deck.cards[0]))
        .await;
    assert_eq!(status, 409);
    api.begin().await;
    for card in &deck.cards {
        let (status, v) = api.observe(&card.id, &correct_observation(card)).await;
        assert_eq!(status, 200, "{}: {v}", card.id);
    }
    let v = api.finish().await;
    assert_eq!(v["verdict"], "certified", "{v}");
    let report = read_report(&session);
    assert_eq!(report.verdict, Verdict::Certified);
    let schema: Value = serde_json::from_str(qrcert::report::schema::REPORT_SCHEMA).unwrap();
    let json: Value =
        serde_json::from_slice(&std::fs::read(session.join("report.json")).unwrap()).unwrap();
    let problems: Vec<String> = jsonschema::validator_for(&schema)
        .unwrap()
        .iter_errors(&json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(report.summary.total as usize, deck.cards.len());
    assert_eq!(report.summary.grades.blocking(), 0);
    assert!(report.summary.grades.get(Grade::Pass) > 0);
    // A parse card certifies what the screen showed and the tester read (53, 54, 59, 60),
    // never the data objects a phone does not show.
    let parse: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.capability == qrcert::Capability::Parse)
        .collect();
    assert!(!parse.is_empty(), "the deck has parse cards");
    for c in parse {
        let fields = c.expected["fields"].as_object().expect("fields");
        assert!(
            !fields.is_empty()
                && fields
                    .keys()
                    .all(|k| ["53", "54", "59", "60"].contains(&k.as_str())),
            "{}: {fields:?}",
            c.id
        );
    }
    assert_eq!(report.implementation.name, "Demo Wallet");
    assert_eq!(report.implementation.version, "4.2.0");
    assert_eq!(report.implementation.adapter.transport, "tester");
    assert!(report.implementation.adapter.target.contains("A. Tester"));
    assert!(report.implementation.adapter.target.contains("Pixel 8"));
    for f in ["junit.xml", "report.html", "summary.md", "report.json.sig"] {
        assert!(session.join(f).exists(), "{f}");
    }
    let verify = Command::new(BIN)
        .args(["report", "verify", "--key"])
        .arg(key.with_extension("pub"))
        .arg(session.join("report.json"))
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );

    // Three wrong observations, recorded over the right ones.
    let wrong = three_wrong(&deck);
    for (id, o) in &wrong {
        assert_eq!(api.observe(id, o).await.0, 200);
    }
    let v = api.finish().await;
    assert_eq!(v["verdict"], "not_certified", "{v}");
    let mut named: Vec<String> = v["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    named.sort();
    let mut expected: Vec<String> = wrong.iter().map(|(id, _)| id.clone()).collect();
    expected.sort();
    assert_eq!(named, expected);
    let report = read_report(&session);
    let failing: Vec<&str> = report
        .cases
        .iter()
        .filter(|c| c.grade.blocks())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        failing,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let amount = report.cases.iter().find(|c| c.id == wrong[2].0).unwrap();
    assert!(amount.message.contains("999.99"), "{}", amount.message);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_killed_half_way_resumes_with_every_observation_kept() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("session");
    let server = start(&session, &[]);
    let api = Api::new(&server);
    let deck = answer_key(&session);
    api.begin().await;
    let half = deck.cards.len() / 2;
    for (i, card) in deck.cards[..half].iter().enumerate() {
        let mut o = correct_observation(card);
        o.note = Some(format!("observation {i}"));
        assert_eq!(api.observe(&card.id, &o).await.0, 200);
    }
    // SIGKILL: no chance to flush anything.
    drop(server);

    let server = start(&session, &[]);
    let api = Api::new(&server);
    let (_, status) = api.get("/api/session").await;
    assert_eq!(status["observed"], half);
    assert_eq!(status["tester"]["app"], "Demo Wallet");
    let (_, cases) = api.get("/api/cases").await;
    for (i, (c, card)) in cases
        .as_array()
        .unwrap()
        .iter()
        .zip(&deck.cards)
        .enumerate()
    {
        assert_eq!(c["observed"], i < half, "{}", card.id);
    }
    for (i, card) in deck.cards[..half].iter().enumerate() {
        let (status, o) = api
            .get(&format!("/api/cases/{}/observation", card.id))
            .await;
        assert_eq!(status, 200);
        let o: Observation = serde_json::from_value(o).unwrap();
        assert_eq!(o.note.as_deref(), Some(format!("observation {i}").as_str()));
        assert_eq!(o.outcome, correct_observation(card).outcome);
    }
    // Unfinished: the cards nobody observed are errors, so nothing is certified.
    let v = api.finish().await;
    assert_eq!(v["verdict"], "not_certified");
    assert_eq!(v["grades"]["ERROR"], deck.cards.len() - half);
    for card in &deck.cards[half..] {
        assert_eq!(
            api.observe(&card.id, &correct_observation(card)).await.0,
            200
        );
    }
    assert_eq!(api.finish().await["verdict"], "certified");
    // Another selection in the same directory is refused, not mixed in.
    let other = Command::new(BIN)
        .args([
            "session",
            "--http",
            "127.0.0.1:0",
            "--profile",
            "jpqr",
            "--out",
        ])
        .arg(&session)
        .output()
        .unwrap();
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("holds a session of profile khqr"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_photos_are_kept_and_linked() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("session");
    let server = start(&session, &["--tags", "upi"]);
    let api = Api::new(&server);
    let deck = answer_key(&session);
    assert_eq!(deck.cards.len(), 3);
    let id = deck.cards[0].id.clone();
    api.begin().await;

    let path = format!("/api/cases/{id}/observation");
    assert_eq!(
        api.post_json(&path, &json!({"outcome": "maybe"})).await.0,
        400
    );
    assert_eq!(
        api.post(&path, b"not json".to_vec(), "application/json")
            .await
            .0,
        400
    );
    let huge = json!({"outcome": "other", "note": "x".repeat(100_000)});
    api.post_too_large(
        &path,
        serde_json::to_vec(&huge).unwrap(),
        "application/json",
    )
    .await;
    assert_eq!(api.get(&path).await.0, 404, "nothing recorded");
    let long = json!({"outcome": "other", "note": "x".repeat(3_000)});
    let (status, v) = api.post_json(&path, &long).await;
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("note"), "{v}");
    let (status, _) = api
        .post_json(
            "/api/cases/NO-SUCH-CARD/observation",
            &json!({"outcome": "other"}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = api
        .post_json(
            "/api/start",
            &json!({"tester": "", "device": "d", "app": "a", "app_version": "1"}),
        )
        .await;
    assert_eq!(status, 400);

    // Photos: a bomb and a non-image are refused, a real PNG is kept and linked.
    let photo = format!("/api/cases/{id}/photo");
    let mut bomb = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0,
    ];
    bomb.extend([0xFF, 0xD9]);
    let (status, v) = api.post(&photo, bomb, "image/jpeg").await;
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("pixels"), "{v}");
    assert_eq!(
        api.post(&photo, b"GIF89a".to_vec(), "image/gif").await.0,
        400
    );
    api.post_too_large(&photo, vec![0; 11 * 1024 * 1024], "image/png")
        .await;
    assert!(!session.join(format!("photos/{id}.png")).exists());
    assert_eq!(api.get("/api/session").await.0, 200);
    let png = std::fs::read(session.join(&deck.cards[0].image)).unwrap();
    let (status, v) = api.post(&photo, png.clone(), "image/png").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["photo"], format!("photos/{id}.png"));
    assert_eq!(
        std::fs::read(session.join(format!("photos/{id}.png"))).unwrap(),
        png
    );

    // The card with the photo is observed wrongly, so its details (and the link) are shown.
    let wrong = Observation {
        outcome: Outcome::Crashed,
        shown: Default::default(),
        note: Some("the app closed".into()),
    };
    assert_eq!(api.observe(&id, &wrong).await.0, 200);
    for card in &deck.cards[1..] {
        assert_eq!(
            api.observe(&card.id, &correct_observation(card)).await.0,
            200
        );
    }
    let v = api.finish().await;
    assert_eq!(v["failed"], json!([id]));
    let report = read_report(&session);
    let case = report.cases.iter().find(|c| c.id == id).unwrap();
    assert_eq!(case.reply["photo"], format!("photos/{id}.png"));
    assert_eq!(case.grade, Grade::Fail);
    let html = std::fs::read_to_string(session.join("report.html")).unwrap();
    assert!(html.contains(&format!("href=\"photos/{id}.png\"")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_session_shows_fresh_cards_records_the_seed_and_resumes_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (dir.path().join("a"), dir.path().join("b"));
    let a = start(&a_dir, &["--fresh", "7"]);
    let deck_a = answer_key(&a_dir);
    let b = start(&b_dir, &["--fresh", "8"]);
    let deck_b = answer_key(&b_dir);
    drop(b);
    assert_eq!(
        deck_a.suite.fresh.as_ref().map(|f| f.seed.as_str()),
        Some("7")
    );
    assert_eq!(
        deck_b.suite.fresh.as_ref().map(|f| f.seed.as_str()),
        Some("8")
    );
    deck_support::assert_cards_differ(&deck_a, &deck_b, "7 and 8");
    // The cards are the fresh suite's and decode to their payloads.
    let fresh = deck_support::suite_payloads(&a_dir.join("fresh-suite"));
    for card in &deck_a.cards {
        assert_eq!(Some(&card.payload), fresh.get(&card.id), "{}", card.id);
        let png = std::fs::read(a_dir.join(&card.image)).unwrap();
        let read = qrcert::reference::scan(&png).expect("the card decodes");
        assert_eq!(read, card.payload, "{}", card.id);
    }

    // Observations equal to the fresh answer key certify, and the report records the seed.
    let api = Api::new(&a);
    api.begin().await;
    for card in &deck_a.cards {
        assert_eq!(
            api.observe(&card.id, &correct_observation(card)).await.0,
            200
        );
    }
    assert_eq!(api.finish().await["verdict"], "certified");
    let report = read_report(&a_dir);
    assert_eq!(
        report.suite.fresh.as_ref().map(|f| f.seed.as_str()),
        Some("7")
    );
    assert_eq!(report.suite.sha256, deck_a.suite.sha256);
    drop(a);

    // Resumed with `--fresh random`: the session keeps its seed, so its cards are the same.
    let a = start(&a_dir, &["--fresh", "random"]);
    assert_eq!(answer_key(&a_dir), deck_a);
    let (_, status) = Api::new(&a).get("/api/session").await;
    assert_eq!(status["observed"], deck_a.cards.len());
}
