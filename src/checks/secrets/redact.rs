//! Redaction: no output ever holds a whole secret. A finding shows at most a short prefix of
//! the secret (`ghp_Ab…[redacted]`): enough to recognise which credential it is, not to use it.

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
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .copied()
        .filter(|&(s, e)| s < line_end && e > line_start)
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
    out.trim_end_matches('\r').to_owned()
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
    fn line_with_two_secrets() {
        let data = b"a = SECRETONE1234, b = SECRETTWO5678\n";
        let s = redact_line(data, 0, data.len() - 1, &[(4, 17), (23, 36)]);
        assert_eq!(s, "a = SE…[redacted], b = SE…[redacted]");
    }
}
