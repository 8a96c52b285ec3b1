//! The configs of a repository: the root `.hygiene.toml` (with what it `extends`) and the
//! nested ones git tracks below it. A file is judged by the config of the deepest directory
//! above it that holds one, which stacks on its parents' unless it says `root = true`. Each
//! directory's config is resolved the first time a file under it asks, then kept, so a commit
//! pays only for the packages it touches. Checks that judge commits and branches read the root
//! config; per-file checks ask [`Config::for_path`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use toml::Table;

use super::Config;
use crate::config::extends::{Layer, Loader, Origin};
use crate::config::layers;
use crate::config::spans::{offset_of, Step};
use crate::config::FILE_NAME;
use crate::error::{Error, Result};
use crate::path::RepoPath;

/// The nested configs of one work tree.
#[derive(Debug)]
pub struct ConfigTree {
    work_tree: PathBuf,
    git_dir: Option<PathBuf>,
    /// Directories (repository paths) holding a tracked nested config, sorted.
    dirs: Vec<String>,
    /// The root config's files, merge order (empty: built-in defaults).
    root_layers: Vec<Layer>,
    /// Each directory's resolved config, once asked for.
    resolved: Vec<OnceLock<Config>>,
    /// Fetch git sources again (`policy update`).
    refresh: bool,
    /// A bare repository's nested configs as committed (see [`ConfigTree::committed`]);
    /// `None`: read from `work_tree`.
    committed: Option<Committed>,
}

/// The root config from `explicit` or `<root>/.hygiene.toml`, with its `extends` merged, and
/// its files in merge order when it extends some or `want_layers` (nested configs stack on
/// them). `git_dir` is where git sources are cached (`None`: outside a repository); `refresh`
/// fetches them again.
pub fn load_root(
    explicit: Option<&Path>,
    root: Option<&Path>,
    git_dir: Option<&Path>,
    refresh: bool,
    want_layers: bool,
) -> Result<(Config, Vec<Layer>)> {
    let path = match (explicit, root) {
        (Some(p), _) => p.to_path_buf(),
        (None, Some(r)) if r.join(FILE_NAME).exists() => r.join(FILE_NAME),
        _ => return Ok((Config::default(), Vec::new())),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::Usage(format!("config file {} does not exist", path.display()))
        }
        _ => Error::io(&path, e),
    })?;
    let mut single = Config::parse(&text, &path)?;
    // The common case, one file and nothing nested, costs one parse as it always did.
    if single.extends.is_empty() && !want_layers && !refresh {
        if let Some(dir) = root {
            crate::config::validate_work_tree(&single, &text, &path, dir)?;
        }
        single.source = Some(path);
        return Ok((single, Vec::new()));
    }
    let check = |text: &str, _: &Table, file: &Path| check_file(text, file, root);
    let loader = Loader::new(git_dir, refresh, &check);
    let layers = loader.layers(Origin::Disk(path.clone()), text, "")?;
    let mut cfg = match layers.as_slice() {
        [_] => single,
        _ => resolve(layers.iter().cloned(), false)?,
    };
    cfg.source = Some(path);
    Ok((cfg, layers))
}

/// A bare repository's root config as committed at `rev` (`text`), with what it `extends`
/// read from the same commit (or a git source cached in `git_dir`), and with `want_layers` its
/// files in merge order, for nested configs to stack on.
pub fn load_committed_root(
    git_dir: &Path,
    rev: &str,
    text: String,
    want_layers: bool,
) -> Result<(Config, Vec<Layer>)> {
    let label = PathBuf::from(format!("{rev}:{FILE_NAME}"));
    let single = Config::parse(&text, &label)?;
    if single.extends.is_empty() && !want_layers {
        return Ok((single, Vec::new()));
    }
    let check = |text: &str, _: &Table, file: &Path| check_file(text, file, None);
    let loader = Loader::new(Some(git_dir), false, &check);
    let origin = Origin::Committed {
        rev: rev.to_owned(),
        path: FILE_NAME.to_owned(),
    };
    let layers = loader.layers(origin, text, "")?;
    let cfg = match layers.as_slice() {
        [_] => single,
        _ => resolve(layers.iter().cloned(), false)?,
    };
    Ok((cfg, layers))
}

/// One file on its own: the typed parse (located errors) and, for paths in the work tree,
/// whether they exist there.
fn check_file(text: &str, file: &Path, work_dir: Option<&Path>) -> Result<()> {
    let cfg = Config::parse(text, file)?;
    if let Some(dir) = work_dir {
        crate::config::validate_work_tree(&cfg, text, file, dir)?;
    }
    Ok(())
}

/// A key a nested config (or a file it extends) may not set is an error at that key, found
/// before the file is read into the typed config so the message says where it belongs.
fn nested_allowed(text: &str, table: &Table, file: &Path) -> Result<()> {
    match layers::nested_violation(table, &super::nesting()) {
        Some((keys, message)) => {
            let steps: Vec<Step<'_>> = keys.iter().map(|k| Step::Key(k)).collect();
            let (line, column) = crate::config::line_col(text, offset_of(text, &steps));
            Err(Error::Config {
                file: file.to_path_buf(),
                line,
                column,
                message,
            })
        }
        None => Ok(()),
    }
}

/// The typed config of `layers` merged in order (each rebased onto its directory). With
/// `builtins`, a nested stack that inherits: the built-in path lists the root layers (`dir`
/// empty, first) do not write go under the nested ones, so a nested list adds to the
/// effective parent list, defaults included, as it adds to one the root writes.
fn resolve(layers: impl Iterator<Item = Layer>, builtins: bool) -> Result<Config> {
    let nesting = super::nesting();
    let mut merged = Table::new();
    let mut last = PathBuf::from(FILE_NAME);
    let mut seeded = !builtins;
    for mut l in layers {
        if !seeded && !l.dir.is_empty() {
            seed_builtin_lists(&mut merged);
            seeded = true;
        }
        layers::rebase(&mut l.table, &nesting, &l.dir);
        layers::merge(&mut merged, l.table, &nesting);
        last = l.origin.label();
    }
    let text = toml::to_string(&merged).map_err(|e| Error::Other(e.to_string()))?;
    Config::parse(&text, &last)
}

/// Writes into `merged` each built-in path list it does not hold yet.
fn seed_builtin_lists(merged: &mut Table) {
    // Built once per process: every nested config a run resolves seeds the same lists, and
    // building them means building the whole default config.
    static BUILTIN: std::sync::OnceLock<Vec<(&str, &str, Vec<String>)>> =
        std::sync::OnceLock::new();
    for (section, key, list) in BUILTIN.get_or_init(super::builtin_lists) {
        let table = merged
            .entry(*section)
            .or_insert_with(|| toml::Value::Table(Table::new()));
        if let toml::Value::Table(t) = table {
            t.entry(*key).or_insert_with(|| {
                toml::Value::Array(list.iter().cloned().map(toml::Value::String).collect())
            });
        }
    }
}

impl ConfigTree {
    /// The tree of the work tree at `work_tree`, whose tracked files include `configs` (every
    /// tracked `.hygiene.toml`, the root one too), under the root config `root`.
    pub fn new(
        work_tree: &Path,
        git_dir: &Path,
        configs: &[RepoPath],
        root_layers: Vec<Layer>,
    ) -> Result<Option<ConfigTree>> {
        Ok(Self::of_dir(work_tree, Some(git_dir), configs, root_layers))
    }

    /// [`Self::new`] for a directory, in a repository (`git_dir`) or not.
    fn of_dir(
        work_tree: &Path,
        git_dir: Option<&Path>,
        configs: &[RepoPath],
        root_layers: Vec<Layer>,
    ) -> Option<ConfigTree> {
        let mut dirs: Vec<String> = configs
            .iter()
            .filter_map(|p| {
                let s = std::str::from_utf8(p.as_bytes()).ok()?;
                s.strip_suffix(FILE_NAME)?
                    .strip_suffix('/')
                    .map(str::to_owned)
            })
            .filter(|d| !d.is_empty())
            .collect();
        dirs.sort();
        dirs.dedup();
        if dirs.is_empty() {
            return None;
        }
        Some(ConfigTree {
            work_tree: work_tree.to_path_buf(),
            git_dir: git_dir.map(Path::to_path_buf),
            resolved: dirs.iter().map(|_| OnceLock::new()).collect(),
            dirs,
            root_layers,
            refresh: false,
            committed: None,
        })
    }

    /// This tree, fetching every git source again as it reads the nested configs.
    pub fn refreshing(mut self) -> ConfigTree {
        self.refresh = true;
        self
    }

    /// Every nested config's files, in directory order (for `policy update`).
    pub fn all_stacks(&self) -> Result<Vec<Vec<Layer>>> {
        (0..self.dirs.len()).map(|i| self.stack(i)).collect()
    }

    /// The root config's files, in merge order.
    pub fn root_layers(&self) -> &[Layer] {
        &self.root_layers
    }

    /// The index of the deepest config directory holding `path`.
    fn dir_of(&self, path: &[u8]) -> Option<usize> {
        self.dirs
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                path.len() > d.len() && path.starts_with(d.as_bytes()) && path[d.len()] == b'/'
            })
            .max_by_key(|(_, d)| d.len())
            .map(|(i, _)| i)
    }

    /// The resolved config of directory `i`.
    fn config(&self, i: usize) -> Result<&Config> {
        if let Some(c) = self.resolved[i].get() {
            return Ok(c);
        }
        let (stack, inherits) = self.stack_inheriting(i)?;
        let cfg = resolve(stack.into_iter(), inherits)?;
        // Another thread may have resolved it meanwhile: the same files, the same result.
        let _ = self.resolved[i].set(cfg);
        self.resolved[i]
            .get()
            .ok_or_else(|| Error::Other("a resolved config vanished".into()))
    }

    /// The files that make directory `i`'s config, in merge order: the root's (unless a
    /// config on the way says `root = true`), then each nested one from the top down.
    pub fn stack(&self, i: usize) -> Result<Vec<Layer>> {
        Ok(self.stack_inheriting(i)?.0)
    }

    /// [`Self::stack`], and whether it stacks on the root config (no `root = true` on the way).
    fn stack_inheriting(&self, i: usize) -> Result<(Vec<Layer>, bool)> {
        let dir = &self.dirs[i];
        let mut chain: Vec<&String> = self
            .dirs
            .iter()
            .filter(|d| *d == dir || dir.starts_with(&format!("{d}/")))
            .collect();
        chain.sort_by_key(|d| d.len());
        let mut out = self.root_layers.clone();
        let mut inherits = true;
        for d in chain {
            let Some(file_layers) = self.nested_layers(d)? else {
                continue;
            };
            let own_root = file_layers
                .last()
                .and_then(|l| l.table.get("root"))
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            if own_root {
                out.clear();
                inherits = false;
            }
            out.extend(file_layers);
        }
        Ok((out, inherits))
    }

    /// The layers of the nested config in `dir` (with what it extends), checked for keys a
    /// nested config may not set; `None` when the file is tracked but not in the work tree.
    fn nested_layers(&self, dir: &str) -> Result<Option<Vec<Layer>>> {
        if let Some(c) = &self.committed {
            return self.committed_layers(c, dir);
        }
        let path = self.work_tree.join(dir).join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let work_dir = self.work_tree.join(dir);
        let check = |text: &str, table: &Table, file: &Path| {
            nested_allowed(text, table, file)?;
            check_file(text, file, Some(&work_dir))
        };
        let loader = Loader::new(self.git_dir.as_deref(), self.refresh, &check);
        Ok(Some(loader.layers(Origin::Disk(path), text, dir)?))
    }

    /// Resolves every directory `paths` fall in, so a broken nested config stops the run
    /// before any check starts.
    pub fn prepare<'p>(&self, paths: impl Iterator<Item = &'p RepoPath>) -> Result<()> {
        let mut seen = vec![false; self.dirs.len()];
        for p in paths {
            if let Some(i) = self.dir_of(p.as_bytes()) {
                if !std::mem::replace(&mut seen[i], true) {
                    self.config(i)?;
                }
            }
        }
        Ok(())
    }

    /// Resolves every nested config, judged file or not, so a broken one in a package no
    /// change touches still stops a whole-repository run (CI, a scan, `check --all-files`).
    pub fn validate_all(&self) -> Result<()> {
        (0..self.dirs.len()).try_for_each(|i| self.config(i).map(|_| ()))
    }

    /// The stack that judges `path` (for `config --show`): its files in merge order, or
    /// `None` when the root config alone judges it.
    pub fn stack_for(&self, path: &RepoPath) -> Result<Option<Vec<Layer>>> {
        self.dir_of(path.as_bytes())
            .map(|i| self.stack(i))
            .transpose()
    }

    /// Every directory's config that `paths` ask for, each once (the root's included when a
    /// path has no nested config).
    pub fn configs_of<'a, 'p>(
        &'a self,
        root: &'a Config,
        paths: impl Iterator<Item = &'p RepoPath>,
    ) -> Result<Vec<&'a Config>> {
        let mut seen = vec![false; self.dirs.len() + 1];
        let mut out = Vec::new();
        for p in paths {
            let i = self.dir_of(p.as_bytes());
            let slot = i.map_or(self.dirs.len(), |i| i);
            if !std::mem::replace(&mut seen[slot], true) {
                out.push(match i {
                    Some(i) => self.config(i)?,
                    None => root,
                });
            }
        }
        Ok(out)
    }
}

impl Config {
    /// The config that judges `path`: the nested one of its directory, or this (the root).
    pub fn for_path(&self, path: &RepoPath) -> Result<&Config> {
        match &self.tree {
            Some(tree) => match tree.dir_of(path.as_bytes()) {
                Some(i) => tree.config(i),
                None => Ok(self),
            },
            None => Ok(self),
        }
    }

    /// Every nested config checked now (see [`ConfigTree::validate_all`]).
    pub fn validate_nested(&self) -> Result<()> {
        self.tree.as_ref().map_or(Ok(()), |t| t.validate_all())
    }

    /// Whether nested configs may judge some files.
    pub fn has_nested(&self) -> bool {
        self.tree.is_some()
    }

    /// Attaches the nested configs of `work_tree` (`configs`: the tracked `.hygiene.toml` paths).
    pub fn with_tree(
        mut self,
        work_tree: &Path,
        git_dir: &Path,
        configs: &[RepoPath],
        root_layers: Vec<Layer>,
    ) -> Result<Config> {
        self.tree = ConfigTree::new(work_tree, git_dir, configs, root_layers)?.map(Arc::new);
        Ok(self)
    }
}

// Nested configs found without an index: those a directory scan walks past, and those a
// bare repository's commit holds. They stack and resolve as the work tree's do.

/// Whether `path` names a `.hygiene.toml` (at any depth).
pub fn is_config_path(path: &[u8]) -> bool {
    let name = FILE_NAME.as_bytes();
    path.ends_with(name) && (path.len() == name.len() || path[path.len() - name.len() - 1] == b'/')
}

/// A bare repository's nested configs: their texts as committed in `rev`, by directory.
#[derive(Debug)]
struct Committed {
    rev: String,
    texts: Vec<(String, String)>,
}

impl ConfigTree {
    /// The tree of a scanned directory `root` (in a repository whose git dir is `git_dir`, or
    /// not): `configs` are the `.hygiene.toml` paths found among the files the scan walks.
    pub fn of_scan(
        root: &Path,
        git_dir: Option<&Path>,
        configs: &[RepoPath],
        root_layers: Vec<Layer>,
    ) -> Option<ConfigTree> {
        Self::of_dir(root, git_dir, configs, root_layers)
    }

    /// The tree of a bare repository: `configs` are the nested `.hygiene.toml` files of
    /// commit `rev` (named so in errors, as `REV:dir/.hygiene.toml`), each with its text.
    pub fn committed(
        git_dir: &Path,
        rev: &str,
        configs: Vec<(RepoPath, String)>,
        root_layers: Vec<Layer>,
    ) -> Option<ConfigTree> {
        let paths: Vec<RepoPath> = configs.iter().map(|(p, _)| p.clone()).collect();
        let mut tree = Self::of_dir(git_dir, Some(git_dir), &paths, root_layers)?;
        let texts = configs
            .into_iter()
            .filter_map(|(p, text)| {
                let s = std::str::from_utf8(p.as_bytes()).ok()?;
                let dir = s.strip_suffix(FILE_NAME)?.strip_suffix('/')?;
                Some((dir.to_owned(), text))
            })
            .collect();
        tree.committed = Some(Committed {
            rev: rev.to_owned(),
            texts,
        });
        Some(tree)
    }

    /// [`Self::nested_layers`] of a committed config: checked as a work tree's is, but for
    /// the paths it names, which no work tree holds to look at.
    fn committed_layers(&self, c: &Committed, dir: &str) -> Result<Option<Vec<Layer>>> {
        let Some((_, text)) = c.texts.iter().find(|(d, _)| d == dir) else {
            return Ok(None);
        };
        let check = |text: &str, table: &Table, file: &Path| {
            nested_allowed(text, table, file)?;
            check_file(text, file, None)
        };
        let loader = Loader::new(self.git_dir.as_deref(), self.refresh, &check);
        let origin = Origin::Committed {
            rev: c.rev.clone(),
            path: format!("{dir}/{FILE_NAME}"),
        };
        Ok(Some(loader.layers(origin, text.clone(), dir)?))
    }
}

impl Config {
    /// Attaches a nested-config tree built by [`ConfigTree::of_scan`] or
    /// [`ConfigTree::committed`].
    pub fn with_found_tree(mut self, tree: Option<ConfigTree>) -> Config {
        self.tree = tree.map(Arc::new);
        self
    }
}

impl ConfigTree {
    /// [`Self::stack_for`], and whether the built-in path lists go under the nested layers
    /// (no `root = true` on the way), as resolving it does (for `config --show`).
    pub fn stack_for_inheriting(&self, path: &RepoPath) -> Result<Option<(Vec<Layer>, bool)>> {
        self.dir_of(path.as_bytes())
            .map(|i| self.stack_inheriting(i))
            .transpose()
    }
}
