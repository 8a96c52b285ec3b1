//! `baseline`: scan the work tree for secrets and write `.hygiene-baseline`, so a repository with
//! old findings can adopt git-hygiene and block only new ones.

use std::path::PathBuf;

use crate::changeset::Mode;
use crate::checks::secrets::{self, baseline::Baseline};
use crate::checks::{effective_severity, Context};
use crate::commands::args::Common;
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::git::Repo;
use crate::moments::tree;

use super::judge;

pub fn run(paths: &[PathBuf], common: &Common) -> Result<i32> {
    let repo = Repo::open()?;
    let root = repo.workdir.clone();
    let config = judge::load_config(common, Some(&root))?;
    let cs = tree::changeset(&root, paths, rayon::current_num_threads())?;
    let severity =
        effective_severity(&secrets::Secrets, &config, Mode::Scan).unwrap_or(Severity::Error);
    let ctx = Context {
        cs: &cs,
        config: &config,
        severity,
        verbose: false,
    };
    let findings: Vec<_> = secrets::run_with(&ctx, false)?
        .into_iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    let path = root.join(secrets::baseline::FILE_NAME);
    std::fs::write(&path, Baseline::render(&findings)).map_err(|e| Error::io(&path, e))?;
    if !common.quiet {
        crate::out::println(&format!(
            "git-hygiene: wrote {} with {} finding(s); commit it so hooks and CI skip them",
            secrets::baseline::FILE_NAME,
            findings.len()
        ))?;
    }
    Ok(0)
}
