//! `.hygiene.toml`: every check on by default with working defaults; a mistake is an error that
//! names the file, line and column (exit 2), never a silently disabled check.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checks::adr::AdrConfig;
use crate::checks::branch::BranchConfig;
use crate::checks::commit_msg::CommitMsgConfig;
use crate::checks::hygiene::HygieneConfig;
use crate::checks::lint::{config::Linter, LintOptions};
use crate::checks::migrations::MigrationsConfig;
use crate::checks::secrets::SecretsConfig;
use crate::checks::ticket::TicketConfig;
use crate::error::{Error, Result};

mod validate;
pub mod values;

pub use values::{
    checked_list, checked_str, parse_size, relative_dir, BasicCheck, ByteSize, Level, RegexConfig,
    SeverityConfig, SEVERITY_KEYS,
};

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
    use crate::changeset::Mode;

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
}
