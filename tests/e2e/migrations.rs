//! End-to-end: the `migrations` check on real repositories, at commit and in ci.

use crate::support::*;

const PRISMA: &str = "prisma/migrations/20240301120000_add_orders/migration.sql";

fn base_repo(sb: &Sandbox) -> Repo<'_> {
    let r = sb.repo("r");
    r.add_commit("README.md", "app\n", "chore: init CU-86b2xk4pq");
    r
}

#[test]
fn unreviewed_prisma_migration_warns_at_commit_and_fails_ci() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.install();
    r.git(&["checkout", "-q", "-b", "feature/CU-86b2xk4pq-orders"]);
    r.write(PRISMA, "CREATE TABLE \"Order\" (id int);\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: add orders table CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 0, "a warning does not block the commit:\n{t}");
    assert!(t.contains("migrations/review-missing"), "{t}");
    assert!(t.contains(PRISMA), "{t}");

    let out = r.hygiene(&["ci", "--base", BRANCH]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "ci blocks an unreviewed migration:\n{t}");
    assert!(t.contains("migrations/review-missing"), "{t}");

    // The MR description can carry the trailer.
    let out = r.hygiene(&[
        "ci",
        "--base",
        BRANCH,
        "--description",
        "Adds orders.\n\nMigration-Reviewed-By: Jane Doe <jane@example.com>",
    ]);
    assert_exit(&out, 0);
}

#[test]
fn review_marker_in_file_or_trailer_passes() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.install();
    r.write(
        PRISMA,
        "-- reviewed-by: Jane Doe <jane@example.com>\nCREATE TABLE \"Order\" (id int);\n",
    );
    r.git(&["add", "."]);
    let out = r.commit("feat: add orders CU-86b2xk4pq");
    assert_exit(&out, 0);
    assert!(!text(&out).contains("review-missing"), "{}", text(&out));

    r.write(
        "prisma/migrations/20240302120000_add_items/migration.sql",
        "CREATE TABLE item (id int);\n",
    );
    r.git(&["add", "."]);
    let out = r.commit(
        "feat: add items CU-86b2xk4pq\n\nMigration-Reviewed-By: Jane Doe <jane@example.com>",
    );
    assert_exit(&out, 0);
    assert!(!text(&out).contains("review-missing"), "{}", text(&out));
}

const ALEMBIC_A: &str = "\"\"\"create users\n\nRevision ID: a1\nreviewed-by: Jane Doe <jane@example.com>\n\"\"\"\nfrom alembic import op\n\nrevision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n    op.create_table('users')\n\n\ndef downgrade():\n    op.drop_table('users')\n";

#[test]
fn editing_an_applied_alembic_migration_fails() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.add_commit(
        "alembic/versions/a1_create_users.py",
        ALEMBIC_A,
        "feat: users CU-86b2xk4pq",
    );
    r.install();
    r.write(
        "alembic/versions/a1_create_users.py",
        ALEMBIC_A.replace("create_table('users')", "create_table('accounts')"),
    );
    r.git(&["add", "."]);
    let out = r.commit("fix: rename table CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/applied-edited"), "{t}");
    assert!(t.contains("alembic/versions/a1_create_users.py"), "{t}");

    // Allowed for that file in config: passes.
    r.write(
        ".hygiene.toml",
        "[migrations]\nallow_edit = [\"alembic/versions/a1_create_users.py\"]\n",
    );
    r.git(&["add", "."]);
    let out = r.commit("fix: rename table CU-86b2xk4pq");
    assert_exit(&out, 0);

    // Deleting one is an error too.
    r.git(&["rm", "-q", "alembic/versions/a1_create_users.py"]);
    r.write(".hygiene.toml", "");
    r.git(&["add", "."]);
    let out = r.commit("chore: drop migration CU-86b2xk4pq");
    assert_exit(&out, 1);
    assert!(text(&out).contains("deleted"), "{}", text(&out));
}

fn alembic(rev: &str, down: &str) -> String {
    format!("\"\"\"{rev}\nreviewed-by: Jane Doe <jane@example.com>\n\"\"\"\nrevision = '{rev}'\ndown_revision = {down}\n\ndef upgrade():\n    pass\n")
}

#[test]
fn two_alembic_heads_fail() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.add_commit(
        "migrations/versions/a1.py",
        &alembic("a1", "None"),
        "feat: a1 CU-86b2xk4pq",
    );
    r.add_commit(
        "migrations/versions/b2.py",
        &alembic("b2", "'a1'"),
        "feat: b2 CU-86b2xk4pq",
    );
    r.install();
    // A branch made before b2 adds c3 after a1: two heads.
    r.write("migrations/versions/c3.py", alembic("c3", "'a1'"));
    r.git(&["add", "."]);
    let out = r.commit("feat: c3 CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/alembic-heads"), "{t}");
    assert!(t.contains("b2") && t.contains("c3"), "{t}");

    r.write("migrations/versions/c3.py", alembic("c3", "'b2'"));
    r.git(&["add", "."]);
    let out = r.commit("feat: c3 CU-86b2xk4pq");
    assert_exit(&out, 0);
}

#[test]
fn drop_column_in_string_or_comment_is_not_flagged_but_a_real_one_is() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.install();
    let harmless = "-- reviewed-by: Jane Doe <jane@example.com>\n-- ALTER TABLE users DROP COLUMN email;\n/* DROP TABLE users; */\nINSERT INTO audit (note) VALUES ('ALTER TABLE users DROP COLUMN email');\nCREATE FUNCTION f() RETURNS void AS $$ BEGIN TRUNCATE users; END $$ LANGUAGE plpgsql;\n";
    r.write("db/migrations/000001_audit.up.sql", harmless);
    r.write("db/migrations/000001_audit.down.sql", "DROP TABLE audit;\n");
    r.git(&["add", "."]);
    let out = r.commit("feat: audit note CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 0, "{t}");
    assert!(!t.contains("destructive"), "{t}");

    let real =
        "-- reviewed-by: Jane Doe <jane@example.com>\nALTER TABLE users\n  DROP COLUMN email;\n";
    r.write("db/migrations/000002_drop_email.up.sql", real);
    r.write(
        "db/migrations/000002_drop_email.down.sql",
        "ALTER TABLE users ADD COLUMN email text;\n",
    );
    r.git(&["add", "."]);
    let out = r.commit("feat: drop email CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/destructive"), "{t}");
    assert!(
        t.contains("db/migrations/000002_drop_email.up.sql:3"),
        "{t}"
    );

    r.write(
        "db/migrations/000002_drop_email.up.sql",
        format!("-- hygiene: destructive-approved (unused since v2)\n{real}"),
    );
    r.git(&["add", "."]);
    let out = r.commit("feat: drop email CU-86b2xk4pq");
    assert_exit(&out, 0);
}

#[test]
fn out_of_order_and_unpaired_and_unparseable() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.add_commit(
        "db/migrate/20240105000000_b.rb",
        "# reviewed-by: Jane Doe <jane@example.com>\nclass B < ActiveRecord::Migration[7.1]\nend\n",
        "feat: b CU-86b2xk4pq",
    );
    r.install();
    r.write(
        "db/migrate/20240101000000_a.rb",
        "# reviewed-by: Jane Doe <jane@example.com>\nclass A < ActiveRecord::Migration[7.1]\n  def change\n    remove_column :users, :email\n  end\nend\n",
    );
    r.write(
        "m/000001_x.up.sql",
        "-- reviewed-by: Jane Doe <jane@example.com>\nSELECT 1;\n",
    );
    r.write(
        "migrations/0001_broken.sql",
        "CREATE TABLE t (a text DEFAULT 'oops);\n",
    );
    r.git(&["add", "."]);
    let out = r.commit("feat: late migration CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(t.contains("migrations/out-of-order"), "{t}");
    assert!(t.contains("20240105000000_b.rb"), "{t}");
    assert!(t.contains("migrations/unpaired"), "{t}");
    assert!(t.contains("migrations/destructive"), "{t}");
    assert!(t.contains("remove_column"), "{t}");
    assert!(t.contains("migrations/unparseable"), "{t}");
    assert!(t.contains("migrations/0001_broken.sql"), "{t}");
}

#[test]
fn push_blocks_an_unreviewed_migration_and_an_edited_applied_one() {
    let sb = Sandbox::new();
    let remote = sb.bare("remote.git");
    let r = base_repo(&sb);
    r.add_commit(
        "db/migrate/20240101000000_a.rb",
        "# reviewed-by: Jane Doe <jane@example.com>\nclass A < ActiveRecord::Migration[7.1]\nend\n",
        "feat: a CU-86b2xk4pq",
    );
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r.git(&["push", "-q", "origin", BRANCH]);
    r.install();
    r.add_commit(
        "db/migrate/20240201000000_b.rb",
        "class B < ActiveRecord::Migration[7.1]\nend\n",
        "feat: b CU-86b2xk4pq",
    );
    let out = r.git_out(&["push", "-q", "origin", BRANCH]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("migrations/review-missing"), "{t}");

    // Reviewed by a trailer on a later commit of the push, but the applied migration was edited.
    r.write(
        "db/migrate/20240101000000_a.rb",
        "# reviewed-by: Jane Doe <jane@example.com>\nclass A < ActiveRecord::Migration[7.2]\nend\n",
    );
    r.git(&["add", "."]);
    r.commit_no_verify(
        "fix: bump CU-86b2xk4pq\n\nMigration-Reviewed-By: Jane Doe <jane@example.com>",
    );
    let out = r.git_out(&["push", "-q", "origin", BRANCH]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(!t.contains("review-missing"), "{t}");
    assert!(t.contains("migrations/applied-edited"), "{t}");
}

/// A migration too large to read whole (a data load of 9 MiB, `max_file_size` raised): the
/// commit and ci get a warning that its statements were not checked, ci still reads its review
/// marker from its head, and a token in it is still found by the secrets check.
#[test]
fn a_migration_too_large_to_read_whole_is_reported_not_checked() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.write(
        ".hygiene.toml",
        "[hygiene]\nmax_file_size = \"1 GiB\"\n[secrets]\nmax_file_size = \"1 GiB\"\n",
    );
    r.git(&["add", "."]);
    r.commit_no_verify("chore: limits CU-86b2xk4pq");
    r.install();
    r.git(&["checkout", "-q", "-b", "feature/CU-86b2xk4pq-items"]);
    let mut sql = String::from("-- reviewed-by: Jane Doe <jane@example.com>\nDROP TABLE legacy;\n");
    while sql.len() < 9 << 20 {
        sql.push_str("INSERT INTO items (id, name) VALUES (1, 'lorem ipsum dolor sit amet');\n");
    }
    let token = ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat();
    sql.push_str(&format!("-- {token}\n"));
    r.write(PRISMA, &sql);
    r.git(&["add", "."]);
    let out = r.commit("feat: load items CU-86b2xk4pq");
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("migrations/unparseable") && t.contains("too large to read whole"),
        "{t}"
    );
    assert!(t.contains("secrets/github-pat"), "{t}");
    r.commit_no_verify("feat: load items CU-86b2xk4pq");
    let out = r.hygiene(&["ci", "--base", BRANCH]);
    let t = text(&out);
    assert_eq!(code(&out), 1, "{t}");
    assert!(
        t.contains("migrations/unparseable") && t.contains("secrets/github-pat"),
        "{t}"
    );
    assert!(
        !t.contains("review-missing"),
        "the marker is in the first lines:\n{t}"
    );
}

// A migration is applied once it is published (issue 15): on the branch's upstream or the
// remote's default branch, not merely in a local commit.

const INIT: &str = "prisma/migrations/20240101000000_init/migration.sql";
const INIT_RENAMED: &str = "prisma/migrations/20240102000000_init/migration.sql";
const INIT_SQL: &str = "-- reviewed-by: Jane Doe <jane@example.com>\nCREATE TABLE \"User\" (\n  id int,\n  name text,\n  email text,\n  created_at timestamp\n);\n";

fn init_edited() -> String {
    INIT_SQL.replace("  created_at timestamp", "  created_at timestamptz")
}

/// `git mv` of `from` to `to` and an edit of it, staged: what `prisma migrate dev` does when it
/// regenerates the newest migration.
fn regenerate(r: &Repo<'_>, from: &str, to: &str) {
    r.write(to, "");
    r.git(&["rm", "-q", "--cached", "--", from]);
    std::fs::remove_file(r.dir.join(from)).expect("remove");
    r.write(to, init_edited());
    r.git(&["add", "-A"]);
}

fn with_remote(sb: &Sandbox) -> Repo<'_> {
    let remote = sb.bare("remote.git");
    let r = base_repo(sb);
    r.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
    r
}

#[track_caller]
fn assert_applied_edited(out: &std::process::Output, path: &str) {
    let t = text(out);
    assert_eq!(code(out), 1, "{t}");
    assert!(t.contains("migrations/applied-edited"), "{t}");
    assert!(t.contains(path), "{t}");
}

#[track_caller]
fn assert_not_applied(out: &std::process::Output) {
    let t = text(out);
    assert_eq!(code(out), 0, "{t}");
    assert!(!t.contains("applied-edited"), "{t}");
}

#[test]
fn editing_a_pushed_prisma_migration_is_refused_at_commit() {
    let sb = Sandbox::new();
    let r = with_remote(&sb);
    r.add_commit(INIT, INIT_SQL, "feat: users CU-86b2xk4pq");
    r.git(&["push", "-q", "-u", "origin", BRANCH]);
    r.install();
    r.write(INIT, init_edited());
    r.git(&["add", "."]);
    assert_applied_edited(&r.commit("fix: timestamptz CU-86b2xk4pq"), INIT);
}

#[test]
fn an_unpushed_prisma_migration_may_be_regenerated_until_it_is_pushed() {
    let sb = Sandbox::new();
    let r = with_remote(&sb);
    r.git(&["push", "-q", "-u", "origin", BRANCH]);
    r.install();
    r.write(INIT, INIT_SQL);
    r.git(&["add", "."]);
    assert_exit(&r.commit("feat: users CU-86b2xk4pq"), 0);

    // Only a local commit holds it: renamed and edited, it is still the user's own.
    regenerate(&r, INIT, INIT_RENAMED);
    let out = r.commit("feat: users CU-86b2xk4pq");
    assert_not_applied(&out);
    assert!(
        r.git(&["ls-files"]).contains(INIT_RENAMED),
        "{}",
        text(&out)
    );

    // Pushed, it is applied.
    let out = r.git_out(&["push", "-q", "origin", BRANCH]);
    assert_exit(&out, 0);
    regenerate(&r, INIT_RENAMED, INIT);
    r.write(INIT, INIT_SQL);
    r.git(&["add", "-A"]);
    assert_applied_edited(&r.commit("feat: users again CU-86b2xk4pq"), INIT_RENAMED);
}

#[test]
fn without_an_upstream_the_remote_default_branch_holds_the_applied_migrations() {
    let sb = Sandbox::new();
    let r = with_remote(&sb);
    r.add_commit(INIT, INIT_SQL, "feat: users CU-86b2xk4pq");
    // origin/main holds it; the branch itself was never pushed and tracks nothing.
    r.git(&["push", "-q", "origin", &format!("{BRANCH}:main")]);
    r.add_commit(
        "prisma/migrations/20240201000000_orders/migration.sql",
        "-- reviewed-by: Jane Doe <jane@example.com>\nCREATE TABLE \"Order\" (\n  id int,\n  total int,\n  note text\n);\n",
        "feat: orders CU-86b2xk4pq",
    );
    r.install();

    // The local one may be regenerated.
    r.git(&[
        "mv",
        "prisma/migrations/20240201000000_orders",
        "prisma/migrations/20240202000000_orders",
    ]);
    r.write(
        "prisma/migrations/20240202000000_orders/migration.sql",
        "-- reviewed-by: Jane Doe <jane@example.com>\nCREATE TABLE \"Order\" (\n  id int,\n  total bigint,\n  note text\n);\n",
    );
    r.git(&["add", "-A"]);
    assert_not_applied(&r.commit("feat: orders CU-86b2xk4pq"));

    // The one on origin/main may not.
    r.write(INIT, init_edited());
    r.git(&["add", "."]);
    assert_applied_edited(&r.commit("fix: timestamptz CU-86b2xk4pq"), INIT);
}

#[test]
fn a_migration_merged_from_the_default_branch_is_applied_though_the_upstream_lacks_it() {
    let sb = Sandbox::new();
    let r = with_remote(&sb);
    r.git(&["push", "-q", "-u", "origin", BRANCH]);
    // Meanwhile main gained the migration, and the branch took main in without pushing since.
    r.git(&["checkout", "-q", "-b", "main"]);
    r.add_commit(INIT, INIT_SQL, "feat: users CU-86b2xk4pq");
    r.git(&["push", "-q", "origin", "main"]);
    r.git(&["checkout", "-q", BRANCH]);
    r.git(&["merge", "-q", "--ff-only", "main"]);
    r.install();
    r.write(INIT, init_edited());
    r.git(&["add", "."]);
    assert_applied_edited(&r.commit("fix: timestamptz CU-86b2xk4pq"), INIT);
}

/// With no remote nothing is known to be published: every committed migration counts as
/// applied, as before (README, Migrations).
#[test]
fn without_a_remote_a_committed_migration_is_applied() {
    let sb = Sandbox::new();
    let r = base_repo(&sb);
    r.add_commit(INIT, INIT_SQL, "feat: users CU-86b2xk4pq");
    r.install();
    regenerate(&r, INIT, INIT_RENAMED);
    assert_applied_edited(&r.commit("feat: users CU-86b2xk4pq"), INIT);
}

/// At push the default branch counts too: a branch rebased onto main and force-pushed replaces a
/// ref that never had main's migrations.
#[test]
fn a_force_push_after_a_rebase_refuses_an_edited_migration_of_the_default_branch() {
    let sb = Sandbox::new();
    let r = with_remote(&sb);
    r.git(&["push", "-q", "-u", "origin", BRANCH]);
    r.git(&["checkout", "-q", "-b", "main"]);
    r.add_commit(INIT, INIT_SQL, "feat: users CU-86b2xk4pq");
    r.git(&["push", "-q", "origin", "main"]);
    r.git(&["checkout", "-q", BRANCH]);
    r.add_commit("docs/notes.md", "notes\n", "docs: notes CU-86b2xk4pq");
    r.git(&["push", "-q", "origin", BRANCH]);
    r.git(&["rebase", "-q", "main"]);
    r.add_commit(INIT, &init_edited(), "fix: timestamptz CU-86b2xk4pq");
    r.install();
    let out = r.git_out(&["push", "-q", "--force", "origin", BRANCH]);
    let t = text(&out);
    assert_ne!(code(&out), 0, "{t}");
    assert!(t.contains("migrations/applied-edited"), "{t}");
    assert!(t.contains(INIT), "{t}");
}
