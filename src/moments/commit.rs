//! The moments of `git commit`: pre-commit judges what is staged; commit-msg and
//! prepare-commit-msg judge the message file git passes (with the staged files, when a check
//! wants them).

use std::path::Path;

use crate::changeset::{ChangeSet, Mode};
use crate::ci_env;
use crate::error::Result;
use crate::git::Repo;
use crate::message;

/// pre-commit: what is staged against HEAD. A migration counts as applied once it is published
/// (on the upstream or the remote's default branch), not because a local commit holds it; with
/// nothing published to compare with, HEAD stands in, as if every commit were deployed.
pub fn pre_commit(repo: &Repo) -> Result<ChangeSet> {
    let mut cs = repo.staged(Mode::PreCommit)?;
    cs.applied = published(repo, cs.branch.as_deref());
    Ok(cs)
}

fn published(repo: &Repo, branch: Option<&str>) -> Vec<String> {
    repo.published_tips(branch)
        .iter()
        .map(|o| o.to_string())
        .collect()
}

/// commit-msg: the message in `file`, and what is staged when `with_files`.
pub fn commit_msg(repo: &Repo, file: &Path, with_files: bool) -> Result<ChangeSet> {
    let mut cs = if with_files {
        repo.staged(Mode::CommitMsg)?
    } else {
        repo.empty_changeset(Mode::CommitMsg)
    };
    cs.message = Some(message::read(
        file,
        None,
        None,
        comment_setting(repo).as_deref(),
    )?);
    Ok(cs)
}

/// prepare-commit-msg: the message in `file`, with the source and commit git passes after it.
pub fn prepare_commit_msg(
    repo: &Repo,
    file: &Path,
    source: Option<String>,
    object: Option<String>,
) -> Result<ChangeSet> {
    let mut cs = repo.empty_changeset(Mode::PrepareCommitMsg);
    // pre-commit/prek pass only the file and put the rest in the environment.
    let source = source.or_else(|| ci_env::process_env("PRE_COMMIT_COMMIT_MSG_SOURCE"));
    let object = object.or_else(|| ci_env::process_env("PRE_COMMIT_COMMIT_OBJECT_NAME"));
    let msg = message::read(file, source, object, comment_setting(repo).as_deref())?;
    cs.message = Some(msg);
    Ok(cs)
}

/// What starts a comment line in the message, as configured.
fn comment_setting(repo: &Repo) -> Option<String> {
    repo.config_string("core.commentString")
        .or_else(|| repo.config_string("core.commentChar"))
}
