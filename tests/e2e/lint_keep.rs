//! End-to-end: linters on staged files through real `git commit`s, and the guarantee that
//! unstaged work survives every way a run can end — failure, crash, timeout, SIGINT, SIGKILL.

use crate::support::*;

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
    assert_exit(&out, 2);
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

// The portable layer catches no signals: an interrupted run is restored by the next command.
#[cfg(all(unix, not(hygiene_portable)))]
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

// The portable layer catches no signals: an interrupted run is restored by the next command.
#[cfg(all(unix, not(hygiene_portable)))]
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
    assert_exit(&out, 0);
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

#[cfg(all(unix, not(hygiene_portable)))]
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
    assert_exit(&out, 0);
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
    assert_exit(&out, 1);
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
    assert_exit(&out, 0);
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

#[cfg(unix)]
#[test]
fn lint_cwd_that_is_missing_a_file_or_leads_out_of_the_repository_is_a_located_error() {
    use std::os::unix::fs::symlink;
    let sb = Sandbox::new();
    let outside = sb.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let r = sb.repo("r");
    let base = r.add_commit("README.md", "app\n", "docs: readme");
    r.add_commit("front/app.py", "x = 0\n", "feat: app");
    r.install();
    symlink(&outside, r.dir.join("out")).unwrap();
    symlink("front", r.dir.join("web")).unwrap();
    symlink("../..", r.dir.join("front/escape")).unwrap();
    symlink("..", r.dir.join("front/root")).unwrap();
    r.write("front/app.py", "x = 1\n");
    r.git(&["add", "front/app.py"]);
    let config = |cwd: &str| {
        format!("[[lint]]\nname = \"x\"\nglob = \"*.py\"\ncwd = \"{cwd}\"\nrun = \"false\"\n")
    };
    for (cwd, what) in [
        ("frontend", "lint `x`: cwd `frontend` does not exist in the repository"),
        ("front/app.py", "cwd `front/app.py` is not a directory"),
        ("out", "cwd `out` leads outside the repository (through a symlink"),
        ("front/escape", "cwd `front/escape` leads outside the repository"),
        ("front/root", "goes through a symlink to the repository root"),
        ("web", "cwd `web` goes through a symlink to `front`; git has the files under that path, so write cwd = \"front\""),
        ("front/../..", "lint cwd `front/../..` uses `..`"),
        ("/tmp", "lint cwd `/tmp` is an absolute path"),
    ] {
        assert_located(&r, &base, &config(cwd), "4:7", what);
    }
    // `./front/` is `front`: the linter runs there (and fails), so the commit is stopped by it.
    r.write(".hygiene.toml", config("./front/"));
    let out = r.commit("feat: change app");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("lint/failed") && t.contains("front/app.py"),
        "{t}"
    );
}

/// With `severity = "warn"` a linter's failure is a warning and the commit goes through; a
/// linter that never started has judged nothing, so it must stop the commit all the same.
#[cfg(unix)]
#[test]
fn a_linter_that_cannot_start_is_an_error_never_a_pass() {
    use std::os::unix::fs::PermissionsExt;
    let sh = "#!/bin/sh\nexit 0\n";
    for (script, mode, run, optional, what) in [
        (
            sh,
            0o644,
            "./lint.sh",
            false,
            "`./lint.sh` is not executable; `chmod +x ./lint.sh`",
        ),
        (
            sh,
            0o644,
            "./lint.sh",
            true,
            "`./lint.sh` is not executable",
        ),
        (
            "#!/nonexistent/interpreter\n",
            0o755,
            "./lint.sh",
            false,
            "`./lint.sh` starts with `#!/nonexistent/interpreter`, which does not exist",
        ),
        (
            "#!/usr/bin/env definitely-not-an-interpreter-xyz\n",
            0o755,
            "./lint.sh",
            false,
            "`./lint.sh` exited with 127, which means a command it starts was not found",
        ),
        (
            sh,
            0o644,
            "./lint.sh && true",
            false,
            "`./lint.sh` exited with 126",
        ),
    ] {
        let sb = Sandbox::new();
        let r = setup(
            &sb,
            &format!("[lint_options]\nseverity = \"warn\"\n[[lint]]\nname = \"x\"\nglob = \"*.py\"\nrun = \"{run}\"\noptional = {optional}\n"),
        );
        let lint = r.dir.join("lint.sh");
        std::fs::write(&lint, script).unwrap();
        std::fs::set_permissions(&lint, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = r.commit("feat: x");
        let t = text(&out);
        assert_ne!(code(&out), 0, "{run} {script:?}: {t}");
        assert!(t.contains(what), "{run} {script:?}: {t}");
        assert_eq!(r.commit_count(), 1);
        let out = r.hygiene(&["check"]);
        let t = text(&out);
        assert_eq!(code(&out), 2, "{run} {script:?}: {t}");
        assert!(
            t.contains("lint `x` (")
                && t.contains("[[lint]] entry 1) did not run: ")
                && t.contains(what),
            "{t}"
        );
        assert_intact(&r);
    }
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
    assert_exit(&out, 0);
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
    assert_exit(&out, 0);
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
    assert_exit(&out, 0);
    assert_eq!(r.git(&["show", "HEAD:a.txt"]), "A VIA -A");
    assert_eq!(r.git(&["status", "--porcelain", "--", "a.txt"]), "");
    // git commit PATH: a next-index; the real index must get the fix too.
    r.write("b.txt", "b via paths\n");
    let out = r.git_out(&["commit", "-q", "-m", "feat: b", "b.txt"]);
    assert_exit(&out, 0);
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
    assert_exit(&out, 0);
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

/// What a path holds, as the tests compare it: a link's target, or a file's bytes and
/// permission bits.
#[cfg(unix)]
fn path_state(p: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::symlink_metadata(p) {
        Err(_) => "absent".into(),
        Ok(m) if m.file_type().is_symlink() => {
            format!("link {}", std::fs::read_link(p).unwrap().display())
        }
        Ok(m) => format!(
            "file {:o} {:?}",
            m.permissions().mode() & 0o7777,
            String::from_utf8_lossy(&std::fs::read(p).unwrap())
        ),
    }
}

/// The index entries, `git status`, and each of `paths` in the work tree.
#[cfg(unix)]
fn snapshot(r: &Repo<'_>, paths: &[&str]) -> String {
    let mut s = format!(
        "index:\n{}\nstatus:\n{}\n",
        r.git(&["ls-files", "-s"]),
        r.git(&["status", "--porcelain", "--untracked-files=all"])
    );
    for p in paths {
        s.push_str(&format!("{p}: {}\n", path_state(&r.dir.join(p))));
    }
    s
}

/// A linter that records, for each file it gets, whether `git diff` of it is empty and what it
/// sees (the link target, or the executable bit and the bytes), then fails so nothing is
/// committed and the state after can be compared with the state before exactly.
#[cfg(unix)]
fn recording_linter(sb: &Sandbox) -> (String, PathBuf) {
    let record = sb.path().join("record");
    let script = sb.path().join("record.sh");
    std::fs::write(
        &script,
        format!(
            "for f; do\n  git diff --quiet -- \"$f\"; d=$?\n  if [ -L \"$f\" ]; then s=\"link $(readlink \"$f\")\"\n  else x=-; [ -x \"$f\" ] && x=x; s=\"file $x $(od -An -tx1 -v \"$f\" | tr -d ' \\n')\"; fi\n  printf '%s diff=%s %s\\n' \"$f\" \"$d\" \"$s\" >> {}\ndone\nexit 1\n",
            sh_quote(&record)
        ),
    )
    .unwrap();
    let config = format!(
        "[[lint]]\nname = \"record\"\nglob = [\"*\", \"!.gitattributes\"]\nrun = \"sh {} {{files}}\"\n",
        sh_quote(&script).replace('\'', "")
    );
    (config, record)
}

/// What git itself writes for the index entry of `path`, in the recording linter's words.
#[cfg(unix)]
fn git_would_write(r: &Repo<'_>, path: &str) -> String {
    let out = r.sb.path().join("checkout");
    let _ = std::fs::remove_dir_all(&out);
    r.git(&[
        "checkout-index",
        &format!("--prefix={}/", out.display()),
        "--",
        path,
    ]);
    let p = out.join(path);
    let m = std::fs::symlink_metadata(&p).unwrap();
    if m.file_type().is_symlink() {
        return format!(
            "{path} diff=0 link {}",
            std::fs::read_link(&p).unwrap().display()
        );
    }
    use std::os::unix::fs::PermissionsExt;
    let x = if m.permissions().mode() & 0o111 != 0 {
        "x"
    } else {
        "-"
    };
    let hex: String = std::fs::read(&p)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{path} diff=0 file {x} {hex}")
}

/// Runs a real `git commit` with the recording linter on a repository `setup` prepared, and
/// checks the three promises: each of `files` is given to the linter, `git diff` of it is empty
/// while the linter runs and it holds exactly what git would write for the staged entry; and
/// afterwards the index, the work tree (bytes, modes, links) and `git status` are as before.
#[cfg(unix)]
fn assert_linter_sees_what_git_would_write(setup: impl Fn(&Repo<'_>), files: &[&str]) {
    let sb = Sandbox::new();
    let (config, record) = recording_linter(&sb);
    let r = sb.repo("r");
    r.write(".hygiene.toml", &config);
    setup(&r);
    r.install();
    let mut watched: Vec<&str> = files.to_vec();
    watched.push(".hygiene.toml");
    let before = snapshot(&r, &watched);
    let mut expected: Vec<String> = files.iter().map(|f| git_would_write(&r, f)).collect();
    expected.sort();
    let commits = r.commit_count();

    let out = r.commit("feat: x");
    assert_eq!(code(&out), 1, "the recording linter fails: {}", text(&out));
    let mut seen: Vec<String> = std::fs::read_to_string(&record)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        expected,
        "what the linter saw, vs what git writes for the staged entries\n{}",
        text(&out)
    );
    assert_eq!(r.commit_count(), commits);
    assert_eq!(snapshot(&r, &watched), before, "state after the commit");
    assert_eq!(journals(&r), 0);
    assert!(
        !r.dir.join(".git/hygiene/kept").exists(),
        "nothing was changed while hidden, so nothing is kept"
    );
}

#[cfg(unix)]
#[test]
fn autocrlf_crlf_work_tree_linter_sees_the_crlf_git_checks_out() {
    assert_linter_sees_what_git_would_write(
        |r| {
            r.git(&["config", "core.autocrlf", "true"]);
            r.write("a.txt", "one\r\ntwo\r\n");
            r.write("b.txt", "same\nwords\n");
            r.git(&["add", "a.txt", "b.txt"]);
            r.commit_no_verify("init");
            // a.txt: partially staged, CRLF throughout.
            r.write("a.txt", "one\r\ntwo\r\nstaged\r\n");
            r.git(&["add", "a.txt"]);
            r.write("a.txt", "one\r\ntwo\r\nstaged\r\nunstaged\r\n");
            // b.txt: staged from an LF file, only its line endings differ in the work tree.
            r.write("b.txt", "same\nwords\nstaged\n");
            r.git(&["add", "b.txt"]);
            r.write("b.txt", "same\r\nwords\r\nstaged\r\n");
        },
        &["a.txt", "b.txt"],
    );
}

#[cfg(unix)]
#[test]
fn apply_whitespace_error_with_autocrlf_linter_sees_the_staged_crlf() {
    assert_linter_sees_what_git_would_write(
        |r| {
            r.git(&["config", "core.autocrlf", "true"]);
            r.git(&["config", "apply.whitespace", "error"]);
            r.write("a.txt", "one  \r\n");
            r.git(&["add", "a.txt"]);
            r.commit_no_verify("init");
            r.write("a.txt", "one  \r\nstaged\t\r\n");
            r.git(&["add", "a.txt"]);
            r.write("a.txt", "one  \r\nstaged\t\r\nunstaged   \r\n\r\n");
        },
        &["a.txt"],
    );
}

#[cfg(unix)]
#[test]
fn staged_symlink_is_given_to_the_linter_with_its_staged_target() {
    assert_linter_sees_what_git_would_write(
        |r| {
            r.write("t.txt", "target\n");
            std::os::unix::fs::symlink("t.txt", r.dir.join("link")).unwrap();
            std::os::unix::fs::symlink("t.txt", r.dir.join("was-link")).unwrap();
            r.git(&["add", "."]);
            r.commit_no_verify("init");
            let relink = |name: &str, to: &str| {
                std::fs::remove_file(r.dir.join(name)).unwrap();
                std::os::unix::fs::symlink(to, r.dir.join(name)).unwrap();
            };
            // Staged with one target, the work tree points to another.
            relink("link", "staged-target");
            r.git(&["add", "link"]);
            relink("link", "work-tree-target");
            // Staged as a link, a regular file in the work tree.
            relink("was-link", "other-target");
            r.git(&["add", "was-link"]);
            std::fs::remove_file(r.dir.join("was-link")).unwrap();
            r.write("was-link", "now a file\n");
        },
        &["link", "was-link"],
    );
}

#[cfg(unix)]
#[test]
fn eol_attributes_and_smudge_filters_linter_sees_the_checked_out_bytes() {
    assert_linter_sees_what_git_would_write(
        |r| {
            r.git(&["config", "filter.upper.smudge", "tr a-z A-Z"]);
            r.git(&["config", "filter.upper.clean", "tr A-Z a-z"]);
            r.write(
                ".gitattributes",
                "* text=auto eol=crlf\n*.up filter=upper -text\n",
            );
            r.write("a.txt", "one\r\n");
            r.write("b.up", "ONE\n");
            r.git(&["add", "."]);
            r.commit_no_verify("init");
            r.write("a.txt", "one\r\nstaged\r\n");
            r.write("b.up", "ONE\nSTAGED\n");
            r.git(&["add", "a.txt", "b.up"]);
            r.write("a.txt", "one\r\nstaged\r\nunstaged\r\n");
            r.write("b.up", "ONE\nSTAGED\nUNSTAGED\n");
        },
        &["a.txt", "b.up"],
    );
}

#[cfg(unix)]
#[test]
fn executable_bit_differences_and_mode_only_changes_are_hidden_and_restored() {
    use std::os::unix::fs::PermissionsExt;
    let chmod = |r: &Repo<'_>, p: &str, mode: u32| {
        std::fs::set_permissions(r.dir.join(p), std::fs::Permissions::from_mode(mode)).unwrap()
    };
    assert_linter_sees_what_git_would_write(
        |r| {
            r.write("run.sh", "echo 1\n");
            r.write("mode-only.sh", "echo 2\n");
            r.git(&["add", "."]);
            r.commit_no_verify("init");
            // Staged executable, the work tree not, with more content.
            r.write("run.sh", "echo 1\necho staged\n");
            chmod(r, "run.sh", 0o755);
            r.git(&["add", "run.sh"]);
            r.write("run.sh", "echo 1\necho staged\necho unstaged\n");
            chmod(r, "run.sh", 0o640);
            // Content staged; the only unstaged change is the executable bit.
            r.write("mode-only.sh", "echo 2\necho staged\n");
            r.git(&["add", "mode-only.sh"]);
            chmod(r, "mode-only.sh", 0o750);
        },
        &["run.sh", "mode-only.sh"],
    );
}

/// Two partially staged files whose work-tree versions are also executable (so a restore has a
/// step where the bytes are back but the mode is not yet) and a symlink staged with one target
/// while the work tree points to another.
/// With `autocrlf`, what is hidden is git's CRLF rendering rather than the blob.
#[cfg(unix)]
fn crash_setup<'a>(sb: &'a Sandbox, config: &str, autocrlf: bool) -> Repo<'a> {
    use std::os::unix::fs::PermissionsExt;
    let r = sb.repo("r");
    if autocrlf {
        r.git(&["config", "core.autocrlf", "true"]);
    }
    r.write("a.py", "a = 0\n");
    r.write("b.py", "b = 0\n");
    std::os::unix::fs::symlink("old-target", r.dir.join("link")).unwrap();
    r.git(&["add", "."]);
    r.commit_no_verify("init");
    r.install();
    r.write(".hygiene.toml", config);
    for f in ["a.py", "b.py"] {
        r.write(f, STAGED);
        r.git(&["add", f]);
        r.write(f, UNSTAGED);
        std::fs::set_permissions(r.dir.join(f), std::fs::Permissions::from_mode(0o751)).unwrap();
    }
    for (target, stage) in [("staged-target", true), ("work-tree-target", false)] {
        std::fs::remove_file(r.dir.join("link")).unwrap();
        std::os::unix::fs::symlink(target, r.dir.join("link")).unwrap();
        if stage {
            r.git(&["add", "link"]);
        }
    }
    r
}

#[cfg(unix)]
const CRASH_FILES: &[&str] = &["a.py", "b.py", "link"];

/// `git commit` whose git-hygiene SIGKILLs itself at `point` (debug builds only).
#[cfg(unix)]
fn commit_killed_at(r: &Repo<'_>, point: &str) -> std::process::Output {
    r.cmd("git")
        .args(["commit", "-q", "-m", "feat: x"])
        .env("HYGIENE_DEBUG_KILL_AT", point)
        .output()
        .unwrap()
}

/// Every point where a kill can land while the work tree is being hidden or restored, each file
/// in turn: the next command finishes the job, the user's bytes, modes and links are exactly
/// back, and no copy of the user's own version is "kept" as if someone had changed it.
#[cfg(all(unix, debug_assertions))]
#[test]
fn kill_at_each_step_of_hiding_and_restoring_recovers_without_spurious_kept_copies() {
    let steps: &[(&str, &[usize])] = &[
        ("hide-marked", &[1, 2, 3]),
        ("hide-truncated", &[1, 2]),
        ("hide-partial", &[1, 2]),
        ("hide-written", &[1, 2]),
        ("hide-removed", &[1]),
        ("hide-done", &[1, 3]),
        ("restore-marked", &[1, 2, 3]),
        ("restore-truncated", &[1, 2]),
        ("restore-partial", &[1, 2]),
        ("restore-written", &[1, 2]),
        ("restore-removed", &[1]),
        ("restore-done", &[1, 2, 3]),
        ("restore-closed", &[1]),
    ];
    // The steps that write file bytes again where git's conversion decides what is hidden.
    let converted = [
        "hide-partial@1",
        "hide-written@2",
        "restore-partial@1",
        "restore-written@2",
    ];
    let mut wrong = Vec::new();
    for (step, nths) in steps {
        for nth in *nths {
            let point = format!("{step}@{nth}");
            if let Err(why) = kill_and_recover(&point, false) {
                wrong.push(format!("{point}: {why}"));
            }
        }
    }
    for point in converted {
        if let Err(why) = kill_and_recover(point, true) {
            wrong.push(format!("{point} (autocrlf): {why}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[cfg(unix)]
fn kill_and_recover(point: &str, autocrlf: bool) -> Result<(), String> {
    let sb = Sandbox::new();
    let r = crash_setup(
        &sb,
        "[[lint]]\nname = \"ok\"\nglob = \"*\"\nrun = \"true {files}\"\n",
        autocrlf,
    );
    let before = snapshot(&r, CRASH_FILES);
    let out = commit_killed_at(&r, point);
    if out.status.success() || journals(&r) != 1 {
        return Err(format!(
            "not killed with its journal in place: {}",
            text(&out)
        ));
    }
    let out = r.hygiene(&["rules"]);
    let t = String::from_utf8_lossy(&out.stderr);
    if code(&out) != 0 || t.contains("changed while hidden") {
        return Err(format!(
            "recovery took our own half-done write for a change: {t}"
        ));
    }
    let after = snapshot(&r, CRASH_FILES);
    if after != before {
        return Err(format!("state after recovery:\n{after}\nbefore:\n{before}"));
    }
    if journals(&r) != 0 || r.dir.join(".git/hygiene/kept").exists() {
        return Err("journal left, or a spurious kept copy".into());
    }
    Ok(())
}

/// A linter rewrote a hidden file, and the kill lands after that version was kept but before
/// the list of kept files was written: recovery keeps it once, and puts the user's back.
#[cfg(all(unix, debug_assertions))]
#[test]
fn kill_while_keeping_a_changed_file_aside_keeps_it_exactly_once() {
    let sb = Sandbox::new();
    let r = crash_setup(
        &sb,
        "[[lint]]\nname = \"rewrites\"\nglob = \"a.py\"\nrun = \"sh -c 'echo changed >> a.py'\"\npass_filenames = false\n",
        false,
    );
    let before = snapshot(&r, CRASH_FILES);
    let out = commit_killed_at(&r, "restore-kept");
    assert!(!out.status.success());
    assert_eq!(journals(&r), 1);
    let out = r.hygiene(&["rules"]);
    assert_exit(&out, 0);
    assert_eq!(snapshot(&r, CRASH_FILES), before);
    assert_eq!(journals(&r), 0);
    let kept: Vec<PathBuf> = std::fs::read_dir(r.dir.join(".git/hygiene/kept"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "one kept set: {kept:?}");
    assert_eq!(
        std::fs::read_to_string(kept[0].join("list")).unwrap(),
        "0 a.py\n",
        "listed once"
    );
    let mut linted = STAGED.to_vec();
    linted.extend_from_slice(b"changed\n");
    assert_eq!(std::fs::read(kept[0].join("0")).unwrap(), linted);
}
