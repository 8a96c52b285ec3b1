//! Catching SIGINT, SIGTERM, SIGHUP and SIGQUIT while the work tree is being changed, so a Ctrl-C
//! or a `kill` lets git-hygiene put the user's work back before it exits instead of dying halfway.
//! The handler only records the signal; the code that runs linters polls [`received`], stops them,
//! restores, and then exits with an error. How signals are caught is in `crate::platform`.

use std::sync::atomic::{AtomicI32, Ordering};

use crate::platform;

static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// Called from the signal handler: one atomic store, async-signal-safe. (The portable layer
/// catches no signals.)
#[cfg_attr(not(all(unix, not(hygiene_portable))), allow(dead_code))]
pub(crate) fn record(sig: i32) {
    RECEIVED.store(sig, Ordering::SeqCst);
}

/// Starts catching the termination signals (idempotent). Until [`release`], they no longer kill
/// the process: [`received`] reports them instead.
pub fn catch() {
    platform::catch_signals();
}

/// Gives the signals back their default action. A signal that arrived while caught stays
/// reported by [`received`].
pub fn release() {
    platform::release_signals();
}

/// The signal caught since [`catch`], if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

pub fn name(sig: i32) -> String {
    match platform::signal_name(sig) {
        Some(n) => n.to_owned(),
        None => format!("signal {sig}"),
    }
}
