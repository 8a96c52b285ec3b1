//! End-to-end: the `secrets` check on real git repositories. Keys are assembled at run time from
//! pieces so this repository itself holds no scanner-shaped credential.

use crate::support::*;

fn aws_id() -> String {
    ["AK", "IA", "Q3EGRT5J", "YHMPLW7K"].concat()
}
fn aws_secret() -> String {
    ["wJalrXUtnF", "EMI/K7MDENG/", "bPxRfiCYz8Q2", "mN4pL7vR0sT9"].concat()
}
fn github_token() -> String {
    ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat()
}
fn private_key() -> String {
    let line = "MIIEowIBAAKCAQEAn6O8li0SX4m98LLYtPKSzEmQ2ZBD7Loh9P13f4yQ92EF3yxR5Ms";
    let kind = ["PRIV", "ATE KEY"].concat();
    format!("-----BEGIN RSA {kind}-----\n{line}\nq8Vd2kLz9WmX4pTb{line}\n{line}==\n-----END RSA {kind}-----\n")
}
fn aws_file() -> String {
    format!(
        "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
        aws_id(),
        aws_secret()
    )
}

#[test]
fn staged_aws_key_is_blocked_with_a_redacted_snippet() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.install();
    r.write("config/aws.ini", aws_file());
    r.git(&["add", "."]);
    let out = r.commit("feat: add config");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("secrets/aws-access-key-id"), "{t}");
    assert!(t.contains("config/aws.ini:2:"), "{t}");
    assert!(t.contains("…[redacted]"), "{t}");
    assert!(
        !t.contains(&aws_id()),
        "the key must never be printed whole:\n{t}"
    );
    assert!(!t.contains(&aws_secret()), "{t}");
    assert_eq!(r.commit_count(), 1, "nothing may be committed");
}

#[test]
fn a_key_already_in_head_is_not_this_commits_fault() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit(
        "app.py",
        &format!("TOKEN = \"{}\"\n", github_token()),
        "old leak, no hooks",
    );
    r.install();
    r.write(
        "app.py",
        format!("TOKEN = \"{}\"\nprint('hi')\n", github_token()),
    );
    r.git(&["add", "."]);
    let out = r.commit("feat: greet");
    assert_exit(&out, 0);
}

#[test]
fn key_added_then_removed_is_caught_by_pre_push_and_ci() {
    let sb = Sandbox::new();
    let remote = sb.bare("remote.git");
    let r = sb.repo_on("r", "main");
    r.add_commit("README.md", "hello\n", "init");
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r.git(&["push", "-q", "origin", "main"]);
    r.install();
    r.git(&["checkout", "-q", "-b", "feature/x"]);
    let leak = r.add_commit(
        "deploy.sh",
        &format!("export GH_TOKEN={}\n", github_token()),
        "add token",
    );
    r.add_commit("deploy.sh", "export GH_TOKEN=$GH_TOKEN\n", "remove token");
    let out = r.git_out(&["push", "-q", "origin", "feature/x"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("secrets/github-pat"), "{t}");
    assert!(
        t.contains(&leak[..12]),
        "the commit that added it is named:\n{t}"
    );
    assert!(!t.contains(&github_token()), "{t}");
    let out = r.hygiene(&["ci", "--base", "main"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("deploy.sh:1:"), "{t}");
    let out = r.hygiene(&["scan", "--history"]);
    assert_exit(&out, 1);
}

#[test]
fn hygiene_allow_survives_line_moves() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.install();
    let line = format!(
        "TOKEN = \"{}\"  # hygiene:allow (revoked test token)\n",
        github_token()
    );
    r.write("t.py", &line);
    r.git(&["add", "."]);
    let out = r.commit("test: fixture");
    assert_exit(&out, 0);
    r.write("t.py", format!("import os\n\n\n{line}"));
    r.git(&["add", "."]);
    let out = r.commit("test: move");
    assert_exit(&out, 0);
    let out = r.hygiene(&["scan", "-v", "--only", "secrets"]);
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(t.contains("allowed by hygiene:allow"), "{t}");
}

#[test]
fn baseline_hides_old_findings_even_after_lines_move() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("cfg/aws.ini", &aws_file(), "old leak");
    let out = r.hygiene(&["scan", "--only", "secrets"]);
    assert_exit(&out, 1);
    let out = r.hygiene(&["baseline"]);
    assert_exit(&out, 0);
    let base = String::from_utf8_lossy(&r.read(".hygiene-baseline")).into_owned();
    assert!(base.contains("aws-access-key-id cfg/aws.ini"), "{base}");
    assert!(
        !base.contains(&aws_id()),
        "the baseline must not hold the secret"
    );
    // Lines move: still baselined.
    r.write("cfg/aws.ini", format!("# moved\n\n{}", aws_file()));
    let out = r.hygiene(&["scan", "--only", "secrets"]);
    assert_exit(&out, 0);
    let out = r.hygiene(&["scan", "-v", "--only", "secrets"]);
    assert!(text(&out).contains("baselined"), "{}", text(&out));
    // A new secret is still reported.
    r.write("new.env.sh", format!("export GH={}\n", github_token()));
    let out = r.hygiene(&["scan", "--only", "secrets"]);
    assert_exit(&out, 1);
    std::fs::remove_file(r.dir.join("new.env.sh")).unwrap();
    // The secret removed: its entry is stale (reported with -v).
    r.write("cfg/aws.ini", "[default]\n");
    let out = r.hygiene(&["scan", "-v", "--only", "secrets"]);
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(t.contains("stale-baseline"), "{t}");
}

#[test]
fn private_key_split_across_lines_is_caught() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    r.add_commit("README.md", "hello\n", "init");
    r.install();
    r.write("deploy/key.txt", format!("notes\n{}", private_key()));
    r.git(&["add", "."]);
    let out = r.commit("chore: key");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("secrets/private-key"), "{t}");
    assert!(t.contains("deploy/key.txt:3:1"), "{t}");
    assert!(
        !t.contains("q8Vd2kLz9WmX4pTb"),
        "no key line is printed:\n{t}"
    );
    // The same key added in history is caught by ci across its contiguous added lines.
    r.git(&["checkout", "-q", "-b", "feature/k"]);
    r.add_commit("k2.txt", &private_key(), "key in history");
    let out = r.hygiene(&["ci", "--base", "main"]);
    assert_exit(&out, 1);
}

#[test]
fn huge_minified_file_and_binary_are_skipped_with_a_note() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    let mut big = String::with_capacity(50 << 20);
    while big.len() < 50 << 20 {
        big.push_str("var a=function(b){return b.key+1};");
    }
    big.push_str(&format!("var t=\"{}\";", github_token()));
    r.write("dist/app.min.js", &big);
    let mut bin = vec![0u8, 1, 2, 3];
    bin.extend_from_slice(github_token().as_bytes());
    r.write("assets/blob.bin", &bin);
    let out = r.hygiene(&["scan", "-v", "--only", "secrets"]);
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(
        t.contains("dist/app.min.js") && t.contains("max_file_size"),
        "{t}"
    );
    assert!(
        t.contains("assets/blob.bin") && t.contains("binary file"),
        "{t}"
    );
}

#[test]
fn no_report_format_holds_the_secret() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit(
        "a.py",
        &format!("GITHUB_TOKEN = \"{}\"\n{}", github_token(), aws_file()),
        "leak",
    );
    let dir = r.dir.join("reports");
    std::fs::create_dir_all(&dir).unwrap();
    let mut args = vec!["scan".to_owned(), "--only".into(), "secrets".into()];
    for f in ["json", "sarif", "junit", "codequality", "gitlab-secrets"] {
        args.push("--report".into());
        args.push(format!("{f}={}", dir.join(f).display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let human = r.hygiene(&args);
    assert_exit(&human, 1);
    let verbose = r.hygiene(&["scan", "-v", "--only", "secrets"]);
    let json_out = r.hygiene(&["scan", "--only", "secrets", "--format", "json"]);
    let mut outputs = vec![text(&human), text(&verbose), text(&json_out)];
    for f in ["json", "sarif", "junit", "codequality", "gitlab-secrets"] {
        let s = std::fs::read_to_string(dir.join(f)).unwrap();
        assert!(s.contains("secrets") || s.contains("github"), "{f}: {s}");
        outputs.push(s);
    }
    let v: serde_json::Value = serde_json::from_str(&text(&json_out)).unwrap();
    let snippet = v["findings"][0]["snippet"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(snippet.contains("…[redacted]"), "{snippet}");
    for o in outputs {
        for s in [github_token(), aws_id(), aws_secret()] {
            assert!(!o.contains(&s), "a whole secret leaked into output:\n{o}");
            assert!(
                !o.contains(&s[..s.len() - 4]),
                "most of a secret leaked:\n{o}"
            );
        }
    }
}

#[test]
fn forbidden_files_and_template_env() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.install();
    r.write(".env.example", "DATABASE_URL=\n");
    r.git(&["add", "."]);
    assert_eq!(code(&r.commit("chore: env template")), 0);
    r.write(".env", "DEBUG=1\n");
    r.git(&["add", "."]);
    let out = r.commit("chore: env");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("secrets/forbidden-file") && t.contains(".env"),
        "{t}"
    );
}

#[test]
fn custom_rules_and_config_errors() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        ".hygiene.toml",
        "[secrets]\ndisable = [\"github-pat\"]\n[[secrets.rules]]\nid = \"acme\"\nregex = '''\\b(acme_[a-z0-9]{16})\\b'''\nkeywords = [\"acme_\"]\n",
    );
    r.write(
        "a.txt",
        format!("x = {}\ny = acme_{}\n", github_token(), "k3j9x0q2m8v7b4n1"),
    );
    let out = r.hygiene(&["scan", "--only", "secrets"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("secrets/acme") && !t.contains("github-pat"),
        "{t}"
    );
    r.write(".hygiene.toml", "[secrets]\n\n[[secrets.rules]]\nid = \"bad\"\nregex = '''(unclosed'''\nkeywords = [\"x\"]\n");
    let out = r.hygiene(&["scan"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(
        t.contains(".hygiene.toml:5:") && t.contains("does not compile"),
        "{t}"
    );
    r.write(
        ".hygiene.toml",
        "[[secrets.rules]]\nid = \"nokw\"\nregex = 'abc'\n",
    );
    let out = r.hygiene(&["scan"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(
        t.contains(".hygiene.toml:2:") && t.contains("no keywords"),
        "{t}"
    );
}

/// A history scan reads each version of a modified file once and judges only what that
/// version added: a token inserted in the middle of a long-lived file is reported once, for the
/// commit that added it, at its line; a token that was there before the range is not. The range
/// is large enough for blobs to be read through `git cat-file --batch`.
#[test]
fn history_scan_reports_a_token_in_the_commit_that_added_it_to_a_modified_file() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let old_key = format!("old_id = {}\n", aws_id());
    let mut lines: Vec<String> = (0..40).map(|i| format!("setting_{i} = {i}\n")).collect();
    let mut other: Vec<String> = vec![old_key.clone()];
    r.add_commit("app.conf", &lines.concat(), "init");
    r.add_commit("legacy.conf", &other.concat(), "legacy");
    let base = r.head();
    // 300 more files in the range: enough for blobs to be read through `git cat-file --batch`.
    for i in 0..300 {
        r.write(&format!("filler/f{i}.txt"), format!("filler {i}\n"));
    }
    r.git(&["add", "filler"]);
    r.commit_no_verify("filler");
    let token_line = format!("deploy_token = {}\n", github_token());
    let (mut leak, mut key_commit, mut in_message) = (String::new(), String::new(), String::new());
    // 50 versions of app.conf, more than one piece of a version chain; legacy.conf (holding a
    // key from before the range) is edited along the way.
    for i in 0..50 {
        lines[i % 40] = format!("setting_{} = {}\n", i % 40, 1000 + i);
        if i == 20 {
            lines.insert(25, token_line.clone());
        }
        if i == 30 {
            lines.retain(|l| l != &token_line);
        }
        if i == 40 {
            lines.insert(10, private_key()); // several lines, judged together
        }
        // One message among many (judged in parallel) holds a key in its body.
        let msg = match i {
            45 => format!("change {i}\n\nused {} to test it\n", aws_id()),
            _ => format!("change {i}"),
        };
        let id = r.add_commit("app.conf", &lines.concat(), &msg);
        if i == 45 {
            in_message = id.clone();
        }
        if i == 20 {
            leak = id;
        } else if i == 40 {
            key_commit = id;
        }
        if i % 10 == 5 {
            other.push(format!("note_{i} = {i}\n"));
            r.add_commit("legacy.conf", &other.concat(), &format!("legacy {i}"));
        }
    }
    let (out, t) = secrets_in_history(&r, &base);
    assert!(
        !t.contains(&github_token()) && !t.contains(&aws_id()),
        "{t}"
    );
    let found: Vec<(String, String, u64, String)> = json_findings(&out)
        .iter()
        .map(|f| {
            (
                format!(
                    "{}/{}",
                    f["check"].as_str().unwrap_or(""),
                    f["rule"].as_str().unwrap_or("")
                ),
                f["path"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["commit"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "secrets/aws-access-key-id".to_owned(),
                String::new(),
                3,
                in_message.clone()
            ),
            (
                "secrets/private-key".to_owned(),
                "app.conf".to_owned(),
                12,
                key_commit.clone()
            ),
            (
                "secrets/github-pat".to_owned(),
                "app.conf".to_owned(),
                26,
                leak.clone()
            ),
        ],
        "{t}"
    );
    // The whole history: the key in legacy.conf is reported once, for the commit adding it.
    let out = r.hygiene(&["--only", "secrets", "scan", "--history"]);
    let t = text(&out);
    assert_eq!(t.matches("secrets/aws-access-key-id").count(), 2, "{t}");
    assert_eq!(t.matches("secrets/github-pat").count(), 1, "{t}");
    assert_eq!(t.matches("secrets/private-key").count(), 1, "{t}");
}

/// Edits at both ends of a long file in every commit make the whole file one changed region;
/// the history scan sets aside the long unchanged blocks inside it, and still finds what was
/// added between them: a token and a key in the middle, each at its line and commit. A token
/// that sat unchanged in the middle all along is not reported for the later commits.
#[test]
fn history_scan_finds_what_is_added_between_edits_far_apart() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let mut lines: Vec<String> = (0..3000)
        .map(|i| format!("entry_{i:04} = compute(\"value number {i}\")\n"))
        .collect();
    lines[1500] = format!("old_id = {}\n", aws_id());
    r.add_commit("big.conf", &lines.concat(), "init");
    let base = r.head();
    let (mut token_commit, mut key_commit) = (String::new(), String::new());
    for i in 0..6 {
        lines[0] = format!("header = {i}\n");
        let last = lines.len() - 1;
        lines[last] = format!("footer = {i}\n");
        if i == 2 {
            lines.insert(800, format!("deploy_token = {}\n", github_token()));
        }
        if i == 4 {
            lines.insert(2200, private_key());
        }
        let id = r.add_commit("big.conf", &lines.concat(), &format!("edit {i}"));
        match i {
            2 => token_commit = id,
            4 => key_commit = id,
            _ => {}
        }
    }
    let (out, t) = secrets_in_history(&r, &base);
    let found: Vec<(String, u64, String)> = json_findings(&out)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["commit"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("github-pat".to_owned(), 801, token_commit),
            // A key is reported at its body, the line after BEGIN.
            ("private-key".to_owned(), 2202, key_commit),
        ],
        "{t}"
    );
}

/// A message too long and not in Conventional Commits form, so that the commit-msg check quotes
/// it in several snippets and derives an example from it, with a token on its first line.
fn long_bad_subject(secret: &str) -> String {
    format!("{secret} is what the deploy job uses to reach the artifact registry in every region")
}

#[test]
fn a_token_in_the_commit_message_is_blocked_by_commit_msg_and_never_printed() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.install();
    r.write("deploy.sh", "echo deploy\n");
    r.git(&["add", "."]);
    let out = r.commit(&format!("fix: use {}", github_token()));
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("secrets/github-pat"), "{t}");
    assert!(t.contains("commit message:1:10"), "{t}");
    assert!(t.contains("ghp_Zx…[redacted]"), "{t}");
    assert!(!leaks(&t, &github_token()), "{t}");
    assert_eq!(r.commit_count(), 1, "nothing may be committed");
    // Every snippet of the commit-msg check (format, subject length) and the example it derives
    // from the subject; human and JSON.
    r.write(".git/MSG", long_bad_subject(&aws_id()));
    for format in ["human", "json"] {
        let out = r.hygiene(&["--format", format, "hook", "commit-msg", ".git/MSG"]);
        let t = text(&out);
        assert_eq!(code(&out), 1, "{t}");
        assert!(t.contains("subject-length"), "{t}");
        assert!(!leaks(&t, &aws_id()), "{format}:\n{t}");
    }
    let out = r.hygiene(&["--format", "json", "hook", "commit-msg", ".git/MSG"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found = v["findings"].as_array().expect("findings");
    let secret = found
        .iter()
        .find(|f| f["check"] == "secrets")
        .unwrap_or_else(|| panic!("no secrets finding: {v}"));
    assert_eq!(secret["rule"], "aws-access-key-id", "{secret}");
    assert!(secret["path"].is_null(), "{secret}");
    assert_eq!(secret["field"], "commit-message", "{secret}");
    assert_eq!(
        (secret["line"].as_u64(), secret["column"].as_u64()),
        (Some(1), Some(1))
    );
    for rule in ["format", "subject-length"] {
        let f = found
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule}: {v}"));
        assert!(
            f["snippet"]
                .as_str()
                .is_some_and(|s| s.contains("…[redacted]")),
            "{f}"
        );
    }
    // A long body line is cut for display after it is redacted: a token across the cut would
    // otherwise show its first characters, too few for any rule to recognise.
    let line = format!("{}{}", "word ".repeat(29), github_token());
    r.write(".git/MSG", format!("fix: deploy\n\n{line} and more\n"));
    let out = r.hygiene(&["--format", "json", "hook", "commit-msg", ".git/MSG"]);
    let t = text(&out);
    assert!(t.contains("body-line-length"), "{t}");
    assert!(!t.contains(&github_token()[..10]), "{t}");
    // `hygiene:allow` on the line lets it through.
    let out = r.commit(&format!("test: fixture {} hygiene:allow", github_token()));
    assert_exit(&out, 0);
}

#[test]
fn a_key_in_the_body_of_a_no_verify_commit_is_caught_by_pre_push_and_history() {
    let sb = Sandbox::new();
    let remote = sb.bare("remote.git");
    let r = sb.repo_on("r", "main");
    r.add_commit("README.md", "hello\n", "init");
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r.git(&["push", "-q", "origin", "main"]);
    r.install();
    r.git(&["checkout", "-q", "-b", "feature/deploy"]);
    r.write("deploy.sh", "echo deploy\n");
    r.git(&["add", "."]);
    let msg = format!(
        "feat: deploy script\n\nIt signs in with {} until the role exists.\n",
        aws_id()
    );
    let leak = r.commit_no_verify(&msg);
    let out = r.git_out(&["push", "-q", "origin", "feature/deploy"]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "the push must be refused:\n{t}");
    assert!(t.contains("secrets/aws-access-key-id"), "{t}");
    assert!(t.contains("commit message:3:"), "{t}");
    assert!(t.contains(&leak[..12]), "the commit is named:\n{t}");
    assert!(!leaks(&t, &aws_id()), "{t}");
    let remote_has = sb
        .cmd("git", &remote)
        .args(["rev-parse", "--verify", "-q", "refs/heads/feature/deploy"])
        .output()
        .expect("git");
    assert!(!remote_has.status.success(), "nothing may be pushed");
    // The history scan finds it too, with the same fingerprint.
    let out = r.hygiene(&["--format", "json", "scan", "--history", "main..HEAD"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(!leaks(&t, &aws_id()), "{t}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let f = v["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["check"] == "secrets").cloned())
        .unwrap_or_else(|| panic!("no secrets finding: {v}"));
    assert_eq!(f["field"], "commit-message", "{f}");
    assert_eq!(f["commit"], leak.as_str(), "{f}");
    assert_eq!(f["line"], 3, "{f}");
    assert!(f["path"].is_null(), "{f}");
    // Baselined by its fingerprint (a hash of the secret), the old message no longer blocks.
    let fp = f["fingerprint"].as_str().expect("fingerprint");
    r.write(
        ".hygiene-baseline",
        format!("{fp} aws-access-key-id commit-message\n"),
    );
    let out = r.hygiene(&["--only", "secrets", "scan", "--history", "main..HEAD"]);
    assert_exit(&out, 0);
    // A tree scan sees no messages: the entry is not called stale there.
    let out = r.hygiene(&["-v", "--only", "secrets", "scan"]);
    assert!(!text(&out).contains("stale-baseline"), "{}", text(&out));
    let out = r.git_out(&["push", "-q", "origin", "feature/deploy"]);
    assert_exit(&out, 0);
}

#[test]
fn a_token_in_the_branch_name_is_not_echoed_by_other_checks() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.write(".hygiene.toml", "[ticket]\nrequire = [\"branch\"]\n");
    r.git(&[
        "checkout",
        "-q",
        "-b",
        &format!("feature/{}", github_token()),
    ]);
    r.write("a.txt", "a\n");
    r.git(&["add", "."]);
    for format in ["human", "json"] {
        let out = r.hygiene(&["--format", format, "check"]);
        let t = text(&out);
        assert_eq!(code(&out), 1, "{t}");
        assert!(
            t.contains("has no ClickUp task id") && t.contains("git branch -m"),
            "{t}"
        );
        assert!(!leaks(&t, &github_token()), "{format}:\n{t}");
    }
    r.git(&["checkout", "-q", "-b", &format!("wip/{}", github_token())]);
    let out = r.hygiene(&["check"]);
    let t = text(&out);
    assert!(
        t.contains("branch/name") && t.contains("git branch -m"),
        "{t}"
    );
    assert!(!leaks(&t, &github_token()), "{t}");
}

/// Messages are prose about code. A package name that the generic rule would take for a secret
/// in a file (`cargo-credential-wincred@0.4.2`, from cargo's own history) is no finding in a
/// commit message, while a token of a provider's precise shape in the same message still is.
#[test]
fn prose_in_a_commit_message_is_judged_only_by_provider_rules() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    r.add_commit("README.md", "hello\n", "chore: init");
    let prose = "chore: bump cargo-credential-wincred@0.4.2\n\nAlso libsecret-0.21.4.\n";
    r.write("notes.txt", prose);
    let out = r.hygiene(&["--only", "secrets", "--format", "json", "scan"]);
    assert_eq!(
        code(&out),
        1,
        "the generic rule flags it in a file:\n{}",
        text(&out)
    );
    std::fs::remove_file(r.dir.join("notes.txt")).unwrap();
    r.write("a.txt", "a\n");
    r.git(&["add", "a.txt"]);
    r.commit_no_verify(prose);
    let out = r.hygiene(&["--only", "secrets", "scan", "--history", "HEAD~1..HEAD"]);
    assert_exit(&out, 0);
    r.write("b.txt", "b\n");
    r.git(&["add", "b.txt"]);
    let leak = r.commit_no_verify(&format!("{prose}Signed in with {}\n", aws_id()));
    let out = r.hygiene(&[
        "--only",
        "secrets",
        "--format",
        "json",
        "scan",
        "--history",
        "HEAD~1..HEAD",
    ]);
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["aws-access-key-id"], "{v}");
    assert_eq!(v["findings"][0]["commit"], leak.as_str(), "{v}");
}

/// `text` in UTF-16 (little- or big-endian) with its byte-order mark, as Windows tools write it.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// (path, rule, line, column, commit) of every finding in a `--format json` run.
fn located(out: &std::process::Output) -> Vec<(String, String, u64, u64, String)> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut found: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_owned(),
                format!(
                    "{}/{}",
                    f["check"].as_str().unwrap_or(""),
                    f["rule"].as_str().unwrap_or("")
                ),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["commit"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

fn no_secret_in(t: &str) {
    for s in [github_token(), aws_id()] {
        assert!(!t.contains(&s[..s.len() - 4]), "a secret leaked:\n{t}");
    }
}

/// Files in UTF-16 with a byte-order mark (PowerShell, .reg exports), UTF-32 and UTF-8 with a
/// BOM are decoded before they are scanned: a scan of the tree and the pre-commit hook find the
/// secrets at the line and column (in characters) of the text, with redacted snippets.
#[test]
fn utf16_and_other_bom_files_are_scanned_at_commit_and_in_a_tree() {
    let ps1 = format!(
        "# Deploy\r\n$region = \"eu-west-1\"\r\n$token = \"{}\"\r\n",
        github_token()
    );
    let reg = format!(
        "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\App]\r\n\"AwsKeyId\"=\"{}\"\r\n",
        aws_id()
    );
    let notes = format!("Notizen\nschlüssel = {}\n", github_token());
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    utf32.extend(notes.chars().flat_map(|c| u32::from(c).to_le_bytes()));
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend(format!("token = \"{}\"\n", github_token()).into_bytes());
    let expected = |commit: &str| {
        let mut v = vec![
            (
                "config/app.reg".to_owned(),
                "secrets/aws-access-key-id".to_owned(),
                4,
                13,
                commit.to_owned(),
            ),
            (
                "notes/bom8.txt".to_owned(),
                "secrets/github-pat".to_owned(),
                1,
                10,
                commit.to_owned(),
            ),
            (
                "notes/utf32.txt".to_owned(),
                "secrets/github-pat".to_owned(),
                2,
                13,
                commit.to_owned(),
            ),
            (
                "scripts/deploy.ps1".to_owned(),
                "secrets/github-pat".to_owned(),
                3,
                11,
                commit.to_owned(),
            ),
        ];
        v.sort();
        v
    };
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.write("scripts/deploy.ps1", utf16(&ps1, false));
    r.write("config/app.reg", utf16(&reg, true));
    r.write("notes/utf32.txt", &utf32);
    r.write("notes/bom8.txt", &bom8);
    let out = r.hygiene(&["--only", "secrets", "--format", "json", "scan"]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert_eq!(located(&out), expected(""), "{t}");
    assert!(
        t.contains("$token = \\\"ghp_"),
        "the snippet is the decoded line: {t}"
    );
    assert!(t.contains("…[redacted]"), "{t}");
    no_secret_in(&t);

    r.install();
    r.git(&["add", "."]);
    let out = r.commit("chore: windows files");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    for at in [
        "scripts/deploy.ps1:3:11",
        "config/app.reg:4:13",
        "notes/utf32.txt:2:13",
        "notes/bom8.txt:1:10",
    ] {
        assert!(t.contains(at), "{at}:\n{t}");
    }
    no_secret_in(&t);
    assert_eq!(r.commit_count(), 1, "nothing may be committed");
}

/// A UTF-16 file edited to add a secret: the hook judges the lines the edit adds in the
/// decoded text (git itself sees a binary file and no lines), and history and ci report each
/// secret once, for the commit that added it.
#[test]
fn secrets_added_to_utf16_files_are_found_by_the_hook_history_and_ci() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    let old = format!("[App]\r\nlegacy_id = {}\r\nname = app\r\n", aws_id());
    r.add_commit("win/app.ini", "", "placeholder");
    r.write("win/app.ini", utf16(&old, true));
    r.git(&["add", "."]);
    r.commit_no_verify("app settings, with a key from before the hooks");
    r.install();
    r.git(&["checkout", "-q", "-b", "feature/win"]);
    let edited = format!("{old}token = {}\r\n", github_token());
    r.write("win/app.ini", utf16(&edited, true));
    r.git(&["add", "."]);
    let out = r.commit("feat: token");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("win/app.ini:4:9") && t.contains("secrets/github-pat"),
        "{t}"
    );
    assert!(
        !t.contains("aws-access-key-id"),
        "the old key is not this commit's: {t}"
    );
    no_secret_in(&t);

    let edit = r.commit_no_verify("feat: token");
    let ps1 = format!("Write-Host hi\n$k = \"{}\"\n", aws_id());
    r.write("deploy.ps1", utf16(&ps1, false));
    r.git(&["add", "."]);
    let added = r.commit_no_verify("feat: deploy script");
    let expected = vec![
        (
            "deploy.ps1".to_owned(),
            "secrets/aws-access-key-id".to_owned(),
            2,
            7,
            added.clone(),
        ),
        (
            "win/app.ini".to_owned(),
            "secrets/github-pat".to_owned(),
            4,
            9,
            edit.clone(),
        ),
    ];
    let out = r.hygiene(&[
        "--only",
        "secrets",
        "--format",
        "json",
        "scan",
        "--history",
        "main..HEAD",
    ]);
    assert_exit(&out, 1);
    assert_eq!(located(&out), expected, "{}", text(&out));
    no_secret_in(&text(&out));
    let out = r.hygiene(&[
        "--only", "secrets", "--format", "json", "ci", "--base", "main",
    ]);
    assert_exit(&out, 1);
    assert_eq!(located(&out), expected, "{}", text(&out));
    no_secret_in(&text(&out));
}

/// Exit code, stdout + stderr, and peak resident memory in MiB of `cmd`: its own or that of
/// the largest process it waited for (for `git commit`, the hook).
///
/// A child started straight from this test process would report this process's size: Linux
/// counts the memory a vforked child shares with its parent, and this crate holds every test.
/// So a small python parent starts `cmd` and reports its children's peak from `getrusage`.
fn measured(cmd: std::process::Command) -> (i32, String, f64) {
    const PARENT: &str = "import resource, subprocess, sys\n\
        code = subprocess.call(sys.argv[2:])\n\
        open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n\
        sys.exit(code)";
    let report = tempfile::NamedTempFile::new().expect("rss report file");
    let mut parent = std::process::Command::new("python3");
    parent
        .args(["-c", PARENT])
        .arg(report.path())
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        parent.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => parent.env(k, v),
            None => parent.env_remove(k),
        };
    }
    let out = parent.output().expect("run python3");
    let kib: f64 = std::fs::read_to_string(report.path())
        .expect("rss report")
        .trim()
        .parse()
        .expect("rss in KiB");
    let mut t = String::from_utf8_lossy(&out.stdout).into_owned();
    t.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), t, kib / 1024.0)
}

/// A 128 MiB log with, in its first window of 8 MiB, private keys back to back across the point
/// where the next window starts (a little under 8 MiB in), and near its end a token and a
/// conflict marker. Returns the lines of the keys' first body lines, the token and the marker.
fn write_big_log(path: &std::path::Path) -> (Vec<u64>, u64, u64) {
    use std::io::Write;
    const SIZE: usize = 128 << 20;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let (mut written, mut line, mut keys) = (0usize, 1u64, Vec::new());
    let handover = (8 << 20) - (72 << 10)..(8 << 20) - (64 << 10);
    let (mut token_line, mut marker_line) = (0, 0);
    while written < SIZE {
        let chunk: String = if handover.contains(&written) {
            keys.push(line + 1);
            private_key()
        } else if token_line == 0 && written > SIZE - (1 << 20) {
            token_line = line;
            marker_line = line + 2;
            format!(
                "deploy_token = \"{}\"\nnext\n<<<<<<< HEAD\n",
                github_token()
            )
        } else {
            format!(
                "{line:09} lorem ipsum dolor sit amet, consectetur adipiscing elit {}\n",
                line % 97
            )
        };
        out.write_all(chunk.as_bytes()).expect("write");
        written += chunk.len();
        line += chunk.matches('\n').count() as u64;
    }
    out.flush().expect("flush");
    (keys, token_line, marker_line)
}

/// (rule, line, commit) of each finding of a `--format json` run, sorted.
fn rule_lines(t: &str) -> Vec<(String, u64, String)> {
    let start = t.find('{').unwrap_or(0);
    let end = t.rfind('}').map_or(t.len(), |i| i + 1);
    let v: serde_json::Value = serde_json::from_str(&t[start..end]).expect("json");
    let mut found: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["commit"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

/// With `max_file_size` raised, a file far larger than memory should hold is read in windows:
/// the scan of the tree, the pre-commit hook (the staged blob) and a history scan (a new and a
/// modified version) each stay under half the file's size of peak memory — the whole file was
/// held before, several times over — and find every secret once, at its line, including keys
/// that straddle the point where one window hands over to the next. The bound is proportionate
/// (64 MiB for a 128 MiB file) so that the file stays small enough for a debug build.
#[test]
fn a_file_larger_than_memory_should_hold_is_scanned_in_windows() {
    let sb = Sandbox::new();
    let r = sb.repo_on("r", "main");
    r.add_commit(
        ".hygiene.toml",
        "[hygiene]\nmax_file_size = \"4 GiB\"\n[secrets]\nmax_file_size = \"4 GiB\"\n",
        "limits",
    );
    r.git(&["checkout", "-q", "-b", "feature/big"]);
    let (keys, token, marker) = write_big_log(&r.dir.join("big.log"));
    assert!(keys.len() > 20, "{keys:?}");
    let limit = 64.0;
    let expected = |commit: &str| {
        let mut v: Vec<(String, u64, String)> = keys
            .iter()
            .map(|&l| ("private-key".to_owned(), l, commit.to_owned()))
            .collect();
        v.push(("github-pat".to_owned(), token, commit.to_owned()));
        v.push(("conflict-marker".to_owned(), marker, commit.to_owned()));
        v.sort();
        v
    };

    let mut scan = r.cmd(bin());
    scan.args(["--format", "json", "scan"]);
    let (c, t, rss) = measured(scan);
    assert_eq!(c, 1, "{}", &t[..t.len().min(2000)]);
    assert_eq!(rule_lines(&t), expected(""));
    assert!(rss < limit, "scan: peak RSS {rss:.0} MiB");
    no_secret_in(&t);

    r.install();
    r.git(&["add", "big.log"]);
    let mut commit = r.cmd("git");
    commit.args(["commit", "-q", "-m", "feat: big log"]);
    let (c, t, rss) = measured(commit);
    assert_eq!(c, 1, "{t}");
    for at in [
        format!("big.log:{token}:"),
        format!("big.log:{marker}:1"),
        format!("big.log:{}:1", keys[0]),
    ] {
        assert!(t.contains(&at), "{at}:\n{t}");
    }
    assert!(rss < limit, "pre-commit: peak RSS {rss:.0} MiB");

    let added = r.commit_no_verify("feat: big log");
    let mut history = r.cmd(bin());
    history.args(["--format", "json", "scan", "--history", "main..HEAD"]);
    let (c, t, rss) = measured(history);
    assert_eq!(c, 1, "{}", &t[..t.len().min(2000)]);
    assert_eq!(rule_lines(&t), expected(&added));
    assert!(rss < limit, "history: peak RSS {rss:.0} MiB");
    // Packed, the blob is streamed by `git cat-file` instead.
    r.git(&["repack", "-adq"]);
    let mut history = r.cmd(bin());
    history.args(["--format", "json", "scan", "--history", "main..HEAD"]);
    let (c, t, rss) = measured(history);
    assert_eq!(c, 1, "{}", &t[..t.len().min(2000)]);
    assert_eq!(rule_lines(&t), expected(&added));
    assert!(rss < limit, "history, packed: peak RSS {rss:.0} MiB");

    // An edit of the big file: only its new line is new, found by comparing with the old
    // version line by line (both too large to diff in memory).
    let mut log = std::fs::OpenOptions::new()
        .append(true)
        .open(r.dir.join("big.log"))
        .expect("open");
    std::io::Write::write_all(&mut log, format!("again = \"{}\"\n", aws_id()).as_bytes())
        .expect("append");
    drop(log);
    r.git(&["add", "big.log"]);
    let edit = r.commit_no_verify("feat: more log");
    let mut history = r.cmd(bin());
    history.args(["--format", "json", "scan", "--history", "HEAD~1..HEAD"]);
    let (c, t, rss) = measured(history);
    assert_eq!(c, 1, "{}", &t[..t.len().min(2000)]);
    let lines = rule_lines(&t);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].0, "aws-access-key-id");
    assert_eq!(lines[0].2, edit);
    assert!(rss < limit, "history of an edit: peak RSS {rss:.0} MiB");
}

/// `max_len` of a custom rule (the overlap of the windows a large file is read in) is checked
/// like the rest of the rule: 0 or more than 1 MiB is an error naming the rule's line.
#[test]
fn a_custom_rule_max_len_out_of_range_is_a_config_error() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    for bad in ["0", "2000000"] {
        r.write(
            ".hygiene.toml",
            format!("[[secrets.rules]]\nid = \"blob\"\nregex = '''BEGIN[\\s\\S]+END'''\nkeywords = [\"begin\"]\nscope = \"file\"\nmax_len = {bad}\n"),
        );
        let out = r.hygiene(&["scan"]);
        let t = text(&out);
        assert_eq!(code(&out), 2, "{t}");
        assert!(
            t.contains(".hygiene.toml:2:") && t.contains("max_len"),
            "{t}"
        );
    }
    r.write(
        ".hygiene.toml",
        "[[secrets.rules]]\nid = \"blob\"\nregex = '''BEGIN ([A-Z0-9]{20,}) END'''\nkeywords = [\"begin\"]\nscope = \"file\"\nmax_len = 4096\n",
    );
    r.write("a.txt", "BEGIN Q8VD2KLZ9WMX4PTB7K3J END\n");
    let out = r.hygiene(&["scan", "--only", "secrets"]);
    assert_exit(&out, 1);
    assert!(text(&out).contains("secrets/blob"), "{}", text(&out));
}

/// A staged edit of a 36 MB file: git's diff of the two versions held both and a record per
/// line (170 MiB here); now the file is read in windows and a line counts as added when the old
/// version does not have it, so the hook stays well under that and finds the token the edit
/// adds, not the key already committed.
#[test]
fn a_staged_edit_of_a_file_too_large_to_diff_is_judged_line_by_line() {
    // Written line by line: a child forked by this process starts with its memory counted.
    let write = |r: &Repo, token: bool| {
        use std::io::Write;
        let file = std::fs::File::create(r.dir.join("data.log")).expect("create");
        let mut out = std::io::BufWriter::new(file);
        for i in 0..600_000 {
            let line = match i {
                100 => format!("old = {}\n", aws_id()),
                300_000 if token => format!("deploy_token = \"{}\"\n", github_token()),
                _ => format!("{i:09} lorem ipsum dolor sit amet, consectetur adipiscing elit\n"),
            };
            out.write_all(line.as_bytes()).expect("write");
        }
        out.flush().expect("flush");
    };
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        ".hygiene.toml",
        "[hygiene]\nmax_file_size = \"1 GiB\"\n[secrets]\nmax_file_size = \"1 GiB\"\n",
    );
    write(&r, false);
    r.git(&["add", "."]);
    r.commit_no_verify("data");
    r.install();
    write(&r, true);
    r.git(&["add", "."]);
    let mut commit = r.cmd("git");
    commit.args(["commit", "-q", "-m", "feat: data"]);
    let (c, t, rss) = measured(commit);
    assert_eq!(c, 1, "{t}");
    assert!(
        t.contains("data.log:300001:") && t.contains("secrets/github-pat"),
        "{t}"
    );
    assert!(!t.contains("aws-access-key-id"), "{t}");
    // The diff alone took about five times the file's size.
    assert!(rss < 64.0, "pre-commit: peak RSS {rss:.0} MiB");
}

/// `--only secrets --format json scan --history BASE..HEAD` in `r`, which must report (exit 1):
/// its output and that output as text.
fn secrets_in_history(r: &Repo<'_>, base: &str) -> (std::process::Output, String) {
    let range = format!("{base}..HEAD");
    let out = r.hygiene(&[
        "--only",
        "secrets",
        "--format",
        "json",
        "scan",
        "--history",
        &range,
    ]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    (out, t)
}
