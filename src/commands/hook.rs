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
use crate::moments;

use super::judge;

pub const HOOKS: [&str; 4] = ["pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"];
/// The hook `install` writes in a bare repository, the server's.
pub const SERVER_HOOK: &str = "pre-receive";

/// Hooks git hands ref lines on stdin.
fn reads_stdin(name: &str) -> bool {
    matches!(name, "pre-push" | SERVER_HOOK)
}

pub fn run(name: &str, args: &[String], common: &Common) -> Result<i32> {
    let started = Instant::now();
    if !HOOKS.contains(&name) && name != SERVER_HOOK {
        return Err(Error::Usage(format!(
            "unknown hook `{name}`; git-hygiene handles {} and {SERVER_HOOK}",
            HOOKS.join(", ")
        )));
    }
    let stdin = if reads_stdin(name) {
        read_stdin()?
    } else {
        String::new()
    };
    if let Some(code) = run_legacy(name, args, &stdin)? {
        return Ok(code);
    }
    if name == SERVER_HOOK {
        return super::receive::run(&stdin, common, started);
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
    // Never freed: the process ends with the hook, and freeing the config with the secrets
    // engine it built cost a message hook as much as judging the message.
    let config = std::mem::ManuallyDrop::new(judge::load_repo_config(common, &repo)?);
    let config = &*config;
    match name {
        "pre-commit" => {
            let cs = moments::commit::pre_commit(&repo)?;
            judge::judge(&cs, config, common, started)
        }
        "commit-msg" => {
            let file = args.first().ok_or_else(|| {
                Error::Usage("commit-msg: git passes the message file as the first argument".into())
            })?;
            let with_files = active.iter().any(|c| c.needs_files(mode));
            let cs = moments::commit::commit_msg(&repo, Path::new(file), with_files)?;
            judge::judge(&cs, config, common, started)
        }
        "prepare-commit-msg" => {
            let file = args.first().ok_or_else(|| {
                Error::Usage(
                    "prepare-commit-msg: git passes the message file as the first argument".into(),
                )
            })?;
            let (source, object) = (args.get(1).cloned(), args.get(2).cloned());
            let cs = moments::commit::prepare_commit_msg(&repo, Path::new(file), source, object)?;
            prepare(&cs, config, common, Path::new(file))
        }
        _ => {
            let cs = moments::push::changeset(&repo, args.first().cloned(), &stdin)?;
            judge::judge(&cs, config, common, started)
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

/// pre-push's or pre-receive's ref lines. A terminal means someone ran the hook by hand: there is nothing to read.
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
        Error::Usage("hook: stdin is not valid UTF-8 (expected ref lines from git)".into())
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
        .stdin(if reads_stdin(name) {
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
