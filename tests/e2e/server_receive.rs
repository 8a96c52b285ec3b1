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

