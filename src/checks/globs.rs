//! Path globs from config, compiled once per run. `*` stays inside one directory (as in
//! `.gitignore`), `**` crosses directories, so `docker-compose*.yml` means the root file only.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};

/// Compiles `globs`; `section` names the config key in the error (`[adr] paths`).
pub fn compile(globs: &[String], section: &str) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = GlobBuilder::new(g).literal_separator(true).build().map_err(|e| {
            Error::Usage(format!(
                "{section}: `{g}` is not a valid glob ({e}); write e.g. \"db/sql/*.sql\" or \"infra/**\""
            ))
        })?;
        b.add(glob);
    }
    b.build()
        .map_err(|e| Error::Usage(format!("{section}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_stays_in_one_directory() {
        let g = compile(
            &[
                "docker-compose*.yml".into(),
                "**/Dockerfile".into(),
                "infra/**".into(),
            ],
            "t",
        )
        .unwrap();
        assert!(g.is_match("docker-compose.prod.yml"));
        assert!(!g.is_match("sub/docker-compose.yml"));
        assert!(g.is_match("Dockerfile") && g.is_match("svc/api/Dockerfile"));
        assert!(g.is_match("infra/net/main.tf"));
        assert!(compile(&["a/[".into()], "[adr] paths").is_err());
    }
}
