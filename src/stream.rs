//! A file's text in windows, for files too large to hold whole: decoded to UTF-8 piece by piece
//! (`encoding.rs`), cut at line ends, each window repeating the last `overlap` bytes of the one
//! before. A match no longer than `overlap` that starts in a window's owned part lies wholly in
//! that window; each position is owned by exactly one window, so whoever reports only matches
//! starting in the owned part reports every match once. Memory stays a few windows' worth
//! whatever the file's size.

use std::io::{ErrorKind, Read};
use std::sync::{Condvar, Mutex};

use crate::encoding::Decoder;

/// Decoded bytes per window (before the overlap carried into the next one).
pub const WINDOW: usize = 8 << 20;

/// Bytes asked of the reader at a time.
const READ: usize = 1 << 20;

/// Files streamed at once, whatever the number of threads: each holds about two windows.
const STREAMS_AT_ONCE: usize = 4;

/// One window of a file's decoded text.
#[derive(Debug)]
pub struct Window<'a> {
    /// Starts at a line start, unless a line longer than a quarter window was cut.
    pub text: &'a [u8],
    /// Decoded bytes of the file before `text`.
    pub offset: u64,
    /// 1-based number of the line `text` starts in.
    pub first_line: u32,
    /// Characters of that line before `text` (0 unless a long line was cut).
    pub first_column: u32,
    /// `text[..owned]` belongs to this window; the next window starts at `owned`. A match is
    /// this window's to report when it starts before `owned`.
    pub owned: usize,
    /// The file's first window (where binary content is recognised).
    pub first: bool,
}

/// What the caller of [`windows`] wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Continue,
    /// Stop reading (a binary file, say).
    Stop,
}

/// Feeds `f` the windows of `reader`'s text with `overlap` bytes repeated between neighbours.
/// Returns the number of bytes read from `reader`.
/// `read_error` turns an error of `reader` into the caller's.
pub fn windows<E>(
    reader: &mut dyn Read,
    overlap: usize,
    read_error: impl Fn(std::io::Error) -> E,
    f: impl FnMut(&Window<'_>) -> Result<Next, E>,
) -> Result<u64, E> {
    windows_of(reader, overlap, WINDOW, read_error, f)
}

/// [`windows`] with windows of `size` bytes (tests use small ones). A window is at least four
/// overlaps long, so that every window moves on.
pub fn windows_of<E>(
    reader: &mut dyn Read,
    overlap: usize,
    size: usize,
    read_error: impl Fn(std::io::Error) -> E,
    mut f: impl FnMut(&Window<'_>) -> Result<Next, E>,
) -> Result<u64, E> {
    let _permit = Permit::take();
    let size = size.max(overlap.saturating_mul(4)).max(4);
    // A line longer than this is cut (at a character boundary) rather than carried whole.
    let long_line = size / 4;
    let mut raw = vec![0u8; READ.min(size)];
    let mut buf: Vec<u8> = Vec::with_capacity(size + size / 2 + 4 * raw.len());
    let mut decoder = Decoder::default();
    let (mut read_total, mut offset, mut line, mut column) = (0u64, 0u64, 1u32, 0u32);
    let mut eof = false;
    let mut first = true;
    loop {
        while !eof && buf.len() < size {
            let n = match reader.read(&mut raw) {
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            };
            read_total += n as u64;
            eof = n == 0;
            decoder.feed(&raw[..n], eof, &mut buf);
        }
        if buf.is_empty() && !first {
            return Ok(read_total);
        }
        let end = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) if buf.len() - (i + 1) <= long_line => i + 1,
                _ => char_floor(&buf, buf.len()),
            }
        };
        let owned = if eof {
            end
        } else {
            let target = end.saturating_sub(overlap);
            match memchr::memrchr(b'\n', &buf[..target]) {
                Some(i) if target - (i + 1) <= long_line => i + 1,
                _ => char_floor(&buf, target),
            }
        };
        let w = Window {
            text: &buf[..end],
            offset,
            first_line: line,
            first_column: column,
            owned,
            first,
        };
        if f(&w)? == Next::Stop || eof {
            return Ok(read_total);
        }
        let gone = &buf[..owned];
        let newlines = memchr::memchr_iter(b'\n', gone).count();
        line = line.saturating_add(newlines as u32);
        column = match memchr::memrchr(b'\n', gone) {
            Some(i) => crate::text::char_count(&gone[i + 1..]) as u32,
            None => column.saturating_add(crate::text::char_count(gone) as u32),
        };
        offset += owned as u64;
        buf.drain(..owned);
        first = false;
    }
}

/// The start of the character `at` is in: back over at most three UTF-8 continuation bytes
/// (bytes that are not UTF-8 are cut where they are).
fn char_floor(data: &[u8], at: usize) -> usize {
    let continuation = |i: usize| data.get(i).is_some_and(|b| b & 0xC0 == 0x80);
    let mut i = at;
    while i > 0 && at - i < 3 && continuation(i) {
        i -= 1;
    }
    if continuation(i) {
        at
    } else {
        i
    }
}

/// A place among the [`STREAMS_AT_ONCE`] files streamed at a time. A thread holds at most one:
/// a stream opened while this thread already streams (an old version read to compare) goes
/// ahead, so that threads never wait on each other in a circle.
struct Permit {
    counted: bool,
}

static STREAMING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

thread_local! {
    static HOLDS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl Permit {
    fn take() -> Permit {
        if HOLDS.with(|h| h.get()) {
            return Permit { counted: false };
        }
        let mut n = STREAMING.lock().unwrap_or_else(|e| e.into_inner());
        while *n >= STREAMS_AT_ONCE {
            n = FREED.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        *n += 1;
        HOLDS.with(|h| h.set(true));
        Permit { counted: true }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if !self.counted {
            return;
        }
        HOLDS.with(|h| h.set(false));
        let mut n = STREAMING.lock().unwrap_or_else(|e| e.into_inner());
        *n = n.saturating_sub(1);
        FREED.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (owned text, first line, first column) of each window.
    fn cut(text: &[u8], overlap: usize, size: usize) -> Vec<(Vec<u8>, u32, u32)> {
        let mut out = Vec::new();
        let mut r = text;
        let n = windows_of::<std::io::Error>(
            &mut r,
            overlap,
            size,
            |e| e,
            |w| {
                assert!(w.owned <= w.text.len());
                if w.owned < w.text.len() {
                    assert!(w.text.len() - w.owned >= overlap.min(w.text.len()));
                }
                out.push((w.text[..w.owned].to_vec(), w.first_line, w.first_column));
                Ok(Next::Continue)
            },
        )
        .unwrap();
        assert_eq!(n, text.len() as u64);
        out
    }

    #[test]
    fn owned_parts_tile_the_text_and_count_lines() {
        let text: Vec<u8> = (0..500)
            .flat_map(|i| format!("line {i} {}\n", "x".repeat(i % 17)).into_bytes())
            .collect();
        for (overlap, size) in [(10, 64), (0, 100), (50, 200), (3, 4096)] {
            let ws = cut(&text, overlap, size);
            assert!(ws.len() > 1 || size > text.len());
            let joined: Vec<u8> = ws.iter().flat_map(|w| w.0.clone()).collect();
            assert_eq!(joined, text, "overlap {overlap}, size {size}");
            let mut line = 1;
            for (owned, first_line, column) in &ws {
                assert_eq!((*first_line, *column), (line, 0));
                assert!(owned.ends_with(b"\n"), "cut at line ends");
                line += owned.iter().filter(|&&b| b == b'\n').count() as u32;
            }
        }
    }

    #[test]
    fn a_long_line_is_cut_at_a_character_boundary() {
        let text = "é".repeat(300).into_bytes();
        let ws = cut(&text, 8, 64);
        assert!(ws.len() > 2);
        let mut column = 0;
        for (owned, line, first_column) in &ws {
            assert!(std::str::from_utf8(owned).is_ok(), "{owned:?}");
            assert_eq!((*line, *first_column), (1, column));
            column += std::str::from_utf8(owned).map_or(0, |s| s.chars().count()) as u32;
        }
        let joined: Vec<u8> = ws.iter().flat_map(|w| w.0.clone()).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn utf16_is_decoded_across_reads() {
        let mut data = vec![0xFF, 0xFE];
        let text = "ключ = 1\n".repeat(100);
        data.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let ws = cut(&data, 4, 64);
        let joined: Vec<u8> = ws.iter().flat_map(|w| w.0.clone()).collect();
        assert_eq!(joined, text.as_bytes());
    }

    #[test]
    fn empty_input_is_one_empty_window() {
        assert_eq!(cut(b"", 4, 64), vec![(Vec::new(), 1, 0)]);
    }
}
