//! A session's observations graded by the same grader as `qrcert run`: each observation becomes
//! the reply an implementation would have given for the card's vector, and
//! [`Grader`](crate::runner::grade::Grader) grades it against the vector.
//!
//! - accepted: a validate card is answered `valid: true`; the payment screen must then show
//!   what the code carries (a wrong amount, currency, name or city fails the case); a parse card
//!   is answered with the vector's fields, with the tester's reading in place of the displayed
//!   ones (54, 53, 59, 60), so that a wrong reading fails as a wrong parse does;
//! - refused: a validate card is answered `valid: false` without reasons (a phone names no rule,
//!   so a right refusal is NON_STRICT, as for any implementation that gives no reason); a parse
//!   card is a refusal (FAIL: the code is well-formed);
//! - crashed, other: a refusal coded `crashed` or `other`, which fails every card;
//! - a card without an observation is ERROR: nothing was shown, so nothing is certified for it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::observation::{Observation, Outcome as Seen};
use super::store::{Header, Tester};
use crate::Capability;
use crate::adapter::CallError;
use crate::adapter::config::ErrorMap;
use crate::adapter::protocol::{Field, Fields, ImplError, ParseReply, Reply, ValidateReply};
use crate::deck::shown::Displayed;
use crate::deck::{Card, Deck};
use crate::report::model::{
    AdapterInfo, CaseReport, Harness, ImplementationInfo, REPORT_FORMAT, Report, Selection,
    Summary, Timing,
};
use crate::report::{Counts, Grade, Verdict};

use crate::runner::build::{rules_cited, suite_info};
use crate::runner::grade::{Graded, Grader, expected_json};
use crate::vectors::{Case, Expect, Outcome, Suite};

/// The feature name session cases carry in reports.
pub const FEATURE: &str = "qrcert session";

/// The reply an implementation would have given, from the tester's observation.
fn as_reply(case: &Case, card: &Card, o: &Observation) -> Result<Reply, CallError> {
    let refusal = |code: &str| {
        CallError::Refused(ImplError::new(
            code,
            o.note
                .clone()
                .unwrap_or_else(|| format!("the tester recorded {code}")),
        ))
    };
    match (o.outcome, case.capability()) {
        (Seen::Crashed, _) => Err(refusal("crashed")),
        (Seen::Other, _) => Err(refusal("other")),
        (Seen::Refused, Capability::Parse) => Err(refusal("refused")),
        (Seen::Refused, _) => Ok(Reply::Validate(ValidateReply {
            valid: false,
            errors: Vec::new(),
        })),
        (Seen::Accepted, Capability::Parse) => {
            let Expect::Parse(e) = &case.expect else {
                return Err(refusal("other"));
            };
            // The vector's fields in the protocol's shape (both are `{"tag": value | {..}}`),
            // only those a payment screen shows, and only where the tester recorded a reading:
            // what was not seen is not credited.
            let mut fields: Fields = serde_json::to_value(observable(&e.fields))
                .and_then(serde_json::from_value)
                .map_err(|_| refusal("other"))?;
            let wrong = card.expect.shown.mismatches(&o.shown);
            let seen = &o.shown;
            let recorded = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
            for (tag, reading, label) in [
                ("54", &seen.amount, "amount"),
                ("53", &seen.currency, "currency"),
                ("59", &seen.merchant_name, "merchant name"),
                ("60", &seen.merchant_city, "merchant city"),
            ] {
                if !recorded(reading) {
                    fields.0.remove(tag);
                } else if wrong.iter().any(|w| w.starts_with(label))
                    && let Some(v) = reading
                {
                    fields.0.insert(tag.to_owned(), Field::Value(v.clone()));
                }
            }
            Ok(Reply::Parse(ParseReply {
                fields,
                payer: None,
            }))
        }
        (Seen::Accepted, _) => Ok(Reply::Validate(ValidateReply {
            valid: true,
            errors: Vec::new(),
        })),
    }
}

/// The data objects a payment screen shows (amount, currency, merchant name and city): all a
/// tester can observe of a parse card.
const OBSERVABLE: [&str; 4] = ["53", "54", "59", "60"];

fn observable(fields: &crate::vectors::model::Fields) -> crate::vectors::model::Fields {
    let mut out = fields.clone();
    out.retain(|tag, _| OBSERVABLE.contains(&tag.as_str()));
    out
}

/// A parse card graded on what a phone can show: its vector with only the observable fields.
fn as_observed(case: &Case) -> std::borrow::Cow<'_, Case> {
    match &case.expect {
        Expect::Parse(e) => {
            let mut c = case.clone();
            // The payer view is not graded either: the tester's readings above are what the
            // screen showed of it.
            c.expect = Expect::Parse(crate::vectors::model::ParseExpect {
                fields: observable(&e.fields),
                payer: None,
            });
            std::borrow::Cow::Owned(c)
        }
        _ => std::borrow::Cow::Borrowed(case),
    }
}

/// Grades one observed card. A parse card is graded on the fields a payment screen shows
/// (53, 54, 59, 60), each as the tester read it; the others cannot be seen on a phone and the
/// report's `expected` leaves them out, so nothing unseen is certified.
pub fn grade_card(grader: &Grader<'_>, case: &Case, card: &Card, o: &Observation) -> Graded {
    let reply = as_reply(case, card, o);
    let case = as_observed(case);
    let mut graded = grader.grade(&case, std::slice::from_ref(&reply));
    graded.observed = json!({
        "outcome": o.outcome.as_str(),
        "shown": o.shown,
        "note": o.note,
    });
    // A validate card the app accepted: the screen must show what the code carries.
    if case.capability() == Capability::Validate
        && o.outcome == Seen::Accepted
        && card.expect.result == Outcome::Accept
    {
        let wrong = card.expect.shown.mismatches(&o.shown);
        if !wrong.is_empty() {
            graded.grade = Grade::Fail;
            graded.message = format!("accepted, but the app showed {}", wrong.join("; "));
        }
    }
    graded
}

fn not_observed(case: &Case) -> Graded {
    Graded {
        grade: Grade::Error,
        message: "not observed: the tester recorded nothing for this card".into(),
        expected: expected_json(&case.expect),
        observed: Value::Null,
        rules: Vec::new(),
    }
}

/// The canonical report of a session.
pub fn report(
    suite: &Suite,
    deck: &Deck,
    header: &Header,
    observations: &BTreeMap<String, Observation>,
    photos: &BTreeMap<String, String>,
) -> Report {
    let error_map = ErrorMap::default();
    let grader = Grader {
        error_map: &error_map,
        clock: deck.clock,
    };
    let by_id: BTreeMap<&str, &Case> = suite.cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut cases = Vec::new();
    let mut profiles = Vec::new();
    let mut capabilities = Vec::new();
    for card in &deck.cards {
        let Some(case) = by_id.get(card.id.as_str()) else {
            continue;
        };
        if !profiles.contains(&case.profile) {
            profiles.push(case.profile);
        }
        if !capabilities.contains(&case.capability()) {
            capabilities.push(case.capability());
        }
        let observation = observations.get(&card.id);
        let g = match observation {
            Some(o) => grade_card(&grader, case, card, o),
            None => not_observed(case),
        };
        let photo = photos.get(&card.id);
        cases.push(CaseReport {
            id: case.id.clone(),
            profile: case.profile,
            capability: case.capability(),
            title: case.title.clone(),
            feature: FEATURE.into(),
            scenario: format!("a tester scans card {} with the app", card.id),
            grade: g.grade,
            message: g.message,
            expected: g.expected,
            observed: g.observed,
            rules: g.rules,
            refs: case.refs.clone(),
            source: case.source.to_string(),
            request: json!({"card": card.id, "payload": card.payload, "image": card.image}),
            reply: json!({"observation": observation, "photo": photo}),
            duration_ms: 0,
            stderr: None,
            waiver: None,
            direction: case.direction(),
        });
    }
    let rules = rules_cited(&cases);
    let (name, version, target) = match &header.tester {
        Some(t) => (t.app.clone(), t.app_version.clone(), tester_line(t)),
        None => (
            "unknown (the tester never started the session)".into(),
            "unknown".into(),
            "no tester recorded".into(),
        ),
    };
    let mut report = Report {
        report_format: REPORT_FORMAT,
        harness: Harness::current(),
        suite: crate::report::model::SuiteInfo {
            fresh: deck.suite.fresh.clone(),
            ..suite_info(suite)
        },
        implementation: ImplementationInfo {
            name,
            version,
            capabilities,
            profiles: profiles.clone(),
            adapter: AdapterInfo {
                transport: "tester".into(),
                target,
                notes: vec![format!(
                    "observations made by a tester with a phone, cards from `qrcert deck --profile {} --role {}{}` at {}; {} of {} cards observed",
                    deck.profile,
                    deck.role,
                    deck.tags
                        .as_deref()
                        .map(|t| format!(" --tags '{t}'"))
                        .unwrap_or_default(),
                    deck.clock.to_rfc3339(),
                    observations
                        .keys()
                        .filter(|k| deck.card(k).is_some())
                        .count(),
                    deck.cards.len()
                )],
            },
        },
        clock: deck.clock,
        selection: Selection {
            profiles,
            capabilities: Vec::new(),
            roles: vec![deck.role.as_str().to_owned()],
            tags: deck.tags.clone(),
            ..Selection::default()
        },
        verdict: Verdict::NotCertified,
        verdict_reason: String::new(),
        certification: Vec::new(),
        roles: Vec::new(),
        directions: Vec::new(),
        summary: Summary {
            total: 0,
            grades: Counts::default(),
        },
        scan_ladder: Vec::new(),
        waivers: Vec::new(),
        rules,
        cases,
        timing: Timing {
            started: deck.clock.to_rfc3339(),
            duration_ms: 0,
        },
    };
    report.recompute();
    report
}

/// How the report names the observer.
pub fn tester_line(t: &Tester) -> String {
    format!(
        "tester {} with {} {} on {}",
        t.tester, t.app, t.app_version, t.device
    )
}

/// What a correct app shows for `card`, as a tester would record it (tests and the page's
/// pre-filled form use it).
pub fn correct_observation(card: &Card) -> Observation {
    match card.expect.result {
        Outcome::Accept => Observation {
            outcome: Seen::Accepted,
            shown: card.expect.shown.as_displayed(),
            note: None,
        },
        Outcome::Reject => Observation {
            outcome: Seen::Refused,
            shown: Displayed::default(),
            note: None,
        },
    }
}
