//! What unstaged-work protection asks git about the index a commit is made from: which files
//! the work tree changed, their staged blobs, and whether checking them out converts anything.

use std::collections::HashSet;
use std::path::Path;

use git2::{Delta, DiffOptions, Index, Patch, Repository};

use crate::error::Result;
use crate::path::RepoPath;

/// Above this many paths a pathspec costs more than diffing everything and filtering.
const PATHSPEC_LIMIT: usize = 64;

/// A file whose work-tree version may differ from its index entry (libgit2's opinion; what git
/// itself would write decides, see `keep::protect`).
#[derive(Debug, Clone)]
pub struct Unstaged {
    pub path: RepoPath,
    /// The staged blob's id.
    pub blob: String,
    /// The index entry's mode (`0o100644`, `0o100755`, `0o120000`).
    pub mode: u32,
    /// The unstaged change as a binary patch, for people recovering by hand.
    pub patch: Vec<u8>,
}

/// The index the commit is made from, with its repository.
pub struct StagedIndex<'r> {
    repo: &'r Repository,
    index: &'r Index,
}

impl<'r> StagedIndex<'r> {
    pub fn new(repo: &'r Repository, index: &'r Index) -> Self {
        StagedIndex { repo, index }
    }

    /// Regular files and symlinks of `paths` that libgit2 sees changed in the work tree. Never
    /// intent-to-add entries (nothing of them is committed), submodules, or skip-worktree
    /// entries (not in the work tree by design).
    pub fn changed_in_worktree(&self, paths: &[RepoPath]) -> Result<Vec<Unstaged>> {
        const INTENT_TO_ADD: u16 = 1 << 13;
        const SKIP_WORKTREE: u16 = 1 << 14;
        let diff = self.index_to_workdir(paths)?;
        let wanted: HashSet<&[u8]> = paths.iter().map(|p| p.as_bytes()).collect();
        let mut out = Vec::new();
        for (i, d) in diff.deltas().enumerate() {
            if !matches!(
                d.status(),
                Delta::Modified | Delta::Deleted | Delta::Typechange
            ) {
                continue;
            }
            let Some(p) = d.old_file().path_bytes() else {
                continue;
            };
            if !wanted.contains(p) {
                continue;
            }
            let path = RepoPath::from_bytes(p);
            let Some(entry) = self.index.get_path(&path.to_native(Path::new("")), 0) else {
                continue;
            };
            let kind = entry.mode & 0o170000;
            if entry.flags_extended & (INTENT_TO_ADD | SKIP_WORKTREE) != 0
                || (kind != 0o100000 && kind != 0o120000)
            {
                continue;
            }
            let patch = match Patch::from_diff(&diff, i) {
                Ok(Some(mut p)) => p.to_buf().map(|b| b.to_vec()).unwrap_or_default(),
                _ => Vec::new(),
            };
            out.push(Unstaged {
                path,
                blob: entry.id.to_string(),
                mode: entry.mode,
                patch,
            });
        }
        Ok(out)
    }

    fn index_to_workdir(&self, paths: &[RepoPath]) -> Result<git2::Diff<'r>> {
        let mut opts = DiffOptions::new();
        opts.include_typechange(true)
            .ignore_submodules(true)
            .show_binary(true)
            .context_lines(3);
        if paths.len() <= PATHSPEC_LIMIT {
            opts.disable_pathspec_match(true);
            for p in paths {
                opts.pathspec(p.to_native(Path::new("")));
            }
        }
        Ok(self
            .repo
            .diff_index_to_workdir(Some(self.index), Some(&mut opts))?)
    }

    /// `core.filemode`: whether the executable bit in the work tree counts.
    pub fn filemode(&self) -> bool {
        self.repo
            .config()
            .and_then(|c| c.get_bool("core.filemode"))
            .unwrap_or(true)
    }

    /// Whether git checks out each of `paths` as its blob unchanged (`checkout::is_plain`).
    pub fn checks_out_plain(&self, paths: &[&RepoPath]) -> bool {
        crate::git::checkout::is_plain(self.repo, paths)
    }

    /// The content of staged blob `id`.
    pub fn blob(&self, id: &str) -> Result<Vec<u8>> {
        let oid = crate::git::parse_oid(id)?;
        Ok(self.repo.find_blob(oid)?.content().to_vec())
    }

    /// The repository's common dir (`.git` of the main work tree).
    pub fn common_dir(&self) -> &Path {
        self.repo.commondir()
    }
}
