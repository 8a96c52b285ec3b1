//! The one way git-hygiene writes to stdout and stderr. `print!` panics when the reader has gone
//! (`git hygiene rules | head -1`); these end the output quietly instead, as ripgrep does.

use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Set once stdout's reader has gone; later output is dropped without trying.
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout. When the reader has gone (EPIPE), this and every later call write
/// nothing and succeed, and the command ends with the exit code its work earned: 0, or 1 when
/// findings were blocking. The reader stopped reading the text, not caring about the verdict,
/// and `--report` files are still written. Any other failure (a full disk) is an error.
pub fn print(text: &str) -> Result<()> {
    if READER_GONE.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            READER_GONE.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(Error::io("<stdout>", e)),
        Ok(()) => Ok(()),
    }
}

/// [`print`] with a newline.
pub fn println(text: &str) -> Result<()> {
    print(&format!("{text}\n"))
}

/// Set while the progress line (`report::progress`) is on screen.
pub static PROGRESS_SHOWN: AtomicBool = AtomicBool::new(false);

/// `text` on stderr as it is. A failure is ignored: there is nowhere left to report it.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// One line on stderr. A failure is ignored: there is nowhere left to report it. A progress line
/// on screen is erased first, and drawn again under the text at its next tick.
pub fn eprintln(text: &str) {
    let erase = if PROGRESS_SHOWN.load(Ordering::Relaxed) {
        "\r\x1b[2K"
    } else {
        ""
    };
    let _ = writeln!(std::io::stderr().lock(), "{erase}{text}");
}
