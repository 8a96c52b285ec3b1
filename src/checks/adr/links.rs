//! References to ADRs in text: `ADR-0007`, `ADR 7`, `adr#7`, or a path or URL to
//! `<adr dir>/0007-some-title.md`. Inside an ADR any `0007-title.md` link counts too.

use std::sync::OnceLock;

use regex::Regex;

fn id_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)\bADR[-_ #]?0*(\d{1,5})\b").expect("constant regex"))
}

fn file_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)(?:^|[^\w])((?:[\w.:-]+/)*)(\d{1,5})-[\w-]*\.md\b")
            .expect("constant regex")
    })
}

/// ADR numbers referenced in `text`, in order of appearance, each once. With `in_adr`, any
/// `NNNN-title.md` file name counts (relative links between ADRs); otherwise the path must end in
/// one of `dirs` (e.g. `docs/adr/0007-x.md` or a URL to it).
pub fn refs(text: &str, in_adr: bool) -> Vec<u32> {
    refs_with_dirs(text, in_adr, &[])
}

pub fn refs_with_dirs(text: &str, in_adr: bool, dirs: &[String]) -> Vec<u32> {
    let mut found: Vec<(usize, u32)> = Vec::new();
    for c in id_re().captures_iter(text) {
        if let (Some(m), Ok(n)) = (c.get(0), c[1].parse()) {
            found.push((m.start(), n));
        }
    }
    for c in file_re().captures_iter(text) {
        let prefix = c.get(1).map_or("", |m| m.as_str()).trim_end_matches('/');
        let ok = in_adr
            || dirs
                .iter()
                .any(|d| !d.is_empty() && (prefix == d || prefix.ends_with(&format!("/{d}"))));
        if let (true, Some(m), Ok(n)) = (ok, c.get(2), c[2].parse()) {
            found.push((m.start(), n));
        }
    }
    found.sort();
    let mut out = Vec::new();
    for (_, n) in found {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(refs("feat: move to k8s (ADR-0007)", false), [7]);
        assert_eq!(refs("see ADR 7 and adr-12", false), [7, 12]);
        assert!(refs("ADRs are great; GADR-3", false).is_empty());
    }

    #[test]
    fn paths() {
        let dirs = vec!["docs/adr".to_string()];
        assert_eq!(
            refs_with_dirs("Refs: docs/adr/0007-use-k8s.md", false, &dirs),
            [7]
        );
        assert_eq!(
            refs_with_dirs(
                "https://gitlab.com/g/p/-/blob/main/docs/adr/0003-x.md",
                false,
                &dirs
            ),
            [3]
        );
        assert!(refs_with_dirs("notes/0003-x.md", false, &dirs).is_empty());
        assert_eq!(
            refs(
                "Superceded by [3. Use Postgres](0003-use-postgres.md)",
                true
            ),
            [3]
        );
    }
}
