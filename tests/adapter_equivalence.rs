//! One implementation, three ways in: in process, JSON lines through `serve_stdio`, HTTP
//! through `serve_http`. The replies must be identical, refusals included.

mod adapter_support;

use std::sync::Arc;
use std::time::Duration;

use adapter_support::{TestImpl, requests_of_every_kind};
use qrcert::adapter::Adapter;
use qrcert::adapter::DEFAULT_MAX_REPLY_BYTES;
use qrcert::adapter::http::{HttpAdapter, HttpOptions};
use qrcert::adapter::library::{Implementation, LibraryAdapter};
use qrcert::adapter::serve::{serve_http, serve_stdio};
use qrcert::adapter::stream::StreamAdapter;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn library_stdio_and_http_give_identical_replies() {
    let imp: Arc<dyn Implementation> = Arc::new(TestImpl);
    let library = LibraryAdapter::new(Arc::clone(&imp));

    // serve_stdio on one end of two in-memory pipes, the JSON-lines client on the other.
    let (to_server, server_in) = tokio::io::duplex(64 * 1024);
    let (server_out, from_server) = tokio::io::duplex(64 * 1024);
    let server = tokio::spawn(serve_stdio(Arc::clone(&imp), server_in, server_out));
    let stdio = StreamAdapter::new(
        from_server,
        to_server,
        Duration::from_secs(5),
        DEFAULT_MAX_REPLY_BYTES,
    );

    let http_server = serve_http(Arc::clone(&imp), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let http = HttpAdapter::new(HttpOptions::new(&http_server.base_url()).unwrap()).unwrap();

    let mut refusals = 0;
    for request in requests_of_every_kind() {
        let expected = library.call(request.clone()).await;
        refusals += usize::from(expected.is_err());
        assert_eq!(
            stdio.call(request.clone()).await,
            expected,
            "stdio: {request:?}"
        );
        assert_eq!(
            http.call(request.clone()).await,
            expected,
            "http: {request:?}"
        );
    }
    // The comparison covers refusals as well as replies.
    assert_eq!(refusals, 2);

    // Closing the client's output ends serve_stdio cleanly once everything is answered.
    stdio.close().await;
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    http_server.shutdown().await.unwrap();
}
