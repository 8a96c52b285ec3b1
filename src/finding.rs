//! A `Finding` is the one output type every check produces and every report consumes.

use serde::Serialize;

use crate::path::RepoPath;

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

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Check id, e.g. `hygiene`, `secrets`.
    pub check: &'static str,
    /// Rule id inside the check, e.g. `conflict-marker`, `github-pat`.
    pub rule: String,
    pub severity: Severity,
    #[serde(serialize_with = "crate::path::serialize_opt")]
    pub path: Option<RepoPath>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// Full commit id the finding came from, when judging commits (pre-push, ci, history).
    pub commit: Option<String>,
    pub message: String,
    /// How to fix it or how to allow it. Shown as rustc-style `= help:` line.
    pub help: Option<String>,
    /// The offending source line, already redacted by the check when it holds a secret.
    pub snippet: Option<String>,
    /// Stable identity: check, rule, path and a check-chosen key (not the line number).
    pub fingerprint: String,
}

impl Finding {
    /// Starts a finding; the caller sets location and extras with the builder methods.
    pub fn new(
        check: &'static str,
        rule: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        let rule = rule.into();
        Finding {
            check,
            fingerprint: String::new(),
            rule,
            severity,
            path: None,
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
    pub fn commit(mut self, commit: Option<&str>) -> Self {
        self.commit = commit.map(str::to_owned);
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(truncate_snippet(&snippet.into()));
        self
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
        }
        h.write(b"\0");
        h.write(key);
        self.fingerprint = format!("{:016x}", h.finish());
        self
    }
    pub fn is_blocking(&self) -> bool {
        self.severity.is_blocking()
    }
}

/// Long lines (minified files) would flood the terminal; keep the start.
fn truncate_snippet(s: &str) -> String {
    const MAX: usize = 160;
    let s = s.trim_end_matches(['\r', '\n']);
    if s.chars().count() <= MAX {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(MAX).collect();
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

impl Default for Fnv64 {
    fn default() -> Self {
        Self::new()
    }
}

/// Findings in a stable order: by check, path, line, rule.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.check, &a.path, a.line, a.column, &a.rule, &a.commit)
            .cmp(&(b.check, &b.path, b.line, b.column, &b.rule, &b.commit))
    });
}
