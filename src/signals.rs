//! Catching SIGINT, SIGTERM, SIGHUP and SIGQUIT while the work tree is being changed, so a Ctrl-C
//! or a `kill` lets git-hygiene put the user's work back before it exits instead of dying halfway.
//! The handler (in `crate::platform`) only records the signal; the code that runs linters polls [`received`], stops them,
//! restores, and then exits with an error. How signals are caught is in `crate::platform`.

use crate::platform;

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
    platform::received_signal()
}

pub fn name(sig: i32) -> String {
    match platform::signal_name(sig) {
        Some(n) => n.to_owned(),
        None => format!("signal {sig}"),
    }
}
