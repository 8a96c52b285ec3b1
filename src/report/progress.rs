//! The progress line of long runs (`scan`, `scan --history`, `ci`): after a second, one line on
//! stderr, rewritten four times a second, with the files read so far, the rate and the time
//! left; erased when the run ends. Only when stderr is a terminal and `-q` was not given, and
//! never in a hook: a commit must not flicker.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::changeset::{ChangeSet, Mode};
use crate::out;

const TICK: Duration = Duration::from_millis(250);

/// When the first line may appear. `HYGIENE_PROGRESS_AFTER_MS` moves it (the tests set 0, so a
/// short run shows it too).
fn delay() -> Duration {
    std::env::var("HYGIENE_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// Whether a run of `mode` shows the progress line.
pub fn wanted(mode: Mode, quiet: bool) -> bool {
    (mode.is_whole_tree() || mode == Mode::Ci) && !quiet && std::io::stderr().is_terminal()
}

/// Runs `work` with the progress line of `cs` on stderr when `show`.
pub fn while_running<T>(cs: &ChangeSet, show: bool, work: impl FnOnce() -> T) -> T {
    if !show {
        return work();
    }
    let total = cs.files_to_read();
    let commits = cs.commits.len();
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let started = Instant::now();
            let after = delay();
            let mut shown = false;
            let draw = |shown: &mut bool| {
                let line = line(
                    cs.files_read().min(total),
                    total,
                    commits,
                    started.elapsed(),
                );
                let _ = write!(std::io::stderr().lock(), "\r\x1b[2K{line}");
                *shown = true;
                out::PROGRESS_SHOWN.store(true, Ordering::Relaxed);
            };
            if after.is_zero() {
                draw(&mut shown);
            }
            loop {
                let wait = if shown {
                    TICK
                } else {
                    after.saturating_sub(started.elapsed())
                };
                match stopped.recv_timeout(wait) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
                draw(&mut shown);
            }
            if shown {
                let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
                out::PROGRESS_SHOWN.store(false, Ordering::Relaxed);
            }
        });
        let result = work();
        drop(stop);
        result
    })
}

/// `scanning 1,200 of 9,000 files (300 commits) · 2,400 files/s · about 4 s left`
fn line(done: u64, total: u64, commits: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    let mut s = format!("scanning {} of {} files", thousands(done), thousands(total));
    match commits {
        0 => {}
        1 => s.push_str(" (1 commit)"),
        n => s.push_str(&format!(" ({} commits)", thousands(n as u64))),
    }
    if done > 0 {
        s.push_str(&format!(" · {} files/s", thousands(rate.round() as u64)));
        let left = (total - done) as f64 / rate;
        s.push_str(&format!(" · about {} left", human_secs(left)));
    }
    s
}

fn human_secs(s: f64) -> String {
    if s < 60.0 {
        format!("{} s", s.ceil() as u64)
    } else {
        format!("{} min", (s / 60.0).ceil() as u64)
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_done_total_rate_and_time_left() {
        assert_eq!(
            line(1200, 9000, 300, Duration::from_millis(500)),
            "scanning 1,200 of 9,000 files (300 commits) · 2,400 files/s · about 4 s left"
        );
        assert_eq!(
            line(0, 74_012, 0, Duration::from_secs(1)),
            "scanning 0 of 74,012 files"
        );
        assert_eq!(
            line(10, 100_000, 0, Duration::from_secs(1)),
            "scanning 10 of 100,000 files · 10 files/s · about 167 min left"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
