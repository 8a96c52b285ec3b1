//! Lazy access to file content for checks: blobs from the object database (staged or committed
//! files) or files on disk. Checks run on rayon threads and `git2::Repository` is not `Sync`, so
//! each thread opens its own handle once and keeps it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use git2::{ObjectType, Oid, Repository};

use crate::changeset::{short_id, Source};
use crate::error::{Error, Result};
use crate::git::catfile::CatFile;
use crate::git::cmd::git_cmd;
use crate::git::loose::LooseBlob;
use crate::git::promisor::{is_missing, read_or_fetch};
use crate::path::RepoPath;

/// Content up to this size is read whole. Larger content is read in windows (`stream.rs`) by
/// the checks that scan text line by line; checks that need a file whole (migrations, ADRs)
/// skip it with a note. Holding a few such files at once stays well under 256 MiB.
pub const WHOLE_READ_MAX: u64 = 8 << 20;

/// The error for content over [`WHOLE_READ_MAX`] that a caller asked for whole.
pub fn too_large_to_read_whole(path: impl Into<PathBuf>, size: u64) -> Error {
    Error::io(
        path,
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "{} is too large for checks that read a file whole (at most {}): keep it out of their paths ([migrations] exclude, the ADR directory) or make it smaller",
                crate::text::human_bytes(size),
                crate::text::human_bytes(WHOLE_READ_MAX)
            ),
        ),
    )
}

#[derive(Debug, Clone)]
pub enum ContentStore {
    Git {
        git_dir: PathBuf,
        workdir: Option<PathBuf>,
        /// The index the commit is made from (`GIT_INDEX_FILE`), when not the default.
        index_file: Option<PathBuf>,
        /// Read blobs through `git cat-file --batch` (see `catfile.rs`): for history ranges.
        batch: bool,
    },
    Disk {
        root: PathBuf,
    },
}

thread_local! {
    static REPO: RefCell<Option<(PathBuf, Repository)>> = const { RefCell::new(None) };
    static CAT_FILE: RefCell<Option<(PathBuf, CatFile)>> = const { RefCell::new(None) };
}

impl ContentStore {
    pub fn disk(root: PathBuf) -> Self {
        ContentStore::Disk { root }
    }

    /// From now on, read blobs through `git cat-file --batch` (many versions of many files).
    pub fn read_in_batches(&mut self) {
        if let ContentStore::Git { batch, .. } = self {
            *batch = true;
        }
    }

    /// In batch mode, asks this thread's `git cat-file` for `source` ahead of its read.
    pub fn prefetch(&self, source: &Source) {
        if let (
            Source::Blob(id),
            ContentStore::Git {
                git_dir,
                batch: true,
                ..
            },
        ) = (source, self)
        {
            CAT_FILE.with(|cell| {
                if let Some((dir, cat)) = cell.borrow_mut().as_mut() {
                    if dir == git_dir {
                        let _ = cat.request(id); // a failed request is retried by the read
                    }
                }
            });
        }
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
        let ContentStore::Git { git_dir, .. } = self else {
            return Err(Error::Other(
                "internal: no repository behind this change set".into(),
            ));
        };
        REPO.with(|cell| {
            let mut slot = cell.borrow_mut();
            let stale = !matches!(&*slot, Some((dir, _)) if dir == git_dir);
            if stale {
                let repo = Repository::open(git_dir)?;
                *slot = Some((git_dir.clone(), repo));
            }
            match &*slot {
                Some((_, repo)) => f(repo),
                None => Err(Error::Other("internal: repository handle missing".into())),
            }
        })
    }

    pub fn size(&self, source: &Source, path: &RepoPath) -> Result<u64> {
        match (source, self) {
            (Source::Blob(id), _) => self.with_repo(|repo| {
                let oid = parse_oid(id)?;
                let (size, _) = read_or_fetch(repo, oid, || repo.odb()?.read_header(oid))?;
                Ok(size as u64)
            }),
            (Source::Disk, ContentStore::Disk { root })
            | (
                Source::Disk,
                ContentStore::Git {
                    workdir: Some(root),
                    ..
                },
            ) => {
                let p = path.to_native(root);
                std::fs::symlink_metadata(&p)
                    .map(|m| m.len())
                    .map_err(|e| Error::io(p, e))
            }
            _ => Ok(0),
        }
    }

    pub fn read(&self, source: &Source, path: &RepoPath) -> Result<Cow<'static, [u8]>> {
        match (source, self) {
            (
                Source::Blob(id),
                ContentStore::Git {
                    git_dir,
                    batch: true,
                    ..
                },
            ) if id.len() == 40 || id.len() == 64 => match Self::batch_blob(git_dir, id) {
                Some(Ok(data)) => Ok(Cow::Owned(data)),
                // git could not be started or failed on this object: libgit2 has its say.
                _ => self.read_with_libgit2(id),
            },
            (Source::Blob(id), _) => self.read_with_libgit2(id),
            (Source::Disk, ContentStore::Disk { root })
            | (
                Source::Disk,
                ContentStore::Git {
                    workdir: Some(root),
                    ..
                },
            ) => {
                let p = path.to_native(root);
                std::fs::read(&p)
                    .map(Cow::Owned)
                    .map_err(|e| Error::io(p, e))
            }
            _ => Ok(Cow::Borrowed(&[])),
        }
    }

    /// Runs `f` on a reader of the content of `source` as stored, for content too large to hold
    /// in memory. A loose blob (what `git add` writes) is inflated here as it is read
    /// (`loose.rs`); a packed one is streamed by `git cat-file blob`, which also fetches what a
    /// partial clone lacks. Read errors carry `path`.
    pub fn stream<T>(
        &self,
        source: &Source,
        path: &RepoPath,
        f: impl FnOnce(&mut dyn Read) -> Result<T>,
    ) -> Result<T> {
        match (source, self) {
            (Source::Blob(id), ContentStore::Git { git_dir, .. }) => {
                let objects = self.with_repo(|repo| Ok(repo.commondir().join("objects")))?;
                match LooseBlob::open(&objects, id) {
                    Ok(Some(mut blob)) => f(&mut blob),
                    Ok(None) => stream_with_git(git_dir, id, f),
                    Err(e) => Err(Error::io(path.display(), e)),
                }
            }
            (Source::Disk, ContentStore::Disk { root })
            | (
                Source::Disk,
                ContentStore::Git {
                    workdir: Some(root),
                    ..
                },
            ) => {
                let p = path.to_native(root);
                let mut file = std::fs::File::open(&p).map_err(|e| Error::io(p, e))?;
                f(&mut file)
            }
            _ => f(&mut std::io::empty()),
        }
    }

    fn read_with_libgit2(&self, id: &str) -> Result<Cow<'static, [u8]>> {
        self.with_repo(|repo| {
            let oid = parse_oid(id)?;
            let data = read_or_fetch(repo, oid, || Ok(repo.find_blob(oid)?.content().to_vec()))?;
            Ok(Cow::Owned(data))
        })
    }

    /// Content of `path` in commit (or tree) `rev`, if the path exists there as a file.
    pub fn file_at(&self, rev: &str, path: &RepoPath) -> Result<Option<Vec<u8>>> {
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

    /// Every blob path in the tree of `rev` (submodules excluded).
    pub fn tree_paths(&self, rev: &str) -> Result<Vec<RepoPath>> {
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

    /// Every path in the index the commit is made from (stage 0 and conflicted entries).
    pub fn index_paths(&self) -> Result<Vec<RepoPath>> {
        let ContentStore::Git { index_file, .. } = self else {
            return Ok(Vec::new());
        };
        self.with_repo(|repo| {
            let index = match index_file {
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
fn stream_with_git<T>(
    git_dir: &Path,
    id: &str,
    f: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<T> {
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
