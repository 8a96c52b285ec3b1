//! Catching SIGINT, SIGTERM, SIGHUP and SIGQUIT while the work tree is being changed, so a Ctrl-C
//! or a `kill` lets git-hygiene put the user's work back before it exits instead of dying halfway.
//! The handler only records the signal; the code that runs linters polls [`received`], stops them,
//! restores, and then exits with an error.

use std::sync::atomic::{AtomicI32, Ordering};

static RECEIVED: AtomicI32 = AtomicI32::new(0);

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    RECEIVED.store(sig, Ordering::SeqCst);
}

/// Starts catching the termination signals (idempotent). Until [`release`], they no longer kill
/// the process: [`received`] reports them instead.
pub fn catch() {
    #[cfg(unix)]
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
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

/// Gives the signals back their default action. A signal that arrived while caught stays
/// reported by [`received`].
pub fn release() {
    #[cfg(unix)]
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
        // SAFETY: restoring the default disposition.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
        }
    }
}

/// The signal caught since [`catch`], if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

pub fn name(sig: i32) -> String {
    #[cfg(unix)]
    {
        match sig {
            libc::SIGINT => return "SIGINT".into(),
            libc::SIGTERM => return "SIGTERM".into(),
            libc::SIGHUP => return "SIGHUP".into(),
            libc::SIGQUIT => return "SIGQUIT".into(),
            libc::SIGKILL => return "SIGKILL".into(),
            libc::SIGSEGV => return "SIGSEGV".into(),
            libc::SIGABRT => return "SIGABRT".into(),
            _ => {}
        }
    }
    format!("signal {sig}")
}
