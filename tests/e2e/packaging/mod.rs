//! Packaging, end to end: the wheel `pip wheel .` builds, installed into a fresh venv, by
//! pre-commit's `language: python` hooks and by the GitLab component; the npm launcher and this
//! machine's platform package installed into a fresh npm project; the composite GitHub Action's
//! scripts; the release and CI workflows (actionlint). Every test judges real commits in real
//! repositories with the packaged binary only: PATH never holds the build's own binary.
//!
//! Tools: python3 (pip, venv), npm, and what the README's test command installs
//! (tests/tools/requirements.txt, tests/tools/package.json). One module per channel; the wheel
//! is built once and shared.
mod github;
mod gitlab;
mod npm;
mod pip;
mod versions;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::support::{assert_exit, bin, code, text, Repo, Sandbox};

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

/// An executable the OS loads itself (ELF, Mach-O), not a script that starts another program.
fn is_native(path: &Path) -> bool {
    let magic: [&[u8]; 4] = [
        b"\x7fELF",
        b"\xcf\xfa\xed\xfe",
        b"\xfe\xed\xfa\xcf",
        b"\xca\xfe\xba\xbe",
    ];
    std::fs::read(path)
        .map(|b| magic.iter().any(|m| b.starts_with(m)))
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
/// checkout's target/, so the next run rebuilds only what changed.
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
