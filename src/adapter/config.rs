//! The adapter configuration: which transport reaches the implementation and how. Comes from
//! the `--adapter` argument (`builtin`, `cli:CMD`, `http:URL`) or a YAML file:
//!
//! ```yaml
//! name: acme-sdk
//! transport: cli                 # cli | http | builtin
//! command: [java, -jar, acme-qr-adapter.jar]   # or one string, split without a shell
//! mode: persistent               # persistent | per-call
//! cwd: ../acme                   # relative to this file; default: this file's directory
//! env: {ACME_LICENSE: "..."}     # secret: never shown
//! timeouts: {request: 5s, start: 30s}   # start: extra time for a fresh process's describe
//! concurrency: 2
//! max_reply_bytes: 16777216
//! error_map:
//!   ERR_CRC: [EMV.63.CRC_MISMATCH]
//! ```
//!
//! Values in `env` and `headers` are [`Secret`]s: they reach the program or server and nothing
//! else (not `Debug`, not errors, not the [`AdapterConfig::redacted`] view reports carry).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Value, json};

use crate::adapter::cli::{CliAdapter, CliMode, CliOptions};
use crate::adapter::http::{HttpAdapter, HttpOptions};
use crate::adapter::library::{Implementation, LibraryAdapter};
use crate::adapter::{Adapter, Secret};

/// The largest adapter config file read: a config is a screenful, so anything bigger is a
/// mistake (or an attack on the YAML parser).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A qrcert rule ID as written in an error map (`EMV.63.CRC_MISMATCH`): upper-case segments
/// joined by dots. Whether the rule exists is for the rule catalogue to say.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RuleId(String);

impl RuleId {
    /// Checks the shape `^[A-Z0-9_]+(\.[A-Z0-9_]+)+$`.
    pub fn new(text: &str) -> Result<RuleId, BadRuleId> {
        let segments: Vec<&str> = text.split('.').collect();
        let well_formed = segments.len() >= 2
            && segments.iter().all(|s| {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            });
        if well_formed {
            Ok(RuleId(text.to_owned()))
        } else {
            Err(BadRuleId(text.to_owned()))
        }
    }

    /// The ID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text that is not shaped like a rule ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a rule ID (expected upper-case segments joined by dots, e.g. EMV.63.CRC_MISMATCH)"
)]
pub struct BadRuleId(pub String);

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        RuleId::new(&text).map_err(serde::de::Error::custom)
    }
}

/// Vendor error code -> the qrcert rules it stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ErrorMap(pub BTreeMap<String, Vec<RuleId>>);

impl ErrorMap {
    /// The rules a vendor code maps to; empty when the code is unmapped.
    pub fn rules_for(&self, code: &str) -> &[RuleId] {
        self.0.get(code).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// A parsed, checked adapter configuration.
#[derive(Debug, Clone)]
pub struct AdapterConfig {
    /// A label for reports; the implementation's own `describe` name is separate.
    pub name: Option<String>,
    /// How to reach the implementation.
    pub transport: Transport,
    /// Vendor error codes to rule IDs.
    pub error_map: ErrorMap,
    /// The file it was read from, if any.
    pub source: Option<PathBuf>,
}

/// The least time a first `describe` gets: a server may be warming up as the run starts.
pub const MIN_DESCRIBE_BUDGET: Duration = Duration::from_secs(5);

/// The transport and its settings.
#[derive(Debug, Clone)]
pub enum Transport {
    /// qrcert's own reference implementation, in process.
    Builtin {
        /// Time allowed per call, if bounded.
        request_timeout: Option<Duration>,
    },
    /// A child process speaking JSON lines.
    Cli(CliOptions),
    /// An HTTP server.
    Http(HttpOptions),
}

impl Transport {
    /// The time the first `describe` of a run gets (it is asked once more, with twice this,
    /// if it fails): a program's start-up plus one request; for a server or an in-process
    /// implementation, one request, and never less than [`MIN_DESCRIBE_BUDGET`].
    pub fn describe_budget(&self) -> Duration {
        match self {
            Transport::Builtin { request_timeout } => request_timeout
                .unwrap_or(MIN_DESCRIBE_BUDGET)
                .max(MIN_DESCRIBE_BUDGET),
            Transport::Cli(o) => o.handshake_budget(),
            Transport::Http(o) => o.request_timeout.max(MIN_DESCRIBE_BUDGET),
        }
    }

    /// "builtin", "cli" or "http".
    pub fn name(&self) -> &'static str {
        match self {
            Transport::Builtin { .. } => "builtin",
            Transport::Cli(_) => "cli",
            Transport::Http(_) => "http",
        }
    }
}

/// Why a configuration was refused. Never quotes a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read the adapter config: {detail}")]
    Read {
        /// The file.
        path: String,
        /// The operating system's reason.
        detail: String,
    },
    /// The file is larger than [`MAX_CONFIG_BYTES`].
    #[error("{path}: the adapter config is larger than {limit} bytes")]
    TooLarge {
        /// The file.
        path: String,
        /// The limit.
        limit: u64,
    },
    /// The YAML does not parse or does not fit the schema (unknown field, wrong type, ...).
    #[error("{path}:{}: {message}", location(*line, *column))]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line, when known.
        line: Option<u64>,
        /// 1-based column, when known.
        column: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// The settings parse but do not make sense together.
    #[error("{origin}: {message}")]
    Invalid {
        /// The file, or `--adapter` for the command-line forms.
        origin: String,
        /// What is wrong.
        message: String,
    },
}

fn location(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{l}:{c}"),
        (Some(l), None) => l.to_string(),
        _ => "?".to_owned(),
    }
}

/// The file's shape; checked into an [`AdapterConfig`] afterwards.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    name: Option<String>,
    transport: TransportKind,
    #[serde(default)]
    command: Option<CommandSpec>,
    #[serde(default)]
    mode: Option<CliMode>,
    #[serde(default)]
    cwd: Option<PathBuf>,
    #[serde(default)]
    env: Option<BTreeMap<String, Secret>>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    headers: Option<BTreeMap<String, Secret>>,
    #[serde(default)]
    timeouts: Option<RawTimeouts>,
    #[serde(default)]
    concurrency: Option<usize>,
    #[serde(default)]
    max_reply_bytes: Option<usize>,
    #[serde(default)]
    max_failed_starts: Option<u32>,
    #[serde(default)]
    error_map: Option<ErrorMap>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum TransportKind {
    Cli,
    Http,
    Builtin,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CommandSpec {
    Argv(Vec<String>),
    Line(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeouts {
    #[serde(default)]
    request: Option<DurationText>,
    #[serde(default)]
    start: Option<DurationText>,
}

/// A duration written with a unit: `300ms`, `5s`, `2m`.
struct DurationText(Duration);

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_duration(&text).map(DurationText).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not a duration (write e.g. 300ms, 5s or 2m)"
            ))
        })
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit_ms) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        return None;
    };
    let number = number.trim();
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let value: f64 = number.parse().ok()?;
    let ms = value * unit_ms;
    // A day is far beyond any sensible timeout; refusing larger values keeps the f64 exact.
    (ms > 0.0 && ms <= 86_400_000.0).then(|| Duration::from_micros((ms * 1000.0).round() as u64))
}

/// The highest `concurrency` accepted: far above what the runner uses, low enough that a typo
/// does not start thousands of processes.
const MAX_CONCURRENCY: usize = 256;

impl AdapterConfig {
    /// Reads a YAML config file.
    pub fn load(path: &Path) -> Result<AdapterConfig, ConfigError> {
        let shown = path.display().to_string();
        let read_err = |e: std::io::Error| ConfigError::Read {
            path: shown.clone(),
            detail: e.to_string(),
        };
        let file = std::fs::File::open(path).map_err(read_err)?;
        let mut bytes = Vec::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        if bytes.len() as u64 > MAX_CONFIG_BYTES {
            return Err(ConfigError::TooLarge {
                path: shown,
                limit: MAX_CONFIG_BYTES,
            });
        }
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::Syntax {
            path: shown.clone(),
            line: None,
            column: None,
            message: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        })?;
        let base = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."));
        let mut config = AdapterConfig::from_yaml(&text, &shown, base)?;
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// Parses YAML text; `origin` names it in errors, relative paths resolve against `base`.
    pub fn from_yaml(text: &str, origin: &str, base: &Path) -> Result<AdapterConfig, ConfigError> {
        let raw: RawConfig =
            serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| {
                let loc = e.location();
                ConfigError::Syntax {
                    path: origin.to_owned(),
                    line: loc.map(|l| l.line()),
                    column: loc.map(|l| l.column()),
                    message: yaml_message(&e),
                }
            })?;
        raw.check(origin, base)
    }

    /// Reads the `--adapter` argument: `builtin`, `cli:CMD`, `http:URL`, a URL as typed
    /// (`http://HOST:PORT/...`, `https://...`), or a YAML file.
    pub fn from_arg(arg: &str) -> Result<AdapterConfig, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: "--adapter".into(),
            message,
        };
        let transport = if arg == "builtin" {
            Transport::Builtin {
                request_timeout: None,
            }
        } else if let Some(cmd) = arg.strip_prefix("cli:") {
            let argv = split_command(cmd).map_err(|e| invalid(e.to_string()))?;
            Transport::Cli(CliOptions::new(argv).map_err(|e| invalid(e.to_string()))?)
        } else if let Some(url) = url_as_typed(arg).or_else(|| arg.strip_prefix("http:")) {
            Transport::Http(HttpOptions::new(url).map_err(|e| invalid(e.to_string()))?)
        } else if arg.ends_with(".yaml") || arg.ends_with(".yml") || Path::new(arg).is_file() {
            return AdapterConfig::load(Path::new(arg));
        } else {
            return Err(invalid(format!(
                "{arg:?} is not an adapter: use builtin, cli:COMMAND, http://HOST:PORT/PATH (or http:URL) or a YAML file"
            )));
        };
        Ok(AdapterConfig {
            name: None,
            transport,
            error_map: ErrorMap::default(),
            source: None,
        })
    }

    /// Connects the configured transport. `builtin` is the in-process reference
    /// implementation, needed only for the builtin transport.
    pub fn open(
        &self,
        builtin: Option<Arc<dyn Implementation>>,
    ) -> Result<Box<dyn Adapter>, ConfigError> {
        let origin = self.origin();
        match &self.transport {
            Transport::Builtin { request_timeout } => {
                let imp = builtin.ok_or_else(|| ConfigError::Invalid {
                    origin,
                    message: "the builtin implementation is not available here".into(),
                })?;
                let adapter = LibraryAdapter::new(imp);
                Ok(Box::new(match request_timeout {
                    Some(t) => adapter.with_timeout(*t),
                    None => adapter,
                }))
            }
            Transport::Cli(opts) => Ok(Box::new(CliAdapter::new(opts.clone()))),
            Transport::Http(opts) => HttpAdapter::new(opts.clone())
                .map(|a| Box::new(a) as Box<dyn Adapter>)
                .map_err(|e| ConfigError::Invalid {
                    origin,
                    message: e.to_string(),
                }),
        }
    }

    fn origin(&self) -> String {
        self.source
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "--adapter".into())
    }

    /// The configuration as reports show it: secrets replaced by `"***"`, credentials and
    /// query strings cut from URLs.
    pub fn redacted(&self) -> Value {
        let mut out = serde_json::Map::new();
        out.insert("transport".into(), json!(self.transport.name()));
        if let Some(name) = &self.name {
            out.insert("name".into(), json!(name));
        }
        match &self.transport {
            Transport::Builtin { request_timeout } => {
                if let Some(t) = request_timeout {
                    out.insert(
                        "timeouts".into(),
                        json!({"request_ms": t.as_millis() as u64}),
                    );
                }
            }
            Transport::Cli(o) => {
                let mut argv = vec![o.program.clone()];
                argv.extend(o.args.iter().cloned());
                out.insert("command".into(), json!(argv));
                out.insert("mode".into(), json!(o.mode));
                if let Some(cwd) = &o.cwd {
                    out.insert("cwd".into(), json!(cwd.display().to_string()));
                }
                let env: BTreeMap<&str, &Secret> =
                    o.env.iter().map(|(k, v)| (k.as_str(), v)).collect();
                out.insert("env".into(), json!(env));
                out.insert(
                    "timeouts".into(),
                    json!({"request_ms": o.request_timeout.as_millis() as u64,
                           "start_ms": o.start_timeout.as_millis() as u64}),
                );
                out.insert("concurrency".into(), json!(o.concurrency));
                out.insert("max_reply_bytes".into(), json!(o.max_reply_bytes));
                out.insert("max_failed_starts".into(), json!(o.max_failed_starts));
            }
            Transport::Http(o) => {
                out.insert("url".into(), json!(o.display_url()));
                let headers: BTreeMap<&str, &Secret> =
                    o.headers.iter().map(|(k, v)| (k.as_str(), v)).collect();
                out.insert("headers".into(), json!(headers));
                out.insert(
                    "timeouts".into(),
                    json!({"request_ms": o.request_timeout.as_millis() as u64}),
                );
                out.insert("concurrency".into(), json!(o.concurrency));
                out.insert("max_reply_bytes".into(), json!(o.max_reply_bytes));
            }
        }
        out.insert("error_map".into(), json!(self.error_map));
        Value::Object(out)
    }
}

impl Serialize for AdapterConfig {
    /// Always the [`AdapterConfig::redacted`] view.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.redacted().serialize(serializer)
    }
}

/// serde-saphyr appends " at line L, column C"; the location is shown in front instead.
/// The deepest nesting a config needs is 3 (`error_map: {CODE: [RULE]}`); a little room above.
const MAX_CONFIG_DEPTH: usize = 8;

/// Parser options for untrusted config text: no anchors or aliases (the alias bomb's
/// ingredients; a config is a screenful and never needs them), shallow nesting, bounded node
/// counts, and no snippets (they would quote the source lines around an error, secrets
/// included).
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_documents: 1,
            max_aliases: 0,
            max_anchors: 0,
            max_depth: MAX_CONFIG_DEPTH,
            max_nodes: 100_000,
            max_events: 400_000,
            max_total_scalar_bytes: MAX_CONFIG_BYTES as usize,
            max_merge_keys: 0,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 0,
            max_replay_stack_depth: 1,
            max_alias_expansions_per_anchor: 0,
        },
        with_snippet: false,
        crop_radius: 0,
    }
}

/// A parser error in words a vendor can act on; the location is reported separately.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    use serde_saphyr::budget::BudgetBreach;
    match e.without_snippet() {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => {
                "anchors and aliases (&name, *name) are not allowed in adapter configs: write the values out".to_owned()
            }
            BudgetBreach::Depth { depth } => format!(
                "nested {depth} levels deep; an adapter config nests at most {MAX_CONFIG_DEPTH} levels"
            ),
            BudgetBreach::Documents { .. } => {
                "more than one YAML document (---); an adapter config is one document".to_owned()
            }
            other => format!("too large for an adapter config: {other:?}"),
        },
        other => strip_location(&other.to_string()),
    }
}

fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

impl RawConfig {
    fn check(self, origin: &str, base: &Path) -> Result<AdapterConfig, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        let only_for =
            |field: &str, present: bool, allowed: &[TransportKind], this: TransportKind| {
                if present && !allowed.contains(&this) {
                    let names: Vec<&str> = allowed
                        .iter()
                        .map(|t| match t {
                            TransportKind::Cli => "cli",
                            TransportKind::Http => "http",
                            TransportKind::Builtin => "builtin",
                        })
                        .collect();
                    Err(invalid(format!(
                        "`{field}` applies only to transport {}",
                        names.join(" or ")
                    )))
                } else {
                    Ok(())
                }
            };
        use TransportKind::{Builtin, Cli, Http};
        let kind = self.transport;
        only_for("command", self.command.is_some(), &[Cli], kind)?;
        only_for("mode", self.mode.is_some(), &[Cli], kind)?;
        only_for("cwd", self.cwd.is_some(), &[Cli], kind)?;
        only_for("env", self.env.is_some(), &[Cli], kind)?;
        only_for(
            "max_failed_starts",
            self.max_failed_starts.is_some(),
            &[Cli],
            kind,
        )?;
        only_for("url", self.url.is_some(), &[Http], kind)?;
        only_for("headers", self.headers.is_some(), &[Http], kind)?;
        only_for(
            "concurrency",
            self.concurrency.is_some(),
            &[Cli, Http],
            kind,
        )?;
        only_for(
            "max_reply_bytes",
            self.max_reply_bytes.is_some(),
            &[Cli, Http],
            kind,
        )?;
        let (request_timeout, start_timeout) = match &self.timeouts {
            Some(t) => (
                t.request.as_ref().map(|d| d.0),
                t.start.as_ref().map(|d| d.0),
            ),
            None => (None, None),
        };
        only_for("timeouts.start", start_timeout.is_some(), &[Cli], kind)?;
        if let Some(c) = self.concurrency
            && (c == 0 || c > MAX_CONCURRENCY)
        {
            return Err(invalid(format!(
                "concurrency must be between 1 and {MAX_CONCURRENCY}, got {c}"
            )));
        }
        if let Some(m) = self.max_reply_bytes
            && m < 1024
        {
            return Err(invalid(format!(
                "max_reply_bytes must be at least 1024, got {m}"
            )));
        }
        let transport = match kind {
            Builtin => Transport::Builtin { request_timeout },
            Cli => {
                let argv = match self.command {
                    None => return Err(invalid("transport cli needs a `command`".into())),
                    Some(CommandSpec::Argv(argv)) => argv,
                    Some(CommandSpec::Line(line)) => {
                        split_command(&line).map_err(|e| invalid(format!("command: {e}")))?
                    }
                };
                let mut opts =
                    CliOptions::new(argv).map_err(|e| invalid(format!("command: {e}")))?;
                // A program named by a relative path lives next to the config file; a bare
                // name is looked up in PATH as usual.
                if opts.program.contains('/') && Path::new(&opts.program).is_relative() {
                    opts.program = base.join(&opts.program).display().to_string();
                }
                opts.cwd = Some(match self.cwd {
                    Some(cwd) if cwd.is_relative() => base.join(cwd),
                    Some(cwd) => cwd,
                    None => base.to_path_buf(),
                });
                for (key, value) in self.env.unwrap_or_default() {
                    if key.is_empty() || key.contains('=') || key.contains('\0') {
                        return Err(invalid(format!(
                            "env: {key:?} is not a valid variable name"
                        )));
                    }
                    if value.expose().contains('\0') {
                        return Err(invalid(format!(
                            "env: the value of {key} contains a NUL byte"
                        )));
                    }
                    opts.env.push((key, value));
                }
                if let Some(mode) = self.mode {
                    opts.mode = mode;
                }
                if let Some(t) = request_timeout {
                    opts.request_timeout = t;
                }
                if let Some(t) = start_timeout {
                    opts.start_timeout = t;
                }
                if let Some(c) = self.concurrency {
                    opts.concurrency = c;
                }
                if let Some(m) = self.max_reply_bytes {
                    opts.max_reply_bytes = m;
                }
                if let Some(n) = self.max_failed_starts {
                    opts.max_failed_starts = n.max(1);
                }
                Transport::Cli(opts)
            }
            Http => {
                let url = self
                    .url
                    .ok_or_else(|| invalid("transport http needs a `url`".into()))?;
                let mut opts = HttpOptions::new(&url).map_err(|e| invalid(e.to_string()))?;
                for (key, value) in self.headers.unwrap_or_default() {
                    opts.add_header(&key, value)
                        .map_err(|e| invalid(format!("headers: {e}")))?;
                }
                if let Some(t) = request_timeout {
                    opts.request_timeout = t;
                }
                if let Some(c) = self.concurrency {
                    opts.concurrency = c;
                }
                if let Some(m) = self.max_reply_bytes {
                    opts.max_reply_bytes = m;
                }
                Transport::Http(opts)
            }
        };
        Ok(AdapterConfig {
            name: self.name,
            transport,
            error_map: self.error_map.unwrap_or_default(),
            source: None,
        })
    }
}

/// A command string that cannot be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// A quote is not closed.
    #[error("unterminated {0} quote")]
    Unterminated(char),
    /// A backslash ends the string.
    #[error("the command ends with a lone backslash")]
    TrailingBackslash,
}

/// An `--adapter` argument that is a URL as people type it (`http://127.0.0.1:8080/qr`,
/// `https://...`), whole: the scheme is part of the URL, not a transport prefix. The HTTP
/// options then say what they make of the scheme.
fn url_as_typed(arg: &str) -> Option<&str> {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(arg)
}

/// Splits a command line into words like a POSIX shell would, without running one: whitespace
/// separates, '...' is literal, "..." allows \" and \\, a backslash escapes outside quotes. No
/// variables, globs, pipes or redirections.
pub fn split_command(line: &str) -> Result<Vec<String>, SplitError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unterminated('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(SplitError::Unterminated('"')),
                        },
                        Some(c) => word.push(c),
                        None => return Err(SplitError::Unterminated('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err(SplitError::TrailingBackslash),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell_without_one() {
        assert_eq!(
            split_command(r#"python3  "my dir/adapter.py" --name='a b' x\ y "q\"uote""#).unwrap(),
            vec![
                "python3",
                "my dir/adapter.py",
                "--name=a b",
                "x y",
                "q\"uote"
            ]
        );
        assert_eq!(split_command("''").unwrap(), vec![""]);
        assert_eq!(split_command("  ").unwrap(), Vec::<String>::new());
        assert_eq!(split_command("a 'b"), Err(SplitError::Unterminated('\'')));
        assert_eq!(split_command("a\\"), Err(SplitError::TrailingBackslash));
    }

    #[test]
    fn urls_are_taken_as_typed() {
        let http = |arg: &str| match AdapterConfig::from_arg(arg).map(|c| c.transport) {
            Ok(Transport::Http(o)) => Ok(o.display_url()),
            Ok(_) => Err("not http".to_owned()),
            Err(e) => Err(e.to_string()),
        };
        assert_eq!(
            http("http://127.0.0.1:8080"),
            Ok("http://127.0.0.1:8080/".into())
        );
        assert_eq!(
            http("HTTP://127.0.0.1:8080/qr/v1"),
            Ok("http://127.0.0.1:8080/qr/v1".into())
        );
        // The transport prefix still works, with or without the scheme's slashes doubled.
        assert_eq!(
            http("http:http://127.0.0.1:9/x"),
            Ok("http://127.0.0.1:9/x".into())
        );
        // https is recognised as a URL, and refused for what it is, not as "not a URL".
        let https = http("https://vendor.example/qr").unwrap_err();
        assert!(https.contains("scheme \"https\""), "{https}");
        let bad = http("http://").unwrap_err();
        assert!(bad.contains("not a URL"), "{bad}");
    }

    #[test]
    fn durations_need_units() {
        assert_eq!(parse_duration("300ms"), Some(Duration::from_millis(300)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("-1s"), None);
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("1e3s"), None);
    }

    #[test]
    fn rule_ids_are_checked_for_shape() {
        assert!(RuleId::new("EMV.63.CRC_MISMATCH").is_ok());
        assert!(RuleId::new("INTEROP.CURRENCY.UNSUPPORTED").is_ok());
        for bad in [
            "EMV",
            "emv.63.CRC",
            "EMV..X",
            "EMV.63.",
            ".EMV.63",
            "EMV.6-3",
        ] {
            assert!(RuleId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "\"***\"");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"***\"");
        assert_eq!(s.expose(), "hunter2");
    }
}
