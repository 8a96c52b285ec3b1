//! `ci`: judge a merge request — every commit of merge-base(BASE, HEAD)..HEAD, plus the branch and
//! the MR title and description when known. The platform (GitLab, GitHub Actions) is read from
//! the environment by `ci_env`; flags override it. `moments::ci` builds the range.

use std::time::Instant;

use clap::Args;

use crate::changeset::short_id;
use crate::checks::secrets::redact;
use crate::ci_env::{self, Base, Overrides};
use crate::commands::args::Common;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::moments;
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
        // The example names the remote this clone fetches from, when it has one.
        let remote = Repo::open()
            .ok()
            .and_then(|r| r.fetch_remote())
            .unwrap_or_else(|| "origin".into());
        return Err(Error::Usage(format!("ci: which commits? pass --base REV (the target branch, e.g. {remote}/main), or run in a GitLab merge-request pipeline or a GitHub Actions pull_request/push workflow")));
    }
    // A bare repository (a mirror on the server) has no work tree: commits are judged from
    // objects, and the linters, which need files on disk, do not run.
    let repo = Repo::open_bare_ok()?;
    let config = super::bare_config::load_with_nested(common, &repo)?;
    config.validate_nested()?;
    let repo_bare = repo.bare;
    let mut cs = moments::ci::changeset(repo, &ctx)?;
    cs.apply_shard(shard);
    if !common.quiet {
        let shard_note = shard.map_or(String::new(), |s| {
            format!(", shard {}/{} ({} files)", s.index, s.total, cs.files.len())
        });
        crate::out::eprintln(&format!(
            "git-hygiene ci: {}, {} commit(s) {}..{}{shard_note}",
            ctx.platform.as_str(),
            cs.commits.len(),
            cs.base.as_deref().map_or("(root)", short_id),
            cs.head.as_deref().map_or("", short_id),
        ));
        if common.verbose {
            // Names and titles are users' text: a pasted token is not echoed.
            let shown = |s: Option<&str>| {
                let mut s = s.unwrap_or("").to_owned();
                redact::redact_in_place(config.secrets.message_engine(), &mut s);
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
    let extra = judge::Extra {
        skip: if repo_bare && (!config.lint.is_empty() || config.has_nested()) {
            vec!["lint".to_owned()]
        } else {
            Vec::new()
        },
        skip_by: "no work tree",
        to_stderr: false,
    };
    judge::judge_with(&cs, &config, common, started, &extra)
}
