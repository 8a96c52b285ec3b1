//! Secrets in the texts that travel with a change without being files: the commit message being
//! written (commit-msg), the message of every judged commit (pre-push, ci, `scan --history`) and
//! the merge request's title and description (ci). A finding there has no path: its field names
//! the text, and its line and column count within it.

use rayon::prelude::*;

use super::engine::Engine;
use super::{finding, Context};
use crate::changeset::{Commit, Mode};
use crate::finding::{Field, Finding};

pub(super) fn scan(ctx: &Context<'_>, engine: &Engine) -> Vec<Finding> {
    let cs = ctx.cs;
    let mut out = Vec::new();
    if cs.mode == Mode::CommitMsg {
        if let Some(m) = &cs.message {
            scan_text(ctx, engine, Field::CommitMessage, None, &m.text, &mut out);
        }
        return out;
    }
    let in_commit = |c: &Commit| {
        let mut found = Vec::new();
        let field = Field::CommitMessage;
        scan_text(ctx, engine, field, Some(&c.id), &c.message, &mut found);
        found
    };
    // A long history holds megabytes of messages; a few are judged without the thread pool.
    if cs.commits.len() > 64 {
        out.par_extend(cs.commits.par_iter().flat_map_iter(in_commit));
    } else {
        out.extend(cs.commits.iter().flat_map(in_commit));
    }
    if let Some(mr) = &cs.merge_request {
        let title = Field::MergeRequestTitle;
        scan_text(ctx, engine, title, None, &mr.title, &mut out);
        let description = Field::MergeRequestDescription;
        scan_text(ctx, engine, description, None, &mr.description, &mut out);
    }
    out
}

fn scan_text(
    ctx: &Context<'_>,
    engine: &Engine,
    field: Field,
    commit: Option<&str>,
    text: &str,
    out: &mut Vec<Finding>,
) {
    let data = text.as_bytes();
    // A message is prose about code: "bump cargo-credential-wincred@0.4.2" or "the secret key
    // length" name secrets without holding one. Only rules that know a credential's own shape
    // judge it; the generic name = value rule made every finding in cargo's 23,077 messages.
    let mut hits = engine.scan(b"", data);
    hits.retain(|h| !engine.rules[h.rule].generic);
    if hits.is_empty() {
        return;
    }
    let fix = match (field, commit) {
        (Field::CommitMessage, None) => {
            "take it out of the message and rotate the credential; if it is not a secret, add \
             `hygiene:allow` to that line of the message"
        }
        (Field::CommitMessage, Some(_)) => {
            "rotate the credential (a pushed commit is leaked), then reword the commit \
             (`git rebase -i` → `reword`); if it is not a secret, add `hygiene:allow` to that \
             line of the message or its fingerprint to .hygiene-baseline"
        }
        _ => {
            "rotate the credential (the platform keeps every edit of a merge request), then \
             edit the title or description"
        }
    };
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    out.extend(hits.iter().filter_map(|h| {
        finding(ctx, engine, data, h, &spans, fix, |f| {
            f.in_field(field, Some(h.line), Some(h.column))
                .commit(commit)
        })
    }));
}
