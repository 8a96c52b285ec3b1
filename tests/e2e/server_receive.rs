//! End-to-end: the server's pre-receive hook. A bare repository with `git hygiene install` run
//! in it, and real `git push`es from a clone whose own hooks are off (`--no-verify`, an empty
//! `core.hooksPath`): what the server refuses, it refuses whatever the client skipped.

use std::path::{Path, PathBuf};

use crate::support::*;

fn github_token() -> String {
    ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat()
}

/// A bare `server.git` whose `main` holds two commits (pushed before the hook went in), the
/// pre-receive hook installed, and a clone `dev` of it on `main`.
fn setup(sb: &Sandbox) -> (PathBuf, Repo<'_>) {
    let server = sb.bare("server.git");
    let dev = sb.repo_on("dev", "main");
    dev.add_commit("README.md", "hello\n", "chore: start");
    dev.add_commit("notes.txt", "notes\n", "docs: add notes");
    dev.git(&["remote", "add", "origin", server.to_str().unwrap()]);
    dev.git(&["push", "-q", "origin", "main"]);
    let out = sb.cmd(bin(), &server).arg("install").output().unwrap();
    assert_exit(&out, 0);
    assert!(server.join("hooks/pre-receive").is_file(), "{}", text(&out));
    (server, dev)
}

/// `git push ARGS…` with every client-side hook off.
fn push(dev: &Repo<'_>, args: &[&str]) -> std::process::Output {
    dev.cmd("git")
        .args(["-c", "core.hooksPath=/dev/null", "push", "--no-verify"])
        .args(args)
        .output()
        .unwrap()
}

/// The server's ref `name`, if it has one.
fn server_ref(server: &Path, sb: &Sandbox, name: &str) -> Option<String> {
    let out = sb
        .cmd("git", server)
        .args(["rev-parse", "--verify", "-q", name])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Lines git relayed from the server's hook.
fn remote_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("remote: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_token_is_refused_and_shown_redacted_in_remote_lines() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    dev.git(&["switch", "-q", "-c", "feature/deploy"]);
    dev.add_commit("ok.txt", "fine\n", "feat: add ok");
    let bad = dev.add_commit(
        "deploy.sh",
        &format!("echo deploy\nTOKEN={}\n", github_token()),
        "feat: add the deploy script",
    );
    let out = push(&dev, &["origin", "feature/deploy"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("pre-receive hook declined"), "{t}");
    let remote = remote_lines(&out).join("\n");
    assert!(remote.contains("secrets/github-pat"), "{t}");
    assert!(
        remote.contains(&format!("deploy.sh:2:7 (commit {})", &bad[..12])),
        "{t}"
    );
    assert!(remote.contains("help: "), "{t}");
    assert!(remote.contains("git-hygiene pre-receive: 1 error"), "{t}");
    assert!(!leaks(&t, &github_token()), "{t}");
    assert_eq!(server_ref(&server, &sb, "refs/heads/feature/deploy"), None);
}

#[test]
fn a_clean_feature_branch_is_accepted() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    dev.git(&["switch", "-q", "-c", "feature/search"]);
    dev.add_commit("search.txt", "find things\n", "feat: add search");
    let tip = dev.add_commit("search.txt", "find more things\n", "fix: search further");
    let out = push(&dev, &["origin", "feature/search"]);
    assert_exit(&out, 0);
    assert!(
        remote_lines(&out)
            .iter()
            .any(|l| l.starts_with("git-hygiene pre-receive: no problems")),
        "{}",
        text(&out)
    );
    assert_eq!(
        server_ref(&server, &sb, "refs/heads/feature/search"),
        Some(tip)
    );
}

#[test]
fn a_force_push_and_a_deletion_of_main_are_refused() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    let before = server_ref(&server, &sb, "refs/heads/main");
    dev.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let out = push(&dev, &["--force", "origin", "main"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(
        remote_lines(&out)
            .iter()
            .any(|l| l.contains("branch/protected-force-push")),
        "{t}"
    );
    assert_eq!(server_ref(&server, &sb, "refs/heads/main"), before);

    let out = push(&dev, &["origin", ":main"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(
        remote_lines(&out)
            .iter()
            .any(|l| l.contains("branch/protected-delete")),
        "{t}"
    );
    assert_eq!(server_ref(&server, &sb, "refs/heads/main"), before);
}

#[test]
fn one_bad_ref_refuses_the_whole_push() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    dev.git(&["switch", "-q", "-c", "feature/good"]);
    dev.add_commit("good.txt", "good\n", "feat: add good");
    dev.git(&["switch", "-q", "-c", "feature/bad", "main"]);
    dev.add_commit(
        "bad.txt",
        &format!("TOKEN={}\n", github_token()),
        "feat: add bad",
    );
    let out = push(&dev, &["origin", "feature/good", "feature/bad"]);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert_eq!(server_ref(&server, &sb, "refs/heads/feature/good"), None);
    assert_eq!(server_ref(&server, &sb, "refs/heads/feature/bad"), None);
}

/// A feature branch whose one commit adds a token; returns that commit.
fn token_branch(dev: &Repo<'_>) -> String {
    dev.git(&["switch", "-q", "-c", "feature/fixture"]);
    dev.add_commit(
        "fixture.env",
        &format!("TOKEN={}\n", github_token()),
        "test: add a revoked token as a fixture",
    )
}

fn skip_log(server: &Path) -> Option<String> {
    std::fs::read_to_string(server.join("hygiene/skips.log")).ok()
}

#[test]
fn an_allowed_skip_is_honoured_and_recorded() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    let at_server = dev.at(server.clone());
    at_server.git(&["config", "receive.advertisePushOptions", "true"]);
    at_server.git(&["config", "hygiene.allowSkip", "secrets, ticket"]);
    let bad = token_branch(&dev);
    let out = dev
        .cmd("git")
        .env("GL_USERNAME", "alice")
        .args(["-c", "core.hooksPath=/dev/null", "push", "--no-verify"])
        .args(["-o", "hygiene.skip=secrets"])
        .args(["-o", "hygiene.reason=revoked test fixture"])
        .args(["origin", "feature/fixture"])
        .output()
        .unwrap();
    let t = text(&out);
    assert_exit(&out, 0);
    assert!(
        remote_lines(&out)
            .iter()
            .any(|l| l.contains("checks skipped by hygiene.skip: secrets")),
        "{t}"
    );
    assert_eq!(
        server_ref(&server, &sb, "refs/heads/feature/fixture"),
        Some(bad.clone())
    );
    let log = skip_log(&server).expect("the skip is recorded");
    assert_eq!(log.lines().count(), 1, "{log}");
    let entry: serde_json::Value = serde_json::from_str(log.trim()).unwrap();
    assert_eq!(entry["pusher"], "alice", "{log}");
    assert_eq!(entry["skipped"], serde_json::json!(["secrets"]), "{log}");
    assert_eq!(entry["reason"], "revoked test fixture", "{log}");
    assert_eq!(
        entry["refs"][0]["ref"], "refs/heads/feature/fixture",
        "{log}"
    );
    assert_eq!(entry["commits"], serde_json::json!([bad]), "{log}");
    assert!(
        entry["time"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{log}"
    );
    assert!(!leaks(&t, &github_token()) && !leaks(&log, &github_token()));
}

#[test]
fn a_skip_the_server_does_not_allow_is_refused_and_not_recorded() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    let at_server = dev.at(server.clone());
    at_server.git(&["config", "receive.advertisePushOptions", "true"]);
    token_branch(&dev);
    let skip = |extra: &[&str]| {
        dev.cmd("git")
            .args(["-c", "core.hooksPath=/dev/null", "push", "--no-verify"])
            .args(["-o", "hygiene.skip=secrets"])
            .args(extra)
            .args(["origin", "feature/fixture"])
            .output()
            .unwrap()
    };
    let out = skip(&["-o", "hygiene.reason=in a hurry"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    let remote = remote_lines(&out).join("\n");
    assert!(
        remote.contains("hygiene.skip refused: this server does not allow skipping `secrets`"),
        "{t}"
    );
    assert!(remote.contains("secrets/github-pat"), "{t}");
    // Allowed, but without a reason: still refused.
    at_server.git(&["config", "hygiene.allowSkip", "secrets"]);
    let out = skip(&[]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("a skip needs a reason"), "{t}");
    assert_eq!(server_ref(&server, &sb, "refs/heads/feature/fixture"), None);
    assert_eq!(skip_log(&server), None);
}

#[test]
fn a_rejected_pusher_is_told_how_to_skip_where_the_server_allows_it() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    let at_server = dev.at(server);
    at_server.git(&["config", "hygiene.allowSkip", "secrets"]);
    token_branch(&dev);
    let out = push(&dev, &["origin", "feature/fixture"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("receive.advertisePushOptions"), "{t}");
    at_server.git(&["config", "receive.advertisePushOptions", "true"]);
    let out = push(&dev, &["origin", "feature/fixture"]);
    let t = text(&out);
    assert!(
        t.contains("git push -o hygiene.skip=CHECK -o hygiene.reason="),
        "{t}"
    );
}

/// A bare mirror of a history whose second commit, on `feature/leak`, adds a token.
fn bare_with_a_token(sb: &Sandbox) -> (PathBuf, String) {
    let dev = sb.repo_on("src", "main");
    dev.add_commit("README.md", "hello\n", "chore: start");
    dev.git(&["switch", "-q", "-c", "feature/leak"]);
    let bad = dev.add_commit(
        "leak.env",
        &format!("TOKEN={}\n", github_token()),
        "feat: add the environment",
    );
    dev.git(&["switch", "-q", "main"]);
    let bare = sb.path().join("mirror.git");
    let out = sb
        .cmd("git", sb.path())
        .args(["clone", "-q", "--bare"])
        .arg(&dev.dir)
        .arg(&bare)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    (bare, bad)
}

#[test]
fn scan_history_and_ci_judge_a_bare_repository_from_its_objects() {
    let sb = Sandbox::new();
    let (bare, bad) = bare_with_a_token(&sb);
    let run = |args: &[&str]| sb.cmd(bin(), &bare).args(args).output().unwrap();
    let out = run(&["scan", "--history", "feature/leak"]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(
        t.contains(&format!("leak.env:1:7 (commit {})", &bad[..12])),
        "{t}"
    );
    assert!(!leaks(&t, &github_token()), "{t}");
    let out = run(&[
        "ci",
        "--base",
        "main",
        "--head",
        "feature/leak",
        "--branch",
        "feature/leak",
    ]);
    let t = text(&out);
    assert_exit(&out, 1);
    assert!(t.contains("secrets/github-pat"), "{t}");
    assert!(t.contains("1 commit(s)"), "{t}");
    // What needs a work tree still says so.
    let out = run(&["check"]);
    assert_exit(&out, 2);
    assert!(text(&out).contains("needs a work tree"), "{}", text(&out));
}

#[test]
fn the_server_judges_by_the_default_branchs_config_unless_the_admin_has_one() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    // Committed on main before the hook: direct pushes to main are allowed.
    dev.add_commit(
        ".hygiene.toml",
        "[branch]\nallow_push = [\"main\"]\n",
        "chore: allow pushes to main",
    );
    let out = push(&dev, &["origin", "main"]);
    let t = text(&out);
    assert_ne!(
        code(&out),
        0,
        "the config a push brings does not judge it: {t}"
    );
    assert!(t.contains("branch/protected-push"), "{t}");
    // The admin lands it with the hook set aside.
    let hook = server.join("hooks/pre-receive");
    let aside = server.join("hooks/aside");
    std::fs::rename(&hook, &aside).unwrap();
    assert_exit(&push(&dev, &["origin", "main"]), 0);
    std::fs::rename(&aside, &hook).unwrap();
    dev.add_commit("more.txt", "more\n", "docs: more");
    assert_exit(&push(&dev, &["origin", "main"]), 0);
    // The admin's file in the git dir wins over what is committed.
    std::fs::write(server.join("hygiene.toml"), "[branch]\nallow_push = []\n").unwrap();
    dev.add_commit("again.txt", "again\n", "docs: again");
    let out = push(&dev, &["origin", "main"]);
    assert!(
        text(&out).contains("branch/protected-push"),
        "{}",
        text(&out)
    );
}

#[test]
fn install_goes_into_pre_receive_d_where_gitea_keeps_its_hooks_and_uninstall_removes_it() {
    let sb = Sandbox::new();
    let server = sb.bare("gitea.git");
    let gitea_hooks = server.join("hooks/pre-receive.d");
    std::fs::create_dir_all(&gitea_hooks).unwrap();
    let run = |args: &[&str]| sb.cmd(bin(), &server).args(args).output().unwrap();
    assert_exit(&run(&["install"]), 0);
    let ours = gitea_hooks.join("pre-receive");
    let shim = std::fs::read_to_string(&ours).unwrap();
    assert!(shim.contains("\" hook pre-receive \"$@\""), "{shim}");
    assert!(!server.join("hooks/pre-receive").exists());
    let out = run(&["install", "--hook", "pre-commit"]);
    assert_exit(&out, 2);
    assert!(text(&out).contains("bare repository"), "{}", text(&out));
    assert_exit(&run(&["uninstall"]), 0);
    assert!(!ours.exists());
}

#[test]
fn no_linter_runs_on_the_server() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    // A linter that would fail every file, and leave a mark if it ran at all.
    let mark = sb.path().join("linted");
    std::fs::write(
        server.join("hygiene.toml"),
        format!(
            "[[lint]]\nname = \"always-fails\"\nglob = [\"*.txt\"]\nrun = \"sh -c 'touch {} && exit 1'\"\n",
            mark.display()
        ),
    )
    .unwrap();
    dev.git(&["switch", "-q", "-c", "feature/notes"]);
    dev.add_commit("more.txt", "more\n", "docs: more notes");
    let out = push(&dev, &["origin", "feature/notes"]);
    assert_exit(&out, 0);
    assert!(!mark.exists(), "{}", text(&out));
    // The same config makes `ci` in a clone run it, so the linter is real.
    let out = dev.hygiene(&[
        "--config",
        server.join("hygiene.toml").to_str().unwrap(),
        "ci",
        "--base",
        "main",
        "--head",
        "HEAD",
    ]);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(mark.exists(), "{}", text(&out));
}

#[test]
fn the_platforms_own_merge_into_main_is_not_a_direct_push() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    dev.add_commit("merged.txt", "merged\n", "feat: merged work");
    let plain = push(&dev, &["origin", "main"]);
    assert_ne!(code(&plain), 0, "{}", text(&plain));
    assert!(
        text(&plain).contains("branch/protected-push"),
        "{}",
        text(&plain)
    );
    // GitLab merging an MR from its UI runs the hook with GL_PROTOCOL=web; Gitea sets GITEA_PR_ID.
    for (var, value) in [("GL_PROTOCOL", "web"), ("GITEA_PR_ID", "7")] {
        let before = server_ref(&server, &sb, "refs/heads/main");
        dev.add_commit(
            &format!("{var}.txt"),
            "x\n",
            "feat: merged through the platform",
        );
        let out = dev
            .cmd("git")
            .args([
                "-c",
                "core.hooksPath=/dev/null",
                "push",
                "--no-verify",
                "origin",
                "main",
            ])
            .env(var, value)
            .output()
            .unwrap();
        assert_exit(&out, 0);
        assert_ne!(server_ref(&server, &sb, "refs/heads/main"), before);
    }
    // Even the platform may not rewrite main.
    dev.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let out = dev
        .cmd("git")
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "push",
            "--no-verify",
            "--force",
            "origin",
            "main",
        ])
        .env("GL_PROTOCOL", "web")
        .output()
        .unwrap();
    assert!(
        text(&out).contains("branch/protected-force-push"),
        "{}",
        text(&out)
    );
}

/// Lands `files` on the server's main in one commit, with the hook set aside as an admin would.
fn land_as_admin(server: &Path, dev: &Repo<'_>, files: &[(&str, &str)], message: &str) {
    let hook = server.join("hooks/pre-receive");
    let aside = server.join("hooks/aside");
    std::fs::rename(&hook, &aside).unwrap();
    for (path, content) in files {
        dev.write(path, content);
        dev.git(&["add", path]);
    }
    dev.git(&["commit", "-q", "--no-verify", "-m", message]);
    assert_exit(&push(dev, &["origin", "main"]), 0);
    std::fs::rename(&aside, &hook).unwrap();
}

/// On a new branch, a token in `allowed` is accepted by the server; the same token in
/// `refused`, pushed next, is refused and named, and `allowed` is not.
fn a_token_passes_only_in(dev: &Repo<'_>, allowed: &str, refused: &str) {
    dev.git(&["switch", "-q", "-c", "feature/fixtures"]);
    let token = format!("TOKEN={}\n", github_token());
    dev.add_commit(allowed, &token, "test: add a fixture");
    assert_exit(&push(dev, &["origin", "feature/fixtures"]), 0);
    dev.add_commit(refused, &token, "test: add another fixture");
    let out = push(dev, &["origin", "feature/fixtures"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    let remote = remote_lines(&out).join("\n");
    assert!(remote.contains(refused), "{t}");
    assert!(!remote.contains(allowed), "{t}");
}

/// A monorepo's nested configs judge a push on the server as they judge the commit on the
/// laptop: a package's `allow_paths` lets its fixtures through, and the same token elsewhere
/// is refused. The configs are those of main before the push, read from objects.
#[test]
fn the_server_honours_the_nested_configs_of_the_default_branch() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    land_as_admin(
        &server,
        &dev,
        &[(
            "packages/api/.hygiene.toml",
            "[secrets]\nallow_paths = [\"fixtures/**\"]\n",
        )],
        "chore: api fixtures hold fake tokens",
    );
    a_token_passes_only_in(
        &dev,
        "packages/api/fixtures/token.txt",
        "packages/web/fixtures/token.txt",
    );
}

/// A nested config's relative `extends` is read from the same commit's objects on the server,
/// which has no work tree: the shared file's `allow_paths` count for the package that extends
/// it, and a name that is not committed is an error at the `extends` entry.
#[test]
fn a_nested_configs_relative_extends_is_read_from_the_default_branch() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    land_as_admin(
        &server,
        &dev,
        &[
            (
                "packages/shared.toml",
                "[secrets]\nallow_paths = [\"fixtures/**\"]\n",
            ),
            (
                "packages/api/.hygiene.toml",
                "extends = [\"../shared.toml\"]\n",
            ),
        ],
        "chore: api builds on the shared package policy",
    );
    a_token_passes_only_in(
        &dev,
        "packages/api/fixtures/token.txt",
        "packages/web/fixtures/token.txt",
    );

    // `scan --history` in the bare repository names a file that is not committed.
    dev.git(&["switch", "-q", "main"]);
    land_as_admin(
        &server,
        &dev,
        &[(
            "packages/api/.hygiene.toml",
            "extends = [\"../gone.toml\"]\n",
        )],
        "chore: api policy moved",
    );
    let out = sb
        .cmd(bin(), &server)
        .args(["scan", "--history"])
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(
        t.contains("HEAD:packages/api/.hygiene.toml:1") && t.contains("HEAD:packages/gone.toml"),
        "{t}"
    );
}

/// The default branch's root `.hygiene.toml` that `extends` a committed policy file judges a
/// push with that policy too: its `allow_paths` let fixtures through on the server as on a
/// laptop (before, the server silently judged without it).
#[test]
fn the_root_configs_extends_is_read_from_the_default_branch() {
    let sb = Sandbox::new();
    let (server, dev) = setup(&sb);
    land_as_admin(
        &server,
        &dev,
        &[
            (
                "org/policy.toml",
                "[secrets]\nallow_paths = [\"fixtures/**\"]\n",
            ),
            (".hygiene.toml", "extends = [\"org/policy.toml\"]\n"),
        ],
        "chore: adopt the org policy",
    );
    a_token_passes_only_in(&dev, "fixtures/token.txt", "src/token.txt");
}
