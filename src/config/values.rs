//! The vocabulary config sections are written in: enabled/severity, levels, sizes, regexes,
//! checked strings and lists, repository-relative directories. It names no check, so every
//! check can own its section without importing the file that assembles them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::changeset::Mode;
use crate::finding::Severity;

/// What a check does at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    #[serde(alias = "warning")]
    Warn,
    Off,
}

impl Level {
    /// The severity findings get, or `None` when the check does not run.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warn => Some(Severity::Warn),
            Level::Off => None,
        }
    }
}

/// `severity = "warn"` or `severity = { pre-commit = "warn", ci = "error" }`.
#[derive(Debug, Clone, Default)]
pub struct SeverityConfig {
    pub all: Option<Level>,
    pub by_mode: BTreeMap<String, Level>,
}

pub const SEVERITY_KEYS: [&str; 4] = ["pre-commit", "pre-push", "ci", "scan"];

impl SeverityConfig {
    pub fn for_mode(&self, mode: Mode) -> Option<Level> {
        self.by_mode.get(mode.severity_key()).copied().or(self.all)
    }
}

impl<'de> Deserialize<'de> for SeverityConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SeverityConfig;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"error\", \"warn\" or \"off\", or a table such as { pre-commit = \"warn\", ci = \"error\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                let level = Level::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(SeverityConfig {
                    all: Some(level),
                    by_mode: BTreeMap::new(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = SeverityConfig::default();
                while let Some(key) = map.next_key::<String>()? {
                    if !SEVERITY_KEYS.contains(&key.as_str()) {
                        return Err(de::Error::unknown_field(&key, &SEVERITY_KEYS));
                    }
                    out.by_mode.insert(key, map.next_value()?);
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

/// Written back the way it is read: one level, or a table by mode.
impl Serialize for SeverityConfig {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match (self.all, self.by_mode.is_empty()) {
            (Some(level), true) => level.serialize(s),
            _ => self.by_mode.serialize(s),
        }
    }
}

/// A size in bytes: an integer, or a string such as `"5 MiB"`, `"500KB"`, `"2G"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByteSize(pub u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ByteSize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a size in bytes such as 5242880 or \"5 MiB\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<ByteSize, E> {
                u64::try_from(v)
                    .map(ByteSize)
                    .map_err(|_| E::custom("a size cannot be negative"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<ByteSize, E> {
                parse_size(v).map(ByteSize).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not a size; write e.g. \"5 MiB\", \"500 KB\" or 1048576"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether a regex matches any text at all, judged by `is_match` on unrelated probes: it matches
/// the empty string through an empty branch (`test|`), `.*`, `x?` or a lone `^`. A pattern
/// the config wants matched (a subject, a branch name) that matches anything checks nothing.
pub fn matches_anything(is_match: impl Fn(&str) -> bool) -> bool {
    ["", "x", "-- 9 Q"].iter().all(|s| is_match(s))
}

/// A regular expression from the config, compiled when the config is read so a bad one is an
/// error with file, line and column. One that matches anything is refused: it would switch the
/// rule that uses it off without a word.
#[derive(Debug, Clone)]
pub struct RegexConfig(pub regex::Regex);

impl<'de> Deserialize<'de> for RegexConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let re = regex::Regex::new(&s).map_err(|e| {
            let why = e.to_string();
            let last = why.lines().last().unwrap_or("invalid").trim().to_owned();
            de::Error::custom(format!("`{s}` is not a valid regular expression: {last}"))
        })?;
        if matches_anything(|t| re.is_match(t)) {
            return Err(de::Error::custom(format!(
                "`{s}` matches anything (it matches the empty string), so nothing would ever be reported; anchor it, e.g. '^[A-Z].+', or set `enabled = false`"
            )));
        }
        Ok(RegexConfig(re))
    }
}

/// `serialize_with` for a list of entries (`[[lint]]`, `[[secrets.rules]]`): `config --show`
/// serializes only the defaults, where such a list is empty, and lists entries from the files.
pub fn no_entries<T, S: Serializer>(v: &[T], s: S) -> std::result::Result<S::Ok, S::Error> {
    if !v.is_empty() {
        return Err(serde::ser::Error::custom(
            "entries are shown from the files that set them",
        ));
    }
    s.collect_seq(std::iter::empty::<()>())
}

/// As the pattern it was compiled from.
impl Serialize for RegexConfig {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

/// Reads a string and checks it with `check` while the deserializer still knows where the value
/// is, so the error carries the value's own line and column (an array element's, not the array's).
pub fn checked_str<'de, D, T>(
    d: D,
    check: impl FnOnce(&str) -> std::result::Result<T, String>,
) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<F>(F);
    impl<T, F: FnOnce(&str) -> std::result::Result<T, String>> Visitor<'_> for V<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<T, E> {
            (self.0)(v).map_err(E::custom)
        }
    }
    d.deserialize_str(V(check))
}

/// Reads a list of strings, each checked by `item` at its own line and column, then the whole
/// list by `whole` (located at the list). `one_or_many`: a single string is a list of one.
pub fn checked_list<'de, D, T>(
    d: D,
    one_or_many: bool,
    item: impl Fn(&str) -> std::result::Result<T, String>,
    whole: impl FnOnce(&[T]) -> std::result::Result<(), String>,
) -> std::result::Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
{
    struct Item<'f, F>(&'f F);
    impl<'de, T, F: Fn(&str) -> std::result::Result<T, String>> de::DeserializeSeed<'de>
        for Item<'_, F>
    {
        type Value = T;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<T, D::Error> {
            checked_str(d, self.0)
        }
    }
    struct V<I, W> {
        one_or_many: bool,
        item: I,
        whole: W,
    }
    impl<'de, T, I, W> Visitor<'de> for V<I, W>
    where
        I: Fn(&str) -> std::result::Result<T, String>,
        W: FnOnce(&[T]) -> std::result::Result<(), String>,
    {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(if self.one_or_many {
                "a string or a list of strings"
            } else {
                "a list of strings"
            })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Vec<T>, E> {
            if !self.one_or_many {
                return Err(E::invalid_type(de::Unexpected::Str(v), &self));
            }
            let out = vec![(self.item)(v).map_err(E::custom)?];
            (self.whole)(&out).map_err(E::custom)?;
            Ok(out)
        }
        fn visit_seq<A: de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<T>, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element_seed(Item(&self.item))? {
                out.push(v);
            }
            (self.whole)(&out).map_err(de::Error::custom)?;
            Ok(out)
        }
    }
    d.deserialize_any(V {
        one_or_many,
        item,
        whole,
    })
}

/// A directory written relative to the repository root, in the form git paths have
/// (`./web/` → `web`); `None` for the root itself. Absolute paths and `..` are refused: the
/// directory must be inside the repository.
pub fn relative_dir(text: &str) -> std::result::Result<Option<String>, String> {
    let t = text.trim();
    if t.starts_with('/') || Path::new(t).is_absolute() {
        return Err(format!(
            "`{t}` is an absolute path; write a directory relative to the repository root, e.g. \"frontend\""
        ));
    }
    let mut parts = Vec::new();
    for part in t.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(format!(
                "`{t}` uses `..`; write a directory inside the repository as a path from its root"
            ))
            }
            p => parts.push(p),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let num: f64 = num.parse().ok()?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    Some((num * mult as f64) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("5 MiB"), Some(5 << 20));
        assert_eq!(parse_size("500KB"), Some(500_000));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("lots"), None);
    }
}
