//! Builds `ChangeSet`s from git: the index (pre-commit), a push (pre-push), a range (ci, history).
//! This is the only module that asks git what changed.

mod boundary;
pub mod case_variants;
pub mod catfile;
pub mod checkout;
pub mod cmd;
mod config;
pub mod discover;
pub mod hooks_location;
pub mod index_paths;
pub mod log_range;
pub mod loose;
pub mod objects;
mod odb_reader;
pub mod policy_cache;
pub mod promisor;
mod quarantine;
pub mod refs;
mod revwalk;
pub mod shallow;
pub mod staged_raw;
pub mod staged_workspace;
pub mod store;
mod tracked;
pub mod treediff;
pub mod unstaged;

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A commit or object id; callers outside this module name it `git::Oid`.
pub use git2::Oid;
use git2::{Delta, Diff, DiffFindOptions, DiffOptions, FileMode, Patch, Repository, Sort};
use rayon::prelude::*;

use crate::changeset::{
    short_id, Added, AddedLines, ChangeSet, ChangedFile, Commit, FileStatus, HeadState, Mode,
    Source,
};
use crate::content::ContentStore;
use crate::error::{Error, Result};
use crate::path::RepoPath;
use promisor::Promisor;
pub use store::{parse_oid, GitStore};

/// Files above this size are not line-diffed (libgit2 treats them as binary): a diff holds both
/// versions and a record per line, 260 MiB for a 55 MB file. Their added lines are found by
/// comparing lines with the old version as the file is read in windows
/// (`ChangeSet::added_among`).
const MAX_DIFF_BYTES: i64 = crate::content::WHOLE_READ_MAX as i64;
/// Ranges changing this many files read blobs through `git cat-file --batch` (`catfile.rs`);
/// for fewer, starting the process costs more than it saves.
const BATCH_READS_FROM: usize = 256;

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(format!("git: {}", e.message()))
    }
}

/// Sets libgit2 up for how this tool reads: call once, before any repository is opened.
pub fn tune_libgit2() {
    // libgit2 re-hashes every object it reads to verify it (git itself does not); on history
    // scans that SHA-1 work was a quarter of the run. Objects come from the user's own repository.
    git2::opts::strict_hash_verification(false);
    // libgit2 keeps up to 256 MiB of decoded trees and commits per repository handle (one per
    // thread here). Every object is read about once, so the cache only cost memory: 353 → 177
    // MB peak RSS on a history scan of rust-lang/cargo, at the same speed.
    git2::opts::enable_caching(false);
}

pub struct Repo {
    repo: Repository,
    pub git_dir: PathBuf,
    /// The top of the work tree; in a bare repository (opened with [`Repo::open_bare_ok`]),
    /// the git dir, where nothing is read from disk.
    pub workdir: PathBuf,
    /// No work tree: what is judged comes from objects only.
    pub bare: bool,
    /// `GIT_INDEX_FILE`, when git gave the hook an index other than the default one.
    pub index_file: Option<PathBuf>,
}

impl Repo {
    /// Opens the repository the way git's own commands would: `GIT_DIR`, `GIT_INDEX_FILE` and
    /// friends first, then discovery from the current directory.
    pub fn open() -> Result<Repo> {
        Self::open_with(false)
    }

    /// [`Repo::open`], in a bare repository too: the server's pre-receive hook, `scan --history`
    /// and `ci` judge commits, which need no work tree.
    pub fn open_bare_ok() -> Result<Repo> {
        Self::open_with(true)
    }

    fn open_with(allow_bare: bool) -> Result<Repo> {
        let repo = Repository::open_from_env().map_err(|e| {
            if e.code() == git2::ErrorCode::NotFound {
                Error::Git("not a git repository (or any parent directory): run this inside a git work tree, or use `git hygiene scan PATH` for a plain directory".into())
            } else {
                Error::from(e)
            }
        })?;
        quarantine::add_pushed_objects(&repo)?;
        let git_dir = repo.path().to_path_buf();
        let bare = repo.workdir().is_none();
        let workdir = match repo.workdir() {
            Some(w) => w.to_path_buf(),
            None if allow_bare => git_dir.clone(),
            None => return Err(Error::Git("this is a bare repository: this command needs a work tree; in a bare repository use `git hygiene scan --history`, `git hygiene ci`, or `git hygiene install` for the server's pre-receive hook".into())),
        };
        let index_file = std::env::var_os("GIT_INDEX_FILE")
            .filter(|v| !v.is_empty())
            .map(|v| {
                let p = PathBuf::from(v);
                if p.is_absolute() {
                    p
                } else {
                    std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p)
                }
            });
        Ok(Repo {
            repo,
            git_dir,
            workdir,
            bare,
            index_file,
        })
    }

    pub fn store(&self) -> GitStore {
        GitStore {
            git_dir: self.git_dir.clone(),
            workdir: (!self.bare).then(|| self.workdir.clone()),
            index_file: self.index_file.clone(),
            batch: false,
        }
    }

    /// A change set with the branch and HEAD filled in and no files yet.
    pub fn empty_changeset(&self, mode: Mode) -> ChangeSet {
        let mut cs = ChangeSet::new(mode, self.workdir.clone(), Arc::new(self.store()));
        let (branch, state, head) = self.head_info();
        cs.branch = branch;
        cs.head_state = state;
        cs.head = head.map(|o| o.to_string());
        cs
    }

    /// Current branch, HEAD state and HEAD commit. During a rebase the branch is the one being rebased.
    pub fn head_info(&self) -> (Option<String>, HeadState, Option<Oid>) {
        let head_ref = self.repo.find_reference("HEAD").ok();
        let symbolic = head_ref
            .as_ref()
            .and_then(|r| r.symbolic_target().map(str::to_owned));
        let head = self.repo.head().ok().and_then(|h| h.target());
        match (symbolic, head) {
            (Some(target), Some(oid)) => (
                target.strip_prefix("refs/heads/").map(str::to_owned),
                HeadState::Branch,
                Some(oid),
            ),
            (Some(target), None) => (
                target.strip_prefix("refs/heads/").map(str::to_owned),
                HeadState::Unborn,
                None,
            ),
            (None, oid) => match self.rebasing_branch() {
                Some(b) => (Some(b), HeadState::Rebasing, oid),
                None => (None, HeadState::Detached, oid),
            },
        }
    }

    fn rebasing_branch(&self) -> Option<String> {
        ["rebase-merge/head-name", "rebase-apply/head-name"]
            .iter()
            .find_map(|f| {
                let s = std::fs::read_to_string(self.git_dir.join(f)).ok()?;
                s.trim().strip_prefix("refs/heads/").map(str::to_owned)
            })
    }

    /// pre-commit: what is staged (in `GIT_INDEX_FILE`) against HEAD (through git itself, see
    /// `staged_raw`), or against nothing in a new repository.
    pub fn staged(&self, mode: Mode) -> Result<ChangeSet> {
        let mut cs = self.empty_changeset(mode);
        if let Some(head) = &cs.head {
            cs.files = staged_raw::staged_files(
                &self.git_dir,
                &self.workdir,
                self.index_file.as_deref(),
                head,
            )?;
            cs.base = cs.head.clone();
            return Ok(cs);
        }
        let index = self.index()?;
        // No HEAD yet (the first commit): everything in the index is added.
        let mut diff =
            self.repo
                .diff_tree_to_index(None, Some(&index), Some(&mut diff_options()))?;
        cs.files = files_of(&mut diff, None)?;
        Ok(cs)
    }

    /// The index the hook was given (`GIT_INDEX_FILE`), or the repository's.
    fn index(&self) -> Result<git2::Index> {
        match &self.index_file {
            Some(f) => git2::Index::open(f).map_err(|e| {
                Error::Git(format!(
                    "cannot read the index {}: {}",
                    f.display(),
                    e.message()
                ))
            }),
            None => Ok(self.repo.index()?),
        }
    }

    /// A range: every commit reachable from `head` but not from `base` (ci uses the merge-base).
    /// A partial clone takes libgit2's path, which fetches the trees it lacks in one request
    /// (git's own log would fetch them one at a time); so does a range whose `git log`
    /// fails or answers in a shape `log_range` does not expect.
    pub fn range(&self, mode: Mode, base: Option<Oid>, head: Oid) -> Result<ChangeSet> {
        let listed = match Promisor::of(&self.repo) {
            None => log_range::read(&self.git_dir, base, head).ok(),
            Some(_) => None,
        };
        let Some((commits, files)) = listed else {
            let ids = self.range_ids(base.as_slice(), head)?;
            return self.range_of(mode, base, head, &ids);
        };
        let mut cs = self.empty_changeset(mode);
        cs.commits = commits;
        cs.files = files;
        self.finish_range(&mut cs, base, head);
        Ok(cs)
    }

    /// Commit ids reachable from `head` and from none of `hide`, oldest first.
    pub fn range_ids(&self, hide: &[Oid], head: Oid) -> Result<Vec<Oid>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(head)?;
        for h in hide {
            walk.hide(*h)?;
        }
        Ok(walk.collect::<std::result::Result<_, _>>()?)
    }

    /// The change set of the commits `ids` (from `range_ids`), compared with `base`.
    pub fn range_of(
        &self,
        mode: Mode,
        base: Option<Oid>,
        head: Oid,
        ids: &[Oid],
    ) -> Result<ChangeSet> {
        let mut cs = self.empty_changeset(mode);
        cs.commits = self.commits(ids)?;
        cs.files = commit_files(&cs.store, ids)?;
        self.finish_range(&mut cs, base, head);
        Ok(cs)
    }

    fn finish_range(&self, cs: &mut ChangeSet, base: Option<Oid>, head: Oid) {
        if cs.files.len() >= BATCH_READS_FROM {
            // From now on, blobs are read through `git cat-file --batch` (many versions of many files).
            cs.store = Arc::new(GitStore {
                batch: true,
                ..self.store()
            });
        }
        cs.base = base.map(|b| b.to_string());
        cs.head = Some(head.to_string());
    }

    /// Resolves a revision to a commit, with an error that says what to check.
    pub fn resolve(&self, rev: &str) -> Result<Oid> {
        let obj = self.repo.revparse_single(rev).map_err(|_| {
            Error::Git(format!("unknown revision `{rev}`: check the name, or fetch it (a shallow CI clone may not have it; fetch more history)"))
        })?;
        Ok(obj
            .peel_to_commit()
            .map_err(|_| Error::Git(format!("`{rev}` does not name a commit")))?
            .id())
    }

    /// The best common ancestor of `a` and `b`, if this clone has one.
    pub fn merge_base(&self, a: Oid, b: Oid) -> Option<Oid> {
        self.repo.merge_base(a, b).ok()
    }

    /// The commits `ids`, in that order. A long range is read on every thread (a history scan
    /// reads 23,000 commits before any check can start).
    pub fn commits(&self, ids: &[Oid]) -> Result<Vec<Commit>> {
        if ids.len() < PARALLEL_COMMITS_FROM {
            return ids.iter().map(|id| commit_of(&self.repo, *id)).collect();
        }
        let store = self.store();
        ids.par_iter()
            .map(|id| store.with_repo(|repo| commit_of(repo, *id)))
            .collect()
    }
}

/// Ranges shorter than this read their commits on the calling thread: a hook's push of a few
/// commits does not wait for the thread pool.
const PARALLEL_COMMITS_FROM: usize = 256;

fn commit_of(repo: &Repository, id: Oid) -> Result<Commit> {
    let c = repo.find_commit(id)?;
    let a = c.author();
    Ok(Commit {
        id: id.to_string(),
        parents: c.parent_ids().map(|p| p.to_string()).collect(),
        message: String::from_utf8_lossy(c.message_bytes()).into_owned(),
        author: format!(
            "{} <{}>",
            String::from_utf8_lossy(a.name_bytes()),
            String::from_utf8_lossy(a.email_bytes())
        ),
    })
}

pub fn diff_options() -> DiffOptions {
    let mut o = DiffOptions::new();
    o.context_lines(0)
        .ignore_submodules(true)
        .include_typechange(true)
        .max_size(MAX_DIFF_BYTES);
    o
}

/// The files of a diff with their added line ranges. Submodules are left out (not descended into).
pub fn files_of(diff: &mut Diff<'_>, commit: Option<&str>) -> Result<Vec<ChangedFile>> {
    let mut find = DiffFindOptions::new();
    find.renames(true).copies(false);
    diff.find_similar(Some(&mut find))?;
    let mut out = Vec::with_capacity(diff.deltas().len());
    for (i, delta) in diff.deltas().enumerate() {
        let (new, old) = (delta.new_file(), delta.old_file());
        if new.mode() == FileMode::Commit || old.mode() == FileMode::Commit {
            continue;
        }
        let status = match delta.status() {
            Delta::Added => FileStatus::Added,
            Delta::Modified => FileStatus::Modified,
            Delta::Deleted => FileStatus::Deleted,
            Delta::Renamed => FileStatus::Renamed,
            Delta::Copied => FileStatus::Copied,
            Delta::Typechange => FileStatus::TypeChanged,
            _ => continue,
        };
        let path_bytes = if status == FileStatus::Deleted {
            old.path_bytes()
        } else {
            new.path_bytes()
        };
        let Some(path_bytes) = path_bytes else {
            continue;
        };
        let added = match status {
            FileStatus::Added | FileStatus::TypeChanged => Added::known(AddedLines::All),
            FileStatus::Deleted => Added::known(AddedLines::Ranges(Vec::new())),
            _ => added_ranges(diff, i)?,
        };
        out.push(ChangedFile {
            path: RepoPath::from_bytes(path_bytes),
            status,
            old_path: matches!(status, FileStatus::Renamed | FileStatus::Copied)
                .then(|| old.path_bytes().map(RepoPath::from_bytes))
                .flatten(),
            source: if status == FileStatus::Deleted {
                Source::None
            } else {
                Source::Blob(new.id().to_string())
            },
            old_blob: (!old.id().is_zero()).then(|| old.id().to_string()),
            added,
            commit: commit.map(str::to_owned),
            is_symlink: new.mode() == FileMode::Link,
            read: Default::default(),
        });
    }
    Ok(out)
}

/// 1-based ranges of lines added by delta `i`. A delta libgit2 will not diff (binary to it:
/// NULs, as in UTF-16 text, or over `MAX_DIFF_BYTES`) has its added lines found on first use,
/// from the decoded content (`ChangeSet::added`, `ChangeSet::added_among`).
fn added_ranges(diff: &Diff<'_>, i: usize) -> Result<Added> {
    match Patch::from_diff(diff, i)? {
        Some(patch) if !patch.delta().flags().is_binary() => {
            Ok(Added::known(AddedLines::Ranges(ranges_of(&patch)?)))
        }
        _ => Ok(Added::against_old()),
    }
}

/// The new side of each hunk: with zero context lines, exactly the added lines.
fn ranges_of(patch: &Patch<'_>) -> Result<Vec<(u32, u32)>> {
    let mut ranges = Vec::with_capacity(patch.num_hunks());
    for h in 0..patch.num_hunks() {
        let (hunk, _) = patch.hunk(h)?;
        if hunk.new_lines() > 0 {
            ranges.push((hunk.new_start(), hunk.new_start() + hunk.new_lines() - 1));
        }
    }
    Ok(ranges)
}

/// Lines of `new` that are not in `old`, as 1-based inclusive ranges. Binary or oversized
/// content has none (as in a diff of the index). Diffed from buffers, without a repository,
/// so libgit2 does not look up `.gitattributes` diff drivers for every pair.
pub fn added_between(old: &[u8], new: &[u8]) -> Result<Vec<(u32, u32)>> {
    let limit = MAX_DIFF_BYTES as usize;
    if old.len() > limit || new.len() > limit {
        return Ok(Vec::new());
    }
    ranges_of(&Patch::from_buffers(
        old,
        None,
        new,
        None,
        Some(&mut diff_options()),
    )?)
}

/// The files each commit changed against its first parent, computed in parallel. Merge commits
/// contribute no files: their content was judged in the commits they merge (a conflict
/// resolution in a merge is the one thing this misses).
pub fn commit_files(store: &Arc<dyn ContentStore>, ids: &[Oid]) -> Result<Vec<ChangedFile>> {
    let store = GitStore::of(&**store)?;
    fetch_missing_trees(store, ids)?;
    let per_commit: Vec<Result<Vec<ChangedFile>>> = ids
        .par_iter()
        .map(|id| {
            store.with_repo(|repo| {
                let c = repo.find_commit(*id)?;
                if c.parent_count() > 1 {
                    return Ok(Vec::new());
                }
                let parent_tree = match c.parent(0) {
                    Ok(p) => Some(p.tree()?),
                    Err(_) => None,
                };
                treediff::changes(repo, parent_tree.as_ref(), &c.tree()?, &id.to_string())
            })
        })
        .collect();
    let mut out = Vec::new();
    for r in per_commit {
        out.extend(r?);
    }
    Ok(out)
}

/// A treeless clone (`--filter=tree:0`) has the commits of a range but not their trees: the
/// root trees of the commits and of the parents they are compared with are fetched in one
/// request (each comes with the trees below it), before the diffs need them.
fn fetch_missing_trees(store: &GitStore, ids: &[Oid]) -> Result<()> {
    store.with_repo(|repo| {
        let Some(promisor) = Promisor::of(repo) else {
            return Ok(());
        };
        let mut wanted = Vec::with_capacity(ids.len() + 1);
        for id in ids {
            let c = repo.find_commit(*id)?;
            if c.parent_count() > 1 {
                continue; // a merge's files are not diffed
            }
            wanted.push((c.tree_id(), *id));
            // A parent cut off by a shallow clone is not there to compare with.
            if let Some(p) = c.parent_ids().next().and_then(|p| repo.find_commit(p).ok()) {
                wanted.push((p.tree_id(), *id));
            }
        }
        let lacking = promisor::lacking(repo, wanted.iter().map(|(tree, _)| *tree))?;
        let Some(first) = lacking.first() else {
            return Ok(());
        };
        crate::out::eprintln(&format!(
            "git-hygiene: fetching {} tree(s) this partial clone lacks from `{}`",
            lacking.len(),
            promisor.remote()
        ));
        promisor.fetch(&lacking).map_err(|why| {
            let commit = wanted.iter().find(|(t, _)| t == first).map_or(*first, |w| w.1);
            Error::Git(format!(
                "cannot read the tree of commit {}: this partial clone lacks it and {} more tree(s), and fetching them from `{}` failed: {why}; {}",
                short_id(&commit.to_string()),
                lacking.len() - 1,
                promisor.remote(),
                promisor.advice()
            ))
        })?;
        repo.odb()?.refresh()?;
        Ok(())
    })
}

/// In a partial clone, fetches what the checks will read and the clone lacks — every changed
/// file's new version, and the old one where its added lines are still to be diffed — in one
/// request. git's own lazy fetch would make one round trip per object; libgit2 none at all.
/// Call it after `apply_shard`, so a shard fetches its own files only.
pub fn fetch_missing_blobs(cs: &ChangeSet) -> Result<()> {
    let Ok(store) = GitStore::of(&*cs.store) else {
        return Ok(());
    };
    // commit-msg reads few staged files, if any (most checks judge its paths alone), and
    // `git add` wrote their blobs here; one a check does read that the clone lacks is still
    // fetched then (`read_or_fetch`). Looking for a promisor remote meant opening the
    // repository a second time, a tenth of the hook.
    if cs.files.is_empty() || cs.mode == crate::changeset::Mode::CommitMsg {
        return Ok(());
    }
    store.with_repo(|repo| {
        let Some(promisor) = Promisor::of(repo) else {
            return Ok(());
        };
        let mut wanted: Vec<(Oid, &ChangedFile)> = Vec::new();
        for f in &cs.files {
            if let Source::Blob(id) = &f.source {
                wanted.push((parse_oid(id)?, f));
            }
            if let (Some(old), None) = (&f.old_blob, f.added.get()) {
                wanted.push((parse_oid(old)?, f));
            }
        }
        let lacking = promisor::lacking(repo, wanted.iter().map(|(id, _)| *id))?;
        let Some(first) = lacking.first() else {
            return Ok(());
        };
        crate::out::eprintln(&format!(
            "git-hygiene: fetching {} object(s) this partial clone lacks from `{}`",
            lacking.len(),
            promisor.remote()
        ));
        promisor.fetch(&lacking).map_err(|why| {
            let at = wanted
                .iter()
                .find(|(id, _)| id == first)
                .map(|(_, f)| f.location())
                .unwrap_or_default();
            Error::Git(format!(
                "cannot read {at}: this partial clone lacks it and {} more object(s), and fetching them from `{}` failed: {why}; {}",
                lacking.len() - 1,
                promisor.remote(),
                promisor.advice()
            ))
        })?;
        repo.odb()?.refresh()?;
        Ok(())
    })
}

/// The work tree of the repository that holds `path`, found by discovery from `path` (not from
/// `GIT_DIR`: `scan PATH` audits the tree that PATH is in). `None` outside one, or in a bare one.
pub fn work_tree_of(path: &Path) -> Option<PathBuf> {
    Repository::discover(path)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
}
