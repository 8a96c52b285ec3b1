//! Reading `.hygiene.toml`: finding the file, parsing it, and turning every mistake into an
//! error that names the file, line and column (exit 2), never a silently disabled check. Which
//! sections exist is decided above, by the checks (`crate::checks::Config`); this module knows
//! only the [`Section`] traits they implement and the value types they are written in.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

pub mod extends;
pub mod layers;
mod section;
pub mod spans;
mod validate;
pub mod values;

pub use section::{CheckConfig, Problem, Section};
pub use validate::work_tree as validate_work_tree;
pub use values::{
    checked_list, checked_str, parse_size, relative_dir, ByteSize, Level, RegexConfig,
    SeverityConfig, SEVERITY_KEYS,
};

pub const FILE_NAME: &str = ".hygiene.toml";

/// Loads `path`, or `<root>/.hygiene.toml` if it exists, or the defaults; with the path it
/// came from (`None`: the defaults).
pub fn load<T: DeserializeOwned + Default + Section>(
    explicit: Option<&Path>,
    root: Option<&Path>,
) -> Result<(T, Option<PathBuf>)> {
    let path = match (explicit, root) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, Some(root)) => Some(root.join(FILE_NAME)).filter(|p| p.exists()),
        (None, None) => None,
    };
    let Some(path) = path else {
        return Ok((T::default(), None));
    };
    let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::Usage(format!("config file {} does not exist", path.display()))
        }
        _ => Error::io(&path, e),
    })?;
    let cfg = parse::<T>(&text, &path)?;
    if let Some(root) = root {
        validate::work_tree(&cfg, &text, &path, root)?;
    }
    Ok((cfg, Some(path)))
}

/// Parses config text and runs the checks that need only the file.
pub fn parse<T: DeserializeOwned + Section>(text: &str, path: &Path) -> Result<T> {
    let cfg = toml::from_str::<T>(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        Error::Config {
            file: path.to_path_buf(),
            line,
            column,
            // toml's messages put what it expected on a second line.
            message: format!(
                "{}; see `git hygiene init` for a commented example",
                e.message()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    })?;
    validate::values(&cfg, text, path)?;
    Ok(cfg)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}
