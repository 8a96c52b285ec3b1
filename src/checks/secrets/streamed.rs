//! Files too large to read whole (over `content::WHOLE_READ_MAX`, with `max_file_size` raised):
//! scanned window by window (`stream.rs`), neighbouring windows overlapping by the engine's
//! longest multi-line match, so that memory stays a few windows' worth whatever the size. A
//! hit is reported by the window it starts in, and only once; line numbers count from the
//! file's start. Two things differ from a file read whole: a multi-line rule whose keyword only
//! appears further down than the key is not found, and for a modified file too large to diff,
//! a line is added when the old version has no identical line (`ChangeSet::added_among`).

use super::engine::{line_bounds, Engine, Hit};
use super::{binary_notes, file_finding, Context};
use crate::changeset::{ChangedFile, LineKey};
use crate::error::Result;
use crate::finding::Finding;
use crate::stream::{Next, Window};
use crate::text;

/// A finding waiting for the file's added lines to be known, with the lines it spans.
struct Pending {
    finding: Finding,
    lines: Vec<(u32, LineKey)>,
}

/// Scans `group` (one path and content, in one or more commits) in windows.
pub fn scan(ctx: &Context<'_>, engine: &Engine, group: &[&ChangedFile]) -> Result<Vec<Finding>> {
    let first = group[0];
    let path = first.path.as_bytes();
    let mut seen = Seen::default();
    // For each file of the group.
    let mut pending: Vec<Vec<Pending>> = group.iter().map(|_| Vec::new()).collect();
    let mut binary = false;
    ctx.cs.windows(first, engine.window(), |w: &Window<'_>| {
        if w.first && text::is_binary(w.text) {
            binary = true;
            return Ok(Next::Stop);
        }
        let (hits, spans) = window_hits(engine, path, w, &mut seen);
        for h in &hits {
            let lines = line_keys(w.text, h);
            for (f, pending) in group.iter().zip(&mut pending) {
                if let Some(finding) = file_finding(ctx, engine, f, w.text, h, &spans) {
                    pending.push(Pending {
                        finding,
                        lines: lines.clone(),
                    });
                }
            }
        }
        Ok(Next::Continue)
    })?;
    if binary {
        return Ok(binary_notes(ctx, group));
    }
    let mut out = Vec::new();
    for (f, mine) in group.iter().zip(pending) {
        if mine.is_empty() {
            continue;
        }
        let keys: Vec<(u32, LineKey)> = mine.iter().flat_map(|p| p.lines.clone()).collect();
        let added = ctx.cs.added_among(f, &keys, None)?;
        out.extend(
            mine.into_iter()
                .filter(|p| p.lines.iter().any(|&(n, _)| added.contains(n)))
                .map(|p| p.finding),
        );
    }
    Ok(out)
}

/// What the windows before have found.
#[derive(Default)]
struct Seen {
    /// File-scoped rules whose keyword has been seen (see `Engine::scan_window`).
    file_rules: Vec<u32>,
    /// End, in the file's decoded text, of the last hit reported: a hit of the next window that
    /// overlaps it is the same secret seen again.
    reported_until: u64,
}

/// The hits window `w` reports (whose match starts in its owned part, not seen before), their
/// line numbers counted from the file's start and positions in `w.text`; and the spans of all
/// its hits, which snippets redact whether reported here or not.
fn window_hits(
    engine: &Engine,
    path: &[u8],
    w: &Window<'_>,
    seen: &mut Seen,
) -> (Vec<Hit>, Vec<(usize, usize)>) {
    let mut hits = engine.scan_window(path, w.text, &mut seen.file_rules);
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    hits.retain(|h| {
        // The whole match lies in this window when it starts in the owned part; the secret
        // itself may start later (a key's body after its BEGIN line).
        let start = w.offset + h.start as u64;
        let mine = h.match_start < w.owned && start >= seen.reported_until;
        if mine {
            seen.reported_until = w.offset + h.end as u64;
        }
        mine
    });
    for h in &mut hits {
        if h.line == 1 {
            h.column += w.first_column;
        }
        h.line += w.first_line - 1;
        h.end_line += w.first_line - 1;
    }
    (hits, spans)
}

/// The numbers and keys of the lines `h` spans in `data` (its line numbers already in the file).
fn line_keys(data: &[u8], h: &Hit) -> Vec<(u32, LineKey)> {
    let (start, end) = line_bounds(data, h.start, h.end);
    data[start..end]
        .split(|&b| b == b'\n')
        .zip(h.line..)
        .map(|(line, n)| (n, LineKey::of(line)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::secrets::{engine_for, SecretsConfig};
    use crate::stream::windows_of;

    fn key_block() -> String {
        let body = "MIIEowIBAAKCAQEAn6O8li0SX4m98LLYtPKSzEmQ2ZBD7Loh9P13f4yQ92EF3yxR5Ms";
        let kind = ["PRIV", "ATE KEY"].concat();
        format!("-----BEGIN RSA {kind}-----\n{body}\n{body}\n{body}==\n-----END RSA {kind}-----\n")
    }

    /// (rule, line, column, end line) of hits.
    type Spots = Vec<(usize, u32, u32, u32)>;

    /// The hits, scanning whole and in windows of `size`.
    fn both_ways(text: &str, size: usize) -> (Spots, Spots) {
        let engine = engine_for(&SecretsConfig::default(), false);
        let of = |h: &Hit| (h.rule, h.line, h.column, h.end_line);
        let whole: Vec<_> = engine
            .scan(b"f.txt", text.as_bytes())
            .iter()
            .map(of)
            .collect();
        let mut seen = Seen::default();
        let mut windowed = Vec::new();
        let mut windows = 0;
        let mut r = text.as_bytes();
        windows_of::<()>(
            &mut r,
            engine.window(),
            size,
            |_| (),
            |w| {
                windows += 1;
                windowed.extend(
                    window_hits(&engine, b"f.txt", w, &mut seen)
                        .0
                        .iter()
                        .map(of),
                );
                Ok(Next::Continue)
            },
        )
        .unwrap();
        assert!(windows > 2, "{windows} windows");
        (whole, windowed)
    }

    #[test]
    fn windows_find_what_a_whole_read_finds_once_each() {
        let token = ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat();
        let window = engine_for(&SecretsConfig::default(), false).window();
        assert!(window >= 64 << 10, "the private-key rule's bound: {window}");
        let size = 4 * window;
        let filler = "let x = compute(total, items.len()); // nothing to see\n";
        let mut text = String::new();
        // A token on every few hundred lines and keys across each window boundary.
        let mut next_key = size - 100;
        while text.len() < 5 * size {
            if text.len() >= next_key {
                text.push_str(&key_block());
                next_key += size - window;
            }
            text.push_str(filler);
            if text.len().is_multiple_of(7) {
                text.push_str(&format!("token = \"{token}\" é\n"));
            }
        }
        let (whole, windowed) = both_ways(&text, size);
        assert!(whole.len() > 10, "{}", whole.len());
        same(&windowed, &whole);
    }

    #[test]
    fn a_key_straddling_every_cut_is_found_once() {
        // Keys back to back: whichever way the windows fall, some key crosses each cut.
        let window = engine_for(&SecretsConfig::default(), false).window();
        let keys = key_block().repeat(3 * 4 * window / key_block().len());
        let (whole, windowed) = both_ways(&format!("intro\n{keys}"), 4 * window);
        assert!(whole.len() > 1000, "{}", whole.len());
        same(&windowed, &whole);
    }

    fn same(windowed: &[(usize, u32, u32, u32)], whole: &[(usize, u32, u32, u32)]) {
        let first = windowed.iter().zip(whole).position(|(a, b)| a != b);
        assert!(
            first.is_none() && windowed.len() == whole.len(),
            "{} hits in windows, {} whole; first difference at {first:?}: {:?} / {:?}",
            windowed.len(),
            whole.len(),
            first.and_then(|i| windowed.get(i)),
            first.and_then(|i| whole.get(i)),
        );
    }
}
