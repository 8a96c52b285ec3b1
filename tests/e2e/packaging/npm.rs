//! npm: the launcher and this machine's platform package in a fresh project.

use super::*;

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

    // The hook runs the platform package's binary that `prepare` ran as, not npm's node
    // launcher: no node start per hook, and no PATH needed to find it.
    let native = std::fs::canonicalize(r.dir.join("node_modules"))
        .expect("node_modules")
        .join(package_name(&npm_tarballs().1));
    assert!(
        hook.contains(&format!("hygiene='{}/", native.display())),
        "the hook must name {}:\n{hook}",
        native.display()
    );

    // git runs the hooks with the user's PATH, which has no node_modules/.bin.
    assert_commits_judged(&r, &clean_path(&[]));
    // Nor, from an IDE, maybe node: a PATH with nothing but git still gets its commits judged.
    let only_git = r.dir.join("../only-git-bin");
    std::fs::create_dir_all(&only_git).expect("mkdir");
    let git = which("git");
    std::os::unix::fs::symlink(&git, only_git.join("git")).expect("symlink git");
    r.git(&["reset", "-q", "--hard", "HEAD~1"]);
    assert_commits_judged(&r, &only_git.display().to_string());
}

/// The first `program` on this process's PATH.
fn which(program: &str) -> PathBuf {
    std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{program} not on PATH"))
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
    assert_exit(&out, 2);
    r.write("config.py", format!("TOKEN = \"{}\"\n", github_token()));
    r.git(&["add", "config.py"]);
    let out = run(&["check"], &[]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("secrets/github-pat"), "{}", text(&out));

    let missing = sb.path().join("no-such-binary");
    let out = run(&["--version"], &[("GIT_HYGIENE_BINARY", &missing)]);
    assert_exit(&out, 2);
    assert!(text(&out).contains("GIT_HYGIENE_BINARY"), "{}", text(&out));
    let out = run(&["--version"], &[("GIT_HYGIENE_BINARY", &bin())]);
    assert_exit(&out, 0);

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
