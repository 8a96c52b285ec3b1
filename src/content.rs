//! Where a file's content lives and the one door checks read it through. The model holds a
//! `dyn ContentStore`; the git layer implements it for the object database (`git::store`),
//! and [`DiskStore`] reads plain directories. This file imports nothing above the model, so
//! the change set can hold a store without knowing git.

use std::any::Any;
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
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

/// What [`ContentStore::read_within`] found: the size, and the content if it was small enough.
pub struct Within {
    pub size: u64,
    pub data: Option<Cow<'static, [u8]>>,
}

/// Where a file's content lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A blob in the object database (a staged file or a committed one).
    Blob(String),
    /// A file on disk, relative to the change set's root (directory scans).
    Disk,
    /// No content (a deletion).
    None,
}

/// The first 12 characters of an object id, as reports show it.
pub fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// Reads content for the checks. Implementations must be shareable across rayon threads.
pub trait ContentStore: Send + Sync + std::fmt::Debug {
    /// Size of `source` in bytes, without reading it.
    fn size(&self, source: &Source, path: &RepoPath) -> Result<u64>;
    /// The content of `source`, whole.
    fn read(&self, source: &Source, path: &RepoPath) -> Result<Cow<'static, [u8]>>;
    /// The size of `source`, and its content whole if that is at most `max` bytes. A store
    /// that can learns both from one lookup of the file.
    fn read_within(&self, source: &Source, path: &RepoPath, max: u64) -> Result<Within> {
        let size = self.size(source, path)?;
        let data = if size <= max {
            Some(self.read(source, path)?)
        } else {
            None
        };
        Ok(Within { size, data })
    }
    /// Hands `f` a reader of `source` as stored, for content too large to hold in memory.
    /// Read errors carry `path`. Use [`stream`] for a closure that returns a value.
    fn stream_into(
        &self,
        source: &Source,
        path: &RepoPath,
        f: &mut dyn FnMut(&mut dyn Read) -> Result<()>,
    ) -> Result<()>;
    /// Starts reading `source` ahead of its read, where the store can.
    fn prefetch(&self, _source: &Source) {}
    /// Ends the helper processes the store started to read content, and waits for them, once
    /// the checks have read everything.
    fn finish(&self) {}
    /// Content of `path` in commit (or tree) `rev`, if the path exists there as a file.
    fn file_at(&self, rev: &str, path: &RepoPath) -> Result<Option<Vec<u8>>>;
    /// Every blob path in the tree of `rev` (submodules excluded).
    fn tree_paths(&self, rev: &str) -> Result<Vec<RepoPath>>;
    /// Every path in the index the commit is made from.
    fn index_paths(&self) -> Result<Vec<RepoPath>>;
    /// The paths of `commit`'s tree that equal one of `paths`, or a directory of one, but
    /// for ASCII case.
    fn case_variants(&self, commit: &str, paths: &[&[u8]]) -> Result<HashSet<Vec<u8>>>;
    /// 1-based inclusive ranges of the lines of `new` that are not in `old`.
    fn added_ranges(&self, old: &[u8], new: &[u8]) -> Result<Vec<(u32, u32)>>;
    /// For the layer that built the store, to find its own type again.
    fn as_any(&self) -> &dyn Any;
}

/// [`ContentStore::stream_into`] for a closure that returns a value.
pub fn stream<T>(
    store: &dyn ContentStore,
    source: &Source,
    path: &RepoPath,
    f: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<T> {
    let mut f = Some(f);
    let mut value = None;
    store.stream_into(source, path, &mut |r| {
        if let Some(f) = f.take() {
            value = Some(f(r)?);
        }
        Ok(())
    })?;
    value.ok_or_else(|| Error::Other("internal: the content store did not stream".into()))
}

/// Files under a directory (`git hygiene scan DIR`, tests): no commits, no index.
#[derive(Debug, Clone)]
pub struct DiskStore {
    pub root: PathBuf,
}

fn no_repository() -> Error {
    Error::Other("internal: no repository behind this change set".into())
}

impl DiskStore {
    fn native(&self, source: &Source, path: &RepoPath) -> Option<PathBuf> {
        matches!(source, Source::Disk).then(|| path.to_native(&self.root))
    }
}

impl ContentStore for DiskStore {
    fn size(&self, source: &Source, path: &RepoPath) -> Result<u64> {
        match (source, self.native(source, path)) {
            (Source::Blob(_), _) => Err(no_repository()),
            (_, Some(p)) => disk_size(&p),
            _ => Ok(0),
        }
    }
    fn read(&self, source: &Source, path: &RepoPath) -> Result<Cow<'static, [u8]>> {
        match (source, self.native(source, path)) {
            (Source::Blob(_), _) => Err(no_repository()),
            (_, Some(p)) => disk_read(&p),
            _ => Ok(Cow::Borrowed(&[])),
        }
    }
    fn read_within(&self, source: &Source, path: &RepoPath, max: u64) -> Result<Within> {
        match (source, self.native(source, path)) {
            (Source::Blob(_), _) => Err(no_repository()),
            (_, Some(p)) => disk_read_within(&p, max),
            _ => Ok(Within {
                size: 0,
                data: Some(Cow::Borrowed(&[])),
            }),
        }
    }
    fn stream_into(
        &self,
        source: &Source,
        path: &RepoPath,
        f: &mut dyn FnMut(&mut dyn Read) -> Result<()>,
    ) -> Result<()> {
        match self.native(source, path) {
            Some(p) => disk_stream(&p, f),
            None => f(&mut std::io::empty()),
        }
    }
    fn file_at(&self, _rev: &str, _path: &RepoPath) -> Result<Option<Vec<u8>>> {
        Err(no_repository())
    }
    fn tree_paths(&self, _rev: &str) -> Result<Vec<RepoPath>> {
        Err(no_repository())
    }
    fn index_paths(&self) -> Result<Vec<RepoPath>> {
        Ok(Vec::new())
    }
    fn case_variants(&self, _commit: &str, _paths: &[&[u8]]) -> Result<HashSet<Vec<u8>>> {
        Err(no_repository())
    }
    fn added_ranges(&self, _old: &[u8], _new: &[u8]) -> Result<Vec<(u32, u32)>> {
        Err(no_repository())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Size of a file in a work tree or scanned directory (a symlink's own size).
pub fn disk_size(p: &Path) -> Result<u64> {
    std::fs::symlink_metadata(p)
        .map(|m| m.len())
        .map_err(|e| Error::io(p, e))
}

pub fn disk_read(p: &Path) -> Result<Cow<'static, [u8]>> {
    std::fs::read(p)
        .map(Cow::Owned)
        .map_err(|e| Error::io(p, e))
}

/// [`ContentStore::read_within`] for a file on disk: one open (no path lookup for its size)
/// where the platform can open without following a symlink or waiting for a FIFO; a symlink,
/// a file that does not open so, and every file on other platforms, is looked up and then read
/// as [`disk_size`] and [`disk_read`] do, with their errors.
pub fn disk_read_within(p: &Path, max: u64) -> Result<Within> {
    let Some((mut file, size)) = crate::platform::open_regular(p).map_err(|e| Error::io(p, e))?
    else {
        let size = disk_size(p)?;
        let data = if size <= max {
            Some(disk_read(p)?)
        } else {
            None
        };
        return Ok(Within { size, data });
    };
    if size > max {
        return Ok(Within { size, data: None });
    }
    Ok(Within {
        size,
        data: Some(Cow::Owned(
            read_sized(&mut file, size).map_err(|e| Error::io(p, e))?,
        )),
    })
}

/// All of `file`, expected to hold `size` bytes: one read for them and one to find the end
/// (as `std::fs::read`; `File::read_to_end` would look the size up again, fstat and lseek).
fn read_sized(file: &mut std::fs::File, size: u64) -> std::io::Result<Vec<u8>> {
    let want = usize::try_from(size).unwrap_or(0);
    let mut data = vec![0u8; want];
    let mut filled = 0;
    while filled < data.len() {
        match file.read(&mut data[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    data.truncate(filled);
    // Whatever the file grew by since; with no spare room, std probes for the end first.
    if filled == want {
        file.take(u64::MAX).read_to_end(&mut data)?;
    }
    Ok(data)
}

pub fn disk_stream(p: &Path, f: &mut dyn FnMut(&mut dyn Read) -> Result<()>) -> Result<()> {
    let mut file = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
    f(&mut file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_with_its_size_or_only_sized_when_over_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"0123456789").expect("write");
        let w = disk_read_within(&p, 10).expect("read");
        assert_eq!((w.size, w.data.as_deref()), (10, Some(&b"0123456789"[..])));
        let w = disk_read_within(&p, 9).expect("read");
        assert_eq!((w.size, w.data.is_none()), (10, true));
        std::fs::write(&p, b"").expect("write");
        let w = disk_read_within(&p, 9).expect("read");
        assert_eq!((w.size, w.data.as_deref()), (0, Some(&b""[..])));
        let gone = dir.path().join("gone");
        let (Err(a), Err(b)) = (disk_read_within(&gone, 9), disk_size(&gone)) else {
            panic!("a missing file must be an error");
        };
        assert_eq!(a.to_string(), b.to_string());
    }

    /// As `disk_size` and `disk_read` have it: the link's own size, the target's content.
    #[cfg(unix)]
    #[test]
    fn a_symlink_is_sized_as_itself_and_read_through() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("target.txt");
        std::fs::write(&target, b"a longer content than the link").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("target.txt", &link).expect("symlink");
        let w = disk_read_within(&link, 1 << 20).expect("read");
        assert_eq!(w.size, "target.txt".len() as u64);
        assert_eq!(
            w.data.as_deref(),
            Some(&b"a longer content than the link"[..])
        );
    }

    #[cfg(all(unix, not(hygiene_portable)))]
    #[test]
    fn a_fifo_is_an_error_at_once_not_a_wait_for_a_writer() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: mkfifo on a NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(disk_read_within(&fifo, 1 << 20).is_err());
        });
        let answer = rx.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(answer, Ok(true), "a FIFO must be refused, not waited on");
    }
}
