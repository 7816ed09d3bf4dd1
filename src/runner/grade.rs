//! Grading: what the implementation did against what the vector expects.
//!
//! - validate: accept/reject must match; a rejection should name an expected rule (through the
//!   adapter's error map; codes that are qrcert rule IDs map to themselves). A right rejection for
//!   other reasons is NON_STRICT. Under KHQR, accepting a code that breaks only rules the official
//!   SDK 1.0.20 also lets through is NON_STRICT (it matches the reference, not the rules).
//! - parse: the decoded fields must equal the expected fields exactly.
//! - generate: the exact canonical payload passes; an equivalent non-canonical one is NON_STRICT;
//!   output breaking a MUST rule (as generator output) fails; refusals are expected where listed.
//! - render: the image must decode to the payload, in byte mode only, with ECI 26 when needed
//!   (MUST); a quiet zone under 4 modules and the error-correction level are SHOULD (no EMVCo
//!   threshold), no quiet zone at all is MUST (EMV.QR.QUIET_ZONE_NONE).
//! - scan: the exact payload, and never an earlier frame's payload; a wrong payload always
//!   fails, reading nothing fails except at a ladder rung the profile does not require (INFO).
//!
//! Only cases of a profile x capability the implementation claimed are graded here (the others
//! are UNSUPPORTED without being asked), so an `unsupported` answer is a claim broken: ERROR,
//! like every adapter fault. No case can be dodged by refusing it.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::adapter::CallError;
use crate::adapter::config::ErrorMap;
use crate::adapter::protocol::{Fields as PFields, Reply};
use crate::emv::charset::first_non_ans;
use crate::image::{self, DecodeError, DecodeLimits, Mode};
use crate::report::Grade;
use crate::rules::emvco as emv_rules;
use crate::rules::generated::GeneratedReply;
use crate::rules::profile::is_crc_mismatch;
use crate::rules::{Options, Role, Severity, Validator, lookup};
use crate::vectors::{
    Case, EcLevel, Expect, GenerateExpect, Input, Outcome, ParseExpect, RenderExpect, ScanExpect,
    ValidateExpect,
};
use crate::{Clock, Profile};

/// A graded case.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// The grade.
    pub grade: Grade,
    /// Why, in one sentence.
    pub message: String,
    /// What the vector expects (for reports).
    pub expected: Value,
    /// What the implementation did (for reports).
    pub observed: Value,
    /// Rules involved: expected to fire, or found broken.
    pub rules: Vec<String>,
}

/// What grading needs besides the case and the replies.
pub struct Grader<'a> {
    /// Vendor codes to rule IDs.
    pub error_map: &'a ErrorMap,
    /// The run's clock (for re-validating generated output).
    pub clock: Clock,
}

impl Grader<'_> {
    /// Grades a case from the results of its calls (one per op, in order).
    pub fn grade(&self, case: &Case, results: &[Result<Reply, CallError>]) -> Graded {
        let expected = expected_json(&case.expect);
        // Faults and refusals first: they decide the grade whatever the op.
        for r in results {
            match r {
                Err(CallError::Fault(f)) => {
                    return Graded {
                        grade: Grade::Error,
                        message: format!("adapter fault ({}): {f}", f.kind()),
                        expected,
                        observed: json!({"fault": f.kind(), "message": f.to_string()}),
                        rules: case.rule_refs().iter().map(|s| s.to_string()).collect(),
                    };
                }
                Err(CallError::Harness(h)) => {
                    return Graded {
                        grade: Grade::Error,
                        message: format!("harness error: {h}"),
                        expected,
                        observed: json!({"harness": h.to_string()}),
                        rules: Vec::new(),
                    };
                }
                Err(CallError::Refused(e)) if e.is_unsupported() => {
                    return Graded {
                        grade: Grade::Error,
                        message: format!(
                            "claimed but refused: describe claims {} for {}, but the implementation answered unsupported ({})",
                            case.capability(),
                            case.profile,
                            e.message
                        ),
                        expected,
                        observed: json!({"fault": "claimed_but_refused", "ok": false, "error": {"code": e.code, "message": e.message}}),
                        rules: case.rule_refs().iter().map(|s| s.to_string()).collect(),
                    };
                }
                _ => {}
            }
        }
        match &case.expect {
            Expect::Validate(e) => self.validate(case, e, &results[0], expected),
            Expect::Parse(e) => parse(e, &results[0], expected),
            Expect::Generate(e) => self.generate(case, e, &results[0], expected),
            Expect::Render(e) => render(case, e, &results[0], expected),
            Expect::Scan(e) => scan(e, results, expected),
        }
    }

    /// Maps vendor codes to rule IDs: through the error map, else a code that is itself a rule ID.
    fn map_codes<'c>(
        &self,
        codes: impl Iterator<Item = &'c str>,
    ) -> (BTreeSet<String>, Vec<String>) {
        let mut rules = BTreeSet::new();
        let mut unmapped = Vec::new();
        for code in codes {
            let mapped = self.error_map.rules_for(code);
            if !mapped.is_empty() {
                rules.extend(mapped.iter().map(|r| r.as_str().to_owned()));
            } else if lookup(code).is_some() {
                rules.insert(code.to_owned());
            } else {
                unmapped.push(code.to_owned());
            }
        }
        (rules, unmapped)
    }

    fn validate(
        &self,
        case: &Case,
        e: &ValidateExpect,
        result: &Result<Reply, CallError>,
        expected: Value,
    ) -> Graded {
        let reply = match result {
            Ok(Reply::Validate(v)) => v,
            Err(CallError::Refused(err)) => {
                return Graded {
                    grade: Grade::Fail,
                    message: format!(
                        "the implementation refused to judge the payload ({}: {})",
                        err.code, err.message
                    ),
                    expected,
                    observed: json!({"ok": false, "error": {"code": err.code, "message": err.message}}),
                    rules: e.rules.clone(),
                };
            }
            other => return wrong_reply(other, expected),
        };
        let (named, unmapped) = self.map_codes(reply.errors.iter().map(|x| x.code.as_str()));
        let observed = json!({
            "valid": reply.valid,
            "errors": reply.errors.iter().map(|x| json!({"code": x.code, "message": x.message})).collect::<Vec<_>>(),
            "rules": named,
            "unmapped_codes": unmapped,
        });
        let (grade, message, rules) = match (e.outcome(), reply.valid) {
            (Outcome::Accept, true) => {
                (Grade::Pass, "accepted, as expected".to_owned(), Vec::new())
            }
            (Outcome::Accept, false) => (
                Grade::Fail,
                format!(
                    "rejected a well-formed code{}",
                    if named.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (naming {})",
                            named.iter().cloned().collect::<Vec<_>>().join(", ")
                        )
                    }
                ),
                named.iter().cloned().collect(),
            ),
            (Outcome::Reject, false) => {
                let hit: Vec<&String> = e.rules.iter().filter(|r| named.contains(*r)).collect();
                if !hit.is_empty() {
                    (
                        Grade::Pass,
                        format!(
                            "rejected, naming {}",
                            hit.iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        e.rules.clone(),
                    )
                } else {
                    let said = if named.is_empty() && unmapped.is_empty() {
                        "without giving a reason".to_owned()
                    } else if named.is_empty() {
                        format!(
                            "with codes {} that the error map does not name",
                            unmapped.join(", ")
                        )
                    } else {
                        format!(
                            "for {}",
                            named.iter().cloned().collect::<Vec<_>>().join(", ")
                        )
                    };
                    (
                        Grade::NonStrict,
                        format!("rejected, but {said}; expected {}", e.rules.join(", ")),
                        e.rules.clone(),
                    )
                }
            }
            (Outcome::Reject, true) => {
                // The profile's reference implementation (the KHQR SDK, promptparse,
                // vietnam-qr-pay) accepts codes breaking these rules too.
                let lenient_ref = case.profile.spec().reference_impl.filter(|_| {
                    !e.rules.is_empty()
                        && e.rules
                            .iter()
                            .all(|r| lookup(r).is_some_and(|r| r.ref_accepts()))
                });
                if let Some(reference) = lenient_ref {
                    (
                        Grade::NonStrict,
                        format!(
                            "accepted a code breaking {}, as {} {} does: matches the reference, not the rules",
                            e.rules.join(", "),
                            reference.label,
                            reference.version
                        ),
                        e.rules.clone(),
                    )
                } else {
                    let mut rules = e.rules.clone();
                    // Accepting a wrong checksum is the consumer behaviour EMVCo's CRC exists to
                    // prevent; it has its own rule so reports can count it.
                    if e.rules.iter().any(|r| is_crc_mismatch(r)) {
                        rules.push(emv_rules::ID63_CONSUMER_REJECTS_BAD_CRC.id.to_owned());
                    }
                    (
                        Grade::Fail,
                        format!("accepted a code that breaks {}", e.rules.join(", ")),
                        rules,
                    )
                }
            }
        };
        Graded {
            grade,
            message,
            expected,
            observed,
            rules,
        }
    }

    fn generate(
        &self,
        case: &Case,
        e: &GenerateExpect,
        result: &Result<Reply, CallError>,
        expected: Value,
    ) -> Graded {
        let (payload, md5) = match result {
            Ok(Reply::Generate(g)) => (&g.payload, g.md5.as_deref()),
            Err(CallError::Refused(err)) => {
                let observed =
                    json!({"ok": false, "error": {"code": err.code, "message": err.message}});
                return if !e.refuse.is_empty() {
                    Graded {
                        grade: Grade::Pass,
                        message: format!("refused input that cannot be encoded ({})", err.code),
                        expected,
                        observed,
                        rules: e.refuse.clone(),
                    }
                } else {
                    Graded {
                        grade: Grade::Fail,
                        message: format!(
                            "refused valid merchant data ({}: {})",
                            err.code, err.message
                        ),
                        expected,
                        observed,
                        rules: Vec::new(),
                    }
                };
            }
            other => return wrong_reply(other, expected),
        };
        let options = Options {
            profile: Some(case.profile),
            role: Role::Generator,
            now_ms: Some(generated_at(case).unwrap_or(self.clock).millis()),
            ..Options::default()
        };
        let mut validator = Validator::new();
        // The profile's checks of the whole reply (KHQR: the md5 beside the payload, false
        // success), whatever the vector expects.
        let reply_findings = crate::rules::spec(case.profile)
            .and_then(|s| s.generated)
            .map(|g| {
                (g.check)(
                    &GeneratedReply {
                        payload: Some(payload),
                        md5,
                        input: match &case.input {
                            Input::Generate(g) => Some(&g.data),
                            _ => None,
                        },
                    },
                    &mut validator,
                    options.now_ms,
                )
            })
            .unwrap_or_default();
        let reply_rules: Vec<String> = reply_findings
            .iter()
            .map(|f| f.rule.id.to_owned())
            .collect();
        let reply_problems: Vec<String> = reply_findings
            .iter()
            .map(|f| format!("{}: {}", f.rule.id, f.message))
            .collect();
        let verdict = validator.validate(payload, &options);
        let (musts, shoulds): (Vec<String>, Vec<String>) = match &verdict {
            Ok(v) => (
                v.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Must)
                    .map(|f| f.rule.id.to_owned())
                    .collect(),
                v.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Should)
                    .map(|f| f.rule.id.to_owned())
                    .collect(),
            ),
            Err(err) => (vec![format!("unjudgeable: {err}")], Vec::new()),
        };
        let mut observed =
            json!({"payload": payload, "findings": {"must": musts, "should": shoulds}});
        if let Some(md5) = md5 {
            observed["md5"] = json!(md5);
        }
        let graded = |grade, message: String, rules| Graded {
            grade,
            message,
            expected: expected.clone(),
            observed: observed.clone(),
            rules,
        };
        if !e.refuse.is_empty() {
            return graded(
                Grade::Fail,
                format!(
                    "produced a code for input that must be refused ({}){}",
                    e.refuse.join(", "),
                    suffix(&reply_problems)
                ),
                [e.refuse.clone(), reply_rules].concat(),
            );
        }
        if !musts.is_empty() {
            return graded(
                Grade::Fail,
                format!(
                    "the generated code breaks {}{}",
                    dedup(&musts).join(", "),
                    suffix(&reply_problems)
                ),
                dedup(&[musts, reply_rules].concat()),
            );
        }
        if !reply_rules.is_empty() {
            return graded(Grade::Fail, reply_problems.join("; "), dedup(&reply_rules));
        }
        let got_fields = fields_of(payload, case.profile);
        if !e.fields.is_empty() {
            let missing = subset_diff(&e.fields, &got_fields);
            if !missing.is_empty() {
                return graded(
                    Grade::Fail,
                    format!(
                        "the generated code does not carry the input: {}",
                        missing.join("; ")
                    ),
                    Vec::new(),
                );
            }
        }
        if let Some(want) = &e.payload
            && want != payload
        {
            let want_fields = fields_of(want, case.profile);
            // The CRC (63) follows the order, so an equivalent code in another order has
            // another CRC: compare everything else (the CRC itself was judged above).
            let without_crc = |f: &Value| {
                let mut f = f.clone();
                if let Value::Object(m) = &mut f {
                    m.remove("63");
                }
                f
            };
            return if without_crc(&want_fields) == without_crc(&got_fields) {
                graded(
                    Grade::NonStrict,
                    "an equivalent code, but not the canonical form (objects in another order)"
                        .into(),
                    Vec::new(),
                )
            } else {
                let diff = subset_diff(&want_fields, &got_fields);
                graded(
                    Grade::Fail,
                    format!("not the expected code: {}", diff.join("; ")),
                    Vec::new(),
                )
            };
        }
        // SHOULD rules the vector expects (its input asks for them) are no deviation.
        let shoulds: Vec<String> = shoulds
            .into_iter()
            .filter(|r| !e.warnings.contains(r))
            .collect();
        if !shoulds.is_empty() {
            return graded(
                Grade::NonStrict,
                format!(
                    "the generated code breaks SHOULD rules {}",
                    dedup(&shoulds).join(", ")
                ),
                dedup(&shoulds),
            );
        }
        graded(Grade::Pass, "generated as expected".into(), Vec::new())
    }
}

/// `; ` and the problems, when there are any.
fn suffix(problems: &[String]) -> String {
    if problems.is_empty() {
        String::new()
    } else {
        format!("; {}", problems.join("; "))
    }
}

fn dedup(v: &[String]) -> Vec<String> {
    v.iter()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn wrong_reply(result: &Result<Reply, CallError>, expected: Value) -> Graded {
    let (message, observed) = match result {
        Ok(r) => (
            format!("the reply answers another operation ({:?})", r.kind()),
            serde_json::to_value(r).unwrap_or(Value::Null),
        ),
        Err(e) => (e.to_string(), json!({"error": e.to_string()})),
    };
    Graded {
        grade: Grade::Error,
        message,
        expected,
        observed,
        rules: Vec::new(),
    }
}

/// The fields of a payload as the reference parser reads them (an empty map when it does not
/// parse).
fn fields_of(payload: &str, _profile: Profile) -> Value {
    crate::reference::parse(payload)
        .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
        .unwrap_or_else(|_| json!({}))
}

/// `want` entries missing from or different in `got`, as readable lines.
fn subset_diff(want: &impl serde::Serialize, got: &Value) -> Vec<String> {
    let want = serde_json::to_value(want).unwrap_or(Value::Null);
    let mut out = Vec::new();
    diff_into(&want, got, "", &mut out);
    out
}

fn diff_into(want: &Value, got: &Value, path: &str, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match g.get(k) {
                    None => out.push(format!("{p} missing (expected {wv})")),
                    Some(gv) => diff_into(wv, gv, &p, out),
                }
            }
        }
        (w, g) if w == g => {}
        (w, g) => out.push(format!("{path} is {g}, expected {w}")),
    }
}

fn to_json_fields(f: &PFields) -> Value {
    serde_json::to_value(f).unwrap_or(Value::Null)
}

fn parse(e: &ParseExpect, result: &Result<Reply, CallError>, expected: Value) -> Graded {
    let (fields, payer) = match result {
        Ok(Reply::Parse(p)) => (&p.fields, p.payer.as_deref()),
        Err(CallError::Refused(err)) => {
            return Graded {
                grade: Grade::Fail,
                message: format!(
                    "refused to parse a well-formed code ({}: {})",
                    err.code, err.message
                ),
                expected,
                observed: json!({"ok": false, "error": {"code": err.code, "message": err.message}}),
                rules: Vec::new(),
            };
        }
        other => return wrong_reply(other, expected),
    };
    let got = to_json_fields(fields);
    let want = serde_json::to_value(&e.fields).unwrap_or(Value::Null);
    let mut problems = Vec::new();
    diff_into(&want, &got, "", &mut problems);
    // Fields the implementation invented.
    let mut extra = Vec::new();
    diff_into(&got, &want, "", &mut extra);
    problems.extend(
        extra
            .into_iter()
            .filter(|l| l.contains("missing"))
            .map(|l| format!("unexpected {}", l.replace(" missing (expected", " (got"))),
    );
    // What the payer confirms, where the vector expects it (cross-border parse vectors).
    let shown = e
        .payer
        .as_ref()
        .map(|want| super::payer::problems(want, payer))
        .unwrap_or_default();
    let (grade, message) = match (problems.is_empty(), shown.is_empty()) {
        (true, true) if e.payer.is_some() => (
            Grade::Pass,
            "every data object decoded exactly, and the payer is shown what the code says"
                .to_owned(),
        ),
        (true, true) => (Grade::Pass, "every data object decoded exactly".to_owned()),
        (true, false) => (
            Grade::Fail,
            format!("the payer would be shown wrongly: {}", shown.join("; ")),
        ),
        (false, true) => (
            Grade::Fail,
            format!("decoded differently: {}", problems.join("; ")),
        ),
        (false, false) => (
            Grade::Fail,
            format!(
                "decoded differently: {}; and the payer would be shown wrongly: {}",
                problems.join("; "),
                shown.join("; ")
            ),
        ),
    };
    let mut observed = json!({"fields": got});
    if let Some(p) = payer {
        observed["payer"] = serde_json::to_value(p).unwrap_or(Value::Null);
    }
    Graded {
        grade,
        message,
        expected,
        observed,
        rules: Vec::new(),
    }
}

fn ec_rank(e: crate::image::EcLevel) -> u8 {
    match e {
        crate::image::EcLevel::L => 0,
        crate::image::EcLevel::M => 1,
        crate::image::EcLevel::Q => 2,
        crate::image::EcLevel::H => 3,
    }
}

fn min_rank(e: EcLevel) -> u8 {
    match e {
        EcLevel::L => 0,
        EcLevel::M => 1,
        EcLevel::Q => 2,
        EcLevel::H => 3,
    }
}

fn render(
    case: &Case,
    e: &RenderExpect,
    result: &Result<Reply, CallError>,
    expected: Value,
) -> Graded {
    let png = match result {
        Ok(Reply::Render(r)) => &r.png.0,
        Err(CallError::Refused(err)) => {
            return Graded {
                grade: Grade::Fail,
                message: format!(
                    "refused to render a valid payload ({}: {})",
                    err.code, err.message
                ),
                expected,
                observed: json!({"ok": false, "error": {"code": err.code, "message": err.message}}),
                rules: vec![emv_rules::QR_DECODES.id.into()],
            };
        }
        other => return wrong_reply(other, expected),
    };
    let payload = match &case.input {
        crate::vectors::Input::Render(r) => r.payload.as_str(),
        _ => "",
    };
    let facts = match image::inspect_png(png, &DecodeLimits::default()) {
        Ok(f) => f,
        Err(err @ (DecodeError::NotDetected | DecodeError::DecodeFailed { .. })) => {
            return Graded {
                grade: Grade::Fail,
                message: format!("the rendered image does not decode: {err}"),
                expected,
                observed: json!({"decode_error": err.to_string()}),
                rules: vec![emv_rules::QR_DECODES.id.into()],
            };
        }
        Err(err) => {
            return Graded {
                grade: Grade::Error,
                message: format!("the rendered image was refused: {err}"),
                expected,
                observed: json!({"decode_error": err.to_string()}),
                rules: Vec::new(),
            };
        }
    };
    let mut must: Vec<(&str, String)> = Vec::new();
    let mut should: Vec<(&str, String)> = Vec::new();
    if facts.payload != payload {
        must.push((
            emv_rules::QR_DECODES.id,
            "the symbol does not carry exactly the payload".into(),
        ));
    }
    for m in facts.forbidden_modes() {
        let rule = match m {
            Mode::StructuredAppend => emv_rules::QR_NO_STRUCTURED_APPEND.id,
            Mode::Fnc1First | Mode::Fnc1Second => emv_rules::QR_NO_FNC1.id,
            _ => emv_rules::QR_BYTE_MODE_ONLY.id,
        };
        must.push((rule, format!("a {m:?} segment")));
    }
    let needs_eci = first_non_ans(payload).is_some();
    match facts.eci {
        Some(26) => {}
        Some(other) => should.push((
            emv_rules::QR_ECI_VALUE.id,
            format!("ECI {other} instead of 26"),
        )),
        None if needs_eci || e.eci_utf8 == Some(true) => must.push((
            emv_rules::QR_ECI_UTF8_REQUIRED.id,
            "non-ASCII payload without ECI 26".into(),
        )),
        None => {}
    }
    if e.eci_utf8 == Some(false) && facts.eci.is_some() {
        should.push((
            emv_rules::QR_ECI_VALUE.id,
            "an ECI where none is expected".into(),
        ));
    }
    if facts.quiet_zone_modules == 0 {
        must.push((
            emv_rules::QR_QUIET_ZONE_NONE.id,
            "no quiet zone at all: the symbol touches the image edge".into(),
        ));
    } else if facts.quiet_zone_modules < 4 {
        should.push((
            emv_rules::QR_QUIET_ZONE.id,
            format!(
                "quiet zone of {} modules; ISO/IEC 18004 asks for 4",
                facts.quiet_zone_modules
            ),
        ));
    }
    // Mirrored or reversed symbols are reported (INFO) without changing the grade: EMVCo MPM is
    // silent, CPM lets readers ignore them.
    let mirrored = facts.mirrored || facts.reflectance_reversed;
    if let Some(min) = e.min_ec_level
        && ec_rank(facts.ec_level) < min_rank(min)
    {
        should.push((
            emv_rules::QR_EC_LEVEL.id,
            format!(
                "error correction {:?} below the expected {min:?}",
                facts.ec_level
            ),
        ));
    }
    let mut observed = crate::report::png::summarize(png, !(must.is_empty() && should.is_empty()));
    observed["facts"] = json!(facts);
    let (grade, list) = if !must.is_empty() {
        (Grade::Fail, &must)
    } else if !should.is_empty() {
        (Grade::NonStrict, &should)
    } else {
        (Grade::Pass, &must)
    };
    let mut rules: Vec<String> = list.iter().map(|(r, _)| r.to_string()).collect();
    let mut message = if list.is_empty() {
        "the symbol carries the payload in byte mode, with the right ECI and quiet zone".to_owned()
    } else {
        list.iter()
            .map(|(r, m)| format!("{r}: {m}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if mirrored {
        rules.push(emv_rules::QR_NOT_MIRRORED.id.into());
        message.push_str(
            " (note EMV.QR.NOT_MIRRORED: the symbol is mirrored or has reversed reflectance)",
        );
    }
    Graded {
        grade,
        message,
        expected,
        observed,
        rules,
    }
}

/// What a scanner did with the last frame of a scan case, for grading and for the report's
/// per-rung counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanOutcome {
    /// Returned exactly the expected payload.
    Read,
    /// Returned another payload, one no earlier frame carried.
    Misread,
    /// Returned the payload an earlier frame of the sequence carried.
    Stale,
    /// Returned nothing (refused, or answered with an error).
    NotDetected,
}

impl ScanOutcome {
    /// The name in reports (`observed.outcome`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ScanOutcome::Read => "read",
            ScanOutcome::Misread => "misread",
            ScanOutcome::Stale => "stale",
            ScanOutcome::NotDetected => "not_detected",
        }
    }
}

/// Grades a scan: the last frame must give the expected payload (or nothing, when the vector
/// expects a refusal). A wrong payload fails whatever the image, and so does an earlier frame's
/// payload: a wallet that shows the previous code when the new one cannot be read charges the
/// wrong merchant. Reading nothing fails, except at a ladder rung the profile does not
/// require, where it is INFO.
fn scan(e: &ScanExpect, results: &[Result<Reply, CallError>], expected: Value) -> Graded {
    let seen: Vec<Option<String>> = results
        .iter()
        .map(|r| match r {
            Ok(Reply::Scan(s)) => Some(s.payload.clone()),
            _ => None,
        })
        .collect();
    let last = seen.last().cloned().flatten();
    let earlier: Vec<&String> = seen[..seen.len().saturating_sub(1)]
        .iter()
        .flatten()
        .collect();
    let outcome = match (&e.payload, &last) {
        (_, None) => ScanOutcome::NotDetected,
        (Some(want), Some(got)) if want == got => ScanOutcome::Read,
        (_, Some(got)) if earlier.contains(&got) => ScanOutcome::Stale,
        (_, Some(_)) => ScanOutcome::Misread,
    };
    let stress = e.rung.as_ref().filter(|r| !r.required);
    let (grade, message) = match (&e.payload, outcome) {
        (Some(_), ScanOutcome::Read) => (Grade::Pass, "read exactly".to_owned()),
        (Some(_), ScanOutcome::Stale) => (
            Grade::Fail,
            "returned the payload of an earlier image instead of the current one".to_owned(),
        ),
        (Some(_), ScanOutcome::Misread) => (
            Grade::Fail,
            format!(
                "misread: got {} characters that differ from the payload",
                last.as_deref().map_or(0, |g| g.chars().count())
            ),
        ),
        (Some(_), ScanOutcome::NotDetected) => match (stress, &e.rung) {
            (Some(r), _) => (
                Grade::Info,
                format!(
                    "did not read the symbol at stress rung {} (not required by the profile)",
                    r.id
                ),
            ),
            (None, Some(r)) => (
                Grade::Fail,
                format!(
                    "did not read the symbol at rung {}, which the profile requires",
                    r.id
                ),
            ),
            (None, None) => (Grade::Fail, "did not read the symbol".to_owned()),
        },
        (None, ScanOutcome::NotDetected) => {
            (Grade::Pass, "refused the unreadable image".to_owned())
        }
        (None, ScanOutcome::Stale) => (
            Grade::Fail,
            "returned the payload of an earlier image for an unreadable one".to_owned(),
        ),
        (None, ScanOutcome::Read | ScanOutcome::Misread) => (
            Grade::Fail,
            "returned a payload for an image that must be refused".to_owned(),
        ),
    };
    let mut observed = json!({"payloads": seen, "outcome": outcome.as_str()});
    if let Some(r) = &e.rung {
        observed["rung"] = json!(r.id);
    }
    Graded {
        grade,
        message,
        expected,
        observed,
        rules: e.rules.clone(),
    }
}

/// The expectation as reports show it.
pub fn expected_json(e: &Expect) -> Value {
    match e {
        Expect::Validate(v) => json!({
            "result": v.outcome().as_str(),
            "rules": v.rules, "warnings": v.warnings, "info": v.info,
        }),
        Expect::Parse(p) => match &p.payer {
            Some(payer) => json!({"fields": p.fields, "payer": payer}),
            None => json!({"fields": p.fields}),
        },
        Expect::Generate(g) if g.warnings.is_empty() => json!({
            "payload": g.payload, "must_validate": g.must_validate, "fields": g.fields, "refuse": g.refuse,
        }),
        Expect::Generate(g) => json!({
            "payload": g.payload, "must_validate": g.must_validate, "fields": g.fields, "refuse": g.refuse,
            "warnings": g.warnings,
        }),
        Expect::Render(r) => json!({
            "checks": r.checks, "eci_utf8": r.eci_utf8, "min_ec_level": r.min_ec_level,
        }),
        Expect::Scan(s) => {
            let mut v = json!({"payload": s.payload, "rules": s.rules});
            if let Some(r) = &s.rung {
                v["rung"] = json!(r.id);
                v["required"] = json!(r.required);
            }
            v
        }
    }
}

/// The moment a generated code is judged at: the vector's own clock, else the creation time the
/// merchant data stamps (a code made at T and expiring at T+15 min is valid when it is made, on
/// whatever day the run happens), else the run's clock.
fn generated_at(case: &Case) -> Option<Clock> {
    let Input::Generate(g) = &case.input else {
        return None;
    };
    g.now.or_else(|| {
        g.data
            .transaction
            .created_at_ms
            .as_deref()
            .and_then(|ms| ms.parse::<i64>().ok())
            .map(Clock::from_millis)
    })
}

/// Scan grading: required and stress rungs, misreads, earlier frames.
#[cfg(test)]
mod scan_tests {
    use super::*;
    use crate::adapter::protocol::{ImplError, ScanReply};
    use crate::vectors::RungExpect;

    fn read(p: &str) -> Result<Reply, CallError> {
        Ok(Reply::Scan(ScanReply { payload: p.into() }))
    }

    fn refused() -> Result<Reply, CallError> {
        Err(CallError::Refused(ImplError::new(
            "not_read",
            "nothing found",
        )))
    }

    fn expect(payload: Option<&str>, rung: Option<(&str, bool)>) -> ScanExpect {
        ScanExpect {
            payload: payload.map(str::to_owned),
            rules: if payload.is_none() {
                vec![emv_rules::QR_DECODES.id.into()]
            } else {
                Vec::new()
            },
            rung: rung.map(|(id, required)| RungExpect {
                id: id.into(),
                required,
            }),
        }
    }

    fn grade(e: &ScanExpect, results: &[Result<Reply, CallError>]) -> (Grade, String) {
        let g = scan(e, results, Value::Null);
        (g.grade, g.observed["outcome"].as_str().unwrap().to_owned())
    }

    #[test]
    fn not_reading_fails_at_required_rungs_and_is_info_above_them() {
        let required = expect(Some("B"), Some(("blur-2", true)));
        let stress = expect(Some("B"), Some(("blur-4", false)));
        let plain = expect(Some("B"), None);
        assert_eq!(grade(&required, &[refused()]).0, Grade::Fail);
        assert_eq!(grade(&plain, &[refused()]).0, Grade::Fail);
        assert_eq!(
            grade(&stress, &[refused()]),
            (Grade::Info, "not_detected".into())
        );
        assert_eq!(grade(&stress, &[read("B")]), (Grade::Pass, "read".into()));
    }

    #[test]
    fn a_wrong_payload_fails_at_every_rung() {
        for e in [
            expect(Some("B"), Some(("blur-4", false))),
            expect(Some("B"), Some(("blur-1", true))),
            expect(Some("B"), None),
        ] {
            assert_eq!(grade(&e, &[read("X")]), (Grade::Fail, "misread".into()));
        }
    }

    #[test]
    fn an_earlier_frames_payload_is_never_accepted() {
        let refuse = expect(None, None);
        assert_eq!(
            grade(&refuse, &[read("A"), read("A")]),
            (Grade::Fail, "stale".into())
        );
        assert_eq!(
            grade(&refuse, &[read("A"), refused()]),
            (Grade::Pass, "not_detected".into())
        );
        assert_eq!(grade(&refuse, &[read("A"), read("Z")]).0, Grade::Fail);
        let next = expect(Some("B"), None);
        assert_eq!(
            grade(&next, &[read("A"), read("A")]),
            (Grade::Fail, "stale".into())
        );
        assert_eq!(grade(&next, &[read("A"), read("B")]).0, Grade::Pass);
        // Even where not reading would only be INFO, the previous payload fails.
        let stress = expect(Some("B"), Some(("scale-5", false)));
        let g = scan(&stress, &[read("A"), read("A")], Value::Null);
        assert_eq!(g.grade, Grade::Fail);
        assert!(g.message.contains("earlier"), "{}", g.message);
        assert_eq!(g.observed["rung"], "scale-5");
    }
}

#[cfg(test)]
#[path = "grade_tests.rs"]
mod tests;
