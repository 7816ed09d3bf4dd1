//! The protocol documents against the code: real requests and real replies of a served
//! implementation must fit docs/adapter-protocol.schema.json, and docs/adapter-openapi.yaml
//! must describe every op with references into that schema.

mod adapter_support;

use std::path::PathBuf;
use std::sync::Arc;

use adapter_support::{TestImpl, requests_of_every_kind};
use qrcert::adapter::protocol::{ImplError, OpKind, ReplyEnvelope};
use qrcert::adapter::serve::serve_http;
use serde_json::{Value, json};

fn doc(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name)
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(doc("adapter-protocol.schema.json")).unwrap())
        .unwrap()
}

/// A validator for one definition of the protocol schema.
fn validator(def: &str) -> jsonschema::Validator {
    let mut root = schema();
    assert!(root["$defs"].get(def).is_some(), "no $defs/{def}");
    root.as_object_mut().unwrap().remove("anyOf");
    root["$ref"] = json!(format!("#/$defs/{def}"));
    jsonschema::validator_for(&root).unwrap()
}

fn assert_fits(def: &str, instance: &Value) {
    let v = validator(def);
    let errors: Vec<String> = v.iter_errors(instance).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "{instance} does not fit {def}: {errors:?}"
    );
}

fn title(op: OpKind) -> String {
    let s = op.as_str();
    format!("{}{}", s[..1].to_uppercase(), &s[1..])
}

#[test]
fn the_schema_is_valid_json_schema() {
    assert!(jsonschema::meta::is_valid(&schema()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_requests_and_replies_fit_the_schema() {
    let server = serve_http(Arc::new(TestImpl), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let whole = jsonschema::validator_for(&schema()).unwrap();
    let mut refusals = 0;
    for request in requests_of_every_kind() {
        let op = request.op.kind();
        let wire: Value = serde_json::from_slice(&request.to_json()).unwrap();
        assert_fits(&format!("{}Request", title(op)), &wire);
        assert_fits("Request", &wire);
        assert!(whole.is_valid(&wire));

        let reply: Value = client
            .post(format!("{}/{op}", server.base_url()))
            .body(request.to_json())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_fits(&format!("{}Result", title(op)), &reply);
        assert_fits("Reply", &reply);
        if reply["ok"] == false {
            refusals += 1;
            assert_fits("ErrorReply", &reply);
        } else {
            assert_fits(&format!("{}Reply", title(op)), &reply);
        }
    }
    assert_eq!(refusals, 2);

    // A refusal to an unreadable request (id null) fits too.
    let refusal: Value = serde_json::from_slice(
        &ReplyEnvelope {
            id: None,
            result: Err(ImplError::bad_request("not JSON")),
        }
        .to_json(),
    )
    .unwrap();
    assert_fits("ErrorReply", &refusal);
    server.shutdown().await.unwrap();
}

#[test]
fn the_schema_rejects_what_the_decoder_rejects() {
    let bad = [
        ("ValidateResult", json!({"id": 1, "ok": true, "errors": []})),
        (
            "ValidateResult",
            json!({"id": -1, "ok": true, "valid": true}),
        ),
        ("ValidateResult", json!({"id": 1, "ok": false})),
        (
            "ParseResult",
            json!({"id": 1, "ok": true, "fields": {"00": 1}}),
        ),
        (
            "DescribeResult",
            json!({"id": 1, "ok": true, "name": "x", "version": "1",
                                  "capabilities": ["fly"], "profiles": []}),
        ),
        (
            "RenderResult",
            json!({"id": 1, "ok": true, "png": "not base64!"}),
        ),
        (
            "ValidateRequest",
            json!({"id": 1, "op": "validate", "payload": "x", "profile": "auto"}),
        ),
        (
            "ValidateRequest",
            json!({"id": 1, "op": "validate", "payload": "x", "profile": "emvco",
                                   "now": "yesterday"}),
        ),
        // A wallet is one scheme's app, never the overlay.
        (
            "ValidateRequest",
            json!({"id": 1, "op": "validate", "payload": "x", "profile": "interop",
                                   "wallet": "interop"}),
        ),
        (
            "ParseResult",
            json!({"id": 1, "ok": true, "fields": {}, "payer": {"amount": 1000,
                                   "amount_entered_by_payer": false}}),
        ),
        (
            "ParseResult",
            json!({"id": 1, "ok": true, "fields": {},
                                   "payer": {"amount_entered_by_payer": false,
                                             "currency": {"numeric": "116", "minor_units": "0"}}}),
        ),
    ];
    for (def, instance) in bad {
        assert!(
            !validator(def).is_valid(&instance),
            "{def} accepted {instance}"
        );
    }
}

#[test]
fn the_openapi_file_covers_every_op_with_schema_references() {
    let text = std::fs::read_to_string(doc("adapter-openapi.yaml")).unwrap();
    let api: Value = serde_saphyr::from_str(&text).unwrap();
    assert!(api["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = api["paths"].as_object().unwrap();
    assert_eq!(paths.len(), OpKind::ALL.len());
    for op in OpKind::ALL {
        let post = &paths[&format!("/{op}")]["post"];
        assert_eq!(
            post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            format!("adapter-protocol.schema.json#/$defs/{}Request", title(op)),
            "{op}"
        );
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            format!("adapter-protocol.schema.json#/$defs/{}Result", title(op)),
            "{op}"
        );
    }
    // Every reference resolves: into the schema's $defs, or inside this file.
    let schema = schema();
    let mut refs = Vec::new();
    collect_refs(&api, &mut refs);
    assert!(refs.len() >= 2 * OpKind::ALL.len());
    for r in refs {
        if let Some(def) = r.strip_prefix("adapter-protocol.schema.json#/$defs/") {
            assert!(schema["$defs"].get(def).is_some(), "dangling {r}");
        } else if let Some(pointer) = r.strip_prefix('#') {
            assert!(api.pointer(pointer).is_some(), "dangling {r}");
        } else {
            panic!("unexpected reference {r}");
        }
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.push(v.as_str().unwrap().to_owned());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}
