//! `--format json`: the stable contract of DESIGN.md (version 1).

use serde::Serialize;

use super::{Run, Summary};
use crate::finding::Finding;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    mode: &'static str,
    findings: &'a [Finding],
    summary: &'a Summary,
}

pub fn render(run: &Run<'_>) -> String {
    let doc = Doc {
        version: 1,
        mode: run.mode.as_str(),
        findings: run.findings,
        summary: &run.summary,
    };
    // Serialising plain data with string keys cannot fail.
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
