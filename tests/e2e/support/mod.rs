//! Test support: real git repositories in temp dirs, driven by the real `git` and the built
//! `git-hygiene` binary, isolated from the user's own git config.
#![allow(dead_code)]

pub mod accuracy;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_git-hygiene"))
}

/// A scratch area: a HOME with its own git config, and room for repositories.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        Sandbox { dir }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
    /// A command with a clean, deterministic git environment and git-hygiene on PATH.
    pub fn cmd(&self, program: impl AsRef<OsStr>, cwd: &Path) -> Command {
        let mut c = Command::new(program);
        let bin_dir = bin().parent().expect("bin dir").to_path_buf();
        let path = format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        for v in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY",
            "GIT_COMMON_DIR",
            "HYGIENE_SKIP",
            "HYGIENE_HOOK_PATH",
            "NO_COLOR",
        ] {
            c.env_remove(v);
        }
        remove_outer_ci_env(&mut c);
        c.current_dir(cwd)
            .env("PATH", path)
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "Test Author")
            .env("GIT_COMMITTER_EMAIL", "author@example.com")
            .env("GIT_EDITOR", "true")
            .stdin(Stdio::null());
        c
    }
    /// A new repository at `name` inside the sandbox, on branch [`BRANCH`]: a name that follows
    /// the default branch convention and is not protected, so tests of other checks can commit
    /// and push with the hooks installed.
    pub fn repo(&self, name: &str) -> Repo<'_> {
        self.repo_on(name, BRANCH)
    }
    /// A new repository whose first branch is `branch`.
    pub fn repo_on(&self, name: &str, branch: &str) -> Repo<'_> {
        let dir = self.path().join(name);
        std::fs::create_dir_all(&dir).expect("repo dir");
        let r = Repo { sb: self, dir };
        r.git(&["init", "-q", "-b", branch]);
        r
    }
    /// A bare repository to push to.
    pub fn bare(&self, name: &str) -> PathBuf {
        let dir = self.path().join(name);
        let out = self
            .cmd("git", self.path())
            .args(["init", "-q", "--bare", "-b", "main"])
            .arg(&dir)
            .output()
            .expect("git");
        assert!(out.status.success(), "{}", text(&out));
        dir
    }
}

pub struct Repo<'a> {
    pub sb: &'a Sandbox,
    pub dir: PathBuf,
}

impl<'a> Repo<'a> {
    /// Same sandbox, another directory (a linked worktree, a clone).
    pub fn at(&self, dir: PathBuf) -> Repo<'a> {
        Repo { sb: self.sb, dir }
    }
    pub fn cmd(&self, program: impl AsRef<OsStr>) -> Command {
        self.sb.cmd(program, &self.dir)
    }
    /// Runs git and asserts it succeeded; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let out = self.cmd("git").args(args).output().expect("run git");
        assert!(out.status.success(), "git {args:?} failed:\n{}", text(&out));
        String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
    }
    /// Runs git without asserting.
    pub fn git_out(&self, args: &[&str]) -> Output {
        self.cmd("git").args(args).output().expect("run git")
    }
    pub fn hygiene(&self, args: &[&str]) -> Output {
        self.cmd(bin())
            .args(args)
            .output()
            .expect("run git-hygiene")
    }
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let p = self.dir.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, content).expect("write");
    }
    pub fn read(&self, path: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(path)).expect("read")
    }
    /// `git commit -m MSG` (hooks run); returns the output without asserting.
    pub fn commit(&self, msg: &str) -> Output {
        self.git_out(&["commit", "-q", "-m", msg])
    }
    /// A commit that bypasses the hooks, for setting up history.
    pub fn commit_no_verify(&self, msg: &str) -> String {
        self.git(&["commit", "-q", "--no-verify", "-m", msg]);
        self.head()
    }
    pub fn add_commit(&self, path: &str, content: &str, msg: &str) -> String {
        self.write(path, content);
        self.git(&["add", "--", path]);
        self.commit_no_verify(msg)
    }
    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }
    pub fn commit_count(&self) -> usize {
        let out = self.git_out(&["rev-list", "--count", "HEAD"]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    }
    pub fn install(&self) {
        let out = self.hygiene(&["install"]);
        assert!(out.status.success(), "install failed:\n{}", text(&out));
    }
}

/// `config` is refused at `git commit` (hooks installed, a change staged), `check`, `scan` and
/// `ci --base BASE` alike: exit 2 and one line naming `.hygiene.toml:LINE:COL` and what is wrong.
pub fn assert_located(r: &Repo<'_>, base: &str, config: &str, at: &str, what: &str) {
    r.write(".hygiene.toml", config);
    let before = r.commit_count();
    let out = r.commit("feat: change a");
    let t = text(&out);
    assert_ne!(code(&out), 0, "commit with {config:?} went through: {t}");
    assert!(
        t.contains(&format!(".hygiene.toml:{at}: ")),
        "{config:?}: {t}"
    );
    assert!(t.contains(what), "{config:?}: {t}");
    assert_eq!(r.commit_count(), before, "{config:?}");
    for args in [
        &["check"][..],
        &["scan"],
        &["ci", "--base", base, "--head", "HEAD"],
    ] {
        let out = r.hygiene(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), 2, "{args:?} with {config:?}: {}", text(&out));
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line: {err}"
        );
        assert!(
            err.contains(&format!(".hygiene.toml:{at}: ")) && err.contains(what),
            "{args:?} with {config:?}: {err}"
        );
    }
}

/// stdout and stderr together, for assertions and failure messages.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Asserts the exit code, showing the whole output when it differs.
#[track_caller]
pub fn assert_exit(out: &Output, expected: i32) {
    assert_eq!(code(out), expected, "{}", text(out));
}

/// The `findings` array of a `--format json` run.
pub fn json_findings(out: &Output) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json: {e}\n{}", text(out)));
    v["findings"].as_array().cloned().unwrap_or_default()
}

/// Removes every CI variable of the outer environment (GitLab, GitHub, pre-commit), so a test
/// run inside a real pipeline does not leak its own variables into the simulated one.
pub fn remove_outer_ci_env(c: &mut Command) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("CI_")
            || k.starts_with("GITHUB_")
            || k.starts_with("GITLAB_")
            || k.starts_with("PRE_COMMIT")
            || k == "CI"
        {
            c.env_remove(&*k);
        }
    }
}

/// The branch [`Sandbox::repo`] starts on.
pub const BRANCH: &str = "feature/sandbox";

pub const MARKER_FILE: &str = "x\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n";

/// A stdout whose reader has already gone: the child's first write fails with EPIPE, as under
/// `git hygiene rules | head -0`, without depending on which process the scheduler runs first.
#[cfg(unix)]
pub fn closed_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0 as libc::c_int; 2];
    // Close-on-exec, so a git spawned meanwhile by a test on another thread cannot inherit the
    // reader and keep the pipe open.
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    #[cfg(target_os = "linux")]
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    #[cfg(not(target_os = "linux"))]
    let rc = unsafe { libc::pipe(fds.as_mut_ptr()) };
    assert_eq!(rc, 0, "pipe(2)");
    // SAFETY: pipe(2) just opened both descriptors and nothing else owns them.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    Stdio::from(writer)
}

/// Whether `output` holds `secret`, or most of it (all but its last 4 characters), in any case
/// and with any punctuation in between: text derived from a token (a suggested branch name is
/// lower-cased and re-hyphenated) leaks it as surely as the token itself.
pub fn leaks(output: &str, secret: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let most: String = secret.chars().take(secret.chars().count() - 4).collect();
    fold(output).contains(&fold(&most))
}

/// A repository on `branch` with one commit (made without hooks), then the hooks installed.
pub fn repo_with_commit<'a>(sb: &'a Sandbox, branch: &str) -> Repo<'a> {
    let r = sb.repo_on("r", branch);
    r.add_commit("README.md", "hello\n", "chore: init");
    r.install();
    r
}

/// Writes `path` and stages it.
pub fn stage(r: &Repo<'_>, path: &str, content: &str) {
    r.write(path, content);
    r.git(&["add", "--", path]);
}

/// `bytes` in standard base64 with padding (the tests build the encoded values they commit).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ABC[(n >> (18 - 6 * i) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}
