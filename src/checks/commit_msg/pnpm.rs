//! The `packages:` list of a `pnpm-workspace.yaml`, read without a YAML library: the file is a
//! handful of top-level keys, and `packages` is a list of glob strings in block
//! (`  - 'apps/*'`) or flow (`packages: ['apps/*']`) style. Anything else under `packages` is an
//! error naming its line, never a silently smaller list.

/// `(glob, 1-based line)` of each entry; `Err((line, message))` for a shape this does not read.
pub fn packages(text: &str) -> Result<Vec<(String, usize)>, (usize, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = strip_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        let top_level = !line.starts_with([' ', '\t']) && !line.starts_with('-');
        if top_level {
            inside = false;
            if let Some(rest) = line.strip_prefix("packages:") {
                let rest = rest.trim();
                if rest.is_empty() {
                    inside = true;
                } else if let Some(flow) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']'))
                {
                    for item in flow.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        out.push((unquote(item, n)?, n));
                    }
                } else {
                    return Err((
                        n,
                        "`packages:` must be a list of globs, e.g. `packages:` then `  - 'apps/*'`"
                            .into(),
                    ));
                }
            }
            continue;
        }
        if inside {
            let item = line.trim_start();
            match item.strip_prefix('-') {
                Some(v) if v.is_empty() || v.starts_with([' ', '\t']) => {
                    out.push((unquote(v.trim(), n)?, n));
                }
                _ => {
                    return Err((
                        n,
                        format!(
                            "`{}` under `packages:` is not a `- 'glob'` entry",
                            item.trim()
                        ),
                    ));
                }
            }
        }
    }
    Ok(out)
}

fn strip_comment(line: &str) -> &str {
    // A `#` starts a comment at the line's start or after a space, outside quotes.
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return &line[..i],
            None => {}
        }
        prev = c;
    }
    line
}

fn unquote(v: &str, line: usize) -> Result<String, (usize, String)> {
    let inner = match v.chars().next() {
        Some(q @ ('\'' | '"')) => v
            .strip_prefix(q)
            .and_then(|r| r.strip_suffix(q))
            .ok_or_else(|| (line, format!("unterminated quote in `{v}`")))?,
        _ => v,
    };
    if inner.is_empty() {
        return Err((line, "an empty entry under `packages:`".into()));
    }
    Ok(inner.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_and_flow_lists() {
        let t = "# ws\npackages:\n  - 'apps/*'\n  - \"libs/**\" # all\n  - '!**/test/**'\ncatalog:\n  x: 1\n";
        let got: Vec<String> = packages(t).unwrap().into_iter().map(|p| p.0).collect();
        assert_eq!(got, ["apps/*", "libs/**", "!**/test/**"]);
        assert_eq!(packages("packages: ['a/*', b]\n").unwrap().len(), 2);
    }

    #[test]
    fn other_shapes_name_their_line() {
        assert_eq!(
            packages("packages:\n  - 'a/*'\n  key: 1\n").unwrap_err().0,
            3
        );
        assert_eq!(packages("packages: apps/*\n").unwrap_err().0, 1);
        assert_eq!(packages("packages:\n  - 'a/*\n").unwrap_err().0, 2);
    }
}
