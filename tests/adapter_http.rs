//! The HTTP transport against real servers on loopback: qrcert's own `serve_http`, and small
//! misbehaving axum servers for each fault.

mod adapter_support;

use std::time::{Duration, Instant};

use adapter_support::{TestImpl, validate};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use qrcert::adapter::Secret;
use qrcert::adapter::http::{HttpAdapter, HttpOptions};
use qrcert::adapter::protocol::{Op, Reply, Request, ValidateReply};
use qrcert::adapter::serve::serve_http;
use qrcert::adapter::{Adapter, CallError, Fault};
use serde_json::{Value, json};

/// Serves `router` on a free loopback port; returns the base URL.
async fn spawn(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn adapter(base: &str, timeout_ms: u64) -> HttpAdapter {
    let mut opts = HttpOptions::new(base).unwrap();
    opts.request_timeout = Duration::from_millis(timeout_ms);
    HttpAdapter::new(opts).unwrap()
}

fn fault(reply: Result<Reply, CallError>) -> Fault {
    match reply {
        Err(CallError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

/// The id of a request body, for servers that answer it.
fn id_of(body: &Bytes) -> u64 {
    serde_json::from_slice::<Value>(body).unwrap()["id"]
        .as_u64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_http_answers_through_the_http_transport() {
    let server = serve_http(
        std::sync::Arc::new(TestImpl),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let mut opts = HttpOptions::new(&format!("{}/", server.base_url())).unwrap();
    opts.concurrency = 8;
    let adapter = std::sync::Arc::new(HttpAdapter::new(opts).unwrap());
    assert_eq!(adapter.transport(), "http");
    assert_eq!(adapter.describe().await.unwrap().name, "test-impl");
    let calls = (0..200u64).map(|i| {
        let adapter = std::sync::Arc::clone(&adapter);
        tokio::spawn(async move {
            let payload = if i % 2 == 0 { "000201" } else { "x" };
            (i, adapter.call(validate(i + 1, payload)).await)
        })
    });
    for call in futures::future::join_all(calls).await {
        let (i, reply) = call.unwrap();
        match reply {
            Ok(Reply::Validate(ValidateReply { valid, .. })) => assert_eq!(valid, i % 2 == 0),
            other => panic!("{other:?}"),
        }
    }
    match adapter
        .call(Request::new(
            1,
            Op::Generate {
                profile: qrcert::Profile::Emvco,
                input: json!({}),
            },
        ))
        .await
    {
        Err(CallError::Refused(e)) => assert_eq!(e.code, "E_INPUT"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    server.shutdown().await.unwrap();
    // Gone: refused on a new connection, or an I/O fault on a pooled one the server closed.
    assert!(matches!(
        fault(adapter.call(validate(1, "000201")).await),
        Fault::ConnectionRefused { .. } | Fault::Io { .. }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_headers_are_sent() {
    let router = Router::new().route(
        "/{op}",
        post(|headers: HeaderMap, body: Bytes| async move {
            let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
            if auth != Some("Bearer s3cret") {
                return (StatusCode::UNAUTHORIZED, "missing token".to_owned());
            }
            let id = id_of(&body);
            (
                StatusCode::OK,
                json!({"id": id, "ok": true, "valid": true}).to_string(),
            )
        }),
    );
    let base = spawn(router).await;
    assert_eq!(
        fault(adapter(&base, 2000).call(validate(1, "000201")).await),
        Fault::Http {
            status: 401,
            body: "missing token".into()
        }
    );
    let mut opts = HttpOptions::new(&base).unwrap();
    opts.add_header("Authorization", Secret::new("Bearer s3cret"))
        .unwrap();
    let authed = HttpAdapter::new(opts).unwrap();
    assert!(matches!(
        authed.call(validate(2, "000201")).await,
        Ok(Reply::Validate(ValidateReply { valid: true, .. }))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_carry_status_and_body() {
    let router = Router::new().route(
        "/{op}",
        post(|| async { (StatusCode::SERVICE_UNAVAILABLE, "overloaded, try later") }),
    );
    let base = spawn(router).await;
    let f = fault(adapter(&base, 2000).call(validate(1, "000201")).await);
    assert_eq!(
        f,
        Fault::Http {
            status: 503,
            body: "overloaded, try later".into()
        }
    );
    assert_eq!(
        f.to_string(),
        "the server answered HTTP 503: \"overloaded, try later\""
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_is_connection_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let started = Instant::now();
    match fault(
        adapter(&format!("http://{addr}"), 2000)
            .call(validate(1, "000201"))
            .await,
    ) {
        Fault::ConnectionRefused { url, detail } => {
            assert_eq!(url, format!("http://{addr}/validate"));
            assert!(detail.to_lowercase().contains("refused"), "{detail}");
        }
        other => panic!("expected connection refused, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_server_times_out_and_the_next_request_goes_through() {
    let router = Router::new().route(
        "/{op}",
        post(|body: Bytes| async move {
            let request: Value = serde_json::from_slice(&body).unwrap();
            if request["payload"] == "slow" {
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            json!({"id": request["id"], "ok": true, "valid": true}).to_string()
        }),
    );
    let base = spawn(router).await;
    let adapter = adapter(&base, 300);
    let started = Instant::now();
    assert_eq!(
        fault(adapter.call(validate(1, "slow")).await),
        Fault::Timeout {
            after: Duration::from_millis(300)
        }
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(adapter.call(validate(2, "000201")).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbled_and_misaddressed_bodies_are_faults() {
    let router = Router::new().route(
        "/{op}",
        post(|body: Bytes| async move {
            let request: Value = serde_json::from_slice(&body).unwrap();
            let id = request["id"].as_u64().unwrap();
            match request["payload"].as_str() {
                Some("garbage") => "<html>Internal error</html>".to_owned(),
                Some("wrong") => json!({"id": id + 1, "ok": true, "valid": true}).to_string(),
                Some("noerror") => json!({"id": id, "ok": false}).to_string(),
                _ => json!({"id": id, "ok": true, "valid": false}).to_string(),
            }
        }),
    );
    let base = spawn(router).await;
    let adapter = adapter(&base, 2000);
    match fault(adapter.call(validate(1, "garbage")).await) {
        Fault::NotJson { snippet, line, .. } => {
            assert_eq!(snippet, "<html>Internal error</html>");
            assert_eq!(line, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        fault(adapter.call(validate(7, "wrong")).await),
        Fault::WrongId {
            expected: 7,
            got: "8".into()
        }
    );
    assert_eq!(
        fault(adapter.call(validate(8, "noerror")).await),
        Fault::MissingField { field: "error" }
    );
    assert!(adapter.call(validate(9, "fine")).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_cut_off_while_streaming() {
    let router = Router::new().route(
        "/{op}",
        post(|body: Bytes| async move {
            let request: Value = serde_json::from_slice(&body).unwrap();
            if request["payload"] == "declared" {
                // A body whose Content-Length alone is over the limit.
                return Body::from(vec![b' '; 2 * 1024 * 1024]);
            }
            // 64 MiB without a Content-Length, in 1 MiB chunks.
            let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; 1 << 20])));
            Body::from_stream(futures::stream::iter(chunks))
        }),
    );
    let base = spawn(router).await;
    let mut opts = HttpOptions::new(&base).unwrap();
    opts.max_reply_bytes = 1024 * 1024;
    let adapter = HttpAdapter::new(opts).unwrap();
    for (id, payload) in [(1, "streamed"), (2, "declared")] {
        assert_eq!(
            fault(adapter.call(validate(id, payload)).await),
            Fault::Oversized { limit: 1024 * 1024 },
            "{payload}"
        );
    }
}
