//! Something a check compiles from its config (a glob set, a migration matcher), once per
//! config that judges some path: with nested configs each directory may have its own, and a
//! path is matched by the one of the config that judges it.

use std::cell::RefCell;
use std::rc::Rc;

use super::Config;
use crate::error::Result;
use crate::path::RepoPath;

/// How one is built from a config.
type Build<'a, T> = Box<dyn Fn(&Config) -> Result<T> + 'a>;

pub struct PerConfig<'a, T> {
    root: &'a Config,
    build: Build<'a, T>,
    /// Built ones, by the config they were built from.
    built: RefCell<Vec<(*const Config, Rc<T>)>>,
}

impl<'a, T> PerConfig<'a, T> {
    /// Builds the root's at once, so a problem in it is reported before any path asks. With
    /// nested configs the root's waits for a path it judges: a commit inside one package must
    /// not pay for compiling the root's lists too (the parse has already checked each value).
    pub fn new(root: &'a Config, build: impl Fn(&Config) -> Result<T> + 'a) -> Result<Self> {
        let p = PerConfig {
            root,
            build: Box::new(build),
            built: RefCell::new(Vec::new()),
        };
        if !root.has_nested() {
            p.of_config(root)?;
        }
        Ok(p)
    }

    fn of_config(&self, cfg: &Config) -> Result<Rc<T>> {
        let key: *const Config = cfg;
        if let Some((_, t)) = self.built.borrow().iter().find(|(k, _)| *k == key) {
            return Ok(t.clone());
        }
        let t = Rc::new((self.build)(cfg)?);
        self.built.borrow_mut().push((key, t.clone()));
        Ok(t)
    }

    /// The one for the config that judges `path`.
    pub fn of(&self, path: &str) -> Result<Rc<T>> {
        if !self.root.has_nested() {
            return self.of_config(self.root);
        }
        self.of_config(self.root.for_path(&RepoPath::from(path))?)
    }
}
