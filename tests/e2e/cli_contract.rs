//! End-to-end: the command-line contract — JSON shape, exit codes, config errors, bad input.

use crate::support::*;

#[test]
fn json_output_matches_the_contract() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write("src/app.py", MARKER_FILE);
    r.git(&["add", "."]);
    let out = r.hygiene(&["check", "--format", "json"]);
    assert_exit(&out, 1);
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
    assert_exit(&out, 2);
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

/// A repository with two commits (so `ci` has a range), the hooks installed and a change staged.
fn config_repo(sb: &Sandbox) -> (Repo<'_>, String) {
    let r = sb.repo("r");
    let base = r.add_commit("README.md", "app\n", "docs: readme");
    r.add_commit("a.py", "x = 0\n", "feat: a");
    r.install();
    r.write("a.py", "x = 1\n");
    r.git(&["add", "a.py"]);
    (r, base)
}

#[test]
fn a_glob_that_does_not_compile_is_an_error_at_its_line_and_column_everywhere() {
    let sb = Sandbox::new();
    let (r, base) = config_repo(&sb);
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[lint]]\nname = \"x\"\nglob = [\"*.py\", \"[\"]\nrun = \"false\"\n",
            "3:17",
            "`[` is not a valid pattern (unclosed character class",
        ),
        (
            "[[lint]]\nname = \"x\"\nglob = \"[\"\nrun = \"false\"\n",
            "3:8",
            "`[` is not a valid pattern",
        ),
        (
            "[[lint]]\nname = \"x\"\nglob = \"*.py\"\nexclude = [\"gen/[\"]\nrun = \"true\"\n",
            "4:12",
            "lint exclude `gen/[` is not a valid pattern",
        ),
        (
            "[migrations]\npaths = [\n  \"db/*.sql\",\n  \"db/[\",\n]\n",
            "4:3",
            "`db/[` is not a valid glob",
        ),
        (
            "[migrations]\nexclude = [\"x/[\"]\n",
            "2:12",
            "`x/[` is not a valid glob",
        ),
        (
            "[migrations]\nallow_edit = [\"x/[\"]\n",
            "2:15",
            "`x/[` is not a valid glob",
        ),
        (
            "[adr]\npaths = [\"infra/**\", \"k8s/[\"]\n",
            "2:22",
            "`k8s/[` is not a valid glob",
        ),
        (
            "[secrets]\nallow_paths = [\"fixtures/[\"]\n",
            "2:16",
            "`fixtures/[` is not a glob",
        ),
        (
            "[[secrets.rules]]\nid = \"acme\"\nregex = 'acme_[a-z]{8}'\nkeywords = [\"acme_\"]\nexclude_paths = [\"(\"]\n",
            "5:18",
            "exclude_paths `(` does not compile",
        ),
    ];
    for (config, at, what) in cases {
        assert_located(&r, &base, config, at, what);
    }
}

#[test]
fn config_values_that_would_silently_switch_a_check_off_are_located_errors() {
    let sb = Sandbox::new();
    let (r, base) = config_repo(&sb);
    let cases: &[(&str, &str, &str)] = &[
        (
            "[[lint]]\nname = \"x\"\nglob = []\nrun = \"false\"\n",
            "3:8",
            "lint glob is empty, so it matches no file",
        ),
        (
            "[[lint]]\nname = \"x\"\nglob = [\"!a.py\"]\nrun = \"false\"\n",
            "3:8",
            "only excludes",
        ),
        (
            "[[lint]]\nname = \"x\"\nglob = [\"*.py\", \"#x\"]\nrun = \"false\"\n",
            "3:17",
            "a comment in gitignore syntax",
        ),
        (
            "[adr]\ndirs = []\n",
            "2:8",
            "[adr] dirs is empty, so no ADR would ever be found",
        ),
        (
            "[adr]\ndirs = [\"docs/adr\", \"/srv/adr\"]\n",
            "2:21",
            "`/srv/adr` is an absolute path",
        ),
        (
            "[branch]\nprotected = [\"main\", \"release/~1\"]\n",
            "2:22",
            "`release/~1` can never match a branch name",
        ),
        (
            "[branch]\nprotected = [\"release/\"]\n",
            "2:14",
            "can never match a branch name",
        ),
        (
            "[branch]\nprotected = [\"refs/heads/main\"]\n",
            "2:14",
            "write \"main\"",
        ),
        (
            "[secrets]\nallow_regexes = [\"EXAMPLE|\"]\n",
            "2:18",
            "matches every value",
        ),
        (
            "[[secrets.rules]]\nid = \"acme\"\nregex = 'acme_[a-z]{8}'\nkeywords = [\"acme_\"]\nallow = [\".*\"]\n",
            "5:10",
            "`.*` matches everything",
        ),
        (
            "[secrets]\nallow_paths = [\"tests/**\", \"**\"]\n",
            "2:28",
            "`**` matches every file",
        ),
        (
            "[commit-msg]\npattern = \"feat|\"\n",
            "2:11",
            "`feat|` matches anything",
        ),
        (
            "[branch]\npattern = \".*\"\n",
            "2:11",
            "`.*` matches anything",
        ),
        (
            "[branch]\nexempt = [\"main\", \"*\"]\n",
            "2:19",
            "`*` matches every branch",
        ),
        (
            "[secrets]\nmax_file_size = 0\n",
            "2:17",
            "max_file_size 0 B would leave nearly every file unscanned",
        ),
        (
            "[commit-msg]\ntypes = []\n",
            "2:9",
            "types is empty",
        ),
        (
            "[migrations]\nallow_edit = [\"**/*\"]\n",
            "2:15",
            "`**/*` matches every file",
        ),
    ];
    for (config, at, what) in cases {
        assert_located(&r, &base, config, at, what);
    }
    // The same sections with values that work are accepted, and `./docs/adr/` means `docs/adr`.
    r.write(
        ".hygiene.toml",
        "[adr]\ndirs = [\"./docs/adr/\"]\n[branch]\nprotected = [\"main\", \"release/*\"]\nexempt = [\"dependabot/*\"]\n[secrets]\nallow_regexes = [\"^EXAMPLE$\"]\nallow_paths = [\"tests/**\"]\n[commit-msg]\ntypes = [\"fix\"]\n[migrations]\nexclude = [\"db/old/**\"]\n",
    );
    r.write("docs/adr/0001-a.md", "# 1. A\n\n## Status\n\nBogus\n");
    r.git(&["add", "."]);
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("adr/adr-status"),
        "the ADR in ./docs/adr/ is judged: {t}"
    );
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
    assert_exit(&out, 0);
    assert!(
        text(&out).contains("warning[hygiene/conflict-marker]"),
        "{}",
        text(&out)
    );
    // The same change fails in ci.
    r.git(&["checkout", "-q", "-b", "feature/more"]);
    r.add_commit("b.txt", MARKER_FILE, "fix: more");
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    assert_exit(&out, 1);
    let out = r.hygiene(&["--skip", "hygiene", "ci", "--base", BRANCH]);
    assert_exit(&out, 0);
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
    assert_exit(&out, 2);
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
    assert_exit(&out, 1);
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
    assert_exit(&out, 2);
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
    assert_exit(&out, 2);
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
    assert_exit(&out, 2);
    let lines = internal_errors(&out);
    assert_eq!(lines.len(), 1, "{}", text(&out));
    assert!(
        lines[0].contains("deliberate panic at secrets"),
        "{}",
        lines[0]
    );
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    assert_exit(&out, 0);
}

#[test]
fn scan_respects_gitignore_and_finds_hidden_files() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(".gitignore", "build/\n");
    r.write("build/out.txt", MARKER_FILE);
    r.write(".config/x.txt", MARKER_FILE);
    let out = r.hygiene(&["scan", "--format", "json"]);
    assert_exit(&out, 1);
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
    assert_exit(&out, 1);
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
    assert_exit(&out, 0);
    assert!(r.dir.join(".hygiene.toml").is_file());
    let out = r.hygiene(&["init"]);
    assert_eq!(code(&out), 2, "init never overwrites silently");
    let out = r.hygiene(&["check"]);
    assert_exit(&out, 0);
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

/// `explain secrets/RULE` shows the rule's examples instead of its regex, masked: the
/// explanations of every secrets rule, saved in a file, are clean to the secrets scan itself,
/// while the examples the explanations are made from are not.
#[test]
fn explain_shows_secrets_examples_masked() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let rules = text(&r.hygiene(&["rules"]));
    let ids: Vec<&str> = rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("secrets/"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(ids.len() > 150, "{rules}");
    let mut all = String::new();
    for id in &ids {
        let out = r.hygiene(&["explain", &format!("secrets/{id}")]);
        assert_eq!(code(&out), 0, "{id}: {}", text(&out));
        let t = text(&out);
        if !["forbidden-file", "skipped", "stale-baseline", "unreadable"].contains(id) {
            assert!(t.contains("Reported (fake values"), "{id}: {t}");
            assert!(t.contains("Not reported:"), "{id}: {t}");
            assert!(!t.contains("Pattern:"), "{id}: {t}");
        }
        all.push_str(&t);
    }
    r.write("explained.txt", &all);
    let out = r.hygiene(&["--only", "secrets", "scan"]);
    assert_exit(&out, 0);
    // The same scan does report the examples themselves (the file the explanations come from).
    let toml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/patterns/secrets.toml"
    ))
    .unwrap();
    r.write("explained.txt", &toml);
    let out = r.hygiene(&["--only", "secrets", "scan"]);
    assert_exit(&out, 1);
    // This repository's own scan, with its own `.hygiene.toml`, does not report them.
    let own = std::process::Command::new(bin())
        .args(["--only", "secrets", "scan", "patterns/secrets.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_exit(&own, 0);
}

/// `git hygiene rules | head -1`: a reader that has gone ends the output quietly. The exit code
/// is the one the same command earns with a reader (0, or 1 for blocking findings), stderr says
/// nothing more than with a reader, and `--report` files are still written.
#[cfg(unix)]
#[test]
fn closed_stdout_ends_quietly_with_the_usual_exit_code() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "feat: a");
    r.git(&["checkout", "-q", "-b", "feature/pipe"]);
    r.add_commit("b.txt", MARKER_FILE, "fix: b");
    r.write("staged.txt", MARKER_FILE);
    r.git(&["add", "staged.txt"]);
    let msg = r.dir.join("MSG");
    std::fs::write(&msg, "not a conventional subject\n").unwrap();
    let msg = msg.to_str().unwrap();
    let cases: &[(&[&str], i32)] = &[
        (&["rules"], 0),
        (&["explain", "hygiene/large-file"], 0),
        (&["explain", "secrets"], 0),
        (&["scan"], 1),
        (&["--format", "json", "scan"], 1),
        (&["--only", "branch", "scan"], 0),
        (&["ci", "--base", BRANCH], 1),
        (&["--format", "json", "ci", "--base", BRANCH], 1),
        (&["hook", "pre-commit"], 1),
        (&["hook", "commit-msg", msg], 1),
        (&["check", "--report", "json=piped.json"], 1),
    ];
    for (args, expected) in cases {
        let open = r.hygiene(args);
        assert_eq!(
            code(&open),
            *expected,
            "{args:?} with a reader: {}",
            text(&open)
        );
        assert!(!open.stdout.is_empty(), "{args:?} prints something to lose");
        let out = r
            .cmd(bin())
            .args(*args)
            .stdout(closed_pipe())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), *expected, "{args:?}: {stderr}");
        // Quietly: nothing on stderr that the same run with a reader does not print.
        assert_eq!(stderr, String::from_utf8_lossy(&open.stderr), "{args:?}");
    }
    let report: serde_json::Value = serde_json::from_slice(&r.read("piped.json")).unwrap();
    assert_eq!(report["mode"], "pre-commit");
    // An error line whose reader has gone (`… 2>&1 | true`) still ends with exit 2.
    let out = r
        .cmd(bin())
        .args(["explain", "no-such-rule"])
        .stderr(closed_pipe())
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
}

/// stderr of a failed run: one line saying what is wrong, and at most one `help:` line.
fn assert_one_error_line(out: &std::process::Output, what: &str) -> String {
    assert_eq!(code(out), 2, "{what}: {}", text(out));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let lines: Vec<&str> = stderr.lines().collect();
    let shape_ok = match lines.as_slice() {
        [first] => first.starts_with("git-hygiene: error: "),
        [first, help] => first.starts_with("git-hygiene: error: ") && help.starts_with("help: "),
        _ => false,
    };
    assert!(
        shape_ok,
        "{what}: want one error line (+ one help: line), got:\n{stderr}"
    );
    assert!(stderr.ends_with('\n'), "{what}: {stderr:?}");
    assert!(out.stdout.is_empty(), "{what}: nothing on stdout");
    lines[0].to_owned()
}

#[test]
fn every_error_is_one_line_and_at_most_one_help_line() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("a.txt", "a\n", "feat: a");
    let bad_invocations: &[&[&str]] = &[
        &[],
        &["bogus"],
        &["scna"],
        &["-x"],
        &["--format"],
        &["--format", "xml", "check"],
        &["--report", "sarif", "check"],
        &["--report", "pdf=x.pdf", "check"],
        &["--skip", "secrest", "check"],
        &["--config", "nope.toml", "check"],
        &["scan", "--bogus"],
        &["scan", "--shard"],
        &["scan", "--shard", "3/2"],
        &["scan", "no/such/path"],
        &["scan", "--history", "no-such-rev"],
        &["explain"],
        &["explain", "no-such-rule"],
        &["rules", "extra"],
        &["adr"],
        &["adr", "new"],
        &["adr", "new", "T", "--status"],
        &["hook"],
        &["hook", "post-merge"],
        &["hook", "commit-msg"],
        &["ci"],
        &["ci", "--base"],
        &["ci", "--base", "no-such-branch"],
        &["check", "--staged=x"],
        &["install", "--force", "--force"],
        &["help", "bogus"],
    ];
    for args in bad_invocations {
        let line = assert_one_error_line(&r.hygiene(args), &format!("{args:?}"));
        assert!(
            line.len() > "git-hygiene: error: ".len() + 10,
            "{args:?}: {line}"
        );
    }
    // clap's errors say where to read more.
    let out = r.hygiene(&["scan", "--bogus"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'--bogus'"), "{stderr}");
    assert!(
        stderr.ends_with("help: see `git hygiene scan --help`\n"),
        "{stderr}"
    );
    let out = r.hygiene(&["scna"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("'scan'"),
        "the suggestion stays"
    );
    let out = r.hygiene(&["adr"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("new"),
        "names the commands to pick from: {stderr}"
    );
    // --help and --version are not errors and keep clap's full text.
    for args in [
        &["--help"][..],
        &["scan", "--help"],
        &["--version"],
        &["help", "scan"],
    ] {
        let out = r.hygiene(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", text(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out));
    }
    let help = String::from_utf8(r.hygiene(&["scan", "--help"]).stdout).unwrap();
    assert!(
        help.contains("Usage: git-hygiene scan") && help.lines().count() > 10,
        "{help}"
    );

    // Config errors: the first line is `file:line:col: what is wrong; what to do`.
    let bad_configs: &[(&str, usize)] = &[
        ("[hygiene\n", 1),
        ("x = \n", 1),
        ("[hygiene]\nenabled = tru\n", 2),
        ("[hygiene]\nenabled = \"yes\"\n", 2),
        ("[hygiene]\nmax_fil_size = 3\n", 2),
        ("[hygiene]\nmax_file_size = \"lots\"\n", 2),
        ("[hygiene]\nseverity = \"eror\"\n", 2),
        ("[adr]\nseverity = { precommit = \"warn\" }\n", 2),
        ("a = 1\na = 2\n", 2),
        ("[branch]\npattern = \"(\"\n", 2),
        ("[secrets]\nallow_regexes = [\"(\"]\n", 2),
        (
            "[[secrets.rules]]\nid = \"x\"\nregex = \"([\"\nkeywords = [\"a\"]\n",
            3,
        ),
        ("title = \"unterminated\n", 1),
        ("[hygiene]\n\n\nenabled = true\nenabled = false\n", 5),
    ];
    for (toml, line) in bad_configs {
        r.write(".hygiene.toml", toml);
        for args in [&["check"][..], &["scan"], &["ci", "--base", "HEAD"]] {
            let first = assert_one_error_line(&r.hygiene(args), &format!("{toml:?} {args:?}"));
            let at = format!(".hygiene.toml:{line}:");
            assert!(first.contains(&at), "{toml:?}: want {at} in {first}");
            let after = first.split_once(&at).map(|(_, rest)| rest).unwrap_or("");
            let (col, what) = after.split_once(": ").unwrap_or(("", ""));
            assert!(
                col.parse::<usize>().is_ok(),
                "{toml:?}: no column in {first}"
            );
            assert!(what.len() > 10, "{toml:?}: {first}");
        }
    }
}

/// HYGIENE_SKIP, --skip and --only: the summary names every check they turned off, and never
/// says "no problems" about a run that left checks out.
#[test]
fn summary_names_the_checks_that_were_skipped() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write("a.txt", MARKER_FILE);
    let scan = |env: &str, args: &[&str]| {
        let mut c = r.cmd(bin());
        if !env.is_empty() {
            c.env("HYGIENE_SKIP", env);
        }
        c.args(args).output().unwrap()
    };
    let out = scan("all", &["scan"]);
    assert_exit(&out, 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("no problems —"), "{stdout}");
    assert!(
        stdout.starts_with("git-hygiene scan: no problems found, but 4 checks skipped — 1 file, "),
        "{stdout}"
    );
    // Only the checks that judge a scan are named.
    assert!(
        stdout.ends_with(
            " ms\n  checks skipped by HYGIENE_SKIP: hygiene, migrations, adr, secrets\n"
        ),
        "{stdout}"
    );

    let out = scan("secrets", &["--skip", "adr", "scan"]);
    assert_eq!(
        code(&out),
        1,
        "the other checks still judge: {}",
        text(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(": 3 errors, 0 warnings, but 2 checks skipped — 1 file, "),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n  checks skipped by HYGIENE_SKIP: secrets\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n  checks skipped by --skip: adr\n"),
        "{stdout}"
    );

    let out = scan("", &["--format", "json", "--only", "secrets", "scan"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["summary"]["skipped_checks"],
        serde_json::json!([
            {"check": "hygiene", "by": "--only"},
            {"check": "migrations", "by": "--only"},
            {"check": "adr", "by": "--only"},
        ]),
        "{v}"
    );
    // Nothing skipped: the fields are there, empty, and the old ones keep their meaning.
    let out = scan("", &["--format", "json", "scan"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["skipped_checks"], serde_json::json!([]));
    assert_eq!(v["summary"]["unread"], serde_json::json!([]));
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["blocking"], 3);
}
