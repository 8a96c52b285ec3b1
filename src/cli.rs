//! Command-line interface: argument definitions and dispatch to one module per subcommand.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::commands;
pub use crate::commands::args::Common;
use crate::error::Result;

#[derive(Parser, Debug)]
#[command(
    name = "git-hygiene",
    version,
    about = "Is this change fit to enter the repository? One fast binary for git hooks and CI.",
    long_about = "Is this change fit to enter the repository? git-hygiene judges a change at `git commit` \
        (pre-commit, prepare-commit-msg, commit-msg), at `git push` (pre-push) and in the merge-request \
        pipeline (`git hygiene ci`) with the same checks: hygiene, branch, ticket, commit-msg, lint, \
        migrations, adr, secrets. `git hygiene install` writes the hooks; `git hygiene scan` audits a \
        tree or, with --history, commits. `git hygiene rules` lists every rule and `git hygiene explain \
        RULE` explains one. Settings live in .hygiene.toml at the repository root (`git hygiene init` \
        writes a commented one).",
    after_long_help = "Exit status: 0 nothing blocking, 1 blocking findings, 2 a usage, configuration or \
        git error (one line on stderr).\n\nEnvironment: HYGIENE_SKIP=CHECKS skips checks for one \
        command (`all` skips every check); NO_COLOR turns colours off.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write the git hooks into this repository, or into the hook manager it already uses.
    ///
    /// No hook manager: the shims go where git runs hooks (core.hooksPath, linked worktrees); a
    /// hook already there is kept as NAME.legacy and runs first. husky: adds the line
    /// `git-hygiene hook NAME "$@"` to each .husky/NAME, after the team's lines (first in pre-push,
    /// which reads git's stdin); files are created if missing, .husky/_ is never touched, and
    /// `npm install` re-running husky keeps the lines. lefthook, pre-commit, prek, simple-git-hooks, or a
    /// core.hooksPath holding hooks of another tool: nothing is written; install prints the exact
    /// snippet for that tool's config and exits 2 (0 once the config runs git-hygiene). pre-commit
    /// and prek run no hook for a push that only deletes branches and report a force-push as a
    /// plain push: `--hook pre-push` adds git-hygiene's own pre-push hook alongside them. In a
    /// bare repository (a server): the pre-receive hook, in hooks/pre-receive.d/ where that
    /// folder exists (Gitea, Forgejo), else in git's hooks directory.
    Install(commands::install::InstallArgs),
    /// Remove the hooks and put back any hook they replaced.
    Uninstall,
    /// Write a commented starter .hygiene.toml.
    Init {
        /// Overwrite an existing .hygiene.toml.
        #[arg(long)]
        force: bool,
    },
    /// What the hook shims call: pre-commit, commit-msg, prepare-commit-msg, pre-push, and on the server pre-receive.
    Hook {
        name: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Judge a merge request: every commit of merge-base(BASE, HEAD)..HEAD.
    Ci(commands::ci::CiArgs),
    /// Audit a directory tree (or, with --history, commits).
    Scan {
        /// Files or directories to scan (default: the repository or current directory).
        paths: Vec<PathBuf>,
        /// Scan commits instead of files: all of HEAD's history, or RANGE (A..B, or a revision).
        #[arg(long, value_name = "RANGE", num_args = 0..=1, default_missing_value = "HEAD")]
        history: Option<String>,
        /// Judge only part I of N (1-based); default: GitLab's CI_NODE_INDEX/CI_NODE_TOTAL.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
    },
    /// Run the pre-commit checks by hand on what is staged, or on whole files of the work tree.
    ///
    /// --all-files and --files judge the work-tree content of the files as it is (every line,
    /// no base to compare with): the linters and the content checks (hygiene, secrets,
    /// migrations ordering). With --fix the fixers edit the work tree only; the index is never
    /// touched, the files changed are listed, and the earlier version of each one that had
    /// unstaged changes is kept under .git/hygiene/kept/.
    Check {
        /// Judge the staged changes (the default).
        #[arg(long, conflicts_with_all = ["all_files", "files"])]
        staged: bool,
        /// Judge every tracked file of the work tree (`git ls-files`) as it is.
        #[arg(long, conflicts_with = "files")]
        all_files: bool,
        /// Judge these files as they are in the work tree (tracked or not; a directory: the
        /// tracked files under it).
        #[arg(long, value_name = "PATH", num_args = 1..)]
        files: Vec<PathBuf>,
        /// Run the lint entries' `fix` commands: staged run, re-stage the files they change;
        /// with --all-files/--files, leave the fixes in the work tree.
        #[arg(long)]
        fix: bool,
    },
    /// Show the resolved config: with --show PATH, the config that judges that file (nested
    /// configs and `extends` merged), each key with the file and line it came from.
    Config {
        /// Print it (PATH: a file of the repository; none: the root config).
        #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = "")]
        show: Option<String>,
    },
    /// Shared policies (`extends = [{ git, rev, path }]`): `policy update` fetches them again.
    Policy {
        #[command(subcommand)]
        command: commands::policy::PolicyCommand,
    },
    /// Put back unstaged changes saved by a git-hygiene run that was killed (also done
    /// automatically by the next command).
    Restore,
    /// Record today's secret findings in .hygiene-baseline so they are not reported again.
    Baseline {
        /// Files or directories to scan (default: the whole work tree).
        paths: Vec<PathBuf>,
    },
    /// List every check and rule.
    Rules,
    /// Explain a rule or a check: what it reports, why, and how to fix or allow it.
    Explain { rule: String },
    /// Architecture Decision Records: `adr new "Title"` writes the next-numbered one.
    Adr {
        #[command(subcommand)]
        command: commands::adr::AdrCommand,
    },
    /// Print a shell completion script (bash also completes `git hygiene …`):
    /// `git hygiene completions bash > ~/.local/share/bash-completion/completions/git-hygiene`.
    Completions { shell: clap_complete::Shell },
    /// Write the man pages, the HTML help page and the completion scripts under DIR (a `share/`
    /// directory), for packages.
    #[command(hide = true)]
    GenerateDocs { dir: PathBuf },
}

pub fn run() -> Result<i32> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return crate::clap_error::handle(e, &args, &Cli::command()),
    };
    let c = &cli.common;
    crate::git::tune_libgit2();
    // A run killed while linters had the work tree (SIGKILL, power loss) left a journal: the
    // first thing any command does is put that work back.
    if !matches!(
        cli.command,
        Command::Restore | Command::Completions { .. } | Command::GenerateDocs { .. }
    ) {
        crate::keep::recover::on_start()?;
    }
    match cli.command {
        Command::Install(args) => commands::install::install(&args),
        Command::Uninstall => commands::install::uninstall(),
        Command::Init { force } => commands::init::run(force),
        Command::Hook { name, args } => commands::hook::run(&name, &args, c),
        Command::Ci(args) => commands::ci::run(&args, c),
        Command::Scan {
            paths,
            history,
            shard,
        } => commands::scan::run(&paths, history.as_deref(), shard.as_deref(), c),
        Command::Check {
            fix,
            all_files,
            files,
            ..
        } => commands::check::run(c, fix, all_files, &files),
        Command::Config { show: None } => Err(crate::error::Error::Usage(
            "`git hygiene config` needs --show [PATH]: the config that judges PATH, or the root config".into(),
        )),
        Command::Config { show: Some(p) } => {
            commands::config_show::run(Some(std::path::Path::new(&p)).filter(|p| !p.as_os_str().is_empty()), c)
        }
        Command::Policy { command } => commands::policy::run(&command, c),
        Command::Restore => crate::keep::recover::command(),
        Command::Baseline { paths } => commands::baseline::run(&paths, c),
        Command::Rules => commands::rules::list(),
        Command::Explain { rule } => commands::rules::explain(&rule),
        Command::Adr { command } => commands::adr::run(&command, c),
        Command::Completions { shell } => commands::docs::completions(shell, &Cli::command()),
        Command::GenerateDocs { dir } => commands::docs::generate(&dir, &Cli::command()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_common_option_is_on_the_help_page() {
        let page = commands::help_html::render(&Cli::command());
        for needle in [
            "git hygiene scan",
            "git hygiene adr new",
            "--history RANGE",
            "--format FORMAT",
            "-q, --quiet",
        ] {
            let escaped = needle.replace('<', "&lt;").replace('>', "&gt;");
            assert!(page.contains(&escaped), "missing {needle}:\n{page}");
        }
        assert!(
            !page.contains("generate-docs"),
            "hidden commands stay hidden"
        );
    }
}
