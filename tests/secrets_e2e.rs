//! End-to-end: the `secrets` check on real git repositories. Keys are assembled at run time from
//! pieces so this repository itself holds no scanner-shaped credential.

mod common;
use common::*;

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
    assert_eq!(code(&out), 0, "{}", text(&out));
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
    assert_eq!(code(&out), 1, "{}", text(&out));
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
    assert_eq!(code(&out), 0, "{}", text(&out));
    r.write("t.py", format!("import os\n\n\n{line}"));
    r.git(&["add", "."]);
    let out = r.commit("test: move");
    assert_eq!(code(&out), 0, "{}", text(&out));
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
    assert_eq!(code(&out), 1, "{}", text(&out));
    let out = r.hygiene(&["baseline"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let base = String::from_utf8_lossy(&r.read(".hygiene-baseline")).into_owned();
    assert!(base.contains("aws-access-key-id cfg/aws.ini"), "{base}");
    assert!(
        !base.contains(&aws_id()),
        "the baseline must not hold the secret"
    );
    // Lines move: still baselined.
    r.write("cfg/aws.ini", format!("# moved\n\n{}", aws_file()));
    let out = r.hygiene(&["scan", "--only", "secrets"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let out = r.hygiene(&["scan", "-v", "--only", "secrets"]);
    assert!(text(&out).contains("baselined"), "{}", text(&out));
    // A new secret is still reported.
    r.write("new.env.sh", format!("export GH={}\n", github_token()));
    let out = r.hygiene(&["scan", "--only", "secrets"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
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
    assert_eq!(code(&out), 1, "{}", text(&out));
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
    assert_eq!(code(&human), 1, "{}", text(&human));
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
    assert!(
        !t.contains(&github_token()) && !t.contains(&aws_id()),
        "{t}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: Vec<(String, String, u64, String)> = v["findings"]
        .as_array()
        .expect("findings")
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
    assert_eq!(code(&out), 0, "{}", text(&out));
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
    assert_eq!(code(&out), 0, "{}", text(&out));
    // A tree scan sees no messages: the entry is not called stale there.
    let out = r.hygiene(&["-v", "--only", "secrets", "scan"]);
    assert!(!text(&out).contains("stale-baseline"), "{}", text(&out));
    let out = r.git_out(&["push", "-q", "origin", "feature/deploy"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
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
            t.contains("missing-in-branch") && t.contains("git branch -m"),
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
    assert_eq!(code(&out), 0, "{}", text(&out));
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
    assert_eq!(code(&out), 1, "{}", text(&out));
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
