//! Turning a `run`/`fix` string into processes. File names never go through a shell: a plain
//! command is split into words once (shell-style quoting) and `{files}` becomes one argv entry per
//! file; a command that needs a shell (pipes, `&&`, `$VAR`, redirections) runs as
//! `sh -c SCRIPT NAME FILE…` with `{files}` replaced by `"$@"`, so the files arrive as positional
//! arguments. Either way a name with spaces, quotes or newlines stays one argument.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::batch::Batch;

pub const FILES: &str = "{files}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Template {
    /// Words; `None` marks where the files go.
    Direct(Vec<Option<String>>),
    /// A shell script with `"$@"` where the files go.
    Shell(String),
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let (words, needs_shell) = split(text)?;
        if words.is_empty() {
            return Err("empty command".into());
        }
        if needs_shell {
            let script = if text.contains(FILES) {
                text.replace(FILES, "\"$@\"")
            } else {
                format!("{text} \"$@\"")
            };
            return Ok(Template::Shell(script));
        }
        let mut out: Vec<Option<String>> = Vec::with_capacity(words.len() + 1);
        for w in words {
            if w == FILES {
                out.push(None);
            } else if w.contains(FILES) {
                return Err(format!("`{w}`: write {FILES} as a word of its own"));
            } else {
                out.push(Some(w));
            }
        }
        if out.first().is_some_and(Option::is_none) {
            return Err(format!("the command cannot start with {FILES}"));
        }
        if !out.iter().any(Option::is_none) {
            out.push(None);
        }
        Ok(Template::Direct(out))
    }

    /// The program the command starts, for "not installed" messages.
    pub fn program(&self) -> String {
        match self {
            Template::Direct(w) => w.first().cloned().flatten().unwrap_or_default(),
            Template::Shell(s) => s.split_whitespace().next().unwrap_or("sh").to_owned(),
        }
    }

    /// The argv for one run on `files` (none when `pass_filenames = false`).
    pub fn argv(&self, name: &str, files: &[OsString]) -> Vec<OsString> {
        match self {
            Template::Direct(words) => {
                let mut argv = Vec::with_capacity(words.len() + files.len());
                for w in words {
                    match w {
                        Some(w) => argv.push(OsString::from(w)),
                        None => argv.extend(files.iter().cloned()),
                    }
                }
                argv
            }
            Template::Shell(script) => {
                let mut argv = vec![
                    OsString::from("sh"),
                    OsString::from("-c"),
                    OsString::from(script),
                    OsString::from(name),
                ];
                argv.extend(files.iter().cloned());
                argv
            }
        }
    }

    /// Bytes the argv takes before any file.
    fn fixed_len(&self, name: &str) -> usize {
        self.argv(name, &[]).iter().map(|a| a.len() + 1 + 8).sum()
    }
}

/// Shell-style word splitting: `'…'` literal, `"…"` with `\` escapes, `\x` outside quotes.
/// Also says whether the text uses shell syntax (unquoted `| & ; < > ( ) $ \``, or `$`/`` ` ``
/// inside double quotes, or a newline) and so must run under `sh -c`.
fn split(text: &str) -> Result<(Vec<String>, bool), String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut shell = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err("unclosed single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err("unclosed double quote".into()),
                        },
                        Some(c @ ('$' | '`')) => {
                            shell = true;
                            cur.push(c);
                        }
                        Some(c) => cur.push(c),
                        None => return Err("unclosed double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => cur.push(c),
                    None => cur.push('\\'),
                }
            }
            c if c == ' ' || c == '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                if matches!(
                    c,
                    '|' | '&' | ';' | '<' | '>' | '(' | ')' | '$' | '`' | '\n' | '*' | '?'
                ) {
                    shell = true;
                }
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok((words, shell))
}

/// How many argv bytes one process may take: the OS limit minus the environment, with margin.
pub fn arg_budget() -> usize {
    #[cfg(unix)]
    let max = {
        // SAFETY: sysconf has no preconditions.
        let v = unsafe { libc::sysconf(libc::_SC_ARG_MAX) };
        if v > 0 {
            v as usize
        } else {
            128 * 1024
        }
    };
    #[cfg(not(unix))]
    let max = 32 * 1024;
    let env: usize = std::env::vars_os()
        .map(|(k, v)| k.len() + v.len() + 2 + 8)
        .sum();
    max.saturating_sub(env)
        .saturating_sub(8 * 1024)
        .max(16 * 1024)
}

/// Splits `files` into runs that fit under `budget` argv bytes (and `Batch::Max`).
pub fn batches(
    t: &Template,
    name: &str,
    files: &[OsString],
    batch: Batch,
    budget: usize,
) -> Vec<Vec<OsString>> {
    if files.is_empty() {
        return Vec::new();
    }
    if batch == Batch::Never {
        return vec![files.to_vec()];
    }
    let max_files = match batch {
        Batch::Max(n) => n,
        _ => usize::MAX,
    };
    let fixed = t.fixed_len(name);
    let mut out = Vec::new();
    let mut cur: Vec<OsString> = Vec::new();
    let mut size = fixed;
    for f in files {
        let cost = f.len() + 1 + 8;
        if !cur.is_empty() && (size + cost > budget || cur.len() >= max_files) {
            out.push(std::mem::take(&mut cur));
            size = fixed;
        }
        size += cost;
        cur.push(f.clone());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Where `program` would be found: a path with a `/` as is (relative to `cwd`), else on PATH.
pub fn find_program(program: &str, cwd: &Path, path_var: &std::ffi::OsStr) -> Option<PathBuf> {
    if program.contains('/') {
        let p = cwd.join(program);
        return p.is_file().then_some(p);
    }
    // Windows finds `prettier` as `prettier.cmd` or `prettier.exe`: the extensions in PATHEXT.
    let pathext = cfg!(windows).then(|| std::env::var_os("PATHEXT")).flatten();
    candidates(program, std::env::split_paths(path_var), pathext.as_deref())
        .into_iter()
        .find(|p| is_executable(p))
}

/// Where to look for `program`, in order: each PATH directory, and there, when `pathext` is
/// given (Windows), the name with each of its extensions unless it already ends in one.
fn candidates(
    program: &str,
    dirs: impl Iterator<Item = PathBuf>,
    pathext: Option<&std::ffi::OsStr>,
) -> Vec<PathBuf> {
    let exts: Vec<String> = pathext
        .map(|v| {
            v.to_string_lossy()
                .split(';')
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let lower = program.to_lowercase();
    let has_ext = exts.iter().any(|e| lower.ends_with(&e.to_lowercase()));
    let mut out = Vec::new();
    for d in dirs {
        if exts.is_empty() || has_ext {
            out.push(d.join(program));
        } else {
            out.extend(exts.iter().map(|e| d.join(format!("{program}{e}"))));
        }
    }
    out
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn pathext_gives_each_extension_in_each_directory() {
        let dirs = || vec![PathBuf::from("a"), PathBuf::from("b")].into_iter();
        let ext = std::ffi::OsStr::new(".COM;.EXE;;.CMD");
        assert_eq!(
            candidates("prettier", dirs(), Some(ext)),
            [
                "a/prettier.COM",
                "a/prettier.EXE",
                "a/prettier.CMD",
                "b/prettier.COM",
                "b/prettier.EXE",
                "b/prettier.CMD"
            ]
            .map(PathBuf::from)
        );
        // Already has one of the extensions (any case): looked for as written.
        assert_eq!(
            candidates("ruff.exe", dirs(), Some(ext)),
            ["a/ruff.exe", "b/ruff.exe"].map(PathBuf::from)
        );
        // No PATHEXT (unix): the name itself.
        assert_eq!(
            candidates("ruff", dirs(), None),
            ["a/ruff", "b/ruff"].map(PathBuf::from)
        );
    }

    #[test]
    fn files_become_separate_arguments() {
        let t = Template::parse("black --check 'a b' {files}").unwrap();
        let argv = t.argv("black", &os(&["x y.py", "$(rm -rf).py"]));
        assert_eq!(
            argv,
            os(&["black", "--check", "a b", "x y.py", "$(rm -rf).py"])
        );
        // No {files}: appended.
        let t = Template::parse("ruff check").unwrap();
        assert_eq!(t.argv("r", &os(&["a.py"])), os(&["ruff", "check", "a.py"]));
    }

    #[test]
    fn shell_syntax_runs_under_sh_with_positional_files() {
        let t = Template::parse("mypy {files} && echo ok").unwrap();
        assert_eq!(t, Template::Shell("mypy \"$@\" && echo ok".into()));
        let argv = t.argv("mypy", &os(&["a b.py"]));
        assert_eq!(argv[..2], os(&["sh", "-c"])[..]);
        assert_eq!(argv[3..], os(&["mypy", "a b.py"])[..]);
        // Quoted metacharacters are plain text.
        assert!(matches!(
            Template::parse("echo 'a|b'").unwrap(),
            Template::Direct(_)
        ));
        assert!(matches!(
            Template::parse("sh -c 'exit 1'").unwrap(),
            Template::Direct(_)
        ));
    }

    #[test]
    fn bad_commands() {
        assert!(Template::parse("").is_err());
        assert!(Template::parse("black 'x").is_err());
        assert!(Template::parse("black --files={files}").is_err());
    }

    #[test]
    fn batches_respect_budget_and_max() {
        let t = Template::parse("lint {files}").unwrap();
        let files: Vec<OsString> = (0..100)
            .map(|i| OsString::from(format!("f{i:03}")))
            .collect();
        let b = batches(&t, "lint", &files, Batch::Auto, 200);
        assert!(b.len() > 1);
        assert_eq!(b.iter().map(Vec::len).sum::<usize>(), 100);
        for run in &b {
            assert!(
                t.argv("lint", run)
                    .iter()
                    .map(|a| a.len() + 9)
                    .sum::<usize>()
                    <= 200
            );
        }
        assert_eq!(
            batches(&t, "lint", &files, Batch::Max(30), usize::MAX).len(),
            4
        );
        assert_eq!(batches(&t, "lint", &files, Batch::Never, 10).len(), 1);
    }
}
