//! `install` / `uninstall`: put git-hygiene where this repository's hooks really run. With no
//! hook manager, the shims go into git's hooks directory (`shims`). With one, install works
//! through it so the next time the manager re-installs itself (husky at every `npm install`)
//! neither its hooks nor ours are lost: husky gets one line per script (`husky`); lefthook,
//! pre-commit/prek, simple-git-hooks and unknown `core.hooksPath` tools get the exact snippet
//! to add to their config, and install exits 2 until it is there (`snippets`).

mod detect;
mod husky;
mod shims;
mod snippets;

use std::path::Path;

use clap::Args;

pub use shims::{is_ours, shim, MARKER};

use super::hook::{HOOKS, SERVER_HOOK};
use crate::error::{Error, Result};
use crate::git::hooks_location::{bare_hooks_dir, Where};
use crate::out;
use detect::Manager;

#[derive(Args, Debug, Clone, Default)]
pub struct InstallArgs {
    /// Write git-hygiene's own shims into git's hooks directory whatever manages it (hooks
    /// already there are kept as NAME.legacy and run first), even when core.hooksPath comes from
    /// your global or system config.
    #[arg(long)]
    pub force: bool,
    /// Only this hook (repeatable). With pre-commit or prek, writes git-hygiene's own hook
    /// alongside theirs: `--hook pre-push` judges every pushed ref, deletions and force-pushes
    /// included.
    #[arg(long = "hook", value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(HOOKS))]
    pub hooks: Vec<String>,
}

impl InstallArgs {
    fn selected(&self) -> Vec<&'static str> {
        HOOKS
            .iter()
            .copied()
            .filter(|h| self.hooks.is_empty() || self.hooks.iter().any(|s| s == h))
            .collect()
    }
}

/// Where a bare repository's pre-receive hook goes: Gitea and Forgejo own `hooks/pre-receive`
/// and run every hook in `hooks/pre-receive.d/`, so ours goes there when that folder exists.
fn server_hooks_dir(hooks: &Path) -> std::path::PathBuf {
    let d = hooks.join(format!("{SERVER_HOOK}.d"));
    if d.is_dir() {
        d
    } else {
        hooks.to_path_buf()
    }
}

pub fn install(args: &InstallArgs) -> Result<i32> {
    if let Some(hooks) = bare_hooks_dir() {
        if !args.hooks.is_empty() {
            return Err(Error::Usage(format!("this is a bare repository: only the server's {SERVER_HOOK} hook is installed here; run `git hygiene install` without --hook")));
        }
        shims::install(&server_hooks_dir(&hooks), &[SERVER_HOOK])?;
        return Ok(0);
    }
    let at = Where::find()?;
    let hooks = args.selected();
    if let Some((scope, value)) = &at.hooks_path {
        if matches!(scope.as_str(), "global" | "system") && !args.force {
            return Err(Error::Usage(format!(
                "core.hooksPath is set in your {scope} git config ({value}): hooks written there would run in every repository. \
                 Run `git hygiene install --force` to install there anyway, or `git config --{scope} --unset core.hooksPath`"
            )));
        }
    }
    if args.force {
        shims::install(&at.hooks_dir, &hooks)?;
        return Ok(0);
    }
    match detect::detect(&at) {
        None => shims::install(&at.hooks_dir, &hooks)?,
        Some(Manager::Husky {
            scripts,
            v8,
            active,
        }) => {
            // An older install put our shims into husky's own folder and renamed its stubs to
            // NAME.legacy; put the stubs back, or git-hygiene would run twice.
            if active {
                shims::uninstall(&at.hooks_dir, &hooks, true)?;
            }
            husky::install(&scripts, v8, active, &hooks)?
        }
        Some(Manager::Lefthook { config }) => {
            let config = config.unwrap_or_else(|| at.top.join("lefthook.yml"));
            let local = at.top.join("lefthook-local.yml");
            if mentions_us(&config) || mentions_us(&local) {
                out::println(&format!(
                    "lefthook already runs git-hygiene ({}); nothing to write",
                    config.display()
                ))?;
                return Ok(0);
            }
            out::print(&snippets::lefthook(&hooks))?;
            return Err(Error::Usage(format!(
                "lefthook manages this repository's hooks: add the lines above to {} (merge them into hook sections it already has), then run `lefthook install`",
                config.display()
            )));
        }
        Some(Manager::PreCommit { tool, config }) => {
            if !args.hooks.is_empty() {
                shims::install(&at.hooks_dir, &hooks)?;
                return Ok(0);
            }
            let config = config.unwrap_or_else(|| at.top.join(".pre-commit-config.yaml"));
            if shims::contains(&config, "git-hygiene") {
                out::println(&format!(
                    "{tool} already runs git-hygiene ({}); nothing to write",
                    config.display()
                ))?;
                out::println(&snippets::pre_push_note(tool))?;
                return Ok(0);
            }
            out::print(&snippets::pre_commit(&hooks))?;
            out::println(&snippets::pre_push_note(tool))?;
            return Err(Error::Usage(format!(
                "{tool} manages this repository's hooks: add the hooks above to {}, then run `{tool} install -t pre-commit -t commit-msg -t prepare-commit-msg`",
                config.display()
            )));
        }
        Some(Manager::SimpleGitHooks { source }) => {
            out::print(&snippets::simple_git_hooks(&hooks))?;
            return Err(Error::Usage(format!(
                "simple-git-hooks manages this repository's hooks ({}): add the commands above to its config (put `git-hygiene hook NAME \"$@\" && ` before a command already there), then run `npx simple-git-hooks`",
                source.display()
            )));
        }
        Some(Manager::HooksPath { value, dir }) => {
            out::print(&snippets::hook_lines(&dir, &hooks))?;
            return Err(Error::Usage(format!(
                "core.hooksPath={value} holds hooks git-hygiene did not write: add the lines above to them, or to the tool that writes them; `git hygiene install --force` puts the shims there instead (the hooks are kept as NAME.legacy and run first)"
            )));
        }
    }
    Ok(0)
}

pub fn uninstall() -> Result<i32> {
    if let Some(hooks) = bare_hooks_dir() {
        shims::uninstall(&server_hooks_dir(&hooks), &[SERVER_HOOK], false)?;
        return Ok(0);
    }
    let at = Where::find()?;
    let manager = detect::detect(&at);
    if let Some(Manager::Husky { scripts, .. }) = &manager {
        husky::uninstall(scripts, &HOOKS)?;
    }
    shims::uninstall(&at.hooks_dir, &HOOKS, manager.is_some())?;
    Ok(0)
}

fn mentions_us(path: &Path) -> bool {
    shims::contains(path, "git-hygiene hook")
}
