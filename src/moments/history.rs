//! `scan --history RANGE`: the commits of `A..B` (B defaults to HEAD), or all of a revision's history.

use crate::changeset::{ChangeSet, Mode};
use crate::error::Result;
use crate::git::Repo;

pub fn changeset(repo: &Repo, range: &str) -> Result<ChangeSet> {
    let (base, head) = match range.split_once("..") {
        Some((a, b)) => {
            let head = repo.resolve(if b.is_empty() { "HEAD" } else { b })?;
            (Some(repo.resolve(a)?), head)
        }
        None => (None, repo.resolve(range)?),
    };
    repo.range(Mode::Scan, base, head)
}
