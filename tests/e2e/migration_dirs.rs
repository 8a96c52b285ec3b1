//! End-to-end: `[[migrations.dirs]]`, one migration directory per service, each judged by its
//! own framework's rules, in directories the built-in layouts would not find or would split.

use crate::support::*;

const CONFIG: &str = "[[migrations.dirs]]\npath = \"services/billing/db\"\nframework = \"flyway\"\ndatabase = \"postgres\"\n\n[[migrations.dirs]]\npath = \"services/ledger/schema/revisions\"\nframework = \"alembic\"\ndatabase = \"mysql\"\n";

const REVIEWED_SQL: &str = "-- reviewed-by: Jane Doe <jane@example.com>\n";

fn alembic(rev: &str, down: &str, reviewed: bool) -> String {
    let marker = if reviewed {
        "reviewed-by: Jane Doe <jane@example.com>\n"
    } else {
        ""
    };
    format!("\"\"\"{rev}\n{marker}\"\"\"\nrevision = '{rev}'\ndown_revision = {down}\n\ndef upgrade():\n    pass\n")
}

/// Two services: billing's Flyway scripts spread over yearly folders (one series for Flyway,
/// which searches its location recursively), ledger's Alembic revisions in `schema/revisions`.
fn two_services(sb: &Sandbox) -> Repo<'_> {
    let r = sb.repo("r");
    r.write(".hygiene.toml", CONFIG);
    r.write(
        "services/billing/db/2024/V1__init.sql",
        format!("{REVIEWED_SQL}CREATE TABLE invoice (id int);\n"),
    );
    r.write(
        "services/billing/db/2025/V3__paid.sql",
        format!("{REVIEWED_SQL}CREATE TABLE paid (id int);\n"),
    );
    r.write(
        "services/ledger/schema/revisions/a1.py",
        alembic("a1", "None", true),
    );
    r.write(
        "services/ledger/schema/revisions/b2.py",
        alembic("b2", "'a1'", true),
    );
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r.install();
    r
}

#[test]
fn each_directory_is_ordered_by_its_own_framework() {
    let sb = Sandbox::new();
    let r = two_services(&sb);
    // Flyway: V2 beside V1 is still after V3 of the other folder: one location, one series
    // (the built-in layouts take each folder as a series and would let it through).
    let v2 = "services/billing/db/2024/V2__late.sql";
    r.write(v2, format!("{REVIEWED_SQL}CREATE TABLE late (id int);\n"));
    r.git(&["add", v2]);
    let out = r.commit("feat: late table");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/out-of-order"), "{t}");
    assert!(t.contains(v2) && t.contains("2025/V3__paid.sql"), "{t}");
    r.git(&["rm", "-q", "--cached", v2]);
    std::fs::remove_file(r.dir.join(v2)).unwrap();

    // Alembic: a second revision after a1 makes two heads, in the ledger's own series.
    let c3 = "services/ledger/schema/revisions/c3.py";
    r.write(c3, alembic("c3", "'a1'", true));
    r.git(&["add", c3]);
    let out = r.commit("feat: c3");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/alembic-heads"), "{t}");
    r.write(c3, alembic("c3", "'b2'", true));
    r.git(&["add", c3]);
    assert_exit(&r.commit("feat: c3"), 0);

    // Flyway's V4 is in order.
    let v4 = "services/billing/db/2025/V4__next.sql";
    r.write(v4, format!("{REVIEWED_SQL}CREATE TABLE next (id int);\n"));
    r.git(&["add", v4]);
    assert_exit(&r.commit("feat: next"), 0);
}

#[test]
fn review_markers_and_database_rules_follow_each_directory() {
    let sb = Sandbox::new();
    let r = two_services(&sb);
    let base = r.head();
    // Unreviewed in both services; both use an index without CONCURRENTLY.
    r.write(
        "services/billing/db/2025/V4__idx.sql",
        "CREATE INDEX invoice_id ON invoice (id);\n",
    );
    r.write(
        "services/ledger/schema/revisions/c3.py",
        alembic("c3", "'b2'", false),
    );
    // Named like golang-migrate, but in the Flyway directory: Flyway would not run it.
    r.write("services/billing/db/5_x.up.sql", "DROP TABLE invoice;\n");
    r.git(&["add", "-A"]);
    r.commit_no_verify("feat: indexes");
    let out = r.hygiene(&["ci", "--base", &base, "--format", "json"]);
    assert_exit(&out, 1);
    let found: Vec<(String, String)> = json_findings(&out)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["path"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let has = |rule: &str, path: &str| found.iter().any(|(r, p)| r == rule && p == path);
    assert!(
        has("review-missing", "services/billing/db/2025/V4__idx.sql"),
        "{found:?}"
    );
    assert!(
        has("review-missing", "services/ledger/schema/revisions/c3.py"),
        "{found:?}"
    );
    // Postgres lock rules for billing (database = "postgres").
    assert!(
        has(
            "index-not-concurrent",
            "services/billing/db/2025/V4__idx.sql"
        ),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, p)| p.ends_with("5_x.up.sql")),
        "not a Flyway migration: {found:?}"
    );

    // A reviewed ledger revision passes its review rule.
    r.write(
        "services/ledger/schema/revisions/c3.py",
        alembic("c3", "'b2'", true),
    );
    r.git(&["add", "-A"]);
    r.commit_no_verify("fix: review");
    let out = r.hygiene(&["ci", "--base", &base, "--format", "json"]);
    let found = json_findings(&out);
    assert!(
        !found
            .iter()
            .any(|f| f["path"] == "services/ledger/schema/revisions/c3.py"),
        "{found:?}"
    );
}

#[test]
fn the_database_decides_the_lock_rules() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        ".hygiene.toml",
        "[[migrations.dirs]]\npath = \"svc/a/sql\"\nframework = \"sql\"\ndatabase = \"mysql\"\n\n[[migrations.dirs]]\npath = \"svc/b/sql\"\nframework = \"sql\"\n",
    );
    r.write(
        "svc/a/sql/001_init.sql",
        format!("{REVIEWED_SQL}SELECT 1;\n"),
    );
    r.write(
        "svc/b/sql/001_init.sql",
        format!("{REVIEWED_SQL}SELECT 1;\n"),
    );
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r.install();
    for dir in ["svc/a/sql", "svc/b/sql"] {
        r.write(
            &format!("{dir}/002_idx.sql"),
            format!("{REVIEWED_SQL}CREATE INDEX i ON t (a);\n"),
        );
    }
    r.git(&["add", "-A"]);
    let out = r.hygiene(&["check", "--format", "json"]);
    let paths: Vec<String> = json_findings(&out)
        .iter()
        .filter(|f| f["rule"] == "index-not-concurrent")
        .map(|f| f["path"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(paths, ["svc/b/sql/002_idx.sql"], "{}", text(&out));
}

#[test]
fn unknown_framework_and_missing_directory_are_located_errors() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.add_commit("README.md", "x\n", "chore: init");
    r.write(
        ".hygiene.toml",
        "[migrations]\n\n[[migrations.dirs]]\npath = \"db\"\nframework = \"liquibase\"\n",
    );
    let out = r.hygiene(&["check"]);
    assert_exit(&out, 2);
    assert!(text(&out).contains(".hygiene.toml:5:"), "{}", text(&out));
    assert!(text(&out).contains("liquibase"), "{}", text(&out));

    r.write(
        ".hygiene.toml",
        "[[migrations.dirs]]\npath = \"services/nope/db\"\nframework = \"flyway\"\n",
    );
    let out = r.hygiene(&["check"]);
    assert_exit(&out, 2);
    let t = text(&out);
    assert!(
        t.contains(".hygiene.toml:2:") && t.contains("services/nope/db"),
        "{t}"
    );

    r.write(
        ".hygiene.toml",
        "[[migrations.dirs]]\npath = \"../outside\"\nframework = \"flyway\"\n",
    );
    let out = r.hygiene(&["check"]);
    assert_exit(&out, 2);
    assert!(
        text(&out).contains("outside the repository"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_directory_may_name_its_own_reviewers() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        ".hygiene.toml",
        "[migrations]\nreviewers = [\"jane@example.com\"]\n\n[[migrations.dirs]]\npath = \"services/billing/db\"\nframework = \"flyway\"\nreviewers = [\"dba@example.com\"]\n\n[[migrations.dirs]]\npath = \"services/ledger/sql\"\nframework = \"golang-migrate\"\n",
    );
    r.write("services/billing/db/V1__init.sql", "SELECT 1;\n");
    r.write("services/ledger/sql/1_init.up.sql", "SELECT 1;\n");
    r.write("services/ledger/sql/1_init.down.sql", "SELECT 1;\n");
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    let base = r.head();
    // Jane reviewed both: enough for the ledger (the global list), not for billing (its DBA).
    r.write(
        "services/billing/db/V2__more.sql",
        format!("{REVIEWED_SQL}SELECT 2;\n"),
    );
    r.write(
        "services/ledger/sql/2_more.up.sql",
        format!("{REVIEWED_SQL}SELECT 2;\n"),
    );
    r.write("services/ledger/sql/2_more.down.sql", "SELECT 1;\n");
    r.git(&["add", "-A"]);
    r.commit_no_verify("feat: more");
    let out = r.hygiene(&["ci", "--base", &base, "--format", "json"]);
    let missing: Vec<String> = json_findings(&out)
        .iter()
        .filter(|f| f["rule"] == "review-missing")
        .map(|f| f["path"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        missing,
        ["services/billing/db/V2__more.sql"],
        "{}",
        text(&out)
    );

    // The DBA's trailer on a commit of the range covers billing.
    r.add_commit(
        "notes.txt",
        "x\n",
        "docs: note\n\nMigration-Reviewed-By: Dee Bea <dba@example.com>",
    );
    assert_exit(&r.hygiene(&["ci", "--base", &base]), 0);
}

/// The same Flyway directory named by the service's own nested config, relative to it: the
/// entry is rewritten onto the root when the configs are layered.
#[test]
fn a_nested_config_names_its_directory_relative_to_itself() {
    let sb = Sandbox::new();
    let r = sb.repo("r");
    r.write(
        "services/billing/.hygiene.toml",
        "[[migrations.dirs]]\npath = \"db\"\nframework = \"flyway\"\n",
    );
    r.write(
        "services/billing/db/2025/V3__paid.sql",
        format!("{REVIEWED_SQL}CREATE TABLE paid (id int);\n"),
    );
    r.git(&["add", "-A"]);
    r.commit_no_verify("chore: init");
    r.install();
    let show = r.hygiene(&["config", "--show", "services/billing/db/x.sql"]);
    assert!(
        text(&show).contains("services/billing/db"),
        "{}",
        text(&show)
    );
    let v2 = "services/billing/db/2024/V2__late.sql";
    r.write(v2, format!("{REVIEWED_SQL}CREATE TABLE late (id int);\n"));
    r.git(&["add", v2]);
    let out = r.commit("feat: late table");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/out-of-order"), "{t}");
}
