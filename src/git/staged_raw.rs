//! What is staged against HEAD, as `git diff-index --cached --raw` lists it. git reads the index
//! without re-hashing it and skips unchanged directories through the index's cache tree; libgit2
//! hashed the whole index (SHA-1 with collision detection) and walked every tree of HEAD. On a
//! 2,900-file repository that was 48 M instructions against git's 5 M. Blob pairs are not diffed
//! here: a modified file's added lines are found on first use (`ChangeSet::added`), so a hook that
//! only needs paths never reads a blob.
//!
//! git's answer is kept in the git dir, keyed on the index file and HEAD, so commit-msg, which
//! runs a moment after pre-commit on the same index, reuses it without starting git again.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::changeset::{Added, AddedLines, ChangedFile, FileStatus, Source};
use crate::error::{Error, Result};
use crate::git::cmd::git_cmd_on_index;
use crate::path::RepoPath;

const MODE_LINK: &[u8] = b"120000";
const MODE_GITLINK: &[u8] = b"160000";

/// The files staged in `index` (`None`: the default index) against commit `head`, renames
/// paired up as `git diff -M` pairs them. Submodules are left out.
pub fn staged_files(
    git_dir: &Path,
    workdir: &Path,
    index: Option<&Path>,
    head: &str,
) -> Result<Vec<ChangedFile>> {
    let cache = Cache::new(git_dir, index, head);
    if let Some(raw) = cache.as_ref().and_then(Cache::read) {
        if let Ok(files) = parse(&raw) {
            return Ok(files);
        }
    }
    let raw = diff_index(git_dir, workdir, index, head)?;
    let files = parse(&raw)?;
    if let Some(cache) = cache {
        cache.write(&raw);
    }
    Ok(files)
}

fn diff_index(git_dir: &Path, workdir: &Path, index: Option<&Path>, head: &str) -> Result<Vec<u8>> {
    let out = git_cmd_on_index(index)
        .arg("--git-dir")
        .arg(git_dir)
        .args([
            "diff-index",
            "--cached",
            "-z",
            "-M",
            "--no-abbrev",
            "--ignore-submodules",
            head,
            "--",
        ])
        .current_dir(workdir)
        .output()
        .map_err(|e| Error::Git(format!("cannot run git diff-index: {e}")))?;
    if !out.status.success() {
        return Err(Error::Git(format!(
            "git diff-index --cached failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// The last answer of `diff_index`, valid while the index file (path, size, time and the
/// checksum git writes at its end) and HEAD are the same. An index written without a checksum
/// (`index.skipHash`) is never cached: size and time alone can miss a rewrite.
struct Cache {
    file: PathBuf,
    key: String,
}

impl Cache {
    fn new(git_dir: &Path, index: Option<&Path>, head: &str) -> Option<Cache> {
        let index = index.map_or_else(|| git_dir.join("index"), Path::to_path_buf);
        let mut f = std::fs::File::open(&index).ok()?;
        let meta = f.metadata().ok()?;
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        // The checksum: the last 20 bytes (SHA-1) or 32 (SHA-256); 32 covers both.
        let mut tail = [0u8; 32];
        f.seek(SeekFrom::End(-(tail.len() as i64))).ok()?;
        f.read_exact(&mut tail).ok()?;
        if tail[12..].iter().all(|&b| b == 0) {
            return None;
        }
        let tail: String = tail.iter().map(|b| format!("{b:02x}")).collect();
        Some(Cache {
            file: git_dir.join("hygiene").join("staged.cache"),
            key: format!(
                "v1 {} {} {} {tail} {head}\n",
                index.display(),
                meta.len(),
                modified.as_nanos()
            ),
        })
    }

    fn read(&self) -> Option<Vec<u8>> {
        let data = std::fs::read(&self.file).ok()?;
        data.strip_prefix(self.key.as_bytes()).map(<[u8]>::to_vec)
    }

    /// Best effort: a repository the hook cannot write to just asks git every time. Written
    /// to a temporary name and renamed, so a reader never sees half an answer.
    fn write(&self, raw: &[u8]) {
        let Some(dir) = self.file.parent() else {
            return;
        };
        let tmp = dir.join(format!("staged.cache.{}", std::process::id()));
        let mut data = Vec::with_capacity(self.key.len() + raw.len());
        data.extend_from_slice(self.key.as_bytes());
        data.extend_from_slice(raw);
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, &data))
            .and_then(|()| std::fs::rename(&tmp, &self.file));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Parses `--raw -z` records: `:<old mode> <new mode> <old id> <new id> <status>\0<path>\0`,
/// with a second path after a rename or copy.
fn parse(raw: &[u8]) -> Result<Vec<ChangedFile>> {
    let mut fields = raw.split(|&b| b == 0);
    let mut files = Vec::new();
    while let Some(meta) = fields.next() {
        if meta.is_empty() {
            continue;
        }
        let bad = || {
            Error::Git(format!(
                "unexpected git diff-index output: {}",
                String::from_utf8_lossy(meta)
            ))
        };
        let meta = meta.strip_prefix(b":").ok_or_else(bad)?;
        let parts: Vec<&[u8]> = meta.split(|&b| b == b' ').collect();
        let [old_mode, new_mode, old_id, new_id, status] = parts[..] else {
            return Err(bad());
        };
        let letter = status.first().copied().ok_or_else(bad)?;
        let mut next_path = || fields.next().filter(|p| !p.is_empty()).ok_or_else(bad);
        let first = next_path()?;
        let (old_path, path) = if matches!(letter, b'R' | b'C') {
            (Some(first), next_path()?)
        } else {
            (None, first)
        };
        if old_mode == MODE_GITLINK || new_mode == MODE_GITLINK {
            continue;
        }
        let (status, added) = match letter {
            b'A' => (FileStatus::Added, Added::known(AddedLines::All)),
            b'D' => (
                FileStatus::Deleted,
                Added::known(AddedLines::Ranges(Vec::new())),
            ),
            b'M' => (FileStatus::Modified, Added::against_old()),
            b'R' if status == b"R100" => (
                FileStatus::Renamed,
                Added::known(AddedLines::Ranges(Vec::new())),
            ),
            b'R' => (FileStatus::Renamed, Added::against_old()),
            b'C' => (FileStatus::Copied, Added::against_old()),
            b'T' => (FileStatus::TypeChanged, Added::known(AddedLines::All)),
            // Unmerged paths (a conflict still in the index) and unknown letters: nothing that
            // can be committed as it stands.
            _ => continue,
        };
        let old_blob = (!is_null(old_id)).then(|| String::from_utf8_lossy(old_id).into_owned());
        files.push(ChangedFile {
            path: RepoPath::from_bytes(path.to_vec()),
            status,
            old_path: old_path.map(|p| RepoPath::from_bytes(p.to_vec())),
            source: if status == FileStatus::Deleted {
                Source::None
            } else {
                Source::Blob(String::from_utf8_lossy(new_id).into_owned())
            },
            old_blob,
            added,
            commit: None,
            is_symlink: new_mode == MODE_LINK,
            read: Default::default(),
        });
    }
    Ok(files)
}

fn is_null(id: &[u8]) -> bool {
    id.iter().all(|&b| b == b'0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::cmd::test_git as git;
    use crate::git::cmd::test_ids::{A, B, Z};

    #[test]
    fn parses_every_status_and_skips_submodules() {
        let raw = format!(
            ":000000 100644 {Z} {A} A\0new.txt\0\
             :100644 100644 {A} {B} M\0src/é.rs\0\
             :100644 000000 {A} {Z} D\0gone.txt\0\
             :100644 100644 {A} {B} R086\0old name.rs\0new name.rs\0\
             :100644 100644 {A} {A} R100\0a.rs\0b.rs\0\
             :160000 160000 {A} {B} M\0vendor/sub\0\
             :100644 120000 {A} {B} T\0link\0"
        );
        let files = parse(raw.as_bytes()).unwrap();
        let summary: Vec<(String, FileStatus, Option<String>)> = files
            .iter()
            .map(|f| {
                (
                    f.path.to_string(),
                    f.status,
                    f.old_path.as_ref().map(|p| p.to_string()),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("new.txt".into(), FileStatus::Added, None),
                ("src/é.rs".into(), FileStatus::Modified, None),
                ("gone.txt".into(), FileStatus::Deleted, None),
                (
                    "new name.rs".into(),
                    FileStatus::Renamed,
                    Some("old name.rs".into())
                ),
                ("b.rs".into(), FileStatus::Renamed, Some("a.rs".into())),
                ("link".into(), FileStatus::TypeChanged, None),
            ]
        );
        assert!(files[0].old_blob.is_none());
        assert_eq!(files[1].old_blob.as_deref(), Some(A));
        assert!(
            files[1].added.get().is_none(),
            "modified: found on first use"
        );
        assert!(
            files[4].added.is_known_empty(),
            "an exact rename adds nothing"
        );
        assert!(matches!(files[2].source, Source::None));
        assert!(files[5].is_symlink);
    }

    #[test]
    fn the_cached_answer_holds_only_while_the_index_and_head_are_the_same() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        git(dir, &["init", "-q"]);
        std::fs::write(dir.join("a.txt"), "one\n").unwrap();
        git(dir, &["add", "a.txt"]);
        git(dir, &["commit", "-q", "-m", "init"]);
        let head = git(dir, &["rev-parse", "HEAD"]);
        let git_dir = dir.join(".git");
        let paths = || -> Vec<String> {
            staged_files(&git_dir, dir, None, &head)
                .unwrap()
                .iter()
                .map(|f| f.path.to_string())
                .collect()
        };
        std::fs::write(dir.join("b.txt"), "two\n").unwrap();
        git(dir, &["add", "b.txt"]);
        assert_eq!(paths(), ["b.txt"]);
        assert!(git_dir.join("hygiene/staged.cache").exists());
        assert_eq!(paths(), ["b.txt"], "answered from the cache");
        // A changed index (same second, same size class) is a new question.
        std::fs::write(dir.join("c.txt"), "two\n").unwrap();
        git(dir, &["add", "c.txt"]);
        assert_eq!(paths(), ["b.txt", "c.txt"]);
        git(dir, &["rm", "-q", "--cached", "c.txt"]);
        assert_eq!(paths(), ["b.txt"]);
        // Another HEAD is a new question too.
        git(dir, &["commit", "-q", "-m", "b"]);
        let head2 = git(dir, &["rev-parse", "HEAD"]);
        let files = staged_files(&git_dir, dir, None, &head2).unwrap();
        assert!(files.is_empty(), "nothing staged against the new HEAD");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse(b":100644 100644\0x\0").is_err());
        assert!(parse(b"no colon\0x\0").is_err());
        assert!(parse(format!(":100644 100644 {A} {B} M\0").as_bytes()).is_err());
    }
}
