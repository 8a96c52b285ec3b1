//! Which config classifies a path as a migration: a nested `.hygiene.toml` adds migration
//! paths for its own directory, so each path is classified by the matcher of the config that
//! judges it.

use super::layout::{Finder, Migration};
use crate::checks::per_config::PerConfig;
use crate::checks::Config;
use crate::error::Result;

pub struct Finders<'a>(PerConfig<'a, Finder>);

impl<'a> Finders<'a> {
    pub fn new(root: &'a Config) -> Result<Finders<'a>> {
        Ok(Finders(PerConfig::new(root, |c| {
            Finder::new(&c.migrations)
        })?))
    }

    /// `None` too when the path's own config cannot be read: that error was reported before
    /// any check ran.
    pub fn classify(&self, path: &str) -> Option<Migration> {
        self.0.of(path).ok()?.classify(path)
    }

    pub fn allows_edit(&self, path: &str) -> bool {
        self.0.of(path).is_ok_and(|f| f.allows_edit(path))
    }

    /// Who may review the migration at `path`: its `[[migrations.dirs]]` entry's reviewers,
    /// else `default`.
    pub fn reviewers(&self, path: &str, default: &[String]) -> Vec<String> {
        match self.0.of(path) {
            Ok(f) => f.reviewers(path, default).to_vec(),
            Err(_) => default.to_vec(),
        }
    }
}
