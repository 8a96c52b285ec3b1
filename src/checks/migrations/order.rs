//! Migration order: a new migration sorts after everything already in the base, no two
//! migrations of a folder share a version, golang-migrate `up`/`down` files come in pairs, and
//! an Alembic revision graph has a single head.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::layout::{version_text, Framework, Migration};

/// A migration of the resulting tree (or of the base).
#[derive(Debug, Clone)]
pub struct Known {
    pub path: String,
    pub m: Migration,
    /// Not in the base: added by the change.
    pub new: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// `path`'s version is not after `latest` (the newest migration of the base in its folder).
    OutOfOrder {
        path: String,
        version: String,
        latest: String,
        latest_version: String,
    },
    /// `path` has the same version as `other`.
    Duplicate {
        path: String,
        other: String,
        version: String,
    },
    /// A golang-migrate file without its partner.
    Unpaired { path: String, missing: String },
}

fn series_key(m: &Migration) -> (Framework, &str) {
    (m.framework, m.series.as_str())
}

pub fn check(tree: &[Known], base: &[Known]) -> Vec<Issue> {
    let mut out = Vec::new();
    // Newest base migration per folder.
    let mut latest: HashMap<(Framework, &str), (&[u128], &str)> = HashMap::new();
    for k in base {
        let Some(v) = k.m.version.as_deref() else {
            continue;
        };
        let e = latest.entry(series_key(&k.m)).or_insert((v, &k.path));
        if v > e.0 {
            *e = (v, &k.path);
        }
    }
    // Versions per folder in the resulting tree: version → distinct migration ids.
    let mut by_version: BTreeMap<(Framework, &str, &[u128]), Vec<&Known>> = BTreeMap::new();
    for k in tree {
        if let Some(v) = k.m.version.as_deref() {
            by_version
                .entry((k.m.framework, &k.m.series, v))
                .or_default()
                .push(k);
        }
    }
    let paths: HashSet<&str> = tree.iter().map(|k| k.path.as_str()).collect();
    for k in tree.iter().filter(|k| k.new) {
        if let Some(v) = k.m.version.as_deref() {
            let same = &by_version[&(k.m.framework, k.m.series.as_str(), v)];
            if let Some(other) = same.iter().find(|o| o.m.id != k.m.id) {
                out.push(Issue::Duplicate {
                    path: k.path.clone(),
                    other: other.path.clone(),
                    version: version_text(v),
                });
            } else if let Some((lv, lp)) = latest.get(&series_key(&k.m)) {
                if v <= *lv && *lp != k.path {
                    let same_id = base.iter().any(|b| b.path == *lp && b.m.id == k.m.id);
                    if !same_id {
                        out.push(Issue::OutOfOrder {
                            path: k.path.clone(),
                            version: version_text(v),
                            latest: (*lp).to_owned(),
                            latest_version: version_text(lv),
                        });
                    }
                }
            }
        }
        if k.m.framework == Framework::GolangMigrate {
            let partner = match k.path.strip_suffix(".up.sql") {
                Some(stem) => format!("{stem}.down.sql"),
                None => format!("{}.up.sql", k.path.trim_end_matches(".down.sql")),
            };
            if !paths.contains(partner.as_str()) {
                out.push(Issue::Unpaired {
                    path: k.path.clone(),
                    missing: partner,
                });
            }
        }
    }
    out
}

/// An Alembic revision: its id and the revisions it follows (two or more for a merge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: String,
    pub down: Vec<String>,
}

/// Reads `revision = "…"` and `down_revision = None | "…" | ("a", "b")` (annotated or not)
/// from an Alembic script. `Err` says what is missing.
pub fn parse_alembic(src: &str) -> Result<Revision, String> {
    let mut id = None;
    let mut down: Option<Vec<String>> = None;
    let lines: Vec<&str> = src.lines().collect();
    let mut n = 0;
    while n < lines.len() {
        let l = lines[n];
        n += 1;
        let Some((name, rhs)) = assignment(l) else {
            continue;
        };
        let mut rhs = rhs.to_owned();
        // A tuple or list spread over several lines.
        while (rhs.matches(['(', '[']).count() > rhs.matches([')', ']']).count()) && n < lines.len()
        {
            rhs.push_str(lines[n]);
            n += 1;
        }
        match name {
            "revision" if id.is_none() => {
                id = Some(
                    strings(&rhs)
                        .into_iter()
                        .next()
                        .ok_or_else(|| format!("`revision` on line {n} is not a string"))?,
                );
            }
            "down_revision" if down.is_none() => {
                let s = strings(&rhs);
                if s.is_empty()
                    && !rhs.trim().starts_with("None")
                    && !matches!(rhs.trim(), "()" | "[]")
                {
                    return Err(format!(
                        "`down_revision` on line {n} is neither None nor strings"
                    ));
                }
                down = Some(s);
            }
            _ => {}
        }
    }
    match (id, down) {
        (Some(id), Some(down)) => Ok(Revision { id, down }),
        (None, _) => Err("no `revision = \"…\"` line".into()),
        (_, None) => Err("no `down_revision = …` line".into()),
    }
}

/// `name = rhs` or `name: Type = rhs` at the start of a line.
fn assignment(l: &str) -> Option<(&str, &str)> {
    let name_end = l.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let name = &l[..name_end];
    if name != "revision" && name != "down_revision" {
        return None;
    }
    let rest = l[name_end..].trim_start();
    let rest = match rest.strip_prefix(':') {
        Some(annotated) => &annotated[annotated.find('=')?..],
        None => rest,
    };
    let rhs = rest.strip_prefix('=')?;
    (!rhs.starts_with('=')).then_some((name, rhs.trim()))
}

/// The quoted strings of a Python expression.
fn strings(rhs: &str) -> Vec<String> {
    let b = rhs.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => break,
            q @ (b'\'' | b'"') => match rhs[i + 1..].find(q as char) {
                Some(end) => {
                    out.push(rhs[i + 1..i + 1 + end].to_owned());
                    i += end + 2;
                    continue;
                }
                None => break,
            },
            _ => {}
        }
        i += 1;
    }
    out
}

/// Revisions nothing follows. More than one means `alembic upgrade head` refuses to run.
pub fn heads(revs: &[(String, Revision)]) -> Vec<&(String, Revision)> {
    let followed: HashSet<&str> = revs
        .iter()
        .flat_map(|(_, r)| r.down.iter().map(String::as_str))
        .collect();
    revs.iter()
        .filter(|(_, r)| !followed.contains(r.id.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::layout::Finder;
    use super::super::MigrationsConfig;
    use super::*;

    fn known(paths: &[(&str, bool)]) -> Vec<Known> {
        let f = Finder::new(&MigrationsConfig::default()).unwrap();
        paths
            .iter()
            .map(|(p, new)| Known {
                path: p.to_string(),
                m: f.classify(p).unwrap(),
                new: *new,
            })
            .collect()
    }

    #[test]
    fn out_of_order_and_duplicates() {
        let base = known(&[
            ("db/migrate/20240105000000_b.rb", false),
            ("db/migrate/20240101000000_a.rb", false),
        ]);
        let mut tree = base.clone();
        tree.extend(known(&[
            ("db/migrate/20240103000000_c.rb", true),
            ("db/migrate/20240106000000_d.rb", true),
        ]));
        let issues = check(&tree, &base);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(
            matches!(&issues[0], Issue::OutOfOrder { path, latest, .. } if path.ends_with("_c.rb") && latest.ends_with("_b.rb"))
        );

        let base = known(&[("shop/migrations/0001_a.py", false)]);
        let mut tree = base.clone();
        tree.extend(known(&[
            ("shop/migrations/0002_x.py", true),
            ("shop/migrations/0002_y.py", true),
            ("blog/migrations/0001_z.py", true),
        ]));
        let issues = check(&tree, &base);
        assert_eq!(
            issues
                .iter()
                .filter(|i| matches!(i, Issue::Duplicate { .. }))
                .count(),
            2,
            "{issues:?}"
        );
        assert_eq!(issues.len(), 2);
    }

    #[test]
    fn golang_pairs() {
        let tree = known(&[
            ("m/1_a.up.sql", true),
            ("m/1_a.down.sql", true),
            ("m/2_b.up.sql", true),
        ]);
        assert_eq!(
            check(&tree, &[]),
            [Issue::Unpaired {
                path: "m/2_b.up.sql".into(),
                missing: "m/2_b.down.sql".into()
            }]
        );
    }

    #[test]
    fn alembic_revisions() {
        let r = parse_alembic("\"\"\"x\"\"\"\nrevision = 'b2'\ndown_revision = 'a1'\n").unwrap();
        assert_eq!(
            r,
            Revision {
                id: "b2".into(),
                down: vec!["a1".into()]
            }
        );
        let r = parse_alembic("revision: str = \"c3\"\ndown_revision: Union[str, None] = None\n")
            .unwrap();
        assert!(r.down.is_empty());
        let r =
            parse_alembic("revision = 'm'\ndown_revision = (\n    'a',\n    'b',\n)\n").unwrap();
        assert_eq!(r.down, ["a", "b"]);
        assert!(parse_alembic("import x\n").is_err());
        assert!(parse_alembic("revision = 'a'\ndown_revision = compute()\n").is_err());
    }

    #[test]
    fn alembic_heads() {
        let revs = vec![
            (
                "1.py".to_string(),
                Revision {
                    id: "a".into(),
                    down: vec![],
                },
            ),
            (
                "2.py".to_string(),
                Revision {
                    id: "b".into(),
                    down: vec!["a".into()],
                },
            ),
            (
                "3.py".to_string(),
                Revision {
                    id: "c".into(),
                    down: vec!["a".into()],
                },
            ),
        ];
        assert_eq!(heads(&revs).len(), 2);
        let mut merged = revs.clone();
        merged.push((
            "4.py".into(),
            Revision {
                id: "m".into(),
                down: vec!["b".into(), "c".into()],
            },
        ));
        assert_eq!(heads(&merged).len(), 1);
    }
}
