//! Case-insensitive lookups in one commit's tree, for the case-conflict rule in history ranges:
//! each commit is judged against its own tree, and walking every tree of a long history whole
//! would cost more than the rest of the scan. Only the directories on the asked paths are read.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};

use crate::error::Result;

/// Every path of the tree `root` (files and directories, not submodules) that equals one of
/// `paths`, or one of their parent directories, but for ASCII case. The exact spellings are
/// included when they exist.
pub fn in_tree(repo: &Repository, root: Oid, paths: &[&[u8]]) -> Result<HashSet<Vec<u8>>> {
    // Each directory is read once per call, however many of the paths pass through it.
    let mut dirs: HashMap<Oid, Dir<'_>> = HashMap::new();
    let mut found = Vec::new();
    let mut out = HashSet::new();
    for path in paths {
        let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
        // The directories whose path matches the parts walked so far, with their spelling.
        let mut level: Vec<(Oid, Vec<u8>)> = vec![(root, Vec::new())];
        for (depth, part) in parts.iter().enumerate() {
            let mut next = Vec::new();
            for (id, prefix) in &level {
                let dir = match dirs.entry(*id) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(Dir::new(repo.find_tree(*id)?)),
                };
                dir.find(part, &mut found);
                for (name, child, is_dir) in found.drain(..) {
                    let mut p = prefix.clone();
                    if !p.is_empty() {
                        p.push(b'/');
                    }
                    p.extend_from_slice(&name);
                    if is_dir && depth + 1 < parts.len() {
                        next.push((child, p.clone()));
                    }
                    out.insert(p);
                }
            }
            if next.is_empty() {
                break;
            }
            level = next;
        }
    }
    Ok(out)
}

/// A directory asked about this many times is indexed by lower-cased name; below that, its
/// entries are compared one by one (most commits add a file or two per directory).
const INDEX_FROM: u32 = 8;

/// Entries by lower-cased name: (name, id, is a directory).
type Index = HashMap<Vec<u8>, Vec<(Vec<u8>, Oid, bool)>>;

struct Dir<'r> {
    tree: Tree<'r>,
    lookups: u32,
    index: Option<Index>,
}

impl<'r> Dir<'r> {
    fn new(tree: Tree<'r>) -> Self {
        Dir {
            tree,
            lookups: 0,
            index: None,
        }
    }

    /// Puts the entries whose name equals `name` but for ASCII case into `found`.
    fn find(&mut self, name: &[u8], found: &mut Vec<(Vec<u8>, Oid, bool)>) {
        self.lookups += 1;
        if self.index.is_none() && self.lookups >= INDEX_FROM {
            let mut index: Index = HashMap::with_capacity(self.tree.len());
            for e in self.tree.iter() {
                if let Some(is_dir) = is_dir(&e) {
                    let n = e.name_bytes();
                    index.entry(n.to_ascii_lowercase()).or_default().push((
                        n.to_vec(),
                        e.id(),
                        is_dir,
                    ));
                }
            }
            self.index = Some(index);
        }
        match &self.index {
            Some(index) => {
                if let Some(v) = index.get(&name.to_ascii_lowercase()) {
                    found.extend(v.iter().cloned());
                }
            }
            None => {
                for e in self.tree.iter() {
                    if e.name_bytes().eq_ignore_ascii_case(name) {
                        if let Some(d) = is_dir(&e) {
                            found.push((e.name_bytes().to_vec(), e.id(), d));
                        }
                    }
                }
            }
        }
    }
}

/// Whether an entry is a directory, a file, or neither: a submodule is not a path of this
/// repository's files.
fn is_dir(e: &TreeEntry<'_>) -> Option<bool> {
    match e.kind() {
        Some(ObjectType::Tree) => Some(true),
        Some(ObjectType::Blob) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_spelling_along_the_path_only() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let blob = repo.blob(b"x").unwrap();
        let sub = |names: &[&str]| {
            let mut b = repo.treebuilder(None).unwrap();
            for n in names {
                b.insert(n, blob, 0o100644).unwrap();
            }
            b.write().unwrap()
        };
        let docs = sub(&["a.md"]);
        let docs_upper = sub(&["A.md", "b.md"]);
        let other = sub(&["Readme.md"]);
        let mut root = repo.treebuilder(None).unwrap();
        root.insert("docs", docs, 0o040000).unwrap();
        root.insert("Docs", docs_upper, 0o040000).unwrap();
        root.insert("other", other, 0o040000).unwrap();
        root.insert("README.md", blob, 0o100644).unwrap();
        let root = root.write().unwrap();
        let got = in_tree(&repo, root, &[b"docs/a.md", b"readme.md"]).unwrap();
        let want: HashSet<Vec<u8>> = ["docs", "Docs", "docs/a.md", "Docs/A.md", "README.md"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
        assert_eq!(got, want);
        // Asked often enough to be indexed: the same answer.
        let many: Vec<&[u8]> = [&b"docs/a.md"[..], b"readme.md"].repeat(INDEX_FROM as usize);
        assert_eq!(in_tree(&repo, root, &many).unwrap(), want);
    }
}
