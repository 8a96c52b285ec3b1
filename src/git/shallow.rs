//! Shallow clones in CI: GitLab clones 20 (or 50) commits deep by default and GitHub's
//! checkout one. A range check needs history back to the merge base, so `ci` fetches more from
//! the remote (`git fetch --deepen`, finally `--unshallow`) until it has it. libgit2 cannot
//! deepen, so this runs the `git` command, which the CI image has anyway.

use std::collections::HashSet;
use std::path::Path;
use std::process::Stdio;

use super::cmd::git_cmd;
use super::{Oid, Repo};
use crate::error::{Error, Result};

/// The advice every "history is missing" message ends with.
pub const ADVICE: &str = "fetch the full history: GitLab CI `variables: { GIT_DEPTH: 0 }`, GitHub Actions `actions/checkout` with `fetch-depth: 0`, or run `git fetch --unshallow` first";

impl Repo {
    /// Was this clone made (or fetched) with limited depth?
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// Commits whose parents were cut off by a shallow clone (`<git dir>/shallow`).
    pub fn shallow_roots(&self) -> HashSet<Oid> {
        let Ok(text) = std::fs::read_to_string(self.repo.commondir().join("shallow")) else {
            return HashSet::new();
        };
        text.lines()
            .filter_map(|l| Oid::from_str(l.trim()).ok())
            .collect()
    }

    /// The remote to fetch from: `origin` if there is one, else the only/first one.
    pub fn fetch_remote(&self) -> Option<String> {
        let names = self.repo.remotes().ok()?;
        let names: Vec<String> = names.iter().flatten().map(str::to_owned).collect();
        if names.iter().any(|n| n == "origin") {
            return Some("origin".into());
        }
        names.into_iter().next()
    }
}

/// `git fetch --deepen=N REMOTE` (or `--unshallow` when `n` is `None`).
pub fn deepen(workdir: &Path, remote: &str, n: Option<u32>) -> Result<()> {
    let depth = match n {
        Some(n) => format!("--deepen={n}"),
        None => "--unshallow".to_owned(),
    };
    git_fetch(workdir, &[&depth, remote])
}

/// Fetches one branch of `remote` into its remote-tracking ref (`refs/remotes/REMOTE/NAME`).
pub fn fetch_branch(workdir: &Path, remote: &str, name: &str) -> Result<()> {
    let spec = format!("+refs/heads/{name}:refs/remotes/{remote}/{name}");
    git_fetch(workdir, &[remote, &spec])
}

fn git_fetch(workdir: &Path, args: &[&str]) -> Result<()> {
    crate::out::eprintln(&format!("git-hygiene: git fetch {}", args.join(" ")));
    let out = git_cmd()
        .current_dir(workdir)
        .args(["fetch", "--quiet", "--no-tags", "--no-recurse-submodules"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Git(format!("cannot run `git fetch`: {e}; {ADVICE}")))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Err(Error::Git(format!(
        "`git fetch {}` failed: {first}; {ADVICE}",
        args.join(" ")
    )))
}
