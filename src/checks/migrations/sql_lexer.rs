//! A small SQL lexer: enough to split a migration into statements and see its keywords, while
//! skipping everything that is not code — `--` and (nested) `/* */` comments, `'strings'`
//! (with `''`, and `E'\''` escapes), `"quoted identifiers"`, `` `backticks` `` and Postgres
//! `$tag$ dollar-quoted $tag$` bodies. A `DROP COLUMN` inside any of these is not a statement.

/// One token. Words are upper-cased so rules compare with `"DROP"`; identifiers keep their text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A bare word (keyword or unquoted identifier), upper-cased.
    Word(String),
    /// A quoted identifier (`"User"`, `` `user` ``), unquoted, case kept.
    Ident(String),
    /// A string literal or dollar-quoted body; the content is kept for callers that want it.
    Str(String),
    /// A number, as written (`255`, `1.5`).
    Number(String),
    /// Any other single character: `(`, `)`, `,`, `.`, `=`, …
    Punct(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    /// 1-based line of the token's first character.
    pub line: u32,
}

/// A statement: the tokens between two top-level `;`.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    pub tokens: Vec<Token>,
}

impl Statement {
    pub fn line(&self) -> u32 {
        self.tokens.first().map_or(1, |t| t.line)
    }
    /// The upper-cased word at `i`, if the token is a bare word.
    pub fn word(&self, i: usize) -> Option<&str> {
        match self.tokens.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }
    pub fn has_word(&self, w: &str) -> bool {
        self.tokens
            .iter()
            .any(|t| matches!(&t.tok, Tok::Word(x) if x == w))
    }
    /// True when the words `seq` appear consecutively somewhere in the statement.
    pub fn has_words(&self, seq: &[&str]) -> bool {
        (0..self.tokens.len()).any(|i| {
            seq.iter()
                .enumerate()
                .all(|(k, w)| self.word(i + k) == Some(w))
        })
    }
}

/// The lexed file: its statements and its comments (with their lines).
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    pub statements: Vec<Statement>,
    pub comments: Vec<(u32, String)>,
    /// An identifier was quoted with backticks: MySQL or SQLite, never Postgres.
    pub backticks: bool,
}

/// Why a file could not be lexed: the construct left open and the line it started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub what: &'static str,
    pub line: u32,
}

impl std::fmt::Display for LexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unterminated {} starting on line {}",
            self.what, self.line
        )
    }
}

pub fn lex(src: &str) -> Result<Lexed, LexError> {
    let b = src.as_bytes();
    let mut out = Lexed::default();
    let mut cur = Statement::default();
    let mut i = 0;
    let mut line = 1u32;
    // Counts the newlines in b[from..to] into `line`.
    let advance = |line: &mut u32, from: usize, to: usize| {
        *line += b[from..to].iter().filter(|&&c| c == b'\n').count() as u32;
    };
    while i < b.len() {
        let c = b[i];
        let start_line = line;
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            _ if c.is_ascii_whitespace() => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                let end = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| i + p);
                out.comments.push((line, src[i + 2..end].to_owned()));
                i = end;
            }
            b'#' if cur.tokens.is_empty()
                && b.get(i + 1).is_some_and(|x| *x == b' ' || *x == b'#') =>
            {
                // MySQL `# comment` at the start of a statement.
                let end = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| i + p);
                out.comments.push((line, src[i + 1..end].to_owned()));
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 1;
                let mut j = i + 2;
                while j < b.len() && depth > 0 {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                if depth > 0 {
                    return Err(LexError {
                        what: "/* comment",
                        line,
                    });
                }
                out.comments.push((line, src[i + 2..j - 2].to_owned()));
                advance(&mut line, i, j);
                i = j;
            }
            b'\'' => {
                let backslash =
                    i > 0 && matches!(b[i - 1], b'E' | b'e') && (i < 2 || !is_word(b[i - 2]));
                let (end, text) = quoted(b, i, b'\'', backslash).ok_or(LexError {
                    what: "string",
                    line,
                })?;
                advance(&mut line, i, end);
                // `E'…'`: the `E` was lexed as a word; it is part of the string.
                if backslash
                    && matches!(cur.tokens.last(), Some(Token { tok: Tok::Word(w), .. }) if w == "E")
                {
                    cur.tokens.pop();
                }
                cur.tokens.push(Token {
                    tok: Tok::Str(text),
                    line: start_line,
                });
                i = end;
            }
            b'"' | b'`' => {
                out.backticks |= c == b'`';
                let (end, text) = quoted(b, i, c, false).ok_or(LexError {
                    what: "quoted identifier",
                    line,
                })?;
                advance(&mut line, i, end);
                cur.tokens.push(Token {
                    tok: Tok::Ident(text),
                    line: start_line,
                });
                i = end;
            }
            b'$' if dollar_tag(b, i).is_some() => {
                let tag_end = dollar_tag(b, i).unwrap_or(i + 1);
                let tag = &b[i..tag_end];
                let body_start = tag_end;
                let close = find(&b[body_start..], tag).ok_or(LexError {
                    what: "dollar-quoted body",
                    line,
                })?;
                let body_end = body_start + close;
                let end = body_end + tag.len();
                cur.tokens.push(Token {
                    tok: Tok::Str(src[body_start..body_end].to_owned()),
                    line: start_line,
                });
                advance(&mut line, i, end);
                i = end;
            }
            b';' => {
                if !cur.tokens.is_empty() {
                    out.statements.push(std::mem::take(&mut cur));
                }
                i += 1;
            }
            _ if c.is_ascii_digit() => {
                let end = b[i..]
                    .iter()
                    .position(|&x| !(x.is_ascii_alphanumeric() || x == b'.' || x == b'_'))
                    .map_or(b.len(), |p| i + p);
                cur.tokens.push(Token {
                    tok: Tok::Number(src[i..end].to_owned()),
                    line,
                });
                i = end;
            }
            _ if is_word(c) => {
                let end = b[i..]
                    .iter()
                    .position(|&x| !is_word(x))
                    .map_or(b.len(), |p| i + p);
                cur.tokens.push(Token {
                    tok: Tok::Word(src[i..end].to_ascii_uppercase()),
                    line,
                });
                i = end;
            }
            _ => {
                // One character; a multi-byte UTF-8 character is skipped whole.
                let ch = src[i..].chars().next().unwrap_or('?');
                cur.tokens.push(Token {
                    tok: Tok::Punct(ch),
                    line,
                });
                i += ch.len_utf8();
            }
        }
    }
    if !cur.tokens.is_empty() {
        out.statements.push(cur);
    }
    Ok(out)
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// A quoted run starting at `start` (the opening quote); a doubled quote is an escaped quote,
/// and with `backslash` so is `\'`. Returns the index after the closing quote and the content.
fn quoted(b: &[u8], start: usize, q: u8, backslash: bool) -> Option<(usize, String)> {
    let mut j = start + 1;
    let mut text = Vec::new();
    while j < b.len() {
        let c = b[j];
        if backslash && c == b'\\' && j + 1 < b.len() {
            text.push(b[j + 1]);
            j += 2;
        } else if c == q {
            if b.get(j + 1) == Some(&q) {
                text.push(q);
                j += 2;
            } else {
                return Some((j + 1, String::from_utf8_lossy(&text).into_owned()));
            }
        } else {
            text.push(c);
            j += 1;
        }
    }
    None
}

/// `$$` or `$tag$` at `i` (not `$1`, a parameter): the index after the opening tag.
fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    if i > 0 && is_word(b[i - 1]) {
        return None; // part of an identifier such as `a$b`
    }
    let mut j = i + 1;
    if b.get(j).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    (b.get(j) == Some(&b'$')).then_some(j + 1)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &Statement) -> Vec<String> {
        s.tokens
            .iter()
            .filter_map(|t| match &t.tok {
                Tok::Word(w) => Some(w.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn splits_statements_and_upper_cases_words() {
        let l = lex("create table a (id int);\nalter table a drop column b;").unwrap();
        assert_eq!(l.statements.len(), 2);
        assert_eq!(
            words(&l.statements[1]),
            ["ALTER", "TABLE", "A", "DROP", "COLUMN", "B"]
        );
        assert_eq!(l.statements[1].line(), 2);
        assert!(l.statements[1].has_words(&["DROP", "COLUMN"]));
    }

    #[test]
    fn comments_are_not_code() {
        let l = lex(
            "-- ALTER TABLE a DROP COLUMN b;\n/* DROP TABLE x; /* nested */ still */ SELECT 1;",
        )
        .unwrap();
        assert_eq!(l.statements.len(), 1);
        assert_eq!(words(&l.statements[0]), ["SELECT"]);
        assert_eq!(l.comments.len(), 2);
        assert_eq!(l.comments[0].0, 1);
    }

    #[test]
    fn strings_and_identifiers_are_not_code() {
        let l =
            lex("INSERT INTO notes VALUES ('it''s; DROP COLUMN x');\nSELECT \"DROP\";").unwrap();
        assert_eq!(l.statements.len(), 2);
        assert!(!l.statements[0].has_word("DROP"));
        assert_eq!(
            l.statements[0].tokens.last().map(|t| &t.tok),
            Some(&Tok::Punct(')'))
        );
        assert!(
            matches!(&l.statements[0].tokens[5].tok, Tok::Str(s) if s == "it's; DROP COLUMN x")
        );
        assert!(!l.statements[1].has_word("DROP"));
        assert_eq!(l.statements[1].line(), 2);
    }

    #[test]
    fn backslash_escapes_only_in_e_strings() {
        let l = lex(r"SELECT E'a\'b; DROP TABLE t'; SELECT 'c\'; SELECT 2;").unwrap();
        assert_eq!(l.statements.len(), 3, "{:?}", l.statements);
        assert!(!l.statements.iter().any(|s| s.has_word("DROP")));
    }

    #[test]
    fn dollar_quoted_bodies_are_one_token() {
        let src = "CREATE FUNCTION f() RETURNS void AS $body$\nBEGIN\n  DROP TABLE t;\nEND;\n$body$ LANGUAGE plpgsql;\nSELECT $1, $$x;$$;";
        let l = lex(src).unwrap();
        assert_eq!(l.statements.len(), 2, "{:?}", l.statements);
        assert!(!l.statements[0].has_word("DROP"));
        assert_eq!(l.statements[1].line(), 6);
    }

    #[test]
    fn unterminated_constructs_are_errors() {
        assert_eq!(
            lex("SELECT 'abc").unwrap_err(),
            LexError {
                what: "string",
                line: 1
            }
        );
        assert_eq!(lex("\n/* x").unwrap_err().line, 2);
        assert_eq!(lex("SELECT $$ x").unwrap_err().what, "dollar-quoted body");
        assert!(lex("SELECT \"x").is_err());
    }

    #[test]
    fn lines_count_through_multiline_tokens() {
        let l = lex("SELECT 'a\nb';\n\nDROP TABLE t;").unwrap();
        assert_eq!(l.statements[1].line(), 4);
    }

    #[test]
    fn numbers_keep_their_text_and_backticks_are_noticed() {
        let l = lex("ALTER TABLE t ALTER c TYPE DECIMAL(65,30);").unwrap();
        let nums: Vec<_> = l.statements[0]
            .tokens
            .iter()
            .filter_map(|t| match &t.tok {
                Tok::Number(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(nums, ["65", "30"]);
        assert!(!l.backticks);
        assert!(lex("CREATE INDEX `i` ON `t` (`a`);").unwrap().backticks);
        assert!(
            !lex("SELECT '`not an identifier`'; -- `nor this`")
                .unwrap()
                .backticks
        );
    }

    #[test]
    fn non_ascii_is_fine() {
        let l = lex("SELECT 'ü'; -- é\nSELECT ß;").unwrap();
        assert_eq!(l.statements.len(), 2);
    }
}
