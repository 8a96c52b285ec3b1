//! Unstaged work protection. Linters must see what will be committed, but they read the work
//! tree; when a file they will read is not what git would check out for its index entry, its
//! work-tree version is saved to a journal under the git common dir *before anything is touched*,
//! the file is set to exactly what `git checkout-index` writes for the entry (eol conversion,
//! filters, executable bit, symlink target: [`render`]), the linters run, and the saved version is
//! put back. While they run, `git diff` of those files is empty.
//!
//! Why full copies and not only a patch: putting a byte-for-byte copy back cannot fail the way
//! `git apply` does when a formatter rewrote nearby lines (the data-loss history of pre-commit,
//! lefthook and lint-staged). A binary patch is written as well, for people recovering by hand.
//!
//! The restore rule, used after a normal run, after a signal and by the next run after a
//! SIGKILL: for each file, if the work tree no longer holds exactly the staged version we wrote
//! (a linter or an editor changed it), that version is first kept aside under
//! `hygiene/kept/<id>/`; then the user's version is written back and verified. Nothing the user
//! or a tool wrote is ever dropped, and a write of our own that a kill cut short is recognised
//! as ours from the journal's progress markers ([`journal::Step`]), not kept as a change.
//!
//! Fast path: when no file the linters will read has unstaged changes, nothing is written.

mod crash;
pub mod journal;
pub mod recover;
mod restore;
mod worktree;

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::git::checkout;
use crate::git::objects::hash_blob;
use crate::git::unstaged::{StagedIndex, Unstaged};
use crate::path::RepoPath;
use journal::{Entry, Kind, Manifest, Progress, Step};
pub(crate) use restore::restore_journal;
use worktree::{Perm, State};

/// Where journals live: `<common dir>/hygiene/keep`.
pub fn keep_dir(common: &Path) -> PathBuf {
    common.join("hygiene").join("keep")
}

/// Where versions changed while hidden, or before a work-tree fix, are kept:
/// `<common dir>/hygiene/kept`.
pub fn kept_dir(common: &Path) -> PathBuf {
    common.join("hygiene").join("kept")
}

/// An active protection: while it lives, the files it lists hold their staged content.
/// Dropping it without [`Keeper::restore`] restores too (panics, early returns).
pub struct Keeper {
    dir: PathBuf,
    common: PathBuf,
    manifest: Manifest,
    _lock: Option<File>,
    done: bool,
}

/// What a restore did besides putting the user's versions back.
#[derive(Debug, Default)]
pub struct Restored {
    /// Files that did not hold the staged content any more (a linter or fixer changed them):
    /// that version, and where it was kept.
    pub kept_aside: Vec<(RepoPath, PathBuf)>,
}

/// Saves and hides the unstaged changes of `paths`, reading the index the commit is made from
/// (`index`, opened from `index_file`). `Ok(None)` is the fast path: nothing to hide.
pub fn protect(
    index: &StagedIndex<'_>,
    common: &Path,
    workdir: &Path,
    index_file: Option<&Path>,
    paths: &[RepoPath],
) -> Result<Option<Keeper>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let candidates = index.changed_in_worktree(paths)?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let filemode = index.filemode();
    let (id, building, lock) = start_journal(common)?;
    let hides = match save(index, &candidates, workdir, index_file, filemode, &building) {
        Ok(Some(h)) => h,
        Ok(None) => {
            let _ = std::fs::remove_dir_all(&building);
            return Ok(None);
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&building);
            return Err(e);
        }
    };
    let base = keep_dir(common);
    let dir = base.join(&id);
    std::fs::rename(&building, &dir).map_err(|e| Error::io(&dir, e))?;
    journal::sync_dir(&base);
    let keeper = Keeper {
        dir,
        common: common.to_path_buf(),
        manifest: hides.manifest,
        _lock: lock,
        done: false,
    };
    // From here on the Keeper's Drop restores whatever happens.
    let mut progress = Progress::open(&keeper.dir);
    for (e, staged) in keeper.manifest.entries.iter().zip(&hides.staged) {
        let p = e.path.to_native(workdir);
        let exec = matches!(staged, State::File(_, perm) if worktree::is_exec(*perm));
        progress.mark(e.n, Step::Hiding);
        crash::point("hide", "marked");
        worktree::put(&p, staged, Perm::Exec(exec), "hide").map_err(|err| {
            Error::Other(format!(
                "cannot set {} to its staged content ({err}); your version is saved in {} and is being restored",
                e.path,
                keeper.dir.display()
            ))
        })?;
        progress.mark(e.n, Step::Hidden);
        crash::point("hide", "done");
    }
    Ok(Some(keeper))
}

/// A journal being built: `<id>.new`, locked, readable by the owner only.
fn start_journal(common: &Path) -> Result<(String, PathBuf, Option<File>)> {
    let base = keep_dir(common);
    std::fs::create_dir_all(&base).map_err(|e| Error::io(&base, e))?;
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let id = format!("{}-{}", started.as_nanos(), std::process::id());
    // Built under a `.new` name and renamed when complete: a journal without its manifest is
    // never mistaken for one that needs restoring.
    let building = base.join(format!("{id}.new"));
    std::fs::create_dir_all(&building).map_err(|e| Error::io(&building, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The copies are the user's unpublished source: readable by the owner only.
        let _ = std::fs::set_permissions(&building, std::fs::Permissions::from_mode(0o700));
    }
    let lock = journal::try_lock(&building.join("lock"))?;
    Ok((id, building, lock))
}

/// What [`save`] decided to hide: the manifest, and per entry the staged state to write.
struct Hides {
    manifest: Manifest,
    staged: Vec<State>,
}

/// Step 1, before the work tree is touched: the journal, complete and on disk. The candidates are
/// checked against what git would write for them; those the work tree already holds (a file
/// whose only difference is the line endings git converts anyway, a stat-only change) are left
/// alone. `Ok(None)` when none is left.
fn save(
    index: &StagedIndex<'_>,
    candidates: &[Unstaged],
    workdir: &Path,
    index_file: Option<&Path>,
    filemode: bool,
    building: &Path,
) -> Result<Option<Hides>> {
    let rendered = building.join("render");
    let paths: Vec<&RepoPath> = candidates.iter().map(|t| &t.path).collect();
    let plain = index.checks_out_plain(&paths);
    if !plain {
        checkout::render(workdir, index_file, &paths, &rendered)?;
    }
    let files = building.join("files");
    let staged_dir = building.join("staged");
    for d in [&files, &staged_dir] {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    let mut entries = Vec::new();
    let mut staged = Vec::new();
    let mut patch = Vec::new();
    for t in candidates {
        let from = t.path.to_native(&rendered);
        let want = if plain {
            blob_state(index, t)?
        } else {
            worktree::read_state(&from).map_err(|e| Error::io(&from, e))?
        };
        let Some(hidden) = want.data() else {
            return Err(Error::Git(format!(
                "git checkout-index wrote no file for {}; nothing was touched: check `git ls-files --stage -- {}`",
                t.path, t.path
            )));
        };
        let p = t.path.to_native(workdir);
        let current = worktree::read_state(&p).map_err(|e| Error::io(&p, e))?;
        if current.same_for_git(&want, filemode) {
            continue;
        }
        let (kind, perm) = match &current {
            State::File(_, perm) => (Kind::File(worktree::is_exec(*perm)), Some(*perm)),
            State::Link(_) => (Kind::Symlink, None),
            State::Absent => (Kind::Absent, None),
            State::Other => {
                return Err(Error::Other(format!(
                    "{} is staged as a file but is a directory in the work tree; stage or undo that change, then commit again (nothing was touched)",
                    t.path
                )));
            }
        };
        let n = entries.len();
        journal::write_synced(
            &files.join(n.to_string()),
            current.data().unwrap_or_default(),
        )?;
        if !plain {
            // The blob is not what was written: keep what was, for recovery after a kill.
            let copy = staged_dir.join(n.to_string());
            std::fs::rename(&from, &copy).map_err(|e| Error::io(&copy, e))?;
        }
        patch.extend_from_slice(&t.patch);
        entries.push(Entry {
            n,
            path: t.path.clone(),
            kind,
            perm,
            hidden: hash_blob(hidden)?,
            hidden_link: matches!(want, State::Link(_)),
        });
        staged.push(want);
    }
    let _ = std::fs::remove_dir_all(&rendered);
    if entries.is_empty() {
        return Ok(None);
    }
    journal::write_synced(&building.join("unstaged.patch"), &patch)?;
    let _ = std::fs::write(building.join("README"), journal::README);
    let manifest = Manifest {
        pid: std::process::id(),
        started: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs(),
        workdir: workdir.to_path_buf(),
        entries,
    };
    journal::write_synced(&building.join("manifest"), &manifest.render())?;
    journal::sync_dir(&files);
    journal::sync_dir(building);
    Ok(Some(Hides { manifest, staged }))
}

/// What git writes for an entry no conversion applies to: its blob, as a file or a symlink.
fn blob_state(index: &StagedIndex<'_>, t: &Unstaged) -> Result<State> {
    let data = index.blob(&t.blob)?;
    Ok(if t.mode & 0o170000 == 0o120000 {
        State::Link(data)
    } else {
        State::File(data, if t.mode & 0o111 != 0 { 0o755 } else { 0o644 })
    })
}

impl Keeper {
    /// The files currently holding their staged content in place of the user's version.
    pub fn paths(&self) -> impl Iterator<Item = &RepoPath> {
        self.manifest.entries.iter().map(|e| &e.path)
    }
    /// Puts every user version back and removes the journal.
    pub fn restore(mut self) -> Result<Restored> {
        self.done = true;
        restore_journal(&self.dir, &self.manifest, &self.common)
    }
}

impl Drop for Keeper {
    fn drop(&mut self) {
        if !self.done {
            if let Err(e) = restore_journal(&self.dir, &self.manifest, &self.common) {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "git-hygiene: error: restoring your unstaged changes: {e}; they are saved in {} (`git hygiene restore`)",
                    self.dir.display()
                );
            }
        }
    }
}
