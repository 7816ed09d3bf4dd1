//! The reference implementation gives identical results in process, as a real child process
//! speaking JSON lines (`qrcert reference --stdio`) and as a real HTTP server on loopback
//! (`qrcert reference --http 127.0.0.1:0`).

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use qrcert::adapter::cli::{CliAdapter, CliOptions};
use qrcert::adapter::http::{HttpAdapter, HttpOptions};
use qrcert::adapter::library::LibraryAdapter;
use qrcert::adapter::protocol::{Op, Png, Reply, Request, Timestamp};
use qrcert::adapter::{Adapter, CallError};
use qrcert::reference::Reference;
use qrcert::{Capability, Profile};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");

fn requests() -> Vec<Op> {
    let payloads = [
        "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A",
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046373",
        "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046374",
        "0002",
        "",
    ];
    let mut ops = vec![Op::Describe];
    for p in payloads {
        ops.push(Op::Parse { payload: p.into() });
        ops.push(Op::Validate {
            payload: p.into(),
            profile: Profile::Emvco,
            now: Timestamp::from_unix_millis(1_780_000_900_000),
            wallet: None,
        });
    }
    ops.push(Op::Generate {
        profile: Profile::Emvco,
        input: json!({
            "account": {"scheme": "template", "tag": 26, "guid": "com.example.qrcert", "fields": {"01": "ACCT0001"}},
            "merchant": {"name": "QRCERT SYNTHETIC", "city": "TESTVILLE", "category_code": "5999", "country": "US"},
            "transaction": {"currency": "840"}
        }),
    });
    ops.push(Op::Generate {
        profile: Profile::Emvco,
        input: json!({"account": {"scheme": "nope"}}),
    });
    ops.push(Op::Render {
        payload: payloads[0].into(),
    });
    let png = qrcert::reference::render(payloads[0]).expect("renders");
    ops.push(Op::Scan { png: Png(png) });
    ops.push(Op::Scan {
        png: Png(b"not a png".to_vec()),
    });
    ops
}

async fn http_reference() -> (tokio::process::Child, String) {
    let mut child = tokio::process::Command::new(BIN)
        .args(["reference", "--http", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start qrcert reference --http");
    let stderr = child.stderr.take().expect("stderr piped");
    let mut lines = BufReader::new(stderr).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("server announces its address in time")
        .expect("read stderr")
        .expect("a line");
    let url = line
        .rsplit(' ')
        .next()
        .expect("address at the end of the line")
        .to_owned();
    (child, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_is_identical_over_library_cli_and_http() {
    let library = LibraryAdapter::new(Arc::new(Reference::new()));
    let cli = CliAdapter::new(
        CliOptions::new(vec![BIN.into(), "reference".into(), "--stdio".into()]).unwrap(),
    );
    let (_server, url) = http_reference().await;
    let http = HttpAdapter::new(HttpOptions::new(&url).unwrap()).unwrap();

    let mut refused = 0;
    for (i, op) in requests().into_iter().enumerate() {
        let request = Request::new(i as u64 + 1, op);
        let expected = library.call(request.clone()).await;
        if let Err(e) = &expected {
            assert!(matches!(e, CallError::Refused(_)), "{e:?}");
            refused += 1;
        }
        assert_eq!(
            cli.call(request.clone()).await,
            expected,
            "cli: {request:?}"
        );
        assert_eq!(
            http.call(request.clone()).await,
            expected,
            "http: {request:?}"
        );
    }
    // Parse of two broken payloads, the bad generate input and the unreadable image are
    // refusals, compared too.
    assert_eq!(refused, 4);
    cli.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_describes_itself_and_validates_over_cli() {
    let cli = CliAdapter::new(
        CliOptions::new(vec![BIN.into(), "reference".into(), "--stdio".into()]).unwrap(),
    );
    let d = cli.describe().await.unwrap();
    assert_eq!(d.name, "qrcert-reference");
    assert!(d.capabilities.contains(&Capability::Validate));
    let reply = cli
        .call(Request::new(
            1,
            Op::Validate {
                payload: "00020101021126340018com.example.qrcert0108ACCT00015204599953038405802US5916QRCERT SYNTHETIC6009TESTVILLE63046374".into(),
                profile: Profile::Emvco,
                now: None,
                wallet: None,
            },
        ))
        .await
        .unwrap();
    let Reply::Validate(v) = reply else {
        panic!("not a validate reply: {reply:?}")
    };
    assert!(!v.valid);
    assert_eq!(v.errors[0].code, "EMV.63.CRC_MISMATCH");
    cli.close().await;
}
