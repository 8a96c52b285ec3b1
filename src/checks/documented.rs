//! Every rule a finding can carry is documented: findings are made from `Rule` constants (or,
//! for the secret providers, from the data their docs are made from), so each constant declared
//! under `src/checks/` must be listed by its check's `rules()`.

use std::path::{Path, PathBuf};

use super::all_rules;
use crate::rule::Category;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn checks_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks")
}

/// The text of `s` after `start`, up to the next `"`.
fn quoted_after<'a>(s: &'a str, start: &str) -> Option<&'a str> {
    let rest = &s[s.find(start)? + start.len()..];
    rest.split('"').next()
}

/// The check id of a file under `src/checks/`: the `ID` of its check's file (`hygiene.rs`)
/// or folder (`secrets/mod.rs`).
fn check_id(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(checks_dir()).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let file = if rel.components().count() == 1 {
        checks_dir().join(first)
    } else {
        checks_dir().join(first).join("mod.rs")
    };
    let declared_in = |f: &Path| {
        let text = std::fs::read_to_string(f).ok()?;
        quoted_after(&text, "const ID: &str = \"").map(str::to_owned)
    };
    // A check folder may keep its id in a file of its own (lint: `messages.rs`).
    declared_in(&file).or_else(|| {
        let mut files = Vec::new();
        sources(&checks_dir().join(first), &mut files);
        files.iter().find_map(|f| declared_in(f))
    })
}

/// `(file, check, rule id)` of every `Rule` constant declared under `src/checks/`.
fn declared() -> Vec<(PathBuf, String, String)> {
    let mut files = Vec::new();
    sources(&checks_dir(), &mut files);
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let starts = text.match_indices("const ").map(|(i, _)| i);
        for i in
            starts.filter(|&i| i == 0 || text[..i].ends_with('\n') || text[..i].ends_with("pub "))
        {
            let decl = &text[i..];
            let Some(decl) = decl
                .find(": Rule = ")
                .filter(|&k| !decl[..k].contains('\n'))
                .map(|k| &decl[k..])
            else {
                continue;
            };
            let id = if decl.starts_with(": Rule = crate::unread::rule(") {
                crate::unread::RULE_ID.to_owned()
            } else {
                let body = &decl[..decl.find("\n};").unwrap_or(decl.len())];
                let Some(id) = quoted_after(body, "\n    id: \"") else {
                    panic!("{}: a Rule without `id: \"…\"`", f.display());
                };
                id.to_owned()
            };
            let check = check_id(&f).unwrap_or_else(|| panic!("{}: no check ID", f.display()));
            out.push((f.clone(), check, id));
        }
    }
    out
}

#[test]
fn every_declared_rule_is_listed_by_its_check() {
    let listed: Vec<(&str, String)> = all_rules().into_iter().map(|(c, r)| (c, r.id)).collect();
    let declared = declared();
    assert!(declared.len() > 40, "found only {declared:?}");
    for (file, check, id) in &declared {
        assert!(
            listed.iter().any(|(c, r)| c == check && r == id),
            "{}: {check}/{id} is a rule findings can carry, but `{check}`'s rules() does not list it",
            file.display()
        );
    }
    let mut ids: Vec<_> = listed.iter().collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), listed.len(), "a rule is listed twice");
}

#[test]
fn findings_name_free_rule_ids_only_for_data_driven_rules() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let allowed = f.ends_with("src/finding.rs") || f.ends_with("src/checks/secrets/mod.rs");
        assert!(
            allowed || !code.contains("Finding::named("),
            "{}: make the finding from a documented `Rule` (`Finding::new(&RULE, …)`)",
            f.display()
        );
    }
}

/// Reports tell leaks apart by category; today those are exactly the secrets check's findings.
#[test]
fn the_security_rules_are_the_secrets_rules() {
    for (check, r) in all_rules() {
        assert_eq!(
            check == "secrets",
            r.category == Category::Security,
            "{check}/{}",
            r.id
        );
    }
}
