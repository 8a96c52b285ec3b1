//! Questions about commits and the graph between them, beyond `Repo::range_ids`.

use git2::Sort;

use super::{Oid, Repo};
use crate::error::Result;

impl Repo {
    /// Is `id` a commit this clone has?
    pub fn has_commit(&self, id: Oid) -> bool {
        self.repo.find_commit(id).is_ok()
    }

    /// The commit `id` names, peeling a tag; `None` when it is missing or names a tree or blob.
    pub fn peel_to_commit(&self, id: Oid) -> Option<Oid> {
        self.repo
            .find_object(id, None)
            .and_then(|o| o.peel_to_commit())
            .ok()
            .map(|c| c.id())
    }

    /// The first parent of commit `id`; `None` for a root commit. An error when `id` is missing.
    pub fn first_parent(&self, id: Oid) -> Result<Option<Oid>> {
        Ok(self.repo.find_commit(id)?.parent_id(0).ok())
    }

    /// Is `commit` a descendant of `ancestor` (not the same commit)?
    pub fn is_descendant_of(&self, commit: Oid, ancestor: Oid) -> Result<bool> {
        Ok(self.repo.graph_descendant_of(commit, ancestor)?)
    }

    /// The newest `max` commits reachable from `head` and not from `hide`, oldest first.
    pub fn newest_ids(&self, hide: Oid, head: Oid, max: usize) -> Result<Vec<Oid>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL)?;
        walk.push(head)?;
        walk.hide(hide)?;
        let mut ids = walk.take(max).collect::<std::result::Result<Vec<_>, _>>()?;
        ids.reverse();
        Ok(ids)
    }

    /// Commits reachable from any of `heads` and from none of `hide`, oldest first: one walk
    /// for every ref of a push, however many (`git rev-list HEADS… --not HIDE…`).
    pub fn reachable_from_any(&self, heads: &[Oid], hide: &[Oid]) -> Result<Vec<Oid>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        for h in heads {
            walk.push(*h)?;
        }
        for h in hide {
            walk.hide(*h)?;
        }
        Ok(walk.collect::<std::result::Result<_, _>>()?)
    }
}
