//! `rules` lists every rule; `explain RULE` prints what a rule reports, why, and an example.

use std::fmt::Write;

use crate::checks;
use crate::error::{Error, Result};
use crate::out;

pub fn list() -> Result<i32> {
    let mut text = String::new();
    for check in checks::registry() {
        let _ = writeln!(text, "{} — {}", check.id(), check.summary());
        for r in check.rules() {
            let _ = writeln!(text, "  {}/{:<24} {}", check.id(), r.id, r.summary);
        }
    }
    text.push_str("\n`git hygiene explain RULE` explains one (RULE or CHECK/RULE).\n");
    out::print(&text)?;
    Ok(0)
}

pub fn explain(query: &str) -> Result<i32> {
    let (check_q, rule_q) = match query.split_once('/') {
        Some((c, r)) => (Some(c), r),
        None => (None, query),
    };
    let registry = checks::registry();
    if check_q.is_none() {
        if let Some(check) = registry.iter().find(|c| c.id() == rule_q) {
            let mut text = format!("{} — {}\n\n", check.id(), check.summary());
            for r in check.rules() {
                let _ = writeln!(text, "  {}/{}: {}", check.id(), r.id, r.summary);
            }
            out::print(&text)?;
            return Ok(0);
        }
    }
    for check in &registry {
        if check_q.is_some_and(|c| c != check.id()) {
            continue;
        }
        if let Some(r) = check.rules().into_iter().find(|r| r.id == rule_q) {
            out::println(&format!(
                "{}/{}: {}\n\n{}",
                check.id(),
                r.id,
                r.summary,
                r.explanation
            ))?;
            return Ok(0);
        }
    }
    Err(Error::Usage(format!(
        "no rule or check named `{query}`; `git hygiene rules` lists them"
    )))
}
