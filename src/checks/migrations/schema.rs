//! What earlier statements declared — column types and NOT NULL check constraints — so that a
//! type change proven to be a widening, or a SET NOT NULL a validated check backs, passes.

use std::collections::HashMap;

use super::sql_lexer::{Statement, Tok};
use super::statement::{actions, ident, name_at, skip_if_exists, top_words};

/// A column type, as far as rewrites care: its normalised name and size arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColType {
    pub(super) name: String,
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
    pub(super) fn type_of(&self, table: &str, column: &str) -> Option<&ColType> {
        self.types.get(&(table.to_owned(), column.to_owned()))
    }
    pub(super) fn has_valid_not_null_check(&self, table: &str, column: &str) -> bool {
        self.not_null_checks
            .iter()
            .any(|((t, _), (c, valid))| t == table && c == column && *valid)
    }
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

/// The type that starts `t`: `VARCHAR(255)`, `CHARACTER VARYING`, `DECIMAL(65,30)`, `"Role"`.
pub(super) fn col_type(s: &Statement, t: &[usize]) -> Option<ColType> {
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
pub(super) fn no_rewrite(old: &ColType, new: &ColType) -> bool {
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
pub(super) fn learn_action(s: &Statement, a: &[usize], table: &str, schema: &mut Schema) {
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
pub(super) fn learn_create_table(s: &Statement, head: usize, schema: &mut Schema) {
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
