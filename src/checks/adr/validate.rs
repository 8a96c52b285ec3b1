//! Is the set of ADRs well formed? Numbers unique and without gaps, names `NNNN-kebab-title.md`,
//! a title, a status from the allowed set, the template's sections, and supersede links that
//! point to existing ADRs and are mirrored on the other side.

use std::collections::{BTreeMap, HashSet};

use super::parse::{Adr, Template};
use super::rules::{ADR_LINK, ADR_NAME, ADR_NUMBER, ADR_SECTIONS, ADR_STATUS, ADR_TITLE};
use super::AdrConfig;
use crate::rule::Rule;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: Option<u32>,
    pub rule: &'static Rule,
    pub message: String,
    pub help: String,
    /// Stable identity for the fingerprint.
    pub key: String,
}

fn problem(
    adr: &Adr,
    line: Option<u32>,
    rule: &'static Rule,
    message: String,
    help: impl Into<String>,
) -> Problem {
    Problem {
        key: message.clone(),
        path: adr.path.clone(),
        line,
        rule,
        message,
        help: help.into(),
    }
}

/// The sections a template needs, lower-cased, unless the config lists its own.
pub fn required_sections(cfg: &AdrConfig, t: Template) -> Vec<String> {
    if let Some(s) = &cfg.required_sections {
        return s.iter().map(|x| x.to_lowercase()).collect();
    }
    match t {
        Template::Nygard => vec![
            "status".into(),
            "context".into(),
            "decision".into(),
            "consequences".into(),
        ],
        Template::Madr => vec![
            "context and problem statement".into(),
            "decision outcome".into(),
        ],
    }
}

/// Problems of the ADR set. Per-file problems only for `changed` paths (whole-set problems —
/// duplicate numbers, gaps — are reported on a changed file when the set changed at all).
pub fn validate(adrs: &[Adr], changed: &HashSet<String>, cfg: &AdrConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    let allowed: Vec<String> = cfg.statuses.iter().map(|s| s.to_lowercase()).collect();
    let by_number: BTreeMap<u32, Vec<&Adr>> = adrs.iter().fold(BTreeMap::new(), |mut m, a| {
        m.entry(a.number).or_insert_with(Vec::new).push(a);
        m
    });
    for (n, list) in &by_number {
        if list.len() > 1 {
            for a in list.iter().filter(|a| changed.contains(&a.path)) {
                let others: Vec<&str> = list
                    .iter()
                    .filter(|o| o.path != a.path)
                    .map(|o| o.path.as_str())
                    .collect();
                out.push(problem(a, None, &ADR_NUMBER, format!("ADR number {n:04} is also used by {}", others.join(", ")), "two branches took the same number: renumber this one (`git mv`) to the next free number and update links to it"));
            }
        }
    }
    // Gaps: numbers missing between the lowest and highest.
    if let (Some(first), Some(last)) = (by_number.keys().next(), by_number.keys().last()) {
        let missing: Vec<u32> = (first.max(&1).to_owned()..*last)
            .filter(|n| !by_number.contains_key(n))
            .collect();
        let at = adrs
            .iter()
            .filter(|a| changed.contains(&a.path))
            .max_by_key(|a| a.number);
        if let (false, Some(a)) = (missing.is_empty(), at) {
            let shown: Vec<String> = missing.iter().take(10).map(|n| format!("{n:04}")).collect();
            out.push(problem(a, None, &ADR_NUMBER, format!("ADR numbers skip {}", shown.join(", ")), "number ADRs consecutively (a rejected decision keeps its number with status Rejected instead of being deleted)"));
        }
    }
    let exists: HashSet<u32> = by_number.keys().copied().collect();
    for a in adrs {
        if !changed.contains(&a.path) {
            // Still check links *to* changed ADRs from unchanged ones (mirroring), below.
            continue;
        }
        if !a.well_named {
            out.push(problem(a, None, &ADR_NAME, "ADR file name is not `NNNN-kebab-title.md`".into(), "rename it: four digits, a dash, the title in lower case with dashes (adr-tools style)"));
        }
        if a.title.is_none() {
            out.push(problem(
                a,
                Some(1),
                &ADR_TITLE,
                "ADR has no `# Title` heading".into(),
                "start the file with `# <number>. <Title>` (Nygard) or `# <Title>` (MADR)",
            ));
        }
        match a.status_word() {
            None => out.push(problem(
                a,
                None,
                &ADR_STATUS,
                "ADR has no status".into(),
                format!(
                    "add a status ({}) under `## Status`, or `status:` in the front matter",
                    cfg.statuses.join(", ")
                ),
            )),
            Some(w) if !allowed.contains(&w) => out.push(problem(
                a,
                None,
                &ADR_STATUS,
                format!(
                    "ADR status `{}` is not one of {}",
                    a.status.as_deref().unwrap_or(""),
                    cfg.statuses.join(", ")
                ),
                "use one of the allowed statuses, or extend [adr] statuses",
            )),
            Some(w) if w == "superseded" && a.superseded_by.is_empty() => out.push(problem(
                a,
                None,
                &ADR_LINK,
                "ADR is Superseded but does not say by which ADR".into(),
                "write `Superseded by ADR-NNNN` (the successor's number)",
            )),
            _ => {}
        }
        let has_front_status = a.template == Template::Madr;
        for s in required_sections(cfg, a.template) {
            if s == "status"
                && (has_front_status
                    || a.status.is_some() && !a.sections.iter().any(|x| x == "status"))
            {
                continue;
            }
            if !a
                .sections
                .iter()
                .any(|x| x == &s || x.starts_with(&format!("{s} ")))
            {
                out.push(problem(
                    a,
                    None,
                    &ADR_SECTIONS,
                    format!("ADR has no `## {}` section", title_case(&s)),
                    "the template's sections make decisions comparable; add it (it may be short)",
                ));
            }
        }
    }
    // Links: to existing ADRs, and mirrored.
    let find = |n: u32| adrs.iter().find(|a| a.number == n);
    for a in adrs {
        for (list, back, word, back_word) in [
            (
                &a.superseded_by,
                "supersedes",
                "Superseded by",
                "Supersedes",
            ),
            (
                &a.supersedes,
                "superseded_by",
                "Supersedes",
                "Superseded by",
            ),
        ] {
            for &n in list {
                let other = find(n);
                let involved =
                    changed.contains(&a.path) || other.is_some_and(|o| changed.contains(&o.path));
                if !involved {
                    continue;
                }
                match other {
                    None if changed.contains(&a.path) => out.push(problem(
                        a,
                        a.link_line,
                        &ADR_LINK,
                        format!("`{word} ADR-{n:04}`, but there is no ADR {n:04}"),
                        "fix the number, or add that ADR",
                    )),
                    None => {}
                    Some(o) => {
                        let mirrored = if back == "supersedes" {
                            o.supersedes.contains(&a.number)
                        } else {
                            o.superseded_by.contains(&a.number)
                        };
                        if !mirrored && exists.contains(&n) {
                            out.push(problem(o, o.link_line, &ADR_LINK, format!("{} says `{word} ADR-{n:04}`, but this ADR does not say `{back_word} ADR-{:04}`", a.label(), a.number), format!("add `{back_word} ADR-{:04}` here (and, when superseded, set the status to `Superseded by …`)", a.number)));
                        }
                    }
                }
            }
        }
    }
    out.sort_by(|x, y| (&x.path, x.rule.id, &x.message).cmp(&(&y.path, y.rule.id, &y.message)));
    out.dedup();
    out
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    const NYGARD: &str =
        "# {n}. T\n\n## Status\n\n{status}\n\n## Context\n\n## Decision\n\n## Consequences\n";

    fn adr(n: u32, status: &str) -> Adr {
        let src = NYGARD
            .replace("{n}", &n.to_string())
            .replace("{status}", status);
        parse(&format!("docs/adr/{n:04}-t.md"), &src).unwrap()
    }

    fn rules(adrs: &[Adr]) -> Vec<(String, &'static str)> {
        let changed: HashSet<String> = adrs.iter().map(|a| a.path.clone()).collect();
        validate(adrs, &changed, &AdrConfig::default())
            .into_iter()
            .map(|p| (p.path, p.rule.id))
            .collect()
    }

    #[test]
    fn valid_set() {
        let set = [
            adr(1, "Accepted"),
            adr(2, "Superseded by ADR-0003"),
            adr(3, "Accepted\n\nSupersedes ADR-0002"),
        ];
        assert_eq!(rules(&set), []);
    }

    #[test]
    fn problems() {
        let set = [adr(1, "Accepted"), adr(3, "Maybe")];
        let r = rules(&set);
        assert!(
            r.contains(&("docs/adr/0003-t.md".into(), "adr-number")),
            "{r:?}"
        );
        assert!(
            r.contains(&("docs/adr/0003-t.md".into(), "adr-status")),
            "{r:?}"
        );
        let set = [adr(1, "Superseded by ADR-0002"), adr(2, "Accepted")];
        assert_eq!(
            rules(&set),
            [("docs/adr/0002-t.md".to_string(), "adr-link")]
        );
        let set = [adr(1, "Superseded by ADR-0009")];
        assert_eq!(
            rules(&set),
            [("docs/adr/0001-t.md".to_string(), "adr-link")]
        );
        let mut dup = adr(1, "Accepted");
        dup.path = "docs/adr/0001-other.md".into();
        assert_eq!(rules(&[adr(1, "Accepted"), dup]).len(), 2);
        let bare = parse("docs/adr/0001-t.md", "no title\n").unwrap();
        let r: Vec<&str> = rules(&[bare]).into_iter().map(|x| x.1).collect();
        assert!(
            r.contains(&"adr-title") && r.contains(&"adr-status") && r.contains(&"adr-sections")
        );
    }
}
