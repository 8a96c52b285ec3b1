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
    (".mbsyncrc", Dialect::Spaced),
    ("mbsyncrc", Dialect::Spaced),
    (".wgetrc", Dialect::Ini),
    ("wgetrc", Dialect::Ini),
    // mount.cifs' `credentials=` file and /etc/fstab's `password=` mount options.
    (".smbcredentials", Dialect::Ini),
    (".smbcreds", Dialect::Ini),
    ("smbcredentials", Dialect::Ini),
    ("fstab", Dialect::Spaced),
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
    ("config.inc.php", Dialect::Code),
    ("gitlab.rb", Dialect::Code),
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
    // Packer's `.pkrvars.hcl`, Terragrunt, Nomad and Vault settings.
    ("hcl", Dialect::Code),
    // NetworkManager's saved connections (`psk=`, `password=`).
    ("nmconnection", Dialect::Ini),
    // Visual Studio's publish profiles and the per-user file beside them.
    ("pubxml", Dialect::Xml),
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

/// Endings of a template that stands for a settings file (`.env.example`, `config.yml.dist`).
const TEMPLATE_ENDINGS: &[&str] = &[".example", ".sample", ".template", ".dist", ".tpl"];

/// Whether `path` names a template of a settings file, which holds stand-ins for its values.
pub fn is_template(path: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    TEMPLATE_ENDINGS
        .iter()
        .any(|e| lower.ends_with(e.as_bytes()))
}

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
    if name.ends_with(".pubxml.user") {
        return Some(Dialect::Xml);
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

/// The dialect of a file: by its name ([`of`]), or by what it holds when every line of it is a
/// setting (a pasted `.env`, INI section, YAML map or JSON object) for a plain `.txt` file and
/// for a tool's own settings file: a name without an extension that ends in `rc` (`cqlshrc`,
/// `.sentryclirc`) or sits in a dot-directory (`.snowsql/config`). Neither is program code, so
/// the config rule may judge it once it reads as config.
pub fn of_file(path: &[u8], data: &[u8]) -> Option<Dialect> {
    of(path).or_else(|| {
        let mut parts = path.rsplit(|&b| b == b'/');
        let name = parts.next()?;
        let txt = name.len() > 4 && name[name.len() - 4..].eq_ignore_ascii_case(b".txt");
        let bare = !name.iter().skip(1).any(|&b| b == b'.');
        let tool_settings =
            bare && (name.ends_with(b"rc") || parts.next().is_some_and(|d| d.starts_with(b".")));
        if txt || tool_settings {
            sniff(data)
        } else {
            None
        }
    })
}

/// The lines sniffed: enough to tell a settings file, few enough to stay cheap on a large one.
const SNIFF_LINES: usize = 40;

/// What a plain-text file's content says it is, when each of its first lines (blank lines and
/// comments aside) is a setting of one format: `[section]` and `key = value` lines (INI),
/// `KEY=value` (.env), `key: value` (YAML), or a JSON object.
fn sniff(data: &[u8]) -> Option<Dialect> {
    let text = data.trim_ascii();
    if text.starts_with(b"{") && text.ends_with(b"}") {
        return Some(Dialect::Json);
    }
    let mut ini = 0usize;
    let mut yaml = 0usize;
    let mut lines = 0usize;
    for line in text.split(|&b| b == b'\n').take(SNIFF_LINES) {
        let line = line.trim_ascii();
        if line.is_empty() || line.starts_with(b"#") || line.starts_with(b";") {
            continue;
        }
        lines += 1;
        if line.starts_with(b"[") && line.ends_with(b"]") && line.len() > 2 {
            ini += 1;
            continue;
        }
        let key_len = line
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')))
            .unwrap_or(line.len());
        let first = line.first().copied().unwrap_or(b' ');
        if key_len == 0 || !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let rest = line[key_len..].trim_ascii_start();
        // `==`, `=>`, `:=` and `::` are code (comparisons, hashes, Go, paths), not settings.
        let code = [&b"=="[..], b"=>", b":=", b"::"]
            .iter()
            .any(|op| rest.starts_with(op));
        if code {
            return None;
        }
        if rest.starts_with(b"=") {
            ini += 1;
        } else if rest.starts_with(b":") {
            yaml += 1;
        } else {
            return None;
        }
    }
    match (ini, yaml) {
        _ if lines == 0 => None,
        (i, 0) if i == lines => Some(Dialect::Ini),
        (0, y) if y == lines => Some(Dialect::Yaml),
        _ => None,
    }
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
            ("packer/prod.pkrvars.hcl", Dialect::Code),
            ("phpmyadmin/config.inc.php", Dialect::Code),
            ("config/gitlab.rb", Dialect::Code),
            (".wgetrc", Dialect::Ini),
            (".smbcredentials", Dialect::Ini),
            ("etc/fstab", Dialect::Spaced),
            (".mbsyncrc", Dialect::Spaced),
            ("system-connections/Office.nmconnection", Dialect::Ini),
            ("Properties/PublishProfiles/Prod.pubxml.user", Dialect::Xml),
        ] {
            assert_eq!(of(p.as_bytes()), Some(d), "{p}");
        }
    }

    #[test]
    fn a_txt_file_of_settings_reads_as_its_format() {
        for (text, d) in [
            ("user = app\npassword = Winter2024db\n", Dialect::Ini),
            (
                "[client]\n# local\nuser=app\npassword=Winter2024db\n",
                Dialect::Ini,
            ),
            ("  DB_PASSWORD=Winter2024db   # staging\n", Dialect::Ini),
            ("db_password: \"Winter2024db\"\n", Dialect::Yaml),
            ("{\n  \"password\": \"Winter2024db\"\n}\n", Dialect::Json),
        ] {
            assert_eq!(of_file(b"notes/db.txt", text.as_bytes()), Some(d), "{text}");
        }
        // A tool's settings file without an extension: an `rc` name, or one in a dot-directory.
        let ini = "[auth]\nusername = ops\npassword = Winter2024db\n";
        for path in [".cassandra/cqlshrc", ".sentryclirc", "home/.snowsql/config"] {
            assert_eq!(
                of_file(path.as_bytes(), ini.as_bytes()),
                Some(Dialect::Ini),
                "{path}"
            );
        }
        for path in ["src/config", "bin/deploy", ".snowsql/config.sh", "Makefile"] {
            assert_eq!(of_file(path.as_bytes(), ini.as_bytes()), None, "{path}");
        }
        // Prose, code, requirement pins and mixed forms are not settings; other names are judged
        // by their name alone.
        for (path, text) in [
            ("notes.txt", "The password is Winter2024db, keep it safe.\n"),
            ("login.txt", "if password == \"Winter2024db\":\n    ok()\n"),
            ("requirements.txt", "requests==2.31.0\nurllib3==2.0.7\n"),
            ("mixed.txt", "user: app\npassword = Winter2024db\n"),
            ("code.txt", "$password = \"Winter2024db\";\n"),
            ("go.txt", "my_password := \"Winter2024db\"\n"),
            ("perl.txt", "password => \"Winter2024db\"\n"),
            ("empty.txt", "\n# nothing\n"),
            ("src/auth.py", "password = \"Winter2024db\"\n"),
            ("README", "password = Winter2024db\n"),
        ] {
            assert_eq!(
                of_file(path.as_bytes(), text.as_bytes()),
                None,
                "{path}: {text}"
            );
        }
    }

    #[test]
    fn templates_of_settings_files() {
        for p in [
            "cloudflare.ini.example",
            ".env.sample",
            "config/app.yml.dist",
            "a/b.TEMPLATE",
        ] {
            assert!(is_template(p.as_bytes()), "{p}");
        }
        for p in [
            "example",
            "src/sample.rs",
            "config.yml",
            "templates/app.yml",
        ] {
            assert!(!is_template(p.as_bytes()), "{p}");
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
