//! The config a bare repository judges with. It has no work tree to hold `.hygiene.toml`, so,
//! first found wins: `--config PATH`; `hygiene.toml` in the git dir (the server admin's file,
//! which no push can change); `.hygiene.toml` as committed on the default branch (`HEAD`), read
//! from objects; the defaults. A push never judges itself by the config it brings.

use crate::checks::config_tree::{is_config_path, load_committed_root, load_root, ConfigTree};
use crate::checks::Config;
use crate::commands::args::Common;
use crate::config::extends::Layer;
use crate::config::FILE_NAME;
use crate::content::ContentStore;
use crate::error::Result;
use crate::git::Repo;
use crate::path::RepoPath;

/// The admin's config file, in the bare repository's git dir.
pub const ADMIN_FILE: &str = "hygiene.toml";

/// The config of a work tree, or of a bare repository: its root config (see the top of this
/// file) with the nested `.hygiene.toml` files below the top of `HEAD`'s tree, read from
/// objects (errors name them `HEAD:dir/.hygiene.toml`). `scan --history`, `ci` and the
/// server's pre-receive hook judge by it.
pub fn load_with_nested(common: &Common, repo: &Repo) -> Result<Config> {
    if !repo.bare {
        return super::judge::load_repo_config(common, repo);
    }
    let Some(head) = repo.head_tip() else {
        return Ok(root(common, repo, false)?.0);
    };
    let store = repo.store();
    let rev = head.to_string();
    let mut configs = Vec::new();
    for p in store.tree_paths(&rev)? {
        if is_config_path(p.as_bytes()) && p.as_bytes() != FILE_NAME.as_bytes() {
            if let Some(bytes) = store.file_at(&rev, &p)? {
                configs.push((p, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    let (root, layers) = root(common, repo, !configs.is_empty())?;
    Ok(root.with_found_tree(ConfigTree::committed(
        &repo.git_dir,
        "HEAD",
        configs,
        layers,
    )))
}

/// A bare repository's root config, first found wins (see the top of this file), and with
/// `want_layers` its files in merge order, for nested configs to stack on.
fn root(common: &Common, repo: &Repo, want_layers: bool) -> Result<(Config, Vec<Layer>)> {
    let file = common.config.clone().or_else(|| {
        let admin = repo.git_dir.join(ADMIN_FILE);
        admin.is_file().then_some(admin)
    });
    if let Some(file) = file {
        return load_root(Some(&file), None, Some(&repo.git_dir), false, want_layers);
    }
    let Some(head) = repo.head_tip() else {
        return Ok((Config::default(), Vec::new()));
    };
    let file = RepoPath::from(FILE_NAME);
    let Some(bytes) = repo.store().file_at(&head.to_string(), &file)? else {
        return Ok((Config::default(), Vec::new()));
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    load_committed_root(&repo.git_dir, "HEAD", text, want_layers)
}
