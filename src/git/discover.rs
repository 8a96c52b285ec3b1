//! Finding the repository before anything is opened. Judging opens it with `Repo::open` (git's
//! own rules: `GIT_DIR` and friends, then discovery); the one exception is here: the crash
//! recovery every command runs first must cost a few `stat`s, not a libgit2 open.

use std::path::PathBuf;

/// The git common dir of the repository around the current directory, found with a few `stat`s
/// (no libgit2 open): `GIT_COMMON_DIR`, `GIT_DIR`, else the nearest `.git` (a directory, or a
/// worktree's `gitdir:` file followed to its `commondir`).
pub fn common_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(c) = env("GIT_COMMON_DIR") {
        return Some(c);
    }
    let git_dir = match env("GIT_DIR") {
        Some(d) => d,
        None => {
            let mut dir = std::env::current_dir().ok()?;
            loop {
                let dot = dir.join(".git");
                match std::fs::symlink_metadata(&dot) {
                    Ok(m) if m.is_dir() => break dot,
                    Ok(m) if m.is_file() => {
                        let text = std::fs::read_to_string(&dot).ok()?;
                        let target = text.trim().strip_prefix("gitdir:")?.trim();
                        break dir.join(target);
                    }
                    _ => {}
                }
                if !dir.pop() {
                    return None;
                }
            }
        }
    };
    match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(c) => Some(git_dir.join(c.trim())),
        Err(_) => Some(git_dir),
    }
}
