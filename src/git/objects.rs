//! Object ids of content that is not in the repository yet, and blobs read by id: what unstaged
//! work protection records in its journal and reads back after a crash.

use std::path::Path;

use git2::{ObjectType, Oid, Repository};

use crate::error::Result;

/// The id git would give `data` as a blob (`git hash-object`), without writing it.
pub fn hash_blob(data: &[u8]) -> Result<String> {
    Ok(Oid::hash_object(ObjectType::Blob, data)?.to_string())
}

/// Blob `id` of the repository at `git_dir`, or `None` when it cannot be read. For recovery
/// paths only: it opens the repository afresh.
pub fn read_blob(git_dir: &Path, id: &str) -> Option<Vec<u8>> {
    let repo = Repository::open(git_dir).ok()?;
    let blob = repo.find_blob(Oid::from_str(id).ok()?).ok()?;
    Some(blob.content().to_vec())
}
