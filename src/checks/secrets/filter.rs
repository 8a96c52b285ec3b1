//! Is a captured value really a secret? Shannon entropy and, for generic rules, whether the value
//! is code rather than a literal and whether it looks random rather than like an identifier, a
//! path or words. Placeholders are judged in `placeholder.rs`.

/// Shannon entropy in bits per byte.
pub fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// For generic rules, from the value's surroundings: is `data[start..end]` code rather than a
/// literal? A call or index (`Int64Value(v)`, `keys[0]`), a dotted identifier path left
/// unquoted (`nl.IFLA_BOND_PORT_KEY`, `a1.Indices`), or a struct-tag list
/// (`bytes,1,opt,name=key,proto3`). Real code in large trees was the generic rule's main noise.
pub fn looks_like_code(data: &[u8], start: usize, end: usize) -> bool {
    let s = &data[start..end];
    if s.contains(&b',') {
        return true;
    }
    let prev = start.checked_sub(1).map(|i| data[i]);
    let next = data.get(end).copied();
    if matches!(prev, Some(q @ (b'"' | b'\'' | b'`')) if next == Some(q)) {
        return false; // a quoted literal
    }
    // Unquoted. In a config file a value ends its line (or is followed by a comment); in code
    // it is an identifier, a type or an expression with more code after it (`secret *Cert)`,
    // `private InMemoryProvider $p;`, `key: [u8; 32],`, `'${{ github.sha }}'`).
    let line_end = data[end..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(data.len(), |p| end + p);
    let rest = data[end..line_end].trim_ascii();
    // Allowed after a literal: nothing, a comment, the next query parameter (`?token=…&pin=1`),
    // a connection-string separator (`Pwd=…;`), the closing quote of a larger string, or a
    // line continuation.
    let literal_end = rest.is_empty()
        || rest.starts_with(b"//")
        || matches!(rest[0], b'#' | b'&' | b';' | b'"' | b'\'' | b'`' | b'\\');
    if !literal_end {
        return true;
    }
    // A comparison is code, not an assignment: `if ipv4.Mask != IPv4HostMask`.
    let line_start = data[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let before = data[line_start..start].trim_ascii_end();
    if before.ends_with(b"==") || before.ends_with(b"!=") {
        return true;
    }
    let ident = |p: &[u8]| {
        p.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && p.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    // A key path given a value of its own (`routers.feedback-token-http.priority=200`, a Traefik
    // label): the name runs on past the keyword, and what follows it is another assignment.
    if let Some(eq) = s.iter().position(|&b| b == b'=') {
        let path = &s[..eq];
        if path.contains(&b'.') && path.split(|&b| b == b'.').all(ident) {
            return true;
        }
    }
    // A part that is a random run of letters and digits (a JWT's, a prefixed token's body) is
    // not a member name: `abc.def.k3j4h5g6…` is a token left unquoted.
    s.contains(&b'.')
        && s.split(|&b| b == b'.').all(ident)
        && !s.split(|&b| b == b'.').any(is_random_part)
}

/// A dotted value's part that no programmer names a member: 20+ letters and digits, digits in
/// three runs or more (`paymentKeyForRegion2024` has one), with the entropy of random text.
fn is_random_part(p: &[u8]) -> bool {
    let digit_runs = p
        .iter()
        .enumerate()
        .filter(|&(i, b)| b.is_ascii_digit() && (i == 0 || !p[i - 1].is_ascii_digit()))
        .count();
    p.len() >= 20 && digit_runs >= 3 && p.iter().all(u8::is_ascii_alphanumeric) && entropy(p) >= 3.5
}

/// For passwords in URLs (`scheme://user:PASSWORD@host`): documentation and tests spell out
/// URLs with credentials against reserved hosts (`example.com`, `*.test`, `*.invalid`,
/// Symfony's `@default`) or with a placeholder password in capitals (`CLIENT_SECRET`). Those are not leaks;
/// they were most of this rule's findings in large real trees.
pub fn is_example_url_password(data: &[u8], start: usize, end: usize) -> bool {
    let password = &data[start..end];
    if password
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && password.iter().any(u8::is_ascii_uppercase)
    {
        return true;
    }
    let host_start = end + 1; // past the `@`
    let host: Vec<u8> = data
        .get(host_start..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        .map(u8::to_ascii_lowercase)
        .collect();
    let host = host.as_slice();
    // A local service whose password is its user name (`postgres:postgres@localhost`): a
    // development default, not a leak.
    let local = matches!(host, b"localhost" | b"127.0.0.1" | b"0.0.0.0");
    let user = data[..start.saturating_sub(1)]
        .rsplit(|b| matches!(b, b'/' | b'@'))
        .next()
        .unwrap_or_default();
    if local && user == password {
        return true;
    }
    if is_stand_in_pair(user, password, local) {
        return true;
    }
    // Reserved for documentation and tests (RFC 2606 / 6761), plus Symfony's DSN placeholder.
    const EXACT: [&[u8]; 2] = [b"default", b"host.test"];
    const SUFFIXES: [&[u8]; 6] = [
        b"example.com",
        b"example.org",
        b"example.net",
        b".example",
        b".test",
        b".invalid",
    ];
    EXACT.contains(&host) || SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// For generic rules: does the value look like a random credential rather than code?
pub fn looks_random(s: &[u8]) -> bool {
    let letters = s.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let digits = s.iter().filter(|b| b.is_ascii_digit()).count();
    if letters == 0 {
        // Only long all-digit values: shorter ones are ids, ports, timestamps.
        return digits >= 20 && digits == s.len();
    }
    if is_public_key(s) || is_hex_number(s) {
        return false;
    }
    if digits == 0 {
        if is_camel_case(s) {
            return false; // `getOrCreateScriptInfo`
        }
        // No digit: accept only long values whose case flips like random text, not CamelCase.
        let flips = s
            .windows(2)
            .filter(|w| {
                w[0].is_ascii_lowercase() != w[1].is_ascii_lowercase()
                    && w[0].is_ascii_alphabetic()
                    && w[1].is_ascii_alphabetic()
            })
            .count();
        return s.len() >= 20 && flips * 3 >= s.len() && entropy(s) >= 3.5;
    }
    // Dotted or slashed identifiers: `jetbrains.mps.v8_elimination`, `com.example.Foo2`,
    // `X25519.KeyPair`, `a/b/c.txt`, Laravel's `required|string|min:8`. A credential rarely has
    // a dictionary word between dots.
    let parts: Vec<&[u8]> = s
        .split(|b| matches!(b, b'.' | b'/' | b'_' | b'-' | b':' | b'|'))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 && digits * 10 < s.len() && parts.iter().any(|p| is_word(p)) {
        return false;
    }
    // Short words joined up with numbers (`network1.table1`, `15008/default/waypoint`), or a
    // value that names what it stands for (`key-id-123`, `private-reg-token2`). A part of 12
    // characters or more may be the random part of a prefixed token, so those stay.
    let words = parts.iter().filter(|p| is_word(trim_digits(p))).count();
    let says_secret = parts.iter().any(|p| {
        let w = trim_digits(p).to_ascii_lowercase();
        STAND_IN_PARTS.contains(&w.as_slice())
    });
    let short = parts.iter().all(|p| p.len() < 12);
    if parts.len() >= 2 && short && (words >= 2 || says_secret) {
        return false;
    }
    // `DOC_Vector_5_32`: words and small numbers joined by separators.
    let plain = |p: &&[u8]| {
        p.iter().all(u8::is_ascii_alphabetic) || (p.len() <= 4 && p.iter().all(u8::is_ascii_digit))
    };
    if parts.len() >= 3 && parts.iter().all(plain) && parts.iter().any(|p| is_word(p)) {
        return false;
    }
    // Base64 of plain text such as a host name (`YmVkcm9jay5hbWF6b25hd3MuY29t`) is encoding, not a key.
    if let Some(decoded) = base64_decode(s) {
        let hostish = decoded
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'));
        let letters = decoded.iter().filter(|b| b.is_ascii_lowercase()).count();
        if decoded.len() >= 8 && hostish && letters * 10 >= decoded.len() * 7 {
            return false;
        }
        if is_words(&decoded) {
            return false;
        }
    }
    // A file name or path.
    if s.contains(&b'/') && s.split(|&b| b == b'/').count() > 2 && !s.ends_with(b"=") {
        let last = s.rsplit(|&b| b == b'/').next().unwrap_or(s);
        if last.contains(&b'.') {
            return false;
        }
    }
    // Version strings: 1.2.3, v2.0.0-rc1
    if s.iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'v' | b'r' | b'c'))
    {
        return false;
    }
    true
}

/// A user and password that only stand in for a pair: metasyntactic words (`foo:bar`,
/// `user:pass`), or, for a local service, a user named `<x>user` with the password `<x>pass`
/// (`cacheuser:cachepass@localhost`, a template's development default).
fn is_stand_in_pair(user: &[u8], password: &[u8], local: bool) -> bool {
    const META: &[&[u8]] = &[b"foo", b"bar", b"baz", b"qux", b"quux", b"user", b"pass"];
    let (user, password) = (user.to_ascii_lowercase(), password.to_ascii_lowercase());
    if META.contains(&user.as_slice()) && META.contains(&password.as_slice()) {
        return true;
    }
    let prefix = user
        .strip_suffix(b"user")
        .or_else(|| user.strip_suffix(b"_user"));
    local
        && prefix.is_some_and(|p| {
            [&b"pass"[..], b"password", b"_pass", b"_password"]
                .iter()
                .any(|s| password.strip_suffix(*s) == Some(p))
        })
}

/// Is `decoded` (what a base64 value encodes) words (`dGhlIHNhbXBsZSBub25jZQ==` is "the sample
/// nonce")? Printable, with a space or line break every dozen characters. (`user:password` has
/// none.)
pub fn is_words(decoded: &[u8]) -> bool {
    let printable = decoded
        .iter()
        .all(|b| b.is_ascii_graphic() || matches!(b, b' ' | b'\n' | b'\r' | b'\t'));
    let breaks = decoded.iter().filter(|b| matches!(b, b' ' | b'\n')).count();
    decoded.len() >= 8 && printable && breaks * 12 >= decoded.len()
}

/// Decodes standard or URL-safe base64 (padding optional); `None` if `s` is not base64.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let s = s
        .strip_suffix(b"==")
        .or_else(|| s.strip_suffix(b"="))
        .unwrap_or(s);
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Parts of a value that say it stands in for a secret rather than being one.
const STAND_IN_PARTS: &[&[u8]] = &[
    b"key",
    b"token",
    b"secret",
    b"password",
    b"passwd",
    b"pass",
    b"pwd",
    b"auth",
];

fn trim_digits(p: &[u8]) -> &[u8] {
    let end = p
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    &p[..end]
}

/// Does the match starting at `at` lie inside an Amazon Resource Name
/// (`arn:aws:secretsmanager:…:secret:Name-AbCdEf`)? An ARN names a secret, it holds none.
pub fn in_arn(data: &[u8], at: usize) -> bool {
    let line_start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1);
    let token_start = data[line_start..at]
        .iter()
        .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b'=' | b'('))
        .map_or(line_start, |i| line_start + i + 1);
    data[token_start..at].starts_with(b"arn:")
}

/// An identifier in camelCase or PascalCase (`getOrCreateScriptInfo`): capitals start words,
/// which are mostly two letters or longer and four on average (a run of capitals, an acronym,
/// is allowed; so are a few one-letter words, `…OfInferredProjectIfNow…`). In random letters
/// half the lower-case runs are a single letter.
fn is_camel_case(s: &[u8]) -> bool {
    if !s.iter().all(|b| b.is_ascii_alphabetic() || *b == b'_') {
        return false;
    }
    let runs: Vec<&[u8]> = s
        .split(|b| b.is_ascii_uppercase() || *b == b'_')
        .filter(|r| !r.is_empty())
        .collect();
    let short = runs.iter().filter(|r| r.len() < 2).count();
    let letters: usize = runs.iter().map(|r| r.len()).sum();
    runs.len() >= 2 && short * 3 <= runs.len() && letters >= 3 * runs.len()
}

/// A number written in hex (`-0x3fd796db`): a constant. A 256-bit key in hex is longer.
fn is_hex_number(s: &[u8]) -> bool {
    let s = s.strip_prefix(b"-").unwrap_or(s);
    s.strip_prefix(b"0x")
        .or_else(|| s.strip_prefix(b"0X"))
        .is_some_and(|h| (1..=16).contains(&h.len()) && h.iter().all(u8::is_ascii_hexdigit))
}

/// Base64 of a DER public key (SubjectPublicKeyInfo): its algorithm identifier followed by a
/// BIT STRING. Private keys (PKCS#8) carry an OCTET STRING there instead.
fn is_public_key(s: &[u8]) -> bool {
    const MARKERS: [&[u8]; 4] = [
        b"BgkqhkiG9w0BAQEFAAOC",       // RSA, 2048 bits and up
        b"A0GCSqGSIb3DQEBAQUAA4G",     // RSA, 1024 bits
        b"KoZIzj0CAQYIKoZIzj0DAQcDQg", // EC P-256
        b"MCowBQYDK2VwAyEA",           // Ed25519
    ];
    MARKERS.iter().any(|m| memchr::memmem::find(s, m).is_some())
}

/// A lower-case (or Capitalised) run of 5+ letters: a word in an identifier.
fn is_word(p: &[u8]) -> bool {
    p.len() >= 5
        && p.iter().all(u8::is_ascii_alphabetic)
        && p[1..].iter().all(u8::is_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unquoted_dotted_token_is_not_a_member_path() {
        let code = |s: &str| looks_like_code(s.as_bytes(), 0, s.len());
        assert!(code("session.credentials.accessToken"));
        assert!(code("cfg.regions.paymentGatewayKeyForRegion2024"));
        assert!(code("nl.IFLA_BOND_PORT_KEY"));
        assert!(!code("pub.v1.q8w7e6r5t4y3u2i1o0p9a8s7d6f5g4h3"));
        assert!(!code(
            "Hk2mQ9xWz41LpR7vTn3a.cD8eF0gH6jK2lM5nP9qR4sT7uV1wX3y"
        ));
    }

    #[test]
    fn entropy_of_simple_strings() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(entropy(b"0123456789abcdef0123456789abcdef") >= 4.0 - 1e-9);
    }

    #[test]
    fn randomness() {
        assert!(looks_random(b"9afd45ea93b219fd0f2b8e6d99c7d3c0"));
        assert!(looks_random(b"Jz7csTGvDKKtdUsyCQqlThkXspbLw4nyQXy1ubc185w"));
        assert!(!looks_random(b"jetbrains.mps.v8_elimination"));
        assert!(!looks_random(b"SecurityIdentifier"));
        assert!(!looks_random(b"1.2.3"));
        assert!(!looks_random(b"DOC_Vector_5_32"));
        assert!(!looks_random(b"YmVkcm9jay5hbWF6b25hd3MuY29t"));
        assert!(!looks_random(b"src/main/resources/app.properties"));
        assert!(!looks_random(b"required|string|min:8|confirmed"));
        assert!(!looks_random(b"changedFilesForExportMapCache"));
        assert!(!looks_random(b"getOrCreateHTTPClientForProject"));
        assert!(!looks_random(b"getOrCreateScriptInfoAndAttachToProject"));
        assert!(!looks_random(b"ExtKeyUsageSbgpCertAaServiceAuth"));
        assert!(looks_random(b"qWeRtYuIoPaSdFgHjKlZx"));
        assert!(!looks_random(b"network1.table1"));
        assert!(!looks_random(b"15008/default/waypoint"));
        assert!(!looks_random(b"key-id-123"));
        assert!(!looks_random(b"dGhlIHNhbXBsZSBub25jZQ=="));
        assert!(!looks_random(b"-0x3fd796db"));
        assert!(looks_random(
            b"0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
        ));
        assert!(!looks_random(
            b"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEmC1n2c7N"
        ));
    }
}
