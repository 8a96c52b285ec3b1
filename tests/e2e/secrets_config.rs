//! End-to-end: passwords in configuration and credential files, placeholders, and documentation
//! examples, judged by the secrets check at a real `git commit`. Values are assembled at run time.

use crate::support::*;

/// A passphrase of words: too regular for the generic rule, a leak in a config file all the same.
fn passphrase() -> String {
    ["maple", "-harbor", "-copper", "-42"].concat()
}

fn refused_with_redacted_value(r: &Repo<'_>, at: &str, value: &str) {
    r.git(&["add", "-A"]);
    let before = r.commit_count();
    let out = r.commit("chore: add settings");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains(at), "expected a finding at {at}:\n{t}");
    assert!(t.contains("[redacted]"), "{t}");
    assert!(
        !leaks(&t, value),
        "the value must never be printed whole:\n{t}"
    );
    assert_eq!(r.commit_count(), before, "nothing may be committed");
}

fn accepted(r: &Repo<'_>) {
    r.git(&["add", "-A"]);
    let before = r.commit_count();
    let out = r.commit("chore: add settings");
    assert_exit(&out, 0);
    assert_eq!(r.commit_count(), before + 1);
}

fn repo(sb: &Sandbox) -> Repo<'_> {
    let r = sb.repo("r");
    r.add_commit("README.md", "hello\n", "init");
    r.install();
    r
}

#[test]
fn a_pgpass_with_a_password_is_refused_and_with_a_placeholder_accepted() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    let pw = passphrase();
    r.write(
        ".pgpass",
        format!("# backups\ndb.internal:5432:*:backup:{pw}\n"),
    );
    refused_with_redacted_value(&r, ".pgpass:2:", &pw);
    let t = text(&r.hygiene(&["check", "--no-color"]));
    assert!(t.contains("secrets/pgpass-password"), "{t}");
    r.write(
        ".pgpass",
        "# backups\ndb.internal:5432:*:backup:<password>\n",
    );
    accepted(&r);
}

#[test]
fn a_literal_password_in_env_and_yaml_is_refused_whatever_its_entropy() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    // `.env` files are forbidden by name; here their content is what is judged.
    r.write(".hygiene.toml", "[secrets]\nforbidden_files = false\n");
    r.git(&["add", ".hygiene.toml"]);
    r.commit_no_verify("chore: config");
    let pw = passphrase();
    r.write(".env", format!("APP_ENV=production\nDB_PASSWORD={pw}\n"));
    refused_with_redacted_value(&r, ".env:2:", &pw);
    r.write(".env", "APP_ENV=production\nDB_PASSWORD=${DB_PASSWORD}\n");
    accepted(&r);
    r.write(
        "docker-compose.yml",
        format!("services:\n  db:\n    environment:\n      MYSQL_ROOT_PASSWORD: \"{pw}\"\n"),
    );
    refused_with_redacted_value(&r, "docker-compose.yml:4:", &pw);
    // The same literal in program code is judged by the stricter generic rule: not random.
    r.write(
        "docker-compose.yml",
        "services:\n  db:\n    image: mysql:8\n",
    );
    r.write("src/seed.py", format!("password = \"{pw}\"\n"));
    accepted(&r);
}

#[test]
fn placeholders_and_emulator_keys_in_config_files_are_accepted() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    let azurite = [
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/",
        "K1SZFPTOtr/KBHBeksoGMGw==",
    ]
    .concat();
    r.write(
        "config/app.yml",
        format!(
            "db:\n  password: \"{{{{ .Values.db.password }}}}\"\n  url: postgres://[user]:[password]@db:5432/app\n\
             smtp:\n  password: '%env(SMTP_PASSWORD)%'\n  token: !Ref SmtpToken\n\
             api_token: API_TOKEN\nsecret: secret\nmasked: '********'\n\
             storage_key: {azurite}\nminio_password: minioadmin\n"
        ),
    );
    accepted(&r);
}

#[test]
fn documentation_examples_are_accepted_and_a_provider_token_in_them_is_not() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    let pw = passphrase();
    r.write(
        "docs/api.md",
        format!(
            "## Log in\n\n```http\nPOST /login\nAuthorization: Bearer Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1\n\n\
             {{\"username\": \"jane\", \"password\": \"{pw}Xq9\"}}\n```\n\n\
             ```yaml\nheaders:\n  Authorization: BILLING_API_TOKEN\nkey: 'YYYYMMDD_HHMM'\n```\n"
        ),
    );
    accepted(&r);
    let token = ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat();
    r.write(
        "docs/deploy.md",
        format!("The bot's token:\n\n```\nGITHUB_TOKEN={token}\n```\n"),
    );
    refused_with_redacted_value(&r, "docs/deploy.md:4:", &token);
}

/// A development default: the password is the user's name with an ascending digit run after
/// it, in a CI workflow and in a docs page's prose. Digits that do not count up make it a
/// password again, so the test is not vacuous.
#[test]
fn a_password_of_the_user_name_and_an_ascending_run_is_a_development_default() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    let (user, login) = (["qa-", "blob", "store"].concat(), ["lab", "admin"].concat());
    let workflow = |pw: &str| {
        format!(
            "jobs:\n  it:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          \
             echo \"BLOB_SECRET_KEY={pw}\" >> .env\n      \
             - run: docker run -d -e STORE_ROOT_USER={user} blobstore:latest\n"
        )
    };
    let page = |pw: &str| format!("Sign in with:\n\n- Username: `{login}`\n- Password: `{pw}`\n");
    r.write(".github/workflows/it.yml", workflow(&format!("{user}123")));
    r.write("docs/local-stack.md", page(&format!("{login}1234")));
    accepted(&r);
    let pw = format!("{user}739");
    r.write(".github/workflows/it.yml", workflow(&pw));
    refused_with_redacted_value(&r, ".github/workflows/it.yml:6:", &pw);
    r.git(&["reset", "--hard", "-q"]);
    let pw = format!("{login}7302");
    r.write("docs/local-stack.md", page(&pw));
    refused_with_redacted_value(&r, "docs/local-stack.md:4:", &pw);
}

/// A password hash in a documentation page's code block shows the format (a guide's console
/// output, an htpasswd line); the same hash in the page's prose is still reported.
#[test]
fn a_password_hash_in_a_docs_code_block_is_an_example() {
    let sb = Sandbox::new();
    let r = repo(&sb);
    let hash = [
        "$2a$04$",
        "Qm7vR2xK9tLp4Wz8",
        "Hn2LxR9vK4mW8tZ3bC6pY1",
        "dF5gJ0sA3e",
    ]
    .concat();
    r.write(
        "docs/accounts.md",
        format!("# Accounts\n\n```irb\nirb> user.password_digest\n=> \"{hash}\"\n```\n"),
    );
    r.write(
        "docs/cvs.adoc",
        format!("The file holds one user a line:\n\n----\n   ops:{hash}\n----\n"),
    );
    accepted(&r);
    r.write(
        "docs/accounts.md",
        format!("# Accounts\n\nThe admin's line is ops:{hash} today.\n"),
    );
    refused_with_redacted_value(&r, "docs/accounts.md:3:", &hash);
}
