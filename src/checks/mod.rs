//! The check trait, the registry and the parallel runner.
//!
//! Adding a check is one file (or folder) here and one line in the `checks!` list below. The
//! file holds the `Check` impl and its config type, which implements
//! [`CheckConfig`](crate::config::CheckConfig): enabled/severity, its own validation, and its
//! commented starter section (`patterns/starter/<id>.toml`). The line registers the check and
//! names the section it owns; the registry, `.hygiene.toml`'s sections, `rules`, `explain` and
//! `init` all follow from it.

#[macro_use]
mod settings;

pub mod adr;
pub mod branch;
pub mod branch_name;
pub mod commit_msg;
pub mod config_tree;
#[cfg(test)]
mod documented;
pub mod globs;
pub mod hygiene;
pub mod lint;
pub mod migrations;
pub mod per_config;
pub mod secrets;
pub mod snapshot;
pub mod squash;
pub mod ticket;

use rayon::prelude::*;

use crate::changeset::{ChangeSet, ContentProbe, Mode};
use crate::config::values::Level;
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::rule::{Rule, RuleDoc};

/// What a check sees when it runs.
pub struct Context<'a> {
    pub cs: &'a ChangeSet,
    pub config: &'a Config,
    /// Severity of this check's blocking findings at this moment (from config or the check's default).
    pub severity: Severity,
    pub verbose: bool,
}

pub trait Check: Send + Sync {
    /// The id used in config sections, `--only`, `--skip` and `HYGIENE_SKIP`.
    fn id(&self) -> &'static str;
    /// One line for `git hygiene rules`.
    fn summary(&self) -> &'static str;
    /// Every rule its findings can carry, documented.
    fn rules(&self) -> Vec<RuleDoc>;
    /// Whether the check has anything to judge at this moment.
    fn applies(&self, mode: Mode) -> bool;
    /// Whether the check reads `ChangeSet::files` at this moment. commit-msg checks that only
    /// read the message say no, and the hook then skips computing the staged diff.
    fn needs_files(&self, _mode: Mode) -> bool {
        true
    }
    /// Severity when the config says nothing.
    fn default_level(&self, _mode: Mode) -> Level {
        Level::Error
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>>;
    /// A question about a file's content whose "no" means the check has nothing to do with
    /// that file. A check with one runs after the others, whose reads answer it, so that the
    /// file is not read a second time (see [`ContentProbe`]).
    fn content_probe(&self) -> Option<ContentProbe> {
        None
    }
    /// prepare-commit-msg: edit the message before the editor opens. Returns the new text, if any.
    fn prepare_message(&self, _ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(None)
    }
}

checks! {
    hygiene::Hygiene => hygiene: hygiene::HygieneConfig;
    branch::Branch => branch: branch::BranchConfig;
    ticket::TicketCheck => ticket: ticket::TicketConfig;
    commit_msg::CommitMsg =>
        #[serde(rename = "commit-msg", alias = "commit_msg")] commit_msg: commit_msg::CommitMsgConfig;
    migrations::Migrations => migrations: migrations::MigrationsConfig;
    adr::AdrCheck => adr: adr::AdrConfig;
    // `[[lint]]` entries: the linters and formatters to run; `[lint_options]`: how.
    lint::Lint => lint_options: lint::LintOptions, also lint: Vec<lint::config::Linter>;
    secrets::Secrets => secrets: secrets::SecretsConfig;
}

pub fn known_ids() -> Vec<&'static str> {
    registry().iter().map(|c| c.id()).collect()
}

/// The registered checks selected by `selection` that have anything to do at `mode`.
pub fn active(mode: Mode, selection: &Selection) -> Vec<Box<dyn Check>> {
    registry()
        .into_iter()
        .filter(|c| selection.wants(c.id()) && c.applies(mode))
        .collect()
}

/// A file that cannot be read (its permissions, or it vanished during a scan) is skipped with
/// a note of the check's `unreadable` rule instead of failing the whole run, and the summary
/// names it; other errors pass through.
pub fn or_unreadable_note(
    rule: &Rule,
    file: &crate::changeset::ChangedFile,
    r: Result<Vec<Finding>>,
) -> Result<Vec<Finding>> {
    match r {
        Err(Error::Io { source, .. }) => Ok(vec![crate::unread::note(
            rule,
            &file.path,
            file.commit.as_deref(),
            &crate::unread::reason(&source),
        )]),
        other => other,
    }
}

/// Which checks to run, from `--only`, `--skip` and `HYGIENE_SKIP`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub only: Vec<String>,
    pub skip: Vec<String>,
}

impl Selection {
    /// Validates check ids so a typo in `--skip secrest` is an error, not a silent no-op.
    pub fn new(
        only: Vec<String>,
        mut skip: Vec<String>,
        env_skip: Option<String>,
    ) -> Result<Selection> {
        if let Some(env) = env_skip {
            skip.extend(
                env.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            );
        }
        let known = known_ids();
        for id in only.iter().chain(&skip) {
            if !known.contains(&id.as_str()) {
                return Err(Error::Usage(format!(
                    "unknown check `{id}` (in --only, --skip or HYGIENE_SKIP); known checks: {}",
                    known.join(", ")
                )));
            }
        }
        Ok(Selection { only, skip })
    }
    pub fn wants(&self, id: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|o| o == id))
            && !self.skip.iter().any(|s| s == id)
    }
}

/// The severity a check runs with at this moment, or `None` if it is off.
pub fn effective_severity(check: &dyn Check, config: &Config, mode: Mode) -> Option<Severity> {
    let (enabled, sev) = config.settings(check.id());
    if !enabled || !check.applies(mode) {
        return None;
    }
    sev.and_then(|s| s.for_mode(mode))
        .unwrap_or_else(|| check.default_level(mode))
        .severity()
}

/// Runs the selected checks in parallel and returns their findings in a stable order.
pub fn run_all(
    cs: &ChangeSet,
    config: &Config,
    selection: &Selection,
    verbose: bool,
) -> Result<Vec<Finding>> {
    let checks = registry();
    let run_one = |c: &dyn Check| {
        let severity = effective_severity(c, config, cs.mode)?;
        let message = cs.message.as_ref().map_or("", |m| m.text.as_str());
        crate::last_resort::test_panic_point(c.id(), message);
        Some(c.run(&Context {
            cs,
            config,
            severity,
            verbose,
        }))
    };
    let selected: Vec<&dyn Check> = checks
        .iter()
        .map(|c| c.as_ref())
        .filter(|c| selection.wants(c.id()))
        .collect();
    // Checks with a content probe run second: the first round's reads answer their probes.
    let (second, first): (Vec<&dyn Check>, Vec<&dyn Check>) = selected
        .into_iter()
        .partition(|c| c.content_probe().is_some());
    cs.set_probes(
        second
            .iter()
            .filter(|c| effective_severity(**c, config, cs.mode).is_some())
            .filter_map(|c| Some((c.id(), c.content_probe()?)))
            .collect(),
    );
    let mut results: Vec<Result<Vec<Finding>>> = Vec::new();
    for round in [first, second] {
        if matches!(cs.mode, Mode::CommitMsg | Mode::PrepareCommitMsg) {
            // One short message to judge: starting the thread pool costs more than the checks
            // (and on a busy machine, waiting for its threads to be scheduled costs milliseconds).
            results.extend(round.iter().filter_map(|c| run_one(*c)));
        } else {
            results.par_extend(round.par_iter().filter_map(|c| run_one(*c)));
        }
    }
    let mut findings = Vec::new();
    for r in results {
        findings.extend(r?);
    }
    let branches: Vec<&str> = cs
        .branch
        .as_deref()
        .into_iter()
        .chain(cs.push.iter().filter_map(|r| r.remote_branch()))
        .collect();
    branch::fold_missing_ticket(&mut findings, &branches);
    // Every check's findings pass here on their way to a report: none may show a secret.
    secrets::redact_findings(&mut findings, &config.secrets);
    crate::finding::sort(&mut findings);
    Ok(findings)
}

/// Every rule of every check, as `(check id, rule)`.
pub fn all_rules() -> Vec<(&'static str, RuleDoc)> {
    registry()
        .iter()
        .flat_map(|c| c.rules().into_iter().map(move |r| (c.id(), r)))
        .collect()
}
