//! `[[migrations.dirs]]`: migration directories named in the config, each with its framework
//! (and optionally its database), for repositories with one series per service or layouts the
//! built-in patterns would not find (`services/billing/sql/`).
//!
//! ```toml
//! [[migrations.dirs]]
//! path = "services/billing/db"
//! framework = "flyway"
//! database = "postgres"
//! reviewers = ["dba@example.com"]
//! ```
//!
//! Each directory is a series of its own: ordered, deduplicated and reviewed on its own, its
//! files classified only by its framework's naming (a file there that the framework would not
//! run is not a migration). `path` is relative to the directory of the config file that names it:
//! a nested config's entries are rewritten onto the root when the configs are layered
//! (`PathKind::EntryDirs` in `crate::config::layers`).

use serde::Deserialize;
use toml::Spanned;

use super::layout::Framework;
use super::locks::Dialect;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationDir {
    pub path: Spanned<String>,
    pub framework: DirFramework,
    pub database: Option<Database>,
    /// Who may review this directory's migrations, in place of `[migrations] reviewers`.
    pub reviewers: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DirFramework {
    Prisma,
    Alembic,
    Rails,
    Django,
    Flyway,
    GolangMigrate,
    Knex,
    Typeorm,
    Sequelize,
    Sql,
}

impl DirFramework {
    pub fn framework(self) -> Framework {
        match self {
            DirFramework::Prisma => Framework::Prisma,
            DirFramework::Alembic => Framework::Alembic,
            DirFramework::Rails => Framework::Rails,
            DirFramework::Django => Framework::Django,
            DirFramework::Flyway => Framework::Flyway,
            DirFramework::GolangMigrate => Framework::GolangMigrate,
            DirFramework::Knex | DirFramework::Typeorm | DirFramework::Sequelize => {
                Framework::JsOrm
            }
            DirFramework::Sql => Framework::Plain,
        }
    }
}

/// Which database the directory's migrations run on: decides whether the Postgres lock rules
/// apply (without it, Prisma's migration_lock.toml decides, and other frameworks are taken as
/// Postgres).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Database {
    #[serde(alias = "postgresql")]
    Postgres,
    Mysql,
    Mariadb,
    Sqlite,
    Sqlserver,
    Oracle,
}

impl Database {
    pub fn dialect(self) -> Dialect {
        match self {
            Database::Postgres => Dialect::Postgres,
            _ => Dialect::Other,
        }
    }
}

impl MigrationDir {
    /// The directory as a repository path (`a/b`, no trailing slash), or why it is not one.
    pub fn repo_path(&self) -> Result<String, String> {
        repo_relative("", self.path.get_ref())
    }

    /// Where `path` is written in the config (byte offset).
    pub fn offset(&self) -> usize {
        self.path.span().start
    }
}

/// `path` (relative to `base`) as a path from the repository root: `.` and `..` resolved,
/// never leaving the repository, never absolute.
pub fn repo_relative(base: &str, path: &str) -> Result<String, String> {
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Err(format!(
            "[[migrations.dirs]] path `{path}`: write a path relative to the config file's directory, with `/`"
        ));
    }
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "[[migrations.dirs]] path `{path}` leads outside the repository"
                    ));
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Err(format!(
            "[[migrations.dirs]] path `{path}` is the repository root; name the directory that holds the migrations"
        ));
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_config_directory() {
        assert_eq!(
            repo_relative("", "./db/migrations/").unwrap(),
            "db/migrations"
        );
        assert_eq!(
            repo_relative("services/billing", "db").unwrap(),
            "services/billing/db"
        );
        assert_eq!(
            repo_relative("services/billing", "../shared/sql").unwrap(),
            "services/shared/sql"
        );
        assert!(repo_relative("", "../x").is_err());
        assert!(repo_relative("", "/abs").is_err());
        assert!(repo_relative("a", "..").is_err());
    }
}
