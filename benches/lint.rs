//! Lint-step framework overhead: three linters that are `true`, on a 10-file staged change.
//! Whole-process latency of `git-hygiene hook pre-commit`, interleaved round by round with
//! lefthook and prek running the same three commands on the same staged files when they are
//! installed (on PATH, or in $PEERS_BIN, default /tmp/anchors/venv/bin: `pip install lefthook prek`).
//! Overhead = hook time minus the linters' own time (three `true` processes, measured here too).
//! Also: the slow path (one partially staged file: journal, hide, restore).
//! Run with `cargo bench --bench lint`; prints medians in milliseconds. Asserts nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

mod support;
use support::{git, median, new_repo, quiet as env};

const RUNS: usize = 60;
const WARMUP: usize = 5;

fn find(peers: &Path, name: &str) -> Option<PathBuf> {
    let local = peers.join(name);
    if local.is_file() {
        return Some(local);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

struct Case {
    name: String,
    program: PathBuf,
    args: Vec<String>,
    times: Vec<f64>,
    ok: bool,
}

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_git-hygiene"));
    let peers = PathBuf::from(
        std::env::var("PEERS_BIN").unwrap_or_else(|_| "/tmp/anchors/venv/bin".into()),
    );
    let (_tmp, dir) = new_repo("feature/bench");
    for i in 0..300 {
        let body: String = (0..80)
            .map(|l| format!("fn f{i}_{l}() -> u32 {{ {l} }}\n"))
            .collect();
        std::fs::write(dir.join(format!("file{i}.rs")), body).expect("write");
    }
    // The three tools' configs: the same three `true` commands on the staged *.rs files.
    std::fs::write(
        dir.join(".hygiene.toml"),
        "[[lint]]\nname = \"one\"\nglob = \"*.rs\"\nrun = \"true {files}\"\n\
         [[lint]]\nname = \"two\"\nglob = \"*.rs\"\nrun = \"true {files}\"\n\
         [[lint]]\nname = \"three\"\nglob = \"*.rs\"\nrun = \"true {files}\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        "repos:\n- repo: local\n  hooks:\n".to_owned()
            + &["one", "two", "three"]
                .iter()
                .map(|n| format!("  - id: {n}\n    name: {n}\n    entry: \"true\"\n    language: system\n    files: '\\.rs$'\n"))
                .collect::<String>(),
    )
    .expect("write");
    std::fs::write(
        dir.join("lefthook.yml"),
        "pre-commit:\n  parallel: true\n  commands:\n".to_owned()
            + &["one", "two", "three"]
                .iter()
                .map(|n| {
                    format!("    {n}:\n      glob: \"*.rs\"\n      run: true {{staged_files}}\n")
                })
                .collect::<String>(),
    )
    .expect("write");
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "--no-verify", "-m", "init"]);
    for i in 0..10 {
        let mut body = std::fs::read_to_string(dir.join(format!("file{i}.rs"))).expect("read");
        body.extend((0..50).map(|l| format!("pub const ADDED_{l}: &str = \"added {l}\";\n")));
        std::fs::write(dir.join(format!("file{i}.rs")), body).expect("write");
    }
    git(&dir, &["add", "."]);

    let mut cases = vec![
        Case {
            name: "true x3 (the linters' own time)".into(),
            program: PathBuf::from("sh"),
            args: vec!["-c".into(), "true; /bin/true; /bin/true".into()],
            times: vec![],
            ok: true,
        },
        Case {
            name: "git-hygiene hook pre-commit".into(),
            program: bin.clone(),
            args: vec!["hook".into(), "pre-commit".into()],
            times: vec![],
            ok: true,
        },
    ];
    match find(&peers, "lefthook") {
        Some(p) => cases.push(Case {
            name: "lefthook run pre-commit".into(),
            program: p,
            args: vec!["run".into(), "pre-commit".into()],
            times: vec![],
            ok: true,
        }),
        None => println!("lefthook not found (pip install lefthook): skipped"),
    }
    match find(&peers, "prek") {
        Some(p) => cases.push(Case {
            name: "prek run".into(),
            program: p,
            args: vec!["run".into()],
            times: vec![],
            ok: true,
        }),
        None => println!("prek not found (pip install prek): skipped"),
    }
    // The linters' own time, measured as the bench spawns them: three `true` processes.
    let true_bin = find(Path::new("/bin"), "true").unwrap_or_else(|| PathBuf::from("true"));
    cases[0] = Case {
        name: "3 x true (the linters' own time)".into(),
        program: true_bin,
        args: vec![],
        times: vec![],
        ok: true,
    };

    for round in 0..WARMUP + RUNS {
        let n = cases.len();
        for k in 0..n {
            let c = &mut cases[(round + k) % n];
            let reps = if c.args.is_empty() { 3 } else { 1 };
            let t = Instant::now();
            for _ in 0..reps {
                let st = env(Command::new(&c.program), &dir).args(&c.args).status();
                c.ok &= st.is_ok_and(|s| s.success());
            }
            if round >= WARMUP {
                c.times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let own = median(&mut cases[0].times.clone());
    println!(
        "lint step, 3 linters = `true`, 10 staged .rs files, {RUNS} interleaved runs, medians:"
    );
    for c in &mut cases {
        let m = median(&mut c.times);
        let over = if c.args.is_empty() {
            String::new()
        } else {
            format!("   overhead {:.1} ms", m - own)
        };
        println!(
            "  {:<36} {:>7.1} ms{over}{}",
            c.name,
            m,
            if c.ok { "" } else { "   (FAILED runs!)" }
        );
    }

    // Slow path: one of the staged files also has unstaged changes (journal, hide, restore).
    let p = dir.join("file0.rs");
    let staged = std::fs::read(&p).expect("read");
    let mut edited = staged.clone();
    edited.extend_from_slice(b"// unstaged edit\n");
    std::fs::write(&p, &edited).expect("write");
    let mut slow = Vec::new();
    for i in 0..WARMUP + RUNS {
        let t = Instant::now();
        let ok = env(Command::new(&bin), &dir)
            .args(["hook", "pre-commit"])
            .status()
            .is_ok_and(|s| s.success());
        if i >= WARMUP {
            slow.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        assert!(
            ok && std::fs::read(&p).expect("read") == edited,
            "unstaged edit lost"
        );
    }
    println!(
        "  {:<36} {:>7.1} ms   (1 partially staged file: save, hide, restore)",
        "git-hygiene, slow path",
        median(&mut slow)
    );
}
