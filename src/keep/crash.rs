//! Kill points for tests, debug builds only: `HYGIENE_DEBUG_KILL_AT=PHASE-STEP[@N]` makes the
//! process SIGKILL itself the Nth time (default: the first) it reaches that point, so a kill at
//! each step of hiding and restoring can be reproduced exactly instead of hoped for with timers.
//! Release builds compile the points away.

#[cfg(all(debug_assertions, unix))]
pub fn point(phase: &str, step: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::OnceLock;
    static WANTED: OnceLock<Option<(String, usize)>> = OnceLock::new();
    static SEEN: AtomicUsize = AtomicUsize::new(0);
    let wanted = WANTED.get_or_init(|| {
        let v = std::env::var("HYGIENE_DEBUG_KILL_AT").ok()?;
        let (name, nth) = match v.split_once('@') {
            Some((name, nth)) => (name.to_owned(), nth.parse().ok()?),
            None => (v, 1),
        };
        Some((name, nth))
    });
    let Some((name, nth)) = wanted else { return };
    let here = name
        .strip_prefix(phase)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|rest| rest == step);
    if here && SEEN.fetch_add(1, Ordering::SeqCst) + 1 == *nth {
        // SAFETY: raise(2) on our own process; SIGKILL cannot be caught, as with a real kill.
        unsafe {
            libc::raise(libc::SIGKILL);
        }
    }
}

#[cfg(not(all(debug_assertions, unix)))]
#[inline(always)]
pub fn point(_phase: &str, _step: &str) {}
