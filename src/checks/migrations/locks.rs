//! What a statement makes Postgres do to a live table — the lock it takes, a rewrite or a full
//! scan, or a refusal — and the rule each case belongs to: CREATE INDEX and the ALTER TABLE
//! actions that add columns, constraints and keys, change types, rename, or set NOT NULL.
//!
//! Earlier statements (of the same file, and of earlier migrations when the caller supplies
//! them) are remembered in a [`Schema`]: a type change proven to be a widening and a SET NOT
//! NULL backed by a validated check constraint take no long lock.

use std::collections::{HashMap, HashSet};

use super::destructive::{name_at, skip_if_exists, Hit, Kind};
use super::rules::{
    COLUMN_TYPE_CHANGE, CONCURRENTLY_IN_TRANSACTION, CONSTRAINT_NOT_VALID, INDEX_NOT_CONCURRENT,
    KEY_WITHOUT_INDEX, RENAME, REQUIRED_COLUMN, SET_NOT_NULL, VOLATILE_DEFAULT,
};
use super::sql_lexer::{Statement, Tok};
use crate::rule::Rule;

/// The database a migration runs on, as far as the lock rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    /// MySQL, SQLite, SQL Server…: no Postgres lock findings, generic wording.
    Other,
}

/// A column type, as far as rewrites care: its normalised name and size arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColType {
    name: String,
    args: Vec<u64>,
}

/// What earlier statements declared.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// (table, column) → type.
    types: HashMap<(String, String), ColType>,
    /// (table, constraint) → column of a `CHECK (column IS NOT NULL)`, and whether validated.
    not_null_checks: HashMap<(String, String), (String, bool)>,
}

impl Schema {
    fn has_valid_not_null_check(&self, table: &str, column: &str) -> bool {
        self.not_null_checks
            .iter()
            .any(|((t, _), (c, valid))| t == table && c == column && *valid)
    }
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

/// Remembers what `stmts` declare, judging nothing: the migrations before the one judged.
pub fn learn(stmts: &[Statement], schema: &mut Schema) {
    for s in stmts {
        if s.word(0) == Some("ALTER") && s.word(1) == Some("TABLE") {
            let table = name_at(s, skip_if_exists(s, 2)).unwrap_or_default();
            for a in actions(s, 2) {
                learn_action(s, &a, &table, schema);
            }
        }
        learn_create_table(s, 0, schema);
    }
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
        "write CREATE INDEX CONCURRENTLY; it cannot run in a transaction block, and Prisma sends a migration.sql as one implicit transaction, so give it a migration of its own",
    ));
}

/// The actions of `ALTER TABLE name action, action, …` (token indices, split at top-level
/// commas), each starting at its verb.
pub fn actions(s: &Statement, from: usize) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = vec![Vec::new()];
    let mut depth = 0i32;
    for i in from..s.tokens.len() {
        match s.tokens[i].tok {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                all.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(a) = all.last_mut() {
            a.push(i);
        }
    }
    all.into_iter()
        .filter_map(|a| {
            let start = a.iter().position(|&i| {
                matches!(
                    s.word(i),
                    Some("DROP" | "RENAME" | "ALTER" | "MODIFY" | "CHANGE" | "ADD" | "VALIDATE")
                )
            })?;
            Some(a[start..].to_vec())
        })
        .collect()
}

/// The action's tokens at depth 0 (outside its parentheses) as words.
fn top_words(s: &Statement, a: &[usize]) -> Vec<(usize, String)> {
    let mut depth = 0i32;
    let mut out = Vec::new();
    for (k, &i) in a.iter().enumerate() {
        match &s.tokens[i].tok {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => depth -= 1,
            Tok::Word(w) if depth == 0 => out.push((k, w.clone())),
            _ => {}
        }
    }
    out
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
                let old = schema.types.get(&(table.to_owned(), column.clone()));
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

/// A column or table name token: quoted as written, bare lower-cased.
fn ident(s: &Statement, i: usize) -> Option<String> {
    match s.tokens.get(i).map(|t| &t.tok) {
        Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
        Some(Tok::Ident(w)) => Some(w.clone()),
        _ => None,
    }
}

/// The type that starts `t`: `VARCHAR(255)`, `CHARACTER VARYING`, `DECIMAL(65,30)`, `"Role"`.
fn col_type(s: &Statement, t: &[usize]) -> Option<ColType> {
    let first = *t.first()?;
    let mut name = match &s.tokens[first].tok {
        Tok::Word(w) => w.clone(),
        Tok::Ident(w) => {
            return Some(ColType {
                name: w.clone(),
                args: Vec::new(),
            })
        }
        _ => return None,
    };
    let mut k = 1;
    if let Some(next) = t.get(1).and_then(|&i| s.word(i)) {
        if matches!(next, "VARYING" | "PRECISION") {
            name = format!("{name} {next}");
            k = 2;
        }
    }
    let mut args = Vec::new();
    if t.get(k)
        .is_some_and(|&i| s.tokens[i].tok == Tok::Punct('('))
    {
        for &i in &t[k + 1..] {
            match &s.tokens[i].tok {
                Tok::Number(n) => args.push(n.parse().unwrap_or(u64::MAX)),
                Tok::Punct(')') => break,
                _ => {}
            }
        }
    }
    let name = match name.as_str() {
        "VARCHAR" | "CHARACTER VARYING" => "varchar".to_owned(),
        "DECIMAL" | "NUMERIC" => "numeric".to_owned(),
        other => other.to_ascii_lowercase(),
    };
    Some(ColType { name, args })
}

/// Changes Postgres makes in the catalog only: binary-coercible widenings.
fn no_rewrite(old: &ColType, new: &ColType) -> bool {
    if old == new {
        return true;
    }
    let widened = |o: &[u64], n: &[u64]| match (o, n) {
        (_, []) => true,
        ([], _) => false,
        ([a, rest @ ..], [b, rest2 @ ..]) => b >= a && rest == rest2,
    };
    match (old.name.as_str(), new.name.as_str()) {
        ("varchar", "varchar") => widened(&old.args, &new.args),
        ("varchar", "text") => true,
        ("text", "varchar") => new.args.is_empty(),
        ("numeric", "numeric") => widened(&old.args, &new.args),
        _ => false,
    }
}

/// Records the types an ALTER TABLE action declares and its NOT NULL check constraints.
fn learn_action(s: &Statement, a: &[usize], table: &str, schema: &mut Schema) {
    let w = |k: usize| a.get(k).and_then(|&i| s.word(i));
    let words = top_words(s, a);
    let has = |x: &str| words.iter().any(|(_, w)| w == x);
    let has_seq = |x: &str, y: &str| words.windows(2).any(|p| p[0].1 == x && p[1].1 == y);
    match (w(0), w(1)) {
        (Some("ADD"), Some("CONSTRAINT")) if has("CHECK") => {
            let name = a.get(2).and_then(|&i| ident(s, i)).unwrap_or_default();
            if let Some(col) = not_null_check_column(s, a) {
                schema
                    .not_null_checks
                    .insert((table.to_owned(), name), (col, !has_seq("NOT", "VALID")));
            }
        }
        (Some("ADD"), next)
            if !matches!(
                next,
                Some("PRIMARY" | "UNIQUE" | "CHECK" | "FOREIGN" | "INDEX" | "KEY" | "CONSTRAINT")
            ) =>
        {
            let at = if next == Some("COLUMN") { 2 } else { 1 };
            let at = if w(at) == Some("IF") { at + 3 } else { at };
            if let (Some(col), Some(ty)) = (
                a.get(at).and_then(|&i| ident(s, i)),
                col_type(s, &a[(at + 1).min(a.len())..]),
            ) {
                schema.types.insert((table.to_owned(), col), ty);
            }
        }
        (Some("VALIDATE"), Some("CONSTRAINT")) => {
            let name = a.get(2).and_then(|&i| ident(s, i)).unwrap_or_default();
            if let Some(c) = schema.not_null_checks.get_mut(&(table.to_owned(), name)) {
                c.1 = true;
            }
        }
        (Some("ALTER"), _) => {
            let col_at = if w(1) == Some("COLUMN") { 2 } else { 1 };
            let Some(col) = a.get(col_at).and_then(|&i| ident(s, i)) else {
                return;
            };
            let t = match (w(col_at + 1), w(col_at + 2)) {
                (Some("TYPE"), _) => col_at + 2,
                (Some("SET"), Some("DATA")) => col_at + 4,
                _ => return,
            };
            if let Some(ty) = col_type(s, &a[t.min(a.len())..]) {
                schema.types.insert((table.to_owned(), col), ty);
            }
        }
        (Some("RENAME"), Some(_)) if has("TO") => {
            let col_at = if w(1) == Some("COLUMN") { 2 } else { 1 };
            let to = words
                .iter()
                .position(|(_, w)| w == "TO")
                .map(|p| words[p].0 + 1);
            if let (Some(old), Some(new)) = (
                a.get(col_at).and_then(|&i| ident(s, i)),
                to.and_then(|k| a.get(k)).and_then(|&i| ident(s, i)),
            ) {
                if let Some(ty) = schema.types.remove(&(table.to_owned(), old)) {
                    schema.types.insert((table.to_owned(), new), ty);
                }
            }
        }
        _ => {}
    }
}

/// `CHECK (col IS NOT NULL)` → `col`.
fn not_null_check_column(s: &Statement, a: &[usize]) -> Option<String> {
    let c = a.iter().position(|&i| s.word(i) == Some("CHECK"))?;
    let t = |k: usize| a.get(c + k).map(|&i| &s.tokens[i].tok);
    if t(1) != Some(&Tok::Punct('(')) {
        return None;
    }
    let col = a.get(c + 2).and_then(|&i| ident(s, i))?;
    let is_not_null = [3, 4, 5]
        .iter()
        .map(|&k| a.get(c + k).and_then(|&i| s.word(i)))
        .eq([Some("IS"), Some("NOT"), Some("NULL")]);
    (is_not_null && t(6) == Some(&Tok::Punct(')'))).then_some(col)
}

/// Records the column types of `CREATE TABLE name (col type, …)`.
fn learn_create_table(s: &Statement, head: usize, schema: &mut Schema) {
    if s.word(head) != Some("CREATE") {
        return;
    }
    let Some(t) = (head..s.tokens.len().min(head + 4)).find(|&i| s.word(i) == Some("TABLE")) else {
        return;
    };
    let mut at = t + 1;
    if s.word(at) == Some("IF") {
        at += 3;
    }
    let Some(table) = name_at(s, at) else {
        return;
    };
    let Some(open) = (at..s.tokens.len()).find(|&i| s.tokens[i].tok == Tok::Punct('(')) else {
        return;
    };
    let mut depth = 0i32;
    let mut element: Vec<usize> = Vec::new();
    let mut elements = Vec::new();
    for i in open..s.tokens.len() {
        match s.tokens[i].tok {
            Tok::Punct('(') => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            Tok::Punct(')') => {
                depth -= 1;
                if depth == 0 {
                    elements.push(std::mem::take(&mut element));
                    break;
                }
            }
            Tok::Punct(',') if depth == 1 => {
                elements.push(std::mem::take(&mut element));
                continue;
            }
            _ => {}
        }
        element.push(i);
    }
    for e in elements {
        let first = e.first().and_then(|&i| s.word(i));
        if matches!(
            first,
            Some("CONSTRAINT" | "PRIMARY" | "UNIQUE" | "CHECK" | "FOREIGN" | "EXCLUDE" | "LIKE")
        ) {
            continue;
        }
        if let (Some(col), Some(ty)) = (
            e.first().and_then(|&i| ident(s, i)),
            col_type(s, &e[1.min(e.len())..]),
        ) {
            schema.types.insert((table.clone(), col), ty);
        }
    }
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
