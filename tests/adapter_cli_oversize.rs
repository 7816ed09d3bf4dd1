//! A 64 MiB reply line must fail its request without qrcert ever holding it: the line is
//! discarded as it streams in. Alone in its own test binary so the process's peak memory
//! (VmHWM) measures this test only.

mod adapter_support;

use adapter_support::{fixture, validate};
use qrcert::adapter::DEFAULT_MAX_REPLY_BYTES;
use qrcert::adapter::cli::CliAdapter;
use qrcert::adapter::protocol::{Reply, ValidateReply};
use qrcert::adapter::{Adapter, CallError, Fault};
use std::time::Duration;

/// Peak resident memory of this process, in bytes (Linux).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_64_mib_line_is_refused_with_bounded_memory() {
    let mut opts = fixture("huge_line.py");
    opts.request_timeout = Duration::from_secs(20);
    assert_eq!(opts.max_reply_bytes, DEFAULT_MAX_REPLY_BYTES);
    let adapter = CliAdapter::new(opts);
    assert!(matches!(
        adapter.call(validate(1, "000201")).await,
        Ok(Reply::Validate(ValidateReply { valid: true, .. }))
    ));
    let before = peak_rss();
    match adapter.call(validate(2, "huge")).await {
        Err(CallError::Fault(Fault::Oversized { limit })) => {
            assert_eq!(limit, DEFAULT_MAX_REPLY_BYTES)
        }
        other => panic!("expected an oversized reply, got {other:?}"),
    }
    let after = peak_rss();
    // Holding the line would cost 64 MiB; the cap allows up to 16 MiB plus buffers.
    assert!(
        after < before + 40 * 1024 * 1024,
        "peak memory grew from {before} to {after} bytes"
    );
    // The program is still up and answers the next request.
    assert!(matches!(
        adapter.call(validate(3, "nope")).await,
        Ok(Reply::Validate(ValidateReply { valid: false, .. }))
    ));
}
