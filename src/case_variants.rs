//! Case-insensitive lookups in one commit's tree, for the case-conflict rule in history ranges:
//! each commit is judged against its own tree, and walking every tree of a long history whole
//! would cost more than the rest of the scan. Only the directories on the asked paths are read.

use std::collections::{HashMap, HashSet};

use git2::{ObjectType, Oid, Repository};

use crate::error::Result;

/// A directory's entries by lower-cased name: (name, id, is a directory).
type Listing = HashMap<Vec<u8>, Vec<(Vec<u8>, Oid, bool)>>;

/// Every path of the tree `root` (files and directories, not submodules) that equals one of
/// `paths`, or one of their parent directories, but for ASCII case. The exact spellings are
/// included when they exist.
pub fn in_tree(repo: &Repository, root: Oid, paths: &[&[u8]]) -> Result<HashSet<Vec<u8>>> {
    // A commit that adds many files to one directory reads and indexes it once.
    let mut listings: HashMap<Oid, Listing> = HashMap::new();
    let mut out = HashSet::new();
    for path in paths {
        let parts: Vec<&[u8]> = path.split(|&b| b == b'/').collect();
        // The directories whose path matches the parts walked so far, with their spelling.
        let mut level: Vec<(Oid, Vec<u8>)> = vec![(root, Vec::new())];
        for (depth, part) in parts.iter().enumerate() {
            let key = part.to_ascii_lowercase();
            let mut next = Vec::new();
            for (dir, prefix) in &level {
                if !listings.contains_key(dir) {
                    listings.insert(*dir, listing(repo, *dir)?);
                }
                let Some(found) = listings.get(dir).and_then(|l| l.get(&key)) else {
                    continue;
                };
                for (name, id, is_dir) in found {
                    let mut p = prefix.clone();
                    if !p.is_empty() {
                        p.push(b'/');
                    }
                    p.extend_from_slice(name);
                    if *is_dir && depth + 1 < parts.len() {
                        next.push((*id, p.clone()));
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

fn listing(repo: &Repository, dir: Oid) -> Result<Listing> {
    let tree = repo.find_tree(dir)?;
    let mut out: Listing = HashMap::with_capacity(tree.len());
    for e in tree.iter() {
        let is_dir = match e.kind() {
            Some(ObjectType::Tree) => true,
            Some(ObjectType::Blob) => false,
            _ => continue, // a submodule is not a path of this repository's files
        };
        let name = e.name_bytes();
        out.entry(name.to_ascii_lowercase())
            .or_default()
            .push((name.to_vec(), e.id(), is_dir));
    }
    Ok(out)
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
    }
}
