//! The `checks!` list expands to the registry and to `.hygiene.toml`'s shape, so the two
//! cannot disagree: each line gives a check and the config section it owns (`also`: further
//! top-level sections it reads). Parsing rejects sections no check owns, enabled/severity is
//! looked up through the section's [`CheckConfig`](crate::config::CheckConfig) impl (a check
//! whose section lacks one does not compile), and `init` writes each section's starter.

use std::path::Path;

use super::Config;
use crate::error::Result;

macro_rules! checks {
    ($(
        $check:expr => $(#[$attr:meta])* $field:ident: $ty:ty $(, also $xfield:ident: $xty:ty)*;
    )*) => {
        /// `.hygiene.toml`: one section per registered check; every check is on with working
        /// defaults, and a section no check owns is an error.
        #[derive(Debug, Default, ::serde::Deserialize, ::serde::Serialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct Config {
            $(
                // Entries (`[[lint]]`): `config --show` lists them from the files.
                $( #[serde(serialize_with = "crate::config::values::no_entries")] pub $xfield: $xty, )*
                $(#[$attr])* pub $field: $ty,
            )*
            /// A nested config: stop inheriting from the configs above it.
            pub root: bool,
            /// The files this one builds on (read by `crate::config::extends`).
            #[serde(skip_serializing)]
            pub extends: Vec<$crate::config::extends::Source>,
            /// Where the config came from (`None`: built-in defaults).
            #[serde(skip)]
            pub source: Option<::std::path::PathBuf>,
            /// The nested configs below the root one, resolved per directory on demand.
            #[serde(skip)]
            pub tree: Option<::std::sync::Arc<$crate::checks::config_tree::ConfigTree>>,
        }

        /// What a nested config may set in each section, by the section's name in the file
        /// (`-` written as `_`).
        pub fn nesting() -> Vec<(&'static str, $crate::config::layers::Nesting)> {
            vec![$(
                $( (stringify!($xfield), <$xty as $crate::config::Section>::NESTING), )*
                (stringify!($field), <$ty as $crate::config::Section>::NESTING),
            )*]
        }

        /// The built-in path lists a nested config may add to, as `(section, key, list)`.
        pub fn builtin_lists() -> Vec<(&'static str, &'static str, Vec<String>)> {
            let d = Config::default();
            let mut out = Vec::new();
            $(
                $( for (k, v) in $crate::config::Section::builtin_lists(&d.$xfield) {
                    out.push((stringify!($xfield), k, v));
                } )*
                for (k, v) in $crate::config::Section::builtin_lists(&d.$field) {
                    out.push((stringify!($field), k, v));
                }
            )*
            out
        }

        /// Every check, in the order they are listed.
        pub fn registry() -> Vec<Box<dyn $crate::checks::Check>> {
            vec![$(Box::new($check)),*]
        }

        /// Each check's id and commented part of the starter config, in registry order.
        pub fn starter_sections() -> Vec<(&'static str, &'static str)> {
            vec![$(($crate::checks::Check::id(&$check), <$ty as $crate::config::CheckConfig>::STARTER)),*]
        }

        impl Config {
            /// Is the check enabled, and its configured severity (if any) — by check id.
            pub fn settings(&self, check: &str) -> (bool, Option<&$crate::config::SeverityConfig>) {
                $(
                    if check == $crate::checks::Check::id(&$check) {
                        return $crate::config::CheckConfig::common(&self.$field);
                    }
                )*
                // Only registered checks exist, and the list gave each its section.
                debug_assert!(false, "check `{check}` is not registered");
                (true, None)
            }
        }

        impl $crate::config::Section for Config {
            fn validate(&self, text: &str) -> ::std::result::Result<(), $crate::config::Problem> {
                $(
                    $( $crate::config::Section::validate(&self.$xfield, text)?; )*
                    $crate::config::Section::validate(&self.$field, text)?;
                )*
                Ok(())
            }
            fn validate_work_tree(
                &self,
                root: &::std::path::Path,
            ) -> ::std::result::Result<(), $crate::config::Problem> {
                $(
                    $( $crate::config::Section::validate_work_tree(&self.$xfield, root)?; )*
                    $crate::config::Section::validate_work_tree(&self.$field, root)?;
                )*
                Ok(())
            }
        }
    };
}

impl Config {
    /// Loads `path`, or `<root>/.hygiene.toml` if it exists, or the defaults; with what it
    /// `extends` merged under it.
    pub fn load(explicit: Option<&Path>, root: Option<&Path>) -> Result<Config> {
        super::config_tree::load_root(explicit, root, None, false, false).map(|(c, _)| c)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        crate::config::parse(text, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::Mode;
    use crate::config::Level;
    use crate::error::Error;

    /// `config --show` prints the defaults as serialized: every key must read back as itself.
    #[test]
    fn the_serialized_defaults_read_back_as_the_defaults() {
        let text = toml::to_string(&Config::default()).unwrap();
        let back = Config::parse(&text, Path::new("x")).unwrap();
        assert_eq!(
            format!("{back:?}"),
            format!("{:?}", Config::default()),
            "{text}"
        );
        let mut c = Config::parse("[commit-msg]\nscopes = { workspace = true, extra = [\"deps\"] }\n[branch]\npattern = \"^x\"\n[hygiene]\nseverity = { ci = \"warn\" }\nmax_file_size = \"2 KiB\"\n[lint_options]\ntimeout = \"2s\"\n", Path::new("x")).unwrap();
        c.source = None;
        let text = toml::to_string(&c).unwrap();
        let back = Config::parse(&text, Path::new("x")).unwrap();
        assert_eq!(format!("{back:?}"), format!("{c:?}"), "{text}");
    }

    #[test]
    fn severity_forms() {
        let c = Config::parse("[branch]\nseverity = \"warn\"\n[ticket]\nseverity = { ci = \"error\", pre-commit = \"off\" }\n", Path::new("x")).unwrap();
        assert_eq!(
            c.branch.severity.unwrap().for_mode(Mode::Ci),
            Some(Level::Warn)
        );
        let t = c.ticket.severity.unwrap();
        assert_eq!(t.for_mode(Mode::Ci), Some(Level::Error));
        assert_eq!(t.for_mode(Mode::CommitMsg), Some(Level::Off));
        assert_eq!(t.for_mode(Mode::PrePush), None);
    }

    #[test]
    fn unknown_key_is_located() {
        let e = Config::parse(
            "[hygiene]\nenabled = true\nmax_fil_size = 3\n",
            Path::new(".hygiene.toml"),
        )
        .unwrap_err();
        let Error::Config {
            line,
            column,
            message,
            ..
        } = e
        else {
            panic!("not a config error")
        };
        assert_eq!((line, column), (3, 1));
        assert!(message.contains("max_fil_size"), "{message}");
    }

    #[test]
    fn bad_severity_mode_is_located() {
        let e = Config::parse(
            "[adr]\nseverity = { precommit = \"warn\" }\n",
            Path::new("x"),
        )
        .unwrap_err();
        let Error::Config { line, message, .. } = e else {
            panic!("not a config error")
        };
        assert_eq!(line, 2);
        assert!(message.contains("precommit"), "{message}");
    }

    #[test]
    fn each_check_reads_enabled_from_its_own_section() {
        for (id, starter) in crate::checks::starter_sections() {
            let table = starter
                .lines()
                .find(|l| l.starts_with('['))
                .unwrap_or_else(|| panic!("{id}: the starter has no table"));
            let c = Config::parse(&format!("{table}\nenabled = false\n"), Path::new("x")).unwrap();
            for other in crate::checks::known_ids() {
                assert_eq!(c.settings(other).0, other != id, "{table} and {other}");
            }
        }
    }

    #[test]
    fn a_section_no_check_owns_is_located() {
        let e = Config::parse("[hygiene]\n[foo]\nx = 1\n", Path::new("x")).unwrap_err();
        let Error::Config {
            line,
            column,
            message,
            ..
        } = e
        else {
            panic!("not a config error")
        };
        assert_eq!((line, column), (2, 2));
        assert!(
            message.starts_with("unknown field `foo`, expected one of `hygiene`"),
            "{message}"
        );
    }
}
