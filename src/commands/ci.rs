//! `ci`: judge a merge request — every commit of merge-base(BASE, HEAD)..HEAD, plus the branch and
//! the MR title and description when known. The platform (GitLab, GitHub Actions) is read from
//! the environment by `ci_env`; flags override it. A shallow clone is deepened from its remote
//! until the whole range is present, so no commit is judged against a cut-off parent.

use std::time::Instant;

use clap::Args;
use git2::Oid;

use crate::changeset::{MergeRequest, Mode};
use crate::checks::secrets::redact;
use crate::ci_env::{self, Base, CiContext, Overrides};
use crate::commands::args::Common;
use crate::error::{Error, Result};
use crate::git::shallow;
use crate::git::Repo;
use crate::shard::Shard;

use super::judge;

#[derive(Args, Debug, Clone, Default)]
pub struct CiArgs {
    /// The target side: branch, tag or commit the MR merges into (default: from the CI environment).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// The MR's head commit (default: from the CI environment, else HEAD).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// The source branch name (default: from the CI environment, else the current branch).
    #[arg(long)]
    pub branch: Option<String>,
    /// The branch the MR merges into (default: from the CI environment).
    #[arg(long, value_name = "BRANCH")]
    pub target_branch: Option<String>,
    /// The MR title.
    #[arg(long)]
    pub title: Option<String>,
    /// The MR description.
    #[arg(long)]
    pub description: Option<String>,
    /// Judge only part I of N (1-based); default: GitLab's CI_NODE_INDEX/CI_NODE_TOTAL.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

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
impl From<git2::Error> for PlanError {
    fn from(e: git2::Error) -> Self {
        PlanError::Fatal(e.into())
    }
}

pub fn run(args: &CiArgs, common: &Common) -> Result<i32> {
    let started = Instant::now();
    judge::stdout_format(common)?;
    judge::report_targets(common)?;
    let flags = Overrides {
        base: args.base.clone(),
        head: args.head.clone(),
        branch: args.branch.clone(),
        target_branch: args.target_branch.clone(),
        title: args.title.clone(),
        description: args.description.clone(),
    };
    let ctx = ci_env::detect(&ci_env::process_env, &flags)?;
    let shard = Shard::from_flag_or_env(args.shard.as_deref(), &ci_env::process_env)?;
    if ctx.base == Base::Unknown {
        return Err(Error::Usage("ci: which commits? pass --base REV (the target branch, e.g. origin/main), or run in a GitLab merge-request pipeline or a GitHub Actions pull_request/push workflow".into()));
    }
    let repo = Repo::open()?;
    let config = judge::load_config(common, Some(&repo.workdir))?;
    fetch_named_base(&repo, &ctx);
    let (repo, plan) = plan_with_history(repo, &ctx)?;
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
        });
    }
    cs.apply_shard(shard);
    if !common.quiet {
        let shard_note = shard.map_or(String::new(), |s| {
            format!(", shard {}/{} ({} files)", s.index, s.total, cs.files.len())
        });
        crate::out::eprintln(&format!(
            "git-hygiene ci: {}, {} commit(s) {}..{}{shard_note}",
            ctx.platform.as_str(),
            plan.ids.len(),
            plan.base.map_or("(root)".to_owned(), short),
            short(plan.head),
        ));
        if common.verbose {
            // Names and titles are users' text: a pasted token is not echoed.
            let shown = |s: Option<&str>| {
                let mut s = s.unwrap_or("").to_owned();
                redact::redact_in_place(config.secrets.text_engine(), &mut s);
                s
            };
            crate::out::eprintln(&format!(
                "git-hygiene ci: branch {:?} → target {:?}, title {:?}",
                shown(cs.branch.as_deref()),
                shown(ctx.target_branch.as_deref()),
                shown(ctx.title.as_deref())
            ));
        }
    }
    judge::judge(&cs, &config, common, started)
}

fn short(o: Oid) -> String {
    o.to_string().chars().take(12).collect()
}

/// A base named by branch (GitLab's target-branch fallback, a new branch's default branch) may
/// simply not have been fetched: CI runners fetch only the branch under test. Best effort: a
/// failure here shows up later as a missing base, with advice.
fn fetch_named_base(repo: &Repo, ctx: &CiContext) {
    let Some(remote) = shallow::remote(&repo.repo) else {
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
    if repo.repo.refname_to_id(&tracking).is_err() {
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
        if !repo.repo.is_shallow() {
            return Err(Error::Git(format!(
                "{why}; fetch it (e.g. `git fetch origin <branch>`) or check the revision"
            )));
        }
        let Some(remote) = shallow::remote(&repo.repo) else {
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
        repo = Repo::open()?;
    }
}

fn resolve(repo: &Repo, rev: &str, what: &str) -> std::result::Result<Oid, PlanError> {
    repo.resolve(rev)
        .map_err(|_| PlanError::Missing(format!("the {what} `{rev}` is not in this clone")))
}

fn merge_base(repo: &Repo, base: Oid, head: Oid) -> std::result::Result<Oid, PlanError> {
    repo.repo.merge_base(base, head).map_err(|_| {
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
    let roots = shallow::roots(&repo.repo);
    if let Some(cut) = ids.iter().find(|id| roots.contains(id)) {
        return Err(PlanError::Missing(format!(
            "commit {} of the range has its parents cut off",
            short(*cut)
        )));
    }
    // Without a merge base, compare with the parent of the oldest commit (as pre-push does).
    let base = base.or_else(|| {
        ids.first()
            .and_then(|first| repo.repo.find_commit(*first).ok())
            .and_then(|c| c.parent_id(0).ok())
    });
    Ok(Plan { base, head, ids })
}

/// The default branch's tip, when it is known and is not the branch being judged.
fn default_tip(repo: &Repo, ctx: &CiContext, default_branch: &Option<String>) -> Option<Oid> {
    let d = default_branch.as_deref()?;
    if ctx.branch.as_deref() == Some(d) {
        return None;
    }
    let remote = shallow::remote(&repo.repo).unwrap_or_else(|| "origin".into());
    [
        format!("refs/remotes/{remote}/{d}"),
        format!("refs/heads/{d}"),
    ]
    .iter()
    .find_map(|r| repo.repo.refname_to_id(r).ok())
}

/// Tips of remote-tracking branches other than `branch` itself (and `*/HEAD`).
fn other_remote_tips(repo: &Repo, branch: Option<&str>) -> Result<Vec<Oid>> {
    let mut out = Vec::new();
    for r in repo.repo.references_glob("refs/remotes/*")? {
        let r = r?;
        let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
        let short_name = name
            .strip_prefix("refs/remotes/")
            .and_then(|s| s.split_once('/'))
            .map(|(_, b)| b);
        if short_name == Some("HEAD") || (branch.is_some() && short_name == branch) {
            continue;
        }
        if let Some(oid) = r.resolve().ok().and_then(|r| r.target()) {
            out.push(oid);
        }
    }
    Ok(out)
}
