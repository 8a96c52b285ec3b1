//! Unstaged work protection. Linters must see what will be committed, but they read the work
//! tree; when a file they will read has unstaged changes, its work-tree version is saved to a
//! journal under the git common dir *before anything is touched*, the file is set to its staged
//! content, the linters run, and the saved version is put back.
//!
//! Why full copies and not only a patch: putting a byte-for-byte copy back cannot fail the way
//! `git apply` does when a formatter rewrote nearby lines (the data-loss history of pre-commit,
//! lefthook and lint-staged). A binary patch is written as well, for people recovering by hand.
//!
//! The restore rule, used after a normal run, after a signal and by the next run after a
//! SIGKILL: for each file, if the work tree no longer holds exactly the staged content we wrote
//! (a linter or an editor changed it), that version is first kept aside under
//! `hygiene/kept/<id>/`; then the user's version is written back and verified. Nothing the user
//! or a tool wrote is ever dropped.
//!
//! Fast path: when no file the linters will read has unstaged changes, nothing is written.

pub mod journal;
pub mod recover;

use std::fs::File;
use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, Index, ObjectType, Oid, Repository};

use crate::error::{Error, Result};
use crate::path::RepoPath;
use journal::{Entry, Kind, Manifest};

/// Above this many paths a pathspec costs more than diffing everything and filtering.
const PATHSPEC_LIMIT: usize = 64;

/// Where journals live: `<common dir>/hygiene/keep`.
pub fn keep_dir(common: &Path) -> PathBuf {
    common.join("hygiene").join("keep")
}

fn kept_dir(common: &Path) -> PathBuf {
    common.join("hygiene").join("kept")
}

/// A file whose work-tree version differs from its index entry.
#[derive(Debug, Clone)]
pub struct Target {
    pub path: RepoPath,
    pub blob: Oid,
    pub exec: bool,
    delta: usize,
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

/// The files of `paths` (all in `index`) with unstaged changes. Intent-to-add entries, symlinks
/// and submodules are never returned: the caller must not hand them to linters.
pub fn unstaged(repo: &Repository, index: &Index, paths: &[RepoPath]) -> Result<Vec<Target>> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let diff = index_to_workdir(repo, index, paths)?;
    targets_of(&diff, index, paths)
}

fn index_to_workdir<'r>(
    repo: &'r Repository,
    index: &Index,
    paths: &[RepoPath],
) -> Result<git2::Diff<'r>> {
    let mut opts = DiffOptions::new();
    opts.include_typechange(true)
        .ignore_submodules(true)
        .show_binary(true)
        .context_lines(3);
    if paths.len() <= PATHSPEC_LIMIT {
        opts.disable_pathspec_match(true);
        for p in paths {
            opts.pathspec(p.to_native(Path::new("")));
        }
    }
    Ok(repo.diff_index_to_workdir(Some(index), Some(&mut opts))?)
}

fn targets_of(diff: &git2::Diff<'_>, index: &Index, paths: &[RepoPath]) -> Result<Vec<Target>> {
    let wanted: std::collections::HashSet<&[u8]> = paths.iter().map(|p| p.as_bytes()).collect();
    let mut out = Vec::new();
    for (i, d) in diff.deltas().enumerate() {
        if !matches!(
            d.status(),
            Delta::Modified | Delta::Deleted | Delta::Typechange
        ) {
            continue;
        }
        let Some(p) = d.old_file().path_bytes() else {
            continue;
        };
        if !wanted.contains(p) {
            continue;
        }
        let Some(entry) = index.get_path(&RepoPath::from_bytes(p).to_native(Path::new("")), 0)
        else {
            continue;
        };
        let ita = entry.flags_extended & (1 << 13) != 0;
        let kind = entry.mode & 0o170000;
        if ita || kind != 0o100000 {
            continue;
        }
        out.push(Target {
            path: RepoPath::from_bytes(p),
            blob: entry.id,
            exec: entry.mode & 0o111 != 0,
            delta: i,
        });
    }
    Ok(out)
}

/// Saves and hides the unstaged changes of `paths`. `Ok(None)` is the fast path: nothing to hide.
pub fn protect(
    repo: &Repository,
    index: &Index,
    common: &Path,
    workdir: &Path,
    paths: &[RepoPath],
) -> Result<Option<Keeper>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let diff = index_to_workdir(repo, index, paths)?;
    let targets = targets_of(&diff, index, paths)?;
    if targets.is_empty() {
        return Ok(None);
    }
    let keeper = save(repo, &diff, &targets, common, workdir)?;
    // From here on the Keeper's Drop restores whatever happens.
    for t in &targets {
        let blob = repo.find_blob(t.blob)?;
        let p = t.path.to_native(workdir);
        write_file(&p, blob.content(), t.exec).map_err(|e| {
            Error::Other(format!(
                "cannot set {} to its staged content ({e}); your version is saved in {} and is being restored",
                t.path,
                keeper.dir.display()
            ))
        })?;
    }
    Ok(Some(keeper))
}

/// Step 1, before the work tree is touched: the journal, complete and on disk.
fn save(
    repo: &Repository,
    diff: &git2::Diff<'_>,
    targets: &[Target],
    common: &Path,
    workdir: &Path,
) -> Result<Keeper> {
    let base = keep_dir(common);
    std::fs::create_dir_all(&base).map_err(|e| Error::io(&base, e))?;
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let id = format!("{}-{}", started.as_nanos(), std::process::id());
    // Built under a `.new` name and renamed when complete: a journal without its manifest is
    // never mistaken for one that needs restoring.
    let building = base.join(format!("{id}.new"));
    let files = building.join("files");
    std::fs::create_dir_all(&files).map_err(|e| Error::io(&files, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The copies are the user's unpublished source: readable by the owner only.
        let _ = std::fs::set_permissions(&building, std::fs::Permissions::from_mode(0o700));
    }
    let lock = journal::try_lock(&building.join("lock"))?;
    let mut entries = Vec::with_capacity(targets.len());
    let mut patch = Vec::new();
    for (n, t) in targets.iter().enumerate() {
        let p = t.path.to_native(workdir);
        let (kind, data) = match read_state(&p).map_err(|e| Error::io(&p, e))? {
            State::File(data, exec) => (Kind::File(exec), data),
            State::Link(target) => (Kind::Symlink, target),
            State::Absent => (Kind::Absent, Vec::new()),
            State::Other => {
                let _ = std::fs::remove_dir_all(&building);
                return Err(Error::Other(format!(
                    "{} is staged as a file but is a directory in the work tree; stage or undo that change, then commit again (nothing was touched)",
                    t.path
                )));
            }
        };
        journal::write_synced(&files.join(n.to_string()), &data)?;
        if let Ok(Some(mut patch_of)) = git2::Patch::from_diff(diff, t.delta) {
            if let Ok(buf) = patch_of.to_buf() {
                patch.extend_from_slice(&buf);
            }
        }
        entries.push(Entry {
            n,
            path: t.path.clone(),
            kind,
            hidden: t.blob.to_string(),
        });
    }
    let _ = repo;
    journal::write_synced(&building.join("unstaged.patch"), &patch)?;
    let _ = std::fs::write(building.join("README"), journal::README);
    let manifest = Manifest {
        pid: std::process::id(),
        started: started.as_secs(),
        workdir: workdir.to_path_buf(),
        entries,
    };
    journal::write_synced(&building.join("manifest"), &manifest.render())?;
    journal::sync_dir(&files);
    journal::sync_dir(&building);
    let dir = base.join(&id);
    std::fs::rename(&building, &dir).map_err(|e| Error::io(&dir, e))?;
    journal::sync_dir(&base);
    Ok(Keeper {
        dir,
        common: common.to_path_buf(),
        manifest,
        _lock: lock,
        done: false,
    })
}

impl Keeper {
    /// The files currently holding their staged content in place of the user's version.
    pub fn paths(&self) -> impl Iterator<Item = &RepoPath> {
        self.manifest.entries.iter().map(|e| &e.path)
    }
    pub fn dir(&self) -> &Path {
        &self.dir
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

/// The restore rule of the module doc. Idempotent: running it twice (a crash in the middle of a
/// restore, then recovery) ends in the same state. Removes the journal when every file is back.
pub(crate) fn restore_journal(dir: &Path, m: &Manifest, common: &Path) -> Result<Restored> {
    let mut out = Restored::default();
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for e in &m.entries {
        let saved_path = dir.join("files").join(e.n.to_string());
        let saved = std::fs::read(&saved_path).map_err(|err| Error::io(&saved_path, err))?;
        let p = e.path.to_native(&m.workdir);
        let current = read_state(&p).map_err(|err| Error::io(&p, err))?;
        if matches_saved(&current, e.kind, &saved) {
            continue;
        }
        let still_hidden = match &current {
            State::File(data, _) => {
                Oid::hash_object(ObjectType::Blob, data).is_ok_and(|o| o.to_string() == e.hidden)
            }
            _ => false,
        };
        if !still_hidden {
            if let Some(aside) = keep_aside(common, &id, e, &current)? {
                out.kept_aside.push((e.path.clone(), aside));
            }
        }
        put_back(&p, e.kind, &saved).map_err(|err| {
            Error::Other(format!(
                "cannot put back {}: {err}; your version is in {}",
                e.path,
                saved_path.display()
            ))
        })?;
        let now = read_state(&p).map_err(|err| Error::io(&p, err))?;
        if !matches_saved(&now, e.kind, &saved) {
            return Err(Error::Other(format!(
                "{} did not read back as saved; your version is in {}",
                e.path,
                saved_path.display()
            )));
        }
    }
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    Ok(out)
}

fn matches_saved(current: &State, kind: Kind, saved: &[u8]) -> bool {
    match (current, kind) {
        (State::File(data, exec), Kind::File(want)) => data == saved && *exec == want,
        (State::Link(t), Kind::Symlink) => t == saved,
        (State::Absent, Kind::Absent) => true,
        _ => false,
    }
}

/// Copies what the work tree holds now to `hygiene/kept/<id>/`, listed in its `list` file.
fn keep_aside(common: &Path, id: &str, e: &Entry, current: &State) -> Result<Option<PathBuf>> {
    let data = match current {
        State::File(d, _) | State::Link(d) => d,
        State::Absent | State::Other => return Ok(None),
    };
    let dir = kept_dir(common).join(id);
    std::fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
    let dest = dir.join(e.n.to_string());
    journal::write_synced(&dest, data)?;
    let list = dir.join("list");
    let mut line = std::fs::read(&list).unwrap_or_default();
    line.extend_from_slice(format!("{} {}\n", e.n, journal::encode(e.path.as_bytes())).as_bytes());
    std::fs::write(&list, line).map_err(|err| Error::io(&list, err))?;
    Ok(Some(dest))
}

enum State {
    File(Vec<u8>, bool),
    Link(Vec<u8>),
    Absent,
    Other,
}

fn read_state(p: &Path) -> std::io::Result<State> {
    let meta = match std::fs::symlink_metadata(p) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::Absent),
        Err(e) if e.raw_os_error() == Some(20) => return Ok(State::Absent), // ENOTDIR: a parent became a file
        Err(e) => return Err(e),
    };
    if meta.file_type().is_symlink() {
        return Ok(State::Link(
            journal::path_bytes(&std::fs::read_link(p)?).to_vec(),
        ));
    }
    if !meta.is_file() {
        return Ok(State::Other);
    }
    Ok(State::File(std::fs::read(p)?, is_exec(&meta)))
}

#[cfg(unix)]
fn is_exec(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_exec(_: &std::fs::Metadata) -> bool {
    false
}

fn put_back(p: &Path, kind: Kind, saved: &[u8]) -> std::io::Result<()> {
    match kind {
        Kind::File(exec) => write_file(p, saved, exec),
        Kind::Absent => match std::fs::remove_file(p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
        Kind::Symlink => {
            remove_any(p)?;
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(saved), p)
            }
            #[cfg(not(unix))]
            {
                std::fs::write(p, saved)
            }
        }
    }
}

fn remove_any(p: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => Err(std::io::Error::other(
            "a directory is in the way; move it and run `git hygiene restore`",
        )),
        Ok(_) => std::fs::remove_file(p),
        Err(_) => Ok(()),
    }
}

/// Writes a regular file in place (keeping its inode and other permission bits) or creates it,
/// and sets the executable bits to `exec`.
fn write_file(p: &Path, data: &[u8], exec: bool) -> std::io::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => std::fs::remove_file(p)?,
        Ok(m) if m.is_dir() => {
            return Err(std::io::Error::other(
                "a directory is in the way; move it and run `git hygiene restore`",
            ))
        }
        Ok(_) => {}
        Err(_) => {
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    std::fs::write(p, data)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(p)?.permissions().mode();
        let want = if exec {
            mode | ((mode & 0o444) >> 2)
        } else {
            mode & !0o111
        };
        if want != mode {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(want))?;
        }
    }
    let _ = exec;
    Ok(())
}
