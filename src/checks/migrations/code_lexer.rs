//! A small lexer for migrations written in code (Python, Ruby, JavaScript/TypeScript): enough
//! to find framework calls such as `op.drop_column(` or `remove_column` outside comments and
//! strings, the SQL strings handed to `execute`, and the bounds of the `downgrade`/`down`
//! part, which undoes the migration and is expected to drop things.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Ruby,
    Js,
}

impl Lang {
    pub fn of(path: &[u8]) -> Option<Lang> {
        let ext = path.rsplit(|&b| b == b'.').next()?;
        match ext {
            b"py" => Some(Lang::Python),
            b"rb" => Some(Lang::Ruby),
            b"js" | b"ts" | b"cjs" | b"mjs" => Some(Lang::Js),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CTok {
    Ident(String),
    Str(String),
    Punct(char),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CToken {
    pub tok: CTok,
    pub line: u32,
}

#[derive(Debug, Default)]
pub struct CodeLexed {
    pub tokens: Vec<CToken>,
    pub comments: Vec<(u32, String)>,
}

pub use super::sql_lexer::LexError;

pub fn lex(src: &str, lang: Lang) -> Result<CodeLexed, LexError> {
    let b = src.as_bytes();
    let mut out = CodeLexed::default();
    let mut i = 0;
    let mut line = 1u32;
    // Ruby heredocs waiting for their body, which starts on the next line.
    let mut heredocs: Vec<(String, bool, u32)> = Vec::new();
    let mut depth = 0i32;
    while i < b.len() {
        let c = b[i];
        let start = line;
        match c {
            b'\n' => {
                line += 1;
                i += 1;
                // Ruby heredoc bodies: each runs to a line holding only its terminator.
                for (term, _squiggly, open_line) in std::mem::take(&mut heredocs) {
                    let mut body = String::new();
                    let mut found = false;
                    while i < b.len() {
                        let end = b[i..]
                            .iter()
                            .position(|&x| x == b'\n')
                            .map_or(b.len(), |p| i + p);
                        let l = &src[i..end];
                        i = (end + 1).min(b.len());
                        line += 1;
                        if l.trim() == term {
                            found = true;
                            break;
                        }
                        body.push_str(l);
                        body.push('\n');
                    }
                    if !found {
                        return Err(LexError {
                            what: "heredoc",
                            line: open_line,
                        });
                    }
                    out.tokens.push(CToken {
                        tok: CTok::Str(body),
                        line: open_line + 1,
                    });
                }
            }
            _ if c.is_ascii_whitespace() => i += 1,
            b'#' if lang != Lang::Js => {
                let end = line_end(b, i);
                out.comments.push((line, src[i + 1..end].to_owned()));
                i = end;
            }
            b'/' if lang == Lang::Js && b.get(i + 1) == Some(&b'/') => {
                let end = line_end(b, i);
                out.comments.push((line, src[i + 2..end].to_owned()));
                i = end;
            }
            b'/' if lang == Lang::Js && b.get(i + 1) == Some(&b'*') => {
                let close = find(&b[i + 2..], b"*/").ok_or(LexError {
                    what: "/* comment",
                    line,
                })?;
                let end = i + 2 + close + 2;
                out.comments.push((line, src[i + 2..end - 2].to_owned()));
                line += count_nl(&b[i..end]);
                i = end;
            }
            b'=' if lang == Lang::Ruby && at_line_start(b, i) && b[i..].starts_with(b"=begin") => {
                let close = find(&b[i..], b"\n=end").ok_or(LexError {
                    what: "=begin comment",
                    line,
                })?;
                let end = line_end(b, i + close + 1);
                out.comments.push((line, src[i..end].to_owned()));
                line += count_nl(&b[i..end]);
                i = end;
            }
            b'<' if lang == Lang::Ruby
                && b[i..].starts_with(b"<<")
                && heredoc_start(b, i).is_some() =>
            {
                let (term, squiggly, end) = heredoc_start(b, i).unwrap_or_default();
                heredocs.push((term, squiggly, line));
                i = end;
            }
            b'\'' | b'"' | b'`' => {
                let triple = lang == Lang::Python && b[i..].starts_with(&[c, c, c]);
                let (end, text) = if triple {
                    let close = find(&b[i + 3..], &[c, c, c]).ok_or(LexError {
                        what: "string",
                        line,
                    })?;
                    (i + 3 + close + 3, src[i + 3..i + 3 + close].to_owned())
                } else {
                    string(b, i, c, lang).ok_or(LexError {
                        what: "string",
                        line,
                    })?
                };
                line += count_nl(&b[i..end]);
                // Python prefixes (r, b, f, u) were lexed as an identifier: drop them.
                if lang == Lang::Python {
                    if let Some(CToken {
                        tok: CTok::Ident(p),
                        line: l,
                    }) = out.tokens.last()
                    {
                        if *l == start
                            && p.len() <= 2
                            && p.chars().all(|ch| "rbfuRBFU".contains(ch))
                            && i > 0
                            && is_ident(b[i - 1])
                        {
                            out.tokens.pop();
                        }
                    }
                }
                out.tokens.push(CToken {
                    tok: CTok::Str(text),
                    line: start,
                });
                i = end;
            }
            _ if is_ident(c) => {
                let end = b[i..]
                    .iter()
                    .position(|&x| !is_ident(x))
                    .map_or(b.len(), |p| i + p);
                out.tokens.push(CToken {
                    tok: CTok::Ident(src[i..end].to_owned()),
                    line,
                });
                i = end;
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                match ch {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                if depth < 0 {
                    return Err(LexError {
                        what: "closing bracket without an opening one",
                        line,
                    });
                }
                out.tokens.push(CToken {
                    tok: CTok::Punct(ch),
                    line,
                });
                i += ch.len_utf8();
            }
        }
    }
    if let Some((_, _, l)) = heredocs.first() {
        return Err(LexError {
            what: "heredoc",
            line: *l,
        });
    }
    if depth > 0 {
        let line = out
            .tokens
            .iter()
            .rev()
            .find(|t| matches!(t.tok, CTok::Punct('(' | '[' | '{')))
            .map_or(1, |t| t.line);
        return Err(LexError {
            what: "bracket",
            line,
        });
    }
    Ok(out)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&x| x == b'\n')
        .map_or(b.len(), |p| i + p)
}

fn at_line_start(b: &[u8], i: usize) -> bool {
    i == 0 || b[i - 1] == b'\n'
}

fn count_nl(b: &[u8]) -> u32 {
    b.iter().filter(|&&c| c == b'\n').count() as u32
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A one-line (or, for JS template literals, multi-line) string with backslash escapes.
fn string(b: &[u8], start: usize, q: u8, lang: Lang) -> Option<(usize, String)> {
    let multiline = lang == Lang::Js && q == b'`' || lang == Lang::Ruby;
    let mut j = start + 1;
    let mut text = Vec::new();
    while j < b.len() {
        match b[j] {
            b'\\' if j + 1 < b.len() => {
                text.push(b[j + 1]);
                j += 2;
            }
            c if c == q => return Some((j + 1, String::from_utf8_lossy(&text).into_owned())),
            b'\n' if !multiline => return None,
            c => {
                text.push(c);
                j += 1;
            }
        }
    }
    None
}

/// `<<~SQL`, `<<-SQL`, `<<SQL`, `<<~'SQL'`: the terminator, whether indented, and the index after it.
fn heredoc_start(b: &[u8], i: usize) -> Option<(String, bool, usize)> {
    let mut j = i + 2;
    let squiggly = matches!(b.get(j), Some(b'~' | b'-'));
    if squiggly {
        j += 1;
    }
    let quote = matches!(b.get(j), Some(b'\'' | b'"')).then(|| b[j]);
    if quote.is_some() {
        j += 1;
    }
    let s = j;
    while j < b.len() && (b[j].is_ascii_uppercase() || b[j] == b'_' || b[j].is_ascii_digit()) {
        j += 1;
    }
    if j == s || !b[s].is_ascii_uppercase() {
        return None;
    }
    let term = String::from_utf8_lossy(&b[s..j]).into_owned();
    if let Some(q) = quote {
        if b.get(j) != Some(&q) {
            return None;
        }
        j += 1;
    }
    Some((term, squiggly, j))
}

/// Line ranges (inclusive) of the part that undoes the migration: Python `def downgrade`
/// (indentation), Ruby `def down` (to the `end` at the same indentation), JS `down` (braces).
pub fn down_regions(src: &str, lang: Lang, lexed: &CodeLexed) -> Vec<(u32, u32)> {
    match lang {
        Lang::Python | Lang::Ruby => indent_regions(src, lang),
        Lang::Js => brace_regions(lexed),
    }
}

fn indent_regions(src: &str, lang: Lang) -> Vec<(u32, u32)> {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Vec::new();
    let mut n = 0;
    while n < lines.len() {
        let l = lines[n];
        let t = l.trim_start();
        let indent = l.len() - t.len();
        let is_down = match lang {
            Lang::Python => {
                let t = t.strip_prefix("async ").unwrap_or(t);
                t.strip_prefix("def ")
                    .is_some_and(|r| r.starts_with("downgrade") || r.starts_with("down("))
            }
            _ => t.strip_prefix("def ").is_some_and(|r| {
                let r = r.strip_prefix("self.").unwrap_or(r);
                r == "down"
                    || r.starts_with("down ")
                    || r.starts_with("down;")
                    || r.starts_with("down(")
            }),
        };
        if !is_down {
            n += 1;
            continue;
        }
        let mut m = n + 1;
        while m < lines.len() {
            let l2 = lines[m];
            let t2 = l2.trim_start();
            let ind2 = l2.len() - t2.len();
            if lang == Lang::Ruby && ind2 == indent && (t2 == "end" || t2.starts_with("end ")) {
                break;
            }
            if lang == Lang::Python && !t2.is_empty() && !t2.starts_with('#') && ind2 <= indent {
                m -= 1;
                break;
            }
            m += 1;
        }
        let last = m.min(lines.len() - 1);
        out.push((n as u32 + 1, last as u32 + 1));
        n = last + 1;
    }
    out
}

fn brace_regions(lexed: &CodeLexed) -> Vec<(u32, u32)> {
    let t = &lexed.tokens;
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let is_down = matches!(&t[i].tok, CTok::Ident(s) if s == "down")
            && matches!(
                t.get(i + 1).map(|x| &x.tok),
                Some(CTok::Punct('(' | ':' | '='))
            );
        if !is_down {
            i += 1;
            continue;
        }
        let Some(open) = (i..t.len()).find(|&k| t[k].tok == CTok::Punct('{')) else {
            break;
        };
        let mut depth = 0;
        let mut k = open;
        while k < t.len() {
            match t[k].tok {
                CTok::Punct('{') => depth += 1,
                CTok::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        let end = t.get(k).or(t.last()).map_or(t[i].line, |x| x.line);
        out.push((t[i].line, end));
        i = k + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(l: &CodeLexed) -> Vec<&str> {
        l.tokens
            .iter()
            .filter_map(|t| match &t.tok {
                CTok::Ident(s) => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn python_strings_and_comments() {
        let src =
            "\"\"\"doc op.drop_table\n\"\"\"\n# op.drop_column('a')\nop.execute(r'DROP TABLE x')\n";
        let l = lex(src, Lang::Python).unwrap();
        assert_eq!(idents(&l), ["op", "execute"]);
        assert_eq!(l.tokens[0].tok, CTok::Str("doc op.drop_table\n".into()));
        assert!(matches!(&l.tokens[5].tok, CTok::Str(s) if s == "DROP TABLE x"));
        assert_eq!(l.tokens[5].line, 4);
    }

    #[test]
    fn ruby_heredoc() {
        let src = "execute <<~SQL\n  DROP TABLE users;\nSQL\nremove_column :a, :b\n";
        let l = lex(src, Lang::Ruby).unwrap();
        assert_eq!(idents(&l), ["execute", "remove_column", "a", "b"]);
        assert!(l
            .tokens
            .iter()
            .any(|t| matches!(&t.tok, CTok::Str(s) if s.contains("DROP TABLE"))));
        assert_eq!(
            l.tokens
                .iter()
                .find(|t| t.tok == CTok::Ident("remove_column".into()))
                .map(|t| t.line),
            Some(4)
        );
    }

    #[test]
    fn errors() {
        assert!(lex("op.drop_table('x'\n", Lang::Python).is_err());
        assert!(lex("x = 'abc\n", Lang::Python).is_err());
        assert!(lex("execute <<~SQL\nDROP\n", Lang::Ruby).is_err());
    }

    #[test]
    fn down_parts() {
        let py = "def upgrade():\n    op.add_column('a')\n\n\ndef downgrade():\n    op.drop_column('a', 'b')\n";
        let l = lex(py, Lang::Python).unwrap();
        assert_eq!(down_regions(py, Lang::Python, &l), vec![(5, 6)]);
        let rb = "class A\n  def up\n    add_column :a\n  end\n  def down\n    remove_column :a\n  end\nend\n";
        assert_eq!(
            down_regions(rb, Lang::Ruby, &lex(rb, Lang::Ruby).unwrap()),
            vec![(5, 7)]
        );
        let js = "exports.up = function(knex) {\n  return 1;\n};\nexports.down = function(knex) {\n  return knex.schema.dropTable('a');\n};\n";
        assert_eq!(
            down_regions(js, Lang::Js, &lex(js, Lang::Js).unwrap()),
            vec![(4, 6)]
        );
    }
}
