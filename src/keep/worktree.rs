//! What a work-tree path holds (file bytes and permissions, a symlink, nothing) and writing such a
//! state back. Writes go through [`crash::point`]s, the places a kill can land in the middle of one.

use std::io::Write;
use std::path::Path;

use super::crash;
use super::journal;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Bytes and permission bits (`mode & 0o7777`).
    File(Vec<u8>, u32),
    /// The link's target.
    Link(Vec<u8>),
    Absent,
    /// A directory or anything else that is not ours to write.
    Other,
}

impl State {
    /// The bytes git stores for it: the content, or the link target.
    pub(crate) fn data(&self) -> Option<&[u8]> {
        match self {
            State::File(d, _) | State::Link(d) => Some(d),
            State::Absent | State::Other => None,
        }
    }

    /// The same bytes and kind, and for files the same executable bit when `filemode` is on
    /// (`core.filemode`): what `git diff` tells apart.
    pub(crate) fn same_for_git(&self, other: &State, filemode: bool) -> bool {
        match (self, other) {
            (State::File(a, pa), State::File(b, pb)) => {
                a == b && (!filemode || is_exec(*pa) == is_exec(*pb))
            }
            (State::Link(a), State::Link(b)) => a == b,
            _ => false,
        }
    }

    /// Whether `self` is a state that writing `target` with [`put`] passes through or ends in:
    /// nothing yet, a file holding the first bytes of it (with any permissions), or the link.
    pub(crate) fn is_on_the_way_to(&self, target: &State) -> bool {
        match (self, target) {
            (State::Absent, _) => true,
            (State::File(now, _), State::File(want, _)) => want.starts_with(now),
            (State::Link(now), State::Link(want)) => now == want,
            _ => false,
        }
    }
}

pub(crate) fn is_exec(perm: u32) -> bool {
    perm & 0o111 != 0
}

pub(crate) fn read_state(p: &Path) -> std::io::Result<State> {
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
    Ok(State::File(std::fs::read(p)?, perm_of(&meta)))
}

#[cfg(unix)]
fn perm_of(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn perm_of(_: &std::fs::Metadata) -> u32 {
    0o644
}

/// The permissions a written file gets.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Perm {
    /// Keep the file's other bits and set or clear the executable ones, as git does for an entry.
    Exec(bool),
    /// Exactly these bits (the user's file as it was).
    Exact(u32),
}

/// Writes `want` at `p`; `phase` names the kill points on the way.
pub(crate) fn put(p: &Path, want: &State, perm: Perm, phase: &str) -> std::io::Result<()> {
    match want {
        State::File(data, _) => write_file(p, data, perm, phase),
        State::Absent => match std::fs::remove_file(p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        },
        State::Link(target) => {
            remove_any(p)?;
            crash::point(phase, "removed");
            make_parent(p)?;
            symlink(target, p)
        }
        State::Other => Err(std::io::Error::other("not a file or a link")),
    }
}

#[cfg(unix)]
fn symlink(target: &[u8], p: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), p)
}

#[cfg(not(unix))]
fn symlink(target: &[u8], p: &Path) -> std::io::Result<()> {
    std::fs::write(p, target)
}

fn remove_any(p: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => Err(in_the_way()),
        Ok(_) => std::fs::remove_file(p),
        Err(_) => Ok(()),
    }
}

fn in_the_way() -> std::io::Error {
    std::io::Error::other("a directory is in the way; move it and run `git hygiene restore`")
}

fn make_parent(p: &Path) -> std::io::Result<()> {
    match p.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
        _ => Ok(()),
    }
}

/// Writes a regular file in place (keeping its inode) or creates it, then sets its permissions.
/// A kill on the way leaves nothing, or a prefix of `data`, or `data` with the old permissions:
/// what [`State::is_on_the_way_to`] recognises.
fn write_file(p: &Path, data: &[u8], perm: Perm, phase: &str) -> std::io::Result<()> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::remove_file(p)?;
            crash::point(phase, "removed");
        }
        Ok(m) if m.is_dir() => return Err(in_the_way()),
        Ok(_) => {}
        Err(_) => make_parent(p)?,
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(p)?;
    crash::point(phase, "truncated");
    let (first, rest) = data.split_at(data.len() / 2);
    f.write_all(first)?;
    crash::point(phase, "partial");
    f.write_all(rest)?;
    drop(f);
    crash::point(phase, "written");
    set_perm(p, perm)
}

#[cfg(unix)]
fn set_perm(p: &Path, perm: Perm) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(p)?.permissions().mode();
    let want = match perm {
        Perm::Exec(true) => mode | ((mode & 0o444) >> 2),
        Perm::Exec(false) => mode & !0o111,
        Perm::Exact(bits) => (mode & !0o7777) | (bits & 0o7777),
    };
    if want != mode {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(want))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_perm(_: &Path, _: Perm) -> std::io::Result<()> {
    Ok(())
}
