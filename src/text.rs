//! Small text helpers shared by checks and reports.

/// Git's own heuristic: a NUL byte in the first 8000 bytes means binary.
pub fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8000)].contains(&0)
}

/// Characters in UTF-8 `data` (bytes that are not UTF-8 count one each, near enough): columns
/// are counted in characters, as an editor shows them.
pub fn char_count(data: &[u8]) -> usize {
    data.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Lines with 1-based numbers, without the line ending (`\n` or `\r\n`).
pub fn lines(data: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    let mut rest = if data.is_empty() { None } else { Some(data) };
    let mut n = 0u32;
    std::iter::from_fn(move || {
        let r = rest?;
        n += 1;
        let (line, next) = match r.iter().position(|&b| b == b'\n') {
            Some(i) => (&r[..i], Some(&r[i + 1..]).filter(|s| !s.is_empty())),
            None => (r, None),
        };
        rest = next;
        Some((n, line.strip_suffix(b"\r").unwrap_or(line)))
    })
}

/// `s` without `prefix`, compared ASCII-case-insensitively (`Status:`, `Migration-Reviewed-By:`).
pub fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `s` cut to at most `max` characters, or `None` when it fits: at the last space that keeps
/// more than half of it, else after the `max`th character (never inside one: `é`, `🎉`).
pub fn shorten(s: &str, max: usize) -> Option<&str> {
    let (end, _) = s.char_indices().nth(max)?;
    let cut = &s[..end];
    let half = cut.chars().count() / 2;
    match cut.rfind(' ') {
        Some(sp) if cut[..sp].chars().count() > half => Some(cut[..sp].trim_end()),
        _ => Some(cut),
    }
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lines() {
        let v: Vec<_> = lines(b"a\r\nb\n\nc").collect();
        assert_eq!(v, vec![(1, &b"a"[..]), (2, b"b"), (3, b""), (4, b"c")]);
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(lines(b"x\n").count(), 1);
    }

    #[test]
    fn characters() {
        assert_eq!(char_count("a é 🎉".as_bytes()), 5);
        assert_eq!(char_count(b""), 0);
    }

    #[test]
    fn shortened_at_a_word_or_a_character() {
        assert_eq!(shorten("fix: short", 72), None);
        assert_eq!(shorten("fix: a b", 8), None);
        assert_eq!(shorten("feat: déjà vu again", 15), Some("feat: déjà vu"));
        assert_eq!(shorten("🎉🎉🎉🎉", 2), Some("🎉🎉"));
        assert_eq!(shorten("feat: überlangeswort", 10), Some("feat: über"));
        assert_eq!(shorten("é", 0), Some(""));
    }

    #[test]
    fn sizes() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(5 << 20), "5.0 MiB");
    }
}
