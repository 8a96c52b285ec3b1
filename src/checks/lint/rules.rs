//! The rules of the `lint` check, as `git hygiene explain` prints them.

use super::ID;
use crate::rule::{Category, Example, Rule};

pub const FAILED: Rule = Rule {
    check: ID,
    id: "failed",
    category: Category::Correctness,
    summary: "a linter reported problems (non-zero exit)",
    explanation: r#"Runs each [[lint]] entry on the staged files that match its globs and reports it when the command exits non-zero; its output is printed above the findings.

Why: formatting and lint problems are cheapest to fix before they are committed."#,
    examples: &[Example {
        bad: r#"[[lint]]
preset = "black""#,
        good: None,
    }],
    advice: r#"Fix: fix what it reports and `git add` the files, or let the formatter do it: `git hygiene check --fix` (or `fix = true` in [lint_options]) runs the entry's `fix` command and re-stages the files it changed."#,
};

pub const TIMEOUT: Rule = Rule {
    check: ID,
    id: "timeout",
    category: Category::Correctness,
    summary: "a linter ran longer than its timeout",
    explanation: r#"Reports a linter still running after `timeout` (per entry, or [lint_options] timeout). It is stopped with its whole process group and your unstaged work is restored."#,
    examples: &[],
    advice: r#"Fix: raise `timeout`, or narrow `glob` so it gets fewer files."#,
};

pub const CRASHED: Rule = Rule {
    check: ID,
    id: "crashed",
    category: Category::Correctness,
    summary: "a linter was killed by a signal",
    explanation: r#"Reports a linter that died from a signal (a crash, an out-of-memory kill, `kill -9`). Your unstaged work is restored as after any failure."#,
    examples: &[],
    advice: r#"Fix: run the command by hand to see why."#,
};

pub const MISSING_TOOL: Rule = Rule {
    check: ID,
    id: "missing-tool",
    category: Category::Note,
    summary: "an optional linter's program is not installed",
    explanation: r#"An entry with `optional = true` whose program is not on PATH is skipped with this warning. Without `optional`, a missing program stops the run with exit code 2 and says how to install it, except in `git hygiene ci`: there it is this rule as a warning, and every other check still runs and every report is written."#,
    examples: &[],
    advice: r#"Fix: install the tool, or remove the entry."#,
};

pub const FIX_CONFLICT: Rule = Rule {
    check: ID,
    id: "fix-conflict",
    category: Category::Correctness,
    summary: "a fixer changed a file that also has unstaged changes",
    explanation: r#"In fix mode, a formatter changed the staged version of a file that has further, unstaged changes. Staging the formatted version would mix it with your unstaged work, so the commit is stopped: your work-tree version is put back untouched and the formatted staged version is kept under .git/hygiene/kept/."#,
    examples: &[],
    advice: r#"Fix: stage the whole file (`git add FILE`) and commit again so the formatter sees all of it, or format by hand."#,
};

pub const MODIFIED: Rule = Rule {
    check: ID,
    id: "modified",
    category: Category::Correctness,
    summary: "a check command changed a file it was only meant to check",
    explanation: r#"Without fix mode the `run` command should only check; when it rewrote a file anyway, the change is reported (the commit would not contain it). For a file with unstaged changes, the rewritten version is kept under .git/hygiene/kept/ and your version is put back."#,
    examples: &[],
    advice: r#"Fix: use a checking command for `run` (e.g. `black --check`) and put the rewriting one in `fix`."#,
};

pub const FIXED: Rule = Rule {
    check: ID,
    id: "fixed",
    category: Category::Note,
    summary: "a fixer changed a file in the work tree (check --all-files --fix)",
    explanation: r#"`git hygiene check --all-files --fix` (or `--files … --fix`) runs the fix commands on the files as they are in the work tree. Each file a fixer changed is listed with this warning: the change is in the work tree only, never staged, so `git diff` shows it and `git add` takes it. A file that had unstaged changes before the fix also has its earlier version kept under .git/hygiene/kept/<run>/, byte for byte, since `git diff` alone could not tell your edits from the fixer's."#,
    examples: &[],
    advice: r#"Review the fixes with `git diff`, then `git add` them; `git checkout -- FILE` undoes a fix of a file that had no unstaged changes, and the kept copy restores one that had."#,
};

/// Every rule of this check, in the order `git hygiene rules` lists them.
pub const RULES: &[&Rule] = &[
    &FAILED,
    &TIMEOUT,
    &CRASHED,
    &MISSING_TOOL,
    &FIX_CONFLICT,
    &MODIFIED,
    &FIXED,
];
