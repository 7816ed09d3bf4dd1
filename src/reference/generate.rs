//! Reference `generate`: neutral merchant data to a payload, in the canonical form the golden
//! vectors expect (root objects and template children in ascending ID order, 63 last, upper-case
//! CRC, lengths in the profile's unit), refusing input that would break a MUST rule.

use serde_json::Value;

use super::defect::{self, Defect};
use crate::adapter::protocol::ImplError;
use crate::emv::payload::{Model, Node};
use crate::emv::tlv::WriteError;
use crate::merchant::{Account, Kind, MerchantData, Tip};
use crate::rules::profile::account_schema;
use crate::rules::validator::{Options, Validator};
use crate::rules::{Role, Severity};
use crate::{Clock, Profile};

/// Generates a payload for `profile`. `now` stamps a KHQR dynamic code's creation time when the
/// input gives none (the system clock, read once, when `now` is `None` too).
pub fn generate(profile: Profile, input: &Value, now: Option<Clock>) -> Result<String, ImplError> {
    generate_with(profile, input, now, None)
}

/// [`generate`], broken by `defect` when one is given (`qrcert selftest` only).
pub(super) fn generate_with(
    profile: Profile,
    input: &Value,
    now: Option<Clock>,
    defect: Option<Defect>,
) -> Result<String, ImplError> {
    let data: MerchantData = serde_json::from_value(input.clone())
        .map_err(|e| ImplError::new("bad_input", format!("merchant data: {e}")))?;
    let unit = profile.spec().unit;
    let model = build(profile, &data, now)?;
    let payload = match model.seal(unit) {
        Ok(p) => p,
        // The broken generator formats lengths with `{:02}` and never notices the third digit.
        Err(WriteError::TooLong { .. }) if defect == Some(Defect::ThreeDigitLengths) => {
            return Ok(defect::seal_three_digit(&model, unit));
        }
        Err(e) => return Err(ImplError::new("bad_input", e.to_string())),
    };
    // Never report success for a payload that breaks a MUST rule (KHQR.GEN.FALSE_SUCCESS).
    let options = Options {
        profile: Some(profile),
        role: Role::Generator,
        now_ms: None,
        ..Options::default()
    };
    let verdict = Validator::new()
        .validate(&payload, &options)
        .map_err(|e| ImplError::new("refused", e.to_string()))?;
    let broken: Vec<&str> = verdict
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Must)
        .map(|f| f.rule.id)
        // A defect in the shared checks blinds the self-check too.
        .filter(|id| !defect.is_some_and(|d| d.hides(id, &payload)))
        .collect();
    // The falsely successful generator never looks at what its own check found.
    if !broken.is_empty() && defect != Some(Defect::GenerateFalseSuccess) {
        return Err(ImplError::new(
            broken[0],
            format!(
                "the input would produce a payload breaking {}",
                broken.join(", ")
            ),
        ));
    }
    // Defects of the writer strike after the check, as a writer bug does after the business
    // logic approved the data.
    Ok(defect
        .and_then(|d| d.corrupt_generated(&model, &payload, unit))
        .unwrap_or(payload))
}

fn prim(id: u8, value: impl Into<String>) -> Node {
    Node::Primitive {
        id,
        value: value.into(),
    }
}

fn build(profile: Profile, d: &MerchantData, now: Option<Clock>) -> Result<Model, ImplError> {
    let missing = |what: &str| ImplError::new("bad_input", format!("merchant data lacks {what}"));
    let mut nodes = vec![
        prim(0, "01"),
        prim(
            1,
            match d.kind {
                Kind::Static => "11",
                Kind::Dynamic => "12",
            },
        ),
    ];
    match &d.account {
        Account::Scheme { scheme, fields } => {
            let (_, schema) = account_schema(scheme).ok_or_else(|| {
                ImplError::new("bad_input", format!("unknown account scheme {scheme:?}"))
            })?;
            let built = schema
                .nodes(fields)
                .map_err(|e| ImplError::new("bad_input", e))?;
            nodes.extend(built);
        }
        Account::Template { tag, guid, fields } => {
            let mut children = vec![prim(0, guid.clone())];
            for (k, v) in fields {
                let id = k
                    .parse::<u8>()
                    .ok()
                    .filter(|id| (1..=99).contains(id) && k.len() == 2)
                    .ok_or_else(|| {
                        ImplError::new("bad_input", format!("sub-ID {k:?} is not 01-99"))
                    })?;
                children.push(prim(id, v.clone()));
            }
            nodes.push(Node::Template { id: *tag, children });
        }
        Account::Primitive { tag, value } => nodes.push(prim(*tag, value.clone())),
    }
    // Account forms may put a primitive (KHQR's UnionPay 15) before the template; data objects
    // go out in ascending ID order.
    nodes.sort_by_key(Node::id);
    let defaults = profile.spec().defaults;
    let (mcc, currency, country) = (defaults.category_code, defaults.currency, defaults.country);
    let m = &d.merchant;
    let t = &d.transaction;
    // A profile whose codes may go without 52 (the personal transfers of Thai QR and VietQR)
    // has no default MCC: then none is written, and the profile's rules judge the result.
    if let Some(c) = m.category_code.as_deref().or(mcc) {
        nodes.push(prim(52, c));
    }
    nodes.push(prim(
        53,
        t.currency
            .as_deref()
            .or(currency)
            .ok_or_else(|| missing("transaction.currency"))?,
    ));
    if let Some(a) = &t.amount {
        nodes.push(prim(54, a.clone()));
    }
    match &t.tip {
        None => {}
        Some(Tip::Prompt) => nodes.push(prim(55, "01")),
        Some(Tip::Fixed { value }) => {
            nodes.push(prim(55, "02"));
            nodes.push(prim(56, value.clone()));
        }
        Some(Tip::Percentage { value }) => {
            nodes.push(prim(55, "03"));
            nodes.push(prim(57, value.clone()));
        }
    }
    nodes.push(prim(
        58,
        m.country
            .as_deref()
            .or(country)
            .ok_or_else(|| missing("merchant.country"))?,
    ));
    if !m.name.is_empty() {
        nodes.push(prim(59, m.name.clone()));
    }
    if !m.city.is_empty() {
        nodes.push(prim(60, m.city.clone()));
    }
    if let Some(p) = &m.postal_code {
        nodes.push(prim(61, p.clone()));
    }
    let additional: Vec<Node> = d
        .additional
        .fields()
        .iter()
        .filter_map(|(id, v)| v.map(|v| prim(*id, v)))
        .collect();
    if !additional.is_empty() {
        nodes.push(Node::Template {
            id: 62,
            children: additional,
        });
    }
    if let Some(alt) = &m.alternate_language {
        let mut children = vec![prim(0, alt.language.clone()), prim(1, alt.name.clone())];
        if let Some(city) = &alt.city {
            children.push(prim(2, city.clone()));
        }
        nodes.push(Node::Template { id: 64, children });
    }
    if let Some(timestamps) = profile.spec().timestamps
        && d.kind == Kind::Dynamic
    {
        let created = match &t.created_at_ms {
            Some(c) => c.clone(),
            None => now.unwrap_or_else(Clock::system).millis().to_string(),
        };
        let expires = t.expires_at_ms.clone().ok_or_else(|| {
            missing(&format!(
                "transaction.expires_at_ms (a dynamic {} code must expire)",
                profile.spec().label
            ))
        })?;
        nodes.push(Node::Template {
            id: timestamps,
            children: vec![prim(0, created), prim(1, expires)],
        });
    }
    Ok(Model { objects: nodes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generates_the_digest_samples_exactly() {
        let khqr_static = json!({
            "account": {"scheme": "bakong", "bakong_id": "demo@sandbox", "type": "individual"},
            "merchant": {"name": "Demo Noodle Bar", "city": "Battambang", "category_code": "5999"},
            "transaction": {"currency": "116"}
        });
        assert_eq!(
            generate(Profile::Emvco, &khqr_static, None).ok(),
            None,
            "demo@sandbox with currency 116 needs a country under EMVCo"
        );
        let mut with_country = khqr_static.clone();
        with_country["merchant"]["country"] = json!("KH");
        assert_eq!(
            generate(Profile::Emvco, &with_country, None).unwrap(),
            "00020101021129160012demo@sandbox5204599953031165802KH5915Demo Noodle Bar6010Battambang6304C0F7"
        );
        let jpqr = json!({
            "account": {"scheme": "jpqr", "level1": "0000000123456", "level2": "0002", "level3": "000010", "level4": "000003"},
            "merchant": {"name": "SAKURA TEST CAFE", "city": "SHIBUYA-KU", "category_code": "5812", "country": "JP", "postal_code": "1500002",
                         "alternate_language": {"language": "JA", "name": "さくらテストカフェ"}},
            "transaction": {"currency": "392"}
        });
        assert_eq!(
            generate(Profile::Emvco, &jpqr, None).unwrap(),
            "00020101021126680019jp.or.paymentsjapan0113000000012345602040002030600001004060000035204581253033925802JP5916SAKURA TEST CAFE6010SHIBUYA-KU6107150000264190002JA0109さくらテストカフェ63044F8B"
        );
    }

    #[test]
    fn refuses_bad_input_with_a_rule_id() {
        let bad = json!({
            "account": {"scheme": "template", "tag": 26, "guid": "com.example.qrcert", "fields": {"01": "ACCT0001"}},
            "merchant": {"name": "A SHOP", "city": "TOWN", "category_code": "5999", "country": "US"},
            "transaction": {"currency": "840", "amount": "0.00"}
        });
        let e = generate(Profile::Emvco, &bad, None).unwrap_err();
        assert_eq!(e.code, "EMV.54.NONZERO");
        let unknown =
            json!({"account": {"scheme": "nope"}, "merchant": {"name": "A", "city": "B"}});
        assert_eq!(
            generate(Profile::Emvco, &unknown, None).unwrap_err().code,
            "bad_input"
        );
    }
}
