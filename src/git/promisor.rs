//! Partial clones (`git clone --filter=blob:none`, `--filter=tree:0`, `blob:limit=…`): the objects
//! the filter left out stay on the promisor remote until something needs them. git fetches an
//! object when it misses it; libgit2 never does. So this asks git for them the way git's own lazy
//! fetch does (`promisor-remote.c`): a `git fetch` of exactly those ids, without negotiation,
//! with every id a range needs in one request instead of one round trip per object.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use git2::{ErrorClass, ErrorCode, OdbLookupFlags, Oid, Repository};

use super::cmd::git_cmd;
use crate::error::{Error, Result};

pub struct Promisor {
    git_dir: PathBuf,
    /// The promisor remotes, in the order git asks them.
    remotes: Vec<String>,
}

impl Promisor {
    /// The promisor remotes of `repo`, or `None` when it is not a partial clone.
    pub fn of(repo: &Repository) -> Option<Promisor> {
        let config = repo.config().ok()?;
        let mut remotes = Vec::new();
        if let Ok(mut entries) = config.entries(Some(r"^remote\..*\.promisor$")) {
            while let Some(Ok(entry)) = entries.next() {
                let name = entry.name().unwrap_or("");
                let remote = name
                    .strip_prefix("remote.")
                    .and_then(|n| n.strip_suffix(".promisor"));
                if let Some(remote) = remote {
                    if config.get_bool(name).unwrap_or(false)
                        && !remotes.iter().any(|r| r == remote)
                    {
                        remotes.push(remote.to_owned());
                    }
                }
            }
        }
        // The remote of an older partial clone (repository format 1); git asks it last.
        if let Ok(remote) = config.get_string("extensions.partialclone") {
            remotes.retain(|r| *r != remote);
            remotes.push(remote);
        }
        (!remotes.is_empty()).then(|| Promisor {
            git_dir: repo.path().to_path_buf(),
            remotes,
        })
    }

    /// The remote named in messages.
    pub fn remote(&self) -> &str {
        &self.remotes[0]
    }

    /// Fetches `ids` in one request: blobs, and trees with every tree below them (no blobs),
    /// from the first promisor remote that has them all. The error is git's first line.
    pub fn fetch(&self, ids: &[Oid]) -> std::result::Result<(), String> {
        if ids.is_empty() {
            return Ok(());
        }
        let off = std::env::var("GIT_NO_LAZY_FETCH").unwrap_or_default();
        if matches!(
            off.to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        ) {
            return Err("fetching is turned off (GIT_NO_LAZY_FETCH is set)".into());
        }
        let mut why = String::new();
        for remote in &self.remotes {
            match fetch_from(&self.git_dir, remote, ids) {
                Ok(()) => return Ok(()),
                Err(e) => why = e,
            }
        }
        Err(why)
    }

    /// What to do when objects cannot be fetched.
    pub fn advice(&self) -> String {
        format!(
            "this is a partial clone: check that `{}` is reachable (`git fetch {0}`) and run again, or use a full clone",
            self.remote()
        )
    }
}

fn fetch_from(git_dir: &Path, remote: &str, ids: &[Oid]) -> std::result::Result<(), String> {
    let mut child = git_cmd()
        .arg("--git-dir")
        .arg(git_dir)
        // No negotiation: the server sends exactly the objects asked for (and, for a tree, the
        // trees below it), not what it thinks we lack of some branch.
        .args(["-c", "fetch.negotiationAlgorithm=noop", "fetch", remote])
        .args(["--quiet", "--no-tags", "--no-write-fetch-head"])
        .args(["--recurse-submodules=no", "--filter=blob:none", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `git fetch`: {e}; is git on PATH?"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let list: String = ids.iter().map(|id| format!("{id}\n")).collect();
        // A write that fails means git stopped early; its exit status and message say why.
        let _ = stdin.write_all(list.as_bytes());
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("`git fetch` did not finish: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map_or_else(
            || format!("`git fetch {remote}` failed ({})", out.status),
            str::to_owned,
        ))
}

/// Of `ids`, those `repo` does not have, in order, each once. Looked up without re-reading the
/// pack directory for every miss.
pub fn lacking(repo: &Repository, ids: impl IntoIterator<Item = Oid>) -> Result<Vec<Oid>> {
    let odb = repo.odb()?;
    odb.refresh()?; // once: packs fetched since this handle was opened count
    let mut seen = std::collections::HashSet::new();
    Ok(ids
        .into_iter()
        .filter(|id| seen.insert(*id) && !odb.exists_ext(*id, OdbLookupFlags::NO_REFRESH))
        .collect())
}

/// Is `e` libgit2 failing to find an object (as opposed to a path in a tree, or anything else)?
pub fn is_missing(e: &git2::Error) -> bool {
    e.code() == ErrorCode::NotFound && e.class() == ErrorClass::Odb
}

/// Runs `read`; when an object it needs is missing and `repo` is a partial clone, fetches `id`
/// (a blob, or a tree with the trees below it) and runs `read` once more. For reads a range did
/// not fetch ahead (a base version, a file of the tree); the error says what to do.
pub fn read_or_fetch<T>(
    repo: &Repository,
    id: Oid,
    mut read: impl FnMut() -> std::result::Result<T, git2::Error>,
) -> Result<T> {
    match read() {
        Err(e) if is_missing(&e) => {}
        other => return other.map_err(Error::from),
    }
    let Some(promisor) = Promisor::of(repo) else {
        return Err(Error::Git(format!(
            "object {id} is missing from this repository; `git fsck` shows what else is, `git fetch --refetch` repairs a clone"
        )));
    };
    if let Err(why) = promisor.fetch(&[id]) {
        return Err(Error::Git(format!(
            "this partial clone lacks object {id}, and fetching it from `{}` failed: {why}; {}",
            promisor.remote(),
            promisor.advice()
        )));
    }
    repo.odb()?.refresh()?;
    read().map_err(|e| {
        Error::Git(format!(
            "object {id} is still missing after fetching it from `{}` ({}); {}",
            promisor.remote(),
            e.message(),
            promisor.advice()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promisor_remotes_come_from_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        assert!(Promisor::of(&repo).is_none(), "a full clone has none");
        let mut config = repo.config().unwrap();
        config.set_bool("remote.mirror.promisor", false).unwrap();
        config.set_str("extensions.partialClone", "old").unwrap();
        config.set_bool("remote.origin.promisor", true).unwrap();
        let p = Promisor::of(&repo).unwrap();
        assert_eq!(p.remotes, ["origin", "old"]);
        assert_eq!(p.remote(), "origin");
        assert!(p.advice().contains("`origin`"), "{}", p.advice());
    }

    #[test]
    fn lacking_lists_each_absent_object_once() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let here = repo.blob(b"here").unwrap();
        let gone = Oid::from_str("0123456789012345678901234567890123456789").unwrap();
        assert_eq!(lacking(&repo, [here, gone, here, gone]).unwrap(), [gone]);
        let e = repo.find_blob(gone).unwrap_err();
        assert!(is_missing(&e), "{e}");
    }
}
