//! Whole-process latency of the hooks on a typical commit (10 files, ~500 added lines), with
//! `git diff --cached` on the same commit as the floor, and `git commit` with and without the
//! hooks installed. Run with `cargo bench --bench precommit`; prints medians in milliseconds.
//! A benchmark, not a test: it asserts nothing and never runs in `cargo test`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod support;
use support::{git, median_ms, new_repo, quiet as base};

const RUNS: usize = 60;

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_git-hygiene"));
    let (_tmp, dir) = new_repo("feature/CU-86b2xk4pq-bench");
    // A few hundred committed files of realistic size, so the index is not trivial.
    for i in 0..300 {
        let body: String = (0..80)
            .map(|l| format!("fn f{i}_{l}() -> u32 {{ {l} }}\n"))
            .collect();
        std::fs::write(dir.join(format!("file{i}.rs")), body).expect("write");
    }
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "--no-verify", "-m", "init"]);
    // The change: 10 files, 50 added lines each.
    for i in 0..10 {
        let mut body = std::fs::read_to_string(dir.join(format!("file{i}.rs"))).expect("read");
        body.extend((0..50).map(|l| {
            format!("pub const ADDED_{l}: &str = \"some added text {l} for the benchmark\";\n")
        }));
        std::fs::write(dir.join(format!("file{i}.rs")), body).expect("write");
    }
    git(&dir, &["add", "."]);
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |program: &Path, args: &[&str]| {
        let ok = base(Command::new(program), &dir)
            .env("PATH", &path)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success());
        assert!(matches!(ok, Ok(true)), "{program:?} {args:?} failed");
    };
    let hook = median_ms(RUNS, || run(&bin, &["hook", "pre-commit"]));
    let hook_msg = {
        std::fs::write(dir.join(".git/BENCH_MSG"), "feat: bench\n").expect("write");
        median_ms(RUNS, || {
            run(&bin, &["hook", "commit-msg", ".git/BENCH_MSG"])
        })
    };
    let diff = median_ms(RUNS, || {
        let _ = base(Command::new("git"), &dir)
            .args(["diff", "--cached"])
            .stdout(Stdio::null())
            .status();
    });
    let commit = |label: &str| {
        median_ms(RUNS, || {
            run(Path::new("git"), &["commit", "-q", "-m", label]);
            run(Path::new("git"), &["reset", "-q", "--soft", "HEAD~"]);
        })
    };
    let reset_only = median_ms(RUNS, || {
        run(
            Path::new("git"),
            &["commit", "-q", "--no-verify", "-m", "x"],
        );
        run(Path::new("git"), &["reset", "-q", "--soft", "HEAD~"]);
    });
    let plain = commit("feat: plain");
    run(&bin, &["install"]);
    let hooked = commit("feat: hooked");
    println!(
        "pre-commit hook (10 files, 500 added lines), whole process: {hook:.2} ms median of {RUNS}"
    );
    println!("commit-msg hook, whole process:                            {hook_msg:.2} ms");
    println!("floor: git diff --cached on the same commit:               {diff:.2} ms");
    println!("git commit + reset, no hooks:                              {plain:.2} ms");
    println!(
        "git commit + reset, git-hygiene hooks installed:           {hooked:.2} ms ({:.2}x)",
        hooked / plain
    );
    println!("(commit --no-verify + reset, for reference:                {reset_only:.2} ms)");
}
