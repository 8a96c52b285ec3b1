//! What one commit changed against its parent, fast: two trees are compared entry by entry and
//! only subtrees whose ids differ are opened (libgit2's tree diff walked every entry of both
//! trees, which dominated history scans). Blob pairs are not diffed here: a modified file's
//! added lines are computed on first use (`ChangeSet::added`). Exact renames (same blob, new path) are paired up; submodules are skipped.

use std::collections::HashMap;

use git2::{ObjectType, Oid, Repository, Tree};

use crate::changeset::{Added, AddedLines, ChangedFile, FileStatus, Source};
use crate::error::Result;
use crate::path::RepoPath;

const MODE_LINK: i32 = 0o120000;
const MODE_GITLINK: i32 = 0o160000;

/// One side of a changed path: blob id and file mode.
#[derive(Clone, Copy)]
struct Side {
    id: Oid,
    mode: i32,
}

struct Change {
    path: Vec<u8>,
    old: Option<Side>,
    new: Option<Side>,
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
    Ok(out)
}

/// Collects blob-level changes between two (sub)trees, descending only where ids differ.
fn walk(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    prefix: &mut Vec<u8>,
    out: &mut Vec<Change>,
) -> Result<()> {
    let mut old_owned: HashMap<Vec<u8>, Entry> = HashMap::new();
    if let Some(t) = old {
        for e in t.iter() {
            old_owned.insert(e.name_bytes().to_vec(), (e.id(), e.filemode(), e.kind()));
        }
    }
    let mut seen: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
    if let Some(t) = new {
        for e in t.iter() {
            let name = e.name_bytes().to_vec();
            let newv = (e.id(), e.filemode(), e.kind());
            let oldv = old_owned.get(&name).copied();
            seen.insert(name.clone());
            if oldv.is_some_and(|o| o.0 == newv.0 && o.1 == newv.1) {
                continue; // identical blob or subtree: nothing inside changed
            }
            entry_change(repo, oldv, Some(newv), &name, prefix, out)?;
        }
    }
    for (name, oldv) in &old_owned {
        if !seen.contains(name) {
            entry_change(repo, Some(*oldv), None, name, prefix, out)?;
        }
    }
    Ok(())
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
