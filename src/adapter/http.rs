//! The HTTP transport: `POST {base}/{op}` with the protocol's JSON bodies (id included), one
//! reply body per request. Status 200 carries every protocol reply, `ok: false` included; any
//! other status is a fault of the server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Client, Url};
use tokio::sync::Semaphore;

use crate::adapter::library::panic_message;
use crate::adapter::protocol::{OpKind, decode_reply, snippet_of};
use crate::adapter::{Adapter, CallError, Fault, HarnessError, Reply, Request, settle};
use crate::adapter::{DEFAULT_MAX_REPLY_BYTES, Secret};

/// How much of an error response's body is kept for the fault message.
const ERROR_BODY_BYTES: usize = 4096;

/// Where and how to reach the server. `Debug` hides the URL's password and header values.
#[derive(Clone)]
pub struct HttpOptions {
    base: Url,
    /// Headers sent with every request (e.g. `Authorization`); values are secret.
    pub headers: Vec<(String, Secret)>,
    /// Time allowed for one request, connection and body included.
    pub request_timeout: Duration,
    /// Requests in flight at once (and idle connections kept).
    pub concurrency: usize,
    /// Largest reply body accepted, in bytes.
    pub max_reply_bytes: usize,
}

/// A base URL or header that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpConfigError {
    /// Not a URL at all.
    #[error("{0:?} is not a URL (expected e.g. http://127.0.0.1:8080/qr)")]
    NotUrl(String),
    /// A scheme other than plain http.
    #[error("scheme {0:?} is not supported: qrcert speaks plain http to test endpoints")]
    Scheme(String),
    /// Query strings or fragments have no place in a base URL.
    #[error("the base URL must not have a query or fragment (put tokens in `headers`)")]
    QueryOrFragment,
    /// A header name HTTP does not allow.
    #[error("{0:?} is not a valid header name")]
    HeaderName(String),
    /// A header value HTTP does not allow (the value itself is not shown: it may be secret).
    #[error("the value of header {0:?} is not valid in HTTP")]
    HeaderValue(String),
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

impl std::fmt::Debug for HttpOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpOptions")
            .field("base", &self.display_url())
            .field("headers", &self.headers)
            .field("request_timeout", &self.request_timeout)
            .field("concurrency", &self.concurrency)
            .field("max_reply_bytes", &self.max_reply_bytes)
            .finish()
    }
}

impl HttpOptions {
    /// Options for a base URL with the defaults: 10 s per request, 4 connections, 16 MiB replies.
    pub fn new(base: &str) -> Result<HttpOptions, HttpConfigError> {
        let url = Url::parse(base.trim()).map_err(|_| HttpConfigError::NotUrl(snippet_of(base)))?;
        if url.scheme() != "http" {
            return Err(HttpConfigError::Scheme(url.scheme().to_owned()));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(HttpConfigError::QueryOrFragment);
        }
        Ok(HttpOptions {
            base: url,
            headers: Vec::new(),
            request_timeout: Duration::from_secs(10),
            concurrency: 4,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
        })
    }

    /// Adds a header sent with every request, checking it is valid HTTP.
    pub fn add_header(&mut self, name: &str, value: Secret) -> Result<(), HttpConfigError> {
        HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| HttpConfigError::HeaderName(snippet_of(name)))?;
        HeaderValue::from_str(value.expose())
            .map_err(|_| HttpConfigError::HeaderValue(name.to_owned()))?;
        self.headers.push((name.to_owned(), value));
        Ok(())
    }

    /// The endpoint of an operation: the base URL's path plus `/{op}`.
    pub fn endpoint(&self, op: OpKind) -> Url {
        let mut url = self.base.clone();
        let path = format!("{}/{}", url.path().trim_end_matches('/'), op.as_str());
        url.set_path(&path);
        url
    }

    /// The base URL without its password, for messages and reports.
    pub fn display_url(&self) -> String {
        redact_url(&self.base)
    }
}

fn redact_url(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        // Only fails for URLs that cannot have credentials, which this one just had.
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}

/// An implementation behind an HTTP server.
pub struct HttpAdapter {
    client: Client,
    opts: HttpOptions,
    endpoints: Vec<(OpKind, Url)>,
    in_flight: Semaphore,
    closed: AtomicBool,
}

impl HttpAdapter {
    /// A client for the server; nothing is sent until the first call.
    pub fn new(opts: HttpOptions) -> Result<HttpAdapter, HttpConfigError> {
        let mut headers = HeaderMap::new();
        for (name, value) in &opts.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| HttpConfigError::HeaderName(snippet_of(name)))?;
            let mut value = HeaderValue::from_str(value.expose())
                .map_err(|_| HttpConfigError::HeaderValue(name.to_string()))?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        let concurrency = opts.concurrency.max(1);
        let builder = Client::builder()
            .default_headers(headers)
            .pool_max_idle_per_host(concurrency)
            .connect_timeout(opts.request_timeout)
            // Test endpoints are reached directly; a proxy from the environment would only
            // turn loopback calls into mysterious failures.
            .no_proxy();
        // reqwest panics instead of failing when a dependency switched on a TLS backend
        // without a crypto provider; that is a build problem to report, not to crash on.
        let client =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || builder.build()))
                .map_err(|payload| HttpConfigError::Client(panic_message(payload.as_ref())))?
                .map_err(|e| HttpConfigError::Client(error_chain(&e.without_url())))?;
        let endpoints = OpKind::ALL
            .into_iter()
            .map(|op| (op, opts.endpoint(op)))
            .collect();
        Ok(HttpAdapter {
            client,
            endpoints,
            in_flight: Semaphore::new(concurrency),
            closed: AtomicBool::new(false),
            opts,
        })
    }

    fn endpoint(&self, op: OpKind) -> Url {
        self.endpoints
            .iter()
            .find(|(k, _)| *k == op)
            .map(|(_, url)| url.clone())
            .unwrap_or_else(|| self.opts.endpoint(op))
    }

    async fn exchange(&self, request: Request, after: Duration) -> Result<Reply, CallError> {
        let asked = request.op.kind();
        let id = request.id;
        let url = self.endpoint(asked);
        let sent = self
            .client
            .post(url.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(request.to_json())
            .timeout(after)
            .send()
            .await;
        let mut response = sent.map_err(|e| self.classify(&e, &url, after))?;
        let status = response.status();
        let cap = if status.is_success() {
            self.opts.max_reply_bytes
        } else {
            ERROR_BODY_BYTES
        };
        if status.is_success()
            && let Some(len) = response.content_length()
            && len > cap as u64
        {
            return Err(Fault::Oversized { limit: cap }.into());
        }
        let mut body = Vec::new();
        let mut truncated = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > cap {
                        truncated = true;
                        body.extend_from_slice(&chunk[..cap - body.len()]);
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.classify(&e, &url, after).into()),
            }
        }
        if !status.is_success() {
            return Err(Fault::Http {
                status: status.as_u16(),
                body: snippet_of(&String::from_utf8_lossy(&body)),
            }
            .into());
        }
        if truncated {
            return Err(Fault::Oversized { limit: cap }.into());
        }
        settle(asked, decode_reply(&body, id, asked)?)
    }

    fn classify(&self, err: &reqwest::Error, url: &Url, after: Duration) -> Fault {
        if err.is_timeout() {
            Fault::Timeout { after }
        } else if err.is_connect() {
            Fault::ConnectionRefused {
                url: redact_url(url),
                detail: error_chain(err),
            }
        } else {
            Fault::Io {
                context: format!("HTTP request to {}", redact_url(url)),
                detail: error_chain(err),
            }
        }
    }
}

/// An error and its causes, joined: reqwest's own message alone rarely names the cause. URLs
/// are left out (they may carry credentials) since the caller names the endpoint itself.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

impl HttpAdapter {
    /// One request within `after`. A late response is never seen: reqwest drops the connection
    /// when the time is up.
    async fn call_within(&self, request: Request, after: Duration) -> Result<Reply, CallError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(CallError::Harness(HarnessError::Closed));
        }
        // The semaphore is never closed, so acquiring only waits.
        let _permit = self
            .in_flight
            .acquire()
            .await
            .map_err(|_| CallError::Harness(HarnessError::Closed))?;
        // reqwest's own timeout covers the body too; this is a backstop with a margin so
        // that reqwest's more precise error wins when both fire.
        match tokio::time::timeout(
            after + Duration::from_millis(250),
            self.exchange(request, after),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(Fault::Timeout { after }.into()),
        }
    }
}

impl Adapter for HttpAdapter {
    fn call<'a>(&'a self, request: Request) -> BoxFuture<'a, Result<Reply, CallError>> {
        Box::pin(self.call_within(request, self.opts.request_timeout))
    }

    fn describe_within<'a>(
        &'a self,
        budget: Duration,
    ) -> BoxFuture<'a, Result<crate::adapter::Description, CallError>> {
        Box::pin(async move {
            let request = Request::new(crate::adapter::DESCRIBE_ID, crate::adapter::Op::Describe);
            crate::adapter::as_description(self.call_within(request, budget).await)
        })
    }

    fn close<'a>(&'a self) -> BoxFuture<'a, ()> {
        self.closed.store(true, Ordering::Release);
        Box::pin(async {})
    }

    fn transport(&self) -> &'static str {
        "http"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_append_the_op() {
        let o = HttpOptions::new("http://127.0.0.1:8080/qr/").unwrap();
        assert_eq!(
            o.endpoint(OpKind::Validate).as_str(),
            "http://127.0.0.1:8080/qr/validate"
        );
        let o = HttpOptions::new("http://localhost:9").unwrap();
        assert_eq!(
            o.endpoint(OpKind::Describe).as_str(),
            "http://localhost:9/describe"
        );
    }

    #[test]
    fn bad_urls_and_headers_are_refused_without_leaking() {
        assert!(matches!(
            HttpOptions::new("https://x"),
            Err(HttpConfigError::Scheme(_))
        ));
        assert!(matches!(
            HttpOptions::new("not a url"),
            Err(HttpConfigError::NotUrl(_))
        ));
        assert!(matches!(
            HttpOptions::new("http://x/?token=1"),
            Err(HttpConfigError::QueryOrFragment)
        ));
        let mut o = HttpOptions::new("http://user:pw@127.0.0.1:1/").unwrap();
        assert_eq!(o.display_url(), "http://user:***@127.0.0.1:1/");
        let err = o
            .add_header("Authorization", Secret::new("Bearer s3cret\nInjected: 1"))
            .unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert!(o.add_header("bad header", Secret::new("x")).is_err());
    }
}
