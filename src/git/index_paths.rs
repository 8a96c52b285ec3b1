//! The paths an index file lists, read straight from its bytes. Finding the tracked
//! `.hygiene.toml` files is every hook's first step; libgit2's reader hashes the whole index
//! (collision-detecting SHA-1), validates and copies every path and parses the cached trees,
//! which made that step three quarters of commit-msg. Git checks the checksum whenever it reads
//! the index itself, so a corrupt one is still reported. Anything this reader does not know (a
//! split or sparse index, another version, a short file) gives `None`, and the caller asks
//! libgit2.

/// The paths `keep` accepts, in index order (all stages), or `None` when the bytes are not a
/// plain version 2, 3 or 4 index. Only kept paths are copied: a path per entry was most of
/// the cost.
pub fn paths(bytes: &[u8], keep: impl Fn(&[u8]) -> bool) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    walk(bytes, keep, |path, _| out.push(path.to_vec()))?;
    Some(out)
}

/// One index entry: its path, mode, object id (hex) and merge stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: Vec<u8>,
    pub mode: u32,
    pub id: String,
    pub stage: u8,
}

/// [`paths`] with each entry's mode, object id and stage (read only for kept entries). The
/// ids are SHA-1's 20 bytes: a caller checks them against git before trusting them in a
/// SHA-256 repository.
pub fn entries(bytes: &[u8], keep: impl Fn(&[u8]) -> bool) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    let mut bad = false;
    walk(bytes, keep, |path, fixed| {
        let (Some(mode), Some(flags), Some(id)) =
            (be32(fixed, 24), be16(fixed, 60), fixed.get(40..60))
        else {
            bad = true;
            return;
        };
        out.push(Entry {
            path: path.to_vec(),
            mode,
            id: id.iter().map(|b| format!("{b:02x}")).collect(),
            stage: ((flags >> 12) & 3) as u8,
        });
    })?;
    (!bad).then_some(out)
}

/// Calls `take` with the path and the fixed-size part of each entry `keep` accepts, in index
/// order; `None` when the bytes are not a plain version 2, 3 or 4 index.
fn walk(
    bytes: &[u8],
    keep: impl Fn(&[u8]) -> bool,
    mut take: impl FnMut(&[u8], &[u8]),
) -> Option<()> {
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = be32(bytes, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = usize::try_from(be32(bytes, 8)?).ok()?;
    let mut pos = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        // ctime, mtime, dev, ino, mode, uid, gid, size (40 bytes), the object id (20), flags (2).
        let flags = be16(bytes, pos + 60)?;
        let mut fixed = 62;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return None;
            }
            fixed += 2;
        }
        let start = pos + fixed;
        if version == 4 {
            // The path is the previous one less its last N bytes, followed by this suffix.
            let (strip, used) = varint(bytes.get(start..)?)?;
            let shared = previous.len().checked_sub(usize::try_from(strip).ok()?)?;
            let suffix_at = start + used;
            let len = nul_at(bytes.get(suffix_at..)?)?;
            previous.truncate(shared);
            previous.extend_from_slice(&bytes[suffix_at..suffix_at + len]);
            if keep(&previous) {
                take(&previous, bytes.get(pos..pos + 62)?);
            }
            pos = suffix_at + len + 1;
        } else {
            // The flags hold the path's length when it is under 0xFFF bytes, as git reads it;
            // the NUL after it confirms it. Longer paths are measured.
            let short = usize::from(flags & 0xFFF);
            let len = if short < 0xFFF && bytes.get(start + short) == Some(&0) {
                short
            } else {
                nul_at(bytes.get(start..)?)?
            };
            let path = &bytes[start..start + len];
            if keep(path) {
                take(path, bytes.get(pos..pos + 62)?);
            }
            // Entries are padded with NULs to a multiple of 8 bytes (at least one NUL).
            pos += (fixed + len + 8) & !7;
        }
    }
    // Extensions follow the entries until the trailing checksum; a split index keeps its
    // entries elsewhere ("link") and a sparse one folds directories ("sdir").
    while pos + 8 + 20 <= bytes.len() {
        let signature = &bytes[pos..pos + 4];
        let size = usize::try_from(be32(bytes, pos + 4)?).ok()?;
        if signature == b"link" || signature == b"sdir" {
            return None;
        }
        pos = pos.checked_add(8 + size)?;
    }
    Some(())
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn nul_at(bytes: &[u8]) -> Option<usize> {
    // memchr reads a word at a time: a byte loop over every path was most of this reader.
    memchr::memchr(0, bytes)
}

/// Git's offset varint (`decode_varint`): 7 bits a byte, most significant first, each
/// continuation adding one. Returns the value and the bytes used.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        if i > 0 {
            value = value.checked_add(1)?.checked_shl(7)?;
        }
        value |= u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?} failed");
    }

    fn libgit2_paths(index: &Path) -> Vec<Vec<u8>> {
        let index = git2::Index::open(index).unwrap();
        index.iter().map(|e| e.path).collect()
    }

    /// The same paths as libgit2, in the same order, for every on-disk version, with long,
    /// nested and non-ASCII names and an intent-to-add entry (an extended flag).
    #[test]
    fn lists_what_libgit2_lists_for_versions_2_3_and_4() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q"]);
        let long = "d/".repeat(40) + &"x".repeat(200);
        for name in [
            ".hygiene.toml",
            "a/.hygiene.toml",
            "a/b/c.rs",
            "a/bc.rs",
            // 62 + 10 bytes: a multiple of 8, so the entry takes a whole block of NULs.
            "a/b/cd.txt",
            "é/ü.txt",
            long.as_str(),
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, name).unwrap();
        }
        git(root, &["add", "."]);
        std::fs::write(root.join("later.txt"), "x").unwrap();
        git(root, &["add", "-N", "later.txt"]);
        let index = root.join(".git/index");
        for version in ["2", "3", "4"] {
            git(root, &["update-index", "--index-version", version]);
            let bytes = std::fs::read(&index).unwrap();
            let ours =
                paths(&bytes, |_| true).unwrap_or_else(|| panic!("version {version} not read"));
            assert_eq!(ours, libgit2_paths(&index), "version {version}");
            assert_eq!(ours.len(), 8);
            let configs = paths(&bytes, |p| p.ends_with(b".hygiene.toml")).unwrap();
            assert_eq!(
                configs,
                [b".hygiene.toml".to_vec(), b"a/.hygiene.toml".to_vec()]
            );
        }
    }

    /// Modes, ids and stages as `git ls-files -s` prints them, conflicted entries included.
    #[test]
    fn entries_match_git_ls_files_stage() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        let commit = |msg: &str| {
            git(root, &["add", "-A"]);
            git(
                root,
                &[
                    "-c",
                    "user.name=a",
                    "-c",
                    "user.email=a@b",
                    "commit",
                    "-qm",
                    msg,
                ],
            );
        };
        std::fs::write(root.join("f.txt"), "base\n").unwrap();
        std::fs::write(root.join("run.sh"), "#!/bin/sh\n").unwrap();
        git(root, &["update-index", "--add", "--chmod=+x", "run.sh"]);
        commit("base");
        git(root, &["checkout", "-q", "-b", "other"]);
        std::fs::write(root.join("f.txt"), "other\n").unwrap();
        commit("other");
        git(root, &["checkout", "-q", "main"]);
        std::fs::write(root.join("f.txt"), "main\n").unwrap();
        commit("main");
        let _ = Command::new("git")
            .args([
                "-c",
                "user.name=a",
                "-c",
                "user.email=a@b",
                "merge",
                "-q",
                "other",
            ])
            .current_dir(root)
            .env("HOME", root)
            .output();
        let listed = Command::new("git")
            .args(["ls-files", "-s"])
            .current_dir(root)
            .output()
            .unwrap();
        let expected: Vec<String> = String::from_utf8(listed.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        assert!(expected.len() >= 4, "a conflicted merge: {expected:?}");
        for version in ["2", "4"] {
            git(root, &["update-index", "--index-version", version]);
            let bytes = std::fs::read(root.join(".git/index")).unwrap();
            let ours: Vec<String> = entries(&bytes, |_| true)
                .unwrap()
                .iter()
                .map(|e| {
                    format!(
                        "{:o} {} {}\t{}",
                        e.mode,
                        e.id,
                        e.stage,
                        String::from_utf8_lossy(&e.path)
                    )
                })
                .collect();
            assert_eq!(ours, expected, "version {version}");
        }
    }

    #[test]
    fn what_it_does_not_know_gives_none_not_a_panic() {
        assert_eq!(paths(b"", |_| true), None);
        assert_eq!(paths(b"DIRC\0\0\0\x05\0\0\0\0", |_| true), None);
        // Claims an entry that is not there.
        assert_eq!(paths(b"DIRC\0\0\0\x02\0\0\0\x01", |_| true), None);
        let mut split = b"DIRC\0\0\0\x02\0\0\0\0link\0\0\0\x14".to_vec();
        split.extend([0u8; 40]);
        assert_eq!(paths(&split, |_| true), None);
    }
}
