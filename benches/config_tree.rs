//! The cost of nested configs. In process: resolving the config that judges one file of a
//! repository with 50 nested `.hygiene.toml` files (each with a lint entry, secrets allow paths
//! and migration paths), and of a file in every package. Whole process: the pre-commit hook
//! (`git hygiene hook pre-commit`, what `git commit` runs) on one staged file, in a repository
//! with 50 nested configs and in the same repository with the root config only, in interleaved
//! pairs (the median of the differences within a pair is the figure). Run with
//! `cargo bench --bench config_tree`; prints medians. A benchmark, not a test: it asserts nothing.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use git_hygiene::checks::config_tree::load_root;
use git_hygiene::path::RepoPath;

const PACKAGES: usize = 50;

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "b")
        .env("GIT_AUTHOR_EMAIL", "b@example.com")
        .env("GIT_COMMITTER_NAME", "b")
        .env("GIT_COMMITTER_EMAIL", "b@example.com")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?}");
}

/// A repository with `PACKAGES` packages, nested configs when `nested`, one file staged in
/// package 7.
fn repo(dir: &Path, nested: bool) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q", "-b", "feature/bench"]);
    std::fs::write(
        dir.join(".hygiene.toml"),
        "[[lint]]\nname = \"root\"\nglob = \"*.md\"\nrun = \"true\"\n",
    )
    .unwrap();
    for i in 0..PACKAGES {
        let p = dir.join(format!("packages/p{i}"));
        std::fs::create_dir_all(p.join("src")).unwrap();
        std::fs::write(p.join("src/a.txt"), "a\n").unwrap();
        if nested {
            std::fs::write(
                p.join(".hygiene.toml"),
                "[[lint]]\nname = \"pkg\"\nglob = \"*.md\"\nrun = \"true\"\n[secrets]\nallow_paths = [\"fixtures/**\"]\n[migrations]\npaths = [\"db/*.sql\"]\n",
            )
            .unwrap();
        }
    }
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "--no-verify", "-m", "init"]);
    std::fs::write(dir.join("packages/p7/src/b.txt"), "b\n").unwrap();
    git(dir, &["add", "."]);
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn in_process(dir: &Path, paths: &[RepoPath], nested: bool) -> Duration {
    let tracked: Vec<RepoPath> = (0..PACKAGES)
        .filter(|_| nested)
        .map(|i| RepoPath::from(format!("packages/p{i}/.hygiene.toml").as_str()))
        .collect();
    let git_dir = dir.join(".git");
    median(
        (0..200)
            .map(|_| {
                let t = Instant::now();
                let (root, layers) =
                    load_root(None, Some(dir), Some(&git_dir), false, nested).unwrap();
                let cfg = root.with_tree(dir, &git_dir, &tracked, layers).unwrap();
                for p in paths {
                    std::hint::black_box(cfg.for_path(p).unwrap());
                }
                t.elapsed()
            })
            .collect(),
    )
}

/// One run of the pre-commit hook in `dir`.
fn hook_once(dir: &Path, bin: &Path) -> Duration {
    let t = Instant::now();
    let out = Command::new(bin)
        .args(["hook", "pre-commit"])
        .current_dir(dir)
        .output()
        .unwrap();
    let d = t.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    d
}

/// The hook in `a` and in `b`, run in turn (A B, then B A) so a machine whose speed drifts
/// weighs on both alike: the medians of each and of the pairs' differences.
fn hook_pairs(a: &Path, b: &Path, bin: &Path) -> (Duration, Duration, f64) {
    let (mut ta, mut tb, mut diff) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..61 {
        let (x, y) = if i % 2 == 0 {
            let x = hook_once(a, bin);
            (x, hook_once(b, bin))
        } else {
            let y = hook_once(b, bin);
            (hook_once(a, bin), y)
        };
        ta.push(x);
        tb.push(y);
        diff.push((x.as_secs_f64() - y.as_secs_f64()) * 1e3);
    }
    diff.sort_by(f64::total_cmp);
    (median(ta), median(tb), diff[diff.len() / 2])
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let (nested, flat) = (tmp.path().join("nested"), tmp.path().join("flat"));
    repo(&nested, true);
    repo(&flat, false);
    let one = [RepoPath::from("packages/p7/src/b.txt")];
    let all: Vec<RepoPath> = (0..PACKAGES)
        .map(|i| RepoPath::from(format!("packages/p{i}/src/a.txt").as_str()))
        .collect();
    println!(
        "in process, 50 nested configs: one file's config {:?}, a file in each of the 50 packages {:?}; root config only: {:?}",
        in_process(&nested, &one, true),
        in_process(&nested, &all, true),
        in_process(&flat, &one, false)
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_git-hygiene"));
    let (n, f, d) = hook_pairs(&nested, &flat, bin);
    println!(
        "pre-commit hook, one staged file, 61 interleaved pairs: 50 nested configs {n:?}, root config only {f:?}, median difference within a pair {d:.3} ms"
    );
}
