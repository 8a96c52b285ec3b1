//! `[[lint]]` entries and `[lint_options]`. Entries are validated while the config is parsed, so
//! an unknown preset, a missing `run` or a bad glob is an error located at its line (exit 2);
//! `cwd` is checked against the work tree once that is known ([`Linter::cwd_problem`]).

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use crate::glob::Globs;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::batch::Batch;
use super::command::Template;
use super::presets;
use super::resolve::{self, RawFix};
use crate::config::values::SeverityConfig;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LintOptions {
    pub enabled: bool,
    pub severity: Option<SeverityConfig>,
    /// Run each entry's `fix` command (when it has one) and re-stage what it changed.
    pub fix: bool,
    /// At most this many linters at once (default: the number of cores).
    pub jobs: Option<usize>,
    /// Default time limit for each linter run.
    pub timeout: Option<Seconds>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            enabled: true,
            severity: None,
            fix: false,
            jobs: None,
            timeout: None,
        }
    }
}

impl crate::config::Section for LintOptions {}

impl crate::config::CheckConfig for LintOptions {
    const STARTER: &'static str = include_str!("../../../patterns/starter/lint.toml");
    fn common(&self) -> (bool, Option<&SeverityConfig>) {
        (self.enabled, self.severity.as_ref())
    }
}

/// The `[[lint]]` entries: each `cwd` must be a directory of the work tree, reached without
/// leaving it.
impl crate::config::Section for Vec<Linter> {
    /// A nested config adds entries that run in its directory (or their `cwd` below it).
    const NESTING: crate::config::layers::Nesting =
        crate::config::layers::Nesting::Entries(&[crate::config::layers::PathKey {
            key: "cwd",
            kind: crate::config::layers::PathKind::Dir,
        }]);
    fn validate_work_tree(&self, root: &Path) -> Result<(), crate::config::Problem> {
        match self.iter().find_map(|l| l.cwd_problem(root)) {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }
}

/// A duration: seconds as a number, or a string such as `"30s"`, `"2m"`, `"500ms"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub Duration);

/// As a number of seconds.
impl serde::Serialize for Seconds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0.as_secs_f64())
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as 30, \"30s\", \"2m\" or \"500ms\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                u64::try_from(v)
                    .map(|s| Seconds(Duration::from_secs(s)))
                    .map_err(|_| E::custom("a duration cannot be negative"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seconds, E> {
                Duration::try_from_secs_f64(v)
                    .map(Seconds)
                    .map_err(|_| E::custom("not a valid duration"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                parse_duration(v).map(Seconds).ok_or_else(|| {
                    E::custom(format!(
                        "`{v}` is not a duration; write e.g. 30, \"30s\", \"2m\" or \"500ms\""
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(secs).ok()
}

/// `glob`: one gitignore-style pattern or a list, each compiled as it is read (located at its
/// line and column), and at least one that takes files: a list that is empty or only excludes
/// would match nothing and the linter would silently never run.
fn include_globs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    crate::config::values::checked_list(d, true, |g| check_glob("glob", g), |globs| {
        if globs.iter().all(|g| g.starts_with('!')) {
            let what = if globs.is_empty() { "is empty" } else { "only excludes (`!…`)" };
            return Err(format!("lint glob {what}, so it matches no file and the linter would never run; list the files it takes, e.g. glob = [\"*.py\"], or remove the entry"));
        }
        Ok(())
    })
    .map(Some)
}

/// `exclude`: like `glob`; empty means nothing is excluded.
fn exclude_globs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    crate::config::values::checked_list(d, true, |g| check_glob("exclude", g), |_| Ok(())).map(Some)
}

fn check_glob(key: &str, g: &str) -> Result<String, String> {
    if g.trim().is_empty() || g.starts_with('#') {
        return Err(format!("lint {key} `{g}` is blank or a comment in gitignore syntax and matches nothing; write a pattern such as \"*.py\" (`\\#` for a leading `#`)"));
    }
    compile(std::slice::from_ref(&g.to_owned())).map_err(|e| {
        format!(
            "lint {key} `{g}` is not a valid pattern ({e}); write e.g. \"*.py\" or \"src/**/*.ts\""
        )
    })?;
    Ok(g.to_owned())
}

/// `cwd`, in the form repository paths have (`./web/` → `web`); `None` for the root.
#[derive(Debug, Clone)]
struct Cwd(Option<String>);

impl<'de> Deserialize<'de> for Cwd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::config::values::checked_str(d, |t| {
            crate::config::values::relative_dir(t)
                .map(Cwd)
                .map_err(|e| format!("lint cwd {e}"))
        })
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawBatch {
    Flag(bool),
    Max(usize),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawEntry {
    name: Option<String>,
    preset: Option<String>,
    #[serde(deserialize_with = "include_globs")]
    glob: Option<Vec<String>>,
    #[serde(deserialize_with = "exclude_globs")]
    exclude: Option<Vec<String>>,
    run: Option<String>,
    fix: Option<RawFix>,
    tool: Option<String>,
    cwd: Option<Spanned<Cwd>>,
    timeout: Option<Seconds>,
    optional: Option<bool>,
    pass_filenames: Option<bool>,
    batch: Option<RawBatch>,
}

/// One linter, presets resolved and globs compiled.
#[derive(Debug, Clone)]
pub struct Linter {
    pub name: String,
    pub run: Template,
    pub fix: Option<Template>,
    /// Sub-directory (relative to the repository root) the commands run in; only files under it
    /// are considered, globs match paths relative to it, and files are passed relative to it.
    pub cwd: Option<String>,
    /// Where `cwd` is written in the config (byte range).
    cwd_span: Option<Range<usize>>,
    pub timeout: Option<Duration>,
    pub optional: bool,
    pub pass_filenames: bool,
    pub batch: Batch,
    /// The executable `run` / `fix` start through `{tool}` (the preset's program or the
    /// entry's `tool`), looked for before they run; `None` when the command does not say it.
    run_tool: Option<String>,
    fix_tool: Option<String>,
    /// How to install the tool (presets know).
    pub install: Option<&'static str>,
    include: Globs,
    exclude: Globs,
}

impl<'de> Deserialize<'de> for Linter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawEntry::deserialize(d)?;
        Linter::from_raw(raw).map_err(de::Error::custom)
    }
}

impl Linter {
    fn from_raw(raw: RawEntry) -> Result<Linter, String> {
        let preset = match &raw.preset {
            Some(p) => Some(presets::find(p).ok_or_else(|| {
                format!(
                    "unknown lint preset `{p}`; built-in presets: {}",
                    presets::names()
                )
            })?),
            None => None,
        };
        let name = raw
            .name
            .or_else(|| preset.map(|p| p.name.to_owned()))
            .ok_or("a [[lint]] entry needs `name` (or `preset`)")?;
        let globs = match raw.glob {
            Some(g) => g,
            None => match preset {
                Some(p) => p.glob.iter().map(|s| (*s).to_owned()).collect(),
                None => return Err(format!("lint `{name}`: set `glob`, e.g. glob = [\"*.py\"]")),
            },
        };
        let commands = resolve::commands(resolve::Given {
            name: &name,
            preset,
            run: raw.run,
            fix: raw.fix,
            tool: raw.tool,
        })?;
        let cwd_span = raw.cwd.as_ref().map(Spanned::span);
        let cwd = raw.cwd.and_then(|c| c.into_inner().0);
        let include = compile(&globs).map_err(|e| format!("lint `{name}`: glob: {e}"))?;
        let excludes = raw.exclude.unwrap_or_default();
        let exclude = compile(&excludes).map_err(|e| format!("lint `{name}`: exclude: {e}"))?;
        let batch = match raw.batch {
            None | Some(RawBatch::Flag(true)) => Batch::Auto,
            Some(RawBatch::Flag(false)) => Batch::Never,
            Some(RawBatch::Max(0)) => {
                return Err(format!("lint `{name}`: batch must be at least 1"))
            }
            Some(RawBatch::Max(n)) => Batch::Max(n),
        };
        Ok(Linter {
            name,
            run: commands.run,
            fix: commands.fix,
            cwd,
            cwd_span,
            timeout: raw.timeout.map(|s| s.0),
            optional: raw.optional.unwrap_or(false),
            pass_filenames: raw
                .pass_filenames
                .unwrap_or(preset.is_none_or(|p| p.pass_filenames)),
            batch,
            run_tool: commands.run_tool,
            fix_tool: commands.fix_tool,
            install: preset.map(|p| p.install),
            include,
            exclude,
        })
    }

    /// The program to look for before the `fix` (when `fixing`) or `run` command starts: the
    /// tool it says `{tool}` for, else a plain command's first word; `None` for a shell command,
    /// whose shell finds its programs.
    pub fn program(&self, fixing: bool) -> Option<String> {
        let (tool, template) = match (&self.fix, fixing) {
            (Some(f), true) => (&self.fix_tool, f),
            _ => (&self.run_tool, &self.run),
        };
        tool.clone().or_else(|| match template {
            Template::Direct(_) => Some(template.program()),
            Template::Shell(_) => None,
        })
    }

    /// The same entry, read from different configs (a root entry a nested config inherits).
    pub fn same_entry(&self, other: &Linter) -> bool {
        self.name == other.name
            && self.cwd == other.cwd
            && self.run == other.run
            && self.fix == other.fix
    }

    /// Does the linter take `path` (relative to its cwd)? Gitignore semantics: `*.py` matches at
    /// any depth, `src/*.py` only under `src`, `docs/` everything below `docs`, `!x` re-includes.
    pub fn matches(&self, rel: &Path) -> bool {
        self.include.is_match(rel) && !self.exclude.is_match(rel)
    }

    /// Is `cwd` a directory of the work tree at `root`, reached without leaving it? Files are
    /// taken by their path in git, so a `cwd` that is missing, a file, or a symlink (to elsewhere
    /// in the repository or out of it) would match no file and the linter would never run.
    /// Returns where `cwd` is written and what to do.
    pub fn cwd_problem(&self, root: &Path) -> Option<(usize, String)> {
        let (cwd, span) = (self.cwd.as_ref()?, self.cwd_span.as_ref()?);
        let name = &self.name;
        let dir = root.join(cwd);
        let why = match std::fs::metadata(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
                "lint `{name}`: cwd `{cwd}` does not exist in the repository, so the linter would never run; fix the path or remove `cwd`"
            ),
            Err(e) => format!("lint `{name}`: cwd `{cwd}` cannot be read ({e})"),
            Ok(m) if !m.is_dir() => format!(
                "lint `{name}`: cwd `{cwd}` is not a directory, so the linter would never run; name the directory it runs in, or remove `cwd`"
            ),
            Ok(_) => {
                let (Ok(real), Ok(real_root)) = (dir.canonicalize(), root.canonicalize()) else {
                    return None;
                };
                if real == real_root.join(cwd) {
                    return None;
                }
                match real.strip_prefix(&real_root) {
                    Ok(inside) if inside.as_os_str().is_empty() => format!(
                        "lint `{name}`: cwd `{cwd}` goes through a symlink to the repository root; remove `cwd`"
                    ),
                    Ok(inside) => format!(
                        "lint `{name}`: cwd `{cwd}` goes through a symlink to `{}`; git has the files under that path, so write cwd = \"{}\"",
                        inside.display(),
                        inside.display()
                    ),
                    Err(_) => format!(
                        "lint `{name}`: cwd `{cwd}` leads outside the repository (through a symlink, to {}); write a directory inside the repository, or remove `cwd`",
                        real.display()
                    ),
                }
            }
        };
        Some((span.start, why))
    }
}

fn compile(globs: &[String]) -> Result<Globs, String> {
    Globs::new(globs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linter(toml_text: &str) -> Result<Linter, String> {
        #[derive(Deserialize)]
        struct W {
            lint: Vec<Linter>,
        }
        toml::from_str::<W>(toml_text)
            .map(|mut w| w.lint.remove(0))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn preset_fills_in_and_fields_override() {
        let l = linter("[[lint]]\npreset = \"black\"\nexclude = \"migrations/\"\n").unwrap();
        assert_eq!(l.name, "black");
        assert!(l.matches(Path::new("a/b.py")));
        assert!(!l.matches(Path::new("migrations/0001.py")));
        assert!(!l.matches(Path::new("a/b.rs")));
        assert_eq!(l.program(false).as_deref(), Some("black"));
    }

    #[test]
    fn anchored_and_negated_globs() {
        let l = linter(
            "[[lint]]\nname = \"x\"\nglob = [\"src/*.ts\", \"!src/gen.ts\"]\nrun = \"true\"\n",
        )
        .unwrap();
        assert!(l.matches(Path::new("src/a.ts")));
        assert!(!l.matches(Path::new("lib/src/a.ts")));
        assert!(!l.matches(Path::new("src/gen.ts")));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(linter("[[lint]]\npreset = \"blak\"\n")
            .unwrap_err()
            .contains("unknown lint preset `blak`"));
        assert!(linter("[[lint]]\nname = \"x\"\nglob = \"*\"\n")
            .unwrap_err()
            .contains("set `run`"));
        assert!(
            linter("[[lint]]\nname = \"x\"\nglob = \"*\"\nrun = \"a\"\nbogus = 1\n")
                .unwrap_err()
                .contains("bogus")
        );
        assert!(
            linter("[[lint]]\nname = \"x\"\nglob = \"*\"\nrun = \"a\"\ncwd = \"../up\"\n")
                .unwrap_err()
                .contains("inside the repository")
        );
    }

    #[test]
    fn tool_replaces_the_presets_program_in_run_and_fix() {
        let l =
            linter("[[lint]]\npreset = \"eslint\"\ntool = \"node_modules/.bin/eslint\"\n").unwrap();
        assert_eq!(l.run.program(), "node_modules/.bin/eslint");
        assert_eq!(
            l.fix.as_ref().map(Template::program).as_deref(),
            Some("node_modules/.bin/eslint")
        );
        // gofmt's check runs under `sh -c`; the tool is still what is looked for.
        let l = linter("[[lint]]\npreset = \"gofmt\"\ntool = \"/opt/go/bin/gofmt\"\n").unwrap();
        assert_eq!(l.run.program(), "sh");
        assert_eq!(l.program(false).as_deref(), Some("/opt/go/bin/gofmt"));
        assert_eq!(l.program(true).as_deref(), Some("/opt/go/bin/gofmt"));
        // Own commands, no `{tool}`: their own first word.
        let l = linter("[[lint]]\npreset = \"black\"\nrun = \"poetry run black --check {files}\"\nfix = \"poetry run black {files}\"\n").unwrap();
        assert_eq!(l.program(false).as_deref(), Some("poetry"));
        let l = linter("[[lint]]\npreset = \"terraform-validate\"\n").unwrap();
        assert!(!l.pass_filenames);
    }

    #[test]
    fn a_presets_run_and_fix_are_replaced_together() {
        let e = linter("[[lint]]\npreset = \"black\"\nrun = \"black --check -l 100 {files}\"\n")
            .unwrap_err();
        assert!(
            e.contains("set `fix` as well") && e.contains("`black --quiet {files}`"),
            "{e}"
        );
        let e = linter("[[lint]]\npreset = \"black\"\ntool = \"/v/black\"\nrun = \"{tool} -l 100 --check {files}\"\n").unwrap_err();
        assert!(e.contains("`/v/black --quiet {files}`"), "{e}");
        let e = linter(
            "[[lint]]\npreset = \"ruff\"\nfix = \"ruff check --unsafe-fixes --fix {files}\"\n",
        )
        .unwrap_err();
        assert!(e.contains("set `run` as well"), "{e}");
        let l = linter(
            "[[lint]]\npreset = \"black\"\nrun = \"black --check -l 100 {files}\"\nfix = false\n",
        )
        .unwrap();
        assert!(l.fix.is_none());
        // A preset without a fix: `run` alone is fine.
        assert!(
            linter("[[lint]]\npreset = \"shellcheck\"\nrun = \"shellcheck -x {files}\"\n").is_ok()
        );
        assert!(linter("[[lint]]\npreset = \"black\"\nfix = true\n")
            .unwrap_err()
            .contains("fix = false for none"));
    }

    #[test]
    fn a_tool_nothing_uses_is_an_error() {
        let e = linter("[[lint]]\nname = \"x\"\nglob = \"*\"\nrun = \"a\"\ntool = \"b\"\n")
            .unwrap_err();
        assert!(e.contains("would be ignored"), "{e}");
        let e = linter("[[lint]]\nname = \"x\"\nglob = \"*\"\nrun = \"{tool} x\"\n").unwrap_err();
        assert!(e.contains("no `tool` is set"), "{e}");
        assert!(linter("[[lint]]\npreset = \"black\"\ntool = \" \"\n")
            .unwrap_err()
            .contains("`tool` is empty"));
        let l = linter(
            "[[lint]]\nname = \"x\"\nglob = \"*\"\nrun = \"{tool} x\"\ntool = \"/my tools/t\"\n",
        )
        .unwrap();
        assert_eq!(l.program(false).as_deref(), Some("/my tools/t"));
        assert_eq!(l.run.program(), "/my tools/t");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("soon"), None);
    }
}
