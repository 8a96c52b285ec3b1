//! What lint calls itself in its findings, and why a linter did not run, said with where it is
//! configured, for the run that stops with exit 2 (planning finds a missing tool before
//! anything runs, the outcome stage one that vanished or could not start).

use super::config::Linter;
use crate::checks::Context;

/// The check's id, which its findings carry.
pub const ID: &str = "lint";

pub fn missing_message(ctx: &Context<'_>, index: usize, l: &Linter, program: &str) -> String {
    let install = l.install.map_or_else(
        || format!("install `{program}`"),
        |i| format!("install it ({i})"),
    );
    // A path is the entry's `tool`: it is missing where it was said to be, not from PATH.
    let missing = if program.contains('/') {
        "does not exist (relative paths start at the linter's cwd)"
    } else {
        "is not installed or not on PATH"
    };
    format!(
        "lint `{}` ({}): `{program}` {missing}; {install}, or set `optional = true` on the entry to skip it when missing",
        l.name,
        entry(ctx, index, l)
    )
}

pub fn cannot_start_message(ctx: &Context<'_>, index: usize, l: &Linter, why: &str) -> String {
    format!(
        "lint `{}` ({}) did not run: {why}",
        l.name,
        entry(ctx, index, l)
    )
}

/// Where `l` stands among the `[[lint]]` entries (from 0).
pub fn config_index(ctx: &Context<'_>, l: &Linter) -> usize {
    ctx.config
        .lint
        .iter()
        .position(|x| std::ptr::eq(x, l))
        .unwrap_or(0)
}

/// Where the entry is configured: its file and place, or, with nested configs (which stack),
/// the command that shows the config it came from.
fn entry(ctx: &Context<'_>, index: usize, l: &Linter) -> String {
    match (&l.cwd, ctx.config.has_nested()) {
        (Some(cwd), true) => format!(
            "a [[lint]] entry running in {cwd}; `git hygiene config --show {cwd}/FILE` shows the file it is in"
        ),
        _ => format!("{}, [[lint]] entry {}", config_file(ctx), index + 1),
    }
}

fn config_file(ctx: &Context<'_>) -> String {
    ctx.config
        .source
        .as_ref()
        .map_or(".hygiene.toml".to_owned(), |p| p.display().to_string())
}
