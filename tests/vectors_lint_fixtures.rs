//! `qrcert vectors lint` fails, naming the problem, on one broken fixture per lint rule; and
//! hostile vector files get clear errors, never a panic or unbounded memory.

use std::path::{Path, PathBuf};
use std::process::Command;

use qrcert::vectors::lint::{LintCode, LintLevel};
use qrcert::vectors::load::{LoadError, MAX_FILE_BYTES, parse_file, updated_manifest};
use qrcert::vectors::{Input, PayloadText, Suite, lint, load_dir};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vectors")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Copies a fixture set and pins its hashes, as an author would before linting.
fn pinned(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("lint").join(name), tmp.path());
    let loaded = load_dir(tmp.path());
    if let Some(mut m) = updated_manifest(&loaded) {
        // Fixtures speak the catalogue's current rules version, except the one about it.
        if name != "manifest" {
            m.rules_version = qrcert::rules::catalogue::RULES_VERSION.to_owned();
        }
        std::fs::write(tmp.path().join("manifest.yaml"), m.to_yaml()).unwrap();
    }
    tmp
}

fn qrcert(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qrcert"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (fixture, code, the vector ID the finding names, a phrase of the message)
const CASES: &[(&str, LintCode, Option<&str>, &str)] = &[
    (
        "duplicate-id",
        LintCode::DuplicateId,
        Some("EMV-DUPLICATE-ID-001"),
        "already used at",
    ),
    (
        "retired-reused",
        LintCode::RetiredReused,
        Some("EMV-RETIRED-REUSED-001"),
        "never reused",
    ),
    (
        "unknown-rule",
        LintCode::UnknownRule,
        Some("EMV-UNKNOWN-RULE-001"),
        "EMV.59.MISSING",
    ),
    (
        "rule-scope",
        LintCode::RuleScope,
        Some("EMV-RULE-SCOPE-001"),
        "EMV.QR.DECODES",
    ),
    ("crc", LintCode::Crc, Some("EMV-CRC-001"), "gives 6373"),
    (
        "id-format",
        LintCode::IdFormat,
        Some("EMV-OTHER-1"),
        "EMV-ID-FORMAT-NNN",
    ),
    (
        "version",
        LintCode::Version,
        Some("EMV-VERSION-001"),
        "2030.1.0",
    ),
    (
        "verdict",
        LintCode::Verdict,
        Some("EMV-VERDICT-001"),
        "EMV.59.PRESENT",
    ),
    ("smoke", LintCode::Smoke, None, "no smoke case"),
    (
        "metadata",
        LintCode::Metadata,
        Some("EMV-METADATA-001"),
        "Not-Lower",
    ),
    ("manifest", LintCode::Manifest, None, "1999.1.0"),
    ("load", LintCode::Load, Some("EMV-LOAD-001"), "payloadd"),
    (
        "image",
        LintCode::Image,
        Some("EMV-IMAGE-001"),
        "images/<name>.png",
    ),
    (
        "coverage",
        LintCode::Coverage,
        None,
        "EMV.63.CRC_MISMATCH has no negative vector",
    ),
    (
        "dead-rule",
        LintCode::DeadRule,
        None,
        "EMV.63.CONSUMER_REJECTS_BAD_CRC is active but dead: grading fires it only given an active validate vector rejecting for a profile's CRC-mismatch rule",
    ),
];

#[test]
fn each_fixture_fails_lint_with_its_own_finding() {
    let mut seen = std::collections::BTreeSet::new();
    for (name, code, id, phrase) in CASES {
        let tmp = pinned(name);
        let report = lint(&load_dir(tmp.path()));
        let hit = report.findings.iter().find(|f| {
            f.code == *code
                && f.level == LintLevel::Error
                && f.message.contains(phrase)
                && f.id.as_deref() == *id
        });
        let hit = hit.unwrap_or_else(|| {
            panic!(
                "{name}: no {code} finding with {phrase:?}: {:#?}",
                report.findings
            )
        });
        if id.is_some() {
            // Findings about a case name its file and line.
            assert!(
                hit.file.ends_with(format!("emvco/{name}.yaml")),
                "{name}: {}",
                hit.file.display()
            );
            assert!(hit.line.is_some_and(|l| l > 0), "{name}: no line");
        }
        assert!(report.has_errors());
        seen.insert(*code);
    }
    assert_eq!(seen.len(), CASES.len(), "one fixture per lint code");
}

#[test]
fn the_cli_exits_1_on_findings_2_on_unloadable_files_and_0_on_the_suite() {
    let tmp = pinned("duplicate-id");
    let (code, out, _) = qrcert(&["vectors", "lint", "--dir", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[duplicate-id] EMV-DUPLICATE-ID-001"),
        "{out}"
    );
    assert!(out.contains("duplicate-id.yaml:15"), "{out}");
    assert!(out.contains("coverage: "), "{out}");

    let tmp = pinned("load");
    let (code, out, _) = qrcert(&["vectors", "lint", "--dir", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("EMV-LOAD-001") && out.contains("payloadd"),
        "{out}"
    );

    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let (code, out, _) = qrcert(&["vectors", "lint", "--dir", suite.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("active MUST/SHOULD payload rules have a negative vector (100.0%)"),
        "{out}"
    );

    let (code, out, _) = qrcert(&[
        "vectors",
        "list",
        "--dir",
        suite.to_str().unwrap(),
        "--format",
        "json",
        "--tags",
        "smoke",
    ]);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(
        !rows.is_empty() && rows.len() <= 50,
        "{} smoke rows",
        rows.len()
    );
    assert!(
        rows.iter()
            .all(|r| r["tags"].as_array().unwrap().iter().any(|t| t == "smoke"))
    );

    let (code, out, _) = qrcert(&[
        "vectors",
        "list",
        "--dir",
        suite.to_str().unwrap(),
        "--capability",
        "parse",
        "--tags",
        "emvco and not annex-b",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("EMV-PARSE-002") && !out.contains("EMV-PARSE-001 "),
        "{out}"
    );

    let (code, _, err) = qrcert(&[
        "vectors",
        "list",
        "--dir",
        suite.to_str().unwrap(),
        "--tags",
        "smoke and",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("at character 10"), "{err}");

    // A tampered set is refused by list.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&suite, tmp.path());
    let f = tmp.path().join("emvco/root.yaml");
    let text = std::fs::read_to_string(&f)
        .unwrap()
        .replacen("No merchant", "No  merchant", 1);
    std::fs::write(&f, text).unwrap();
    let (code, _, err) = qrcert(&["vectors", "list", "--dir", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("emvco/root.yaml: SHA-256 is"), "{err}");
}

#[test]
fn payload_text_survives_loading_exactly() {
    let rel = Path::new("emvco/survival.yaml");
    let bytes = std::fs::read(fixtures().join("survival").join(rel)).unwrap();
    let (file, errors) = parse_file(rel, rel, &bytes);
    assert!(errors.is_empty(), "{errors:?}");
    let cases = file.unwrap().cases;
    let payloads: Vec<PayloadText> = cases
        .iter()
        .filter_map(|c| match &c.input {
            Input::Validate(i) => Some(i.payload.clone()),
            _ => None,
        })
        .collect();
    let text = |s: &str| PayloadText::Text(s.to_owned());
    assert_eq!(
        payloads,
        vec![
            text("00"),
            text("01"),
            text("12345678901234567890"),
            text("ហាងគុយទាវ"),
            text("さくらテストカフェ"),
            text("CAFE🍜🍜"),
            text("ends in spaces   "),
            text("A\r\n\t\0\u{7F}"),
            PayloadText::Bytes(vec![0x30, 0x30, 0xFF]),
        ]
    );
    let qrcert::vectors::Expect::Parse(p) = &cases[9].expect else {
        panic!()
    };
    assert_eq!(p.fields["00"], qrcert::vectors::Field::Value("01".into()));
    assert!(
        matches!(&p.fields["29"], qrcert::vectors::Field::Template(t) if t["01"] == qrcert::vectors::Field::Value("007".into()))
    );
    assert_eq!(cases[0].source.line, 5);
}

fn one_file_set(name: &str, content: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("lint/smoke"), tmp.path());
    std::fs::remove_file(tmp.path().join("emvco/smoke.yaml")).unwrap();
    std::fs::write(
        tmp.path().join("emvco").join(format!("{name}.yaml")),
        content,
    )
    .unwrap();
    tmp
}

fn load_errors(tmp: &Path) -> Vec<LoadError> {
    let errs = load_dir(tmp).errors;
    assert!(!errs.is_empty());
    errs
}

#[test]
fn hostile_vector_files_get_clear_errors() {
    let head = "profile: emvco\narea: bad\ncases:\n";
    // Syntax error: file, line and column.
    let tmp = one_file_set("bad", format!("{head}  - id: [EMV-BAD-001\n").as_bytes());
    let e = &load_errors(tmp.path())[0];
    assert!(matches!(e, LoadError::Yaml { line: 4, .. }), "{e}");
    assert!(e.to_string().contains("bad.yaml:4:"), "{e}");
    // Unknown field.
    let tmp = one_file_set(
        "bad",
        format!("{head}  - id: EMV-BAD-001\n    capability: validate\n    titel: x\n").as_bytes(),
    );
    let e = &load_errors(tmp.path())[0];
    assert!(
        e.to_string().contains("unknown field `titel`") && e.line() == Some(6),
        "{e}"
    );
    // Wrong type: an unquoted 00 is a number.
    let bytes = std::fs::read(fixtures().join("bad/unquoted.yaml")).unwrap();
    let tmp = one_file_set("unquoted", &bytes);
    let e = &load_errors(tmp.path())[0];
    let msg = e.to_string();
    assert!(
        msg.contains("EMV-UNQUOTED-001")
            && msg.contains("expected a string")
            && e.line() == Some(8),
        "{msg}"
    );
    // An alias bomb is refused at its first anchor.
    let mut bomb = format!("{head}  - &a0 [\"lol\", \"lol\"]\n");
    for i in 1..40 {
        bomb.push_str(&format!(
            "  - &a{i} [*a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    let tmp = one_file_set("bad", bomb.as_bytes());
    let e = &load_errors(tmp.path())[0];
    assert!(
        e.to_string().contains("anchors and aliases") && e.line() == Some(4),
        "{e}"
    );
    // Deep nesting.
    // Deep nesting where any value is read (the input of a case).
    let deep = format!(
        "{head}  - id: EMV-BAD-001\n    capability: validate\n    title: x\n    input: {}{}\n",
        "[".repeat(200),
        "]".repeat(200)
    );
    let tmp = one_file_set("bad", deep.as_bytes());
    let e = &load_errors(tmp.path())[0];
    assert!(e.to_string().contains("levels deep"), "{e}");
    // Two documents.
    let tmp = one_file_set(
        "bad",
        b"profile: emvco\narea: bad\ncases: []\n---\nprofile: emvco\n",
    );
    let e = &load_errors(tmp.path())[0];
    assert!(e.to_string().contains("more than one YAML document"), "{e}");
    // Not UTF-8.
    let tmp = one_file_set("bad", b"profile: emvco\narea: \xff\n");
    assert!(matches!(
        load_errors(tmp.path())[0],
        LoadError::NotUtf8 { offset: 21, .. }
    ));
    // 100 MB (sparse): refused from its size, before reading.
    let tmp = one_file_set("bad", b"");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(tmp.path().join("emvco/bad.yaml"))
        .unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let e = &load_errors(tmp.path())[0];
    assert!(
        matches!(e, LoadError::TooLarge { limit, .. } if *limit == MAX_FILE_BYTES),
        "{e}"
    );
    assert!(e.to_string().contains("104857600 bytes"), "{e}");
    // And the command line says so with exit code 2, never a panic.
    let (code, out, err) = qrcert(&["vectors", "lint", "--dir", tmp.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("bad.yaml") && out.contains("limited to"),
        "{out}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // A misplaced file is named.
    let tmp = one_file_set("ok", b"");
    std::fs::write(tmp.path().join("stray.yaml"), "x: 1\n").unwrap();
    assert!(
        load_errors(tmp.path())
            .iter()
            .any(|e| e.to_string().contains("stray.yaml"))
    );
    assert!(Suite::load(tmp.path()).is_err());
}
