//! Runs the sections' own validation once the file has parsed, and locates what they report
//! (file, line, column) so a value that parses but cannot work is an error, never a silently
//! idle check.

use std::path::Path;

use super::line_col;
use super::section::{Problem, Section};
use crate::error::{Error, Result};

fn located(text: &str, path: &Path, (offset, message): Problem) -> Error {
    let (line, column) = line_col(text, offset);
    Error::Config {
        file: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// Checks that need only the file.
pub fn values(cfg: &impl Section, text: &str, path: &Path) -> Result<()> {
    cfg.validate(text).map_err(|p| located(text, path, p))
}

/// Checks against the work tree the config applies to.
pub fn work_tree(cfg: &impl Section, text: &str, path: &Path, root: &Path) -> Result<()> {
    cfg.validate_work_tree(root)
        .map_err(|p| located(text, path, p))
}
