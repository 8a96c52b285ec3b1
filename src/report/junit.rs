//! `--format junit`: JUnit XML for GitLab `artifacts:reports:junit` (the MR test widget).
//!
//! One `<testsuite>` per check that has findings, one `<testcase>` per finding. Only `error`
//! findings are failures; `warn` and `info` findings are passing test cases whose details are
//! in `<system-out>`. With no findings at all a single passing test case is written, so the
//! report is never empty. Snippets are never written (they may hold a redacted secret).

use std::fmt::Write as _;

use super::Run;
use crate::finding::Finding;

pub fn render(run: &Run<'_>) -> String {
    let mut checks: Vec<&'static str> = Vec::new();
    for f in run.findings {
        if !checks.contains(&f.check) {
            checks.push(f.check);
        }
    }
    let failures = run.findings.iter().filter(|f| f.is_blocking()).count();
    let tests = run.findings.len().max(1);
    let secs = run.summary.elapsed_ms as f64 / 1000.0;

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"git-hygiene\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{secs:.3}\">");
    if run.findings.is_empty() {
        out.push_str("  <testsuite name=\"git-hygiene\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n");
        out.push_str("    <testcase classname=\"git-hygiene\" name=\"no findings\"/>\n");
        out.push_str("  </testsuite>\n");
    }
    for check in checks {
        let in_check: Vec<&Finding> = run.findings.iter().filter(|f| f.check == check).collect();
        let fails = in_check.iter().filter(|f| f.is_blocking()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\" errors=\"0\" skipped=\"0\">",
            esc(check),
            in_check.len()
        );
        for f in in_check {
            testcase(&mut out, f);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn testcase(out: &mut String, f: &Finding) {
    let path = f.path.as_ref().map(|p| p.to_string_lossy());
    // A finding in a message is placed by its field: `commit message:2 commit 0123456789ab`.
    let place = path
        .clone()
        .or_else(|| f.field.map(|x| x.label().to_owned()));
    let commit = f
        .commit
        .as_ref()
        .filter(|_| path.is_none())
        .map(|c| format!("commit {}", c.get(..12).unwrap_or(c.as_str())));
    let location = match (&place, f.line) {
        (Some(p), Some(l)) => format!("{p}:{l}"),
        (Some(p), None) => p.clone(),
        (None, _) => String::new(),
    };
    let location = match commit {
        Some(c) if location.is_empty() => c,
        Some(c) => format!("{location} {c}"),
        None => location,
    };
    let name = if location.is_empty() {
        f.rule.clone()
    } else {
        format!("{} {location}", f.rule)
    };
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        esc(f.check),
        esc(&name)
    );
    if let Some(p) = &path {
        let _ = write!(out, " file=\"{}\"", esc(p));
    }
    out.push_str(">\n");

    let mut body = String::new();
    let _ = writeln!(body, "{}: {}", f.severity.as_str(), f.message);
    if let Some(p) = &place {
        let _ = write!(body, "location: {p}");
        if let Some(l) = f.line {
            let _ = write!(body, ":{l}");
            if let Some(c) = f.column {
                let _ = write!(body, ":{c}");
            }
        }
        body.push('\n');
    }
    if let Some(c) = &f.commit {
        let _ = writeln!(body, "commit: {c}");
    }
    if let Some(h) = &f.help {
        let _ = writeln!(body, "help: {h}");
    }
    if f.is_blocking() {
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            esc(&f.rule),
            esc(&f.message),
            esc(&body)
        );
    } else {
        let _ = writeln!(out, "      <system-out>{}</system-out>", esc(&body));
    }
    out.push_str("    </testcase>\n");
}

/// Escapes text for XML 1.0 content and attribute values. Characters XML 1.0 cannot carry at
/// all (controls other than tab, newline, carriage return; U+FFFE, U+FFFF) are dropped; tab,
/// newline and CR are written as character references so attribute values keep them.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::Mode;
    use crate::finding::Severity;
    use crate::path::RepoPath;
    use crate::report::Summary;
    use crate::rule::Category;

    const SNIPPET: &str = "token = ghp_REDACTED_SNIPPET";

    fn run(findings: &[Finding]) -> Run<'_> {
        Run {
            mode: Mode::Ci,
            findings,
            summary: Summary::default(),
            rules: Vec::new(),
        }
    }

    #[test]
    fn structure_and_escaping() {
        let p = RepoPath::from("src/a b.py");
        let fs = vec![
            crate::report::github_pat("token <&\"' found\u{1}")
                .at(&p, Some(3), Some(5))
                .help("rotate it")
                .snippet(SNIPPET)
                .key(b"k"),
            crate::report::github_pat("token in history")
                .at(&p, Some(9), None)
                .commit(Some("0123456789abcdef0123456789abcdef01234567"))
                .key(b"k"),
            Finding::named(
                "branch",
                "name",
                Category::Convention,
                Severity::Error,
                "bad branch",
            )
            .key(b"wip"),
            Finding::named(
                "hygiene",
                "trailing-whitespace",
                Category::Correctness,
                Severity::Warn,
                "trailing whitespace",
            )
            .at(&p, Some(1), None),
        ];
        let out = render(&run(&fs));
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"git-hygiene\" tests=\"4\" failures=\"3\""));
        assert!(!out.contains(SNIPPET));
        assert_eq!(out.matches("<testcase ").count(), 4);
        assert_eq!(out.matches("<testsuite ").count(), 3);
        assert_eq!(out.matches("</testsuite>").count(), 3);
        let errors = fs.iter().filter(|f| f.is_blocking()).count();
        assert_eq!(out.matches("<failure ").count(), errors);
        assert_eq!(out.matches("</failure>").count(), errors);
        assert!(out.contains("<testsuite name=\"secrets\" tests=\"2\" failures=\"2\""));
        assert!(out.contains("<testsuite name=\"hygiene\" tests=\"1\" failures=\"0\""));
        assert!(out.contains("message=\"token &lt;&amp;&quot;&apos; found\""));
        assert!(!out.contains('\u{1}'));
        assert!(out.contains("name=\"github-pat src/a b.py:3\" file=\"src/a b.py\""));
        assert!(out.contains("location: src/a b.py:3:5&#10;"));
        assert!(out.contains("help: rotate it"));
        assert!(out.contains("commit: 0123456789abcdef0123456789abcdef01234567"));
        assert!(out.contains("<testcase classname=\"branch\" name=\"name\">"));
        assert!(out.contains("<system-out>warn: trailing whitespace"));
        // Only the markup characters we write ourselves appear raw.
        let text_only: String = out
            .split('<')
            .skip(1)
            .map(|s| s.split_once('>').map(|(_, t)| t).unwrap_or(""))
            .collect();
        assert!(!text_only.contains('<') && !text_only.contains('>'));
    }

    #[test]
    fn empty_report_has_one_passing_case() {
        let out = render(&run(&[]));
        assert!(out.contains("tests=\"1\" failures=\"0\""));
        assert_eq!(out.matches("<testcase ").count(), 1);
        assert!(out.contains("<testcase classname=\"git-hygiene\" name=\"no findings\"/>"));
        assert!(out.trim_end().ends_with("</testsuites>"));
    }

    #[test]
    fn escape_drops_illegal_chars() {
        assert_eq!(esc("a\u{0}b\u{1b}c\u{FFFF}d\té"), "abcd&#9;é");
    }
}
