//! A history range read through one `git log --raw`: its commits, oldest first, and the files
//! each changed against its first parent. git walks the range with its commit-graph and diffs
//! trees in C on one core; libgit2 took 1.0 s of both cores on rust-lang/cargo's 23,000 commits,
//! against 0.3 s here, and that work came before any file could be scanned.
//!
//! A long range is listed first and logged in parts on every core.
//!
//! The answer is the same as `Repo::commits` plus `commit_files`: merges contribute no files,
//! a root commit adds every file, submodules are left out, and exact renames are paired up by
//! `treediff::changed_files`, not by git's similarity detection.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;

use git2::Oid;

use super::cmd::{git_cmd, succeeded};
use super::treediff::{changed_files, Change, Side, MODE_GITLINK};
use crate::changeset::{ChangedFile, Commit};
use crate::error::{Error, Result};

/// Ranges of at least this many commits are listed first and logged in parts, one `git log`
/// per core: git diffs trees on one core, and nothing else can run until it has finished.
const SPLIT_FROM: usize = 2000;

/// Commits and changed files of `head` minus what `base` reaches.
pub fn read(
    git_dir: &Path,
    base: Option<Oid>,
    head: Oid,
) -> Result<(Vec<Commit>, Vec<ChangedFile>)> {
    let parts = rayon::current_num_threads().clamp(1, 4);
    read_in_parts(git_dir, base, head, parts, SPLIT_FROM)
}

fn read_in_parts(
    git_dir: &Path,
    base: Option<Oid>,
    head: Oid,
    parts: usize,
    split_from: usize,
) -> Result<(Vec<Commit>, Vec<ChangedFile>)> {
    let mut revs = vec![head.to_string()];
    revs.extend(base.map(|b| format!("^{b}")));
    if parts < 2 {
        return log(git_dir, Walk::Range(&revs));
    }
    let ids = rev_list(git_dir, &revs)?;
    if ids.len() < split_from {
        return log(git_dir, Walk::Range(&revs));
    }
    let chunks: Vec<&[String]> = ids.chunks(ids.len().div_ceil(parts)).collect();
    let results: Vec<Result<(Vec<Commit>, Vec<ChangedFile>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| s.spawn(move || log(git_dir, Walk::Listed(chunk))))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Error::Other("internal: a `git log` reader stopped".into()))
                })
            })
            .collect()
    });
    let (mut commits, mut files) = (Vec::with_capacity(ids.len()), Vec::new());
    for r in results {
        let (c, f) = r?;
        commits.extend(c);
        files.extend(f);
    }
    Ok((commits, files))
}

/// What one `git log` lists: a range it walks itself, or given commits, oldest first.
enum Walk<'a> {
    Range(&'a [String]),
    Listed(&'a [String]),
}

/// The commits of `revs`, oldest first, parents before children.
fn rev_list(git_dir: &Path, revs: &[String]) -> Result<Vec<String>> {
    let out = git_cmd()
        .arg("--git-dir")
        .arg(git_dir)
        .args([
            "--no-replace-objects",
            "rev-list",
            "--topo-order",
            "--reverse",
        ])
        .args(revs)
        .arg("--")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Git(format!("cannot run `git rev-list`: {e}; is git on PATH?")))?;
    succeeded("rev-list", &out)?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

fn log(git_dir: &Path, walk: Walk<'_>) -> Result<(Vec<Commit>, Vec<ChangedFile>)> {
    let mut cmd = git_cmd();
    cmd.arg("--git-dir")
        .arg(git_dir)
        // libgit2, which judges everything else, does not follow replace refs either.
        .arg("--no-replace-objects")
        .args([
            "log",
            "-z",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--root",
            "--diff-merges=off",
            "--no-color",
            "--no-show-signature",
            // A record: 0x01, `id parents`, author, message, each ended by NUL.
            "--format=%x01%H %P%x00%an <%ae>%x00%B",
        ]);
    match walk {
        Walk::Range(revs) => cmd.args(["--topo-order", "--reverse"]).args(revs),
        Walk::Listed(_) => cmd.args(["--no-walk=unsorted", "--stdin"]),
    };
    let mut child = cmd
        .arg("--")
        .stdin(match walk {
            Walk::Range(_) => Stdio::null(),
            Walk::Listed(_) => Stdio::piped(),
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Git(format!("cannot run `git log`: {e}; is git on PATH?")))?;
    if let (Walk::Listed(ids), Some(mut stdin)) = (&walk, child.stdin.take()) {
        // git reads every id before it writes anything, so this cannot block on its output.
        let mut list = String::with_capacity(ids.len() * 41);
        for id in *ids {
            list.push_str(id);
            list.push('\n');
        }
        let _ = stdin.write_all(list.as_bytes());
    }
    let Some(stdout) = child.stdout.take() else {
        return Err(Error::Git("`git log` started without a pipe".into()));
    };
    let parsed = parse(BufReader::with_capacity(1 << 16, stdout));
    let out = child
        .wait_with_output()
        .map_err(|e| Error::Git(format!("`git log` did not finish: {e}")))?;
    succeeded("log", &out)?;
    parsed
}

/// Parses the records `read` asks for.
fn parse(mut input: impl BufRead) -> Result<(Vec<Commit>, Vec<ChangedFile>)> {
    let bad = |what: &str| Error::Git(format!("unexpected `git log` output: {what}"));
    let mut commits = Vec::new();
    let mut files = Vec::new();
    let mut field = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    loop {
        match peek(&mut input)? {
            None => break,
            Some(0x01) => input.consume(1),
            Some(_) => return Err(bad("a commit record does not start where expected")),
        }
        let ids = read_field(&mut input, &mut field)?;
        let mut ids = ids.split(' ');
        let id = ids
            .next()
            .filter(|i| !i.is_empty())
            .ok_or_else(|| bad("no commit id"))?;
        let parents: Vec<String> = ids.filter(|p| !p.is_empty()).map(str::to_owned).collect();
        let (id, author) = (id.to_owned(), read_field(&mut input, &mut field)?);
        let message = read_field(&mut input, &mut field)?;
        // The raw entries, when the commit changed files: a newline, then `:meta\0path\0`…
        changes.clear();
        if peek(&mut input)? == Some(b'\n') {
            input.consume(1);
            while peek(&mut input)? == Some(b':') {
                let meta = read_field(&mut input, &mut field)?;
                let path = read_bytes(&mut input, &mut field)?;
                if let Some(c) = change_of(&meta, path).ok_or_else(|| bad(&meta))? {
                    changes.push(c);
                }
            }
        }
        files.extend(changed_files(&changes, &id));
        commits.push(Commit {
            id,
            parents,
            message,
            author,
        });
    }
    Ok((commits, files))
}

/// One raw entry, `:<old mode> <new mode> <old id> <new id> <status>`, as a change of blobs;
/// `Some(None)` for an entry with no blob on either side (a submodule), `None` if malformed.
fn change_of(meta: &str, path: Vec<u8>) -> Option<Option<Change>> {
    let mut parts = meta.strip_prefix(':')?.split(' ');
    let (old_mode, new_mode) = (parts.next()?, parts.next()?);
    let (old_id, new_id) = (parts.next()?, parts.next()?);
    let side = |mode: &str, id: &str| -> Option<Option<Side>> {
        let mode = i32::from_str_radix(mode, 8).ok()?;
        let id = Oid::from_str(id).ok()?;
        Some((mode != 0 && mode != MODE_GITLINK).then_some(Side { id, mode }))
    };
    let (old, new) = (side(old_mode, old_id)?, side(new_mode, new_id)?);
    Some((old.is_some() || new.is_some()).then_some(Change { path, old, new }))
}

fn peek(input: &mut impl BufRead) -> Result<Option<u8>> {
    let buf = input
        .fill_buf()
        .map_err(|e| Error::Git(format!("cannot read `git log`'s output: {e}")))?;
    Ok(buf.first().copied())
}

/// The bytes up to the next NUL (which is consumed).
fn read_bytes(input: &mut impl BufRead, buf: &mut Vec<u8>) -> Result<Vec<u8>> {
    buf.clear();
    input
        .read_until(0, buf)
        .map_err(|e| Error::Git(format!("cannot read `git log`'s output: {e}")))?;
    if buf.pop() != Some(0) {
        return Err(Error::Git(
            "`git log`'s output ended inside a record".into(),
        ));
    }
    Ok(std::mem::take(buf))
}

fn read_field(input: &mut impl BufRead, buf: &mut Vec<u8>) -> Result<String> {
    let bytes = read_bytes(input, buf)?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::FileStatus;
    use crate::git::cmd::test_git as git;
    use crate::git::cmd::test_ids::{A, B, Z};

    #[test]
    fn parses_commits_with_and_without_files() {
        let raw = format!(
            "\x01c1 \0Ann <a@x>\0root\n\0\n:000000 100644 {Z} {A} A\0a.txt\0\
             \x01m1 c1 c2\0Bo <b@x>\0Merge\n\0\
             \x01c3 m1\0José <j@x>\0fix: é\n\nbody\n\0\n\
             :100644 100644 {A} {B} M\0a.txt\0:160000 160000 {A} {B} M\0sub\0\
             :100644 000000 {B} {Z} D\0gone\0:000000 120000 {Z} {B} A\0link\0"
        );
        let (commits, files) = parse(raw.as_bytes()).unwrap();
        let ids: Vec<&str> = commits.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c1", "m1", "c3"]);
        assert_eq!(commits[1].parents, ["c1", "c2"]);
        assert!(commits[0].parents.is_empty());
        assert_eq!(commits[2].author, "José <j@x>");
        assert_eq!(commits[2].message, "fix: é\n\nbody\n");
        let got: Vec<(String, FileStatus, &str)> = files
            .iter()
            .map(|f| {
                (
                    f.path.to_string(),
                    f.status,
                    f.commit.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a.txt".into(), FileStatus::Added, "c1"),
                ("a.txt".into(), FileStatus::Modified, "c3"),
                ("link".into(), FileStatus::Renamed, "c3"),
            ]
        );
        assert!(files[2].is_symlink);
        assert_eq!(files[1].old_blob.as_deref(), Some(A));
    }

    fn write(dir: &Path, path: &str, text: &str) {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// A history with every kind of change: root commits, merges, exact renames, a file
    /// becoming a directory, a symlink becoming a file, a submodule, a deletion.
    fn varied_history(dir: &Path) {
        git(dir, &["init", "-q"]);
        write(dir, "a.txt", "one\n");
        write(dir, "dir/b.txt", "bee\n");
        write(dir, "foo", "file\n");
        write(dir, "run.sh", "echo\n");
        std::os::unix::fs::symlink("a.txt", dir.join("link")).unwrap();
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-qm", "root"]);
        write(dir, "a.txt", "one\ntwo\n");
        git(dir, &["mv", "dir/b.txt", "dir/c.txt"]);
        git(dir, &["rm", "-q", "run.sh"]);
        git(dir, &["add", "-A"]);
        git(
            dir,
            &[
                "commit",
                "-qm",
                "feat: rename\n\nReviewed-by: José <j@example.com>",
            ],
        );
        git(dir, &["checkout", "-qb", "side"]);
        write(dir, "side.txt", "side\n");
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-qm", "side"]);
        git(dir, &["checkout", "-q", "main"]);
        write(dir, "a.txt", "one\ntwo\nthree\n");
        git(dir, &["commit", "-qam", "main moves on"]);
        git(dir, &["merge", "-q", "--no-ff", "-m", "merge side", "side"]);
        git(dir, &["rm", "-q", "foo"]);
        write(dir, "foo/bar", "now a directory\n");
        std::fs::remove_file(dir.join("link")).unwrap();
        write(dir, "link", "a file now\n");
        let sub = git(dir, &["rev-parse", "HEAD"]);
        let gitlink = format!("160000,{sub},vendor/sub");
        git(dir, &["update-index", "--add", "--cacheinfo", &gitlink]);
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-qm", "reshape"]);
        git(dir, &["checkout", "-q", "--orphan", "other"]);
        git(dir, &["rm", "-rqf", "."]);
        write(dir, "other.txt", "unrelated\n");
        write(dir, "copy1", "same\n");
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-qm", "second root"]);
        git(dir, &["rm", "-q", "copy1"]);
        write(dir, "copy2", "same\n");
        write(dir, "copy3", "same\n");
        git(dir, &["add", "-A"]);
        git(dir, &["commit", "-qm", "one blob, two new paths"]);
        git(dir, &["checkout", "-q", "main"]);
        git(
            dir,
            &[
                "merge",
                "-q",
                "--allow-unrelated-histories",
                "-m",
                "join",
                "other",
            ],
        );
    }

    type FileKey = (
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        bool,
    );

    fn keys(files: &[ChangedFile]) -> Vec<FileKey> {
        let mut k: Vec<FileKey> = files
            .iter()
            .map(|f| {
                (
                    f.commit.clone().unwrap_or_default(),
                    f.path.to_string(),
                    format!("{:?}", f.status),
                    f.old_path.as_ref().map(|p| p.to_string()),
                    f.blob_id().unwrap_or_default().to_owned(),
                    f.old_blob.clone(),
                    f.is_symlink,
                )
            })
            .collect();
        k.sort();
        k
    }

    /// What libgit2's path (`range_ids`' walk, `commit_of`, `commit_files`) answers.
    fn by_libgit2(dir: &Path, base: Option<Oid>, head: Oid) -> (Vec<Commit>, Vec<ChangedFile>) {
        let repo = git2::Repository::open(dir).unwrap();
        let mut walk = repo.revwalk().unwrap();
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
            .unwrap();
        walk.push(head).unwrap();
        if let Some(b) = base {
            walk.hide(b).unwrap();
        }
        let ids: Vec<Oid> = walk.map(|i| i.unwrap()).collect();
        let commits = ids
            .iter()
            .map(|i| super::super::commit_of(&repo, *i).unwrap())
            .collect();
        let store: std::sync::Arc<dyn crate::content::ContentStore> =
            std::sync::Arc::new(super::super::GitStore {
                git_dir: repo.path().to_path_buf(),
                workdir: None,
                index_file: None,
                batch: false,
            });
        (commits, super::super::commit_files(&store, &ids).unwrap())
    }

    fn assert_same(dir: &Path, base: Option<Oid>, head: Oid, parts: usize) {
        let git_dir = dir.join(".git");
        let (commits, files) = read_in_parts(&git_dir, base, head, parts, 2).unwrap();
        let (want_commits, want_files) = by_libgit2(dir, base, head);
        assert_eq!(keys(&files), keys(&want_files));
        let summary = |c: &[Commit]| {
            let mut v: Vec<(String, Vec<String>, String, String)> = c
                .iter()
                .map(|c| {
                    (
                        c.id.clone(),
                        c.parents.clone(),
                        c.author.clone(),
                        c.message.clone(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(summary(&commits), summary(&want_commits));
        // Oldest first: every parent in the range comes before its child.
        for (i, c) in commits.iter().enumerate() {
            for p in &c.parents {
                if let Some(at) = commits.iter().position(|x| &x.id == p) {
                    assert!(at < i, "{p} after its child {}", c.id);
                }
            }
        }
    }

    #[test]
    fn answers_as_libgit2_does_whole_and_in_parts() {
        let dir = tempfile::tempdir().unwrap();
        varied_history(dir.path());
        let head = Oid::from_str(&git(dir.path(), &["rev-parse", "HEAD"])).unwrap();
        let (_, files) = by_libgit2(dir.path(), None, head);
        for kind in [
            FileStatus::Renamed,
            FileStatus::TypeChanged,
            FileStatus::Deleted,
        ] {
            assert!(files.iter().any(|f| f.status == kind), "{kind:?}");
        }
        for parts in [1, 2, 3] {
            assert_same(dir.path(), None, head, parts);
        }
        let base = Oid::from_str(&git(dir.path(), &["rev-parse", "HEAD^1~2"])).unwrap();
        assert_same(dir.path(), Some(base), head, 2);
    }

    #[test]
    fn malformed_output_is_an_error_not_a_guess() {
        assert!(parse(&b"c1 \0A\0m\0"[..]).is_err());
        assert!(parse(&b"\x01c1 \0A <a>\0unterminated"[..]).is_err());
        assert!(parse(&b"\x01c1 \0A <a>\0m\0\n:100644 bad\0p\0"[..]).is_err());
    }
}
