//! The objects of a push in progress. During pre-receive git keeps what was pushed in a
//! quarantine directory and names it in `GIT_OBJECT_DIRECTORY` (with the repository's own
//! objects in `GIT_ALTERNATE_OBJECT_DIRECTORIES`); only once the hooks accept the push are the
//! objects moved in. `git` itself reads those variables; `Repository::open` does not, so every
//! handle adds them as alternates, or the pushed commits would be invisible.

use std::path::PathBuf;

use git2::Repository;

use crate::error::Result;

/// The separator of `GIT_ALTERNATE_OBJECT_DIRECTORIES`, as git splits it.
const LIST_SEPARATOR: char = if cfg!(windows) { ';' } else { ':' };

/// The object directories the environment adds to the repository's own.
fn object_dirs() -> Vec<PathBuf> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut dirs: Vec<PathBuf> = var("GIT_OBJECT_DIRECTORY")
        .into_iter()
        .chain(var("GIT_QUARANTINE_PATH"))
        .map(PathBuf::from)
        .collect();
    if let Some(list) = var("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        dirs.extend(
            list.split(LIST_SEPARATOR)
                .filter(|d| !d.is_empty())
                .map(PathBuf::from),
        );
    }
    // git may name them relative to the hook's directory (`GIT_DIR=.`).
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut dirs: Vec<PathBuf> = dirs.into_iter().map(|d| cwd.join(d)).collect();
    dirs.dedup();
    dirs
}

/// Adds the environment's object directories to `repo`'s object database. A directory
/// already there (libgit2 checks the inode) is not added twice.
pub fn add_pushed_objects(repo: &Repository) -> Result<()> {
    let dirs = object_dirs();
    if dirs.is_empty() {
        return Ok(());
    }
    let odb = repo.odb()?;
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        if let Some(dir) = dir.to_str() {
            odb.add_disk_alternate(dir)?;
        }
    }
    Ok(())
}
