//! `git hygiene hook NAME ARGS…`: what the shims in `hooks/` run. Chains the hook that was
//! installed before us (`NAME.legacy`, run first), builds the moment's change set and judges it.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::changeset::Mode;
use crate::checks::{self, Context};
use crate::commands::args::Common;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::{ci_env, message, push};

use super::judge;

pub const HOOKS: [&str; 4] = ["pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"];

pub fn run(name: &str, args: &[String], common: &Common) -> Result<i32> {
    let started = Instant::now();
    if !HOOKS.contains(&name) {
        return Err(Error::Usage(format!(
            "unknown hook `{name}`; git-hygiene handles {}",
            HOOKS.join(", ")
        )));
    }
    let stdin = if name == "pre-push" {
        read_stdin()?
    } else {
        String::new()
    };
    if let Some(code) = run_legacy(name, args, &stdin)? {
        return Ok(code);
    }
    let mode = match name {
        "pre-commit" => Mode::PreCommit,
        "commit-msg" => Mode::CommitMsg,
        "prepare-commit-msg" => Mode::PrepareCommitMsg,
        _ => Mode::PrePush,
    };
    // Fast path: a hook no check cares about costs only the process start.
    let active = checks::active(mode, &judge::selection(common)?);
    if active.is_empty() {
        return Ok(judge::EXIT_OK);
    }
    let repo = Repo::open()?;
    let config = judge::load_config(common, Some(&repo.workdir))?;
    match name {
        "pre-commit" => {
            let cs = repo.staged(Mode::PreCommit)?;
            judge::judge(&cs, &config, common, started)
        }
        "commit-msg" => {
            let file = args.first().ok_or_else(|| {
                Error::Usage("commit-msg: git passes the message file as the first argument".into())
            })?;
            let mut cs = if active.iter().any(|c| c.needs_files(mode)) {
                repo.staged(mode)?
            } else {
                repo.empty_changeset(mode)
            };
            cs.message = Some(message::read(
                Path::new(file),
                None,
                None,
                comment_setting(&repo).as_deref(),
            )?);
            judge::judge(&cs, &config, common, started)
        }
        "prepare-commit-msg" => {
            let file = args.first().ok_or_else(|| {
                Error::Usage(
                    "prepare-commit-msg: git passes the message file as the first argument".into(),
                )
            })?;
            let mut cs = repo.empty_changeset(Mode::PrepareCommitMsg);
            // pre-commit/prek pass only the file and put the rest in the environment.
            let source = args
                .get(1)
                .cloned()
                .or_else(|| ci_env::process_env("PRE_COMMIT_COMMIT_MSG_SOURCE"));
            let object = args
                .get(2)
                .cloned()
                .or_else(|| ci_env::process_env("PRE_COMMIT_COMMIT_OBJECT_NAME"));
            let msg = message::read(
                Path::new(file),
                source,
                object,
                comment_setting(&repo).as_deref(),
            )?;
            cs.message = Some(msg);
            prepare(&cs, &config, common, Path::new(file))
        }
        _ => {
            let (remote, stdin) = match framework_push(&repo, &stdin) {
                Some((remote, line)) => (remote, line),
                None => (args.first().cloned(), stdin),
            };
            let cs = push::changeset(&repo, remote, &stdin)?;
            judge::judge(&cs, &config, common, started)
        }
    }
}

/// Lets each enabled check edit the message (ticket ids from the branch, for instance). Never blocks.
fn prepare(
    cs: &crate::changeset::ChangeSet,
    config: &crate::checks::Config,
    common: &Common,
    file: &Path,
) -> Result<i32> {
    let selection = judge::selection(common)?;
    for check in checks::registry() {
        if !selection.wants(check.id()) {
            continue;
        }
        let Some(severity) = checks::effective_severity(check.as_ref(), config, cs.mode) else {
            continue;
        };
        let ctx = Context {
            cs,
            config,
            severity,
            verbose: common.verbose,
        };
        if let Some(new) = check.prepare_message(&ctx)? {
            std::fs::write(file, new).map_err(|e| Error::io(file, e))?;
        }
    }
    Ok(judge::EXIT_OK)
}

fn comment_setting(repo: &Repo) -> Option<String> {
    let cfg = repo.repo.config().ok()?;
    cfg.get_string("core.commentString")
        .or_else(|_| cfg.get_string("core.commentChar"))
        .ok()
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
        (Some(r), Some(b)) => repo
            .repo
            .refname_to_id(&format!("refs/remotes/{r}/{b}"))
            .is_ok(),
        _ => false,
    };
    let from = ci_env::process_env("PRE_COMMIT_FROM_REF")
        .filter(|_| tracked)
        .and_then(|f| repo.resolve(&f).ok())
        .map_or(zero, |o| o.to_string());
    Some((remote, format!("{local_ref} {to} {remote_ref} {from}\n")))
}

/// pre-push ref lines. A terminal means someone ran the hook by hand: there is nothing to read.
fn read_stdin() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(String::new());
    }
    let mut buf = Vec::new();
    stdin
        .lock()
        .read_to_end(&mut buf)
        .map_err(|e| Error::io("<stdin>", e))?;
    String::from_utf8(buf).map_err(|_| {
        Error::Usage("pre-push: stdin is not valid UTF-8 (expected ref lines from git)".into())
    })
}

/// The hook that was in place before `git hygiene install`, if any: `<shim path>.legacy`.
/// The shim tells us its own path in `HYGIENE_HOOK_PATH`.
pub fn legacy_path(name: &str) -> Option<PathBuf> {
    let shim = std::env::var_os("HYGIENE_HOOK_PATH")?;
    let shim = PathBuf::from(shim);
    // Only chain for the hook we are running (the shim's file name matches).
    if shim.file_name()? != name {
        return None;
    }
    let mut legacy = shim.into_os_string();
    legacy.push(".legacy");
    let legacy = PathBuf::from(legacy);
    legacy.is_file().then_some(legacy)
}

/// Runs the legacy hook with the same arguments and stdin. `Some(code)` when it failed.
fn run_legacy(name: &str, args: &[String], stdin: &str) -> Result<Option<i32>> {
    let Some(path) = legacy_path(name) else {
        return Ok(None);
    };
    if !is_executable(&path) {
        return Ok(None);
    }
    let mut child = Command::new(&path)
        .args(args)
        .stdin(if name == "pre-push" {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .spawn()
        .map_err(|e| {
            Error::Other(format!(
                "cannot run the existing hook {}: {e}",
                path.display()
            ))
        })?;
    if let Some(mut input) = child.stdin.take() {
        // A hook that exits without reading its stdin closes the pipe; that is not an error.
        let _ = input.write_all(stdin.as_bytes());
    }
    let status = child
        .wait()
        .map_err(|e| Error::Other(format!("waiting for {}: {e}", path.display())))?;
    if status.success() {
        return Ok(None);
    }
    let code = status.code().unwrap_or(1).max(1);
    crate::out::eprintln(&format!("git-hygiene: the existing {name} hook ({}) failed with exit code {code}; not running git-hygiene's checks", path.display()));
    Ok(Some(code))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}
