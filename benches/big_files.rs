//! Peak memory and time on files far over the default size limits, with `max_file_size` raised:
//! a 300 MB generated log (a token near its end, a private key across a window boundary) and a
//! 2 GiB sparse file, judged by `scan`, by the pre-commit check of the staged blob and by
//! `scan --history` (loose objects, then packed). Peak RSS is the child's, from `wait4` (it includes the `git` processes the
//! child waited for). Run with `cargo bench --bench big_files`; `HYGIENE_BIN=/path/to/binary`
//! measures another build (an older one, to compare). Needs about 3 GB of disk in $TMPDIR.

mod support;

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const LOG_BYTES: usize = 300_000_000;
const SPARSE_BYTES: u64 = 2 << 30;

fn main() {
    let bin = std::env::var("HYGIENE_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_git-hygiene").to_owned());
    let (_tmp, dir) = support::new_repo("feature/big-files");
    std::fs::write(
        dir.join(".hygiene.toml"),
        "[hygiene]\nmax_file_size = \"4 GiB\"\n[secrets]\nmax_file_size = \"4 GiB\"\n",
    )
    .expect("config");
    support::git(&dir, &["add", ".hygiene.toml"]);
    support::git(&dir, &["commit", "-q", "--no-verify", "-m", "config"]);
    write_log(&dir.join("big.log"));
    let sparse = std::fs::File::create(dir.join("sparse.bin")).expect("sparse");
    sparse.set_len(SPARSE_BYTES).expect("set_len");
    drop(sparse);

    println!("binary: {bin}");
    println!(
        "{:<34} {:>5} {:>10} {:>8}",
        "case", "exit", "peak RSS", "time"
    );
    for file in ["big.log", "sparse.bin"] {
        let other = if file == "big.log" {
            "sparse.bin"
        } else {
            "big.log"
        };
        // `scan` of the tree with only this file in it.
        hide(&dir, other, true);
        run(&bin, &dir, &format!("scan ({file})"), &["scan"]);
        hide(&dir, other, false);
        support::git(&dir, &["add", file]);
        run(
            &bin,
            &dir,
            &format!("pre-commit check ({file})"),
            &["check"],
        );
        support::git(&dir, &["commit", "-q", "--no-verify", "-m", file]);
        run(
            &bin,
            &dir,
            &format!("scan --history ({file})"),
            &["scan", "--history", "HEAD~1..HEAD"],
        );
    }
    // As after a clone: both files in a pack, streamed by `git cat-file`.
    support::git(&dir, &["repack", "-adq"]);
    run(
        &bin,
        &dir,
        "scan --history (both, packed)",
        &["scan", "--history", "HEAD~2..HEAD"],
    );
}

/// Moves `file` out of the tree (and back) so that a scan sees the other one alone.
fn hide(dir: &Path, file: &str, away: bool) {
    let (inside, outside) = (dir.join(file), dir.join("..").join(file));
    let (from, to) = if away {
        (inside, outside)
    } else {
        (outside, inside)
    };
    if from.exists() {
        std::fs::rename(from, to).expect("move");
    }
}

/// Runs `bin args` in `dir` and prints its exit code, peak RSS and wall time.
fn run(bin: &str, dir: &Path, case: &str, args: &[&str]) {
    #[allow(clippy::zombie_processes)] // reaped by `wait4`, which also reports its usage
    let child = support::quiet(Command::new(bin), dir)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn git-hygiene");
    let t = Instant::now();
    let (code, rss_kib) = wait4(child.id() as libc::pid_t);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{case:<34} {code:>5} {:>6.0} MiB {secs:>6.2} s",
        rss_kib as f64 / 1024.0
    );
}

/// Waits for `pid`; its exit code and peak resident set in KiB.
fn wait4(pid: libc::pid_t) -> (i32, i64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; both pointers are to live locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, usage.ru_maxrss)
}

/// About 300 MB of log lines, a few of them with secret-ish keywords; a GitHub token 1 KB
/// before the end and a private key across the 8 MiB boundary between the first two windows.
fn write_log(path: &Path) {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("log"));
    let mut written = 0usize;
    let mut i = 0u64;
    let mut key_done = false;
    while written < LOG_BYTES {
        let line = match i % 50 {
            7 => format!(
                "{i:09} DEBUG auth: token refreshed for user {}, expires in 3600 s\n",
                i % 977
            ),
            23 => format!(
                "{i:09} INFO  db: password rotation scheduled (vault path secret/db/{})\n",
                i % 31
            ),
            _ => format!(
                "{i:09} INFO  GET /api/v1/items/{} 200 {} ms bytes={}\n",
                i % 10_007,
                i % 97,
                (i * 7919) % 65_536
            ),
        };
        if !key_done && written + 200 >= 8 << 20 {
            let body = "MIIEowIBAAKCAQEAn6O8li0SX4m98LLYtPKSzEmQ2ZBD7Loh9P13f4yQ92EF3yxR5Ms";
            let kind = ["PRIV", "ATE KEY"].concat();
            let key =
                format!("-----BEGIN RSA {kind}-----\n{body}\n{body}\n-----END RSA {kind}-----\n");
            out.write_all(key.as_bytes()).expect("write");
            written += key.len();
            key_done = true;
        }
        if written + line.len() + 1024 >= LOG_BYTES && written < LOG_BYTES {
            let token = ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat();
            let t = format!("deploy_token = \"{token}\"\n");
            out.write_all(t.as_bytes()).expect("write");
            out.write_all(&vec![b'#'; 1023]).expect("write");
            out.write_all(b"\n").expect("write");
            break;
        }
        out.write_all(line.as_bytes()).expect("write");
        written += line.len();
        i += 1;
    }
    out.flush().expect("flush");
}
