//! Unix: every linter in a process group of its own, flock(2), sigaction(2).

use std::fs::File;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};

/// How long a linter's output is waited for after it exited: until EOF, since a stop kills its
/// whole process group.
pub const OUTPUT_AFTER_EXIT: Option<std::time::Duration> = None;

/// A started linter.
pub struct Process {
    child: Child,
}

/// Stops a [`Process`] and everything it started, from any thread.
#[derive(Clone, Copy)]
pub struct Stopper {
    group: i32,
}

/// Starts `cmd` in a new process group: a timeout or Ctrl-C stops the linter and its children,
/// and a linter that signals its own group cannot hit us.
pub fn spawn(cmd: &mut Command) -> io::Result<Process> {
    cmd.process_group(0);
    cmd.spawn().map(|child| Process { child })
}

impl Process {
    pub fn stopper(&self) -> Stopper {
        Stopper {
            group: self.child.id() as i32,
        }
    }

    pub fn wait(mut self) -> io::Result<ExitStatus> {
        self.child.wait()
    }
}

impl Stopper {
    /// Asks the group to stop (SIGTERM).
    pub fn terminate(&self) {
        self.send(libc::SIGTERM);
    }

    /// Stops the group now (SIGKILL).
    pub fn kill(&self) {
        self.send(libc::SIGKILL);
    }

    fn send(&self, sig: libc::c_int) {
        // SAFETY: plain kill(2) on the process group created for this child.
        unsafe {
            libc::kill(-self.group, sig);
        }
    }
}

/// Makes the kernel kill the child if git-hygiene is SIGKILLed (Linux), so no orphan keeps
/// writing to the work tree or a journal while the next run restores.
pub fn die_with_us(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

/// `p` opened for reading with its size, in one lookup of the path: neither following a
/// symlink nor waiting for a FIFO's writer. `None` when it cannot be opened so: a symlink
/// (ELOOP on Linux, EMLINK on FreeBSD) or an error, which the caller's own lookup of the path
/// then reports. An error for what opens but is not a regular file.
pub fn open_regular(p: &std::path::Path) -> io::Result<Option<(File, u64)>> {
    use std::os::unix::fs::OpenOptionsExt;
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(p)
    else {
        return Ok(None);
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(Some((file, meta.len())))
}

/// An exclusive, non-blocking lock on `f`; false when another process holds it. It dies with
/// the process, even on SIGKILL.
pub fn try_lock(f: &File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file descriptor we own.
    unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

const CAUGHT: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// The last termination signal caught (0: none).
static RECEIVED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// The handler: one atomic store, async-signal-safe.
extern "C" fn on_signal(sig: libc::c_int) {
    RECEIVED.store(sig, std::sync::atomic::Ordering::SeqCst);
}

/// The signal caught since [`catch_signals`], if any.
pub fn received_signal() -> Option<i32> {
    match RECEIVED.load(std::sync::atomic::Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Records SIGINT, SIGTERM, SIGHUP and SIGQUIT instead of dying of them.
pub fn catch_signals() {
    for sig in CAUGHT {
        // SAFETY: installing an async-signal-safe handler (one atomic store) with sigaction.
        unsafe {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = on_signal as *const () as libc::sighandler_t;
            act.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut act.sa_mask);
            libc::sigaction(sig, &act, std::ptr::null_mut());
        }
    }
}

pub fn release_signals() {
    for sig in CAUGHT {
        // SAFETY: restoring the default disposition.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
        }
    }
}

pub fn signal_name(sig: i32) -> Option<&'static str> {
    Some(match sig {
        libc::SIGINT => "SIGINT",
        libc::SIGTERM => "SIGTERM",
        libc::SIGHUP => "SIGHUP",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        _ => return None,
    })
}
