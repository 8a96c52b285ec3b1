//! Putting the user's versions back: the restore rule of the module doc, after a normal run, a
//! signal, or (by the next command) a kill. Each file goes `restoring` → written → verified →
//! `restored` in the journal's markers, so a restore cut short by a kill is finished by the next
//! one instead of being taken for a change to keep.

use std::path::{Path, PathBuf};

use super::journal::{self, Entry, Kind, Manifest, Progress, Step};
use super::worktree::{self, Perm, State};
use super::{crash, kept_dir, Restored};
use crate::error::{Error, Result};

/// Idempotent: running it twice (a kill in the middle of a restore, then recovery) ends in the
/// same state, with nothing kept twice. Removes the journal when every file is back.
pub(crate) fn restore_journal(dir: &Path, m: &Manifest, common: &Path) -> Result<Restored> {
    let mut out = Restored::default();
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut progress = Progress::open(dir);
    for e in &m.entries {
        if progress.reached(e.n, Step::Restored) {
            continue; // finished before a kill; the user may have edited it since
        }
        let saved_path = dir.join("files").join(e.n.to_string());
        let saved = std::fs::read(&saved_path).map_err(|err| Error::io(&saved_path, err))?;
        let want = saved_state(e, saved);
        let p = e.path.to_native(&m.workdir);
        let current = worktree::read_state(&p).map_err(|err| Error::io(&p, err))?;
        if matches_saved(&current, e, &want) {
            continue;
        }
        if !written_by_us(dir, common, &progress, e, &current, &want) {
            if let Some(aside) = keep_aside(common, &id, e, &current)? {
                out.kept_aside.push((e.path.clone(), aside));
            }
        }
        progress.mark(e.n, Step::Restoring);
        crash::point("restore", "marked");
        let perm = match e.kind {
            Kind::File(exec) => e.perm.map_or(Perm::Exec(exec), Perm::Exact),
            _ => Perm::Exec(false),
        };
        worktree::put(&p, &want, perm, "restore").map_err(|err| {
            Error::Other(format!(
                "cannot put back {}: {err}; your version is in {}",
                e.path,
                saved_path.display()
            ))
        })?;
        let now = worktree::read_state(&p).map_err(|err| Error::io(&p, err))?;
        if !matches_saved(&now, e, &want) {
            return Err(Error::Other(format!(
                "{} did not read back as saved; your version is in {}",
                e.path,
                saved_path.display()
            )));
        }
        progress.mark(e.n, Step::Restored);
        crash::point("restore", "done");
    }
    close(dir)?;
    Ok(out)
}

/// The manifest goes first: from then on the journal asks for nothing, so a kill while the rest
/// is deleted leaves a directory the next run simply removes.
fn close(dir: &Path) -> Result<()> {
    let manifest = dir.join("manifest");
    std::fs::remove_file(&manifest).map_err(|e| Error::io(&manifest, e))?;
    crash::point("restore", "closed");
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))
}

fn saved_state(e: &Entry, saved: Vec<u8>) -> State {
    match e.kind {
        Kind::File(exec) => State::File(saved, e.perm.unwrap_or(if exec { 0o755 } else { 0o644 })),
        Kind::Symlink => State::Link(saved),
        Kind::Absent => State::Absent,
    }
}

fn matches_saved(current: &State, e: &Entry, want: &State) -> bool {
    match (current, want) {
        (State::File(data, perm), State::File(saved, _)) => {
            let Kind::File(exec) = e.kind else {
                return false;
            };
            data == saved
                && match e.perm {
                    Some(p) => *perm == p,
                    None => worktree::is_exec(*perm) == exec,
                }
        }
        (State::Link(t), State::Link(saved)) => t == saved,
        (State::Absent, State::Absent) => true,
        _ => false,
    }
}

/// Whether the work tree holds something only we wrote: the staged version (whatever its
/// permissions), or a state a kill left half-way through our own write of the staged version
/// (hiding) or of the user's version (restoring).
fn written_by_us(
    dir: &Path,
    common: &Path,
    progress: &Progress,
    e: &Entry,
    current: &State,
    want: &State,
) -> bool {
    let hidden = match current {
        State::File(data, _) if !e.hidden_link => Some(data),
        State::Link(target) if e.hidden_link => Some(target),
        _ => None,
    };
    if hidden.is_some_and(|d| crate::git::objects::hash_blob(d).is_ok_and(|o| o == e.hidden)) {
        return true;
    }
    if progress.reached(e.n, Step::Restoring) && current.is_on_the_way_to(want) {
        return true;
    }
    if progress.reached(e.n, Step::Hiding) && !progress.reached(e.n, Step::Hidden) {
        if let Some(staged) = staged_version(dir, common, e) {
            return current.is_on_the_way_to(&staged);
        }
    }
    false
}

/// What hiding was writing: the copy in the journal when git's conversion changed it, else the
/// blob itself (only read after a kill in the middle of hiding, so opening the repository here
/// costs nothing on the normal path).
fn staged_version(dir: &Path, common: &Path, e: &Entry) -> Option<State> {
    let copy = dir.join("staged").join(e.n.to_string());
    let data = match worktree::read_state(&copy) {
        Ok(State::Absent) | Err(_) => crate::git::objects::read_blob(common, &e.hidden)?,
        Ok(state) => return Some(state),
    };
    Some(if e.hidden_link {
        State::Link(data)
    } else {
        State::File(data, 0)
    })
}

/// Copies what the work tree holds now to `hygiene/kept/<id>/`, listed once in its `list` file
/// (a restore repeated after a kill writes the same copy again, not a second one).
fn keep_aside(common: &Path, id: &str, e: &Entry, current: &State) -> Result<Option<PathBuf>> {
    let Some(data) = current.data() else {
        return Ok(None);
    };
    let dir = kept_dir(common).join(id);
    std::fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
    let dest = dir.join(e.n.to_string());
    journal::write_synced(&dest, data)?;
    crash::point("restore", "kept");
    let list = dir.join("list");
    let line = format!("{} {}\n", e.n, journal::encode(e.path.as_bytes()));
    let mut text = std::fs::read(&list).unwrap_or_default();
    if !text
        .split(|&b| b == b'\n')
        .any(|l| l == line.trim_end().as_bytes())
    {
        text.extend_from_slice(line.as_bytes());
        std::fs::write(&list, text).map_err(|err| Error::io(&list, err))?;
    }
    Ok(Some(dest))
}
