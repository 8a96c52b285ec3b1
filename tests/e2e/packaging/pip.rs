//! PyPI: the wheel in a fresh venv, and pre-commit's `language: python` hooks installing it.

use super::*;

#[test]
fn wheel_installs_the_binary_itself_into_a_fresh_venv_and_its_hooks_judge_commits() {
    let sb = Sandbox::new();
    let venv_bin = venv_with_wheel(&sb);
    let exe = venv_bin.join("git-hygiene");
    assert!(
        is_native(&exe),
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

    // zlib is linked in: a manylinux wheel needs no bundled libz (and no Python shim for it),
    // and the binary runs where no libz.so is installed.
    if cfg!(target_os = "linux") && tool_on_path("ldd") {
        let out = must(Command::new("ldd").arg(&exe), "ldd");
        assert!(!text(&out).contains("libz.so"), "{}", text(&out));
    }

    let r = user_repo(&sb, "r");
    let path = clean_path(&[&venv_bin]);
    must(
        packaged(&sb, "git", &r.dir, &[&venv_bin]).args(["hygiene", "install"]),
        "git hygiene install",
    );
    assert_commits_judged(&r, &path);

    // The wheel carries the man page to <venv>/share/man; man finds it next to <venv>/bin on PATH
    // with no MANPATH, so git's `git hygiene --help` (which runs `man git-hygiene`) shows it.
    let venv = venv_bin.parent().expect("venv");
    assert!(venv.join("share/man/man1/git-hygiene.1").is_file());
    let out = must(
        packaged(&sb, "git", &r.dir, &[&venv_bin])
            .args(["hygiene", "--help"])
            .env_remove("MANPATH")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat"),
        "git hygiene --help",
    );
    assert!(text(&out).contains("git-hygiene-scan(1)"), "{}", text(&out));
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
        .any(|exe| is_native(&exe));
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
    assert_exit(&out, 1);
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
    assert_exit(&out, 0);
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
    assert_exit(&out, 1);
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));
    assert_eq!(r.commit_count(), 2);
}
