//! Checksum lock files. Translation tools (lingo.dev's `i18n.lock`) record, under a top-level
//! `checksums:` mapping, a content hash for each message id. The ids name the text they stand
//! for (`auth/forgot-password/reset/new_password`, `workspace/api_keys/add_api_key`), so
//! secret-ish names come up by the dozen, and the hashes look random; they are digests of public
//! text, not credentials. The file is recognised by its format, not by its name.

use std::ops::Range;

/// Lines of the block read to decide whether it is a checksum mapping.
const SAMPLE_LINES: usize = 16;

/// The byte range of a YAML `checksums:` mapping whose entries are hex digests, if `data` has
/// one: from the line after `checksums:` to the next top-level line.
pub fn checksum_block(data: &[u8]) -> Option<Range<usize>> {
    let mut pos = 0;
    let mut block: Option<usize> = None;
    let mut digests = 0;
    let mut sampled = 0;
    for line in data.split_inclusive(|&b| b == b'\n') {
        let start = pos;
        pos += line.len();
        let text = trim_end(line);
        if text.is_empty() {
            continue;
        }
        let top_level = !matches!(text[0], b' ' | b'\t');
        match block {
            None if text == b"checksums:" => block = Some(pos),
            None => {}
            Some(from) if top_level => return (digests > 0).then_some(from..start),
            Some(_) if sampled < SAMPLE_LINES => {
                sampled += 1;
                // A nested mapping's key (`  55dc…:`) or an entry (`    id: <digest>`).
                if digest_value(text).is_some() {
                    digests += 1;
                } else if !text.ends_with(b":") {
                    return None;
                }
            }
            Some(_) => {}
        }
    }
    let from = block?;
    (digests > 0).then_some(from..data.len())
}

/// Is `hit` (a byte range) the digest of an entry in `block`?
pub fn is_digest_entry(data: &[u8], block: &Range<usize>, hit: &Range<usize>) -> bool {
    if !block.contains(&hit.start) {
        return false;
    }
    let line_start = data[..hit.start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &data[hit.start..]).map_or(data.len(), |i| hit.start + i);
    let line = trim_end(&data[line_start..line_end]);
    digest_value(line).is_some_and(|v| {
        let v = (line_start + v.start)..(line_start + v.end);
        v.start <= hit.start && hit.end <= v.end
    })
}

/// In `  id: <digest>`, the range of a hex digest (MD5, SHA-1 or SHA-256 long) that fills the value.
fn digest_value(line: &[u8]) -> Option<Range<usize>> {
    let colon = memchr::memchr(b':', line)?;
    let key = &line[..colon];
    if key.trim_ascii().is_empty() {
        return None;
    }
    let start = colon + 1 + line[colon + 1..].iter().take_while(|&&b| b == b' ').count();
    let value = &line[start..];
    let is_digest = matches!(value.len(), 32 | 40 | 64)
        && value
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    is_digest.then_some(start..line.len())
}

fn trim_end(line: &[u8]) -> &[u8] {
    let n = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &line[..n]
}

#[cfg(test)]
mod tests {
    use super::*;

    // Digests made up for the test.
    const LOCK: &str = "version: 1\nchecksums:\n  0a1b2c3d4e5f60718293a4b5c6d7e8f9:\n    \
        auth/reset/new_password: 5e0c9a7b31d24f8e96a0b1c2d3e4f5a6\n    \
        workspace/api_keys/add_api_key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0\n";

    fn hit_of(data: &str, value: &str) -> Range<usize> {
        let s = data.find(value).unwrap();
        s..s + value.len()
    }

    #[test]
    fn a_translation_lock_holds_digests_keyed_by_message_ids() {
        let block = checksum_block(LOCK.as_bytes()).expect("a checksum block");
        for v in [
            "5e0c9a7b31d24f8e96a0b1c2d3e4f5a6",
            "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
        ] {
            assert!(
                is_digest_entry(LOCK.as_bytes(), &block, &hit_of(LOCK, v)),
                "{v}"
            );
        }
    }

    #[test]
    fn look_alikes_are_not_checksum_locks() {
        // Not hex, a secret beside the digests, or `checksums:` nested under another key.
        for text in [
            "checksums:\n  db_password: Zq8wR2vN5tY7uK1x\n",
            "checksums:\n  a: 5e0c9a7b31d24f8e96a0b1c2d3e4f5a6\n  api_token: Zq8wR2vN5tY7uK1xZq8wR2vN5tY7uK1x\n",
            "app:\n  checksums:\n    a: 5e0c9a7b31d24f8e96a0b1c2d3e4f5a6\n",
            "version: 1\nsecrets:\n  token: 5e0c9a7b31d24f8e96a0b1c2d3e4f5a6\n",
        ] {
            assert!(checksum_block(text.as_bytes()).is_none(), "{text}");
        }
    }

    #[test]
    fn only_digests_inside_the_block_are_entries() {
        let text = format!("{LOCK}secrets:\n  token: 1234567890abcdef1234567890abcdef\n");
        let block = checksum_block(text.as_bytes()).expect("a checksum block");
        let after = hit_of(&text, "1234567890abcdef1234567890abcdef");
        assert!(!is_digest_entry(text.as_bytes(), &block, &after));
    }
}
