//! pre-push: every ref git is about to update, classified, with the commits it would publish.
//! Every line is judged (pre-commit and prek stop at the first one).

use std::collections::HashSet;

use crate::changeset::{ChangeSet, Mode, PushKind, PushRef};
use crate::ci_env;
use crate::error::{Error, Result};
use crate::git::{commit_files, Oid, Repo};
use crate::push::{is_zero, parse, RefLine};

/// At most this many commits are listed as gained by one ref (a push of a long-lived branch
/// onto an unrelated one should not load its whole history).
pub const MAX_GAINED: usize = 10_000;

/// The pre-push change set. `remote` is the remote git names as the hook's first argument;
/// `stdin` is what git wrote, empty when pre-commit or prek run the hook (they export the ref
/// in the environment instead).
pub fn changeset(repo: &Repo, remote: Option<String>, stdin: &str) -> Result<ChangeSet> {
    match framework_push(repo, stdin) {
        Some((remote, line)) => refs_changeset(repo, remote, &line),
        None => refs_changeset(repo, remote, stdin),
    }
}

/// Every ref of the `lines` classified, the union of their new commits judged.
fn refs_changeset(repo: &Repo, remote: Option<String>, lines: &str) -> Result<ChangeSet> {
    let lines = parse(lines)?;
    let mut cs = repo.empty_changeset(Mode::PrePush);
    cs.remote = remote;
    let tips = repo.remote_tips()?;
    let mut all_new: Vec<Oid> = Vec::new();
    let mut seen = HashSet::new();
    for l in lines {
        let (kind, new, gained) = classify(repo, &l, &tips)?;
        for id in &new {
            if seen.insert(*id) {
                all_new.push(*id);
            }
        }
        if cs.base.is_none()
            && matches!(kind, PushKind::Update | PushKind::Force)
            && repo.has_commit(oid(&l.remote_oid)?)
        {
            cs.base = Some(l.remote_oid.clone());
        }
        cs.push.push(PushRef {
            local_ref: l.local_ref,
            local_oid: l.local_oid,
            remote_ref: l.remote_ref,
            remote_oid: l.remote_oid,
            kind,
            new_commits: new.iter().map(Oid::to_string).collect(),
            gained: repo.commits(gained.as_deref().unwrap_or(&new))?,
        });
    }
    if cs.base.is_none() {
        // A new branch: compare with the parent of its oldest new commit.
        if let Some(first) = all_new.first() {
            cs.base = repo.first_parent(*first)?.map(|p| p.to_string());
        }
    }
    cs.applied = applied(repo, &cs);
    cs.commits = repo.commits(&all_new)?;
    cs.files = commit_files(&cs.store, &all_new)?;
    Ok(cs)
}

/// The base and the remote's default branch: a branch rebased onto it and force-pushed holds
/// migrations the ref it replaces never had, yet they are applied.
fn applied(repo: &Repo, cs: &ChangeSet) -> Vec<String> {
    let Some(tip) = cs
        .remote
        .as_deref()
        .and_then(|r| repo.remote_default_tip(r))
    else {
        return Vec::new();
    };
    let tip = tip.to_string();
    let mut out: Vec<String> = cs.base.iter().cloned().collect();
    if !out.contains(&tip) {
        out.push(tip);
    }
    out
}

fn oid(s: &str) -> Result<Oid> {
    Oid::from_str(s).map_err(|_| Error::Usage(format!("pre-push: `{s}` is not an object id")))
}

/// Kind of update, the commits (oldest first) it publishes that no remote-tracking ref has, and
/// for an update of a known remote commit, every commit the remote ref gains.
#[allow(clippy::type_complexity)]
fn classify(
    repo: &Repo,
    l: &RefLine,
    tips: &[Oid],
) -> Result<(PushKind, Vec<Oid>, Option<Vec<Oid>>)> {
    if is_zero(&l.local_oid) {
        return Ok((PushKind::Delete, Vec::new(), None));
    }
    let local = oid(&l.local_oid)?;
    // A tag of a tree or blob publishes no commits.
    let Some(local_commit) = repo.peel_to_commit(local) else {
        let kind = if is_zero(&l.remote_oid) {
            PushKind::Create
        } else {
            PushKind::Update
        };
        return Ok((kind, Vec::new(), None));
    };
    let remote = if is_zero(&l.remote_oid) {
        None
    } else {
        Some(oid(&l.remote_oid)?)
    };
    // The remote commit may be unknown here (someone else pushed and we have not fetched).
    let remote_known = remote.filter(|r| repo.has_commit(*r));
    let kind = match (remote, remote_known) {
        (None, _) => PushKind::Create,
        (Some(_), Some(r)) if r == local_commit || repo.is_descendant_of(local_commit, r)? => {
            PushKind::Update
        }
        (Some(_), Some(_)) => PushKind::Force,
        (Some(_), None) => PushKind::Update,
    };
    let hide: Vec<Oid> = remote_known.iter().chain(tips).copied().collect();
    let new = repo.range_ids(&hide, local_commit)?;
    let gained = match remote_known {
        Some(r) => Some(repo.newest_ids(r, local_commit, MAX_GAINED)?),
        None => None,
    };
    Ok((kind, new, gained))
}

/// pre-commit and prek run pre-push hooks without git's stdin: they pick the first pushed ref
/// with new commits and export it as `PRE_COMMIT_FROM_REF`/`_TO_REF` (+ `_LOCAL_BRANCH`,
/// `_REMOTE_BRANCH`, `_REMOTE_NAME`). This turns that back into the ref line git would have
/// written. A branch with no remote-tracking ref is a creation (remote oid zero), so the commits
/// judged are those no remote-tracking branch has, as with git's own stdin.
fn framework_push(repo: &Repo, stdin: &str) -> Option<(Option<String>, String)> {
    if !stdin.trim().is_empty() {
        return None;
    }
    let to = ci_env::process_env("PRE_COMMIT_TO_REF")?;
    let to = repo.resolve(&to).ok()?.to_string();
    let remote = ci_env::process_env("PRE_COMMIT_REMOTE_NAME");
    let local_ref =
        ci_env::process_env("PRE_COMMIT_LOCAL_BRANCH").unwrap_or_else(|| "HEAD".to_owned());
    let remote_ref = ci_env::process_env("PRE_COMMIT_REMOTE_BRANCH")
        .or_else(|| {
            local_ref
                .starts_with("refs/heads/")
                .then(|| local_ref.clone())
        })
        .unwrap_or_else(|| "HEAD".to_owned());
    let zero = "0".repeat(to.len());
    let tracked = match (&remote, remote_ref.strip_prefix("refs/heads/")) {
        (Some(r), Some(b)) => repo.ref_id(&format!("refs/remotes/{r}/{b}")).is_some(),
        _ => false,
    };
    let from = ci_env::process_env("PRE_COMMIT_FROM_REF")
        .filter(|_| tracked)
        .and_then(|f| repo.resolve(&f).ok())
        .map_or(zero, |o| o.to_string());
    Some((remote, format!("{local_ref} {to} {remote_ref} {from}\n")))
}
