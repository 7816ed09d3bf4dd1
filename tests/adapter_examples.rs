//! The example adapters for vendors (examples/adapters/) run through the CLI transport, from
//! their YAML configs, and judge real EMV payloads the same way.

mod adapter_support;

use std::path::PathBuf;
use std::process::Command;

use qrcert::adapter::config::AdapterConfig;
use qrcert::adapter::protocol::{Field, Op, Reply, Request};
use qrcert::adapter::{Adapter, CallError};
use qrcert::{Capability, Profile};

fn tlv(tag: &str, value: &str) -> String {
    format!("{tag}{:02}{value}", value.chars().count())
}

/// A KHQR-shaped payload with a correct CRC; the merchant name has a non-ASCII character,
/// so lengths count characters and the CRC runs over UTF-8 bytes.
fn payload() -> String {
    let account = tlv("00", "kh.gov.nbc.bakong") + &tlv("01", "cafe@abaa");
    let body = tlv("00", "01")
        + &tlv("01", "11")
        + &tlv("29", &account)
        + &tlv("52", "5812")
        + &tlv("53", "116")
        + &tlv("58", "KH")
        + &tlv("59", "Café Klang")
        + &tlv("60", "Phnom Penh")
        + "6304";
    let crc = crc::Crc::<u16>::new(&crc::CRC_16_IBM_3740).checksum(body.as_bytes());
    format!("{body}{crc:04X}")
}

fn validate(id: u64, payload: &str) -> Request {
    Request::new(
        id,
        Op::Validate {
            payload: payload.into(),
            profile: Profile::Emvco,
            now: None,
            wallet: None,
        },
    )
}

/// The error codes of a validate reply, or "valid".
async fn verdict(adapter: &dyn Adapter, id: u64, payload: &str) -> Vec<String> {
    match adapter.call(validate(id, payload)).await {
        Ok(Reply::Validate(r)) if r.valid => {
            assert!(r.errors.is_empty());
            vec!["valid".into()]
        }
        Ok(Reply::Validate(r)) => r.errors.into_iter().map(|e| e.code).collect(),
        other => panic!("{other:?}"),
    }
}

async fn exercise(config: &str) -> Vec<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(config);
    let adapter = AdapterConfig::load(&path).unwrap().open(None).unwrap();
    let d = adapter.describe().await.unwrap();
    // The examples claim only parse: their validate is a sketch (TLV shape and CRC).
    assert_eq!(d.capabilities, vec![Capability::Parse]);

    let good = payload();
    match adapter
        .call(Request::new(
            1,
            Op::Parse {
                payload: good.clone(),
            },
        ))
        .await
    {
        Ok(Reply::Parse(p)) => {
            assert_eq!(p.fields.0["59"], Field::Value("Café Klang".into()));
            match &p.fields.0["29"] {
                Field::Template(t) => {
                    assert_eq!(t.0["00"], Field::Value("kh.gov.nbc.bakong".into()))
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    match adapter
        .call(Request::new(
            2,
            Op::Render {
                payload: good.clone(),
            },
        ))
        .await
    {
        Err(CallError::Refused(e)) => assert!(e.is_unsupported()),
        other => panic!("{other:?}"),
    }
    let mut broken_crc = good.clone();
    let last = broken_crc.pop().unwrap();
    broken_crc.push(if last == '0' { '1' } else { '0' });
    let verdicts = vec![
        verdict(adapter.as_ref(), 3, &good).await,
        verdict(adapter.as_ref(), 4, &broken_crc).await,
        verdict(adapter.as_ref(), 5, &good[6..]).await,
        verdict(adapter.as_ref(), 6, "0002010102115").await,
    ];
    adapter.close().await;
    verdicts
}

/// `program` must run: the example adapters are part of what is tested, so a
/// missing interpreter fails the test with the line that installs it (scripts/test does).
fn require(program: &str) {
    let found = Command::new(program).arg("--version").output().is_ok();
    assert!(
        found,
        "{program} is not installed: run the tests with scripts/test, which installs it, or \
         `apt-get install -y {}`",
        if program == "node" { "nodejs" } else { program }
    );
}

fn expected() -> Vec<Vec<String>> {
    vec![
        vec!["valid".to_owned()],
        vec!["E_CRC".to_owned()],
        // Cutting the indicator off also breaks the CRC.
        vec!["E_PFI".to_owned(), "E_CRC".to_owned()],
        vec!["E_TLV".to_owned(), "E_CRC_MISSING".to_owned()],
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_example_adapter_judges_payloads() {
    require("python3");
    assert_eq!(
        exercise("examples/adapters/python/adapter.yaml").await,
        expected()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_example_adapter_judges_payloads() {
    require("node");
    assert_eq!(
        exercise("examples/adapters/node/adapter.yaml").await,
        expected()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_command_line_form_works() {
    require("python3");
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/adapters/python/adapter.py");
    let config = AdapterConfig::from_arg(&format!("cli:python3 \"{}\"", script.display())).unwrap();
    let adapter = config.open(None).unwrap();
    assert_eq!(
        adapter.describe().await.unwrap().name,
        "example-python-adapter"
    );
    assert_eq!(
        verdict(adapter.as_ref(), 1, &payload()).await,
        vec!["valid"]
    );
    adapter.close().await;
}

/// The example adapters are certified for what they claim (parse, under every profile) by a
/// real `qrcert run` through the CLI transport.
fn certified_through_a_run(config: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qrcert"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "--adapter",
            config,
            "--now",
            "2026-05-28T20:41:40Z",
            "-q",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["verdict"], "certified");
    let cells = report["certification"].as_array().unwrap();
    for profile in ["emvco", "jpqr", "khqr", "interop"] {
        assert!(
            cells.iter().any(|c| c["profile"] == profile
                && c["capability"] == "parse"
                && c["verdict"] == "certified"),
            "{profile} parse not certified"
        );
    }
}

#[test]
fn the_example_adapters_are_certified_for_what_they_claim() {
    require("python3");
    certified_through_a_run("examples/adapters/python/adapter.yaml");
    require("node");
    certified_through_a_run("examples/adapters/node/adapter.yaml");
}
