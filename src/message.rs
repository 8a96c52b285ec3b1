//! The commit message being written: read the file git passes to commit-msg and
//! prepare-commit-msg, and work out what git will keep of it (comments and the `-v` diff go).

use std::path::Path;

use crate::changeset::Message;
use crate::error::{Error, Result};

/// Characters git picks from when `core.commentChar = auto` (builtin/commit.c).
const AUTO_CANDIDATES: &str = "#;@!$%^&|:";

pub fn read(
    file: &Path,
    source: Option<String>,
    source_commit: Option<String>,
    comment_setting: Option<&str>,
) -> Result<Message> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let comment_char = comment_char(&raw, comment_setting);
    let text = cleanup(&raw, comment_char);
    Ok(Message {
        file: file.to_path_buf(),
        raw,
        text,
        source,
        source_commit,
        comment_char,
    })
}

/// The comment character: configured, or for `auto` the one git evidently used (the character
/// that starts the instructions git writes), else `#`.
pub fn comment_char(raw: &str, setting: Option<&str>) -> char {
    match setting {
        Some("auto") => AUTO_CANDIDATES
            .chars()
            .find(|c| {
                raw.lines().any(|l| {
                    l.starts_with(*c) && (l.contains("Please enter") || is_scissors(l, *c))
                })
            })
            .unwrap_or('#'),
        Some(s) => s.chars().next().unwrap_or('#'),
        None => '#',
    }
}

/// `# ------------------------ >8 ------------------------`: git drops it and all below.
pub fn is_scissors(line: &str, cc: char) -> bool {
    line.strip_prefix(cc)
        .is_some_and(|r| r.trim() == "------------------------ >8 ------------------------")
}

/// What git keeps with the default `--cleanup=strip`: no comment lines, nothing after the
/// scissors line, no trailing whitespace, no leading or trailing blank lines, blank runs squeezed.
pub fn cleanup(raw: &str, cc: char) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in raw.lines() {
        if is_scissors(line, cc) {
            break;
        }
        if line.starts_with(cc) {
            continue;
        }
        let line = line.trim_end();
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last() == Some(&"") {
        lines.pop();
    }
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_comments_and_verbose_diff() {
        let raw = "\n\nfeat: x\n\n\nbody  \n# Please enter the commit message\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n";
        assert_eq!(cleanup(raw, '#'), "feat: x\n\nbody\n");
    }

    #[test]
    fn auto_comment_char() {
        let raw = "fix: y\n; Please enter the commit message for your changes.\n";
        assert_eq!(comment_char(raw, Some("auto")), ';');
        assert_eq!(cleanup(raw, ';'), "fix: y\n");
        assert_eq!(comment_char("x", None), '#');
    }
}
