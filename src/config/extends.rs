//! `extends = ["../policy.toml", { git = "URL", rev = "REF", path = "FILE" }]`: the files a
//! config builds on, read before it so its own keys override theirs. A relative path is
//! relative to the extending file (inside a git source: to that file in the same repository at
//! the same rev). Each file is checked on its own first, so an unknown key is reported in the
//! file that holds it; a cycle, a missing file or a source that cannot be fetched is reported
//! at the `extends` entry that names it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Table;

use super::spans::Step;
use crate::error::{Error, Result};
use crate::git::policy_cache::{self, GitSource};

/// One entry of `extends`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    untagged,
    expecting = "a path (\"../policy.toml\") or { git = \"URL\", rev = \"TAG or commit\", path = \"FILE\" }"
)]
pub enum Source {
    File(String),
    Git(GitRef),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitRef {
    pub git: String,
    pub rev: String,
    pub path: String,
}

/// Where a config file was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    Disk(PathBuf),
    Git {
        url: String,
        rev: String,
        path: String,
    },
    /// A file of this repository as committed at `rev`, read from objects (a bare repository
    /// has no work tree to hold it).
    Committed {
        rev: String,
        path: String,
    },
}

impl Origin {
    /// How errors and `config --show` name it.
    pub fn label(&self) -> PathBuf {
        match self {
            Origin::Disk(p) => p.clone(),
            Origin::Git { url, rev, path } => PathBuf::from(format!("{url}@{rev}:{path}")),
            Origin::Committed { rev, path } => PathBuf::from(format!("{rev}:{path}")),
        }
    }
}

/// One file of a stack, read and checked, with the repository directory it speaks for.
#[derive(Debug, Clone)]
pub struct Layer {
    pub origin: Origin,
    pub text: String,
    pub table: Table,
    /// The repository directory of the `.hygiene.toml` that brought it in (`""`: the root).
    pub dir: String,
}

/// Reads files and their `extends`.
pub struct Loader<'a> {
    /// Where git sources are cached; `None` (no repository): a git source is an error.
    pub git_dir: Option<&'a Path>,
    /// Fetch every git source again (`policy update`).
    pub refresh: bool,
    /// Checks one file on its own (the typed parse, with located errors), given its text and
    /// its table (empty when the text is not TOML: the typed parse then says where).
    pub check: &'a dyn Fn(&str, &Table, &Path) -> Result<()>,
    fetched: std::cell::RefCell<HashSet<(String, String)>>,
}

impl<'a> Loader<'a> {
    pub fn new(
        git_dir: Option<&'a Path>,
        refresh: bool,
        check: &'a dyn Fn(&str, &Table, &Path) -> Result<()>,
    ) -> Self {
        Loader {
            git_dir,
            refresh,
            check,
            fetched: Default::default(),
        }
    }

    /// `text` (from `origin`) and everything it extends, in merge order: the shared files
    /// first, the file itself last.
    pub fn layers(&self, origin: Origin, text: String, dir: &str) -> Result<Vec<Layer>> {
        let mut out = Vec::new();
        self.expand(origin, text, dir, &mut Vec::new(), &mut out)?;
        Ok(out)
    }

    fn expand(
        &self,
        origin: Origin,
        text: String,
        dir: &str,
        stack: &mut Vec<Origin>,
        out: &mut Vec<Layer>,
    ) -> Result<()> {
        let label = origin.label();
        // One parse into a table serves the checks and the merge.
        let table: Table = match toml::from_str(&text) {
            Ok(t) => t,
            Err(e) => {
                (self.check)(&text, &Table::new(), &label)?;
                return Err(at(&label, &text, &[], e.message()));
            }
        };
        (self.check)(&text, &table, &label)?;
        let sources: Vec<Source> = match table.get("extends") {
            Some(v) => v.clone().try_into().map_err(|e: toml::de::Error| {
                at(&label, &text, &[Step::Key("extends")], e.message())
            })?,
            None => Vec::new(),
        };
        stack.push(origin.clone());
        for (i, src) in sources.iter().enumerate() {
            let where_ = [Step::Key("extends"), Step::Index(i)];
            let fail = |m: String| at(&label, &text, &where_, &m);
            let next = self.resolve(&origin, src).map_err(&fail)?;
            if let Some(first) = stack.iter().position(|o| *o == next) {
                let chain: Vec<String> = stack[first..]
                    .iter()
                    .chain(std::iter::once(&next))
                    .map(|o| o.label().display().to_string())
                    .collect();
                return Err(fail(format!(
                    "`extends` makes a cycle ({}): remove one of these entries",
                    chain.join(" → ")
                )));
            }
            let next_text = self.read(&next).map_err(&fail)?;
            self.expand(next, next_text, dir, stack, out)?;
        }
        stack.pop();
        out.push(Layer {
            origin,
            text,
            table,
            dir: dir.to_owned(),
        });
        Ok(())
    }

    /// The file `src` names, seen from `from`.
    fn resolve(&self, from: &Origin, src: &Source) -> std::result::Result<Origin, String> {
        match (src, from) {
            (Source::File(p), _) if p.trim().is_empty() => {
                Err("an empty path in `extends`: name the file to build on".into())
            }
            (Source::File(p), Origin::Disk(file)) => {
                let base = file.parent().unwrap_or(Path::new(""));
                Ok(Origin::Disk(normalize(&base.join(p))))
            }
            (Source::File(p), Origin::Git { url, rev, path }) => {
                let joined = Path::new(path).parent().unwrap_or(Path::new("")).join(p);
                Ok(Origin::Git {
                    url: url.clone(),
                    rev: rev.clone(),
                    path: inside(&joined.to_string_lossy())?,
                })
            }
            (Source::File(p), Origin::Committed { rev, path }) => {
                let joined = Path::new(path).parent().unwrap_or(Path::new("")).join(p);
                let path = inside(&joined.to_string_lossy()).map_err(|_| {
                    format!("`{p}` leads outside the repository: name a file inside it")
                })?;
                Ok(Origin::Committed {
                    rev: rev.clone(),
                    path,
                })
            }
            (Source::Git(g), _) => {
                if g.git.trim().is_empty() || g.rev.trim().is_empty() {
                    return Err("a git source needs `git` (the URL) and `rev` (a tag or commit id): the rev pins what every machine and CI reads".into());
                }
                Ok(Origin::Git {
                    url: g.git.clone(),
                    rev: g.rev.clone(),
                    path: inside(&g.path)?,
                })
            }
        }
    }

    fn read(&self, origin: &Origin) -> std::result::Result<String, String> {
        match origin {
            Origin::Disk(p) => std::fs::read_to_string(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "`extends` names {}, which does not exist: fix the path (it is relative to this file)",
                    p.display()
                ),
                _ => format!("cannot read {}: {e}", p.display()),
            }),
            Origin::Git { url, rev, path } => {
                let git_dir = self.git_dir.ok_or_else(|| {
                    "a git source in `extends` needs a repository to cache it in".to_owned()
                })?;
                let first = self.fetched.borrow_mut().insert((url.clone(), rev.clone()));
                let src = GitSource { url, rev, path };
                let copy = policy_cache::file(git_dir, &src, self.refresh && first)
                    .map_err(|e| e.to_string())?;
                std::fs::read_to_string(&copy).map_err(|e| format!("cannot read {}: {e}", copy.display()))
            }
            Origin::Committed { rev, path } => {
                use crate::content::ContentStore;
                let git_dir = self.git_dir.ok_or_else(|| {
                    format!("`extends` names {rev}:{path}, and there is no repository to read it from")
                })?;
                let store = crate::git::store::GitStore {
                    git_dir: git_dir.to_path_buf(),
                    workdir: None,
                    index_file: None,
                    batch: false,
                };
                match store.file_at(rev, &crate::path::RepoPath::from(path.as_str())) {
                    Ok(Some(bytes)) => String::from_utf8(bytes)
                        .map_err(|_| format!("{rev}:{path} is not UTF-8 text: save it as UTF-8")),
                    Ok(None) => Err(format!(
                        "`extends` names {rev}:{path}, which is not committed there: fix the path (it is relative to this file)"
                    )),
                    Err(e) => Err(format!("cannot read {rev}:{path}: {e}")),
                }
            }
        }
    }
}

/// A path inside a repository (no `..` out of it, not absolute), with `/` separators.
fn inside(path: &str) -> std::result::Result<String, String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "`{path}` leads outside the policy repository: write a path inside it"
                    ));
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() || path.starts_with('/') {
        return Err(format!(
            "`path = \"{path}\"`: name a file inside the policy repository, e.g. \"policy.toml\""
        ));
    }
    Ok(parts.join("/"))
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

fn at(file: &Path, text: &str, path: &[Step<'_>], message: &str) -> Error {
    let offset = super::spans::offset_of(text, path);
    let (line, column) = super::line_col(text, offset);
    Error::Config {
        file: file.to_path_buf(),
        line,
        column,
        message: message.lines().map(str::trim).collect::<Vec<_>>().join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(_: &str, _: &Table, _: &Path) -> Result<()> {
        Ok(())
    }

    #[test]
    fn a_committed_files_relative_extends_stays_in_the_commit() {
        let loader = Loader::new(None, false, &ok);
        let from = |text: &str| {
            let origin = Origin::Committed {
                rev: "HEAD".into(),
                path: "packages/api/.hygiene.toml".into(),
            };
            match loader.layers(origin, text.into(), "packages/api") {
                Err(Error::Config { message, line, .. }) => (line, message),
                other => panic!("{other:?}"),
            }
        };
        let (line, m) = from("extends = [\"../../../up.toml\"]\n");
        assert_eq!(line, 1);
        assert!(m.contains("leads outside the repository"), "{m}");
        let (_, m) = from("extends = [\"./../shared.toml\"]\n");
        assert!(m.contains("HEAD:packages/shared.toml"), "{m}");
    }

    #[test]
    fn shared_files_come_first_and_relative_paths_follow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("org")).unwrap();
        std::fs::write(
            dir.path().join("org/base.toml"),
            "[secrets]\nallow_paths = [\"b\"]\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("org/policy.toml"),
            "extends = [\"base.toml\"]\n",
        )
        .unwrap();
        let top = dir.path().join("repo/.hygiene.toml");
        let loader = Loader::new(None, false, &ok);
        let layers = loader
            .layers(
                Origin::Disk(top),
                "extends = [\"../org/policy.toml\"]\n".into(),
                "",
            )
            .unwrap();
        let names: Vec<String> = layers
            .iter()
            .map(|l| {
                l.origin
                    .label()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["base.toml", "policy.toml", ".hygiene.toml"]);
    }

    #[test]
    fn a_cycle_is_located_at_the_entry_that_closes_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "extends = [\"b.toml\"]\n").unwrap();
        std::fs::write(dir.path().join("b.toml"), "\n\nextends = [\"a.toml\"]\n").unwrap();
        let loader = Loader::new(None, false, &ok);
        let text = std::fs::read_to_string(dir.path().join("a.toml")).unwrap();
        let e = loader
            .layers(Origin::Disk(dir.path().join("a.toml")), text, "")
            .unwrap_err();
        let Error::Config {
            file,
            line,
            message,
            ..
        } = e
        else {
            panic!("{e}")
        };
        assert!(file.ends_with("b.toml"), "{}", file.display());
        assert_eq!(line, 3);
        assert!(message.contains("cycle"), "{message}");
    }

    #[test]
    fn git_paths_stay_inside_their_repository() {
        assert_eq!(inside("org/./p.toml").unwrap(), "org/p.toml");
        assert!(inside("../p.toml").is_err());
        assert!(inside("").is_err());
    }
}
