//! The object database as a `ContentStore`: blobs of staged or committed files, and the work
//! tree for files on disk. Checks run on rayon threads and `git2::Repository` is not `Sync`, so
//! each thread opens its own handle once and keeps it.

use std::any::Any;
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use git2::{ObjectType, Oid, Repository};

use crate::content::{
    disk_read, disk_size, disk_stream, short_id, too_large_to_read_whole, ContentStore, Source,
    WHOLE_READ_MAX,
};
use crate::error::{Error, Result};
use crate::git::catfile::CatFile;
use crate::git::cmd::git_cmd;
use crate::git::loose::LooseBlob;
use crate::git::odb_reader;
use crate::git::promisor::{is_missing, read_or_fetch};
use crate::path::RepoPath;

/// Blobs from one repository's object database; `Source::Disk` files from its work tree.
#[derive(Debug, Clone)]
pub struct GitStore {
    pub git_dir: PathBuf,
    pub workdir: Option<PathBuf>,
    /// The index the commit is made from (`GIT_INDEX_FILE`), when not the default.
    pub index_file: Option<PathBuf>,
    /// History ranges: read blobs in process from the object store (`odb_reader.rs`), and
    /// what it cannot see through `git cat-file --batch` (`catfile.rs`).
    pub batch: bool,
}

thread_local! {
    static REPO: RefCell<Option<(PathBuf, Repository)>> = const { RefCell::new(None) };
    static CAT_FILE: RefCell<Option<(PathBuf, CatFile)>> = const { RefCell::new(None) };
}

impl GitStore {
    /// The git store behind `store`, or an error when the change set has no repository behind it.
    pub fn of(store: &dyn ContentStore) -> Result<&GitStore> {
        store
            .as_any()
            .downcast_ref::<GitStore>()
            .ok_or_else(|| Error::Other("internal: no repository behind this change set".into()))
    }

    /// Blob `id` through this thread's `git cat-file`, or `None` when git cannot be started.
    fn batch_blob(git_dir: &Path, id: &str) -> Option<Result<Vec<u8>>> {
        CAT_FILE.with(|cell| {
            let mut slot = cell.borrow_mut();
            if !matches!(&*slot, Some((dir, _)) if dir == git_dir) {
                *slot = CatFile::spawn(git_dir)
                    .ok()
                    .map(|c| (git_dir.to_path_buf(), c));
            }
            let (_, cat) = slot.as_mut()?;
            let r = cat.blob(id);
            if r.is_err() {
                *slot = None; // a fresh process for the next read
            }
            Some(r)
        })
    }

    /// Runs `f` with this thread's handle on the repository.
    pub(crate) fn with_repo<T>(&self, f: impl FnOnce(&Repository) -> Result<T>) -> Result<T> {
        REPO.with(|cell| {
            let mut slot = cell.borrow_mut();
            let stale = !matches!(&*slot, Some((dir, _)) if dir == &self.git_dir);
            if stale {
                let repo = Repository::open(&self.git_dir)?;
                super::quarantine::add_pushed_objects(&repo)?;
                *slot = Some((self.git_dir.clone(), repo));
            }
            match &*slot {
                Some((_, repo)) => f(repo),
                None => Err(Error::Other("internal: repository handle missing".into())),
            }
        })
    }

    /// A `Source::Disk` file's path in the work tree (none in a bare repository).
    fn on_disk(&self, source: &Source, path: &RepoPath) -> Option<PathBuf> {
        match (source, &self.workdir) {
            (Source::Disk, Some(root)) => Some(path.to_native(root)),
            _ => None,
        }
    }

    fn read_with_libgit2(&self, id: &str) -> Result<Cow<'static, [u8]>> {
        self.with_repo(|repo| {
            let oid = parse_oid(id)?;
            let data = read_or_fetch(repo, oid, || Ok(repo.find_blob(oid)?.content().to_vec()))?;
            Ok(Cow::Owned(data))
        })
    }
}

impl ContentStore for GitStore {
    fn size(&self, source: &Source, path: &RepoPath) -> Result<u64> {
        if let Source::Blob(id) = source {
            if let Some(size) = self
                .batch
                .then(|| odb_reader::size(&self.git_dir, id))
                .flatten()
            {
                return Ok(size);
            }
            return self.with_repo(|repo| {
                let oid = parse_oid(id)?;
                let (size, _) = read_or_fetch(repo, oid, || repo.odb()?.read_header(oid))?;
                Ok(size as u64)
            });
        }
        match self.on_disk(source, path) {
            Some(p) => disk_size(&p),
            None => Ok(0),
        }
    }

    fn read(&self, source: &Source, path: &RepoPath) -> Result<Cow<'static, [u8]>> {
        match source {
            Source::Blob(id) if self.batch && (id.len() == 40 || id.len() == 64) => {
                if let Some(data) = odb_reader::read(&self.git_dir, id) {
                    return Ok(Cow::Owned(data));
                }
                match Self::batch_blob(&self.git_dir, id) {
                    Some(Ok(data)) => Ok(Cow::Owned(data)),
                    // git could not be started or failed on this object: libgit2 has its say.
                    _ => self.read_with_libgit2(id),
                }
            }
            Source::Blob(id) => self.read_with_libgit2(id),
            _ => match self.on_disk(source, path) {
                Some(p) => disk_read(&p),
                None => Ok(Cow::Borrowed(&[])),
            },
        }
    }

    /// A loose blob (what `git add` writes) is inflated here as it is read (`loose.rs`); a
    /// packed one is streamed by `git cat-file blob`, which also fetches what a partial clone
    /// lacks.
    fn stream_into(
        &self,
        source: &Source,
        path: &RepoPath,
        f: &mut dyn FnMut(&mut dyn Read) -> Result<()>,
    ) -> Result<()> {
        if let Source::Blob(id) = source {
            let objects = self.with_repo(|repo| Ok(repo.commondir().join("objects")))?;
            return match LooseBlob::open(&objects, id) {
                Ok(Some(mut blob)) => f(&mut blob),
                Ok(None) => stream_with_git(&self.git_dir, id, f),
                Err(e) => Err(Error::io(path.display(), e)),
            };
        }
        match self.on_disk(source, path) {
            Some(p) => disk_stream(&p, f),
            None => f(&mut std::io::empty()),
        }
    }

    /// In batch mode, asks this thread's `git cat-file` for `source` ahead of its read.
    fn prefetch(&self, source: &Source) {
        let Source::Blob(id) = source else { return };
        if !self.batch || odb_reader::available(&self.git_dir) {
            return;
        }
        CAT_FILE.with(|cell| {
            if let Some((dir, cat)) = cell.borrow_mut().as_mut() {
                if dir == &self.git_dir {
                    let _ = cat.request(id); // a failed request is retried by the read
                }
            }
        });
    }

    /// Each thread's `git cat-file` is ended and waited for: left to exit after us, its work
    /// would go uncounted in our own CPU time, and it would outlive the run.
    fn finish(&self) {
        if !self.batch {
            return;
        }
        let end = || CAT_FILE.with(|cell| drop(cell.borrow_mut().take()));
        rayon::broadcast(|_| end());
        end();
    }

    fn file_at(&self, rev: &str, path: &RepoPath) -> Result<Option<Vec<u8>>> {
        let at = |e: Error| {
            Error::Git(format!(
                "cannot read `{}` at commit {}: {e}",
                path.display(),
                short_id(rev)
            ))
        };
        self.with_repo(|repo| {
            let tree = tree_id(repo, rev)?;
            let native = path.to_native(std::path::Path::new(""));
            let entry = read_or_fetch(repo, tree, || {
                match repo.find_tree(tree)?.get_path(&native) {
                    Ok(e) => Ok(Some((e.id(), e.kind()))),
                    Err(e) if e.code() == git2::ErrorCode::NotFound && !is_missing(&e) => Ok(None),
                    Err(e) => Err(e),
                }
            })
            .map_err(at)?;
            let Some((id, Some(ObjectType::Blob))) = entry else {
                return Ok(None);
            };
            let size =
                read_or_fetch(repo, id, || Ok(repo.odb()?.read_header(id)?.0)).map_err(at)?;
            if size as u64 > WHOLE_READ_MAX {
                return Err(too_large_to_read_whole(
                    path.to_native(Path::new("")),
                    size as u64,
                ));
            }
            read_or_fetch(repo, id, || Ok(repo.find_blob(id)?.content().to_vec()))
                .map(Some)
                .map_err(at)
        })
    }

    fn tree_paths(&self, rev: &str) -> Result<Vec<RepoPath>> {
        self.with_repo(|repo| {
            let tree = tree_id(repo, rev)?;
            read_or_fetch(repo, tree, || {
                let mut out = Vec::new();
                repo.find_tree(tree)?
                    .walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                        if entry.kind() == Some(ObjectType::Blob) {
                            let mut p = dir.as_bytes().to_vec();
                            p.extend_from_slice(entry.name_bytes());
                            out.push(RepoPath::from_bytes(p));
                        }
                        git2::TreeWalkResult::Ok
                    })?;
                Ok(out)
            })
            .map_err(|e| {
                Error::Git(format!(
                    "cannot list the files of commit {}: {e}",
                    short_id(rev)
                ))
            })
        })
    }

    /// Stage 0 and conflicted entries alike; submodules excluded.
    fn index_paths(&self) -> Result<Vec<RepoPath>> {
        self.with_repo(|repo| {
            let index = match &self.index_file {
                Some(f) => git2::Index::open(f)?,
                None => repo.index()?,
            };
            Ok(index
                .iter()
                .filter(|e| e.mode != 0o160000)
                .map(|e| RepoPath::from_bytes(e.path))
                .collect())
        })
    }

    fn case_variants(&self, commit: &str, paths: &[&[u8]]) -> Result<HashSet<Vec<u8>>> {
        self.with_repo(|repo| {
            let root = repo.find_commit(parse_oid(commit)?)?.tree_id();
            crate::git::case_variants::in_tree(repo, root, paths)
        })
    }

    fn added_ranges(&self, old: &[u8], new: &[u8]) -> Result<Vec<(u32, u32)>> {
        crate::git::added_between(old, new)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The tree of commit (or tree) `rev`, by id: a partial clone may not have the tree itself.
fn tree_id(repo: &Repository, rev: &str) -> Result<Oid> {
    let obj = repo.revparse_single(rev)?;
    Ok(match obj.as_commit() {
        Some(c) => c.tree_id(),
        None => obj.peel_to_tree()?.id(),
    })
}

/// Streams blob `id` out of `git cat-file blob` into `f`. git's exit status counts only when
/// `f` read to the end: a reader that stopped early (a binary file) ends the process.
fn stream_with_git(
    git_dir: &Path,
    id: &str,
    f: &mut dyn FnMut(&mut dyn Read) -> Result<()>,
) -> Result<()> {
    // git streams a packed blob only above core.bigFileThreshold (512 MiB by default; below, it
    // inflates the blob whole), and maps packs in windows of 1 GiB: a low threshold and small
    // windows, few at a time, keep its memory small. (A blob stored as a delta is still rebuilt
    // whole; git stores none above the default threshold.)
    let mut child = git_cmd()
        .arg("--git-dir")
        .arg(git_dir)
        .args([
            "-c",
            "core.bigFileThreshold=8m",
            "-c",
            "core.packedGitWindowSize=16m",
            "-c",
            "core.packedGitLimit=64m",
            "cat-file",
            "blob",
            id,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Git(format!("cannot run `git cat-file`: {e}; is git on PATH?")))?;
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Error::Git("`git cat-file` started without a pipe".into()));
    };
    let mut reader = ToEnd {
        inner: stdout,
        ended: false,
    };
    let r = f(&mut reader);
    let ended = reader.ended;
    drop(reader);
    if !ended {
        let _ = child.kill();
        let _ = child.wait();
        return r;
    }
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    match child.wait() {
        Ok(s) if s.success() => r,
        _ => Err(Error::Git(format!(
            "`git cat-file blob {id}` failed: {}",
            err.lines().next().unwrap_or("no message")
        ))),
    }
}

/// A reader that remembers whether it was read to its end.
struct ToEnd<R> {
    inner: R,
    ended: bool,
}

impl<R: Read> Read for ToEnd<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.ended = true;
        }
        Ok(n)
    }
}

pub fn parse_oid(id: &str) -> Result<Oid> {
    Oid::from_str(id).map_err(|_| Error::Git(format!("not an object id: {id}")))
}
