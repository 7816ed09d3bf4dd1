//! The CI examples in examples/ci/ stay true.
//!
//! - The vendor templates (`github-actions.yml`, `gitlab-ci.yml`) run: their shell steps, in
//!   order, against the reference implementation they start, with this build's `qrcert` on the
//!   PATH where the template installs it; the `uses:` steps and artifacts find their files.
//! - The sharded examples parse, every `qrcert` command in them is accepted by this qrcert's
//!   command line, and the matrix and the merge name the same shards.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use clap::Parser;
use qrcert::adapter::config::split_command;
use qrcert::cli::Cli;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/ci")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The `qrcert` command lines of a shell script, with line continuations joined, anything after
/// `||` dropped, and CI variables replaced by a sample value.
fn qrcert_commands(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let vars = regex::Regex::new(r"\$\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*").unwrap();
    joined
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("qrcert "))
        .map(|l| {
            let l = l.split(" || ").next().unwrap_or(l);
            let l = vars.replace_all(l, "1");
            split_command(&l).unwrap_or_else(|e| panic!("{l}: {e}"))
        })
        .collect()
}

fn check(commands: &[Vec<String>]) -> (Vec<String>, Vec<String>) {
    let mut shards = Vec::new();
    let mut merged = Vec::new();
    for argv in commands {
        if let Err(e) = Cli::try_parse_from(argv) {
            panic!("{argv:?} is not a valid qrcert command line:\n{e}");
        }
        if let Some(i) = argv.iter().position(|a| a == "--shard") {
            shards.push(argv[i + 1].clone());
        }
        if argv.get(1..3) == Some(&["report".to_owned(), "merge".to_owned()][..]) {
            merged.extend(
                argv.iter()
                    .skip(3)
                    .filter(|a| {
                        a.starts_with("reports/shard") || a.starts_with("reports/qrcert-shard")
                    })
                    .cloned(),
            );
        }
    }
    assert!(!shards.is_empty(), "no sharded run");
    assert!(!merged.is_empty(), "no merge");
    (shards, merged)
}

#[test]
fn github_actions_sharded_example() {
    let doc = load("github-actions-sharded.yml");
    let jobs = doc["jobs"].as_object().unwrap();
    let mut commands = Vec::new();
    for job in jobs.values() {
        for step in job["steps"].as_array().unwrap() {
            if let Some(run) = step["run"].as_str() {
                commands.extend(qrcert_commands(run));
            }
        }
    }
    let (shards, merged) = check(&commands);
    assert_eq!(shards, ["1/1"]);
    let matrix = jobs["certify"]["strategy"]["matrix"]["shard"]
        .as_array()
        .unwrap();
    let n = doc["env"]["SHARDS"].as_u64().unwrap() as usize;
    assert_eq!(matrix.len(), n);
    assert_eq!(merged.len(), n, "the merge names every shard");
    // The clock comes from one place for all shards.
    let yaml = serde_json::to_string(&jobs["certify"]).unwrap();
    assert!(yaml.contains("needs.plan.outputs.clock"));
}

#[test]
fn gitlab_ci_sharded_example() {
    let doc = load("gitlab-ci-sharded.yml");
    let mut commands = Vec::new();
    for job in ["certify", "merge"] {
        for line in doc[job]["script"].as_array().unwrap() {
            commands.extend(qrcert_commands(line.as_str().unwrap()));
        }
    }
    let (shards, merged) = check(&commands);
    assert_eq!(shards, ["1/1"]);
    let n = doc["certify"]["parallel"].as_u64().unwrap() as usize;
    assert_eq!(merged.len(), n, "the merge names every shard");
    let script = doc["certify"]["script"][0].as_str().unwrap();
    assert!(script.contains("--now \"$CI_PIPELINE_CREATED_AT\""));
    assert!(script.contains("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\""));
}

/// The templates certify the whole suite over HTTP: one at a time, so that the two do not
/// starve each other (and their request timeouts) on a 2-core machine.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Where a template's steps run: a workspace, a PATH with this build's qrcert on it, a free port
/// for the implementation under test, and a cache for the embedded suite.
struct Bench {
    work: tempfile::TempDir,
    bin: tempfile::TempDir,
    addr: String,
}

impl Bench {
    fn new() -> Bench {
        let bin = tempfile::tempdir().unwrap();
        // What the template's install step leaves behind: `qrcert` on the PATH.
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_qrcert"), bin.path().join("qrcert"))
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Bench {
            work: tempfile::tempdir().unwrap(),
            bin,
            addr: format!("127.0.0.1:{port}"),
        }
    }

    fn path(&self) -> String {
        format!(
            "{}:{}",
            self.bin.path().display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// Runs a shell script as the CI engine would (bash, stop at the first failing command) with
    /// the job's environment; returns its exit code and output.
    fn sh(&self, script: &str, env: &[(String, String)]) -> (i32, String) {
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(self.work.path())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("PATH", self.path())
            .env("IMPL_ADDR", &self.addr)
            .env("QRCERT_CACHE_DIR", self.work.path().join(".qrcert-cache"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.work.path().join(rel)
    }

    /// Stops a reference implementation a template left running (a failed test must not leave
    /// it behind): by the pid file the template wrote, or by its address.
    fn stop_leftovers(&self) {
        if let Ok(pid) = std::fs::read_to_string(self.file("impl.pid")) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        self.stop_leftovers();
    }
}

/// The report a template's certification left: certified, with the four files CI publishes.
fn assert_reports(bench: &Bench, out: &str) {
    for f in ["report.json", "junit.xml", "report.html", "summary.md"] {
        assert!(bench.file(out).join(f).is_file(), "{out}/{f} is missing");
    }
    let report: Value =
        serde_json::from_slice(&std::fs::read(bench.file(out).join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["verdict"], "certified");
    assert_eq!(report["implementation"]["adapter"]["transport"], "http");
    assert_eq!(report["suite"]["source"], "embedded");
    assert!(report["summary"]["total"].as_u64().unwrap() > 1000);
}

fn is_install_step(script: &str) -> bool {
    script.contains("cargo install --locked")
}

#[test]
fn the_github_actions_template_runs_against_the_reference() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let doc = load("github-actions.yml");
    let job = &doc["jobs"]["certify"];
    let bench = Bench::new();
    let summary = bench.file("step-summary.md");
    let mut env: Vec<(String, String)> = job["env"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.as_str() != "IMPL_ADDR")
        // `${{ vars.X }}` is a repository variable: unset here.
        .map(|(k, v)| {
            let v = v
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string());
            (
                k.clone(),
                if v.starts_with("${{") {
                    String::new()
                } else {
                    v
                },
            )
        })
        .collect();
    env.push(("GITHUB_STEP_SUMMARY".into(), summary.display().to_string()));
    env.push(("CI".into(), "true".into()));
    let out = env
        .iter()
        .find(|(k, _)| k == "QRCERT_OUT")
        .map(|(_, v)| v.clone())
        .unwrap();
    let mut ran = Vec::new();
    let mut installed = false;
    for step in job["steps"].as_array().unwrap() {
        let name = step["name"].as_str().unwrap_or("");
        if let Some(script) = step["run"].as_str() {
            if is_install_step(script) {
                // Building qrcert again would take minutes: this build's binary is on the PATH.
                installed = true;
                continue;
            }
            assert!(
                !script.contains("${{"),
                "{name}: give steps their inputs through env, not expressions"
            );
            let (code, text) = bench.sh(script, &env);
            assert_eq!(code, 0, "step {name:?} failed:\n{text}");
            ran.push(name.to_owned());
        } else if let Some(action) = step["uses"].as_str() {
            // Actions do not run here; what they are given must exist.
            let with = &step["with"];
            for key in ["report_paths", "path"] {
                if let Some(paths) = with[key].as_str() {
                    for p in paths.lines().map(str::trim).filter(|p| !p.is_empty()) {
                        assert!(
                            bench.file(p).is_file(),
                            "{action}: {key} {p} does not exist"
                        );
                    }
                }
            }
        }
    }
    assert!(installed, "the template installs qrcert");
    assert_eq!(
        ran,
        [
            "Start the implementation under test",
            "Certify",
            "Post the summary",
            "Stop the implementation under test"
        ]
    );
    assert_reports(&bench, &out);
    let posted = std::fs::read_to_string(&summary).unwrap();
    assert!(posted.contains("certified"), "{posted}");
    // The stop step ended the implementation: its port is free again.
    assert!(port_closed(&bench.addr), "the implementation still answers");
}

fn port_closed(addr: &str) -> bool {
    for _ in 0..50 {
        if std::net::TcpStream::connect(addr).is_err() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn the_gitlab_ci_template_runs_against_the_reference() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let doc = load("gitlab-ci.yml");
    let job = &doc["qrcert"];
    let bench = Bench::new();
    let env: Vec<(String, String)> = job["variables"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.as_str() != "IMPL_ADDR")
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .chain([("CI".to_owned(), "true".to_owned())])
        .collect();
    let lines = |key: &str| -> Vec<String> {
        job[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_owned())
            .collect()
    };
    // before_script and script run in one shell, as GitLab runs them; the install line is
    // this build's binary on the PATH.
    let mut main: Vec<String> = lines("before_script");
    let install = main.iter().position(|l| is_install_step(l)).unwrap();
    main.remove(install);
    main.extend(lines("script"));
    // GitLab ends the job's processes when the job ends; here the script records its server.
    let main = format!("{}\n", main.join("\n")).replacen(
        "> impl.log 2>&1 &\n",
        "> impl.log 2>&1 &\necho \"$!\" > impl.pid\n",
        1,
    );
    let (code, text) = bench.sh(&main, &env);
    assert_eq!(code, 0, "before_script and script failed:\n{text}");
    bench.stop_leftovers();
    let out = env
        .iter()
        .find(|(k, _)| k == "QRCERT_OUT")
        .map(|(_, v)| v.clone())
        .unwrap();
    assert_reports(&bench, &out);
    // after_script runs in a shell of its own; outside a merge request it only prints the
    // summary.
    let (code, text) = bench.sh(&lines("after_script").join("\n"), &env);
    assert_eq!(code, 0, "after_script failed:\n{text}");
    assert!(text.contains("certified"), "{text}");
    let artifacts = &job["artifacts"];
    let junit = artifacts["reports"]["junit"].as_str().unwrap();
    assert!(bench.file(junit).is_file());
    for p in artifacts["paths"].as_array().unwrap() {
        assert!(bench.file(p.as_str().unwrap()).is_file(), "{p}");
    }
}
