//! End-to-end: `git hygiene check --all-files` and `check --files PATH…` judge whole files of
//! the work tree as they are, with a real linter (ruff from tests/tools/requirements.txt) run in
//! batches over every tracked file, and the content checks beside it. With `--fix` the fixer edits
//! the work tree only: the index is untouched, every fixed file is listed, and a file that had
//! unstaged changes keeps its earlier version under .git/hygiene/kept/.

use crate::lint_presets::{py_tool, toml_path};
use crate::support::*;

const BAD: &str = "def f( a ):\n  return a\n";
const FIXED: &str = "def f(a):\n    return a\n";
const GOOD: &str = "x = 1\n";

/// A repository whose history was committed without hooks: two badly formatted Python files
/// (one in a sub-directory), three clean ones, and ruff-format in batches of two files.
fn monorepo(sb: &Sandbox) -> Repo<'_> {
    let r = sb.repo("r");
    r.write(
        ".hygiene.toml",
        format!(
            "[[lint]]\npreset = \"ruff-format\"\ntool = {}\nbatch = 2\n",
            toml_path(&py_tool("ruff"))
        ),
    );
    for (path, text) in [
        ("app.py", GOOD),
        ("lib/util.py", GOOD),
        ("lib/bad.py", BAD),
        ("services/api/main.py", GOOD),
        ("services/api/worse.py", BAD),
        ("README.md", "# r\n"),
    ] {
        r.write(path, text);
    }
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r
}

#[test]
fn all_files_lints_every_tracked_file_in_batches_and_runs_the_content_checks() {
    let sb = Sandbox::new();
    let r = monorepo(&sb);
    // Untracked: not judged by --all-files.
    r.write("scratch.py", BAD);
    // A staged-only check sees nothing to lint: nothing is staged.
    assert_exit(&r.hygiene(&["check"]), 0);

    let out = r.hygiene(&["check", "--all-files", "-v"]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(t.contains("lint/failed") || t.contains("error[lint"), "{t}");
    assert!(
        t.contains("lib/bad.py") && t.contains("services/api/worse.py"),
        "{t}"
    );
    assert!(
        !t.contains("scratch.py"),
        "untracked files are not judged: {t}"
    );
    // Five Python files in batches of two: three runs.
    assert!(t.contains("(run 3 of 3)"), "{t}");
    assert!(t.contains("git-hygiene all-files"), "{t}");

    // A content check over the same files: a conflict marker left in a committed file.
    r.write(
        "app.py",
        "<<<<<<< HEAD\nx = 1\n=======\nx = 2\n>>>>>>> other\n",
    );
    let out = r.hygiene(&["check", "--all-files", "--format", "json"]);
    let rules: Vec<String> = json_findings(&out)
        .iter()
        .map(|f| {
            format!(
                "{}/{}",
                f["check"].as_str().unwrap(),
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        rules.contains(&"hygiene/conflict-marker".to_owned()),
        "{rules:?}"
    );
    // Nothing was staged or written by a check run.
    assert_eq!(r.git(&["diff", "--cached", "--name-only"]), "");
    assert_eq!(String::from_utf8_lossy(&r.read("lib/bad.py")), BAD);
}

#[test]
fn files_judges_only_the_named_files_and_refuses_missing_ones() {
    let sb = Sandbox::new();
    let r = monorepo(&sb);
    assert_exit(
        &r.hygiene(&["check", "--files", "app.py", "lib/util.py"]),
        0,
    );
    let out = r.hygiene(&["check", "--files", "app.py", "lib/bad.py"]);
    assert_exit(&out, 1);
    let t = text(&out);
    assert!(t.contains("lib/bad.py") && !t.contains("worse.py"), "{t}");

    // Relative to the current directory, and a directory stands for its tracked files.
    let api = r.at(r.dir.join("services/api"));
    let out = api.hygiene(&["check", "--files", "worse.py"]);
    assert_exit(&out, 1);
    assert!(
        text(&out).contains("services/api/worse.py"),
        "{}",
        text(&out)
    );
    let out = r.hygiene(&["check", "--files", "services"]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("worse.py"), "{}", text(&out));

    // An untracked file that exists is judged; one that does not exist is exit 2.
    r.write("scratch.py", BAD);
    assert_exit(&r.hygiene(&["check", "--files", "scratch.py"]), 1);
    let out = r.hygiene(&["check", "--files", "app.py", "nope.py"]);
    assert_exit(&out, 2);
    assert!(text(&out).contains("nope.py"), "{}", text(&out));
    assert_exit(
        &r.hygiene(&["check", "--all-files", "--files", "app.py"]),
        2,
    );

    // Fixing an untracked file: git has no copy of it, so git-hygiene keeps one.
    let out = r.hygiene(&["check", "--files", "scratch.py", "--fix"]);
    assert_exit(&out, 0);
    assert_eq!(String::from_utf8_lossy(&r.read("scratch.py")), FIXED);
    let kept: Vec<_> = std::fs::read_dir(r.dir.join(".git/hygiene/kept"))
        .expect("kept dir")
        .flatten()
        .map(|e| e.path().join("scratch.py"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read_to_string(&kept[0]).expect("kept copy"), BAD);
}

#[test]
fn all_files_fix_edits_the_work_tree_only_and_never_loses_unstaged_work() {
    let sb = Sandbox::new();
    let r = monorepo(&sb);
    // An unrelated unstaged edit, a staged edit, and a badly formatted file with an unstaged edit.
    r.write("README.md", "# r\n\nmy notes, not staged\n");
    r.write("app.py", "x = 1\ny = 2\n");
    r.git(&["add", "app.py"]);
    let dirty = "def f( a ):\n  return a  # mine\n";
    r.write("services/api/worse.py", dirty);
    let index_before = r.git(&["ls-files", "-s"]);

    let out = r.hygiene(&["check", "--all-files", "--fix"]);
    let t = text(&out);
    assert_exit(&out, 0);
    // Fixed in the work tree and listed.
    assert_eq!(String::from_utf8_lossy(&r.read("lib/bad.py")), FIXED);
    assert_eq!(
        String::from_utf8_lossy(&r.read("services/api/worse.py")),
        "def f(a):\n    return a  # mine\n"
    );
    assert!(
        t.contains("lint/fixed") || t.contains("warn[lint/fixed]"),
        "{t}"
    );
    assert!(
        t.contains("lib/bad.py") && t.contains("services/api/worse.py"),
        "{t}"
    );
    // The index is exactly as it was: the staged edit stays staged, nothing else is.
    assert_eq!(r.git(&["ls-files", "-s"]), index_before);
    assert_eq!(r.git(&["diff", "--cached", "--name-only"]), "app.py");
    // Unrelated unstaged work is untouched.
    assert_eq!(
        String::from_utf8_lossy(&r.read("README.md")),
        "# r\n\nmy notes, not staged\n"
    );
    // The file that had unstaged changes has its earlier version kept, byte for byte; clean
    // files get no copy (git checkout brings them back).
    let kept = std::fs::read_dir(r.dir.join(".git/hygiene/kept"))
        .expect("kept dir")
        .flatten()
        .map(|e| e.path())
        .collect::<Vec<_>>();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let copy = kept[0].join("services/api/worse.py");
    assert_eq!(std::fs::read_to_string(&copy).expect("kept copy"), dirty);
    assert!(!kept[0].join("lib/bad.py").exists());
    assert!(t.contains(&copy.display().to_string()), "{t}");

    // Once fixed, the tree passes.
    assert_exit(&r.hygiene(&["check", "--all-files"]), 0);
}

#[test]
fn config_fix_true_alone_does_not_rewrite_the_whole_tree() {
    let sb = Sandbox::new();
    let r = monorepo(&sb);
    let mut config = String::from_utf8_lossy(&r.read(".hygiene.toml")).into_owned();
    config.push_str("\n[lint_options]\nfix = true\n");
    r.write(".hygiene.toml", config);
    assert_exit(&r.hygiene(&["check", "--all-files"]), 1);
    assert_eq!(String::from_utf8_lossy(&r.read("lib/bad.py")), BAD);
}

#[test]
fn a_fix_run_stopped_by_a_signal_says_where_the_earlier_versions_are() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    // A fixer that rewrites its files, then stops git-hygiene (its parent) with SIGTERM.
    r.write(
        ".hygiene.toml",
        "[[lint]]\nname = \"rude\"\nglob = [\"*.txt\"]\nrun = \"true\"\nfix = \"for f in {files}; do echo fixed > \\\"$f\\\"; done; kill -TERM $PPID; sleep 5\"\n",
    );
    r.write("a.txt", "committed\n");
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r.write("a.txt", "committed\nmy unstaged line\n");
    let out = r.hygiene(&["check", "--all-files", "--fix"]);
    let t = text(&out);
    assert_exit(&out, 2);
    assert!(t.contains("interrupted by SIGTERM"), "{t}");
    let kept: Vec<_> = std::fs::read_dir(r.dir.join(".git/hygiene/kept"))
        .expect("kept dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(t.contains(&kept[0].display().to_string()), "{t}");
    assert_eq!(
        std::fs::read_to_string(kept[0].join("a.txt")).expect("kept copy"),
        "committed\nmy unstaged line\n"
    );
}
