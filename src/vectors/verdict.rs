//! Checks a case against qrcert's own reference: every validate vector gets the verdict its
//! expectation names from [`Validator`], every parse vector's fields are what the reference
//! parser decodes, every expected generator payload is clean generator output that carries the
//! input's values, every render or scan payload is valid.
//!
//! `qrcert vectors lint` reports disagreements (code `verdict`); the test suite runs every case
//! through here.

use crate::emv::{ParseOptions, Tlv, payload::Model};
use crate::merchant::MerchantData;
use crate::rules::{Options, Role, Severity, Validator, Verdict, spec};
use crate::vectors::generate::build::V;
use crate::{Profile, rules};

use super::model::*;

/// The validator options a validate case asks for.
pub fn options_for(case: &Case, input: &ValidateInput) -> Options {
    Options {
        profile: Some(case.profile),
        role: input.role,
        now_ms: input.now.map(|c| c.millis()),
        emv_version: input.emv_version,
    }
}

fn describe(v: &Verdict) -> String {
    if v.findings.is_empty() {
        return "no finding".into();
    }
    v.findings
        .iter()
        .map(|f| format!("{} {}", f.severity, f.rule.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs a validate case; problems are returned as sentences.
pub fn check_validate(
    case: &Case,
    input: &ValidateInput,
    expect: &ValidateExpect,
    validator: &mut Validator,
) -> Vec<String> {
    let options = options_for(case, input);
    let verdict = match validator.validate_bytes(input.payload.as_bytes(), &options) {
        Ok(v) => v,
        Err(e) => return vec![format!("the reference validator cannot judge it: {e}")],
    };
    let mut problems = Vec::new();
    let valid_wanted = expect.outcome() == Outcome::Accept;
    if verdict.valid != valid_wanted {
        problems.push(format!(
            "expected {} but the reference validator finds it {} ({})",
            expect.outcome().as_str(),
            if verdict.valid { "valid" } else { "invalid" },
            describe(&verdict)
        ));
    }
    for (list, severity) in [
        (&expect.rules, Severity::Must),
        (&expect.warnings, Severity::Should),
        (&expect.info, Severity::Info),
    ] {
        for id in list {
            let fired: Vec<Severity> = verdict
                .findings
                .iter()
                .filter(|f| f.rule.id == id)
                .map(|f| f.severity)
                .collect();
            if fired.is_empty() {
                problems.push(format!(
                    "{id} does not fire (the reference reports: {})",
                    describe(&verdict)
                ));
            } else if !fired.contains(&severity) {
                problems.push(format!(
                    "{id} fires at {} here, not {severity}: list it under {}",
                    fired[0],
                    match fired[0] {
                        Severity::Must => "rules",
                        Severity::Should => "warnings",
                        Severity::Info => "info",
                    }
                ));
            }
        }
    }
    if valid_wanted {
        // An accept names every SHOULD finding, so the NON_STRICT grade is never a surprise.
        for f in verdict
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Should)
        {
            if !expect.warnings.iter().any(|w| w == f.rule.id) {
                problems.push(format!(
                    "{} fires at SHOULD level but is not listed in warnings",
                    f.rule.id
                ));
            }
        }
    }
    problems
}

/// The reference parse of a payload under a profile, as `fields`, or why there is none.
pub fn reference_fields(profile: Profile, payload: &str) -> Result<Fields, String> {
    let national = match profile.spec().kind {
        rules::profile::Kind::Overlay => {
            rules::detect::detect(payload, &Tlv::parse(payload, &ParseOptions::default()))
        }
        _ => profile,
    };
    let spec = spec(national).ok_or_else(|| format!("profile {national} is not available"))?;
    let tlv = Tlv::parse(
        payload,
        &ParseOptions {
            unit: spec.unit,
            templates: spec.templates,
        },
    );
    if let Some(e) = tlv.errors().first() {
        return Err(format!(
            "the payload does not parse cleanly ({:?} at byte {})",
            e.kind, e.offset
        ));
    }
    let mut model = Model::from_tlv(payload, &tlv);
    rules::profile::open_nested(spec, &mut model);
    let json = model.to_fields();
    serde_json::from_value(json).map_err(|e| format!("fields: {e}"))
}

/// Whether `want` is contained in `have` (every key present with an equal value; templates
/// compared recursively).
pub fn fields_subset(want: &Fields, have: &Fields) -> Vec<String> {
    let mut missing = Vec::new();
    for (k, v) in want {
        match (v, have.get(k)) {
            (Field::Value(a), Some(Field::Value(b))) if a == b => {}
            (Field::Template(a), Some(Field::Template(b))) => {
                missing.extend(fields_subset(a, b).into_iter().map(|m| format!("{k}.{m}")));
            }
            (_, got) => missing.push(format!("{k} (expected {v:?}, payload has {got:?})")),
        }
    }
    missing
}

/// Validates a payload that must be clean under `role`.
fn must_be_valid(
    profile: Profile,
    payload: &str,
    role: Role,
    what: &str,
    validator: &mut Validator,
) -> Vec<String> {
    let options = Options {
        profile: Some(profile),
        role,
        ..Options::default()
    };
    match validator.validate(payload, &options) {
        Err(e) => vec![format!(
            "the reference validator cannot judge the {what}: {e}"
        )],
        Ok(v) if !v.valid => vec![format!("the {what} is invalid: {}", describe(&v))],
        Ok(_) => Vec::new(),
    }
}

/// The data objects merchant data must produce, as (ID path, value).
fn merchant_values(d: &MerchantData) -> Vec<(Vec<String>, String)> {
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let mut put = |path: &[u8], v: &str| {
        out.push((
            path.iter().map(|i| format!("{i:02}")).collect(),
            v.to_owned(),
        ));
    };
    for (id, v) in [(59u8, &d.merchant.name), (60, &d.merchant.city)] {
        if !v.is_empty() {
            put(&[id], v);
        }
    }
    put(
        &[1],
        match d.kind {
            crate::merchant::Kind::Static => "11",
            crate::merchant::Kind::Dynamic => "12",
        },
    );
    for (id, v) in [
        (52u8, &d.merchant.category_code),
        (58, &d.merchant.country),
        (61, &d.merchant.postal_code),
        (53, &d.transaction.currency),
        (54, &d.transaction.amount),
    ] {
        if let Some(v) = v {
            put(&[id], v);
        }
    }
    if let Some(alt) = &d.merchant.alternate_language {
        put(&[64, 0], &alt.language);
        put(&[64, 1], &alt.name);
        if let Some(c) = &alt.city {
            put(&[64, 2], c);
        }
    }
    for (i, v) in d.additional.fields() {
        if let Some(v) = v {
            put(&[62, i], v);
        }
    }
    // The account's data objects, as the owning profile's schema writes them.
    fn walk(path: &mut Vec<u8>, v: &V, put: &mut dyn FnMut(&[u8], &str)) {
        match v {
            V::S(x) => put(path, x),
            V::T(kids) => {
                for (id, k) in kids {
                    path.push(*id);
                    walk(path, k, put);
                    path.pop();
                }
            }
        }
    }
    for (id, v) in crate::vectors::generate::build::account_objs(&d.account) {
        walk(&mut vec![id], &v, &mut put);
    }
    out
}

fn lookup<'a>(fields: &'a Fields, path: &[String]) -> Option<&'a str> {
    match (path.first(), fields.get(path.first()?.as_str())) {
        (_, Some(Field::Value(v))) if path.len() == 1 => Some(v),
        (_, Some(Field::Template(t))) if path.len() > 1 => lookup(t, &path[1..]),
        _ => None,
    }
}

/// Checks a generate case's expected payload: clean generator output, canonical order, and the
/// input's values where the neutral schema says they go.
pub fn check_generate(
    case: &Case,
    input: &GenerateInput,
    expect: &GenerateExpect,
    validator: &mut Validator,
) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(payload) = &expect.payload else {
        return problems;
    };
    problems.extend(must_be_valid(
        case.profile,
        payload,
        Role::Generator,
        "expected payload",
        validator,
    ));
    match reference_fields(case.profile, payload) {
        Err(e) => problems.push(format!("expected payload: {e}")),
        Ok(have) => {
            for (path, value) in merchant_values(&input.data) {
                let got = lookup(&have, &path);
                if got != Some(value.as_str()) {
                    problems.push(format!(
                        "the expected payload has {} = {got:?} but the input says {value:?}",
                        path.join(".")
                    ));
                }
            }
            problems.extend(
                fields_subset(&expect.fields, &have)
                    .into_iter()
                    .map(|m| format!("expect.fields: {m}")),
            );
        }
    }
    problems
}

/// Checks a case against the reference; an empty list means it agrees.
pub fn check_case(case: &Case, validator: &mut Validator) -> Vec<String> {
    match (&case.input, &case.expect) {
        (Input::Validate(i), Expect::Validate(e)) => check_validate(case, i, e, validator),
        (Input::Parse(i), Expect::Parse(e))
            if e.payer.is_some()
                && e.payer.as_deref() != crate::reference::payer(&i.payload).as_ref() =>
        {
            vec![format!(
                "expected payer view {}, the reference shows {}",
                serde_json::to_string(&e.payer).unwrap_or_default(),
                serde_json::to_string(&crate::reference::payer(&i.payload)).unwrap_or_default()
            )]
        }
        (Input::Parse(i), Expect::Parse(e)) => match reference_fields(case.profile, &i.payload) {
            Err(e) => vec![e],
            Ok(have) if have == e.fields => Vec::new(),
            Ok(have) => {
                let mut p: Vec<String> = fields_subset(&e.fields, &have)
                    .into_iter()
                    .map(|m| format!("expected {m}"))
                    .collect();
                p.extend(
                    fields_subset(&have, &e.fields)
                        .into_iter()
                        .map(|m| format!("the reference also decodes {m}")),
                );
                p
            }
        },
        (Input::Generate(i), Expect::Generate(e)) => check_generate(case, i, e, validator),
        (Input::Render(i), Expect::Render(_)) => must_be_valid(
            case.profile,
            &i.payload,
            Role::Consumer,
            "payload",
            validator,
        ),
        (Input::Scan(_), Expect::Scan(e)) => match &e.payload {
            Some(p) => must_be_valid(
                case.profile,
                p,
                Role::Consumer,
                "expected payload",
                validator,
            ),
            None => Vec::new(),
        },
        _ => vec!["input and expectation are for different capabilities".into()],
    }
}
