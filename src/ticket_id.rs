//! Recognising ClickUp task ids in branch names, commit messages and MR titles.
//!
//! The forms are the ones ClickUp's GitHub/GitLab apps and GitLab's ClickUp integration link
//! (GitLab matches `/((#|CU-)(?<issue>[a-z0-9]+)|(?<issue>[A-Z0-9_]{2,10}-\d+))\b/`):
//! - `CU-<id>`: the task id is a short lower-case alphanumeric string such as `86b2xk4pq`
//!   (not hex: ids contain any of a–z). `CU-` is upper case; GitLab's matcher is case-sensitive.
//! - `#<id>`: the same id after a hash. `#` also starts GitLab/GitHub issue refs (`#123`), CSS
//!   colours (`#a1b2c3`) and preprocessor lines (`#define`), so this form is only taken when the id
//!   has a digit and a letter outside a–f.
//! - `<PREFIX>-<number>`: a custom task id; only configured prefixes are taken, so `UTF-8`,
//!   `SHA-256` and `ISO-8601` are never tickets. A prefix is 2–10 capitals, digits or `_`.
//!
//! Matches need word boundaries on both sides, and nothing inside a URL (`https://…`) counts:
//! `CU-` glued to other characters (a base64 hash, a SHA) or in a link is not a reference.

/// Which form a match was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Cu,
    Hash,
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The canonical spelling: `CU-86b2xk4pq` (also for `#86b2xk4pq`) or `ENG-142`.
    pub id: String,
    /// Byte range of the match in the searched text.
    pub start: usize,
    pub end: usize,
    pub form: Form,
    /// Written exactly as ClickUp and GitLab match it (`CU-` upper case, id lower case, prefix
    /// upper case). Branch names are searched case-insensitively and may hold `cu-86b2xk4pq`.
    pub exact: bool,
}

/// Lengths of ClickUp task ids seen in the wild are 6–9; allow some room either side.
const CU_MIN: usize = 4;
const CU_MAX: usize = 15;
const HASH_MIN: usize = 6;
const HASH_MAX: usize = 12;
const NUM_MAX: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Custom task id prefixes, upper case.
    pub prefixes: Vec<String>,
}

impl Matcher {
    pub fn new(prefixes: &[String]) -> Self {
        Matcher {
            prefixes: prefixes.iter().map(|p| p.to_ascii_uppercase()).collect(),
        }
    }

    /// Every ticket in `text`. With `any_case` (branch names), `cu-…` and `eng-142` count too.
    pub fn find_all(&self, text: &str, any_case: bool) -> Vec<Ticket> {
        let mut out = Vec::new();
        let mut offset = 0;
        for token in text.split_inclusive(char::is_whitespace) {
            let start = offset;
            offset += token.len();
            if is_url(token) {
                continue;
            }
            self.scan_token(token, start, any_case, &mut out);
        }
        out
    }

    pub fn first(&self, text: &str, any_case: bool) -> Option<Ticket> {
        self.find_all(text, any_case).into_iter().next()
    }

    fn scan_token(&self, token: &str, base: usize, any_case: bool, out: &mut Vec<Ticket>) {
        let b = token.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if i > 0 && is_word(b[i - 1]) {
                i += 1;
                continue;
            }
            if let Some(t) = self.match_at(b, i, any_case) {
                let end = t.end;
                out.push(Ticket {
                    start: base + t.start,
                    end: base + t.end,
                    ..t
                });
                i = end;
                continue;
            }
            i += 1;
        }
    }

    /// A ticket starting at `i` (a word start), ending at a word boundary.
    fn match_at(&self, b: &[u8], i: usize, any_case: bool) -> Option<Ticket> {
        let rest = &b[i..];
        // `CU-<id>`
        if rest.len() > 3 && rest[..3].eq_ignore_ascii_case(b"CU-") {
            let exact_prefix = &rest[..3] == b"CU-";
            let n = rest[3..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            let id = &rest[3..3 + n];
            let lower = id
                .iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            let ok_len = (CU_MIN..=CU_MAX).contains(&n);
            let bounded = rest.get(3 + n).is_none_or(|c| !is_word(*c));
            if ok_len && bounded && id.iter().any(u8::is_ascii_alphabetic) {
                let exact = exact_prefix && lower;
                if exact || any_case {
                    return Some(Ticket {
                        id: format!("CU-{}", String::from_utf8_lossy(id).to_ascii_lowercase()),
                        start: i,
                        end: i + 3 + n,
                        form: Form::Cu,
                        exact,
                    });
                }
            }
        }
        // `#<id>`
        if rest.first() == Some(&b'#') && (i == 0 || b[i - 1] != b'&') {
            let n = rest[1..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                .count();
            let id = &rest[1..1 + n];
            let bounded = rest.get(1 + n).is_none_or(|c| !is_word(*c));
            if (HASH_MIN..=HASH_MAX).contains(&n)
                && bounded
                && id.iter().any(u8::is_ascii_digit)
                && id.iter().any(|c| (b'g'..=b'z').contains(c))
            {
                return Some(Ticket {
                    id: format!("CU-{}", String::from_utf8_lossy(id)),
                    start: i,
                    end: i + 1 + n,
                    form: Form::Hash,
                    exact: true,
                });
            }
        }
        // `<PREFIX>-<number>`
        for p in &self.prefixes {
            let pl = p.len();
            if rest.len() > pl + 1
                && rest[..pl].eq_ignore_ascii_case(p.as_bytes())
                && rest[pl] == b'-'
            {
                let exact = &rest[..pl] == p.as_bytes();
                let n = rest[pl + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                let bounded = rest.get(pl + 1 + n).is_none_or(|c| !is_word(*c));
                if (1..=NUM_MAX).contains(&n) && bounded && (exact || any_case) {
                    return Some(Ticket {
                        id: format!("{p}-{}", String::from_utf8_lossy(&rest[pl + 1..pl + 1 + n])),
                        start: i,
                        end: i + pl + 1 + n,
                        form: Form::Custom,
                        exact,
                    });
                }
            }
        }
        None
    }
}

/// A character that continues a word: a match must not start or end next to one.
fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// A whitespace-delimited token that is (or holds) a URL or an e-mail-like address.
fn is_url(token: &str) -> bool {
    token.contains("://") || token.starts_with("www.") || token.contains('@')
}

/// Is `p` a valid custom task id prefix (2–10 capitals, digits or `_`, starting with a capital)?
pub fn valid_prefix(p: &str) -> bool {
    (2..=10).contains(&p.len())
        && p.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
        && p.bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str, any_case: bool) -> Vec<String> {
        Matcher::new(&["ENG".into(), "OPS".into()])
            .find_all(text, any_case)
            .into_iter()
            .map(|t| t.id)
            .collect()
    }

    #[test]
    fn clickup_forms() {
        assert_eq!(ids("CU-86b2xk4pq: fix login", false), ["CU-86b2xk4pq"]);
        assert_eq!(ids("[CU-86b2xk4pq] fix", false), ["CU-86b2xk4pq"]);
        assert_eq!(ids("Refs: #86b2xk4pq", false), ["CU-86b2xk4pq"]);
        assert_eq!(
            ids("Closes ENG-142 and OPS-7.", false),
            ["ENG-142", "OPS-7"]
        );
        assert_eq!(ids("feature/CU-37hf2du-x", false), ["CU-37hf2du"]);
    }

    #[test]
    fn boundaries_hashes_and_urls() {
        // Glued into a longer token: a base64 hash, a SHA-ish string, a word.
        assert!(ids("integrity sha512-Zx9CU-86b2xk4pqAa==", false).is_empty());
        assert!(ids("deadbeefCU-86b2xk4pq", false).is_empty());
        assert!(ids("CU-86b2xk4pq_x", false).is_empty());
        // In a URL.
        assert!(ids("see https://app.clickup.com/t/CU-86b2xk4pq", false).is_empty());
        assert!(ids("https://example.com/x#86b2xk4pq", false).is_empty());
        // Numeric refs, colours, preprocessor lines, unknown prefixes.
        assert!(ids("fixes #123 and #a1b2c3, #define X", false).is_empty());
        assert!(ids("UTF-8 SHA-256 ISO-8601 JIRA-12", false).is_empty());
        assert!(ids("&#123456abc;", false).is_empty());
        // A hex-only id after `CU-` is still an id; a number alone is not.
        assert_eq!(ids("CU-abc123", false), ["CU-abc123"]);
        assert!(ids("CU-123456", false).is_empty());
    }

    #[test]
    fn case_rules() {
        assert!(ids("cu-86b2xk4pq", false).is_empty());
        assert!(ids("CU-86B2XK4PQ", false).is_empty());
        assert!(ids("eng-142", false).is_empty());
        let m = Matcher::new(&["ENG".into()]);
        let t = m.first("feature/cu-86B2xk4pq-login", true).unwrap();
        assert_eq!((t.id.as_str(), t.exact), ("CU-86b2xk4pq", false));
        assert_eq!(m.first("fix/eng-142-x", true).unwrap().id, "ENG-142");
    }

    #[test]
    fn prefixes() {
        assert!(valid_prefix("ENG"));
        assert!(valid_prefix("API_32"));
        assert!(!valid_prefix("E"));
        assert!(!valid_prefix("eng"));
        assert!(!valid_prefix("TOOLONGPREFIX"));
    }
}
