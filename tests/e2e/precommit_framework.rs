//! git-hygiene adopted through pre-commit and prek: a user repository whose
//! `.pre-commit-config.yaml` points at a local repository holding this project's hook manifest
//! (`repo: /path`, `rev: sha`)
//! uses the hooks of `.pre-commit-hooks.yaml` (the `language: system` flavour, with the built
//! binary on PATH). Runs the real tools; `.ci/run` installs them (`pip install pre-commit prek`).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{code, text, Repo, Sandbox, MARKER_FILE};

/// The hook repository: this project's `.pre-commit-hooks.yaml` (working copy) committed in a
/// fresh repository. With `language: system` the manifest is all pre-commit and prek read from
/// it; a full clone of the project only made them fetch and check out the whole source tree
/// (minutes on a large object store) for nothing.
fn hook_repo(sb: &Sandbox) -> (PathBuf, String) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = sb.repo("git-hygiene-hooks");
    let manifest = std::fs::read(src.join(".pre-commit-hooks.yaml")).expect("manifest");
    r.write(".pre-commit-hooks.yaml", manifest);
    r.git(&["add", ".pre-commit-hooks.yaml"]);
    let rev = r.commit_no_verify("git-hygiene hook manifest");
    (r.dir.clone(), rev)
}

fn tool_available(tool: &str) {
    let ok = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(ok, "`{tool}` is not installed: pip install pre-commit prek");
}

fn user_repo<'a>(sb: &'a Sandbox, hooks: &Path, rev: &str) -> Repo<'a> {
    let r = sb.repo("user");
    let config = format!(
        "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: git-hygiene\n  - id: git-hygiene-commit-msg\n  - id: git-hygiene-prepare-commit-msg\n  - id: git-hygiene-pre-push\n",
        hooks.display()
    );
    r.write(".pre-commit-config.yaml", config);
    r.add_commit("README.md", "hello\n", "chore: base");
    r.git(&["add", ".pre-commit-config.yaml"]);
    r.commit_no_verify("chore: hooks");
    r
}

fn tool(r: &Repo, tool: &str, args: &[&str]) -> Output {
    r.cmd(tool)
        .args(args)
        .env("PRE_COMMIT_HOME", r.sb.path().join("pc-cache"))
        .env("PREK_HOME", r.sb.path().join("prek-cache"))
        .env_remove("PRE_COMMIT_FROM_REF")
        .env_remove("PRE_COMMIT_TO_REF")
        .output()
        .expect("run hook framework")
}

fn with_framework(name: &str) {
    tool_available(name);
    let sb = Sandbox::new();
    let (hooks, rev) = hook_repo(&sb);
    let r = user_repo(&sb, &hooks, &rev);

    // `run`: the pre-commit hook judges what is staged.
    r.write("bad.txt", MARKER_FILE);
    r.git(&["add", "bad.txt"]);
    let out = tool(&r, name, &["run", "--hook-stage", "pre-commit"]);
    assert_eq!(code(&out), 1, "{name} run should fail:\n{}", text(&out));
    assert!(text(&out).contains("conflict-marker"), "{}", text(&out));
    r.git(&["rm", "-q", "--cached", "bad.txt"]);
    std::fs::remove_file(r.dir.join("bad.txt")).expect("rm");

    // Installed as git hooks through the framework.
    let out = tool(
        &r,
        name,
        &[
            "install",
            "-t",
            "pre-commit",
            "-t",
            "commit-msg",
            "-t",
            "prepare-commit-msg",
            "-t",
            "pre-push",
        ],
    );
    assert!(out.status.success(), "{name} install:\n{}", text(&out));
    let commit = |path: &str, content: &str, msg: &str| {
        r.write(path, content);
        r.git(&["add", "--", path]);
        r.cmd("git")
            .args(["commit", "-q", "-m", msg])
            .env("PRE_COMMIT_HOME", sb.path().join("pc-cache"))
            .env("PREK_HOME", sb.path().join("prek-cache"))
            .output()
            .expect("git commit")
    };
    let out = commit("src/bad.txt", MARKER_FILE, "feat: bad");
    assert_ne!(code(&out), 0, "commit must be blocked:\n{}", text(&out));
    assert!(text(&out).contains("conflict-marker"), "{}", text(&out));
    r.git(&["rm", "-q", "--cached", "src/bad.txt"]);
    std::fs::remove_file(r.dir.join("src/bad.txt")).expect("rm");
    let out = commit("src/good.txt", "fine\n", "feat: good");
    assert_eq!(code(&out), 0, "good commit:\n{}", text(&out));
    assert_eq!(r.git(&["log", "-1", "--format=%s"]), "feat: good");

    // pre-push: the framework hands over PRE_COMMIT_FROM_REF/TO_REF, not git's stdin. A bad
    // commit made with --no-verify in the middle of a new branch is caught.
    let remote = sb.bare("remote.git");
    r.git(&["remote", "add", "origin", remote.to_str().expect("utf8")]);
    let push = |args: &[&str]| {
        r.cmd("git")
            .arg("push")
            .args(args)
            .env("PRE_COMMIT_HOME", sb.path().join("pc-cache"))
            .env("PREK_HOME", sb.path().join("prek-cache"))
            .output()
            .expect("git push")
    };
    let out = push(&["-q", "origin", crate::support::BRANCH]);
    assert_eq!(code(&out), 0, "clean push:\n{}", text(&out));
    r.git(&["checkout", "-q", "-b", "feature/x"]);
    r.add_commit("a.txt", "a\n", "feat: a");
    r.add_commit("b.txt", MARKER_FILE, "feat: sneaky");
    r.add_commit("b.txt", "fixed\n", "fix: b");
    let out = push(&["-q", "origin", "feature/x"]);
    assert_ne!(code(&out), 0, "push must be blocked:\n{}", text(&out));
    assert!(text(&out).contains("conflict-marker"), "{}", text(&out));
    assert!(text(&out).contains("b.txt"), "{}", text(&out));
}

#[test]
fn pre_commit_framework() {
    with_framework("pre-commit");
}

#[test]
fn prek_framework() {
    with_framework("prek");
}
