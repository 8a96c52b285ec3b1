//! Fix mode over whole files (`check --all-files --fix`, `check --files … --fix`). Nothing is
//! hidden and nothing is staged: the fixers edit the work tree as the user left it, like an
//! editor's format-on-save. What must never happen is an edit the user cannot undo, so before
//! the fixers run, every file they get that `git checkout` could not bring back (unstaged
//! changes, or not tracked) is copied byte for byte under `.git/hygiene/kept/<run>/`. Afterwards
//! each file whose content changed is reported; the copies of files no fixer changed are removed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::plan::Plan;
use super::rules::FIXED;
use crate::checks::Context;
use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::git::staged_workspace::{blob_id, StagedWorkspace};
use crate::keep::{journal, kept_dir};
use crate::path::RepoPath;

/// The fixed files as they were before the fixers ran.
pub struct Before {
    files: Vec<Original>,
    /// `.git/hygiene/kept/<run>`, when some file needed a copy.
    kept: Option<PathBuf>,
}

struct Original {
    path: RepoPath,
    /// The blob id of the content (`None`: it could not be read, so it is not judged).
    hash: Option<String>,
    /// The byte-for-byte copy, for a file `git checkout` cannot bring back.
    copy: Option<PathBuf>,
}

/// Reads (and where needed copies) every file a fixing plan will get.
pub fn before(ctx: &Context<'_>, plans: &[Plan<'_>]) -> Result<Before> {
    let cs = ctx.cs;
    let mut paths: Vec<RepoPath> = plans
        .iter()
        .filter(|p| p.fixing)
        .flat_map(|p| p.paths.iter().cloned())
        .collect();
    paths.sort();
    paths.dedup();
    let ws = StagedWorkspace::of(&*cs.store)
        .ok_or_else(|| Error::Other("fixing whole files needs a git work tree".into()))?;
    let (dirty, common) = ws.with_staged_index(|ix| {
        let dirty: HashSet<RepoPath> = ix
            .changed_in_worktree(&paths)?
            .into_iter()
            .map(|u| u.path)
            .collect();
        Ok((dirty, ix.common_dir().to_path_buf()))
    })?;
    let tracked: HashSet<&RepoPath> = cs.tree_paths()?.iter().collect();
    let run_dir = kept_dir(&common).join(run_id());
    let mut out = Before {
        files: Vec::with_capacity(paths.len()),
        kept: None,
    };
    for path in paths {
        let native = path.to_native(&cs.root);
        let data = std::fs::read(&native).ok();
        let needs_copy = dirty.contains(&path) || !tracked.contains(&path);
        let copy = match (&data, needs_copy) {
            (Some(bytes), true) => {
                let dest = path.to_native(&run_dir);
                save(&dest, bytes)?;
                out.kept = Some(run_dir.clone());
                Some(dest)
            }
            _ => None,
        };
        out.files.push(Original {
            hash: data.as_deref().map(blob_id),
            path,
            copy,
        });
    }
    if let Some(dir) = &out.kept {
        journal::sync_dir(dir);
    }
    Ok(out)
}

/// A run id like the keep journals' own: time and process, so two runs never share one.
fn run_id() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("fix-{}-{}", t.as_nanos(), std::process::id())
}

fn save(dest: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    journal::write_synced(dest, bytes)
}

impl Before {
    /// Where this run keeps copies, when it keeps any.
    pub fn kept_dir(&self) -> Option<&Path> {
        self.kept.as_deref()
    }
}

/// One warning per file the fixers changed; the copies of unchanged files are removed.
pub fn finish(ctx: &Context<'_>, before: Before) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &before.files {
        let now = std::fs::read(f.path.to_native(&ctx.cs.root))
            .ok()
            .map(|d| blob_id(&d));
        let changed = f.hash.is_some() && now != f.hash;
        match (&f.copy, changed) {
            (Some(copy), true) => out.push(fixed(&f.path).help(format!(
                "it had unstaged changes: your version from before the fix is kept at {}; review with `git diff`, then `git add` it",
                copy.display()
            ))),
            (None, true) => out.push(fixed(&f.path).help(
                "review with `git diff`, then `git add` it (`git checkout -- FILE` undoes the fix)",
            )),
            (Some(copy), false) => {
                let _ = std::fs::remove_file(copy);
            }
            (None, false) => {}
        }
    }
    if let Some(dir) = &before.kept {
        remove_empty_dirs(dir);
    }
    out
}

fn fixed(path: &RepoPath) -> Finding {
    Finding::new(
        &FIXED,
        Severity::Warn,
        "fixed in the work tree (not staged)".to_owned(),
    )
    .at(path, None, None)
}

/// Removes `dir` and the directories under it that hold no file any more.
fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_empty_dirs(&e.path());
            }
        }
    }
    // Fails, as wanted, when a kept copy is still inside.
    let _ = std::fs::remove_dir(dir);
}
