//! `[commit-msg] scopes`: a list of scopes, or the packages of the repository's workspace
//! (`scopes = "workspace"`, or `{ workspace = true, extra = ["deps", "ci"] }` for scopes that
//! are not packages), or of directories (`{ dirs = ["services/*"] }`). The workspace is read from the tree the message belongs to (`workspace.rs`),
//! once per run.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::workspace;
use crate::changeset::ChangeSet;
use crate::error::Result;

const SHAPES: &str = r#"write a list (scopes = ["api", "ui"]), "workspace", or a table such as { workspace = true, dirs = ["services/*"], extra = ["deps"] }"#;

/// What the config says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// The scopes listed (with `workspace`: the extra ones).
    pub listed: Vec<String>,
    /// The workspace's packages are scopes too.
    pub workspace: bool,
    /// Directory globs whose matches' base names are scopes (`["services/*"]`).
    pub dirs: Vec<String>,
}

impl Scopes {
    /// No restriction: any scope is allowed.
    pub fn is_any(&self) -> bool {
        !self.workspace && self.listed.is_empty() && self.dirs.is_empty()
    }
}

/// The scopes a header may use in this run.
pub struct Allowed {
    /// As shown in help: package scopes (in path order), then the extra ones.
    pub names: Vec<String>,
    /// Also accepted: the full name of a scoped npm package (`@org/web` beside `web`).
    accepted: HashSet<String>,
    /// Where the scopes come from, for the help line (empty for a plain list).
    pub source: &'static str,
}

impl Allowed {
    pub fn contains(&self, scope: &str) -> bool {
        self.accepted.contains(scope)
    }
}

/// The allowed scopes of this run; `None` when any scope goes.
pub fn allowed(scopes: &Scopes, cs: &ChangeSet) -> Result<Option<Allowed>> {
    if scopes.is_any() {
        return Ok(None);
    }
    let mut names = Vec::new();
    let mut accepted = HashSet::new();
    let mut found = Vec::new();
    if scopes.workspace {
        found.extend(workspace::packages(cs)?);
    }
    if !scopes.dirs.is_empty() {
        found.extend(workspace::directories(cs, &scopes.dirs)?);
    }
    for p in found {
        if accepted.insert(p.scope.clone()) {
            names.push(p.scope);
        }
        accepted.insert(p.name);
    }
    for s in &scopes.listed {
        if accepted.insert(s.clone()) {
            names.push(s.clone());
        }
    }
    Ok(Some(Allowed {
        names,
        accepted,
        source: match (scopes.workspace, scopes.dirs.is_empty()) {
            (true, _) => " (the workspace's packages and [commit-msg] scopes)",
            (false, false) => " (the directories of [commit-msg] scopes dirs, and its extra)",
            (false, true) => "",
        },
    }))
}

/// Written back in the shape read: a list, `"workspace"`, or the table.
impl serde::Serialize for Scopes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match (self.workspace, self.dirs.is_empty()) {
            (false, true) => self.listed.serialize(s),
            (true, true) if self.listed.is_empty() => s.serialize_str("workspace"),
            _ => {
                let mut m = s.serialize_map(None)?;
                if self.workspace {
                    m.serialize_entry("workspace", &true)?;
                }
                if !self.dirs.is_empty() {
                    m.serialize_entry("dirs", &self.dirs)?;
                }
                m.serialize_entry("extra", &self.listed)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Scopes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(ScopesVisitor)
    }
}

struct ScopesVisitor;

impl<'de> Visitor<'de> for ScopesVisitor {
    type Value = Scopes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SHAPES)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Scopes, A::Error> {
        let mut listed = Vec::new();
        while let Some(s) = seq.next_element::<String>()? {
            listed.push(s);
        }
        Ok(Scopes {
            listed,
            workspace: false,
            dirs: Vec::new(),
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Scopes, E> {
        match v {
            "workspace" => Ok(Scopes {
                listed: Vec::new(),
                workspace: true,
                dirs: Vec::new(),
            }),
            other => Err(E::custom(format!(
                "scopes = \"{other}\" is not known; {SHAPES}"
            ))),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Scopes, A::Error> {
        let mut workspace = None;
        let mut extra = Vec::new();
        let mut dirs = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "workspace" => workspace = Some(map.next_value::<bool>()?),
                "extra" => extra = map.next_value::<Vec<String>>()?,
                "dirs" => {
                    dirs = map.next_value::<Vec<String>>()?;
                    workspace::dir_globs(&dirs)
                        .map_err(|e| de::Error::custom(format!("scopes dirs: {e}")))?;
                }
                other => {
                    return Err(de::Error::custom(format!(
                        "scopes: unknown key `{other}`; {SHAPES}"
                    )))
                }
            }
        }
        match workspace {
            // `workspace = false` would quietly drop the packages: say what to write instead.
            Some(false) => Err(de::Error::custom(
                "scopes: workspace = false takes nothing; remove it, or for a plain list write scopes = [\"api\", \"ui\"]",
            )),
            None if dirs.is_empty() => Err(de::Error::custom(format!(
                "scopes: a table needs workspace = true or dirs = [...] (for a plain list write scopes = [\"api\", \"ui\"]); {SHAPES}"
            ))),
            _ => Ok(Scopes {
                listed: extra,
                workspace: workspace.unwrap_or(false),
                dirs,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        scopes: Scopes,
    }

    fn parse(text: &str) -> std::result::Result<Scopes, String> {
        toml::from_str::<T>(text)
            .map(|t| t.scopes)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_three_shapes_parse_and_others_are_refused() {
        assert_eq!(parse(r#"scopes = ["a"]"#).unwrap().listed, ["a"]);
        assert!(parse(r#"scopes = "workspace""#).unwrap().workspace);
        let t = parse(r#"scopes = { workspace = true, extra = ["ci"] }"#).unwrap();
        assert!(t.workspace && t.listed == ["ci"]);
        assert!(parse(r#"scopes = "workspaces""#)
            .unwrap_err()
            .contains("is not known"));
        assert!(parse(r#"scopes = { workspace = false }"#)
            .unwrap_err()
            .contains("workspace = false takes nothing"));
        assert!(parse(r#"scopes = { extra = ["ci"] }"#)
            .unwrap_err()
            .contains("workspace = true or dirs"));
        let t = parse(r#"scopes = { dirs = ["services/*"] }"#).unwrap();
        assert!(!t.workspace && t.dirs == ["services/*"]);
        assert!(parse(r#"scopes = { dirs = ["a/[b"] }"#)
            .unwrap_err()
            .contains("scopes dirs: glob `a/[b`"));
        assert!(parse(r#"scopes = { extras = [] }"#)
            .unwrap_err()
            .contains("unknown key `extras`"));
    }
}
