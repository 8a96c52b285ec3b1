//! The one glob dialect every config list uses: gitignore's pattern syntax, as git users
//! already write it. `*`, `?` and `[a-z]` stay inside one path segment and `**` crosses them; a
//! pattern without a `/` (other than a trailing one) matches a name at any depth (`*.py`); one
//! with a `/` is anchored at the root (`db/sql/*.sql`); a trailing `/` matches directories only;
//! a pattern that matches a directory matches everything below it (`infra/`, `vendor/*`); a
//! leading `!` re-includes what an earlier pattern of the same list matched. Branch names are
//! matched the same way, but always whole (as if the pattern began with `/`): `main` never
//! matches `feature/main`, while `dependabot/*` covers `dependabot/npm/left-pad`.

use std::path::Path;
use std::sync::OnceLock;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Compiled patterns of one config list.
#[derive(Debug, Clone)]
pub struct Globs {
    /// Each pattern as a [`Simple`] one, when all are: they match without building the full
    /// matcher, whose regex set cost more than the rest of a commit-msg hook.
    simple: Option<Vec<Simple>>,
    /// The patterns as written.
    patterns: Vec<String>,
    /// The full matcher: built at once when a pattern is not simple, else when a path is not
    /// one the simple matcher reads the same way.
    full: OnceLock<Gitignore>,
}

impl Globs {
    /// Compiles `patterns`. An unclosed `[` is an error: git never matches such a pattern, so
    /// taking it literally would disagree with git.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Globs, String> {
        let simple: Option<Vec<Simple>> =
            patterns.iter().map(|p| Simple::new(p.as_ref())).collect();
        let globs = Globs {
            patterns: patterns.iter().map(|p| p.as_ref().to_owned()).collect(),
            full: OnceLock::new(),
            simple,
        };
        if globs.simple.is_none() {
            let full = build_full(&globs.patterns)?;
            let _ = globs.full.set(full);
        }
        Ok(globs)
    }

    /// Whether `path` (relative to the root the patterns are written for), or a directory it
    /// is in, is matched.
    pub fn is_match(&self, path: impl AsRef<Path>) -> bool {
        // An empty list (most config lists) matches nothing: asked of every file of a scan.
        if self.patterns.is_empty() {
            return false;
        }
        let path = path.as_ref();
        if let (Some(simple), Some(p)) = (&self.simple, path.to_str().filter(|p| is_plain(p))) {
            let segs: Vec<&str> = p.split('/').collect();
            return simple.iter().any(|g| g.matches_or_parents(&segs));
        }
        // Repository paths are relative; a leading `/` would trip the matcher's root check.
        let path = path.strip_prefix("/").unwrap_or(path);
        let full = match self.full.get() {
            Some(f) => f,
            // Simple patterns always compile; a failure would only match nothing.
            None => match build_full(&self.patterns) {
                Ok(f) => self.full.get_or_init(|| f),
                Err(_) => return false,
            },
        };
        full.matched_path_or_any_parents(path, false).is_ignore()
    }
}

fn build_full(patterns: &[String]) -> Result<Gitignore, String> {
    let mut b = GitignoreBuilder::new("");
    b.allow_unclosed_class(false);
    for p in patterns {
        b.add_line(None, p).map_err(reason)?;
    }
    b.build().map_err(reason)
}

/// A path the simple matcher reads as the full one does: segments split at `/`, none empty or
/// `.`/`..` (the full matcher normalises those; a leading `/` makes an empty one), no line
/// break.
fn is_plain(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\n')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

/// A pattern of the common shapes (`infra/**`, `**/Dockerfile`, `docker-compose*.yml`,
/// `.gitlab-ci.yml`, `db/sql/*.sql`, `vendor/`), matched segment by segment exactly as the
/// gitignore matcher's regex would: plain characters and `*` within a segment, `**` as a whole
/// segment. Anything else (`?`, classes, braces, escapes, `!`, `#`, spaces) is not simple.
#[derive(Debug, Clone)]
struct Simple {
    segs: Vec<Seg>,
    only_dir: bool,
    /// Whether it matches the empty path, the last directory the full matcher asks about.
    matches_empty: bool,
}

/// One segment of a [`Simple`] pattern.
#[derive(Debug, Clone)]
enum Seg {
    Literal(String),
    /// With `*`s, each any run of characters.
    Wild(String),
    /// `**`: any number of segments.
    Any,
}

impl Simple {
    fn new(pattern: &str) -> Option<Simple> {
        let plain = |c: char| c.is_ascii_alphanumeric() || "._-/*+@~=%:".contains(c);
        if pattern.is_empty() || !pattern.chars().all(plain) {
            return None;
        }
        // What the gitignore builder does to a line before globbing it.
        let (anchored, mut line) = match pattern.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, pattern),
        };
        let only_dir = line.ends_with('/');
        if only_dir {
            line = &line[..line.len() - 1];
        }
        let mut actual = line.to_owned();
        if !(anchored || line.contains('/') || line.starts_with("**/") || line == "**") {
            actual = format!("**/{actual}");
        }
        if actual.ends_with("/**") {
            actual.push_str("/*");
        }
        let parts: Vec<&str> = actual.split('/').collect();
        // `**` inside a segment, an empty segment, or `**/**`: left to the full matcher.
        let odd = parts
            .iter()
            .any(|s| s.is_empty() || (*s != "**" && s.contains("**")))
            || parts.windows(2).any(|w| w[0] == "**" && w[1] == "**");
        if odd {
            return None;
        }
        let segs = parts
            .iter()
            .map(|s| match *s {
                "**" => Seg::Any,
                s if s.contains('*') => Seg::Wild(s.to_owned()),
                s => Seg::Literal(s.to_owned()),
            })
            .collect();
        let mut g = Simple {
            segs,
            only_dir,
            matches_empty: false,
        };
        // The empty path, as a directory: one empty segment, as the regex sees it.
        g.matches_empty = g.prefix_matches(&[""], 0, 0, true);
        Some(g)
    }

    /// Does the pattern match the path of `segs` as a file, or one of its directories?
    fn matches_or_parents(&self, segs: &[&str]) -> bool {
        self.matches_empty || self.prefix_matches(segs, 0, 0, false)
    }

    /// Does `segs[from..]`, from pattern segment `p` on, match up to an end that names the
    /// path itself (when the pattern matches files) or one of its directories? `whole`: only
    /// all of `segs` counts, as a directory.
    fn prefix_matches(&self, segs: &[&str], p: usize, from: usize, whole: bool) -> bool {
        let Some(seg) = self.segs.get(p) else {
            return if from == segs.len() {
                whole || !self.only_dir
            } else {
                !whole && from > 0
            };
        };
        let fits = |s: &str| match seg {
            Seg::Literal(l) => l == s,
            Seg::Wild(w) => wildcard(w.as_bytes(), s.as_bytes()),
            Seg::Any => true,
        };
        match seg {
            Seg::Any if p + 1 == self.segs.len() => {
                (from..=segs.len()).any(|k| self.prefix_matches(segs, p + 1, k, whole))
            }
            // `**` then a segment: that segment is somewhere at or after `from`.
            Seg::Any => (from..segs.len()).any(|k| self.prefix_matches(segs, p + 1, k, whole)),
            _ => segs
                .get(from)
                .is_some_and(|s| fits(s) && self.prefix_matches(segs, p + 1, from + 1, whole)),
        }
    }
}

/// `*` matches any run of bytes of one segment; every other byte itself. Linear: on a
/// mismatch only the last `*` takes one byte more.
fn wildcard(pat: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if p < pat.len() && pat[p] == b'*' {
            star = Some((p, i));
            p += 1;
        } else if p < pat.len() && pat[p] == s[i] {
            p += 1;
            i += 1;
        } else if let Some((sp, si)) = star {
            p = sp + 1;
            i = si + 1;
            star = Some((sp, si + 1));
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

/// Why `pattern` is not a valid glob, if it is not. Only parsed, not compiled: validating a
/// config list must not cost a regex build per pattern (the list is compiled once, later).
pub fn problem(pattern: &str) -> Option<String> {
    let mut b = GitignoreBuilder::new("");
    b.allow_unclosed_class(false);
    b.add_line(None, pattern).map_err(reason).err()
}

/// Whether `pattern` matches every path (`*`, `**`, `**/*`): a list meant to leave some files
/// out that holds it leaves out all of them. Judged on unrelated probes, hidden and nested.
pub fn matches_every_path(pattern: &str) -> bool {
    let Ok(globs) = Globs::new(&[pattern]) else {
        return false;
    };
    ["a", "Z9.rs", ".env", "x/y/z.txt", "deep/.hidden/k.pem"]
        .iter()
        .all(|p| globs.is_match(p))
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

    /// The simple matcher answers as the gitignore matcher does, pattern by pattern and for
    /// whole lists, on every shape it accepts and on paths it hands back.
    #[test]
    fn simple_patterns_match_as_gitignore_does() {
        let patterns = [
            "infra/**",
            "terraform/**",
            "**/Dockerfile",
            "docker-compose*.yml",
            ".gitlab-ci.yml",
            "*.py",
            "db/sql/*.sql",
            "infra/",
            "vendor/*",
            "/Makefile",
            "/src/*",
            "a/**/b",
            "a/**/b/",
            "**",
            "*",
            "/*",
            "**/",
            "*/",
            "a*b*c",
            "*a*",
            "src/**/*.rs",
            "/**/x",
            "x/**/",
            "**/a/**",
            "a.b",
            "k8s/**/*.yaml",
            "migrations/*_*.sql",
            "deep/a/b/c",
            "a/*/c",
            "*/b",
            "a**",
            "**b",
            "a/**/**/b",
            "a//b",
            "/",
            "a?",
            "[ab]",
            "!a",
            "\\#a",
            "a b",
            "{a,b}",
            "#x",
            "*.tar.gz",
            "foo*",
            "*foo",
            "a/",
            "/a/",
            "*/*",
        ];
        let paths = [
            "a",
            "b",
            "a/b",
            "a/x/b",
            "a/x/y/b",
            "a/b/c",
            "infra",
            "infra/net/main.tf",
            "Dockerfile",
            "svc/api/Dockerfile",
            "Dockerfile.dev",
            "docker-compose.yml",
            "x/docker-compose.prod.yml",
            "docker-compose/x.yml",
            ".gitlab-ci.yml",
            "ci/.gitlab-ci.yml",
            "src/deep/a.py",
            "a.py",
            "db/sql/1.sql",
            "db/sql/old/1.sql",
            "other/db/sql/1.sql",
            "vendor/lib/x.c",
            "vendor",
            "Makefile",
            "src/Makefile",
            "src/main.rs",
            "src/a/b.rs",
            "x",
            "x/y",
            "y/x",
            "abc",
            "aXbYc",
            "ab",
            "cba",
            "a.b",
            "aab",
            "k8s/a/b.yaml",
            "k8s/b.yaml",
            "migrations/1_init.sql",
            "deep/a/b/c",
            "deep/a/b/c/d",
            "a/zz/c",
            "foo",
            "foobar",
            "barfoo",
            "x.tar.gz",
            "a/b/a/b",
            "./a",
            "a//b",
            "a/./b",
            "a/../b",
            "a/",
            "/a",
            "a\nb",
            "é/a.py",
            "terraform",
            "terraform/main.tf",
        ];
        let compare = |list: &[&str]| {
            let Ok(g) = Globs::new(list) else {
                assert!(
                    build_full(&list.iter().map(|p| p.to_string()).collect::<Vec<_>>()).is_err()
                );
                return;
            };
            let full = build_full(&g.patterns).unwrap();
            for path in paths {
                let want = full
                    .matched_path_or_any_parents(path.strip_prefix('/').unwrap_or(path), false)
                    .is_ignore();
                assert_eq!(g.is_match(path), want, "{list:?} on {path:?}");
            }
        };
        let simple = patterns.iter().filter(|p| Simple::new(p).is_some()).count();
        assert!(simple >= 35, "only {simple} patterns are simple");
        for p in patterns {
            compare(&[p]);
        }
        compare(&patterns[..9]);
        compare(&["src/**/*.rs", "a/", "*.py"]);
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
