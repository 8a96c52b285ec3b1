//! Path globs from config lists, compiled once per run, in the one dialect of [`crate::glob`]
//! (gitignore's): `*.sql` matches at any depth, `db/sql/*.sql` only there, `infra/` all below.

use serde::de::Deserializer;

use crate::error::{Error, Result};
use crate::glob::Globs;

const EXAMPLE: &str = "write e.g. \"db/sql/*.sql\" or \"infra/**\"";

fn build(g: &str) -> std::result::Result<(), String> {
    match crate::glob::problem(g) {
        Some(why) => Err(format!("`{g}` is not a valid glob ({why}); {EXAMPLE}")),
        None => Ok(()),
    }
}

/// Compiles `globs`; `section` names the config key in the error (`[adr] paths`).
pub fn compile(globs: &[String], section: &str) -> Result<Globs> {
    for g in globs {
        build(g).map_err(|e| Error::Usage(format!("{section}: {e}")))?;
    }
    Globs::new(globs).map_err(|e| Error::Usage(format!("{section}: {e}")))
}

/// `#[serde(deserialize_with = "globs::checked")]`: a list of globs, each compiled as it is read,
/// so a bad one is a config error at its own line and column instead of a failure (or a
/// silently skipped check) when the check runs.
pub fn checked<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    crate::config::values::checked_list(d, false, |g| build(g).map(|_| g.to_owned()), |_| Ok(()))
}

/// `#[serde(deserialize_with = "globs::checked_exceptions")]`: [`checked`], for a list of files
/// a rule leaves alone. A glob there that matches every path (`**`) would switch the rule off
/// without a word, so it is refused.
pub fn checked_exceptions<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let one = |g: &str| {
        build(g)?;
        if crate::glob::matches_every_path(g) {
            return Err(format!(
                "`{g}` matches every file, so the rule would never report; list only the files to leave out, e.g. \"db/legacy/**\", or set `enabled = false`"
            ));
        }
        Ok(g.to_owned())
    };
    crate::config::values::checked_list(d, false, one, |_| Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn star_stays_in_one_directory() {
        let g = compile(
            &[
                "db/docker-compose*.yml".into(),
                "**/Dockerfile".into(),
                "infra/**".into(),
            ],
            "t",
        )
        .unwrap();
        assert!(g.is_match("db/docker-compose.prod.yml"));
        assert!(!g.is_match("db/sub/docker-compose.yml"));
        assert!(g.is_match("Dockerfile") && g.is_match("svc/api/Dockerfile"));
        assert!(g.is_match("infra/net/main.tf"));
        assert!(compile(&["a/[".into()], "[adr] paths").is_err());
    }

    #[test]
    fn checked_lists_locate_the_bad_glob() {
        #[derive(Deserialize, Debug)]
        struct T {
            #[serde(deserialize_with = "checked")]
            paths: Vec<String>,
        }
        let t: T = toml::from_str("paths = [\"infra/**\"]").unwrap();
        assert_eq!(t.paths, ["infra/**"]);
        let e = toml::from_str::<T>("paths = [\n  \"ok/*\",\n  \"a/[\",\n]").unwrap_err();
        assert_eq!(e.span().map(|s| s.start), Some(22), "{e}");
        assert!(e.message().contains("`a/[` is not a valid glob"), "{e}");
    }
}
