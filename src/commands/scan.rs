//! `scan [PATH…]`: audit a directory tree; `scan --history [RANGE]`: audit commits.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::changeset::Mode;
use crate::commands::args::Common;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::shard::Shard;
use crate::tree;

use super::judge;

pub fn run(
    paths: &[PathBuf],
    history: Option<&str>,
    shard: Option<&str>,
    common: &Common,
) -> Result<i32> {
    let started = Instant::now();
    // Validate output options before a long scan, not after.
    judge::stdout_format(common)?;
    judge::report_targets(common)?;
    let shard = Shard::from_flag_or_env(shard, &crate::ci_env::process_env)?;
    if let Some(range) = history {
        let repo = Repo::open()?;
        let config = judge::load_config(common, Some(&repo.workdir))?;
        let (base, head) = match range.split_once("..") {
            Some((a, b)) => {
                let head = repo.resolve(if b.is_empty() { "HEAD" } else { b })?;
                (Some(repo.resolve(a)?), head)
            }
            None => (None, repo.resolve(range)?),
        };
        let mut cs = repo.range(Mode::Scan, base, head)?;
        cs.apply_shard(shard);
        return judge::judge(&cs, &config, common, started);
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
    let first = paths
        .first()
        .map(|p| cwd.join(p))
        .unwrap_or_else(|| cwd.clone());
    let root = scan_root(&first)?;
    let rel: Vec<PathBuf> = paths
        .iter()
        .map(|p| {
            let abs = cwd.join(p).canonicalize().map_err(|e| Error::io(p, e))?;
            abs.strip_prefix(&root).map(Path::to_path_buf).map_err(|_| {
                Error::Usage(format!(
                    "{}: not inside {}; scan one tree at a time",
                    p.display(),
                    root.display()
                ))
            })
        })
        .collect::<Result<_>>()?;
    let config = judge::load_config(common, Some(&root))?;
    let mut cs = tree::changeset(&root, &rel, rayon::current_num_threads())?;
    cs.apply_shard(shard);
    judge::judge(&cs, &config, common, started)
}

/// The git work tree that holds `start`, else `start` itself if it is a directory, else its parent.
fn scan_root(start: &Path) -> Result<PathBuf> {
    let start = start.canonicalize().map_err(|e| Error::io(start, e))?;
    if let Ok(repo) = git2::Repository::discover(&start) {
        if let Some(w) = repo.workdir() {
            return w.canonicalize().map_err(|e| Error::io(w, e));
        }
    }
    Ok(if start.is_dir() {
        start
    } else {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    })
}
