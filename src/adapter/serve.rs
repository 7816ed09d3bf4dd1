//! Serving an [`Implementation`] over the protocol, the implementation side of the transports:
//! JSON lines on a pair of streams (stdin/stdout) or HTTP. `qrcert reference --stdio | --http`
//! use these, and the transport tests run them end to end.
//!
//! Requests are untrusted: a line or body that cannot be read is answered with `ok: false`,
//! code `bad_request`, and serving goes on; a panic in the implementation is answered with code
//! `internal`. Nothing a client sends makes the server panic or stop.

use std::io;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufWriter};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::adapter::library::{Implementation, dispatch, panic_message};
use crate::adapter::lines::{Line, LineReader};
use crate::adapter::protocol::{ImplError, OpKind, ReplyEnvelope, Request};

/// The largest request accepted (a scan request carries a PNG; QR images are far smaller).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// Requests being worked on at once by one server; more wait, which pushes back on the client.
const MAX_IN_FLIGHT: usize = 64;

/// The code answered when the implementation panics.
pub const INTERNAL: &str = "internal";

/// Runs one request on the blocking pool, turning a panic into an `internal` refusal.
async fn answer(imp: Arc<dyn Implementation>, request: Request) -> ReplyEnvelope {
    let id = request.id;
    let result = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(AssertUnwindSafe(|| dispatch(imp.as_ref(), &request.op)))
            .unwrap_or_else(|payload| {
                Err(ImplError::new(
                    INTERNAL,
                    format!(
                        "the implementation panicked: {}",
                        panic_message(payload.as_ref())
                    ),
                ))
            })
    })
    .await
    .unwrap_or_else(|e| {
        Err(ImplError::new(
            INTERNAL,
            format!("the call did not finish: {e}"),
        ))
    });
    ReplyEnvelope {
        id: Some(id),
        result,
    }
}

/// Serves JSON lines: reads requests from `reader` until it ends, writes one reply line per
/// request to `writer`. Requests run concurrently and are answered as they finish (clients
/// match replies by id). Returns once every request read has been answered, or when writing
/// fails (the client is gone).
pub async fn serve_stdio<R, W>(imp: Arc<dyn Implementation>, reader: R, writer: W) -> io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let (replies, mut outbox) = mpsc::channel::<Vec<u8>>(1024);
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let read = async move {
        let mut lines = LineReader::new(reader, MAX_REQUEST_BYTES);
        while let Some((n, line)) = lines.next_line().await? {
            let bytes = match line {
                Line::Oversized => {
                    let refusal = ImplError::bad_request(format!(
                        "request line {n} is longer than {MAX_REQUEST_BYTES} bytes"
                    ));
                    send(&replies, None, Err(refusal)).await;
                    continue;
                }
                Line::Text(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => continue,
                Line::Text(bytes) => bytes,
            };
            let request = match Request::from_json(&bytes) {
                Ok(request) => request,
                Err((id, why)) => {
                    let refusal = ImplError::bad_request(format!("request line {n}: {why}"));
                    send(&replies, id, Err(refusal)).await;
                    continue;
                }
            };
            // The semaphore lives as long as this function and is never closed.
            let Ok(permit) = Arc::clone(&in_flight).acquire_owned().await else {
                break;
            };
            let imp = Arc::clone(&imp);
            let replies = replies.clone();
            tokio::spawn(async move {
                let envelope = answer(imp, request).await;
                let mut line = envelope.to_json();
                line.push(b'\n');
                // A closed outbox means the writer failed; the error is reported from there.
                let _ = replies.send(line).await;
                drop(permit);
            });
        }
        Ok::<(), io::Error>(())
    };
    let write = async move {
        let mut out = BufWriter::with_capacity(64 * 1024, writer);
        while let Some(line) = outbox.recv().await {
            out.write_all(&line).await?;
            while let Ok(more) = outbox.try_recv() {
                out.write_all(&more).await?;
            }
            out.flush().await?;
        }
        out.flush().await?;
        Ok::<(), io::Error>(())
    };
    let (read_result, write_result) = futures::join!(read, write);
    write_result.and(read_result)
}

async fn send(
    replies: &mpsc::Sender<Vec<u8>>,
    id: Option<u64>,
    result: Result<crate::adapter::Reply, ImplError>,
) {
    let mut line = ReplyEnvelope { id, result }.to_json();
    line.push(b'\n');
    let _ = replies.send(line).await;
}

/// A running HTTP server; stops when [`HttpServer::shutdown`] is called or it is dropped.
pub struct HttpServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl HttpServer {
    /// The address actually bound (useful after binding port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL for the HTTP transport.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes the requests in progress, and returns the server's result.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task
                .await
                .unwrap_or_else(|e| Err(io::Error::other(format!("the server task failed: {e}")))),
            None => Ok(()),
        }
    }

    /// Waits until the server stops (it runs until shut down, so: forever, for a command).
    pub async fn wait(mut self) -> io::Result<()> {
        match self.task.take() {
            Some(task) => task
                .await
                .unwrap_or_else(|e| Err(io::Error::other(format!("the server task failed: {e}")))),
            None => Ok(()),
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Serves `POST /{op}` on `addr` (port 0 picks a free port; see [`HttpServer::addr`]).
///
/// Every protocol reply, `ok: false` included, has status 200. A body that is not a request
/// gets 400, an unknown op 404, both with a `bad_request` reply body.
pub async fn serve_http(imp: Arc<dyn Implementation>, addr: SocketAddr) -> io::Result<HttpServer> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let app = Router::new()
        .route("/{op}", post(handle))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(imp);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
    });
    Ok(HttpServer {
        addr,
        stop: Some(stop),
        task: Some(task),
    })
}

async fn handle(
    State(imp): State<Arc<dyn Implementation>>,
    Path(op): Path<String>,
    body: Bytes,
) -> Response {
    let parsed: Result<Value, _> = serde_json::from_slice(&body);
    let id = parsed
        .as_ref()
        .ok()
        .and_then(|v| v.get("id"))
        .and_then(Value::as_u64);
    let refuse = |status: StatusCode, message: String| {
        json_response(
            status,
            ReplyEnvelope {
                id,
                result: Err(ImplError::bad_request(message)),
            },
        )
    };
    let kind: OpKind = match op.parse() {
        Ok(kind) => kind,
        Err(e) => return refuse(StatusCode::NOT_FOUND, e.to_string()),
    };
    let mut object = match parsed {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "the body must be a JSON object".into(),
            );
        }
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {e}"),
            );
        }
    };
    match object.get("op") {
        None => {
            object.insert("op".into(), Value::String(kind.as_str().into()));
        }
        Some(Value::String(named)) if named == kind.as_str() => {}
        Some(other) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("the body's op {other} does not match the path /{kind}"),
            );
        }
    }
    let request: Request = match serde_json::from_value(Value::Object(object)) {
        Ok(request) => request,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.to_string()),
    };
    json_response(StatusCode::OK, answer(imp, request).await)
}

fn json_response(status: StatusCode, envelope: ReplyEnvelope) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        envelope.to_json(),
    )
        .into_response()
}
