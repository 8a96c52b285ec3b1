//! `git hygiene ci` end to end: real repositories, simulated GitLab / GitHub environments,
//! shallow clones deepened from a local remote, reports validated, shards unioned.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{assert_exit, json_findings, text, Repo, Sandbox, MARKER_FILE};
use serde_json::Value;

mod squash;

/// A finding as the tests compare them: check, rule, path, commit.
type Key = (String, String, Option<String>, Option<String>);

/// The change every test judges: `main` with a base commit and a later commit (after the branch
/// point, holding a conflict marker that must NOT be reported), and `feature` whose middle commit
/// adds a conflict marker and whose last commit removes it again. Other checks add their bad
/// commits here and their expectations in `expected()`.
struct Scenario {
    branch_point: String,
    main_tip: String,
    bad: String,
    head: String,
}

fn scenario(r: &Repo) -> Scenario {
    r.add_commit("README.md", "hello\n", "chore: base");
    let branch_point = r.head();
    r.git(&["checkout", "-q", "-b", "feature/CU-86b2xk4pq-retry"]);
    r.add_commit("src/ok.txt", "fine\n", "feat: first good commit");
    let bad = r.add_commit("src/conflict.txt", MARKER_FILE, "feat: middle commit");
    r.write("src/conflict.txt", "resolved\n");
    r.git(&["add", "-A"]);
    r.commit_no_verify("fix: resolve the conflict");
    r.add_commit("docs/notes.md", "notes\n", "docs: last good commit");
    let head = r.head();
    r.git(&["checkout", "-q", "main"]);
    let main_tip = r.add_commit("later/on-main.txt", MARKER_FILE, "chore: main moves on");
    r.git(&["checkout", "-q", "feature/CU-86b2xk4pq-retry"]);
    Scenario {
        branch_point,
        main_tip,
        bad,
        head,
    }
}

/// Exactly the findings the scenario must produce.
fn expected(s: &Scenario) -> BTreeSet<Key> {
    [(
        "hygiene".to_owned(),
        "conflict-marker".to_owned(),
        Some("src/conflict.txt".to_owned()),
        Some(s.bad.clone()),
    )]
    .into_iter()
    .collect()
}

fn ci(r: &Repo, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = r.cmd(crate::support::bin());
    c.arg("ci").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run git-hygiene ci")
}

/// `git-hygiene ARGS` with the outer CI environment removed.
fn hy(r: &Repo, args: &[&str]) -> Output {
    r.cmd(crate::support::bin())
        .args(args)
        .output()
        .expect("run git-hygiene")
}

fn keys(out: &Output) -> BTreeSet<Key> {
    json_findings(out)
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap_or("").to_owned(),
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["path"].as_str().map(str::to_owned),
                f["commit"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn gitlab_mr<'a>(s: &'a Scenario, title: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("GITLAB_CI", "true"),
        ("CI", "true"),
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_MERGE_REQUEST_IID", "12"),
        (
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
            "feature/CU-86b2xk4pq-retry",
        ),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ("CI_MERGE_REQUEST_TITLE", title),
        ("CI_MERGE_REQUEST_DESCRIPTION", "Retries the upload."),
        // The target's tip, not the merge base: ci must compute merge-base itself.
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", &s.main_tip),
        ("CI_COMMIT_SHA", &s.head),
        (
            "CI_COMMIT_BEFORE_SHA",
            "0000000000000000000000000000000000000000",
        ),
    ]
}

#[test]
fn gitlab_merge_request_judges_exactly_the_range() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let s = scenario(&r);
    let out = ci(
        &r,
        &gitlab_mr(&s, "feat: retry uploads"),
        &["--format", "json", "-v"],
    );
    assert_exit(&out, 1);
    assert_eq!(keys(&out), expected(&s), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("GitLab merge-request pipeline"), "{err}");
    assert!(err.contains("4 commit(s)"), "{err}");
    assert!(err.contains(&s.branch_point[..12]), "{err}");
    assert!(err.contains("target \"main\""), "{err}");
    assert!(err.contains("title \"feat: retry uploads\""), "{err}");
}

#[test]
fn flags_override_the_environment() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let s = scenario(&r);
    // --head at the bad commit: the fix and the last commit are not judged, the bad one is.
    let out = ci(
        &r,
        &gitlab_mr(&s, "t"),
        &["--format", "json", "--head", &s.bad],
    );
    assert_eq!(keys(&out), expected(&s), "{}", text(&out));
    // --base at the bad commit: nothing bad left in the range.
    let out = ci(
        &r,
        &gitlab_mr(&s, "t"),
        &["--format", "json", "--base", &s.bad],
    );
    assert_exit(&out, 0);
    assert!(keys(&out).is_empty(), "{}", text(&out));
}

#[test]
fn gitlab_branch_pipeline_new_branch_and_update() {
    let sb = Sandbox::new();
    let up = sb.repo_on("upstream", "main");
    let s = scenario(&up);
    let url = format!("file://{}", up.dir.display());
    let out = sb
        .cmd("git", sb.path())
        .args(["clone", "-q", &url, "clone"])
        .output()
        .expect("clone");
    assert!(out.status.success(), "{}", text(&out));
    let r = up.at(sb.path().join("clone"));
    let zero = "0000000000000000000000000000000000000000";
    let env = [
        ("GITLAB_CI", "true"),
        ("CI_PIPELINE_SOURCE", "push"),
        ("CI_COMMIT_BRANCH", "feature/CU-86b2xk4pq-retry"),
        ("CI_COMMIT_BEFORE_SHA", zero),
        ("CI_DEFAULT_BRANCH", "main"),
        ("CI_COMMIT_SHA", &s.head),
    ];
    let out = ci(&r, &env, &["--format", "json"]);
    assert_eq!(keys(&out), expected(&s), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("4 commit(s)"),
        "{}",
        text(&out)
    );
    // A later push: only before..after is judged.
    let env = [
        ("GITLAB_CI", "true"),
        ("CI_COMMIT_BRANCH", "feature/CU-86b2xk4pq-retry"),
        ("CI_COMMIT_BEFORE_SHA", &s.bad),
        ("CI_COMMIT_SHA", &s.head),
    ];
    let out = ci(&r, &env, &["--format", "json"]);
    assert_exit(&out, 0);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 commit(s)"),
        "{}",
        text(&out)
    );
}

fn write_event(dir: &Path, payload: &Value) -> String {
    let p = dir.join("event.json");
    std::fs::write(&p, payload.to_string()).expect("event");
    p.to_string_lossy().into_owned()
}

#[test]
fn github_pull_request_payload_is_read() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let s = scenario(&r);
    let event = write_event(
        sb.path(),
        &serde_json::json!({
            "action": "synchronize",
            "number": 5,
            "pull_request": {
                "title": "feat: retry uploads CU-86b2xk4pq",
                "body": "Retries.",
                "head": {"ref": "feature/from-payload", "sha": s.head},
                "base": {"ref": "main", "sha": s.main_tip},
            },
            "repository": {"default_branch": "main"},
        }),
    );
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_EVENT_NAME", "pull_request"),
        ("GITHUB_EVENT_PATH", event.as_str()),
        // The synthetic merge commit GitHub checks out; the payload's head must win.
        ("GITHUB_SHA", s.main_tip.as_str()),
    ];
    let out = ci(&r, &env, &["--format", "json", "-v"]);
    assert_eq!(keys(&out), expected(&s), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("GitHub Actions pull request"), "{err}");
    assert!(err.contains("4 commit(s)"), "{err}");
    assert!(err.contains("branch \"feature/from-payload\""), "{err}");
    assert!(err.contains("target \"main\""), "{err}");
    assert!(
        err.contains("title \"feat: retry uploads CU-86b2xk4pq\""),
        "{err}"
    );

    // A push event that creates the branch: judged against the default branch.
    let event = write_event(
        sb.path(),
        &serde_json::json!({
            "ref": "refs/heads/feature/CU-86b2xk4pq-retry",
            "before": "0000000000000000000000000000000000000000",
            "after": s.head,
            "repository": {"default_branch": "main"},
        }),
    );
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_EVENT_NAME", "push"),
        ("GITHUB_EVENT_PATH", event.as_str()),
    ];
    let out = ci(&r, &env, &["--format", "json"]);
    assert_eq!(keys(&out), expected(&s), "{}", text(&out));
}

#[test]
fn bad_event_payload_is_exit_2() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    scenario(&r);
    std::fs::write(sb.path().join("bad.json"), "{oops").expect("write");
    let p = sb.path().join("bad.json");
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_EVENT_PATH", p.to_str().expect("utf8")),
    ];
    let out = ci(&r, &env, &[]);
    assert_exit(&out, 2);
    assert!(text(&out).contains("not valid JSON"), "{}", text(&out));
}

/// Upstream with 60 commits on the feature branch, so one `--deepen=50` is not enough.
fn long_upstream(sb: &Sandbox) -> (Repo<'_>, Scenario) {
    let up = sb.repo_on("upstream", "main");
    let mut s = scenario(&up);
    for i in 0..60 {
        up.add_commit(
            &format!("more/f{}.txt", i % 7),
            &format!("{i}\n"),
            "chore: more",
        );
    }
    s.head = up.head();
    (up, s)
}

fn shallow_clone(sb: &Sandbox, url: &str) -> std::path::PathBuf {
    let dir = sb.path().join("shallow");
    let out = sb
        .cmd("git", sb.path())
        .args([
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "feature/CU-86b2xk4pq-retry",
            url,
        ])
        .arg(&dir)
        .output()
        .expect("clone");
    assert!(out.status.success(), "{}", text(&out));
    dir
}

#[test]
fn shallow_clone_is_deepened_from_its_remote() {
    let sb = Sandbox::new();
    let (up, s) = long_upstream(&sb);
    let url = format!("file://{}", up.dir.display());
    let r = up.at(shallow_clone(&sb, &url));
    assert_eq!(r.git(&["rev-parse", "--is-shallow-repository"]), "true");
    let out = ci(&r, &gitlab_mr(&s, "t"), &["--format", "json"]);
    assert_eq!(keys(&out), expected(&s), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--deepen"), "{err}");
    assert!(err.contains("64 commit(s)"), "{err}");
    // The same answer as a full clone gives.
    let full = ci(&up, &gitlab_mr(&s, "t"), &["--format", "json"]);
    assert_eq!(keys(&full), keys(&out));
}

#[test]
fn shallow_clone_without_remote_fails_with_advice() {
    let sb = Sandbox::new();
    let (up, s) = long_upstream(&sb);
    let url = format!("file://{}", up.dir.display());
    let r = up.at(shallow_clone(&sb, &url));
    r.git(&["remote", "remove", "origin"]);
    let out = ci(&r, &gitlab_mr(&s, "t"), &[]);
    assert_exit(&out, 2);
    let msg = text(&out);
    assert!(msg.contains("shallow"), "{msg}");
    assert!(msg.contains("GIT_DEPTH: 0"), "{msg}");
    assert!(msg.contains("fetch-depth: 0"), "{msg}");
    assert!(!msg.contains("panicked"), "{msg}");
}

fn validate(kind: &str, path: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/validate_reports.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(kind)
        .arg(path)
        .output()
        .expect("python3 is needed to validate reports (pip install jsonschema)");
    assert!(
        out.status.success(),
        "{kind} report invalid: {}\n{}",
        text(&out),
        std::fs::read_to_string(path).unwrap_or_default()
    );
}

#[test]
fn every_report_validates() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let s = scenario(&r);
    // More than one finding, a path with a space and non-ASCII.
    const UNIQUE: &str = "<<<<<<< zq-unique-snippet-side";
    r.add_commit(
        "odd dir/é x.txt",
        &format!("a\n{UNIQUE}\nb\n=======\nc\n>>>>>>> other\n"),
        "feat: another bad one",
    );
    let dir = sb.path();
    let paths: Vec<(&str, std::path::PathBuf)> = [
        ("sarif", "h.sarif"),
        ("junit", "h.xml"),
        ("codequality", "gl-code-quality.json"),
        ("gitlab-secrets", "gl-secret-detection-report.json"),
        ("json", "h.json"),
    ]
    .iter()
    .map(|(k, f)| (*k, dir.join(f)))
    .collect();
    let mut args: Vec<String> = vec!["--format".into(), "json".into()];
    for (k, p) in &paths {
        args.push("--report".into());
        args.push(format!("{k}={}", p.display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ci(&r, &[], &[&["--base", "main"][..], &args].concat());
    assert_exit(&out, 1);
    // Three marker lines in each of the two bad files.
    assert_eq!(json_findings(&out).len(), 6, "{}", text(&out));
    for (k, p) in &paths {
        if *k != "json" {
            validate(k, p);
        }
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains(UNIQUE));
    // The json report is the stdout document.
    let json = std::fs::read(&paths[4].1).expect("json report");
    assert_eq!(json, out.stdout);
    // No report but json/human carries snippets.
    for (k, p) in &paths[..4] {
        let body = std::fs::read_to_string(p).expect("report");
        assert!(!body.contains(UNIQUE), "{k} carries a snippet");
    }
    let _ = s;
}

fn shard_union(r: &Repo, args: &[&str]) {
    let whole = hy(r, &[args, &["--format", "json"]].concat());
    let all: Vec<Value> = json_findings(&whole);
    assert!(all.len() >= 10, "{}", text(&whole));
    let fp = |f: &Value| {
        format!(
            "{}|{}|{}|{}|{}",
            f["fingerprint"], f["path"], f["line"], f["commit"], f["message"]
        )
    };
    let mut union: Vec<String> = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let out = hy(
            r,
            &[args, &["--format", "json", "--shard", &shard]].concat(),
        );
        let part = json_findings(&out);
        assert!(!part.is_empty(), "shard {shard} empty: {}", text(&out));
        union.extend(part.iter().map(fp));
    }
    let mut whole_keys: Vec<String> = all.iter().map(fp).collect();
    whole_keys.sort();
    union.sort();
    // Equal as multisets: nothing lost, nothing reported twice.
    assert_eq!(union, whole_keys);
}

#[test]
fn shards_union_to_the_whole() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    r.add_commit("README.md", "x\n", "chore: base");
    r.git(&["checkout", "-q", "-b", "feature/a"]);
    for c in 0..4 {
        for f in 0..6 {
            r.write(&format!("d{f}/file{c}_{f}.txt"), MARKER_FILE);
        }
        r.git(&["add", "-A"]);
        r.commit_no_verify(&format!("feat: batch {c}"));
    }
    shard_union(&r, &["ci", "--base", "main"]);
    shard_union(&r, &["scan", "--history"]);
    // GitLab's parallel: N is read automatically (1-based index).
    let mut c = r.cmd(crate::support::bin());
    let out = c
        .args(["ci", "--base", "main", "--format", "json"])
        .env("CI_NODE_INDEX", "2")
        .env("CI_NODE_TOTAL", "3")
        .output()
        .expect("run");
    let flag = hy(
        &r,
        &["ci", "--base", "main", "--format", "json", "--shard", "2/3"],
    );
    assert_eq!(json_findings(&out), json_findings(&flag));
    let bad = hy(&r, &["ci", "--base", "main", "--shard", "4/3"]);
    assert_exit(&bad, 2);
}

/// The issue's scenario in full: a GitLab MR whose title lacks the required ticket, with a badly
/// written commit in the middle and a secret added in one commit and removed in the next. The
/// pipeline reports exactly those three problems, each commit finding naming its commit.
#[test]
fn gitlab_mr_bad_title_bad_commit_and_removed_secret() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    r.add_commit(
        ".hygiene.toml",
        "[ticket]\nrequire = [\"mr-title\"]\n",
        "chore: require tickets in MR titles",
    );
    let branch_point = r.head();
    r.git(&["checkout", "-q", "-b", "feature/CU-86b2xk4pq-retry"]);
    r.add_commit("src/ok.txt", "fine\n", "feat: first good commit");
    let bad_msg = r.add_commit("src/more.txt", "more\n", "did some stuff");
    let key = ["AK", "IA", "Q3EGRT5J", "YHMPLW7K"].concat();
    let secret = ["wJalrXUtnF", "EMI/K7MDENG/", "bPxRfiCYz8Q2", "mN4pL7vR0sT9"].concat();
    let leaked = r.add_commit(
        "deploy/aws.ini",
        &format!("[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
        "feat: deploy settings",
    );
    r.add_commit(
        "deploy/aws.ini",
        "[default]\nprofile = ci\n",
        "fix: use the CI profile",
    );
    let head = r.head();
    let env = [
        ("GITLAB_CI", "true"),
        ("CI", "true"),
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_MERGE_REQUEST_IID", "7"),
        (
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
            "feature/CU-86b2xk4pq-retry",
        ),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ("CI_MERGE_REQUEST_TITLE", "Retry uploads"),
        ("CI_MERGE_REQUEST_DESCRIPTION", "Retries the upload."),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", branch_point.as_str()),
        ("CI_COMMIT_SHA", head.as_str()),
    ];
    let out = ci(
        &r,
        &env,
        &[
            "--format",
            "json",
            "--report",
            "gitlab-secrets=gl-secrets.json",
        ],
    );
    assert_exit(&out, 1);
    let got: BTreeSet<(String, Option<String>, Option<String>)> = keys(&out)
        .into_iter()
        .map(|(check, _rule, path, commit)| (check, path, commit))
        .collect();
    let want: BTreeSet<(String, Option<String>, Option<String>)> = [
        ("commit-msg".to_owned(), None, Some(bad_msg.clone())),
        (
            "secrets".to_owned(),
            Some("deploy/aws.ini".to_owned()),
            Some(leaked.clone()),
        ),
        ("ticket".to_owned(), None, None),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want, "{}", text(&out));
    // The secret is reported, never printed, in stdout and in the report.
    let report = std::fs::read_to_string(r.dir.join("gl-secrets.json")).unwrap();
    assert!(!text(&out).contains(&secret) && !report.contains(&secret));
    assert!(
        report.contains(&leaked),
        "the report names the commit: {report}"
    );
}

/// The case clashes a JSON run reports, as (lower-cased path, commit): of two spellings added
/// together, either may be the one named.
fn case_clashes(out: &Output) -> BTreeSet<(String, String)> {
    keys(out)
        .into_iter()
        .filter(|(_, rule, _, _)| rule == "case-conflict")
        .map(|(_, _, path, commit)| {
            (
                path.unwrap_or_default().to_lowercase(),
                commit.unwrap_or_default(),
            )
        })
        .collect()
}

/// A path renamed by case (`git mv manifest.md MANIFEST.md`) never exists twice in one commit's
/// tree: neither the commit that added it nor the rename is a clash.
#[test]
fn a_rename_by_case_is_no_clash_in_history_or_ci() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let base = r.add_commit("README.md", "hello\n", "chore: base");
    r.add_commit("manifest.md", "files\n", "docs: add the manifest");
    r.git(&["mv", "manifest.md", "MANIFEST.md"]);
    r.commit_no_verify("docs: upper-case the manifest");
    let out = hy(&r, &["scan", "--history", "--format", "json"]);
    assert_exit(&out, 0);
    assert!(json_findings(&out).is_empty(), "{}", text(&out));
    let out = ci(&r, &[], &["--base", &base, "--format", "json"]);
    assert_exit(&out, 0);
    assert!(json_findings(&out).is_empty(), "{}", text(&out));
}

/// Real clashes are still found, each at the commit whose tree holds both spellings: one added
/// against a path of its parent's tree, two added together, a directory against a directory.
/// The first spelling is later deleted, which must not move the blame to the commit that added it.
#[test]
fn case_clashes_are_found_at_the_commit_that_makes_them() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let base = r.add_commit("base.txt", "base\n", "chore: base");
    r.add_commit("README.md", "a\n", "docs: readme");
    r.add_commit("docs/a.md", "a\n", "docs: a");
    let against_parent = r.add_commit("Readme.md", "b\n", "docs: second readme");
    r.write("Guide.md", "g\n");
    r.write("GUIDE.md", "G\n");
    r.git(&["add", "-A"]);
    let together = r.commit_no_verify("docs: two guides");
    let dirs = r.add_commit("Docs/b.md", "b\n", "docs: b");
    r.git(&["rm", "-q", "README.md"]);
    r.commit_no_verify("docs: drop the old readme");
    let want: BTreeSet<(String, String)> = [
        ("readme.md", &against_parent),
        ("guide.md", &together),
        ("docs/b.md", &dirs),
    ]
    .into_iter()
    .map(|(p, c)| (p.to_owned(), c.clone()))
    .collect();
    let history = hy(&r, &["scan", "--history", "--format", "json"]);
    assert_exit(&history, 1);
    assert_eq!(case_clashes(&history), want, "{}", text(&history));
    let ci_out = ci(&r, &[], &["--base", &base, "--format", "json"]);
    assert_exit(&ci_out, 1);
    assert_eq!(case_clashes(&ci_out), want, "{}", text(&ci_out));
}

/// A history served to partial clones: `main` holds `src/app.py`; the feature branch adds an AWS
/// key in one commit and removes it in the next, then adds a conflict marker inside
/// `src/app.py` (found only by diffing against the old version) and resolves it.
struct Served {
    server: std::path::PathBuf,
    leaked: String,
    leaked_blob: String,
    bad: String,
}

const FEATURE: &str = "feature/CU-86b2xk4pq-retry";

/// A repository that serves partial clones, as Git hosts do: filters allowed, and single
/// objects may be asked for later.
fn server(sb: &Sandbox) -> Repo<'_> {
    let s = sb.repo_on("server", "main");
    s.git(&["config", "uploadpack.allowFilter", "true"]);
    s.git(&["config", "uploadpack.allowAnySHA1InWant", "true"]);
    s
}

fn served(sb: &Sandbox) -> (Repo<'_>, Served) {
    let s = server(sb);
    let app: String = (1..=40).map(|i| format!("line_{i} = {i}\n")).collect();
    s.add_commit("src/app.py", &app, "chore: base");
    s.git(&["checkout", "-q", "-b", FEATURE]);
    let key = ["AK", "IA", "Q3EGRT5J", "YHMPLW7K"].concat();
    let secret = ["wJalrXUtnF", "EMI/K7MDENG/", "bPxRfiCYz8Q2", "mN4pL7vR0sT9"].concat();
    let leaked = s.add_commit(
        "deploy/aws.ini",
        &format!("[default]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"),
        "feat: deploy settings",
    );
    let leaked_blob = s.git(&["rev-parse", &format!("{leaked}:deploy/aws.ini")]);
    s.add_commit(
        "deploy/aws.ini",
        "[default]\nprofile = ci\n",
        "fix: use the CI profile",
    );
    let marked = app.replace("line_20 = 20\n", &MARKER_FILE[2..]);
    let bad = s.add_commit("src/app.py", &marked, "feat: merge the upload changes");
    s.add_commit("src/app.py", &app, "fix: resolve the conflict");
    let server = s.dir.clone();
    (
        s,
        Served {
            server,
            leaked,
            leaked_blob,
            bad,
        },
    )
}

/// A finding as the partial-clone tests compare them: check, path, commit (which secrets rules
/// fire on the key is not what they are about).
type Located = (String, Option<String>, Option<String>);

impl Served {
    fn expected(&self) -> BTreeSet<Located> {
        [
            ("secrets", "deploy/aws.ini", &self.leaked),
            ("hygiene", "src/app.py", &self.bad),
        ]
        .into_iter()
        .map(|(check, path, commit)| {
            (
                check.to_owned(),
                Some(path.to_owned()),
                Some(commit.clone()),
            )
        })
        .collect()
    }
}

fn located(out: &Output) -> BTreeSet<Located> {
    keys(out)
        .into_iter()
        .map(|(c, _, p, k)| (c, p, k))
        .collect()
}

/// `git clone FLAGS file://SERVER NAME` of the feature branch; `file://` so the filter is honoured.
fn clone_with<'a>(sb: &'a Sandbox, server: &Path, name: &str, flags: &[&str]) -> Repo<'a> {
    let url = format!("file://{}", server.display());
    let out = sb
        .cmd("git", sb.path())
        .args(["clone", "-q", "--branch", FEATURE])
        .args(flags)
        .args([url.as_str(), name])
        .output()
        .expect("clone");
    assert!(out.status.success(), "{}", text(&out));
    sb.repo_on(name, FEATURE) // `git init` in a clone only re-initialises it
}

/// Counts the packs the server sends from now on (one per fetch round trip): git runs
/// `uploadpack.packObjectsHook`, when set in the user's config, in place of `pack-objects`.
fn count_packs(sb: &Sandbox) -> std::path::PathBuf {
    let log = sb.path().join("packs.log");
    let hook = sb.path().join("count-packs.sh");
    std::fs::write(
        &hook,
        format!("#!/bin/sh\necho pack >> '{}'\nexec \"$@\"\n", log.display()),
    )
    .expect("hook");
    make_executable(&hook);
    let out = sb
        .cmd("git", sb.path())
        .args(["config", "--global", "uploadpack.packObjectsHook"])
        .arg(&hook)
        .output()
        .expect("git config");
    assert!(out.status.success(), "{}", text(&out));
    let _ = std::fs::remove_file(&log);
    log
}

fn packs(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |s| s.lines().count())
}

fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// Objects this clone does not have (`git rev-list --missing=print` never fetches them).
fn missing(r: &Repo) -> Vec<String> {
    r.git(&["rev-list", "--objects", "--missing=print", "--all"])
        .lines()
        .filter_map(|l| l.strip_prefix('?').map(str::to_owned))
        .collect()
}

/// In a `--filter=blob:none` clone the old versions are not there; libgit2 does not fetch them.
/// `scan --history` and `ci` fetch what the range needs from the promisor remote in one round
/// trip and find the same problems a full clone shows, including the key in an old blob.
#[test]
fn blobless_clone_fetches_the_missing_blobs_in_one_round_trip() {
    let sb = Sandbox::new();
    let (server, s) = served(&sb);
    let full = hy(&server, &["scan", "--history", "--format", "json"]);
    assert_eq!(located(&full), s.expected(), "{}", text(&full));

    let r = clone_with(&sb, &s.server, "blobless", &["--filter=blob:none"]);
    assert!(
        missing(&r).contains(&s.leaked_blob),
        "the test needs the old key missing"
    );
    let log = count_packs(&sb);
    let out = hy(&r, &["scan", "--history", "--format", "json"]);
    assert_exit(&out, 1);
    assert_eq!(located(&out), s.expected(), "{}", text(&out));
    assert_eq!(packs(&log), 1, "one batched fetch:\n{}", text(&out));

    let r = clone_with(&sb, &s.server, "blobless-ci", &["--filter=blob:none"]);
    let log = count_packs(&sb);
    let out = ci(&r, &[], &["--base", "origin/main", "--format", "json"]);
    assert_exit(&out, 1);
    assert_eq!(located(&out), s.expected(), "{}", text(&out));
    assert_eq!(packs(&log), 1, "one batched fetch:\n{}", text(&out));
}

/// A `--filter=tree:0` clone lacks the old commits' trees as well: one fetch brings the trees
/// of the range, one the blobs.
#[test]
fn treeless_clone_fetches_trees_then_blobs() {
    let sb = Sandbox::new();
    let (_server, s) = served(&sb);
    let r = clone_with(&sb, &s.server, "treeless", &["--filter=tree:0"]);
    let log = count_packs(&sb);
    let out = hy(&r, &["scan", "--history", "--format", "json"]);
    assert_exit(&out, 1);
    assert_eq!(located(&out), s.expected(), "{}", text(&out));
    assert_eq!(packs(&log), 2, "trees, then blobs:\n{}", text(&out));
}

/// CI's usual clone, shallow and blobless at once: the history is deepened, then the blobs of
/// the range are fetched.
#[test]
fn shallow_blobless_clone_is_deepened_and_filled_in() {
    let sb = Sandbox::new();
    let (_server, s) = served(&sb);
    let r = clone_with(
        &sb,
        &s.server,
        "shallow",
        &["--depth=1", "--filter=blob:none", "--no-single-branch"],
    );
    assert_eq!(r.git(&["rev-parse", "--is-shallow-repository"]), "true");
    let out = ci(&r, &[], &["--base", "origin/main", "--format", "json"]);
    assert_exit(&out, 1);
    assert_eq!(located(&out), s.expected(), "{}", text(&out));
}

/// When the promisor remote cannot be reached, the run stops with one line that names a path,
/// its commit and what to do, and exit code 2.
#[test]
fn unreachable_promisor_remote_is_a_one_line_error() {
    let sb = Sandbox::new();
    let (_server, s) = served(&sb);
    let r = clone_with(&sb, &s.server, "orphan", &["--filter=blob:none"]);
    std::fs::rename(&s.server, sb.path().join("server-gone")).expect("move the server away");
    let out = hy(&r, &["scan", "--history"]);
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.contains("error"))
        .unwrap_or_else(|| panic!("no error line:\n{err}"));
    assert!(line.contains("origin"), "{line}");
    assert!(line.contains("partial clone"), "{line}");
    assert!(
        s.expected().iter().any(
            |(_, path, commit)| line.contains(path.as_deref().unwrap_or("?"))
                && line.contains(&commit.as_deref().unwrap_or("?")[..12])
        ),
        "names a path and its commit: {line}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Objects a range does not fetch ahead are fetched when a check asks for them: here the tree of
/// the merge base, which in a branch that merged `main` is no parent of a judged commit, and
/// which the migrations check lists when a migration changes.
#[test]
fn treeless_clone_fetches_the_base_tree_on_demand() {
    let sb = Sandbox::new();
    let s = server(&sb);
    s.add_commit(
        "db/migrate/001_create_users.rb",
        "class CreateUsers < ActiveRecord::Migration[7.1]\nend\n",
        "chore: base",
    );
    s.git(&["checkout", "-q", "-b", FEATURE]);
    s.add_commit("src/a.txt", "a\n", "feat: a");
    s.git(&["checkout", "-q", "main"]);
    s.add_commit("docs/main.md", "main moves on\n", "docs: main moves on");
    s.git(&["checkout", "-q", FEATURE]);
    s.git(&["merge", "-q", "--no-edit", "--no-verify", "main"]);
    s.add_commit(
        "db/migrate/002_add_email.rb",
        "# reviewed-by: Jane Doe <jane@example.com>\nclass AddEmail < ActiveRecord::Migration[7.1]\nend\n",
        "feat: users get an email",
    );
    let full = ci(&s, &[], &["--base", "main", "--format", "json"]);
    assert_exit(&full, 0);

    let r = clone_with(&sb, &s.dir, "treeless", &["--filter=tree:0"]);
    // `%T` reads the commit only (`rev-parse origin/main^{tree}` would fetch the tree).
    let base = r.git(&["log", "-1", "--format=%T", "origin/main"]);
    assert!(
        missing(&r).contains(&base),
        "the test needs the base tree missing"
    );
    let out = ci(&r, &[], &["--base", "origin/main", "--format", "json"]);
    assert_exit(&out, 0);
    assert_eq!(keys(&out), keys(&full), "{}", text(&out));
}

/// Secrets in what travels with a merge request besides files: a commit's message (committed
/// with --no-verify, so no hook saw it) and the MR's title and description. Each is found with
/// its place (field, line, commit), and no output — terminal, JSON, any report, `-v`'s stderr —
/// holds the secret, though the ticket check quotes the title and commit-msg the subject.
#[test]
fn secrets_in_commit_messages_and_the_merge_request_are_found_and_never_printed() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    r.add_commit(
        ".hygiene.toml",
        "[ticket]\nrequire = [\"mr-title\"]\n",
        "chore: base",
    );
    r.git(&["checkout", "-q", "-b", "feature/deploy"]);
    let key = ["AK", "IA", "Q3EGRT5J", "YHMPLW7K"].concat();
    let token = ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat();
    let leak = r.add_commit(
        "deploy.sh",
        "echo deploy\n",
        &format!("feat: deploy script\n\nSigns in with {key} for now.\n"),
    );
    // A subject commit-msg quotes (not Conventional, too long), holding the token.
    let quoted = r.add_commit(
        "notes.txt",
        "n\n",
        &format!("Pushed with {token} because the CI variable was not set yet, oops"),
    );
    let title = format!("Deploy with {token}");
    let description = format!("Steps:\n\n1. export AWS_ACCESS_KEY_ID={key}\n");
    let dir = sb.path();
    let reports: Vec<(&str, std::path::PathBuf)> = [
        ("sarif", "h.sarif"),
        ("junit", "h.xml"),
        ("codequality", "cq.json"),
        ("gitlab-secrets", "gl-secrets.json"),
        ("json", "h.json"),
    ]
    .iter()
    .map(|(k, f)| (*k, dir.join(f)))
    .collect();
    let mut args: Vec<String> = [
        "--base",
        "main",
        "--title",
        title.as_str(),
        "--description",
        description.as_str(),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for (k, p) in &reports {
        args.push("--report".into());
        args.push(format!("{k}={}", p.display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let human = ci(&r, &[], &args);
    assert_exit(&human, 1);
    let verbose = ci(&r, &[], &[&args[..], &["-v"]].concat());
    let json = ci(&r, &[], &[&args[..], &["--format", "json"]].concat());
    assert_exit(&json, 1);

    let at = |f: &Value| {
        (
            f["rule"].as_str().unwrap_or("").to_owned(),
            f["field"].as_str().unwrap_or("").to_owned(),
            f["line"].as_u64().unwrap_or(0),
            f["commit"].as_str().map(str::to_owned),
        )
    };
    let secrets: BTreeSet<_> = json_findings(&json)
        .iter()
        .filter(|f| f["check"] == "secrets")
        .inspect(|f| assert!(f["path"].is_null(), "{f}"))
        .map(at)
        .collect();
    let want: BTreeSet<_> = [
        ("aws-access-key-id", "commit-message", 3, Some(leak.clone())),
        ("github-pat", "commit-message", 1, Some(quoted.clone())),
        ("github-pat", "merge-request-title", 1, None),
        ("aws-access-key-id", "merge-request-description", 3, None),
    ]
    .into_iter()
    .map(|(r, f, l, c)| (r.to_owned(), f.to_owned(), l, c))
    .collect();
    assert_eq!(secrets, want, "{}", text(&json));
    let t = text(&human);
    assert!(
        t.contains(&format!("commit message:3:15 (commit {})", &leak[..12])),
        "{t}"
    );
    assert!(t.contains("merge-request title:1:13"), "{t}");
    assert!(
        t.contains("ticket/missing-in-title"),
        "the title is quoted:\n{t}"
    );

    let mut outputs = vec![
        ("human", text(&human)),
        ("verbose", text(&verbose)),
        ("json", text(&json)),
    ];
    for (k, p) in &reports {
        let body = std::fs::read_to_string(p).expect("report");
        if *k != "json" {
            validate(k, p);
        }
        outputs.push((k, body));
    }
    for (what, o) in &outputs {
        for s in [&key, &token] {
            assert!(!crate::support::leaks(o, s), "{what} holds a secret:\n{o}");
        }
    }
    let gl: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("gl-secrets.json")).unwrap())
            .expect("gitlab-secrets json");
    let vulns = gl["vulnerabilities"].as_array().expect("vulnerabilities");
    assert_eq!(vulns.len(), 4, "{gl}");
    assert!(
        vulns
            .iter()
            .any(|v| v["location"]["commit"]["sha"] == leak.as_str()
                && v["description"]
                    .as_str()
                    .is_some_and(|d| d.contains("commit message line 3"))),
        "{gl}"
    );
}

/// A linter missing from the CI image: a warning that says what to install, next to the other
/// checks' findings (whose errors still fail the job: exit 1), and every report is written.
#[test]
fn missing_linter_is_a_finding_and_every_report_is_written() {
    missing_linter_in_ci("zq-not-installed-prettier --check {files}");
}

/// The same when the command is run by a shell (`&&` needs one): the shell, not git-hygiene,
/// finds the program missing and exits 127.
#[test]
fn missing_linter_behind_a_shell_is_a_finding_too() {
    missing_linter_in_ci("zq-not-installed-prettier --check {files} && true");
}

fn missing_linter_in_ci(run: &str) {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let s = scenario(&r);
    r.add_commit(
        ".hygiene.toml",
        &format!("[[lint]]\nname = \"prettier\"\nglob = \"*.txt\"\nrun = \"{run}\"\n"),
        "chore: lint config",
    );
    let dir = sb.path();
    let paths: Vec<(&str, std::path::PathBuf)> = [
        ("sarif", "m.sarif"),
        ("junit", "m.xml"),
        ("codequality", "m-code-quality.json"),
    ]
    .iter()
    .map(|(k, f)| (*k, dir.join(f)))
    .collect();
    let mut args: Vec<String> = vec![
        "--base".into(),
        "main".into(),
        "--format".into(),
        "json".into(),
    ];
    for (k, p) in &paths {
        args.push("--report".into());
        args.push(format!("{k}={}", p.display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ci(&r, &[], &args);
    assert_exit(&out, 1);
    let all = json_findings(&out);
    assert!(
        all.iter().any(|f| f["rule"] == "missing-tool"
            && f["severity"] == "warn"
            && f["message"]
                .as_str()
                .is_some_and(|m| m.contains("install `zq-not-installed-prettier`"))),
        "{}",
        text(&out)
    );
    assert!(
        all.iter().any(|f| f["rule"] != "missing-tool"),
        "{}",
        text(&out)
    );
    for (k, p) in &paths {
        let body = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{k} report: {e}"));
        assert!(body.contains("zq-not-installed-prettier"), "{k}: {body}");
        validate(k, p);
    }
    let _ = s;
}
