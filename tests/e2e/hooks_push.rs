//! End-to-end: the pre-push hook judges exactly the commits a real `git push` publishes.

use crate::support::*;

/// A repository with a bare remote `origin`, hooks installed, and `BRANCH` already pushed with an
/// old marker commit (pushed with --no-verify) that must never be blamed again.
fn setup(sb: &Sandbox) -> (Repo<'_>, String) {
    let remote = sb.bare("remote.git");
    let r = sb.repo("r");
    let old = r.add_commit("old.txt", MARKER_FILE, "fix: old marker");
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r.git(&["push", "-q", "origin", BRANCH]);
    r.install();
    (r, old)
}

fn short(id: &str) -> &str {
    &id[..12]
}

#[test]
fn new_branch_judges_only_commits_not_on_the_remote() {
    let sb = Sandbox::new();
    let (r, old) = setup(&sb);
    r.git(&["checkout", "-q", "-b", "feature/x"]);
    let clean = r.add_commit("c.txt", "clean\n", "fix: clean");
    let bad = r.add_commit("b.txt", MARKER_FILE, "fix: bad");
    let out = r.git_out(&["push", "-q", "origin", "feature/x"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(
        t.contains(&format!("b.txt:2:1 (commit {})", short(&bad))),
        "{t}"
    );
    assert!(
        !t.contains(short(&old)),
        "a commit already on the remote is not judged again:\n{t}"
    );
    assert!(!t.contains(short(&clean)), "{t}");
    let remote_has = r.git_out(&["ls-remote", "--exit-code", "origin", "feature/x"]);
    assert!(
        !remote_has.status.success(),
        "the push must not have happened"
    );
}

#[test]
fn update_judges_the_new_range_and_a_clean_push_passes() {
    let sb = Sandbox::new();
    let (r, old) = setup(&sb);
    let good = r.add_commit("g.txt", "good\n", "fix: good");
    let out = r.git_out(&["push", "-q", "origin", BRANCH]);
    assert_exit(&out, 0);
    let bad = r.add_commit("b.txt", MARKER_FILE, "fix: bad");
    let out = r.git_out(&["push", "-q", "origin", BRANCH]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains(short(&bad)), "{t}");
    assert!(!t.contains(short(&old)) && !t.contains(short(&good)), "{t}");
}

#[test]
fn force_push_judges_the_rewritten_commits() {
    let sb = Sandbox::new();
    let (r, old) = setup(&sb);
    let a = r.add_commit("a.txt", "a\n", "fix: a");
    r.git(&["push", "-q", "origin", BRANCH]);
    r.git(&["reset", "-q", "--hard", &old]);
    let b = r.add_commit("b.txt", MARKER_FILE, "fix: rewritten");
    let out = r.git_out(&["push", "-q", "--force", "origin", BRANCH]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains(short(&b)), "{t}");
    assert!(!t.contains(short(&old)) && !t.contains(short(&a)), "{t}");
}

#[test]
fn deletion_judges_nothing_but_the_ref() {
    let sb = Sandbox::new();
    let (r, _) = setup(&sb);
    r.git(&["checkout", "-q", "-b", "feature/topic"]);
    r.add_commit("t.txt", MARKER_FILE, "fix: marker on topic");
    r.git(&["push", "-q", "--no-verify", "origin", "feature/topic"]);
    let out = r.git_out(&["push", "-q", "origin", "--delete", "feature/topic"]);
    assert_eq!(
        code(&out),
        0,
        "a deletion publishes no content:\n{}",
        text(&out)
    );
    let gone = r.git_out(&["ls-remote", "--exit-code", "origin", "feature/topic"]);
    assert!(!gone.status.success());
}

#[test]
fn several_refs_in_one_push_are_all_judged() {
    let sb = Sandbox::new();
    let (r, _) = setup(&sb);
    r.git(&["checkout", "-q", "-b", "feature/one"]);
    r.add_commit("one.txt", "fine\n", "fix: fine");
    r.git(&["checkout", "-q", "-b", "feature/two", BRANCH]);
    let bad = r.add_commit("two.txt", MARKER_FILE, "fix: bad on the second ref");
    let out = r.git_out(&["push", "-q", "origin", "feature/one", "feature/two"]);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(text(&out).contains(short(&bad)), "{}", text(&out));
}

#[test]
fn pre_push_json_lists_ref_findings_and_malformed_stdin_is_an_error() {
    let sb = Sandbox::new();
    let (r, _) = setup(&sb);
    let bad = r.add_commit("b.txt", MARKER_FILE, "fix: bad");
    let remote_main = r.git(&["rev-parse", &format!("origin/{BRANCH}")]);
    let stdin = format!("refs/heads/{BRANCH} {bad} refs/heads/{BRANCH} {remote_main}\n");
    let out = run_with_stdin(
        &r,
        &["--format", "json", "hook", "pre-push", "origin", "url"],
        &stdin,
    );
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["mode"], "pre-push");
    assert_eq!(v["findings"][0]["commit"], bad.as_str());

    let out = run_with_stdin(
        &r,
        &["hook", "pre-push", "origin", "url"],
        "refs/heads/main nonsense\n",
    );
    assert_exit(&out, 2);
    assert!(
        text(&out).contains("stdin line 1 is malformed"),
        "{}",
        text(&out)
    );
}

fn run_with_stdin(r: &Repo<'_>, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = r
        .cmd(bin())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A `--filter=blob:none` clone that fetched a colleague's branch into a local branch (not a
/// remote-tracking one) and pushes it to another remote: the commits are new to every
/// remote-tracking ref, so pre-push judges them, and their blobs were never fetched. The key in
/// the first of them is found; committing in the same clone is judged as usual.
#[test]
fn pre_push_and_pre_commit_in_a_blobless_clone() {
    let sb = Sandbox::new();
    let server = sb.repo_on("server", "main");
    server.git(&["config", "uploadpack.allowFilter", "true"]);
    server.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    server.add_commit("README.md", "hello\n", "chore: base");
    server.git(&["checkout", "-q", "-b", "feature/topic"]);
    // Assembled at run time so this repository holds no scanner-shaped key.
    let key = ["AK", "IA", "Q3EGRT5J", "YHMPLW7K"].concat();
    let leaked = server.add_commit(
        "deploy/aws.ini",
        &format!("[default]\naws_access_key_id = {key}\n"),
        "feat: deploy settings",
    );
    server.add_commit("deploy/aws.ini", "[default]\n", "fix: no keys in git");
    server.git(&["checkout", "-q", "main"]);

    let url = format!("file://{}", server.dir.display());
    let out = sb
        .cmd("git", sb.path())
        .args([
            "clone",
            "-q",
            "--filter=blob:none",
            "--single-branch",
            &url,
            "clone",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let r = server.at(sb.path().join("clone"));
    r.git(&["fetch", "-q", "origin", "feature/topic:feature/topic"]);
    let backup = sb.bare("backup.git");
    r.git(&["remote", "add", "backup", backup.to_str().unwrap()]);
    r.install();

    let out = r.git_out(&["push", "-q", "backup", "feature/topic"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("secrets/"), "{t}");
    assert!(t.contains("deploy/aws.ini:2"), "{t}");
    assert!(t.contains(&format!("(commit {})", short(&leaked))), "{t}");

    r.git(&["checkout", "-q", "-b", "feature/more"]);
    r.write("c.txt", MARKER_FILE);
    r.git(&["add", "c.txt"]);
    let out = r.commit("fix: marker");
    assert_exit(&out, 1);
    assert!(
        text(&out).contains("hygiene/conflict-marker"),
        "{}",
        text(&out)
    );
    r.write("c.txt", "clean\n");
    r.git(&["add", "c.txt"]);
    let out = r.commit("fix: clean");
    assert_exit(&out, 0);
}
