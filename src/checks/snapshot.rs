//! The tree a change results in, read lazily: changed files come from the change set (their
//! newest version in a range), everything else from the base tree. Checks that judge a file in
//! the context of its neighbours (every migration of a folder, every ADR) read through this, so
//! they see the same tree at commit time, at push and in ci.

use std::collections::{BTreeSet, HashMap};

use crate::changeset::{ChangeSet, ChangedFile, FileStatus};
use crate::error::Result;
use crate::path::RepoPath;

pub struct Snapshot<'a> {
    pub cs: &'a ChangeSet,
    /// The newest change of each path (files are listed oldest commit first).
    latest: HashMap<&'a RepoPath, &'a ChangedFile>,
}

impl<'a> Snapshot<'a> {
    pub fn new(cs: &'a ChangeSet) -> Self {
        let mut latest = HashMap::new();
        for f in &cs.files {
            latest.insert(&f.path, f);
        }
        Snapshot { cs, latest }
    }

    /// The newest change of every changed path, in path order.
    pub fn changed(&self) -> Vec<&'a ChangedFile> {
        let mut v: Vec<&ChangedFile> = self.latest.values().copied().collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    pub fn latest(&self, path: &RepoPath) -> Option<&'a ChangedFile> {
        self.latest.get(path).copied()
    }

    /// Every path of the resulting tree: the base tree with the changes applied in order.
    /// (`ChangeSet::tree_paths` is the HEAD tree at commit-msg time, before the commit exists.)
    pub fn paths(&self) -> Result<BTreeSet<RepoPath>> {
        let mut set: BTreeSet<RepoPath> = self.cs.base_paths()?.into_iter().collect();
        for f in &self.cs.files {
            match f.status {
                FileStatus::Deleted => {
                    set.remove(&f.path);
                }
                FileStatus::Renamed => {
                    if let Some(old) = &f.old_path {
                        set.remove(old);
                    }
                    set.insert(f.path.clone());
                }
                _ => {
                    set.insert(f.path.clone());
                }
            }
        }
        Ok(set)
    }

    /// Content of `path` in the resulting tree, `None` when it does not exist there.
    pub fn read(&self, path: &RepoPath) -> Result<Option<Vec<u8>>> {
        match self.latest(path) {
            Some(f) if f.status == FileStatus::Deleted => Ok(None),
            Some(f) => self.cs.content(f).map(|c| Some(c.into_owned())),
            None => self.cs.base_file(path),
        }
    }
}
