//! Blob reads through a long-lived `git cat-file --batch`, for history ranges. A history scan
//! reads each path's versions one after another, and packs store those versions as long delta
//! chains. git's delta-base cache makes such reads cheap; libgit2's (16 MiB, emptied whole when
//! full, shared by all threads) does not: on a generated history of 3,000 commits libgit2 took
//! 4× longer to read the same blobs. Each worker thread keeps its own `cat-file` process.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use super::cmd::git_cmd;
use crate::error::{Error, Result};

pub struct CatFile {
    child: Child,
    input: BufWriter<ChildStdin>,
    output: BufReader<ChildStdout>,
    /// Ids asked for and not yet read back, oldest first: git answers in order.
    pending: VecDeque<String>,
}

impl CatFile {
    /// Starts `git cat-file --batch` on the repository at `git_dir`.
    pub fn spawn(git_dir: &Path) -> Result<CatFile> {
        let mut child = git_cmd()
            .arg("--git-dir")
            .arg(git_dir)
            // Each process reads one path's versions at a time, so a small delta-base cache
            // serves it as well as git's 96 MiB default, which made this process, not ours,
            // the largest of a history scan (188 MB peak against 161 MB, same CPU time).
            .args(["-c", "core.deltaBaseCacheLimit=24m", "cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Git(format!("cannot run `git cat-file`: {e}; is git on PATH?")))?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(Error::Git("`git cat-file` started without pipes".into()));
        };
        widen_pipe(&output);
        Ok(CatFile {
            child,
            input: BufWriter::new(input),
            output: BufReader::with_capacity(1 << 16, output),
            pending: VecDeque::new(),
        })
    }

    /// Asks for blob `id` now, to be read later with [`CatFile::blob`]: git reads and inflates
    /// it while the caller works on the previous one.
    pub fn request(&mut self, id: &str) -> Result<()> {
        writeln!(self.input, "{id}")
            .and_then(|()| self.input.flush())
            .map_err(|_| Error::Git(format!("`git cat-file --batch` stopped before {id}")))?;
        self.pending.push_back(id.to_owned());
        Ok(())
    }

    /// The content of blob `id` (a full hex object id). Answers to earlier requests for other
    /// ids are read and dropped.
    pub fn blob(&mut self, id: &str) -> Result<Vec<u8>> {
        if !self.pending.iter().any(|p| p == id) {
            self.request(id)?;
        }
        while let Some(front) = self.pending.pop_front() {
            let keep = front == id;
            let data = self.answer(&front, keep)?;
            if keep {
                return Ok(data);
            }
        }
        Err(Error::Git(format!(
            "`git cat-file --batch` gave no answer for {id}"
        )))
    }

    /// Reads the answer for `id`; an answer not kept is skipped without being stored.
    fn answer(&mut self, id: &str, keep: bool) -> Result<Vec<u8>> {
        let broken = |what: &str| Error::Git(format!("`git cat-file --batch` {what} for {id}"));
        // "<id> <type> <size>\n", or "<id> missing\n".
        let mut header = String::new();
        self.output
            .read_line(&mut header)
            .map_err(|_| broken("stopped"))?;
        let mut fields = header.split_ascii_whitespace().skip(1);
        let (kind, size) = (fields.next(), fields.next());
        let size: usize = match (kind, size) {
            (Some("blob"), Some(n)) => n.parse().map_err(|_| broken("gave a bad size"))?,
            (Some("missing"), _) => return Err(Error::Git(format!("object {id} is missing"))),
            _ => return Err(broken("gave no blob")),
        };
        if !keep {
            let skipped = std::io::copy(
                &mut (&mut self.output).take(size as u64 + 1),
                &mut std::io::sink(),
            )
            .map_err(|_| broken("stopped"))?;
            return if skipped == size as u64 + 1 {
                Ok(Vec::new())
            } else {
                Err(broken("ended early"))
            };
        }
        // The content and its closing newline, read without zero-filling the buffer first.
        let mut data = Vec::with_capacity(size + 1);
        let read = (&mut self.output)
            .take(size as u64 + 1)
            .read_to_end(&mut data)
            .map_err(|_| broken("stopped"))?;
        if read != size + 1 {
            return Err(broken("ended early"));
        }
        data.pop();
        Ok(data)
    }
}

/// A 1 MiB pipe instead of 64 KiB: git can answer a prefetch whole while we scan, instead of
/// waking us 16 times per large blob. Best effort (Linux only; the limit may be lower).
fn widen_pipe(output: &ChildStdout) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: fcntl on a pipe descriptor we own; failure leaves the pipe as it was.
        unsafe {
            libc::fcntl(output.as_raw_fd(), libc::F_SETPIPE_SZ, 1 << 20);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = output;
}

impl Drop for CatFile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blobs_and_reports_missing_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let a = repo.blob(b"first\n").expect("blob");
        let b = repo.blob(b"").expect("blob");
        let c = repo.blob(&[0u8, 1, 2, b'\n', 255]).expect("blob");
        let mut cat = CatFile::spawn(repo.path()).expect("spawn");
        assert_eq!(cat.blob(&a.to_string()).expect("a"), b"first\n");
        assert_eq!(cat.blob(&b.to_string()).expect("b"), b"");
        assert_eq!(
            cat.blob(&c.to_string()).expect("c"),
            [0u8, 1, 2, b'\n', 255]
        );
        let missing = "0123456789012345678901234567890123456789";
        assert!(cat.blob(missing).is_err());
        // Still usable after a miss.
        assert_eq!(cat.blob(&a.to_string()).expect("a again"), b"first\n");
        // Asked ahead: answers come back in order; one not read is skipped over.
        cat.request(&b.to_string()).expect("request b");
        cat.request(&c.to_string()).expect("request c");
        assert_eq!(
            cat.blob(&c.to_string()).expect("c"),
            [0u8, 1, 2, b'\n', 255]
        );
        cat.request(&a.to_string()).expect("request a");
        assert_eq!(cat.blob(&a.to_string()).expect("a"), b"first\n");
    }
}
