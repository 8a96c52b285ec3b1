//! `lint`: the configured linters and formatters run on exactly the staged files that match
//! them (lint-staged style), in parallel, with unstaged work protected by [`crate::keep`].
//!
//! Flow, a stage a file: `plan.rs` picks the staged files (never deleted ones or intent-to-add
//! entries; symlinks are passed as the link), matches each `[[lint]]` entry's globs and checks
//! its tool exists and can start, before anything is touched; `protect.rs` hides unstaged
//! changes of the matched files if there are any; `runner.rs` runs them while `outcome.rs`
//! prints each linter's output as one block; `protect.rs` puts the user's versions back;
//! `outcome.rs` turns the results into findings; in fix mode `fixes.rs` re-stages what fixers
//! changed.

pub mod batch;
pub mod command;
pub mod config;
mod fixes;
mod messages;
mod outcome;
mod plan;
pub mod presets;
mod protect;
pub mod restage;
pub mod runner;
mod start;

use super::{Check, Context, RuleDoc};
use crate::changeset::Mode;
use crate::error::Result;
use crate::finding::Finding;
use crate::git::staged_workspace::StagedWorkspace;
use messages::ID;
use plan::Planned;
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
        vec![
            RuleDoc::new("failed", "a linter reported problems (non-zero exit)",
                "Runs each [[lint]] entry on the staged files that match its globs and reports it when the command exits \
                 non-zero; its output is printed above the findings.\n\nWhy: formatting and lint problems are cheapest to \
                 fix before they are committed.\n\nExample:\n    [[lint]]\n    preset = \"black\"\n\nFix: fix what it reports \
                 and `git add` the files, or let the formatter do it: `git hygiene check --fix` (or `fix = true` in \
                 [lint_options]) runs the entry's `fix` command and re-stages the files it changed."),
            RuleDoc::new("timeout", "a linter ran longer than its timeout",
                "Reports a linter still running after `timeout` (per entry, or [lint_options] timeout). It is stopped \
                 with its whole process group and your unstaged work is restored.\n\nFix: raise `timeout`, or narrow \
                 `glob` so it gets fewer files."),
            RuleDoc::new("crashed", "a linter was killed by a signal",
                "Reports a linter that died from a signal (a crash, an out-of-memory kill, `kill -9`). Your unstaged \
                 work is restored as after any failure.\n\nFix: run the command by hand to see why."),
            RuleDoc::new("missing-tool", "an optional linter's program is not installed",
                "An entry with `optional = true` whose program is not on PATH is skipped with this warning. Without \
                 `optional`, a missing program stops the run with exit code 2 and says how to install it, except in \
                 `git hygiene ci`: there it is this rule as an error, so every report is still written.\n\nFix: install \
                 the tool, or remove the entry."),
            RuleDoc::new("fix-conflict", "a fixer changed a file that also has unstaged changes",
                "In fix mode, a formatter changed the staged version of a file that has further, unstaged changes. \
                 Staging the formatted version would mix it with your unstaged work, so the commit is stopped: your \
                 work-tree version is put back untouched and the formatted staged version is kept under \
                 .git/hygiene/kept/.\n\nFix: stage the whole file (`git add FILE`) and commit again so the formatter sees \
                 all of it, or format by hand."),
            RuleDoc::new("modified", "a check command changed a file it was only meant to check",
                "Without fix mode the `run` command should only check; when it rewrote a file anyway, the change is \
                 reported (the commit would not contain it). For a file with unstaged changes, the rewritten version is \
                 kept under .git/hygiene/kept/ and your version is put back.\n\nFix: use a checking command for `run` \
                 (e.g. `black --check`) and put the rewriting one in `fix`."),
        ]
    }
    fn applies(&self, mode: Mode) -> bool {
        matches!(mode, Mode::PreCommit | Mode::Ci)
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        if ctx.config.lint.is_empty() {
            return Ok(Vec::new());
        }
        run(ctx)
    }
}

/// The stages, in order.
fn run(ctx: &Context<'_>) -> Result<Vec<Finding>> {
    let cs = ctx.cs;
    let fix = ctx.config.lint_options.fix && cs.mode == Mode::PreCommit;
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
    let before = fix.then(|| fixes::before(&planned.plans, keeper.as_ref(), &cs.root));
    let (results, interrupted) = run_jobs(ctx, &planned);
    let restored = protect::restore(keeper, interrupted)?;
    let judged = outcome::judge(ctx, &planned.plans, &results)?;
    findings.extend(judged.findings);
    findings.extend(outcome::kept_aside(&planned.plans, &restored));
    if let Some(before) = before {
        findings.extend(fixes::finish(ctx, ws.as_ref(), &before, judged.failed_any)?);
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
