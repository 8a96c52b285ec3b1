//! Splitting a changed region at the long unchanged blocks inside it. Two edits far apart in a
//! file make everything between them one region when only the common head and tail are set
//! aside: on rust-lang/cargo's history that was 318 MB to search for keywords. A block is taken
//! as unchanged when a line from the middle of the new region occurs once in the old region
//! and the identical bytes around it, in both, span at least [`BLOCK_MIN`] bytes of whole
//! lines; the parts before and after are split the same way, each against its own side of the
//! old region, so blocks are paired in order as a diff pairs them. Hashing every line to find
//! them cost more than the keyword search it saved; this costs a substring search and two
//! block compares per split.

use std::ops::Range;

use super::history::{common_prefix, common_suffix};

/// Regions shorter than this are scanned whole.
const SPLIT_MIN: usize = 2 * 1024;
/// An identical run shorter than this does not split a region.
const BLOCK_MIN: usize = 512;
/// The bytes looked up in the old region, from a line start in the middle of the new one.
const ANCHOR: usize = 32;
/// Line starts tried, one after another from the middle, for an anchor the old region holds
/// once (code repeats short lines: closing braces, blank lines, imports).
const ANCHOR_TRIES: usize = 16;
/// Splits of one region at most, so a file of many small edits is not searched many times.
const MAX_SPLITS: usize = 64;

/// `region` of `new` (whole lines) in the parts that can hold new lines, in order, apart and
/// each of whole lines. `old_region` is what `region` replaced.
pub fn split_at_unchanged(
    old_region: &[u8],
    new: &[u8],
    region: Range<usize>,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut budget = MAX_SPLITS;
    split(old_region, new, region, &mut budget, &mut out);
    out
}

fn split(old: &[u8], new: &[u8], r: Range<usize>, budget: &mut usize, out: &mut Vec<Range<usize>>) {
    if r.is_empty() {
        return;
    }
    let found = (r.len() >= SPLIT_MIN && old.len() >= BLOCK_MIN && *budget > 0)
        .then(|| unchanged_block(old, &new[r.clone()]))
        .flatten();
    let Some((block, old_block)) = found else {
        out.push(r);
        return;
    };
    *budget -= 1;
    split(
        &old[..old_block.start],
        new,
        r.start..r.start + block.start,
        budget,
        out,
    );
    split(
        &old[old_block.end..],
        new,
        r.start + block.end..r.end,
        budget,
        out,
    );
}

/// A run of whole lines of `new` (at least `BLOCK_MIN` long) equal to a run of whole lines of
/// `old`, found around an anchor that occurs once in `old`: its ranges in `new` and in `old`.
fn unchanged_block(old: &[u8], new: &[u8]) -> Option<(Range<usize>, Range<usize>)> {
    let mut a = new.len() / 2;
    let mut found = None;
    for _ in 0..ANCHOR_TRIES {
        a += memchr::memchr(b'\n', &new[a..])? + 1;
        let needle = new.get(a..a + ANCHOR)?;
        let mut hits = memchr::memmem::find_iter(old, needle);
        let Some(p) = hits.next() else {
            continue; // a changed line
        };
        // Repeated text: which copy a diff would pair is not known here.
        if hits.next().is_none() {
            found = Some(p);
            break;
        }
    }
    let p = found?;
    let back = common_suffix(&old[..p], &new[..a]);
    let forward = common_prefix(&old[p..], &new[a..]);
    let (mut start, end) = (a - back, a + forward);
    let in_old = |i: usize| i + p - a;
    // Shrink to whole lines: a line is unchanged only if it starts a line in both versions.
    let starts_line = |data: &[u8], i: usize| i == 0 || data[i - 1] == b'\n';
    if !(starts_line(new, start) && starts_line(old, in_old(start))) {
        start += memchr::memchr(b'\n', &new[start..end])? + 1;
    }
    // Both versions end a line where the run's last newline is (its bytes are the same).
    let end = start + memchr::memrchr(b'\n', &new[start..end])? + 1;
    (end - start >= BLOCK_MIN).then(|| (start..end, in_old(start)..in_old(end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` distinct lines, each about 40 bytes.
    fn lines(tag: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{tag} line number {i:05} of the text\n"))
            .collect()
    }

    #[test]
    fn two_edits_far_apart_are_two_regions() {
        let middle = lines("same", 400);
        let old = format!("old top\n{middle}old bottom\n");
        let new = format!("new top\n{middle}new bottom\n");
        let got: Vec<&str> = split_at_unchanged(old.as_bytes(), new.as_bytes(), 0..new.len())
            .into_iter()
            .map(|r| &new[r])
            .collect();
        assert_eq!(got, ["new top\n", "new bottom\n"]);
    }

    #[test]
    fn a_block_moved_is_scanned_where_it_now_is() {
        let (a, b) = (lines("alpha", 200), lines("beta", 200));
        let old = format!("{a}{b}");
        let new = format!("{b}{a}");
        let parts = split_at_unchanged(old.as_bytes(), new.as_bytes(), 0..new.len());
        let covered: usize = parts.iter().map(|r| r.len()).sum();
        // One of the two blocks is paired with its old copy; the other is new where it is.
        assert!(covered >= a.len().min(b.len()), "{parts:?}");
        assert!(covered < new.len());
    }

    #[test]
    fn repeated_text_is_not_split() {
        let block = lines("dup", 100);
        let old = format!("{block}x\n{block}");
        let new = format!("{block}y\n{block}");
        let parts = split_at_unchanged(old.as_bytes(), new.as_bytes(), 0..new.len());
        assert_eq!(parts, vec![0..new.len()]);
    }

    #[test]
    fn every_line_a_diff_adds_is_kept() {
        // Edits scattered through a large file, checked against libgit2's diff.
        let base: Vec<String> = (0..3000)
            .map(|i| format!("let v{i} = compute({i});"))
            .collect();
        let mut new = base.clone();
        for (k, at) in [5usize, 700, 701, 1500, 2999, 2200].iter().enumerate() {
            new[*at] = format!("let secret{k} = \"changed value {k}\";");
        }
        new.insert(1200, "inserted = true;".into());
        new.remove(400);
        let (old, new) = (base.join("\n") + "\n", new.join("\n") + "\n");
        let parts = split_at_unchanged(old.as_bytes(), new.as_bytes(), 0..new.len());
        assert!(parts.len() > 3, "{parts:?}");
        let added = crate::git::added_between(old.as_bytes(), new.as_bytes()).unwrap();
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', new.as_bytes()).map(|i| i + 1))
            .collect();
        for (first, last) in added {
            for line in first..=last {
                let at = line_starts[line as usize - 1];
                assert!(
                    parts.iter().any(|r| r.contains(&at)),
                    "added line {line} outside {parts:?}"
                );
            }
        }
    }
}
