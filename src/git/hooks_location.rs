//! Where git runs hooks from, as git itself says it (`git rev-parse`): the work tree's top, the
//! hooks directory and where `core.hooksPath` comes from. Install asks git rather than libgit2
//! so that linked worktrees and `core.hooksPath` resolve exactly as git will resolve them.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::git::cmd::git_cmd;

pub struct Where {
    /// The top of the work tree.
    pub top: PathBuf,
    /// The directory git runs hooks from (`git rev-parse --git-path hooks`: honours
    /// `core.hooksPath` and linked worktrees), absolute.
    pub hooks_dir: PathBuf,
    /// `core.hooksPath` and the scope it comes from (`local`, `global`, …), if set.
    pub hooks_path: Option<(String, String)>,
}

impl Where {
    pub fn find() -> Result<Where> {
        git(&["rev-parse", "--is-inside-work-tree"]).map_err(|_| {
            Error::Git(
                "not inside a git work tree: run `git hygiene install` from your repository".into(),
            )
        })?;
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        let absolute = |p: String| {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                cwd.join(p)
            }
        };
        Ok(Where {
            top: absolute(git(&["rev-parse", "--show-toplevel"])?),
            hooks_dir: absolute(git(&["rev-parse", "--git-path", "hooks"])?),
            hooks_path: hooks_path_scope(),
        })
    }

    /// `core.hooksPath` when this repository's own config sets it (not global or system).
    pub fn local_hooks_path(&self) -> Option<&str> {
        self.hooks_path
            .as_ref()
            .filter(|(scope, _)| !matches!(scope.as_str(), "global" | "system"))
            .map(|(_, value)| value.as_str())
    }
}

/// The hooks directory of the bare repository around the current directory; `None` when this
/// is not a bare repository.
pub fn bare_hooks_dir() -> Option<PathBuf> {
    if git(&["rev-parse", "--is-bare-repository"]).ok()? != "true" {
        return None;
    }
    let dir = PathBuf::from(git(&["rev-parse", "--git-path", "hooks"]).ok()?);
    if dir.is_absolute() {
        Some(dir)
    } else {
        std::env::current_dir().ok().map(|cwd| cwd.join(dir))
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

fn hooks_path_scope() -> Option<(String, String)> {
    let s = git(&["config", "--show-scope", "--get", "core.hooksPath"]).ok()?;
    let (scope, value) = s.split_once('\t')?;
    Some((scope.to_owned(), value.to_owned()))
}
