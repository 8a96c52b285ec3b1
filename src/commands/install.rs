//! `install` / `uninstall`: write the hook shims into the directory git runs hooks from
//! (`git rev-parse --git-path hooks`: honours `core.hooksPath` and linked worktrees). A hook that
//! is not ours is never overwritten: it is kept as `NAME.legacy`, run first by the shim's
//! command, and put back by `uninstall`.

use std::path::{Path, PathBuf};

use super::hook::HOOKS;
use crate::error::{Error, Result};
use crate::git::cmd::git_cmd;
use crate::out;

/// Marks a hook file as ours, so re-installing updates it and uninstalling removes it.
pub const MARKER: &str = "git-hygiene-managed-hook";

/// The shim for each hook: the files in `hooks/`, compiled in.
pub fn shim(name: &str) -> &'static str {
    match name {
        "pre-commit" => include_str!("../../hooks/pre-commit"),
        "commit-msg" => include_str!("../../hooks/commit-msg"),
        "prepare-commit-msg" => include_str!("../../hooks/prepare-commit-msg"),
        _ => include_str!("../../hooks/pre-push"),
    }
}

fn git(args: &[&str]) -> Result<String> {
    let out = git_cmd().args(args).output().map_err(|e| {
        Error::Git(format!(
            "cannot run git: {e}; is git installed and on PATH?"
        ))
    })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Error::Git(format!(
            "git {}: {}",
            args.join(" "),
            err.trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_owned())
}

/// The hooks directory, absolute.
fn hooks_dir() -> Result<PathBuf> {
    git(&["rev-parse", "--is-inside-work-tree"]).map_err(|_| {
        Error::Git(
            "not inside a git work tree: run `git hygiene install` from your repository".into(),
        )
    })?;
    let p = PathBuf::from(git(&["rev-parse", "--git-path", "hooks"])?);
    Ok(if p.is_absolute() {
        p
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(p)
    })
}

/// Where `core.hooksPath` is set, if anywhere: `("global", "/path")`.
fn hooks_path_scope() -> Option<(String, String)> {
    let s = git(&["config", "--show-scope", "--get", "core.hooksPath"]).ok()?;
    let (scope, value) = s.split_once('\t')?;
    Some((scope.to_owned(), value.to_owned()))
}

pub fn is_ours(path: &Path) -> bool {
    std::fs::read(path)
        .map(|b| b.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()))
        .unwrap_or(false)
}

fn legacy_of(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".legacy");
    PathBuf::from(s)
}

pub fn install(force: bool) -> Result<i32> {
    let dir = hooks_dir()?;
    if let Some((scope, value)) = hooks_path_scope() {
        if matches!(scope.as_str(), "global" | "system") && !force {
            return Err(Error::Usage(format!(
                "core.hooksPath is set in your {scope} git config ({value}): hooks written there would run in every repository. \
                 Run `git hygiene install --force` to install there anyway, or `git config --{scope} --unset core.hooksPath`"
            )));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    for name in HOOKS {
        let path = dir.join(name);
        let mut note = String::new();
        if path.exists() && !is_ours(&path) {
            let legacy = legacy_of(&path);
            if legacy.exists() {
                return Err(Error::Other(format!(
                    "{} exists and so does {}; git-hygiene will not overwrite either. Merge them into one, then run install again",
                    path.display(),
                    legacy.display()
                )));
            }
            std::fs::rename(&path, &legacy).map_err(|e| Error::io(&path, e))?;
            note = format!(" (the existing hook is kept as {name}.legacy and runs first)");
        }
        write_executable(&path, shim(name))?;
        out::println(&format!("installed {}{note}", path.display()))?;
    }
    Ok(0)
}

pub fn uninstall() -> Result<i32> {
    let dir = hooks_dir()?;
    for name in HOOKS {
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        if !is_ours(&path) {
            out::println(&format!(
                "left {} alone: it is not a git-hygiene hook",
                path.display()
            ))?;
            continue;
        }
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        let legacy = legacy_of(&path);
        if legacy.exists() {
            std::fs::rename(&legacy, &path).map_err(|e| Error::io(&legacy, e))?;
            out::println(&format!(
                "restored {} (the hook that was there before)",
                path.display()
            ))?;
        } else {
            out::println(&format!("removed {}", path.display()))?;
        }
    }
    Ok(0)
}

fn write_executable(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}
