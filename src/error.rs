//! Errors that stop a run. Each becomes one line on stderr (argument errors add one `help:` line)
//! and exit code 2; the text says what went wrong and, where it can, what to do next.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// Bad command-line use.
    Usage(String),
    /// Bad command-line use found by the argument parser; `help` says which `--help` to read.
    Args { message: String, help: String },
    /// A config file problem, located to line and column.
    Config {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// git (or libgit2) failed, or the repository is not in a state we can judge.
    Git(String),
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Anything else, already phrased for the user.
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The text as one line: git's stderr, libgit2's and the regex crate's messages run to several.
/// Lines are joined with `; `, or with a space after a line that ends in `:`.
pub fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str(if out.ends_with(':') { " " } else { "; " });
        }
        out.push_str(line);
    }
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Error::Usage(m) | Error::Args { message: m, .. } => m.clone(),
            Error::Config {
                file,
                line,
                column,
                message,
            } => format!("{}:{line}:{column}: {message}", file.display()),
            Error::Git(m) | Error::Other(m) => m.clone(),
            Error::Io { path, source } => format!("{}: {source}", path.display()),
        };
        f.write_str(&one_line(&text))
    }
}

impl std::error::Error for Error {}

impl Error {
    /// What the user reads on stderr: one line, and for argument errors one `help:` line.
    pub fn report(&self) -> String {
        match self {
            Error::Args { help, .. } => format!("git-hygiene: error: {self}\nhelp: {help}"),
            _ => format!("git-hygiene: error: {self}"),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_one_line() {
        let e = Error::Git(
            "git rev-parse: fatal: detected dubious ownership in repository at '/r'\nTo add an exception for this directory, call:\n\n\tgit config --global --add safe.directory /r\n".into(),
        );
        assert_eq!(
            e.to_string(),
            "git rev-parse: fatal: detected dubious ownership in repository at '/r'; To add an exception for this directory, call: git config --global --add safe.directory /r"
        );
        let e = Error::io("a.txt", std::io::Error::other("first\nsecond"));
        assert_eq!(e.report(), "git-hygiene: error: a.txt: first; second");
        let e = Error::Args {
            message: "unexpected argument 'x' found".into(),
            help: "see `git hygiene scan --help`".into(),
        };
        assert_eq!(
            e.report(),
            "git-hygiene: error: unexpected argument 'x' found\nhelp: see `git hygiene scan --help`"
        );
    }
}
