//! The JSON Schema of vector files (`vectors/schema.json`), for vendors' tools and editors.
//!
//! The schema is written here, next to the types it describes; `qrcert vectors schema` prints
//! it, and tests keep the committed file, the Rust types and the committed vectors in sync.

use serde_json::{Value, json};

use crate::Profile;

fn string() -> Value {
    json!({"type": "string"})
}

fn strings() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

fn rule_ids() -> Value {
    json!({"type": "array", "items": {"$ref": "#/$defs/ruleId"}, "uniqueItems": true})
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

fn capability_rule(cap: &str, input: &str, expect: &str) -> Value {
    json!({
        "if": {"properties": {"capability": {"const": cap}}, "required": ["capability"]},
        "then": {"properties": {
            "input": {"$ref": format!("#/$defs/{input}")},
            "expect": {"$ref": format!("#/$defs/{expect}")},
        }},
    })
}

fn defs() -> serde_json::Map<String, Value> {
    let opt_str = string;
    let mut d = serde_json::Map::new();
    d.insert(
        "ruleId".into(),
        json!({"type": "string", "pattern": "^[A-Z]+(\\.[A-Z0-9_]+){2,}$"}),
    );
    d.insert(
        "suiteVersion".into(),
        json!({"type": "string", "pattern": "^[0-9]{4}\\.(1[0-2]|[1-9])\\.[0-9]+$"}),
    );
    d.insert("clock".into(), json!({
                "description": "RFC 3339 (2026-05-28T20:26:40.000Z) or epoch milliseconds as text",
                "type": "string",
                "pattern": "^([0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))$"
            }));
    d.insert("case".into(), json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["id", "capability", "title", "input", "expect", "since"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[A-Z]+(-[A-Z0-9]+)+-[0-9]{3,4}$"},
                    "capability": {"enum": ["parse", "validate", "generate", "render", "scan"]},
                    "title": string(),
                    "input": {"type": "object"},
                    "expect": {"type": "object"},
                    "refs": strings(),
                    "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z][a-z0-9.-]*$"}},
                    "status": {"enum": ["active", "retired"]},
                    "since": {"$ref": "#/$defs/suiteVersion"},
                    "retired_in": {"$ref": "#/$defs/suiteVersion"},
                    "notes": string(),
                },
                "allOf": [
                    capability_rule("validate", "validateInput", "validateExpect"),
                    capability_rule("parse", "payloadInput", "parseExpect"),
                    capability_rule("generate", "generateInput", "generateExpect"),
                    capability_rule("render", "payloadInput", "renderExpect"),
                    capability_rule("scan", "scanInput", "scanExpect"),
                    {
                        "if": {"properties": {"status": {"const": "retired"}}, "required": ["status"]},
                        "then": {"required": ["retired_in"]},
                        "else": {"not": {"required": ["retired_in"]}},
                    },
                ],
            }));
    d.insert(
        "validateInput".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "payload": string(),
                "payload_hex": {"type": "string", "pattern": "^([0-9A-Fa-f]{2})*$"},
                "now": {"$ref": "#/$defs/clock"},
                "role": {"enum": ["consumer", "generator"]},
                "emv_version": {"enum": ["1.0", "1.1"]},
            },
            "oneOf": [{"required": ["payload"]}, {"required": ["payload_hex"]}],
        }),
    );
    d.insert(
        "validateExpect".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["result"],
            "properties": {
                "result": {"enum": ["accept", "reject"]},
                "rules": rule_ids(),
                "warnings": rule_ids(),
                "info": rule_ids(),
            },
            "if": {"properties": {"result": {"const": "reject"}}},
            "then": {"required": ["rules"], "properties": {"rules": {"minItems": 1}}},
            "else": {"not": {"required": ["rules"]}},
        }),
    );
    d.insert(
        "payloadInput".into(),
        object(&["payload"], json!({"payload": string()})),
    );
    d.insert(
        "fields".into(),
        json!({
            "type": "object",
            "propertyNames": {"pattern": "^[0-9]{2}$"},
            "additionalProperties": {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/fields"}]},
        }),
    );
    d.insert(
        "parseExpect".into(),
        object(
            &["fields"],
            json!({
                "fields": {"$ref": "#/$defs/fields"},
                // The parse reply's payer view (docs/adapter-protocol.schema.json#/$defs/Payer).
                "payer": {"type": "object"},
            }),
        ),
    );
    d.insert(
        "generateInput".into(),
        object(
            &["data"],
            json!({
                "data": {"$ref": "#/$defs/merchantData"},
                "now": {"$ref": "#/$defs/clock"},
            }),
        ),
    );
    d.insert(
        "generateExpect".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "payload": string(),
                "must_validate": {"type": "boolean"},
                "fields": {"$ref": "#/$defs/fields"},
                "refuse": rule_ids(),
                "checks": rule_ids(),
                "warnings": rule_ids(),
            },
            "minProperties": 1,
        }),
    );
    d.insert(
        "renderExpect".into(),
        object(
            &["checks"],
            json!({
                "checks": rule_ids(),
                "eci_utf8": {"type": "boolean"},
                "min_ec_level": {"enum": ["L", "M", "Q", "H"]},
            }),
        ),
    );
    d.insert("scanInput".into(), json!({
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "image": {"type": "string", "pattern": "^images/[^/]+\\.png$"},
                    "sequence": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^images/[^/]+\\.png$"}},
                },
                "oneOf": [{"required": ["image"]}, {"required": ["sequence"]}],
            }));
    d.insert(
        "scanExpect".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "payload": string(),
                "rules": rule_ids(),
                "rung": {"type": "string", "pattern": "^[a-z]+-[1-5]$", "description": "the distortion-ladder rung of the (last) image, as in its file name"},
                "required": {"type": "boolean", "description": "whether the profile requires wallets to read this rung (not reading it fails) or it is a stress rung (not reading it is INFO)"},
            },
            "oneOf": [{"required": ["payload"]}, {"required": ["rules"]}],
            "dependentRequired": {"rung": ["required", "payload"], "required": ["rung"]},
        }),
    );
    d.insert(
        "merchantData".into(),
        object(
            &["account", "merchant"],
            json!({
                "kind": {"enum": ["static", "dynamic"]},
                "account": {"oneOf": account_refs()},
                "merchant": {"$ref": "#/$defs/merchant"},
                "transaction": {"$ref": "#/$defs/transaction"},
                "additional": {"$ref": "#/$defs/additional"},
            }),
        ),
    );
    // Every national profile's account forms, from its spec.
    for (_, a) in national_accounts() {
        let mut props = serde_json::Map::new();
        props.insert("scheme".into(), json!({"const": a.scheme}));
        let mut required = vec!["scheme"];
        for f in a.fields {
            props.insert(
                f.name.into(),
                json!({"type": "string", "description": f.doc}),
            );
            if f.required {
                required.push(f.name);
            }
        }
        let mut def = object(&required, serde_json::Value::Object(props));
        def["description"] = json!(a.doc);
        d.insert(account_def(a.scheme), def);
    }
    d.insert("accountTemplate".into(), object(&["scheme", "tag", "guid"], json!({
                "scheme": {"const": "template"},
                "tag": {"type": "integer", "minimum": 26, "maximum": 51},
                "guid": string(),
                "fields": {"type": "object", "propertyNames": {"pattern": "^[0-9]{2}$"}, "additionalProperties": {"type": "string"}},
            })));
    d.insert(
        "accountPrimitive".into(),
        object(
            &["scheme", "tag", "value"],
            json!({
                "scheme": {"const": "primitive"},
                "tag": {"type": "integer", "minimum": 2, "maximum": 25},
                "value": string(),
            }),
        ),
    );
    d.insert(
        "merchant".into(),
        object(
            &[],
            json!({
                "name": string(),
                "city": string(),
                "category_code": opt_str(),
                "country": opt_str(),
                "postal_code": opt_str(),
                "alternate_language": {"$ref": "#/$defs/alternateLanguage"},
            }),
        ),
    );
    d.insert(
        "alternateLanguage".into(),
        object(
            &["language", "name"],
            json!({
                "language": string(),
                "name": string(),
                "city": string(),
            }),
        ),
    );
    d.insert(
        "transaction".into(),
        object(
            &[],
            json!({
                "currency": opt_str(),
                "amount": opt_str(),
                "tip": {"oneOf": [
                    {"$ref": "#/$defs/tipPrompt"},
                    {"$ref": "#/$defs/tipFixed"},
                    {"$ref": "#/$defs/tipPercentage"},
                ]},
                "created_at_ms": {"type": "string", "pattern": "^[0-9]+$"},
                "expires_at_ms": {"type": "string", "pattern": "^[0-9]+$"},
            }),
        ),
    );
    d.insert(
        "tipPrompt".into(),
        object(&["indicator"], json!({"indicator": {"const": "prompt"}})),
    );
    d.insert(
        "tipFixed".into(),
        object(
            &["indicator", "value"],
            json!({"indicator": {"const": "fixed"}, "value": string()}),
        ),
    );
    d.insert(
        "tipPercentage".into(),
        object(
            &["indicator", "value"],
            json!({"indicator": {"const": "percentage"}, "value": string()}),
        ),
    );
    d.insert(
        "additional".into(),
        object(
            &[],
            json!({
                "bill_number": string(),
                "mobile_number": string(),
                "store_label": string(),
                "loyalty_number": string(),
                "reference_label": string(),
                "customer_label": string(),
                "terminal_label": string(),
                "purpose": string(),
                "consumer_data_request": string(),
            }),
        ),
    );
    d
}

/// The schema, as a JSON value (draft 2020-12).
pub fn schema() -> Value {
    let profiles: Vec<&str> = Profile::ALL.iter().map(|p| p.as_str()).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:qrcert:vectors:schema",
        "title": "qrcert vector file",
        "description": "One file of the qrcert golden test vectors: vectors/<profile>/<area>.yaml. See vectors/README.md.",
        "type": "object",
        "additionalProperties": false,
        "required": ["profile", "area", "cases"],
        "properties": {
            "profile": {"enum": profiles},
            "area": {"type": "string", "pattern": "^[a-z0-9-]+$"},
            "description": string(),
            "generated_by": string(),
            "cases": {"type": "array", "items": {"$ref": "#/$defs/case"}},
        },
        "$defs": defs(),
    })
}

/// The schema as the committed file holds it: pretty-printed, with a final newline.
pub fn schema_text() -> String {
    // A json! value always serialises.
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// The account forms of every profile, in registry order, with their profile.
fn national_accounts() -> Vec<(
    crate::Profile,
    &'static crate::rules::profile::AccountSchema,
)> {
    crate::rules::profile::specs()
        .flat_map(|s| s.accounts.iter().map(move |a| (s.profile, a)))
        .collect()
}

/// The `$defs` name of an account form (`accountBakong`).
fn account_def(scheme: &str) -> String {
    let mut name = String::from("account");
    for part in scheme.split(['-', '_']) {
        let mut c = part.chars();
        if let Some(f) = c.next() {
            name.extend(f.to_uppercase());
            name.push_str(c.as_str());
        }
    }
    name
}

fn account_refs() -> Vec<serde_json::Value> {
    let mut refs: Vec<serde_json::Value> = national_accounts()
        .into_iter()
        .map(|(_, a)| json!({"$ref": format!("#/$defs/{}", account_def(a.scheme))}))
        .collect();
    refs.push(json!({"$ref": "#/$defs/accountTemplate"}));
    refs.push(json!({"$ref": "#/$defs/accountPrimitive"}));
    refs
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::merchant::*;
    use crate::vectors::model::{EcLevel, Field, Fields, Outcome};
    use crate::vectors::wire::*;

    fn props(def: &str) -> BTreeSet<String> {
        let s = schema();
        let node = if def.is_empty() { &s } else { &s["$defs"][def] };
        node["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{def} has no properties"))
            .keys()
            .cloned()
            .collect()
    }

    fn keys<T: serde::Serialize>(t: &T) -> BTreeSet<String> {
        serde_json::to_value(t)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    /// The fields serde expects, read from its "unknown field" message.
    fn expected_fields<T: serde::de::DeserializeOwned + std::fmt::Debug>(
        yaml: &str,
    ) -> BTreeSet<String> {
        let options = serde_saphyr::options! { with_snippet: false };
        let e = serde_saphyr::from_str_with_options::<T>(yaml, options)
            .unwrap_err()
            .to_string();
        let list = e
            .split("expected one of ")
            .nth(1)
            .unwrap_or_else(|| panic!("{e}"));
        let list = list.split(" at line").next().unwrap();
        list.split(", ")
            .map(|f| f.trim_matches('`').to_owned())
            .collect()
    }

    fn fields() -> Fields {
        Fields::from([("00".to_owned(), Field::Value("01".into()))])
    }

    #[test]
    fn the_schema_lists_exactly_the_fields_of_the_rust_types() {
        let file = expected_fields::<RawFile>("zzz: 1\n");
        assert_eq!(file, props(""));
        let case = expected_fields::<RawFile>("profile: emvco\narea: a\ncases:\n  - zzz: 1\n");
        assert_eq!(case, props("case"));

        let now = Some(crate::Clock::from_millis(0));
        let all = vec!["EMV.63.PRESENT".to_owned()];
        assert_eq!(
            keys(&WValidateInput {
                payload: Some("x".into()),
                payload_hex: Some("00".into()),
                now,
                role: Some(crate::rules::Role::Generator),
                emv_version: Some(crate::rules::EmvVersion::V1_0),
            }),
            props("validateInput")
        );
        assert_eq!(
            keys(&WValidateExpect {
                result: Outcome::Reject,
                rules: all.clone(),
                warnings: all.clone(),
                info: all.clone(),
            }),
            props("validateExpect")
        );
        assert_eq!(
            keys(&WPayloadInput {
                payload: "x".into()
            }),
            props("payloadInput")
        );
        assert_eq!(
            keys(&WParseExpect {
                fields: fields(),
                payer: Some(Box::default()),
            }),
            props("parseExpect")
        );
        let data = MerchantData {
            kind: Kind::Dynamic,
            account: Account::Primitive {
                tag: 2,
                value: "x".into(),
            },
            merchant: Merchant {
                name: "n".into(),
                city: "c".into(),
                category_code: Some("5999".into()),
                country: Some("US".into()),
                postal_code: Some("1".into()),
                alternate_language: Some(AlternateLanguage {
                    language: "JA".into(),
                    name: "n".into(),
                    city: Some("c".into()),
                }),
            },
            transaction: Transaction {
                currency: Some("840".into()),
                amount: Some("1".into()),
                tip: Some(Tip::Prompt),
                created_at_ms: Some("1".into()),
                expires_at_ms: Some("2".into()),
            },
            additional: Additional {
                bill_number: Some("x".into()),
                mobile_number: Some("x".into()),
                store_label: Some("x".into()),
                loyalty_number: Some("x".into()),
                reference_label: Some("x".into()),
                customer_label: Some("x".into()),
                terminal_label: Some("x".into()),
                purpose: Some("x".into()),
                consumer_data_request: Some("x".into()),
            },
        };
        assert_eq!(
            keys(&WGenerateInput {
                data: data.clone(),
                now
            }),
            props("generateInput")
        );
        assert_eq!(keys(&data), props("merchantData"));
        assert_eq!(keys(&data.merchant), props("merchant"));
        assert_eq!(
            keys(&data.merchant.alternate_language),
            props("alternateLanguage")
        );
        assert_eq!(keys(&data.transaction), props("transaction"));
        assert_eq!(keys(&data.additional), props("additional"));
        for (_, schema) in national_accounts() {
            let account = Account::scheme(
                schema.scheme,
                &schema
                    .fields
                    .iter()
                    .map(|f| (f.name, "x"))
                    .collect::<Vec<_>>(),
            );
            let def = account_def(schema.scheme);
            assert_eq!(keys(&account), props(&def), "{def}");
        }
        for (account, def) in [
            (
                Account::Template {
                    tag: 26,
                    guid: "g".into(),
                    fields: [("01".to_owned(), "x".to_owned())].into(),
                },
                "accountTemplate",
            ),
            (
                Account::Primitive {
                    tag: 2,
                    value: "x".into(),
                },
                "accountPrimitive",
            ),
        ] {
            assert_eq!(keys(&account), props(def), "{def}");
        }
        for (tip, def) in [
            (Tip::Prompt, "tipPrompt"),
            (Tip::Fixed { value: "1".into() }, "tipFixed"),
            (Tip::Percentage { value: "1".into() }, "tipPercentage"),
        ] {
            assert_eq!(keys(&tip), props(def), "{def}");
        }
        assert_eq!(
            keys(&WGenerateExpect {
                payload: Some("x".into()),
                must_validate: true,
                fields: fields(),
                refuse: all.clone(),
                checks: all.clone(),
                warnings: all.clone(),
            }),
            props("generateExpect")
        );
        assert_eq!(
            keys(&WRenderExpect {
                checks: all.clone(),
                eci_utf8: Some(true),
                min_ec_level: Some(EcLevel::M),
            }),
            props("renderExpect")
        );
        assert_eq!(
            keys(&WScanInput {
                image: Some("images/a.png".into()),
                sequence: Some(vec!["images/a.png".into()]),
            }),
            props("scanInput")
        );
        assert_eq!(
            keys(&WScanExpect {
                payload: Some("x".into()),
                rules: all,
                rung: Some("blur-2".into()),
                required: Some(true),
            }),
            props("scanExpect")
        );
    }

    #[test]
    fn the_schema_is_valid_draft_2020_12_and_names_every_profile() {
        let s = schema();
        assert!(jsonschema::validator_for(&s).is_ok());
        let profiles = s["properties"]["profile"]["enum"].as_array().unwrap();
        assert_eq!(profiles.len(), Profile::ALL.len());
    }
}
