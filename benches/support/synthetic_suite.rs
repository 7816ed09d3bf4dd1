//! A synthetic vector suite of any size, for measuring the run rather than the rules: EMVCo
//! validate vectors (distinct payloads: account, name, city and amount vary; every tenth has a
//! wrong CRC and must be rejected), one feature file that runs them all, and a manifest with
//! their hashes. Written to a directory so `qrcert run --vectors DIR/vectors --features
//! DIR/features` can run it through any transport. Shared by `benches/suite.rs` and
//! `examples/synthetic_suite.rs`; nothing of it is committed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use qrcert::emv::crc;
use qrcert::rules::catalogue::RULES_VERSION;
use qrcert::vectors::manifest::sha256_hex;
use qrcert::vectors::{Manifest, PlanVersion};

/// Cases per vector file: well under the loader's per-file size limit.
const PER_FILE: usize = 1000;

/// The feature that plays every synthetic vector.
const FEATURE: &str = "\
@wallet
Feature: Synthetic EMVCo validation load
  Background:
    Given the implementation under test

  Scenario: Well-formed codes are accepted
    When it validates every \"emvco\" vector tagged \"positive\"
    Then every vector gets its expected result

  Scenario: Codes with a wrong CRC are rejected
    When it validates every \"emvco\" vector tagged \"not positive\"
    Then every vector gets its expected result
";

const NAMES: [&str; 5] = [
    "QRCERT SYNTHETIC",
    "BEST TRANSPORT",
    "SAKURA CAFE",
    "NOODLE BAR",
    "CORNER STORE",
];
const CITIES: [&str; 4] = ["TESTVILLE", "BEIJING", "SHIBUYA", "PHNOM PENH"];

/// Payload number `i`: valid unless `i % 10 == 9` (then its CRC is off by one).
pub(crate) fn payload(i: usize) -> String {
    let account = format!("ACCT{i:08}");
    let gui = format!("0018com.example.qrcert01{:02}{account}", account.len());
    let mut body = String::from("000201010212");
    let _ = write!(body, "26{:02}{gui}", gui.len());
    body.push_str("52045999");
    body.push_str("5303840");
    let amount = format!("{}.{:02}", 1 + i % 500, i % 100);
    let _ = write!(body, "54{:02}{amount}", amount.len());
    body.push_str("5802US");
    let name = NAMES[i % NAMES.len()];
    let city = CITIES[(i / 7) % CITIES.len()];
    let _ = write!(
        body,
        "59{:02}{name}60{:02}{city}6304",
        name.len(),
        city.len()
    );
    let mut sum = crc::crc16(body.as_bytes());
    if i % 10 == 9 {
        sum = sum.wrapping_add(1);
    }
    body.push_str(std::str::from_utf8(&crc::to_hex(sum)).unwrap_or("0000"));
    body
}

/// Writes a suite of `n` vectors under `dir` (`dir/vectors`, `dir/features`); returns the two
/// directories.
pub(crate) fn write(dir: &Path, n: usize) -> std::io::Result<(PathBuf, PathBuf)> {
    let vectors = dir.join("vectors");
    let features = dir.join("features");
    std::fs::create_dir_all(vectors.join("emvco"))?;
    std::fs::create_dir_all(features.join("emvco"))?;
    std::fs::write(features.join("emvco/synthetic.feature"), FEATURE)?;
    let mut files = BTreeMap::new();
    for (k, start) in (0..n).step_by(PER_FILE).enumerate() {
        let area = format!("synthetic-{k:04}");
        let mut y = format!(
            "profile: emvco\narea: {area}\ndescription: \"Synthetic load vectors\"\ncases:\n"
        );
        for i in start..n.min(start + PER_FILE) {
            let (expect, tags) = if i % 10 == 9 {
                (
                    "result: reject\n      rules: [EMV.63.CRC_MISMATCH]",
                    "negative",
                )
            } else {
                ("result: accept", "positive")
            };
            let _ = write!(
                y,
                "  - id: EMV-SYN-{i:06}\n    capability: validate\n    title: \"Synthetic {i}\"\n    input:\n      payload: \"{}\"\n    expect:\n      {expect}\n    refs: [\"synthetic\"]\n    tags: [{tags}]\n    since: \"2026.11.0\"\n",
                payload(i)
            );
        }
        let rel = format!("emvco/{area}.yaml");
        files.insert(rel.clone(), sha256_hex(y.as_bytes()));
        std::fs::write(vectors.join(&rel), y)?;
    }
    let manifest = Manifest {
        suite_version: "2026.11.0".parse().map_err(std::io::Error::other)?,
        rules_version: RULES_VERSION.into(),
        versions: vec![PlanVersion {
            version: "2026.11.0".parse().map_err(std::io::Error::other)?,
            effective: "2026-11-01".into(),
            notes: Some("Synthetic load suite.".into()),
        }],
        retired: Vec::new(),
        files,
    };
    std::fs::write(vectors.join("manifest.yaml"), manifest.to_yaml())?;
    Ok((vectors, features))
}
