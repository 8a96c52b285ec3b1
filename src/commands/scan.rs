//! `scan [PATH…]`: audit a directory tree; `scan --history [RANGE]`: audit commits.

use std::path::PathBuf;
use std::time::Instant;

use crate::changeset::ChangeSet;
use crate::checks::config_tree::{is_config_path, load_root, ConfigTree};
use crate::checks::Config;
use crate::commands::args::Common;
use crate::config::FILE_NAME;
use crate::error::Result;
use crate::git::Repo;
use crate::moments::{self, tree};
use crate::path::RepoPath;
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
        let config = super::bare_config::load_with_nested(common, &repo)?;
        config.validate_nested()?;
        let mut cs = moments::history::changeset(&repo, range)?;
        cs.apply_shard(shard);
        return judge::judge(&cs, &config, common, started);
    }
    let scope = tree::Scope::of(paths)?;
    let mut cs = tree::changeset(&scope.root, &scope.paths, rayon::current_num_threads())?;
    let config = scan_config(common, &scope, &cs)?;
    cs.apply_shard(shard);
    judge::judge(&cs, &config, common, started)
}

/// The config of a directory scan: the root `.hygiene.toml` and the nested ones among the
/// files the walk found (the walk is not repeated), plus those in the directories between
/// the root and a path given, which the walk starts below. Every nested one is read before
/// anything is judged, as in `scan --history`.
fn scan_config(common: &Common, scope: &tree::Scope, cs: &ChangeSet) -> Result<Config> {
    let mut found: Vec<RepoPath> = cs
        .files
        .iter()
        .map(|f| &f.path)
        .filter(|p| is_config_path(p.as_bytes()))
        // A vendored package's own config (a plain directory's walk has no .gitignore to
        // leave node_modules out) is not one of this tree's.
        .filter(|p| {
            !p.as_bytes()
                .split(|&b| b == b'/')
                .any(|s| s == b"node_modules")
        })
        .cloned()
        .collect();
    for start in &scope.paths {
        for dir in start.ancestors().skip(1) {
            if !dir.as_os_str().is_empty() && scope.root.join(dir).join(FILE_NAME).is_file() {
                found.push(RepoPath::from_native(&dir.join(FILE_NAME)));
            }
        }
    }
    let nested = found.iter().any(|p| p.as_bytes() != FILE_NAME.as_bytes());
    let (root, layers) = load_root(
        common.config.as_deref(),
        Some(&scope.root),
        None,
        false,
        nested,
    )?;
    let config = root.with_found_tree(ConfigTree::of_scan(&scope.root, None, &found, layers));
    config.validate_nested()?;
    Ok(config)
}
