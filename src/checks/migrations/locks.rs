//! What a statement makes Postgres do to a live table — the lock it takes, a rewrite or a full
//! scan, or a refusal — and the rule each case belongs to: CREATE INDEX and the ALTER TABLE
//! actions that add columns, constraints and keys, change types, rename, or set NOT NULL.
//!
//! Earlier statements (of the same file, and of earlier migrations when the caller supplies
//! them) are remembered in a [`Schema`]: a type change proven to be a widening and a SET NOT
//! NULL backed by a validated check constraint take no long lock.

use std::collections::HashSet;

use super::hit::{Hit, Kind};
use super::rules::{
    COLUMN_TYPE_CHANGE, CONCURRENTLY_IN_TRANSACTION, CONSTRAINT_NOT_VALID, INDEX_NOT_CONCURRENT,
    KEY_WITHOUT_INDEX, RENAME, REQUIRED_COLUMN, SET_NOT_NULL, VOLATILE_DEFAULT,
};
use super::schema::{col_type, learn_action, learn_create_table, no_rewrite, Schema};
use super::sql_lexer::{Statement, Tok};
use super::statement::{actions, ident, name_at, skip_if_exists, top_words};
use crate::rule::Rule;

/// The database a migration runs on, as far as the lock rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    /// MySQL, SQLite, SQL Server…: no Postgres lock findings, generic wording.
    Other,
}

/// Functions a DEFAULT may call without a rewrite (stable or immutable), and words that take
/// parentheses without being calls. Any other function is taken as volatile, as Postgres takes
/// a function created without a volatility.
const NOT_VOLATILE: &[&str] = &[
    "NOW",
    "CURRENT_TIMESTAMP",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "LOCALTIMESTAMP",
    "LOCALTIME",
    "TRANSACTION_TIMESTAMP",
    "STATEMENT_TIMESTAMP",
    "TIMEZONE",
    "CAST",
    "COALESCE",
    "NULLIF",
    "LOWER",
    "UPPER",
    "ARRAY",
    "ROW",
    "JSON_BUILD_OBJECT",
    "JSONB_BUILD_OBJECT",
    "JSON_BUILD_ARRAY",
    "JSONB_BUILD_ARRAY",
    "TO_JSONB",
    "MAKE_INTERVAL",
    "VARCHAR",
    "CHAR",
    "CHARACTER",
    "VARYING",
    "NUMERIC",
    "DECIMAL",
    "TIMESTAMP",
    "TIMESTAMPTZ",
    "TIME",
    "TIMETZ",
    "INTERVAL",
    "BIT",
    "VARBIT",
    "FLOAT",
];

/// Judges one statement (`head`: the index of its verb) and remembers what it declares.
/// `created`: tables created earlier in the same file.
pub fn judge(
    s: &Statement,
    head: usize,
    dialect: Dialect,
    created: &HashSet<String>,
    schema: &mut Schema,
    out: &mut Vec<Hit>,
) {
    let pg = dialect == Dialect::Postgres;
    match (s.word(head), s.word(head + 1)) {
        (Some("CREATE"), _) if pg => create_index(s, head, created, out),
        (Some("RENAME"), Some("TABLE")) => out.push(rename_hit(s.line(), "RENAME TABLE", dialect)),
        (Some("ALTER"), Some("TABLE")) => {
            let table = name_at(s, skip_if_exists(s, head + 2)).unwrap_or_default();
            let new_table = created.contains(&table);
            for a in actions(s, head + 2) {
                if !new_table {
                    judge_action(s, &a, &table, dialect, schema, out);
                }
                learn_action(s, &a, &table, schema);
            }
        }
        _ => {}
    }
    learn_create_table(s, head, schema);
}

fn hit(rule: &'static Rule, kind: Kind, line: u32, what: String, does: &str, advice: &str) -> Hit {
    Hit {
        kind,
        rule,
        line,
        what,
        does: does.to_owned(),
        advice: advice.to_owned(),
    }
}

pub(super) fn rename_hit(line: u32, what: &str, dialect: Dialect) -> Hit {
    let does = match dialect {
        Dialect::Postgres => "Postgres renames at once (a brief ACCESS EXCLUSIVE lock), but running code that still uses the old name fails from then on",
        Dialect::Other => "running code that still uses the old name fails from then on",
    };
    hit(&RENAME, Kind::Destructive, line, what.to_owned(), does, "expand and contract: add the new name, write both, copy the data, move the readers, drop the old name in a later release; if nothing running uses the old name, approve it")
}

/// CREATE/DROP INDEX CONCURRENTLY and REINDEX … CONCURRENTLY: refused in a transaction block.
pub fn refuses_transaction(s: &Statement, head: usize) -> bool {
    let w = |k: usize| s.word(head + k);
    match (w(0), w(1)) {
        (Some("CREATE"), Some("INDEX")) | (Some("DROP"), Some("INDEX")) => {
            w(2) == Some("CONCURRENTLY")
        }
        (Some("CREATE"), Some("UNIQUE")) => w(2) == Some("INDEX") && w(3) == Some("CONCURRENTLY"),
        (Some("REINDEX"), _) => s.has_word("CONCURRENTLY"),
        _ => false,
    }
}

/// The hit for a CONCURRENTLY statement Postgres will run inside a transaction; `why` says
/// which.
pub fn concurrently_hit(line: u32, why: &str) -> Hit {
    hit(
        &CONCURRENTLY_IN_TRANSACTION,
        Kind::Locking,
        line,
        format!("CONCURRENTLY {why}"),
        "Postgres refuses it inside a transaction block (ERROR 25001): the migration fails",
        "give the CONCURRENTLY statement a migration of its own, with no BEGIN around it",
    )
}

fn create_index(s: &Statement, head: usize, created: &HashSet<String>, out: &mut Vec<Hit>) {
    let Some(idx) = (head..s.tokens.len()).find(|&i| s.word(i) == Some("INDEX")) else {
        return;
    };
    // `CREATE TABLE … (…, INDEX …)` is MySQL; only `CREATE [UNIQUE] INDEX` counts.
    if !matches!(s.word(idx - 1), Some("CREATE" | "UNIQUE")) || idx > head + 2 {
        return;
    }
    if s.word(idx + 1) == Some("CONCURRENTLY") {
        return;
    }
    let table = (idx..s.tokens.len())
        .find(|&i| s.word(i) == Some("ON"))
        .map(|i| {
            if s.word(i + 1) == Some("ONLY") {
                i + 2
            } else {
                i + 1
            }
        })
        .and_then(|i| name_at(s, i));
    if table.is_some_and(|t| created.contains(&t)) {
        return;
    }
    let what = if s.word(idx - 1) == Some("UNIQUE") {
        "CREATE UNIQUE INDEX without CONCURRENTLY"
    } else {
        "CREATE INDEX without CONCURRENTLY"
    };
    out.push(hit(
        &INDEX_NOT_CONCURRENT,
        Kind::Locking,
        s.line(),
        what.to_owned(),
        "Postgres holds a SHARE lock on the table for the whole build: reads go on, every INSERT, UPDATE and DELETE waits",
        "write CREATE INDEX CONCURRENTLY, outside any transaction block; with Prisma give it a migration of its own (Prisma sends a migration.sql as one implicit transaction)",
    ));
}

fn judge_action(
    s: &Statement,
    a: &[usize],
    table: &str,
    dialect: Dialect,
    schema: &Schema,
    out: &mut Vec<Hit>,
) {
    let pg = dialect == Dialect::Postgres;
    let w = |k: usize| a.get(k).and_then(|&i| s.word(i));
    let line = a.first().map_or(s.line(), |&i| s.tokens[i].line);
    let words = top_words(s, a);
    let has = |x: &str| words.iter().any(|(_, w)| w == x);
    let has_seq = |x: &str, y: &str| words.windows(2).any(|p| p[0].1 == x && p[1].1 == y);
    match (w(0), w(1)) {
        (Some("RENAME"), Some("CONSTRAINT" | "INDEX" | "KEY")) => {}
        (Some("RENAME"), Some("TO" | "AS")) => {
            out.push(rename_hit(line, "RENAME TO (table rename)", dialect))
        }
        (Some("RENAME"), _) => out.push(rename_hit(line, "RENAME COLUMN", dialect)),
        (Some("MODIFY" | "CHANGE"), _) => out.push(type_change_hit(
            line,
            "MODIFY/CHANGE COLUMN (column type change)".to_owned(),
            dialect,
        )),
        (Some("ALTER"), _) => {
            let col_at = if w(1) == Some("COLUMN") { 2 } else { 1 };
            let column = a.get(col_at).and_then(|&i| ident(s, i)).unwrap_or_default();
            let after = col_at + 1;
            let type_at = match (w(after), w(after + 1), w(after + 2)) {
                (Some("TYPE"), _, _) => Some(after + 1),
                (Some("SET"), Some("DATA"), Some("TYPE")) => Some(after + 3),
                _ => None,
            };
            if let Some(t) = type_at {
                let new = col_type(s, &a[t.min(a.len())..]);
                let old = schema.type_of(table, &column);
                let widening =
                    !has("USING") && matches!((old, &new), (Some(o), Some(n)) if no_rewrite(o, n));
                if !widening {
                    out.push(type_change_hit(
                        line,
                        format!("ALTER COLUMN \"{column}\" TYPE (column type change)"),
                        dialect,
                    ));
                }
            } else if pg
                && w(after) == Some("SET")
                && w(after + 1) == Some("NOT")
                && !schema.has_valid_not_null_check(table, &column)
            {
                out.push(hit(
                        &SET_NOT_NULL,
                        Kind::Locking,
                        line,
                        format!("ALTER COLUMN \"{column}\" SET NOT NULL"),
                        "Postgres scans the whole table for NULLs under an ACCESS EXCLUSIVE lock: reads and writes wait",
                        "first ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it in a later migration; from Postgres 12 SET NOT NULL then skips the scan",
                    ));
            }
        }
        (Some("ADD"), next) if pg => {
            let not_valid = has_seq("NOT", "VALID");
            let constraint = matches!(
                next,
                Some("CONSTRAINT" | "PRIMARY" | "UNIQUE" | "CHECK" | "FOREIGN" | "EXCLUDE")
            );
            if has("FOREIGN") || has("REFERENCES") {
                if !not_valid {
                    out.push(hit(
                        &CONSTRAINT_NOT_VALID,
                        Kind::Locking,
                        line,
                        "foreign key without NOT VALID".to_owned(),
                        "Postgres checks every row while it holds a SHARE ROW EXCLUSIVE lock on both tables: writes to either wait",
                        "add it NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT … in a later migration (that scan blocks no writes)",
                    ));
                }
            } else if constraint && has("CHECK") {
                if !not_valid {
                    out.push(hit(
                        &CONSTRAINT_NOT_VALID,
                        Kind::Locking,
                        line,
                        "CHECK constraint without NOT VALID".to_owned(),
                        "Postgres checks every row while it holds an ACCESS EXCLUSIVE lock: reads and writes wait",
                        "add it NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT … in a later migration (that scan blocks no writes)",
                    ));
                }
            } else if (has("PRIMARY") || has("UNIQUE")) && !has_seq("USING", "INDEX") {
                let what = if has("PRIMARY") {
                    "PRIMARY KEY"
                } else {
                    "UNIQUE constraint"
                };
                out.push(hit(
                    &KEY_WITHOUT_INDEX,
                    Kind::Locking,
                    line,
                    format!("ADD {what} without USING INDEX"),
                    "Postgres builds its unique index under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole build",
                    "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … PRIMARY KEY/UNIQUE USING INDEX … (instant)",
                ));
            } else if !constraint && !matches!(next, Some("INDEX" | "KEY" | "PARTITION")) {
                add_column(s, a, line, out);
            }
        }
        _ => {}
    }
}

pub(super) fn type_change_hit(line: u32, what: String, dialect: Dialect) -> Hit {
    let does = match dialect {
        Dialect::Postgres => "Postgres rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait), and running code may break on the new type",
        Dialect::Other => "the database may rebuild the table, and running code may break on the new type",
    };
    hit(&COLUMN_TYPE_CHANGE, Kind::Destructive, line, what, does, "add a column of the new type, fill it in batches, move the code over and drop the old one; if the table is small or the change needs no rewrite, approve it")
}

/// `ADD [COLUMN] name type …`: a volatile default rewrites, NOT NULL without one is refused.
fn add_column(s: &Statement, a: &[usize], line: u32, out: &mut Vec<Hit>) {
    let words = top_words(s, a);
    let has = |x: &str| words.iter().any(|(_, w)| w == x);
    let has_seq = |x: &str, y: &str| words.windows(2).any(|p| p[0].1 == x && p[1].1 == y);
    let mut name_at = if a.get(1).and_then(|&i| s.word(i)) == Some("COLUMN") {
        2
    } else {
        1
    };
    if a.get(name_at).and_then(|&i| s.word(i)) == Some("IF") {
        name_at += 3;
    }
    let column = a
        .get(name_at)
        .and_then(|&i| ident(s, i))
        .unwrap_or_default();
    let ty = col_type(s, &a[(name_at + 1).min(a.len())..]);
    let serial = ty.as_ref().is_some_and(|t| t.name.ends_with("serial"));
    let volatile = if serial {
        Some(format!(
            "{} (a nextval() default)",
            ty.as_ref().map_or("", |t| t.name.as_str())
        ))
    } else if has("GENERATED") && has("IDENTITY") {
        Some("an identity column".to_owned())
    } else if has("GENERATED") && has("STORED") {
        Some("a stored generated column".to_owned())
    } else {
        volatile_default(s, a)
    };
    if let Some(v) = volatile {
        out.push(hit(
            &VOLATILE_DEFAULT,
            Kind::Locking,
            line,
            format!("ADD COLUMN \"{column}\" with {v}"),
            "every existing row needs its own value, so Postgres rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait",
            "add the column without a default (or with a constant one), fill existing rows in batches, then SET DEFAULT for new rows",
        ));
        return;
    }
    if has_seq("NOT", "NULL") && !has("DEFAULT") {
        out.push(hit(
            &REQUIRED_COLUMN,
            Kind::Locking,
            line,
            format!("ADD COLUMN \"{column}\" NOT NULL without DEFAULT"),
            "Postgres refuses it on a table that has rows (column contains null values): the deploy fails",
            "give it a constant DEFAULT (instant since Postgres 11), or add it nullable, fill it, then SET NOT NULL",
        ));
    }
    if has("PRIMARY") || has("UNIQUE") {
        out.push(hit(
            &KEY_WITHOUT_INDEX,
            Kind::Locking,
            line,
            format!("ADD COLUMN \"{column}\" with a PRIMARY KEY/UNIQUE constraint"),
            "Postgres builds its unique index under an ACCESS EXCLUSIVE lock: reads and writes wait for the whole build",
            "add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX …",
        ));
    }
}

/// The first function a column's DEFAULT calls that is not known to be stable, as `name()`.
fn volatile_default(s: &Statement, a: &[usize]) -> Option<String> {
    let d = a.iter().position(|&i| s.word(i) == Some("DEFAULT"))?;
    let stop = [
        "NOT",
        "CONSTRAINT",
        "CHECK",
        "REFERENCES",
        "UNIQUE",
        "PRIMARY",
        "GENERATED",
        "COLLATE",
    ];
    let mut depth = 0i32;
    for k in d + 1..a.len() {
        let i = a[k];
        match &s.tokens[i].tok {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => depth -= 1,
            Tok::Word(w) if depth == 0 && stop.contains(&w.as_str()) => return None,
            Tok::Word(w) => {
                let call = a
                    .get(k + 1)
                    .is_some_and(|&n| s.tokens[n].tok == Tok::Punct('('));
                let cast = k >= 1 && s.tokens[a[k - 1]].tok == Tok::Punct(':');
                if call && !cast && !NOT_VOLATILE.contains(&w.as_str()) {
                    return Some(format!("DEFAULT {}()", w.to_ascii_lowercase()));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::destructive::{analyse_sql, learn_sql};
    use super::super::rules::RULES;
    use super::*;

    /// The lock rules: every rule this module reports.
    const LOCK_RULES: &[&Rule] = &[
        &CONCURRENTLY_IN_TRANSACTION,
        &VOLATILE_DEFAULT,
        &REQUIRED_COLUMN,
        &COLUMN_TYPE_CHANGE,
        &INDEX_NOT_CONCURRENT,
        &CONSTRAINT_NOT_VALID,
        &KEY_WITHOUT_INDEX,
        &RENAME,
        &SET_NOT_NULL,
    ];

    fn lock_hits(src: &str, dialect: Dialect) -> Vec<(u32, &'static str)> {
        let mut hits: Vec<_> = analyse_sql(src, dialect, None)
            .expect("fixture lexes")
            .hits
            .into_iter()
            .filter(|h| LOCK_RULES.iter().any(|r| r.id == h.rule.id))
            .map(|h| (h.line, h.rule.id))
            .collect();
        hits.sort();
        hits
    }

    /// Each fixture labels the lines to report with `-- expect: RULE`; nothing else may be.
    #[test]
    fn labelled_fixtures() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/migrations/locks");
        let mut seen = HashSet::new();
        for e in std::fs::read_dir(&dir).expect("fixture dir").flatten() {
            let src = std::fs::read_to_string(e.path()).expect("fixture");
            let mut expected: Vec<(u32, &str)> = Vec::new();
            for (n, l) in src.lines().enumerate() {
                if let Some((_, rule)) = l.split_once("-- expect: ") {
                    let r = LOCK_RULES
                        .iter()
                        .find(|r| r.id == rule.trim())
                        .unwrap_or_else(|| panic!("unknown rule {rule}"));
                    expected.push((n as u32 + 1, r.id));
                    seen.insert(r.id);
                }
            }
            expected.sort();
            assert_eq!(
                lock_hits(&src, Dialect::Postgres),
                expected,
                "{}",
                e.path().display()
            );
        }
        assert_eq!(
            seen.len(),
            LOCK_RULES.len(),
            "a fixture for every lock rule"
        );
    }

    #[test]
    fn rule_examples_are_reported_and_their_fixes_pass() {
        for r in LOCK_RULES {
            assert!(RULES.iter().any(|x| x.id == r.id), "{} listed", r.id);
            for e in r.examples {
                assert!(
                    lock_hits(e.bad, Dialect::Postgres)
                        .iter()
                        .any(|h| h.1 == r.id),
                    "{}: {}",
                    r.id,
                    e.bad
                );
                if let Some(good) = e.good {
                    assert!(
                        lock_hits(good, Dialect::Postgres).is_empty(),
                        "{}: {good}",
                        r.id
                    );
                }
            }
        }
    }

    #[test]
    fn other_dialects_get_no_postgres_lock_findings() {
        let src = "CREATE INDEX i ON t (a);\nALTER TABLE t ADD COLUMN c int NOT NULL;\nALTER TABLE t RENAME COLUMN a TO b;\nALTER TABLE t MODIFY c bigint;\n";
        let rules: Vec<_> = lock_hits(src, Dialect::Other)
            .into_iter()
            .map(|h| h.1)
            .collect();
        assert_eq!(rules, ["rename", "column-type-change"]);
        // Backticks are MySQL's: taken as another dialect whatever the caller said.
        let rules: Vec<_> = lock_hits("CREATE INDEX `i` ON `t` (`a`);", Dialect::Postgres);
        assert!(rules.is_empty(), "{rules:?}");
    }

    #[test]
    fn earlier_migrations_prove_a_widening_or_a_validated_not_null_check() {
        let first = "CREATE TABLE \"Doc\" (\"id\" TEXT NOT NULL, \"title\" VARCHAR(100), \"size\" INTEGER);\n";
        let second = "ALTER TABLE \"Doc\" ADD CONSTRAINT \"Doc_title_nn\" CHECK (\"title\" IS NOT NULL) NOT VALID;\nALTER TABLE \"Doc\" VALIDATE CONSTRAINT \"Doc_title_nn\";\n";
        let now = "ALTER TABLE \"Doc\" ALTER COLUMN \"title\" SET DATA TYPE VARCHAR(255);\nALTER TABLE \"Doc\" ALTER COLUMN \"size\" SET DATA TYPE BIGINT;\nALTER TABLE \"Doc\" ALTER COLUMN \"title\" SET NOT NULL;\n";
        let alone = analyse_sql(now, Dialect::Postgres, None).unwrap();
        assert!(alone.wants_history);
        let ids = |a: &super::super::destructive::Analysis| {
            a.hits
                .iter()
                .map(|h| (h.line, h.rule.id))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&alone),
            [
                (1, "column-type-change"),
                (2, "column-type-change"),
                (3, "set-not-null")
            ]
        );
        let schema = learn_sql([first, second]);
        let known = analyse_sql(now, Dialect::Postgres, Some(&schema)).unwrap();
        assert_eq!(ids(&known), [(2, "column-type-change")]);
    }

    #[test]
    fn messages_say_what_postgres_does_and_what_to_write() {
        let a = analyse_sql(
            "ALTER TABLE \"User\" ADD COLUMN \"t\" UUID DEFAULT gen_random_uuid();",
            Dialect::Postgres,
            None,
        )
        .unwrap();
        let h = &a.hits[0];
        assert_eq!(h.what, "ADD COLUMN \"t\" with DEFAULT gen_random_uuid()");
        assert!(h.does.contains("rewrites the table") && h.does.contains("ACCESS EXCLUSIVE"));
        assert!(h.advice.contains("without a default"));
    }
}
