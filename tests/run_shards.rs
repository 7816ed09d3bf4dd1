//! A run split three ways (`qrcert run --shard K/3`, as a CI matrix runs it) and merged back
//! (`qrcert report merge`) gives the verdict and cases of the same run unsharded. Shards of
//! different runs are refused.

mod run_support;

use std::path::Path;
use std::time::Duration;

use qrcert::report::{Grade, Report, Verdict};
use run_support::*;

const LIMIT: Duration = Duration::from_secs(300);

fn run_into(config: &str, out: &Path, extra: &[&str]) -> Watched {
    let mut a = vec![
        "run",
        "--profile",
        "khqr",
        "--now",
        CLOCK,
        "-q",
        "--adapter",
        config,
        "--out",
        out.to_str().unwrap(),
    ];
    a.extend_from_slice(extra);
    run_watched(&a, &[], LIMIT)
}

fn canonical(r: &Report) -> String {
    String::from_utf8(r.normalized().to_canonical_json()).unwrap()
}

#[test]
fn three_shards_merge_to_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    // A deterministic, imperfect implementation: it accepts every payload, so the rejection
    // vectors fail and the verdict is not trivially "certified".
    let config = hostile_cli_config(tmp.path(), "accepts_all", "");
    let config = config.to_str().unwrap();

    let whole_dir = tmp.path().join("whole");
    let w = run_into(config, &whole_dir, &[]);
    assert_eq!(w.code, Some(1), "{}", w.stderr);
    let whole = report(&whole_dir);
    assert_eq!(whole.verdict, Verdict::NotCertified);
    assert!(count(&whole, Grade::Fail) > 0 && count(&whole, Grade::Pass) > 0);

    let mut shard_dirs = Vec::new();
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let dir = tmp.path().join(format!("shard{k}"));
        let shard = format!("{k}/3");
        let w = run_into(config, &dir, &["--shard", &shard]);
        assert!(matches!(w.code, Some(0 | 1)), "{}", w.stderr);
        let r = report(&dir);
        assert_eq!(r.selection.shard.as_deref(), Some(shard.as_str()));
        sizes.push(r.cases.len());
        shard_dirs.push(dir);
    }
    assert_eq!(sizes.iter().sum::<usize>(), whole.cases.len());
    assert!(sizes.iter().all(|&n| n > 0), "{sizes:?}");

    let merged_dir = tmp.path().join("merged");
    let key = tmp.path().join("signer");
    let k = run_watched(&["keygen", "--out", key.to_str().unwrap()], &[], LIMIT);
    assert_eq!(k.code, Some(0), "{}", k.stderr);
    let mut args = vec![
        "report",
        "merge",
        "--sign-key",
        key.to_str().unwrap(),
        "--out",
        merged_dir.to_str().unwrap(),
    ];
    // Given in any order.
    for d in shard_dirs.iter().rev() {
        args.push(d.to_str().unwrap());
    }
    let m = run_watched(&args, &[], LIMIT);
    // Exit code as the unsharded run's: 1, not certified.
    assert_eq!(m.code, Some(1), "{}{}", m.stdout, m.stderr);
    assert!(m.stdout.contains("NOT CERTIFIED"), "{}", m.stdout);
    let merged = report(&merged_dir);
    assert_eq!(merged.verdict, whole.verdict);
    assert_eq!(merged.certification, whole.certification);
    assert_eq!(merged.cases.len(), whole.cases.len());
    // Not just the same verdict and cases: the same report, timing aside.
    assert_eq!(canonical(&merged), canonical(&whole));
    // One signature over the merged report, in every format.
    for f in ["junit.xml", "report.html", "summary.md", "report.json.sig"] {
        assert!(merged_dir.join(f).is_file(), "{f} missing");
    }
    let public = tmp.path().join("signer.pub");
    let merged_json = merged_dir.join("report.json");
    let v = run_watched(
        &[
            "report",
            "verify",
            "--key",
            public.to_str().unwrap(),
            merged_json.to_str().unwrap(),
        ],
        &[],
        LIMIT,
    );
    assert_eq!(v.code, Some(0), "{}{}", v.stdout, v.stderr);

    // A shard of another run (another clock) is refused, naming it.
    let other = tmp.path().join("other");
    let w = run_watched(
        &[
            "run",
            "--profile",
            "khqr",
            "--now",
            "2027-01-01T00:00:00Z",
            "-q",
            "--adapter",
            config,
            "--shard",
            "2/3",
            "--out",
            other.to_str().unwrap(),
        ],
        &[],
        LIMIT,
    );
    assert!(matches!(w.code, Some(0 | 1)), "{}", w.stderr);
    let refused_dir = tmp.path().join("refused");
    let m = run_watched(
        &[
            "report",
            "merge",
            "--out",
            refused_dir.to_str().unwrap(),
            shard_dirs[0].to_str().unwrap(),
            other.to_str().unwrap(),
            shard_dirs[2].to_str().unwrap(),
        ],
        &[],
        LIMIT,
    );
    assert_eq!(m.code, Some(2));
    assert!(
        m.stderr.contains("clock") && m.stderr.contains("other"),
        "{}",
        m.stderr
    );
    assert!(!refused_dir.join("report.json").exists());

    // A missing shard is refused too.
    let m = run_watched(
        &[
            "report",
            "merge",
            "--out",
            refused_dir.to_str().unwrap(),
            shard_dirs[0].to_str().unwrap(),
            shard_dirs[2].to_str().unwrap(),
        ],
        &[],
        LIMIT,
    );
    assert_eq!(m.code, Some(2));
    assert!(m.stderr.contains("2/3 missing"), "{}", m.stderr);

    // So is an unsharded report.
    let m = run_watched(
        &[
            "report",
            "merge",
            "--out",
            refused_dir.to_str().unwrap(),
            whole_dir.to_str().unwrap(),
        ],
        &[],
        LIMIT,
    );
    assert_eq!(m.code, Some(2));
    assert!(m.stderr.contains("not a shard report"), "{}", m.stderr);
}
