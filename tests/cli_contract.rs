//! End-to-end: the command-line contract — JSON shape, exit codes, config errors, bad input.

mod common;
use common::*;

#[test]
fn json_output_matches_the_contract() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write("src/app.py", MARKER_FILE);
    r.git(&["add", "."]);
    let out = r.hygiene(&["check", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["mode"], "pre-commit");
    let f = &v["findings"][0];
    for key in [
        "check",
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "commit",
        "message",
        "snippet",
        "fingerprint",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
    }
    assert_eq!(f["check"], "hygiene");
    assert_eq!(f["rule"], "conflict-marker");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["path"], "src/app.py");
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 1);
    assert!(f["commit"].is_null());
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 16);
    let s = &v["summary"];
    assert_eq!(s["files"], 1);
    assert_eq!(s["bytes"], MARKER_FILE.len());
    assert_eq!(s["findings"], 3);
    assert_eq!(s["blocking"], 3);
    assert!(s["elapsed_ms"].is_u64());
}

#[test]
fn fingerprints_survive_line_moves() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write("a.txt", MARKER_FILE);
    r.git(&["add", "."]);
    let fp = |out: &std::process::Output| {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"][0]["fingerprint"].clone()
    };
    let first = fp(&r.hygiene(&["check", "--format", "json"]));
    r.write("a.txt", format!("moved\ndown\n{MARKER_FILE}"));
    r.git(&["add", "."]);
    assert_eq!(first, fp(&r.hygiene(&["check", "--format", "json"])));
}

#[test]
fn config_typo_is_exit_2_with_line_and_column() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        ".hygiene.toml",
        "[hygiene]\nenabled = true\nmax_fil_size = \"1 MiB\"\n",
    );
    let out = r.hygiene(&["check"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let t = text(&out);
    assert!(t.contains(".hygiene.toml:3:1"), "{t}");
    assert!(t.contains("max_fil_size"), "{t}");

    r.write(".hygiene.toml", "[hygiene]\nseverity = \"eror\"\n");
    let out = r.hygiene(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out).contains(".hygiene.toml:2:"), "{}", text(&out));

    r.write(".hygiene.toml", "[hygiene\n");
    let out = r.hygiene(&["check"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out).contains(".hygiene.toml:1:"), "{}", text(&out));
}

#[test]
fn severity_per_moment_downgrades_to_warning() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.install();
    r.write(
        ".hygiene.toml",
        "[hygiene]\nseverity = { pre-commit = \"warn\", ci = \"error\" }\n",
    );
    r.write("a.txt", MARKER_FILE);
    r.git(&["add", "."]);
    let out = r.commit("fix: x");
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        text(&out).contains("warning[hygiene/conflict-marker]"),
        "{}",
        text(&out)
    );
    // The same change fails in ci.
    r.git(&["checkout", "-q", "-b", "feature/more"]);
    r.add_commit("b.txt", MARKER_FILE, "fix: more");
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let out = r.hygiene(&["--skip", "hygiene", "ci", "--base", BRANCH]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn not_a_repository_is_exit_2() {
    let sb = Sandbox::new();
    let dir = sb.path().join("plain");
    std::fs::create_dir_all(&dir).unwrap();
    let out = sb
        .cmd(bin(), &dir)
        .args(["check"])
        .env("GIT_CEILING_DIRECTORIES", sb.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("not a git repository"),
        "{}",
        text(&out)
    );
    assert!(!text(&out).contains("panicked"));
    // But a plain directory can be scanned.
    std::fs::write(dir.join("f.txt"), MARKER_FILE).unwrap();
    let out = sb
        .cmd(bin(), &dir)
        .args(["scan"])
        .env("GIT_CEILING_DIRECTORIES", sb.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(text(&out).contains("f.txt:2:1"), "{}", text(&out));
}

#[test]
fn usage_errors_are_exit_2() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    for args in [
        &["--format", "xml", "check"][..],
        &["--report", "sarif", "check"],
        &["explain", "no-such-rule"],
        &["hook", "post-merge"],
        &["bogus"],
    ] {
        let out = r.hygiene(args);
        assert_eq!(code(&out), 2, "{args:?}: {}", text(&out));
        assert!(!text(&out).contains("panicked"), "{}", text(&out));
    }
    let out = r.hygiene(&["ci"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("--base"), "{}", text(&out));
}

/// The lines of `out` that report an internal error; the whole output must hold no panic spew.
fn internal_errors(out: &std::process::Output) -> Vec<String> {
    let t = text(out);
    assert!(!t.contains("panicked") && !t.contains("backtrace"), "{t}");
    t.lines()
        .filter(|l| l.contains("internal error"))
        .map(str::to_owned)
        .collect()
}

/// A bug that panics (simulated with `HYGIENE_TEST_PANIC`, which debug builds alone read: see
/// src/last_resort.rs) is one line and exit 2, and the line does not quote the data it worked on.
#[test]
fn an_internal_error_is_one_line_and_exit_2() {
    if !cfg!(debug_assertions) {
        return; // the panic points are compiled out of release builds
    }
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "chore: init");
    r.install();
    let token = format!("ghp_{}", "Ab81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD");
    // Quotes in the data must not end the part of the message that is left out.
    let msg = format!("feat: rotate the `old` key {token}");
    r.write("a.txt", "a\n");
    r.git(&["add", "a.txt"]);
    // The commit-msg hook (its checks run on the calling thread), through a real `git commit`.
    let out = r
        .cmd("git")
        .args(["commit", "-q", "-m", &msg])
        .env("HYGIENE_TEST_PANIC", "commit-msg")
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    assert_ne!(code(&out), 0, "{}", text(&out));
    assert_eq!(r.commit_count(), 1, "the commit must not be made");
    let lines = internal_errors(&out);
    assert_eq!(lines.len(), 1, "{}", text(&out));
    let l = &lines[0];
    assert!(
        l.starts_with("git-hygiene: internal error: deliberate panic at commit-msg")
            && l.contains(" at src/checks/mod.rs:")
            && l.ends_with("; please report it"),
        "{l}"
    );
    assert!(!text(&out).contains(&token), "{}", text(&out));
    r.write(".git/MSG", &msg);
    let out = r
        .cmd(bin())
        .args(["hook", "commit-msg", ".git/MSG"])
        .env("HYGIENE_TEST_PANIC", "commit-msg")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert_eq!(internal_errors(&out).len(), 1, "{}", text(&out));

    // `ci` runs its checks on rayon's pool: the panic comes back to the caller, still one line.
    r.git(&["checkout", "-q", "-b", "feature/more"]);
    r.add_commit("b.txt", "b\n", "feat: b");
    let out = r
        .cmd(bin())
        .args(["ci", "--base", BRANCH])
        .env("HYGIENE_TEST_PANIC", "secrets")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", text(&out));
    let lines = internal_errors(&out);
    assert_eq!(lines.len(), 1, "{}", text(&out));
    assert!(
        lines[0].contains("deliberate panic at secrets"),
        "{}",
        lines[0]
    );
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn scan_respects_gitignore_and_finds_hidden_files() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(".gitignore", "build/\n");
    r.write("build/out.txt", MARKER_FILE);
    r.write(".config/x.txt", MARKER_FILE);
    let out = r.hygiene(&["scan", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&".config/x.txt"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("build/")), "{paths:?}");
    assert_eq!(v["mode"], "scan");
}

#[test]
fn scan_history_reports_commits() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "a");
    let bad = r.add_commit("b.txt", MARKER_FILE, "bad");
    r.add_commit("b.txt", "fixed\n", "fix");
    let out = r.hygiene(&["scan", "--history", "--format", "json"]);
    assert_eq!(
        code(&out),
        1,
        "a marker added then removed is still in history:\n{}",
        text(&out)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["commit"] == bad.as_str()),
        "{v}"
    );
}

#[test]
fn reports_are_written() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "a");
    r.git(&["checkout", "-q", "-b", "feature/reports"]);
    r.add_commit("b.txt", MARKER_FILE, "fix: bad");
    let out = r.hygiene(&[
        "ci",
        "--base",
        BRANCH,
        "--report",
        "sarif=out.sarif",
        "--report",
        "junit=out.xml",
        "--report",
        "codequality=cq.json",
        "--report",
        "json=out.json",
    ]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let sarif: serde_json::Value = serde_json::from_slice(&r.read("out.sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
    let cq: serde_json::Value = serde_json::from_slice(&r.read("cq.json")).unwrap();
    assert_eq!(cq.as_array().unwrap().len(), 3);
    assert_eq!(cq[0]["location"]["path"], "b.txt");
    let junit = String::from_utf8(r.read("out.xml")).unwrap();
    assert!(junit.contains("<testsuite name=\"hygiene\""), "{junit}");
    let json: serde_json::Value = serde_json::from_slice(&r.read("out.json")).unwrap();
    assert_eq!(json["mode"], "ci");
}

#[test]
fn init_writes_a_config_that_loads() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let out = r.hygiene(&["init"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(r.dir.join(".hygiene.toml").is_file());
    let out = r.hygiene(&["init"]);
    assert_eq!(code(&out), 2, "init never overwrites silently");
    let out = r.hygiene(&["check"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn rules_and_explain() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let out = r.hygiene(&["rules"]);
    assert!(text(&out).contains("hygiene/conflict-marker"));
    let out = r.hygiene(&["explain", "hygiene/large-file"]);
    assert_eq!(code(&out), 0);
    assert!(text(&out).contains("Git LFS"), "{}", text(&out));
}
