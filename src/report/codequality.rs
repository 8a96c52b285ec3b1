//! `--format codequality`: GitLab Code Quality JSON for `artifacts:reports:codequality`
//! (the MR widget and diff annotations).
//!
//! A JSON array of issues. GitLab collapses issues that share a fingerprint, so repeated
//! fingerprints (the same secret in two commits, the same text on two lines) are made unique.
//! Findings without a path are reported at `.` line 1 (one in a message says where in its
//! description). Snippets are never written.

use serde_json::{json, Value};

use super::Run;
use crate::finding::{Finding, Fnv64, Severity};
use crate::rule::Category;

pub fn render(run: &Run<'_>) -> String {
    let fingerprints = unique_fingerprints(run.findings.iter());
    let issues: Vec<Value> = run
        .findings
        .iter()
        .zip(fingerprints)
        .map(|(f, fingerprint)| {
            let check_name = format!("{}/{}", f.check, f.rule);
            let description = match f.field_location() {
                Some(at) => format!("{check_name}: {} (in the {at})", f.message),
                None => format!("{check_name}: {}", f.message),
            };
            let line = f.line.filter(|&l| l >= 1 && f.path.is_some());
            json!({
                "description": description,
                "check_name": check_name,
                "fingerprint": fingerprint,
                "severity": severity(f),
                "location": {
                    "path": f.path.as_ref().map_or_else(|| ".".to_owned(), |p| p.to_string_lossy()),
                    "lines": {"begin": line.unwrap_or(1)},
                },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    s.push('\n');
    s
}

fn severity(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Error if f.category == Category::Security => "critical",
        Severity::Error => "major",
        Severity::Warn => "minor",
        Severity::Info => "info",
    }
}

/// One fingerprint per finding, in order, all distinct. The first finding with a fingerprint
/// keeps it; later ones sharing it get a hash of it with their line and commit (and a counter
/// if that still collides). Findings without a fingerprint get one from check, rule, path and
/// message.
pub(crate) fn unique_fingerprints<'f>(findings: impl Iterator<Item = &'f Finding>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for f in findings {
        let base = if f.fingerprint.is_empty() {
            let mut h = Fnv64::new();
            for part in [
                f.check.as_bytes(),
                f.rule.as_bytes(),
                f.path.as_ref().map_or(&[][..], |p| p.as_bytes()),
                f.message.as_bytes(),
            ] {
                h.write(part);
                h.write(b"\0");
            }
            format!("{:016x}", h.finish())
        } else {
            f.fingerprint.clone()
        };
        let mut fp = base.clone();
        let mut n: u32 = 0;
        while seen.contains(&fp) {
            let mut h = Fnv64::new();
            h.write(base.as_bytes());
            h.write(b"\0");
            h.write(&f.line.unwrap_or(0).to_le_bytes());
            h.write(f.commit.as_deref().unwrap_or("").as_bytes());
            h.write(&n.to_le_bytes());
            fp = format!("{:016x}", h.finish());
            n += 1;
        }
        seen.insert(fp.clone());
        out.push(fp);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::Mode;
    use crate::path::RepoPath;
    use crate::report::Summary;

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
    fn structure() {
        let p = RepoPath::from("src/a b.py");
        let fs = vec![
            crate::report::github_pat("GitHub token")
                .at(&p, Some(3), Some(5))
                .help("rotate it")
                .snippet(SNIPPET)
                .key(b"k"),
            crate::report::github_pat("GitHub token")
                .at(&p, Some(3), Some(5))
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
            .at(&p, None, None),
            Finding::named(
                "hygiene",
                "skipped",
                Category::Note,
                Severity::Info,
                "binary file skipped",
            )
            .at(&p, Some(0), None),
        ];
        let out = render(&run(&fs));
        assert!(out.starts_with('['));
        assert!(out.ends_with("]\n"));
        assert!(!out.contains(SNIPPET));
        let v: Value = serde_json::from_str(&out).expect("valid json");
        let a = v.as_array().expect("array");
        assert_eq!(a.len(), 5);
        assert_eq!(a[0]["description"], "secrets/github-pat: GitHub token");
        assert_eq!(a[0]["check_name"], "secrets/github-pat");
        assert_eq!(a[0]["fingerprint"], fs[0].fingerprint.as_str());
        assert_eq!(a[0]["severity"], "critical");
        assert_eq!(
            a[0]["location"],
            json!({"path": "src/a b.py", "lines": {"begin": 3}})
        );
        // Same fingerprint, so the second one is made unique.
        assert_eq!(fs[0].fingerprint, fs[1].fingerprint);
        assert_ne!(a[1]["fingerprint"], a[0]["fingerprint"]);
        assert_eq!(a[2]["severity"], "major");
        assert_eq!(
            a[2]["location"],
            json!({"path": ".", "lines": {"begin": 1}})
        );
        assert_eq!(a[3]["severity"], "minor");
        assert_eq!(a[3]["location"]["lines"]["begin"], 1);
        assert_eq!(a[4]["severity"], "info");
        assert_eq!(a[4]["location"]["lines"]["begin"], 1);
        let mut fps: Vec<&str> = a.iter().filter_map(|i| i["fingerprint"].as_str()).collect();
        fps.sort_unstable();
        fps.dedup();
        assert_eq!(fps.len(), 5);
    }

    #[test]
    fn identical_findings_still_unique() {
        let p = RepoPath::from("a");
        let f = Finding::named("hygiene", "x", Category::Correctness, Severity::Warn, "m")
            .at(&p, Some(1), None)
            .key(b"k");
        let fs = [
            f.clone(),
            f.clone(),
            f,
            Finding::named(
                "hygiene",
                "y",
                Category::Correctness,
                Severity::Warn,
                "no key",
            ),
        ];
        let fps = unique_fingerprints(fs.iter());
        let mut d = fps.clone();
        d.sort_unstable();
        d.dedup();
        assert_eq!(d.len(), 4);
        assert!(fps.iter().all(|f| f.len() == 16));
    }

    #[test]
    fn empty() {
        assert_eq!(render(&run(&[])), "[]\n");
    }
}
