//! The rules of the `migrations` check, as `git hygiene explain` prints them.

use super::ID;
use crate::rule::{Category, Example, Rule};

pub const REVIEW_MISSING: Rule = Rule {
    check: ID,
    id: "review-missing",
    category: Category::Process,
    summary: "a new migration without a review marker",
    explanation: r#"Reports a migration added by the change that carries no `reviewed-by: Name <email>` comment in its first lines (`header_lines`, default 20) and whose commit (at push and in ci: any commit of the range, or the MR title or description) has no `Migration-Reviewed-By: Name <email>` trailer. With [migrations] reviewers set, the reviewer must be listed. A merge request squashed on merge drops its commits' trailers, so there the MR is the place for the line; GitLab's approvals are not read (its CI variables say whether an MR is approved, not by whom).

Why: a migration runs once against production data; it deserves a second pair of eyes, and the marker records whose."#,
    examples: &[Example {
        bad: r#"-- reviewed-by: Jane Doe <jane@example.com>
ALTER TABLE orders ADD COLUMN note text;"#,
        good: None,
    }],
    advice: r#"Default: a warning at commit time (judged at commit-msg, where the trailer can be seen), an error at push and in ci."#,
};

pub const APPLIED_EDITED: Rule = Rule {
    check: ID,
    id: "applied-edited",
    category: Category::Correctness,
    summary: "an applied (published) migration edited, renamed or deleted",
    explanation: r#"Reports a change to a migration that is already published: at commit time one on the branch's upstream or the remote's default branch (with no remote fetched, one in HEAD), at push one on the remote branch or the default branch, in ci one at the merge-base with the target. A migration only local commits hold may be renamed or edited (`prisma migrate dev` regenerates the newest one). Renames count: runners key migrations by file name.

Why: databases that already ran the migration never run it again, fresh databases run the new text — the schemas drift apart silently (Flyway and Prisma refuse to start on a checksum mismatch)."#,
    examples: &[],
    advice: r#"Fix: restore the file and write a new migration. A migration that was never deployed may be allowed:
    [migrations]
    allow_edit = ["db/migrate/20240101120000_add_users.rb"]

Flyway `R__` repeatable migrations are exempt."#,
};

pub const OUT_OF_ORDER: Rule = Rule {
    check: ID,
    id: "out-of-order",
    category: Category::Correctness,
    summary: "a new migration whose version is not after every migration in the base",
    explanation: r#"Reports a new migration whose version or timestamp sorts before the newest migration of its folder in the base — typically a branch created before someone else's migration was merged.

Why: runners that track the highest version applied skip it, and others apply migrations in a different order than developers tested."#,
    examples: &[],
    advice: r#"Fix: regenerate the migration (or rename it) with a current timestamp/number."#,
};

pub const DUPLICATE_VERSION: Rule = Rule {
    check: ID,
    id: "duplicate-version",
    category: Category::Correctness,
    summary: "two migrations of one folder share a version",
    explanation: r#"Reports a new migration whose version equals another migration's in the same folder (two Django `0005_*.py`, two Flyway `V5__*.sql`)."#,
    examples: &[],
    advice: r#"Fix: renumber one of them; for Django run `makemigrations --merge`."#,
};

pub const ALEMBIC_HEADS: Rule = Rule {
    check: ID,
    id: "alembic-heads",
    category: Category::Correctness,
    summary: "the Alembic revision graph has more than one head",
    explanation: r#"Parses `revision` and `down_revision` of every script in the versions folder the change touches and reports more than one head (a revision no other revision follows).

Why: `alembic upgrade head` refuses to run with several heads; this is what happens when two branches each add a migration after the same revision."#,
    examples: &[],
    advice: r#"Fix: set the new migration's down_revision to the current head, or `alembic merge heads`."#,
};

pub const UNPAIRED: Rule = Rule {
    check: ID,
    id: "unpaired",
    category: Category::Correctness,
    summary: "a golang-migrate up migration without its down migration (or the reverse)",
    explanation: r#"golang-migrate expects `N_name.up.sql` and `N_name.down.sql` side by side."#,
    examples: &[],
    advice: r#"Fix: add the missing file (it may be empty)."#,
};

pub const DESTRUCTIVE: Rule = Rule {
    check: ID,
    id: "destructive",
    category: Category::Correctness,
    summary: "a statement that drops, truncates, renames or rewrites data without approval",
    explanation: r#"Reports, in the added lines of a migration (not in its down/downgrade part): DROP TABLE/COLUMN/SCHEMA/DATABASE, TRUNCATE, column type changes (ALTER COLUMN … TYPE, MODIFY, CHANGE), RENAME of tables or columns, DELETE or UPDATE without WHERE — and the framework calls that do the same (op.drop_column, op.drop_table, migrations.RemoveField, DeleteModel, RenameField, remove_column, rename_column, change_column, dropColumn, removeColumn, …), including SQL passed to execute/RunSQL/query. SQL is read by a lexer: text in comments, strings, quoted identifiers and dollar-quoted bodies is not a statement.

Why: running code may still read the column; the data is gone for good."#,
    examples: &[],
    advice: r#"Fix: after checking, approve it in the file:
    -- hygiene: destructive-approved (backed up in 0041, unused since v2.3)
    ALTER TABLE users DROP COLUMN legacy_id;"#,
};

pub const LOCKING: Rule = Rule {
    check: ID,
    id: "locking",
    category: Category::Correctness,
    summary: "a Postgres operation that locks a table for its duration (warning)",
    explanation: r#"Warns on CREATE INDEX without CONCURRENTLY, ADD COLUMN … NOT NULL without DEFAULT, and foreign keys added without NOT VALID — unless the table is created in the same file.

Why: on a large table these block writes (or reads) for minutes."#,
    examples: &[],
    advice: r#"Fix: CREATE INDEX CONCURRENTLY; add the column nullable, backfill, then SET NOT NULL; add the foreign key NOT VALID and VALIDATE CONSTRAINT later. Off with [migrations] locking = false (other databases)."#,
};

pub const UNPARSEABLE: Rule = Rule {
    check: ID,
    id: "unparseable",
    category: Category::Note,
    summary: "a migration that could not be read (warning)",
    explanation: r#"An unterminated string, comment or bracket, or an Alembic script without `revision`/`down_revision`: the other rules could not look inside it. The finding names the file and the line where the construct starts."#,
    examples: &[],
    advice: "",
};

/// Every rule of this check, in the order `git hygiene rules` lists them.
pub const RULES: &[&Rule] = &[
    &REVIEW_MISSING,
    &APPLIED_EDITED,
    &OUT_OF_ORDER,
    &DUPLICATE_VERSION,
    &ALEMBIC_HEADS,
    &UNPAIRED,
    &DESTRUCTIVE,
    &LOCKING,
    &UNPARSEABLE,
];
