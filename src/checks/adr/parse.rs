//! Reading one ADR: its number and slug from the file name (`0007-use-postgres.md`), its title,
//! its status (Nygard `## Status` section, MADR front matter `status:`, or a `* Status:` bullet),
//! its `##` sections and its `Superseded by` / `Supersedes` links (adr-tools spells them
//! "Superceded"/"Supercedes"; both are read).

use super::links;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    Nygard,
    Madr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adr {
    pub path: String,
    pub number: u32,
    /// The file name is `NNNN-kebab-title.md`.
    pub well_named: bool,
    pub title: Option<String>,
    /// The status as written (first line of the status).
    pub status: Option<String>,
    pub template: Template,
    /// `##` headings, lower-cased.
    pub sections: Vec<String>,
    pub superseded_by: Vec<u32>,
    pub supersedes: Vec<u32>,
    /// Lines of those links, for locating findings.
    pub link_line: Option<u32>,
}

impl Adr {
    /// The status's first word, lower-cased, with adr-tools' "superceded" read as "superseded".
    pub fn status_word(&self) -> Option<String> {
        self.status.as_deref().map(status_word)
    }
    /// `ADR-0007 (Use Postgres)`.
    pub fn label(&self) -> String {
        match &self.title {
            Some(t) => format!("ADR-{:04} ({t})", self.number),
            None => format!("ADR-{:04}", self.number),
        }
    }
}

/// A status's first word, lower-cased, with adr-tools' "superceded" read as "superseded": what
/// `[adr] statuses` is compared with.
pub fn status_word(status: &str) -> String {
    let w: String = status
        .trim_start_matches(['*', '_', '"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    if w == "superceded" {
        "superseded".into()
    } else {
        w
    }
}

/// `0007-use-postgres.md` → (7, well named). `None` for files that are not ADRs (README.md).
pub fn number_of(file_name: &str) -> Option<(u32, bool)> {
    let stem = file_name.strip_suffix(".md")?;
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    let n = digits.parse().ok()?;
    let rest = &stem[digits.len()..];
    let well = digits.len() == 4
        && rest.strip_prefix('-').is_some_and(|slug| {
            !slug.is_empty()
                && slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    Some((n, well))
}

pub fn parse(path: &str, src: &str) -> Option<Adr> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (number, well_named) = number_of(name)?;
    let mut adr = Adr {
        path: path.to_owned(),
        number,
        well_named,
        title: None,
        status: None,
        template: Template::Nygard,
        sections: Vec::new(),
        superseded_by: Vec::new(),
        supersedes: Vec::new(),
        link_line: None,
    };
    let lines: Vec<&str> = src.lines().collect();
    let mut i = 0;
    // YAML front matter (MADR 3+).
    if lines.first().map(|l| l.trim_end()) == Some("---") {
        adr.template = Template::Madr;
        i = 1;
        while i < lines.len() && lines[i].trim_end() != "---" {
            if let Some(v) = lines[i].strip_prefix("status:") {
                adr.status = Some(v.trim().trim_matches(['"', '\'']).to_owned());
            }
            i += 1;
        }
        i += 1;
    }
    let mut in_fence = false;
    let mut section: Option<String> = None;
    for (n, l) in lines.iter().enumerate().skip(i) {
        let line_no = n as u32 + 1;
        let t = l.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(h) = t.strip_prefix("# ") {
            if adr.title.is_none() {
                // adr-tools: `# 7. Use Postgres`.
                let h = h.trim();
                let h = h
                    .split_once(". ")
                    .filter(|(num, _)| num.chars().all(|c| c.is_ascii_digit()))
                    .map_or(h, |(_, rest)| rest);
                adr.title = Some(h.to_owned());
            }
            section = None;
            continue;
        }
        if let Some(h) = t.strip_prefix("## ") {
            let h = h.trim().to_lowercase();
            if h.contains("context and problem statement")
                || h.starts_with("decision outcome")
                || h == "considered options"
            {
                adr.template = Template::Madr;
            }
            adr.sections.push(h.clone());
            section = Some(h);
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        // `* Status: accepted` (MADR 2, log4brains) before or outside the sections.
        let bullet = t.trim_start_matches(['*', '-', ' ']);
        if adr.status.is_none() {
            if let Some(v) = crate::text::strip_prefix_ignore_case(bullet, "status:") {
                adr.status = Some(v.trim().to_owned());
            }
        }
        if section.as_deref() == Some("status") && adr.status.is_none() && !t.is_empty() {
            adr.status = Some(t.to_owned());
        }
        let lower = t.to_lowercase();
        let by = lower.contains("superseded by") || lower.contains("superceded by");
        let sup = !by && (lower.contains("supersedes") || lower.contains("supercedes"));
        if by || sup {
            let refs = links::refs(t, true);
            if !refs.is_empty() {
                adr.link_line.get_or_insert(line_no);
            }
            let list = if by {
                &mut adr.superseded_by
            } else {
                &mut adr.supersedes
            };
            for r in refs {
                if r != adr.number && !list.contains(&r) {
                    list.push(r);
                }
            }
        }
    }
    // MADR's front-matter `status: superseded by ADR-0012`.
    if let Some(s) = adr.status.clone() {
        let lower = s.to_lowercase();
        if lower.contains("superseded by") || lower.contains("superceded by") {
            for r in links::refs(&s, true) {
                if r != adr.number && !adr.superseded_by.contains(&r) {
                    adr.superseded_by.push(r);
                }
            }
        }
    }
    Some(adr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(number_of("0007-use-postgres.md"), Some((7, true)));
        assert_eq!(number_of("7-Use_Postgres.md"), Some((7, false)));
        assert_eq!(number_of("README.md"), None);
        assert_eq!(number_of("0007-x.txt"), None);
    }

    #[test]
    fn nygard_adr_tools() {
        let src = "# 2. Use MySQL\n\nDate: 2024-01-01\n\n## Status\n\nSuperceded by [3. Use Postgres](0003-use-postgres.md)\n\n## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n";
        let a = parse("docs/adr/0002-use-mysql.md", src).unwrap();
        assert_eq!(a.number, 2);
        assert_eq!(a.title.as_deref(), Some("Use MySQL"));
        assert_eq!(a.status_word().as_deref(), Some("superseded"));
        assert_eq!(a.superseded_by, [3]);
        assert_eq!(
            a.sections,
            ["status", "context", "decision", "consequences"]
        );
        assert_eq!(a.template, Template::Nygard);
    }

    #[test]
    fn madr_front_matter() {
        let src = "---\nstatus: \"superseded by ADR-0012\"\ndate: 2024-09-17\n---\n# Use Kafka\n\n## Context and Problem Statement\n\n```\n# not a title\n## not a section\n```\n## Decision Outcome\n";
        let a = parse("docs/decisions/0004-use-kafka.md", src).unwrap();
        assert_eq!(a.template, Template::Madr);
        assert_eq!(a.title.as_deref(), Some("Use Kafka"));
        assert_eq!(a.status_word().as_deref(), Some("superseded"));
        assert_eq!(a.superseded_by, [12]);
        assert_eq!(
            a.sections,
            ["context and problem statement", "decision outcome"]
        );
    }

    #[test]
    fn bullet_status_and_supersedes() {
        let src = "# Use Postgres\n\n* Status: accepted\n\nSupersedes ADR-0002\n";
        let a = parse("adr/0003-use-postgres.md", src).unwrap();
        assert_eq!(a.status_word().as_deref(), Some("accepted"));
        assert_eq!(a.supersedes, [2]);
    }
}
