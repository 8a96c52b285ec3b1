//! The on-disk journal of a protected run: `<git common dir>/hygiene/keep/<id>/`.
//!
//! ```text
//! lock            held (flock) by the running process; free once it has exited, however it exited
//! manifest        what was saved: the work tree, and one line per file (written last, atomically)
//! files/<n>       the work-tree version of file n, byte for byte (or the symlink target)
//! staged/<n>      what was written in its place, when git's conversion made it differ from the blob
//! progress        the steps each file has reached while hiding and restoring (see [`Step`])
//! unstaged.patch  the same changes as a binary-safe patch (`git apply` can use it by hand)
//! README          how to recover by hand
//! ```
//!
//! A journal directory with a manifest means "the work tree may hold staged content in place of
//! the user's version": whoever finds it with a free lock restores it. The manifest is removed
//! first when a journal is closed, so a kill while the rest is deleted leaves nothing to restore.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::path::RepoPath;

pub const MAGIC: &str = "git-hygiene keep 2";
/// Journals written by earlier versions (no permissions, the staged blob written unconverted).
const MAGIC_V1: &str = "git-hygiene keep 1";

/// What the work tree held at a path before it was hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file; `true` when executable.
    File(bool),
    Symlink,
    /// Nothing (an unstaged deletion).
    Absent,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Number of the saved copy in `files/`.
    pub n: usize,
    pub path: RepoPath,
    pub kind: Kind,
    /// The permission bits of a saved regular file (`None` in version 1 journals: only the
    /// executable bit is known).
    pub perm: Option<u32>,
    /// The git blob id of the bytes written in its place (the file's content or the link's target).
    pub hidden: String,
    /// Whether what was written in its place is a symlink.
    pub hidden_link: bool,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub pid: u32,
    pub started: u64,
    pub workdir: PathBuf,
    pub entries: Vec<Entry>,
}

impl Manifest {
    pub fn render(&self) -> Vec<u8> {
        let mut out = format!(
            "{MAGIC}\npid {}\nstarted {}\nworkdir {}\n",
            self.pid,
            self.started,
            encode(path_bytes(&self.workdir))
        );
        for e in &self.entries {
            let kind = match e.kind {
                Kind::File(false) => "file",
                Kind::File(true) => "exec",
                Kind::Symlink => "link",
                Kind::Absent => "absent",
            };
            let perm = e.perm.map_or("-".to_owned(), |p| format!("{p:o}"));
            let hidden_kind = if e.hidden_link { "link" } else { "file" };
            out.push_str(&format!(
                "entry {} {kind} {perm} {hidden_kind} {} {}\n",
                e.n,
                e.hidden,
                encode(e.path.as_bytes())
            ));
        }
        out.into_bytes()
    }

    pub fn parse(text: &str, file: &Path) -> Result<Manifest> {
        let bad = |what: &str| {
            Error::Other(format!(
                "{}: {what}; recover by hand with the README next to it",
                file.display()
            ))
        };
        let mut lines = text.lines();
        let v1 = match lines.next() {
            Some(MAGIC) => false,
            Some(MAGIC_V1) => true,
            _ => return Err(bad("not a git-hygiene journal (unknown first line)")),
        };
        let mut m = Manifest {
            pid: 0,
            started: 0,
            workdir: PathBuf::new(),
            entries: Vec::new(),
        };
        for line in lines {
            let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "pid" => m.pid = rest.parse().map_err(|_| bad("bad pid line"))?,
                "started" => m.started = rest.parse().map_err(|_| bad("bad started line"))?,
                "workdir" => m.workdir = native(&decode(rest).ok_or_else(|| bad("bad workdir"))?),
                "entry" => m
                    .entries
                    .push(parse_entry(rest, v1).ok_or_else(|| bad("bad entry line"))?),
                "" => {}
                _ => return Err(bad("unknown line")),
            }
        }
        if m.workdir.as_os_str().is_empty() {
            return Err(bad("no workdir line"));
        }
        Ok(m)
    }
}

/// `N KIND PERM HIDDEN-KIND HIDDEN PATH` (version 1: `N KIND HIDDEN PATH`).
fn parse_entry(rest: &str, v1: bool) -> Option<Entry> {
    let mut f = rest.splitn(if v1 { 4 } else { 6 }, ' ');
    let n = f.next()?.parse().ok()?;
    let kind = match f.next()? {
        "file" => Kind::File(false),
        "exec" => Kind::File(true),
        "link" => Kind::Symlink,
        "absent" => Kind::Absent,
        _ => return None,
    };
    let (perm, hidden_link) = if v1 {
        (None, false)
    } else {
        let perm = match f.next()? {
            "-" => None,
            p => Some(u32::from_str_radix(p, 8).ok()?),
        };
        let link = match f.next()? {
            "file" => false,
            "link" => true,
            _ => return None,
        };
        (perm, link)
    };
    let hidden = f.next()?.to_owned();
    let path = RepoPath::from_bytes(decode(f.next()?)?);
    Some(Entry {
        n,
        path,
        kind,
        perm,
        hidden,
        hidden_link,
    })
}

/// The steps of one file's journey, appended as `N STEP` lines to `progress`. They let the
/// recovery of a killed run tell its own half-written file (a prefix of what it was writing, or
/// the right bytes with the old permissions) from a change someone else made, which must be kept.
/// Not synced, and a torn last line is ignored: a lost step only means a needless kept copy,
/// never a lost one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// About to write the staged version over the user's.
    Hiding,
    /// The staged version is completely in place.
    Hidden,
    /// Anything changed while hidden is kept aside; about to write the user's version back.
    Restoring,
    /// The user's version is back and verified: never touch this file again.
    Restored,
}

const STEPS: [(Step, &str); 4] = [
    (Step::Hiding, "hiding"),
    (Step::Hidden, "hidden"),
    (Step::Restoring, "restoring"),
    (Step::Restored, "restored"),
];

/// The `progress` file of a journal: the steps recorded so far, and more to append.
pub struct Progress {
    done: std::collections::HashSet<(usize, Step)>,
    log: Option<File>,
}

impl Progress {
    /// Reads what earlier runs recorded; failing to open for appending is harmless (see [`Step`]).
    pub fn open(journal: &Path) -> Progress {
        let path = journal.join("progress");
        let text = std::fs::read(&path).unwrap_or_default();
        let done = text
            .split(|&b| b == b'\n')
            .filter_map(|line| {
                let line = std::str::from_utf8(line).ok()?;
                let (n, name) = line.split_once(' ')?;
                let step = STEPS.iter().find(|(_, s)| *s == name)?.0;
                Some((n.parse().ok()?, step))
            })
            .collect();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .ok();
        Progress { done, log }
    }

    /// Whether an earlier run (or this one) recorded `step` for file `n`.
    pub fn reached(&self, n: usize, step: Step) -> bool {
        self.done.contains(&(n, step))
    }

    /// Records that file `n` reached `step`, in one write so a kill cannot split the line.
    pub fn mark(&mut self, n: usize, step: Step) {
        self.done.insert((n, step));
        let name = STEPS
            .iter()
            .find(|(s, _)| *s == step)
            .map_or("", |(_, n)| n);
        if let Some(f) = &mut self.log {
            let _ = f.write_all(format!("{n} {name}\n").as_bytes());
        }
    }
}

/// Percent-encodes bytes that would break a one-line, space-separated format (controls, space,
/// `%`, non-ASCII), so any path — newlines and invalid UTF-8 included — survives the round trip.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if b <= 0x20 || b == b'%' || b >= 0x7f {
            s.push_str(&format!("%{b:02X}"));
        } else {
            s.push(b as char);
        }
    }
    s
}

pub fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(unix)]
pub fn path_bytes(p: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes()
}

#[cfg(not(unix))]
pub fn path_bytes(p: &Path) -> &[u8] {
    p.to_str().map(str::as_bytes).unwrap_or_default()
}

#[cfg(unix)]
fn native(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn native(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// Writes `data` to `path` and flushes it to disk, so a power cut cannot leave a manifest that
/// names copies which were never written.
pub fn write_synced(path: &Path, data: &[u8]) -> Result<()> {
    let mut f = File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(data).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}

pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// An exclusive, non-blocking lock on `path` (created if missing). `Ok(None)` when another live
/// process holds it. The lock dies with the process, even on SIGKILL.
pub fn try_lock(path: &Path) -> Result<Option<File>> {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    Ok(crate::platform::try_lock(&f).then_some(f))
}

pub const README: &str = "\
This directory was written by git-hygiene before it set some files of your work tree to their
staged content to run linters. It holds your unstaged version of each of those files.

It is restored automatically: when the run ends, and, if the run was killed, by the next
git-hygiene command in this repository (or by hand: `git hygiene restore`).

To restore by hand without git-hygiene: `manifest` lists `entry N KIND PERM HIDDEN-KIND BLOB PATH`
(PATH is percent-encoded, PERM octal); copy files/N back to PATH in the work tree named on the
`workdir` line (for KIND `link`, files/N holds the link's target). `unstaged.patch` holds the same
changes as a patch: `git apply --whitespace=nowarn unstaged.patch` in the work tree after
`git checkout -- PATH…` also restores them.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_any_bytes() {
        let raw: Vec<u8> = (0u8..=255).collect();
        assert_eq!(decode(&encode(&raw)).unwrap(), raw);
        assert_eq!(encode(b"a b\n%"), "a%20b%0A%25");
    }

    #[test]
    fn manifest_round_trips() {
        let m = Manifest {
            pid: 7,
            started: 9,
            workdir: PathBuf::from("/tmp/w d"),
            entries: vec![Entry {
                n: 0,
                path: RepoPath::from_bytes(b"dir/a b\n\xff.py".to_vec()),
                kind: Kind::File(true),
                perm: Some(0o750),
                hidden: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391".into(),
                hidden_link: true,
            }],
        };
        let text = String::from_utf8(m.render()).unwrap();
        let back = Manifest::parse(&text, Path::new("m")).unwrap();
        assert_eq!(back.workdir, m.workdir);
        assert_eq!(back.entries[0].path, m.entries[0].path);
        assert_eq!(back.entries[0].kind, Kind::File(true));
        assert_eq!(back.entries[0].perm, Some(0o750));
        assert!(back.entries[0].hidden_link);
    }

    #[test]
    fn version_one_journals_still_parse() {
        let text = "git-hygiene keep 1\npid 7\nstarted 9\nworkdir /w\nentry 0 exec e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 a%20b.py\n";
        let m = Manifest::parse(text, Path::new("m")).unwrap();
        let e = &m.entries[0];
        assert_eq!(
            (e.kind, e.perm, e.hidden_link),
            (Kind::File(true), None, false)
        );
        assert_eq!(e.path.as_bytes(), b"a b.py");
    }
}
