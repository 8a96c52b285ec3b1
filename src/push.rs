//! pre-push: parse the ref lines git writes on stdin and work out, per ref, what kind of update
//! it is and which commits it would publish. Every line is judged (pre-commit and prek stop at
//! the first one).

use std::collections::HashSet;

use git2::Oid;

use crate::changeset::{ChangeSet, Mode, PushKind, PushRef};
use crate::error::{Error, Result};
use crate::git::{commit_files, Repo};

/// One parsed stdin line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefLine {
    pub local_ref: String,
    pub local_oid: String,
    pub remote_ref: String,
    pub remote_oid: String,
}

/// All zeros, whatever the hash length (40 for SHA-1, 64 for SHA-256).
pub fn is_zero(oid: &str) -> bool {
    !oid.is_empty() && oid.bytes().all(|b| b == b'0')
}

pub fn parse(stdin: &str) -> Result<Vec<RefLine>> {
    let mut out = Vec::new();
    for (i, line) in stdin.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        let ok_oid =
            |s: &str| (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
        if parts.len() != 4 || !ok_oid(parts[1]) || !ok_oid(parts[3]) {
            return Err(Error::Usage(format!(
                "pre-push: stdin line {} is malformed: expected `<local ref> <local oid> <remote ref> <remote oid>`, got `{}`",
                i + 1,
                line.chars().take(200).collect::<String>()
            )));
        }
        out.push(RefLine {
            local_ref: parts[0].into(),
            local_oid: parts[1].into(),
            remote_ref: parts[2].into(),
            remote_oid: parts[3].into(),
        });
    }
    Ok(out)
}

/// Builds the pre-push change set: every ref classified, the union of their new commits judged.
pub fn changeset(repo: &Repo, remote: Option<String>, stdin: &str) -> Result<ChangeSet> {
    let lines = parse(stdin)?;
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
            && repo.repo.find_commit(oid(&l.remote_oid)?).is_ok()
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
            cs.base = repo
                .repo
                .find_commit(*first)?
                .parent_id(0)
                .ok()
                .map(|p| p.to_string());
        }
    }
    cs.commits = repo.commits(&all_new)?;
    cs.files = commit_files(&cs.store, &all_new)?;
    Ok(cs)
}

fn oid(s: &str) -> Result<Oid> {
    Oid::from_str(s).map_err(|_| Error::Usage(format!("pre-push: `{s}` is not an object id")))
}

/// At most this many commits are listed as gained by one ref (a push of a long-lived branch
/// onto an unrelated one should not load its whole history).
const MAX_GAINED: usize = 10_000;

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
    let Ok(local_commit) = repo
        .repo
        .find_object(local, None)
        .and_then(|o| o.peel_to_commit())
    else {
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
    let remote_known = remote.filter(|r| repo.repo.find_commit(*r).is_ok());
    let kind = match (remote, remote_known) {
        (None, _) => PushKind::Create,
        (Some(_), Some(r))
            if r == local_commit.id() || repo.repo.graph_descendant_of(local_commit.id(), r)? =>
        {
            PushKind::Update
        }
        (Some(_), Some(_)) => PushKind::Force,
        (Some(_), None) => PushKind::Update,
    };
    let mut walk = repo.repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(local_commit.id())?;
    if let Some(r) = remote_known {
        walk.hide(r)?;
    }
    for t in tips {
        walk.hide(*t)?;
    }
    let new = walk.collect::<std::result::Result<Vec<_>, _>>()?;
    let gained = match remote_known {
        Some(r) => {
            let mut walk = repo.repo.revwalk()?;
            walk.set_sorting(git2::Sort::TOPOLOGICAL)?;
            walk.push(local_commit.id())?;
            walk.hide(r)?;
            let mut ids = walk
                .take(MAX_GAINED)
                .collect::<std::result::Result<Vec<_>, _>>()?;
            ids.reverse();
            Some(ids)
        }
        None => None,
    };
    Ok((kind, new, gained))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_rejects_garbage() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let l = parse(&format!(
            "refs/heads/x {a} refs/heads/x {z}\n(delete) {z} refs/heads/y {a}\n"
        ))
        .unwrap();
        assert_eq!(l.len(), 2);
        assert!(is_zero(&l[1].local_oid));
        assert!(is_zero(&"0".repeat(64)));
        let e = parse("refs/heads/x abc refs/heads/x\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1"), "{e}");
    }
}
