//! `init`: write a commented starter `.hygiene.toml` at the repository root.

use crate::checks;
use crate::config::FILE_NAME;
use crate::error::{Error, Result};
use crate::git::Repo;

/// What the starter says about every check, before their sections.
const HEADER: &str = include_str!("../../patterns/starter/header.toml");

/// The starter config: the header, then each registered check's section in registry order.
/// A test parses it, so it can never drift from what `Config` accepts.
pub fn starter() -> String {
    let mut text = HEADER.to_owned();
    for (_, section) in checks::starter_sections() {
        text.push('\n');
        text.push_str(section);
    }
    text
}

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
    std::fs::write(&path, starter()).map_err(|e| Error::io(&path, e))?;
    crate::out::println(&format!(
        "wrote {}: every check is on with its defaults; edit it to taste",
        path.display()
    ))?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::checks::{self, Config};

    #[test]
    fn starter_parses() {
        Config::parse(&super::starter(), Path::new("starter")).unwrap();
    }

    #[test]
    fn every_check_has_its_section_in_the_starter() {
        let starter = super::starter();
        let sections = checks::starter_sections();
        assert_eq!(
            sections.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            checks::known_ids()
        );
        for (id, section) in sections {
            assert!(
                section.lines().any(|l| l.starts_with('[')),
                "{id}: no table"
            );
            assert!(starter.contains(section), "{id}: not in the starter");
            Config::parse(section, Path::new(id)).unwrap();
        }
    }
}
