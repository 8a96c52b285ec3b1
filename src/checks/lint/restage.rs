//! Fix mode: putting files a fixer changed back into the index the commit is made from.
//!
//! `git commit` gives hooks one of three indexes (GIT_INDEX_FILE): the real index (plain
//! commit), `index.lock` (`commit -a`, `-i`: the real index, locked), or `next-index-<pid>.lock`
//! (`commit <paths>`, `--only`: HEAD plus the paths, while the real index, also locked, gets the
//! same paths). Updating only GIT_INDEX_FILE loses the fix in the last case (lint-staged
//! 17.0.0–17.0.3): the commit has it, the index written afterwards does not. So with a
//! next-index we update `index.lock` too. `git add` does the writing (clean filters, CRLF and
//! the lock protocol as git does them), fed NUL-separated literal paths on stdin.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::error::{Error, Result};
use crate::git::cmd::git_cmd_on_index;
use crate::git::staged_workspace::StagedWorkspace;
use crate::path::RepoPath;

/// The index files to update: GIT_INDEX_FILE (or the default index), plus the locked real index
/// when git is committing `--only` paths.
pub fn targets(git_dir: &Path, index_file: Option<&Path>) -> Vec<Option<PathBuf>> {
    let Some(f) = index_file else {
        return vec![None];
    };
    let mut out = vec![Some(f.to_path_buf())];
    let is_next_index = f
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("next-index-") && n.ends_with(".lock"));
    let real_lock = git_dir.join("index.lock");
    if is_next_index && real_lock.is_file() {
        out.push(Some(real_lock));
    }
    out
}

/// Stages the work-tree content of `paths` in the index the commit is made from.
pub fn restage(ws: &StagedWorkspace<'_>, paths: &[RepoPath]) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let mut input = Vec::new();
    for p in paths {
        input.extend_from_slice(p.as_bytes());
        input.push(0);
    }
    for index in targets(ws.git_dir(), ws.index_file()) {
        let mut cmd = git_cmd_on_index(index.as_deref());
        cmd.current_dir(ws.workdir())
            .args([
                "--literal-pathspecs",
                "add",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| Error::Git(format!("cannot run git add: {e}")))?;
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(&input);
        }
        let out = child
            .wait_with_output()
            .map_err(|e| Error::Git(format!("git add: {e}")))?;
        if !out.status.success() {
            return Err(Error::Git(format!(
                "re-staging the fixed files failed (git add: {}); the fixes are in your work tree, `git add` them and commit again",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_index_also_updates_the_locked_real_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.lock"), b"").unwrap();
        let next = dir.path().join("next-index-42.lock");
        assert_eq!(targets(dir.path(), Some(&next)).len(), 2);
        assert_eq!(
            targets(dir.path(), Some(&dir.path().join("index.lock"))).len(),
            1
        );
        assert_eq!(targets(dir.path(), None), vec![None]);
    }
}
