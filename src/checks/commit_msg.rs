//! `commit-msg`: the shape of commit messages — Conventional Commits 1.0 (or a team's own regex),
//! subject length, the blank line before the body, body line length — and no `fixup!`,
//! `squash!` or `WIP` commit reaching a protected branch.

mod pnpm;
mod scope_cache;
pub mod scopes;
mod workspace;

use serde::Deserialize;

use super::squash::{self, Squash};
use super::ticket::only_ticket;
use super::{Check, Context};
use crate::changeset::{Commit, Mode, PushKind};
use crate::config::values::{RegexConfig, SeverityConfig};
use crate::conventional::{
    is_autosquash, is_generated, is_wip, parse_header, subject_trailer, trailers,
};
use crate::error::Result;
use crate::finding::{Field, Finding, Severity};
use crate::rule::{self, Category, Example, Rule, RuleDoc};
use crate::text::shorten;
use crate::ticket_id::Matcher;
use scopes::{Allowed, Scopes};

const ID: &str = "commit-msg";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// `type(scope)!: description`
    Conventional,
    /// No format for the subject; the length and layout rules still apply.
    None,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CommitMsgConfig {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    pub style: Style,
    /// A regular expression the subject must match; replaces `style`.
    pub pattern: Option<RegexConfig>,
    #[serde(deserialize_with = "some_types")]
    pub types: Vec<String>,
    /// Allowed scopes: a list (empty means any), or the workspace's packages.
    pub scopes: Scopes,
    pub require_scope: bool,
    /// 0 turns the rule off.
    pub max_subject_length: usize,
    /// Reported as a warning; 0 turns the rule off.
    pub max_body_line_length: usize,
    /// Whether merge requests are squashed on merge (their title becomes the commit).
    pub squash: Squash,
}

impl Default for CommitMsgConfig {
    fn default() -> Self {
        CommitMsgConfig {
            enabled: true,
            severity: None,
            style: Style::Conventional,
            pattern: None,
            types: [
                "feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore",
                "revert",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
            scopes: Scopes::default(),
            require_scope: false,
            max_subject_length: 72,
            max_body_line_length: 100,
            squash: Squash::Auto,
        }
    }
}

/// `types = []` would refuse every Conventional Commits header, with advice to "use one of"
/// nothing: refused when the config is read.
fn some_types<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    crate::config::values::checked_list(
        d,
        false,
        |t| Ok(t.to_owned()),
        |all| {
            match all {
            [] => Err("[commit-msg] types is empty, so no Conventional Commits header could pass; list the types, remove the key for the defaults, or set `style = \"none\"`".into()),
            _ => Ok(()),
        }
        },
    )
}

impl crate::config::Section for CommitMsgConfig {
    const NESTING: crate::config::layers::Nesting = crate::config::layers::Nesting::RootOnly;
}

impl crate::config::CheckConfig for CommitMsgConfig {
    const STARTER: &'static str = include_str!("../../patterns/starter/commit-msg.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
    }
}

pub struct CommitMsg;

impl Check for CommitMsg {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "Conventional Commits messages, subject length and layout; no fixup!/squash!/WIP on protected branches"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        rule::docs(RULES)
    }
    fn applies(&self, mode: Mode) -> bool {
        matches!(
            mode,
            Mode::CommitMsg | Mode::PrePush | Mode::PreReceive | Mode::Ci
        )
    }
    fn needs_files(&self, _mode: Mode) -> bool {
        false
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        let cs = ctx.cs;
        let cfg = &ctx.config.commit_msg;
        let matcher = ctx.config.ticket.matcher();
        let allowed = scopes::allowed(&cfg.scopes, cs)?;
        let j = Judge {
            ctx,
            matcher: &matcher,
            allowed: allowed.as_ref(),
        };
        let mut out = Vec::new();
        match cs.mode {
            Mode::CommitMsg => {
                if let Some(m) = &cs.message {
                    judge(&j, &m.text, Judged::Message, &mut out);
                }
            }
            Mode::PrePush | Mode::PreReceive | Mode::Ci => {
                let squashed = squash::squashes(cfg.squash, cs.merge_request.as_ref());
                let mut commits = Vec::new();
                for c in cs.commits.iter().filter(|c| !c.is_merge()) {
                    judge(&j, &c.message, Judged::Commit(&c.id), &mut commits);
                }
                commits.extend(work_in_progress(ctx));
                if squashed {
                    // The squash commit replaces them: what they say is advice, not a blocker.
                    for f in &mut commits {
                        f.severity = squash::commit_severity(true, f.severity);
                        f.message = format!("{} ({})", f.message, squash::COMMIT_NOTE);
                    }
                    if let Some(mr) = &cs.merge_request {
                        let text = squash::squash_message(&mr.title);
                        judge(&j, &text, Judged::Title, &mut out);
                    }
                }
                out.extend(commits);
            }
            _ => {}
        }
        Ok(out)
    }
}

/// The fixup!/squash!/WIP commits that would reach a protected branch.
fn work_in_progress(ctx: &Context<'_>) -> Vec<Finding> {
    let cs = ctx.cs;
    let bcfg = &ctx.config.branch;
    // The commits each protected target gains: at push time every commit the remote branch
    // gains (also those already pushed to a feature branch), in CI the MR's commits.
    let mut targets: Vec<(&str, &[Commit])> = Vec::new();
    if cs.mode.is_push() {
        for r in &cs.push {
            if let Some(b) = r.remote_branch() {
                if r.kind != PushKind::Delete && bcfg.is_protected(b) {
                    targets.push((b, &r.gained));
                }
            }
        }
    } else {
        let target = cs
            .merge_request
            .as_ref()
            .and_then(|m| m.target_branch.as_deref());
        if target.is_some_and(|t| !bcfg.is_protected(t)) {
            return Vec::new();
        }
        targets.push((target.unwrap_or("the target branch"), &cs.commits));
    }
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (branch, commits) in targets {
        for c in commits {
            let subject = c.subject();
            let what = if is_autosquash(subject) {
                subject.split(' ').next().unwrap_or("fixup!")
            } else if is_wip(subject) {
                "WIP"
            } else {
                continue;
            };
            if !seen.insert(&c.id) {
                continue;
            }
            out.push(
                Finding::new(
                    &WORK_IN_PROGRESS,
                    ctx.severity,
                    format!("`{what}` commit `{subject}` would reach `{branch}`"),
                )
                .commit(Some(&c.id))
                .help("fold it before merging: `git rebase -i --autosquash <base>`, or reword it")
                .key(subject.as_bytes()),
            );
        }
    }
    out
}

/// Whose message is judged.
#[derive(Clone, Copy)]
enum Judged<'a> {
    /// The message being committed (commit-msg hook).
    Message,
    /// A commit of the range, by id.
    Commit(&'a str),
    /// The MR title, as the squash commit it becomes.
    Title,
}

/// What judging a message needs besides the message.
struct Judge<'a> {
    ctx: &'a Context<'a>,
    matcher: &'a Matcher,
    /// The scopes a header may use (`None`: any).
    allowed: Option<&'a Allowed>,
}

/// Judges one message (cleaned text) and pushes its findings.
fn judge(j: &Judge<'_>, text: &str, who: Judged<'_>, out: &mut Vec<Finding>) {
    let (ctx, matcher) = (j.ctx, j.matcher);
    let cfg = &ctx.config.commit_msg;
    let subject = text.lines().next().unwrap_or("");
    if subject.trim().is_empty()
        || is_generated(subject)
        || is_autosquash(subject)
        || is_wip(subject)
    {
        return;
    }
    let commit = match who {
        Judged::Commit(id) => Some(id),
        _ => None,
    };
    let finding = |rule: &Rule, sev: Severity, msg: String, help: String| {
        let f = Finding::new(rule, sev, msg)
            .commit(commit)
            .snippet(subject)
            .help(help)
            .key(subject.as_bytes());
        match who {
            Judged::Title => {
                let mut f = f.in_field(Field::MergeRequestTitle, Some(1), None);
                f.message = format!("merge-request title: {}; {}", f.message, squash::TITLE_NOTE);
                f
            }
            _ => f,
        }
    };
    let reword = match who {
        Judged::Commit(_) => " (for a commit already made: `git rebase -i` → `reword`)",
        Judged::Title => " (edit the MR title)",
        Judged::Message => "",
    };
    // Subject format.
    let header_text = strip_ticket(subject, matcher);
    // The characters a suggested header may take: the limit less the ticket before it.
    let limit = (cfg.max_subject_length > 0).then_some(cfg.max_subject_length);
    let taken = subject[..subject.len() - header_text.len()].chars().count();
    let room = limit.map(|l| l.saturating_sub(taken));
    let no_subject = cfg.pattern.is_none()
        && cfg.style == Style::Conventional
        && subject_trailer(header_text, &cfg.types).is_some();
    if let Some(re) = &cfg.pattern {
        if !re.0.is_match(subject) {
            out.push(finding(
                &FORMAT,
                ctx.severity,
                format!(
                    "subject does not match [commit-msg] pattern `{}`",
                    re.0.as_str()
                ),
                format!("rewrite the subject to match the pattern{reword}"),
            ));
        }
    } else if cfg.style == Style::Conventional {
        if no_subject {
            // A message of nothing but the ticket is the ticket check's `empty-message`.
            let ticket_only = matches!(who, Judged::Message)
                && ctx.config.ticket.enabled
                && only_ticket(text, matcher);
            if !ticket_only {
                let token = subject_trailer(header_text, &cfg.types).map_or("", |t| t.0);
                let t = cfg.types.first().map_or("feat", String::as_str);
                let message =
                    format!("the message has no subject: its first line is a `{token}` trailer");
                let help = format!("write a subject first, e.g. `{t}: what it does`, then a blank line, then the trailers{reword}");
                out.push(finding(&SUBJECT_EMPTY, ctx.severity, message, help));
            }
        } else {
            match parse_header(header_text) {
                Err(e) => {
                    // From the subject with any secret redacted: `example` changes its case.
                    let ex = example(&ctx.config.secrets.redacted(header_text), &cfg.types);
                    let e_g = match fit(ex, room) {
                        Some((ex, cut)) => format!(", e.g. `{ex}`{}", shortened(cut)),
                        None => format!(" in {} characters", cfg.max_subject_length),
                    };
                    out.push(finding(
                        &FORMAT,
                        ctx.severity,
                        format!(
                            "subject is not a Conventional Commits header: {}",
                            e.describe()
                        ),
                        format!(
                            "write `type(scope)!: description` with type {}{e_g}{reword}",
                            cfg.types.join("|"),
                        ),
                    ))
                }
                Ok(h) => {
                    if !cfg.types.iter().any(|t| t.eq_ignore_ascii_case(h.kind)) {
                        out.push(finding(
                            &TYPE,
                            ctx.severity,
                            format!("`{}` is not a commit type", h.kind),
                            format!(
                                "use one of {}, or add it to [commit-msg] types{reword}",
                                cfg.types.join(", ")
                            ),
                        ));
                    }
                    match (h.scope, j.allowed) {
                        (Some(s), Some(allowed)) if !allowed.contains(s) => {
                            let whose = allowed.source;
                            out.push(finding(
                                &SCOPE,
                                ctx.severity,
                                format!("`{s}` is not an allowed scope"),
                                format!("use one of {}{whose}{reword}", allowed.names.join(", ")),
                            ))
                        }
                        (None, _) if cfg.require_scope => {
                            let with = format!(
                                "{}{}({}): {}",
                                &subject[..subject.len() - header_text.len()],
                                h.kind,
                                j.allowed
                                    .and_then(|a| a.names.first())
                                    .map_or("scope", String::as_str),
                                h.description
                            );
                            let with = ctx.config.secrets.redacted(&with).into_owned();
                            let help = match fit(with, limit) {
                                Some((w, cut)) => format!("add one: `{w}`{}", shortened(cut)),
                                None => "add one".to_owned(),
                            };
                            out.push(finding(
                                &SCOPE,
                                ctx.severity,
                                "the header has no scope".into(),
                                format!("{help}{reword}"),
                            ))
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    // Layout.
    let n = subject.chars().count();
    if cfg.max_subject_length > 0 && n > cfg.max_subject_length {
        out.push(finding(
            &SUBJECT_LENGTH,
            ctx.severity,
            format!(
                "subject is {n} characters (limit {})",
                cfg.max_subject_length
            ),
            format!("shorten it; put the detail in the body{reword}"),
        ));
    }
    let mut lines = text.lines();
    lines.next();
    // Trailers in a row are no subject without its blank line: `subject-empty` says it.
    if !no_subject && lines.next().is_some_and(|l| !l.trim().is_empty()) {
        out.push(finding(
            &BLANK_LINE,
            ctx.severity,
            "no blank line after the subject".into(),
            format!("put an empty line between the subject and the body{reword}"),
        ));
    }
    let trailer_lines: Vec<usize> = trailers(text).iter().map(|t| t.line).collect();
    for t in trailers(text) {
        let wrong = t.token.eq_ignore_ascii_case("BREAKING CHANGE")
            || t.token.eq_ignore_ascii_case("BREAKING-CHANGE");
        if wrong && t.token != "BREAKING CHANGE" && t.token != "BREAKING-CHANGE" {
            out.push(finding(
                &BREAKING_CHANGE,
                ctx.severity,
                format!("`{}:` footer must be written `BREAKING CHANGE:`", t.token),
                format!("write `BREAKING CHANGE: {}`{reword}", t.value),
            ));
        }
    }
    if cfg.max_body_line_length > 0 {
        for (i, l) in text.lines().enumerate().skip(1) {
            let len = l.chars().count();
            if len > cfg.max_body_line_length
                && !l.contains("://")
                && l.trim().contains(' ')
                && !trailer_lines.contains(&i)
            {
                out.push(
                    Finding::new(
                        &BODY_LINE_LENGTH,
                        Severity::Warn.min(ctx.severity),
                        format!(
                            "body line {} is {len} characters (limit {})",
                            i + 1,
                            cfg.max_body_line_length
                        ),
                    )
                    .commit(commit)
                    .snippet(l)
                    .help("wrap the body")
                    .key(l.as_bytes()),
                );
            }
        }
    }
}

/// The subject without a leading `CU-86b2xk4pq: ` or `[CU-86b2xk4pq] ` the ticket check put there.
fn strip_ticket<'a>(subject: &'a str, matcher: &Matcher) -> &'a str {
    let (inner, bracket) = match subject.strip_prefix('[') {
        Some(r) => (r, true),
        None => (subject, false),
    };
    match matcher.first(inner, false) {
        Some(t) if t.start == 0 => {
            let rest = &inner[t.end..];
            let rest = if bracket {
                rest.strip_prefix(']')
            } else {
                rest.strip_prefix(':')
            };
            rest.map_or(subject, str::trim_start)
        }
        _ => subject,
    }
}

/// `suggestion` as it fits in `room` characters (`None`: no limit), and whether it was cut:
/// at a word end or a character boundary, keeping its `type: ` whole; `None` when not even
/// that and one word's start fit, so no suggestion is made that would itself be too long.
pub fn fit(suggestion: String, room: Option<usize>) -> Option<(String, bool)> {
    let Some(room) = room else {
        return Some((suggestion, false));
    };
    let Some(cut) = shorten(&suggestion, room) else {
        return Some((suggestion, false));
    };
    let head = suggestion.find(": ").map_or(0, |i| i + 2);
    // A word end inside `type: ` leaves no description: cut the word instead.
    let cut = if cut.len() > head {
        cut
    } else {
        suggestion
            .char_indices()
            .nth(room)
            .map_or(suggestion.as_str(), |(i, _)| &suggestion[..i])
            .trim_end()
    };
    (cut.len() > head).then(|| (cut.to_owned(), true))
}

/// What a help says after a suggestion [`fit`] cut.
pub fn shortened(cut: bool) -> &'static str {
    if cut {
        " (shortened to fit [commit-msg] max_subject_length: put the rest in the body)"
    } else {
        ""
    }
}

/// A Conventional Commits header made from a free-form subject: `Fixed login bug` → `fix: login bug`.
fn example(subject: &str, types: &[String]) -> String {
    let (first, rest) = subject.split_once(' ').unwrap_or((subject, ""));
    let word = first.trim_end_matches(':').to_ascii_lowercase();
    let guess = match word.as_str() {
        "fix" | "fixed" | "fixes" | "fixing" | "bugfix" => Some("fix"),
        "add" | "added" | "adds" | "feat" | "feature" | "implement" | "implemented" => Some("feat"),
        "doc" | "docs" | "documentation" => Some("docs"),
        "test" | "tests" => Some("test"),
        "refactor" | "refactored" => Some("refactor"),
        "chore" => Some("chore"),
        _ => None,
    }
    .filter(|g| types.iter().any(|t| t == g));
    let lower_first = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    match guess {
        Some(t) if !rest.trim().is_empty() => format!("{t}: {}", rest.trim()),
        _ => {
            let t = types.first().map_or("feat", String::as_str);
            let d = if subject.trim().is_empty() {
                "what it does".to_owned()
            } else {
                lower_first(subject.trim())
            };
            format!("{t}: {d}")
        }
    }
}

// The rules, as `git hygiene explain` prints them.

pub const FORMAT: Rule = Rule {
    check: ID,
    id: "format",
    category: Category::Convention,
    summary:
        "the subject is not a Conventional Commits header (or does not match [commit-msg] pattern)",
    explanation: r#"Reports a subject that is not `type(scope)!: description` (Conventional Commits 1.0: a type, an optional scope in parentheses, an optional `!` for a breaking change, then `: ` and a description). A leading ticket (`CU-86b2xk4pq: ` or `[CU-86b2xk4pq] `) is allowed before it. Merge and revert messages git writes, and `fixup!`/`squash!`/`amend!`/`WIP` commits, are not judged (see work-in-progress). Judged in the commit-msg hook and, since rebases and `--no-verify` skip that hook, for every new commit at push time and in CI.

Squash on merge: when a merge request is squashed (GitLab's `CI_MERGE_REQUEST_SQUASH_ON_MERGE`, or `[commit-msg] squash = "always"`), its title becomes the one commit the target branch gains, so CI judges the title by these rules (a `Draft:` marker removed; the finding sits in the merge-request title), and the commits' own message findings, which will not reach the target, are warnings. `squash = "never"` ignores what the platform says.

Why: tools derive changelogs and version bumps from it, and readers scan history by type."#,
    examples: &[Example {
        bad: r#"Fixed the login bug"#,
        good: Some(r#"fix(auth): reject expired tokens"#),
    }],
    advice: r#"Configure:
    [commit-msg]
    types = ["feat", "fix", "chore"]
    scopes = ["api", "ui"]       # empty: any scope
    style = "none"              # no subject format
    pattern = '^[A-Z].+'          # or your own regex instead
    squash = "always"           # MRs are squashed on merge: judge their titles (default "auto": as GitLab says)"#,
};

pub const SUBJECT_EMPTY: Rule = Rule {
    check: ID,
    id: "subject-empty",
    category: Category::Convention,
    summary: "the message has no subject: its first line is a trailer such as `Refs: CU-…`",
    explanation: r#"Reports a message whose first line is a git trailer (`Token: value`, as `git interpret-trailers` reads one) instead of a subject: `Refs: CU-86b2xk4pq`, `Closes #12`, `Signed-off-by: …`, or a message that is nothing but trailers. The token is a trailer word (`Refs`, `Closes`, `Fixes`, `Resolves`, `Issue`, `Ticket`, `Task`, `See`, …) or a capitalised hyphenated one (`Co-authored-by`); a configured commit type is never taken for a trailer. Reported instead of `format` or `type`, which would call `Refs` an unknown type. commitlint's conventional config rejects these messages too (`type-enum` for `Refs:`, `type-empty` and `subject-empty` for `Signed-off-by:`).

Why: git and every tool take the first line as the subject; a trailer there leaves the commit without one."#,
    examples: &[Example {
        bad: r#"Refs: CU-86b2xk4pq"#,
        good: Some(
            r#"fix: reject expired tokens

Refs: CU-86b2xk4pq"#,
        ),
    }],
    advice: r#"Fix: write a subject line first, then a blank line, then the trailers."#,
};

pub const TYPE: Rule = Rule {
    check: ID,
    id: "type",
    category: Category::Convention,
    summary: "a Conventional Commits type that is not in [commit-msg] types",
    explanation: r#"Reports a header whose type is not one of the configured types (default feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert; compared without case, as the spec says)."#,
    examples: &[],
    advice: r#"Fix: use one of them, or add yours to `[commit-msg] types`."#,
};

pub const SCOPE: Rule = Rule {
    check: ID,
    id: "scope",
    category: Category::Convention,
    summary: "a scope that is not in [commit-msg] scopes, or none where one is required",
    explanation: r#"Reports a scope outside `[commit-msg] scopes` (when that list is set), or a missing scope with `require_scope = true`.

`scopes = "workspace"` takes the scopes from the monorepo's packages, as the tree being committed (the index; at push and in CI the tip) declares them: package.json `workspaces` (a list or `{ "packages": [...] }`), pnpm-workspace.yaml `packages:`, Cargo.toml `[workspace] members` (minus `exclude`). Each glob matches directories holding a package.json (npm, pnpm) or Cargo.toml (Cargo); `!glob` excludes. A package's scope is its name without an npm `@org/` prefix (`@acme/web` → `web`; the full name is accepted too), Cargo's `package.name`, else its directory's name. `scopes = { workspace = true, extra = ["deps", "ci"] }` adds scopes that are not packages; `dirs = ["services/*"]` in that table takes the base names of the tree's directories the globs match (`!` excludes), with or without a workspace. A workspace file that does not parse, or a tree that declares no workspace, is an error naming the file and line."#,
    examples: &[Example {
        bad: "feat(nope): add the login page",
        good: Some("feat(web): add the login page"),
    }],
    advice: r#"Fix: use one of the listed scopes, e.g. `fix(api): …`."#,
};

pub const SUBJECT_LENGTH: Rule = Rule {
    check: ID,
    id: "subject-length",
    category: Category::Convention,
    summary: "a subject longer than [commit-msg] max_subject_length (default 72)",
    explanation: r#"Reports a first line longer than `max_subject_length` characters.

Why: `git log --oneline`, GitLab and email patches cut long subjects."#,
    examples: &[],
    advice: r#"Fix: shorten it and move detail to the body."#,
};

pub const BLANK_LINE: Rule = Rule {
    check: ID,
    id: "blank-line",
    category: Category::Convention,
    summary: "no blank line between the subject and the body",
    explanation: r#"Reports a message whose second line is not empty.

Why: git and every tool take the first paragraph as the subject; without the blank line the body becomes part of the subject."#,
    examples: &[],
    advice: r#"Fix: put an empty line after the subject."#,
};

pub const BODY_LINE_LENGTH: Rule = Rule {
    check: ID,
    id: "body-line-length",
    category: Category::Convention,
    summary:
        "a body line longer than [commit-msg] max_body_line_length (default 100), as a warning",
    explanation: r#"Reports body lines longer than `max_body_line_length`; lines with a URL or without spaces (paths, hashes) and trailers are not reported. A warning: it never blocks."#,
    examples: &[],
    advice: r#"Fix: wrap the body."#,
};

pub const BREAKING_CHANGE: Rule = Rule {
    check: ID,
    id: "breaking-change",
    category: Category::Convention,
    summary: "a BREAKING CHANGE footer not written in upper case",
    explanation: r#"Reports a footer such as `Breaking change: …`: Conventional Commits requires `BREAKING CHANGE:` (or `BREAKING-CHANGE:`) in upper case, and tools ignore other spellings."#,
    examples: &[],
    advice: r#"Fix: write `BREAKING CHANGE: <what breaks>`."#,
};

pub const WORK_IN_PROGRESS: Rule = Rule {
    check: ID,
    id: "work-in-progress",
    category: Category::Process,
    summary:
        "a fixup!/squash!/amend!/WIP commit pushed to a protected branch or in a merge request",
    explanation: r#"Reports, at push time, `fixup!`, `squash!`, `amend!` and `WIP` commits pushed to a protected branch, and in CI such commits in the merge request (unless its target branch is known and not protected). They are fine locally and on your own branch, and only a warning in a merge request squashed on merge (the squash folds them).

Why: they are meant to be folded away before merging; once on a shared branch they stay in history."#,
    examples: &[],
    advice: r#"Fix: `git rebase -i --autosquash <base>` to fold them, or reword the WIP commits."#,
};

/// Every rule of this check, in the order `git hygiene rules` lists them.
pub const RULES: &[&Rule] = &[
    &FORMAT,
    &SUBJECT_EMPTY,
    &TYPE,
    &SCOPE,
    &SUBJECT_LENGTH,
    &BLANK_LINE,
    &BODY_LINE_LENGTH,
    &BREAKING_CHANGE,
    &WORK_IN_PROGRESS,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::{ChangeSet, Message};
    use crate::checks::Config;

    fn findings(mode: Mode, text: &str, config: &Config) -> Vec<Finding> {
        let mut cs = ChangeSet::from_disk(mode, std::env::temp_dir());
        if mode == Mode::CommitMsg {
            cs.message = Some(Message {
                text: text.to_owned(),
                ..Default::default()
            });
        } else {
            cs.commits.push(Commit {
                id: "a".repeat(40),
                parents: vec!["b".repeat(40)],
                message: text.to_owned(),
                author: String::new(),
            });
        }
        CommitMsg
            .run(&Context {
                cs: &cs,
                config,
                severity: Severity::Error,
                verbose: false,
            })
            .unwrap()
    }

    fn rules(text: &str) -> Vec<String> {
        findings(Mode::CommitMsg, text, &Config::default())
            .into_iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn conventional_rules() {
        assert!(rules("feat(api)!: drop v1\n\nBREAKING CHANGE: v1 is gone\n").is_empty());
        assert!(rules("CU-86b2xk4pq: fix: x\n").is_empty());
        assert!(rules("[CU-86b2xk4pq] fix: x\n").is_empty());
        assert_eq!(rules("Fixed the login bug\n"), ["format"]);
        assert_eq!(rules("feature: x\n"), ["type"]);
        assert_eq!(rules("Closes #12\n"), ["subject-empty"]);
        assert_eq!(
            rules("Refs: CU-abc123\nSigned-off-by: A <a@x>\n"),
            ["subject-empty"]
        );
        // Only the ticket: the ticket check's `empty-message` says it at commit time.
        assert!(rules("Refs: CU-abc123\n").is_empty());
        let pushed = findings(Mode::Ci, "Refs: CU-abc123\n", &Config::default());
        assert_eq!(pushed.len(), 1);
        assert_eq!(pushed[0].rule, "subject-empty");
        assert_eq!(rules("fix: x\nbody right away\n"), ["blank-line"]);
        assert_eq!(
            rules(&format!("fix: {}\n", "a".repeat(80))),
            ["subject-length"]
        );
        assert_eq!(rules("fix: x\n\nBreaking change: y\n"), ["breaking-change"]);
        let long = format!("fix: x\n\n{}\n", "word ".repeat(30));
        let f = findings(Mode::CommitMsg, &long, &Config::default());
        assert_eq!(f[0].rule, "body-line-length");
        assert_eq!(f[0].severity, Severity::Warn);
        // Excused locally: merges, reverts, fixups, WIP.
        for ok in [
            "Merge branch 'x'\n",
            "Revert \"fix: x\"\n",
            "fixup! fix: x\n",
            "WIP\n",
        ] {
            assert!(rules(ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn regex_and_none_styles() {
        let c = Config::parse(
            "[commit-msg]\npattern = '^[A-Z]'\n",
            std::path::Path::new("x"),
        )
        .unwrap();
        let r = |t| {
            findings(Mode::CommitMsg, t, &c)
                .into_iter()
                .map(|f| f.rule)
                .collect::<Vec<_>>()
        };
        assert!(r("Add login\n").is_empty());
        assert_eq!(r("add login\n"), ["format"]);
        let c = Config::parse(
            "[commit-msg]\nstyle = \"none\"\n",
            std::path::Path::new("x"),
        )
        .unwrap();
        assert!(findings(Mode::CommitMsg, "whatever\n", &c).is_empty());
    }

    #[test]
    fn wip_reaches_ci() {
        let f = findings(Mode::Ci, "fixup! feat: x\n", &Config::default());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "work-in-progress");
        assert_eq!(f[0].commit.as_deref(), Some("a".repeat(40).as_str()));
    }

    #[test]
    fn suggested_headers_fit_the_limit() {
        let c = Config::parse(
            "[commit-msg]\nmax_subject_length = 24\n",
            std::path::Path::new("x"),
        )
        .unwrap();
        let help = |t| {
            findings(Mode::CommitMsg, t, &c)
                .into_iter()
                .find(|f| f.rule == "format")
                .and_then(|f| f.help)
                .unwrap()
        };
        let h = help("Added an export of the users\n");
        assert!(h.contains("e.g. `feat: an export of the`"), "{h}");
        assert!(h.contains("shortened"), "{h}");
        // The ticket before the header takes its share; accents are cut whole.
        let h = help("CU-abc123: Fixed déjàvuüberall\n");
        assert!(h.contains("e.g. `fix: déjàvuüb`"), "{h}");
        let h = help("Fixed it\n");
        assert!(
            h.contains("e.g. `fix: it`") && !h.contains("shortened"),
            "{h}"
        );
        assert_eq!(fit("fix: x".into(), None), Some(("fix: x".into(), false)));
        assert_eq!(
            fit("fix: 🎉🎉".into(), Some(6)),
            Some(("fix: 🎉".into(), true))
        );
        assert_eq!(fit("fix: 🎉🎉".into(), Some(5)), None);
    }

    #[test]
    fn examples() {
        let t = CommitMsgConfig::default().types;
        assert_eq!(example("Fixed login bug", &t), "fix: login bug");
        assert_eq!(example("Update README", &t), "feat: update README");
    }
}
