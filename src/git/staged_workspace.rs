//! What a pre-commit check that runs tools on the work tree needs of the repository: the work
//! tree, the index the commit is made from (`GIT_INDEX_FILE` or the default one), and blob ids
//! to tell whether a file still has its staged content. The one place lint meets the content
//! store's git internals, so a change there is adapted here.

use std::path::Path;

use git2::{Index, Repository};

use crate::content::ContentStore;
use crate::error::{Error, Result};
use crate::git::store::GitStore;
use crate::git::unstaged::StagedIndex;
use crate::path::RepoPath;

/// The id of the empty blob: what an intent-to-add entry (`git add -N`) records.
pub const EMPTY_BLOB: &str = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

/// The index extension bit git sets on intent-to-add entries.
const INTENT_TO_ADD: u16 = 1 << 13;

pub struct StagedWorkspace<'a> {
    store: &'a GitStore,
    git_dir: &'a Path,
    workdir: &'a Path,
    index_file: Option<&'a Path>,
}

impl<'a> StagedWorkspace<'a> {
    /// The repository and work tree behind `store`; `None` for a plain directory or a bare
    /// repository.
    pub fn of(store: &'a dyn ContentStore) -> Option<StagedWorkspace<'a>> {
        let store = GitStore::of(store).ok()?;
        Some(StagedWorkspace {
            store,
            git_dir: &store.git_dir,
            workdir: store.workdir.as_deref()?,
            index_file: store.index_file.as_deref(),
        })
    }

    pub fn git_dir(&self) -> &Path {
        self.git_dir
    }

    pub fn workdir(&self) -> &Path {
        self.workdir
    }

    /// `GIT_INDEX_FILE`, when git gave the hook an index other than the default one.
    pub fn index_file(&self) -> Option<&Path> {
        self.index_file
    }

    /// Runs `f` with the repository and the index the commit is made from.
    fn with_index<T>(&self, f: impl FnOnce(&Repository, &Index) -> Result<T>) -> Result<T> {
        self.store.with_repo(|repo| {
            let index = open_index(repo, self.index_file)?;
            f(repo, &index)
        })
    }

    /// Runs `f` with the index the commit is made from, as unstaged-work protection reads it.
    pub fn with_staged_index<T>(&self, f: impl FnOnce(&StagedIndex<'_>) -> Result<T>) -> Result<T> {
        self.with_index(|repo, index| f(&StagedIndex::new(repo, index)))
    }

    /// Those of `paths` the index really holds: an entry at stage 0 that is not intent-to-add.
    pub fn really_staged<'p>(&self, paths: &[&'p RepoPath]) -> Result<Vec<&'p RepoPath>> {
        self.with_index(|_, index| {
            Ok(paths
                .iter()
                .copied()
                .filter(|p| {
                    index
                        .get_path(&p.to_native(Path::new("")), 0)
                        .is_some_and(|e| e.flags_extended & INTENT_TO_ADD == 0)
                })
                .collect())
        })
    }
}

/// The id git gives a blob holding `data`; empty if it cannot be computed (equal to no id).
pub fn blob_id(data: &[u8]) -> String {
    crate::git::objects::hash_blob(data).unwrap_or_default()
}

fn open_index(repo: &Repository, file: Option<&Path>) -> Result<Index> {
    match file {
        Some(f) => Index::open(f).map_err(|e| {
            Error::Git(format!(
                "cannot read the index {}: {}",
                f.display(),
                e.message()
            ))
        }),
        None => Ok(repo.index()?),
    }
}
