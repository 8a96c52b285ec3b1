//! Which CI platform runs us, and what it says about the change: GitLab merge-request and branch
//! pipelines (predefined variables), GitHub Actions (the event payload at `GITHUB_EVENT_PATH`),
//! or nothing (the generic flags). Pure: it reads an environment lookup and files, never git, so
//! every platform is testable by handing it a map.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::push::is_zero;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    GitLabMergeRequest,
    GitLabBranch,
    GitHubPullRequest,
    GitHubPush,
    GitHubMergeGroup,
    Generic,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::GitLabMergeRequest => "GitLab merge-request pipeline",
            Platform::GitLabBranch => "GitLab branch pipeline",
            Platform::GitHubPullRequest => "GitHub Actions pull request",
            Platform::GitHubPush => "GitHub Actions push",
            Platform::GitHubMergeGroup => "GitHub Actions merge queue",
            Platform::Generic => "generic",
        }
    }
}

/// Where the judged commits start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// A revision: the range is merge-base(base, head)..head.
    Rev(String),
    /// A new branch was pushed (the "before" sha is all zeros): judge the commits that are not
    /// on the default branch (or, when it is unknown, on any other remote-tracking branch).
    NewBranch { default_branch: Option<String> },
    /// Nothing says where to start.
    Unknown,
}

/// What the pipeline is judging. Every field may be overridden by a flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiContext {
    pub platform: Platform,
    pub base: Base,
    pub head: Option<String>,
    pub branch: Option<String>,
    pub target_branch: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The pipeline is for a merge/pull request (title and description belong to one).
    pub is_merge_request: bool,
    /// Whether the platform says the MR is squashed on merge (GitLab's
    /// `CI_MERGE_REQUEST_SQUASH_ON_MERGE`); `None` where it does not say (GitHub Actions).
    pub squash_on_merge: Option<bool>,
    /// The repository's default branch, when the platform names it.
    pub default_branch: Option<String>,
}

/// The flags of `git hygiene ci`; each one set wins over the environment.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base: Option<String>,
    pub head: Option<String>,
    pub branch: Option<String>,
    pub target_branch: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// Reads the platform from `env` (a lookup that returns `None` for unset or empty variables)
/// and applies the flags on top.
pub fn detect(env: &dyn Fn(&str) -> Option<String>, flags: &Overrides) -> Result<CiContext> {
    let mut ctx = if env("GITLAB_CI").is_some() || env("CI_MERGE_REQUEST_IID").is_some() {
        gitlab(env)
    } else if env("GITHUB_ACTIONS").is_some() && env("GITHUB_EVENT_PATH").is_some() {
        github(env)?
    } else {
        CiContext {
            platform: Platform::Generic,
            base: Base::Unknown,
            head: None,
            branch: None,
            target_branch: None,
            title: None,
            description: None,
            is_merge_request: false,
            squash_on_merge: None,
            default_branch: None,
        }
    };
    if let Some(b) = &flags.base {
        ctx.base = Base::Rev(b.clone());
    }
    set(&mut ctx.head, &flags.head);
    set(&mut ctx.branch, &flags.branch);
    set(&mut ctx.target_branch, &flags.target_branch);
    set(&mut ctx.title, &flags.title);
    set(&mut ctx.description, &flags.description);
    if flags.title.is_some() || flags.description.is_some() || flags.target_branch.is_some() {
        ctx.is_merge_request = true;
    }
    Ok(ctx)
}

fn set(field: &mut Option<String>, flag: &Option<String>) {
    if flag.is_some() {
        field.clone_from(flag);
    }
}

/// In a server's pre-receive hook: is this update the hosting platform merging a merge request
/// through its own UI or API? GitLab runs server hooks with `GL_PROTOCOL=web` for those, Gitea
/// sets `GITEA_PR_ID`, GitHub Enterprise says `merge` in `GITHUB_VIA`. Such a fast-forward of a
/// protected branch is how protected branches are meant to change.
pub fn platform_merge() -> bool {
    process_env("GL_PROTOCOL").as_deref() == Some("web")
        || process_env("GITEA_PR_ID").is_some()
        || process_env("GITHUB_VIA").is_some_and(|v| v.contains("merge"))
}

/// The process environment, with empty values treated as unset (GitLab exports empty
/// variables for MR fields outside MR pipelines).
pub fn process_env(key: &str) -> Option<String> {
    std::env::var(key).ok().filter(|v| !v.is_empty())
}

fn gitlab(env: &dyn Fn(&str) -> Option<String>) -> CiContext {
    let default_branch = env("CI_DEFAULT_BRANCH");
    let head = env("CI_COMMIT_SHA");
    if let Some(source) = env("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME") {
        let target = env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME");
        // DIFF_BASE_SHA is the merge base GitLab shows the diff against; TARGET_BRANCH_SHA is
        // empty outside merged-results pipelines, so it is only a fallback.
        let base = env("CI_MERGE_REQUEST_DIFF_BASE_SHA")
            .or_else(|| env("CI_MERGE_REQUEST_TARGET_BRANCH_SHA"))
            .map(Base::Rev)
            .or_else(|| {
                target
                    .as_ref()
                    .map(|t| Base::Rev(format!("refs/remotes/origin/{t}")))
            })
            .unwrap_or(Base::Unknown);
        // In merged-results pipelines CI_COMMIT_SHA is the synthetic merge; the MR's own head
        // is the source branch sha.
        let head = env("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA").or(head);
        return CiContext {
            platform: Platform::GitLabMergeRequest,
            base,
            head,
            branch: Some(source),
            target_branch: target,
            title: env("CI_MERGE_REQUEST_TITLE"),
            description: env("CI_MERGE_REQUEST_DESCRIPTION"),
            is_merge_request: true,
            squash_on_merge: env("CI_MERGE_REQUEST_SQUASH_ON_MERGE").map(|v| v == "true"),
            default_branch,
        };
    }
    let branch = env("CI_COMMIT_BRANCH").or_else(|| env("CI_COMMIT_REF_NAME"));
    let base = match env("CI_COMMIT_BEFORE_SHA") {
        Some(b) if !is_zero(&b) => Base::Rev(b),
        _ => Base::NewBranch {
            default_branch: default_branch.clone(),
        },
    };
    CiContext {
        platform: Platform::GitLabBranch,
        base,
        head,
        branch,
        target_branch: None,
        title: None,
        description: None,
        is_merge_request: false,
        squash_on_merge: None,
        default_branch,
    }
}

fn github(env: &dyn Fn(&str) -> Option<String>) -> Result<CiContext> {
    let path = env("GITHUB_EVENT_PATH").unwrap_or_default();
    let raw = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let event: Value = serde_json::from_slice(&raw).map_err(|e| {
        Error::Other(format!(
            "{path}: the GitHub event payload is not valid JSON ({e}); is GITHUB_EVENT_PATH right?"
        ))
    })?;
    let s = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    let default_branch = s(&event["repository"]["default_branch"]);
    let name = env("GITHUB_EVENT_NAME").unwrap_or_default();
    if let Some(pr) = event.get("pull_request").filter(|v| v.is_object()) {
        return Ok(CiContext {
            platform: Platform::GitHubPullRequest,
            base: s(&pr["base"]["sha"])
                .map(Base::Rev)
                .unwrap_or(Base::Unknown),
            head: s(&pr["head"]["sha"]),
            branch: s(&pr["head"]["ref"]).or_else(|| env("GITHUB_HEAD_REF")),
            target_branch: s(&pr["base"]["ref"]).or_else(|| env("GITHUB_BASE_REF")),
            title: s(&pr["title"]),
            description: s(&pr["body"]),
            is_merge_request: true,
            squash_on_merge: None,
            default_branch,
        });
    }
    if let Some(mg) = event.get("merge_group").filter(|v| v.is_object()) {
        return Ok(CiContext {
            platform: Platform::GitHubMergeGroup,
            base: s(&mg["base_sha"]).map(Base::Rev).unwrap_or(Base::Unknown),
            head: s(&mg["head_sha"]),
            branch: None,
            target_branch: s(&mg["base_ref"]).map(|r| strip_heads(&r)),
            title: None,
            description: None,
            is_merge_request: false,
            squash_on_merge: None,
            default_branch,
        });
    }
    // push (and anything else with before/after, such as workflow runs on a branch).
    let branch = s(&event["ref"])
        .filter(|r| r.starts_with("refs/heads/"))
        .map(|r| strip_heads(&r))
        .or_else(|| env("GITHUB_REF_NAME"));
    let base = match s(&event["before"]) {
        Some(b) if !is_zero(&b) => Base::Rev(b),
        Some(_) => Base::NewBranch {
            default_branch: default_branch.clone(),
        },
        None if name == "push" => Base::NewBranch {
            default_branch: default_branch.clone(),
        },
        None => Base::Unknown,
    };
    Ok(CiContext {
        platform: Platform::GitHubPush,
        base,
        head: s(&event["after"]).or_else(|| env("GITHUB_SHA")),
        branch,
        target_branch: None,
        title: None,
        description: None,
        is_merge_request: false,
        squash_on_merge: None,
        default_branch,
    })
}

fn strip_heads(r: &str) -> String {
    r.strip_prefix("refs/heads/").unwrap_or(r).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k: &str| map.get(k).filter(|v| !v.is_empty()).cloned()
    }

    #[test]
    fn gitlab_merge_request() {
        let env = lookup(&[
            ("GITLAB_CI", "true"),
            ("CI_MERGE_REQUEST_IID", "7"),
            ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/CU-1"),
            ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "develop"),
            ("CI_MERGE_REQUEST_TITLE", "feat: x"),
            ("CI_MERGE_REQUEST_DESCRIPTION", ""),
            ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "abc"),
            ("CI_COMMIT_SHA", "def"),
        ]);
        let c = detect(&env, &Overrides::default()).expect("ctx");
        assert_eq!(c.platform, Platform::GitLabMergeRequest);
        assert_eq!(c.base, Base::Rev("abc".into()));
        assert_eq!(c.head.as_deref(), Some("def"));
        assert_eq!(c.branch.as_deref(), Some("feature/CU-1"));
        assert_eq!(c.target_branch.as_deref(), Some("develop"));
        assert_eq!(c.title.as_deref(), Some("feat: x"));
        assert_eq!(c.description, None);
        assert!(c.is_merge_request);
        assert_eq!(c.squash_on_merge, None, "unset: the platform does not say");
    }

    #[test]
    fn gitlab_squash_on_merge() {
        let with = |v: &str| {
            let env = lookup(&[
                ("GITLAB_CI", "true"),
                ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "f"),
                ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "abc"),
                ("CI_MERGE_REQUEST_SQUASH_ON_MERGE", v),
            ]);
            detect(&env, &Overrides::default())
                .expect("ctx")
                .squash_on_merge
        };
        assert_eq!(with("true"), Some(true));
        assert_eq!(with("false"), Some(false));
    }

    #[test]
    fn gitlab_mr_without_diff_base_uses_target_branch() {
        let env = lookup(&[
            ("GITLAB_CI", "true"),
            ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "f"),
            ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ]);
        let c = detect(&env, &Overrides::default()).expect("ctx");
        assert_eq!(c.base, Base::Rev("refs/remotes/origin/main".into()));
    }

    #[test]
    fn gitlab_branch_pipelines() {
        let zero = "0000000000000000000000000000000000000000";
        let env = lookup(&[
            ("GITLAB_CI", "true"),
            ("CI_COMMIT_BRANCH", "feature/a"),
            ("CI_COMMIT_BEFORE_SHA", zero),
            ("CI_DEFAULT_BRANCH", "main"),
            ("CI_COMMIT_SHA", "def"),
        ]);
        let c = detect(&env, &Overrides::default()).expect("ctx");
        assert_eq!(c.platform, Platform::GitLabBranch);
        assert_eq!(
            c.base,
            Base::NewBranch {
                default_branch: Some("main".into())
            }
        );
        assert!(!c.is_merge_request);
        let env = lookup(&[
            ("GITLAB_CI", "true"),
            ("CI_COMMIT_BRANCH", "main"),
            ("CI_COMMIT_BEFORE_SHA", "abc"),
        ]);
        let c = detect(&env, &Overrides::default()).expect("ctx");
        assert_eq!(c.base, Base::Rev("abc".into()));
    }

    #[test]
    fn flags_override_env() {
        let env = lookup(&[
            ("GITLAB_CI", "true"),
            ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "f"),
            ("CI_MERGE_REQUEST_DIFF_BASE_SHA", "abc"),
            ("CI_MERGE_REQUEST_TITLE", "env title"),
        ]);
        let flags = Overrides {
            base: Some("origin/main".into()),
            title: Some("flag title".into()),
            ..Overrides::default()
        };
        let c = detect(&env, &flags).expect("ctx");
        assert_eq!(c.base, Base::Rev("origin/main".into()));
        assert_eq!(c.title.as_deref(), Some("flag title"));
        assert_eq!(c.branch.as_deref(), Some("f"));
    }

    #[test]
    fn generic_without_anything() {
        let c = detect(&lookup(&[]), &Overrides::default()).expect("ctx");
        assert_eq!(c.platform, Platform::Generic);
        assert_eq!(c.base, Base::Unknown);
        assert!(!c.is_merge_request);
    }

    fn github_with(payload: &str, event: &str) -> Result<CiContext> {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("event.json");
        std::fs::write(&p, payload).expect("write");
        let path = p.to_string_lossy().into_owned();
        let env = lookup(&[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_EVENT_PATH", &path),
            ("GITHUB_EVENT_NAME", event),
        ]);
        detect(&env, &Overrides::default())
    }

    #[test]
    fn github_pull_request_payload() {
        let c = github_with(
            r#"{"pull_request":{"title":"feat: t","body":"b","head":{"ref":"feature/x","sha":"h1"},"base":{"ref":"main","sha":"b1"}},"repository":{"default_branch":"main"}}"#,
            "pull_request",
        )
        .expect("ctx");
        assert_eq!(c.platform, Platform::GitHubPullRequest);
        assert_eq!(c.base, Base::Rev("b1".into()));
        assert_eq!(c.head.as_deref(), Some("h1"));
        assert_eq!(c.branch.as_deref(), Some("feature/x"));
        assert_eq!(c.target_branch.as_deref(), Some("main"));
        assert_eq!(c.title.as_deref(), Some("feat: t"));
        assert_eq!(c.description.as_deref(), Some("b"));
    }

    #[test]
    fn github_push_new_branch() {
        let c = github_with(
            r#"{"ref":"refs/heads/feature/y","before":"0000000000000000000000000000000000000000","after":"a1","repository":{"default_branch":"trunk"}}"#,
            "push",
        )
        .expect("ctx");
        assert_eq!(c.platform, Platform::GitHubPush);
        assert_eq!(
            c.base,
            Base::NewBranch {
                default_branch: Some("trunk".into())
            }
        );
        assert_eq!(c.head.as_deref(), Some("a1"));
        assert_eq!(c.branch.as_deref(), Some("feature/y"));
    }

    #[test]
    fn github_bad_payload_is_an_error() {
        let e = github_with("{not json", "push").expect_err("must fail");
        assert!(e.to_string().contains("not valid JSON"), "{e}");
    }
}
