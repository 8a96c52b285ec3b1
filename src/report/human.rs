//! Terminal output in the style of rustc: one block per finding with its location, the source
//! line and a help line, grouped by check, then one summary line.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::Run;
use crate::changeset::Mode;
use crate::finding::{Finding, Severity};
use crate::text::human_bytes;

pub struct Options {
    pub color: bool,
    /// Show `info` notes (skipped files, allowed lines).
    pub verbose: bool,
}

/// Paints only when colour is on, so callers never think about it.
struct Paint {
    on: bool,
}

impl Paint {
    fn sev(&self, s: Severity, text: &str) -> String {
        match (self.on, s) {
            (false, _) => text.to_owned(),
            (true, Severity::Error) => text.red().bold().to_string(),
            (true, Severity::Warn) => text.yellow().bold().to_string(),
            (true, Severity::Info) => text.cyan().bold().to_string(),
        }
    }
    fn blue(&self, text: &str) -> String {
        if self.on {
            text.blue().bold().to_string()
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, text: &str) -> String {
        if self.on {
            text.bold().to_string()
        } else {
            text.to_owned()
        }
    }
}

pub fn render(run: &Run<'_>, opts: &Options) -> String {
    let p = Paint { on: opts.color };
    let mut out = String::new();
    let shown: Vec<&Finding> = run
        .findings
        .iter()
        .filter(|f| opts.verbose || f.severity != Severity::Info)
        .collect();
    let mut current_check = "";
    for f in &shown {
        if f.check != current_check {
            current_check = f.check;
            let n = shown.iter().filter(|g| g.check == f.check).count();
            let _ = writeln!(out, "{}", p.bold(&format!("── {} ({n}) ──", f.check)));
        }
        render_one(&mut out, f, &p);
    }
    out.push_str(&summary_line(run, &p));
    out
}

fn render_one(out: &mut String, f: &Finding, p: &Paint) {
    let label = match f.severity {
        Severity::Error => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    };
    let _ = writeln!(
        out,
        "{}: {}",
        p.sev(f.severity, &format!("{label}[{}/{}]", f.check, f.rule)),
        p.bold(&f.message)
    );
    let line_no = f.line.map(|l| l.to_string()).unwrap_or_default();
    let gutter = " ".repeat(line_no.len().max(1));
    let mut location = String::new();
    if let Some(place) = f.place() {
        location.push_str(&place);
        if let Some(l) = f.line {
            let _ = write!(location, ":{l}");
            if let Some(c) = f.column {
                let _ = write!(location, ":{c}");
            }
        }
    }
    if let Some(c) = &f.commit {
        if !location.is_empty() {
            location.push(' ');
        }
        let _ = write!(location, "(commit {})", &c[..c.len().min(12)]);
    }
    if !location.is_empty() {
        let _ = writeln!(out, "{gutter}{} {location}", p.blue("-->"));
    }
    if let Some(s) = &f.snippet {
        let _ = writeln!(out, "{gutter} {}", p.blue("|"));
        let num = if line_no.is_empty() {
            gutter.clone()
        } else {
            line_no.clone()
        };
        let _ = writeln!(out, "{} {} {}", p.blue(&num), p.blue("|"), s);
        let _ = writeln!(out, "{gutter} {}", p.blue("|"));
    }
    if let Some(h) = &f.help {
        let _ = writeln!(
            out,
            "{gutter} {} {}",
            p.blue("="),
            p.bold(&format!("help: {h}"))
        );
    }
    out.push('\n');
}

/// Shown one per line; `--format json` lists every one.
const MAX_UNREAD_LISTED: usize = 10;

/// `1 file`, `2 files`.
fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The verdict line, then one line per file not read and per way checks were skipped: "no
/// problems" is said only when every selected check ran on every file.
fn summary_line(run: &Run<'_>, p: &Paint) -> String {
    let s = &run.summary;
    let count = |sev| run.findings.iter().filter(|f| f.severity == sev).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warn));
    let mut caveats = Vec::new();
    if !s.unread.is_empty() {
        caveats.push(format!("{} not read", count_of(s.unread.len(), "file")));
    }
    if !s.skipped_checks.is_empty() {
        caveats.push(format!(
            "{} skipped",
            count_of(s.skipped_checks.len(), "check")
        ));
    }
    let mut verdict = if errors > 0 {
        p.sev(
            Severity::Error,
            &format!(
                "{}, {}",
                count_of(errors, "error"),
                count_of(warnings, "warning")
            ),
        )
    } else if warnings > 0 {
        p.sev(Severity::Warn, &count_of(warnings, "warning"))
    } else if caveats.is_empty() {
        "no problems".to_owned()
    } else {
        "no problems found".to_owned()
    };
    if !caveats.is_empty() {
        verdict = format!(
            "{verdict}, but {}",
            p.sev(Severity::Warn, &caveats.join(" and "))
        );
    }
    let files = format!(
        "{}, {}",
        count_of(s.files as usize, "file"),
        human_bytes(s.bytes)
    );
    // At commit-msg the staged paths are context for the message (a new migration needs a
    // review trailer); only content read counts as judged.
    let judged = match run.mode {
        Mode::CommitMsg | Mode::PrepareCommitMsg if s.bytes == 0 => "the commit message".to_owned(),
        Mode::CommitMsg | Mode::PrepareCommitMsg => format!("the commit message and {files}"),
        _ => files,
    };
    let mut out = format!(
        "git-hygiene {}: {verdict} — {judged} in {} ms\n",
        run.mode.as_str(),
        s.elapsed_ms
    );
    for u in s.unread.iter().take(MAX_UNREAD_LISTED) {
        let at = u.commit.as_deref().map_or(String::new(), |c| {
            format!(" in commit {}", c.get(..12).unwrap_or(c))
        });
        let _ = writeln!(out, "  not read: {}{at} ({})", u.path.display(), u.reason);
    }
    if s.unread.len() > MAX_UNREAD_LISTED {
        let _ = writeln!(
            out,
            "  … and {} more not read (`--format json` lists them all)",
            s.unread.len() - MAX_UNREAD_LISTED
        );
    }
    let mut ways: Vec<&str> = Vec::new();
    for c in &s.skipped_checks {
        if !ways.contains(&c.by) {
            ways.push(c.by);
        }
    }
    for by in ways {
        let ids: Vec<&str> = s
            .skipped_checks
            .iter()
            .filter(|c| c.by == by)
            .map(|c| c.check)
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  checks skipped by {by}: {}", ids.join(", "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path::RepoPath;
    use crate::report::Summary;
    use crate::rule::Category;

    #[test]
    fn rustc_like_block() {
        let f = vec![Finding::named(
            "hygiene",
            "conflict-marker",
            Category::Correctness,
            Severity::Error,
            "merge-conflict marker",
        )
        .at(&RepoPath::from("src/a.py"), Some(12), Some(1))
        .snippet("<<<<<<< HEAD")
        .help("resolve it")
        .key(b"x")];
        let run = Run {
            mode: Mode::PreCommit,
            findings: &f,
            summary: Summary {
                files: 3,
                ..Default::default()
            },
            rules: vec![],
        };
        let s = render(
            &run,
            &Options {
                color: false,
                verbose: false,
            },
        );
        assert!(
            s.contains("error[hygiene/conflict-marker]: merge-conflict marker\n"),
            "{s}"
        );
        assert!(s.contains("  --> src/a.py:12:1\n"), "{s}");
        assert!(s.contains("12 | <<<<<<< HEAD\n"), "{s}");
        assert!(s.contains("   = help: resolve it\n"), "{s}");
        assert!(s.contains("1 error, 0 warnings — 3 files"), "{s}");
        assert!(
            s.ends_with(" ms\n"),
            "nothing skipped, nothing unread: one line: {s}"
        );
        assert!(!s.contains('\u{1b}'), "no colour codes when colour is off");
    }
}
