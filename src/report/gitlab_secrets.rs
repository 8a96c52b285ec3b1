//! `--format gitlab-secrets`: GitLab secret-detection report (schema 15.2.1) for
//! `artifacts:reports:secret_detection` (vulnerability report and MR security widget).
//!
//! Only findings of `Security` rules (today the `secrets` check's) are included. Vulnerability
//! ids are UUID-shaped and derived from the fingerprint, so they are stable between runs. `raw_source_code_extract`
//! and snippets are never written: the report must not carry the secret. GitLab limits
//! `name` to 255 characters, so longer messages are cut.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::{Run, TOOL_NAME, TOOL_VERSION};
use crate::finding::{Finding, Fnv64, Severity};
use crate::rule::Category;

pub const SCHEMA_VERSION: &str = "15.2.1";

pub fn render(run: &Run<'_>) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    render_at(run, now)
}

/// Renders with `now` (seconds since the Unix epoch) as the scan end time.
fn render_at(run: &Run<'_>, now: u64) -> String {
    let start = now.saturating_sub(run.summary.elapsed_ms / 1000);
    let secrets: Vec<&Finding> = run
        .findings
        .iter()
        .filter(|f| f.category == Category::Security)
        .collect();
    let fingerprints = super::codequality::unique_fingerprints(secrets.iter().copied());
    let vulnerabilities: Vec<Value> = secrets
        .iter()
        .zip(&fingerprints)
        .map(|(f, fp)| vulnerability(f, fp))
        .collect();
    let tool = json!({
        "id": TOOL_NAME,
        "name": TOOL_NAME,
        "version": TOOL_VERSION,
        "vendor": {"name": TOOL_NAME},
    });
    let doc = json!({
        "version": SCHEMA_VERSION,
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "secret_detection",
            "start_time": utc_timestamp(start),
            "end_time": utc_timestamp(now),
            "status": "success",
            "messages": [],
        },
        "vulnerabilities": vulnerabilities,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn vulnerability(f: &Finding, fingerprint: &str) -> Value {
    let mut description = f.message.clone();
    if let Some(at) = f.field_location() {
        description.push_str(&format!(" (in the {at})"));
    }
    if let Some(h) = &f.help {
        description.push_str(&format!("\n\n{h}"));
    }
    let mut location = json!({"commit": {"sha": f.commit.as_deref().unwrap_or("0000000")}});
    // Lines are lines of `file`; a finding in a message says its line in the description.
    if let Some(p) = &f.path {
        location["file"] = json!(p.to_string_lossy());
        if let Some(line) = f.line.filter(|&l| l >= 1) {
            location["start_line"] = json!(line);
            location["end_line"] = json!(line);
        }
    }
    json!({
        "id": uuid_from(fingerprint),
        "name": f.message.chars().take(255).collect::<String>(),
        "description": description,
        "severity": match f.severity {
            Severity::Error => "Critical",
            Severity::Warn => "Medium",
            Severity::Info => "Info",
        },
        "identifiers": [{
            "type": "git_hygiene_rule_id",
            "name": format!("git-hygiene rule {}", f.rule),
            "value": f.rule,
        }],
        "location": location,
    })
}

/// A deterministic UUID (RFC 9562 version 8, "custom") from two salted FNV-1a hashes.
fn uuid_from(fingerprint: &str) -> String {
    let half = |salt: &[u8]| {
        let mut h = Fnv64::new();
        h.write(salt);
        h.write(fingerprint.as_bytes());
        h.finish()
    };
    let mut v = (u128::from(half(b"git-hygiene/uuid/hi\0")) << 64)
        | u128::from(half(b"git-hygiene/uuid/lo\0"));
    v = (v & !(0xf << 76)) | (0x8 << 76); // version 8
    v = (v & !(0x3 << 62)) | (0x2 << 62); // RFC variant
    let h = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC for seconds since the Unix epoch.
pub fn utc_timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // d is in [1, 31] and m in [1, 12], so the casts cannot truncate.
    (y, m as u32, d as u32)
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
            summary: Summary {
                elapsed_ms: 2_500,
                ..Summary::default()
            },
            rules: Vec::new(),
        }
    }

    fn is_uuid(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
            && parts
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
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
                .snippet(SNIPPET)
                .key(b"k"),
            Finding::named(
                "secrets",
                "entropy",
                Category::Security,
                Severity::Warn,
                "high-entropy string in commit message",
            )
            .key(b"m"),
            Finding::named(
                "hygiene",
                "trailing-whitespace",
                Category::Correctness,
                Severity::Warn,
                "trailing whitespace",
            )
            .at(&p, Some(1), None),
        ];
        let out = render_at(&run(&fs), 1_700_000_000);
        assert!(out.ends_with('\n'));
        assert!(!out.contains(SNIPPET));
        assert!(!out.contains("raw_source_code_extract"));
        let v: Value = serde_json::from_str(&out).expect("valid json");
        assert_eq!(v["version"], "15.2.1");
        let scan = &v["scan"];
        assert_eq!(scan["type"], "secret_detection");
        assert_eq!(scan["status"], "success");
        assert_eq!(scan["analyzer"]["id"], "git-hygiene");
        assert_eq!(scan["scanner"]["version"], TOOL_VERSION);
        assert_eq!(scan["scanner"]["vendor"]["name"], "git-hygiene");
        assert_eq!(scan["end_time"], "2023-11-14T22:13:20");
        assert_eq!(scan["start_time"], "2023-11-14T22:13:18");
        assert_eq!(scan["messages"], json!([]));

        let vs = v["vulnerabilities"].as_array().expect("vulnerabilities");
        assert_eq!(vs.len(), 3);
        let a = &vs[0];
        assert!(a["id"].as_str().is_some_and(is_uuid));
        assert_eq!(a["name"], "GitHub token");
        assert_eq!(a["description"], "GitHub token\n\nrotate it");
        assert_eq!(a["severity"], "Critical");
        assert_eq!(
            a["identifiers"],
            json!([{"type": "git_hygiene_rule_id", "name": "git-hygiene rule github-pat", "value": "github-pat"}])
        );
        assert_eq!(
            a["location"],
            json!({"file": "src/a b.py", "start_line": 3, "end_line": 3, "commit": {"sha": "0000000"}})
        );
        assert_eq!(
            vs[1]["location"]["commit"]["sha"],
            "0123456789abcdef0123456789abcdef01234567"
        );
        assert_ne!(vs[0]["id"], vs[1]["id"]);
        assert_eq!(vs[2]["severity"], "Medium");
        assert_eq!(vs[2]["location"], json!({"commit": {"sha": "0000000"}}));

        // Ids are stable between runs.
        let again: Value =
            serde_json::from_str(&render_at(&run(&fs), 1_800_000_000)).expect("valid json");
        assert_eq!(again["vulnerabilities"][0]["id"], a["id"]);
    }

    #[test]
    fn no_secrets_is_an_empty_list() {
        let v: Value = serde_json::from_str(&render(&run(&[]))).expect("valid json");
        assert_eq!(v["vulnerabilities"], json!([]));
        let t = v["scan"]["end_time"].as_str().unwrap_or("");
        assert_eq!(t.len(), 19);
        assert_eq!(&t[10..11], "T");
    }

    #[test]
    fn uuid_shape() {
        let u = uuid_from("0123456789abcdef");
        assert!(is_uuid(&u));
        assert_eq!(&u[14..15], "8");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid_from("0123456789abcdee"));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(utc_timestamp(951_868_799), "2000-02-29T23:59:59");
        assert_eq!(utc_timestamp(4_107_542_400), "2100-03-01T00:00:00");
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
