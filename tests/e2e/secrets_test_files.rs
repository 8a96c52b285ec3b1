//! End-to-end: in test sources only a provider's precise format is reported at `git commit`;
//! `[secrets] test_files = "all"` reports every rule there. Values are assembled at run time.

use crate::support::*;

/// A fake password of the kind a login test holds: the generic rule reports it elsewhere.
fn fake_password() -> String {
    ["Xk9#vQ2m", "Lp7!rT4w"].concat()
}

/// A token in GitHub's format, which is reported wherever it is.
fn provider_token() -> String {
    ["gh", "p_", "R7kQ2vX9mLp4TzW8nB3c", "Y6hJ1dF5sG0aE2uK"].concat()
}

fn login_test(password: &str) -> String {
    format!(
        "import {{ login }} from \"../login\";\n\ntest(\"logs in\", async () => {{\n  const password = \"{password}\";\n  expect(await login(\"ada\", password)).toBe(true);\n}});\n"
    )
}

fn repo(sb: &Sandbox) -> Repo<'_> {
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.install();
    r
}

fn commit(r: &Repo<'_>) -> (i32, String) {
    r.git(&["add", "-A"]);
    let out = r.commit("test: login");
    (code(&out), text(&out))
}

#[test]
fn a_test_file_reports_provider_tokens_only_unless_configured_all() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    let pw = fake_password();
    // The same line in product code is a finding: the test below is not vacuous.
    r.write("src/login.ts", login_test(&pw));
    let (c, t) = commit(&r);
    assert_eq!(c, 1, "{t}");
    assert!(t.contains("src/login.ts:4:"), "{t}");
    assert!(!leaks(&t, &pw), "{t}");
    r.git(&["rm", "-q", "--cached", "src/login.ts"]);
    std::fs::remove_file(r.dir.join("src/login.ts")).unwrap();

    // In a test file the name-judged fake passes.
    r.write("src/__tests__/login.test.ts", login_test(&pw));
    let before = r.commit_count();
    let (c, t) = commit(&r);
    assert_eq!(c, 0, "{t}");
    assert_eq!(r.commit_count(), before + 1);

    // A provider's token in a test file is refused.
    let token = provider_token();
    r.write(
        "src/__tests__/api.test.ts",
        format!("const client = new Octokit({{ auth: \"{token}\" }});\n"),
    );
    let before = r.commit_count();
    let (c, t) = commit(&r);
    assert_eq!(c, 1, "{t}");
    assert!(t.contains("src/__tests__/api.test.ts:1:"), "{t}");
    assert!(!leaks(&t, &token), "{t}");
    assert_eq!(r.commit_count(), before);

    // `test_files = "all"`: both are reported.
    r.write(".hygiene.toml", "[secrets]\ntest_files = \"all\"\n");
    let t = text(&r.hygiene(&["--only", "secrets", "scan", ".", "--no-color"]));
    assert!(t.contains("src/__tests__/api.test.ts:1:"), "{t}");
    assert!(t.contains("src/__tests__/login.test.ts:4:"), "{t}");
    assert!(!leaks(&t, &pw) && !leaks(&t, &token), "{t}");
}

#[test]
fn an_unknown_test_files_value_is_a_config_error_at_its_line() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    r.write(
        ".hygiene.toml",
        "[secrets]\nenabled = true\ntest_files = \"none\"\n",
    );
    let out = r.hygiene(&["check", "--no-color"]);
    let t = text(&out);
    assert_eq!(code(&out), 2, "{t}");
    assert!(t.contains(".hygiene.toml:3"), "{t}");
    assert!(t.contains("precise") && t.contains("all"), "{t}");
}
