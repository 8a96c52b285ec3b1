//! clap's errors in git-hygiene's shape: one line saying what is wrong and one `help:` line naming
//! the `--help` to read, where clap prints a usage block, tips and blank lines.

use std::ffi::OsString;

use clap::error::ErrorKind;

use crate::error::Error;

/// `Ok(0)` once `--help` or `--version` has been printed (clap's text, unchanged); otherwise the
/// error to report.
pub fn handle(e: clap::Error, args: &[OsString], root: &clap::Command) -> Result<i32, Error> {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // Help text whose reader has gone has nothing left to say, as for `out::print`.
        let _ = e.print();
        return Ok(0);
    }
    let path = command_path(args, root);
    let cmd = path
        .iter()
        .try_fold(root, |c, name| c.find_subcommand(name))
        .unwrap_or(root);
    let shown = std::iter::once("git hygiene")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let message = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let names: Vec<&str> = cmd
            .get_subcommands()
            .map(clap::Command::get_name)
            .filter(|n| *n != "help")
            .collect();
        format!("`{shown}` needs a command: {}", names.join(", "))
    } else {
        folded(&e.render().to_string())
    };
    Err(Error::Args {
        message,
        help: format!("see `{shown} --help`"),
    })
}

/// The subcommands named on the command line, outermost first (`["adr", "new"]`), so that the
/// help line points at the right `--help`. Stops at the first word that is not one.
fn command_path(args: &[OsString], root: &clap::Command) -> Vec<String> {
    let mut path = Vec::new();
    let mut cmd = root;
    let mut words = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        if let Some(flag) = word.strip_prefix('-') {
            if !word.contains('=') && takes_value(flag, cmd, root) {
                words.next();
            }
            continue;
        }
        match cmd.find_subcommand(word) {
            Some(sub) => {
                path.push(sub.get_name().to_owned());
                cmd = sub;
            }
            None => break,
        }
    }
    path
}

/// Whether `-x` / `--name` (given without its leading `-`) is an option of `cmd` or a global
/// option of `root` that takes a value.
fn takes_value(flag: &str, cmd: &clap::Command, root: &clap::Command) -> bool {
    let is = |a: &clap::Arg| match flag.strip_prefix('-') {
        Some(long) => a.get_long() == Some(long),
        None => flag.chars().count() == 1 && a.get_short() == flag.chars().next(),
    };
    cmd.get_arguments()
        .chain(root.get_arguments())
        .find(|a| is(a))
        .is_some_and(|a| a.get_action().takes_values())
}

/// clap's rendered error without the usage block and the "For more information" line, as one
/// line: `error: X` + indented list + `tip: Y` becomes `X: a, b; tip: Y`.
fn folded(rendered: &str) -> String {
    let mut out = String::new();
    let mut in_list = false;
    for line in rendered.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        if out.is_empty() {
            in_list = line.ends_with(':');
            out.push_str(line);
        } else if in_list && !line.starts_with("tip:") {
            out.push_str(if out.ends_with(':') { " " } else { ", " });
            out.push_str(line);
        } else {
            in_list = false;
            out.push_str("; ");
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_block_goes_and_list_and_tip_join_the_line() {
        let rendered = "error: the following required arguments were not provided:\n  <A>\n  <B>\n\n  \
                        tip: try this\n\nUsage: git-hygiene x <A> <B>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            folded(rendered),
            "the following required arguments were not provided: <A>, <B>; tip: try this"
        );
    }
}
