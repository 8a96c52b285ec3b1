//! End-to-end: branch names, protected branches, ClickUp ids and commit messages, judged by the
//! installed hooks on real `git commit` / `git push`, and by `git hygiene ci`.

use crate::support::*;

const TICKET_BRANCH: &str = "feature/CU-86b2xk4pq-login-rate-limit";

fn message(r: &Repo<'_>, rev: &str) -> String {
    r.git(&["log", "-1", "--format=%B", rev])
}

#[test]
fn wrong_branch_name_is_rejected_with_a_rename_built_from_it() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, BRANCH);
    r.git(&["checkout", "-q", "-b", "Login_Rate_Limit-CU-86b2xk4pq"]);
    stage(&r, "a.txt", "a\n");
    let out = r.commit("feat: rate-limit logins");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[branch/name]"), "{t}");
    assert!(t.contains("no `<type>/` prefix"), "{t}");
    assert!(t.contains("upper-case"), "{t}");
    assert!(
        t.contains("git branch -m feature/CU-86b2xk4pq-login-rate-limit"),
        "{t}"
    );
    assert_eq!(r.commit_count(), 1);
    // The suggestion is valid: after the rename the commit goes through.
    r.git(&["branch", "-m", TICKET_BRANCH]);
    let out = r.commit("feat: rate-limit logins");
    assert_exit(&out, 0);
    // A wrong type is named, and the nearest type suggested.
    r.git(&["checkout", "-q", "-b", "feat/CU-86b2xk4pq-More"]);
    stage(&r, "b.txt", "b\n");
    let t = text(&r.commit("feat: more"));
    assert!(t.contains("`feat` is not a branch type"), "{t}");
    assert!(t.contains("git branch -m feature/CU-86b2xk4pq-more"), "{t}");
}

#[test]
fn commit_on_a_protected_branch_is_blocked_but_not_the_first_one() {
    let sb = Sandbox::new();
    // The first commit of a repository lands on its default branch.
    let first = sb.repo_on("first", "main");
    first.install();
    stage(&first, "a.txt", "a\n");
    let out = first.commit("chore: first commit");
    assert_exit(&out, 0);

    let r = repo_with_commit(&sb, "main");
    stage(&r, "a.txt", "a\n");
    let out = r.commit("feat: straight to main");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[branch/protected-commit]"), "{t}");
    assert!(t.contains("git switch -c feature/"), "{t}");
    assert_eq!(r.commit_count(), 1, "nothing may be committed");
    // Detached HEAD: no branch to protect.
    r.git(&["checkout", "-q", "--detach"]);
    let out = r.commit("feat: detached");
    assert_exit(&out, 0);
}

#[test]
fn rebase_in_progress_on_a_protected_branch_is_not_blocked() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, "main");
    r.add_commit("b.txt", "b\n", "feat: b");
    let out = r
        .cmd("git")
        .args(["rebase", "-q", "-i", "HEAD~1"])
        .env("GIT_SEQUENCE_EDITOR", "sed -i 1s/^pick/edit/")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(r.dir.join(".git/rebase-merge").exists());
    // Amending the stopped commit runs pre-commit with HEAD detached mid-rebase of `main`.
    stage(&r, "b.txt", "b2\n");
    let out = r.git_out(&["commit", "-q", "--amend", "-m", "feat: b, amended"]);
    assert_exit(&out, 0);
    r.git(&["rebase", "--continue"]);
    assert_eq!(message(&r, "HEAD"), "feat: b, amended");
}

/// `develop` pushed to a bare remote before the hooks were installed.
fn develop_on_remote(sb: &Sandbox) -> Repo<'_> {
    let remote = sb.bare("remote.git");
    let r = sb.repo_on("r", "develop");
    r.add_commit("README.md", "hello\n", "chore: init");
    r.add_commit("a.txt", "a\n", "feat: a");
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r.git(&["push", "-q", "origin", "develop"]);
    r.install();
    r
}

fn remote_tip(r: &Repo<'_>, branch: &str) -> String {
    let out = r.git_out(&["ls-remote", "origin", &format!("refs/heads/{branch}")]);
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_owned()
}

#[test]
fn force_push_and_deletion_of_develop_are_blocked_feature_push_is_not() {
    let sb = Sandbox::new();
    let r = develop_on_remote(&sb);
    let before = remote_tip(&r, "develop");

    // A normal push of a well-named feature branch.
    r.git(&["checkout", "-q", "-b", TICKET_BRANCH]);
    r.add_commit("f.txt", "f\n", "feat: f");
    let out = r.git_out(&["push", "-q", "origin", TICKET_BRANCH]);
    assert_exit(&out, 0);
    assert!(!remote_tip(&r, TICKET_BRANCH).is_empty());

    // Force-push of rewritten develop history.
    r.git(&["checkout", "-q", "develop"]);
    r.git(&["reset", "-q", "--hard", "HEAD~1"]);
    r.add_commit("b.txt", "b\n", "feat: rewritten");
    let out = r.git_out(&["push", "-q", "--force", "origin", "develop"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("error[branch/protected-force-push]"), "{t}");
    assert_eq!(
        remote_tip(&r, "develop"),
        before,
        "the push must not happen"
    );

    // Deletion.
    let out = r.git_out(&["push", "-q", "origin", "--delete", "develop"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("error[branch/protected-delete]"), "{t}");
    assert_eq!(remote_tip(&r, "develop"), before);

    // Even when direct pushes to develop are allowed, force and delete are not.
    r.write(".hygiene.toml", "[branch]\nallow_push = [\"develop\"]\n");
    let out = r.git_out(&["push", "-q", "--force", "origin", "develop"]);
    assert!(
        text(&out).contains("protected-force-push"),
        "{}",
        text(&out)
    );
    let out = r.git_out(&["push", "-q", "origin", "--delete", "develop"]);
    assert!(text(&out).contains("protected-delete"), "{}", text(&out));
    assert_eq!(remote_tip(&r, "develop"), before);
}

#[test]
fn plain_push_to_protected_needs_allow_push_and_no_fixups_get_through() {
    let sb = Sandbox::new();
    let r = develop_on_remote(&sb);
    r.add_commit("b.txt", "b\n", "feat: b");
    let out = r.git_out(&["push", "-q", "origin", "develop"]);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("error[branch/protected-push]"),
        "{}",
        text(&out)
    );

    r.write(".hygiene.toml", "[branch]\nallow_push = [\"develop\"]\n");
    let out = r.git_out(&["push", "-q", "origin", "develop"]);
    assert_exit(&out, 0);

    // fixup!/WIP commits: fine on a feature branch, blocked on the way to develop.
    r.git(&["checkout", "-q", "-b", "feature/wip-work"]);
    let wip = r.add_commit("d.txt", "d\n", "WIP");
    r.add_commit("e.txt", "e\n", "fixup! WIP");
    let out = r.git_out(&["push", "-q", "origin", "feature/wip-work"]);
    assert_exit(&out, 0);
    r.git(&["checkout", "-q", "develop"]);
    let fixup = r.add_commit("c.txt", "c\n", "fixup! feat: b");
    let out = r.git_out(&["push", "-q", "origin", "develop"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("error[commit-msg/work-in-progress]"), "{t}");
    assert!(t.contains(&fixup[..12]), "{t}");
    // Commits already pushed to a feature branch are caught when they reach develop.
    r.git(&["reset", "-q", "--hard", "HEAD~1"]);
    r.git(&["merge", "-q", "--ff-only", "feature/wip-work"]);
    let out = r.git_out(&["push", "-q", "origin", "develop"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains(&wip[..12]), "{t}");
}

#[test]
fn prepare_commit_msg_inserts_the_ticket_once_and_not_on_merges() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, TICKET_BRANCH);
    stage(&r, "a.txt", "a\n");
    let out = r.commit("feat: rate-limit logins");
    assert_exit(&out, 0);
    assert_eq!(
        message(&r, "HEAD"),
        "feat: rate-limit logins\n\nRefs: CU-86b2xk4pq"
    );
    // Amend and re-runs leave it alone.
    let out = r.git_out(&["commit", "-q", "--amend", "--no-edit"]);
    assert_exit(&out, 0);
    assert_eq!(message(&r, "HEAD").matches("CU-86b2xk4pq").count(), 1);

    // The editor case with `-v`: the id goes above the comments, the diff stays below the scissors.
    stage(&r, "b.txt", "Refs: CU-000000x\n");
    let out = r
        .cmd("git")
        .args(["commit", "-q", "-v"])
        .env(
            "GIT_EDITOR",
            "sed -i 1s/^/feat:\\ typed\\ in\\ the\\ editor/",
        )
        .output()
        .unwrap();
    assert_exit(&out, 0);
    assert_eq!(
        message(&r, "HEAD"),
        "feat: typed in the editor\n\nRefs: CU-86b2xk4pq"
    );

    // A merge keeps git's message.
    r.git(&["checkout", "-q", "-b", "feature/other-work"]);
    r.add_commit("o.txt", "o\n", "feat: other");
    r.git(&["checkout", "-q", TICKET_BRANCH]);
    let out = r.git_out(&["merge", "-q", "--no-ff", "--no-edit", "feature/other-work"]);
    assert_exit(&out, 0);
    let m = message(&r, "HEAD");
    assert!(m.starts_with("Merge branch 'feature/other-work'"), "{m}");
    assert!(!m.contains("Refs:"), "{m}");

    // Prefix style, accepted by the Conventional Commits check.
    r.write(".hygiene.toml", "[ticket]\ninsert = \"prefix\"\n");
    stage(&r, "c.txt", "c\n");
    let out = r.commit("fix: c");
    assert_exit(&out, 0);
    assert_eq!(message(&r, "HEAD"), "CU-86b2xk4pq: fix: c");
    // An id already in the message (any form) is not added again.
    stage(&r, "d.txt", "d\n");
    let out = r.commit("fix: d\n\nCloses #86b2xk4pq");
    assert_exit(&out, 0);
    assert_eq!(message(&r, "HEAD"), "fix: d\n\nCloses #86b2xk4pq");
}

#[test]
fn message_without_ticket_is_rejected_when_required() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, "feature/login-rate-limit");
    r.write(".hygiene.toml", "[ticket]\nrequire = [\"commits\"]\n");
    stage(&r, "a.txt", "a\n");
    let out = r.commit("feat: rate-limit logins");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[ticket/missing-in-commit]"), "{t}");
    assert_eq!(r.commit_count(), 1);
    // `CU-` inside a hash or a URL is not a ticket.
    let out = r.commit("feat: x\n\nintegrity sha512-Zx9CU-86b2xk4pqAa==\nsee https://app.clickup.com/t/CU-86b2xk4pq");
    assert_exit(&out, 1);
    assert!(text(&out).contains("missing-in-commit"), "{}", text(&out));
    // Lower-case `cu-` is named.
    let out = r.commit("feat: cu-86b2xk4pq x");
    assert!(
        text(&out).contains("write `CU-86b2xk4pq`"),
        "{}",
        text(&out)
    );
    // A trailer or a subject prefix satisfies it.
    let out = r.commit("feat: rate-limit logins\n\nRefs: CU-86b2xk4pq");
    assert_exit(&out, 0);
    stage(&r, "b.txt", "b\n");
    let out = r.commit("[CU-86b2xk4pq] feat: more");
    assert_exit(&out, 0);
}

#[test]
fn a_url_in_the_message_does_not_stop_the_ticket_being_inserted() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, TICKET_BRANCH);
    r.write(
        ".hygiene.toml",
        "[ticket]\nrequire = [\"commits\", \"branch\"]\n",
    );
    stage(&r, "a.txt", "a\n");
    let out = r.commit("fix: x\n\nsee https://app.clickup.com/t/CU-86b2xk4pq");
    assert_exit(&out, 0);
    assert!(
        message(&r, "HEAD").ends_with("\n\nRefs: CU-86b2xk4pq"),
        "{}",
        message(&r, "HEAD")
    );
    // Closing the editor without writing anything does not commit a ticket-only message.
    stage(&r, "b.txt", "b\n");
    let before = r.commit_count();
    let out = r.git_out(&["commit", "-q"]);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("ticket/empty-message"),
        "{}",
        text(&out)
    );
    assert_eq!(r.commit_count(), before);
}

#[test]
fn commit_msg_hook_enforces_conventional_commits() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, BRANCH);
    stage(&r, "a.txt", "a\n");
    let out = r.commit("Fixed the login bug");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[commit-msg/format]"), "{t}");
    assert!(
        t.contains("fix: the login bug"),
        "the example is built from the subject:\n{t}"
    );
    // Comment lines (with core.commentChar) and the -v diff are ignored.
    r.git(&["config", "core.commentChar", ";"]);
    let out = r
        .cmd("git")
        .args(["commit", "-q", "-v"])
        .env("GIT_EDITOR", "sed -i 1s/^/fix:\\ the\\ login\\ bug/")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    // Locally, fixup! and WIP are fine.
    stage(&r, "b.txt", "b\n");
    assert_eq!(code(&r.commit("fixup! fix: the login bug")), 0);
    stage(&r, "c.txt", "c\n");
    assert_eq!(code(&r.commit("WIP")), 0);
    // Configured off.
    r.write(".hygiene.toml", "[commit-msg]\nenabled = false\n");
    stage(&r, "d.txt", "d\n");
    assert_eq!(code(&r.commit("anything goes")), 0);
}

#[test]
fn ci_flags_the_one_bad_commit_by_id_and_judges_branch_and_title() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    r.add_commit("README.md", "hello\n", "chore: init");
    r.git(&["checkout", "-q", "-b", TICKET_BRANCH]);
    r.write(
        ".hygiene.toml",
        "[ticket]\nrequire = [\"branch\", \"commits\", \"mr-title\"]\ncustom_prefixes = [\"ENG\"]\n",
    );
    r.add_commit("a.txt", "a\n", "feat: a\n\nRefs: CU-86b2xk4pq");
    let bad = r.add_commit("b.txt", "b\n", "feat: b");
    r.add_commit("c.txt", "c\n", "ENG-142: fix: c");
    let out = r.hygiene(&["ci", "--base", "main", "--format", "json"]);
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(f[0]["rule"], "missing-in-commit");
    assert_eq!(f[0]["commit"], bad.as_str());

    // The MR title and the source branch are judged too.
    let out = r.hygiene(&[
        "ci",
        "--base",
        "main",
        "--branch",
        "Login_Fix",
        "--title",
        "Rate-limit logins",
    ]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[branch/name]"), "{t}");
    assert!(
        t.contains("git branch -m Login_Fix bugfix/CU-<task-id>-login-fix"),
        "{t}"
    );
    assert!(t.contains("error[ticket/missing-in-title]"), "{t}");
    // The missing ticket is one of the name's problems, not a second finding.
    assert!(t.contains("it has no ClickUp task id"), "{t}");
    assert!(!t.contains("ticket/missing-in-branch"), "{t}");
    let out = r.hygiene(&["ci", "--base", "main", "--skip", "ticket"]);
    assert_exit(&out, 0);

    // fixup!/WIP commits: blocked in an MR to a protected (or unknown) target, not to a feature branch.
    let fixup = r.add_commit("d.txt", "d\n", "fixup! feat: b");
    let out = r.hygiene(&["ci", "--base", "main", "--skip", "ticket"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("commit-msg/work-in-progress"), "{t}");
    assert!(t.contains(&fixup[..12]), "{t}");
    let out = r
        .cmd(bin())
        .args([
            "ci",
            "--base",
            "main",
            "--skip",
            "ticket",
            "--target-branch",
            "feature/bigger-work",
        ])
        .output()
        .unwrap();
    assert_exit(&out, 0);
}

#[test]
fn bad_convention_config_is_exit_2_with_location() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, BRANCH);
    for (cfg, line) in [
        (
            "[ticket]\ncustom_prefixes = [\"eng\"]\n",
            ".hygiene.toml:2:",
        ),
        ("[branch]\npattern = \"(unclosed\"\n", ".hygiene.toml:2:"),
        ("[ticket]\nrequire = [\"comits\"]\n", ".hygiene.toml:2:"),
        ("[commit-msg]\nmax_subject = 50\n", ".hygiene.toml:2:"),
    ] {
        r.write(".hygiene.toml", cfg);
        let out = r.hygiene(&["check"]);
        assert_eq!(code(&out), 2, "{cfg}: {}", text(&out));
        assert!(text(&out).contains(line), "{cfg}: {}", text(&out));
    }
}

/// Messages people write every day whose non-ASCII characters sit where the message parser once
/// cut text by byte offset: the first three bytes of the subject (with or without a `[`), byte
/// 15 of a trailer line and of a line holding a ticket id.
const NON_ASCII_MESSAGES: [&str; 4] = [
    "🎉 initial commit",
    "[Grüße] an das Team",
    "feat: add login\n\nTested-by: José <j@x.io>",
    "CU-86b2xk4pq: ✨ sparkle",
];

#[test]
fn non_ascii_messages_pass_commit_msg_and_prepare_commit_msg() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, BRANCH);
    // Layout rules only, so every message above is acceptable and must be committed as written.
    r.write(".hygiene.toml", "[commit-msg]\nstyle = \"none\"\n");
    for (i, msg) in NON_ASCII_MESSAGES.iter().enumerate() {
        stage(&r, &format!("f{i}.txt"), "x\n");
        let out = r.commit(msg);
        let t = text(&out);
        assert_eq!(code(&out), 0, "{msg:?}:\n{t}");
        assert!(!t.contains("panicked"), "{t}");
        assert_eq!(message(&r, "HEAD"), *msg);
    }
    // Judged by the Conventional Commits rules, the emoji subject is a finding, not a crash.
    r.write(".hygiene.toml", "");
    stage(&r, "g.txt", "x\n");
    let out = r.commit("🎉 initial commit");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[commit-msg/format]"), "{t}");

    // On a ticket branch prepare-commit-msg reads the trailer block to add `Refs:` to it.
    r.git(&["checkout", "-q", "-b", TICKET_BRANCH]);
    let out = r.commit("feat: add login\n\nTested-by: José <j@x.io>");
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert_eq!(
        message(&r, "HEAD"),
        "feat: add login\n\nTested-by: José <j@x.io>\nRefs: CU-86b2xk4pq"
    );
}

#[test]
fn non_ascii_messages_committed_with_no_verify_pass_pre_push_and_ci() {
    let sb = Sandbox::new();
    let remote = sb.bare("remote.git");
    let r = sb.repo_on("r", "main");
    r.add_commit(
        ".hygiene.toml",
        "[commit-msg]\nstyle = \"none\"\n",
        "chore: init",
    );
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r.git(&["push", "-q", "origin", "main"]);
    r.install();
    r.git(&["checkout", "-q", "-b", BRANCH]);
    let mut ids = Vec::new();
    for (i, msg) in NON_ASCII_MESSAGES.iter().enumerate() {
        ids.push(r.add_commit(&format!("f{i}.txt"), "x\n", msg));
    }
    let out = r.git_out(&["push", "-q", "origin", BRANCH]);
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(!t.contains("panicked"), "{t}");
    let pushed = r.git(&["ls-remote", "origin", &format!("refs/heads/{BRANCH}")]);
    assert!(pushed.starts_with(&r.head()), "{pushed}");

    // In CI the merge target is unknown, so every subject is also checked for `WIP`.
    let out = r.hygiene(&["ci", "--base", "main"]);
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(!t.contains("panicked"), "{t}");
    // With the Conventional Commits rules the emoji subject is a finding on its commit.
    r.write(".hygiene.toml", "");
    let out = r.hygiene(&["ci", "--base", "main", "--format", "json"]);
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let formats: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "format")
        .map(|f| f["commit"].as_str().unwrap())
        .collect();
    assert!(formats.contains(&ids[0].as_str()), "{v}");
}
