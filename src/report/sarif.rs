//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).
//!
//! Limits: GitHub keeps at most 25,000 results per run, so results beyond that are dropped
//! (errors are kept first) and the run's `properties` say how many were left out. GitHub rejects
//! the *whole file* when a result has no location ("locationFromSarifResult: expected at least
//! one location"), so findings without a path (branch names, commit messages) are not results:
//! they are listed in `run.properties.unlocatedFindings` instead (with the field, line and
//! column of one in a commit message or the MR's title or description). Snippets are never written,
//! since they may hold a (redacted) secret.

use serde_json::{json, Map, Value};

use super::{RuleInfo, Run, TOOL_NAME, TOOL_VERSION};
use crate::finding::{Finding, Severity};
use crate::rule::Category;

/// GitHub's per-run result limit.
pub const MAX_RESULTS: usize = 25_000;
const INFORMATION_URI: &str = "https://github.com/git-hygiene/git-hygiene";

pub fn render(run: &Run<'_>) -> String {
    let (located, unlocated): (Vec<&Finding>, Vec<&Finding>) =
        run.findings.iter().partition(|f| f.path.is_some());
    // Keep the most severe results when truncating; the sort is stable, so order is otherwise kept.
    let mut kept = located;
    kept.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let total = kept.len();
    kept.truncate(MAX_RESULTS);

    let mut rule_ids: Vec<String> = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::with_capacity(kept.len());
    for f in &kept {
        let id = rule_id(f);
        let index = match rule_ids.iter().position(|r| *r == id) {
            Some(i) => i,
            None => {
                rules.push(rule(f, &id, &run.rules));
                rule_ids.push(id.clone());
                rule_ids.len() - 1
            }
        };
        results.push(result(f, &id, index));
    }

    let mut props = Map::new();
    if total > kept.len() {
        props.insert("truncated".into(), json!(true));
        props.insert("totalResults".into(), json!(total));
        props.insert("omittedResults".into(), json!(total - kept.len()));
    }
    if !unlocated.is_empty() {
        let list: Vec<Value> = unlocated
            .iter()
            .map(|f| json!({"ruleId": rule_id(f), "level": level(f.severity), "message": message_text(f), "commit": f.commit, "field": f.field, "line": f.line, "column": f.column}))
            .collect();
        props.insert("unlocatedFindings".into(), Value::Array(list));
    }

    let mut run_obj = json!({
        "tool": {"driver": {
            "name": TOOL_NAME,
            "semanticVersion": TOOL_VERSION,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "results": results,
    });
    if !props.is_empty() {
        run_obj["properties"] = Value::Object(props);
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run_obj],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn rule_id(f: &Finding) -> String {
    format!("{}/{}", f.check, f.rule)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    }
}

fn message_text(f: &Finding) -> String {
    match &f.help {
        Some(h) => format!("{} — help: {h}", f.message),
        None => f.message.clone(),
    }
}

fn rule(f: &Finding, id: &str, infos: &[RuleInfo]) -> Value {
    // `RuleInfo.id` is the rule inside its check; accept the qualified form too.
    let info = infos
        .iter()
        .find(|i| i.check == f.check && (i.id == f.rule || i.id == id));
    let summary = info
        .map(|i| i.summary.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or(&f.message);
    let mut tags = vec!["git-hygiene", f.check];
    let mut props = Map::new();
    if f.category == Category::Security {
        tags.push("security");
        props.insert("security-severity".into(), json!("8.0"));
    }
    props.insert("tags".into(), json!(tags));
    let mut r = json!({
        "id": id,
        "shortDescription": {"text": summary},
        "properties": props,
    });
    if let Some(expl) = info
        .map(|i| i.explanation.as_str())
        .filter(|s| !s.is_empty())
    {
        r["fullDescription"] = json!({"text": expl});
        r["help"] = json!({"text": expl});
    }
    r
}

fn result(f: &Finding, id: &str, index: usize) -> Value {
    let mut r = json!({
        "ruleId": id,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": message_text(f)},
    });
    if let Some(path) = &f.path {
        let mut phys = json!({"artifactLocation": {"uri": encode_uri(path.as_bytes()), "uriBaseId": "%SRCROOT%"}});
        // SARIF lines and columns start at 1; 0 means "unknown" here.
        if let Some(line) = f.line.filter(|&l| l >= 1) {
            let mut region = json!({"startLine": line});
            if let Some(col) = f.column.filter(|&c| c >= 1) {
                region["startColumn"] = json!(col);
            }
            phys["region"] = region;
        }
        r["locations"] = json!([{"physicalLocation": phys}]);
    }
    if !f.fingerprint.is_empty() {
        r["partialFingerprints"] = json!({"gitHygiene/v1": f.fingerprint});
    }
    if let Some(commit) = &f.commit {
        r["properties"] = json!({"commit": commit});
    }
    r
}

/// Percent-encodes a repository path into a relative URI reference. Keeps RFC 3986 unreserved
/// characters, sub-delimiters, `@` and `/`; encodes everything else byte by byte (space, `%`,
/// `#`, `?`, `:` — a colon in the first segment would read as a scheme — and non-ASCII).
pub fn encode_uri(path: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(path.len());
    for &b in path {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
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

    fn findings() -> Vec<Finding> {
        let p = RepoPath::from("src/a b.py");
        vec![
            crate::report::github_pat("GitHub token")
                .at(&p, Some(3), Some(5))
                .help("rotate it")
                .snippet(SNIPPET)
                .key(b"k"),
            crate::report::github_pat("GitHub token")
                .at(&RepoPath::from("x/100%#?é.txt"), Some(1), None)
                .commit(Some("0123456789abcdef0123456789abcdef01234567"))
                .snippet(SNIPPET)
                .key(b"k"),
            Finding::named(
                "branch",
                "name",
                Category::Convention,
                Severity::Error,
                "branch name `wip` does not match",
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
        ]
    }

    fn run(findings: &[Finding]) -> Run<'_> {
        Run {
            mode: Mode::Ci,
            findings,
            summary: Summary::default(),
            rules: vec![RuleInfo {
                check: "secrets",
                id: "github-pat".into(),
                summary: "GitHub personal access token".into(),
                explanation: "Tokens in git history are leaked.".into(),
            }],
        }
    }

    #[test]
    fn structure() {
        let fs = findings();
        let out = render(&run(&fs));
        assert!(out.ends_with('\n'));
        assert!(!out.contains(SNIPPET));
        let v: Value = serde_json::from_str(&out).expect("valid json");
        assert_eq!(v["version"], "2.1.0");
        let r = &v["runs"][0];
        let driver = &r["tool"]["driver"];
        assert_eq!(driver["name"], "git-hygiene");
        assert_eq!(driver["semanticVersion"], TOOL_VERSION);
        let rules = driver["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0]["id"], "secrets/github-pat");
        assert_eq!(
            rules[0]["shortDescription"]["text"],
            "GitHub personal access token"
        );
        assert_eq!(
            rules[0]["help"]["text"],
            "Tokens in git history are leaked."
        );
        assert_eq!(rules[0]["properties"]["security-severity"], "8.0");
        assert_eq!(
            rules[0]["properties"]["tags"],
            json!(["git-hygiene", "secrets", "security"])
        );
        assert_eq!(rules[1]["shortDescription"]["text"], "trailing whitespace");
        assert!(rules[1].get("fullDescription").is_none());

        let results = r["results"].as_array().expect("results");
        assert_eq!(results.len(), 3);
        let first = &results[0];
        assert_eq!(first["ruleIndex"], 0);
        assert_eq!(first["level"], "error");
        assert_eq!(first["message"]["text"], "GitHub token — help: rotate it");
        let phys = &first["locations"][0]["physicalLocation"];
        assert_eq!(phys["artifactLocation"]["uri"], "src/a%20b.py");
        assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(phys["region"], json!({"startLine": 3, "startColumn": 5}));
        assert_eq!(
            first["partialFingerprints"]["gitHygiene/v1"],
            fs[0].fingerprint.as_str()
        );
        assert!(first["partialFingerprints"]
            .get("primaryLocationLineHash")
            .is_none());

        let second = &results[1];
        assert_eq!(
            second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "x/100%25%23%3F%C3%A9.txt"
        );
        assert_eq!(
            second["properties"]["commit"],
            "0123456789abcdef0123456789abcdef01234567"
        );

        let warn = &results[2];
        assert_eq!(warn["level"], "warning");
        assert_eq!(warn["ruleIndex"], 1);
        assert!(warn["locations"][0]["physicalLocation"]
            .get("region")
            .is_none());

        // Every result has a location (GitHub rejects the file otherwise).
        assert!(results
            .iter()
            .all(|r| r["locations"].as_array().is_some_and(|l| !l.is_empty())));
        let unlocated = r["properties"]["unlocatedFindings"]
            .as_array()
            .expect("unlocated");
        assert_eq!(unlocated.len(), 1);
        assert_eq!(unlocated[0]["ruleId"], "branch/name");
        assert!(r["properties"].get("truncated").is_none());
    }

    #[test]
    fn truncates_keeping_errors() {
        let p = RepoPath::from("a");
        let mut fs: Vec<Finding> = (0..MAX_RESULTS as u32 + 5)
            .map(|i| {
                Finding::named("hygiene", "w", Category::Correctness, Severity::Warn, "w").at(
                    &p,
                    Some(i + 1),
                    None,
                )
            })
            .collect();
        fs.push(
            Finding::named("hygiene", "e", Category::Correctness, Severity::Error, "e").at(
                &p,
                Some(1),
                None,
            ),
        );
        let v: Value = serde_json::from_str(&render(&run(&fs))).expect("valid json");
        let r = &v["runs"][0];
        assert_eq!(r["results"].as_array().map(Vec::len), Some(MAX_RESULTS));
        assert_eq!(r["results"][0]["level"], "error");
        assert_eq!(r["properties"]["truncated"], true);
        assert_eq!(r["properties"]["totalResults"], MAX_RESULTS + 6);
        assert_eq!(r["properties"]["omittedResults"], 6);
    }

    #[test]
    fn empty_run() {
        let v: Value = serde_json::from_str(&render(&run(&[]))).expect("valid json");
        assert_eq!(v["runs"][0]["results"], json!([]));
        assert_eq!(v["runs"][0]["tool"]["driver"]["rules"], json!([]));
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(encode_uri(b"a/b-c_d.e~f"), "a/b-c_d.e~f");
        assert_eq!(encode_uri(b"c:d e"), "c%3Ad%20e");
        assert_eq!(encode_uri(b"\xff\n"), "%FF%0A");
    }
}
