//! What a branch name is made of, for the `branch` check that judges names and the `ticket`
//! check that suggests one with a ticket: release branches, versions, and a valid
//! name built from an invalid one. Depends on neither check.

use crate::ticket_id::Matcher;

/// A release branch needs no ticket.
pub fn is_release(branch: &str) -> bool {
    branch.starts_with("release/")
}

/// `1.4.0`, `v2.0.0-rc.1`, `1.0.0+build.5`.
pub fn is_version(s: &str) -> bool {
    let s = s.strip_prefix('v').unwrap_or(s);
    let (core, _build) = s.split_once('+').unwrap_or((s, ""));
    let (core, pre) = core.split_once('-').unwrap_or((core, ""));
    let nums: Vec<&str> = core.split('.').collect();
    nums.len() == 3
        && nums
            .iter()
            .all(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
        && pre
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
}

/// The longest version number in `s` (`next-1.5.0` → `1.5.0`).
fn find_version(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (0..b.len())
        .filter(|&i| {
            b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.'))
        })
        .find_map(|i| {
            (i + 1..=b.len())
                .rev()
                .filter_map(|j| s.get(i..j))
                .find(|v| is_version(v))
        })
}

/// A valid name built from `name`: its type (from its `type/` prefix, else from its words:
/// `Fix_Login_Bug` → `bugfix/…`, `add-user-export` → `feature/…`, else the default), its
/// ticket, its words lower-cased and joined by `-`.
pub fn suggest(name: &str, types: &[String], matcher: &Matcher, need_ticket: bool) -> String {
    let (head, rest) = match name.split_once('/') {
        Some((h, r)) => (Some(h), r),
        None => (None, name),
    };
    let head_type = head.and_then(|h| nearest_type(&h.to_ascii_lowercase(), types));
    let whole = if head_type.is_some() { rest } else { name };
    if head_type.as_deref() == Some("release") {
        return format!("release/{}", find_version(whole).unwrap_or("1.0.0"));
    }
    let ticket = matcher.first(whole, true);
    let text = match &ticket {
        Some(t) => format!("{} {}", &whole[..t.start], &whole[t.end..]),
        None => whole.to_owned(),
    };
    let mut words = split_words(&text);
    let ty = match head_type {
        Some(t) => t,
        None => match words
            .iter()
            .enumerate()
            .find_map(|(i, w)| word_type(w, types).map(|t| (i, t)))
        {
            Some((i, t)) => {
                // `add-user-export` → `feature/user-export`: the type says it once.
                if i == 0 && words.len() > 1 {
                    words.remove(0);
                }
                t
            }
            None => default_type(types),
        },
    };
    let mut words = words.join("-");
    if words.is_empty() {
        words.push_str("short-description");
    }
    let ticket = match ticket {
        Some(t) => format!("{}-", t.id),
        None if need_ticket => "CU-<task-id>-".to_owned(),
        None => String::new(),
    };
    format!("{ty}/{ticket}{words}")
}

/// `feature` when configured, else the first configured type.
fn default_type(types: &[String]) -> String {
    if types.iter().any(|t| t == "feature") {
        "feature".to_owned()
    } else {
        types.first().cloned().unwrap_or_else(|| "feature".into())
    }
}

/// The configured type a word of a branch name says (`fix`, `bug` → `bugfix`; `add`, `feat`
/// → `feature`; `docs`, `test`, …). Never `release`, which needs a version, not words.
fn word_type(word: &str, types: &[String]) -> Option<String> {
    let base = match word {
        "add" | "adds" | "added" | "adding" | "new" | "implement" | "implements"
        | "implemented" => "feature",
        "fixed" | "fixing" | "bugs" | "bugfix" => "bugfix",
        other => other,
    };
    nearest_type(base, types)
        .or_else(|| (base == "hotfix").then(|| nearest_type("bugfix", types))?)
        .filter(|t| t != "release")
}

/// `feat` → `feature`, `fix` → `bugfix`, …: the configured type a prefix most likely meant.
fn nearest_type(head: &str, types: &[String]) -> Option<String> {
    if types.iter().any(|t| t == head) {
        return Some(head.to_owned());
    }
    let aliases: &[(&str, &[&str])] = &[
        ("feature", &["feat", "features", "feature-branch", "ft"]),
        ("bugfix", &["fix", "bug", "bugs", "bug-fix", "fixes"]),
        ("hotfix", &["hot-fix", "hotfixes"]),
        ("docs", &["doc", "documentation"]),
        ("refactor", &["refactoring", "refacto"]),
        ("test", &["tests", "testing"]),
        ("chore", &["chores", "maintenance"]),
        ("release", &["releases", "rel"]),
    ];
    for (canon, alts) in aliases {
        if alts.contains(&head) {
            if types.iter().any(|t| t == canon) {
                return Some((*canon).to_owned());
            }
            // `fix` configured, `bugfix` written (or the other way round).
            if let Some(t) = types.iter().find(|t| alts.contains(&t.as_str())) {
                return Some(t.clone());
            }
        }
        if *canon == head {
            if let Some(t) = types.iter().find(|t| alts.contains(&t.as_str())) {
                return Some(t.clone());
            }
        }
    }
    None
}

/// Lower-case words of a name: split at anything not a letter or digit, and at camelCase humps.
fn split_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            cur.push(c.to_ascii_lowercase());
        } else {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}
