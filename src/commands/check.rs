//! `check`: run the pre-commit checks by hand on what is staged.

use std::time::Instant;

use crate::commands::args::Common;
use crate::error::Result;
use crate::git::Repo;

use super::judge;

pub fn run(common: &Common, fix: bool) -> Result<i32> {
    let started = Instant::now();
    let repo = Repo::open()?;
    let mut config = judge::load_repo_config(common, &repo)?;
    config.lint_options.fix |= fix;
    let cs = crate::moments::commit::pre_commit(&repo)?;
    judge::judge(&cs, &config, common, started)
}
