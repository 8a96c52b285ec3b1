//! pre-push's stdin: the ref lines git writes, one per ref it is about to update. What each
//! update publishes is worked out in `moments::push`.

use crate::error::{Error, Result};

/// One parsed stdin line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefLine {
    pub local_ref: String,
    pub local_oid: String,
    pub remote_ref: String,
    pub remote_oid: String,
}

/// All zeros, whatever the hash length (40 for SHA-1, 64 for SHA-256).
pub fn is_zero(oid: &str) -> bool {
    !oid.is_empty() && oid.bytes().all(|b| b == b'0')
}

/// The remote as a help names it (`git push -u REMOTE …`): pre-push's first argument, the
/// remote's name or, pushing to a URL, that URL without any `user:password@`.
pub fn remote_for_help(remote: Option<&str>) -> String {
    let Some(r) = remote.filter(|r| !r.is_empty()) else {
        return "<remote>".to_owned();
    };
    let Some(scheme_end) = r.find("://").map(|i| i + 3) else {
        return r.to_owned();
    };
    let rest = &r[scheme_end..];
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{}{}", &r[..scheme_end], &rest[at + 1..]),
        None => r.to_owned(),
    }
}

pub fn parse(stdin: &str) -> Result<Vec<RefLine>> {
    let mut out = Vec::new();
    for (i, line) in stdin.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        let ok_oid =
            |s: &str| (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
        if parts.len() != 4 || !ok_oid(parts[1]) || !ok_oid(parts[3]) {
            return Err(Error::Usage(format!(
                "pre-push: stdin line {} is malformed: expected `<local ref> <local oid> <remote ref> <remote oid>`, got `{}`",
                i + 1,
                line.chars().take(200).collect::<String>()
            )));
        }
        out.push(RefLine {
            local_ref: parts[0].into(),
            local_oid: parts[1].into(),
            remote_ref: parts[2].into(),
            remote_oid: parts[3].into(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_as_help_names_them() {
        assert_eq!(remote_for_help(Some("upstream")), "upstream");
        assert_eq!(remote_for_help(None), "<remote>");
        assert_eq!(
            remote_for_help(Some("https://ci:glpat-secret@gitlab.example.com/g/p.git")),
            "https://gitlab.example.com/g/p.git"
        );
        assert_eq!(
            remote_for_help(Some("git@gitlab.example.com:g/p.git")),
            "git@gitlab.example.com:g/p.git"
        );
        assert_eq!(remote_for_help(Some("/srv/git/p.git")), "/srv/git/p.git");
    }

    #[test]
    fn parses_lines_and_rejects_garbage() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let l = parse(&format!(
            "refs/heads/x {a} refs/heads/x {z}\n(delete) {z} refs/heads/y {a}\n"
        ))
        .unwrap();
        assert_eq!(l.len(), 2);
        assert!(is_zero(&l[1].local_oid));
        assert!(is_zero(&"0".repeat(64)));
        let e = parse("refs/heads/x abc refs/heads/x\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1"), "{e}");
    }
}
