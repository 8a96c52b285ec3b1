//! The rules of the `adr` check, as `git hygiene explain` prints them.

use super::ID;
use crate::rule::{Category, Example, Rule};

pub const LINK_MISSING: Rule = Rule {
    check: ID,
    id: "link-missing",
    category: Category::Process,
    summary: "an architecture-significant change that cites no ADR",
    explanation: r#"Reports a change to a path in [adr] paths (default: infra/**, terraform/**, helm/**, k8s/**, deploy/**, **/Dockerfile, docker-compose*.yml, .gitlab-ci.yml) when the commit message (at commit), any pushed commit (at push) or any commit of the merge request or its description (in ci) references no ADR. A reference is `ADR-0007`, `ADR 7`, or a path or URL to `docs/adr/0007-….md`. The finding lists the ADRs in force to choose from (superseded ones are left out). ADRs are read from the directory adr-tools' `.adr-dir` or log4brains' `.log4brains.yml` names, else from [adr] dirs.

Why: infrastructure changes outlive the people who made them; the decision record says why."#,
    examples: &[Example {
        bad: r#"feat(infra): move workers to spot instances

Refs: ADR-0012"#,
        good: None,
    }],
    advice: r#"Default: on when the repository has ADRs; [adr] require_link = true/false forces it."#,
};

pub const LINK_UNKNOWN: Rule = Rule {
    check: ID,
    id: "link-unknown",
    category: Category::Correctness,
    summary: "a referenced ADR that does not exist",
    explanation: r#"The change cites ADR-NNNN but there is no such file in the ADR directory (in the tree, or added by the change)."#,
    examples: &[],
    advice: "",
};

pub const LINK_STATUS: Rule = Rule {
    check: ID,
    id: "link-status",
    category: Category::Process,
    summary: "a referenced ADR that is Proposed (warning), Rejected, Deprecated or Superseded",
    explanation: r#"A Proposed ADR is a warning: the decision is not made yet. A Rejected, Deprecated or Superseded ADR is an error (unless another cited ADR is in force); for a superseded one the finding names its successor."#,
    examples: &[],
    advice: "",
};

pub const ADR_NUMBER: Rule = Rule {
    check: ID,
    id: "adr-number",
    category: Category::Convention,
    summary: "ADR numbers used twice or skipped",
    explanation: r#"ADR numbers are unique and consecutive. Two branches that each add the next ADR collide on the number: renumber the later one."#,
    examples: &[],
    advice: "",
};

pub const ADR_NAME: Rule = Rule {
    check: ID,
    id: "adr-name",
    category: Category::Convention,
    summary: "an ADR file not named NNNN-kebab-title.md",
    explanation: r#"adr-tools and MADR name ADRs with four digits, a dash and the lower-case title with dashes: `0007-use-postgres.md`."#,
    examples: &[],
    advice: "",
};

pub const ADR_TITLE: Rule = Rule {
    check: ID,
    id: "adr-title",
    category: Category::Convention,
    summary: "an ADR without a `# Title` heading",
    explanation: r#"Every ADR starts with a level-1 heading: `# 7. Use Postgres` (Nygard) or `# Use Postgres` (MADR)."#,
    examples: &[],
    advice: "",
};

pub const ADR_STATUS: Rule = Rule {
    check: ID,
    id: "adr-status",
    category: Category::Convention,
    summary: "an ADR without a status from [adr] statuses",
    explanation: r#"Nygard: the first line under `## Status`; MADR: `status:` in the front matter. Allowed by default: Proposed, Accepted, Rejected, Deprecated, Superseded (by ADR-NNNN); adr-tools' spelling "Superceded" is accepted."#,
    examples: &[],
    advice: "",
};

pub const ADR_SECTIONS: Rule = Rule {
    check: ID,
    id: "adr-sections",
    category: Category::Convention,
    summary: "an ADR without its template's sections",
    explanation: r#"Nygard: Status, Context, Decision, Consequences. MADR: Context and Problem Statement, Decision Outcome. Override with [adr] required_sections."#,
    examples: &[],
    advice: "",
};

pub const ADR_LINK: Rule = Rule {
    check: ID,
    id: "adr-link",
    category: Category::Correctness,
    summary: "a Superseded by / Supersedes link that is broken or not mirrored",
    explanation: r#"`Superseded by ADR-0005` in ADR 3 needs ADR 5 to exist and to say `Supersedes ADR-0003` (and the reverse); a Superseded ADR must name its successor."#,
    examples: &[],
    advice: "",
};

pub const ADR_DIRECTORY: Rule = Rule {
    check: ID,
    id: "directory",
    category: Category::Note,
    summary: "which directory ADRs are read from, when an ADR tool's file names it (with -v)",
    explanation: r#"adr-tools records the directory `adr init` made in `.adr-dir`, and log4brains its `adrFolder` in `.log4brains.yml`. When either file is in the repository, ADRs are read from that directory first, before [adr] dirs, and `-v` prints this note saying which one is in use."#,
    examples: &[Example {
        bad: "adr init doc/architecture/decisions   # writes .adr-dir",
        good: None,
    }],
    advice: "",
};

/// Every rule of this check, in the order `git hygiene rules` lists them.
pub const RULES: &[&Rule] = &[
    &LINK_MISSING,
    &LINK_UNKNOWN,
    &LINK_STATUS,
    &ADR_NUMBER,
    &ADR_NAME,
    &ADR_TITLE,
    &ADR_STATUS,
    &ADR_SECTIONS,
    &ADR_LINK,
    &ADR_DIRECTORY,
];
