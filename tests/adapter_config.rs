//! Adapter config files and `--adapter` arguments: parsing, checking, path resolution, and
//! secrets that never leak.

mod adapter_support;

use std::path::Path;
use std::time::Duration;

use adapter_support::{fixtures, validate};
use qrcert::adapter::cli::CliMode;
use qrcert::adapter::config::{AdapterConfig, ConfigError, MAX_CONFIG_BYTES, Transport};
use qrcert::adapter::protocol::{Reply, ValidateReply};

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const FULL_CLI: &str = r#"
name: acme-sdk
transport: cli
command: ["python3", "adapter.py", "--fast"]
mode: per-call
cwd: vendor
env:
  ACME_LICENSE: "lic-7f3a-SECRET"
timeouts:
  request: 750ms
  start: 2s
concurrency: 3
max_reply_bytes: 2097152
max_failed_starts: 5
error_map:
  ERR_CRC: [EMV.63.CRC_MISMATCH]
  ERR_EXPIRED: [KHQR.99.EXPIRED, KHQR.99.FORMAT]
"#;

#[test]
fn a_full_cli_config_is_read_and_resolved_against_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "adapter.yaml", FULL_CLI);
    let config = AdapterConfig::load(&path).unwrap();
    assert_eq!(config.name.as_deref(), Some("acme-sdk"));
    assert_eq!(config.source.as_deref(), Some(path.as_path()));
    let Transport::Cli(cli) = &config.transport else {
        panic!("expected cli, got {:?}", config.transport)
    };
    assert_eq!(cli.program, "python3");
    assert_eq!(cli.args, vec!["adapter.py", "--fast"]);
    assert_eq!(
        cli.cwd.as_deref(),
        Some(dir.path().join("vendor").as_path())
    );
    assert_eq!(cli.mode, CliMode::PerCall);
    assert_eq!(cli.request_timeout, Duration::from_millis(750));
    assert_eq!(cli.start_timeout, Duration::from_secs(2));
    assert_eq!(cli.concurrency, 3);
    assert_eq!(cli.max_reply_bytes, 2 * 1024 * 1024);
    assert_eq!(cli.max_failed_starts, 5);
    assert_eq!(cli.env[0].0, "ACME_LICENSE");
    assert_eq!(cli.env[0].1.expose(), "lic-7f3a-SECRET");
    let rules: Vec<&str> = config
        .error_map
        .rules_for("ERR_EXPIRED")
        .iter()
        .map(|r| r.as_str())
        .collect();
    assert_eq!(rules, vec!["KHQR.99.EXPIRED", "KHQR.99.FORMAT"]);
    assert!(config.error_map.rules_for("ERR_UNKNOWN").is_empty());

    // Secrets appear nowhere but in the options handed to the program.
    let debug = format!("{config:?}");
    let redacted = serde_json::to_string(&config).unwrap();
    for shown in [&debug, &redacted] {
        assert!(!shown.contains("lic-7f3a-SECRET"), "{shown}");
        assert!(shown.contains("ACME_LICENSE"), "{shown}");
    }
    assert_eq!(config.redacted()["env"]["ACME_LICENSE"], "***");
    assert_eq!(config.redacted()["timeouts"]["request_ms"], 750);
}

#[test]
fn a_command_string_is_split_without_a_shell_and_relative_programs_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "a.yml",
        "transport: cli\ncommand: ./bin/adapter --name 'Acme QR' $HOME\n",
    );
    let config = AdapterConfig::load(&path).unwrap();
    let Transport::Cli(cli) = &config.transport else {
        panic!()
    };
    assert_eq!(
        cli.program,
        dir.path().join("./bin/adapter").display().to_string()
    );
    assert_eq!(cli.args, vec!["--name", "Acme QR", "$HOME"]);
    assert_eq!(cli.cwd.as_deref(), Some(dir.path()));
    assert_eq!(cli.mode, CliMode::Persistent);
}

#[test]
fn http_configs_keep_headers_and_url_credentials_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "http.yaml",
        "transport: http\nurl: http://qa:pa55word@127.0.0.1:8080/qr\nheaders:\n  Authorization: Bearer tok-123-SECRET\ntimeouts: {request: 2s}\nconcurrency: 16\n",
    );
    let config = AdapterConfig::load(&path).unwrap();
    let Transport::Http(http) = &config.transport else {
        panic!()
    };
    assert_eq!(http.request_timeout, Duration::from_secs(2));
    assert_eq!(http.concurrency, 16);
    assert_eq!(http.headers[0].1.expose(), "Bearer tok-123-SECRET");
    let redacted = config.redacted();
    assert_eq!(redacted["url"], "http://qa:***@127.0.0.1:8080/qr");
    assert_eq!(redacted["headers"]["Authorization"], "***");
    let everything = format!("{config:?} {redacted}");
    assert!(!everything.contains("tok-123-SECRET"), "{everything}");
    assert!(!everything.contains("pa55word"), "{everything}");
}

#[test]
fn errors_name_the_file_and_line_and_never_quote_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = write(
        dir.path(),
        "unknown.yaml",
        "transport: http\nurl: http://127.0.0.1:1\nheaders:\n  Authorization: Bearer tok-SECRET\nretries: 3\n",
    );
    let err = AdapterConfig::load(&unknown).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, ConfigError::Syntax { line: Some(5), .. }),
        "{text}"
    );
    assert!(
        text.starts_with(&format!("{}:5:", unknown.display())),
        "{text}"
    );
    assert!(text.contains("retries"), "{text}");
    assert!(!text.contains("tok-SECRET"), "{text}");

    let bad_header = write(
        dir.path(),
        "header.yaml",
        "transport: http\nurl: http://127.0.0.1:1\nheaders:\n  Authorization: \"Bearer tok-SECRET\\n\"\n",
    );
    let text = AdapterConfig::load(&bad_header).unwrap_err().to_string();
    assert!(text.contains("Authorization"), "{text}");
    assert!(!text.contains("tok-SECRET"), "{text}");

    let cases = [
        ("transport: cli\n", "needs a `command`"),
        ("transport: http\n", "needs a `url`"),
        ("transport: grpc\n", "grpc"),
        ("transport: cli\ncommand: []\n", "empty"),
        ("transport: cli\ncommand: \"a 'b\"\n", "unterminated"),
        (
            "transport: cli\ncommand: x\nurl: http://h\n",
            "`url` applies only to transport http",
        ),
        (
            "transport: http\nurl: http://h\nenv: {A: b}\n",
            "`env` applies only to transport cli",
        ),
        ("transport: http\nurl: https://h\n", "https"),
        (
            "transport: cli\ncommand: x\ntimeouts: {request: 5}\n",
            "not a duration",
        ),
        (
            "transport: cli\ncommand: x\ntimeouts: {requset: 5s}\n",
            "requset",
        ),
        (
            "transport: cli\ncommand: x\nconcurrency: 0\n",
            "concurrency",
        ),
        (
            "transport: cli\ncommand: x\nerror_map: {E1: [emv.crc]}\n",
            "not a rule ID",
        ),
        (
            "transport: cli\ncommand: x\nerror_map: {E1: EMV.63.CRC_MISMATCH}\n",
            "sequence",
        ),
    ];
    for (i, (yaml, needle)) in cases.iter().enumerate() {
        let path = write(dir.path(), &format!("case{i}.yaml"), yaml);
        let text = AdapterConfig::load(&path).unwrap_err().to_string();
        assert!(text.contains(needle), "case {i}: {yaml:?} gave {text}");
        assert!(
            text.starts_with(&path.display().to_string()),
            "case {i}: {text}"
        );
    }
}

#[test]
fn oversized_missing_and_non_utf8_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    let mut text = String::from("transport: builtin\n");
    while text.len() as u64 <= MAX_CONFIG_BYTES {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, text).unwrap();
    assert!(matches!(
        AdapterConfig::load(&big),
        Err(ConfigError::TooLarge { .. })
    ));
    assert!(matches!(
        AdapterConfig::load(&dir.path().join("absent.yaml")),
        Err(ConfigError::Read { .. })
    ));
    let binary = dir.path().join("bin.yaml");
    std::fs::write(&binary, b"transport: \xff\n").unwrap();
    assert!(
        AdapterConfig::load(&binary)
            .unwrap_err()
            .to_string()
            .contains("UTF-8")
    );
}

#[test]
fn adapter_arguments_take_four_forms() {
    assert!(matches!(
        AdapterConfig::from_arg("builtin").unwrap().transport,
        Transport::Builtin { .. }
    ));
    match AdapterConfig::from_arg("cli:python3 \"my adapter.py\" -v")
        .unwrap()
        .transport
    {
        Transport::Cli(cli) => {
            assert_eq!(cli.program, "python3");
            assert_eq!(cli.args, vec!["my adapter.py", "-v"]);
            assert_eq!(cli.cwd, None);
        }
        other => panic!("{other:?}"),
    }
    match AdapterConfig::from_arg("http:http://127.0.0.1:9000/api")
        .unwrap()
        .transport
    {
        Transport::Http(http) => assert_eq!(http.display_url(), "http://127.0.0.1:9000/api"),
        other => panic!("{other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "x.yaml",
        "transport: builtin\ntimeouts: {request: 1s}\n",
    );
    match AdapterConfig::from_arg(path.to_str().unwrap())
        .unwrap()
        .transport
    {
        Transport::Builtin { request_timeout } => {
            assert_eq!(request_timeout, Some(Duration::from_secs(1)))
        }
        other => panic!("{other:?}"),
    }
    for bad in ["cli:", "http:ftp://x", "grpc:x", "missing.yaml"] {
        let err = AdapterConfig::from_arg(bad).unwrap_err();
        assert!(!err.to_string().is_empty(), "{bad}");
    }
    assert!(
        AdapterConfig::from_arg("builtin")
            .unwrap()
            .open(None)
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_config_file_opens_a_working_adapter() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "transport: cli\ncommand: [python3, {:?}]\ncwd: {:?}\nenv: {{FIXTURE_NAME: from-config}}\ntimeouts: {{request: 5s}}\n",
        fixtures().join("well_behaved.py").display().to_string(),
        fixtures().display().to_string(),
    );
    let path = write(dir.path(), "adapter.yaml", &yaml);
    let adapter = AdapterConfig::load(&path).unwrap().open(None).unwrap();
    assert_eq!(adapter.transport(), "cli");
    assert_eq!(adapter.describe().await.unwrap().name, "from-config");
    assert!(matches!(
        adapter.call(validate(1, "000201")).await,
        Ok(Reply::Validate(ValidateReply { valid: true, .. }))
    ));
    adapter.close().await;
}
