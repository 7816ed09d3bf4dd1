//! The domestic wallet suites replayed across the border: every validate and parse vector of a
//! code's profile, run again for a wallet of another profile (`--profile interop`).
//!
//! The cross-border expectation is derived, not copied: the payload is judged under the
//! interop profile (the national profile the foreign wallet detects, plus the INTEROP rules),
//! and every way that verdict differs from the domestic expectation is written into the
//! vector's notes with its reason: a rule INTEROP adds, a domestic rule the foreign wallet
//! cannot know because the code no longer identifies as its scheme, a rule of the scheme the
//! code is read as instead. Nothing here names a profile: any [`Crossing`] replays the same way.

use std::collections::BTreeSet;

use super::super::{Draft, Plan};
use crate::rules::profile::Kind;
use crate::rules::{Options, Role, Severity, Validator, Verdict};
use crate::vectors::model::*;
use crate::vectors::verdict::{fields_subset, reference_fields};
use crate::{Capability, Profile};

/// Wallets of one profile meeting codes of another.
pub use crate::role::Direction as Crossing;

/// The crossings the suite replays: the METI-NBC memorandum's two directions.
pub const CROSSINGS: [Crossing; 2] = [
    Crossing {
        wallet: Profile::Jpqr,
        code: Profile::Khqr,
    },
    Crossing {
        wallet: Profile::Khqr,
        code: Profile::Jpqr,
    },
];

/// Parse counterparts of accepted validate vectors are numbered from here (`...-1004` reads
/// the code of domestic case 4).
pub const PARSE_OFFSET: u16 = 1000;

impl Crossing {
    /// The tag every case of this direction carries (`khqr-in-jpqr`).
    pub fn tag(self) -> String {
        format!("{}-in-{}", self.code, self.wallet)
    }

    /// The replay file's area for a domestic area (`khqr-tag99-at-jpqr`).
    pub fn area(self, domestic_area: &str) -> String {
        format!("{}-{domestic_area}-at-{}", self.code, self.wallet)
    }

    /// The IDs a domestic case's counterparts may carry (the validate or parse replay, and for
    /// an accepted validate vector, its parse counterpart).
    pub fn counterpart_ids(self, domestic: &Case) -> Vec<String> {
        let Some(num) = domestic
            .id
            .rsplit('-')
            .next()
            .and_then(|n| n.parse::<u16>().ok())
        else {
            return Vec::new();
        };
        let base = format!(
            "{}-{}-",
            Profile::Interop.spec().vector_prefix,
            self.area(&domestic.area).to_ascii_uppercase()
        );
        vec![
            format!("{base}{num:03}"),
            format!("{base}{:03}", num + PARSE_OFFSET),
        ]
    }
}

/// The direction a cross-border case's tags name (`khqr-in-jpqr`: a JPQR wallet meeting a
/// KHQR code), matching profile names or vector prefixes (`thqr-in-jpqr`).
pub fn direction_of_tags<'t>(tags: impl IntoIterator<Item = &'t String>) -> Option<Crossing> {
    let named = |s: &str| {
        Profile::ALL.into_iter().find(|p| {
            p.spec().kind == Kind::National
                && (p.as_str() == s || p.spec().vector_prefix.eq_ignore_ascii_case(s))
        })
    };
    // A code of no national scheme is judged as EMVCo (`emvco-in-jpqr`).
    let code_named = |s: &str| {
        named(s).or_else(|| {
            let base = crate::rules::profile::base().profile;
            (base.as_str() == s).then_some(base)
        })
    };
    tags.into_iter().find_map(|t| {
        let (code, wallet) = t.split_once("-in-")?;
        Some(Crossing {
            wallet: named(wallet)?,
            code: code_named(code)?,
        })
    })
}

/// Why a domestic vector has no cross-border counterpart, or `None` when it must have one:
/// every wallet's validate and parse vector, and every generate vector (the merchant side)
/// unless its expected code cannot cross.
pub fn no_counterpart(case: &Case) -> Option<&'static str> {
    match (&case.input, &case.expect) {
        (Input::Validate(v), _) if v.role == Role::Generator => Some(
            "judged as a generator's output: the merchant side, which the cross-border generate vectors cover",
        ),
        (Input::Validate(_) | Input::Parse(_), _) => None,
        (Input::Generate(g), Expect::Generate(e)) => {
            generate_crossing(g, e, &mut Validator::new()).err()
        }
        _ => {
            Some("not a wallet's validate or parse vector, nor a merchant system's generate vector")
        }
    }
}

/// INTEROP rules that do not apply in a direction, with the reason: `qrcert vectors lint`
/// asks every other INTEROP rule for a negative vector in every direction. Empty today: every
/// INTEROP payload rule can be broken by a code of either scheme.
pub const EXEMPT: &[(&str, Crossing, &str)] = &[];

/// Why an INTEROP rule has no negative vector in a direction, or `None` when it must have one.
pub fn exemption(rule: &str, crossing: Crossing) -> Option<&'static str> {
    EXEMPT
        .iter()
        .find(|(r, c, _)| *r == rule && *c == crossing)
        .map(|(_, _, why)| *why)
}

/// Every replay file of every crossing.
pub fn plans() -> Vec<Plan> {
    let mut validator = Validator::new();
    let mut out = Vec::new();
    for crossing in CROSSINGS {
        let Some(domestic) = crossing.code.spec().plans else {
            continue;
        };
        for plan in domestic() {
            if let Some(p) = replay_plan(crossing, &plan, &mut validator) {
                out.push(p);
            }
        }
    }
    out
}

fn replay_plan(crossing: Crossing, plan: &Plan, validator: &mut Validator) -> Option<Plan> {
    let prefix = plan.profile.spec().vector_prefix;
    let area_upper = plan.area.to_ascii_uppercase();
    let mut drafts = Vec::new();
    for d in &plan.drafts {
        let domestic_id = format!("{prefix}-{area_upper}-{:03}", d.num);
        match &d.input {
            Input::Validate(v) if v.role == Role::Consumer => {
                let (draft, parse) =
                    replay_validate(crossing, &plan.area, d, v, &domestic_id, validator);
                drafts.push(draft);
                drafts.extend(parse);
            }
            Input::Parse(p) => {
                if let Some(draft) = replay_parse(crossing, d, &p.payload, &domestic_id) {
                    drafts.push(draft);
                }
            }
            Input::Generate(_) => {
                if let Some(draft) = replay_generate(crossing, d, &domestic_id, validator) {
                    drafts.push(draft);
                }
            }
            _ => {}
        }
    }
    if drafts.is_empty() {
        return None;
    }
    Some(Plan {
        profile: Profile::Interop,
        area: crossing.area(&plan.area).into(),
        description: format!(
            "INTEROP: {} (`{}/{}.yaml`) replayed for a {} wallet; expectations derived under the interop profile.",
            plan.description.trim_end_matches('.'),
            plan.profile,
            plan.area,
            crossing.wallet.spec().label,
        ),
        refs: &["JPQR digest §10, §10.1"],
        drafts,
    })
}

fn ids(v: &Verdict, severity: Severity) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in v.findings.iter().filter(|f| f.severity == severity) {
        if !out.iter().any(|x| x == f.rule.id) {
            out.push(f.rule.id.to_owned());
        }
    }
    out
}

fn is_interop(id: &str) -> bool {
    id.starts_with(Profile::Interop.spec().rule_prefixes[0])
}

/// The domestic list reordered so that what still fires comes first, then what the crossing
/// adds (derived lists keep the domestic author's order where they agree).
fn ordered(domestic: &[String], foreign: &[String]) -> Vec<String> {
    let mut out: Vec<String> = domestic
        .iter()
        .filter(|r| foreign.contains(r))
        .cloned()
        .collect();
    let rest: Vec<String> = foreign
        .iter()
        .filter(|r| !out.contains(r))
        .cloned()
        .collect();
    out.extend(rest);
    out
}

fn replay_validate(
    crossing: Crossing,
    area: &str,
    d: &Draft,
    input: &ValidateInput,
    domestic_id: &str,
    validator: &mut Validator,
) -> (Draft, Option<Draft>) {
    let options = Options {
        profile: Some(Profile::Interop),
        role: input.role,
        now_ms: input.now.map(|c| c.millis()),
        emv_version: input.emv_version,
    };
    let wallet = crossing.wallet.spec().label;
    let code = crossing.code.spec().label;
    let mut notes = vec![format!(
        "Counterpart of {domestic_id}: a {wallet} wallet meets this {code} code."
    )];
    let Expect::Validate(dom) = &d.expect else {
        unreachable!("a validate input has a validate expectation")
    };
    let expect = match validator.validate_bytes(input.payload.as_bytes(), &options) {
        Ok(v) => {
            let must = ids(&v, Severity::Must);
            let should = ids(&v, Severity::Should);
            let info = ids(&v, Severity::Info);
            explain(crossing, dom, &v, [&must, &should, &info], &mut notes);
            ValidateExpect {
                result: Some(if v.valid {
                    Outcome::Accept
                } else {
                    Outcome::Reject
                }),
                rules: ordered(&dom.rules, &must),
                warnings: ordered(&dom.warnings, &should),
                info: ordered(&dom.info, &info),
            }
        }
        // Too large for any validator: the domestic expectation stands (the size rules are
        // EMVCo's, the same for every wallet).
        Err(_) => dom.clone(),
    };
    let accepted = expect.outcome() == Outcome::Accept;
    let mut tags: Vec<String> = d
        .tags
        .iter()
        .filter(|t| !matches!(t.as_str(), "smoke" | "positive" | "negative"))
        .cloned()
        .collect();
    let polarity = if accepted && expect.warnings.is_empty() {
        "positive"
    } else {
        "negative"
    };
    let draft = Draft {
        num: d.num,
        title: format!("{} (a {wallet} wallet)", d.title),
        input: d.input.clone(),
        expect: Expect::Validate(expect),
        refs: Vec::new(),
        tags: Vec::new(),
        notes: Some(notes.join(" ")),
    };
    let topic = {
        let Expect::Validate(e) = &draft.expect else {
            unreachable!("built above")
        };
        let dom: Vec<&str> = dom.all_rules().collect();
        let rules: Vec<&str> = e.all_rules().chain(dom).collect();
        topic(area, &d.tags, &rules, crossing.code)
    };
    tags.extend([crossing.tag(), "replay".to_owned(), topic.to_owned()]);
    let draft = with_tags(draft, &tags, polarity);
    // The payer sees what an accepted code says: its parse counterpart.
    let parse = accepted
        .then(|| input.payload.as_str())
        .flatten()
        .and_then(|payload| {
            let fields = reference_fields(Profile::Interop, payload).ok()?;
            let draft = Draft {
                num: d.num + PARSE_OFFSET,
                title: format!("A {wallet} wallet decodes: {}", d.title),
                input: Input::Parse(ParseInput {
                    payload: payload.to_owned(),
                }),
                expect: Expect::Parse(ParseExpect {
                    fields,
                    payer: None,
                }),
                refs: Vec::new(),
                tags: Vec::new(),
                notes: Some(format!(
                    "The code of {domestic_id}, accepted by a {wallet} wallet: it must decode every data object as the {code} code carries it."
                )),
            };
            Some(with_tags(
                draft,
                &[crossing.tag(), "replay".to_owned(), topic.to_owned()],
                "positive",
            ))
        });
    (draft, parse)
}

/// The topics a scheme operator reads the cross-border suite by (one feature scenario each).
pub const TOPICS: [&str; 7] = [
    "topic-amount",
    "topic-names",
    "topic-expiry",
    "topic-account",
    "topic-fees",
    "topic-broken",
    "topic-neither",
];

/// The topic of a replayed case, from its domestic area and tags and the rules it expects:
/// structural damage first (a truncated code is broken whatever field it cut), then the field
/// the case is about. A well-formed code with no rule to show is about its foreign account
/// template: that is what the foreign wallet must not refuse.
pub fn topic(area: &str, tags: &[String], rules: &[&str], code: Profile) -> &'static str {
    let has = |t: &str| tags.iter().any(|x| x == t);
    let fires = |parts: &[&str]| rules.iter().any(|r| parts.iter().any(|p| r.contains(p)));
    if code.spec().kind != Kind::National
        || fires(&["INTEROP.PROFILE.DETECTABLE"]) && !fires(&[".26.", ".29.", ".30.", "MAI"])
    {
        "topic-neither"
    } else if has("mutation") || matches!(area, "crc" | "tlv") || fires(&[".63.", ".TLV.", ".CRC."])
    {
        "topic-broken"
    } else if area == "tag99" || has("clock") || fires(&[".99."]) {
        "topic-expiry"
    } else if fires(&[".55.", ".56.", ".57."]) {
        "topic-fees"
    } else if area == "amount" || fires(&[".53.", ".54."]) || has("amount") {
        "topic-amount"
    } else if matches!(area, "tag64" | "text")
        || fires(&[".59.", ".60.", ".64.", ".TEXT.", "CHARSET"])
    {
        "topic-names"
    } else {
        "topic-account"
    }
}

fn with_tags(mut d: Draft, tags: &[String], polarity: &str) -> Draft {
    for t in std::iter::once(polarity).chain(tags.iter().map(String::as_str)) {
        if !d.tags.iter().any(|x| x == t) {
            d.tags.push(t.to_owned());
        }
    }
    d
}

/// Writes into `notes` every way the cross-border verdict differs from the domestic
/// expectation, with its reason.
fn explain(
    crossing: Crossing,
    dom: &ValidateExpect,
    v: &Verdict,
    [must, should, info]: [&Vec<String>; 3],
    notes: &mut Vec<String>,
) {
    let code = crossing.code.spec().label;
    let domestic: BTreeSet<&str> = dom.all_rules().collect();
    let foreign: BTreeSet<&str> = must
        .iter()
        .chain(should)
        .chain(info)
        .map(String::as_str)
        .collect();
    let added: Vec<&str> = foreign
        .iter()
        .copied()
        .filter(|r| is_interop(r) && !domestic.contains(r))
        .collect();
    if !added.is_empty() {
        notes.push(format!("INTEROP adds {}.", added.join(", ")));
    }
    let dropped: Vec<&str> = domestic
        .iter()
        .copied()
        .filter(|r| !foreign.contains(r))
        .collect();
    if !dropped.is_empty() {
        let why = if v.profile != crossing.code {
            format!(
                "the code does not identify as {code} (it reads as {}), so a foreign wallet cannot know {code}'s own rules and need not enforce them",
                v.profile
            )
        } else {
            "the interop profile does not judge them".to_owned()
        };
        notes.push(format!(
            "Not enforced across the border: {}: {why}.",
            dropped.join(", ")
        ));
    }
    let other: Vec<&str> = foreign
        .iter()
        .copied()
        .filter(|r| !is_interop(r) && !domestic.contains(r))
        .collect();
    if !other.is_empty() {
        let (n, list) = (other.len(), other.join(", "));
        notes.push(if v.profile == crossing.code {
            format!(
                "Read as {code}, as at home: {list} also fire{} (the domestic vector does not list {}).",
                if n == 1 { "s" } else { "" },
                if n == 1 { "it" } else { "them" }
            )
        } else {
            format!(
                "Read as {} instead: {list} fire{}.",
                v.profile,
                if n == 1 { "s" } else { "" }
            )
        });
    }
    if dom.outcome() == Outcome::Accept && !v.valid {
        notes.push(format!(
            "The domestic wallet accepts it; the foreign wallet rejects it ({}).",
            must.join(", ")
        ));
    } else if dom.outcome() == Outcome::Reject && v.valid {
        notes.push(
            "The domestic wallet rejects it; the foreign wallet does not enforce the rules it breaks."
                .to_owned(),
        );
    }
}

fn replay_parse(crossing: Crossing, d: &Draft, payload: &str, domestic_id: &str) -> Option<Draft> {
    let Expect::Parse(e) = &d.expect else {
        return None;
    };
    // The domestic fields come from the tree the payload was built from; a foreign wallet
    // decodes the same objects when it reads the code as its own scheme does.
    let foreign = reference_fields(Profile::Interop, payload).ok()?;
    if !fields_subset(&e.fields, &foreign).is_empty() {
        return None;
    }
    let wallet = crossing.wallet.spec().label;
    let draft = Draft {
        num: d.num,
        title: format!("{} (a {wallet} wallet)", d.title),
        input: d.input.clone(),
        expect: d.expect.clone(),
        refs: Vec::new(),
        tags: Vec::new(),
        notes: Some(format!(
            "Counterpart of {domestic_id}: a {wallet} wallet decodes this {} code.",
            crossing.code.spec().label
        )),
    };
    let topic = topic("parse", &d.tags, &[], crossing.code);
    Some(with_tags(
        draft,
        &[crossing.tag(), "replay".to_owned(), topic.to_owned()],
        "positive",
    ))
}

/// The merchant side of a crossing: every generate vector of the code's profile, judged by
/// the foreign wallet's rules. Input the domestic merchant system must refuse stays refused
/// (no code may reach the foreign wallet). An expected code is judged under the interop
/// profile as generator output at the moment it is made: SHOULD findings its input asks for
/// (no local-script name to write) become the vector's expected warnings; a MUST finding
/// means it cannot cross, with the reason [`no_counterpart`] records.
fn replay_generate(
    crossing: Crossing,
    d: &Draft,
    domestic_id: &str,
    validator: &mut Validator,
) -> Option<Draft> {
    let (Input::Generate(input), Expect::Generate(e)) = (&d.input, &d.expect) else {
        return None;
    };
    let expect = generate_crossing(input, e, validator).ok()?;
    let wallet = crossing.wallet.spec().label;
    let code = crossing.code.spec().label;
    let (notes, polarity) = if !expect.refuse.is_empty() {
        (
            format!(
                "Counterpart of {domestic_id}: the {code} merchant system must refuse this input ({}), so no code of it may reach a {wallet} wallet.",
                expect.refuse.join(", ")
            ),
            "negative",
        )
    } else if !expect.warnings.is_empty() {
        (
            format!(
                "Counterpart of {domestic_id}: the {code} merchant system's code must also pass a {wallet} wallet's cross-border checks. INTEROP expects {} (SHOULD): the input gives nothing to write there, so the code is still the right answer.",
                expect.warnings.join(", ")
            ),
            "positive",
        )
    } else {
        (
            format!(
                "Counterpart of {domestic_id}: the {code} merchant system's code must also pass a {wallet} wallet's cross-border checks."
            ),
            "positive",
        )
    };
    let draft = Draft {
        num: d.num,
        title: format!("{} (judged by a {wallet} wallet)", d.title),
        input: d.input.clone(),
        expect: Expect::Generate(expect),
        refs: Vec::new(),
        tags: Vec::new(),
        notes: Some(notes),
    };
    Some(with_tags(
        draft,
        &[
            crossing.tag(),
            format!("{}-merchant", crossing.code),
            "replay".to_owned(),
        ],
        polarity,
    ))
}

/// The cross-border expectation of a domestic generate vector, or why it cannot cross.
fn generate_crossing(
    input: &GenerateInput,
    e: &GenerateExpect,
    validator: &mut Validator,
) -> Result<GenerateExpect, &'static str> {
    let mut expect = e.clone();
    // The domestic profile's reply checks (an SDK's md5) are the domestic suite's business.
    expect.checks.clear();
    if !e.refuse.is_empty() {
        return Ok(expect);
    }
    let Some(payload) = e.payload.as_deref() else {
        return Err("it expects properties of the code, not a code the interop profile can judge");
    };
    // Judged when it is made, as grading does: the vector's clock, else its creation time.
    let now_ms = input.now.map(|c| c.millis()).or_else(|| {
        input
            .data
            .transaction
            .created_at_ms
            .as_deref()
            .and_then(|ms| ms.parse().ok())
    });
    let options = Options {
        profile: Some(Profile::Interop),
        role: Role::Generator,
        now_ms,
        ..Options::default()
    };
    let Ok(verdict) = validator.validate(payload, &options) else {
        return Err("its expected code is too large for any validator");
    };
    if !verdict.valid {
        return Err(
            "its expected code breaks a cross-border MUST rule: the domestic answer is not one a foreign wallet accepts",
        );
    }
    expect.warnings = ids(&verdict, Severity::Should);
    Ok(expect)
}

/// Counts a plan list's drafts per crossing and capability (for tests and the README).
pub fn counts(plans: &[Plan]) -> Vec<(Crossing, Capability, usize)> {
    let mut out = Vec::new();
    for crossing in CROSSINGS {
        for cap in [
            Capability::Validate,
            Capability::Parse,
            Capability::Generate,
        ] {
            let n = plans
                .iter()
                .filter(|p| p.profile == Profile::Interop)
                .flat_map(|p| &p.drafts)
                .filter(|d| d.tags.contains(&crossing.tag()))
                .filter(|d| {
                    matches!(
                        (&d.input, cap),
                        (Input::Validate(_), Capability::Validate)
                            | (Input::Parse(_), Capability::Parse)
                            | (Input::Generate(_), Capability::Generate)
                    )
                })
                .count();
            out.push((crossing, cap, n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_direction_replays_its_domestic_wallet_suite() {
        let plans = plans();
        for (crossing, cap, n) in counts(&plans) {
            let floor = match cap {
                Capability::Validate => 250,
                Capability::Parse => 20,
                _ => 1,
            };
            assert!(n >= floor, "{} {cap}: {n}", crossing.tag());
        }
    }

    #[test]
    fn every_generate_vector_crosses_or_says_why_not() {
        let plans = plans();
        for crossing in CROSSINGS {
            let domestic = (crossing.code.spec().plans.unwrap())();
            let generate: Vec<&Draft> = domestic
                .iter()
                .flat_map(|p| &p.drafts)
                .filter(|d| matches!(d.input, Input::Generate(_)))
                .collect();
            let crossed = counts(&plans)
                .into_iter()
                .find(|(c, cap, _)| *c == crossing && *cap == Capability::Generate)
                .map(|(_, _, n)| n)
                .unwrap();
            // The hand-written cross-border generate file adds its own on top.
            assert!(crossed >= generate.len(), "{}: {crossed}", crossing.tag());
            // Refusals cross as refusals; a code that breaks only SHOULD rules its input asks
            // for crosses with them as expected warnings.
            let refusals = plans
                .iter()
                .filter(|p| p.area == crossing.area("generate"))
                .flat_map(|p| &p.drafts)
                .filter(|d| matches!(&d.expect, Expect::Generate(e) if !e.refuse.is_empty()))
                .count();
            assert!(refusals >= 5, "{}: {refusals} refusals", crossing.tag());
        }
    }

    #[test]
    fn expectations_are_derived_under_interop_with_reasons() {
        let plans = plans();
        // Every replayed KHQR validate vector is accepted or rejected under interop, and an
        // INTEROP rule that fires is listed and explained.
        let mut explained = 0;
        for p in plans.iter().filter(|p| p.area.ends_with("-at-jpqr")) {
            for d in &p.drafts {
                if let Expect::Validate(e) = &d.expect {
                    let interop: Vec<&str> = e.all_rules().filter(|r| is_interop(r)).collect();
                    let notes = d.notes.as_deref().unwrap_or("");
                    assert!(notes.starts_with("Counterpart of KHQR-"), "{notes}");
                    if !interop.is_empty() {
                        assert!(notes.contains("INTEROP adds"), "{notes}");
                        explained += 1;
                    }
                }
            }
        }
        assert!(explained > 30, "{explained}");
    }

    #[test]
    fn direction_tags_name_national_profiles_or_their_prefixes() {
        let d = |t: &str| direction_of_tags(&[t.to_owned()]);
        assert_eq!(
            d("khqr-in-jpqr"),
            Some(Crossing {
                wallet: Profile::Jpqr,
                code: Profile::Khqr
            })
        );
        assert_eq!(d("thqr-in-jpqr").map(|c| c.code), Some(Profile::Thaiqr));
        assert_eq!(d("interop-in-jpqr"), None);
        assert_eq!(d("khqr-merchant"), None);
    }
}
