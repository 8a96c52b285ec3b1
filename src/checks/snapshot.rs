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
    latest: Latest<'a>,
}

enum Latest<'a> {
    /// The change set lists each path once, in path order (a directory scan): each file is
    /// its path's newest change, found by binary search (no map of every path of the tree).
    Sorted(&'a [ChangedFile]),
    Map(HashMap<&'a RepoPath, &'a ChangedFile>),
}

impl<'a> Snapshot<'a> {
    pub fn new(cs: &'a ChangeSet) -> Self {
        let latest = if cs.files.windows(2).all(|w| w[0].path < w[1].path) {
            Latest::Sorted(&cs.files)
        } else {
            Latest::Map(cs.files.iter().map(|f| (&f.path, f)).collect())
        };
        Snapshot { cs, latest }
    }

    /// The newest change of every changed path, in path order.
    pub fn changed(&self) -> Vec<&'a ChangedFile> {
        match &self.latest {
            Latest::Sorted(files) => files.iter().collect(),
            Latest::Map(map) => {
                let mut v: Vec<&ChangedFile> = map.values().copied().collect();
                v.sort_by(|a, b| a.path.cmp(&b.path));
                v
            }
        }
    }

    pub fn latest(&self, path: &RepoPath) -> Option<&'a ChangedFile> {
        match &self.latest {
            Latest::Sorted(files) => files
                .binary_search_by(|f| f.path.cmp(path))
                .ok()
                .map(|i| &files[i]),
            Latest::Map(map) => map.get(path).copied(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::Mode;

    fn file(path: &str, commit: &str) -> ChangedFile {
        ChangedFile {
            commit: Some(commit.to_owned()),
            ..ChangedFile::on_disk(RepoPath::from(path))
        }
    }

    #[test]
    fn the_newest_change_of_a_path_whether_listed_once_or_again() {
        let mut cs = ChangeSet::from_disk(Mode::Scan, std::env::temp_dir());
        cs.files = vec![file("a", "1"), file("b", "1"), file("c", "1")];
        let snap = Snapshot::new(&cs);
        assert!(matches!(snap.latest, Latest::Sorted(_)));
        assert_eq!(
            snap.latest(&RepoPath::from("b")).map(|f| f.path.as_bytes()),
            Some(&b"b"[..])
        );
        assert!(snap.latest(&RepoPath::from("bb")).is_none());
        assert_eq!(snap.changed().len(), 3);
        // A range lists a path once per commit that changes it, oldest first.
        cs.files = vec![file("b", "1"), file("a", "1"), file("b", "2")];
        let snap = Snapshot::new(&cs);
        assert!(matches!(snap.latest, Latest::Map(_)));
        let b = snap
            .latest(&RepoPath::from("b"))
            .and_then(|f| f.commit.as_deref());
        assert_eq!(b, Some("2"));
        let order: Vec<&[u8]> = snap.changed().iter().map(|f| f.path.as_bytes()).collect();
        assert_eq!(order, vec![&b"a"[..], b"b"]);
    }
}
