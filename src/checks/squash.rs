//! Squash on merge: when the platform (GitLab's `CI_MERGE_REQUEST_SQUASH_ON_MERGE`) or
//! `[commit-msg] squash` says the MR is squashed, its title becomes the one commit the target
//! branch gains, and the branch's own commits never reach it. The checks that judge messages ask
//! here which text that is.

use serde::Deserialize;

use crate::changeset::MergeRequest;
use crate::finding::Severity;

/// `[commit-msg] squash`: whether merge requests are squashed on merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Squash {
    /// As the platform says (GitLab MR pipelines); not squashed where it says nothing.
    #[default]
    Auto,
    Always,
    Never,
}

/// Why a title is judged as a commit message; ends every such finding's message.
pub const TITLE_NOTE: &str =
    "this MR is squashed on merge, so its title becomes the commit on the target branch";

/// Why a commit's message finding is only a warning.
pub const COMMIT_NOTE: &str =
    "this MR is squashed on merge, so this commit's message does not reach the target branch";

/// Is `mr` squashed on merge? Only a merge request is: a branch pipeline has no title.
pub fn squashes(setting: Squash, mr: Option<&MergeRequest>) -> bool {
    let Some(mr) = mr else { return false };
    match setting {
        Squash::Always => true,
        Squash::Never => false,
        Squash::Auto => mr.squash_on_merge == Some(true),
    }
}

/// The commit message a squash merge writes from `title`: GitLab's default squash template is
/// the title alone, and a `Draft:` marker cannot stay (a draft cannot be merged).
pub fn squash_message(title: &str) -> String {
    format!("{}\n", strip_draft(title.trim()))
}

/// `Draft: x`, `[Draft] x`, `(Draft) x`, `Draft - x` → `x`, as GitLab recognises them (any case).
fn strip_draft(title: &str) -> &str {
    &title[crate::conventional::draft_prefix(title).len()..]
}

/// A commit-level message finding's severity when the commit will be squashed away.
pub fn commit_severity(squashed: bool, severity: Severity) -> Severity {
    if squashed {
        Severity::Warn.min(severity)
    } else {
        severity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mr(platform: Option<bool>) -> MergeRequest {
        MergeRequest {
            squash_on_merge: platform,
            ..MergeRequest::default()
        }
    }

    #[test]
    fn setting_overrides_the_platform() {
        assert!(squashes(Squash::Auto, Some(&mr(Some(true)))));
        assert!(!squashes(Squash::Auto, Some(&mr(None))));
        assert!(!squashes(Squash::Auto, Some(&mr(Some(false)))));
        assert!(squashes(Squash::Always, Some(&mr(Some(false)))));
        assert!(!squashes(Squash::Never, Some(&mr(Some(true)))));
        assert!(!squashes(Squash::Always, None), "no MR, nothing squashed");
    }

    #[test]
    fn draft_markers_go() {
        assert_eq!(squash_message("Draft: feat: x"), "feat: x\n");
        assert_eq!(squash_message("[Draft] feat: é"), "feat: é\n");
        assert_eq!(squash_message("(draft) fix: y"), "fix: y\n");
        assert_eq!(squash_message("feat: draft mode"), "feat: draft mode\n");
        assert_eq!(squash_message("Dr"), "Dr\n");
        assert_eq!(squash_message("🚀 ship"), "🚀 ship\n");
    }

    #[test]
    fn squashed_commits_only_warn() {
        assert_eq!(commit_severity(true, Severity::Error), Severity::Warn);
        assert_eq!(commit_severity(true, Severity::Info), Severity::Info);
        assert_eq!(commit_severity(false, Severity::Error), Severity::Error);
    }
}
