//! The workspace's packages at commit-msg, cached under `<git dir>/hygiene/` by what they are
//! derived from: the path and blob id of every workspace manifest in the index (package.json,
//! pnpm-workspace.yaml, Cargo.toml, members' included). An unchanged workspace costs reading
//! this file instead of reading and parsing every manifest; any manifest added, removed,
//! moved or edited changes the key, and the packages are derived again. Only a successful
//! answer is kept: a broken manifest is reported on every run. The key is read from the index
//! file in process (no `git ls-files`), so a hit starts no git process.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::workspace::Package;
use crate::changeset::ChangeSet;
use crate::git::store::GitStore;

const FILE: &str = "workspace-scopes.json";

#[derive(Serialize, Deserialize, PartialEq)]
struct Entry {
    /// `(blob id, path)` of each manifest, in index order.
    key: Vec<(String, String)>,
    /// `(scope, name)` of each package.
    packages: Vec<(String, String)>,
}

/// The cached packages of the workspace whose manifests are `key` (`(blob id, path)` of each,
/// in index order), if the cache holds them.
pub fn lookup(cs: &ChangeSet, key: &[(String, String)]) -> Option<Vec<Package>> {
    read(&cache_file(cs)?, key)
}

/// Remembers `packages` as the workspace of the manifests `key`.
pub fn store(cs: &ChangeSet, key: &[(String, String)], packages: &[Package]) {
    if let Some(file) = cache_file(cs) {
        write(&file, key, packages);
    }
}

fn cache_file(cs: &ChangeSet) -> Option<PathBuf> {
    let store = GitStore::of(&*cs.store).ok()?;
    Some(store.git_dir.join("hygiene").join(FILE))
}

fn read(file: &Path, staged: &[(String, String)]) -> Option<Vec<Package>> {
    let bytes = std::fs::read(file).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    if !same_key(&entry.key, staged) {
        return None;
    }
    Some(
        entry
            .packages
            .into_iter()
            .map(|(scope, name)| Package { scope, name })
            .collect(),
    )
}

/// Whether a cache entry made from `key` answers for the manifests `staged`.
fn same_key(key: &[(String, String)], staged: &[(String, String)]) -> bool {
    key == staged
}

/// Best effort: a cache that cannot be written only costs the next run a derivation. The
/// file is replaced whole (written beside it, then renamed), so a reader never sees half.
fn write(file: &Path, staged: &[(String, String)], packages: &[Package]) {
    let entry = Entry {
        key: staged.to_vec(),
        packages: packages
            .iter()
            .map(|p| (p.scope.clone(), p.name.clone()))
            .collect(),
    };
    let Ok(json) = serde_json::to_vec(&entry) else {
        return;
    };
    let Some(dir) = file.parent() else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, json).is_ok() && std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(b, p)| (b.to_string(), p.to_string()))
            .collect()
    }

    #[test]
    fn the_key_is_every_manifests_path_and_blob() {
        let key = staged(&[("aa", "package.json"), ("bb", "packages/web/package.json")]);
        assert!(same_key(&key, &key.clone()));
        // Edited, moved, added or removed manifests each miss.
        let edited = staged(&[("aa", "package.json"), ("cc", "packages/web/package.json")]);
        let moved = staged(&[("aa", "package.json"), ("bb", "apps/web/package.json")]);
        let mut added = key.clone();
        added.push(("dd".into(), "packages/api/package.json".into()));
        for other in [edited, moved, added, key[..1].to_vec()] {
            assert!(!same_key(&key, &other), "{other:?}");
        }
    }

    #[test]
    fn a_cache_entry_is_read_back_only_for_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hygiene").join(FILE);
        let key = staged(&[("aa", "package.json"), ("bb", "packages/web/package.json")]);
        let pkgs = vec![Package {
            scope: "web".into(),
            name: "@org/web".into(),
        }];
        write(&file, &key, &pkgs);
        assert_eq!(read(&file, &key), Some(pkgs));
        let edited = staged(&[("aa", "package.json"), ("cc", "packages/web/package.json")]);
        assert_eq!(read(&file, &edited), None);
        std::fs::write(&file, "not json").unwrap();
        assert_eq!(read(&file, &key), None);
    }
}
