//! What one commit changed against its parent, fast: two trees are compared entry by entry and
//! only subtrees whose ids differ are opened (libgit2's tree diff walked every entry of both
//! trees, which dominated history scans). Blob pairs are not diffed here: a modified file's
//! added lines are computed on first use (`ChangeSet::added`). Exact renames (same blob, new path) are paired up; submodules are skipped.

use std::collections::HashMap;

use std::cmp::Ordering;

use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};

use crate::changeset::{Added, AddedLines, ChangedFile, FileStatus, Source};
use crate::error::Result;
use crate::path::RepoPath;

pub(crate) const MODE_LINK: i32 = 0o120000;
pub(crate) const MODE_GITLINK: i32 = 0o160000;

/// One side of a changed path: blob id and file mode.
#[derive(Clone, Copy)]
pub(crate) struct Side {
    pub id: Oid,
    pub mode: i32,
}

/// A path whose blob differs between two trees; a side is `None` where there is no blob
/// (absent, a directory, a submodule).
pub(crate) struct Change {
    pub path: Vec<u8>,
    pub old: Option<Side>,
    pub new: Option<Side>,
}

/// The files `new` changed against `old` (`None`: the empty tree).
pub fn changes(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: &Tree<'_>,
    commit: &str,
) -> Result<Vec<ChangedFile>> {
    let mut raw = Vec::new();
    walk(repo, old, Some(new), &mut Vec::new(), &mut raw)?;
    Ok(changed_files(&raw, commit))
}

/// The changed files of one commit from its blob-level changes, exact renames (the same blob
/// deleted at one path and added at another) paired up.
pub(crate) fn changed_files(raw: &[Change], commit: &str) -> Vec<ChangedFile> {
    // Exact renames: a deleted blob that reappears under another path.
    let mut deleted: HashMap<Oid, Vec<usize>> = HashMap::new();
    for (i, c) in raw.iter().enumerate() {
        if let (Some(o), None) = (c.old, c.new) {
            deleted.entry(o.id).or_default().push(i);
        }
    }
    let mut renamed_from: HashMap<usize, usize> = HashMap::new();
    for (i, c) in raw.iter().enumerate() {
        if let (None, Some(n)) = (c.old, c.new) {
            if let Some(src) = deleted.get_mut(&n.id).and_then(Vec::pop) {
                renamed_from.insert(i, src);
            }
        }
    }
    let consumed: std::collections::HashSet<usize> = renamed_from.values().copied().collect();
    let mut out = Vec::with_capacity(raw.len());
    for (i, c) in raw.iter().enumerate() {
        if consumed.contains(&i) {
            continue;
        }
        let (status, old_path, old_side, added) = match (c.old, c.new, renamed_from.get(&i)) {
            (None, Some(_), Some(&src)) => (
                FileStatus::Renamed,
                Some(RepoPath::from_bytes(raw[src].path.clone())),
                raw[src].old,
                Added::known(AddedLines::Ranges(Vec::new())),
            ),
            (None, Some(_), None) => (FileStatus::Added, None, None, Added::known(AddedLines::All)),
            (Some(o), None, _) => (
                FileStatus::Deleted,
                None,
                Some(o),
                Added::known(AddedLines::Ranges(Vec::new())),
            ),
            (Some(o), Some(n), _) if (o.mode == MODE_LINK) != (n.mode == MODE_LINK) => (
                FileStatus::TypeChanged,
                None,
                Some(o),
                Added::known(AddedLines::All),
            ),
            (Some(o), Some(_), _) => (FileStatus::Modified, None, Some(o), Added::against_old()),
            (None, None, _) => continue,
        };
        out.push(ChangedFile {
            path: RepoPath::from_bytes(c.path.clone()),
            status,
            old_path,
            source: c
                .new
                .map_or(Source::None, |n| Source::Blob(n.id.to_string())),
            old_blob: old_side.map(|o| o.id.to_string()),
            added,
            commit: Some(commit.to_owned()),
            is_symlink: c.new.is_some_and(|n| n.mode == MODE_LINK),
            read: Default::default(),
        });
    }
    out
}

/// Collects blob-level changes between two (sub)trees, descending only where ids differ. Both
/// trees' entries are walked side by side in git's order (a subtree's name sorts as if it
/// ended in `/`), so no entry is copied or hashed: most entries of a visited tree are unchanged.
fn walk(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Change>,
) -> Result<()> {
    let old = entries(old);
    let new = entries(new);
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let order = match (old.get(i), new.get(j)) {
            (Some(o), Some(n)) => git_order(o, n),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Less => {
                entry_change(
                    repo,
                    Some(entry(&old[i])),
                    None,
                    old[i].name_bytes(),
                    prefix,
                    out,
                )?;
                i += 1;
            }
            Ordering::Greater => {
                entry_change(
                    repo,
                    None,
                    Some(entry(&new[j])),
                    new[j].name_bytes(),
                    prefix,
                    out,
                )?;
                j += 1;
            }
            Ordering::Equal => {
                let (o, n) = (entry(&old[i]), entry(&new[j]));
                // Identical blob or subtree: nothing inside changed.
                if o.0 != n.0 || o.1 != n.1 {
                    entry_change(repo, Some(o), Some(n), new[j].name_bytes(), prefix, out)?;
                }
                i += 1;
                j += 1;
            }
        }
    }
    Ok(())
}

/// A tree's entries in git's order. A tree written out of order (git fsck would complain) is
/// sorted here, so that its entries still meet their counterparts.
fn entries<'t>(tree: Option<&'t Tree<'_>>) -> Vec<TreeEntry<'t>> {
    let mut v: Vec<TreeEntry<'t>> = tree.map_or_else(Vec::new, |t| t.iter().collect());
    if !v.is_sorted_by(|a, b| git_order(a, b) != Ordering::Greater) {
        v.sort_by(git_order);
    }
    v
}

fn entry(e: &TreeEntry<'_>) -> Entry {
    (e.id(), e.filemode(), e.kind())
}

/// git's order of the entries of a tree: by name, a subtree's name ending in `/`. A file and a
/// directory of the same name are different entries (one is deleted, the other added).
fn git_order(a: &TreeEntry<'_>, b: &TreeEntry<'_>) -> Ordering {
    let end = |e: &TreeEntry<'_>| {
        if e.kind() == Some(ObjectType::Tree) {
            b'/'
        } else {
            0
        }
    };
    let (x, y) = (a.name_bytes(), b.name_bytes());
    let n = x.len().min(y.len());
    x[..n].cmp(&y[..n]).then_with(|| {
        let cx = x.get(n).copied().unwrap_or_else(|| end(a));
        let cy = y.get(n).copied().unwrap_or_else(|| end(b));
        cx.cmp(&cy)
    })
}

type Entry = (Oid, i32, Option<ObjectType>);

fn entry_change(
    repo: &Repository,
    old: Option<Entry>,
    new: Option<Entry>,
    name: &[u8],
    prefix: &mut Vec<u8>,
    out: &mut Vec<Change>,
) -> Result<()> {
    let is_tree = |e: &Option<Entry>| e.is_some_and(|e| e.2 == Some(ObjectType::Tree));
    let is_blob =
        |e: &Option<Entry>| e.is_some_and(|e| e.2 == Some(ObjectType::Blob) && e.1 != MODE_GITLINK);
    let len = prefix.len();
    prefix.extend_from_slice(name);
    if is_tree(&old) || is_tree(&new) {
        prefix.push(b'/');
        let old_tree = if is_tree(&old) {
            old.map(|e| repo.find_tree(e.0)).transpose()?
        } else {
            None
        };
        let new_tree = if is_tree(&new) {
            new.map(|e| repo.find_tree(e.0)).transpose()?
        } else {
            None
        };
        walk(repo, old_tree.as_ref(), new_tree.as_ref(), prefix, out)?;
        prefix.pop();
    }
    // A blob on either side (a file replaced by a directory shows as a deletion plus additions).
    let old_blob = if is_blob(&old) {
        old.map(|e| Side { id: e.0, mode: e.1 })
    } else {
        None
    };
    let new_blob = if is_blob(&new) {
        new.map(|e| Side { id: e.0, mode: e.1 })
    } else {
        None
    };
    if old_blob.is_some() || new_blob.is_some() {
        out.push(Change {
            path: prefix.clone(),
            old: old_blob,
            new: new_blob,
        });
    }
    prefix.truncate(len);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree of `files` (path, content), subtrees built from the paths' directories.
    fn tree<'r>(repo: &'r Repository, files: &[(&str, &str)]) -> Tree<'r> {
        let mut index = git2::Index::new().expect("index");
        for (path, content) in files {
            let id = repo.blob(content.as_bytes()).expect("blob");
            let mut e = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: 0o100644,
                uid: 0,
                gid: 0,
                file_size: 0,
                id,
                flags: 0,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            };
            e.flags = path.len().min(0xfff) as u16;
            index.add(&e).expect("add");
        }
        let id = index.write_tree_to(repo).expect("write tree");
        repo.find_tree(id).expect("tree")
    }

    #[test]
    fn entries_meet_in_git_order_where_a_file_becomes_a_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init_bare(dir.path()).expect("init");
        // git orders `foo` (file) < `foo.txt` < `foo/` (directory) < `foo0`.
        let old = tree(
            &repo,
            &[
                ("foo", "file\n"),
                ("foo.txt", "a\n"),
                ("foo0", "same\n"),
                ("z/y", "1\n"),
            ],
        );
        let new = tree(
            &repo,
            &[
                ("foo.txt", "b\n"),
                ("foo/bar", "new\n"),
                ("foo0", "same\n"),
                ("z/y", "2\n"),
            ],
        );
        let mut got: Vec<(String, FileStatus)> = changes(&repo, Some(&old), &new, "c")
            .expect("changes")
            .into_iter()
            .map(|f| (f.path.to_string_lossy(), f.status))
            .collect();
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            [
                ("foo".to_owned(), FileStatus::Deleted),
                ("foo.txt".to_owned(), FileStatus::Modified),
                ("foo/bar".to_owned(), FileStatus::Added),
                ("z/y".to_owned(), FileStatus::Modified),
            ]
        );
        // `foo.txt` sorts before the directory `foo/`: compared by bare names, the directory
        // would miss its counterpart and its file show as deleted and added.
        let old = tree(&repo, &[("foo.txt", "a\n"), ("foo/x", "1\n")]);
        let new = tree(&repo, &[("foo/x", "2\n")]);
        let got: Vec<(String, FileStatus)> = changes(&repo, Some(&old), &new, "c")
            .expect("changes")
            .into_iter()
            .map(|f| (f.path.to_string_lossy(), f.status))
            .collect();
        assert_eq!(
            got,
            [
                ("foo.txt".to_owned(), FileStatus::Deleted),
                ("foo/x".to_owned(), FileStatus::Modified),
            ]
        );
    }
}
