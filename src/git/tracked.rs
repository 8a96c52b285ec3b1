//! Tracked files by name, as `git ls-files` lists them: read from the index the hook was given,
//! so untracked directories (`node_modules/`, build output) are never walked.

use super::Repo;
use crate::error::Result;
use crate::path::RepoPath;

impl Repo {
    /// Every index entry whose file name is `name`, at any depth.
    pub fn tracked_named(&self, name: &str) -> Result<Vec<RepoPath>> {
        if self.bare {
            return Ok(Vec::new());
        }
        let index = self.index()?;
        let name = name.as_bytes();
        Ok(index
            .iter()
            .filter(|e| {
                e.path.len() >= name.len()
                    && e.path.ends_with(name)
                    && (e.path.len() == name.len() || e.path[e.path.len() - name.len() - 1] == b'/')
            })
            .map(|e| RepoPath::from_bytes(e.path))
            .collect())
    }
}
