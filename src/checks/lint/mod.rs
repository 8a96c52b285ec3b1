//! `lint`: the configured linters and formatters run on exactly the staged files that match
//! them (lint-staged style), in parallel, with unstaged work protected by [`crate::keep`].
//!
//! Flow, a stage a file: `plan.rs` picks the staged files (never deleted ones or intent-to-add
//! entries; symlinks are passed as the link), matches each `[[lint]]` entry's globs and checks
//! its tool exists and can start, before anything is touched; `protect.rs` hides unstaged
//! changes of the matched files if there are any; `runner.rs` runs them while `outcome.rs`
//! prints each linter's output as one block; `protect.rs` puts the user's versions back;
//! `outcome.rs` turns the results into findings; in fix mode `fixes.rs` re-stages what fixers
//! changed. `check --all-files` / `--files` (mode `AllFiles`) run the same stages on the
//! work tree as it is: nothing is hidden or re-staged, and `worktree_fix.rs` keeps what a fixer
//! could make unrecoverable.

pub mod batch;
pub mod command;
pub mod config;
mod fixes;
mod messages;
mod outcome;
mod plan;
pub mod presets;
mod protect;
mod resolve;
pub mod restage;
pub mod rules;
pub mod runner;
mod start;
mod worktree_fix;

use super::{Check, Context};
use crate::changeset::Mode;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::git::staged_workspace::StagedWorkspace;
use crate::rule::{self, RuleDoc};
use messages::ID;
use plan::Planned;
use rules::RULES;
use runner::Done;

pub use config::LintOptions;

pub struct Lint;

impl Check for Lint {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "configured linters and formatters on the staged files, unstaged work protected"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        rule::docs(RULES)
    }
    fn applies(&self, mode: Mode) -> bool {
        matches!(mode, Mode::PreCommit | Mode::Ci | Mode::AllFiles)
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        if ctx.config.lint.is_empty() && !ctx.config.has_nested() {
            return Ok(Vec::new());
        }
        run(ctx)
    }
}

/// The stages, in order.
fn run(ctx: &Context<'_>) -> Result<Vec<Finding>> {
    let cs = ctx.cs;
    let fix = ctx.config.lint_options.fix && matches!(cs.mode, Mode::PreCommit | Mode::AllFiles);
    // Only a staged run hides unstaged work and re-stages fixes; whole-file runs
    // (`check --all-files`) judge and fix the work tree as it is (`worktree_fix.rs`).
    let ws = if cs.mode == Mode::PreCommit {
        StagedWorkspace::of(&*cs.store)
    } else {
        None
    };
    let files = plan::candidates(ctx, ws.as_ref())?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let mut planned = plan::plan(ctx, &files, fix)?;
    let mut findings = std::mem::take(&mut planned.findings);
    if planned.jobs.is_empty() {
        return Ok(findings);
    }
    let keeper = protect::protect(ws.as_ref(), &planned.plans)?;
    let in_worktree = fix && cs.mode == Mode::AllFiles;
    let before =
        (fix && !in_worktree).then(|| fixes::before(&planned.plans, keeper.as_ref(), &cs.root));
    let worktree_before = match in_worktree {
        true => Some(worktree_fix::before(ctx, &planned.plans)?),
        false => None,
    };
    let (results, interrupted) = run_jobs(ctx, &planned);
    let restored = match protect::restore(keeper, interrupted) {
        // Stopped mid-fix: the fixed files stay as the fixers left them; say where the
        // earlier versions of those with unstaged changes are.
        Err(Error::Other(m)) => {
            let kept = worktree_before.as_ref().and_then(|b| b.kept_dir());
            return Err(Error::Other(match kept {
                Some(dir) => format!(
                    "{m}; files the fixers changed stay changed, and the versions from before the fix of those with unstaged changes are kept under {}",
                    dir.display()
                ),
                None => m,
            }));
        }
        r => r?,
    };
    let judged = outcome::judge(ctx, &planned.plans, &results)?;
    findings.extend(judged.findings);
    findings.extend(outcome::kept_aside(&planned.plans, &restored));
    if let Some(before) = before {
        findings.extend(fixes::finish(ctx, ws.as_ref(), &before, judged.failed_any)?);
    }
    if let Some(before) = worktree_before {
        findings.extend(worktree_fix::finish(ctx, before));
    }
    Ok(findings)
}

/// Runs the planned jobs, at most `jobs` at once, showing each run as it finishes; returns the
/// results and the signal that stopped the run, if one did.
fn run_jobs(ctx: &Context<'_>, planned: &Planned<'_>) -> (Vec<Done>, Option<i32>) {
    let max = ctx
        .config
        .lint_options
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let ran = runner::run(&planned.jobs, &planned.chains, max, |d| {
        crate::last_resort::test_panic_point("lint-result", "");
        outcome::show(planned, d, ctx.verbose)
    });
    crate::last_resort::test_panic_point("lint-running", "");
    ran
}
