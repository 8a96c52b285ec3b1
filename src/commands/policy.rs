//! `git hygiene policy update`: fetches every git source the configs `extends` again (the
//! same pinned rev: a moved tag or branch is picked up, a commit id stays what it is) and
//! rewrites the cached copies the hooks read offline.

use clap::Subcommand;

use crate::checks::config_tree::{load_root, ConfigTree};
use crate::commands::args::Common;
use crate::config::extends::Origin;
use crate::error::Result;
use crate::git::Repo;
use crate::out;

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Fetch every `{ git, rev, path }` source of `extends` again, in the root and nested configs.
    Update,
}

pub fn run(command: &PolicyCommand, common: &Common) -> Result<i32> {
    match command {
        PolicyCommand::Update => update(common),
    }
}

fn update(common: &Common) -> Result<i32> {
    let repo = Repo::open()?;
    let (_, layers) = load_root(
        common.config.as_deref(),
        Some(&repo.workdir),
        Some(&repo.git_dir),
        true,
        true,
    )?;
    let mut sources: Vec<String> = Vec::new();
    let mut note = |layers: &[crate::config::extends::Layer]| {
        for l in layers {
            if let Origin::Git { .. } = l.origin {
                let s = l.origin.label().display().to_string();
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
        }
    };
    note(&layers);
    let tracked = repo.tracked_named(crate::config::FILE_NAME)?;
    if let Some(tree) = ConfigTree::new(&repo.workdir, &repo.git_dir, &tracked, layers)? {
        for stack in tree.refreshing().all_stacks()? {
            note(&stack);
        }
    }
    if sources.is_empty() {
        out::println("no git source in `extends`: nothing to update")?;
    } else {
        for s in &sources {
            out::println(&format!("updated {s}"))?;
        }
    }
    Ok(0)
}
