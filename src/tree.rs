//! `scan PATH…`: a directory tree walked in parallel with `ignore` (honours .gitignore), as a
//! change set in which every line of every file is new.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::changeset::{ChangeSet, ChangedFile, Mode};
use crate::content::ContentStore;
use crate::error::{Error, Result};
use crate::path::RepoPath;

/// Walks `paths` (relative to `root` or absolute inside it). Hidden files are included (a
/// committed `.env` is exactly what we look for); `.git` directories are not.
pub fn changeset(root: &Path, paths: &[PathBuf], threads: usize) -> Result<ChangeSet> {
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let mut cs = ChangeSet::new(Mode::Scan, root.clone(), ContentStore::disk(root.clone()));
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
    let errors = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                    let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
                    if let Ok(mut v) = found.lock() {
                        v.push(RepoPath::from_native(rel));
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    if let Ok(mut v) = errors.lock() {
                        v.push(err.to_string());
                    }
                }
            }
            WalkState::Continue
        })
    });
    let mut files = found.into_inner().unwrap_or_default();
    files.sort();
    cs.files = files.into_iter().map(ChangedFile::on_disk).collect();
    for e in errors.into_inner().unwrap_or_default() {
        crate::out::eprintln(&format!("git-hygiene: note: skipped: {e}"));
    }
    Ok(cs)
}
