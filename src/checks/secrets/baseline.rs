//! `.hygiene-baseline`: the findings a repository had when it adopted git-hygiene. One line per
//! finding — `fingerprint rule path` — where the fingerprint hashes check, rule, path and the
//! secret (never the line number), so a baselined secret stays baselined when lines move and
//! the file never holds the secret itself.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, Result};
use crate::finding::Finding;

pub const FILE_NAME: &str = ".hygiene-baseline";

#[derive(Debug, Default)]
pub struct Baseline {
    /// (fingerprint, rule, path) in file order.
    pub entries: Vec<(String, String, String)>,
    pub fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads `<root>/.hygiene-baseline`; `None` when there is none.
    pub fn load(root: &Path) -> Result<Option<Baseline>> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let mut b = Baseline::default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ' ');
            let fp = parts.next().unwrap_or_default().to_owned();
            let rule = parts.next().unwrap_or_default().to_owned();
            let file = parts.next().unwrap_or_default().to_owned();
            b.fingerprints.insert(fp.clone());
            b.entries.push((fp, rule, file));
        }
        Ok(Some(b))
    }

    /// The file's text for these findings (sorted, one per fingerprint).
    pub fn render(findings: &[Finding]) -> String {
        let mut lines: Vec<String> = findings
            .iter()
            .map(|f| {
                let path = match (&f.path, f.field) {
                    (Some(p), _) => p.display(),
                    (None, Some(field)) => field.as_str().to_owned(),
                    (None, None) => String::new(),
                };
                format!("{} {} {}", f.fingerprint, f.rule, path)
            })
            .collect();
        lines.sort();
        lines.dedup();
        let mut out = String::from(
            "# git-hygiene baseline: findings that existed when the repository adopted git-hygiene.\n\
             # They are not reported again. Regenerate with `git hygiene baseline`; see stale entries with -v.\n\
             # fingerprint rule path\n",
        );
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
        out
    }
}
