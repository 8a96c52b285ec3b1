//! std only (Windows, and `--cfg hygiene_portable` anywhere). Limits, compared with `unix`:
//! a timeout kills the linter itself but not processes it started; Ctrl-C is not caught, so an
//! interrupted run is restored by the next command (from its journal) instead of on the spot.

use std::fs::File;
use std::io;
use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How often `wait` looks whether the child has exited: `Child::wait` would hold the lock that
/// `Stopper::kill` needs.
const POLL: Duration = Duration::from_millis(10);

/// How long a linter's output is waited for after it exited: processes it started, which a
/// stop does not reach, may keep the pipe open.
pub const OUTPUT_AFTER_EXIT: Option<Duration> = Some(Duration::from_secs(2));

pub struct Process {
    child: Arc<Mutex<Child>>,
}

#[derive(Clone)]
pub struct Stopper {
    child: Arc<Mutex<Child>>,
}

fn locked(child: &Mutex<Child>) -> MutexGuard<'_, Child> {
    // A panic elsewhere while holding the lock leaves the Child itself usable.
    child.lock().unwrap_or_else(|e| e.into_inner())
}

/// Always `None`: std cannot open without following a symlink or waiting for a FIFO, so the
/// caller looks the path up first and then opens it.
pub fn open_regular(_p: &std::path::Path) -> io::Result<Option<(File, u64)>> {
    Ok(None)
}

pub fn spawn(cmd: &mut Command) -> io::Result<Process> {
    cmd.spawn().map(|child| Process {
        child: Arc::new(Mutex::new(child)),
    })
}

impl Process {
    pub fn stopper(&self) -> Stopper {
        Stopper {
            child: Arc::clone(&self.child),
        }
    }

    pub fn wait(self) -> io::Result<ExitStatus> {
        loop {
            if let Some(st) = locked(&self.child).try_wait()? {
                return Ok(st);
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Stopper {
    /// No gentle stop exists in std: the same as [`Stopper::kill`].
    pub fn terminate(&self) {
        self.kill();
    }

    pub fn kill(&self) {
        let _ = locked(&self.child).kill();
    }
}

pub fn die_with_us(_cmd: &mut Command) {}

/// An exclusive, non-blocking lock on `f`; false when another process holds it.
pub fn try_lock(f: &File) -> bool {
    f.try_lock().is_ok()
}

pub fn catch_signals() {}

/// No signal is ever caught here.
pub fn received_signal() -> Option<i32> {
    None
}

pub fn release_signals() {}

/// Exit statuses still carry signals on unix; their numbers are the same on every unix.
pub fn signal_name(sig: i32) -> Option<&'static str> {
    Some(match sig {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => return None,
    })
}
