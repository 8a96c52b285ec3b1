//! `git hygiene install` in repositories whose hooks a manager already owns, with the real
//! managers: husky and lefthook from tests/tools (`npm ci --prefix tests/tools`), pre-commit and
//! prek from tests/tools/requirements.txt. Each scenario commits and pushes for real and checks
//! the team's own hooks still run, and that the protection outlives the manager re-installing
//! itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{bin, code, text, Repo, Sandbox, BRANCH, MARKER_FILE};

/// A tool from tests/tools/node_modules/.bin, or `None` (with the reason printed) when
/// `npm ci --prefix tests/tools` has not run.
fn node_tool(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules/.bin");
    let tool = p.join(name);
    if tool.is_file() {
        Some(tool)
    } else {
        eprintln!(
            "skipped: {} is missing; run `npm ci --prefix tests/tools`",
            tool.display()
        );
        None
    }
}

/// A command in `r` with the npm tools and git-hygiene on PATH, and no manager switched off by
/// the outer environment.
fn run(r: &Repo<'_>, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/node_modules/.bin");
    let path = format!(
        "{}:{}:{}",
        tools.display(),
        bin().parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c: Command = r.cmd(program);
    c.args(args)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", r.sb.path().join("pc-cache"))
        .env("PREK_HOME", r.sb.path().join("prek-cache"))
        .env_remove("HUSKY")
        .env_remove("LEFTHOOK")
        .env_remove("PRE_COMMIT_FROM_REF")
        .env_remove("PRE_COMMIT_TO_REF");
    c.output().expect("run")
}

#[track_caller]
fn ok(out: Output, what: &str) -> Output {
    assert!(out.status.success(), "{what}:\n{}", text(&out));
    out
}

fn aws_file() -> String {
    // Assembled at run time so this repository holds no scanner-shaped key.
    let id = ["AK", "IA", "Q3EGRT5J", "YHMPLW7K"].concat();
    let secret = ["wJalrXUtnF", "EMI/K7MDENG/", "bPxRfiCYz8Q2", "mN4pL7vR0sT9"].concat();
    format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n")
}

/// Stages a file holding an AWS key and commits with the hooks; asserts git refused it.
#[track_caller]
fn secret_commit_is_refused(r: &Repo<'_>, why: &str) {
    let before = r.commit_count();
    r.write("config/aws.ini", aws_file());
    r.git(&["add", "config/aws.ini"]);
    let out = run(r, "git", &["commit", "-q", "-m", "feat: add config"]);
    assert_ne!(
        code(&out),
        0,
        "{why}: the key went through:\n{}",
        text(&out)
    );
    assert!(
        text(&out).contains("secrets/aws-access-key-id"),
        "{why}: {}",
        text(&out)
    );
    assert_eq!(r.commit_count(), before, "{why}");
    r.git(&["rm", "-q", "--cached", "config/aws.ini"]);
    std::fs::remove_file(r.dir.join("config/aws.ini")).expect("rm");
}

/// How many times the team's stand-in for lint-staged has run.
fn team_runs(r: &Repo<'_>) -> usize {
    std::fs::read_to_string(r.dir.join(".git/team-trace"))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

const TEAM_LINE: &str = "echo ran >> \"$(git rev-parse --git-dir)/team-trace\"";

/// Every file of a directory tree, with its content.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                all.insert(p.clone(), std::fs::read(&p).expect("read"));
            }
        }
    }
    all
}

/// A bare `origin`, with `BRANCH` pushed.
fn with_remote(r: &Repo<'_>) {
    let remote = r.sb.bare("remote.git");
    r.git(&["remote", "add", "origin", remote.to_str().expect("utf8")]);
    r.git(&["push", "-q", "--no-verify", "origin", BRANCH]);
}

/// A commit with a conflict marker made with --no-verify must not reach the remote.
#[track_caller]
fn marker_push_is_refused(r: &Repo<'_>, why: &str) {
    r.add_commit("pushed.txt", MARKER_FILE, "fix: sneaky");
    let out = run(r, "git", &["push", "-q", "origin", BRANCH]);
    assert_ne!(code(&out), 0, "{why}: push went through:\n{}", text(&out));
    assert!(
        text(&out).contains("conflict-marker"),
        "{why}: {}",
        text(&out)
    );
    r.git(&["reset", "-q", "--hard", "HEAD~1"]);
}

#[test]
fn husky_9_keeps_the_teams_lines_and_survives_npm_install() {
    let Some(husky) = node_tool("husky") else {
        return;
    };
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        "package.json",
        "{\n  \"name\": \"team\",\n  \"private\": true,\n  \"devDependencies\": { \"husky\": \"9.1.7\" }\n}\n",
    );
    ok(run(&r, &husky, &["init"]), "husky init");
    assert_eq!(r.git(&["config", "core.hooksPath"]), ".husky/_");
    let team = format!("{TEAM_LINE}\n");
    r.write(".husky/pre-commit", &team);
    r.add_commit("README.md", "hello\n", "chore: base");
    let stubs = snapshot(&r.dir.join(".husky/_"));

    // What the old install did (still `--force`): shims in .husky/_, husky's stubs renamed.
    ok(r.hygiene(&["install", "--force"]), "install --force");
    assert!(r.dir.join(".husky/_/pre-commit.legacy").is_file());

    // install puts the stubs back and works through .husky/ instead.
    let out = ok(r.hygiene(&["install"]), "install");
    assert_eq!(snapshot(&r.dir.join(".husky/_")), stubs, "{}", text(&out));
    let script = |name: &str| String::from_utf8(r.read(&format!(".husky/{name}"))).expect("utf8");
    assert_eq!(
        script("pre-commit"),
        format!("{team}git-hygiene hook pre-commit \"$@\"\n")
    );
    for name in ["commit-msg", "prepare-commit-msg", "pre-push"] {
        assert_eq!(script(name), format!("git-hygiene hook {name} \"$@\"\n"));
    }
    // Idempotent: a second install adds nothing.
    ok(r.hygiene(&["install"]), "install again");
    assert_eq!(script("pre-commit").matches("git-hygiene").count(), 1);

    secret_commit_is_refused(&r, "husky");
    assert_eq!(
        team_runs(&r),
        1,
        "the team's pre-commit line must still run"
    );

    // `npm install` runs husky's prepare script, which rewrites .husky/_.
    ok(run(&r, &husky, &[]), "husky (prepare)");
    secret_commit_is_refused(&r, "after husky re-installed itself");
    assert_eq!(team_runs(&r), 2);

    // Arguments reach commit-msg (the message file) and stdin reaches pre-push.
    r.write("ok.txt", "fine\n");
    r.git(&["add", "ok.txt"]);
    ok(
        run(&r, "git", &["commit", "-q", "-m", "feat: fine"]),
        "clean commit",
    );
    let out = run(
        &r,
        "git",
        &["commit", "-q", "--allow-empty", "-m", "Bad subject"],
    );
    assert_ne!(
        code(&out),
        0,
        "commit-msg must judge the message: {}",
        text(&out)
    );
    with_remote(&r);
    marker_push_is_refused(&r, "husky pre-push");

    let out = ok(r.hygiene(&["uninstall"]), "uninstall");
    assert_eq!(script("pre-commit"), team, "{}", text(&out));
    for name in ["commit-msg", "prepare-commit-msg", "pre-push"] {
        assert!(!r.dir.join(".husky").join(name).exists(), "{name}");
    }
    assert_eq!(snapshot(&r.dir.join(".husky/_")), stubs);
}

#[test]
fn lefthook_gets_the_snippet_and_runs_it_through_reinstalls() {
    let Some(lefthook) = node_tool("lefthook") else {
        return;
    };
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let team = format!("pre-commit:\n  commands:\n    team:\n      run: {TEAM_LINE}\n");
    r.write("lefthook.yml", &team);
    r.add_commit("README.md", "hello\n", "chore: base");
    ok(run(&r, &lefthook, &["install"]), "lefthook install");
    let hooks = snapshot(&r.dir.join(".git/hooks"));

    // install writes nothing and prints the snippet.
    let out = r.hygiene(&["install"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert_eq!(snapshot(&r.dir.join(".git/hooks")), hooks, "{}", text(&out));
    assert_eq!(
        String::from_utf8(r.read("lefthook.yml")).expect("utf8"),
        team
    );
    let snippet = String::from_utf8(out.stdout.clone()).expect("utf8");
    assert!(snippet.contains("use_stdin: true"), "{snippet}");
    assert!(text(&out).contains("lefthook install"), "{}", text(&out));

    // The snippet applied: merged into the team's pre-commit section.
    let merged = snippet.replacen(
        "pre-commit:\n  commands:\n",
        &format!("pre-commit:\n  commands:\n    team:\n      run: {TEAM_LINE}\n"),
        1,
    );
    r.write("lefthook.yml", &merged);
    r.git(&["add", "lefthook.yml"]);
    r.commit_no_verify("chore: git-hygiene in lefthook");
    ok(run(&r, &lefthook, &["install"]), "lefthook install");
    let out = ok(r.hygiene(&["install"]), "install once the config runs us");
    assert!(text(&out).contains("already"), "{}", text(&out));

    secret_commit_is_refused(&r, "lefthook");
    assert_eq!(team_runs(&r), 1, "the team's command must still run");
    ok(
        run(&r, &lefthook, &["install", "--force"]),
        "lefthook install -f",
    );
    secret_commit_is_refused(&r, "after lefthook re-installed itself");

    r.write("ok.txt", "fine\n");
    r.git(&["add", "ok.txt"]);
    ok(
        run(&r, "git", &["commit", "-q", "-m", "feat: fine"]),
        "clean commit",
    );
    let out = run(
        &r,
        "git",
        &["commit", "-q", "--allow-empty", "-m", "Bad subject"],
    );
    assert_ne!(
        code(&out),
        0,
        "commit-msg must judge the message: {}",
        text(&out)
    );
    with_remote(&r);
    marker_push_is_refused(&r, "lefthook pre-push");
}

#[test]
fn pre_commit_is_told_its_push_blind_spot_and_gets_the_native_pre_push() {
    framework_push_blind_spot("pre-commit");
}

#[test]
fn prek_is_told_its_push_blind_spot_and_gets_the_native_pre_push() {
    framework_push_blind_spot("prek");
}

fn framework_push_blind_spot(tool: &str) {
    let ok_tool = Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok_tool,
        "`{tool}` is not installed: pip install -r tests/tools/requirements.txt"
    );
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n- repo: local\n  hooks:\n  - id: team\n    name: team\n    entry: sh -c '{TEAM_LINE}'\n    language: system\n    pass_filenames: false\n    always_run: true\n    stages: [pre-commit, pre-push]\n"
        ),
    );
    r.add_commit("README.md", "hello\n", "chore: base");
    ok(
        run(&r, tool, &["install", "-t", "pre-commit", "-t", "pre-push"]),
        "framework install",
    );
    let hooks = snapshot(&r.dir.join(".git/hooks"));

    let out = r.hygiene(&["install"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(t.contains(&format!("{tool} runs no pre-push hook")), "{t}");
    assert!(
        t.contains("only deletes branches") && t.contains("force-push"),
        "{t}"
    );
    assert!(t.contains("git hygiene install --hook pre-push"), "{t}");
    assert!(t.contains("- id: git-hygiene\n"), "{t}");
    assert_eq!(snapshot(&r.dir.join(".git/hooks")), hooks, "{t}");

    // The blind spot, for real: under the framework alone a protected branch (develop) can be deleted.
    with_remote(&r);
    r.git(&[
        "push",
        "-q",
        "--no-verify",
        "origin",
        "HEAD:refs/heads/develop",
    ]);
    ok(
        run(&r, "git", &["push", "-q", "origin", "--delete", "develop"]),
        "the framework lets the deletion through",
    );

    // The native pre-push hook alongside: the framework runs it first, its own hook still runs.
    let out = ok(
        r.hygiene(&["install", "--hook", "pre-push"]),
        "install --hook",
    );
    assert!(
        !r.dir.join(".git/hooks/commit-msg").exists(),
        "{}",
        text(&out)
    );
    let pre_push = String::from_utf8(r.read(".git/hooks/pre-push")).expect("utf8");
    assert!(
        pre_push.contains(&format!("File generated by {tool}")),
        "{pre_push}"
    );
    for round in [
        "after install --hook",
        "after the framework re-installed itself",
    ] {
        r.git(&[
            "push",
            "-q",
            "--no-verify",
            "origin",
            "HEAD:refs/heads/develop",
        ]);
        let runs = team_runs(&r);
        let out = run(&r, "git", &["push", "-q", "origin", "--delete", "develop"]);
        assert_ne!(
            code(&out),
            0,
            "{round}: deletion went through:\n{}",
            text(&out)
        );
        assert!(
            text(&out).contains("protected-delete"),
            "{round}: {}",
            text(&out)
        );
        marker_push_is_refused(&r, round);
        assert!(
            team_runs(&r) > runs,
            "{round}: {tool}'s own pre-push hook must run"
        );
        ok(
            run(&r, tool, &["install", "-t", "pre-commit", "-t", "pre-push"]),
            "framework install again",
        );
    }

    ok(r.hygiene(&["uninstall"]), "uninstall");
    assert!(!r.dir.join(".git/hooks/pre-push.legacy").exists());
    assert_eq!(snapshot(&r.dir.join(".git/hooks")), hooks);
}

#[test]
fn unknown_hooks_path_and_simple_git_hooks_are_refused_untouched() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.git(&["config", "core.hooksPath", ".githooks"]);
    r.write(".githooks/pre-commit", format!("#!/bin/sh\n{TEAM_LINE}\n"));
    r.write(".githooks/post-merge", "#!/bin/sh\nexit 0\n");
    for hook in ["pre-commit", "post-merge"] {
        make_executable(&r.dir.join(".githooks").join(hook));
    }
    r.add_commit("README.md", "hello\n", "chore: base");
    let before = snapshot(&r.dir.join(".githooks"));
    let out = r.hygiene(&["install"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert_eq!(snapshot(&r.dir.join(".githooks")), before);
    let snippet = String::from_utf8_lossy(&out.stdout);
    assert!(
        snippet.contains(&format!(
            "# {}\ngit-hygiene hook pre-commit \"$@\"\n",
            r.dir.join(".githooks/pre-commit").display()
        )),
        "{snippet}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("--force"), "{err}");
    // The team's hook still runs.
    r.write("ok.txt", "fine\n");
    r.git(&["add", "ok.txt"]);
    ok(
        run(&r, "git", &["commit", "-q", "-m", "feat: fine"]),
        "commit",
    );
    assert_eq!(team_runs(&r), 1);

    // --force: today's shims there, the team's hook chained.
    ok(r.hygiene(&["install", "--force"]), "install --force");
    assert_eq!(
        std::fs::read(r.dir.join(".githooks/pre-commit.legacy")).expect("legacy"),
        before[&r.dir.join(".githooks/pre-commit")]
    );
    secret_commit_is_refused(&r, "--force");
    assert_eq!(team_runs(&r), 2);

    let s = sb.repo("s");
    s.write(
        "package.json",
        "{\"simple-git-hooks\": {\"pre-commit\": \"npx lint-staged\"}}\n",
    );
    let out = s.hygiene(&["install"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains(r#""pre-push": "git-hygiene hook pre-push \"$@\"""#),
        "{}",
        text(&out)
    );
    assert!(!s.dir.join(".git/hooks/pre-commit").exists());
}

fn make_executable(p: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}
