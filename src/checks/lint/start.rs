//! Why a linter could not start, said so the user can act on it. A linter that did not start
//! has judged nothing: the run stops with exit 2 (like a missing tool), never a pass and never
//! a finding that a severity setting could turn into a warning.

use std::io;
use std::path::Path;

/// A program that exists but cannot be started, found before anything runs: no execute
/// permission, or a `#!` interpreter that does not exist.
pub fn unstartable(program: &str, file: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o111 == 0 {
            return Some(format!(
                "`{program}` is not executable; `chmod +x {program}`, or run it through its interpreter (e.g. run = \"sh {program} {{files}}\")"
            ));
        }
    }
    let interpreter = interpreter(file)?;
    if interpreter.starts_with('/') && !Path::new(&interpreter).is_file() {
        return Some(format!(
            "`{program}` starts with `#!{interpreter}`, which does not exist; install it or fix the `#!` line"
        ));
    }
    None
}

/// The `#!` program of a script, if `file` is one.
fn interpreter(file: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(file).ok()?.read(&mut head).ok()?;
    let line = head[..n].strip_prefix(b"#!")?;
    let line = line.split(|&b| b == b'\n').next()?;
    let text = String::from_utf8_lossy(line);
    text.split_whitespace().next().map(str::to_owned)
}

/// What went wrong when starting `program` (found at `file`, if it was) in `cwd` failed with
/// `err`. `None`: the program is simply not there (the caller says how to install it).
pub fn spawn_failure(
    program: &str,
    file: Option<&Path>,
    cwd: &Path,
    err: &io::Error,
) -> Option<String> {
    if !cwd.is_dir() {
        return Some(format!("its directory {} does not exist", cwd.display()));
    }
    match err.kind() {
        io::ErrorKind::NotFound => file.map(|f| {
            unstartable(program, f).unwrap_or_else(|| {
                format!("`{program}` exists but the system cannot run it ({err}); check its `#!` line")
            })
        }),
        io::ErrorKind::PermissionDenied => Some(format!(
            "`{program}` cannot be run (permission denied); `chmod +x` it, or run it through its interpreter"
        )),
        _ if err.raw_os_error() == Some(libc_enoexec()) => Some(format!(
            "`{program}` is not a program the system can run (exec format error); give a script a `#!` line, or run it through its interpreter"
        )),
        _ => Some(format!("`{program}` could not start: {err}")),
    }
}

/// What exit codes 126 and 127 mean when a shell or `env` (a `#!/usr/bin/env tool` line)
/// reports them: the command it was asked to run cannot be run, or was not found.
pub fn exit_code(program: &str, code: i32) -> Option<String> {
    let meaning = match code {
        126 => "a command it starts was found but cannot be run",
        127 => "a command it starts was not found",
        _ => return None,
    };
    Some(format!(
        "`{program}` exited with {code}, which means {meaning}; see its output above"
    ))
}

#[cfg(unix)]
fn libc_enoexec() -> i32 {
    libc::ENOEXEC
}

#[cfg(not(unix))]
fn libc_enoexec() -> i32 {
    -1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_interpreter() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s");
        std::fs::write(&f, "#!/nonexistent/interp -x\necho\n").unwrap();
        assert_eq!(interpreter(&f).as_deref(), Some("/nonexistent/interp"));
        std::fs::write(&f, "echo\n").unwrap();
        assert_eq!(interpreter(&f), None);
    }
}
