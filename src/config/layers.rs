//! How config files stack: a shared policy under the file that extends it, a parent directory's
//! config under a nested one. Files are merged as TOML tables before they are read into the
//! typed config: tables merge key by key, the later file's value wins, path-glob lists add up,
//! and `[[lint]]` entries with the same `name` replace each other. A nested config's paths are
//! written for its own directory, so they are rebased onto the repository root first; what each
//! section lets a nested config say is its [`Nesting`].

use toml::{Table, Value};

/// The top-level keys that say how a file stacks; they are read here, never by a check.
pub const LAYER_KEYS: [&str; 2] = ["root", "extends"];

/// What a nested `.hygiene.toml` (one below the repository root) may set in a section.
#[derive(Debug, Clone, Copy)]
pub enum Nesting {
    /// Judges commits and branches, which belong to the whole repository: root config only.
    RootOnly,
    /// Only these keys (the section's paths); other keys apply to the whole repository.
    Keys(&'static [PathKey]),
    /// An array of tables whose entries may be added whole (`[[lint]]`), keyed by `name`.
    Entries(&'static [PathKey]),
}

/// A key holding paths, and how they are written.
#[derive(Debug, Clone, Copy)]
pub struct PathKey {
    pub key: &'static str,
    pub kind: PathKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A list of globs in the one dialect (`crate::glob`); lists add up across files.
    Globs,
    /// A list of directories; lists add up across files.
    Dirs,
    /// One directory; in a nested config it defaults to the config's own directory.
    Dir,
    /// An array of tables, each naming a directory in its `path` (`[[migrations.dirs]]`);
    /// entries add up across files.
    EntryDirs,
}

/// A section's name in the file, as the nesting table spells it (`commit-msg` = `commit_msg`).
pub fn normalized(key: &str) -> String {
    key.replace('-', "_")
}

/// `pattern`, written for directory `dir` (repository path, no trailing `/`), as a pattern
/// for the repository root: anchored ones are prefixed, a bare name matches at any depth
/// below `dir`.
pub fn rebase_glob(pattern: &str, dir: &str) -> String {
    if dir.is_empty() {
        return pattern.to_owned();
    }
    let (neg, body) = match pattern.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", pattern),
    };
    let anchored = body.trim_end_matches('/').contains('/');
    if anchored {
        format!("{neg}{dir}/{}", body.trim_start_matches('/'))
    } else {
        format!("{neg}{dir}/**/{body}")
    }
}

/// A directory written for `dir`, from the repository root.
pub fn rebase_dir(path: &str, dir: &str) -> String {
    let rel = path.trim_start_matches("./").trim_matches('/');
    match (dir.is_empty(), rel.is_empty() || rel == ".") {
        (true, _) => rel.to_owned(),
        (false, true) => dir.to_owned(),
        (false, false) => format!("{dir}/{rel}"),
    }
}

fn rebase_value(v: &mut Value, kind: PathKind, dir: &str) {
    match (v, kind) {
        (Value::Array(items), PathKind::Globs) => {
            for i in items {
                if let Value::String(s) = i {
                    *s = rebase_glob(s, dir);
                }
            }
        }
        (Value::String(s), PathKind::Globs) => *s = rebase_glob(s, dir),
        (Value::Array(items), PathKind::Dirs) => {
            for i in items {
                if let Value::String(s) = i {
                    *s = rebase_dir(s, dir);
                }
            }
        }
        (Value::String(s), PathKind::Dirs | PathKind::Dir) => *s = rebase_dir(s, dir),
        (Value::Array(items), PathKind::EntryDirs) => {
            for i in items {
                if let Some(Value::String(s)) = i.get_mut("path") {
                    *s = rebase_dir(s, dir);
                }
            }
        }
        _ => {} // a wrong type: the typed parse of the file itself reports it
    }
}

fn rebase_keys(table: &mut Table, keys: &[PathKey], dir: &str) {
    for k in keys {
        match table.get_mut(k.key) {
            Some(v) => rebase_value(v, k.kind, dir),
            None if k.kind == PathKind::Dir && !dir.is_empty() => {
                table.insert(k.key.to_owned(), Value::String(dir.to_owned()));
            }
            None => {}
        }
    }
}

/// Rebases every path key of `table` (one file, read for directory `dir`) onto the root.
pub fn rebase(table: &mut Table, nesting: &[(&str, Nesting)], dir: &str) {
    for (key, value) in table.iter_mut() {
        let Some((_, n)) = nesting.iter().find(|(s, _)| *s == normalized(key)) else {
            continue;
        };
        match (n, value) {
            (Nesting::Keys(keys), Value::Table(t)) => rebase_keys(t, keys, dir),
            (Nesting::Entries(keys), Value::Array(entries)) => {
                for e in entries {
                    if let Value::Table(t) = e {
                        rebase_keys(t, keys, dir);
                    }
                }
            }
            _ => {}
        }
    }
}

/// What a nested config may not say: the first such key path (`["branch"]`,
/// `["hygiene", "max_file_size"]`) and why.
pub fn nested_violation(
    table: &Table,
    nesting: &[(&str, Nesting)],
) -> Option<(Vec<String>, String)> {
    for (key, value) in table {
        if LAYER_KEYS.contains(&key.as_str()) {
            continue;
        }
        let Some((_, n)) = nesting.iter().find(|(s, _)| *s == normalized(key)) else {
            continue; // unknown: the typed parse reports it
        };
        match n {
            Nesting::RootOnly => {
                return Some((
                    vec![key.clone()],
                    format!("`[{key}]` judges commits and branches, which belong to the whole repository: set it in the root .hygiene.toml, not in a nested one"),
                ))
            }
            Nesting::Entries(_) => {}
            Nesting::Keys(keys) => {
                let Value::Table(t) = value else { continue };
                if let Some(k) = t.keys().find(|k| !keys.iter().any(|p| p.key == k.as_str())) {
                    let allowed: Vec<&str> = keys.iter().map(|p| p.key).collect();
                    let may = if allowed.is_empty() {
                        "a nested config may not set this section".to_owned()
                    } else {
                        format!("a nested config may set only {}", allowed.join(", "))
                    };
                    return Some((
                        vec![key.clone(), k.clone()],
                        format!("`[{key}] {k}` applies to the whole repository ({may}): set it in the root .hygiene.toml"),
                    ));
                }
            }
        }
    }
    None
}

/// Merges `upper` (the later, overriding file) into `lower`.
pub fn merge(lower: &mut Table, upper: Table, nesting: &[(&str, Nesting)]) {
    for (key, value) in upper {
        if LAYER_KEYS.contains(&key.as_str()) {
            continue;
        }
        let n = nesting
            .iter()
            .find(|(s, _)| *s == normalized(&key))
            .map(|(_, n)| *n);
        match (lower.get_mut(&key), value, n) {
            (Some(Value::Array(low)), Value::Array(up), Some(Nesting::Entries(_))) => {
                merge_entries(low, up)
            }
            (Some(Value::Table(low)), Value::Table(up), n) => merge_section(low, up, n),
            (_, value, _) => {
                lower.insert(key, value);
            }
        }
    }
}

fn merge_section(low: &mut Table, up: Table, n: Option<Nesting>) {
    let lists: &[PathKey] = match n {
        Some(Nesting::Keys(keys)) => keys,
        _ => &[],
    };
    for (key, value) in up {
        let adds = lists
            .iter()
            .any(|p| p.key == key && p.kind != PathKind::Dir);
        match (low.get_mut(&key), value) {
            (Some(Value::Array(l)), Value::Array(u)) if adds => {
                for v in u {
                    if !l.contains(&v) {
                        l.push(v);
                    }
                }
            }
            (Some(Value::Table(l)), Value::Table(u)) => merge_section(l, u, None),
            (_, value) => {
                low.insert(key, value);
            }
        }
    }
}

/// `[[lint]]`-style entries: one with the `name` of an earlier entry replaces it in place,
/// others are appended.
fn merge_entries(low: &mut Vec<Value>, up: Vec<Value>) {
    for entry in up {
        match entry_name(&entry).and_then(|n| low.iter().position(|e| entry_name(e) == Some(n))) {
            Some(i) => low[i] = entry,
            None => low.push(entry),
        }
    }
}

/// An entry's `name` (a preset names its entry when `name` is not given).
pub fn entry_name(v: &Value) -> Option<&str> {
    let t = v.as_table()?;
    t.get("name")
        .or_else(|| t.get("preset"))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEST: &[(&str, Nesting)] = &[
        ("branch", Nesting::RootOnly),
        (
            "secrets",
            Nesting::Keys(&[PathKey {
                key: "allow_paths",
                kind: PathKind::Globs,
            }]),
        ),
        (
            "lint",
            Nesting::Entries(&[PathKey {
                key: "cwd",
                kind: PathKind::Dir,
            }]),
        ),
    ];

    fn table(s: &str) -> Table {
        toml::from_str(s).unwrap()
    }

    #[test]
    fn globs_are_rebased_the_gitignore_way() {
        assert_eq!(rebase_glob("*.sql", "pkg/api"), "pkg/api/**/*.sql");
        assert_eq!(rebase_glob("fixtures/", "pkg/api"), "pkg/api/**/fixtures/");
        assert_eq!(rebase_glob("/fixtures/**", "pkg"), "pkg/fixtures/**");
        assert_eq!(rebase_glob("db/*.sql", "pkg"), "pkg/db/*.sql");
        assert_eq!(rebase_glob("!db/keep.sql", "pkg"), "!pkg/db/keep.sql");
        assert_eq!(rebase_glob("db/*.sql", ""), "db/*.sql");
        assert_eq!(rebase_dir("./docs/adr/", "svc"), "svc/docs/adr");
        assert_eq!(rebase_dir(".", "svc"), "svc");
    }

    #[test]
    fn nested_lint_entries_get_their_directory_as_cwd() {
        let mut t = table("[[lint]]\nname = \"a\"\n[[lint]]\nname = \"b\"\ncwd = \"src\"\n");
        rebase(&mut t, NEST, "web");
        let cwds: Vec<_> = t["lint"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["cwd"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(cwds, ["web", "web/src"]);
    }

    #[test]
    fn later_files_override_lists_add_and_entries_replace_by_name() {
        let mut low = table(
            "[secrets]\nallow_paths = [\"a/**\"]\nallow_regexes = [\"x\"]\n[[lint]]\nname = \"e\"\nrun = \"old\"\n[[lint]]\nname = \"k\"\nrun = \"k\"\n",
        );
        let up = table(
            "extends = [\"p.toml\"]\n[secrets]\nallow_paths = [\"b/**\"]\nallow_regexes = [\"y\"]\n[[lint]]\nname = \"e\"\nrun = \"new\"\n[[lint]]\nname = \"n\"\nrun = \"n\"\n",
        );
        merge(&mut low, up, NEST);
        assert!(!low.contains_key("extends"));
        assert_eq!(
            low["secrets"]["allow_paths"].as_array().unwrap().len(),
            2,
            "path lists add up"
        );
        assert_eq!(low["secrets"]["allow_regexes"][0].as_str(), Some("y"));
        let runs: Vec<_> = low["lint"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["run"].as_str().unwrap())
            .collect();
        assert_eq!(runs, ["new", "k", "n"]);
    }

    #[test]
    fn what_a_nested_config_may_not_say() {
        let v = nested_violation(&table("[branch]\nallowed = [\"x\"]\n"), NEST).unwrap();
        assert_eq!(v.0, ["branch"]);
        assert!(v.1.contains("root .hygiene.toml"), "{}", v.1);
        let v = nested_violation(&table("[secrets]\nallow_regexes = [\"x\"]\n"), NEST).unwrap();
        assert_eq!(v.0, ["secrets", "allow_regexes"]);
        assert!(nested_violation(
            &table("root = true\n[secrets]\nallow_paths = [\"x\"]\n[[lint]]\nname = \"a\"\n"),
            NEST
        )
        .is_none());
    }
}
