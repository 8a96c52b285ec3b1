//! `ci`: judge a merge request — every commit of merge-base(BASE, HEAD)..HEAD, plus the branch and
//! the MR title and description when known.

use std::time::Instant;

use clap::Args;

use crate::changeset::{MergeRequest, Mode};
use crate::cli::Common;
use crate::error::{Error, Result};
use crate::git::Repo;

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
    /// The MR title.
    #[arg(long)]
    pub title: Option<String>,
    /// The MR description.
    #[arg(long)]
    pub description: Option<String>,
}

/// What the CI environment says about the merge request (GitLab; GitHub Actions via its event file
/// is read by the same function once supported).
fn from_env(args: &CiArgs) -> CiArgs {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    CiArgs {
        base: args
            .base
            .clone()
            .or_else(|| env("CI_MERGE_REQUEST_DIFF_BASE_SHA")),
        head: args.head.clone().or_else(|| env("CI_COMMIT_SHA")),
        branch: args
            .branch
            .clone()
            .or_else(|| env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"))
            .or_else(|| env("CI_COMMIT_BRANCH")),
        title: args.title.clone().or_else(|| env("CI_MERGE_REQUEST_TITLE")),
        description: args
            .description
            .clone()
            .or_else(|| env("CI_MERGE_REQUEST_DESCRIPTION")),
    }
}

pub fn run(args: &CiArgs, common: &Common) -> Result<i32> {
    let started = Instant::now();
    judge::stdout_format(common)?;
    judge::report_targets(common)?;
    let args = from_env(args);
    let repo = Repo::open()?;
    let config = judge::load_config(common, Some(&repo.workdir))?;
    let base_rev = args.base.as_deref().ok_or_else(|| {
        Error::Usage("ci: which commits? pass --base REV (the target branch, e.g. origin/main), or run in a GitLab merge-request pipeline".into())
    })?;
    let head = repo.resolve(args.head.as_deref().unwrap_or("HEAD"))?;
    let base = repo.resolve(base_rev)?;
    let merge_base = repo.merge_base(base, head)?;
    let mut cs = repo.range(Mode::Ci, Some(merge_base), head)?;
    if let Some(b) = args.branch.clone() {
        cs.branch = Some(b);
    }
    // GitLab names the target branch; `commit-msg` uses it to let fixup!/WIP commits into MRs
    // that do not target a protected branch.
    let target = std::env::var("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
        .ok()
        .filter(|v| !v.is_empty());
    if args.title.is_some() || args.description.is_some() || target.is_some() {
        cs.merge_request = Some(MergeRequest {
            title: args.title.clone().unwrap_or_default(),
            description: args.description.clone().unwrap_or_default(),
            source_branch: cs.branch.clone(),
            target_branch: target,
        });
    }
    judge::judge(&cs, &config, common, started)
}
