//! End-to-end: linters on staged files through real `git commit`s, and the guarantee that
//! unstaged work survives every way a run can end — failure, crash, timeout, SIGINT, SIGKILL.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Staged and unstaged versions of `a.py`; the unstaged one has bytes that text tools mangle.
const STAGED: &[u8] = b"def f():\n    return 1\n";
const UNSTAGED: &[u8] = b"def f():\n    return 1\r\n# \xff\xfe not utf-8, no final newline";

fn setup<'a>(sb: &'a Sandbox, config: &str) -> Repo<'a> {
    let r = sb.repo("r");
    r.add_commit("a.py", "def f():\n    return 0\n", "init");
    r.install();
    r.write(".hygiene.toml", config);
    r.write("a.py", STAGED);
    r.git(&["add", "a.py"]);
    r.write("a.py", UNSTAGED);
    r
}

fn keep_dir(r: &Repo<'_>) -> PathBuf {
    r.dir.join(".git/hygiene/keep")
}

fn journals(r: &Repo<'_>) -> usize {
    std::fs::read_dir(keep_dir(r))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn assert_intact(r: &Repo<'_>) {
    assert_eq!(
        r.read("a.py"),
        UNSTAGED,
        "unstaged work must be back byte for byte"
    );
    assert_eq!(
        r.git(&["show", ":a.py"]).as_bytes(),
        &STAGED[..STAGED.len() - 1],
        "index untouched"
    );
    assert_eq!(journals(r), 0, "journal removed after restore");
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn failing_linter_rejects_commit_sees_staged_content_and_keeps_unstaged_work() {
    let sb = Sandbox::new();
    let seen = sb.path().join("seen");
    let r = setup(&sb, &format!("[[lint]]\nname = \"cat-and-fail\"\nglob = \"*.py\"\nrun = \"sh -c 'cat \\\"$@\\\" > {}; echo lint says no; exit 3' lint {{files}}\"\n", seen.display()));
    let out = r.commit("feat: x");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("lint/failed") && t.contains("exit code 3"),
        "{t}"
    );
    assert!(
        t.contains("── lint: cat-and-fail") && t.contains("lint says no"),
        "output grouped under its header: {t}"
    );
    assert_eq!(
        std::fs::read(&seen).unwrap(),
        STAGED,
        "the linter must see the staged content"
    );
    assert_eq!(r.commit_count(), 1);
    assert_intact(&r);
}

#[test]
fn passing_linter_lets_commit_through_with_staged_content_only() {
    let sb = Sandbox::new();
    let r = setup(&sb, "[[lint]]\nname = \"no-ff-bytes\"\nglob = \"*.py\"\nrun = \"sh -c '! grep -l not.utf \\\"$@\\\"' lint {files}\"\n");
    let out = r.commit("feat: x");
    assert_eq!(
        code(&out),
        0,
        "the unstaged text is not judged: {}",
        text(&out)
    );
    assert_eq!(r.commit_count(), 2);
    assert_eq!(r.read("a.py"), UNSTAGED);
    assert_eq!(
        r.git(&["show", "HEAD:a.py"]).as_bytes(),
        &STAGED[..STAGED.len() - 1]
    );
}

#[test]
fn linter_that_kills_itself_is_reported_and_work_kept() {
    let sb = Sandbox::new();
    let r = setup(&sb, "[[lint]]\nname = \"suicide\"\nglob = \"*.py\"\nrun = \"sh -c 'kill -9 $$' lint {files}\"\n");
    let out = r.commit("feat: x");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("lint/crashed") && t.contains("SIGKILL"), "{t}");
    assert_intact(&r);
}

/// A bug that panics while the linters have the work tree (simulated with `HYGIENE_TEST_PANIC`,
/// read by debug builds only) unwinds through the protection, which puts the work back.
#[test]
fn internal_error_during_the_lint_step_restores_work_and_exits_2() {
    if !cfg!(debug_assertions) {
        return; // the panic points are compiled out of release builds
    }
    let sb = Sandbox::new();
    let r = setup(
        &sb,
        "[[lint]]\nname = \"ok\"\nglob = \"*.py\"\nrun = \"true\"\n",
    );
    let out = r
        .cmd("git")
        .args(["commit", "-q", "-m", "feat: x"])
        .env("HYGIENE_TEST_PANIC", "lint-running")
        .output()
        .unwrap();
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(!t.contains("panicked"), "{t}");
    assert_eq!(t.matches("git-hygiene: internal error:").count(), 1, "{t}");
    assert!(t.contains(" at src/checks/lint/mod.rs:"), "{t}");
    assert_eq!(r.commit_count(), 1, "{t}");
    assert_intact(&r);
    let out = r
        .cmd(bin())
        .args(["hook", "pre-commit"])
        .env("HYGIENE_TEST_PANIC", "lint-running")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert_intact(&r);
}

/// A panic while one linter's result is handled, with another still writing to the file (a
/// formatter): that one is stopped before the user's version is put back, not after.
#[test]
fn internal_error_with_a_linter_still_writing_keeps_work() {
    if !cfg!(debug_assertions) {
        return; // the panic points are compiled out of release builds
    }
    let sb = Sandbox::new();
    let r = setup(
        &sb,
        "[lint_options]\njobs = 2\n\n[[lint]]\nname = \"quick\"\nglob = \"*.py\"\nrun = \"true\"\n\n[[lint]]\nname = \"rewriter\"\nglob = \"*.py\"\nrun = \"sh -c 'while :; do printf clobbered > \\\"$1\\\"; done' lint {files}\"\n",
    );
    let out = r
        .cmd(bin())
        .args(["hook", "pre-commit"])
        .env("HYGIENE_TEST_PANIC", "lint-result")
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert_eq!(t.matches("git-hygiene: internal error:").count(), 1, "{t}");
    // Give a linter that outlived the run the time to clobber the file.
    std::thread::sleep(Duration::from_millis(300));
    assert_intact(&r);
}

#[test]
fn hanging_linter_is_stopped_at_its_timeout_and_work_kept() {
    let sb = Sandbox::new();
    let r = setup(&sb, "[[lint]]\nname = \"hang\"\nglob = \"*.py\"\ntimeout = \"1s\"\nrun = \"sh -c 'sleep 60' lint {files}\"\n");
    let start = Instant::now();
    let out = r.commit("feat: x");
    let t = text(&out);
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "must not wait for the hung linter"
    );
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("lint/timeout"), "{t}");
    assert_intact(&r);
}

/// A linter that tells us git-hygiene's pid, then hangs.
fn pid_linter(sb: &Sandbox) -> (String, PathBuf) {
    let pidfile = sb.path().join("hygiene.pid");
    let config = format!(
        "[[lint]]\nname = \"slow\"\nglob = \"*.py\"\nrun = \"sh -c 'echo $PPID > {}.tmp && mv {}.tmp {}; sleep 60' lint {{files}}\"\n",
        pidfile.display(),
        pidfile.display(),
        pidfile.display()
    );
    (config, pidfile)
}

fn read_pid(pidfile: &Path) -> i32 {
    wait_for("the linter to start", || pidfile.exists());
    std::fs::read_to_string(pidfile)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn sigint_to_the_hook_process_group_restores_work() {
    use std::os::unix::process::CommandExt;
    let sb = Sandbox::new();
    let (config, pidfile) = pid_linter(&sb);
    let r = setup(&sb, &config);
    let mut child = r
        .cmd("git")
        .args(["commit", "-q", "-m", "feat: x"])
        .process_group(0)
        .spawn()
        .unwrap();
    let hygiene = read_pid(&pidfile);
    assert_ne!(
        r.read("a.py"),
        UNSTAGED,
        "while linting, the work tree holds the staged content"
    );
    assert_eq!(
        journals(&r),
        1,
        "journal written before the work tree was touched"
    );
    // Ctrl-C in a terminal: SIGINT to the whole foreground process group.
    unsafe { libc::kill(-(child.id() as i32), libc::SIGINT) };
    let status = child.wait().unwrap();
    assert!(!status.success());
    wait_for("git-hygiene to restore and exit", || !alive(hygiene));
    assert_eq!(r.commit_count(), 1);
    assert_intact(&r);
}

#[cfg(unix)]
#[test]
fn sigterm_to_git_hygiene_restores_work() {
    let sb = Sandbox::new();
    let (config, pidfile) = pid_linter(&sb);
    let r = setup(&sb, &config);
    let child = r
        .cmd("git")
        .args(["commit", "-q", "-m", "feat: x"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let hygiene = read_pid(&pidfile);
    unsafe { libc::kill(hygiene, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out).contains("interrupted by SIGTERM"),
        "{}",
        text(&out)
    );
    assert_intact(&r);
}

#[cfg(unix)]
#[test]
fn sigkill_mid_run_is_restored_by_the_next_command() {
    let sb = Sandbox::new();
    let (config, pidfile) = pid_linter(&sb);
    let r = setup(&sb, &config);
    let child = r
        .cmd("git")
        .args(["commit", "-q", "-m", "feat: x"])
        .spawn()
        .unwrap();
    let hygiene = read_pid(&pidfile);
    unsafe { libc::kill(hygiene, libc::SIGKILL) };
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success(), "the hook died: no commit");
    // Nobody could restore: the work tree holds the staged content, the journal holds the work.
    assert_eq!(r.read("a.py"), STAGED);
    assert_eq!(journals(&r), 1);
    // Any command restores it.
    let out = r.hygiene(&["rules"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("restored your unstaged changes to a.py"),
        "{}",
        text(&out)
    );
    assert_intact(&r);
}

#[cfg(unix)]
#[test]
fn restore_command_recovers_by_hand_and_leaves_live_runs_alone() {
    let sb = Sandbox::new();
    let (config, pidfile) = pid_linter(&sb);
    let r = setup(&sb, &config);
    let mut child = r
        .cmd("git")
        .args(["commit", "-q", "-m", "feat: x"])
        .spawn()
        .unwrap();
    let hygiene = read_pid(&pidfile);
    // While the run is alive, restore must not touch its journal.
    let out = r.hygiene(&["restore"]);
    assert!(text(&out).contains("still going"), "{}", text(&out));
    assert_eq!(r.read("a.py"), STAGED);
    unsafe { libc::kill(hygiene, libc::SIGKILL) };
    let _ = child.wait();
    let out = r.hygiene(&["restore"]);
    assert!(
        text(&out).contains("restored your unstaged changes"),
        "{}",
        text(&out)
    );
    assert_intact(&r);
    assert!(text(&r.hygiene(&["restore"])).contains("nothing to restore"));
}

fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => !s
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}

#[test]
fn fast_path_writes_no_journal() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write(
        ".hygiene.toml",
        "[[lint]]\nname = \"t\"\nglob = \"*\"\nrun = \"true\"\n",
    );
    r.write("a.txt", "x\n");
    r.git(&["add", "a.txt"]);
    let out = r.commit("feat: x");
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        !r.dir.join(".git/hygiene").exists(),
        "nothing saved when nothing is unstaged"
    );
}

#[test]
fn empty_repository_partially_staged_file_is_protected() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write(
        ".hygiene.toml",
        "[[lint]]\nname = \"no\"\nglob = \"*.py\"\nrun = \"false\"\n",
    );
    r.write("a.py", STAGED);
    r.git(&["add", "a.py"]);
    r.write("a.py", UNSTAGED);
    let out = r.commit("feat: first");
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(r.commit_count(), 0);
    assert_eq!(r.read("a.py"), UNSTAGED);
    assert_eq!(journals(&r), 0);
}

#[test]
fn spaces_deleted_and_intent_to_add_files() {
    let sb = Sandbox::new();
    let args = sb.path().join("args");
    let r = sb.repo("r");
    r.add_commit("gone.py", "x = 1\n", "init");
    r.install();
    r.write(".hygiene.toml", format!("[[lint]]\nname = \"args\"\nglob = \"*.py\"\nrun = \"sh -c 'printf \\\"<%s>\\\\n\\\" \\\"$@\\\" >> {}' lint {{files}}\"\n", args.display()));
    r.write("dir with space/a b.py", "y = 2\n");
    r.write("it's $(odd).py", "z = 3\n");
    r.git(&["add", "."]);
    r.git(&["rm", "-q", "gone.py"]);
    r.write("later.py", "w = 4\n");
    r.git(&["add", "-N", "later.py"]);
    let out = r.commit("feat: x");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let mut got: Vec<String> = std::fs::read_to_string(&args)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec!["<dir with space/a b.py>", "<it's $(odd).py>"],
        "one argument per file; no deleted or intent-to-add file"
    );
    assert_eq!(
        r.read("later.py"),
        b"w = 4\n",
        "intent-to-add file untouched"
    );
}

#[test]
fn missing_tool_names_tool_and_entry_and_optional_skips() {
    let sb = Sandbox::new();
    let r = setup(&sb, "[[lint]]\nname = \"nope\"\nglob = \"*.py\"\nrun = \"definitely-not-a-linter-xyz {files}\"\n");
    let out = r.commit("feat: x");
    let t = text(&out);
    assert_eq!(code(&out), 1, "git reports the hook failure: {t}");
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(
        t.contains("`definitely-not-a-linter-xyz` is not installed")
            && t.contains("[[lint]] entry 1")
            && t.contains("optional = true"),
        "{t}"
    );
    assert_intact(&r);
    r.write(".hygiene.toml", "[[lint]]\npreset = \"hadolint\"\nglob = \"*.py\"\noptional = true\nrun = \"definitely-not-a-linter-xyz {files}\"\n");
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(t.contains("lint/missing-tool"), "{t}");
}

/// A "formatter" that upper-cases files, and its check mode.
const UPPER: &str = "[[lint]]\nname = \"upper\"\nglob = \"*.txt\"\nrun = \"sh -c '! grep -q [a-z] \\\"$@\\\"' upper {files}\"\nfix = \"sh -c 'for f; do tr a-z A-Z < \\\"$f\\\" > \\\"$f.tmp\\\" && mv \\\"$f.tmp\\\" \\\"$f\\\"; done' upper {files}\"\n";

#[test]
fn fix_mode_restages_formatted_files() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("base.txt", "BASE\n", "init");
    r.install();
    r.write(
        ".hygiene.toml",
        format!("[lint_options]\nfix = true\n{UPPER}"),
    );
    r.write("a.txt", "hello\n");
    r.git(&["add", "a.txt"]);
    let out = r.commit("feat: x");
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.git(&["show", "HEAD:a.txt"]), "HELLO");
    assert_eq!(
        r.git(&["status", "--porcelain", "--", "a.txt"]),
        "",
        "index and work tree agree"
    );

    // `git hygiene check --fix` by hand, without fix = true.
    r.write(".hygiene.toml", UPPER);
    r.write("b.txt", "by hand\n");
    r.git(&["add", "b.txt"]);
    let out = r.hygiene(&["check", "--fix"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.git(&["show", ":b.txt"]), "BY HAND");
}

#[test]
fn fix_mode_with_commit_all_and_commit_paths_updates_the_right_indexes() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "A\n", "init");
    r.add_commit("b.txt", "B\n", "init b");
    r.install();
    r.write(
        ".hygiene.toml",
        format!("[lint_options]\nfix = true\n{UPPER}"),
    );
    // git commit -a: GIT_INDEX_FILE is index.lock.
    r.write("a.txt", "a via -a\n");
    let out = r.git_out(&["commit", "-q", "-a", "-m", "feat: a"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.git(&["show", "HEAD:a.txt"]), "A VIA -A");
    assert_eq!(r.git(&["status", "--porcelain", "--", "a.txt"]), "");
    // git commit PATH: a next-index; the real index must get the fix too.
    r.write("b.txt", "b via paths\n");
    let out = r.git_out(&["commit", "-q", "-m", "feat: b", "b.txt"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.git(&["show", "HEAD:b.txt"]), "B VIA PATHS");
    assert_eq!(
        r.git(&["show", ":b.txt"]),
        "B VIA PATHS",
        "real index updated as well"
    );
    assert_eq!(r.git(&["status", "--porcelain", "--", "b.txt"]), "");
}

#[test]
fn fix_that_would_mix_with_unstaged_changes_stops_and_keeps_both_versions() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "A\n", "init");
    r.install();
    r.write(
        ".hygiene.toml",
        format!("[lint_options]\nfix = true\n{UPPER}"),
    );
    r.write("a.txt", "staged\n");
    r.git(&["add", "a.txt"]);
    r.write("a.txt", "staged\nunstaged work\n");
    let out = r.commit("feat: x");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("lint/fix-conflict"), "{t}");
    assert_eq!(
        r.read("a.txt"),
        b"staged\nunstaged work\n",
        "work-tree version untouched"
    );
    assert_eq!(r.git(&["show", ":a.txt"]), "staged", "not re-staged");
    let kept = t
        .split("formatted staged version is at ")
        .nth(1)
        .unwrap()
        .split(". Stage")
        .next()
        .unwrap();
    assert_eq!(
        std::fs::read(kept.trim()).unwrap(),
        b"STAGED\n",
        "the formatted version is kept"
    );
}

#[test]
fn twenty_thousand_files_are_batched_under_the_argument_limit() {
    let sb = Sandbox::new();
    let counts = sb.path().join("counts");
    let r = sb.repo("r");
    r.install();
    r.write(".hygiene.toml", format!("[hygiene]\nenabled = false\n[[lint]]\nname = \"count\"\nglob = \"*.txt\"\nrun = \"sh -c 'echo $# >> {}' count {{files}}\"\n", sh_quote(&counts)));
    let long = "d".repeat(60);
    for i in 0..20_000 {
        r.write(
            &format!("{long}/{:03}/file-with-a-long-name-{i:05}.txt", i % 100),
            "x",
        );
    }
    r.git(&["add", "."]);
    let out = r.commit("feat: many");
    assert_eq!(code(&out), 0, "{}", text(&out));
    let runs: Vec<usize> = std::fs::read_to_string(&counts)
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(
        runs.iter().sum::<usize>(),
        20_000,
        "every file exactly once: {runs:?}"
    );
    assert!(runs.len() >= 2, "~2.2 MB of names must be split: {runs:?}");
}
