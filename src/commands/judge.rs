//! The path every judging command shares: load config, run the checks, print, write reports,
//! turn the findings into an exit code.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::changeset::{ChangeSet, Mode};
use crate::checks::Config;
use crate::checks::{self, Selection};
use crate::commands::args::Common;
use crate::error::{Error, Result};
use crate::out;
use crate::report::{self, human, Format, RuleInfo, Run, SkippedCheck, Summary};
use crate::unread;

/// Exit codes of DESIGN.md.
pub const EXIT_OK: i32 = 0;
pub const EXIT_BLOCKED: i32 = 1;

pub fn load_config(common: &Common, root: Option<&Path>) -> Result<Config> {
    Config::load(common.config.as_deref(), root)
}

/// The config of a repository with a work tree: the root config (with what it extends, git
/// sources cached in its git dir) and the nested configs its index tracks.
pub fn load_repo_config(common: &Common, repo: &crate::git::Repo) -> Result<Config> {
    let tracked = repo.tracked_named(crate::config::FILE_NAME)?;
    let nested = tracked
        .iter()
        .any(|p| p.as_bytes() != crate::config::FILE_NAME.as_bytes());
    let (root, layers) = checks::config_tree::load_root(
        common.config.as_deref(),
        Some(&repo.workdir),
        Some(&repo.git_dir),
        false,
        nested,
    )?;
    root.with_tree(&repo.workdir, &repo.git_dir, &tracked, layers)
}

pub fn selection(common: &Common) -> Result<Selection> {
    let mut skip = common.skip.clone();
    skip.extend(env_skip());
    Selection::new(common.only.clone(), skip, None)
}

/// The check ids in `HYGIENE_SKIP` (`all` or `*`: every check).
fn env_skip() -> Vec<String> {
    match std::env::var("HYGIENE_SKIP").ok().as_deref() {
        Some("all" | "*") => checks::known_ids().into_iter().map(str::to_owned).collect(),
        Some(ids) => ids
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    }
}

/// What a caller adds to a judging run beyond the common flags.
#[derive(Default)]
pub struct Extra {
    /// Checks skipped for this run, and what skips them (the summary says so): a push option
    /// (`hygiene.skip`) with the server's leave, or `no work tree` for the linters.
    pub skip: Vec<String>,
    pub skip_by: &'static str,
    /// Write the report to stderr: in a server hook git shows it to the pusher as `remote:`
    /// lines.
    pub to_stderr: bool,
}

/// The checks that would have judged `mode` but the selection turned off, each with what
/// turned it off, so the summary never says "no problems" about a check that did not run.
fn skipped_checks(
    common: &Common,
    config: &Config,
    mode: Mode,
    selection: &Selection,
    extra: &Extra,
) -> Vec<SkippedCheck> {
    let env = env_skip();
    checks::registry()
        .iter()
        .filter(|c| !selection.wants(c.id()))
        .filter(|c| checks::effective_severity(c.as_ref(), config, mode).is_some())
        .map(|c| {
            let named = |ids: &[String]| ids.iter().any(|s| s == c.id());
            let by = if named(&common.skip) {
                "--skip"
            } else if named(&extra.skip) {
                extra.skip_by
            } else if named(&env) {
                "HYGIENE_SKIP"
            } else {
                "--only"
            };
            SkippedCheck { check: c.id(), by }
        })
        .collect()
}

/// Output format for stdout, validated before any work is done.
pub fn stdout_format(common: &Common) -> Result<Format> {
    match Format::parse(&common.format) {
        Some(f) => Ok(f),
        None => Err(Error::Usage(format!(
            "unknown --format `{}`; use one of {}",
            common.format,
            Format::NAMES
        ))),
    }
}

/// `--report FORMAT=PATH` pairs, validated before any work is done.
pub fn report_targets(common: &Common) -> Result<Vec<(Format, String)>> {
    common
        .reports
        .iter()
        .map(|r| {
            let (f, p) = r.split_once('=').ok_or_else(|| Error::Usage(format!("--report `{r}`: write FORMAT=PATH, e.g. --report sarif=hygiene.sarif")))?;
            let format = Format::parse(f).filter(|f| *f != Format::Human).ok_or_else(|| Error::Usage(format!("--report `{r}`: unknown format `{f}`; use one of json, sarif, junit, codequality, gitlab-secrets")))?;
            Ok((format, p.to_owned()))
        })
        .collect()
}

pub fn use_color(common: &Common) -> bool {
    !common.no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}

/// Runs the checks on `cs` and reports. Returns the exit code.
pub fn judge(cs: &ChangeSet, config: &Config, common: &Common, started: Instant) -> Result<i32> {
    judge_with(cs, config, common, started, &Extra::default())
}

/// [`judge`], with what `extra` adds.
pub fn judge_with(
    cs: &ChangeSet,
    config: &Config,
    common: &Common,
    started: Instant,
    extra: &Extra,
) -> Result<i32> {
    let format = stdout_format(common)?;
    let targets = report_targets(common)?;
    let mut selection = selection(common)?;
    selection.skip.extend(extra.skip.iter().cloned());
    let print = |text: &str| {
        if extra.to_stderr {
            out::eprint(text);
            Ok(())
        } else {
            out::print(text)
        }
    };
    crate::git::fetch_missing_blobs(cs)?;
    if let Some(tree) = &config.tree {
        tree.prepare(cs.files.iter().map(|f| &f.path))?;
    }
    let show_progress = crate::report::progress::wanted(cs.mode, common.quiet);
    let findings = crate::report::progress::while_running(cs, show_progress, || {
        checks::run_all(cs, config, &selection, common.verbose)
    });
    cs.finish_reads();
    let mut findings = findings?;
    if let Some(shard) = cs.shard {
        findings.retain(|f| shard.owns_finding(f));
    }
    let blocking = findings.iter().filter(|f| f.is_blocking()).count() as u64;
    let mut unread = unread::collect(&cs.unread, &findings);
    if let Some(shard) = cs.shard {
        unread.retain(|u| shard.owns_path(u.path.as_bytes()));
    }
    let summary = Summary {
        files: cs.files.len() as u64,
        bytes: cs.bytes_read(),
        findings: findings.len() as u64,
        blocking,
        elapsed_ms: started.elapsed().as_millis() as u64,
        skipped_checks: skipped_checks(common, config, cs.mode, &selection, extra),
        unread,
    };
    let rules = rule_infos(&findings);
    let run = Run {
        mode: cs.mode,
        findings: &findings,
        summary,
        rules,
    };
    match format {
        Format::Human => {
            // Quiet hides a clean summary, never a file that was not read.
            let quiet_ok = common.quiet
                && run.summary.unread.is_empty()
                && findings
                    .iter()
                    .all(|f| f.severity == crate::finding::Severity::Info);
            if !quiet_ok {
                print(&human::render(
                    &run,
                    &human::Options {
                        color: use_color(common),
                        verbose: common.verbose,
                    },
                ))?;
            }
        }
        other => print(&report::render(other, &run))?,
    }
    for (f, path) in targets {
        std::fs::write(&path, report::render(f, &run)).map_err(|e| Error::io(&path, e))?;
    }
    Ok(if blocking > 0 { EXIT_BLOCKED } else { EXIT_OK })
}

/// Documentation of the rules that appear in the findings, for SARIF.
fn rule_infos(findings: &[crate::finding::Finding]) -> Vec<RuleInfo> {
    let mut wanted: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.check, f.rule.as_str()))
        .collect();
    wanted.sort();
    wanted.dedup();
    if wanted.is_empty() {
        return Vec::new();
    }
    let all = checks::all_rules();
    wanted
        .into_iter()
        .filter_map(|(check, id)| {
            all.iter()
                .find(|(c, r)| *c == check && r.id == id)
                .map(|(c, r)| RuleInfo {
                    check: c,
                    id: r.id.clone(),
                    summary: r.summary.clone(),
                    explanation: r.explanation.clone(),
                })
        })
        .collect()
}
