//! `check --all-files` and `check --files PATH…`: the work tree as it is, over every tracked
//! file or the files named, as a change set in which every line is new. Nothing is compared
//! with a base, and the index is only read (for the list of tracked paths).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::changeset::{ChangeSet, ChangedFile, Mode};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::path::RepoPath;

/// What to judge: every tracked file, or the paths given on the command line (relative to the
/// current directory; a directory stands for the tracked files under it).
pub enum Files<'a> {
    All,
    Given(&'a [PathBuf]),
}

/// The change set of `files` in `repo`'s work tree. Tracked files the work tree does not hold
/// (deleted, sparse, submodules) and symlinks are left out: there is no content of their own
/// to judge, and a fixer must never write through a link.
pub fn changeset(repo: &Repo, files: Files<'_>) -> Result<ChangeSet> {
    let mut cs = repo.empty_changeset(Mode::AllFiles);
    let tracked = cs.store.index_paths()?;
    let paths: Vec<RepoPath> = match files {
        Files::All => tracked
            .into_iter()
            .filter(|p| is_regular(&p.to_native(&repo.workdir)))
            .collect(),
        Files::Given(given) => {
            let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
            let root = repo
                .workdir
                .canonicalize()
                .map_err(|e| Error::io(&repo.workdir, e))?;
            let mut out = BTreeSet::new();
            for p in given {
                out.extend(expand(&root, &cwd, p, &tracked)?);
            }
            out.into_iter().collect()
        }
    };
    cs.files = paths.into_iter().map(ChangedFile::on_disk).collect();
    Ok(cs)
}

fn is_regular(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_file())
}

/// One `--files` argument as repository paths: the file itself (tracked or not), or the tracked
/// files under a directory. A path that does not exist, or is outside the work tree, is a usage
/// error: nothing would be judged for it.
fn expand(root: &Path, cwd: &Path, given: &Path, tracked: &[RepoPath]) -> Result<Vec<RepoPath>> {
    let shown = given.display();
    let abs = cwd.join(given);
    let meta = std::fs::symlink_metadata(&abs).map_err(|_| {
        Error::Usage(format!(
            "--files {shown}: no such file in the work tree; name files that exist (tracked or not)"
        ))
    })?;
    // The parent is resolved, not the file itself: a symlink given by name stays the link.
    let parent = abs
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .unwrap_or_else(|| abs.clone());
    let full = match abs.file_name() {
        Some(name) if !meta.is_dir() => parent.join(name),
        _ => abs.canonicalize().map_err(|e| Error::io(&abs, e))?,
    };
    let rel = full.strip_prefix(root).map_err(|_| {
        Error::Usage(format!(
            "--files {shown}: not inside the work tree {}",
            root.display()
        ))
    })?;
    if rel.components().any(|c| c.as_os_str() == ".git") {
        return Err(Error::Usage(format!(
            "--files {shown}: inside .git; name files of the work tree"
        )));
    }
    let path = RepoPath::from_native(rel);
    if meta.file_type().is_symlink() {
        return Err(Error::Usage(format!(
            "--files {shown}: a symlink; name the file it points to"
        )));
    }
    if !meta.is_dir() {
        return Ok(vec![path]);
    }
    let prefix: Vec<u8> = if rel.as_os_str().is_empty() {
        Vec::new()
    } else {
        [path.as_bytes(), b"/"].concat()
    };
    let under: Vec<RepoPath> = tracked
        .iter()
        .filter(|t| t.as_bytes().starts_with(&prefix))
        .filter(|t| is_regular(&t.to_native(root)))
        .cloned()
        .collect();
    if under.is_empty() {
        return Err(Error::Usage(format!(
            "--files {shown}: a directory with no tracked files; name the files to judge"
        )));
    }
    Ok(under)
}
