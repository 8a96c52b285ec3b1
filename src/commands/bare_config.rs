//! The config a bare repository judges with. It has no work tree to hold `.hygiene.toml`, so,
//! first found wins: `--config PATH`; `hygiene.toml` in the git dir (the server admin's file,
//! which no push can change); `.hygiene.toml` as committed on the default branch (`HEAD`), read
//! from objects; the defaults. A push never judges itself by the config it brings.

use std::path::Path;

use crate::checks::Config;
use crate::commands::args::Common;
use crate::content::ContentStore;
use crate::error::Result;
use crate::git::Repo;
use crate::path::RepoPath;

/// The admin's config file, in the bare repository's git dir.
pub const ADMIN_FILE: &str = "hygiene.toml";

pub fn load(common: &Common, repo: &Repo) -> Result<Config> {
    if !repo.bare {
        return super::judge::load_repo_config(common, repo);
    }
    if let Some(explicit) = common.config.as_deref() {
        return Config::load(Some(explicit), None);
    }
    let admin = repo.git_dir.join(ADMIN_FILE);
    if admin.is_file() {
        return Config::load(Some(&admin), None);
    }
    let Some(head) = repo.head_tip() else {
        return Ok(Config::default());
    };
    let file = RepoPath::from(crate::config::FILE_NAME);
    match repo.store().file_at(&head.to_string(), &file)? {
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Config::parse(&text, Path::new("HEAD:.hygiene.toml"))
        }
        None => Ok(Config::default()),
    }
}
