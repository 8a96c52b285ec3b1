//! Commit message structure: the Conventional Commits 1.0 header, the trailer block (parsed the way
//! `git interpret-trailers` finds it), and the kinds of commit every convention excuses.
//!
//! Messages are UTF-8 people write (`🎉 initial commit`, `Tested-by: José`): text is only cut
//! where a character ends, at an ASCII byte a scan stopped on or through `str::get`.

use crate::text::strip_prefix_ignore_case;

/// `type(scope)!: description`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    pub kind: &'a str,
    pub scope: Option<&'a str>,
    pub breaking: bool,
    pub description: &'a str,
}

/// Why a subject is not a Conventional Commits header; each says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    NoType,
    BadTypeChars,
    UnclosedScope,
    EmptyScope,
    NoColon,
    NoSpace,
    EmptyDescription,
}

impl HeaderError {
    pub fn describe(&self) -> &'static str {
        match self {
            HeaderError::NoType => "it does not start with a type followed by `:` (e.g. `fix: …`)",
            HeaderError::BadTypeChars => {
                "the type must be one word of letters (e.g. `feat`, `fix`)"
            }
            HeaderError::UnclosedScope => "the scope's `(` is not closed",
            HeaderError::EmptyScope => "the scope `()` is empty",
            HeaderError::NoColon => "the type (and scope) must be followed by `: `",
            HeaderError::NoSpace => "a space must follow the `:`",
            HeaderError::EmptyDescription => "there is no description after `type: `",
        }
    }
}

pub fn parse_header(subject: &str) -> Result<Header<'_>, HeaderError> {
    let kind_len = subject
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
        .count();
    let kind = &subject[..kind_len];
    let after = &subject[kind_len..];
    if kind.is_empty() || !after.starts_with(['(', '!', ':']) {
        // `Fix login` / `fix login`: no type at all.
        return Err(
            if kind.is_empty() || after.is_empty() || after.starts_with(' ') {
                HeaderError::NoType
            } else {
                HeaderError::BadTypeChars
            },
        );
    }
    if !kind.bytes().all(|c| c.is_ascii_alphabetic()) {
        return Err(HeaderError::BadTypeChars);
    }
    let mut rest = after;
    let mut scope = None;
    if let Some(r) = rest.strip_prefix('(') {
        let close = r.find(')').ok_or(HeaderError::UnclosedScope)?;
        let s = &r[..close];
        if s.trim().is_empty() {
            return Err(HeaderError::EmptyScope);
        }
        scope = Some(s);
        rest = &r[close + 1..];
    }
    let breaking = rest.starts_with('!');
    if breaking {
        rest = &rest[1..];
    }
    let rest = rest.strip_prefix(':').ok_or(HeaderError::NoColon)?;
    let description = rest.strip_prefix(' ').ok_or(if rest.is_empty() {
        HeaderError::EmptyDescription
    } else {
        HeaderError::NoSpace
    })?;
    if description.trim().is_empty() {
        return Err(HeaderError::EmptyDescription);
    }
    Ok(Header {
        kind,
        scope,
        breaking,
        description,
    })
}

/// One `Token: value` trailer (or Conventional Commits' `Token #value` footer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    pub token: String,
    pub value: String,
    /// 0-based line of the message (cleaned text) where it starts.
    pub line: usize,
}

/// A trailer line's token and value, if the line is one. Tokens are letters, digits and `-`
/// (`Signed-off-by`), plus the one spaced token Conventional Commits allows, `BREAKING CHANGE`.
pub fn trailer_line(line: &str) -> Option<(&str, &str)> {
    const BREAKING: &str = "BREAKING CHANGE";
    let token_len = if strip_prefix_ignore_case(line, BREAKING).is_some() {
        BREAKING.len()
    } else {
        line.bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
            .count()
    };
    if token_len == 0 || line.starts_with('-') {
        return None;
    }
    let (token, rest) = line.split_at(token_len);
    let rest_trim = rest.trim_start_matches([' ', '\t']);
    if let Some(v) = rest_trim.strip_prefix(':') {
        // git allows spaces before the separator; a URL (`https://…`) is not a trailer.
        if v.starts_with("//") {
            return None;
        }
        return Some((token, v.trim()));
    }
    if let Some(v) = rest.strip_prefix(' ') {
        if v.len() > 1 && v.starts_with('#') && !v[1..].starts_with(' ') {
            return Some((token, v.trim()));
        }
    }
    None
}

/// The trailers of a cleaned message: its last paragraph, when that is not the subject and every
/// line is a trailer or an indented continuation — or, as git allows, at least a quarter of them
/// are and one is a `Signed-off-by:` or `(cherry picked from commit …)` line.
pub fn trailers(text: &str) -> Vec<Trailer> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(last) = lines.iter().rposition(|l| !l.trim().is_empty()) else {
        return Vec::new();
    };
    let first = lines[..last]
        .iter()
        .rposition(|l| l.trim().is_empty())
        .map_or(0, |i| i + 1);
    if first == 0 {
        return Vec::new(); // the subject paragraph
    }
    let block = &lines[first..=last];
    let mut out: Vec<Trailer> = Vec::new();
    let (mut trailer_lines, mut other, mut recognised) = (0, 0, false);
    // Whether the line a continuation would belong to is a trailer.
    let mut in_trailer = false;
    for (i, l) in block.iter().enumerate() {
        if i > 0 && l.starts_with([' ', '\t']) {
            if let Some(t) = out.last_mut().filter(|_| in_trailer) {
                t.value.push(' ');
                t.value.push_str(l.trim());
            }
            continue;
        }
        in_trailer = false;
        if l.starts_with("(cherry picked from commit ") {
            recognised = true;
            trailer_lines += 1;
        } else if let Some((token, value)) = trailer_line(l) {
            recognised |= token.eq_ignore_ascii_case("Signed-off-by");
            trailer_lines += 1;
            in_trailer = true;
            out.push(Trailer {
                token: token.to_owned(),
                value: value.to_owned(),
                line: first + i,
            });
        } else {
            other += 1;
        }
    }
    let all = other == 0 && trailer_lines > 0;
    let quarter = recognised && trailer_lines * 4 >= trailer_lines + other;
    if all || quarter {
        out
    } else {
        Vec::new()
    }
}

/// Trailer tokens people put on a message's first line (`Refs: CU-86b2xk4pq`, `Closes #12`).
const TRAILER_WORDS: &[&str] = &[
    "refs",
    "ref",
    "references",
    "closes",
    "close",
    "fixes",
    "resolves",
    "resolve",
    "related",
    "relates",
    "issue",
    "issues",
    "ticket",
    "task",
    "bug",
    "see",
    "cc",
    "link",
    "jira",
    "story",
    "implements",
];

/// The trailer a subject line is, when a message starts with trailers instead of a subject:
/// `Refs: CU-86b2xk4pq`, `Closes #12`, `Signed-off-by: …` (a `Token: value` line as
/// `git interpret-trailers` reads one, whose token is a trailer word or a capitalised
/// hyphenated git trailer such as `Co-authored-by`). `feat: x` is a trailer line to git too,
/// so `types`, the commit types, are never taken for trailers.
pub fn subject_trailer<'a>(subject: &'a str, types: &[String]) -> Option<(&'a str, &'a str)> {
    let (token, value) = trailer_line(subject)?;
    if types.iter().any(|t| t.eq_ignore_ascii_case(token)) {
        return None;
    }
    let git_style = token.contains('-') && token.starts_with(|c: char| c.is_ascii_uppercase());
    let word = TRAILER_WORDS.iter().any(|w| w.eq_ignore_ascii_case(token));
    let breaking = token.eq_ignore_ascii_case("BREAKING CHANGE");
    (git_style || word || breaking).then_some((token, value))
}

/// `fixup!`, `squash!`, `amend!`: made to be folded away by `git rebase --autosquash`.
pub fn is_autosquash(subject: &str) -> bool {
    ["fixup! ", "squash! ", "amend! "]
        .iter()
        .any(|p| subject.starts_with(p))
}

/// `WIP`, `wip:`, `[WIP] …`, `WIP - …`: work in progress, not meant to be merged.
pub fn is_wip(subject: &str) -> bool {
    let s = subject.trim_start();
    let s = s.strip_prefix('[').unwrap_or(s);
    strip_prefix_ignore_case(s, "wip")
        .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// The draft markers GitLab reads at the start of a merge-request title (any case), and the
/// older `WIP` ones: a ticket or anything else put before them hides the draft from GitLab.
const DRAFT_MARKERS: &[&str] = &["draft:", "[draft]", "(draft)", "draft - ", "wip:", "[wip]"];

/// The leading draft markers of `title` with the spaces after them (`Draft: `, `[Draft] `,
/// `(Draft) `, `Draft - `, `WIP: `, `[WIP] `, repeated), or `""`: where a ticket goes.
pub fn draft_prefix(title: &str) -> &str {
    let mut rest = title;
    while let Some(r) = DRAFT_MARKERS
        .iter()
        .find_map(|m| strip_prefix_ignore_case(rest, m))
    {
        rest = r.trim_start();
    }
    &title[..title.len() - rest.len()]
}

/// Messages git writes itself for merges and reverts; no convention applies to them.
pub fn is_generated(subject: &str) -> bool {
    subject.starts_with("Merge ")
        || subject.starts_with("Revert \"")
        || subject.starts_with("Reapply \"")
        || subject.starts_with("Merged ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let h = parse_header("feat(api)!: drop v1").unwrap();
        assert_eq!(
            (h.kind, h.scope, h.breaking, h.description),
            ("feat", Some("api"), true, "drop v1")
        );
        assert_eq!(parse_header("fix: x").unwrap().scope, None);
        assert_eq!(parse_header("Fix login"), Err(HeaderError::NoType));
        assert_eq!(parse_header("fix login"), Err(HeaderError::NoType));
        assert_eq!(parse_header("fix:login"), Err(HeaderError::NoSpace));
        assert_eq!(parse_header("fix(api: x"), Err(HeaderError::UnclosedScope));
        assert_eq!(parse_header("fix(): x"), Err(HeaderError::EmptyScope));
        assert_eq!(parse_header("fix: "), Err(HeaderError::EmptyDescription));
        assert_eq!(parse_header("fix:"), Err(HeaderError::EmptyDescription));
        assert_eq!(parse_header("fix2: x"), Err(HeaderError::BadTypeChars));
        assert_eq!(parse_header("fix(a) x"), Err(HeaderError::NoColon));
    }

    #[test]
    fn trailer_blocks() {
        let t = trailers("feat: x\n\nbody text\n\nRefs: CU-86b2xk4pq\nBREAKING CHANGE: gone\n  really\nCloses #86b2xk4pq\n");
        let got: Vec<(&str, &str)> = t
            .iter()
            .map(|t| (t.token.as_str(), t.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Refs", "CU-86b2xk4pq"),
                ("BREAKING CHANGE", "gone really"),
                ("Closes", "#86b2xk4pq")
            ]
        );
        // The subject paragraph is never a trailer block; prose is not either.
        assert!(trailers("Refs: CU-86b2xk4pq\n").is_empty());
        assert!(trailers("feat: x\n\nsee the notes\nRefs: CU-1\n").is_empty());
        assert!(trailers("feat: x\n\nsee https://example.com\n").is_empty());
        // git's 25% rule with a Signed-off-by.
        let t = trailers(
            "fix: y\n\nsome words here\nmore words\nRefs: CU-abc123\nSigned-off-by: A <a@x>\n",
        );
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn non_ascii_trailer_lines() {
        assert_eq!(
            trailer_line("Tested-by: José <j@x.io>"),
            Some(("Tested-by", "José <j@x.io>"))
        );
        assert_eq!(
            trailer_line("CU-86b2xk4pq: ✨ sparkle").map(|t| t.0),
            Some("CU-86b2xk4pq")
        );
        assert_eq!(trailer_line("BREAKING CHANGÉ: x"), None);
        assert_eq!(trailer_line("BREAKING CHANGE: ü").map(|t| t.1), Some("ü"));
        assert_eq!(trailer_line("Größe: 3"), None);
    }

    #[test]
    fn trailers_in_the_subject_line() {
        let types: Vec<String> = ["feat", "fix"].iter().map(|s| (*s).to_owned()).collect();
        let token = |s| subject_trailer(s, &types).map(|t| t.0);
        assert_eq!(token("Refs: CU-abc123"), Some("Refs"));
        assert_eq!(token("Closes #86b2xk4pq"), Some("Closes"));
        assert_eq!(token("Signed-off-by: José <j@x.io>"), Some("Signed-off-by"));
        assert_eq!(token("BREAKING CHANGE: gone"), Some("BREAKING CHANGE"));
        // Headers, with a known or an unknown type, are not trailers.
        assert_eq!(token("feat: x"), None);
        assert_eq!(token("Fix: x"), None);
        assert_eq!(token("feature: x"), None);
        assert_eq!(token("update-deps: x"), None);
        assert_eq!(token("Fixed the login bug"), None);
        assert_eq!(token("🎉 Refs: x"), None);
    }

    #[test]
    fn draft_markers() {
        assert_eq!(draft_prefix("Draft: login"), "Draft: ");
        assert_eq!(draft_prefix("draft:login"), "draft:");
        assert_eq!(draft_prefix("[Draft] (DRAFT) login"), "[Draft] (DRAFT) ");
        assert_eq!(draft_prefix("Draft - login"), "Draft - ");
        assert_eq!(draft_prefix("WIP: login"), "WIP: ");
        assert_eq!(draft_prefix("Drafting the login"), "");
        assert_eq!(draft_prefix("Draft"), "");
        assert_eq!(draft_prefix("Dräft: x"), "");
        assert_eq!(draft_prefix("🎉 Draft: x"), "");
    }

    #[test]
    fn kinds() {
        assert!(is_autosquash("fixup! feat: x"));
        assert!(!is_autosquash("fixup: x"));
        assert!(is_wip("WIP"));
        assert!(is_wip("wip: more"));
        assert!(is_wip("[WIP] login"));
        assert!(!is_wip("wipe the cache"));
        assert!(!is_wip("🎉 initial commit"));
        assert!(!is_wip("[Grüße] an das Team"));
        assert!(!is_wip("wiß"));
        assert!(is_wip("WIP: ünïcode"));
        assert!(is_generated("Merge branch 'x' into y"));
        assert!(is_generated("Revert \"feat: x\""));
    }
}
