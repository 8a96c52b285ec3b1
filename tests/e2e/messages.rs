//! End-to-end: the help a finding gives points the right way — trailers in the subject line,
//! branch renames, rewrites that fit the length limit, tickets after GitLab's `Draft:`, the
//! remote actually pushed to, ADRs that exist (issue 15 item 8).

use crate::support::*;

#[test]
fn trailers_in_the_subject_line_are_a_missing_subject_not_an_unknown_type() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, BRANCH);
    stage(&r, "a.txt", "a\n");
    // Only trailers: the subject is missing, nothing is a commit type.
    let out = r.commit("Refs: CU-abc123\nSigned-off-by: Test Author <author@example.com>");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[commit-msg/subject-empty]"), "{t}");
    assert!(t.contains("its first line is a `Refs` trailer"), "{t}");
    assert!(!t.contains("not a commit type"), "{t}");
    assert!(!t.contains("commit-msg/blank-line"), "{t}");
    // Only the ticket: one finding, the ticket check's.
    let out = r.commit("Refs: CU-abc123");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("ticket/empty-message"), "{t}");
    assert!(!t.contains("commit-msg/"), "{t}");
    assert_eq!(r.commit_count(), 1);
    // A type that is not configured is still a type.
    let out = r.commit("feature: export users");
    assert!(
        text(&out).contains("`feature` is not a commit type"),
        "{}",
        text(&out)
    );

    // Committed with --no-verify, the pre-push hook and ci say the same.
    let bare = sb.bare("remote.git");
    r.git(&["remote", "add", "upstream", bare.to_str().unwrap()]);
    let bad = r.commit_no_verify("Closes #12");
    let out = r.git_out(&["push", "-q", "upstream", BRANCH]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("commit-msg/subject-empty"), "{t}");
    assert!(t.contains("its first line is a `Closes` trailer"), "{t}");
    let out = r.hygiene(&["ci", "--base", "HEAD~1", "--format", "json"]);
    assert_exit(&out, 1);
    let f = json_findings(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["rule"], "subject-empty");
    assert_eq!(f[0]["commit"], bad.as_str());
}

#[test]
fn a_branch_rename_takes_its_type_from_the_words_and_a_missing_ticket_is_one_finding() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, BRANCH);
    r.git(&["checkout", "-q", "-b", "Fix_Login_Bug"]);
    stage(&r, "a.txt", "a\n");
    let out = r.commit("fix: reject expired tokens");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("git branch -m bugfix/login-bug`"), "{t}");
    // The suggestion is valid: after the rename the commit goes through.
    r.git(&["branch", "-m", "bugfix/login-bug"]);
    assert_exit(&r.commit("fix: reject expired tokens"), 0);

    // With the ticket required: one finding saying both, its rename with the ticket's place.
    r.write(".hygiene.toml", "[ticket]\nrequire = [\"branch\"]\n");
    r.git(&["checkout", "-q", "-b", "add-user-export"]);
    stage(&r, "b.txt", "b\n");
    let out = r.commit("feat: export users");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert_eq!(t.matches("error[").count(), 1, "{t}");
    assert!(t.contains("error[branch/name]"), "{t}");
    assert!(t.contains("it has no ClickUp task id"), "{t}");
    assert!(
        t.contains("git branch -m feature/CU-<task-id>-user-export`"),
        "{t}"
    );
    let out = r.hygiene(&["check", "--format", "json"]);
    let f = json_findings(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    // Skipping the branch check leaves the ticket's own finding.
    let out = r.hygiene(&["check", "--skip", "branch", "--format", "json"]);
    let f = json_findings(&out);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["rule"], "missing-in-branch");
    assert!(
        f[0]["help"]
            .as_str()
            .is_some_and(|h| h.contains("feature/CU-<task-id>-user-export")),
        "{f:?}"
    );

    // At push time, for the branch pushed.
    let bare = sb.bare("remote.git");
    r.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    r.commit_no_verify("feat: export users");
    let out = r.git_out(&["push", "-q", "origin", "add-user-export:Hotfix_Node_20"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert_eq!(t.matches("error[").count(), 1, "{t}");
    assert!(
        t.contains("git branch -m Hotfix_Node_20 hotfix/CU-<task-id>-node-20`"),
        "{t}"
    );
}

/// The header a `commit-msg/format` help suggests (`e.g. `…``), if any.
fn suggested_header(t: &str) -> Option<String> {
    let help = t.find("= help: write `type")?;
    let start = help + t[help..].find("e.g. `")? + "e.g. `".len();
    let len = t[start..].find('`')?;
    Some(t[start..start + len].to_owned())
}

#[test]
fn a_suggested_rewrite_fits_the_subject_length_limit() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, "feature/CU-86b2xk4pq-export");
    r.write(
        ".hygiene.toml",
        "[commit-msg]\nmax_subject_length = 40\n[ticket]\ninsert = \"prefix\"\n",
    );
    stage(&r, "a.txt", "a\n");
    let long = "Added the export of every user with their accents éàü and 🎉 to the reports";
    let out = r.commit(long);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("error[commit-msg/format]"), "{t}");
    assert!(
        t.contains("shortened to fit [commit-msg] max_subject_length"),
        "{t}"
    );
    let header = suggested_header(&t).unwrap_or_else(|| panic!("no suggestion:\n{t}"));
    assert!(header.starts_with("feat: the export of every"), "{t}");
    // The ticket prefix the hook wrote takes its share of the 40 characters.
    assert!(
        header.chars().count() <= 40 - "CU-86b2xk4pq: ".len(),
        "{header}"
    );
    // The suggestion, as written, passes: the hook adds the same prefix again.
    let out = r.commit(&header);
    assert_exit(&out, 0);
    let subject = r.git(&["log", "-1", "--format=%s"]);
    assert_eq!(subject, format!("CU-86b2xk4pq: {header}"));

    // A ticket prefix that would make the subject too long is not offered; the trailer is.
    r.git(&["checkout", "-q", "-b", "feature/export-users"]);
    r.write(
        ".hygiene.toml",
        "[commit-msg]\nmax_subject_length = 40\n[ticket]\nrequire = [\"commits\"]\n",
    );
    stage(&r, "c.txt", "c\n");
    let out = r.commit("feat: export every user to the reports");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("ticket/missing-in-commit"), "{t}");
    assert!(t.contains("add the trailer `Refs: CU-<task-id>`"), "{t}");
    assert!(t.contains("would make the subject 52 characters"), "{t}");
    assert!(!t.contains("before the subject"), "{t}");
    let out = r.commit("feat: export users");
    assert!(
        text(&out).contains("add `CU-<task-id>: ` before the subject or the trailer"),
        "{}",
        text(&out)
    );
    r.git(&["checkout", "-q", "feature/CU-86b2xk4pq-export"]);

    // Accents and emoji at the cut are cut whole, never inside a character.
    r.write(".hygiene.toml", "[commit-msg]\nmax_subject_length = 12\n");
    stage(&r, "b.txt", "b\n");
    let out = r.commit("Fixed 🎉🎉🎉🎉🎉🎉🎉🎉🎉");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    let header = suggested_header(&t).unwrap_or_else(|| panic!("no suggestion:\n{t}"));
    assert_eq!(header, format!("fix: {}", "🎉".repeat(7)), "{t}");
    assert!(t.contains("shortened"), "{t}");
}

/// `git hygiene ci` in a GitLab merge-request pipeline from `branch` into `main`.
fn gitlab_mr_ci(
    r: &Repo<'_>,
    base: &str,
    branch: &str,
    title: &str,
    squash: bool,
) -> std::process::Output {
    let head = r.head();
    r.cmd(bin())
        .args(["ci", "--format", "json"])
        .env("GITLAB_CI", "true")
        .env("CI", "true")
        .env("CI_PIPELINE_SOURCE", "merge_request_event")
        .env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", branch)
        .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
        .env("CI_MERGE_REQUEST_TITLE", title)
        .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", base)
        .env(
            "CI_MERGE_REQUEST_SQUASH_ON_MERGE",
            if squash { "true" } else { "false" },
        )
        .env("CI_COMMIT_SHA", &head)
        .output()
        .expect("run git-hygiene ci")
}

#[test]
fn a_ticket_goes_after_gitlabs_draft_marker() {
    let sb = Sandbox::new();
    let branch = "feature/CU-86b2xk4pq-login";
    let r = sb.repo_on("r", "main");
    let base = r.add_commit("README.md", "hello\n", "chore: init");
    r.git(&["checkout", "-q", "-b", branch]);
    r.install();
    // prepare-commit-msg: the ticket after the marker, so GitLab still reads the draft.
    r.write(
        ".hygiene.toml",
        "[ticket]\ninsert = \"prefix\"\n[commit-msg]\nstyle = \"none\"\n",
    );
    for (typed, kept) in [
        ("Draft: login form", "Draft: CU-86b2xk4pq: login form"),
        ("[Draft] login page", "[Draft] CU-86b2xk4pq: login page"),
        (
            "(draft) Draft - logout",
            "(draft) Draft - CU-86b2xk4pq: logout",
        ),
        ("WIP: remember me", "WIP: CU-86b2xk4pq: remember me"),
        ("Drafting rules", "CU-86b2xk4pq: Drafting rules"),
    ] {
        stage(&r, "a.txt", typed);
        assert_exit(&r.commit(typed), 0);
        assert_eq!(r.git(&["log", "-1", "--format=%s"]), kept);
    }

    // The MR title's suggested rename keeps the marker first.
    r.write(".hygiene.toml", "[ticket]\nrequire = [\"mr-title\"]\n");
    r.git(&["add", "."]);
    r.commit_no_verify("chore: require the ticket in the title");
    let out = gitlab_mr_ci(&r, &base, branch, "Draft: Rate-limit logins", false);
    assert_exit(&out, 1);
    let f = json_findings(&out);
    let title = f
        .iter()
        .find(|f| f["rule"] == "missing-in-title")
        .expect("title finding");
    let help = title["help"].as_str().unwrap_or("");
    assert!(
        help.contains("`Draft: CU-86b2xk4pq: Rate-limit logins`"),
        "{help}"
    );
    // Squashed, the suggestion is judged as the commit it becomes, and fits its limit.
    r.write(
        ".hygiene.toml",
        "[ticket]\nrequire = [\"mr-title\"]\n[commit-msg]\nstyle = \"none\"\nmax_subject_length = 30\n",
    );
    r.git(&["add", "."]);
    r.commit_no_verify("chore: shorter subjects");
    let out = gitlab_mr_ci(
        &r,
        &base,
        branch,
        "[Draft] Rate-limit the logins per user",
        true,
    );
    let f = json_findings(&out);
    let title = f
        .iter()
        .find(|f| f["rule"] == "missing-in-title")
        .expect("title finding");
    let help = title["help"].as_str().unwrap_or("");
    assert!(
        help.contains("`[Draft] CU-86b2xk4pq: Rate-limit the`"),
        "{help}"
    );
    assert!(help.contains("shortened"), "{help}");
}

#[test]
fn push_and_ci_help_name_the_remote_actually_used() {
    let sb = Sandbox::new();
    let bare = sb.bare("remote.git");
    let r = sb.repo_on("r", "main");
    r.add_commit("README.md", "hello\n", "chore: init");
    r.git(&["remote", "add", "upstream", bare.to_str().unwrap()]);
    r.git(&["push", "-q", "upstream", "main"]);
    r.install();
    r.add_commit("a.txt", "a\n", "feat: a");
    let out = r.git_out(&["push", "-q", "upstream", "main"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("branch/protected-push"), "{t}");
    assert!(t.contains("`git push -u upstream HEAD:feature/"), "{t}");
    assert!(!t.contains("origin"), "{t}");
    // Pushed to a URL: that URL (a password in one is left out, see `push::remote_for_help`).
    let url = format!("file://{}", bare.display());
    let out = r.git_out(&["push", "-q", &url, "main"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains(&format!("`git push -u {url} HEAD:")), "{t}");

    // ci: the base is on the remote this clone fetches from.
    let out = r
        .cmd(bin())
        .args(["ci", "--format", "json"])
        .env("GITLAB_CI", "true")
        .env("CI", "true")
        .env("CI_PIPELINE_SOURCE", "merge_request_event")
        .env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/a")
        .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
        .env("CI_MERGE_REQUEST_TITLE", "feat: a")
        .env(
            "CI_MERGE_REQUEST_DIFF_BASE_SHA",
            "1234567890123456789012345678901234567890",
        )
        .env("CI_COMMIT_SHA", r.head())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(err.contains("`git fetch upstream main`"), "{err}");
    // Outside a pipeline, the base to pass is on that remote too.
    let out = r.hygiene(&["ci"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("e.g. upstream/main"), "{}", text(&out));
}

fn nygard(n: u32, title: &str, status: &str) -> String {
    format!("# {n}. {title}\n\nDate: 2024-01-01\n\n## Status\n\n{status}\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n")
}

/// The `ADR-NNNN` numbers a text names.
fn adr_numbers(t: &str) -> Vec<u32> {
    t.match_indices("ADR-")
        .filter_map(|(i, _)| t.get(i + 4..i + 8)?.parse().ok())
        .collect()
}

#[test]
fn the_adr_link_help_names_adrs_that_exist_and_are_in_force() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    // adr-tools' `.adr-dir` puts them in architecture/decisions.
    r.write(".adr-dir", "architecture/decisions\n");
    let dir = "architecture/decisions";
    for (file, n, title, status) in [
        (
            "0001-record-decisions.md",
            1,
            "Record decisions",
            "Accepted",
        ),
        (
            "0002-deploy-with-ansible.md",
            2,
            "Deploy with Ansible",
            "Superseded by [3. Deploy with Terraform](0003-deploy-with-terraform.md)",
        ),
        (
            "0003-deploy-with-terraform.md",
            3,
            "Deploy with Terraform",
            "Accepted\n\nSupersedes [2. Deploy with Ansible](0002-deploy-with-ansible.md)",
        ),
        ("0004-use-pulumi.md", 4, "Use Pulumi", "Rejected"),
    ] {
        r.write(&format!("{dir}/{file}"), nygard(n, title, status));
    }
    r.git(&["add", "."]);
    r.commit_no_verify("docs: ADRs");
    r.install();
    r.write("terraform/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: add a bucket");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("adr/link-missing"), "{t}");
    let help = t
        .lines()
        .find(|l| l.contains("= help: add") && l.contains("`Refs: ADR-"))
        .unwrap_or_else(|| panic!("no help:\n{t}"));
    // Every ADR it names is a file here, in force; the example is the newest of them.
    assert_eq!(adr_numbers(help), [3, 1, 3], "{help}");
    assert!(help.contains("e.g. `Refs: ADR-0003`"), "{help}");
    for file in ["0001-record-decisions.md", "0003-deploy-with-terraform.md"] {
        let path = format!("{dir}/{file}");
        assert!(help.contains(&path), "{help}");
        assert!(r.dir.join(&path).is_file(), "{path}");
    }
    // Its example, as written, passes.
    assert_exit(&r.commit("feat: add a bucket\n\nRefs: ADR-0003"), 0);

    // With no ADR in force there is nothing to cite: the help says so and how to write one.
    r.write(
        &format!("{dir}/0001-record-decisions.md"),
        nygard(1, "Record decisions", "Deprecated"),
    );
    r.write(
        &format!("{dir}/0002-deploy-with-ansible.md"),
        nygard(2, "Deploy with Ansible", "Deprecated"),
    );
    r.write(
        &format!("{dir}/0003-deploy-with-terraform.md"),
        nygard(3, "Deploy with Terraform", "Rejected"),
    );
    r.write("terraform/main.tf", "resource \"aws_s3_bucket\" \"c\" {}\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: another bucket\n\nthe ADRs are retired");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    let help = t
        .lines()
        .find(|l| l.contains("= help: add") && l.contains("`Refs: ADR-"))
        .unwrap_or_else(|| panic!("no help:\n{t}"));
    assert!(adr_numbers(help).is_empty(), "{help}");
    assert!(help.contains("no ADR is in force"), "{help}");
    assert!(help.contains("git hygiene adr new"), "{help}");
}

/// commitlint with its conventional config (tests/tools) on `message`: exit code and the rules
/// it names.
fn commitlint(message: &str) -> (i32, String) {
    use std::io::Write;
    let tools = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools");
    // Its script run by node, as on every platform (`.bin/commitlint` is a shell script).
    let cli = tools.join("node_modules/@commitlint/cli/cli.js");
    assert!(
        cli.is_file(),
        "run `npm ci --prefix tests/tools` first: {}",
        cli.display()
    );
    let mut child = std::process::Command::new("node")
        .arg(&cli)
        .args(["--extends", "@commitlint/config-conventional"])
        .current_dir(&tools)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run commitlint");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(message.as_bytes())
        .expect("write the message");
    let out = child.wait_with_output().expect("commitlint");
    (code(&out), text(&out))
}

/// Trailers where the subject belongs: the real commitlint rejects each such message, and so does
/// the commit-msg hook on a real `git commit`, saying the subject is missing; messages both
/// accept or both reject otherwise, on the rules the two share.
#[test]
fn trailer_subjects_are_rejected_as_commitlint_rejects_them() {
    let sb = Sandbox::new();
    let r = repo_with_commit(&sb, BRANCH);
    let signed = "Signed-off-by: Test Author <author@example.com>";
    let cases: &[(&str, bool)] = &[
        ("Refs: CU-abc123", false),
        ("Closes #12", false),
        (signed, false),
        ("Co-authored-by: Ana <ana@example.com>", false),
        (&*format!("Refs: CU-abc123\n{signed}"), false),
        ("Fixes: #12\n\nthe login loop", false),
        ("feature: export users", false),
        ("Fixed the login bug", false),
        ("feat: export users\n\nRefs: CU-abc123", true),
        ("fix(api): reject expired tokens", true),
        (
            &*format!("docs: explain trailers\n\nCloses #12\n{signed}"),
            true,
        ),
    ];
    let mut n = 0;
    for (message, accepted) in cases {
        let (cl, cl_says) = commitlint(&format!("{message}\n"));
        assert_eq!(cl == 0, *accepted, "commitlint on {message:?}:\n{cl_says}");
        n += 1;
        stage(&r, "a.txt", &format!("{n}\n"));
        let out = r.commit(message);
        let t = text(&out);
        assert_eq!(code(&out) == 0, *accepted, "git commit {message:?}:\n{t}");
        let trailer_first = !message.starts_with("feature") && !message.starts_with("Fixed");
        if !accepted && trailer_first {
            assert!(
                cl_says.contains("[subject-empty]") || cl_says.contains("[type-enum]"),
                "{cl_says}"
            );
            assert!(
                t.contains("commit-msg/subject-empty") || t.contains("ticket/empty-message"),
                "{message:?}:\n{t}"
            );
            assert!(!t.contains("not a commit type"), "{message:?}:\n{t}");
        }
    }
}
