//! Files a run could not read. A check that cannot read a file notes it and goes on; the summary
//! then names every such file with the reason, so "no problems" never hides content nobody looked at.

use serde::{Serialize, Serializer};

use crate::finding::{Finding, Severity};
use crate::path::RepoPath;
use crate::rule::{Category, Rule};

/// The rule id of the note a check leaves for a file it could not read.
pub const RULE_ID: &str = "unreadable";

/// The rule of that note, for a check that reads files: each such check lists it with its own
/// rules and the category of its findings.
pub const fn rule(check: &'static str, category: Category) -> Rule {
    Rule {
        check,
        id: RULE_ID,
        category,
        summary: "a file that could not be read was skipped (a note, never blocking)",
        explanation: r#"Reported when a file cannot be read, for example because of its permissions or because it vanished while a directory was being scanned: the summary names the file and the reason (and -v shows the note). The rest of the run goes on."#,
        examples: &[],
        advice: "",
    }
}
/// How the note's message starts; the reason follows.
const NOTE_PREFIX: &str = "skipped: ";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    #[serde(serialize_with = "lossy")]
    pub path: RepoPath,
    /// The commit whose version could not be read, when commits are judged.
    pub commit: Option<String>,
    /// Lower-case words: `permission denied`, `not a regular file`.
    pub reason: String,
}

fn lossy<S: Serializer>(p: &RepoPath, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

/// The reason in words a summary can show.
pub fn reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::NotFound => "it vanished while being judged".to_owned(),
        _ => {
            let text = e.to_string();
            // "Input/output error (os error 5)": the number says nothing to the reader.
            let text = match text.rfind(" (os error ") {
                Some(i) if text.ends_with(')') => text[..i].to_owned(),
                _ => text,
            };
            text.to_lowercase()
        }
    }
}

/// The note a check returns for a file it could not read (shown with -v; the summary lists it
/// always).
pub fn note(rule: &Rule, path: &RepoPath, commit: Option<&str>, why: &str) -> Finding {
    debug_assert_eq!(rule.id, RULE_ID);
    Finding::new(rule, Severity::Info, format!("{NOTE_PREFIX}{why}"))
        .at(path, None, None)
        .commit(commit)
        .key(b"")
}

/// Every file not read: those the change set could not list (`listed`) and those the checks
/// noted, each once (several checks read the same file), sorted by path.
pub fn collect(listed: &[Unread], findings: &[Finding]) -> Vec<Unread> {
    let noted = findings
        .iter()
        .filter(|f| f.rule == RULE_ID)
        .filter_map(|f| {
            Some(Unread {
                path: f.path.clone()?,
                commit: f.commit.clone(),
                reason: f
                    .message
                    .strip_prefix(NOTE_PREFIX)
                    .unwrap_or(&f.message)
                    .to_owned(),
            })
        });
    let mut all: Vec<Unread> = listed.iter().cloned().chain(noted).collect();
    all.sort_by(|a, b| (&a.path, &a.commit).cmp(&(&b.path, &b.commit)));
    all.dedup_by(|a, b| a.path == b.path && a.commit == b.commit);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_once_with_its_reason() {
        let file = RepoPath::from("b.bin");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let findings = vec![
            note(
                &rule("hygiene", Category::Note),
                &file,
                None,
                &reason(&denied),
            ),
            note(
                &rule("secrets", Category::Security),
                &file,
                None,
                &reason(&denied),
            ),
        ];
        let listed = vec![Unread {
            path: RepoPath::from("a"),
            commit: None,
            reason: "not a regular file".into(),
        }];
        let all = collect(&listed, &findings);
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[1].path, RepoPath::from("b.bin"));
        assert_eq!(all[1].reason, "permission denied");
        assert_eq!(
            reason(&std::io::Error::from_raw_os_error(5)),
            "input/output error"
        );
    }
}
