//! Errors that stop a run. Each becomes one line on stderr and exit code 2; the text says what
//! went wrong and, where it can, what to do next.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// Bad command-line use.
    Usage(String),
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "{m}"),
            Error::Config {
                file,
                line,
                column,
                message,
            } => {
                write!(f, "{}:{line}:{column}: {message}", file.display())
            }
            Error::Git(m) => write!(f, "{m}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Other(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(format!("git: {}", e.message()))
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
