//! The ADR directory that ADR tools record for themselves: adr-tools' `.adr-dir` (one line: the
//! directory `adr init` made) and log4brains' `.log4brains.yml` (`adrFolder:` under `project:`).
//! A repository set up with one of them keeps its ADRs where the tool put them, so that
//! directory comes first, before `[adr] dirs`.

use super::super::snapshot::Snapshot;
use crate::config::values::relative_dir;
use crate::error::Result;
use crate::path::RepoPath;

/// A directory an ADR tool's own file names, and that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub dir: String,
    pub file: &'static str,
}

/// Reads the directory out of a tool's file.
type ValueOf = fn(&str) -> Option<&str>;

/// The marker in the tree the change results in, if any (`.adr-dir` first).
pub fn find(snap: &Snapshot<'_>) -> Result<Option<Marker>> {
    const READERS: [(&str, ValueOf); 2] =
        [(".adr-dir", adr_tools), (".log4brains.yml", log4brains)];
    for (file, value_of) in READERS {
        let Some(data) = snap.read(&RepoPath::from(file))? else {
            continue;
        };
        let text = String::from_utf8_lossy(&data);
        // An absolute or escaping path is no directory of this repository: ignored, as is the root.
        if let Some(Ok(Some(dir))) = value_of(&text).map(relative_dir) {
            return Ok(Some(Marker { dir, file }));
        }
    }
    Ok(None)
}

/// `.adr-dir`: the first non-empty line.
fn adr_tools(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|l| !l.is_empty())
}

/// `.log4brains.yml`: the value of `adrFolder:` (quotes removed). A line scan is enough for the
/// one key log4brains writes there.
fn log4brains(text: &str) -> Option<&str> {
    text.lines().find_map(|l| {
        let value = l.trim_start().strip_prefix("adrFolder:")?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        Some(value.trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The directories ADRs are looked for in: the marker's first, then `[adr] dirs`.
pub fn dirs(marker: Option<&Marker>, configured: &[String]) -> Vec<String> {
    let first = marker.map(|m| m.dir.as_str());
    first
        .into_iter()
        .chain(
            configured
                .iter()
                .map(String::as_str)
                .filter(|d| Some(*d) != first),
        )
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_each_tool() {
        assert_eq!(
            adr_tools("\n doc/architecture/decisions \n"),
            Some("doc/architecture/decisions")
        );
        assert_eq!(
            log4brains("---\nproject:\n  name: x\n  adrFolder: \"./docs/adr\" # here\n"),
            Some("./docs/adr")
        );
        assert_eq!(log4brains("project:\n  name: x\n"), None);
        let m = Marker {
            dir: "doc/arch".into(),
            file: ".adr-dir",
        };
        assert_eq!(
            dirs(Some(&m), &["docs/adr".into(), "doc/arch".into()]),
            ["doc/arch", "docs/adr"]
        );
    }
}
