//! What the analysis of one migration reports: a statement, the rule it breaks, and what the
//! database does with it.

use super::rules::DESTRUCTIVE;
use crate::rule::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Loses data or breaks running code: needs `hygiene: destructive-approved`.
    Destructive,
    /// Postgres takes a long lock: reported as a warning.
    Locking,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: Kind,
    pub rule: &'static Rule,
    /// The line of the statement, or of the ALTER TABLE action.
    pub line: u32,
    /// What was found, e.g. `DROP COLUMN`, `op.drop_table`.
    pub what: String,
    /// What the database does when it runs it (lock, rewrite, scan, refusal); may be empty.
    pub does: String,
    /// What to write instead; may be empty.
    pub advice: String,
}

impl Hit {
    pub(super) fn destructive(line: u32, what: String) -> Hit {
        Hit {
            kind: Kind::Destructive,
            rule: &DESTRUCTIVE,
            line,
            what,
            does: String::new(),
            advice: String::new(),
        }
    }
}
