//! Whole-process history scan: `git hygiene --only secrets scan --history` over a generated
//! repository of 3,000 commits (200 files of ~8 KiB; each commit edits a few lines of three
//! files, and every 250th adds a token), against `git log -p -U0` over the same history, the
//! floor the issue sets. Run with `cargo bench --bench history`. A benchmark, not a test.
//! Real-repository comparisons with gitleaks and kingfisher: `benches/compare_secrets.sh`.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use support::{git, init_repo, median, median_ms, quiet};

const FILES: usize = 200;
const COMMITS: usize = 3000;

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_git-hygiene"));
    let tmp = tempfile::tempdir().expect("tempdir");
    // BENCH_REPO=DIR keeps the generated repository there, for profiling.
    let dir = std::env::var_os("BENCH_REPO").map_or_else(|| tmp.path().join("repo"), PathBuf::from);
    if !dir.join(".git").exists() {
        init_repo(&dir, "main");
        import(&dir);
        git(&dir, &["gc", "-q"]);
    }

    // Interleaved, so that a change in the machine's load hits both sides alike.
    let runs = 9;
    let (mut hygiene, mut log) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        hygiene.push(median_ms(1, || {
            run(
                quiet(Command::new(&bin), &dir),
                &["--only", "secrets", "--format", "json", "scan", "--history"],
            )
        }));
        log.push(median_ms(1, || {
            run(quiet(Command::new("git"), &dir), &["log", "-p", "-U0"])
        }));
    }
    let (hygiene, log) = (median(&mut hygiene), median(&mut log));
    let per_s = |ms: f64| COMMITS as f64 / (ms / 1000.0);
    println!("history of {COMMITS} commits, {FILES} files, median of {runs} runs:");
    println!(
        "  git hygiene --only secrets scan --history  {hygiene:8.1} ms  {:8.0} commits/s",
        per_s(hygiene)
    );
    println!(
        "  git log -p -U0 (floor)                     {log:8.1} ms  {:8.0} commits/s",
        per_s(log)
    );
    println!("  ratio: {:.2}x the floor", hygiene / log);
}

fn run(mut c: Command, args: &[&str]) {
    let _ = c.args(args).status().expect("run");
}

/// Writes the history with `git fast-import` (seconds, not minutes of `git commit`).
fn import(dir: &Path) {
    let mut files: Vec<Vec<String>> = (0..FILES)
        .map(|f| {
            (0..200)
                .map(|l| format!("    let value_{f}_{l} = compute({l}, \"item {l}\");"))
                .collect()
        })
        .collect();
    let mut stream = Vec::new();
    for c in 0..COMMITS {
        let msg = format!("change {c}");
        write!(
            stream,
            "commit refs/heads/main\nmark :{}\ncommitter b <b@example.com> {} +0000\ndata {}\n{msg}\n",
            c + 1,
            1_600_000_000 + c,
            msg.len()
        )
        .expect("write");
        if c > 0 {
            writeln!(stream, "from :{c}").expect("write");
        }
        let touched: Vec<usize> = if c == 0 {
            (0..FILES).collect()
        } else {
            (0..3).map(|k| (c * 7 + k * 61) % FILES).collect()
        };
        for &f in &touched {
            if c > 0 {
                let line = (c * 13) % files[f].len();
                files[f][line] = format!("    let value_{f}_{line} = compute({c}, \"edit {c}\");");
                if c % 250 == 0 {
                    let token = format!("{}{}{c:08}", "gh", "p_Zx81kQ2mN4pL7vR0sT9wY3uB6cE5");
                    files[f].insert(line, format!("    let token = \"{token}\";"));
                }
            }
            let body = files[f].join("\n") + "\n";
            write!(
                stream,
                "M 100644 inline src/file_{f}.rs\ndata {}\n{body}\n",
                body.len()
            )
            .expect("write");
        }
    }
    let mut child = quiet(Command::new("git"), dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&stream)
        .expect("feed fast-import");
    assert!(child.wait().expect("wait").success(), "fast-import failed");
    git(dir, &["reset", "-q", "--hard", "main"]);
}
