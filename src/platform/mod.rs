//! Everything that differs between operating systems: pipes, file locks, stopping a linter and
//! what it started, and catching Ctrl-C. `unix` uses process groups, flock and sigaction;
//! `portable` is std-only, for Windows and for `RUSTFLAGS='--cfg hygiene_portable'`, which builds
//! it on Linux so that the test suite checks it where it is developed.

#[cfg(all(unix, not(hygiene_portable)))]
mod unix;
#[cfg(all(unix, not(hygiene_portable)))]
use unix as imp;

#[cfg(not(all(unix, not(hygiene_portable))))]
mod portable;
#[cfg(not(all(unix, not(hygiene_portable))))]
use portable as imp;

pub use imp::{
    catch_signals, die_with_us, open_regular, received_signal, release_signals, signal_name, spawn,
    try_lock,
};
pub use imp::{Process, Stopper, OUTPUT_AFTER_EXIT};

/// A pipe whose ends are not inherited by children unless given to them (close-on-exec on
/// unix, non-inheritable handles on Windows), so a linter's output reaches EOF when it exits.
pub fn pipe() -> std::io::Result<(std::io::PipeReader, std::io::PipeWriter)> {
    std::io::pipe()
}
