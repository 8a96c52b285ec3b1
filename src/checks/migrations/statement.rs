//! Reading the shape of a lexed SQL statement: its verb, the names it acts on, and the actions
//! of an ALTER TABLE.

use super::sql_lexer::{Statement, Tok};

/// Index of the statement's verb: after a `WITH … AS (…)` prefix, the first top-level word
/// that follows a `)`.
pub(super) fn statement_head(s: &Statement) -> usize {
    if s.word(0) != Some("WITH") {
        return 0;
    }
    let mut depth = 0i32;
    for (i, t) in s.tokens.iter().enumerate() {
        match t.tok {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => depth -= 1,
            Tok::Word(ref w)
                if depth == 0
                    && i > 0
                    && s.tokens[i - 1].tok == Tok::Punct(')')
                    && matches!(w.as_str(), "SELECT" | "INSERT" | "UPDATE" | "DELETE") =>
            {
                return i
            }
            _ => {}
        }
    }
    0
}

pub(super) fn after_words(s: &Statement, seq: &[&str]) -> Option<usize> {
    (0..s.tokens.len())
        .find(|&i| {
            seq.iter()
                .enumerate()
                .all(|(k, w)| s.word(i + k) == Some(w))
        })
        .map(|i| i + seq.len())
}

pub(super) fn skip_if_not_exists(s: &Statement, i: usize) -> usize {
    if s.word(i) == Some("IF") && s.word(i + 1) == Some("NOT") && s.word(i + 2) == Some("EXISTS") {
        i + 3
    } else {
        i
    }
}

pub(super) fn skip_if_exists(s: &Statement, i: usize) -> usize {
    let i = if s.word(i) == Some("ONLY") { i + 1 } else { i };
    if s.word(i) == Some("IF") && s.word(i + 1) == Some("EXISTS") {
        i + 2
    } else {
        i
    }
}

/// A possibly schema-qualified name at `i`, lower-cased unless quoted (`public."User"` → `User`).
pub(super) fn name_at(s: &Statement, mut i: usize) -> Option<String> {
    let mut last = None;
    loop {
        last = Some(match s.tokens.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            Some(Tok::Ident(w)) => w.clone(),
            _ => return last,
        });
        if s.tokens.get(i + 1).map(|t| &t.tok) == Some(&Tok::Punct('.')) {
            i += 2;
        } else {
            return last;
        }
    }
}

/// The actions of `ALTER TABLE name action, action, …` (token indices, split at top-level
/// commas), each starting at its verb.
pub(super) fn actions(s: &Statement, from: usize) -> Vec<Vec<usize>> {
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
pub(super) fn top_words(s: &Statement, a: &[usize]) -> Vec<(usize, String)> {
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

/// A column or table name token: quoted as written, bare lower-cased.
pub(super) fn ident(s: &Statement, i: usize) -> Option<String> {
    match s.tokens.get(i).map(|t| &t.tok) {
        Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
        Some(Tok::Ident(w)) => Some(w.clone()),
        _ => None,
    }
}
