//! Shared policy files kept in git repositories (`extends = [{ git, rev, path }]`): fetched
//! once with git into `<git dir>/hygiene/policy/<hash of url and rev>/`, then read from there
//! with no network and no git process, so a hook costs the same offline. `refresh` (what
//! `git hygiene policy update` asks) fetches the rev again. The rev is fetched as written (a tag,
//! a branch or a commit id), never "the latest".

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::cmd::git_cmd;
use crate::error::{Error, Result};

/// One `{ git, rev, path }` source.
pub struct GitSource<'a> {
    pub url: &'a str,
    pub rev: &'a str,
    pub path: &'a str,
}

/// The cache directory of `url` at `rev`.
pub fn cache_dir(git_dir: &Path, url: &str, rev: &str) -> PathBuf {
    git_dir.join("hygiene").join("policy").join(format!(
        "{:016x}",
        fnv1a(format!("{url}\n{rev}").as_bytes())
    ))
}

/// A stable hash (the cache must be found again by the next version of the binary).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The local copy of `src`'s file: from the cache, fetching first when it is missing or
/// `refresh` asks.
pub fn file(git_dir: &Path, src: &GitSource<'_>, refresh: bool) -> Result<PathBuf> {
    let dir = cache_dir(git_dir, src.url, src.rev);
    let copy = dir.join("files").join(src.path);
    if copy.is_file() && !refresh {
        return Ok(copy);
    }
    let repo = dir.join("git");
    if refresh || !repo.join("refs").is_dir() || !has_policy_ref(&repo) {
        fetch(&repo, src)?;
    }
    let shown = run(
        bare(&repo).args(["show", &format!("refs/hygiene-policy:{}", src.path)]),
        &repo,
    )?;
    if !shown.status.success() {
        return Err(Error::Usage(format!(
            "{} at {} has no file `{}`: fix `path`, or the rev",
            src.url, src.rev, src.path
        )));
    }
    if let Some(parent) = copy.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    // Written whole then renamed: a hook running meanwhile reads the old copy or the new one.
    let tmp = copy.with_extension("tmp");
    std::fs::write(&tmp, &shown.stdout).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &copy).map_err(|e| Error::io(&copy, e))?;
    Ok(copy)
}

fn has_policy_ref(repo: &Path) -> bool {
    run(
        bare(repo).args(["rev-parse", "-q", "--verify", "refs/hygiene-policy"]),
        repo,
    )
    .is_ok_and(|o| o.status.success())
}

/// Fetches `src.rev` into the cache repository as `refs/hygiene-policy`.
fn fetch(repo: &Path, src: &GitSource<'_>) -> Result<()> {
    if !repo.join("refs").is_dir() {
        std::fs::create_dir_all(repo).map_err(|e| Error::io(repo, e))?;
        let init = run(
            git_cmd().arg("init").arg("-q").arg("--bare").arg(repo),
            repo,
        )?;
        if !init.status.success() {
            return Err(failed("git init", src, &init));
        }
    }
    // A tag or branch by name; a commit id the server may refuse to send by itself, so then
    // everything is fetched and the id looked up.
    let direct = run(
        bare(repo).args(["fetch", "-q", "--no-tags", "--depth", "1", src.url, src.rev]),
        repo,
    )?;
    let target = if direct.status.success() {
        "FETCH_HEAD".to_owned()
    } else {
        let all = run(
            bare(repo).args([
                "fetch",
                "-q",
                "--no-tags",
                src.url,
                "+refs/heads/*:refs/hygiene-all/heads/*",
                "+refs/tags/*:refs/hygiene-all/tags/*",
            ]),
            repo,
        )?;
        if !all.status.success() {
            return Err(failed("git fetch", src, &direct));
        }
        format!("{}^{{commit}}", src.rev)
    };
    let set = run(
        bare(repo).args(["update-ref", "refs/hygiene-policy", &target]),
        repo,
    )?;
    if !set.status.success() {
        return Err(Error::Usage(format!(
            "{} has no rev `{}`: write a tag, branch or commit id it has",
            src.url, src.rev
        )));
    }
    Ok(())
}

/// git on the cache repository only, whatever repository or index a hook's environment names.
fn bare(repo: &Path) -> Command {
    let mut c = git_cmd();
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_QUARANTINE_PATH",
    ] {
        c.env_remove(var);
    }
    c.arg("--git-dir").arg(repo);
    c
}

fn run(cmd: &mut Command, at: &Path) -> Result<Output> {
    cmd.stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| Error::io(at, e))
}

fn failed(what: &str, src: &GitSource<'_>, out: &Output) -> Error {
    let why = String::from_utf8_lossy(&out.stderr);
    let why = why
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    Error::Usage(format!(
        "cannot fetch the shared policy {} at {} ({what}: {}); no copy is cached yet: check the URL and your network, then run `git hygiene policy update`",
        src.url,
        src.rev,
        why.trim()
    ))
}
