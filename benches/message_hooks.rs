//! Whole-process latency of the message hooks — commit-msg and prepare-commit-msg — with the
//! branch, ticket and commit-msg checks on (ticket required in commits, so every rule runs), in a
//! repository with a realistic index and history. `true`, `git --version` and `git-hygiene --version`
//! are printed as process-start floors: on a busy machine they show how much is scheduling.
//! Run with `cargo bench --bench message_hooks`; prints medians in milliseconds.
//! A benchmark, not a test: it asserts nothing about time and never runs in `cargo test`.

use std::path::PathBuf;
use std::process::Command;

mod support;
use support::{git, new_repo, quiet as base};

const RUNS: usize = 100;

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_git-hygiene"));
    let (_tmp, dir) = new_repo("feature/CU-86b2xk4pq-bench");
    for i in 0..300 {
        std::fs::write(dir.join(format!("file{i}.rs")), format!("fn f{i}() {{}}\n"))
            .expect("write");
    }
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "--no-verify", "-m", "chore: init"]);
    for i in 0..10 {
        std::fs::write(dir.join(format!("file{i}.rs")), format!("fn g{i}() {{}}\n"))
            .expect("write");
    }
    git(&dir, &["add", "."]);
    std::fs::write(
        dir.join(".hygiene.toml"),
        "[ticket]\nrequire = [\"branch\", \"commits\"]\ncustom_prefixes = [\"ENG\"]\n",
    )
    .expect("write");
    let msg = dir.join(".git/BENCH_MSG");
    let body = "feat(auth): rate-limit logins\n\nFive failed attempts lock the account for a minute.\n\nRefs: CU-86b2xk4pq\n# Please enter the commit message for your changes.\n";
    let editor = "\n# Please enter the commit message for your changes. Lines starting\n# with '#' will be ignored.\n#\n# On branch feature/CU-86b2xk4pq-bench\n";
    let run = |args: &[&str]| {
        let ok = base(Command::new(&bin), &dir)
            .args(args)
            .status()
            .map(|s| s.success());
        assert!(matches!(ok, Ok(true)), "{args:?} failed");
    };
    let msg_arg = msg.to_str().expect("utf-8 path");
    std::fs::write(&msg, body).expect("write");
    let commit_msg = support::median_ms(RUNS, || run(&["hook", "commit-msg", msg_arg]));
    // prepare-commit-msg on a fresh message each time, so it really inserts the ticket.
    let prepare = support::median_ms_after(
        RUNS,
        || std::fs::write(&msg, editor).expect("write"),
        || run(&["hook", "prepare-commit-msg", msg_arg]),
    );
    let prepare_m = support::median_ms_after(
        RUNS,
        || std::fs::write(&msg, "fix: y\n").expect("write"),
        || run(&["hook", "prepare-commit-msg", msg_arg, "message"]),
    );
    let floor = support::median_ms(RUNS, || {
        let _ = base(Command::new("git"), &dir).arg("--version").status();
    });
    let own_start = support::median_ms(RUNS, || run(&["--version"]));
    let bare = support::median_ms(RUNS, || {
        let _ = base(Command::new("true"), &dir).status();
    });
    println!("commit-msg hook, whole process:                        {commit_msg:.2} ms median of {RUNS}");
    println!("prepare-commit-msg hook (editor template), whole process: {prepare:.2} ms");
    println!("prepare-commit-msg hook (-m message), whole process:      {prepare_m:.2} ms");
    println!("floor: `git --version` process start:                  {floor:.2} ms");
    println!("floor: `git-hygiene --version` process start:          {own_start:.2} ms");
    println!("floor: `true` process start:                           {bare:.2} ms");
}
