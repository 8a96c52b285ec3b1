//! The analysis of one migration: statements that lose data (judged here) or lock tables
//! (judged by `locks`), found in SQL (through the lexer) and in the migration DSLs of Alembic,
//! Django, Rails and Knex/TypeORM/Sequelize (through the code lexer, plus the SQL strings they
//! pass to `execute`/`RunSQL`/`query`).

use std::collections::HashSet;

use super::code_lexer::{self, CTok, Lang};
pub use super::hit::{Hit, Kind};
use super::locks::{self, Dialect};
use super::rules::{COLUMN_TYPE_CHANGE, SET_NOT_NULL};
use super::schema::{self, Schema};
use super::sql_lexer::{self, LexError, Statement};
use super::statement::{actions, after_words, name_at, skip_if_not_exists, statement_head};

/// What a file holds, once analysed.
#[derive(Debug, Default)]
pub struct Analysis {
    pub hits: Vec<Hit>,
    /// `hygiene: destructive-approved` in a comment.
    pub approved: bool,
    /// The SQL was quoted with backticks: not Postgres.
    pub backticks: bool,
    /// A type change or SET NOT NULL was judged without the earlier migrations, which could
    /// show it needs no rewrite or scan.
    pub wants_history: bool,
    /// How many statements the file holds.
    pub statements: usize,
    /// Lines of the CONCURRENTLY statements outside any BEGIN … COMMIT: refused all the same
    /// where the runner sends the whole file as one implicit transaction (Prisma).
    pub concurrently: Vec<u32>,
}

pub const APPROVAL: &str = "hygiene: destructive-approved";

fn is_approval(comment: &str) -> bool {
    let c = comment.to_ascii_lowercase();
    c.contains(APPROVAL) || c.contains("hygiene:destructive-approved")
}

/// Analyses a SQL migration; `history`: what the earlier migrations of its folder declared.
pub fn analyse_sql(
    src: &str,
    dialect: Dialect,
    history: Option<&Schema>,
) -> Result<Analysis, LexError> {
    let lexed = sql_lexer::lex(src)?;
    let approved = lexed.comments.iter().any(|(_, c)| is_approval(c));
    // Backtick quoting is MySQL's or SQLite's: no Postgres lock rules.
    let dialect = if lexed.backticks {
        Dialect::Other
    } else {
        dialect
    };
    let mut schema = history.cloned().unwrap_or_default();
    let hits = sql_hits(&lexed.statements, dialect, &mut schema);
    let concurrently = match dialect {
        Dialect::Postgres => outside_blocks_concurrently(&lexed.statements),
        Dialect::Other => Vec::new(),
    };
    let wants_history = history.is_none()
        && hits
            .iter()
            .any(|h| h.rule.id == COLUMN_TYPE_CHANGE.id || h.rule.id == SET_NOT_NULL.id);
    Ok(Analysis {
        hits,
        approved,
        backticks: lexed.backticks,
        wants_history,
        statements: lexed.statements.len(),
        concurrently,
    })
}

/// Is `s` BEGIN / START TRANSACTION (Some(true)), or COMMIT / END / ROLLBACK (Some(false))?
fn transaction_edge(s: &Statement) -> Option<bool> {
    match (s.word(0), s.word(1)) {
        (Some("BEGIN"), _) | (Some("START"), Some("TRANSACTION")) => Some(true),
        (Some("COMMIT" | "END" | "ROLLBACK"), _) => Some(false),
        _ => None,
    }
}

/// Lines of the CONCURRENTLY statements that no BEGIN … COMMIT of the file encloses.
fn outside_blocks_concurrently(stmts: &[Statement]) -> Vec<u32> {
    let mut open = false;
    let mut out = Vec::new();
    for s in stmts {
        match transaction_edge(s) {
            Some(edge) => open = edge,
            None if !open && locks::refuses_transaction(s, 0) => out.push(s.line()),
            None => {}
        }
    }
    out
}

/// What the earlier migrations `srcs` declare (files that do not lex are passed over).
pub fn learn_sql<'a>(srcs: impl IntoIterator<Item = &'a str>) -> Schema {
    let mut schema = Schema::default();
    for src in srcs {
        if let Ok(l) = sql_lexer::lex(src) {
            schema::learn(&l.statements, &mut schema);
        }
    }
    schema
}

/// Framework calls that drop, remove, rename or retype. (name, what it does)
const CALLS: &[(&str, &str)] = &[
    // Alembic (`op.`)
    ("drop_table", "drops a table"),
    ("drop_column", "drops a column"),
    ("rename_table", "renames a table"),
    // Django (`migrations.`)
    ("RemoveField", "drops a column"),
    ("DeleteModel", "drops a table"),
    ("RenameField", "renames a column"),
    ("RenameModel", "renames a table"),
    // Rails
    ("remove_column", "drops a column"),
    ("remove_columns", "drops columns"),
    ("remove_reference", "drops a column"),
    ("remove_belongs_to", "drops a column"),
    ("remove_timestamps", "drops columns"),
    ("drop_join_table", "drops a table"),
    ("rename_column", "renames a column"),
    ("change_column", "changes a column's type"),
    // Knex / TypeORM / Sequelize
    ("dropTable", "drops a table"),
    ("dropTableIfExists", "drops a table"),
    ("dropColumn", "drops a column"),
    ("dropColumns", "drops columns"),
    ("removeColumn", "drops a column"),
    ("renameColumn", "renames a column"),
    ("renameTable", "renames a table"),
    ("changeColumn", "changes a column's type"),
    ("dropSchema", "drops a schema"),
    ("dropDatabase", "drops a database"),
];

/// Calls whose first string argument is SQL.
const SQL_CALLS: &[&str] = &["execute", "RunSQL", "query", "raw", "exec_query"];

pub fn analyse_code(src: &str, lang: Lang, dialect: Dialect) -> Result<Analysis, LexError> {
    let lexed = code_lexer::lex(src, lang)?;
    let down = code_lexer::down_regions(src, lang, &lexed);
    let in_down = |line: u32| down.iter().any(|&(a, b)| line >= a && line <= b);
    let approved = lexed.comments.iter().any(|(_, c)| is_approval(c));
    let t = &lexed.tokens;
    let mut hits = Vec::new();
    for (i, tok) in t.iter().enumerate() {
        let CTok::Ident(name) = &tok.tok else {
            continue;
        };
        if in_down(tok.line) {
            continue;
        }
        // A call or, in Ruby, a bare method call followed by an argument (`remove_column :a`).
        let next = t.get(i + 1).map(|x| &x.tok);
        let prev_dot = i > 0 && t[i - 1].tok == CTok::Punct('.');
        let called = matches!(next, Some(CTok::Punct('(')))
            || (lang == Lang::Ruby
                && next.is_some_and(|n| !matches!(n, CTok::Punct('=' | '.' | ')' | ',' | '(')))
                && t.get(i + 1)
                    .is_some_and(|n| n.line == tok.line || matches!(n.tok, CTok::Str(_))));
        if !called {
            continue;
        }
        // `def drop_table(...)` defines, it does not call.
        if i > 0 && matches!(&t[i - 1].tok, CTok::Ident(d) if d == "def" || d == "function") {
            continue;
        }
        if let Some((_, does)) = CALLS.iter().find(|(c, _)| c == name) {
            let shown = if prev_dot {
                match t.get(i.wrapping_sub(2)).map(|x| &x.tok) {
                    Some(CTok::Ident(r)) => format!("{r}.{name}"),
                    _ => name.clone(),
                }
            } else {
                name.clone()
            };
            hits.push(call_hit(
                tok.line,
                format!("{shown} ({does})"),
                does,
                dialect,
            ));
            continue;
        }
        // Alembic `op.alter_column(..., new_column_name=…)` renames, `type_=…` retypes.
        if name == "alter_column" && lang == Lang::Python {
            let args = call_args(t, i + 1);
            for (kw, does) in [
                ("new_column_name", "renames a column"),
                ("type_", "changes a column's type"),
            ] {
                if args
                    .iter()
                    .any(|k| matches!(&k.tok, CTok::Ident(x) if x == kw))
                {
                    hits.push(call_hit(
                        tok.line,
                        format!("op.alter_column {kw}= ({does})"),
                        does,
                        dialect,
                    ));
                }
            }
            continue;
        }
        if SQL_CALLS.contains(&name.as_str()) {
            // The string arguments (concatenated literals count as one).
            let args = call_args(t, i + 1);
            let first_str = args.iter().find(|k| matches!(k.tok, CTok::Str(_)));
            let sql: String = args
                .iter()
                .filter_map(|k| match &k.tok {
                    CTok::Str(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" ");
            if sql.trim().is_empty() {
                continue;
            }
            // Embedded SQL that does not lex (a template with odd quotes) is not worth a warning.
            if let Ok(l) = sql_lexer::lex(&sql) {
                let base = first_str.map_or(tok.line, |k| k.line).saturating_sub(1);
                let mut schema = Schema::default();
                for mut h in sql_hits(&l.statements, dialect, &mut schema) {
                    h.line += base;
                    h.what = format!("{} (in {name})", h.what);
                    hits.push(h);
                }
            }
        }
    }
    Ok(Analysis {
        hits,
        approved,
        ..Analysis::default()
    })
}

/// A framework call's hit: renames and type changes have rules of their own.
fn call_hit(line: u32, what: String, does: &str, dialect: Dialect) -> Hit {
    let h = Hit::destructive(line, what);
    if does.starts_with("renames") {
        locks::rename_hit(line, &h.what, dialect)
    } else if does.starts_with("changes") {
        locks::type_change_hit(line, h.what, dialect)
    } else {
        h
    }
}

/// The tokens of a call's arguments: from the `(` at `open` to its matching `)`. In Ruby
/// without parentheses, the rest of the line (and a heredoc that follows).
fn call_args(t: &[code_lexer::CToken], open: usize) -> &[code_lexer::CToken] {
    if t.get(open).map(|x| &x.tok) != Some(&CTok::Punct('(')) {
        let line = t.get(open).map_or(0, |x| x.line);
        let end = (open..t.len())
            .find(|&k| t[k].line > line && !matches!(t[k].tok, CTok::Str(_)))
            .unwrap_or(t.len());
        return &t[open.min(t.len())..end];
    }
    let mut depth = 0;
    for k in open..t.len() {
        match t[k].tok {
            CTok::Punct('(' | '[' | '{') => depth += 1,
            CTok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return &t[open + 1..k];
                }
            }
            _ => {}
        }
    }
    &t[open + 1..]
}

/// The hits of SQL statements. Tables created in the same file are new and empty: the lock
/// rules pass over statements on them.
fn sql_hits(stmts: &[Statement], dialect: Dialect, schema: &mut Schema) -> Vec<Hit> {
    let mut created: HashSet<String> = HashSet::new();
    let mut hits = Vec::new();
    let mut in_block = false;
    for s in stmts {
        let line = s.line();
        let head = statement_head(s);
        if let Some(edge) = transaction_edge(s) {
            in_block = edge;
        } else if in_block && dialect == Dialect::Postgres && locks::refuses_transaction(s, head) {
            hits.push(locks::concurrently_hit(line, "inside BEGIN … COMMIT"));
        }
        let mut push = |what: &str| hits.push(Hit::destructive(line, what.to_owned()));
        match (s.word(head), s.word(head + 1)) {
            (Some("DROP"), Some(obj @ ("TABLE" | "SCHEMA" | "DATABASE"))) => {
                push(&format!("DROP {obj}"))
            }
            (Some("TRUNCATE"), _) => push("TRUNCATE"),
            (Some("DELETE"), _) if !s.has_word("WHERE") => push("DELETE without WHERE"),
            (Some("UPDATE"), _) if !s.has_word("WHERE") => push("UPDATE without WHERE"),
            (Some("ALTER"), Some("TABLE")) => {
                for a in actions(s, head + 2) {
                    let w = |k: usize| a.get(k).and_then(|&i| s.word(i));
                    let at = a.first().map_or(line, |&i| s.tokens[i].line);
                    match (w(0), w(1)) {
                        (
                            Some("DROP"),
                            Some(
                                "CONSTRAINT" | "DEFAULT" | "NOT" | "INDEX" | "KEY" | "PRIMARY"
                                | "FOREIGN" | "IDENTITY" | "EXPRESSION" | "CHECK" | "TRIGGER",
                            ),
                        ) => {}
                        (Some("DROP"), Some("PARTITION")) => {
                            hits.push(Hit::destructive(at, "DROP PARTITION".to_owned()))
                        }
                        (Some("DROP"), _) => {
                            hits.push(Hit::destructive(at, "DROP COLUMN".to_owned()))
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        locks::judge(s, head, dialect, &created, schema, &mut hits);
        if s.word(head) == Some("CREATE") {
            if let Some(t) =
                after_words(s, &["TABLE"]).and_then(|i| name_at(s, skip_if_not_exists(s, i)))
            {
                created.insert(t);
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(src: &str) -> Vec<String> {
        analyse_sql(src, Dialect::Postgres, None)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.what)
            .collect()
    }

    #[test]
    fn destructive_sql() {
        assert_eq!(
            whats("ALTER TABLE users DROP COLUMN email;"),
            ["DROP COLUMN"]
        );
        assert_eq!(
            whats("alter table users drop email, drop constraint c;"),
            ["DROP COLUMN"]
        );
        assert_eq!(
            whats("DROP TABLE IF EXISTS x; DROP SCHEMA s CASCADE; drop database d;"),
            ["DROP TABLE", "DROP SCHEMA", "DROP DATABASE"]
        );
        assert_eq!(whats("TRUNCATE t;"), ["TRUNCATE"]);
        assert_eq!(
            whats("ALTER TABLE t ALTER COLUMN c TYPE bigint;"),
            ["ALTER COLUMN \"c\" TYPE (column type change)"]
        );
        assert_eq!(whats("ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t RENAME TO u; RENAME TABLE a TO b;"), ["RENAME COLUMN", "RENAME TO (table rename)", "RENAME TABLE"]);
        assert_eq!(
            whats("DELETE FROM t; UPDATE t SET a = 1; DELETE FROM t WHERE id = 1;"),
            ["DELETE without WHERE", "UPDATE without WHERE"]
        );
        assert_eq!(
            whats("WITH x AS (SELECT 1) DELETE FROM t;"),
            ["DELETE without WHERE"]
        );
    }

    #[test]
    fn harmless_sql() {
        assert!(whats("ALTER TABLE t DROP CONSTRAINT c; ALTER TABLE t ALTER COLUMN c DROP NOT NULL; DROP INDEX i;").is_empty());
        assert!(whats("INSERT INTO log VALUES ('ALTER TABLE t DROP COLUMN c');").is_empty());
        assert!(whats("-- ALTER TABLE t DROP COLUMN c;\nSELECT 1;").is_empty());
        assert!(whats("CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN DELETE FROM t; END $$ LANGUAGE plpgsql;").is_empty());
        assert!(whats("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u(id) ON DELETE CASCADE NOT VALID;").is_empty());
    }

    #[test]
    fn locking_sql() {
        let a = analyse_sql("CREATE INDEX i ON t (a);\nALTER TABLE t ADD COLUMN c int NOT NULL;\nALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u(id);", Dialect::Postgres, None).unwrap();
        assert!(a.hits.iter().all(|h| h.kind == Kind::Locking));
        assert_eq!(a.hits.iter().map(|h| h.line).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(whats("CREATE INDEX CONCURRENTLY i ON t (a); ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0;").is_empty());
        // A table created in the same file is empty: no lock worth reporting.
        assert!(whats("CREATE TABLE \"User\" (id int);\nCREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\nALTER TABLE \"User\" ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u(id);").is_empty());
    }

    #[test]
    fn approval_comment() {
        assert!(
            analyse_sql(
                "-- hygiene: destructive-approved (backfilled in 0007)\nDROP TABLE t;",
                Dialect::Postgres,
                None
            )
            .unwrap()
            .approved
        );
        assert!(
            !analyse_sql(
                "SELECT 'hygiene: destructive-approved'; DROP TABLE t;",
                Dialect::Postgres,
                None
            )
            .unwrap()
            .approved
        );
    }

    #[test]
    fn code_migrations() {
        let py = "def upgrade():\n    op.drop_column('users', 'email')\n    op.alter_column('t', 'a', new_column_name='b')\n    op.execute(\"DROP TABLE legacy\")\n    # op.drop_table('x')\n\n\ndef downgrade():\n    op.drop_table('users')\n";
        let a = analyse_code(py, Lang::Python, Dialect::Postgres).unwrap();
        let w: Vec<_> = a.hits.iter().map(|h| (h.line, h.what.as_str())).collect();
        assert_eq!(
            w,
            [
                (2, "op.drop_column (drops a column)"),
                (3, "op.alter_column new_column_name= (renames a column)"),
                (4, "DROP TABLE (in execute)")
            ]
        );
        let dj = "operations = [\n    migrations.RemoveField(model_name='a', name='b'),\n    migrations.AddField(model_name='a', name='c'),\n]\n";
        assert_eq!(
            analyse_code(dj, Lang::Python, Dialect::Postgres)
                .unwrap()
                .hits
                .len(),
            1
        );
        let rb = "class X < ActiveRecord::Migration[7.1]\n  def up\n    remove_column :users, :email\n    execute <<~SQL\n      TRUNCATE sessions;\n    SQL\n  end\n  def down\n    drop_table :users\n  end\nend\n";
        let w: Vec<_> = analyse_code(rb, Lang::Ruby, Dialect::Postgres)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| (h.line, h.what))
            .collect();
        assert_eq!(
            w,
            [
                (3, "remove_column (drops a column)".to_string()),
                (5, "TRUNCATE (in execute)".to_string())
            ]
        );
        let js = "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.removeColumn('a', 'b');\n    await queryRunner.query(`ALTER TABLE \"a\" DROP COLUMN \"c\"`);\n  },\n  async down(queryInterface) {\n    await queryInterface.dropTable('a');\n  },\n};\n";
        let w: Vec<_> = analyse_code(js, Lang::Js, Dialect::Postgres)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.line)
            .collect();
        assert_eq!(w, [3, 4]);
    }
}
