//! `ticket`: ClickUp task ids where the team wants them — the branch name, every commit message
//! (subject or trailer) and the merge-request title — and, at prepare-commit-msg, the branch's id
//! copied into the message so nobody has to type it.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer};
use serde::Deserialize;

use super::branch_name::{is_release, suggest};
use super::commit_msg::{fit, shortened};
use super::squash;
use super::{Check, Context};
use crate::changeset::{HeadState, Mode, PushKind};
use crate::config::values::SeverityConfig;
use crate::conventional::{draft_prefix, is_autosquash, is_generated, trailer_line, trailers};
use crate::error::Result;
use crate::finding::{Field, Finding};
use crate::message::{cleanup, is_scissors};
use crate::rule::{self, Category, Example, Rule, RuleDoc};
use crate::ticket_id::{valid_prefix, Matcher, Ticket};

const ID: &str = "ticket";

/// Where a ticket is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    Branch,
    #[serde(alias = "commit")]
    Commits,
    #[serde(alias = "mr_title", alias = "title")]
    MrTitle,
}

/// How prepare-commit-msg writes the branch's ticket into the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Insert {
    /// `Refs: CU-86b2xk4pq` in the trailer block (works with Conventional Commits).
    Trailer,
    /// `CU-86b2xk4pq: subject`
    Prefix,
    /// `[CU-86b2xk4pq] subject`
    Brackets,
    Off,
}

/// A custom task id prefix, checked when the config is read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Prefix(pub String);

impl<'de> Deserialize<'de> for Prefix {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if valid_prefix(&s) {
            Ok(Prefix(s))
        } else {
            Err(de::Error::custom(format!("`{s}` is not a ClickUp custom task id prefix: 2–10 upper-case letters, digits or `_`, starting with a letter (e.g. \"ENG\")")))
        }
    }
}

/// A trailer token such as `Refs`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrailerKey(pub String);

impl<'de> Deserialize<'de> for TrailerKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
            Ok(TrailerKey(s))
        } else {
            Err(de::Error::custom(format!(
                "`{s}` is not a trailer key: letters, digits and `-` (e.g. \"Refs\")"
            )))
        }
    }
}

impl fmt::Display for TrailerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TicketConfig {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    /// Where an id is required: "branch", "commits", "mr-title". Nothing by default.
    pub require: Vec<Place>,
    /// Custom task id prefixes (`ENG` for `ENG-142`).
    pub custom_prefixes: Vec<Prefix>,
    pub insert: Insert,
    pub trailer: TrailerKey,
}

impl Default for TicketConfig {
    fn default() -> Self {
        TicketConfig {
            enabled: true,
            severity: None,
            require: Vec::new(),
            custom_prefixes: Vec::new(),
            insert: Insert::Trailer,
            trailer: TrailerKey("Refs".into()),
        }
    }
}

impl crate::config::Section for TicketConfig {
    const NESTING: crate::config::layers::Nesting = crate::config::layers::Nesting::RootOnly;
}

impl crate::config::CheckConfig for TicketConfig {
    const STARTER: &'static str = include_str!("../../patterns/starter/ticket.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
    }
}

impl TicketConfig {
    pub fn matcher(&self) -> Matcher {
        Matcher {
            prefixes: self.custom_prefixes.iter().map(|p| p.0.clone()).collect(),
        }
    }
    pub fn requires(&self, place: Place) -> bool {
        self.require.contains(&place)
    }
}

pub struct TicketCheck;

impl Check for TicketCheck {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "ClickUp task ids in branch names, commit messages and MR titles; copied from the branch into new messages"
    }
    fn rules(&self) -> Vec<RuleDoc> {
        rule::docs(RULES)
    }
    fn applies(&self, mode: Mode) -> bool {
        !mode.is_whole_tree()
    }
    fn needs_files(&self, _mode: Mode) -> bool {
        false
    }
    fn run(&self, ctx: &Context<'_>) -> Result<Vec<Finding>> {
        let cfg = &ctx.config.ticket;
        let cs = ctx.cs;
        let matcher = cfg.matcher();
        let mut out = Vec::new();
        let branch_ticket = cs
            .branch
            .as_deref()
            .and_then(|b| matcher.first(b, true))
            .map(|t| t.id);
        match cs.mode {
            Mode::PreCommit => {
                if matches!(cs.head_state, HeadState::Branch | HeadState::Unborn) {
                    if let Some(b) = cs.branch.as_deref() {
                        out.extend(branch_finding(ctx, &matcher, b, true));
                    }
                }
            }
            Mode::CommitMsg => {
                let Some(msg) = &cs.message else {
                    return Ok(out);
                };
                if only_ticket(&msg.text, &matcher) {
                    out.push(
                        Finding::new(
                            &EMPTY_MESSAGE,
                            ctx.severity,
                            "the commit message is only the ticket id",
                        )
                        .help("write what the commit does; to abort the commit, empty the message")
                        .key(b""),
                    );
                } else if cfg.requires(Place::Commits) && !excused_branch(ctx, cs.branch.as_deref())
                {
                    out.extend(commit_finding(
                        ctx,
                        &matcher,
                        &msg.text,
                        None,
                        branch_ticket.as_deref(),
                    ));
                }
            }
            Mode::PrePush | Mode::PreReceive => {
                let mut judged = HashSet::new();
                for r in &cs.push {
                    let Some(b) = r.remote_branch() else { continue };
                    if r.kind == PushKind::Delete || excused_branch(ctx, Some(b)) {
                        continue;
                    }
                    out.extend(branch_finding(
                        ctx,
                        &matcher,
                        b,
                        cs.branch.as_deref() == Some(b),
                    ));
                    let bt = matcher.first(b, true).map(|t| t.id);
                    for id in &r.new_commits {
                        if !cfg.requires(Place::Commits) || !judged.insert(id) {
                            continue;
                        }
                        if let Some(c) = cs.commit(id).filter(|c| !c.is_merge()) {
                            out.extend(commit_finding(
                                ctx,
                                &matcher,
                                &c.message,
                                Some(&c.id),
                                bt.as_deref(),
                            ));
                        }
                    }
                }
            }
            Mode::Ci => {
                let branch = cs.branch.as_deref();
                if excused_branch(ctx, branch) {
                    return Ok(out);
                }
                if let Some(b) = branch {
                    out.extend(branch_finding(ctx, &matcher, b, false));
                }
                let squashed =
                    squash::squashes(ctx.config.commit_msg.squash, cs.merge_request.as_ref());
                if let Some(mr) = &cs.merge_request {
                    // Squashed, the title is the one commit the target gains: it needs the id
                    // wherever commits need one.
                    let needed =
                        cfg.requires(Place::MrTitle) || (squashed && cfg.requires(Place::Commits));
                    if needed
                        && !mr.title.is_empty()
                        && !is_generated(&mr.title)
                        && matcher.first(&mr.title, false).is_none()
                    {
                        out.push(title_finding(
                            ctx,
                            &mr.title,
                            squashed,
                            branch_ticket.as_deref(),
                        ));
                    }
                }
                if cfg.requires(Place::Commits) {
                    for c in cs.commits.iter().filter(|c| !c.is_merge()) {
                        out.extend(
                            commit_finding(
                                ctx,
                                &matcher,
                                &c.message,
                                Some(&c.id),
                                branch_ticket.as_deref(),
                            )
                            .map(|f| squashed_away(f, squashed)),
                        );
                    }
                }
            }
            _ => {}
        }
        Ok(out)
    }

    fn prepare_message(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let cfg = &ctx.config.ticket;
        let cs = ctx.cs;
        let Some(msg) = &cs.message else {
            return Ok(None);
        };
        // Merges and squashes keep git's message; cherry-picks and reverts keep the original's;
        // rebases (detached HEAD) rewrite existing commits and are left alone.
        if cfg.insert == Insert::Off
            || matches!(msg.source.as_deref(), Some("merge" | "squash"))
            || matches!(
                msg.source_commit.as_deref(),
                Some("CHERRY_PICK_HEAD" | "REVERT_HEAD")
            )
            || !matches!(cs.head_state, HeadState::Branch | HeadState::Unborn)
        {
            return Ok(None);
        }
        let matcher = cfg.matcher();
        let Some(ticket) = cs.branch.as_deref().and_then(|b| matcher.first(b, true)) else {
            return Ok(None);
        };
        if matcher.first(&msg.text, true).is_some() {
            return Ok(None);
        }
        let subject = msg.text.lines().next().unwrap_or("");
        if is_autosquash(subject) || is_generated(subject) {
            return Ok(None);
        }
        Ok(insert(
            &msg.raw,
            msg.comment_char,
            &ticket.id,
            cfg.insert,
            &cfg.trailer.0,
        ))
    }
}

/// Release branches and exempt (incl. protected) branches carry no ticket, nor do their commits.
fn excused_branch(ctx: &Context<'_>, branch: Option<&str>) -> bool {
    branch.is_some_and(|b| is_release(b) || ctx.config.branch.is_exempt(b))
}

fn title_finding(
    ctx: &Context<'_>,
    title: &str,
    squashed: bool,
    branch_ticket: Option<&str>,
) -> Finding {
    let t = branch_ticket.unwrap_or("CU-<task-id>");
    let mut msg = format!("merge-request title `{title}` has no ClickUp task id");
    if squashed {
        msg = format!("{msg}; {}", squash::TITLE_NOTE);
    }
    // After any `Draft:` marker: before it, GitLab would no longer see the MR as a draft.
    let draft = draft_prefix(title);
    let rest = &title[draft.len()..];
    let with = format!("{draft}{t}: {rest}");
    // Squashed, the title is judged as a subject: the suggestion fits its limit.
    let room = (squashed && ctx.config.commit_msg.max_subject_length > 0)
        .then_some(ctx.config.commit_msg.max_subject_length + draft.chars().count());
    let help = match fit(with, room) {
        Some((with, cut)) => format!("edit the title, e.g. `{with}`{}", shortened(cut)),
        None => format!("edit the title: `{draft}{t}: ` then a shorter title"),
    };
    Finding::new(&MISSING_IN_TITLE, ctx.severity, msg)
        .in_field(Field::MergeRequestTitle, Some(1), None)
        .help(help)
        .key(title.as_bytes())
}

/// A commit's finding when the MR is squashed: a warning, since the commit will not land.
fn squashed_away(mut f: Finding, squashed: bool) -> Finding {
    if squashed {
        f.severity = squash::commit_severity(true, f.severity);
        f.message = format!("{} ({})", f.message, squash::COMMIT_NOTE);
    }
    f
}

fn branch_finding(
    ctx: &Context<'_>,
    matcher: &Matcher,
    branch: &str,
    current: bool,
) -> Option<Finding> {
    if !ctx.config.ticket.requires(Place::Branch)
        || excused_branch(ctx, Some(branch))
        || matcher.first(branch, true).is_some()
    {
        return None;
    }
    let safe = ctx.config.secrets.redacted(branch);
    let new = suggest(&safe, &ctx.config.branch.types, matcher, true);
    let cmd = if current {
        format!("git branch -m {new}")
    } else {
        format!("git branch -m {branch} {new}")
    };
    Some(
        Finding::new(
            &MISSING_IN_BRANCH,
            ctx.severity,
            format!("branch `{branch}` has no ClickUp task id"),
        )
        .help(format!(
            "rename it with the task's id after the type: `{cmd}`"
        ))
        .key(branch.as_bytes()),
    )
}

/// The id in a message's subject or trailers (where ClickUp and reviewers look for it).
pub fn ticket_in_message(matcher: &Matcher, text: &str) -> Option<Ticket> {
    let subject = text.lines().next().unwrap_or("");
    matcher.first(subject, false).or_else(|| {
        trailers(text)
            .iter()
            .find_map(|t| matcher.first(&t.value, false))
    })
}

fn commit_finding(
    ctx: &Context<'_>,
    matcher: &Matcher,
    text: &str,
    commit: Option<&str>,
    branch_ticket: Option<&str>,
) -> Option<Finding> {
    let subject = text.lines().next().unwrap_or("");
    if is_generated(subject) || is_autosquash(subject) || ticket_in_message(matcher, text).is_some()
    {
        return None;
    }
    let mut msg = match commit {
        Some(_) => format!("commit `{subject}` has no ClickUp task id"),
        None => "the commit message has no ClickUp task id".to_owned(),
    };
    if let Some(t) = matcher.find_all(text, true).first() {
        let written = &text[t.start..t.end];
        if !t.exact {
            msg.push_str(&format!(
                " (`{written}` is not linked by ClickUp/GitLab: write `{}`)",
                t.id
            ));
        } else {
            msg.push_str(&format!(
                " in its subject or trailers (`{written}` in the body does not count)"
            ));
        }
    }
    let t = branch_ticket.unwrap_or("CU-<task-id>");
    let key = &ctx.config.ticket.trailer;
    let cm = &ctx.config.commit_msg;
    let max = if cm.enabled { cm.max_subject_length } else { 0 };
    let prefixed = subject.chars().count() + t.chars().count() + 2;
    // A prefix that would make the subject too long is no advice: the trailer still fits.
    let what = if max > 0 && prefixed > max {
        format!("add the trailer `{key}: {t}` (a `{t}: ` prefix would make the subject {prefixed} characters, over [commit-msg] max_subject_length = {max})")
    } else {
        let prefix = match draft_prefix(subject) {
            "" => format!("`{t}: ` before the subject"),
            d => format!("`{t}: ` after the subject's `{}`", d.trim_end()),
        };
        format!("add {prefix} or the trailer `{key}: {t}`")
    };
    let help = match commit {
        None => format!("{what}; naming the branch after the task (`feature/{t}-…`) makes the prepare-commit-msg hook add it"),
        Some(_) => format!("reword it (`git rebase -i` → `reword`): {what}"),
    };
    Some(
        Finding::new(&MISSING_IN_COMMIT, ctx.severity, msg)
            .commit(commit)
            .help(help)
            .key(subject.as_bytes()),
    )
}

/// The message is nothing but ticket ids: `CU-x:`, `[CU-x]`, `Refs: CU-x` lines.
pub fn only_ticket(text: &str, matcher: &Matcher) -> bool {
    let mut any = false;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let tickets = matcher.find_all(line, true);
        if tickets.is_empty() {
            return false;
        }
        let mut rest = line.to_owned();
        for t in tickets.iter().rev() {
            rest.replace_range(t.start..t.end, "");
        }
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || "[]():,".contains(c));
        let is_trailer_only = trailer_line(line).is_some()
            && rest.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
        if !rest.is_empty() && !is_trailer_only {
            return false;
        }
        any = true;
    }
    any
}

/// `raw` with `id` written in: as subject prefix or trailer. Comment lines and everything from
/// the `-v` scissors line down stay as they are.
pub fn insert(raw: &str, cc: char, id: &str, style: Insert, key: &str) -> Option<String> {
    let mut lines: Vec<String> = raw.split_inclusive('\n').map(str::to_owned).collect();
    let cut = lines
        .iter()
        .position(|l| is_scissors(l.trim_end_matches(['\n', '\r']), cc))
        .unwrap_or(lines.len());
    let content: Vec<usize> = (0..cut).filter(|&i| !lines[i].starts_with(cc)).collect();
    let first_text = content
        .iter()
        .copied()
        .find(|&i| !lines[i].trim().is_empty());
    let last_text = content
        .iter()
        .copied()
        .rfind(|&i| !lines[i].trim().is_empty());
    match style {
        Insert::Off => return None,
        Insert::Prefix | Insert::Brackets => {
            let p = if style == Insert::Prefix {
                format!("{id}: ")
            } else {
                format!("[{id}] ")
            };
            match first_text {
                // After a `Draft: ` marker, where GitLab still sees it (an MR takes its title
                // from a lone commit's subject).
                Some(i) => {
                    let at = draft_prefix(&lines[i]).len();
                    lines[i].insert_str(at, &p);
                }
                // No message yet (the editor is about to open): the prefix starts the subject.
                None => match content.first() {
                    Some(&i) => lines[i] = format!("{}\n", p.trim_end()),
                    None => lines.insert(0, format!("{}\n", p.trim_end())),
                },
            }
        }
        Insert::Trailer => {
            let trailer = format!("{key}: {id}\n");
            match last_text {
                None => lines.insert(0, format!("\n\n{trailer}")),
                Some(last) => {
                    if !lines[last].ends_with('\n') {
                        lines[last].push('\n');
                    }
                    let has_block = !trailers(&cleanup(raw, cc)).is_empty();
                    let add = if has_block {
                        trailer
                    } else {
                        format!("\n{trailer}")
                    };
                    lines.insert(last + 1, add);
                }
            }
        }
    }
    Some(lines.concat())
}

// The rules, as `git hygiene explain` prints them.

/// The ticket forms every `missing-in-*` rule recognises (a macro: `concat!` takes literals).
macro_rules! recognised_forms {
    () => {
        r#"Recognised forms (as ClickUp and GitLab link them): `CU-<task id>` (`CU-86b2xk4pq`; `CU-` upper case, the id lower-case letters and digits), `#<task id>` (`#86b2xk4pq`; only ids with a digit and a letter after `f`, so `#123` issue refs and `#a1b2c3` colours are not taken), and custom task ids `<PREFIX>-<number>` for the prefixes in `[ticket] custom_prefixes` (`ENG-142`). An id must stand on its own: `CU-` glued into a hash, a SHA or a word, or inside a URL, does not count."#
    };
}

pub const MISSING_IN_BRANCH: Rule = Rule {
    check: ID,
    id: "missing-in-branch",
    category: Category::Convention,
    summary: r#"the branch name has no ClickUp task id ([ticket] require has "branch")"#,
    explanation: concat!(
        r#"Reports a branch whose name holds no task id, when `[ticket] require` lists "branch". Release branches and the `[branch] exempt` and protected branches are excused. When the name also breaks the branch convention, the one `branch/name` finding says both (its rename puts the id in) and this one is not reported.

"#,
        recognised_forms!(),
        r#"

Why: ClickUp links a branch to its task from the name; without it the task shows no development activity."#
    ),
    examples: &[],
    advice: r#"Fix: rename it with the task id after the type: `git branch -m feature/CU-86b2xk4pq-login-rate-limit`."#,
};

pub const MISSING_IN_COMMIT: Rule = Rule {
    check: ID,
    id: "missing-in-commit",
    category: Category::Convention,
    summary: r#"a commit message without a ClickUp task id ([ticket] require has "commits")"#,
    explanation: concat!(
        r#"Reports a commit message whose subject and trailers hold no task id, when `[ticket] require` lists "commits". Merge commits, reverts, `fixup!`/`squash!`/`amend!` commits and commits on release or exempt branches are excused. An id in the body prose does not count: put it in the subject or a trailer. Judged in the commit-msg hook, and for every commit at push time and in CI (where the finding names the commit).

"#,
        recognised_forms!(),
        r#"

Why: the id links the commit to the task in ClickUp and GitLab."#
    ),
    examples: &[Example {
        bad: r#"fix: handle empty token"#,
        good: Some(
            r#"fix: handle empty token

Refs: CU-86b2xk4pq"#,
        ),
    }],
    advice: r#"Fix: name the branch after the task — the prepare-commit-msg hook then adds the id to every message (`[ticket] insert = "trailer" | "prefix" | "brackets" | "off"`). For commits already made, `git rebase -i` and `reword` them."#,
};

pub const MISSING_IN_TITLE: Rule = Rule {
    check: ID,
    id: "missing-in-title",
    category: Category::Convention,
    summary: r#"the merge-request title has no ClickUp task id ([ticket] require has "mr-title")"#,
    explanation: concat!(
        r#"Reports, in CI, a merge-request title without a task id when `[ticket] require` lists "mr-title" (the title comes from `--title` or `CI_MERGE_REQUEST_TITLE`) — and, when the merge request is squashed on merge (see `commit-msg/format`), also when it lists "commits": the title is then the commit the target branch gains, and the commits' own `missing-in-commit` findings are warnings.

"#,
        recognised_forms!(),
        r#"

Why: a squash merge uses the title as the commit message, and ClickUp links the MR from it."#
    ),
    examples: &[],
    advice: r#"Fix: edit the title, e.g. `CU-86b2xk4pq: Rate-limit logins`."#,
};

pub const EMPTY_MESSAGE: Rule = Rule {
    check: ID,
    id: "empty-message",
    category: Category::Correctness,
    summary: "a commit message that holds nothing but the task id",
    explanation: r#"Reports, in the commit-msg hook, a message that is only the ticket the prepare-commit-msg hook inserted (`CU-86b2xk4pq:` or `Refs: CU-86b2xk4pq`).

Why: git aborts a commit whose message is empty; with the id inserted it would not, and closing the editor to abort would commit anyway."#,
    examples: &[],
    advice: r#"Fix: write a message, or abort by emptying the message."#,
};

/// Every rule of this check, in the order `git hygiene rules` lists them.
pub const RULES: &[&Rule] = &[
    &MISSING_IN_BRANCH,
    &MISSING_IN_COMMIT,
    &MISSING_IN_TITLE,
    &EMPTY_MESSAGE,
];

#[cfg(test)]
mod tests {
    use super::*;

    const ID_: &str = "CU-86b2xk4pq";

    fn ins(raw: &str, style: Insert) -> String {
        insert(raw, '#', ID_, style, "Refs").unwrap()
    }

    #[test]
    fn trailer_insertion() {
        assert_eq!(
            ins("fix: x\n", Insert::Trailer),
            "fix: x\n\nRefs: CU-86b2xk4pq\n"
        );
        assert_eq!(
            ins(
                "fix: x\n\nbody\n\nSigned-off-by: A <a@b>\n# comment\n",
                Insert::Trailer
            ),
            "fix: x\n\nbody\n\nSigned-off-by: A <a@b>\nRefs: CU-86b2xk4pq\n# comment\n"
        );
        // The editor case: empty message, comments, the -v diff below the scissors.
        let raw = "\n# Please enter the commit message\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n+fix: y\n";
        let got = ins(raw, Insert::Trailer);
        assert!(
            got.starts_with("\n\nRefs: CU-86b2xk4pq\n\n# Please"),
            "{got}"
        );
        assert!(got.ends_with("+fix: y\n"), "{got}");
        assert_eq!(cleanup(&got, '#'), "Refs: CU-86b2xk4pq\n");
        // No final newline.
        assert_eq!(
            ins("fix: x", Insert::Trailer),
            "fix: x\n\nRefs: CU-86b2xk4pq\n"
        );
    }

    #[test]
    fn prefix_insertion() {
        assert_eq!(ins("fix: x\n", Insert::Prefix), "CU-86b2xk4pq: fix: x\n");
        assert_eq!(
            ins("\nfix: x\n", Insert::Brackets),
            "\n[CU-86b2xk4pq] fix: x\n"
        );
        assert_eq!(
            ins("\n# Please enter\n", Insert::Prefix),
            "CU-86b2xk4pq:\n# Please enter\n"
        );
        assert_eq!(ins("# c\n", Insert::Brackets), "[CU-86b2xk4pq]\n# c\n");
        // After GitLab's draft markers, which must stay first.
        assert_eq!(
            ins("Draft: fix: x\n", Insert::Prefix),
            "Draft: CU-86b2xk4pq: fix: x\n"
        );
        assert_eq!(
            ins("[Draft] fix: x\n", Insert::Brackets),
            "[Draft] [CU-86b2xk4pq] fix: x\n"
        );
        assert_eq!(
            ins("WIP: (draft) x\n", Insert::Prefix),
            "WIP: (draft) CU-86b2xk4pq: x\n"
        );
    }

    #[test]
    fn message_tickets() {
        let m = Matcher::new(&[]);
        assert!(ticket_in_message(&m, "fix: x\n\nRefs: CU-86b2xk4pq\n").is_some());
        assert!(ticket_in_message(&m, "CU-86b2xk4pq: fix: x\n").is_some());
        assert!(ticket_in_message(&m, "fix: x\n\nCloses #86b2xk4pq\n").is_some());
        assert!(ticket_in_message(&m, "fix: x\n\nsee CU-86b2xk4pq for why.\n").is_none());
        assert!(only_ticket("CU-86b2xk4pq:\n", &m));
        assert!(only_ticket("[CU-86b2xk4pq]\n", &m));
        assert!(only_ticket("Refs: CU-86b2xk4pq\n", &m));
        assert!(!only_ticket("CU-86b2xk4pq: fix login\n", &m));
        assert!(!only_ticket("fix: x\n\nRefs: CU-86b2xk4pq\n", &m));
    }
}
