//! The one glob dialect every config list uses: gitignore's pattern syntax, as git users
//! already write it. `*`, `?` and `[a-z]` stay inside one path segment and `**` crosses them; a
//! pattern without a `/` (other than a trailing one) matches a name at any depth (`*.py`); one
//! with a `/` is anchored at the root (`db/sql/*.sql`); a trailing `/` matches directories only;
//! a pattern that matches a directory matches everything below it (`infra/`, `vendor/*`); a
//! leading `!` re-includes what an earlier pattern of the same list matched. Branch names are
//! matched the same way, but always whole (as if the pattern began with `/`): `main` never
//! matches `feature/main`, while `dependabot/*` covers `dependabot/npm/left-pad`.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Compiled patterns of one config list.
#[derive(Debug, Clone)]
pub struct Globs(Gitignore);

impl Globs {
    /// Compiles `patterns`. An unclosed `[` is an error: git never matches such a pattern, so
    /// taking it literally would disagree with git.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Globs, String> {
        let mut b = GitignoreBuilder::new("");
        b.allow_unclosed_class(false);
        for p in patterns {
            b.add_line(None, p.as_ref()).map_err(reason)?;
        }
        b.build().map(Globs).map_err(reason)
    }

    /// Whether `path` (relative to the root the patterns are written for), or a directory it
    /// is in, is matched.
    pub fn is_match(&self, path: impl AsRef<Path>) -> bool {
        let path = path.as_ref();
        // Repository paths are relative; a leading `/` would trip the matcher's root check.
        let path = path.strip_prefix("/").unwrap_or(path);
        self.0.matched_path_or_any_parents(path, false).is_ignore()
    }
}

/// Why `pattern` is not a valid glob, if it is not. Only parsed, not compiled: validating a
/// config list must not cost a regex build per pattern (the list is compiled once, later).
pub fn problem(pattern: &str) -> Option<String> {
    let mut b = GitignoreBuilder::new("");
    b.allow_unclosed_class(false);
    b.add_line(None, pattern).map_err(reason).err()
}

/// Whether branch `name` matches `pattern`, which is compared with the whole name.
pub fn name_matches(pattern: &str, name: &str) -> bool {
    let (negated, body) = match pattern.strip_prefix('!') {
        Some(rest) => ("!", rest),
        None => ("", pattern),
    };
    let anchored = format!("{negated}/{}", body.trim_start_matches('/'));
    // A push of thousands of branches asks about the same few patterns for each: each is
    // compiled once per thread (a regex build cost more than the rest of judging a ref).
    NAME_GLOBS.with(|cache| {
        cache
            .borrow_mut()
            .entry(anchored)
            .or_insert_with_key(|p| Globs::new(&[p]).ok())
            .as_ref()
            .is_some_and(|g| g.is_match(name))
    })
}

thread_local! {
    static NAME_GLOBS: std::cell::RefCell<std::collections::HashMap<String, Option<Globs>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

fn reason(e: ignore::Error) -> String {
    match e {
        ignore::Error::Glob { err, .. } => err,
        e => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_gitignore() {
        let g = Globs::new(&[
            "*.py",
            "db/sql/*.sql",
            "infra/",
            "vendor/*",
            "!vendor/keep.py",
        ])
        .unwrap();
        assert!(g.is_match("a.py") && g.is_match("src/deep/a.py"));
        assert!(g.is_match("db/sql/1.sql") && !g.is_match("db/sql/old/1.sql"));
        assert!(!g.is_match("other/db/sql/1.sql"));
        assert!(g.is_match("infra/net/main.tf") && !g.is_match("infra"));
        assert!(g.is_match("vendor/lib/x.c"));
        assert!(!g.is_match("vendor/keep.py"));
        assert!(!g.is_match("README.md"));
        assert!(Globs::new(&["a/["]).is_err() && problem("a/[").is_some());
        assert!(problem("**/Dockerfile").is_none());
        assert!(!Globs::new::<&str>(&[]).unwrap().is_match("x"));
    }

    #[test]
    fn branch_names_match_whole() {
        assert!(name_matches("main", "main") && !name_matches("main", "feature/main"));
        assert!(name_matches("release/*", "release/1.2.0"));
        assert!(name_matches("dependabot/*", "dependabot/npm/left-pad-1.0"));
        assert!(
            name_matches("release/[0-9]*", "release/1.2")
                && !name_matches("release/[0-9]*", "release/x")
        );
        assert!(name_matches("feature/CU-*", "feature/CU-86b2xk4pq-retry"));
        assert!(name_matches("v?.x", "v1.x") && !name_matches("v?.x", "v10.x"));
        assert!(!name_matches("release/*", "releases") && !name_matches("a[", "a["));
    }
}
