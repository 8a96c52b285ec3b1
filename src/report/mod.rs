//! Reports are pure functions of the findings: the same list renders as terminal text, the JSON
//! contract, SARIF, JUnit or GitLab Code Quality.

pub mod codequality;
pub mod gitlab_secrets;
pub mod human;
pub mod json;
pub mod junit;
pub mod lint_progress;
pub mod progress;
pub mod sarif;

use crate::changeset::Mode;
use crate::finding::Finding;

/// What every report needs besides the findings.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    pub mode: Mode,
    pub findings: &'a [Finding],
    pub summary: Summary,
    /// Rule documentation for the rules that appear in `findings` (SARIF lists them).
    pub rules: Vec<RuleInfo>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub files: u64,
    pub bytes: u64,
    pub findings: u64,
    pub blocking: u64,
    pub elapsed_ms: u64,
    /// Checks that would have run but were turned off for this run, and by what.
    pub skipped_checks: Vec<SkippedCheck>,
    /// Files not read, with the reason: their content was not judged.
    pub unread: Vec<crate::unread::Unread>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SkippedCheck {
    pub check: &'static str,
    /// `HYGIENE_SKIP`, `--skip`, `--only`, the push option `hygiene.skip`, or `no work tree`.
    pub by: &'static str,
}

/// One rule as reports describe it.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub check: &'static str,
    pub id: String,
    pub summary: String,
    pub explanation: String,
}

pub const TOOL_NAME: &str = "git-hygiene";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    CodeQuality,
    GitlabSecrets,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "human" | "text" => Format::Human,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            "codequality" | "code-quality" | "gitlab-codequality" => Format::CodeQuality,
            "gitlab-secrets" | "secret-detection" => Format::GitlabSecrets,
            _ => return None,
        })
    }
    pub const NAMES: &'static str = "human, json, sarif, junit, codequality, gitlab-secrets";
}

/// Renders a machine format. Human output is rendered by `human::render` with terminal options.
pub fn render(format: Format, run: &Run<'_>) -> String {
    match format {
        Format::Human => human::render(
            run,
            &human::Options {
                color: false,
                verbose: false,
            },
        ),
        Format::Json => json::render(run),
        Format::Sarif => sarif::render(run),
        Format::Junit => junit::render(run),
        Format::CodeQuality => codequality::render(run),
        Format::GitlabSecrets => gitlab_secrets::render(run),
    }
}

/// The secret finding the report writers' tests render: a GitHub token.
#[cfg(test)]
pub(crate) fn github_pat(message: &str) -> Finding {
    use crate::finding::Severity;
    use crate::rule::Category;
    Finding::named(
        "secrets",
        "github-pat",
        Category::Security,
        Severity::Error,
        message,
    )
}
