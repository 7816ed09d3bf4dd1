//! The CI examples in examples/ci/ stay true: they parse as YAML, every `qrcert` command in them
//! is accepted by this qrcert's command line, and the matrix and the merge name the same shards.

use std::path::Path;

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
fn github_actions_example() {
    let doc = load("github-actions.yml");
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
fn gitlab_ci_example() {
    let doc = load("gitlab-ci.yml");
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
