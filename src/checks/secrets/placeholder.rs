//! Placeholders are never leaks. A value stands in for a secret when it is a template
//! expression (`{{ x }}`, `${X}`, `%env(X)%`, `<% x %>`, `<x>`, `[x]`, `__X__`, …), a YAML tag
//! (`!Ref`), a masked value (`****`, `xxxx`, `…`), an obvious sequence (`abcdefgh`, `123456`),
//! a word that says so (`changeme`, `example`), an environment variable's name, the name of its
//! own key (`secret: secret`), or a sample key that a tool publishes in its documentation (AWS's
//! `AKIAIOSFODNN7EXAMPLE`, the Azurite and Cosmos DB emulator keys).

/// Sample credentials that tools publish in their documentation, and the fixed credentials of
/// local emulators: anyone may hold them, and they open nothing but a local emulator. Each one is
/// named with where it is documented.
const DOCUMENTED_SAMPLES: &[(&str, &str)] = &[
    // AWS IAM user guide, "Managing access keys": the example key pair.
    (
        "AKIAIOSFODNN7EXAMPLE",
        "AWS documentation example access key id",
    ),
    (
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS documentation example secret access key",
    ),
    // learn.microsoft.com, "Connect to Azurite": the well-known account devstoreaccount1.
    (
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "Azurite / Azure Storage Emulator well-known account key",
    ),
    // learn.microsoft.com, "Azure Cosmos DB emulator": the fixed emulator key.
    (
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
        "Azure Cosmos DB emulator key",
    ),
    // docs.localstack.cloud, "Credentials": any access key works; `test`/`test` is the convention.
    ("test", "LocalStack credentials"),
    // MinIO server documentation: the root user and password when none is set.
    ("minioadmin", "MinIO default root credentials"),
    // firebase.google.com, "Connect your app to the Authentication Emulator": the emulator
    // accepts `owner` as an administrator's bearer token.
    ("owner", "Firebase emulator administrator token"),
];

/// Words that mark a value as a stand-in, not a credential (matched case-insensitively inside it).
const STAND_IN_WORDS: &[&str] = &[
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your_",
    "your-",
    "yourtoken",
    "yourkey",
    "yourapi",
    "yoursecret",
    "yourpassword",
    "redacted",
    "dummy",
    "sample",
    "insert",
    "replace",
    "here",
    "todo",
    "process.env",
    "os.environ",
    "getenv",
    "env(",
    "env[",
    "env.",
    "secrets.",
    "vars.",
    "not_a_real",
    "notreal",
    "fake_",
    "-fake",
    "_fake",
    "test_key",
    "testkey",
    "mysecret",
    "mypassword",
    "password123",
    "secret123",
    "lorem",
    "foobar",
];

/// Template and variable syntax found anywhere in a value: it is filled in later.
const TEMPLATE_MARKS: &[&str] = &["${", "#{", "{{", "$(", "<%", "<"];

/// Does `s` hold template syntax? The marks of [`TEMPLATE_MARKS`] anywhere; Python's `%(name)`
/// only when closed, and `>` only after a `<`: a generated key draws `%(` and `>` from its
/// alphabet (Django's `django-insecure-…!%(^+=…`) without being a template.
fn has_template_mark(s: &[u8]) -> bool {
    let has = |w: &[u8]| memchr::memmem::find(s, w).is_some();
    TEMPLATE_MARKS.iter().any(|w| has(w.as_bytes()))
        || memchr::memmem::find(s, b"%(").is_some_and(|at| memchr::memchr(b')', &s[at..]).is_some())
}

/// Masks: the value was hidden before it was written down.
const MASKS: &[&str] = &[
    "xxxx",
    "****",
    "####",
    "....",
    "____",
    "\u{2026}",
    "\u{2022}\u{2022}",
];

/// Whole values that are placeholders in URLs, commands and assignments.
const STAND_IN_VALUES: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "token",
    "apikey",
    "api_key",
    "key",
    "null",
    "none",
    "nil",
    "undefined",
    "true",
    "false",
    "admin",
    "root",
    "user",
    "username",
    "testing",
    "guest",
    "default",
    "empty",
    "string",
    "value",
];

/// True when `s` is a placeholder rather than a credential.
pub fn is_placeholder(s: &[u8]) -> bool {
    if s.is_empty() {
        return true;
    }
    if DOCUMENTED_SAMPLES.iter().any(|(v, _)| v.as_bytes() == s) {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    let has = |w: &str| memchr::memmem::find(&lower, w.as_bytes()).is_some();
    if STAND_IN_VALUES.iter().any(|v| v.as_bytes() == lower) {
        return true;
    }
    // Long values (key bodies, JWTs) hold short words by chance; judge them by the strong ones.
    if s.len() > 256 {
        return ["example", "placeholder", "xxxxxxxx"]
            .iter()
            .any(|w| has(w));
    }
    if STAND_IN_WORDS.iter().chain(MASKS).any(|w| has(w)) {
        return true;
    }
    if has_template_mark(s) || is_template(s) || is_tag(s) {
        return true;
    }
    // Shortened in documentation: `9cbaf023786cd7...`.
    if s.ends_with(b"...") {
        return true;
    }
    is_env_name(s) || is_date_format_name(s) || is_mostly_one_char(s) || is_one_sequence(&lower)
}

/// Base64 of a placeholder (`cGFzc3dvcmQ=` is `password`, `Y2hhbmdlbWU=` is `changeme`): the
/// values of a Kubernetes Secret's `data:` are judged decoded.
pub fn is_encoded_placeholder(s: &[u8]) -> bool {
    // Short values only: a key's worth of base64 is never a stand-in word.
    if s.len() > 64 || !s.len().is_multiple_of(4) {
        return false;
    }
    super::filter::base64_decode(s).is_some_and(|d| {
        // Words (`aHVzaCBodXNoIGh1c2gK` is "hush hush hush") are a test's filler.
        super::filter::is_words(&d)
            || d.iter().all(|b| b.is_ascii_graphic()) && (is_placeholder(&d) || d.len() < 6)
    })
}

/// A template expression or variable filling the whole value: `$X`, `%X%`, `@X@`, `[X]`,
/// `__X__`, `%env(X)%`, `{X}`. (A `$` later on is a crypt(3) hash such as `$2y$12$…`.)
pub fn is_template(s: &[u8]) -> bool {
    let last = s[s.len() - 1];
    match s[0] {
        b'$' => !s[1..].contains(&b'$'),
        b'%' | b'@' => s.len() > 1 && last == s[0],
        b'[' => last == b']',
        b'{' => last == b'}',
        b'_' => s.len() > 4 && s.starts_with(b"__") && s.ends_with(b"__"),
        _ => false,
    }
}

/// A YAML tag that resolves the value elsewhere: CloudFormation's `!Ref`, `!ImportValue`,
/// `!Sub`, `!GetAtt`, Ansible's `!vault`, or any `!Tag`.
pub fn is_tag(s: &[u8]) -> bool {
    s[0] == b'!' && s.get(1).is_some_and(u8::is_ascii_alphabetic)
}

/// The name of an environment variable or constant, not its value: `BILLING_API_TOKEN`,
/// `YYYYMMDD_HHMM`. Capitals in two or more parts of two letters or more, no digit (generated
/// tokens in capitals hold digits).
pub fn is_env_name(s: &[u8]) -> bool {
    let mut parts = 0;
    for part in s.split(|&b| b == b'_') {
        if part.len() < 2 || !part.iter().all(u8::is_ascii_uppercase) {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// Words that name the parts of a date or a time in a format's name (`MonthDateYear_TIME`).
const DATE_WORDS: &[&str] = &[
    "year", "month", "week", "day", "date", "time", "hour", "minute", "second", "dash", "slash",
    "iso", "utc",
];

/// The name of a date or time format, as an enum or a setting's key holds it:
/// `DDMMYYYY_TIME_12H`, `MonthDateYear_TIME_24H`, `YYMMDD`. Parts joined by `_` or `-`, each
/// a run of date-pattern letters (`YYYY`, `MM`, `DD`, `HH`, `mm`, `ss`), a date word in any case,
/// or a clock (`12H`, `24H`); one part at least names a date. Generated tokens do not keep to
/// so few letters.
pub fn is_date_format_name(s: &[u8]) -> bool {
    let mut names_a_date = false;
    for part in s.split(|&b| b == b'_' || b == b'-') {
        if part.len() >= 2 && part.iter().all(|b| b"YyMDdHhmsS".contains(b)) {
            names_a_date |= part.len() >= 4;
        } else if let Some(n) = date_words_cover(part) {
            names_a_date |= n > 0;
        } else if !matches!(part, b"12H" | b"24H" | b"12h" | b"24h") {
            return false;
        }
    }
    names_a_date
}

/// How many date words `part` is made of, if it is made of nothing else.
fn date_words_cover(part: &[u8]) -> Option<usize> {
    let lower = part.to_ascii_lowercase();
    let mut rest = &lower[..];
    let mut n = 0;
    while !rest.is_empty() {
        let w = DATE_WORDS.iter().find(|w| rest.starts_with(w.as_bytes()))?;
        rest = &rest[w.len()..];
        n += 1;
    }
    (n > 0).then_some(n)
}

/// One character filling most of the value (`aaaaaaaa`, `4b1dXXXXXXXXXXXX`).
fn is_mostly_one_char(s: &[u8]) -> bool {
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0) as usize;
    if max * 2 > s.len() {
        return true;
    }
    let run = longest_run(s, |a, b| a == b);
    run >= 6 && run * 4 >= s.len()
}

/// The whole value one run of the alphabet or the digits in order, each character once
/// (`abcdefghijklmnopqrstuvwxyz`, `1234567890`, `qwertyuiop`). `lower` is lower-cased.
fn is_one_sequence(lower: &[u8]) -> bool {
    let ascending = |w: &[u8]| w[1] == w[0].wrapping_add(1) || w == b"90";
    let mut seen = [false; 256];
    let distinct = lower
        .iter()
        .all(|&b| !std::mem::replace(&mut seen[b as usize], true));
    lower.len() >= 8
        && distinct
        && (lower.windows(2).all(ascending) || KEYBOARD.iter().any(|r| r.starts_with(lower)))
}

/// Two ascending runs interleaved: `a1b2c3d4e5f6g7h8i9j0` (in a configuration file, where
/// examples fill keys with it; test corpora of other tools use it for tokens elsewhere).
fn is_interleaved(lower: &[u8]) -> bool {
    let ascending = |a: u8, b: u8| b == a.wrapping_add(1) || (a, b) == (b'9', b'0');
    let every_other = |from: usize| {
        let run: Vec<u8> = lower.iter().skip(from).step_by(2).copied().collect();
        run.windows(2).all(|w| ascending(w[0], w[1]))
    };
    every_other(0) && every_other(1)
}

const KEYBOARD: &[&[u8]] = &[b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// An obvious sequence: the alphabet or the digits in order (`abcdefghijklmnopqrstuvwxyz`,
/// `1234567890`, `qwertyuiop`), or such runs filling most of a value. `lower` is lower-cased.
pub fn is_sequence(lower: &[u8]) -> bool {
    let covered = sequence_cover(lower);
    covered >= 6 && covered * 3 >= lower.len() * 2 || lower.len() >= 8 && is_interleaved(lower)
}

/// How many characters of `lower` lie in runs of six or more ascending characters or of a
/// keyboard row.
fn sequence_cover(lower: &[u8]) -> usize {
    let ascending = |a: u8, b: u8| {
        b == a.wrapping_add(1) && (a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric())
            || a == b'9' && b == b'0'
    };
    let mut covered = 0usize;
    let mut i = 0;
    while i < lower.len() {
        let mut j = i + 1;
        while j < lower.len() && ascending(lower[j - 1], lower[j]) {
            j += 1;
        }
        let row = KEYBOARD
            .iter()
            .map(|r| common_prefix(&lower[i..], r))
            .max()
            .unwrap_or(0);
        let run = (j - i).max(row);
        if run >= 6 {
            covered += run;
            i += run;
        } else {
            i += 1;
        }
    }
    covered
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn longest_run(s: &[u8], same: impl Fn(u8, u8) -> bool) -> usize {
    let (mut best, mut cur) = (0, 0);
    let mut prev: Option<u8> = None;
    for &b in s {
        cur = if prev.is_some_and(|p| same(p, b)) {
            cur + 1
        } else {
            1
        };
        prev = Some(b);
        best = best.max(cur);
    }
    best
}

/// True when `value` only repeats the name of its key (`API_TOKEN=API_TOKEN`, `secret: secret`,
/// `DB_PASSWORD: db-password`), perhaps with a short word before it (`my-password`,
/// `your_token`): case and separators do not count.
pub fn is_named_after(key: &[u8], value: &[u8]) -> bool {
    let norm = |s: &[u8]| -> Vec<u8> {
        s.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect()
    };
    let (k, v) = (norm(key), norm(value));
    if k.is_empty() || v.is_empty() {
        return false;
    }
    if k == v || (k.ends_with(&v) && v.len() >= 4) {
        return true;
    }
    // `my-password`, `dev_secret`, `the-token`: a short word and the key's last word.
    let last = last_word(key);
    !last.is_empty() && v.ends_with(&last) && v.len() <= last.len() + 4
        || is_made_of_key_words(key, value)
}

/// True when `value` is made of the words of its key's name alone, perhaps with `dev`, `test`,
/// `local` or `demo` among them and an ascending run of digits after (`RUSTFS_SECRET_KEY=
/// devrustfs123`, `password: "Password#123"`, `ADMIN_PASSWORD=admin-password-1234`): the
/// developer spelled out the key, which no generator or person choosing a secret does.
pub fn is_made_of_key_words(key: &[u8], value: &[u8]) -> bool {
    const EXTRA: &[&[u8]] = &[b"dev", b"test", b"local", b"demo"];
    let words: Vec<Vec<u8>> = key
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2)
        .map(<[u8]>::to_ascii_lowercase)
        .collect();
    let v: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    let letters = v
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let digits = &v[letters..];
    let digits_in_order = digits.is_empty() || is_ascending_run(digits);
    if words.is_empty() || letters == 0 || !digits_in_order || value.len() > 48 {
        return false;
    }
    // Can `v[..letters]` be cut into the key's words and the extra ones, using a key word once?
    let v = &v[..letters];
    // reach[i]: v[..i] can be cut so; the bool says whether a key word was used.
    let mut reach: Vec<Option<bool>> = vec![None; letters + 1];
    reach[0] = Some(false);
    for i in 0..letters {
        let Some(used) = reach[i] else { continue };
        let cands = words.iter().map(|w| (w.as_slice(), true));
        for (w, is_key) in cands.chain(EXTRA.iter().map(|w| (*w, false))) {
            if v[i..].starts_with(w) {
                let r = &mut reach[i + w.len()];
                *r = Some(r.unwrap_or(false) || used || is_key);
            }
        }
    }
    reach[letters] == Some(true)
}

/// Digits counting up by one from 0 or 1 (`123`, `01234`): what a developer types, not a
/// generator.
fn is_ascending_run(digits: &[u8]) -> bool {
    digits.first().is_some_and(|d| matches!(d, b'0' | b'1'))
        && digits.windows(2).all(|w| w[1] == w[0] + 1)
}

/// `v` without an ascending run of three digits or more at its end (nor a separator before
/// it): `admin123` → `admin`, `devrustfs-service-1234` → `devrustfs-service`. A user name with
/// such a run after it is a development default's password. `None` when `v` ends otherwise
/// or under 4 characters are left.
pub fn user_stem(v: &[u8]) -> Option<&[u8]> {
    let letters = v
        .iter()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let digits = &v[letters..];
    let stem = &v[..letters];
    let stem = stem
        .strip_suffix(b"-")
        .or_else(|| stem.strip_suffix(b"_"))
        .or_else(|| stem.strip_suffix(b"."))
        .unwrap_or(stem);
    (digits.len() >= 3 && is_ascending_run(digits) && stem.len() >= 4).then_some(stem)
}

/// The last alphanumeric word of a name, lower-cased (`DB_PASSWORD` → `password`).
fn last_word(name: &[u8]) -> Vec<u8> {
    name.rsplit(|b| !b.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Does a URL hold a bracketed or templated part where its user or password goes
/// (`postgres://[user]:[password]@host`, `https://<user>:<token>@host`, `{user}:{password}`)?
pub fn is_bracketed_part(s: &[u8]) -> bool {
    matches!(
        (s.first(), s.last()),
        (Some(b'['), Some(b']')) | (Some(b'<'), Some(b'>')) | (Some(b'{'), Some(b'}'))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_tags_and_masks_are_placeholders() {
        for p in [
            "{{ .Values.token }}",
            "${GITHUB_TOKEN}",
            "$DB_PASSWORD",
            "%env(MAILER_PASSWORD)%",
            "%DB_PASSWORD%",
            "<%= ENV['X'] %>",
            "<your-token>",
            "[password]",
            "__SMTP_PASSWORD__",
            "{password}",
            "!Ref DbPassword",
            "!ImportValue shared-db-password",
            "********",
            "##########",
            "xxxxxxxxxxxxxxxx",
            "sk_live_\u{2026}",
            "9cbaf023786cd7...",
            "changeme",
            "EXAMPLEKEY123",
            "00000000000000000000aa",
            "4b1dXXXXXXXXXXXXXXXXXX",
            "BILLING_API_TOKEN",
            "YYYYMMDD_HHMM",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
    }

    /// Generated keys draw `%(` and `>` from their alphabet; only closed, they are templates.
    #[test]
    fn unclosed_template_marks_in_a_generated_key_are_not_templates() {
        for k in ["q7%(Zr8t2Lw9$Km4Vx8Nb6", "Hj3&k>qX9vB2pL7wZ"] {
            assert!(!is_placeholder(k.as_bytes()), "{k}");
        }
        for p in [
            "%(db_password)s",
            "pre%(name)s-post",
            "<your-key>",
            "a<b>c1",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
    }

    #[test]
    fn date_format_names_are_not_secrets() {
        for p in [
            "DDMMYYYY_TIME_12H",
            "DDMMYYYY_DASH_TIME_12H",
            "YYMMDD_TIME_24H",
            "MonthDateYear_TIME_12H",
            "DayMonthYear_TIME_12H",
            "yyyy-MM-dd_HH-mm",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        // Tokens and passwords that hold a date word or a clock are still judged.
        for s in [
            "Day7kQ2mZ9xW_TIME_12H",
            "xK9mDateQ2_12H",
            "Summer_Time_2024",
            "MMMMMMMMq7",
        ] {
            assert!(!is_date_format_name(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn sequences_and_documented_samples_are_placeholders() {
        for p in [
            "abcdefghijklmnopqrstuvwxyz",
            "1234567890",
            "qwertyuiop",
            "AKIAIOSFODNN7EXAMPLE",
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
            "minioadmin",
            "test",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        // Runs filling most of a value: placeholders where a value is judged by its key's name.
        for p in [
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_sequence(p.as_bytes()), "{p}");
        }
        assert!(!is_sequence(b"abcd1234efgh5678ijkl9012mnop3456"));
    }

    /// Examples fill a key with letters and digits in turn.
    #[test]
    fn interleaved_runs_are_placeholders_in_config() {
        assert!(is_sequence(b"a1b2c3d4e5f6g7h8i9j0"));
        assert!(is_sequence(b"0a1b2c3d4e5f6g7h8i9j"));
        assert!(!is_sequence(b"a1b2c3d4e5f6g7h8i9k0"));
        assert!(!is_sequence(b"a1c2e3g4i5k6m7o8"));
    }

    #[test]
    fn base64_of_a_placeholder() {
        for p in [
            "cGFzc3dvcmQ=",
            "Y2hhbmdlbWU=",
            "YWRtaW4=",
            "PHBhc3N3b3JkPg==",
        ] {
            assert!(is_encoded_placeholder(p.as_bytes()), "{p}");
        }
        // `Winter2024!db`, and a key's bytes.
        for s in ["V2ludGVyMjAyNCFkYg==", "q8Vd2kLz9WmX4pTbq8Vd2kLz9WmX4pTb"] {
            assert!(!is_encoded_placeholder(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn credentials_are_not_placeholders() {
        for s in [
            "ghp_Zx81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD",
            "D1fficultP%40ssw0rd",
            "hunter2x",
            "Winter2024!db",
            "abcd1234efgh5678ijkl9012mnop3456",
            "$2y$12$Qm9vYmFyYmF6cXV4cXV1eA",
            "AKIAQ3EGRT5JYHMPLW7K",
            "SWMKEY-1-y6guTZNTwpQeTL5RhUfOsdBdXoQjiB2GADHSRJvbXeE",
        ] {
            assert!(!is_placeholder(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn a_user_name_and_an_ascending_digit_run() {
        assert_eq!(user_stem(b"admin123"), Some(&b"admin"[..]));
        assert_eq!(
            user_stem(b"devrustfs-service-1234"),
            Some(&b"devrustfs-service"[..])
        );
        assert_eq!(user_stem(b"labadmin0123"), Some(&b"labadmin"[..]));
        for v in [
            "admin12",
            "admin739",
            "admin1235",
            "abc123",
            "123456",
            "Kq7vHs2x",
        ] {
            assert_eq!(user_stem(v.as_bytes()), None, "{v}");
        }
    }

    #[test]
    fn a_value_named_after_its_key() {
        for (k, v) in [
            ("API_TOKEN", "API_TOKEN"),
            ("secret", "secret"),
            ("DB_PASSWORD", "db-password"),
            ("password", "my-password"),
            ("api-key", "your_key"),
            ("password", "Password"),
        ] {
            assert!(is_named_after(k.as_bytes(), v.as_bytes()), "{k}={v}");
        }
        for (k, v) in [("password", "Winter2024!db"), ("token", "q8Vd2kLz9WmX4pTb")] {
            assert!(!is_named_after(k.as_bytes(), v.as_bytes()), "{k}={v}");
        }
    }

    #[test]
    fn a_value_made_of_its_keys_words() {
        for (k, v) in [
            ("RUSTFS_SECRET_KEY", "devrustfs123"),
            ("RUSTFS_SERVICE_PASSWORD", "devrustfs-service123"),
            ("password", "Password#123"),
            ("ADMIN_PASSWORD", "admin-password-1234"),
            ("db_password", "localdb01"),
        ] {
            assert!(is_made_of_key_words(k.as_bytes(), v.as_bytes()), "{k}={v}");
        }
        for (k, v) in [
            ("S3_SECRET_KEY", "devrustfs-service123"),
            ("RUSTFS_SECRET_KEY", "devrustfs987"),
            ("password", "Password#1971"),
            ("password", "dev123"),
            ("DB_PASSWORD", "Copper7697-jnh"),
            ("KEY", "123"),
        ] {
            assert!(!is_made_of_key_words(k.as_bytes(), v.as_bytes()), "{k}={v}");
        }
    }
}
