//! Named refs: one ref's commit, and the remote-tracking branches (what is already published).

use super::{Oid, Repo};
use crate::error::Result;

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
}
