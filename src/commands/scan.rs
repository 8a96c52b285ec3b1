//! `scan [PATH…]`: audit a directory tree; `scan --history [RANGE]`: audit commits.

use std::path::PathBuf;
use std::time::Instant;

use crate::commands::args::Common;
use crate::error::Result;
use crate::git::Repo;
use crate::moments::{self, tree};
use crate::shard::Shard;

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
        let repo = Repo::open_bare_ok()?;
        let config = super::bare_config::load(common, &repo)?;
        config.validate_nested()?;
        let mut cs = moments::history::changeset(&repo, range)?;
        cs.apply_shard(shard);
        return judge::judge(&cs, &config, common, started);
    }
    let scope = tree::Scope::of(paths)?;
    let config = judge::load_config(common, Some(&scope.root))?;
    let mut cs = tree::changeset(&scope.root, &scope.paths, rayon::current_num_threads())?;
    cs.apply_shard(shard);
    judge::judge(&cs, &config, common, started)
}
