//! What a config section promises the file that assembles them: its own validation, and for
//! a check's main section, enabled/severity and its part of the starter file. The traits name
//! no check, so each check implements them next to its own config type.

use std::path::Path;

use super::layers::Nesting;
use super::values::SeverityConfig;

/// A problem serde cannot see, at a byte offset into the config text.
pub type Problem = (usize, String);

/// A table (or array of tables) of `.hygiene.toml`.
pub trait Section {
    /// What a nested `.hygiene.toml` may set here; by default nothing (the section applies to
    /// the whole repository).
    const NESTING: Nesting = Nesting::Keys(&[]);
    /// Values that parse but cannot work (`text` is the whole file, for spans the parsed
    /// values no longer carry).
    fn validate(&self, _text: &str) -> Result<(), Problem> {
        Ok(())
    }
    /// Values that must fit the work tree the config applies to.
    fn validate_work_tree(&self, _root: &Path) -> Result<(), Problem> {
        Ok(())
    }
    /// The built-in values of the path lists a nested config may add to (its `NESTING` keys),
    /// by key; lists that are empty by default need not be named.
    fn builtin_lists(&self) -> Vec<(&'static str, Vec<String>)> {
        Vec::new()
    }
}

/// The section that turns a check on or off and sets its severity.
pub trait CheckConfig: Section {
    /// This check's commented part of the file `git hygiene init` writes; it must parse.
    const STARTER: &'static str;
    /// `enabled`, and the configured `severity` if any.
    fn common(&self) -> (bool, Option<&SeverityConfig>);
}
