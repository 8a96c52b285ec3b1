//! The plan stage: which staged files each `[[lint]]` entry gets, the runs (jobs) that covers,
//! and which runs must not overlap. Tools are looked up here, before anything is touched: a
//! missing or unstartable program stops the run while the work tree is still as the user left it.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::command::{self, Template};
use super::config::Linter;
use super::messages::{cannot_start_message, missing_message};
use super::rules::MISSING_TOOL;
use super::runner::Job;
use super::start;
use crate::changeset::Mode;
use crate::checks::Context;
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::git::staged_workspace::{StagedWorkspace, EMPTY_BLOB};
use crate::path::RepoPath;

/// One linter's work: its files (repository paths), its jobs.
pub struct Plan<'a> {
    pub linter: &'a Linter,
    /// Runs its `fix` command rather than `run`.
    pub fixing: bool,
    pub paths: Vec<RepoPath>,
    pub jobs: Vec<usize>,
}

impl Plan<'_> {
    pub fn template(&self) -> &Template {
        template(self.linter, self.fixing)
    }
}

/// Everything the run stage needs, and the warnings planning already found.
pub struct Planned<'a> {
    pub plans: Vec<Plan<'a>>,
    pub jobs: Vec<Job>,
    /// Jobs that run one after the other (see [`chains`]).
    pub chains: Vec<Vec<usize>>,
    pub findings: Vec<Finding>,
}

impl Planned<'_> {
    /// The plan a job belongs to.
    pub fn plan_of(&self, job: usize) -> Option<&Plan<'_>> {
        self.plans.iter().find(|p| p.jobs.contains(&job))
    }
}

/// What stops a linter from being planned.
enum Unplanned {
    /// Skipped with this finding (an optional tool, or any missing tool in ci).
    Skip(Finding),
    /// The whole run stops with this message (exit 2).
    Stop(String),
}

/// The staged (or, in ci, changed) files linters may get: content present (regular files and
/// symlinks, which linters get as the link), each path once; not intent-to-add entries (nothing
/// of them is being committed).
pub fn candidates<'a>(
    ctx: &Context<'a>,
    ws: Option<&StagedWorkspace<'_>>,
) -> Result<Vec<&'a RepoPath>> {
    let cs = ctx.cs;
    let mut seen = HashSet::new();
    let mut out: Vec<&RepoPath> = Vec::new();
    let mut maybe_ita: Vec<&RepoPath> = Vec::new();
    for f in &cs.files {
        if !f.status.has_content() || !seen.insert(&f.path) {
            continue;
        }
        if cs.mode == Mode::Ci && !f.path.to_native(&cs.root).is_file() {
            continue; // added then deleted within the range
        }
        if ws.is_some() && f.blob_id() == Some(EMPTY_BLOB) {
            maybe_ita.push(&f.path);
            continue;
        }
        out.push(&f.path);
    }
    if let Some(ws) = ws {
        if !maybe_ita.is_empty() {
            out.extend(ws.really_staged(&maybe_ita)?);
        }
    }
    Ok(out)
}

/// Plans every entry that matches some of `files`.
pub fn plan<'a>(ctx: &Context<'a>, files: &[&RepoPath], fix: bool) -> Result<Planned<'a>> {
    let cs = ctx.cs;
    let budget = command::arg_budget();
    let base_path = std::env::var_os("PATH").unwrap_or_default();
    let mut planned = Planned {
        plans: Vec::new(),
        jobs: Vec::new(),
        chains: Vec::new(),
        findings: Vec::new(),
    };
    let mut cannot_run: Vec<String> = Vec::new();
    for (li, (linter, own)) in entries(ctx, files)?.into_iter().enumerate() {
        let (paths, args) = matching(linter, &own);
        if paths.is_empty() {
            continue;
        }
        let fixing = fix && linter.fix.is_some();
        let template = template(linter, fixing);
        let cwd = match &linter.cwd {
            Some(c) => cs.root.join(c),
            None => cs.root.clone(),
        };
        let path_env = node_bin_path(&cwd, &base_path);
        let path_var = path_env.as_deref().unwrap_or(&base_path);
        match unplanned(ctx, li, linter, fixing, &cwd, path_var) {
            Some(Unplanned::Skip(f)) => {
                planned.findings.push(f);
                continue;
            }
            Some(Unplanned::Stop(msg)) => {
                cannot_run.push(msg);
                continue;
            }
            None => {}
        }
        let runs = if linter.pass_filenames {
            command::batches(template, &linter.name, &args, linter.batch, budget)
        } else {
            vec![Vec::new()]
        };
        let timeout = linter
            .timeout
            .or(ctx.config.lint_options.timeout.map(|t| t.0));
        let mut ids = Vec::with_capacity(runs.len());
        for run_files in runs {
            ids.push(planned.jobs.len());
            planned.jobs.push(Job {
                files: if linter.pass_filenames {
                    run_files.len()
                } else {
                    paths.len()
                },
                argv: anchored(template.argv(&linter.name, &run_files), &cwd),
                cwd: cwd.clone(),
                timeout,
                path_env: path_env.clone(),
            });
        }
        planned.plans.push(Plan {
            linter,
            fixing,
            paths,
            jobs: ids,
        });
    }
    if !cannot_run.is_empty() {
        return Err(Error::Other(cannot_run.join("\n")));
    }
    planned.chains = chains(&planned.plans, fix);
    Ok(planned)
}

/// Each `[[lint]]` entry that judges some of `files`, with those files: a file gets the entries
/// of the config that judges it (a nested config's own, and those it inherits). An entry
/// inherited by several directories is planned once, for all their files.
fn entries<'a, 'f>(
    ctx: &Context<'a>,
    files: &[&'f RepoPath],
) -> Result<Vec<(&'a Linter, Vec<&'f RepoPath>)>> {
    if !ctx.config.has_nested() {
        return Ok(ctx
            .config
            .lint
            .iter()
            .map(|l| (l, files.to_vec()))
            .collect());
    }
    let mut out: Vec<(&'a Linter, Vec<&'f RepoPath>)> = Vec::new();
    for f in files {
        for l in &ctx.config.for_path(f)?.lint {
            match out.iter_mut().find(|(o, _)| o.same_entry(l)) {
                Some((_, own)) => own.push(f),
                None => out.push((l, vec![*f])),
            }
        }
    }
    Ok(out)
}

/// The command a linter runs: its `fix` command when fixing, else `run`.
fn template(linter: &Linter, fixing: bool) -> &Template {
    match (&linter.fix, fixing) {
        (Some(f), true) => f,
        _ => &linter.run,
    }
}

/// Those of `files` under the linter's cwd that its globs take: their repository paths, and
/// the arguments to pass (relative to its cwd).
fn matching(linter: &Linter, files: &[&RepoPath]) -> (Vec<RepoPath>, Vec<OsString>) {
    let prefix: Option<Vec<u8>> = linter.cwd.as_ref().map(|c| format!("{c}/").into_bytes());
    let mut paths = Vec::new();
    let mut args: Vec<OsString> = Vec::new();
    for f in files {
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
    (paths, args)
}

/// Whether the linter's program is missing or cannot start, and what follows from that. A
/// shell command that does not say `{tool}` is not looked up: the shell finds its programs.
fn unplanned(
    ctx: &Context<'_>,
    li: usize,
    linter: &Linter,
    fixing: bool,
    cwd: &Path,
    path_var: &OsStr,
) -> Option<Unplanned> {
    let program = linter.program(fixing)?;
    let found: Option<PathBuf> = command::find_program(&program, cwd, path_var);
    if let Some(why) = found
        .as_deref()
        .and_then(|f| start::unstartable(&program, f))
    {
        // Broken, not missing: `optional` does not excuse it.
        return Some(Unplanned::Stop(cannot_start_message(ctx, li, linter, &why)));
    }
    if found.is_some() {
        return None;
    }
    Some(match missing_tool(ctx, li, linter, &program) {
        Ok(skipped) => Unplanned::Skip(skipped),
        Err(stop) => Unplanned::Stop(stop),
    })
}

/// What a missing `program` means for `linter`: a finding when the run goes on without it (the
/// entry is optional: a warning; in `ci`: an error, so every report is still written), or the
/// message the run stops with (exit 2). Used when planning finds it missing, and when it
/// vanished before its run.
pub fn missing_tool(
    ctx: &Context<'_>,
    li: usize,
    linter: &Linter,
    program: &str,
) -> Result<Finding, String> {
    let msg = missing_message(ctx, li, linter, program);
    if linter.optional {
        Ok(Finding::new(
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
        .key(linter.name.as_bytes()))
    } else if ctx.cs.mode == Mode::Ci {
        // A CI image without the linter is the image's gap, not the change's: a warning that
        // says what to install, every other check still judged and every report written.
        Ok(Finding::new(&MISSING_TOOL, Severity::Warn, msg).key(linter.name.as_bytes()))
    } else {
        Err(msg)
    }
}

/// A program given as a relative path (`node_modules/.bin/eslint`) is found from the linter's
/// cwd, the way planning looked for it, whatever the platform makes of a relative program.
fn anchored(mut argv: Vec<OsString>, cwd: &Path) -> Vec<OsString> {
    if let Some(first) = argv.first_mut() {
        let p = Path::new(first.as_os_str());
        if p.is_relative() && p.components().count() > 1 {
            *first = cwd.join(p).into_os_string();
        }
    }
    argv
}

/// `<cwd>/node_modules/.bin` first on PATH when it exists, as npm scripts have it.
fn node_bin_path(cwd: &Path, path: &OsStr) -> Option<OsString> {
    let bin = cwd.join("node_modules").join(".bin");
    if !bin.is_dir() {
        return None;
    }
    let mut dirs = vec![bin];
    dirs.extend(std::env::split_paths(path));
    std::env::join_paths(dirs).ok()
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
