//! Tracked files by name, as `git ls-files` lists them: read from the index the hook was given,
//! so untracked directories (`node_modules/`, build output) are never walked.

use super::{index_paths, Repo};
use crate::error::Result;
use crate::path::RepoPath;

impl Repo {
    /// Every index entry whose file name is `name`, at any depth.
    pub fn tracked_named(&self, name: &str) -> Result<Vec<RepoPath>> {
        if self.bare {
            return Ok(Vec::new());
        }
        let name = name.as_bytes();
        let named = |path: &[u8]| {
            path.ends_with(name)
                && (path.len() == name.len() || path[path.len() - name.len() - 1] == b'/')
        };
        let file = match &self.index_file {
            Some(f) => f.clone(),
            None => self.git_dir.join("index"),
        };
        // A new repository has no index file yet; libgit2 answers that case as before.
        let bytes = std::fs::read(&file).ok();
        if let Some(paths) = bytes.and_then(|b| index_paths::paths(&b, named)) {
            return Ok(paths.into_iter().map(RepoPath::from_bytes).collect());
        }
        let index = self.index()?;
        Ok(index
            .iter()
            .filter(|e| named(&e.path))
            .map(|e| RepoPath::from_bytes(e.path))
            .collect())
    }
}
