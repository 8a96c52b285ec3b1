//! pre-receive's input: the ref lines git writes on stdin, `<old> <new> <refname>` for each ref
//! the push updates (a zero id on the old side creates the ref, on the new side deletes it), and
//! the push options (`git push -o KEY=VALUE`) git exports as `GIT_PUSH_OPTION_0…`.

use crate::error::{Error, Result};
use crate::push::RefLine;

/// The ref lines, as pre-push's [`RefLine`]s: the server's ref is both the "local" (new) and
/// the "remote" (old) side.
pub fn parse(stdin: &str) -> Result<Vec<RefLine>> {
    let mut out = Vec::new();
    for (i, line) in stdin.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, ' ').collect();
        let ok_oid =
            |s: &str| (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
        if parts.len() != 3 || !ok_oid(parts[0]) || !ok_oid(parts[1]) || parts[2].is_empty() {
            return Err(Error::Usage(format!(
                "pre-receive: stdin line {} is malformed: expected `<old oid> <new oid> <ref name>`, got `{}`",
                i + 1,
                line.chars().take(200).collect::<String>()
            )));
        }
        out.push(RefLine {
            local_ref: parts[2].into(),
            local_oid: parts[1].into(),
            remote_ref: parts[2].into(),
            remote_oid: parts[0].into(),
        });
    }
    Ok(out)
}

/// The push options of this push, in order, from `env` (`GIT_PUSH_OPTION_COUNT` and
/// `GIT_PUSH_OPTION_<i>`). Empty when the client sent none, or when the server does not
/// advertise them (`receive.advertisePushOptions`).
pub fn push_options(env: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let count = env("GIT_PUSH_OPTION_COUNT")
        .and_then(|c| c.trim().parse::<usize>().ok())
        .unwrap_or(0);
    (0..count)
        .filter_map(|i| env(&format!("GIT_PUSH_OPTION_{i}")))
        .collect()
}

/// The value of the last `KEY=VALUE` option with this key (git keeps every `-o`; the last wins,
/// as with flags).
pub fn option<'a>(options: &'a [String], key: &str) -> Option<&'a str> {
    options.iter().rev().find_map(|o| {
        o.split_once('=')
            .filter(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ref_lines_and_rejects_garbage() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let l = parse(&format!("{z} {a} refs/heads/x\n{a} {z} refs/heads/y\n")).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].remote_ref, "refs/heads/x");
        assert!(crate::push::is_zero(&l[0].remote_oid));
        assert!(crate::push::is_zero(&l[1].local_oid));
        let e = parse(&format!("{a} refs/heads/x\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn push_options_in_order_last_wins() {
        let env = |k: &str| match k {
            "GIT_PUSH_OPTION_COUNT" => Some("3".to_owned()),
            "GIT_PUSH_OPTION_0" => Some("hygiene.skip=ticket".to_owned()),
            "GIT_PUSH_OPTION_1" => Some("ci.skip".to_owned()),
            "GIT_PUSH_OPTION_2" => Some("hygiene.skip=secrets".to_owned()),
            _ => None,
        };
        let o = push_options(&env);
        assert_eq!(o.len(), 3);
        assert_eq!(option(&o, "hygiene.skip"), Some("secrets"));
        assert_eq!(option(&o, "hygiene.reason"), None);
        assert!(push_options(&|_| None).is_empty());
    }
}
