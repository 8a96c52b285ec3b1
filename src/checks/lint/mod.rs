//! `lint`: the configured linters and formatters run on exactly the staged files that match
//! them (lint-staged style), in parallel, with unstaged work protected by [`crate::keep`].
//!
//! Flow: pick the staged files (never deleted ones or intent-to-add entries; symlinks are
//! passed as the link), match each `[[lint]]` entry's globs, check its tool exists and can
//! start (before anything is touched), hide unstaged changes of the matched files if there are
//! any, run, print each linter's output as one block, put the user's versions back, and in fix
//! mode re-stage what fixers changed.

pub mod command;
pub mod config;
pub mod presets;
pub mod restage;
pub mod rules;
pub mod runner;
mod start;

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Check, Context};
use crate::changeset::{ChangedFile, Mode};
use crate::content::ContentStore;
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::path::RepoPath;
use crate::rule::{self, RuleDoc};
use crate::{keep, signals};
use config::Linter;
use rules::{CRASHED, FAILED, FIX_CONFLICT, MISSING_TOOL, MODIFIED, RULES, TIMEOUT};
use runner::{Done, Job, Outcome};

pub use config::LintOptions;

const ID: &str = "lint";
const EMPTY_BLOB: &str = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

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
        matches!(mode, Mode::PreCommit | Mode::Ci)
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        if ctx.config.lint.is_empty() {
            return Ok(Vec::new());
        }
        run(ctx)
    }
}

/// One linter's work: its files (repository paths and the arguments to pass), its jobs.
struct Plan<'a> {
    linter: &'a Linter,
    fixing: bool,
    paths: Vec<RepoPath>,
    jobs: Vec<usize>,
}

/// The git side of a pre-commit run, when the change set comes from a repository.
struct GitSide {
    git_dir: PathBuf,
    workdir: PathBuf,
    index_file: Option<PathBuf>,
}

fn run(ctx: &Context<'_>) -> Result<Vec<Finding>> {
    let cs = ctx.cs;
    let opts = &ctx.config.lint_options;
    let fix = opts.fix && cs.mode == Mode::PreCommit;
    let git = match &cs.store {
        ContentStore::Git {
            git_dir,
            workdir: Some(w),
            index_file,
            ..
        } if cs.mode == Mode::PreCommit => Some(GitSide {
            git_dir: git_dir.clone(),
            workdir: w.clone(),
            index_file: index_file.clone(),
        }),
        _ => None,
    };
    let files = candidates(ctx, git.as_ref())?;
    let mut findings = Vec::new();
    if files.is_empty() {
        return Ok(findings);
    }
    let budget = command::arg_budget();
    let base_path = std::env::var_os("PATH").unwrap_or_default();
    let mut jobs: Vec<Job> = Vec::new();
    let mut plans: Vec<Plan<'_>> = Vec::new();
    let mut cannot_run: Vec<String> = Vec::new();
    for (li, linter) in ctx.config.lint.iter().enumerate() {
        let cwd_abs = match &linter.cwd {
            Some(c) => cs.root.join(c),
            None => cs.root.clone(),
        };
        let prefix: Option<Vec<u8>> = linter.cwd.as_ref().map(|c| format!("{c}/").into_bytes());
        let mut paths = Vec::new();
        let mut args: Vec<OsString> = Vec::new();
        for f in &files {
            let rel = match &prefix {
                Some(p) => match f.as_bytes().strip_prefix(p.as_slice()) {
                    Some(r) => RepoPath::from_bytes(r),
                    None => continue,
                },
                None => (*f).clone(),
            };
            let rel_native = rel.to_native(Path::new(""));
            if linter.matches(&rel_native) {
                paths.push((*f).clone());
                args.push(rel_native.into_os_string());
            }
        }
        if paths.is_empty() {
            continue;
        }
        let fixing = fix && linter.fix.is_some();
        let template = match (&linter.fix, fixing) {
            (Some(f), true) => f,
            _ => &linter.run,
        };
        let path_env = node_bin_path(&cwd_abs, &base_path);
        let program = linter.tool.map(str::to_owned).or_else(|| match template {
            command::Template::Direct(_) => Some(template.program()),
            command::Template::Shell(_) => None,
        });
        if let Some(program) = program {
            let pv = path_env.as_deref().unwrap_or(&base_path);
            let found = command::find_program(&program, &cwd_abs, pv);
            if let Some(why) = found
                .as_deref()
                .and_then(|f| start::unstartable(&program, f))
            {
                // Broken, not missing: `optional` does not excuse it.
                cannot_run.push(cannot_start_message(ctx, li, linter, &why));
                continue;
            }
            if found.is_none() {
                let msg = missing_message(ctx, li, linter, &program);
                if linter.optional {
                    findings.push(
                        Finding::new(
                            &MISSING_TOOL,
                            Severity::Warn,
                            format!("`{}` skipped: `{program}` is not installed", linter.name),
                        )
                        .help(
                            linter
                                .install
                                .map(|i| format!("install it: {i}"))
                                .unwrap_or_else(|| "install it, or remove the entry".into()),
                        )
                        .key(linter.name.as_bytes()),
                    );
                } else if cs.mode == Mode::Ci {
                    // CI still writes every report (the MR widget shows why): an error finding
                    // that says what to install, not a run that stops with exit 2.
                    findings.push(
                        Finding::new(&MISSING_TOOL, Severity::Error, msg)
                            .key(linter.name.as_bytes()),
                    );
                } else {
                    cannot_run.push(msg);
                }
                continue;
            }
        }
        let runs = if linter.pass_filenames {
            command::batches(template, &linter.name, &args, linter.batch, budget)
        } else {
            vec![Vec::new()]
        };
        let timeout = linter.timeout.or(opts.timeout.map(|t| t.0));
        let mut ids = Vec::with_capacity(runs.len());
        for files in runs {
            ids.push(jobs.len());
            jobs.push(Job {
                linter: li,
                files: if linter.pass_filenames {
                    files.len()
                } else {
                    paths.len()
                },
                argv: template.argv(&linter.name, &files),
                cwd: cwd_abs.clone(),
                timeout,
                path_env: path_env.clone(),
            });
        }
        plans.push(Plan {
            linter,
            fixing,
            paths,
            jobs: ids,
        });
    }
    if !cannot_run.is_empty() {
        return Err(Error::Other(cannot_run.join("\n")));
    }
    if jobs.is_empty() {
        return Ok(findings);
    }
    let chains = chains(&plans, fix);
    let max = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));

    // From here the work tree may change: catch signals first, then protect.
    signals::catch();
    let keeper = match &git {
        Some(g) => {
            let mut all: Vec<RepoPath> =
                plans.iter().flat_map(|p| p.paths.iter().cloned()).collect();
            all.sort();
            all.dedup();
            cs.store.with_repo(|repo| {
                let index = open_index(repo, g.index_file.as_deref())?;
                keep::protect(
                    repo,
                    &index,
                    repo.commondir(),
                    &g.workdir,
                    g.index_file.as_deref(),
                    &all,
                )
            })?
        }
        None => None,
    };
    let hidden: HashSet<RepoPath> = keeper
        .as_ref()
        .map(|k| k.paths().cloned().collect())
        .unwrap_or_default();
    // Fix mode: what the fixed files look like now, to see which ones a fixer changed.
    let before: HashMap<RepoPath, Stamp> = if fix {
        plans
            .iter()
            .filter(|p| p.fixing)
            .flat_map(|p| p.paths.iter())
            .filter(|p| !hidden.contains(*p))
            .map(|p| (p.clone(), stamp(&p.to_native(&cs.root))))
            .collect()
    } else {
        HashMap::new()
    };

    let verbose = ctx.verbose;
    let (results, interrupted) = runner::run(&jobs, &chains, max, |d| {
        crate::last_resort::test_panic_point("lint-result", "");
        print_block(&jobs, &plans, ctx, d, verbose)
    });
    crate::last_resort::test_panic_point("lint-running", "");

    let restored = keeper.map(keep::Keeper::restore);
    signals::release();
    if let Some(sig) = interrupted {
        let note = match &restored {
            Some(Err(e)) => format!("; restoring your unstaged changes failed: {e}"),
            Some(Ok(_)) => "; your unstaged changes are restored".into(),
            None => String::new(),
        };
        return Err(Error::Other(format!(
            "interrupted by {}: linters stopped{note}",
            signals::name(sig)
        )));
    }
    let restored = restored.transpose()?.unwrap_or_default();

    // Per linter: the worst outcome over its runs.
    let mut failed_any = false;
    let mut did_not_run = Vec::new();
    for (pi, plan) in plans.iter().enumerate() {
        let mine: Vec<&Done> = results
            .iter()
            .filter(|d| plan.jobs.contains(&d.job))
            .collect();
        let elapsed: Duration = mine.iter().map(|d| d.elapsed).max().unwrap_or_default();
        let template = if plan.fixing {
            plan.linter.fix.as_ref()
        } else {
            None
        }
        .unwrap_or(&plan.linter.run);
        let shell_missing = matches!(template, command::Template::Shell(_));
        let worst = mine
            .iter()
            .map(|d| &d.outcome)
            .find(|o| **o != Outcome::Exit(0));
        let Some(worst) = worst else { continue };
        let l = plan.linter;
        let n = plan.paths.len();
        let (rule, msg) = match worst {
            Outcome::NotFound => {
                did_not_run.push(missing_message(
                    ctx,
                    config_index(ctx, l),
                    l,
                    &template.program(),
                ));
                continue;
            }
            Outcome::Exit(127) if shell_missing => {
                did_not_run.push(missing_message(
                    ctx,
                    config_index(ctx, l),
                    l,
                    &template.program(),
                ));
                continue;
            }
            // A linter that did not start has judged nothing: never a finding a severity
            // could soften, always an error.
            Outcome::SpawnError(why) => {
                did_not_run.push(cannot_start_message(ctx, config_index(ctx, l), l, why));
                continue;
            }
            Outcome::Exit(c) => match start::exit_code(&template.program(), *c) {
                Some(why) => {
                    did_not_run.push(cannot_start_message(ctx, config_index(ctx, l), l, &why));
                    continue;
                }
                None => (
                    &FAILED,
                    format!("`{}` failed (exit code {c}) on {}", l.name, files_word(n)),
                ),
            },
            Outcome::Signal(s) => (
                &CRASHED,
                format!(
                    "`{}` was killed by {} on {}",
                    l.name,
                    signals::name(*s),
                    files_word(n)
                ),
            ),
            Outcome::TimedOut => (
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
            Outcome::Stopped => continue,
        };
        failed_any = true;
        let help = match (&l.fix, plan.fixing) {
            (Some(_), false) => "fix what it reports and `git add` the files, or run `git hygiene check --fix` to apply its fix command".to_owned(),
            _ => "fix what it reports, `git add` the files, and commit again".to_owned(),
        };
        let mut f =
            Finding::new(rule, ctx.severity, format!("{msg} in {}", secs(elapsed))).help(help);
        if n == 1 {
            f = f.at(&plan.paths[0], None, None);
        }
        findings.push(f.key(l.name.as_bytes()));
        let _ = pi;
    }
    if !did_not_run.is_empty() {
        return Err(Error::Other(did_not_run.join("\n")));
    }
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
    if fix {
        let changed = changed_since(&before, ctx, &cs.root);
        if !changed.is_empty() {
            if failed_any {
                findings.push(Finding::new(
                    &MODIFIED,
                    Severity::Info,
                    format!(
                        "fixes left unstaged in {} because a linter failed",
                        files_word(changed.len())
                    ),
                ));
            } else if let Some(g) = &git {
                restage::restage(&g.workdir, &g.git_dir, g.index_file.as_deref(), &changed)?;
                let mut err = std::io::stderr().lock();
                for p in &changed {
                    let _ = writeln!(err, "lint: re-staged {p} (fixed)");
                }
            }
        }
    }
    Ok(findings)
}

/// The staged (or, in ci, changed) files linters may get: content present (regular files and
/// symlinks, which linters get as the link), each path once; not intent-to-add entries (nothing
/// of them is being committed).
fn candidates<'a>(ctx: &Context<'a>, git: Option<&GitSide>) -> Result<Vec<&'a RepoPath>> {
    let cs = ctx.cs;
    let mut seen = HashSet::new();
    let mut out: Vec<&RepoPath> = Vec::new();
    let mut maybe_ita: Vec<&ChangedFile> = Vec::new();
    for f in &cs.files {
        if !f.status.has_content() || !seen.insert(&f.path) {
            continue;
        }
        if cs.mode == Mode::Ci && !f.path.to_native(&cs.root).is_file() {
            continue; // added then deleted within the range
        }
        if git.is_some() && f.blob_id() == Some(EMPTY_BLOB) {
            maybe_ita.push(f);
            continue;
        }
        out.push(&f.path);
    }
    if let Some(g) = git {
        if !maybe_ita.is_empty() {
            let keep: Vec<&RepoPath> = cs.store.with_repo(|repo| {
                let index = open_index(repo, g.index_file.as_deref())?;
                Ok(maybe_ita
                    .iter()
                    .filter(|f| {
                        index
                            .get_path(&f.path.to_native(Path::new("")), 0)
                            .is_some_and(|e| e.flags_extended & (1 << 13) == 0)
                    })
                    .map(|f| &f.path)
                    .collect())
            })?;
            out.extend(keep);
        }
    }
    Ok(out)
}

fn open_index(repo: &git2::Repository, file: Option<&Path>) -> Result<git2::Index> {
    match file {
        Some(f) => git2::Index::open(f).map_err(|e| {
            Error::Git(format!(
                "cannot read the index {}: {}",
                f.display(),
                e.message()
            ))
        }),
        None => Ok(repo.index()?),
    }
}

/// Chains of jobs that must not overlap. Checking never writes, so every run is its own chain;
/// in fix mode, linters sharing a file run one after the other, in config order.
fn chains(plans: &[Plan<'_>], fix: bool) -> Vec<Vec<usize>> {
    if !fix {
        return plans
            .iter()
            .flat_map(|p| p.jobs.iter().map(|&j| vec![j]))
            .collect();
    }
    let mut group: Vec<usize> = (0..plans.len()).collect();
    fn root(g: &mut [usize], mut i: usize) -> usize {
        while g[i] != i {
            g[i] = g[g[i]];
            i = g[i];
        }
        i
    }
    let mut owner: HashMap<&RepoPath, usize> = HashMap::new();
    for (i, p) in plans.iter().enumerate() {
        for path in &p.paths {
            if let Some(&o) = owner.get(path) {
                let (a, b) = (root(&mut group, o), root(&mut group, i));
                group[b.max(a)] = a.min(b);
            } else {
                owner.insert(path, i);
            }
        }
    }
    let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); plans.len()];
    for (i, p) in plans.iter().enumerate() {
        let r = root(&mut group, i);
        by_root[r].extend(p.jobs.iter().copied());
    }
    by_root.into_iter().filter(|c| !c.is_empty()).collect()
}

/// Prints one finished run as one block on stderr: failures always, successes with -v.
fn print_block(jobs: &[Job], plans: &[Plan<'_>], ctx: &Context<'_>, d: &Done, verbose: bool) {
    let job = &jobs[d.job];
    let Some(plan) = plans.iter().find(|p| p.jobs.contains(&d.job)) else {
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
    let part = if plan.jobs.len() > 1 {
        format!(
            " (run {} of {})",
            plan.jobs
                .iter()
                .position(|&j| j == d.job)
                .map_or(0, |i| i + 1),
            plan.jobs.len()
        )
    } else {
        String::new()
    };
    let mut block = format!(
        "── lint: {}{part} · {} · {} · {status}\n",
        plan.linter.name,
        files_word(job.files),
        secs(d.elapsed)
    );
    block.push_str(&String::from_utf8_lossy(&d.output));
    if !block.ends_with('\n') {
        block.push('\n');
    }
    let _ = ctx;
    let _ = std::io::stderr().lock().write_all(block.as_bytes());
}

fn missing_message(ctx: &Context<'_>, index: usize, l: &Linter, program: &str) -> String {
    let file = ctx
        .config
        .source
        .as_ref()
        .map_or(".hygiene.toml".to_owned(), |p| p.display().to_string());
    let install = l.install.map_or_else(
        || format!("install `{program}`"),
        |i| format!("install it ({i})"),
    );
    format!(
        "lint `{}` ({file}, [[lint]] entry {}): `{program}` is not installed or not on PATH; {install}, or set `optional = true` on the entry to skip it when missing",
        l.name,
        index + 1
    )
}

fn cannot_start_message(ctx: &Context<'_>, index: usize, l: &Linter, why: &str) -> String {
    let file = ctx
        .config
        .source
        .as_ref()
        .map_or(".hygiene.toml".to_owned(), |p| p.display().to_string());
    format!(
        "lint `{}` ({file}, [[lint]] entry {}) did not run: {why}",
        l.name,
        index + 1
    )
}

fn config_index(ctx: &Context<'_>, l: &Linter) -> usize {
    ctx.config
        .lint
        .iter()
        .position(|x| std::ptr::eq(x, l))
        .unwrap_or(0)
}

/// `<cwd>/node_modules/.bin` first on PATH when it exists, as npm scripts have it.
fn node_bin_path(cwd: &Path, path: &std::ffi::OsStr) -> Option<OsString> {
    let bin = cwd.join("node_modules").join(".bin");
    if !bin.is_dir() {
        return None;
    }
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(path));
    std::env::join_paths(dirs).ok()
}

#[derive(PartialEq, Eq)]
struct Stamp(Option<(u64, i64, i64, u64)>);

fn stamp(p: &Path) -> Stamp {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Stamp(
            std::fs::symlink_metadata(p)
                .ok()
                .map(|m| (m.len(), m.mtime(), m.mtime_nsec(), m.ino())),
        )
    }
    #[cfg(not(unix))]
    {
        Stamp(
            std::fs::symlink_metadata(p)
                .ok()
                .map(|m| (m.len(), 0, 0, 0)),
        )
    }
}

/// Files whose work-tree content a fixer changed: the stamp moved and the bytes no longer hash to
/// the staged blob.
fn changed_since(
    before: &HashMap<RepoPath, Stamp>,
    ctx: &Context<'_>,
    root: &Path,
) -> Vec<RepoPath> {
    let staged: HashMap<&RepoPath, &str> = ctx
        .cs
        .files
        .iter()
        .filter_map(|f| f.blob_id().map(|b| (&f.path, b)))
        .collect();
    let mut out: Vec<RepoPath> = before
        .iter()
        .filter(|(p, s)| stamp(&p.to_native(root)) != **s)
        .filter(|(p, _)| {
            let Ok(data) = std::fs::read(p.to_native(root)) else {
                return false;
            };
            let now = git2::Oid::hash_object(git2::ObjectType::Blob, &data)
                .map(|o| o.to_string())
                .unwrap_or_default();
            staged.get(p).is_none_or(|b| *b != now)
        })
        .map(|(p, _)| p.clone())
        .collect();
    out.sort();
    out
}

fn files_word(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}
