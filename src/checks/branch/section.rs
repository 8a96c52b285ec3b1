//! `[branch]` as a config section: enabled/severity, its starter, and globs that can never
//! match a branch name, refused when the config is read.

use serde::Deserialize;
use toml::Spanned;

use super::BranchConfig;
use crate::config::{CheckConfig, Problem, Section, SeverityConfig};

impl Section for BranchConfig {
    const NESTING: crate::config::layers::Nesting = crate::config::layers::Nesting::RootOnly;
    fn validate(&self, text: &str) -> Result<(), Problem> {
        globs(text)
    }
}

impl CheckConfig for BranchConfig {
    const STARTER: &'static str = include_str!("../../../patterns/starter/branch.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
    }
}

/// Where the `[branch]` globs are written; the parsed [`BranchConfig`] no longer knows.
#[derive(Deserialize, Default)]
#[serde(default)]
struct BranchSpans {
    branch: BranchGlobs,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BranchGlobs {
    exempt: Vec<Spanned<String>>,
    protected: Vec<Spanned<String>>,
    allow_push: Vec<Spanned<String>>,
}

/// A branch glob that no branch name can match (git refuses those names) leaves its branches
/// unprotected, or its exemption unused, without a word: `release/~1` (git forbids `~` in
/// names), `release/` (a name never ends with `/`), `refs/heads/main` (the globs see short
/// names), `release/[0-9` (not a glob).
fn globs(text: &str) -> Result<(), Problem> {
    let Ok(spans) = toml::from_str::<BranchSpans>(text) else {
        return Ok(()); // the typed parse reported it
    };
    let b = spans.branch;
    for (key, list) in [
        ("protected", &b.protected),
        ("exempt", &b.exempt),
        ("allow_push", &b.allow_push),
    ] {
        for g in list {
            if let Some(why) = never_a_branch(g.get_ref()) {
                let message = format!(
                    "[branch] {key}: `{}` can never match a branch name: {why}",
                    g.get_ref()
                );
                return Err((g.span().start, message));
            }
            if key == "exempt" && exempts_every_branch(g.get_ref()) {
                let message = format!(
                    "[branch] exempt: `{}` matches every branch, so no name would ever be judged; list only the branches to leave alone, e.g. \"dependabot/*\", or set `naming = false`",
                    g.get_ref()
                );
                return Err((g.span().start, message));
            }
        }
    }
    Ok(())
}

/// Whether `glob` matches unrelated branch names of one, two and three segments.
fn exempts_every_branch(glob: &str) -> bool {
    ["main", "feature/x-1", "a/b/c"]
        .iter()
        .all(|name| crate::glob::name_matches(glob, name))
}

/// Why no branch name can match `glob`, by git's rules for ref names (`git check-ref-format`).
fn never_a_branch(glob: &str) -> Option<String> {
    if glob.is_empty() {
        return Some(
            "it is empty; write a name such as \"main\" or a glob such as \"release/*\"".into(),
        );
    }
    if let Some(rest) = glob.strip_prefix("refs/heads/") {
        return Some(format!(
            "branches are matched by their short name; write \"{rest}\""
        ));
    }
    if let Some(c) = glob
        .chars()
        .find(|c| c.is_control() || matches!(c, ' ' | '~' | '^' | ':' | '\\'))
    {
        return Some(format!(
            "git does not allow `{}` in branch names (the wildcards are `*`, `?` and `[...]`)",
            c.escape_default()
        ));
    }
    if let Some(why) = crate::glob::problem(glob) {
        return Some(format!("it is not a valid glob ({why})"));
    }
    if glob.starts_with('/') || glob.ends_with('/') || glob.contains("//") {
        return Some("a branch name does not start or end with `/` or hold `//`; for everything under a prefix write \"release/*\"".into());
    }
    if glob.contains("..") || glob.contains("@{") || glob.ends_with(".lock") || glob.ends_with('.')
    {
        return Some("git does not allow `..`, `@{`, or a name ending in `.` or `.lock`".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_globs_that_cannot_match() {
        for g in [
            "",
            "release/~1",
            "release/[0-9",
            "release/",
            "refs/heads/main",
            "a b",
            "x..y",
        ] {
            assert!(never_a_branch(g).is_some(), "{g:?}");
        }
        for g in [
            "main",
            "release/*",
            "release/[0-9]*",
            "dependabot/*",
            "v?.x",
            "feature/CU-*",
        ] {
            assert!(never_a_branch(g).is_none(), "{g:?}");
        }
        let text = "[branch]\nprotected = [\n  \"main\",\n  \"release/~1\",\n]\n";
        let Err((offset, message)) = globs(text) else {
            panic!("accepted")
        };
        assert_eq!(crate::config::line_col(text, offset), (4, 3));
        assert!(message.contains("`~`"), "{message}");
    }
}
