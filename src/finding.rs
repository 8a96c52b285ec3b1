//! A `Finding` is the one output type every check produces and every report consumes.

use serde::Serialize;

use crate::path::RepoPath;
use crate::rule::{Category, Rule};

/// How much a finding matters. `Error` blocks the commit/push/pipeline, `Warn` is reported
/// but lets it through, `Info` is a note (a skipped file, an allowed line) shown with `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }
    pub fn is_blocking(self) -> bool {
        self == Severity::Error
    }
}

/// The text a finding without a file is in: a message rather than content. With a line (and
/// column) it locates the finding within that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    CommitMessage,
    MergeRequestTitle,
    MergeRequestDescription,
}

impl Field {
    pub const ALL: [Field; 3] = [
        Field::CommitMessage,
        Field::MergeRequestTitle,
        Field::MergeRequestDescription,
    ];
    /// The field named `s` (its `as_str` form), if any.
    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Field::CommitMessage => "commit-message",
            Field::MergeRequestTitle => "merge-request-title",
            Field::MergeRequestDescription => "merge-request-description",
        }
    }
    /// How reports name it in prose: `commit message`.
    pub fn label(self) -> &'static str {
        match self {
            Field::CommitMessage => "commit message",
            Field::MergeRequestTitle => "merge-request title",
            Field::MergeRequestDescription => "merge-request description",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Check id, e.g. `hygiene`, `secrets`.
    pub check: &'static str,
    /// Rule id inside the check, e.g. `conflict-marker`, `github-pat`.
    pub rule: String,
    /// The rule's category, which reports ask (not the check's name). Not in the JSON report.
    #[serde(skip)]
    pub category: Category,
    pub severity: Severity,
    #[serde(serialize_with = "crate::path::serialize_opt")]
    pub path: Option<RepoPath>,
    /// For findings in a message instead of a file (`path` is `None`): which one. `line` and
    /// `column` then count within that text.
    pub field: Option<Field>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// Full commit id the finding came from, when judging commits (pre-push, ci, history).
    pub commit: Option<String>,
    pub message: String,
    /// How to fix it or how to allow it. Shown as rustc-style `= help:` line.
    pub help: Option<String>,
    /// The offending source line. `checks::run_all` redacts every secret in it (and in
    /// `message` and `help`) before any report sees it.
    pub snippet: Option<String>,
    /// Stable identity: check, rule, path and a check-chosen key (not the line number).
    pub fingerprint: String,
}

impl Finding {
    /// Starts a finding of `rule`; the caller sets location and extras with the builder methods.
    pub fn new(rule: &Rule, severity: Severity, message: impl Into<String>) -> Self {
        Finding::named(rule.check, rule.id, rule.category, severity, message)
    }
    /// A finding of a rule defined by data rather than a [`Rule`] constant: the secret
    /// providers, documented from the same data.
    pub fn named(
        check: &'static str,
        rule: impl Into<String>,
        category: Category,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            check,
            fingerprint: String::new(),
            rule: rule.into(),
            category,
            severity,
            path: None,
            field: None,
            line: None,
            column: None,
            commit: None,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }
    pub fn at(mut self, path: &RepoPath, line: Option<u32>, column: Option<u32>) -> Self {
        self.path = Some(path.clone());
        self.line = line;
        self.column = column;
        self
    }
    /// Locates the finding in a message (`line`, `column` 1-based within its text).
    pub fn in_field(mut self, field: Field, line: Option<u32>, column: Option<u32>) -> Self {
        self.field = Some(field);
        self.line = line;
        self.column = column;
        self
    }
    pub fn commit(mut self, commit: Option<&str>) -> Self {
        self.commit = commit.map(str::to_owned);
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(keep_start(&snippet.into(), SNIPPET_KEPT));
        self
    }
    /// The last step before any report: `redact` replaces the secrets in every text the finding
    /// shows, then the snippet is cut to what a terminal line shows (after redaction, so the cut
    /// never leaves part of a secret that no rule would recognise any more).
    pub fn redact_with(&mut self, redact: impl Fn(&mut String)) {
        redact(&mut self.message);
        if let Some(h) = &mut self.help {
            redact(h);
        }
        if let Some(s) = &mut self.snippet {
            redact(s);
            *s = keep_start(s, SNIPPET_SHOWN);
        }
    }
    /// Sets the fingerprint from check, rule, path and `key`. `key` should survive line moves:
    /// a hash of the secret, the offending text, or the ref name.
    pub fn key(mut self, key: &[u8]) -> Self {
        let mut h = Fnv64::new();
        h.write(self.check.as_bytes());
        h.write(b"\0");
        h.write(self.rule.as_bytes());
        h.write(b"\0");
        if let Some(p) = &self.path {
            h.write(p.as_bytes());
        } else if let Some(f) = self.field {
            h.write(f.as_str().as_bytes());
        }
        h.write(b"\0");
        h.write(key);
        self.fingerprint = format!("{:016x}", h.finish());
        self
    }
    /// What the finding is in, for people: its path, or the label of its field.
    pub fn place(&self) -> Option<String> {
        match (&self.path, self.field) {
            (Some(p), _) => Some(p.display()),
            (None, field) => field.map(|f| f.label().to_owned()),
        }
    }
    /// For a finding in a message, where it is in words (`commit message line 2, commit
    /// 0123456789ab`), for formats whose locations are files only.
    pub fn field_location(&self) -> Option<String> {
        let field = self.field.filter(|_| self.path.is_none())?;
        let mut s = field.label().to_owned();
        if let Some(l) = self.line {
            s.push_str(&format!(" line {l}"));
        }
        if let Some(c) = &self.commit {
            s.push_str(&format!(", commit {}", c.get(..12).unwrap_or(c)));
        }
        Some(s)
    }
    pub fn is_blocking(&self) -> bool {
        self.severity.is_blocking()
    }
}

/// What reports show of a snippet: long lines (minified files) would flood the terminal.
const SNIPPET_SHOWN: usize = 160;
/// What a snippet keeps until it is redacted: a secret that starts in the part shown is whole.
const SNIPPET_KEPT: usize = 1024;

/// The first `max` characters of `s` (without its line ending), `…` when something was cut.
fn keep_start(s: &str, max: usize) -> String {
    let s = s.trim_end_matches(['\r', '\n']);
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// FNV-1a, 64 bit: tiny, stable across Rust releases (unlike `DefaultHasher`), good enough
/// for fingerprints that only need to be stable and rarely collide.
pub struct Fnv64(u64);

impl Fnv64 {
    pub fn new() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// For hash maps of short keys, where SipHash's setup is most of the cost.
impl std::hash::Hasher for Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        Fnv64::write(self, bytes)
    }
    fn finish(&self) -> u64 {
        Fnv64::finish(self)
    }
}

impl Default for Fnv64 {
    fn default() -> Self {
        Self::new()
    }
}

/// Findings in a stable order: by check, path (or field), line, rule.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.check, &a.path, a.field, a.line, a.column, &a.rule, &a.commit,
        )
            .cmp(&(
                b.check, &b.path, b.field, b.line, b.column, &b.rule, &b.commit,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_in_a_message_is_placed_by_its_field() {
        let f = |field, line| {
            Finding::named(
                "secrets",
                "github-pat",
                Category::Security,
                Severity::Error,
                "token",
            )
            .in_field(field, Some(line), Some(5))
            .commit(Some("0123456789abcdef0123456789abcdef01234567"))
            .key(b"hash of the secret")
        };
        let a = f(Field::CommitMessage, 3);
        assert_eq!(a.place().as_deref(), Some("commit message"));
        assert_eq!(
            a.field_location().as_deref(),
            Some("commit message line 3, commit 0123456789ab")
        );
        // Keyed on the secret: the line does not matter, the field does.
        assert_eq!(a.fingerprint, f(Field::CommitMessage, 9).fingerprint);
        assert_ne!(a.fingerprint, f(Field::MergeRequestTitle, 3).fingerprint);
        assert_eq!(
            Field::parse("merge-request-title"),
            Some(Field::MergeRequestTitle)
        );
        let in_file = a.at(&RepoPath::from("a.txt"), Some(1), None);
        assert_eq!(in_file.field_location(), None);
    }
}
