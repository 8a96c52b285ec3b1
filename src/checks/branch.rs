//! `branch`: branch names follow the team's convention (Git Flow with an optional ClickUp ticket
//! by default), nobody commits on a protected branch, and nobody pushes to, force-pushes or
//! deletes one from a clone.

use std::collections::HashSet;

use serde::Deserialize;

use super::branch_name::{is_release, is_version, suggest};
use super::ticket::{Place, MISSING_IN_BRANCH};
use super::{Check, Context};
use crate::changeset::{HeadState, Mode, PushKind};
use crate::config::values::{RegexConfig, SeverityConfig};
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::push::remote_for_help;
use crate::rule::{self, Category, Example, Rule, RuleDoc};
use crate::ticket_id::Matcher;

mod section;

const ID: &str = "branch";

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BranchConfig {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    /// Judge branch names (protection is judged either way).
    pub naming: bool,
    /// Branch types: the part before the `/`.
    pub types: Vec<String>,
    /// A full regular expression that replaces the built-in convention.
    pub pattern: Option<RegexConfig>,
    /// Names (globs) that need not follow the convention. Protected branches never need to.
    pub exempt: Vec<String>,
    /// Branches (globs) nobody commits on, pushes to, force-pushes or deletes from a clone.
    pub protected: Vec<String>,
    /// Protected branches (globs) a fast-forward push may still go to.
    pub allow_push: Vec<String>,
}

impl Default for BranchConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect();
        BranchConfig {
            enabled: true,
            severity: None,
            naming: true,
            types: s(&[
                "feature", "bugfix", "hotfix", "release", "chore", "docs", "refactor", "test", "ci",
            ]),
            pattern: None,
            exempt: s(&["main", "master", "develop", "dependabot/*", "renovate/*"]),
            protected: s(&["main", "master", "develop", "release/*"]),
            allow_push: Vec::new(),
        }
    }
}

impl BranchConfig {
    pub fn is_protected(&self, branch: &str) -> bool {
        self.protected
            .iter()
            .any(|g| crate::glob::name_matches(g, branch))
    }
    /// Excused from the naming convention (and from carrying a ticket).
    pub fn is_exempt(&self, branch: &str) -> bool {
        self.is_protected(branch)
            || self
                .exempt
                .iter()
                .any(|g| crate::glob::name_matches(g, branch))
    }
}

pub struct Branch;

impl Check for Branch {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "branch names follow the convention; protected branches are not committed on, pushed to, force-pushed or deleted"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        rule::docs(RULES)
    }
    fn applies(&self, mode: Mode) -> bool {
        matches!(
            mode,
            Mode::PreCommit | Mode::PrePush | Mode::PreReceive | Mode::Ci
        )
    }
    fn needs_files(&self, _mode: Mode) -> bool {
        false
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        let cfg = &ctx.config.branch;
        let cs = ctx.cs;
        let mut out = Vec::new();
        match cs.mode {
            Mode::PreCommit => {
                // Rebases rewrite commits that already exist; a detached HEAD has no branch.
                if matches!(cs.head_state, HeadState::Detached | HeadState::Rebasing) {
                    return Ok(out);
                }
                let Some(branch) = cs.branch.as_deref() else {
                    return Ok(out);
                };
                if cfg.is_protected(branch) {
                    // The first commit of a repository has to land on its default branch.
                    if cs.head_state == HeadState::Branch {
                        out.push(
                            Finding::new(&PROTECTED_COMMIT, ctx.severity, format!("`{branch}` is a protected branch: commit on a branch of your own"))
                                .help(format!("move the staged work to a new branch: `git switch -c {}` then commit again", example_for(ctx)))
                                .key(branch.as_bytes()),
                        );
                    }
                } else if let Some(f) = name_finding(ctx, branch, true) {
                    out.push(f);
                }
            }
            Mode::PrePush | Mode::PreReceive => {
                let mut named = HashSet::new();
                for r in &cs.push {
                    let Some(branch) = r.remote_branch() else {
                        continue;
                    };
                    if cfg.is_protected(branch) {
                        let allowed = cfg
                            .allow_push
                            .iter()
                            .any(|g| crate::glob::name_matches(g, branch));
                        let (rule, msg, help) = match r.kind {
                            PushKind::Delete => (&PROTECTED_DELETE, format!("deleting the protected branch `{branch}`"), "protected branches are never deleted from a clone; remove it from [branch] protected first if it must go".to_owned()),
                            PushKind::Force => (&PROTECTED_FORCE_PUSH, format!("force-push to the protected branch `{branch}` rewrites its history"), "push new commits instead (e.g. `git revert`); never rewrite a shared branch".to_owned()),
                            _ if allowed => continue,
                            _ if cs.mode == Mode::PreReceive && crate::ci_env::platform_merge() => continue,
                            _ => (&PROTECTED_PUSH, format!("direct push to the protected branch `{branch}`"), format!("push a branch and open a merge request: `git push -u {} HEAD:{}`; or allow it with [branch] allow_push = [\"{branch}\"]", remote_for_help(cs.remote.as_deref()), example_for(ctx))),
                        };
                        out.push(
                            Finding::new(rule, ctx.severity, msg)
                                .help(help)
                                .key(branch.as_bytes()),
                        );
                    } else if r.kind != PushKind::Delete && named.insert(branch) {
                        let current = cs.branch.as_deref() == Some(branch);
                        if let Some(f) = name_finding(ctx, branch, current) {
                            out.push(f);
                        }
                    }
                }
            }
            Mode::Ci => {
                if let Some(branch) = cs.branch.as_deref() {
                    if let Some(f) = name_finding(ctx, branch, false) {
                        out.push(f);
                    }
                }
            }
            _ => {}
        }
        Ok(out)
    }
}

/// A name for the branch the user should be on, from the current one if it has the makings.
fn example_for(ctx: &Context<'_>) -> String {
    let cfg = &ctx.config.branch;
    let matcher = ctx.config.ticket.matcher();
    let need_ticket = ctx.config.ticket.requires(Place::Branch);
    match ctx.cs.branch.as_deref() {
        Some(b) if !cfg.is_protected(b) => suggest(
            &ctx.config.secrets.redacted(b),
            &cfg.types,
            &matcher,
            need_ticket,
        ),
        _ => {
            let ticket = if need_ticket { "CU-<task-id>-" } else { "" };
            format!("feature/{ticket}short-description")
        }
    }
}

/// The `name` finding for `branch`, if its name breaks the convention.
fn name_finding(ctx: &Context<'_>, branch: &str, current: bool) -> Option<Finding> {
    let cfg = &ctx.config.branch;
    if !cfg.naming || cfg.is_exempt(branch) {
        return None;
    }
    let matcher = ctx.config.ticket.matcher();
    let rename = |new: &str| {
        if current {
            format!("git branch -m {new}")
        } else {
            format!("git branch -m {branch} {new}")
        }
    };
    if let Some(re) = &cfg.pattern {
        if re.0.is_match(branch) {
            return None;
        }
        return Some(
            Finding::new(
                &NAME,
                ctx.severity,
                format!(
                    "branch `{branch}` does not match [branch] pattern `{}`",
                    re.0.as_str()
                ),
            )
            .help(format!(
                "rename it: `{}`",
                rename("<a name matching the pattern>")
            ))
            .key(branch.as_bytes()),
        );
    }
    let mut problems = diagnose(branch, cfg, &matcher);
    if problems.is_empty() {
        return None;
    }
    let need_ticket = ctx.config.ticket.requires(Place::Branch);
    // Said here, once, with the rename that adds it: `fold_missing_ticket` drops the ticket
    // check's finding for the same branch.
    let ticket_on = ctx.config.ticket.enabled;
    if ticket_on && need_ticket && !is_release(branch) && matcher.first(branch, true).is_none() {
        problems.push("it has no ClickUp task id ([ticket] require has \"branch\")".to_owned());
    }
    // Derived from the name with any secret redacted: a rewritten token is not recognisable.
    let suggestion = suggest(
        &ctx.config.secrets.redacted(branch),
        &cfg.types,
        &matcher,
        need_ticket,
    );
    let types: Vec<&str> = cfg
        .types
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "release")
        .collect();
    let ticket = if need_ticket {
        "<ticket>-"
    } else {
        "[<ticket>-]"
    };
    let release = if cfg.types.iter().any(|t| t == "release") {
        ", or `release/<version>`"
    } else {
        ""
    };
    Some(
        Finding::new(
            &NAME,
            ctx.severity,
            format!(
                "branch `{branch}` does not follow the naming convention: {}",
                problems.join("; ")
            ),
        )
        .help(format!(
            "expected `<type>/{ticket}<short-description>` with type {}{release}; rename it: `{}`",
            types.join("|"),
            rename(&suggestion)
        ))
        .key(branch.as_bytes()),
    )
}

/// One finding for one problem: a branch the `name` rule rejects that also lacks the ticket
/// `[ticket] require` asks for keeps the name finding (it says both, and its rename adds the
/// ticket); the ticket check's `missing-in-branch` for it goes. Run over all checks' findings,
/// since either check may be skipped.
pub fn fold_missing_ticket(findings: &mut Vec<Finding>, branches: &[&str]) {
    for b in branches {
        let fingerprint = |rule: &Rule| {
            Finding::new(rule, Severity::Error, "")
                .key(b.as_bytes())
                .fingerprint
        };
        let (name, ticket) = (fingerprint(&NAME), fingerprint(&MISSING_IN_BRANCH));
        let Some(t) = findings.iter().position(|f| f.fingerprint == ticket) else {
            continue;
        };
        let Some(n) = findings.iter().position(|f| f.fingerprint == name) else {
            continue;
        };
        let severity = findings[t].severity.max(findings[n].severity);
        findings[n].severity = severity;
        findings.remove(t);
    }
}

/// What is wrong with `name` under the built-in convention (empty: nothing).
pub fn diagnose(name: &str, cfg: &BranchConfig, matcher: &Matcher) -> Vec<String> {
    let mut out = Vec::new();
    let Some((ty, rest)) = name.split_once('/') else {
        out.push("it has no `<type>/` prefix".to_owned());
        describe_slug(name, &mut out);
        return out;
    };
    if !cfg.types.iter().any(|t| t == ty) {
        out.push(format!(
            "`{ty}` is not a branch type ({})",
            cfg.types.join(", ")
        ));
    }
    if ty == "release" && cfg.types.iter().any(|t| t == "release") {
        if !is_version(rest) {
            out.push(format!(
                "`{rest}` is not a version: release branches are `release/<version>`, e.g. `release/1.4.0`"
            ));
        }
        return out;
    }
    let mut slug = rest;
    if let Some(t) = matcher.first(rest, true) {
        if t.start != 0 {
            out.push(format!(
                "the ticket `{}` belongs right after `{ty}/`",
                &rest[t.start..t.end]
            ));
        } else {
            if !t.exact {
                out.push(format!(
                    "write the ticket as `{}` (ClickUp and GitLab match it case-sensitively)",
                    t.id
                ));
            }
            slug = rest[t.end..].strip_prefix('-').unwrap_or(&rest[t.end..]);
            if slug.is_empty() {
                out.push("there is no description after the ticket".to_owned());
                return out;
            }
        }
    }
    describe_slug(slug, &mut out);
    out
}

fn describe_slug(slug: &str, out: &mut Vec<String>) {
    if slug.chars().any(|c| c.is_ascii_uppercase()) {
        out.push("it has upper-case letters (use lower-case)".to_owned());
    }
    if slug.contains('/') {
        out.push("it has more than one `/`".to_owned());
    }
    if slug
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '/'))
    {
        out.push(
            "it has characters other than letters, digits and `-` (join words with `-`)".to_owned(),
        );
    } else if slug.starts_with(['-', '.'])
        || slug.ends_with(['-', '.'])
        || slug.contains("--")
        || slug.contains("..")
    {
        out.push("words must be joined by single `-`".to_owned());
    }
}

// The rules, as `git hygiene explain` prints them.

pub const NAME: Rule = Rule {
    check: ID,
    id: "name",
    category: Category::Convention,
    summary: "a branch name that does not follow the naming convention",
    explanation: r#"Reports the current branch (at commit time), each pushed branch (at push time) and the merge request's source branch (in CI) when its name does not have the expected shape. The default is Git Flow: `<type>/<ticket>-<short-description>`, where the type is one of feature, bugfix, hotfix, chore, docs, refactor, test, ci; the ticket (a ClickUp id such as `CU-86b2xk4pq` or a custom id such as `ENG-142`) is optional unless `[ticket] require` lists "branch"; the description is lower-case words joined by `-`. Release branches are `release/<version>` (`release/1.4.0`) and need no ticket. Protected branches and the `exempt` list (main, master, develop, dependabot/*, renovate/*) need not follow it.

Why: ClickUp and GitLab link a branch to its task from the name, and a predictable name tells reviewers and CI rules what the branch is."#,
    examples: &[Example {
        bad: r#"Login_Rate_Limit-CU-86b2xk4pq"#,
        good: Some(r#"feature/CU-86b2xk4pq-login-rate-limit"#),
    }],
    advice: r#"Fix: rename the branch with the suggested `git branch -m`. Configure it:
    [branch]
    types = ["feature", "fix", "release"]
    exempt = ["main", "gh-pages", "dependabot/*"]
    # or replace the convention:
    pattern = '^(feature|fix)/[a-z0-9-]+$'
    # or stop judging names:
    naming = false"#,
};

pub const PROTECTED_COMMIT: Rule = Rule {
    check: ID,
    id: "protected-commit",
    category: Category::Process,
    summary: "a commit made directly on a protected branch",
    explanation: r#"Reports a commit on a protected branch (default: main, master, develop, release/*). The first commit of a new repository, commits during a rebase and on a detached HEAD are not reported.

Why: protected branches change through reviewed merge requests; a local commit on one cannot be pushed and has to be moved later."#,
    examples: &[],
    advice: r#"Fix: move the work to a branch and reset the protected one:
    git switch -c feature/CU-86b2xk4pq-my-change
    git commit
Configure the list with `[branch] protected = ["main", "release/*"]` (`protected = []` turns protection off)."#,
};

pub const PROTECTED_PUSH: Rule = Rule {
    check: ID,
    id: "protected-push",
    category: Category::Process,
    summary: "a push to a protected branch",
    explanation: r#"Reports a push that creates or fast-forwards a protected branch on the remote. On the server (pre-receive), the platform's own merge of a merge request is not a direct push: GitLab (`GL_PROTOCOL=web`), Gitea (`GITEA_PR_ID`) and GitHub Enterprise (`GITHUB_VIA` naming a merge) say so to the hook.

Why: protected branches change through merge requests, where CI and review run."#,
    examples: &[],
    advice: r#"Fix: push a branch and open a merge request. To allow direct fast-forward pushes to some protected branches:
    [branch]
    allow_push = ["develop"]"#,
};

pub const PROTECTED_FORCE_PUSH: Rule = Rule {
    check: ID,
    id: "protected-force-push",
    category: Category::Process,
    summary: "a force-push (history rewrite) of a protected branch",
    explanation: r#"Reports a push that replaces a protected branch's history: the remote tip is not an ancestor of what is pushed. Always reported, whatever `allow_push` says.

Why: everyone else's clone and every open merge request is built on the history being thrown away."#,
    examples: &[],
    advice: r#"Fix: push the change as new commits (revert instead of rewriting). If the rewrite is truly wanted, do it with the server's protection settings, or bypass once with `git push --no-verify`."#,
};

pub const PROTECTED_DELETE: Rule = Rule {
    check: ID,
    id: "protected-delete",
    category: Category::Process,
    summary: "the deletion of a protected branch on the remote",
    explanation: r#"Reports `git push --delete` (or `:branch`) of a protected branch. Always reported, whatever `allow_push` says.

Why: deleting main or develop breaks every clone and pipeline that tracks it."#,
    examples: &[],
    advice: r#"Fix: do not delete it; if it really must go, remove it from `[branch] protected` first."#,
};

/// Every rule of this check, in the order `git hygiene rules` lists them.
pub const RULES: &[&Rule] = &[
    &NAME,
    &PROTECTED_COMMIT,
    &PROTECTED_PUSH,
    &PROTECTED_FORCE_PUSH,
    &PROTECTED_DELETE,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn m() -> Matcher {
        Matcher::new(&["ENG".into()])
    }

    #[test]
    fn valid_names() {
        let cfg = BranchConfig::default();
        for ok in [
            "feature/CU-86b2xk4pq-login-rate-limit",
            "feature/login-rate-limit",
            "bugfix/ENG-142-null-check",
            "hotfix/CU-abc123-node-20.1",
            "release/1.4.0",
            "release/v2.0.0-rc.1",
        ] {
            assert!(
                diagnose(ok, &cfg, &m()).is_empty(),
                "{ok}: {:?}",
                diagnose(ok, &cfg, &m())
            );
        }
    }

    #[test]
    fn problems_are_named() {
        let cfg = BranchConfig::default();
        let d = |n| diagnose(n, &cfg, &m()).join("; ");
        assert!(d("Login_Rate_Limit").contains("no `<type>/` prefix"));
        assert!(d("Login_Rate_Limit").contains("upper-case"));
        assert!(d("feat/x").contains("`feat` is not a branch type"));
        assert!(d("feature/login-CU-86b2xk4pq").contains("right after"));
        assert!(d("feature/cu-86b2xk4pq-x").contains("write the ticket as `CU-86b2xk4pq`"));
        assert!(d("release/next").contains("not a version"));
        assert!(d("feature/a--b").contains("single `-`"));
        assert!(d("feature/CU-86b2xk4pq").contains("no description"));
    }

    #[test]
    fn suggestions_reuse_the_users_name() {
        let cfg = BranchConfig::default();
        let s = |n, t| suggest(n, &cfg.types, &m(), t);
        assert_eq!(
            s("Login_Rate_Limit-CU-86b2xk4pq", false),
            "feature/CU-86b2xk4pq-login-rate-limit"
        );
        assert_eq!(
            s("feat/cu-86b2xk4pq-LoginRateLimit", false),
            "feature/CU-86b2xk4pq-login-rate-limit"
        );
        assert_eq!(
            s("fix/eng-142 null check", false),
            "bugfix/ENG-142-null-check"
        );
        assert_eq!(s("my-work", true), "feature/CU-<task-id>-my-work");
        assert_eq!(s("release/next-1.5.0", false), "release/1.5.0");
        // The type from the words, when there is no `type/` prefix.
        assert_eq!(s("Fix_Login_Bug", false), "bugfix/login-bug");
        assert_eq!(
            s("add-user-export", true),
            "feature/CU-<task-id>-user-export"
        );
        assert_eq!(s("LoginBugFix", false), "bugfix/login-bug-fix");
        assert_eq!(s("hotfix-node-20", false), "hotfix/node-20");
        assert_eq!(s("Update_Docs", false), "docs/update-docs");
        assert_eq!(
            s("prepare-release-notes", false),
            "feature/prepare-release-notes"
        );
        assert_eq!(s("john/add-export", false), "feature/john-add-export");
        let own: Vec<String> = ["feat", "fix"].iter().map(|t| (*t).to_owned()).collect();
        assert_eq!(suggest("Fix_Login_Bug", &own, &m(), false), "fix/login-bug");
        assert_eq!(suggest("hotfix-x", &own, &m(), false), "fix/x");
    }
}
