//! `check`: run the pre-commit checks by hand on what is staged, or (`--all-files`,
//! `--files PATH…`) on whole files of the work tree.

use std::path::PathBuf;
use std::time::Instant;

use crate::commands::args::Common;
use crate::error::Result;
use crate::git::Repo;
use crate::moments::tracked::{self, Files};

use super::judge;

pub fn run(common: &Common, fix: bool, all_files: bool, files: &[PathBuf]) -> Result<i32> {
    let started = Instant::now();
    let repo = Repo::open()?;
    let mut config = judge::load_repo_config(common, &repo)?;
    let whole_files = all_files || !files.is_empty();
    // A whole-files run reads every nested config first, as `ci` and `scan` do: a typo in a
    // package's config fails here even when no file named belongs to that package.
    if whole_files {
        config.validate_nested()?;
    }
    // `[lint_options] fix = true` is about commits; rewriting whole files of the work tree is
    // done only when this run asks for it.
    config.lint_options.fix = fix || (config.lint_options.fix && !whole_files);
    let cs = if all_files {
        tracked::changeset(&repo, Files::All)?
    } else if !files.is_empty() {
        tracked::changeset(&repo, Files::Given(files))?
    } else {
        crate::moments::commit::pre_commit(&repo)?
    };
    judge::judge(&cs, &config, common, started)
}
