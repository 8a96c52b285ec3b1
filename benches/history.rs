//! Whole-process history scan: `git hygiene --only secrets scan --history` and all checks
//! against `git log -p -U0` (the floor the issue sets) and, with `BETTERLEAKS=PATH`,
//! `betterleaks git`, in interleaved pairs (the ratio is taken within each pair, medians
//! printed, with the CPU/wall ratio that says whether both cores were busy). Over a generated
//! repository of 3,000 commits (200 files of ~8 KiB; each commit edits a few lines of three
//! files, and every 250th adds a token), and with `HYGIENE_HISTORY=DIR` over a real one too
//! (a bare clone of rust-lang/cargo, 23,000 commits, gave the figure the README quotes). Run with
//! `cargo bench --bench history`. A benchmark, not a test.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use support::{git, init_repo, median, quiet};

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
    compare(&bin, &dir, &format!("generated, {COMMITS} commits"), 9);
    if let Some(real) = std::env::var_os("HYGIENE_HISTORY") {
        compare(
            &bin,
            Path::new(&real),
            &PathBuf::from(&real).display().to_string(),
            5,
        );
    }
}

/// Each command of the run: a label, the program and its arguments.
type Cmd = (&'static str, PathBuf, Vec<String>);

/// Times git-hygiene against each yardstick in `runs` interleaved pairs.
fn compare(bin: &Path, dir: &Path, label: &str, runs: usize) {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let ours: [Cmd; 2] = [
        (
            "secrets",
            bin.into(),
            args(&["--only", "secrets", "-q", "scan", "--history"]),
        ),
        ("all checks", bin.into(), args(&["-q", "scan", "--history"])),
    ];
    let mut yardsticks: Vec<Cmd> = vec![(
        "git log -p -U0 --all",
        "git".into(),
        args(&["log", "-p", "-U0", "--all"]),
    )];
    if let Some(b) = std::env::var_os("BETTERLEAKS") {
        let d = dir.display().to_string();
        yardsticks.push((
            "betterleaks git",
            b.into(),
            args(&[
                "git",
                "--no-banner",
                "--exit-code",
                "0",
                "--log-level",
                "error",
                &d,
            ]),
        ));
    }
    println!("history scan of {label}: {runs} interleaved pairs, medians");
    for a in &ours {
        for b in &yardsticks {
            let (mut ratio, mut wall, mut busy) = (Vec::new(), Vec::new(), Vec::new());
            for i in 0..runs {
                // B first on odd rounds, so neither side always runs on a warmer cache.
                let (ta, tb) = if i % 2 == 0 {
                    let ta = timed(a, dir);
                    (ta, timed(b, dir))
                } else {
                    let tb = timed(b, dir);
                    (timed(a, dir), tb)
                };
                ratio.push(ta.0 / tb.0);
                wall.push(ta.0);
                busy.push(ta.1 / ta.0);
            }
            println!(
                "  {:<11} {:8.0} ms  CPU/wall {:.2}  {:.2}x {}",
                a.0,
                median(&mut wall) * 1000.0,
                median(&mut busy),
                median(&mut ratio),
                b.0
            );
        }
    }
}

/// Wall seconds and CPU seconds (user + system, children included) of one run.
fn timed(c: &Cmd, dir: &Path) -> (f64, f64) {
    let before = children_cpu();
    let t = Instant::now();
    run(
        quiet(Command::new(&c.1), dir),
        &c.2.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    (t.elapsed().as_secs_f64(), children_cpu() - before)
}

/// CPU seconds of every finished child of this process so far.
fn children_cpu() -> f64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
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
