//! Review markers: `reviewed-by: Name <email>` in a comment near the top of a migration, or a
//! `Migration-Reviewed-By: Name <email>` trailer on a commit (or in the MR title or description).

use std::sync::OnceLock;

use regex::Regex;

use crate::changeset::MergeRequest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub name: String,
    pub email: String,
}

impl Reviewer {
    pub fn shown(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
    /// Is this reviewer on the allow-list (emails or `Name <email>` entries)? An empty list allows anyone.
    pub fn allowed(&self, list: &[String]) -> bool {
        list.is_empty()
            || list.iter().any(|e| {
                let email = e
                    .rsplit_once('<')
                    .map_or(e.as_str(), |(_, r)| r.trim_end_matches('>'));
                email.trim().eq_ignore_ascii_case(&self.email)
            })
    }
}

fn person() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\s*([^<>]*?[^<>\s][^<>]*?)\s*<([^<>\s@]+@[^<>\s]+\.[^<>\s]+)>")
            .expect("constant regex")
    })
}

fn parse_person(s: &str) -> Option<Reviewer> {
    let c = person().captures(s)?;
    Some(Reviewer {
        name: c[1].trim().to_owned(),
        email: c[2].to_ascii_lowercase(),
    })
}

/// `reviewed-by:` in the first `lines` lines, on a line that is a comment (`--`, `#`, `//`,
/// `/*`, `*`) or part of a docstring — not in code such as `x = "reviewed-by: …"`.
pub fn in_file(src: &str, lines: usize) -> Vec<Reviewer> {
    let mut out = Vec::new();
    for l in src.lines().take(lines) {
        let t = l.trim_start();
        let t = ["--", "#", "//", "/*", "*", "\"\"\"", "'''"]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .unwrap_or(t)
            .trim_start();
        let Some(rest) = crate::text::strip_prefix_ignore_case(t, "reviewed-by:") else {
            continue;
        };
        if let Some(r) = parse_person(rest) {
            out.push(r);
        }
    }
    out
}

/// `Migration-Reviewed-By:` lines of a commit message or MR description.
pub fn in_message(msg: &str) -> Vec<Reviewer> {
    msg.lines()
        .filter_map(|l| {
            crate::text::strip_prefix_ignore_case(l.trim_start(), "migration-reviewed-by:")
        })
        .filter_map(parse_person)
        .collect()
}

/// Markers the merge request carries, in its title or description: where a reviewer puts one
/// when the MR is squashed on merge and the commits' trailers go with them. GitLab's approvals
/// are not read: its predefined variables say only whether the MR is approved
/// (`CI_MERGE_REQUEST_APPROVED`), not by whom, and approving starts no new pipeline.
pub fn in_merge_request(mr: &MergeRequest) -> Vec<Reviewer> {
    let mut out = in_message(&mr.title);
    out.extend(in_message(&mr.description));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_in_comments() {
        let r = in_file(
            "-- reviewed-by: Jane Doe <jane@example.com>\nCREATE TABLE t();",
            20,
        );
        assert_eq!(
            r,
            [Reviewer {
                name: "Jane Doe".into(),
                email: "jane@example.com".into()
            }]
        );
        assert_eq!(
            in_file("\"\"\"add users\n\nReviewed-By: Jo <jo@x.io>\n\"\"\"", 20).len(),
            1
        );
        assert_eq!(in_file("# Reviewed-by: Jo <jo@x.io>", 20).len(), 1);
        assert!(in_file("x = 'reviewed-by: Jo <jo@x.io>'", 20).is_empty());
        assert!(
            in_file("-- reviewed-by: Name <email>", 20).is_empty(),
            "the template placeholder is not a review"
        );
        assert!(in_file("\n\n-- reviewed-by: Jo <jo@x.io>", 2).is_empty());
    }

    #[test]
    fn trailers_and_allow_list() {
        let r = in_message("feat: add users\n\nMigration-Reviewed-By: Jo Bloggs <JO@x.io>\n");
        assert_eq!(r.len(), 1);
        assert!(r[0].allowed(&[]));
        assert!(r[0].allowed(&["Jo <jo@x.io>".into()]));
        assert!(!r[0].allowed(&["ann@x.io".into()]));
    }

    #[test]
    fn merge_request_title_and_description() {
        let mr = |title: &str, description: &str| MergeRequest {
            title: title.into(),
            description: description.into(),
            ..MergeRequest::default()
        };
        let jo = "Migration-Reviewed-By: Jo <jo@x.io>";
        assert_eq!(in_merge_request(&mr(jo, "")).len(), 1);
        assert_eq!(
            in_merge_request(&mr("feat: x", &format!("Adds x.\n\n{jo}"))).len(),
            1
        );
        assert!(in_merge_request(&mr("feat: x", "Adds x.")).is_empty());
    }
}
