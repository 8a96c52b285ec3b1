//! Modified files in history ranges (`scan --history`, pre-push, ci). A path's versions are
//! taken oldest first and the previous one stays in memory, so each blob is inflated once
//! however long the chain. Only the lines between the two versions' common head and tail can
//! be new, less the long unchanged blocks between edits (`unchanged_blocks`), so only those
//! are scanned (multi-line rules also read 64 lines around them); the
//! exact added lines (a diff) are computed only when something is found there. On rust-lang/cargo that is 47 MB of added lines out of 1.2 GB
//! of changed blobs.

use std::borrow::Cow;
use std::ops::Range;

use super::docs::UNREADABLE;
use super::engine::Engine;
use super::unchanged_blocks::split_at_unchanged;
use super::{binary_notes, findings_in_added, streamed, too_large};
use crate::changeset::ChangedFile;
use crate::checks::{or_unreadable_note, Context};
use crate::content::WHOLE_READ_MAX;
use crate::error::Result;
use crate::finding::Finding;
use crate::text;

/// Versions of one path scanned in sequence; longer chains are cut so that threads share them.
pub const CHAIN_PIECE: usize = 32;

/// Scans `versions` (one path, oldest first, each with an old blob).
pub fn scan_versions(
    ctx: &Context<'_>,
    engine: &Engine,
    versions: &[&ChangedFile],
) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    // The last version read: (blob id, content).
    let mut previous: Option<(&str, Cow<'_, [u8]>)> = None;
    let max = ctx.config.secrets.max_file_size.0;
    // Each version's size is looked up once: to decide whether to ask for it ahead, then to
    // decide whether to scan it.
    let mut size = None;
    for (i, f) in versions.iter().enumerate() {
        let this = size.take().unwrap_or_else(|| ctx.cs.size(f));
        let next = versions.get(i + 1).copied();
        size = next.map(|n| ctx.cs.size(n));
        let next = next.filter(|_| matches!(size, Some(Ok(s)) if s <= max));
        let r = this.and_then(|s| scan_version(ctx, engine, f, s, next, &mut previous));
        out.extend(or_unreadable_note(&UNREADABLE, f, r)?);
    }
    Ok(out)
}

fn scan_version<'a>(
    ctx: &'a Context<'_>,
    engine: &Engine,
    f: &'a ChangedFile,
    size: u64,
    next: Option<&ChangedFile>,
    previous: &mut Option<(&'a str, Cow<'a, [u8]>)>,
) -> Result<Vec<Finding>> {
    let (Some(new_id), Some(old_id)) = (f.blob_id(), f.old_blob.as_deref()) else {
        return Ok(Vec::new());
    };
    if let Some(notes) = too_large(ctx, &[f], size) {
        return Ok(notes);
    }
    // A version or its old one too large to hold is read in windows, and not kept.
    let old_held = matches!(previous, Some((id, _)) if *id == old_id);
    if size > WHOLE_READ_MAX || (!old_held && ctx.cs.blob_size(old_id)? > WHOLE_READ_MAX) {
        *previous = None;
        return streamed::scan(ctx, engine, &[f]);
    }
    let new = ctx.cs.content(f)?;
    // A binary version needs no old one (pre-commit sends binary modifications here too).
    let binary = text::is_binary(&new);
    let old = match previous.take() {
        Some((id, data)) if id == old_id => data,
        _ if binary => Cow::Borrowed(&[][..]),
        _ => Cow::Owned(ctx.cs.blob(old_id)?),
    };
    // The next version (if not too large to scan) is read while this one is scanned; asked
    // for after the old one, as `git cat-file` answers in order.
    if let Some(next) = next {
        ctx.cs.prefetch(next);
    }
    let out = if binary {
        binary_notes(ctx, &[f])
    } else {
        let region = changed_lines(&old, &new);
        // What follows the region in `new` is the end of `old`.
        let old_end = old.len().saturating_sub(new.len() - region.end);
        let old_region = old.get(region.start..old_end).unwrap_or_default();
        let parts = split_at_unchanged(old_region, &new, region);
        let mut hits = engine.scan_regions(f.path.as_bytes(), &new, &parts);
        // A multi-line rule reads lines around; what it finds outside the changed parts is old.
        hits.retain(|h| parts.iter().any(|r| h.start < r.end && r.start < h.end));
        if hits.is_empty() {
            Vec::new()
        } else {
            let added = ctx.cs.added_from(f, &old, &new)?;
            findings_in_added(ctx, engine, f, &new, &hits, added)
        }
    };
    *previous = Some((new_id, new));
    Ok(out)
}

/// The whole lines of `new` around what differs from `old` once their common head and tail
/// are set aside: every line a diff of the two can call added lies in here, because diffs keep
/// a common head and tail as they are. (A diff may slide an added block over identical lines
/// next to it; those lines were in `old` already, so nothing new is missed.)
pub fn changed_lines(old: &[u8], new: &[u8]) -> Range<usize> {
    let head = common_prefix(old, new);
    if head == new.len() && head == old.len() {
        return head..head; // identical
    }
    let room = old.len().min(new.len()) - head;
    let tail = common_suffix(old, new).min(room);
    let start = memchr::memrchr(b'\n', &new[..head]).map_or(0, |i| i + 1);
    let end_at = new.len() - tail;
    // A tail that starts a line in both versions is whole unchanged lines; otherwise the line
    // it starts in was changed.
    let line_start = |data: &[u8], at: usize| at == 0 || data[at - 1] == b'\n';
    let end = if line_start(new, end_at) && line_start(old, old.len() - tail) {
        end_at
    } else {
        memchr::memchr(b'\n', &new[end_at..]).map_or(new.len(), |i| end_at + i + 1)
    };
    start..end
}

/// Length of the longest common prefix, compared a block at a time (`==` on slices is memcmp).
pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n]
        .iter()
        .zip(&b[i..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Length of the longest common suffix.
pub(super) fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    i + a[..n - i]
        .iter()
        .rev()
        .zip(b[..n - i].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region<'a>(old: &str, new: &'a str) -> &'a str {
        &new[changed_lines(old.as_bytes(), new.as_bytes())]
    }

    #[test]
    fn only_the_lines_between_common_head_and_tail() {
        assert_eq!(region("a\nb\nc\n", "a\nB\nc\n"), "B\n");
        assert_eq!(region("a\nb\nc\n", "a\nb\nx\nc\n"), "x\n");
        assert_eq!(region("a\nc\n", "a\nb1\nb2\nc\n"), "b1\nb2\n");
        assert_eq!(region("a\nb\n", "a\nb\nc"), "c");
        assert_eq!(region("", "new\nfile\n"), "new\nfile\n");
        assert_eq!(region("same\n", "same\n"), "");
        assert_eq!(region("a\nb\n", "a\n"), "");
    }

    #[test]
    fn a_change_inside_a_line_takes_the_whole_line() {
        assert_eq!(
            region("key = \"old\"\nx\n", "key = \"n3w\"\nx\n"),
            "key = \"n3w\"\n"
        );
        assert_eq!(region("a\nxyz\n", "a\nxYz\n"), "xYz\n");
    }

    #[test]
    fn a_line_shortened_at_its_start_is_changed() {
        // "Xc" became "c": the bytes of "c\n" are common tail, but the line is new.
        assert_eq!(region("a\nXc\n", "a\nc\n"), "c\n");
    }

    #[test]
    fn long_blocks_compare_like_bytes() {
        let old = format!("{}\nold\n{}", "x".repeat(1000), "y".repeat(1000));
        let new = format!("{}\nnew\n{}", "x".repeat(1000), "y".repeat(1000));
        assert_eq!(&new[changed_lines(old.as_bytes(), new.as_bytes())], "new\n");
    }

    #[test]
    fn repeated_lines_do_not_hide_an_insertion() {
        // Head and tail overlap in `new`: the region still holds the inserted line.
        let r = region("k\nk\n", "k\nk\nk\n");
        assert!(r == "k\n" || r == "k\nk\n", "{r:?}");
        assert!(region("k\n", "k\nsecret\nk\n").contains("secret"));
    }
}
