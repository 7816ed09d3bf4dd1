//! Secrets in an adapter configuration (header values, URL credentials, environment values)
//! reach the implementation and nothing else: no file qrcert writes in the output directory,
//! whatever formats it writes, and neither its standard output nor its standard error.

mod run_support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use run_support::*;

const LIMIT: Duration = Duration::from_secs(300);

/// Fails when `secret` appears in any file under `dir`, in `stdout` or in `stderr`. Also
/// checks the files are there, so a run that wrote nothing cannot pass.
fn assert_nowhere(secret: &str, dir: &Path, w: &Watched) {
    let mut files = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&p).unwrap();
            assert!(
                !bytes
                    .windows(secret.len())
                    .any(|win| win == secret.as_bytes()),
                "{secret} leaked into {}",
                p.display()
            );
        }
    }
    // Every format qrcert writes must be there to be checked.
    assert!(files >= 6, "only {files} files in {}", dir.display());
    for f in [
        "report.json",
        "report.jsonl",
        "run.json",
        "junit.xml",
        "report.html",
        "summary.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    assert!(!w.stdout.contains(secret), "{secret} leaked to stdout");
    assert!(!w.stderr.contains(secret), "{secret} leaked to stderr");
}

/// `qrcert reference --http 127.0.0.1:0`, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn reference_http() -> (Server, String) {
    let mut child = Command::new(BIN)
        .args(["reference", "--http", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .filter(|u| u.starts_with("http://"))
        .unwrap_or_else(|| panic!("the reference said {line:?}"))
        .to_owned();
    (Server(child), url)
}

fn run(config: &Path, out: &Path) -> Watched {
    // Not quiet: progress and failing cases are printed to stderr, and must not leak either.
    run_watched(
        &[
            "run",
            "--smoke",
            "--now",
            CLOCK,
            "--adapter",
            config.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[],
        LIMIT,
    )
}

#[test]
fn http_header_and_url_credentials_stay_out_of_reports_and_logs() {
    let (_server, url) = reference_http();
    let tmp = tempfile::tempdir().unwrap();
    let header = "tok-HEADER-5ecret-7f3a";
    let password = "pw-URL-5ecret-91c2";
    let with_credentials = url.replacen("http://", &format!("http://qa:{password}@"), 1);
    let config = tmp.path().join("http.yaml");
    std::fs::write(
        &config,
        format!(
            "name: acme-http\ntransport: http\nurl: {with_credentials}\nheaders:\n  Authorization: Bearer {header}\n  X-Api-Key: {header}\ntimeouts: {{request: 5s}}\n"
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let w = run(&config, &out);
    assert_eq!(w.code, Some(0), "{}", w.stderr);
    let r = report(&out);
    assert_eq!(r.implementation.adapter.transport, "http");
    // The URL is shown, without its credentials.
    assert!(
        r.implementation.adapter.target.contains("127.0.0.1"),
        "{}",
        r.implementation.adapter.target
    );
    assert_nowhere(header, &out, &w);
    assert_nowhere(password, &out, &w);
}

#[test]
fn cli_environment_secrets_stay_out_of_reports_and_logs() {
    let tmp = tempfile::tempdir().unwrap();
    let token = "tok-ENV-5ecret-c0ffee";
    let config = tmp.path().join("cli.yaml");
    // The implementation fails the rejection vectors, so failing cases (whose requests and
    // replies reports embed in full) are in every format.
    std::fs::write(
        &config,
        format!(
            "name: acme-cli\ntransport: cli\ncommand: [python3, {:?}, accepts_all]\nenv: {{QRCERT_BIN: {BIN:?}, ACME_TOKEN: {token}}}\ntimeouts: {{request: 5s}}\n",
            hostile_script().display().to_string()
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let w = run(&config, &out);
    assert_eq!(w.code, Some(1), "{}", w.stderr);
    assert!(count(&report(&out), qrcert::report::Grade::Fail) > 0);
    assert_nowhere(token, &out, &w);
}

#[test]
fn a_broken_config_holding_a_secret_is_refused_without_quoting_it() {
    let tmp = tempfile::tempdir().unwrap();
    let token = "tok-BROKEN-5ecret-d00d";
    let config = tmp.path().join("broken.yaml");
    // A syntax error on the secret's own line.
    std::fs::write(
        &config,
        format!("transport: http\nurl: http://127.0.0.1:9/\nheaders:\n  Authorization: [Bearer {token}\n"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let w = run(&config, &out);
    assert_eq!(w.code, Some(2), "{}", w.stderr);
    assert!(w.stderr.contains("broken.yaml"), "{}", w.stderr);
    assert!(!w.stderr.contains(token), "{}", w.stderr);
    assert!(!w.stdout.contains(token));
}
