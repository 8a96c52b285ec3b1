//! Lint's progress on stderr while it runs: each finished linter run as one block (a header
//! line, then the tool's own output), and the files fix mode re-staged. The block goes out in
//! one piece, so the output of linters running in parallel never interleaves.

use std::time::Duration;

use crate::out;
use crate::path::RepoPath;

/// One finished linter run, as the block shows it.
pub struct Block<'a> {
    pub linter: &'a str,
    /// `(this run, of how many)` when the linter's files were split over several runs.
    pub part: Option<(usize, usize)>,
    pub files: usize,
    pub elapsed: Duration,
    /// How the run ended: "ok", "failed (exit code 1)", …
    pub status: &'a str,
    /// What the tool wrote to stdout and stderr.
    pub output: &'a [u8],
}

pub fn block(b: &Block<'_>) {
    let part = match b.part {
        Some((n, of)) => format!(" (run {n} of {of})"),
        None => String::new(),
    };
    let mut text = format!(
        "── lint: {}{part} · {} · {} · {}\n",
        b.linter,
        files_word(b.files),
        secs(b.elapsed),
        b.status
    );
    text.push_str(&String::from_utf8_lossy(b.output));
    // The block ends with exactly one newline of its own: the one `eprintln` adds.
    out::eprintln(text.strip_suffix('\n').unwrap_or(&text));
}

/// Fix mode put the fixed `path` into the index.
pub fn restaged(path: &RepoPath) {
    out::eprintln(&format!("lint: re-staged {path} (fixed)"));
}

pub fn files_word(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

pub fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}
