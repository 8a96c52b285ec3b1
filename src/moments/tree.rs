//! `scan PATH…` and `baseline`: a directory tree walked in parallel with `ignore` (honours
//! .gitignore), as a change set in which every line of every file is new.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};

use crate::changeset::{ChangeSet, ChangedFile, Mode};
use crate::content::DiskStore;
use crate::error::{Error, Result};
use crate::git::work_tree_of;
use crate::path::RepoPath;
use crate::unread::Unread;

/// What `scan PATH…` walks: the tree that holds the first path, and every path relative to it.
pub struct Scope {
    pub root: PathBuf,
    pub paths: Vec<PathBuf>,
}

impl Scope {
    /// `paths` as given on the command line (relative to the current directory); none means
    /// the current directory's tree.
    pub fn of(paths: &[PathBuf]) -> Result<Scope> {
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        let first = paths
            .first()
            .map(|p| cwd.join(p))
            .unwrap_or_else(|| cwd.clone());
        let root = scan_root(&first)?;
        let rel = paths
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
        Ok(Scope { root, paths: rel })
    }
}

/// The git work tree that holds `start`, else `start` itself if it is a directory, else its parent.
fn scan_root(start: &Path) -> Result<PathBuf> {
    let start = start.canonicalize().map_err(|e| Error::io(start, e))?;
    if let Some(w) = work_tree_of(&start) {
        return w.canonicalize().map_err(|e| Error::io(&w, e));
    }
    Ok(if start.is_dir() {
        start
    } else {
        start.parent().map(Path::to_path_buf).unwrap_or(start)
    })
}

/// Walks `paths` (relative to `root` or absolute inside it). Hidden files are included (a
/// committed `.env` is exactly what we look for); `.git` directories are not.
pub fn changeset(root: &Path, paths: &[PathBuf], threads: usize) -> Result<ChangeSet> {
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let store = Arc::new(DiskStore { root: root.clone() });
    let mut cs = ChangeSet::new(Mode::Scan, root.clone(), store);
    let starts: Vec<PathBuf> = if paths.is_empty() {
        vec![root.clone()]
    } else {
        paths.iter().map(|p| root.join(p)).collect()
    };
    for s in &starts {
        if !s.exists() {
            return Err(Error::Usage(format!(
                "{}: no such file or directory",
                s.display()
            )));
        }
    }
    let mut builder = WalkBuilder::new(&starts[0]);
    for s in &starts[1..] {
        builder.add(s);
    }
    builder
        .hidden(false)
        .threads(threads)
        .filter_entry(|e| e.file_name() != ".git");
    let found = Mutex::new(Vec::new());
    let unread = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let rel = |p: &Path| RepoPath::from_native(p.strip_prefix(&root).unwrap_or(p));
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    if let Ok(mut v) = found.lock() {
                        v.push(rel(e.path()));
                    }
                }
                // A FIFO, socket or device: reading it could block or never end.
                Ok(e)
                    if e.file_type()
                        .is_some_and(|t| !t.is_dir() && !t.is_symlink()) =>
                {
                    if let Ok(mut v) = unread.lock() {
                        v.push(Unread {
                            path: rel(e.path()),
                            commit: None,
                            reason: "not a regular file".to_owned(),
                        });
                    }
                }
                Ok(_) => {}
                Err(err) => match unread_entry(&err) {
                    Some((path, io)) => {
                        if let Ok(mut v) = unread.lock() {
                            v.push(Unread {
                                path: rel(path),
                                commit: None,
                                reason: crate::unread::reason(io),
                            });
                        }
                    }
                    None => {
                        if let Ok(mut v) = errors.lock() {
                            v.push(err.to_string());
                        }
                    }
                },
            }
            WalkState::Continue
        })
    });
    let mut files = found.into_inner().unwrap_or_default();
    files.sort();
    cs.files = files.into_iter().map(ChangedFile::on_disk).collect();
    cs.unread = unread.into_inner().unwrap_or_default();
    // Walk errors with no path to name (a bad glob in an ignore file) stay notes on stderr.
    for e in errors.into_inner().unwrap_or_default() {
        crate::out::eprintln(&format!(
            "git-hygiene: note: {}",
            crate::error::one_line(&e)
        ));
    }
    Ok(cs)
}

/// The path and the cause when the walk could not read a directory or a file's type.
fn unread_entry(err: &ignore::Error) -> Option<(&Path, &std::io::Error)> {
    match err {
        ignore::Error::WithDepth { err, .. } => unread_entry(err),
        ignore::Error::WithPath { path, err } => Some((path.as_path(), err.io_error()?)),
        _ => None,
    }
}
