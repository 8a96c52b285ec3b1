//! The server's pre-receive hook: a push of 100 commits on one branch, and pushes of 1,000 and
//! 10,000 new branches of one commit each. Timed two ways: the hook alone (`git hygiene hook
//! pre-receive` in the bare repository, the pushed objects already there and no ref on them, git's
//! ref lines on stdin), and a whole real `git push` to the bare repository with the hook
//! installed, beside the same push without it.
//! Run with `cargo bench --bench pre_receive`; prints medians in milliseconds.
//! A benchmark, not a test: it asserts nothing about time and never runs in `cargo test`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

mod support;
use support::{git, init_repo, quiet};

/// Files in the seeded history, and lines in each.
const FILES: usize = 20;
const LINES: usize = 200;

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_git-hygiene"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let client = tmp.path().join("client");
    let server = tmp.path().join("server.git");
    init_repo(&client, "main");
    seed(&client);
    git(
        tmp.path(),
        &["init", "-q", "--bare", "-b", "main", "server.git"],
    );
    git(&client, &["push", "-q", &path(&server), "main"]);
    let main = rev(&client, "main");
    fast_import(&client, &chain(&main, 100));
    for n in [1_000, 10_000] {
        fast_import(&client, &branches(&main, n));
    }
    let ok = quiet(Command::new(&bin), &server)
        .arg("install")
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "install failed");

    let hundred = vec!["refs/heads/feature/hundred".to_owned()];
    let thousand = names(1_000);
    let ten_thousand = names(10_000);
    println!("pre-receive, hook alone (objects in place, refs on stdin), median:");
    for (what, refs, runs) in [
        ("100-commit push", &hundred, 21),
        ("1,000-ref push", &thousand, 5),
        ("10,000-ref push", &ten_thousand, 3),
    ] {
        let ms = hook_alone(&bin, &client, &server, refs, runs);
        let per_ref = if refs.len() > 1 {
            format!(" ({:.1} µs a ref)", ms * 1000.0 / refs.len() as f64)
        } else {
            String::new()
        };
        println!("  {what:<16} {ms:>9.1} ms{per_ref}");
    }
    println!("whole `git push` to the bare repository, median:");
    // One refspec per push: git matches each command-line refspec against every ref, so 1,000
    // of them cost git half a minute; a glob costs it nothing.
    for (what, spec, refs, runs) in [
        (
            "100-commit push",
            "refs/heads/feature/hundred",
            &hundred,
            11,
        ),
        ("1,000-ref push", "refs/heads/feature/b1000-*", &thousand, 3),
        (
            "10,000-ref push",
            "refs/heads/feature/b10000-*",
            &ten_thousand,
            1,
        ),
    ] {
        let with = whole_push(&bin, &client, &server, spec, refs, runs);
        let hook = server.join("hooks/pre-receive");
        let aside = server.join("hooks/aside");
        std::fs::rename(&hook, &aside).expect("set the hook aside");
        let without = whole_push(&bin, &client, &server, spec, refs, runs);
        std::fs::rename(&aside, &hook).expect("put the hook back");
        println!("  {what:<16} {with:>9.1} ms with the hook, {without:.1} ms without");
    }
}

fn path(p: &Path) -> String {
    p.to_str().expect("utf-8 path").to_owned()
}

fn names(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("refs/heads/feature/b{n}-{i}"))
        .collect()
}

fn rev(dir: &Path, name: &str) -> String {
    let out = quiet(Command::new("git"), dir)
        .args(["rev-parse", name])
        .stdout(Stdio::piped())
        .output()
        .expect("git rev-parse");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// `FILES` files of `LINES` lines on `main`, in one commit.
fn seed(dir: &Path) {
    for f in 0..FILES {
        let text: String = (0..LINES)
            .map(|l| format!("    let value_{f}_{l} = compute({l}, \"item {l}\");\n"))
            .collect();
        std::fs::write(dir.join(format!("f{f}.rs")), text).expect("write");
    }
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "--no-verify", "-m", "chore: seed"]);
}

fn data(out: &mut String, text: &str) {
    out.push_str(&format!("data {}\n{text}\n", text.len()));
}

/// 100 commits on `feature/hundred` from `main`, each rewriting five lines of one file.
fn chain(main: &str, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let f = i % FILES;
        let text: String = (0..LINES)
            .map(|l| {
                if l % 40 == i % 40 {
                    format!("    let value_{f}_{l} = compute({l}, \"edit {i}\");\n")
                } else {
                    format!("    let value_{f}_{l} = compute({l}, \"item {l}\");\n")
                }
            })
            .collect();
        s.push_str("commit refs/heads/feature/hundred\n");
        s.push_str(&format!(
            "committer b <b@example.com> {} +0000\n",
            1_700_000_000 + i
        ));
        data(&mut s, &format!("feat: edit {i} of f{f}"));
        if i == 0 {
            s.push_str(&format!("from {main}\n"));
        }
        s.push_str(&format!("M 100644 inline f{f}.rs\n"));
        data(&mut s, &text);
    }
    s
}

/// `n` branches from `main`, each with one commit adding one small file.
fn branches(main: &str, n: usize) -> String {
    let mut s = String::new();
    for (i, name) in names(n).iter().enumerate() {
        s.push_str(&format!("commit {name}\n"));
        s.push_str(&format!(
            "committer b <b@example.com> {} +0000\n",
            1_700_000_000 + i
        ));
        data(&mut s, &format!("feat: add note {i}"));
        s.push_str(&format!("from {main}\n"));
        s.push_str(&format!("M 100644 inline notes/n{n}-{i}.txt\n"));
        data(&mut s, &format!("note {i}\n"));
    }
    s
}

fn fast_import(dir: &Path, stream: &str) {
    let mut child = quiet(Command::new("git"), dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("feed fast-import");
    assert!(child.wait().expect("wait").success(), "fast-import failed");
}

/// The pre-receive lines creating `refs`, at the client's commits.
fn ref_lines(client: &Path, refs: &[String]) -> String {
    let out = quiet(Command::new("git"), client)
        .args(["for-each-ref", "--format=%(objectname) %(refname)"])
        .stdout(Stdio::piped())
        .output()
        .expect("for-each-ref");
    let wanted: std::collections::HashSet<&str> = refs.iter().map(String::as_str).collect();
    let zero = "0".repeat(40);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(_, r)| wanted.contains(r))
        .map(|(id, r)| format!("{zero} {id} {r}\n"))
        .collect()
}

/// Deletes `refs` on the server without running its hooks.
fn delete_refs(server: &Path, refs: &[String]) {
    let mut child = quiet(Command::new("git"), server)
        .args(["update-ref", "--stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("update-ref");
    let script: String = refs.iter().map(|r| format!("delete {r}\n")).collect();
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("feed update-ref");
    assert!(child.wait().expect("wait").success(), "update-ref failed");
}

/// The hook alone: the objects are fetched into the server and their refs deleted, so the
/// hook sees what it sees during a push (new commits on no ref), minus the quarantine.
fn hook_alone(bin: &Path, client: &Path, server: &Path, refs: &[String], runs: usize) -> f64 {
    let specs: Vec<String> = refs.iter().map(|r| format!("{r}:{r}")).collect();
    let mut fetch = vec!["fetch".to_owned(), "-q".to_owned(), path(client)];
    fetch.extend(specs);
    let args: Vec<&str> = fetch.iter().map(String::as_str).collect();
    git(server, &args);
    delete_refs(server, refs);
    let stdin = ref_lines(client, refs);
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let mut child = quiet(Command::new(bin), server)
                .args(["hook", "pre-receive"])
                .stdin(Stdio::piped())
                .spawn()
                .expect("hook");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(stdin.as_bytes())
                .expect("feed the hook");
            let ok = child.wait().expect("wait").success();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            assert!(ok, "the hook refused a clean push");
            ms
        })
        .collect();
    support::median(&mut times)
}

/// A whole `git push SPEC:SPEC` from the client, its `refs` deleted again after each run.
fn whole_push(
    bin: &Path,
    client: &Path,
    server: &Path,
    spec: &str,
    refs: &[String],
    runs: usize,
) -> f64 {
    let bin_dir = bin.parent().expect("bin dir");
    let path_var = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let ok = quiet(Command::new("git"), client)
                .env("PATH", &path_var)
                .args(["push", "-q", "--no-verify", &path(server)])
                .arg(format!("{spec}:{spec}"))
                .status()
                .is_ok_and(|s| s.success());
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            assert!(ok, "push failed");
            delete_refs(server, refs);
            ms
        })
        .collect();
    support::median(&mut times)
}
