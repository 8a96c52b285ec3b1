//! For rules keyed on a secret-ish name (`api_key = …`, `token: …`): is the name really a
//! secret's? Real code assigns high-entropy values to many names that only look like one:
//! lookup keys (`first_key`, `cacheKey`, `Sec-WebSocket-Key`), public keys
//! (`CertIssuerPublicKey`), and words that merely end like a keyword (`task`, `NETMASK`,
//! `minipass`). In ten large real projects these were a third of the generic rule's findings.

/// Words before `key` that make it a lookup or an identifier, not a credential.
const LOOKUP_QUALIFIERS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "next",
    "last",
    "prev",
    "previous",
    "sort",
    "partition",
    "range",
    "cache",
    "map",
    "lookup",
    "row",
    "column",
    "foreign",
    "unique",
    "index",
    "subset",
    "websocket",
    "socket",
    "ws",
    "idempotency",
    "dedup",
    "dedupe",
    "routing",
    "object",
    "translation",
    "i18n",
    "group",
    "label",
    "field",
    "attribute",
    "property",
    "item",
    "entry",
    "node",
    "dict",
    "hot",
    "shortcut",
    "sequence",
    "order",
    "kid",
];

/// Words ending in a keyword that are not secrets (`sk`, `pass` and `key` are suffixes).
const LOOKALIKE_WORDS: &[&str] = &[
    "bypass",
    "compass",
    "minipass",
    "askpass",
    "surpass",
    "trespass",
    "overpass",
    "underpass",
    "encompass",
    "monkey",
    "turkey",
    "hockey",
    "jockey",
    "whiskey",
    "donkey",
    "hotkey",
    "turnkey",
];

/// The name a value is assigned to: the identifier that ends at the keyword matched at `at`
/// (`db.first_key` in `db.first_key: "…"`).
pub fn name_at(data: &[u8], at: usize) -> &[u8] {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    let start = data[..at]
        .iter()
        .rposition(|&b| !is_name(b))
        .map_or(0, |i| i + 1);
    let end = data[at..]
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .map_or(data.len(), |i| at + i);
    &data[start..end]
}

/// The key a value starting at `start` is given on its line (`password` in `password: "x"`,
/// `"api-key" = x`), or nothing when no `:` or `=` comes before it.
pub fn key_before(data: &[u8], start: usize) -> &[u8] {
    let line_start = memchr::memrchr(b'\n', &data[..start]).map_or(0, |i| i + 1);
    let before = data[line_start..start].trim_ascii_end();
    let before = before
        .strip_suffix(b"\"")
        .or_else(|| before.strip_suffix(b"'"))
        .unwrap_or(before)
        .trim_ascii_end();
    let Some(before) = before
        .strip_suffix(b":")
        .or_else(|| before.strip_suffix(b"="))
    else {
        return b"";
    };
    let before = before.trim_ascii_end();
    let before = before
        .strip_suffix(b"\"")
        .or_else(|| before.strip_suffix(b"'"))
        .unwrap_or(before);
    let is_name = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    let from = before
        .iter()
        .rposition(|b| !is_name(b))
        .map_or(0, |i| i + 1);
    &before[from..]
}

/// True when `name` is not a secret's name.
pub fn is_ordinary_name(name: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    if memchr::memmem::find(&lower, b"public").is_some() {
        return true;
    }
    let words = words(name);
    let Some(LastWord {
        word,
        key_qualifier,
    }) = last_word(&words)
    else {
        return false;
    };
    if LOOKALIKE_WORDS.iter().any(|w| w.as_bytes() == word) {
        return true;
    }
    // `sk` (a secret key, as in Stripe's) only as a word of its own: not `task`, `netmask`;
    // `psk` is a Wi-Fi pre-shared key.
    if word.ends_with(b"sk") && word != b"sk" && word != b"psk" {
        return true;
    }
    // `first_key`, `cacheKey`, `subsetkey`: a lookup key.
    key_qualifier.is_some_and(|q| LOOKUP_QUALIFIERS.iter().any(|w| w.as_bytes() == q))
}

/// The last word of a name, as both name judges read it.
#[derive(Debug, PartialEq, Eq)]
pub struct LastWord<'a> {
    /// Without the digits that number it: `Mask8`, `key2` are a mask and a key.
    pub word: &'a [u8],
    /// When the word is a key, what kind: the word before a bare `key` (`cache` in
    /// `cache_key`), or the start of a word ending in `key` (`subset` in `subsetkey`).
    pub key_qualifier: Option<&'a [u8]>,
}

/// The last of `words` (from [`words`]), read as a [`LastWord`]; nothing for no words.
pub fn last_word(words: &[Vec<u8>]) -> Option<LastWord<'_>> {
    let last = words.last()?;
    let end = last
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let word = &last[..end];
    let key_qualifier = if word == b"key" {
        words.len().checked_sub(2).map(|i| words[i].as_slice())
    } else {
        word.strip_suffix(b"key")
    };
    Some(LastWord {
        word,
        key_qualifier,
    })
}

/// Lower-cased words of an identifier: split at punctuation and at lower-to-upper case changes
/// (`unlockKey` → `unlock`, `key`; `SIOCSIFNETMASK` stays one word).
pub fn words(name: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut cur = Vec::new();
    let mut prev_lower = false;
    for &b in name {
        if !b.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
        cur.push(b.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(line: &str, keyword: &str) -> String {
        let at = line.rfind(keyword).expect("keyword in line");
        String::from_utf8_lossy(name_at(line.as_bytes(), at)).into_owned()
    }

    #[test]
    fn the_name_ends_at_the_keyword() {
        assert_eq!(name("  \"first_key\": \"9E85\"", "key"), "first_key");
        assert_eq!(name("cfg.db.password = 'x'", "password"), "cfg.db.password");
        assert_eq!(name("task-ec2-awsvpc", "sk"), "task");
        assert_eq!(
            name(".header(\"Sec-WebSocket-Key\", \"x\")", "Key"),
            "Sec-WebSocket-Key"
        );
    }

    #[test]
    fn the_key_before_a_value() {
        let key = |line: &str, value: &str| {
            let at = line.rfind(value).expect("value in line");
            String::from_utf8_lossy(key_before(line.as_bytes(), at)).into_owned()
        };
        assert_eq!(key("  password: my-password", "my-password"), "password");
        assert_eq!(key("\"api-key\": \"abc\"", "abc"), "api-key");
        assert_eq!(
            key("x\nDB_PASSWORD=db_password", "db_password"),
            "DB_PASSWORD"
        );
        assert_eq!(key("Bearer abc", "abc"), "");
    }

    #[test]
    fn the_last_word_and_what_kind_of_key_it_is() {
        let read = |name: &str| {
            let w = words(name.as_bytes());
            last_word(&w).map(|l| {
                (
                    String::from_utf8_lossy(l.word).into_owned(),
                    l.key_qualifier
                        .map(|q| String::from_utf8_lossy(q).into_owned()),
                )
            })
        };
        let some = |w: &str, q: Option<&str>| Some((w.to_owned(), q.map(str::to_owned)));
        assert_eq!(read("cache_key2"), some("key", Some("cache")));
        assert_eq!(read("subsetkey"), some("subsetkey", Some("subset")));
        assert_eq!(read("key"), some("key", None));
        assert_eq!(read("reg16SizeMask8"), some("mask", None));
        assert_eq!(read("DB_PASSWORD"), some("password", None));
        assert_eq!(read("--"), None);
    }

    #[test]
    fn lookalikes_are_ordinary() {
        for n in [
            "first_key",
            "second_key",
            "subsetkey",
            "Sec-WebSocket-Key",
            "wsKey",
            "CertIssuerPublicKey",
            "public_key",
            "task",
            "SIOCSIFNETMASK",
            "umask",
            "minipass",
            "queue-microtask",
            "cacheKey",
            "reg16SizeMask8",
        ] {
            assert!(is_ordinary_name(n.as_bytes()), "{n}");
        }
    }

    #[test]
    fn secret_names_are_not() {
        for n in [
            "key",
            "api_key",
            "SECRET_KEY",
            "stripe_sk",
            "sk",
            "unlockKey",
            "primary_key",
            "DB_PASSWORD",
            "pass",
            "boxKEY",
            "privatekey",
            "access_token",
            "client-secret",
        ] {
            assert!(!is_ordinary_name(n.as_bytes()), "{n}");
        }
    }
}
