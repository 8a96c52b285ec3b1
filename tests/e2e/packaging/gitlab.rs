//! The GitLab CI/CD component, run by gitlab-ci-local with the shell executor.

use super::*;

fn gitlab_ci_local() -> PathBuf {
    let p = root().join("tests/tools/node_modules/.bin/gitlab-ci-local");
    assert!(
        p.exists(),
        "{} is missing: run the README's test command (npm ci --prefix tests/tools)",
        p.display()
    );
    assert!(
        tool_on_path("rsync"),
        "gitlab-ci-local needs rsync (apt-get install rsync)"
    );
    p
}

/// An MR-like repository: `main` with the component included locally (inputs: `package` = the
/// wheel), and a branch `feature/add-config` one commit ahead.
fn mr_repo<'a>(sb: &'a Sandbox, package: &str, branch_file: &str) -> Repo<'a> {
    let r = sb.repo_on("mr", "main");
    r.write(
        "templates/git-hygiene.yml",
        std::fs::read(root().join("templates/git-hygiene.yml")).expect("template"),
    );
    r.write(
        ".gitlab-ci.yml",
        format!("include:\n  - local: templates/git-hygiene.yml\n    inputs:\n      package: \"{package}\"\n"),
    );
    r.write(".gitignore", ".gitlab-ci-local/\ngit-hygiene-reports/\n");
    r.write("README.md", "hello\n");
    r.git(&["add", "."]);
    r.commit_no_verify("chore: init");
    r.git(&["checkout", "-q", "-b", "feature/add-config"]);
    r.add_commit("config.py", branch_file, "feat: add config");
    r
}

/// Runs the component's job as a merge-request pipeline of `feature/add-config` into `main`.
fn run_component(r: &Repo) -> Output {
    let base = r.git(&["rev-parse", "main"]);
    let tmp = r.sb.path().join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp");
    let mut c = packaged(r.sb, gitlab_ci_local(), &r.dir, &[]);
    c.args([
        "--force-shell-executor",
        "--ignore-predefined-vars",
        "CI_PIPELINE_SOURCE",
        "--variable",
        "CI_PIPELINE_SOURCE=merge_request_event",
        "--variable",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME=feature/add-config",
        "--variable",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main",
        "--variable",
        &format!("CI_MERGE_REQUEST_DIFF_BASE_SHA={base}"),
        "--variable",
        "CI_MERGE_REQUEST_TITLE=feat: add config",
        "git-hygiene",
    ])
    .env("TMPDIR", &tmp);
    timed(
        "GitLab component job (gitlab-ci-local, venv + pip install + ci)",
        || c.output().expect("run gitlab-ci-local"),
    )
}

fn report(r: &Repo, name: &str) -> String {
    let p = r.dir.join("git-hygiene-reports").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every report the component promises exists and is valid for its consumer.
fn assert_reports_valid(r: &Repo) {
    for (kind, name) in [
        ("codequality", "gl-code-quality.json"),
        ("junit", "git-hygiene-junit.xml"),
        ("sarif", "git-hygiene.sarif"),
    ] {
        let path = r.dir.join("git-hygiene-reports").join(name);
        let out = Command::new("python3")
            .arg(root().join("tests/data/validate_reports.py"))
            .arg(kind)
            .arg(&path)
            .output()
            .expect("python3");
        assert!(out.status.success(), "{name}: {}", text(&out));
    }
}

#[test]
fn gitlab_component_installs_the_wheel_and_judges_a_merge_request() {
    let sb = Sandbox::new();
    let wheel = wheel().display().to_string();
    let r = mr_repo(&sb, &wheel, &format!("TOKEN = \"{}\"\n", github_token()));
    let out = run_component(&r);
    assert_ne!(
        code(&out),
        0,
        "the MR's secret must fail the job:\n{}",
        text(&out)
    );
    assert!(
        text(&out).contains(&format!("git-hygiene {VERSION}")),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));
    assert!(
        !text(&out).contains(&github_token()),
        "never print the secret"
    );
    assert_reports_valid(&r);
    assert!(report(&r, "gl-code-quality.json").contains("secrets/github-pat"));
    assert!(report(&r, "git-hygiene.sarif").contains("github-pat"));
    assert!(report(&r, "git-hygiene-junit.xml").contains("<failure"));

    // The same merge request with the secret replaced: the job passes.
    r.write("config.py", "TOKEN = None\n");
    r.git(&["add", "config.py"]);
    r.git(&[
        "commit",
        "-q",
        "--no-verify",
        "--amend",
        "-m",
        "feat: add config",
    ]);
    let out = run_component(&r);
    assert_exit(&out, 0);
    assert_reports_valid(&r);
    assert!(!report(&r, "gl-code-quality.json").contains("secrets/"));
}

#[test]
fn gitlab_component_keeps_reports_when_git_hygiene_cannot_run() {
    let sb = Sandbox::new();
    // A linter the image does not have: a warning, the job goes on, and every report says so.
    let wheel = wheel().display().to_string();
    let r = mr_repo(&sb, &wheel, "x = 1\n");
    r.write(
        ".hygiene.toml",
        "[[lint]]\nname = \"missing\"\nglob = \"*.py\"\nrun = \"no-such-linter-on-this-image {files}\"\n",
    );
    r.git(&["add", ".hygiene.toml"]);
    r.commit_no_verify("chore: lint config");
    let out = run_component(&r);
    assert_exit(&out, 0);
    assert_reports_valid(&r);
    assert!(report(&r, "gl-code-quality.json").contains("missing-tool"));
    assert!(report(&r, "git-hygiene.sarif").contains("no-such-linter-on-this-image"));

    // A package pip cannot install: still every report, saying so.
    let sb2 = Sandbox::new();
    let r2 = mr_repo(
        &sb2,
        "/nonexistent/git_hygiene-0-py3-none-any.whl",
        "x = 1\n",
    );
    let out = run_component(&r2);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert_reports_valid(&r2);
    assert!(report(&r2, "gl-code-quality.json").contains("could not install"));
    assert!(report(&r2, "git-hygiene-junit.xml").contains("could not install"));
}
