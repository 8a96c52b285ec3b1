//! Values judged by what they encode. HTTP Basic credentials (`Authorization: Basic …`) and
//! the `auth` entries of Docker's `config.json` are base64 of `user:password`: the encoded
//! text always looks random, so it is decoded and the password judged as a literal would be.
//! (A Kubernetes Secret's `data:` values are judged decoded by
//! [`placeholder::is_encoded_placeholder`].)

use super::{assignment, filter, placeholder};

/// Is `encoded` base64 of `user:password` with a password that is a literal, not a
/// placeholder (`${PASSWORD}`, `changeme`, `xxxx`), secret words joined (`secret-passwd`), a
/// repeat of the user name (`admin:admin`) or under 4 characters? (RFC 7617's `Aladdin:open sesame` is reported: it
/// is a working pair wherever a server was set up from the RFC.) Anything that does not decode
/// to such a pair (random bytes, a token without a colon) is not one.
pub fn is_leaked_basic_auth(encoded: &[u8]) -> bool {
    basic_auth_pair(encoded).is_some_and(|(user, password)| is_literal(&user, &password))
}

/// Is `encoded` base64 of `user:password` whose password is a stand-in (`user:${PASSWORD}`)?
/// Whichever rule finds such a value (a generic `auth: …`), it is a placeholder.
pub fn is_encoded_stand_in_pair(encoded: &[u8]) -> bool {
    basic_auth_pair(encoded).is_some_and(|(user, password)| !is_literal(&user, &password))
}

fn is_literal(user: &str, password: &str) -> bool {
    !(password.chars().count() < 4
        || password == user
        || placeholder::is_placeholder(password.as_bytes())
        // Secret words joined (`secret-passwd`): a test's stand-in, as a config value would be.
        || assignment::names_a_secret(password.as_bytes())
        || placeholder::is_named_after(user.as_bytes(), password.as_bytes()))
}

/// The user and password `encoded` holds, when it is padded standard base64 of UTF-8 text
/// `user:password` with a user name free of spaces and no control characters.
fn basic_auth_pair(encoded: &[u8]) -> Option<(String, String)> {
    if encoded.is_empty()
        || !encoded.len().is_multiple_of(4)
        || encoded.iter().any(|b| matches!(b, b'-' | b'_'))
    {
        return None;
    }
    let text = String::from_utf8(filter::base64_decode(encoded)?).ok()?;
    if text.chars().any(char::is_control) {
        return None;
    }
    let (user, password) = text.split_once(':')?;
    if user.chars().any(char::is_whitespace) {
        return None;
    }
    Some((user.to_owned(), password.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENCODED: &[(&str, &str)] = &[
        ("ci-bot:Q7v2LmX9pR4t", "Y2ktYm90OlE3djJMbVg5cFI0dA=="),
        ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ("deploy:hunter2024", "ZGVwbG95Omh1bnRlcjIwMjQ="),
        (":s3cr3t-token-value", "OnMzY3IzdC10b2tlbi12YWx1ZQ=="),
        ("j@x.io:pä55wörd", "akB4LmlvOnDDpDU1d8O2cmQ="),
        ("user:${PASSWORD}", "dXNlcjoke1BBU1NXT1JEfQ=="),
        ("user:$PASSWORD", "dXNlcjokUEFTU1dPUkQ="),
        ("user:password", "dXNlcjpwYXNzd29yZA=="),
        ("user:changeme", "dXNlcjpjaGFuZ2VtZQ=="),
        ("user:<password>", "dXNlcjo8cGFzc3dvcmQ+"),
        ("alice:secret-passwd", "YWxpY2U6c2VjcmV0LXBhc3N3ZA=="),
        ("admin:admin", "YWRtaW46YWRtaW4="),
        ("user:abc", "dXNlcjphYmM="),
        ("user:", "dXNlcjo="),
        ("no colon here", "bm8gY29sb24gaGVyZQ=="),
        ("two words:Q7v2LmX9pR4t", "dHdvIHdvcmRzOlE3djJMbVg5cFI0dA=="),
    ];

    /// `pair` in base64, from the table below (written with `base64(1)`).
    fn b64(pair: &str) -> &'static str {
        ENCODED
            .iter()
            .find(|(p, _)| *p == pair)
            .map(|(_, e)| *e)
            .unwrap_or_else(|| panic!("no encoding of {pair} in the table"))
    }

    #[test]
    fn a_literal_password_is_a_leak() {
        for pair in [
            "ci-bot:Q7v2LmX9pR4t",
            "deploy:hunter2024",
            ":s3cr3t-token-value",
            "j@x.io:pä55wörd",
        ] {
            assert!(is_leaked_basic_auth(b64(pair).as_bytes()), "{pair}");
        }
    }

    #[test]
    fn placeholders_and_non_pairs_are_not() {
        for pair in [
            "user:${PASSWORD}",
            "user:$PASSWORD",
            "user:password",
            "user:changeme",
            "user:<password>",
            "alice:secret-passwd",
            "admin:admin",
            "user:abc",
            "user:",
            "no colon here",
            "two words:Q7v2LmX9pR4t",
        ] {
            assert!(!is_leaked_basic_auth(b64(pair).as_bytes()), "{pair}");
        }
        assert!(is_encoded_stand_in_pair(b64("user:${PASSWORD}").as_bytes()));
        assert!(!is_encoded_stand_in_pair(
            b64("ci-bot:Q7v2LmX9pR4t").as_bytes()
        ));
        // Not base64 of text: random bytes, unpadded, URL-safe, a word.
        for s in [
            "3q2+7wABAgMEBQYHCAkKCw==",
            "Y2ktYm90OlE3djJMbVg5cFI0dA",
            "authentication",
        ] {
            assert!(!is_leaked_basic_auth(s.as_bytes()), "{s}");
        }
    }
}
