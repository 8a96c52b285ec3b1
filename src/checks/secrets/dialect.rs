//! Which configuration format a file is written in, decided by its name or extension. In these
//! files a literal value given to a password-like key is a leak whatever its entropy; in program
//! code the stricter generic rule judges it instead.

/// How a configuration format writes `key <separator> value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Yaml,
    Json,
    Xml,
    /// INI, `.cfg`, `.cnf`, `.pypirc`, `pip.conf`, `.npmrc`, `WinSCP.ini`.
    Ini,
    Env,
    Toml,
    /// Java `.properties`: `key=value`, `key: value` or `key value`.
    Properties,
    /// `key value` lines: `.conf` files, mail clients' rc files (`.msmtprc`, `.fetchmailrc`).
    Spaced,
    /// `ENV KEY=value` or `ENV KEY value`.
    Dockerfile,
    /// Settings written in a programming language (wp-config.php, Drupal's settings.php,
    /// Joomla's configuration.php, Django's settings.py, Elixir's config.exs, Terraform's
    /// `.tfvars`): only a quoted literal is a value, anything else is an expression.
    Code,
}

impl Dialect {
    /// May a bare space separate a key from its value (`requirepass s3cret`)?
    pub fn spaced(self) -> bool {
        matches!(
            self,
            Dialect::Spaced | Dialect::Dockerfile | Dialect::Properties
        )
    }
    /// Must a value be quoted to be a literal?
    pub fn quoted_only(self) -> bool {
        self == Dialect::Code
    }
}

/// Whole file names (compared case-insensitively).
const BY_NAME: &[(&str, Dialect)] = &[
    ("dockerfile", Dialect::Dockerfile),
    ("containerfile", Dialect::Dockerfile),
    (".env", Dialect::Env),
    (".muttrc", Dialect::Spaced),
    ("muttrc", Dialect::Spaced),
    (".msmtprc", Dialect::Spaced),
    ("msmtprc", Dialect::Spaced),
    (".fetchmailrc", Dialect::Spaced),
    (".pypirc", Dialect::Ini),
    (".npmrc", Dialect::Ini),
    (".my.cnf", Dialect::Ini),
    ("wp-config.php", Dialect::Code),
    ("settings.php", Dialect::Code),
    ("settings.local.php", Dialect::Code),
    ("configuration.php", Dialect::Code),
    ("localsettings.php", Dialect::Code),
    ("env.php", Dialect::Code),
    ("config.php", Dialect::Code),
    ("database.php", Dialect::Code),
    ("parameters.php", Dialect::Code),
    ("settings.py", Dialect::Code),
    ("local_settings.py", Dialect::Code),
    ("production.py", Dialect::Code),
    ("config.exs", Dialect::Code),
    ("prod.exs", Dialect::Code),
    ("dev.exs", Dialect::Code),
    ("runtime.exs", Dialect::Code),
];

/// Extensions, the last one of the name (compared case-insensitively).
const BY_EXTENSION: &[(&str, Dialect)] = &[
    ("yml", Dialect::Yaml),
    ("yaml", Dialect::Yaml),
    ("json", Dialect::Json),
    ("jsonc", Dialect::Json),
    ("json5", Dialect::Json),
    ("xml", Dialect::Xml),
    ("config", Dialect::Xml),
    ("ini", Dialect::Ini),
    ("cfg", Dialect::Ini),
    ("cnf", Dialect::Ini),
    ("env", Dialect::Env),
    ("toml", Dialect::Toml),
    ("properties", Dialect::Properties),
    ("conf", Dialect::Spaced),
    ("tfvars", Dialect::Code),
    ("dockerfile", Dialect::Dockerfile),
];

/// Directories of translations: their values are words in a language, not settings.
const TRANSLATION_DIRS: &[&str] = &["i18n", "l10n", "locale", "locales", "lang", "translations"];

/// Names that end like a config file but hold no settings of the project.
const NOT_SETTINGS: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "composer.lock",
    "pnpm-lock.yaml",
];

/// The configuration dialect of the file at `path`, if it is a configuration file.
pub fn of(path: &[u8]) -> Option<Dialect> {
    let path = std::str::from_utf8(path).ok()?;
    let name = path.rsplit('/').next()?.to_ascii_lowercase();
    let dirs = || path.split('/').rev().skip(1);
    if NOT_SETTINGS.contains(&name.as_str())
        || dirs().any(|d| TRANSLATION_DIRS.iter().any(|t| t.eq_ignore_ascii_case(d)))
    {
        return None;
    }
    if let Some(&(_, d)) = BY_NAME.iter().find(|(n, _)| *n == name) {
        return Some(d);
    }
    // `.env.local`, `.env.production`; templates (`.env.example`) hold placeholders, judged so.
    if name.starts_with(".env.") {
        return Some(Dialect::Env);
    }
    if name.starts_with("dockerfile.") {
        return Some(Dialect::Dockerfile);
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    if let Some(&(_, d)) = BY_EXTENSION.iter().find(|(e, _)| *e == ext) {
        return Some(d);
    }
    // PHP, Python and Elixir files of a `config/` or `settings/` directory are settings.
    let in_settings_dir = dirs()
        .next()
        .is_some_and(|d| d.eq_ignore_ascii_case("config") || d.eq_ignore_ascii_case("settings"));
    (in_settings_dir && matches!(ext, "php" | "py" | "exs")).then_some(Dialect::Code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_files_by_name_and_extension() {
        for (p, d) in [
            ("config/application.yml", Dialect::Yaml),
            ("appsettings.Production.json", Dialect::Json),
            ("web.config", Dialect::Xml),
            (".idea/dataSources.xml", Dialect::Xml),
            ("my.cnf", Dialect::Ini),
            ("WinSCP.ini", Dialect::Ini),
            (".env.local", Dialect::Env),
            (
                "src/main/resources/application.properties",
                Dialect::Properties,
            ),
            ("Dockerfile", Dialect::Dockerfile),
            ("docker/api.Dockerfile", Dialect::Dockerfile),
            (".msmtprc", Dialect::Spaced),
            ("public/wp-config.php", Dialect::Code),
            ("mysite/settings.py", Dialect::Code),
            ("config/mail.php", Dialect::Code),
            ("terraform.tfvars", Dialect::Code),
        ] {
            assert_eq!(of(p.as_bytes()), Some(d), "{p}");
        }
    }

    #[test]
    fn code_docs_and_translations_are_not_config() {
        for p in [
            "src/auth.py",
            "src/Config.java",
            "README.md",
            "docs/setup.rst",
            "i18n/en.json",
            "src/locales/de/messages.yml",
            "package-lock.json",
            "app/Http/Controllers/Auth.php",
        ] {
            assert_eq!(of(p.as_bytes()), None, "{p}");
        }
    }
}
