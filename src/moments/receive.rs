//! pre-receive: the push as the server sees it before any ref moves. Each ref update is
//! classified as pre-push classifies it, and the commits judged are the new ones: reachable
//! from a pushed tip and from no ref the server already has (`git rev-list NEW… --not --all`).
//! One walk finds them for every ref at once, so a push of thousands of refs costs one walk.

use std::collections::{HashMap, HashSet};

use crate::changeset::{ChangeSet, Commit, Mode, PushKind, PushRef};
use crate::error::{Error, Result};
use crate::git::{commit_files, Oid, Repo};
use crate::moments::push::MAX_GAINED;
use crate::push::{is_zero, RefLine};
use crate::receive;

pub fn changeset(repo: &Repo, stdin: &str) -> Result<ChangeSet> {
    let lines = receive::parse(stdin)?;
    let mut cs = repo.empty_changeset(Mode::PreReceive);
    // HEAD of a bare repository names its default branch, not a branch the pusher is on.
    cs.branch = None;
    cs.head = None;
    let tips: Vec<Option<Oid>> = lines
        .iter()
        .map(|l| new_commit(repo, l))
        .collect::<Result<_>>()?;
    let heads: Vec<Oid> = tips.iter().flatten().copied().collect();
    let all_new = repo.reachable_from_any(&heads, &repo.ref_tips()?)?;
    let commits = repo.commits(&all_new)?;
    let graph = NewCommits::of(&commits);
    for (l, tip) in lines.into_iter().zip(tips) {
        let kind = kind(repo, &l, tip)?;
        let new = tip.map_or_else(Vec::new, |t| graph.reachable_from(t));
        let old = oid(&l.remote_oid)
            .ok()
            .filter(|_| matches!(kind, PushKind::Update | PushKind::Force))
            .and_then(|o| repo.peel_to_commit(o));
        if cs.base.is_none() {
            cs.base = old.map(|o| o.to_string());
        }
        let gained = match (old, tip) {
            (Some(old), Some(tip)) => repo.commits(&repo.newest_ids(old, tip, MAX_GAINED)?)?,
            _ => new.iter().map(|&i| commits[i].clone()).collect(),
        };
        cs.push.push(PushRef {
            new_commits: new.iter().map(|&i| commits[i].id.clone()).collect(),
            gained,
            local_ref: l.local_ref,
            local_oid: l.local_oid,
            remote_ref: l.remote_ref,
            remote_oid: l.remote_oid,
            kind,
        });
    }
    if cs.base.is_none() {
        // Only new refs: compare with the parent of the oldest new commit.
        if let Some(first) = all_new.first() {
            cs.base = repo.first_parent(*first)?.map(|p| p.to_string());
        }
    }
    // Migrations on the default branch are applied, whatever this push does to it.
    cs.applied = cs.base.iter().cloned().collect();
    if let Some(head) = repo.head_tip().map(|h| h.to_string()) {
        if !cs.applied.contains(&head) {
            cs.applied.push(head);
        }
    }
    cs.files = commit_files(&cs.store, &all_new)?;
    cs.commits = commits;
    Ok(cs)
}

/// The commit a ref line's new side names (a tag peeled); `None` for a deletion, or a ref to a
/// tree or blob.
fn new_commit(repo: &Repo, l: &RefLine) -> Result<Option<Oid>> {
    if is_zero(&l.local_oid) {
        return Ok(None);
    }
    Ok(repo.peel_to_commit(oid(&l.local_oid)?))
}

fn kind(repo: &Repo, l: &RefLine, tip: Option<Oid>) -> Result<PushKind> {
    if is_zero(&l.local_oid) {
        return Ok(PushKind::Delete);
    }
    if is_zero(&l.remote_oid) {
        return Ok(PushKind::Create);
    }
    let old = repo.peel_to_commit(oid(&l.remote_oid)?);
    Ok(match (old, tip) {
        (Some(old), Some(new)) if old != new && !repo.is_descendant_of(new, old)? => {
            PushKind::Force
        }
        _ => PushKind::Update,
    })
}

fn oid(s: &str) -> Result<Oid> {
    Oid::from_str(s).map_err(|_| Error::Usage(format!("pre-receive: `{s}` is not an object id")))
}

/// The push's new commits as a graph, to find each ref's share without walking again.
struct NewCommits {
    index: HashMap<Oid, usize>,
    parents: Vec<Vec<Oid>>,
}

impl NewCommits {
    fn of(commits: &[Commit]) -> NewCommits {
        let parse = |s: &str| Oid::from_str(s).ok();
        NewCommits {
            index: commits
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((parse(&c.id)?, i)))
                .collect(),
            parents: commits
                .iter()
                .map(|c| c.parents.iter().filter_map(|p| parse(p)).collect())
                .collect(),
        }
    }

    /// Indexes of the new commits reachable from `tip`, oldest first.
    fn reachable_from(&self, tip: Oid) -> Vec<usize> {
        let mut seen = HashSet::new();
        let mut todo = vec![tip];
        while let Some(id) = todo.pop() {
            let Some(&i) = self.index.get(&id) else {
                continue; // a commit the server already had
            };
            if seen.insert(i) {
                todo.extend(&self.parents[i]);
            }
        }
        let mut out: Vec<usize> = seen.into_iter().collect();
        out.sort_unstable(); // the walk listed them oldest first
        out
    }
}
