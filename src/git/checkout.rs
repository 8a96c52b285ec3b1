//! What git itself writes to the work tree for index entries. `git checkout-index --prefix` into a
//! scratch directory applies git's own rules, which libgit2 only partly shares: `core.autocrlf`,
//! `eol`/`text` attributes, smudge filters (git-lfs and other drivers), `ident`,
//! `working-tree-encoding`, the executable bit, symlinks (or plain files with
//! `core.symlinks=false`). With a prefix it neither locks nor refreshes the index. When none of
//! that applies ([`is_plain`]) git writes the blob as it is, and no process is needed.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use git2::{AttrCheckFlags, Repository};

use crate::error::{Error, Result};
use crate::git::cmd::git_cmd_on_index;
use crate::path::RepoPath;

/// The attributes git's conversion to the work tree reads (convert.c).
const CONVERTING: [&str; 6] = [
    "text",
    "crlf",
    "eol",
    "filter",
    "ident",
    "working-tree-encoding",
];

/// Whether git checks out each of `paths` as its blob unchanged: `core.autocrlf` off, symlinks
/// made as links, and none of [`CONVERTING`] specified for the path (any value, even `-text`,
/// sends it to git: being wrong costs one process, never the wrong bytes). Without a text
/// attribute or autocrlf, `core.eol` changes nothing.
pub fn is_plain(repo: &Repository, paths: &[&RepoPath]) -> bool {
    let Ok(config) = repo.config() else {
        return false;
    };
    let autocrlf_off = match config.get_string("core.autocrlf") {
        Ok(v) => ["false", "no", "off", "0"].contains(&v.to_ascii_lowercase().as_str()),
        Err(e) => e.code() == git2::ErrorCode::NotFound,
    };
    if !autocrlf_off || !config.get_bool("core.symlinks").unwrap_or(true) {
        return false;
    }
    paths.iter().all(|p| {
        let native = p.to_native(Path::new(""));
        CONVERTING.iter().all(|attr| {
            matches!(
                repo.get_attr_bytes(&native, attr, AttrCheckFlags::FILE_THEN_INDEX),
                Ok(None)
            )
        })
    })
}

/// Writes the staged version of each of `paths` under `into` (at `into/<path>`), using the index
/// the commit is made from.
pub fn render(
    workdir: &Path,
    index_file: Option<&Path>,
    paths: &[&RepoPath],
    into: &Path,
) -> Result<()> {
    let mut prefix = OsString::from("--prefix=");
    prefix.push(into.as_os_str());
    prefix.push("/");
    let mut input = Vec::new();
    for p in paths {
        input.extend_from_slice(p.as_bytes());
        input.push(0);
    }
    let mut cmd = git_cmd_on_index(index_file);
    cmd.current_dir(workdir)
        .arg("checkout-index")
        .arg(prefix)
        .args(["-z", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // Killed with us, it would go on writing into a journal the next run is removing.
    crate::platform::die_with_us(&mut cmd);
    let failed = |why: String| {
        Error::Git(format!(
            "cannot get the staged version of the files to lint ({why}); nothing was touched: fix that, or commit with HYGIENE_SKIP=lint"
        ))
    };
    let mut child = cmd
        .spawn()
        .map_err(|e| failed(format!("cannot run git checkout-index: {e}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(&input);
    }
    let out = child
        .wait_with_output()
        .map_err(|e| failed(format!("git checkout-index: {e}")))?;
    if !out.status.success() {
        return Err(failed(format!(
            "git checkout-index: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}
