//! The session's HTTP side: the page (`GET /`) and the JSON API behind it (docs/session-api.md,
//! docs/session-openapi.yaml). Every body is bounded; every error is a JSON `{"error"}` with a
//! 4xx status; the answer key is never served.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::observation::{MAX_OBSERVATION_BYTES, Observation};
use super::photo::{self, MAX_PHOTO_BYTES};
use super::store::Tester;
use super::{Session, grade};

const PAGE: &str = include_str!("page.html");
const CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({"error": message.into()}))).into_response()
}

fn ok(v: Value) -> Response {
    (StatusCode::OK, axum::Json(v)).into_response()
}

/// The API and the page as a router.
pub fn router(session: Arc<Session>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/session", get(status))
        .route(
            "/api/start",
            post(start).layer(DefaultBodyLimit::max(MAX_OBSERVATION_BYTES)),
        )
        .route("/api/cases", get(cases))
        .route("/api/cases/{id}", get(case))
        .route("/api/cases/{id}/image", get(image))
        .route(
            "/api/cases/{id}/observation",
            post(observe)
                .get(observation)
                .layer(DefaultBodyLimit::max(MAX_OBSERVATION_BYTES)),
        )
        .route(
            "/api/cases/{id}/photo",
            post(upload).layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES)),
        )
        .route("/api/finish", post(finish))
        .layer(DefaultBodyLimit::max(MAX_OBSERVATION_BYTES))
        .with_state(session)
}

/// Binds `addr` and serves until the future resolves; returns the bound address first through
/// `bound`.
pub async fn bind(addr: SocketAddr) -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// Serves the session on a bound listener until `stop` resolves.
pub async fn serve(
    listener: TcpListener,
    session: Arc<Session>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, router(session))
        .with_graceful_shutdown(stop)
        .await
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        PAGE,
    )
        .into_response()
}

fn index(s: &Session, id: &str) -> Option<usize> {
    s.deck.cards.iter().position(|c| c.id == id)
}

fn not_found(id: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!("no card {id:?} in this session"),
    )
}

fn status_json(s: &Session) -> Value {
    let store = s.store();
    let observed = store
        .observations
        .keys()
        .filter(|k| s.deck.card(k).is_some())
        .count();
    json!({
        "profile": s.deck.profile,
        "role": s.deck.role,
        "tags": s.deck.tags,
        "clock": s.deck.clock,
        "tester": store.header.tester,
        "total": s.deck.cards.len(),
        "observed": observed,
    })
}

async fn status(State(s): State<Arc<Session>>) -> Response {
    ok(status_json(&s))
}

async fn start(State(s): State<Arc<Session>>, body: Bytes) -> Response {
    let tester: Tester = match serde_json::from_slice(&body) {
        Ok(t) => t,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("not a tester record: {e}")),
    };
    if let Err(e) = tester.check() {
        return error(StatusCode::BAD_REQUEST, e);
    }
    {
        let mut store = s.store();
        if let Some(old) = &store.header.tester
            && *old != tester
            && !store.observations.is_empty()
        {
            return error(
                StatusCode::CONFLICT,
                format!(
                    "this session's observations were made by {}; start a new session (another --out) for another tester, device or app",
                    grade::tester_line(old)
                ),
            );
        }
        if let Err(e) = store.set_tester(tester) {
            return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        }
    }
    ok(status_json(&s))
}

fn case_json(s: &Session, i: usize) -> Value {
    let card = &s.deck.cards[i];
    json!({
        "id": card.id,
        "image": format!("/api/cases/{}/image", card.id),
        "observed": s.store().observations.contains_key(&card.id),
    })
}

async fn cases(State(s): State<Arc<Session>>) -> Response {
    ok(Value::Array(
        (0..s.deck.cards.len()).map(|i| case_json(&s, i)).collect(),
    ))
}

async fn case(State(s): State<Arc<Session>>, Path(id): Path<String>) -> Response {
    let Some(i) = index(&s, &id) else {
        return not_found(&id);
    };
    let mut v = case_json(&s, i);
    v["position"] = json!(i + 1);
    v["total"] = json!(s.deck.cards.len());
    v["code"] = json!(s.carried[i]);
    v["observation"] = json!(s.store().observations.get(&id));
    v["photo"] = json!(s.store().photos.get(&id));
    ok(v)
}

async fn image(State(s): State<Arc<Session>>, Path(id): Path<String>) -> Response {
    match index(&s, &id) {
        Some(i) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            s.images[i].clone(),
        )
            .into_response(),
        None => not_found(&id),
    }
}

async fn observation(State(s): State<Arc<Session>>, Path(id): Path<String>) -> Response {
    if index(&s, &id).is_none() {
        return not_found(&id);
    }
    match s.store().observations.get(&id) {
        Some(o) => ok(json!(o)),
        None => error(
            StatusCode::NOT_FOUND,
            format!("nothing recorded for {id} yet"),
        ),
    }
}

async fn observe(State(s): State<Arc<Session>>, Path(id): Path<String>, body: Bytes) -> Response {
    if index(&s, &id).is_none() {
        return not_found(&id);
    }
    let o: Observation = match serde_json::from_slice(&body) {
        Ok(o) => o,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("not an observation: {e}")),
    };
    if let Err(e) = o.check() {
        return error(StatusCode::BAD_REQUEST, e.to_string());
    }
    {
        let mut store = s.store();
        if store.header.tester.is_none() {
            return error(
                StatusCode::CONFLICT,
                "start the session first (POST /api/start with tester, device, app, app_version)",
            );
        }
        if let Err(e) = store.observe(&id, o) {
            return error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        }
    }
    let mut v = status_json(&s);
    v["id"] = json!(id);
    v["recorded"] = json!(true);
    ok(v)
}

async fn upload(State(s): State<Arc<Session>>, Path(id): Path<String>, body: Bytes) -> Response {
    if index(&s, &id).is_none() {
        return not_found(&id);
    }
    let p = match photo::check(&body) {
        Ok(p) => p,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let mut store = s.store();
    if store.header.tester.is_none() {
        return error(StatusCode::CONFLICT, "start the session first");
    }
    match store.add_photo(&id, p.ext, &body) {
        Ok(rel) => ok(json!({"id": id, "photo": rel, "width": p.width, "height": p.height})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

async fn finish(State(s): State<Arc<Session>>) -> Response {
    let s2 = s.clone();
    let done = tokio::task::spawn_blocking(move || s2.finish()).await;
    match done {
        Ok(Ok((report, written))) => {
            let failed: Vec<&str> = report
                .cases
                .iter()
                .filter(|c| c.grade.blocks())
                .map(|c| c.id.as_str())
                .collect();
            ok(json!({
                "verdict": report.verdict,
                "verdict_reason": report.verdict_reason,
                "grades": report.summary.grades,
                "failed": failed,
                "reports": {
                    "json": written.json,
                    "junit": written.junit,
                    "html": written.html,
                    "markdown": written.markdown,
                    "signature": written.signature,
                },
            }))
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
