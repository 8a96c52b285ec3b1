//! In a configuration file, a literal value given to a password-, secret- or token-like key is a
//! leak whatever its entropy (`password: Winter2024!`), unless it is a placeholder. This finds
//! the key around a secret word and reads the value it is given, in the forms config files use:
//! `key: value`, `key = value`, `"key": "value"`, `key value`, `<key>value</key>`,
//! `key="value"`, `<add key="key" value="value"/>`, `define('KEY', 'value')`, `'key' => 'value'`.

use std::ops::Range;

use super::dialect::Dialect;
use super::{names, placeholder};

/// A key and the literal value it is given, as byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: Range<usize>,
    pub value: Range<usize>,
    /// The format the file is read in: a dotted path is code's reference only in code.
    pub dialect: Dialect,
}

/// The shortest literal judged: shorter values are flags, ports and single words.
const MIN_LEN: usize = 6;

/// Last words of a key that name a secret (`DB_PASSWORD`, `requirepass`, `jwtSecret`).
const SECRET_ENDINGS: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"passphrase",
    b"pass",
    b"pwd",
    b"secret",
    b"token",
    b"apikey",
    b"credential",
    b"credentials",
    // wpa_supplicant's and NetworkManager's Wi-Fi key, sssd's `ldap_default_authtok`.
    b"psk",
    b"authtok",
];

/// Words before `key` that make it a credential (`api_key`, `SECRET_KEY`, `AUTH_KEY`); a bare
/// `key` is more often a lookup key or an enum's.
const KEY_QUALIFIERS: &[&[u8]] = &[
    b"api",
    b"secret",
    b"access",
    b"private",
    b"master",
    b"account",
    b"auth",
    b"encryption",
    b"signing",
    b"license",
    b"client",
    b"app",
    b"shared",
    b"storage",
    b"subscription",
    b"admin",
    b"logged",
    b"nonce",
    b"secure",
];

/// Value prefixes that point to where the secret is kept instead of holding it.
const REFERENCES: &[&[u8]] = &[
    b"vault:",
    b"arn:",
    b"env:",
    b"file:",
    b"ssm:",
    b"op://",
    b"enc(",
    b"sm://",
    b"secret:",
    b"keyvault:",
    b"awssm:",
    b"gcpsm:",
    b"ref+",
    // A sops-encrypted value: `ENC[AES256_GCM,data:…,type:str]`.
    b"enc[",
    b"/",
    b"./",
    b"../",
    b"~/",
    b"*",
    b"&",
    b"!",
];

/// The assignment around the secret word matched at `at` in `data`, when its name is a secret's
/// and a value follows it on its line (judge the value with [`is_leak`]).
pub fn at(data: &[u8], at: usize, dialect: Dialect) -> Option<Assignment> {
    let name = name_around(data, at);
    if !is_secret_name(&data[name.clone()]) || in_expression(data, &name) {
        return None;
    }
    let line_end = memchr::memchr(b'\n', &data[name.end..]).map_or(data.len(), |i| name.end + i);
    let line_end = if data[..line_end].ends_with(b"\r") {
        line_end - 1
    } else {
        line_end
    };
    let value = value_after(data, &name, line_end, dialect)?;
    Some(Assignment {
        name,
        value,
        dialect,
    })
}

/// Is the value of assignment `a` a literal secret: long enough, not a placeholder, not its
/// key's own name, not a pointer to where the secret is kept?
pub fn is_leak(data: &[u8], a: &Assignment) -> bool {
    let v = &data[a.value.clone()];
    v.len() >= MIN_LEN
        && !placeholder::is_placeholder(v)
        && !placeholder::is_sequence(&v.to_ascii_lowercase())
        && !placeholder::is_named_after(&data[a.name.clone()], v)
        && !is_reference(v, a.dialect)
        && !is_version_range(v)
        && !is_hex_filler(v)
}

/// Hex words that programmers give a config key as filler (`ENCRYPTION_KEY="CAFEBABE"`). Only
/// in an assignment: in a URL (`http://cafebabe:deadbeef@host`) a rule's format decides.
fn is_hex_filler(v: &[u8]) -> bool {
    [&b"cafebabe"[..], b"deadbeef"]
        .iter()
        .any(|w| v.eq_ignore_ascii_case(w))
}

/// Is the name a variable inside an expression rather than a key? A shell or compose default
/// (`${GOOGLE_CREDENTIALS:-/dev/null}`), or a Go/Helm template action
/// (`{{- $redisPassword := include "chart.redisPassword" . }}`): the value is computed.
fn in_expression(data: &[u8], name: &Range<usize>) -> bool {
    let before = &data[..name.start];
    if before.ends_with(b"${") {
        return true;
    }
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let line = &before[line_start..];
    memchr::memmem::rfind(line, b"{{")
        .is_some_and(|open| memchr::memmem::find(&line[open..], b"}}").is_none())
}

/// A package's version range (`"@types/jsonwebtoken": "^9.0.10"`): a dependency's name may end
/// in a secret word.
fn is_version_range(v: &[u8]) -> bool {
    let v = v
        .strip_prefix(b"^")
        .or_else(|| v.strip_prefix(b"~"))
        .unwrap_or(v);
    v.first().is_some_and(u8::is_ascii_digit)
        && v.iter().filter(|&&b| b == b'.').count() >= 2
        && v.iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
}

/// A development default: the value also names something else in the file, given to a key that
/// is not a secret's (`POSTGRES_USER=nextcloud` beside `POSTGRES_PASSWORD=nextcloud`,
/// `image: grafana/grafana` beside `GF_SECURITY_ADMIN_PASSWORD=grafana`), as
/// `postgres:postgres@localhost` does in a URL, or it is such a name with an ascending digit run
/// after it (`RUSTFS_SERVICE_USER=devrustfs-service` beside `…SECRET_KEY=devrustfs-service123`,
/// `Username: admin` beside `Password: admin123`). A real password is not the service's or the
/// user's name.
pub fn is_dev_default(data: &[u8], a: &Assignment) -> bool {
    is_dev_default_value(data, &data[a.name.clone()], a.value.clone())
}

/// [`is_dev_default`] for the value at `value` given to the key `own_key`, whichever rule read
/// it. The same value given to the same key again names nothing else.
pub fn is_dev_default_value(data: &[u8], own_key: &[u8], value: Range<usize>) -> bool {
    let v = &data[value.clone()];
    let elsewhere = |v: &[u8], whole: bool| names_elsewhere(data, v, (value.start, own_key), whole);
    elsewhere(v, false) || placeholder::user_stem(v).is_some_and(|stem| elsewhere(stem, true))
}

/// Does `v` occur at another place in `data` than `own` (its offset and key), given to another
/// key that is not a secret's: as a value's part (`grafana/grafana`), or when `whole`, as the
/// whole value (a user's name is not `devrustfs` in `devrustfs-service`)? Never inside a URL:
/// a path or query (`/d/<token>`, `?key=<token>`) carries the value, it names nothing else.
fn names_elsewhere(data: &[u8], v: &[u8], own: (usize, &[u8]), whole: bool) -> bool {
    let word = |b: Option<&u8>| {
        b.is_some_and(|b| {
            b.is_ascii_alphanumeric()
                || *b == b'_'
                || (whole && matches!(b, b'-' | b'.' | b'/' | b'@' | b'+' | b':'))
        })
    };
    memchr::memmem::find_iter(data, v).any(|at| {
        let end = at + v.len();
        if at == own.0 || word(at.checked_sub(1).and_then(|i| data.get(i))) || word(data.get(end)) {
            return false;
        }
        let line_start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1);
        let token_start = data[line_start..at]
            .iter()
            .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`'))
            .map_or(line_start, |i| line_start + i + 1);
        if memchr::memmem::find(&data[token_start..at], b"://").is_some() {
            return false;
        }
        // The key of that line: before the value, or before the value's first part.
        let part = data[line_start..at]
            .iter()
            .rposition(|b| b.is_ascii_whitespace() || matches!(b, b':' | b'='))
            .map_or(line_start, |i| line_start + i + 1);
        let key = names::key_before(data, part);
        !key.is_empty() && !is_secret_name(key) && !key.eq_ignore_ascii_case(own.1)
    })
}

/// The key holding the byte at `at`: letters, digits, `_`, `-` and `.` on both sides.
fn name_around(data: &[u8], at: usize) -> Range<usize> {
    let part = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let start = data[..at]
        .iter()
        .rposition(|b| !part(b))
        .map_or(0, |i| i + 1);
    let end = data[at..]
        .iter()
        .position(|b| !part(b))
        .map_or(data.len(), |i| at + i);
    // A trailing `.` or `-` ends a sentence or a YAML list, not the name.
    let end = start + data[start..end].trim_ascii_end().len();
    let trimmed = data[start..end]
        .iter()
        .rposition(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .map_or(start, |i| start + i + 1);
    let lead = data[start..trimmed]
        .iter()
        .position(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .map_or(trimmed, |i| start + i);
    lead..trimmed
}

/// Is `name` a secret's: does its last word name one (`db.password`, `SmtpPassword`,
/// `secret_key_base`), and is it not a lookup key or a public key?
pub fn is_secret_name(name: &[u8]) -> bool {
    if name.is_empty() || names::is_ordinary_name(name) {
        return false;
    }
    let mut words = names::words(name);
    // Rails' `secret_key_base`: the base of the secret key.
    if words.len() > 1 && words.last().is_some_and(|w| w == b"base") {
        words.pop();
    }
    // OCI's `pass_phrase`, `pass_word`: one word written as two.
    if let [.., first, second] = words.as_slice() {
        let joined = [first.as_slice(), second.as_slice()].concat();
        if [&b"passphrase"[..], b"password"].contains(&joined.as_slice()) {
            return true;
        }
    }
    let Some(names::LastWord {
        word,
        key_qualifier,
    }) = names::last_word(&words)
    else {
        return false;
    };
    if SECRET_ENDINGS.iter().any(|e| word.ends_with(e)) {
        return true;
    }
    key_qualifier.is_some_and(|q| KEY_QUALIFIERS.iter().any(|k| q.ends_with(k)))
}

/// The literal given to the key at `name`, on its line (which ends at `line_end`).
fn value_after(
    data: &[u8],
    name: &Range<usize>,
    line_end: usize,
    dialect: Dialect,
) -> Option<Range<usize>> {
    let before = data[..name.start].last().copied();
    // `<add key="SmtpPassword" value="…"/>`, `<option name="password" value="…"/>`,
    // `<property name="connection.password">…</property>`.
    if dialect == Dialect::Xml && matches!(before, Some(b'"' | b'\'')) {
        let attr = data[..name.start - 1].trim_ascii_end();
        let attr = attr.strip_suffix(b"=").map(<[u8]>::trim_ascii_end)?;
        let lower = attr.to_ascii_lowercase();
        if !(lower.ends_with(b"name") || lower.ends_with(b"key")) {
            return None;
        }
        let rest = (name.end + 1).min(line_end)..line_end;
        if let Some(v) = find_attr(data, rest.clone(), b"value") {
            return Some(v);
        }
        return element_text(data, rest);
    }
    // `<password>…</password>`, `<Pass encoding="base64">…</Pass>`.
    if before == Some(b'<') {
        return element_text(data, name.end..line_end);
    }
    let mut i = name.end;
    // The closing of a quoted or indexed name: `"password":`, `['password'] =>`, `'DB_PASSWORD',`.
    while i < line_end && matches!(data[i], b'"' | b'\'' | b']') {
        i += 1;
    }
    let spaces = skip_blanks(data, i, line_end);
    let gap = spaces - i;
    i = spaces;
    let rest = &data[i..line_end];
    let sep = [&b"=>"[..], b":=", b"?=", b"=", b":"]
        .iter()
        .find(|s| rest.starts_with(s))
        .map(|s| s.len());
    match sep {
        Some(n) => i += n,
        // `define('DB_PASSWORD', '…')`
        None if rest.starts_with(b",") && is_define(data, name.start) => i += 1,
        // Prose in a Dockerfile's comment (`# Telemetry credentials (optional)`) is no key.
        None if gap > 0 && dialect == Dialect::Dockerfile && is_comment(data, name.start) => {
            return None
        }
        None if gap > 0 && dialect.spaced() => {}
        None => return None,
    }
    let start = skip_blanks(data, i, line_end);
    // A YAML block scalar (`password: >-`): the value is the next line.
    if dialect == Dialect::Yaml && is_block_indicator(&data[start..line_end]) {
        let next = (line_end + 1).min(data.len());
        let next_end = memchr::memchr(b'\n', &data[next..]).map_or(data.len(), |i| next + i);
        let next_end = next + data[next..next_end].trim_ascii_end().len();
        return literal(data, skip_blanks(data, next, next_end), next_end, dialect);
    }
    literal(data, start, line_end, dialect)
}

/// Is the line holding `at` a `#` comment?
fn is_comment(data: &[u8], at: usize) -> bool {
    let line_start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1);
    data[line_start..at].trim_ascii_start().starts_with(b"#")
}

/// `|`, `>`, `|-`, `>+`: a YAML block scalar starts on the next line.
fn is_block_indicator(rest: &[u8]) -> bool {
    let rest = rest.trim_ascii();
    matches!(rest.first(), Some(b'|' | b'>'))
        && rest.len() <= 3
        && rest[1..]
            .iter()
            .all(|b| matches!(b, b'-' | b'+' | b'1'..=b'9'))
}

/// A quoted literal, or an unquoted one that ends its line (or a comment or a separator follows).
fn literal(data: &[u8], start: usize, line_end: usize, dialect: Dialect) -> Option<Range<usize>> {
    let first = *data.get(start).filter(|_| start < line_end)?;
    if matches!(first, b'"' | b'\'') {
        let len = memchr::memchr(first, &data[start + 1..line_end])?;
        let value = start + 1..start + 1 + len;
        // Words with spaces are prose (`Enter your password`), not a password.
        return (!data[value.clone()].iter().any(u8::is_ascii_whitespace)).then_some(value);
    }
    if dialect.quoted_only() {
        return None;
    }
    let len = data[start..line_end]
        .iter()
        .position(|b| {
            b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b';' | b'&' | b',')
        })
        .unwrap_or(line_end - start);
    let end = start + len;
    let rest = data[end..line_end].trim_ascii();
    let ends_line = rest.is_empty()
        || rest.starts_with(b"#")
        || rest.starts_with(b"//")
        || matches!(rest[0], b';' | b'&' | b',' | b'"' | b'\'' | b'}' | b']');
    ends_line.then_some(start..end)
}

/// The text of the element whose start tag continues at `from` (after its name): up to `</`.
fn element_text(data: &[u8], range: Range<usize>) -> Option<Range<usize>> {
    let line = &data[range.clone()];
    let close = memchr::memchr(b'>', line)?;
    if close > 0 && line[close - 1] == b'/' {
        return None;
    }
    let start = range.start + close + 1;
    let len = memchr::memchr(b'<', &data[start..range.end])?;
    let value = start..start + len;
    let v = data[value.clone()].trim_ascii();
    (!v.is_empty() && !v.iter().any(u8::is_ascii_whitespace)).then_some(value)
}

/// The quoted value of attribute `attr` within `range`.
fn find_attr(data: &[u8], range: Range<usize>, attr: &[u8]) -> Option<Range<usize>> {
    let line = &data[range.clone()];
    let mut from = 0;
    while let Some(p) = memchr::memmem::find(&line[from..], attr) {
        let at = from + p;
        from = at + attr.len();
        let boundary = at == 0 || !line[at - 1].is_ascii_alphanumeric();
        let rest = line[from..].trim_ascii_start();
        if !boundary || !rest.starts_with(b"=") {
            continue;
        }
        let start = range.start + line.len() - rest[1..].trim_ascii_start().len();
        return literal(data, start, range.end, Dialect::Code);
    }
    None
}

fn skip_blanks(data: &[u8], mut i: usize, end: usize) -> usize {
    while i < end && matches!(data[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Is the name at `start` the first argument of PHP's `define(`?
fn is_define(data: &[u8], start: usize) -> bool {
    let before = data[..start].trim_ascii_end();
    let before = before
        .strip_suffix(b"'")
        .or_else(|| before.strip_suffix(b"\""))
        .unwrap_or(before)
        .trim_ascii_end();
    let before = before
        .strip_suffix(b"(")
        .unwrap_or_default()
        .trim_ascii_end();
    before.to_ascii_lowercase().ends_with(b"define")
}

/// Namespaces a dotted reference starts with in a data file (`settings.db_password` in YAML
/// read by a framework, `secrets.DEPLOY_KEY`): there a dotted value is otherwise a literal
/// (`onyx.brisk6`), as a password may well hold dots.
const NAMESPACES: &[&[u8]] = &[
    b"var",
    b"local",
    b"data",
    b"module",
    b"self",
    b"this",
    b"settings",
    b"config",
    b"env",
    b"process",
    b"os",
    b"secrets",
    b"vars",
    b"values",
    b"inputs",
    b"params",
];

/// A value that says where the secret is kept (`vault:secret/db`, `/run/secrets/db`, `!Ref X`,
/// a YAML alias `*db_password`), or a dotted path or call of code (`var.db_password`; in a
/// data format only from a namespace such as `settings.`).
fn is_reference(v: &[u8], dialect: Dialect) -> bool {
    let lower = v.to_ascii_lowercase();
    if REFERENCES.iter().any(|r| lower.starts_with(r)) || memchr::memmem::find(v, b"://").is_some()
    {
        return true;
    }
    let ident = |p: &[u8]| {
        p.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && p.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    // `var.db_password`, `data.vault.token`: code starts such a path with a lower-case word.
    let first_is_word = v
        .split(|&b| b == b'.')
        .next()
        .is_some_and(|w| w.iter().all(|b| b.is_ascii_lowercase() || *b == b'_'));
    let namespaced = || {
        let first = v.split(|&b| b == b'.').next().unwrap_or_default();
        dialect == Dialect::Code || NAMESPACES.contains(&first)
    };
    let dotted =
        v.contains(&b'.') && first_is_word && v.split(|&b| b == b'.').all(ident) && namespaced();
    let call = v
        .iter()
        .position(|&b| b == b'(')
        .is_some_and(|p| p > 0 && ident(&v[..p]) && v.ends_with(b")"));
    dotted || call || names_a_secret(v)
}

/// Words that say a value names a secret (`db-credentials`, `admin-password`): the name of a
/// Kubernetes Secret or of a key inside one, not its content.
pub fn names_a_secret(v: &[u8]) -> bool {
    const SECRET_WORDS: &[&[u8]] = &[
        b"password",
        b"passwd",
        b"pass",
        b"pwd",
        b"secret",
        b"secrets",
        b"token",
        b"key",
        b"credentials",
        b"credential",
        b"creds",
        b"cred",
        b"apikey",
    ];
    let parts: Vec<&[u8]> = v.split(|b| matches!(b, b'-' | b'_' | b'.')).collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_lowercase))
        && parts.iter().any(|p| SECRET_WORDS.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Like the engine: every secret word in turn, the first key that takes a literal.
    fn value(line: &str, dialect: Dialect) -> Option<String> {
        let data = line.as_bytes();
        let lower = line.to_ascii_lowercase();
        let mut words: Vec<usize> = [
            "pass",
            "pwd",
            "secret",
            "token",
            "key",
            "credential",
            "psk",
            "authtok",
        ]
        .iter()
        .flat_map(|w| lower.match_indices(w).map(|(i, _)| i))
        .collect();
        words.sort_unstable();
        words.into_iter().find_map(|i| {
            at(data, i, dialect)
                .filter(|a| is_leak(data, a))
                .map(|a| String::from_utf8_lossy(&data[a.value]).into_owned())
        })
    }

    #[test]
    fn literal_values_in_config_forms() {
        let pw = "Winter2024!db";
        for (line, d) in [
            (format!("password: {pw}"), Dialect::Yaml),
            (format!("  password: \"{pw}\""), Dialect::Yaml),
            (format!("\"password\": \"{pw}\","), Dialect::Json),
            (format!("DB_PASSWORD={pw}"), Dialect::Env),
            (
                format!("spring.datasource.password={pw}"),
                Dialect::Properties,
            ),
            (format!("mail.smtp.password : {pw}"), Dialect::Properties),
            (format!("requirepass {pw}"), Dialect::Spaced),
            (format!("ENV POSTGRES_PASSWORD={pw}"), Dialect::Dockerfile),
            (format!("ENV API_TOKEN {pw}"), Dialect::Dockerfile),
            (format!("<password>{pw}</password>"), Dialect::Xml),
            (
                format!("<Pass encoding=\"base64\">{pw}</Pass>"),
                Dialect::Xml,
            ),
            (
                format!("<add key=\"SmtpPassword\" value=\"{pw}\" />"),
                Dialect::Xml,
            ),
            (
                format!("<option name=\"password\" value=\"{pw}\" />"),
                Dialect::Xml,
            ),
            (
                format!("<property name=\"connection.password\">{pw}</property>"),
                Dialect::Xml,
            ),
            (
                format!("username=\"app\" password=\"{pw}\" url=\"x\""),
                Dialect::Xml,
            ),
            (format!("define( 'DB_PASSWORD', '{pw}' );"), Dialect::Code),
            (format!("  'password' => '{pw}',"), Dialect::Code),
            (format!("\tpublic $password = '{pw}';"), Dialect::Code),
            (format!("        'PASSWORD': '{pw}',"), Dialect::Code),
            (format!("set imap_pass = \"{pw}\""), Dialect::Spaced),
            (
                format!("poll pop.corp.local user \"me\" password \"{pw}\""),
                Dialect::Spaced,
            ),
            (
                format!("Server=sql01;User Id=app;Password={pw};"),
                Dialect::Json,
            ),
            (format!("secret_key_base: {pw}"), Dialect::Yaml),
            (format!("password: >-\n    {pw}\n"), Dialect::Yaml),
            (format!("    psk=\"{pw}\""), Dialect::Spaced),
            (format!("psk={pw}"), Dialect::Ini),
            (format!("ldap_default_authtok = {pw}"), Dialect::Spaced),
            (format!("pass_phrase={pw}"), Dialect::Ini),
            (
                format!("$cfg['Servers'][$i]['password'] = '{pw}';"),
                Dialect::Code,
            ),
            (
                format!("gitlab_rails['db_password'] = '{pw}'"),
                Dialect::Code,
            ),
            (
                format!("//nas/share /mnt cifs username=media,password={pw},uid=1000 0 0"),
                Dialect::Spaced,
            ),
        ] {
            assert_eq!(value(&line, d).as_deref(), Some(pw), "{line}");
        }
        // Dotted, but not a path of code.
        let line = "<Pass>Copper6882.pmh</Pass>";
        assert_eq!(value(line, Dialect::Xml).as_deref(), Some("Copper6882.pmh"));
        // Words and dots are a password in a data file; in code they are a path.
        for (line, d) in [
            ("password: onyx.brisk6", Dialect::Yaml),
            ("\"secret\": \"cedar.fjord39\",", Dialect::Json),
            ("<admin_pwd>kestrel.ember40</admin_pwd>", Dialect::Xml),
            ("ENV SECRETKEY=harbor.ember12", Dialect::Dockerfile),
        ] {
            assert!(value(line, d).is_some_and(|v| v.contains('.')), "{line}");
        }
        assert_eq!(value("password = onyx.brisk6", Dialect::Code), None);
        assert_eq!(value("token: secrets.deploy_bot", Dialect::Yaml), None);
    }

    #[test]
    fn placeholders_references_and_other_names_are_not_literals() {
        for (line, d) in [
            ("password: ${DB_PASSWORD}", Dialect::Yaml),
            ("password: \"{{ .Values.password }}\"", Dialect::Yaml),
            ("MasterUserPassword: !Ref DbPassword", Dialect::Yaml),
            ("password: *db_password", Dialect::Yaml),
            ("password_file: /run/secrets/db", Dialect::Yaml),
            ("password: /run/secrets/db", Dialect::Yaml),
            ("password_min_length: 12", Dialect::Yaml),
            ("API_TOKEN=API_TOKEN", Dialect::Env),
            ("secret: secret", Dialect::Yaml),
            ("password: Enter your password", Dialect::Yaml),
            (
                "\"forgot_password\": \"Forgot your password?\"",
                Dialect::Json,
            ),
            ("  - key: customer_id", Dialect::Yaml),
            ("db_password = var.db_password", Dialect::Code),
            (
                "define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );",
                Dialect::Code,
            ),
            ("'PASSWORD': os.environ['DB_PASSWORD'],", Dialect::Code),
            (
                "spring.datasource.password=ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)",
                Dialect::Properties,
            ),
            ("password: vault:secret/data/db#password", Dialect::Yaml),
            ("Authorization: BILLING_API_TOKEN", Dialect::Yaml),
            ("set imap_pass = `pass show mail/imap`", Dialect::Spaced),
            ("password: 1234", Dialect::Yaml),
            (
                "public_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
                Dialect::Yaml,
            ),
            ("password: minioadmin", Dialect::Yaml),
            ("existingSecret: db-credentials", Dialect::Yaml),
            ("imagePullSecret: reg-cred", Dialect::Yaml),
            ("password: |\n", Dialect::Yaml),
            (
                "db_password: ENC[AES256_GCM,data:Zm9vYmFy,iv:aXY=,tag:dGFn,type:str]",
                Dialect::Yaml,
            ),
            ("psk=${WIFI_PSK}", Dialect::Ini),
        ] {
            assert_eq!(value(line, d), None, "{line}");
        }
    }

    /// Seen in real product repositories: computed values and names that only hold a secret word.
    #[test]
    fn expressions_comments_and_versions_are_not_literals() {
        for (line, d) in [
            (
                "    source: ${GOOGLE_APPLICATION_CREDENTIALS:-/dev/null}",
                Dialect::Yaml,
            ),
            (
                "{{- $redisPassword := include \"chart.redisPassword\" . }}",
                Dialect::Yaml,
            ),
            (
                "# Telemetry credentials (optional, set at build time)",
                Dialect::Dockerfile,
            ),
            ("    \"@types/jsonwebtoken\": \"^9.0.10\",", Dialect::Json),
            ("ARG ENCRYPTION_KEY=\"CAFEBABE\"", Dialect::Dockerfile),
        ] {
            assert_eq!(value(line, d), None, "{line}");
        }
        // The same forms with a literal are still leaks.
        let pw = "Winter2024!db";
        for (line, d) in [
            (format!("  password: {pw} # {{{{ note }}}}"), Dialect::Yaml),
            (format!("{{{{/* x */}}}} password: {pw}"), Dialect::Yaml),
            (format!("# ENV API_TOKEN={pw}"), Dialect::Dockerfile),
            (format!("ENV API_TOKEN {pw}"), Dialect::Dockerfile),
            (format!("\"db_password\": \"v{pw}\","), Dialect::Json),
        ] {
            assert!(value(&line, d).is_some(), "{line}");
        }
    }

    /// Any bytes, any position, any dialect: an answer, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic() {
        let alphabet = b"pass=:\"'<>/ \n\t\r[]{},;(define)!&*#|->x\xff\xc3 name key value";
        // A quoted name that ends the input.
        assert_eq!(at(b"<x name=\"password", 9, Dialect::Xml), None);
        let mut seed = 0x2545_f491_u64;
        for _ in 0..3000 {
            let len = (seed % 40) as usize;
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            for d in [
                Dialect::Yaml,
                Dialect::Json,
                Dialect::Xml,
                Dialect::Spaced,
                Dialect::Code,
            ] {
                for i in 0..data.len() {
                    if let Some(a) = at(&data, i, d) {
                        let _ = is_leak(&data, &a);
                    }
                }
            }
        }
    }

    #[test]
    fn a_password_that_names_the_service_is_a_development_default() {
        let judge = |text: &str| {
            let data = text.as_bytes();
            let i = text.find("PASSWORD").expect("a password");
            at(data, i, Dialect::Yaml)
                .is_some_and(|a| is_leak(data, &a) && !is_dev_default(data, &a))
        };
        assert!(!judge(
            "  - POSTGRES_USER=nextcloud\n  - POSTGRES_PASSWORD=nextcloud\n"
        ));
        assert!(!judge(
            "  image: grafana/grafana\n  - GF_ADMIN_PASSWORD=grafana\n"
        ));
        assert!(judge(
            "  - POSTGRES_USER=nextcloud\n  - POSTGRES_PASSWORD=nextcloud7\n"
        ));
        // The same password given to two password keys is still a password.
        assert!(judge(
            "  - DB_PASSWORD=Winter2024db\n  - WP_DB_PASSWORD=Winter2024db\n"
        ));
        // The user's name with an ascending digit run after it.
        assert!(!judge(
            "  - STORE_USER=qa-blobstore\n  - STORE_PASSWORD=qa-blobstore123\n"
        ));
        assert!(!judge(
            "  - STORE_USER=qa-blobstore\n  - STORE_PASSWORD=qa-blobstore-01234\n"
        ));
        // Digits that do not count up, or a stem another password holds, are a password's.
        assert!(judge(
            "  - STORE_USER=qa-blobstore\n  - STORE_PASSWORD=qa-blobstore739\n"
        ));
        assert!(judge(
            "  - STORE_USER=qa-blobstore\n  - STORE_PASSWORD=qa-blobstore12\n"
        ));
        assert!(judge(
            "  - ROOT_PASSWORD=Kq7vHs2x\n  - STORE_PASSWORD=Kq7vHs2x123\n"
        ));
        // In a URL the value is carried, not a name of something else.
        assert!(judge(
            "  - API_BASE=https://api.corp.internal/v1?id=Xq7vLm2KpR9w\n  - API_PASSWORD=Xq7vLm2KpR9w\n"
        ));
        // The stem must be a whole user name, not part of one.
        assert!(judge(
            "  - STORE_USER=qa-blobstore-ci\n  - STORE_PASSWORD=qa-blobstore123\n"
        ));
    }

    #[test]
    fn a_value_given_twice_to_the_same_key_names_nothing_else() {
        let judged = |text: &str| {
            let at = text.rfind("7F3A").expect("a value");
            let key = names::key_before(text.as_bytes(), at);
            is_dev_default_value(text.as_bytes(), key, at..at + 16)
        };
        assert!(!judged(
            "sign() {\n\tKEY=7F3A9C21D4E8B605\n}\nverify() {\n\tKEY=7F3A9C21D4E8B605\n}\n"
        ));
        assert!(judged("signer: 7F3A9C21D4E8B605\nKEY=7F3A9C21D4E8B605\n"));
    }

    #[test]
    fn secret_names() {
        for n in [
            "DB_PASSWORD",
            "requirepass",
            "jwtSecret",
            "SmtpPassword",
            "api_key",
            "AUTH_KEY",
            "wgDBpassword",
            "_authToken",
            "PWD",
            "userPassword",
            "default_pass",
        ] {
            assert!(is_secret_name(n.as_bytes()), "{n}");
        }
        for n in [
            "key",
            "password_min_length",
            "token_url",
            "secretName",
            "passwordPolicy",
            "first_key",
            "public_key",
            "bypass",
        ] {
            assert!(!is_secret_name(n.as_bytes()), "{n}");
        }
    }
}
