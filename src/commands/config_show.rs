//! `git hygiene config --show [PATH]`: the config that judges PATH (a file of the repository;
//! none: the root config), as the keys the files set, each with the file and line it came
//! from. Every other key shows its built-in value as `(built-in default)` (path lists also
//! where a nested list adds to them); a key whose default is unset is named in a comment.

use std::collections::BTreeMap;
use std::path::Path;

use toml::Value;

use crate::checks::config_tree::{load_root, ConfigTree};
use crate::commands::args::Common;
use crate::config::extends::{Layer, Origin};
use crate::config::layers::{self, Nesting, PathKind};
use crate::config::spans::{line_of, Step};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::out;
use crate::path::RepoPath;

pub fn run(path: Option<&Path>, common: &Common) -> Result<i32> {
    let repo = Repo::open()?;
    let (root, root_layers) = load_root(
        common.config.as_deref(),
        Some(&repo.workdir),
        Some(&repo.git_dir),
        false,
        true,
    )?;
    let tracked = repo.tracked_named(crate::config::FILE_NAME)?;
    let target = path.map(|p| repo_path(&repo, p)).transpose()?;
    let tree = ConfigTree::new(&repo.workdir, &repo.git_dir, &tracked, root_layers.clone())?;
    let (stack, inherits) = match (&tree, &target) {
        (Some(tree), Some(p)) => tree
            .stack_for_inheriting(p)?
            .unwrap_or((root_layers, false)),
        _ => (root_layers, false),
    };
    if let (Some(tree), Some(p)) = (tree, &target) {
        // Resolving it is what the hooks do: a broken file fails here the same way.
        root.with_tree(
            &repo.workdir,
            &repo.git_dir,
            &tracked,
            tree.root_layers().to_vec(),
        )?
        .for_path(p)?;
    }
    let label = |o: &Origin| match o {
        Origin::Disk(p) => p
            .strip_prefix(&repo.workdir)
            .unwrap_or(p)
            .display()
            .to_string(),
        git => git.label().display().to_string(),
    };
    let mut text = String::new();
    match &target {
        Some(p) => text.push_str(&format!("# the config that judges {}\n", p.display())),
        None => text.push_str("# the root config\n"),
    }
    if stack.is_empty() {
        text.push_str("# no .hygiene.toml: every check runs with its built-in defaults\n");
    } else {
        text.push_str("# files, in merge order (a later file overrides an earlier one):\n");
        for l in &stack {
            text.push_str(&format!("#   {}\n", label(&l.origin)));
        }
    }
    let mut values = provenance(&stack, inherits, &label);
    let unset = add_defaults(&mut values)?;
    for (key, (value, from)) in values {
        text.push_str(&format!("{key} = {value}    # {}\n", from.join(", ")));
    }
    for key in unset {
        text.push_str(&format!("# {key} is not set    # {BUILT_IN}\n"));
    }
    out::print(&text)?;
    Ok(0)
}

/// `p` (as the user typed it, from the current directory) as a repository path.
fn repo_path(repo: &Repo, p: &Path) -> Result<RepoPath> {
    let abs = std::env::current_dir()
        .map_err(|e| Error::io(p, e))?
        .join(p);
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            c => parts.push(c.as_os_str().to_owned()),
        }
    }
    let abs: std::path::PathBuf = parts.iter().collect();
    let top = repo
        .workdir
        .canonicalize()
        .unwrap_or_else(|_| repo.workdir.clone());
    let abs = abs
        .parent()
        .and_then(|d| d.canonicalize().ok())
        .zip(abs.file_name())
        .map(|(d, n)| d.join(n))
        .unwrap_or(abs);
    let rel = abs.strip_prefix(&top).map_err(|_| {
        Error::Usage(format!(
            "{} is not inside the repository at {}: name a file of this repository",
            p.display(),
            repo.workdir.display()
        ))
    })?;
    Ok(RepoPath::from_native(rel))
}

/// How `config --show` names a value no file set.
const BUILT_IN: &str = "(built-in default)";

/// Each key of the built-in config `out` does not hold yet, labelled [`BUILT_IN`]; returns the
/// keys whose default is no value at all (none of them set by a file either).
fn add_defaults(out: &mut BTreeMap<String, (Value, Vec<String>)>) -> Result<Vec<String>> {
    // `-` and `_` spell the same section; `lint[name]` entries stand for `lint`.
    let norm = |k: &str| k.split('[').next().unwrap_or(k).replace('-', "_");
    let taken: std::collections::HashSet<String> = out.keys().map(|k| norm(k)).collect();
    let defaults = serde_json::to_value(crate::checks::Config::default())
        .map_err(|e| Error::Usage(format!("the built-in config cannot be shown: {e}")))?;
    let mut leaves = Vec::new();
    if let serde_json::Value::Object(sections) = defaults {
        for (section, value) in sections {
            if layers::LAYER_KEYS.contains(&section.as_str()) {
                continue;
            }
            match value {
                serde_json::Value::Object(keys) => {
                    leaves.extend(keys.into_iter().map(|(k, v)| (format!("{section}.{k}"), v)))
                }
                v => leaves.push((section, v)),
            }
        }
    }
    let mut unset = Vec::new();
    for (slot, v) in leaves {
        if taken.contains(&norm(&slot)) {
            continue;
        }
        match v {
            serde_json::Value::Null => unset.push(slot),
            v => {
                let value = Value::try_from(&v).unwrap_or_else(|_| Value::String(v.to_string()));
                out.insert(slot, (value, vec![BUILT_IN.to_owned()]));
            }
        }
    }
    Ok(unset)
}

/// Each built-in path list `out` does not hold yet, labelled [`BUILT_IN`].
fn add_builtin_lists(out: &mut BTreeMap<String, (Value, Vec<String>)>) {
    for (section, key, list) in crate::checks::builtin_lists() {
        let value = Value::Array(list.into_iter().map(Value::String).collect());
        out.entry(format!("{section}.{key}"))
            .or_insert_with(|| (value, vec![BUILT_IN.to_owned()]));
    }
}

/// Each key the stack sets: its final value and the `file:line` of each file that made it, and
/// each built-in path list, labelled [`BUILT_IN`]: on its own where no file writes it, first
/// where a nested list adds to it (`inherits`: as resolving the stack seeds them under the
/// first nested layer).
fn provenance(
    stack: &[Layer],
    inherits: bool,
    label: &dyn Fn(&Origin) -> String,
) -> BTreeMap<String, (Value, Vec<String>)> {
    let nesting = crate::checks::nesting();
    let mut out: BTreeMap<String, (Value, Vec<String>)> = BTreeMap::new();
    let mut seeded = !inherits;
    for l in stack {
        if !seeded && !l.dir.is_empty() {
            add_builtin_lists(&mut out);
            seeded = true;
        }
        let mut table = l.table.clone();
        layers::rebase(&mut table, &nesting, &l.dir);
        let at = |steps: &[Step<'_>]| format!("{}:{}", label(&l.origin), line_of(&l.text, steps));
        for (section, value) in &table {
            if layers::LAYER_KEYS.contains(&section.as_str()) {
                continue;
            }
            let n = nesting
                .iter()
                .find(|(s, _)| *s == layers::normalized(section))
                .map(|(_, n)| *n);
            match value {
                Value::Array(entries) if matches!(n, Some(Nesting::Entries(_))) => {
                    for e in entries {
                        let name = layers::entry_name(e).unwrap_or("?");
                        out.insert(
                            format!("{section}[{name}]"),
                            (
                                e.clone(),
                                vec![at(&[Step::Key(section), Step::Named(name)])],
                            ),
                        );
                    }
                }
                Value::Table(keys) => {
                    let adds: &[crate::config::layers::PathKey] = match n {
                        Some(Nesting::Keys(k)) => k,
                        _ => &[],
                    };
                    for (k, v) in keys {
                        let from = at(&[Step::Key(section), Step::Key(k)]);
                        let additive = adds.iter().any(|p| p.key == k && p.kind != PathKind::Dir);
                        let slot = format!("{section}.{k}");
                        match (out.get_mut(&slot), v) {
                            (Some((Value::Array(old), origins)), Value::Array(new)) if additive => {
                                old.extend(
                                    new.iter()
                                        .filter(|x| !old.contains(x))
                                        .cloned()
                                        .collect::<Vec<_>>(),
                                );
                                origins.push(from);
                            }
                            _ => {
                                out.insert(slot, (v.clone(), vec![from]));
                            }
                        }
                    }
                }
                other => {
                    out.insert(
                        section.clone(),
                        (other.clone(), vec![at(&[Step::Key(section)])]),
                    );
                }
            }
        }
    }
    add_builtin_lists(&mut out);
    out
}
