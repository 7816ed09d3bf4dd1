//! `qrcert vectors`: list, lint, regenerate and pin the golden test vectors.
//!
//! Exit codes: 0 ok; 1 lint findings (or, with `--check`, files out of date); 2 usage, I/O or
//! vector files that cannot be loaded.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::{CliError, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::vectors::lint::LintLevel;
use crate::vectors::load::updated_manifest;
use crate::vectors::manifest::MANIFEST_FILE;
use crate::vectors::{Case, Expect, Input, Suite, TagExpr, VectorStatus, generate, lint, load_dir};
use crate::{Capability, Profile};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The vectors directory. Default: for `list`, the suite built into this qrcert; for the
    /// commands that check or rewrite files (lint, manifest, generate, images), `vectors`.
    #[arg(long, global = true, env = "QRCERT_VECTORS", value_name = "DIR")]
    dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, Subcommand)]
enum Sub {
    /// List vectors (the set must match its manifest).
    List(ListArgs),
    /// Check the vector set: IDs, rules, coverage, CRCs, versions, the reference verdict.
    Lint(LintArgs),
    /// Rewrite the manifest's hashes and retired-ID ledger from the files.
    Manifest(ManifestArgs),
    /// Regenerate the generator-owned vector files (then update the manifest).
    Generate(GenerateArgs),
    /// Print the JSON Schema of vector files.
    Schema,
    /// Seal a vectors directory with an operator key: signs its manifest, which pins every
    /// file, into DIR/manifest.yaml.sig. `qrcert run --vectors DIR --suite-key KEY.pub` then
    /// refuses the suite if anything in it changes.
    Seal(SealArgs),
    /// Render the golden scan images the scan vectors name (deterministic), then update the
    /// manifest.
    Images(ImagesArgs),
    /// Write the suite built into this qrcert (DIR/vectors, DIR/features) out for review, or
    /// to run with `--vectors DIR/vectors --features DIR/features`.
    Export(ExportArgs),
}

#[derive(Debug, clap::Args)]
struct SealArgs {
    /// The operator's secret key (`qrcert keygen --out operator` writes operator and
    /// operator.pub).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// The vectors directory to seal (its manifest must match its files).
    #[arg(long, value_name = "DIR")]
    vectors: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// Where to write it (created; must not hold a vectors/ or features/ directory yet).
    #[arg(value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
struct ImagesArgs {
    /// Write nothing; exit 1 when an image is missing or differs from its rendering.
    #[arg(long)]
    check: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
    /// Only this profile's vectors.
    #[arg(long)]
    profile: Option<Profile>,
    /// Only this capability's vectors.
    #[arg(long)]
    capability: Option<Capability>,
    /// A tag expression, e.g. `smoke`, `khqr and not slow`, `crc or tlv`. Profile, capability,
    /// area and status count as tags.
    #[arg(long)]
    tags: Option<String>,
    /// Include retired vectors.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LintFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
struct LintArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,
}

#[derive(Debug, clap::Args)]
struct ManifestArgs {
    /// Rewrite the manifest (without it, only report whether it is current).
    #[arg(long)]
    update: bool,
}

#[derive(Debug, clap::Args)]
struct GenerateArgs {
    /// Write nothing; exit 1 when a generated file is out of date.
    #[arg(long, conflicts_with = "fresh")]
    check: bool,
    /// Write a fresh suite instead: the suite (`--dir`, default the built-in one)
    /// re-instantiated from SEED (`random` picks one), as `qrcert run --fresh` runs it.
    #[arg(long, value_name = "SEED|random", requires = "out")]
    fresh: Option<crate::vectors::fresh::SeedArg>,
    /// Where `--fresh` writes the suite (created).
    #[arg(long, value_name = "DIR", requires = "fresh")]
    out: Option<PathBuf>,
    /// The clock fresh timestamps are made relative to (RFC 3339 or epoch milliseconds).
    /// Default: the system clock. The same seed, suite and clock give the same bytes.
    #[arg(long, requires = "fresh")]
    now: Option<crate::Clock>,
}

pub(super) fn run(args: Args) -> Result<u8, CliError> {
    let working_copy = || args.dir.clone().unwrap_or_else(|| PathBuf::from("vectors"));
    match args.command {
        Sub::List(a) => {
            let dir = match &args.dir {
                Some(d) => d.clone(),
                None => super::embedded_root()?.join(crate::embedded::VECTORS),
            };
            list(&dir, a)
        }
        Sub::Lint(a) => run_lint(&working_copy(), a),
        Sub::Manifest(a) => manifest(&working_copy(), a),
        Sub::Generate(a) if a.fresh.is_some() => {
            let dir = match &args.dir {
                Some(d) => d.clone(),
                None => super::embedded_root()?.join(crate::embedded::VECTORS),
            };
            generate_fresh(&dir, a)
        }
        Sub::Generate(a) => run_generate(&working_copy(), a),
        Sub::Images(a) => images(&working_copy(), a),
        Sub::Export(a) => export(&a.out),
        Sub::Seal(a) => seal(a),
        Sub::Schema => {
            let mut out = std::io::stdout().lock();
            out.write_all(crate::vectors::schema::schema_text().as_bytes())
                .map_err(CliError::io("writing the schema"))?;
            Ok(EXIT_OK)
        }
    }
}

fn export(out: &Path) -> Result<u8, CliError> {
    let n = crate::embedded::export(out).map_err(|e| CliError::Usage(e.to_string()))?;
    let vectors = out.join(crate::embedded::VECTORS);
    let manifest = crate::embedded::file("vectors/manifest.yaml").unwrap_or_default();
    crate::outln!(
        "wrote {n} files to {}: the built-in suite (manifest sha256 {})",
        out.display(),
        crate::vectors::manifest::sha256_hex(manifest)
    );
    crate::outln!(
        "run it with: qrcert run --vectors {} --features {}",
        vectors.display(),
        out.join(crate::embedded::FEATURES).display()
    );
    Ok(EXIT_OK)
}

fn seal(a: SealArgs) -> Result<u8, CliError> {
    let key =
        crate::report::sign::SecretKey::load(&a.key).map_err(|e| CliError::Usage(e.to_string()))?;
    match crate::vectors::seal::seal(&a.vectors, &key) {
        Ok(path) => {
            crate::outln!(
                "sealed {} with key {}: {}",
                a.vectors.display(),
                key.public().key_id(),
                path.display()
            );
            Ok(EXIT_OK)
        }
        Err(e) => {
            errln(&format!("qrcert: error: {e}"));
            Ok(EXIT_ERROR)
        }
    }
}

fn errln(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    profile: Profile,
    capability: Capability,
    status: VectorStatus,
    title: &'a str,
    tags: &'a [String],
    rules: Vec<&'a str>,
    since: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    retired_in: Option<String>,
    file: String,
    line: u64,
}

fn expectation(c: &Case) -> String {
    match &c.expect {
        Expect::Validate(e) => {
            let mut s = e.outcome().as_str().to_owned();
            let rules: Vec<&str> = e.all_rules().collect();
            if !rules.is_empty() {
                s.push(' ');
                s.push_str(&rules.join(","));
            }
            s
        }
        Expect::Parse(p) => format!("{} fields", p.fields.len()),
        Expect::Generate(g) if !g.refuse.is_empty() => format!("refuse {}", g.refuse.join(",")),
        Expect::Generate(g) if g.payload.is_some() => "exact payload".into(),
        Expect::Generate(_) => "properties".into(),
        Expect::Render(r) => format!("{} checks", r.checks.len()),
        Expect::Scan(_) => match &c.input {
            Input::Scan(s) => s.images.join(","),
            _ => String::new(),
        },
    }
}

fn list(dir: &Path, a: ListArgs) -> Result<u8, CliError> {
    let expr: Option<TagExpr> = match &a.tags {
        Some(t) => Some(
            t.parse()
                .map_err(|e: crate::vectors::filter::TagExprError| {
                    CliError::Usage(e.to_string())
                })?,
        ),
        None => None,
    };
    let suite = match Suite::load(dir) {
        Ok(s) => s,
        Err(e) => {
            errln(&format!(
                "qrcert: error: the vector set at {} cannot be used:\n{e}",
                dir.display()
            ));
            return Ok(EXIT_ERROR);
        }
    };
    let cases: Vec<&Case> = suite
        .cases
        .iter()
        .filter(|c| a.all || c.is_active())
        .filter(|c| a.profile.is_none_or(|p| c.profile == p))
        .filter(|c| a.capability.is_none_or(|k| c.capability() == k))
        .filter(|c| expr.as_ref().is_none_or(|e| e.matches(&|t| c.has_tag(t))))
        .collect();
    let mut out = std::io::stdout().lock();
    let io = CliError::io("writing the list");
    match a.format {
        ListFormat::Json => {
            let rows: Vec<Row> = cases
                .iter()
                .map(|c| Row {
                    id: &c.id,
                    profile: c.profile,
                    capability: c.capability(),
                    status: c.status,
                    title: &c.title,
                    tags: &c.tags,
                    rules: c.rule_refs(),
                    since: c.since.to_string(),
                    retired_in: c.retired_in.map(|v| v.to_string()),
                    file: c.source.file.display().to_string(),
                    line: c.source.line,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            writeln!(out).map_err(io)?;
        }
        ListFormat::Table => {
            let mut text = format!(
                "{:<28} {:<8} {:<9} {:<42} TITLE\n",
                "ID", "PROFILE", "CAPABILITY", "EXPECT"
            );
            for c in &cases {
                let mut exp = expectation(c);
                if exp.chars().count() > 42 {
                    exp = exp.chars().take(39).collect::<String>() + "...";
                }
                let status = if c.is_active() { "" } else { " [retired]" };
                text.push_str(&format!(
                    "{:<28} {:<8} {:<9} {:<42} {}{status}\n",
                    c.id,
                    c.profile.as_str(),
                    c.capability().as_str(),
                    exp,
                    c.title
                ));
            }
            let plan = suite.manifest.plan(suite.manifest.suite_version);
            text.push_str(&format!(
                "{} vectors (suite {}, effective {}, rules {}, sha256 {})\n",
                cases.len(),
                suite.manifest.suite_version,
                plan.map_or("?", |p| p.effective.as_str()),
                suite.manifest.rules_version,
                suite.sha256
            ));
            out.write_all(text.as_bytes()).map_err(io)?;
        }
    }
    Ok(EXIT_OK)
}

fn run_lint(dir: &Path, a: LintArgs) -> Result<u8, CliError> {
    if !dir.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let loaded = load_dir(dir);
    let report = lint(&loaded);
    let mut out = std::io::stdout().lock();
    let io = CliError::io("writing the lint report");
    match a.format {
        LintFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            writeln!(out).map_err(io)?;
        }
        LintFormat::Text => {
            let mut text = String::new();
            for f in &report.findings {
                text.push_str(&f.to_string());
                text.push('\n');
            }
            let errors = report
                .findings
                .iter()
                .filter(|f| f.level == LintLevel::Error)
                .count();
            let warnings = report.findings.len() - errors;
            text.push_str(&format!("coverage: {}\n", report.coverage));
            let counts: Vec<String> = report
                .counts
                .iter()
                .map(|((p, k), n)| format!("{p}/{k} {n}"))
                .collect();
            text.push_str(&format!(
                "vectors: {} active ({}), {} retired, {} smoke\n",
                report.active,
                counts.join(", "),
                report.retired,
                report.smoke
            ));
            text.push_str(&format!("lint: {errors} error(s), {warnings} warning(s)\n"));
            out.write_all(text.as_bytes()).map_err(io)?;
        }
    }
    Ok(if report.has_load_errors() {
        EXIT_ERROR
    } else if report.has_errors() {
        EXIT_FAIL
    } else {
        EXIT_OK
    })
}

fn manifest(dir: &Path, a: ManifestArgs) -> Result<u8, CliError> {
    let loaded = load_dir(dir);
    let Some(m) = updated_manifest(&loaded) else {
        for e in &loaded.errors {
            errln(&e.to_string());
        }
        errln(&format!(
            "qrcert: error: {} did not load",
            dir.join(MANIFEST_FILE).display()
        ));
        return Ok(EXIT_ERROR);
    };
    let path = dir.join(MANIFEST_FILE);
    let text = m.to_yaml();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == text {
        crate::outln!("{}: up to date ({} files)", path.display(), m.files.len());
        return Ok(EXIT_OK);
    }
    if !a.update {
        crate::outln!(
            "{}: out of date; run `qrcert vectors manifest --update`",
            path.display()
        );
        return Ok(EXIT_FAIL);
    }
    std::fs::write(&path, text).map_err(CliError::io(format!("writing {}", path.display())))?;
    crate::outln!(
        "{}: updated ({} files, {} retired IDs)",
        path.display(),
        m.files.len(),
        m.retired.len()
    );
    Ok(EXIT_OK)
}

fn run_generate(dir: &Path, a: GenerateArgs) -> Result<u8, CliError> {
    let (differ, out) = match generate::run(dir, a.check) {
        Ok(x) => x,
        Err(e) => {
            errln(&format!("qrcert: error: {e}"));
            return Ok(EXIT_ERROR);
        }
    };
    for n in &out.notices {
        crate::outln!("notice: {n}");
    }
    for id in &out.changed {
        crate::outln!(
            "changed: {id} tests something else than in its first plan: retire it and use a new number"
        );
    }
    if a.check {
        for f in &differ {
            crate::outln!("out of date: {}", dir.join(f).display());
        }
        let bad = !differ.is_empty() || !out.changed.is_empty();
        return Ok(if bad { EXIT_FAIL } else { EXIT_OK });
    }
    for f in &differ {
        crate::outln!("wrote {}", dir.join(f).display());
    }
    let total: usize = out.files.len();
    crate::outln!(
        "{total} generated files, {} rewritten; now run `qrcert vectors manifest --update`",
        differ.len()
    );
    Ok(EXIT_OK)
}

fn generate_fresh(source: &Path, a: GenerateArgs) -> Result<u8, CliError> {
    let (Some(seed), Some(out)) = (a.fresh, a.out) else {
        return Err(CliError::Usage("--fresh needs --out DIR".into()));
    };
    let seed = seed.resolve();
    let clock = a.now.unwrap_or_else(crate::Clock::system);
    let suite = crate::vectors::fresh::instantiate(source, seed, clock)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    suite
        .write(&out)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    crate::outln!("{suite}, clock {}", clock.to_rfc3339());
    crate::outln!("written to {}", out.display());
    Ok(EXIT_OK)
}

/// Renders every image a scan vector names, from the payload the vector expects and the variant
/// its file name gives (see `image::golden` and `vectors::images`).
fn images(dir: &Path, a: ImagesArgs) -> Result<u8, CliError> {
    use crate::vectors::images::{ImageState, compare, plan};
    let loaded = load_dir(dir);
    let wanted = match plan(&loaded) {
        Ok(w) => w,
        Err(problems) => {
            for p in &problems {
                errln(p);
            }
            return Ok(EXIT_ERROR);
        }
    };
    let mut changed = 0;
    for golden in &wanted {
        let img = &golden.path;
        let (state, bytes) =
            compare(dir, golden).map_err(|e| CliError::Usage(format!("{img}: {e}")))?;
        if state == ImageState::Same {
            continue;
        }
        changed += 1;
        if a.check {
            crate::outln!(
                "{img}: {}",
                if state == ImageState::Differs {
                    "differs"
                } else {
                    "missing"
                }
            );
        } else {
            let path = dir.join(img);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(CliError::io(format!("creating {}", parent.display())))?;
            }
            std::fs::write(&path, &bytes)
                .map_err(CliError::io(format!("writing {}", path.display())))?;
            crate::outln!("{img}: written ({} bytes)", bytes.len());
        }
    }
    if a.check {
        if changed == 0 {
            crate::outln!("{} images, all match their vectors", wanted.len());
        }
        return Ok(if changed == 0 { EXIT_OK } else { EXIT_FAIL });
    }
    crate::outln!("{} images, {changed} written", wanted.len());
    manifest(dir, ManifestArgs { update: true })
}
