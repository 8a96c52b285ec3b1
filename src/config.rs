//! `.hygiene.toml`: every check on by default with working defaults; a mistake is an error that
//! names the file, line and column (exit 2), never a silently disabled check.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::changeset::Mode;
use crate::checks::adr::AdrConfig;
use crate::checks::branch::BranchConfig;
use crate::checks::commit_msg::CommitMsgConfig;
use crate::checks::hygiene::HygieneConfig;
use crate::checks::lint::{config::Linter, LintOptions};
use crate::checks::migrations::MigrationsConfig;
use crate::checks::secrets::SecretsConfig;
use crate::checks::ticket::TicketConfig;
use crate::error::{Error, Result};
use crate::finding::Severity;

mod validate;

pub const FILE_NAME: &str = ".hygiene.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub hygiene: HygieneConfig,
    pub branch: BranchConfig,
    pub ticket: TicketConfig,
    #[serde(rename = "commit-msg", alias = "commit_msg")]
    pub commit_msg: CommitMsgConfig,
    pub secrets: SecretsConfig,
    pub migrations: MigrationsConfig,
    pub adr: AdrConfig,
    /// `[[lint]]` entries: the linters and formatters to run on staged files.
    pub lint: Vec<Linter>,
    pub lint_options: LintOptions,
    /// Where the config came from (`None`: built-in defaults).
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

/// The settings every check has. Checks with more settings declare their own struct with these
/// two fields first.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct BasicCheck {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
}

impl Default for BasicCheck {
    fn default() -> Self {
        BasicCheck {
            enabled: true,
            severity: None,
        }
    }
}

/// What a check does at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    #[serde(alias = "warning")]
    Warn,
    Off,
}

impl Level {
    /// The severity findings get, or `None` when the check does not run.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warn => Some(Severity::Warn),
            Level::Off => None,
        }
    }
}

/// `severity = "warn"` or `severity = { pre-commit = "warn", ci = "error" }`.
#[derive(Debug, Clone, Default)]
pub struct SeverityConfig {
    pub all: Option<Level>,
    pub by_mode: BTreeMap<String, Level>,
}

pub const SEVERITY_KEYS: [&str; 4] = ["pre-commit", "pre-push", "ci", "scan"];

impl SeverityConfig {
    pub fn for_mode(&self, mode: Mode) -> Option<Level> {
        self.by_mode.get(mode.severity_key()).copied().or(self.all)
    }
}

impl<'de> Deserialize<'de> for SeverityConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SeverityConfig;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"error\", \"warn\" or \"off\", or a table such as { pre-commit = \"warn\", ci = \"error\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                let level = Level::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(SeverityConfig {
                    all: Some(level),
                    by_mode: BTreeMap::new(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = SeverityConfig::default();
                while let Some(key) = map.next_key::<String>()? {
                    if !SEVERITY_KEYS.contains(&key.as_str()) {
                        return Err(de::Error::unknown_field(&key, &SEVERITY_KEYS));
                    }
                    out.by_mode.insert(key, map.next_value()?);
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

/// A size in bytes: an integer, or a string such as `"5 MiB"`, `"500KB"`, `"2G"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a size in bytes such as 5242880 or \"5 MiB\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<ByteSize, E> {
                u64::try_from(v)
                    .map(ByteSize)
                    .map_err(|_| E::custom("a size cannot be negative"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<ByteSize, E> {
                parse_size(v).map(ByteSize).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not a size; write e.g. \"5 MiB\", \"500 KB\" or 1048576"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A regular expression from the config, compiled when the config is read so a bad one is an
/// error with file, line and column.
#[derive(Debug, Clone)]
pub struct RegexConfig(pub regex::Regex);

impl<'de> Deserialize<'de> for RegexConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        regex::Regex::new(&s).map(RegexConfig).map_err(|e| {
            let why = e.to_string();
            let last = why.lines().last().unwrap_or("invalid").trim().to_owned();
            de::Error::custom(format!("`{s}` is not a valid regular expression: {last}"))
        })
    }
}

/// Reads a string and checks it with `check` while the deserializer still knows where the value
/// is, so the error carries the value's own line and column (an array element's, not the array's).
pub fn checked_str<'de, D, T>(
    d: D,
    check: impl FnOnce(&str) -> std::result::Result<T, String>,
) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<F>(F);
    impl<T, F: FnOnce(&str) -> std::result::Result<T, String>> Visitor<'_> for V<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<T, E> {
            (self.0)(v).map_err(E::custom)
        }
    }
    d.deserialize_str(V(check))
}

/// Reads a list of strings, each checked by `item` at its own line and column, then the whole
/// list by `whole` (located at the list). `one_or_many`: a single string is a list of one.
pub fn checked_list<'de, D, T>(
    d: D,
    one_or_many: bool,
    item: impl Fn(&str) -> std::result::Result<T, String>,
    whole: impl FnOnce(&[T]) -> std::result::Result<(), String>,
) -> std::result::Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Item<'f, F>(&'f F);
    impl<'de, T, F: Fn(&str) -> std::result::Result<T, String>> de::DeserializeSeed<'de>
        for Item<'_, F>
    {
        type Value = T;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<T, D::Error> {
            checked_str(d, self.0)
        }
    }
    struct V<I, W> {
        one_or_many: bool,
        item: I,
        whole: W,
    }
    impl<'de, T, I, W> Visitor<'de> for V<I, W>
    where
        I: Fn(&str) -> std::result::Result<T, String>,
        W: FnOnce(&[T]) -> std::result::Result<(), String>,
    {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(if self.one_or_many {
                "a string or a list of strings"
            } else {
                "a list of strings"
            })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Vec<T>, E> {
            if !self.one_or_many {
                return Err(E::invalid_type(de::Unexpected::Str(v), &self));
            }
            let out = vec![(self.item)(v).map_err(E::custom)?];
            (self.whole)(&out).map_err(E::custom)?;
            Ok(out)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element_seed(Item(&self.item))? {
                out.push(v);
            }
            (self.whole)(&out).map_err(de::Error::custom)?;
            Ok(out)
        }
    }
    d.deserialize_any(V {
        one_or_many,
        item,
        whole,
    })
}

/// A directory written relative to the repository root, in the form git paths have
/// (`./web/` → `web`); `None` for the root itself. Absolute paths and `..` are refused: the
/// directory must be inside the repository.
pub fn relative_dir(text: &str) -> std::result::Result<Option<String>, String> {
    let t = text.trim();
    if t.starts_with('/') || Path::new(t).is_absolute() {
        return Err(format!(
            "`{t}` is an absolute path; write a directory relative to the repository root, e.g. \"frontend\""
        ));
    }
    let mut parts = Vec::new();
    for part in t.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(format!(
                "`{t}` uses `..`; write a directory inside the repository as a path from its root"
            ))
            }
            p => parts.push(p),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let num: f64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    Some((num * mult as f64) as u64)
}

impl Config {
    /// Loads `path`, or `<root>/.hygiene.toml` if it exists, or the defaults.
    pub fn load(explicit: Option<&Path>, root: Option<&Path>) -> Result<Config> {
        let path = match (explicit, root) {
            (Some(p), _) => Some(p.to_path_buf()),
            (None, Some(root)) => Some(root.join(FILE_NAME)).filter(|p| p.exists()),
            (None, None) => None,
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::Usage(format!("config file {} does not exist", path.display()))
            }
            _ => Error::io(&path, e),
        })?;
        let mut cfg = Config::parse(&text, &path)?;
        if let Some(root) = root {
            validate::work_tree(&cfg, &text, &path, root)?;
        }
        cfg.source = Some(path);
        Ok(cfg)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let cfg = toml::from_str::<Config>(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            Error::Config {
                file: path.to_path_buf(),
                line,
                column,
                // toml's messages put what it expected on a second line.
                message: format!(
                    "{}; see `git hygiene init` for a commented example",
                    e.message()
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        })?;
        crate::checks::secrets::validate(&cfg.secrets).map_err(|(offset, message)| {
            let (line, column) = line_col(text, offset);
            Error::Config {
                file: path.to_path_buf(),
                line,
                column,
                message,
            }
        })?;
        validate::values(text, path)?;
        Ok(cfg)
    }

    /// Is the check enabled, and its configured severity (if any) — by check id.
    pub fn settings(&self, check: &str) -> (bool, Option<&SeverityConfig>) {
        let (enabled, severity) = match check {
            "hygiene" => (self.hygiene.enabled, &self.hygiene.severity),
            "lint" => (self.lint_options.enabled, &self.lint_options.severity),
            "secrets" => (self.secrets.enabled, &self.secrets.severity),
            "migrations" => (self.migrations.enabled, &self.migrations.severity),
            "adr" => (self.adr.enabled, &self.adr.severity),
            "branch" => (self.branch.enabled, &self.branch.severity),
            "ticket" => (self.ticket.enabled, &self.ticket.severity),
            "commit-msg" => (self.commit_msg.enabled, &self.commit_msg.severity),
            _ => return (true, None),
        };
        (enabled, severity.as_ref())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_forms() {
        let c = Config::parse("[branch]\nseverity = \"warn\"\n[ticket]\nseverity = { ci = \"error\", pre-commit = \"off\" }\n", Path::new("x")).unwrap();
        assert_eq!(
            c.branch.severity.unwrap().for_mode(Mode::Ci),
            Some(Level::Warn)
        );
        let t = c.ticket.severity.unwrap();
        assert_eq!(t.for_mode(Mode::Ci), Some(Level::Error));
        assert_eq!(t.for_mode(Mode::CommitMsg), Some(Level::Off));
        assert_eq!(t.for_mode(Mode::PrePush), None);
    }

    #[test]
    fn unknown_key_is_located() {
        let e = Config::parse(
            "[hygiene]\nenabled = true\nmax_fil_size = 3\n",
            Path::new(".hygiene.toml"),
        )
        .unwrap_err();
        let Error::Config {
            line,
            column,
            message,
            ..
        } = e
        else {
            panic!("not a config error")
        };
        assert_eq!((line, column), (3, 1));
        assert!(message.contains("max_fil_size"), "{message}");
    }

    #[test]
    fn bad_severity_mode_is_located() {
        let e = Config::parse(
            "[adr]\nseverity = { precommit = \"warn\" }\n",
            Path::new("x"),
        )
        .unwrap_err();
        let Error::Config { line, message, .. } = e else {
            panic!("not a config error")
        };
        assert_eq!(line, 2);
        assert!(message.contains("precommit"), "{message}");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5 MiB"), Some(5 << 20));
        assert_eq!(parse_size("500KB"), Some(500_000));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("lots"), None);
    }
}
