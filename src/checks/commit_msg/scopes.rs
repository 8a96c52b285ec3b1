//! `[commit-msg] scopes`: a list of scopes, or the packages of the repository's workspace
//! (`scopes = "workspace"`, or `{ workspace = true, extra = ["deps", "ci"] }` for scopes that
//! are not packages). The workspace is read from the tree the message belongs to (`workspace.rs`),
//! once per run.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::workspace;
use crate::changeset::ChangeSet;
use crate::error::Result;

const SHAPES: &str = r#"write a list (scopes = ["api", "ui"]), "workspace", or { workspace = true, extra = ["deps"] }"#;

/// What the config says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes {
    /// The scopes listed (with `workspace`: the extra ones).
    pub listed: Vec<String>,
    /// The workspace's packages are scopes too.
    pub workspace: bool,
}

impl Scopes {
    /// No restriction: any scope is allowed.
    pub fn is_any(&self) -> bool {
        !self.workspace && self.listed.is_empty()
    }
}

/// The scopes a header may use in this run.
pub struct Allowed {
    /// As shown in help: package scopes (in path order), then the extra ones.
    pub names: Vec<String>,
    /// Also accepted: the full name of a scoped npm package (`@org/web` beside `web`).
    accepted: HashSet<String>,
    pub from_workspace: bool,
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
    if scopes.workspace {
        for p in workspace::packages(cs)? {
            if accepted.insert(p.scope.clone()) {
                names.push(p.scope);
            }
            accepted.insert(p.name);
        }
    }
    for s in &scopes.listed {
        if accepted.insert(s.clone()) {
            names.push(s.clone());
        }
    }
    Ok(Some(Allowed {
        names,
        accepted,
        from_workspace: scopes.workspace,
    }))
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
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Scopes, E> {
        match v {
            "workspace" => Ok(Scopes {
                listed: Vec::new(),
                workspace: true,
            }),
            other => Err(E::custom(format!(
                "scopes = \"{other}\" is not known; {SHAPES}"
            ))),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Scopes, A::Error> {
        let mut workspace = None;
        let mut extra = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "workspace" => workspace = Some(map.next_value::<bool>()?),
                "extra" => extra = map.next_value::<Vec<String>>()?,
                other => {
                    return Err(de::Error::custom(format!(
                        "scopes: unknown key `{other}`; {SHAPES}"
                    )))
                }
            }
        }
        match workspace {
            Some(true) => Ok(Scopes {
                listed: extra,
                workspace: true,
            }),
            // `workspace = false` would quietly drop the packages: say what to write instead.
            _ => Err(de::Error::custom(format!(
                "scopes: a table needs workspace = true (for a plain list write scopes = [\"api\", \"ui\"]); {SHAPES}"
            ))),
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
            .contains("workspace = true"));
        assert!(parse(r#"scopes = { extras = [] }"#)
            .unwrap_err()
            .contains("unknown key `extras`"));
    }
}
