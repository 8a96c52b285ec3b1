//! Redaction: no output ever holds a whole secret. A finding shows at most a short prefix of
//! the secret (`ghp_Ab…[redacted]`): enough to recognise which credential it is, not to use it.
//! Besides the secrets check's own snippets, every text any finding shows (message, help,
//! snippet: they quote commit subjects, branch names, MR titles) is searched with the engine
//! and redacted the same way before it reaches a report.

use std::borrow::Cow;

use super::engine::Engine;

/// The redacted form of a secret: up to 6 leading characters (fewer for short secrets, none
/// under 10), then `…[redacted]`.
pub fn redact(secret: &[u8]) -> String {
    let text = String::from_utf8_lossy(secret);
    let n = text.chars().count();
    let keep = if n < 10 { 0 } else { (n / 5).min(6) };
    let mut out: String = text
        .chars()
        .take(keep)
        .filter(|c| !c.is_control())
        .collect();
    out.push_str("…[redacted]");
    out
}

/// The line `line_start..line_end` of `data` with every secret span in `spans` (absolute byte
/// ranges, possibly reaching beyond the line) replaced by its redacted form.
pub fn redact_line(
    data: &[u8],
    line_start: usize,
    line_end: usize,
    spans: &[(usize, usize)],
) -> String {
    replace_spans(data, line_start, line_end, spans)
        .trim_end_matches('\r')
        .to_owned()
}

/// `text` with every secret replaced by its redacted form; borrowed when it holds none (the
/// common case costs one keyword pass). Text derived from users' text (a suggested branch name
/// is the branch lower-cased and re-punctuated) must be derived from this: a rewritten token is
/// no longer recognisable, but still leaks.
pub fn redacted<'t>(engine: &Engine, text: &'t str) -> Cow<'t, str> {
    let hits = engine.scan(b"", text.as_bytes());
    if hits.is_empty() {
        return Cow::Borrowed(text);
    }
    let spans: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
    Cow::Owned(replace_spans(text.as_bytes(), 0, text.len(), &spans))
}

/// [`redacted`], in place.
pub fn redact_in_place(engine: &Engine, text: &mut String) {
    if let Cow::Owned(r) = redacted(engine, text) {
        *text = r;
    }
}

/// `data[line_start..line_end]` with the parts of `spans` inside it redacted.
fn replace_spans(
    data: &[u8],
    line_start: usize,
    line_end: usize,
    spans: &[(usize, usize)],
) -> String {
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .copied()
        .filter(|&(s, e)| s < line_end && e > line_start)
        .map(|(s, e)| whole_chars(data, s, e))
        .collect();
    spans.sort_unstable();
    let mut out = String::new();
    let mut pos = line_start;
    for (s, e) in spans {
        let s_in = s.max(line_start);
        if s_in < pos {
            // Overlapping spans: the earlier one already covered this part.
            pos = pos.max(e.min(line_end));
            continue;
        }
        out.push_str(&String::from_utf8_lossy(&data[pos..s_in]));
        out.push_str(&redact(&data[s..e]));
        pos = e.min(line_end);
    }
    if pos < line_end {
        out.push_str(&String::from_utf8_lossy(&data[pos..line_end]));
    }
    out
}

/// `s..e` widened to whole UTF-8 sequences: a rule's byte-level match may start or end inside a
/// character, and cutting there would print half of it as U+FFFD.
fn whole_chars(data: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    let continuation = |b: u8| b & 0xC0 == 0x80;
    while s > 0 && data.get(s).is_some_and(|&b| continuation(b)) {
        s -= 1;
    }
    while data.get(e).is_some_and(|&b| continuation(b)) {
        e += 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_short_prefix() {
        let secret = format!("ghp_{}", "Ab81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD");
        assert_eq!(redact(secret.as_bytes()), "ghp_Ab…[redacted]");
        assert_eq!(redact(b"hunter2"), "…[redacted]");
    }

    #[test]
    fn spans_inside_a_character_take_the_whole_character() {
        let data = "ab €SECRETONE1234€ cd".as_bytes();
        // A match starting on the second byte of the first `€` and ending inside the last.
        let (s, e) = (4, data.len() - 5);
        let s = redact_line(data, 0, data.len(), &[(s, e)]);
        assert_eq!(s, "ab €SE…[redacted] cd");
        assert!(!s.contains('\u{FFFD}'), "{s}");
    }

    #[test]
    fn text_with_a_token_is_redacted_and_plain_text_is_kept() {
        let engine = Engine::new(
            crate::checks::secrets::rules::builtin_specs().to_vec(),
            Vec::new(),
            false,
        );
        let token = ["gh", "p_", "Zx81kQ2mN4pL7vR0", "sT9wY3uB6cE5fH1jK8aD"].concat();
        let mut text = format!("fix: use {token}\n\nsee ü");
        redact_in_place(&engine, &mut text);
        assert_eq!(text, "fix: use ghp_Zx…[redacted]\n\nsee ü");
        let mut plain = "feat(auth): rate-limit logins".to_owned();
        redact_in_place(&engine, &mut plain);
        assert_eq!(plain, "feat(auth): rate-limit logins");
    }

    #[test]
    fn line_with_two_secrets() {
        let data = b"a = SECRETONE1234, b = SECRETTWO5678\n";
        let s = redact_line(data, 0, data.len() - 1, &[(4, 17), (23, 36)]);
        assert_eq!(s, "a = SE…[redacted], b = SE…[redacted]");
    }
}
