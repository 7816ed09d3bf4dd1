//! Fresh suites (`run --fresh`, `vectors generate --fresh`): nothing in them can be learnt from
//! the committed vectors, the reference passes them, and an implementation that answers from a
//! table of the public suite is certified on it but not on a fresh one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use qrcert::Clock;
use qrcert::report::{Report, Verdict};
use qrcert::vectors::fresh::instantiate;
use qrcert::vectors::load::parse_file;
use qrcert::vectors::{Input, load_dir};

const BIN: &str = env!("CARGO_BIN_EXE_qrcert");
const CLOCK: &str = "2026-12-01T00:00:00Z";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn clock() -> Clock {
    CLOCK.parse().expect("clock")
}

/// Validate payloads by vector ID, from the vector files of a suite (relative path -> bytes).
fn validate_payloads(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for (rel, bytes) in files.iter().filter(|(r, _)| r.ends_with(".yaml")) {
        if rel == "manifest.yaml" {
            continue;
        }
        let (file, errors) = parse_file(Path::new(rel), Path::new(rel), bytes);
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        for c in file.expect("parses").cases {
            if let Input::Validate(i) = &c.input {
                out.insert(c.id.clone(), i.payload.as_bytes().to_vec());
            }
        }
    }
    out
}

fn committed_payloads() -> BTreeSet<Vec<u8>> {
    load_dir(&repo().join("vectors"))
        .cases()
        .filter_map(|c| match &c.input {
            Input::Validate(i) => Some(i.payload.as_bytes().to_vec()),
            Input::Parse(p) => Some(p.payload.as_bytes().to_vec()),
            Input::Render(r) => Some(r.payload.as_bytes().to_vec()),
            _ => None,
        })
        .collect()
}

#[test]
fn two_seeds_differ_and_neither_repeats_the_committed_suite() {
    let vectors = repo().join("vectors");
    let a = instantiate(&vectors, 11, clock()).expect("seed 11");
    let b = instantiate(&vectors, 12, clock()).expect("seed 12");
    let (pa, pb) = (validate_payloads(&a.files), validate_payloads(&b.files));
    assert_eq!(pa.len(), pb.len());
    assert!(pa.len() > 1000, "the whole validate suite: {}", pa.len());
    let differ = pa.iter().filter(|(id, p)| pb.get(*id) != Some(*p)).count();
    let committed = committed_payloads();
    let novel = |p: &BTreeMap<String, Vec<u8>>| {
        p.values().filter(|x| !committed.contains(*x)).count() as f64 / p.len() as f64
    };
    let differ = differ as f64 / pa.len() as f64;
    eprintln!(
        "validate payloads: {:.1} % differ between seeds 11 and 12; {:.1} % and {:.1} % are in no committed vector",
        differ * 100.0,
        novel(&pa) * 100.0,
        novel(&pb) * 100.0
    );
    assert!(differ >= 0.8, "{differ}");
    assert!(novel(&pa) >= 0.8 && novel(&pb) >= 0.8);
    assert_ne!(a.sha256, b.sha256);
}

#[test]
fn one_seed_and_clock_give_the_same_bytes() {
    let vectors = repo().join("vectors");
    let a = instantiate(&vectors, 5, clock()).expect("seed 5");
    let b = instantiate(&vectors, 5, clock()).expect("seed 5 again");
    assert_eq!(a.files, b.files);
    assert_eq!(a.sha256, b.sha256);
    let later = instantiate(
        &vectors,
        5,
        Clock::from_millis(clock().millis() + 86_400_000),
    )
    .expect("a day later");
    assert_ne!(later.sha256, a.sha256, "timestamps follow the clock");
}

fn qrcert(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("qrcert runs")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qrcert-fresh-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn report(dir: &Path) -> Report {
    qrcert::report::files::read_report(&dir.join("report.json"))
        .expect("report.json")
        .1
}

/// The capabilities whose every case a fresh suite re-instantiates (scan is tested on its own:
/// rendering and reading its fresh images makes a run slower).
const FRESH_CAPS: [&str; 8] = [
    "--capability",
    "parse",
    "--capability",
    "validate",
    "--capability",
    "generate",
    "--capability",
    "render",
];

/// `qrcert run` of `adapter` over `caps`: on the fresh suite of `seed`, or on the committed
/// one (`None`).
fn suite_run(seed: Option<&str>, adapter: &str, out: &Path, caps: &[&str]) -> Output {
    let out = out.to_str().expect("utf-8 path");
    let mut args = vec![
        "run",
        "--now",
        CLOCK,
        "--adapter",
        adapter,
        "--out",
        out,
        "-q",
    ];
    match seed {
        Some(seed) => args.extend(["--fresh", seed]),
        None => args.extend(["--vectors", "vectors"]),
    }
    args.extend_from_slice(caps);
    qrcert(&args)
}

fn fresh_run(seed: &str, adapter: &str, out: &Path, caps: &[&str]) -> Output {
    suite_run(Some(seed), adapter, out, caps)
}

/// Asserts the run exited with `code`, showing its output otherwise.
fn exited(o: &Output, code: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A memorizing fixture (tests/fixtures/memorizer/) as a CLI adapter: it answers from a table
/// of the committed suite.
fn memorizer(script: &str) -> String {
    format!(
        "cli:python3 {} {}",
        repo()
            .join("tests/fixtures/memorizer")
            .join(script)
            .display(),
        repo().join("vectors").display()
    )
}

/// Runs `adapter` over `caps` on the committed suite, where it must be certified, and on the
/// fresh suite of seed 20261206, where it must not be; returns both output directories and the
/// fresh report.
fn certified_on_committed_only(adapter: &str, name: &str, caps: &[&str]) -> ([PathBuf; 2], Report) {
    let committed = temp(&format!("{name}-committed"));
    let o = suite_run(None, adapter, &committed, caps);
    exited(&o, 0, "a table of the public suite certifies");
    assert_eq!(report(&committed).verdict, Verdict::Certified);

    let fresh = temp(&format!("{name}-fresh"));
    let o = fresh_run("20261206", adapter, &fresh, caps);
    exited(&o, 1, "a table of the public suite fails a fresh one");
    let r = report(&fresh);
    assert_eq!(r.verdict, Verdict::NotCertified);
    ([committed, fresh], r)
}

#[test]
fn the_reference_is_certified_on_five_seeds_and_a_seed_reruns_to_the_same_report() {
    for seed in ["1", "2", "3", "4", "18446744073709551615"] {
        let out = temp(&format!("ref-{seed}"));
        let o = fresh_run(seed, "builtin", &out, &FRESH_CAPS);
        exited(&o, 0, &format!("seed {seed}"));
        let r = report(&out);
        assert_eq!(r.verdict, Verdict::Certified);
        let fresh = r.suite.fresh.as_ref().expect("the report records the seed");
        assert_eq!(fresh.seed, seed);
        let manifest = std::fs::read(out.join("fresh-suite/manifest.yaml")).expect("suite");
        assert_eq!(
            r.suite.sha256,
            qrcert::vectors::manifest::sha256_hex(&manifest),
            "the report names the fresh suite's hash"
        );
        if seed == "1" {
            let again = temp("ref-1-again");
            let o = fresh_run(seed, "builtin", &again, &FRESH_CAPS);
            assert_eq!(o.status.code(), Some(0));
            let (a, b) = (r.normalized(), report(&again).normalized());
            assert_eq!(
                serde_json::to_string_pretty(&a).expect("json"),
                serde_json::to_string_pretty(&b).expect("json"),
                "same seed and clock, same report (timing aside)"
            );
            let _ = std::fs::remove_dir_all(&again);
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}

#[test]
fn a_memorizing_implementation_passes_the_committed_suite_and_fails_a_fresh_one() {
    let caps = ["--capability", "validate"];
    let (dirs, r) = certified_on_committed_only(&memorizer("memorizer.py"), "memo", &caps);
    let fails = r.summary.grades.get(qrcert::report::Grade::Fail);
    assert!(fails > 500, "it fails most negative vectors: {fails}");
    for d in dirs {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn a_scanner_that_knows_the_committed_images_by_hash_fails_fresh_images_the_reference_reads() {
    let caps = ["--capability", "scan"];
    let (dirs, r) =
        certified_on_committed_only(&memorizer("scan_memorizer.py"), "scan-memo", &caps);
    let fails = r.summary.grades.get(qrcert::report::Grade::Fail);
    assert!(
        fails > 150,
        "it reads no fresh required rung: {fails} failures"
    );

    // The same fresh suite certifies the reference for scan: every fresh image reads.
    let reference = temp("scan-ref-fresh");
    let o = fresh_run("20261206", "builtin", &reference, &caps);
    exited(&o, 0, "the reference reads every fresh image");
    let r = report(&reference);
    assert_eq!(r.verdict, Verdict::Certified);
    let fresh_images = std::fs::read_dir(reference.join("fresh-suite/images"))
        .expect("fresh images")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("fresh-"))
        })
        .count();
    assert!(fresh_images > 150, "{fresh_images} fresh images");
    for d in dirs.into_iter().chain([reference]) {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn fresh_scan_cases_read_new_images_of_new_payloads_at_every_required_rung() {
    let vectors = repo().join("vectors");
    let suite = instantiate(&vectors, 7, clock()).expect("seed 7");
    let committed = load_dir(&vectors);
    let committed_images: BTreeSet<Vec<u8>> = committed
        .cases()
        .filter_map(|c| match &c.input {
            Input::Scan(i) => Some(i.images.clone()),
            _ => None,
        })
        .flatten()
        .map(|p| std::fs::read(vectors.join(p)).expect("committed image"))
        .collect();
    let mut checked = 0;
    for (rel, bytes) in suite
        .files
        .iter()
        .filter(|(r, _)| r.ends_with("ladder.yaml") || r.ends_with("sequence.yaml"))
    {
        let (file, errors) = parse_file(Path::new(rel), Path::new(rel), bytes);
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        for c in file.expect("parses").cases {
            let (Input::Scan(i), qrcert::vectors::Expect::Scan(e)) = (&c.input, &c.expect) else {
                continue;
            };
            let required = e.rung.as_ref().is_none_or(|r| {
                qrcert::image::is_required(
                    c.profile,
                    &qrcert::image::rung_by_id(&r.id).expect("rung"),
                )
            });
            if !required {
                assert!(
                    i.images.iter().all(|p| !p.starts_with("images/fresh-")),
                    "{}: a stress case keeps its committed images",
                    c.id
                );
                continue;
            }
            let last = i.images.last().expect("a frame");
            if let Some(expected) = &e.payload {
                assert!(last.starts_with("images/fresh-"), "{}: {last}", c.id);
                let png = &suite.files[last];
                assert!(!committed_images.contains(png), "{}: a new image", c.id);
                let read = qrcert::reference::scan(png).expect("the reference reads it");
                assert_eq!(&read, expected, "{}: reads the fresh payload", c.id);
                let old = committed.cases().find(|o| o.id == c.id).expect("same ID");
                let qrcert::vectors::Expect::Scan(oe) = &old.expect else {
                    panic!("scan")
                };
                assert_ne!(oe.payload.as_ref(), Some(expected), "{}: new payload", c.id);
                checked += 1;
            }
        }
    }
    assert!(suite.scan.fresh > 150, "{:?}", suite.scan);
    assert!(checked > 150, "{checked} fresh scan cases checked");
    eprintln!("scan cases: {:?}", suite.scan);
}

#[test]
fn a_fresh_vector_the_reference_contradicts_stops_the_run_naming_seed_and_vector() {
    let dir = temp("contradiction");
    let vectors = dir.join("vectors");
    let copy = Command::new("cp")
        .args(["-r", "vectors"])
        .arg(&vectors)
        .current_dir(repo())
        .status()
        .expect("cp");
    assert!(copy.success());
    // A wrong expectation: the digest's KHQR sample "rejected".
    let file = vectors.join("khqr/examples.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let (head, tail) = text.split_once("KHQR-EXAMPLES-001").expect("case");
    let tail = tail.replacen(
        "result: accept",
        "result: reject\n      rules: [KHQR.99.EXPIRED]",
        1,
    );
    std::fs::write(&file, format!("{head}KHQR-EXAMPLES-001{tail}")).expect("write");
    let v = vectors.to_str().expect("utf-8");
    let o = qrcert(&["vectors", "--dir", v, "manifest", "--update"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.join("out");
    let o = qrcert(&[
        "run",
        "--vectors",
        v,
        "--fresh",
        "77",
        "--now",
        CLOCK,
        "--out",
        out.to_str().expect("utf-8"),
        "--capability",
        "validate",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("seed 77") && stderr.contains("KHQR-EXAMPLES-001"),
        "{stderr}"
    );
    assert!(
        !out.join("report.json").exists(),
        "no report from a broken suite"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn vectors_generate_fresh_writes_a_suite_that_loads() {
    let dir = temp("generate");
    let out = dir.join("suite");
    let o = qrcert(&[
        "vectors",
        "generate",
        "--fresh",
        "9",
        "--now",
        CLOCK,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let suite = qrcert::vectors::Suite::load(&out).expect("a fresh suite loads");
    let again = instantiate(&repo().join("vectors"), 9, clock()).expect("seed 9");
    assert_eq!(
        suite.sha256, again.sha256,
        "the built-in suite is the committed one"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Fresh data moves what a structural mutant reads further on (seed 34 once turned a length
/// mutant's account ID into a different misreading, and the run stopped with exit 2): every
/// fresh validate case keeps its expectation under the reference, checked here in process over
/// many seeds, faster than a run per seed.
#[test]
fn every_fresh_validate_case_keeps_its_expectation_under_the_reference() {
    use qrcert::vectors::model::{Expect, Outcome};
    let vectors = repo().join("vectors");
    let mut wrong = Vec::new();
    for seed in (30..40).chain([92_047_466_349_430_330]) {
        let suite = instantiate(&vectors, seed, clock()).expect("instantiates");
        for (rel, bytes) in suite.files.iter().filter(|(r, _)| r.ends_with(".yaml")) {
            if rel == "manifest.yaml" {
                continue;
            }
            let (file, _) = parse_file(Path::new(rel), Path::new(rel), bytes);
            for c in file.expect("parses").cases {
                let (Input::Validate(i), Expect::Validate(e)) = (&c.input, &c.expect) else {
                    continue;
                };
                let Some(payload) = i.payload.as_str() else {
                    continue;
                };
                if i.role == qrcert::rules::Role::Generator {
                    // Judged by qrcert's validator in the generator role, never sent to an
                    // implementation (the lint checks those against the validator).
                    continue;
                }
                let now = Some(i.now.unwrap_or(clock()));
                let reply = qrcert::reference::validate(payload, c.profile, now).expect("judged");
                let fired: BTreeSet<&str> = reply.errors.iter().map(|x| x.code.as_str()).collect();
                let ok = match e.outcome() {
                    Outcome::Accept => reply.valid,
                    Outcome::Reject => {
                        !reply.valid && e.rules.iter().all(|r| fired.contains(r.as_str()))
                    }
                };
                if !ok {
                    wrong.push(format!("seed {seed}: {}: fired {fired:?}", c.id));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
