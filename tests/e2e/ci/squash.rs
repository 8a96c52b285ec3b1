//! Merge requests squashed on merge: the title becomes the commit on the target branch, so it is
//! judged as a commit message (commit-msg and ticket rules), the branch's own commits only warn,
//! and a migration review marker may sit in the MR instead of a trailer that the squash drops.

use std::collections::BTreeSet;
use std::process::Output;

use super::ci;
use crate::support::{assert_exit, json_findings, text, Repo, Sandbox};

const BRANCH: &str = "feature/CU-86b2xk4pq-retry";

/// `main` with `config` (when given) and `base_files`, and `BRANCH` with one commit per
/// `(path, content, message)`. Returns the branch point and the head.
fn change(r: &Repo, config: Option<&str>, commits: &[(&str, &str, &str)]) -> (String, String) {
    r.add_commit("README.md", "hello\n", "chore: base");
    if let Some(c) = config {
        r.add_commit(".hygiene.toml", c, "chore: configure git-hygiene");
    }
    r.add_commit(
        "migrations/0001_init.sql",
        "-- reviewed-by: Jo Bloggs <jo@example.com>\nCREATE TABLE t (c int);\n",
        "feat: create t\n\nRefs: CU-86b2xk4pq",
    );
    let base = r.head();
    r.git(&["checkout", "-q", "-b", BRANCH]);
    for (path, content, msg) in commits {
        r.add_commit(path, content, msg);
    }
    (base, r.head())
}

/// `git hygiene ci --format json` in a GitLab MR pipeline; `squash` is the value of
/// `CI_MERGE_REQUEST_SQUASH_ON_MERGE`, unset when `None`.
fn mr(
    r: &Repo,
    (base, head): &(String, String),
    title: &str,
    description: &str,
    squash: Option<&str>,
) -> Output {
    let mut env = vec![
        ("GITLAB_CI", "true"),
        ("CI", "true"),
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_MERGE_REQUEST_IID", "21"),
        ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", BRANCH),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ("CI_MERGE_REQUEST_TITLE", title),
        ("CI_MERGE_REQUEST_DESCRIPTION", description),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", base.as_str()),
        ("CI_COMMIT_SHA", head.as_str()),
    ];
    if let Some(v) = squash {
        env.push(("CI_MERGE_REQUEST_SQUASH_ON_MERGE", v));
    }
    ci(r, &env, &["--format", "json"])
}

/// (check/rule, where, severity): where is `title` or the commit id. Notes (info) are left out.
type Seen = (String, String, String);

fn seen(out: &Output) -> BTreeSet<Seen> {
    json_findings(out)
        .iter()
        .filter(|f| f["severity"] != "info")
        .map(|f| {
            let at = match (f["field"].as_str(), f["commit"].as_str()) {
                (Some("merge-request-title"), _) => "title".to_owned(),
                (_, Some(c)) => c.to_owned(),
                _ => "-".to_owned(),
            };
            (
                format!(
                    "{}/{}",
                    f["check"].as_str().unwrap_or(""),
                    f["rule"].as_str().unwrap_or("")
                ),
                at,
                f["severity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn set(items: &[(&str, &str, &str)]) -> BTreeSet<Seen> {
    items
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect()
}

const GOOD: &[(&str, &str, &str)] = &[
    (
        "src/a.txt",
        "a\n",
        "feat: retry uploads\n\nRefs: CU-86b2xk4pq",
    ),
    (
        "src/b.txt",
        "b\n",
        "test: cover retries\n\nRefs: CU-86b2xk4pq",
    ),
];

#[test]
fn squashed_bad_title_with_good_commits_fails_on_the_title() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let range = change(&r, Some("[ticket]\nrequire = [\"commits\"]\n"), GOOD);
    let out = mr(
        &r,
        &range,
        "Retry uploads 🚀 when the network drops",
        "",
        Some("true"),
    );
    assert_exit(&out, 1);
    assert_eq!(
        seen(&out),
        set(&[
            ("commit-msg/format", "title", "error"),
            // Every commit on main needs the id, and the title is that commit.
            ("ticket/missing-in-title", "title", "error"),
        ]),
        "{}",
        text(&out)
    );
    for f in json_findings(&out) {
        let m = f["message"].as_str().unwrap_or("");
        assert!(m.contains("squashed on merge"), "says why: {m}");
    }
    // The same title, not squashed: nothing says it becomes a commit.
    let out = mr(
        &r,
        &range,
        "Retry uploads 🚀 when the network drops",
        "",
        None,
    );
    assert_exit(&out, 0);
}

#[test]
fn squashed_good_title_with_bad_commits_only_warns() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let commits: &[(&str, &str, &str)] = &[
        ("src/a.txt", "a\n", "did some stuff"),
        ("src/b.txt", "b\n", "fixup! did some stuff"),
        ("src/c.txt", "c\n", "feat: a good one\n\nRefs: CU-86b2xk4pq"),
    ];
    let range = change(&r, Some("[ticket]\nrequire = [\"commits\"]\n"), commits);
    let ids: Vec<String> = r
        .git(&["rev-list", "--reverse", &format!("{}..HEAD", range.0)])
        .lines()
        .map(str::to_owned)
        .collect();
    // GitLab drops the `Draft:` marker before a draft can be merged.
    let title = "Draft: CU-86b2xk4pq: feat: retry uploads";
    let out = mr(&r, &range, title, "", Some("true"));
    assert_exit(&out, 0);
    assert_eq!(
        seen(&out),
        set(&[
            ("commit-msg/format", &ids[0], "warn"),
            ("ticket/missing-in-commit", &ids[0], "warn"),
            ("commit-msg/work-in-progress", &ids[1], "warn"),
        ]),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("does not reach the target branch"),
        "{}",
        text(&out)
    );
}

#[test]
fn not_squashed_judges_commits_as_before() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let range = change(&r, None, &[("src/a.txt", "a\n", "did some stuff")]);
    let id = range.1.clone();
    let want = set(&[("commit-msg/format", &id, "error")]);
    for squash in [Some("false"), None] {
        let out = mr(&r, &range, "Retry uploads", "", squash);
        assert_exit(&out, 1);
        assert_eq!(seen(&out), want, "{squash:?}: {}", text(&out));
    }
}

#[test]
fn config_squash_overrides_the_platform() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let range = change(&r, Some("[commit-msg]\nsquash = \"never\"\n"), GOOD);
    let out = mr(&r, &range, "Retry uploads", "", Some("true"));
    assert_exit(&out, 0);
    assert_eq!(seen(&out), set(&[]), "{}", text(&out));

    let r = sb.repo_on("r2", "main");
    let range = change(&r, Some("[commit-msg]\nsquash = \"always\"\n"), GOOD);
    // GitHub Actions and runners that do not say: the setting alone decides.
    let out = mr(&r, &range, "Retry uploads", "", None);
    assert_exit(&out, 1);
    assert_eq!(
        seen(&out),
        set(&[("commit-msg/format", "title", "error")]),
        "{}",
        text(&out)
    );

    // An unknown value is a config error at its line, not a silent default.
    let r = sb.repo_on("r3", "main");
    let range = change(&r, Some("[commit-msg]\nsquash = \"sometimes\"\n"), GOOD);
    let out = mr(&r, &range, "feat: retry uploads", "", Some("true"));
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".hygiene.toml:2:") && err.contains("sometimes"),
        "{err}"
    );
}

#[test]
fn squashed_migration_review_marker_in_the_merge_request() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let migration =
        "-- hygiene: destructive-approved (c unused since v2)\nALTER TABLE t DROP COLUMN c;\n";
    let range = change(
        &r,
        None,
        &[(
            "migrations/0002_drop_c.sql",
            migration,
            "feat: drop t.c\n\nRefs: CU-86b2xk4pq",
        )],
    );
    let title = "feat: drop the unused column t.c";
    let marker = "Migration-Reviewed-By: Ann Lee <ann@example.com>";
    let described = format!("Drops `c`.\n\n{marker}\n");
    // Accepted, but the squash commit will not carry it: the MR says so before the merge.
    let out = mr(&r, &range, title, &described, Some("true"));
    assert_exit(&out, 0);
    assert_eq!(
        seen(&out),
        set(&[("migrations/review-lost-on-squash", &range.1, "warn")]),
        "{}",
        text(&out)
    );
    // Unsquashed, the commits (and the MR) keep it.
    let out = mr(&r, &range, title, &described, Some("false"));
    assert_exit(&out, 0);
    assert_eq!(seen(&out), set(&[]), "{}", text(&out));

    // In the file it survives the squash: nothing to say.
    let sb2 = Sandbox::new();
    let r2 = sb2.repo_on("r", "main");
    let reviewed = format!("-- reviewed-by: Ann Lee <ann@example.com>\n{migration}");
    let range2 = change(
        &r2,
        None,
        &[(
            "migrations/0002_drop_c.sql",
            &reviewed,
            "feat: drop t.c\n\nRefs: CU-86b2xk4pq",
        )],
    );
    let out = mr(&r2, &range2, title, &described, Some("true"));
    assert_exit(&out, 0);
    assert_eq!(seen(&out), set(&[]), "{}", text(&out));

    let out = mr(&r, &range, title, "Drops `c`.", Some("true"));
    assert_exit(&out, 1);
    assert_eq!(
        seen(&out),
        set(&[("migrations/review-missing", &range.1, "error")]),
        "{}",
        text(&out)
    );
}
