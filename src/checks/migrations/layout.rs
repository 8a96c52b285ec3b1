//! Which files are migrations, of which framework, in which series, with which version.
//! Built-in layouts cover Prisma, Alembic, Rails, Django, Flyway, golang-migrate,
//! Knex/TypeORM/Sequelize and plain `migrations/*.sql`; config adds globs or turns them off, and
//! `[[migrations.dirs]]` (`dirs.rs`) names directories whose framework decides alone.

use std::sync::OnceLock;

use crate::glob::Globs;
use regex::{Captures, Regex};

use super::locks::Dialect;
use super::MigrationsConfig;
use crate::checks::globs;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Framework {
    Prisma,
    Alembic,
    GolangMigrate,
    Flyway,
    Rails,
    Django,
    /// Knex, TypeORM, Sequelize: `migrations/<number>[-_]name.{js,ts}`.
    JsOrm,
    /// `migrations/*.sql` and configured globs.
    Plain,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::Prisma => "Prisma",
            Framework::Alembic => "Alembic",
            Framework::GolangMigrate => "golang-migrate",
            Framework::Flyway => "Flyway",
            Framework::Rails => "Rails",
            Framework::Django => "Django",
            Framework::JsOrm => "Knex/TypeORM/Sequelize",
            Framework::Plain => "SQL",
        }
    }
}

/// One migration file, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub framework: Framework,
    /// The folder whose migrations are ordered together (`prisma/migrations`, `app/migrations`).
    pub series: String,
    /// Numeric version parts (`V1.2__x.sql` → [1, 2]); `None` when the name carries none
    /// (Alembic orders by its revision graph, Flyway `R__` files are repeatable).
    pub version: Option<Vec<u128>>,
    /// The migration's identity inside its series: golang-migrate's up and down share one.
    pub id: String,
    /// Undoes another migration (`*.down.sql`, Flyway `U…__`): never judged as destructive.
    pub is_down: bool,
    /// Flyway `R__…` repeatable migrations are meant to be edited.
    pub repeatable: bool,
    /// The database its `[[migrations.dirs]]` entry names, when one does.
    pub dialect: Option<Dialect>,
}

struct Layout {
    framework: Framework,
    re: Regex,
}

/// (framework, pattern). Groups: `series` (folder), `ver` (version text), `id`.
/// First match wins, so the specific layouts come before the generic ones.
const LAYOUTS: &[(Framework, &str)] = &[
    (
        Framework::Prisma,
        r"^(?P<series>(?:.*/)?migrations)/(?P<id>(?P<ver>\d+)_[^/]*)/migration\.sql$",
    ),
    (
        Framework::Alembic,
        r"^(?P<series>(?:.*/)?(?:alembic|migrations)/versions)/(?P<id>[^/]+)\.py$",
    ),
    (
        Framework::GolangMigrate,
        r"^(?P<series>(?:.*/)?)(?P<id>(?P<ver>\d+)_[^/]*?)\.(?:up|down)\.sql$",
    ),
    (
        Framework::Flyway,
        r"^(?P<series>(?:.*/)?)(?P<id>[VUR](?P<ver>\d+(?:[._]\d+)*)?__[^/]*)\.sql$",
    ),
    (
        Framework::Rails,
        r"^(?P<series>(?:.*/)?db/migrate)/(?P<id>(?P<ver>\d+)_[^/]*)\.rb$",
    ),
    (
        Framework::Django,
        r"^(?P<series>(?:.*/)?migrations)/(?P<id>(?P<ver>\d{4})_[^/]*)\.py$",
    ),
    (
        Framework::JsOrm,
        r"^(?P<series>(?:.*/)?migrations)/(?P<id>(?P<ver>\d+)[-_.][^/]*)\.(?:js|ts|cjs|mjs)$",
    ),
    (
        Framework::Plain,
        r"^(?P<series>(?:.*/)?migrations)/(?P<id>[^/]+)\.sql$",
    ),
];

/// Each framework's file naming inside a `[[migrations.dirs]]` directory, matched against the
/// path below it. Groups as in [`LAYOUTS`], without `series`: the directory is the series.
/// Flyway searches its locations recursively; the others read one directory.
const DIR_LAYOUTS: &[(Framework, &str)] = &[
    (
        Framework::Prisma,
        r"^(?P<id>(?P<ver>\d+)_[^/]*)/migration\.sql$",
    ),
    (Framework::Alembic, r"^(?P<id>[^/]+)\.py$"),
    (
        Framework::GolangMigrate,
        r"^(?P<id>(?P<ver>\d+)_[^/]*?)\.(?:up|down)\.sql$",
    ),
    (
        Framework::Flyway,
        r"^(?:.*/)?(?P<id>[VUR](?P<ver>\d+(?:[._]\d+)*)?__[^/]*)\.sql$",
    ),
    (Framework::Rails, r"^(?P<id>(?P<ver>\d+)_[^/]*)\.rb$"),
    (Framework::Django, r"^(?P<id>(?P<ver>\d{4})_[^/]*)\.py$"),
    (
        Framework::JsOrm,
        r"^(?P<id>(?P<ver>\d+)[-_.][^/]*)\.(?:js|ts|cjs|mjs)$",
    ),
    (Framework::Plain, r"^(?P<id>[^/]+)\.sql$"),
];

fn compiled(table: &'static [(Framework, &'static str)]) -> Vec<Layout> {
    table
        .iter()
        .filter_map(|(f, p)| Regex::new(p).ok().map(|re| Layout { framework: *f, re }))
        .collect()
}

fn layouts() -> &'static [Layout] {
    static L: OnceLock<Vec<Layout>> = OnceLock::new();
    L.get_or_init(|| compiled(LAYOUTS))
}

fn dir_layout(framework: Framework) -> Option<&'static Layout> {
    static L: OnceLock<Vec<Layout>> = OnceLock::new();
    L.get_or_init(|| compiled(DIR_LAYOUTS))
        .iter()
        .find(|l| l.framework == framework)
}

/// A `[[migrations.dirs]]` entry, resolved to a repository path.
struct Dir {
    path: String,
    framework: Framework,
    dialect: Option<Dialect>,
    reviewers: Option<Vec<String>>,
}

/// The compiled matcher for one config.
pub struct Finder {
    /// Configured directories, deepest first (a nested one wins over its parent).
    dirs: Vec<Dir>,
    builtin: bool,
    extra: Globs,
    exclude: Globs,
    allow_edit: Globs,
}

impl Finder {
    pub fn new(cfg: &MigrationsConfig) -> Result<Finder> {
        let mut dirs = Vec::new();
        for d in &cfg.dirs {
            dirs.push(Dir {
                path: d.repo_path().map_err(Error::Other)?,
                framework: d.framework.framework(),
                dialect: d.database.map(|db| db.dialect()),
                reviewers: d.reviewers.clone(),
            });
        }
        dirs.sort_by_key(|d| std::cmp::Reverse(d.path.len()));
        Ok(Finder {
            dirs,
            builtin: cfg.builtin_layouts,
            extra: globs::compile(&cfg.paths, "[migrations] paths")?,
            exclude: globs::compile(&cfg.exclude, "[migrations] exclude")?,
            allow_edit: globs::compile(&cfg.allow_edit, "[migrations] allow_edit")?,
        })
    }

    /// The configured directory holding `path`, when one does.
    fn dir_of<'p>(&self, path: &'p str) -> Option<(&Dir, &'p str)> {
        self.dirs.iter().find_map(|d| {
            let rel = path.strip_prefix(d.path.as_str())?.strip_prefix('/')?;
            Some((d, rel))
        })
    }

    /// Who may review the migration at `path`: its directory's `reviewers`, else `default`.
    pub fn reviewers<'a>(&'a self, path: &str, default: &'a [String]) -> &'a [String] {
        self.dir_of(path)
            .and_then(|(d, _)| d.reviewers.as_deref())
            .unwrap_or(default)
    }

    pub fn allows_edit(&self, path: &str) -> bool {
        self.allow_edit.is_match(path)
    }

    /// Classifies `path`, or `None` when it is not a migration.
    pub fn classify(&self, path: &str) -> Option<Migration> {
        if self.exclude.is_match(path) {
            return None;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        if name == "__init__.py" || name.starts_with('.') {
            return None;
        }
        // Most staged files are not migrations: skip the layout regexes for them.
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let maybe = matches!(ext, "sql" | "py" | "rb" | "js" | "ts" | "cjs" | "mjs");
        // A configured directory decides alone for the files under it.
        if let Some((d, rel)) = self.dir_of(path) {
            let l = dir_layout(d.framework)?;
            let c = l.re.captures(rel)?;
            let mut m = from_captures(l.framework, &c, path, name, d.path.clone());
            m.dialect = d.dialect;
            return Some(m);
        }
        if self.builtin && maybe && may_match_layout(path, ext) {
            for l in layouts() {
                let Some(c) = l.re.captures(path) else {
                    continue;
                };
                let series = c
                    .name("series")
                    .map_or("", |m| m.as_str())
                    .trim_end_matches('/')
                    .to_owned();
                return Some(from_captures(l.framework, &c, path, name, series));
            }
        }
        if self.extra.is_match(path) {
            let (series, file) = path.rsplit_once('/').unwrap_or(("", path));
            let id = file.rsplit_once('.').map_or(file, |(a, _)| a).to_owned();
            return Some(Migration {
                framework: Framework::Plain,
                series: series.to_owned(),
                version: leading_version(&id),
                id,
                is_down: path.ends_with(".down.sql"),
                repeatable: false,
                dialect: None,
            });
        }
        None
    }
}

/// Whether a built-in layout can match `path`: each names `.sql` files or a folder that
/// holds `migrations/`, `db/migrate/` or `alembic/versions/`. Rules out most of a tree's
/// `.py`/`.rb`/`.js`/`.ts` files before the layouts' regexes, in a scan asked of every file.
fn may_match_layout(path: &str, ext: &str) -> bool {
    ext == "sql"
        || path.contains("migrations/")
        || path.contains("db/migrate/")
        || path.contains("alembic/versions/")
}

/// The migration a layout's match describes: `c` holds `id` and `ver` as the layouts name them.
fn from_captures(
    framework: Framework,
    c: &Captures<'_>,
    path: &str,
    name: &str,
    series: String,
) -> Migration {
    let id = c.name("id").map_or(name, |m| m.as_str()).to_owned();
    let version = match framework {
        Framework::Alembic => None,
        _ => c
            .name("ver")
            .map(|m| parse_version(m.as_str()))
            .or_else(|| leading_version(&id)),
    };
    let is_down =
        path.ends_with(".down.sql") || (framework == Framework::Flyway && id.starts_with('U'));
    let repeatable = framework == Framework::Flyway && id.starts_with('R');
    Migration {
        framework,
        series,
        version: if repeatable { None } else { version },
        id,
        is_down,
        repeatable,
        dialect: None,
    }
}

/// `1.2_3` → [1, 2, 3]. Parts too large for u128 saturate (they still compare sensibly).
fn parse_version(s: &str) -> Vec<u128> {
    s.split(['.', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().unwrap_or(u128::MAX))
        .collect()
}

/// The digits a name starts with, if any: `0003_add_users` → [3].
fn leading_version(id: &str) -> Option<Vec<u128>> {
    let digits: String = id.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| parse_version(&digits))
}

pub fn version_text(v: &[u128]) -> String {
    v.iter().map(u128::to_string).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder(paths: &[&str]) -> Finder {
        let cfg = MigrationsConfig {
            paths: paths.iter().map(|s| s.to_string()).collect(),
            ..MigrationsConfig::default()
        };
        Finder::new(&cfg).unwrap()
    }

    #[test]
    fn layouts_are_recognised() {
        let f = finder(&[]);
        let c = |p: &str| f.classify(p).map(|m| (m.framework, m.series, m.version));
        assert_eq!(
            c("prisma/migrations/20240101120000_init/migration.sql"),
            Some((
                Framework::Prisma,
                "prisma/migrations".into(),
                Some(vec![20240101120000])
            ))
        );
        assert_eq!(
            c("alembic/versions/ab12_add.py"),
            Some((Framework::Alembic, "alembic/versions".into(), None))
        );
        assert_eq!(
            c("svc/migrations/versions/ab12_add.py").map(|x| x.0),
            Some(Framework::Alembic)
        );
        assert_eq!(c("alembic/versions/__init__.py"), None);
        assert_eq!(
            c("db/migrate/20240101120000_add_users.rb").map(|x| x.0),
            Some(Framework::Rails)
        );
        assert_eq!(
            c("shop/migrations/0002_order.py"),
            Some((Framework::Django, "shop/migrations".into(), Some(vec![2])))
        );
        assert_eq!(
            c("db/V1.2__init.sql"),
            Some((Framework::Flyway, "db".into(), Some(vec![1, 2])))
        );
        assert_eq!(c("db/R__views.sql").map(|x| x.2), Some(None));
        assert_eq!(
            c("migrations/000003_add.up.sql"),
            Some((Framework::GolangMigrate, "migrations".into(), Some(vec![3])))
        );
        assert_eq!(
            c("src/migrations/1700000000000-AddUser.ts").map(|x| x.0),
            Some(Framework::JsOrm)
        );
        assert_eq!(
            c("migrations/0004_add.sql").map(|x| x.0),
            Some(Framework::Plain)
        );
        assert_eq!(c("src/app.py"), None);
        assert_eq!(c("docs/migrations.md"), None);
    }

    #[test]
    fn golang_up_and_down_share_an_id() {
        let f = finder(&[]);
        let up = f.classify("m/1_a.up.sql").unwrap();
        let down = f.classify("m/1_a.down.sql").unwrap();
        assert_eq!(up.id, down.id);
        assert!(down.is_down && !up.is_down);
    }

    #[test]
    fn configured_globs_add_files() {
        let f = finder(&["db/sql/*.sql"]);
        let m = f.classify("db/sql/7_x.sql").unwrap();
        assert_eq!(m.version, Some(vec![7]));
        assert!(finder(&[]).classify("db/sql/7_x.sql").is_none());
    }

    /// The regexes of the built-in layouts match nothing the prefilter rules out.
    #[test]
    fn the_prefilter_keeps_every_path_a_layout_matches() {
        let segs = [
            "db",
            "migrate",
            "migrations",
            "alembic",
            "versions",
            "prisma",
            "app",
            "0001_init",
            "V1_2__add",
            "R__view",
            "U3__undo",
            "20240101_x",
            "12-add",
        ];
        let exts = [
            "sql", "up.sql", "down.sql", "py", "rb", "js", "ts", "cjs", "mjs",
        ];
        let mut checked = 0;
        for a in segs {
            for b in segs {
                for c in segs {
                    for e in exts {
                        for path in [
                            format!("{a}/{b}/{c}.{e}"),
                            format!("{a}/{b}/{c}/migration.{e}"),
                        ] {
                            let name = path.rsplit('/').next().unwrap_or(&path);
                            let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
                            if layouts().iter().any(|l| l.re.is_match(&path)) {
                                checked += 1;
                                assert!(may_match_layout(&path, ext), "{path}");
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
