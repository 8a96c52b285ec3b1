//! The last-resort net. A bug that panics must end like any other failure: one line on stderr
//! and exit 2, never Rust's exit 101 with a backtrace (which quotes the text being worked on —
//! a commit message, a line holding a secret). The panic still unwinds before the process
//! exits, so Drop guards run: the lint step's unstaged-work protection puts the user's files back.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::Result;

/// The exit code of usage, config and git errors, and of internal errors.
const EXIT_INTERNAL: i32 = 2;
/// Longest panic message printed, in characters.
const MAX_MESSAGE: usize = 200;

static PANICKED: AtomicBool = AtomicBool::new(false);

/// Runs the command; a panic in it (or in any thread it started, which rayon hands back to it)
/// becomes the one-line report and exit 2.
pub fn catch(command: impl FnOnce() -> Result<i32>) -> Result<i32> {
    panic::set_hook(Box::new(report));
    match panic::catch_unwind(AssertUnwindSafe(command)) {
        // A panic on a thread nobody joined leaves the result untrustworthy too.
        Ok(result) if !PANICKED.load(Ordering::SeqCst) => result,
        _ => Ok(EXIT_INTERNAL),
    }
}

/// The panic hook: prints the first panic only (a second one is usually its echo on another thread).
fn report(info: &PanicHookInfo<'_>) {
    if PANICKED.swap(true, Ordering::SeqCst) {
        return;
    }
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("panic");
    let at = info
        .location()
        .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
    // stderr may be closed; nothing else can be done then, and panicking here would abort.
    let _ = writeln!(
        std::io::stderr(),
        "git-hygiene: internal error: {}{at}; please report it",
        printable(msg)
    );
}

/// The panic message made safe to print: its first line up to the first quote or bracket (that
/// is where Rust's messages put the data they were working on: the string a bad slice was cut
/// from, the Debug form of a value — and that data may itself hold quotes), at most
/// [`MAX_MESSAGE`] characters. The location printed after it says where the bug is.
fn printable(msg: &str) -> String {
    let line = msg.lines().next().unwrap_or("");
    let mut out = String::new();
    for (n, c) in line.chars().enumerate() {
        if n == MAX_MESSAGE || matches!(c, '`' | '"' | '\'' | '[' | '{') {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// Tests only: panics at the named point when `HYGIENE_TEST_PANIC` names it, so the end-to-end
/// tests can prove the net holds (one line, exit 2, work tree restored) without a real bug.
/// Compiled out of release builds, so no environment variable can crash an installed binary.
/// `data` stands for the user text a real panic message would quote.
#[track_caller]
pub fn test_panic_point(point: &str, data: &str) {
    #[cfg(debug_assertions)]
    if std::env::var_os("HYGIENE_TEST_PANIC").is_some_and(|v| v == point) {
        panic!("deliberate panic at {point} (HYGIENE_TEST_PANIC) over `{data}`");
    }
    #[cfg(not(debug_assertions))]
    let _ = (point, data);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_messages_quote_no_data() {
        assert_eq!(
            printable("byte index 3 is not a char boundary; it is inside '🎉' (bytes 0..4) of `🎉 password=hunter22`"),
            "byte index 3 is not a char boundary; it is inside …"
        );
        assert_eq!(
            printable("called `Result::unwrap()` on an `Err` value: Utf8 { bytes: [104, 117] }"),
            "called …"
        );
        assert_eq!(
            printable("index out of bounds: the len is 3 but the index is 5\nmore"),
            "index out of bounds: the len is 3 but the index is 5"
        );
        let long = "x".repeat(500);
        assert_eq!(printable(&long).chars().count(), MAX_MESSAGE + 1);
        assert_eq!(printable("a\tb"), "a b");
    }
}
