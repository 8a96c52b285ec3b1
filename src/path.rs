//! Repository paths as git stores them: bytes, `/`-separated, possibly not UTF-8 and possibly
//! holding spaces or newlines. Converted to text only for display.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serializer;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RepoPath(Vec<u8>);

impl RepoPath {
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        RepoPath(bytes.into())
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    /// Lossy text form for reports; invalid UTF-8 becomes U+FFFD.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
    /// The form shown on a terminal: control characters (a newline in a file name) escaped.
    pub fn display(&self) -> String {
        let s = String::from_utf8_lossy(&self.0);
        if !s.chars().any(char::is_control) {
            return s.into_owned();
        }
        s.chars().flat_map(char::escape_default).collect()
    }
    /// Native path under `root`, without losing non-UTF-8 bytes on Unix.
    pub fn to_native(&self, root: &Path) -> PathBuf {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            root.join(std::ffi::OsStr::from_bytes(&self.0))
        }
        #[cfg(not(unix))]
        {
            root.join(self.to_string_lossy())
        }
    }
    /// Repository path of a native path relative to a root (for directory scans).
    pub fn from_native(rel: &Path) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            RepoPath(rel.as_os_str().as_bytes().to_vec())
        }
        #[cfg(not(unix))]
        {
            RepoPath(rel.to_string_lossy().replace('\\', "/").into_bytes())
        }
    }
}

impl fmt::Debug for RepoPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

impl fmt::Display for RepoPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl From<&str> for RepoPath {
    fn from(s: &str) -> Self {
        RepoPath(s.as_bytes().to_vec())
    }
}

pub fn serialize_opt<S: Serializer>(p: &Option<RepoPath>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_str(&p.to_string_lossy()),
        None => s.serialize_none(),
    }
}
