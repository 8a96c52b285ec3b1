//! What the whole-process benchmarks share: a deterministic git environment for the commands
//! they time, a quiet `git` runner for setting up repositories, and medians.
#![allow(dead_code)] // each bench uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// `c` run in `dir` with a fixed identity, no system or user git config, and no output.
pub fn quiet(mut c: Command, dir: &Path) -> Command {
    c.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.join(".."))
        .env("GIT_AUTHOR_NAME", "b")
        .env("GIT_AUTHOR_EMAIL", "b@example.com")
        .env("GIT_COMMITTER_NAME", "b")
        .env("GIT_COMMITTER_EMAIL", "b@example.com")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs git in `dir` for set-up; a failure ends the benchmark.
pub fn git(dir: &Path, args: &[&str]) {
    let ok = quiet(Command::new("git"), dir)
        .args(args)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?} failed");
}

/// A new repository on `branch` in a temporary directory (deleted when the guard drops).
pub fn new_repo(branch: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    init_repo(&dir, branch);
    (tmp, dir)
}

/// `git init` at `dir` (created if missing) with `branch` checked out.
pub fn init_repo(dir: &Path, branch: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    git(dir, &["init", "-q", "-b", branch]);
}

pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Median wall time of `f` in milliseconds over `runs` calls, after 5 warm-up calls, with
/// `setup` run (untimed) before each call.
pub fn median_ms_after(runs: usize, mut setup: impl FnMut(), mut f: impl FnMut()) -> f64 {
    for _ in 0..5 {
        setup();
        f();
    }
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            setup();
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(&mut v)
}

pub fn median_ms(runs: usize, f: impl FnMut()) -> f64 {
    median_ms_after(runs, || {}, f)
}
