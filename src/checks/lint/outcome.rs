//! The outcome stage: what each run's result means. A finished run is shown as it arrives (its
//! block on stderr); once all have finished, each linter's worst result becomes a finding, or
//! stops the run when the linter did not run at all, and files a linter changed while its
//! unstaged version was hidden are reported.

use std::time::Duration;

use super::command::Template;
use super::messages::{cannot_start_message, config_index};
use super::plan::{missing_tool, Plan, Planned};
use super::rules::{CRASHED, FAILED, FIX_CONFLICT, MODIFIED, TIMEOUT};
use super::runner::{Done, Outcome};
use super::start;
use crate::checks::Context;
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::keep::Restored;
use crate::report::lint_progress::{self, files_word, secs};
use crate::rule::Rule;
use crate::signals;

/// The findings of the runs, and whether any linter failed.
pub struct Judged {
    pub findings: Vec<Finding>,
    pub failed_any: bool,
}

/// What one linter's worst run means.
enum Verdict {
    Passed,
    /// It did not run (missing, could not start): the run stops with this message.
    DidNotRun(String),
    /// Its program is missing and the run goes on without it (`optional`, or in `ci`).
    Skipped(Finding),
    Failed(&'static Rule, String),
}

/// Shows one finished run as one block on stderr: failures always, successes with -v.
pub fn show(planned: &Planned<'_>, d: &Done, verbose: bool) {
    let job = &planned.jobs[d.job];
    let Some(plan) = planned.plan_of(d.job) else {
        return;
    };
    let ok = d.outcome == Outcome::Exit(0);
    if ok && !verbose {
        return;
    }
    let status = match &d.outcome {
        Outcome::Exit(0) => "ok".to_owned(),
        Outcome::Exit(c) => format!("failed (exit code {c})"),
        Outcome::Signal(s) => format!("killed by {}", signals::name(*s)),
        Outcome::TimedOut => "timed out".into(),
        Outcome::NotFound => "not installed".into(),
        Outcome::SpawnError(e) => format!("could not start: {e}"),
        Outcome::Stopped => "stopped".into(),
    };
    let part = (plan.jobs.len() > 1).then(|| {
        let n = plan
            .jobs
            .iter()
            .position(|&j| j == d.job)
            .map_or(0, |i| i + 1);
        (n, plan.jobs.len())
    });
    lint_progress::block(&lint_progress::Block {
        linter: &plan.linter.name,
        part,
        files: job.files,
        elapsed: d.elapsed,
        status: &status,
        output: &d.output,
    });
}

/// Per linter, the worst outcome over its runs. An error when a linter did not run: it has
/// judged nothing, so that is never a finding a severity could soften.
pub fn judge(ctx: &Context<'_>, plans: &[Plan<'_>], results: &[Done]) -> Result<Judged> {
    let mut judged = Judged {
        findings: Vec::new(),
        failed_any: false,
    };
    let mut did_not_run = Vec::new();
    for plan in plans {
        let mine: Vec<&Done> = results
            .iter()
            .filter(|d| plan.jobs.contains(&d.job))
            .collect();
        let elapsed: Duration = mine.iter().map(|d| d.elapsed).max().unwrap_or_default();
        let worst = mine
            .iter()
            .map(|d| &d.outcome)
            .find(|o| **o != Outcome::Exit(0));
        let Some(worst) = worst else { continue };
        let (rule, msg) = match verdict(ctx, plan, worst) {
            Verdict::Passed => continue,
            Verdict::DidNotRun(why) => {
                did_not_run.push(why);
                continue;
            }
            Verdict::Skipped(f) => {
                judged.findings.push(f);
                continue;
            }
            Verdict::Failed(rule, msg) => (rule, msg),
        };
        judged.failed_any = true;
        let help = match (&plan.linter.fix, plan.fixing) {
            (Some(_), false) => "run `git hygiene check --fix` (its fix command rewrites the files and re-stages them) and commit again, or fix what its output reports and `git add` the files".to_owned(),
            (Some(_), true) => "its fix command could not repair everything: fix what its output reports, `git add` the files, and commit again".to_owned(),
            (None, _) => "fix what its output reports, `git add` the files, and commit again".to_owned(),
        };
        let mut f =
            Finding::new(rule, ctx.severity, format!("{msg} in {}", secs(elapsed))).help(help);
        if plan.paths.len() == 1 {
            f = f.at(&plan.paths[0], None, None);
        }
        judged.findings.push(f.key(plan.linter.name.as_bytes()));
    }
    if !did_not_run.is_empty() {
        return Err(Error::Other(did_not_run.join("\n")));
    }
    Ok(judged)
}

fn verdict(ctx: &Context<'_>, plan: &Plan<'_>, worst: &Outcome) -> Verdict {
    let l = plan.linter;
    let n = plan.paths.len();
    let template = plan.template();
    let shell_missing = matches!(template, Template::Shell(_));
    let index = config_index(ctx, l);
    // Found when planned but gone when run (uninstalled meanwhile), or a shell command whose
    // program the shell could not find (exit 127): missing, as if planning had seen it.
    let program = l.program(plan.fixing).unwrap_or_else(|| template.program());
    let missing = || match missing_tool(ctx, index, l, &program) {
        Ok(skipped) => Verdict::Skipped(skipped),
        Err(stop) => Verdict::DidNotRun(stop),
    };
    match worst {
        Outcome::NotFound => missing(),
        Outcome::Exit(127) if shell_missing => missing(),
        Outcome::SpawnError(why) => Verdict::DidNotRun(cannot_start_message(ctx, index, l, why)),
        Outcome::Exit(c) => match start::exit_code(&template.program(), *c) {
            Some(why) => Verdict::DidNotRun(cannot_start_message(ctx, index, l, &why)),
            None => Verdict::Failed(
                &FAILED,
                format!("`{}` failed (exit code {c}) on {}", l.name, files_word(n)),
            ),
        },
        Outcome::Signal(s) => Verdict::Failed(
            &CRASHED,
            format!(
                "`{}` was killed by {} on {}",
                l.name,
                signals::name(*s),
                files_word(n)
            ),
        ),
        Outcome::TimedOut => Verdict::Failed(
            &TIMEOUT,
            format!(
                "`{}` did not finish within {} and was stopped",
                l.name,
                secs(
                    l.timeout
                        .or(ctx.config.lint_options.timeout.map(|t| t.0))
                        .unwrap_or_default()
                )
            ),
        ),
        Outcome::Stopped => Verdict::Passed,
    }
}

/// Files that no longer held their staged content when the user's version went back: a fixer
/// reformatted a file with unstaged changes (a conflict), or a check command rewrote one.
pub fn kept_aside(plans: &[Plan<'_>], restored: &Restored) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, aside) in &restored.kept_aside {
        let fixer = plans.iter().find(|p| p.fixing && p.paths.contains(path));
        let f = match fixer {
            Some(p) => Finding::new(&FIX_CONFLICT, Severity::Error, format!("`{}` reformatted the staged version of a file that also has unstaged changes; not re-staged, commit stopped", p.linter.name))
                .help(format!("your work-tree version is back in place; the formatted staged version is at {}. Stage the whole file (`git add`) and commit again, or format by hand", aside.display())),
            None => Finding::new(&MODIFIED, Severity::Warn, "a lint command changed this file while checking it; your unstaged version is back in place")
                .help(format!("the changed version is kept at {}; use a checking command for `run` and put the rewriting one in `fix`", aside.display())),
        };
        findings.push(f.at(path, None, None).key(b""));
    }
    findings
}
