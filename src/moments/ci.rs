//! ci: a merge request's commits — merge-base(BASE, HEAD)..HEAD, or for a new branch those no
//! other branch has — with the branch, title and description the platform names. A shallow
//! clone is deepened from its remote until the whole range is present, so no commit is judged
//! against a cut-off parent.

use crate::changeset::{short_id, ChangeSet, MergeRequest, Mode};
use crate::ci_env::{Base, CiContext};
use crate::error::{Error, Result};
use crate::git::{shallow, Oid, Repo};

/// Deepening rounds before giving up and fetching everything: 50, 100, 200, 400, 800 commits.
const DEEPEN_ROUNDS: u32 = 5;
const FIRST_DEEPEN: u32 = 50;

/// The commits to judge.
struct Plan {
    /// What the range is compared with (the merge base), when there is one.
    base: Option<Oid>,
    head: Oid,
    ids: Vec<Oid>,
}

enum PlanError {
    /// Something is not in this clone; more history may fix it.
    Missing(String),
    Fatal(Error),
}

impl From<Error> for PlanError {
    fn from(e: Error) -> Self {
        PlanError::Fatal(e)
    }
}

/// The change set of the range `ctx` names. The repository is reopened after each fetch.
pub fn changeset(repo: Repo, ctx: &CiContext) -> Result<ChangeSet> {
    fetch_named_base(&repo, ctx);
    let (repo, plan) = plan_with_history(repo, ctx)?;
    let mut cs = repo.range_of(Mode::Ci, plan.base, plan.head, &plan.ids)?;
    if let Some(b) = &ctx.branch {
        cs.branch = Some(b.clone());
    }
    if ctx.is_merge_request {
        cs.merge_request = Some(MergeRequest {
            title: ctx.title.clone().unwrap_or_default(),
            description: ctx.description.clone().unwrap_or_default(),
            source_branch: cs.branch.clone(),
            target_branch: ctx.target_branch.clone(),
            squash_on_merge: ctx.squash_on_merge,
        });
    }
    Ok(cs)
}

fn short(o: Oid) -> String {
    short_id(&o.to_string()).to_owned()
}

/// A base named by branch (GitLab's target-branch fallback, a new branch's default branch) may
/// simply not have been fetched: CI runners fetch only the branch under test. Best effort: a
/// failure here shows up later as a missing base, with advice.
fn fetch_named_base(repo: &Repo, ctx: &CiContext) {
    let Some(remote) = repo.fetch_remote() else {
        return;
    };
    let name = match &ctx.base {
        // A base sha this clone lacks is usually on the target branch (GitLab's DIFF_BASE_SHA
        // after the target moved on, GitHub's base.sha).
        Base::Rev(r) if repo.resolve(r).is_err() && ctx.target_branch.is_some() => {
            ctx.target_branch.as_deref()
        }
        Base::Rev(r) => r.strip_prefix(&format!("refs/remotes/{remote}/")),
        Base::NewBranch {
            default_branch: Some(d),
        } if ctx.branch.as_deref() != Some(d.as_str()) => Some(d.as_str()),
        _ => None,
    };
    let Some(name) = name else { return };
    let tracking = format!("refs/remotes/{remote}/{name}");
    if repo.ref_id(&tracking).is_none() {
        let _ = shallow::fetch_branch(&repo.workdir, &remote, name);
    }
}

/// Plans the range; while history is missing in a shallow clone, deepens it and tries again.
fn plan_with_history(mut repo: Repo, ctx: &CiContext) -> Result<(Repo, Plan)> {
    let mut round = 0;
    loop {
        let why = match plan(&repo, ctx) {
            Ok(p) => return Ok((repo, p)),
            Err(PlanError::Fatal(e)) => return Err(e),
            Err(PlanError::Missing(why)) => why,
        };
        if !repo.is_shallow() {
            // The remote this clone fetches from, and the branch the base is on if known.
            let fetch = match repo.fetch_remote() {
                Some(remote) => {
                    let branch = ctx.target_branch.as_deref().unwrap_or("<branch>");
                    format!("fetch it (e.g. `git fetch {remote} {branch}`)")
                }
                None => "fetch it".to_owned(),
            };
            return Err(Error::Git(format!("{why}; {fetch} or check the revision")));
        }
        let Some(remote) = repo.fetch_remote() else {
            return Err(Error::Git(format!(
                "this clone is shallow and {why}, and it has no remote to fetch more history from; {}",
                shallow::ADVICE
            )));
        };
        if round > DEEPEN_ROUNDS {
            return Err(Error::Git(format!(
                "{why} even after fetching the full history of `{remote}`; check --base/--head"
            )));
        }
        let depth = (round < DEEPEN_ROUNDS).then(|| FIRST_DEEPEN << round);
        shallow::deepen(&repo.workdir, &remote, depth)?;
        round += 1;
        repo = Repo::open_bare_ok()?;
    }
}

fn resolve(repo: &Repo, rev: &str, what: &str) -> std::result::Result<Oid, PlanError> {
    repo.resolve(rev)
        .map_err(|_| PlanError::Missing(format!("the {what} `{rev}` is not in this clone")))
}

fn merge_base(repo: &Repo, base: Oid, head: Oid) -> std::result::Result<Oid, PlanError> {
    repo.merge_base(base, head).ok_or_else(|| {
        PlanError::Missing(format!(
            "{} and {} have no common ancestor in this clone",
            short(base),
            short(head)
        ))
    })
}

fn plan(repo: &Repo, ctx: &CiContext) -> std::result::Result<Plan, PlanError> {
    let head = resolve(repo, ctx.head.as_deref().unwrap_or("HEAD"), "head commit")?;
    let (base, hide) = match &ctx.base {
        Base::Rev(r) => {
            let b = resolve(repo, r, "base")?;
            let mb = merge_base(repo, b, head)?;
            (Some(mb), vec![mb])
        }
        Base::NewBranch { default_branch } => match default_tip(repo, ctx, default_branch) {
            Some(tip) => {
                let mb = merge_base(repo, tip, head)?;
                (Some(mb), vec![mb])
            }
            None => {
                // No default branch to compare with: every commit no other remote branch has.
                let hide = other_remote_tips(repo, ctx.branch.as_deref())?;
                (None, hide)
            }
        },
        Base::Unknown => {
            return Err(PlanError::Fatal(Error::Usage(
                "ci: which commits? pass --base REV".into(),
            )))
        }
    };
    let ids = repo.range_ids(&hide, head)?;
    let roots = repo.shallow_roots();
    if let Some(cut) = ids.iter().find(|id| roots.contains(id)) {
        return Err(PlanError::Missing(format!(
            "commit {} of the range has its parents cut off",
            short(*cut)
        )));
    }
    // Without a merge base, compare with the parent of the oldest commit (as pre-push does).
    let base = base.or_else(|| {
        ids.first()
            .and_then(|first| repo.first_parent(*first).ok().flatten())
    });
    Ok(Plan { base, head, ids })
}

/// The default branch's tip, when it is known and is not the branch being judged.
fn default_tip(repo: &Repo, ctx: &CiContext, default_branch: &Option<String>) -> Option<Oid> {
    let d = default_branch.as_deref()?;
    if ctx.branch.as_deref() == Some(d) {
        return None;
    }
    let remote = repo.fetch_remote().unwrap_or_else(|| "origin".into());
    [
        format!("refs/remotes/{remote}/{d}"),
        format!("refs/heads/{d}"),
    ]
    .iter()
    .find_map(|r| repo.ref_id(r))
}

/// Tips of remote-tracking branches other than `branch` itself (and `*/HEAD`).
fn other_remote_tips(repo: &Repo, branch: Option<&str>) -> Result<Vec<Oid>> {
    Ok(repo
        .remote_branches()?
        .into_iter()
        .filter(|r| {
            let name = r.branch.as_deref();
            name != Some("HEAD") && !(branch.is_some() && name == branch)
        })
        .map(|r| r.tip)
        .collect())
}
