//! Finding and restoring journals left by a run that was killed (SIGKILL, power loss). Every
//! git-hygiene command calls [`on_start`] first, so the next command the user runs puts the work
//! back; `git hygiene restore` does the same by hand and says what it did.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::journal::{self, Manifest};
use super::{keep_dir, restore_journal};
use crate::error::{Error, Result};
use crate::git::discover::common_dir;

/// What one recovered journal held.
#[derive(Debug)]
pub struct Recovered {
    pub pid: u32,
    pub files: Vec<String>,
    pub kept_aside: Vec<(String, PathBuf)>,
}

/// Restores every journal whose owner has exited. Journals of live runs (their lock is held)
/// are left alone.
pub fn recover(common: &Path) -> Result<Vec<Recovered>> {
    let base = keep_dir(common);
    let Ok(read) = std::fs::read_dir(&base) else {
        return Ok(Vec::new());
    };
    let mut names: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let mut out = Vec::new();
    for dir in names {
        if !dir.is_dir() {
            continue;
        }
        let Some(lock) = journal::try_lock(&dir.join("lock"))? else {
            continue; // its run is still going
        };
        let manifest_path = dir.join("manifest");
        let building = dir.extension().is_some_and(|e| e == "new");
        if building || !manifest_path.exists() {
            // Killed while saving, before the work tree was touched: nothing to restore.
            drop(lock);
            let _ = std::fs::remove_dir_all(&dir);
            continue;
        }
        let text =
            std::fs::read_to_string(&manifest_path).map_err(|e| Error::io(&manifest_path, e))?;
        let m = Manifest::parse(&text, &manifest_path)?;
        let restored = restore_journal(&dir, &m, common)?;
        drop(lock);
        out.push(Recovered {
            pid: m.pid,
            files: m.entries.iter().map(|e| e.path.to_string()).collect(),
            kept_aside: restored
                .kept_aside
                .into_iter()
                .map(|(p, a)| (p.to_string(), a))
                .collect(),
        });
    }
    Ok(out)
}

/// Called at the start of every command: one `stat` when there is nothing to do.
pub fn on_start() -> Result<()> {
    let Some(common) = common_dir() else {
        return Ok(());
    };
    if !keep_dir(&common).is_dir() {
        return Ok(());
    }
    for r in recover(&common)? {
        report(&r);
    }
    Ok(())
}

pub fn report(r: &Recovered) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "git-hygiene: restored your unstaged changes to {} (saved by an interrupted run, pid {})",
        r.files.join(", "),
        r.pid
    );
    for (p, aside) in &r.kept_aside {
        let _ = writeln!(
            err,
            "git-hygiene: {p} had been changed while hidden; that version is kept at {}",
            aside.display()
        );
    }
}

/// `git hygiene restore`.
pub fn command() -> Result<i32> {
    let common = common_dir().ok_or_else(|| {
        Error::Git("not inside a git repository: run `git hygiene restore` in the repository whose changes to restore".into())
    })?;
    let done = recover(&common)?;
    if done.is_empty() {
        let live = std::fs::read_dir(keep_dir(&common))
            .map(|r| r.count())
            .unwrap_or(0);
        if live > 0 {
            crate::out::println("a git-hygiene run is still going in this repository; its changes will be restored when it ends")?;
        } else {
            crate::out::println("nothing to restore")?;
        }
    }
    for r in &done {
        report(r);
    }
    Ok(0)
}
