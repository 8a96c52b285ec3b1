//! The HTML help page, for Git for Windows: its `git help` opens `git-hygiene.html` where git on
//! unix runs `man`. One page: the synopsis, every command with its arguments, the common options.

use std::fmt::Write;

use clap::{Arg, Command};

/// The page for `root` (the whole command line).
pub fn render(root: &Command) -> String {
    let mut root = root.clone();
    root.build();
    let mut h = String::new();
    let title = "git-hygiene(1)";
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    if let Some(about) = root.get_about() {
        let _ = writeln!(h, "<p>{}</p>", escape(&about.to_string()));
    }
    let _ = writeln!(
        h,
        "<h2>Synopsis</h2>\n<pre>git hygiene [OPTIONS] &lt;COMMAND&gt;</pre>"
    );
    let _ = writeln!(h, "<h2>Commands</h2>");
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        section(&mut h, sub, &format!("git hygiene {}", sub.get_name()));
    }
    let _ = writeln!(h, "<h2>Options</h2>");
    args(&mut h, root.get_arguments().filter(|a| a.is_global_set()));
    let _ = writeln!(
        h,
        "<h2>Exit status</h2>\n<p>0: nothing blocking. 1: blocking findings. 2: a usage, configuration or git error (one line on stderr).</p>\n</body>\n</html>"
    );
    h
}

/// One command: its heading, what it does, its arguments, then its own subcommands.
fn section(h: &mut String, cmd: &Command, shown: &str) {
    let _ = writeln!(h, "<h3 id=\"{}\">{}</h3>", anchor(shown), escape(shown));
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        let _ = writeln!(h, "<p>{}</p>", escape(&about.to_string()));
    }
    args(h, cmd.get_arguments().filter(|a| !a.is_global_set()));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        section(h, sub, &format!("{shown} {}", sub.get_name()));
    }
}

fn args<'a>(h: &mut String, list: impl Iterator<Item = &'a Arg>) {
    let list: Vec<&Arg> = list
        .filter(|a| !a.is_hide_set() && !matches!(a.get_id().as_str(), "help" | "version"))
        .collect();
    if list.is_empty() {
        return;
    }
    let _ = writeln!(h, "<dl>");
    for a in list {
        let _ = writeln!(h, "<dt><code>{}</code></dt>", escape(&spelling(a)));
        let help = a.get_long_help().or(a.get_help());
        let _ = writeln!(
            h,
            "<dd>{}</dd>",
            help.map(|s| escape(&s.to_string())).unwrap_or_default()
        );
    }
    let _ = writeln!(h, "</dl>");
}

/// `-q, --quiet`, `--format FORMAT`, or `PATHS…` for a positional argument.
fn spelling(a: &Arg) -> String {
    let value = a
        .get_value_names()
        .and_then(|v| v.first())
        .map(|v| v.to_string())
        .unwrap_or_else(|| a.get_id().as_str().to_ascii_uppercase());
    let mut names = Vec::new();
    if let Some(s) = a.get_short() {
        names.push(format!("-{s}"));
    }
    if let Some(l) = a.get_long() {
        names.push(format!("--{l}"));
    }
    if names.is_empty() {
        return value;
    }
    let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
    let names = names.join(", ");
    if takes_value {
        format!("{names} {value}")
    } else {
        names
    }
}

fn anchor(shown: &str) -> String {
    shown.replace(' ', "-")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
