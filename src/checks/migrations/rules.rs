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

pub const REVIEW_LOST_ON_SQUASH: Rule = Rule {
    check: ID,
    id: "review-lost-on-squash",
    category: Category::Process,
    summary: "a review marker the squash merge will drop",
    explanation: r#"Reports a new migration whose only `Migration-Reviewed-By:` line is in the MR description or in the branch's own commits, when the MR is squashed on merge. The MR pipeline accepts it, but the squash commit's message is the MR title alone (GitLab's default squash template), so the target branch's own pipeline judges a commit with no marker and fails there.

Why: a pipeline that passes on the merge request and fails on main right after the merge is worse than one that says so before the merge."#,
    examples: &[Example {
        bad: r#"MR title:       feat(db): add the orders.note column
MR description: Adds the column.
                Migration-Reviewed-By: Jane Doe <jane@example.com>"#,
        good: Some(
            r#"-- reviewed-by: Jane Doe <jane@example.com>   (first lines of the migration)
ALTER TABLE orders ADD COLUMN note text;"#,
        ),
    }],
    advice: r#"Fix: put `reviewed-by: Name <email>` in the migration's first lines, which the squash keeps, or make the project's squash commit template include %{description}. Default: a warning (the MR pipeline itself passes)."#,
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
    summary: "a statement that drops, truncates or deletes data without approval",
    explanation: r#"Reports, in the added lines of a migration (not in its down/downgrade part): DROP TABLE/COLUMN/SCHEMA/DATABASE, TRUNCATE, DELETE or UPDATE without WHERE — and the framework calls that do the same (op.drop_column, op.drop_table, migrations.RemoveField, DeleteModel, remove_column, dropColumn, removeColumn, …), including SQL passed to execute/RunSQL/query. Renames and column type changes have rules of their own (`rename`, `column-type-change`). SQL is read by a lexer: text in comments, strings, quoted identifiers and dollar-quoted bodies is not a statement.

Why: running code may still read the column; the data is gone for good."#,
    examples: &[],
    advice: r#"Fix: after checking, approve it in the file:
    -- hygiene: destructive-approved (backed up in 0041, unused since v2.3)
    ALTER TABLE users DROP COLUMN legacy_id;

An approved statement is a note: listed, as "approved by `hygiene: destructive-approved`: …", by the terminal and by every report alike, and only with -v."#,
};

/// Where the Postgres lock rules apply; said once in each of their explanations.
macro_rules! postgres_only {
    () => {
        "Postgres only: a Prisma migration folder whose migration_lock.toml names another provider, or SQL quoted with MySQL backticks, is not judged by it; other migrations are taken as Postgres (turn the lock rules off with [migrations] locking = false). A table created in the same migration is new and empty, so statements on it are not reported."
    };
}

pub const VOLATILE_DEFAULT: Rule = Rule {
    check: ID,
    id: "volatile-default",
    category: Category::Correctness,
    summary: "ADD COLUMN whose default must be computed row by row (a table rewrite; warning)",
    explanation: concat!(
        r#"Reports ADD COLUMN with a volatile DEFAULT — gen_random_uuid(), random(), clock_timestamp(), nextval(), uuid_generate_v4(), any function not known to be stable —, a serial or identity column, or a stored generated column.

Why: since Postgres 11 a constant or stable default (`DEFAULT 0`, `DEFAULT now()`, `DEFAULT CURRENT_TIMESTAMP`) is stored once in the catalog and the column is added at once. A volatile one gives every existing row its own value, so Postgres rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends.

"#,
        postgres_only!()
    ),
    examples: &[Example {
        bad: r#"ALTER TABLE "User" ADD COLUMN "token" UUID NOT NULL DEFAULT gen_random_uuid();"#,
        good: Some(r#"ALTER TABLE "User" ADD COLUMN "token" UUID;"#),
    }],
    advice: r#"Fix: add the column without a default (or with a constant one), fill existing rows in batches, then `ALTER COLUMN … SET DEFAULT gen_random_uuid()` for new rows and, if needed, SET NOT NULL (see set-not-null)."#,
};

pub const REQUIRED_COLUMN: Rule = Rule {
    check: ID,
    id: "required-column",
    category: Category::Correctness,
    summary: "ADD COLUMN … NOT NULL without a DEFAULT (rejected on a table with rows; warning)",
    explanation: concat!(
        r#"Reports ADD COLUMN … NOT NULL with no DEFAULT (serial, identity and generated columns have one).

Why: Postgres fills the new column of every existing row with NULL, so on a table that has rows it refuses the statement (`column "…" contains null values`) and the deploy fails — worse than a lock. It passes only on an empty table, which is how it slips through development.

"#,
        postgres_only!()
    ),
    examples: &[Example {
        bad: r#"ALTER TABLE "User" ADD COLUMN "plan" TEXT NOT NULL;"#,
        good: Some(r#"ALTER TABLE "User" ADD COLUMN "plan" TEXT NOT NULL DEFAULT 'free';"#),
    }],
    advice: r#"Fix: give it a constant DEFAULT (instant since Postgres 11), or add it nullable, fill it, then SET NOT NULL (see set-not-null)."#,
};

pub const COLUMN_TYPE_CHANGE: Rule = Rule {
    check: ID,
    id: "column-type-change",
    category: Category::Correctness,
    summary: "a column's type changed without approval (a table rewrite in Postgres)",
    explanation: r#"Reports ALTER COLUMN … TYPE / SET DATA TYPE (and MySQL's MODIFY/CHANGE COLUMN, Rails change_column, Alembic alter_column(type_=…), Knex changeColumn). Not reported: a change Postgres makes without a rewrite that the migration history proves — varchar(n) to varchar(m) with m ≥ n, varchar or char to text or unbounded varchar, numeric(p,s) to numeric(q,s) with q ≥ p or to unconstrained numeric — the old type read from the same file or an earlier migration of the folder; and a column of a table created in the same migration.

Why: Postgres rewrites the table and rebuilds every index on it under an ACCESS EXCLUSIVE lock, so reads and writes wait for the whole rewrite; and running code that reads or writes the column may break on the new type. Like the destructive rule it blocks until approved; the lock text is said for Postgres migrations only."#,
    examples: &[Example {
        bad: r#"ALTER TABLE "Invoice" ALTER COLUMN "amount" SET DATA TYPE BIGINT;"#,
        good: None,
    }],
    advice: r#"Fix: add a column of the new type, fill it in batches and move the code over, then drop the old one; or, when the table is small or the change is known to need no rewrite, approve it:
    -- hygiene: destructive-approved (Invoice has 200 rows)"#,
};

pub const INDEX_NOT_CONCURRENT: Rule = Rule {
    check: ID,
    id: "index-not-concurrent",
    category: Category::Correctness,
    summary: "CREATE INDEX without CONCURRENTLY (blocks writes while it builds; warning)",
    explanation: concat!(
        r#"Reports CREATE [UNIQUE] INDEX without CONCURRENTLY.

Why: Postgres holds a SHARE lock on the table for the whole build: reads go on, but every INSERT, UPDATE and DELETE waits until the index is built — minutes on a large table. CREATE INDEX CONCURRENTLY takes a SHARE UPDATE EXCLUSIVE lock that blocks no writes (it scans twice and takes longer), but Postgres refuses it inside a transaction block (ERROR 25001). Prisma Migrate opens no transaction itself, but it sends a migration.sql as one multi-statement query, which Postgres runs as one implicit transaction: a CONCURRENTLY statement only succeeds as the only statement of its migration.

"#,
        postgres_only!()
    ),
    examples: &[Example {
        bad: r#"CREATE INDEX "Order_userId_idx" ON "Order"("userId");"#,
        good: Some(r#"CREATE INDEX CONCURRENTLY "Order_userId_idx" ON "Order"("userId");"#),
    }],
    advice: r#"Fix: write CREATE INDEX CONCURRENTLY, outside any transaction; with Prisma, in a migration of its own (`prisma migrate dev --create-only`, then edit it). A CONCURRENTLY build that fails leaves an INVALID index: drop it and run it again."#,
};

pub const CONCURRENTLY_IN_TRANSACTION: Rule = Rule {
    check: ID,
    id: "concurrently-in-transaction",
    category: Category::Correctness,
    summary: "CREATE/DROP INDEX CONCURRENTLY where Postgres refuses it: in a transaction (warning)",
    explanation: r#"Reports CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY and REINDEX … CONCURRENTLY after a BEGIN (or START TRANSACTION) the file has not closed, and, in a Prisma migration, next to any other statement.

Why: Postgres refuses these inside a transaction block (ERROR 25001: cannot run inside a transaction block), so the migration fails and, with Prisma, is recorded as failed, blocking the next deploys until resolved. Prisma opens no transaction itself, but it sends a migration.sql as one multi-statement query, which Postgres runs as one implicit transaction: only a migration whose single statement is the CONCURRENTLY one succeeds. Postgres only, like the lock rules."#,
    examples: &[Example {
        bad: "BEGIN;\nCREATE INDEX CONCURRENTLY \"Order_userId_idx\" ON \"Order\"(\"userId\");\nCOMMIT;",
        good: Some("CREATE INDEX CONCURRENTLY \"Order_userId_idx\" ON \"Order\"(\"userId\");"),
    }],
    advice: r#"Fix: give each CONCURRENTLY statement a migration of its own, with no BEGIN around it (with Prisma: `prisma migrate dev --create-only`, move the statement there)."#,
};

pub const CONSTRAINT_NOT_VALID: Rule = Rule {
    check: ID,
    id: "constraint-not-valid",
    category: Category::Correctness,
    summary: "a foreign key or check constraint added without NOT VALID (a full scan under lock; warning)",
    explanation: concat!(
        r#"Reports ADD [CONSTRAINT …] FOREIGN KEY / CHECK, and ADD COLUMN … REFERENCES, without NOT VALID.

Why: Postgres checks every existing row before the statement ends. A foreign key holds a SHARE ROW EXCLUSIVE lock on both tables while it scans, blocking their writes; a check constraint holds an ACCESS EXCLUSIVE lock, blocking reads too. With NOT VALID only new rows are checked and the lock is brief; a later VALIDATE CONSTRAINT scans under a SHARE UPDATE EXCLUSIVE lock, which blocks no reads or writes.

"#,
        postgres_only!()
    ),
    examples: &[Example {
        bad: r#"ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id");"#,
        good: Some(r#"ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") NOT VALID;"#),
    }],
    advice: r#"Fix: add it NOT VALID, then in a later migration (a transaction of its own):
    ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_userId_fkey";"#,
};

pub const KEY_WITHOUT_INDEX: Rule = Rule {
    check: ID,
    id: "key-without-index",
    category: Category::Correctness,
    summary:
        "a primary key or unique constraint that builds its index under an exclusive lock (warning)",
    explanation: concat!(
        r#"Reports ADD [CONSTRAINT …] PRIMARY KEY / UNIQUE (and ADD COLUMN … PRIMARY KEY / UNIQUE) without USING INDEX.

Why: Postgres builds the constraint's unique index inside the ALTER TABLE, under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole build. A primary key on columns that allow NULL also scans the table to set them NOT NULL.

"#,
        postgres_only!()
    ),
    examples: &[Example {
        bad: r#"ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");"#,
        good: Some(
            r#"ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";"#,
        ),
    }],
    advice: r#"Fix: build the index first, then attach it (the attach is instant):
    CREATE UNIQUE INDEX CONCURRENTLY "User_email_key" ON "User"("email");
    ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE USING INDEX "User_email_key";"#,
};

pub const RENAME: Rule = Rule {
    check: ID,
    id: "rename",
    category: Category::Correctness,
    summary: "a table or column renamed without approval (running code breaks)",
    explanation: r#"Reports ALTER TABLE … RENAME TO, RENAME [COLUMN] … TO, MySQL's RENAME TABLE, and the framework calls that do the same (op.rename_table, op.alter_column(new_column_name=…), migrations.RenameField, RenameModel, rename_column, renameColumn, renameTable). A table created in the same migration is not reported.

Why: Postgres renames at once, under a brief ACCESS EXCLUSIVE lock, but from that moment every running instance of the application that still uses the old name fails — during a rolling deploy that is the old version, until it is gone. Like the destructive rule it blocks until approved."#,
    examples: &[Example {
        bad: r#"ALTER TABLE "User" RENAME COLUMN "name" TO "fullName";"#,
        good: None,
    }],
    advice: r#"Fix: expand and contract: add the new column, write both, copy the data, move the readers, and drop the old column in a later release (for a table, a view with the old name can bridge the gap). When no running code uses the old name, approve it:
    -- hygiene: destructive-approved (the column is read nowhere since v4.2)"#,
};

pub const SET_NOT_NULL: Rule = Rule {
    check: ID,
    id: "set-not-null",
    category: Category::Correctness,
    summary: "ALTER COLUMN … SET NOT NULL (a full scan under an exclusive lock; warning)",
    explanation: concat!(
        r#"Reports ALTER COLUMN … SET NOT NULL unless a CHECK (column IS NOT NULL) constraint on the column is added and validated before it, in the same file or an earlier migration of the folder.

Why: Postgres scans the whole table to prove no row is NULL while it holds an ACCESS EXCLUSIVE lock: reads and writes wait. From Postgres 12 a validated CHECK (column IS NOT NULL) constraint lets it skip the scan.

"#,
        postgres_only!()
    ),
    examples: &[Example {
        bad: r#"ALTER TABLE "User" ALTER COLUMN "plan" SET NOT NULL;"#,
        good: None,
    }],
    advice: r#"Fix: in one migration
    ALTER TABLE "User" ADD CONSTRAINT "User_plan_not_null" CHECK ("plan" IS NOT NULL) NOT VALID;
then in a later one
    ALTER TABLE "User" VALIDATE CONSTRAINT "User_plan_not_null";
    ALTER TABLE "User" ALTER COLUMN "plan" SET NOT NULL;
    ALTER TABLE "User" DROP CONSTRAINT "User_plan_not_null";"#,
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
    &REVIEW_LOST_ON_SQUASH,
    &APPLIED_EDITED,
    &OUT_OF_ORDER,
    &DUPLICATE_VERSION,
    &ALEMBIC_HEADS,
    &UNPAIRED,
    &DESTRUCTIVE,
    &COLUMN_TYPE_CHANGE,
    &RENAME,
    &VOLATILE_DEFAULT,
    &REQUIRED_COLUMN,
    &INDEX_NOT_CONCURRENT,
    &CONCURRENTLY_IN_TRANSACTION,
    &CONSTRAINT_NOT_VALID,
    &KEY_WITHOUT_INDEX,
    &SET_NOT_NULL,
    &UNPARSEABLE,
];
