//! The serving side with hostile clients: bad lines and bodies get `bad_request` replies, a
//! panicking implementation gets `internal`, and serving goes on.

mod adapter_support;

use std::sync::Arc;

use adapter_support::TestImpl;
use qrcert::Profile;
use qrcert::adapter::library::Implementation;
use qrcert::adapter::protocol::{Description, ImplError, Timestamp, ValidateReply};
use qrcert::adapter::serve::{MAX_REQUEST_BYTES, serve_http, serve_stdio};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Panics on payload "panic", otherwise delegates to the test implementation.
struct Fragile;

impl Implementation for Fragile {
    fn describe(&self) -> Description {
        TestImpl.describe()
    }

    fn validate(
        &self,
        payload: &str,
        profile: Profile,
        now: Option<Timestamp>,
    ) -> Result<ValidateReply, ImplError> {
        if payload == "panic" {
            panic!("index out of bounds in the vendor SDK");
        }
        TestImpl.validate(payload, profile, now)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_stdio_answers_every_line_even_bad_ones() {
    let (mut client_out, server_in) = tokio::io::duplex(1 << 20);
    let (server_out, client_in) = tokio::io::duplex(1 << 20);
    let server = tokio::spawn(serve_stdio(Arc::new(Fragile), server_in, server_out));
    let writer = tokio::spawn(async move {
        let mut input = Vec::new();
        input.extend_from_slice(b"not json\n");
        input.extend_from_slice(b"\n   \n");
        input.extend_from_slice(br#"{"id": 5, "op": "fly"}"#);
        input.extend_from_slice(b"\n");
        input.extend_from_slice(
            br#"{"id": 6, "op": "validate", "payload": "000201", "profile": "emvco"}"#,
        );
        input.extend_from_slice(b"\r\n");
        input.extend_from_slice(br#"{"id": 7, "op": "scan", "png": "@@@"}"#);
        input.extend_from_slice(b"\n");
        input.extend_from_slice(
            br#"{"id": 8, "op": "validate", "payload": "panic", "profile": "emvco"}"#,
        );
        input.extend_from_slice(b"\n");
        input.extend(std::iter::repeat_n(b'x', MAX_REQUEST_BYTES + 10));
        input.extend_from_slice(b"\n");
        input.extend_from_slice(br#"{"id": 9, "op": "parse", "payload": "000201"}"#);
        client_out.write_all(&input).await.unwrap();
        client_out.shutdown().await.unwrap();
    });
    let mut lines = BufReader::new(client_in).lines();
    let mut replies = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        replies.push(serde_json::from_str::<Value>(&line).unwrap());
    }
    writer.await.unwrap();
    server.await.unwrap().unwrap();
    assert_eq!(replies.len(), 7, "{replies:#?}");
    let by_id = |id: Value| -> Vec<&Value> { replies.iter().filter(|r| r["id"] == id).collect() };

    let unreadable = by_id(Value::Null);
    assert_eq!(unreadable.len(), 2);
    for r in &unreadable {
        assert_eq!(r["ok"], false);
        assert_eq!(r["error"]["code"], "bad_request");
    }
    assert!(unreadable.iter().any(|r| {
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("longer than")
    }));
    assert_eq!(by_id(json!(5))[0]["error"]["code"], "bad_request");
    assert_eq!(
        *by_id(json!(6))[0],
        json!({"id": 6, "ok": true, "valid": true, "errors": []})
    );
    let bad_png = by_id(json!(7))[0];
    assert_eq!(bad_png["error"]["code"], "bad_request");
    assert!(
        bad_png["error"]["message"]
            .as_str()
            .unwrap()
            .contains("base64")
    );
    let panicked = by_id(json!(8))[0];
    assert_eq!(panicked["error"]["code"], "internal");
    assert!(
        panicked["error"]["message"]
            .as_str()
            .unwrap()
            .contains("index out of bounds in the vendor SDK")
    );
    assert_eq!(by_id(json!(9))[0]["error"]["code"], "unsupported");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_http_refuses_bad_requests_with_a_reply_body() {
    let server = serve_http(Arc::new(Fragile), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let post = |path: &str, body: &str| {
        client
            .post(format!("{}{path}", server.base_url()))
            .body(body.to_owned())
            .send()
    };

    let r = post("/fly", r#"{"id": 1}"#).await.unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["id"], 1);
    assert_eq!(body["error"]["code"], "bad_request");

    let r = post("/validate", "nope").await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["id"], Value::Null);
    assert_eq!(body["error"]["code"], "bad_request");

    let r = post("/validate", r#"{"id": 2, "op": "parse", "payload": "x"}"#)
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("does not match the path /validate")
    );

    // The op may be left out of the body: the path names it.
    let r = post(
        "/validate",
        r#"{"id": 3, "payload": "000201", "profile": "emvco"}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body,
        json!({"id": 3, "ok": true, "valid": true, "errors": []})
    );

    let r = post(
        "/validate",
        r#"{"id": 4, "payload": "panic", "profile": "emvco"}"#,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "internal");

    // Still serving after all that.
    let r = post("/describe", r#"{"id": 5}"#).await.unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["name"], "test-impl");
    server.shutdown().await.unwrap();
}
