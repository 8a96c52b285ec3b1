//! `init`: write a commented starter `.hygiene.toml` at the repository root.

use crate::config::FILE_NAME;
use crate::error::{Error, Result};
use crate::git::Repo;

/// The starter config. A test parses it, so it can never drift from what `Config` accepts.
pub const STARTER: &str = include_str!("../../patterns/starter.hygiene.toml");

pub fn run(force: bool) -> Result<i32> {
    let root = match Repo::open() {
        Ok(r) => r.workdir,
        Err(_) => std::env::current_dir().map_err(|e| Error::io(".", e))?,
    };
    let path = root.join(FILE_NAME);
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} already exists; use `git hygiene init --force` to overwrite it",
            path.display()
        )));
    }
    std::fs::write(&path, STARTER).map_err(|e| Error::io(&path, e))?;
    crate::out::println(&format!(
        "wrote {}: every check is on with its defaults; edit it to taste",
        path.display()
    ))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn starter_parses() {
        crate::config::Config::parse(super::STARTER, std::path::Path::new("starter")).unwrap();
    }
}
