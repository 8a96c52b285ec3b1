//! A rule is typed data: which check reports it, its id, what kind of problem it is, what it
//! reports and why, and examples. Every finding is made from a rule (`Finding::new(&RULE, …)`),
//! and `git hygiene rules`, `explain` and SARIF print the same rule, so a finding cannot name a
//! rule that has no documentation.

use std::fmt::Write;

/// What kind of problem a rule reports. Reports ask this, not the check's name: a security
/// finding is `critical` in Code Quality, tagged in SARIF and listed in GitLab's secret report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// A credential that leaks with the history, or content a leak could hide in.
    Security,
    /// The change is likely broken: a half-resolved merge, migrations that diverge, a failed linter.
    Correctness,
    /// The team's agreed shape of names and messages.
    Convention,
    /// How work reaches shared branches: protection, review, recorded decisions.
    Process,
    /// What a run could not judge (a file it could not read, a tool that is missing).
    Note,
}

/// An input the rule reports, and the same input fixed where that helps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    pub bad: &'static str,
    pub good: Option<&'static str>,
}

/// One rule, as `const` data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The check that reports it (`hygiene`).
    pub check: &'static str,
    /// Its id inside the check (`conflict-marker`).
    pub id: &'static str,
    pub category: Category,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// What it reports and why it matters; plain text, paragraphs split by a blank line.
    pub explanation: &'static str,
    pub examples: &'static [Example],
    /// What to do about it (fix, allow, configure), shown after the examples; may be empty.
    pub advice: &'static str,
}

impl Rule {
    /// The text `explain` prints under the summary: explanation, examples, advice.
    pub fn text(&self) -> String {
        let mut out = self.explanation.to_owned();
        for e in self.examples {
            out.push_str("\n\n");
            write_example(&mut out, e);
        }
        if !self.advice.is_empty() {
            out.push_str("\n\n");
            out.push_str(self.advice);
        }
        out
    }
}

/// A one-line example in a sentence; a longer one as an indented block.
fn write_example(out: &mut String, e: &Example) {
    let one_line = |s: &str| !s.contains('\n');
    match e.good {
        Some(good) if one_line(e.bad) && one_line(good) => {
            let _ = write!(out, "Example: `{}` is reported; `{good}` passes.", e.bad);
        }
        None if one_line(e.bad) => {
            let _ = write!(out, "Example: `{}` is reported.", e.bad);
        }
        good => {
            out.push_str("Example:");
            indented(out, e.bad);
            if let Some(good) = good {
                out.push_str("\nUse instead:");
                indented(out, good);
            }
        }
    }
}

/// `text` on lines of their own, indented by four spaces (blank lines stay empty).
fn indented(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push('\n');
        if !line.is_empty() {
            out.push_str("    ");
            out.push_str(line);
        }
    }
}

/// A rule as `rules`, `explain` and SARIF show it: a [`Rule`], or one made from data (the
/// secret providers of `patterns/secrets.toml`).
#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub id: String,
    pub category: Category,
    /// One line: what the rule reports.
    pub summary: String,
    /// What it reports, why it matters, examples and what to do; plain text with blank-line
    /// paragraphs.
    pub explanation: String,
}

impl From<&Rule> for RuleDoc {
    fn from(r: &Rule) -> Self {
        RuleDoc {
            id: r.id.to_owned(),
            category: r.category,
            summary: r.summary.to_owned(),
            explanation: r.text(),
        }
    }
}

/// The docs of `rules`, in order.
pub fn docs(rules: &[&Rule]) -> Vec<RuleDoc> {
    rules.iter().map(|r| RuleDoc::from(*r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: Rule = Rule {
        check: "c",
        id: "r",
        category: Category::Note,
        summary: "s",
        explanation: "What.\n\nWhy: because.",
        examples: &[
            Example {
                bad: "Fixed it",
                good: Some("fix: it"),
            },
            Example {
                bad: "a\n\nb",
                good: None,
            },
        ],
        advice: "Fix: do.",
    };

    #[test]
    fn examples_sit_between_explanation_and_advice() {
        let expected = r#"What.

Why: because.

Example: `Fixed it` is reported; `fix: it` passes.

Example:
    a

    b

Fix: do."#;
        assert_eq!(R.text(), expected);
    }
}
