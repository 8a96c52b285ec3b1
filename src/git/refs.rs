//! Named refs: one ref's commit, the remote-tracking branches (what is already published), a
//! branch's upstream and a remote's default branch.

use super::{Oid, Repo};
use crate::error::Result;

/// Default branch names tried, in order, when a remote has no `REMOTE/HEAD`.
const DEFAULT_BRANCHES: [&str; 2] = ["main", "master"];

/// A remote-tracking ref, `refs/remotes/REMOTE/BRANCH`, and the commit it points at.
pub struct RemoteBranch {
    /// `BRANCH` (`HEAD` for `REMOTE/HEAD`); `None` for a name with no remote part.
    pub branch: Option<String>,
    pub tip: Oid,
}

impl Repo {
    /// The commit the full ref name `name` points at, if that ref exists.
    pub fn ref_id(&self, name: &str) -> Option<Oid> {
        self.repo.refname_to_id(name).ok()
    }

    /// Every remote-tracking ref that resolves to a commit, `*/HEAD` included.
    pub fn remote_branches(&self) -> Result<Vec<RemoteBranch>> {
        let mut out = Vec::new();
        for r in self.repo.references_glob("refs/remotes/*")? {
            let r = r?;
            let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
            let branch = name
                .strip_prefix("refs/remotes/")
                .and_then(|s| s.split_once('/'))
                .map(|(_, b)| b.to_owned());
            if let Some(tip) = r.resolve().ok().and_then(|r| r.target()) {
                out.push(RemoteBranch { branch, tip });
            }
        }
        Ok(out)
    }

    /// Every remote-tracking branch tip: commits reachable from these are already published.
    pub fn remote_tips(&self) -> Result<Vec<Oid>> {
        Ok(self.remote_branches()?.into_iter().map(|b| b.tip).collect())
    }

    /// The remote and tip of `branch`'s upstream (`branch@{upstream}`) when it is a
    /// remote-tracking branch that exists here; a local upstream (`remote = .`) is not published.
    pub fn upstream_of(&self, branch: &str) -> Option<(String, Oid)> {
        let local = format!("refs/heads/{branch}");
        let name = self.repo.branch_upstream_name(&local).ok()?;
        let name = name.as_str()?;
        if !name.starts_with("refs/remotes/") {
            return None;
        }
        let remote = self.repo.branch_upstream_remote(&local).ok()?;
        Some((remote.as_str()?.to_owned(), self.ref_id(name)?))
    }

    /// The tip of `remote`'s default branch as last fetched: `REMOTE/HEAD`, else `REMOTE/main`,
    /// else `REMOTE/master`.
    pub fn remote_default_tip(&self, remote: &str) -> Option<Oid> {
        std::iter::once("HEAD")
            .chain(DEFAULT_BRANCHES)
            .find_map(|b| self.ref_id(&format!("refs/remotes/{remote}/{b}")))
    }

    /// What `branch` has already published, as far as this clone knows: its upstream's tip and
    /// the default branch tip of that remote (of the fetch remote when it has no upstream).
    /// Empty without a remote, or before anything was fetched.
    pub fn published_tips(&self, branch: Option<&str>) -> Vec<Oid> {
        let upstream = branch.and_then(|b| self.upstream_of(b));
        let remote = match &upstream {
            Some((r, _)) => Some(r.clone()),
            None => self.fetch_remote(),
        };
        let mut out: Vec<Oid> = upstream.map(|(_, tip)| tip).into_iter().collect();
        if let Some(tip) = remote.and_then(|r| self.remote_default_tip(&r)) {
            if !out.contains(&tip) {
                out.push(tip);
            }
        }
        out
    }

    /// The commit every ref points at (tags peeled; refs of trees and blobs left out): what
    /// a server already has before the push it is judging.
    pub fn ref_tips(&self) -> Result<Vec<Oid>> {
        let mut out = Vec::new();
        for r in self.repo.references()? {
            let r = r?;
            if let Ok(c) = r.peel_to_commit() {
                out.push(c.id());
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The commit `HEAD` points at: a bare repository's default branch.
    pub fn head_tip(&self) -> Option<Oid> {
        self.repo.head().ok()?.peel_to_commit().ok().map(|c| c.id())
    }
}
