//! Which config classifies a path as a migration: a nested `.hygiene.toml` adds migration
//! paths for its own directory, so each path is classified by the matcher of the config that
//! judges it, each matcher compiled once.

use std::cell::RefCell;

use super::layout::{Finder, Migration};
use crate::checks::Config;
use crate::error::Result;
use crate::path::RepoPath;

pub struct Finders<'a> {
    root: &'a Config,
    /// Compiled matchers, by the config they were compiled from.
    compiled: RefCell<Vec<(*const Config, std::rc::Rc<Finder>)>>,
}

impl<'a> Finders<'a> {
    pub fn new(root: &'a Config) -> Result<Finders<'a>> {
        let f = Finders {
            root,
            compiled: RefCell::new(Vec::new()),
        };
        // The root's globs were validated when read; compile them now so a problem shows once.
        f.finder(root)?;
        Ok(f)
    }

    fn finder(&self, cfg: &Config) -> Result<std::rc::Rc<Finder>> {
        let key: *const Config = cfg;
        if let Some((_, f)) = self.compiled.borrow().iter().find(|(k, _)| *k == key) {
            return Ok(f.clone());
        }
        let f = std::rc::Rc::new(Finder::new(&cfg.migrations)?);
        self.compiled.borrow_mut().push((key, f.clone()));
        Ok(f)
    }

    /// The matcher for `path` (the root's when its own config cannot be read: that error was
    /// reported before any check ran).
    fn of(&self, path: &str) -> Option<std::rc::Rc<Finder>> {
        let cfg = if self.root.has_nested() {
            self.root
                .for_path(&RepoPath::from(path))
                .unwrap_or(self.root)
        } else {
            self.root
        };
        self.finder(cfg).ok()
    }

    pub fn classify(&self, path: &str) -> Option<Migration> {
        self.of(path)?.classify(path)
    }

    pub fn allows_edit(&self, path: &str) -> bool {
        self.of(path).is_some_and(|f| f.allows_edit(path))
    }
}
