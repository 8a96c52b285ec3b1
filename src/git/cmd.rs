//! The one place a `git` subprocess is built. The environment is inherited as it is: inside a
//! hook, git's own `GIT_DIR`, `GIT_INDEX_FILE` and friends say which repository and index are
//! meant. Commands that must read one particular index say so with [`git_cmd_on_index`].

use std::path::Path;
use std::process::{Command, Output};

use crate::error::{Error, Result};

/// `git`, with the caller's environment.
pub fn git_cmd() -> Command {
    Command::new("git")
}

/// `git` reading and writing `index` (`None`: the repository's default index, even when the
/// hook was given another one in `GIT_INDEX_FILE`).
pub fn git_cmd_on_index(index: Option<&Path>) -> Command {
    let mut cmd = git_cmd();
    match index {
        Some(f) => cmd.env("GIT_INDEX_FILE", f),
        None => cmd.env_remove("GIT_INDEX_FILE"),
    };
    cmd
}

/// `Ok` when `out` (of `git <what>`) succeeded; else git's own complaint as the error.
pub fn succeeded(what: &str, out: &Output) -> Result<()> {
    if out.status.success() {
        return Ok(());
    }
    Err(Error::Git(format!(
        "`git {what}` failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    )))
}

/// `git ARGS` in `dir` for a test's set-up, with an identity and no signing: its trimmed
/// output, or a panic with git's complaint.
#[cfg(test)]
pub(crate) fn test_git(dir: &Path, args: &[&str]) -> String {
    let out = git_cmd()
        .args(["-c", "user.name=Zoë", "-c", "user.email=z@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {} {}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Object ids for parser tests: two blobs and git's null id.
#[cfg(test)]
pub(crate) mod test_ids {
    pub const A: &str = "1111111111111111111111111111111111111111";
    pub const B: &str = "2222222222222222222222222222222222222222";
    pub const Z: &str = "0000000000000000000000000000000000000000";
}
