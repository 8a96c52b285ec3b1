//! Secret rules: the built-in set in `patterns/secrets.toml` (compiled into the binary) plus the
//! custom `[[secrets.rules]]` of `.hygiene.toml`. A rule's regex is compiled the first time one of
//! its keywords occurs, so a commit that mentions no provider never pays for its regex.

use std::sync::OnceLock;

use regex::bytes::Regex;
use serde::Deserialize;

/// Where a rule's regex runs once a keyword is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The lines holding a keyword (most tokens fit on one line).
    #[default]
    Line,
    /// The whole file (multi-line secrets, or a keyword that only names the provider somewhere).
    File,
}

impl Scope {
    /// The default, for static data (`Default::default` is not const).
    pub const DEFAULT: Scope = Scope::Line;
}

/// Which check of the match's surroundings a rule asks for, beyond the secret itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    #[default]
    None,
    /// The value must be a literal, not code (calls, types, comparisons, identifier paths),
    /// and the name it is given must be a secret's, not a lookup key (`first_key`), a public
    /// key or a word that only ends like a keyword (`task`, `netmask`): for rules keyed on a
    /// secret-ish name rather than a provider's token shape.
    Literal,
    /// A password in a URL, unless the URL targets a reserved documentation host or the
    /// password is a placeholder in capitals.
    UrlPassword,
    /// In a configuration file (`dialect.rs` decides by its name), a literal value given to a
    /// password-, secret- or token-like key, whatever its entropy, unless it is a placeholder.
    /// The regex finds the secret words; `assignment.rs` reads the key and value around them.
    Config,
    /// The secret is base64 of `user:password` (HTTP Basic credentials, Docker's `auth`): it
    /// is reported only when it decodes to a pair whose password is a literal, not a
    /// placeholder (`decoded.rs`).
    BasicAuth,
}

impl Context {
    /// The default, for static data (`Default::default` is not const).
    pub const DEFAULT: Context = Context::None;
}

/// A rule as written: `S` is `String` for the built-in rules, and `toml::Spanned<String>` for
/// `[[secrets.rules]]` in `.hygiene.toml`, whose spans locate a bad id, regex or path regex.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpecOf<S> {
    pub id: S,
    #[serde(default)]
    pub description: String,
    pub regex: S,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub secret_group: Option<usize>,
    #[serde(default)]
    pub entropy: Option<f64>,
    #[serde(default = "Vec::new")]
    pub paths: Vec<S>,
    #[serde(default = "Vec::new")]
    pub exclude_paths: Vec<S>,
    #[serde(default = "Vec::new")]
    pub allow: Vec<S>,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub context: Context,
    /// The longest match in bytes, for `scope = "file"` rules whose regex has no bound of its
    /// own (`+`, `*`, `{n,}`): how far apart the windows of a file streamed in pieces overlap.
    #[serde(default)]
    pub max_len: Option<usize>,
}

/// A rule ready for the engine.
pub type RuleSpec = RuleSpecOf<String>;

impl<S> RuleSpecOf<S> {
    /// The same rule with its texts (id, regex, path and allow regexes) converted by `f`, every
    /// other field copied.
    pub fn map_text<T>(&self, f: impl Fn(&S) -> T) -> RuleSpecOf<T> {
        RuleSpecOf {
            id: f(&self.id),
            description: self.description.clone(),
            regex: f(&self.regex),
            keywords: self.keywords.clone(),
            secret_group: self.secret_group,
            entropy: self.entropy,
            paths: self.paths.iter().map(&f).collect(),
            exclude_paths: self.exclude_paths.iter().map(&f).collect(),
            allow: self.allow.iter().map(&f).collect(),
            scope: self.scope,
            strict: self.strict,
            context: self.context,
            max_len: self.max_len,
        }
    }
}

/// A built-in rule as `build.rs` writes it from `patterns/secrets.toml`: the fields of
/// [`RuleSpecOf`], as static data, so that no hook parses the rules at start-up.
pub struct StaticSpec {
    pub id: &'static str,
    pub description: &'static str,
    pub regex: &'static str,
    pub keywords: &'static [&'static str],
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    pub paths: &'static [&'static str],
    pub exclude_paths: &'static [&'static str],
    pub allow: &'static [&'static str],
    pub scope: Scope,
    pub strict: bool,
    pub context: Context,
    pub max_len: Option<usize>,
}

impl StaticSpec {
    /// Can the rule report anything in a text that is no file's content (a commit message, a
    /// branch name): one bound to file names (`paths`) never matches the empty path, and a
    /// config rule needs a configuration file's dialect. A test checks that no built-in
    /// rule's `paths` matches the empty path.
    pub fn applies_to_texts(&self) -> bool {
        self.paths.is_empty() && self.context != Context::Config
    }

    pub fn to_spec(&self) -> RuleSpec {
        let texts = |v: &[&str]| v.iter().map(|t| (*t).to_owned()).collect();
        RuleSpec {
            id: self.id.to_owned(),
            description: self.description.to_owned(),
            regex: self.regex.to_owned(),
            keywords: texts(self.keywords),
            secret_group: self.secret_group,
            entropy: self.entropy,
            paths: texts(self.paths),
            exclude_paths: texts(self.exclude_paths),
            allow: texts(self.allow),
            scope: self.scope,
            strict: self.strict,
            context: self.context,
            max_len: self.max_len,
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/secrets_rules.rs"));

/// The built-in rules, as written in `patterns/secrets.toml` (validated when it was built).
pub fn builtin() -> &'static [StaticSpec] {
    BUILTIN
}

/// The built-in rule specs, made once per process.
pub fn builtin_specs() -> &'static [RuleSpec] {
    static SPECS: OnceLock<Vec<RuleSpec>> = OnceLock::new();
    SPECS.get_or_init(|| BUILTIN.iter().map(StaticSpec::to_spec).collect())
}

/// The longest match of a file-scoped custom rule whose regex is unbounded and that declares no
/// `max_len`; the built-in rules all have a bound (a test checks).
pub const DEFAULT_MAX_LEN: usize = 64 << 10;

/// The largest `max_len` a rule may declare: windows overlap by the largest one.
pub const MAX_MAX_LEN: usize = 1 << 20;

/// The longest match of `re` in bytes, when its repetitions are bounded.
pub fn derived_max_len(re: &str) -> Option<usize> {
    // Parsed as `compile` builds it: bytes first, Unicode if the pattern needs it.
    let ascii = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(re)
        .ok();
    let hir = match ascii {
        Some(hir) => hir,
        None => regex_syntax::Parser::new().parse(re).ok()?,
    };
    hir.properties().maximum_len()
}

/// A rule ready to run: the spec plus lazily compiled regexes.
pub struct Rule {
    pub spec: RuleSpec,
    /// A generic rule (secret-ish name + random-looking value) yields to a provider rule that
    /// finds the same secret.
    pub generic: bool,
    regex: OnceLock<Option<Regex>>,
    paths: OnceLock<Vec<Regex>>,
    exclude_paths: OnceLock<Vec<Regex>>,
    allow: OnceLock<Vec<Regex>>,
}

impl Rule {
    pub fn new(spec: RuleSpec) -> Rule {
        Rule {
            // A config file's literal yields to a provider's token found on the same value.
            generic: spec.id.starts_with("generic") || spec.context == Context::Config,
            spec,
            regex: OnceLock::new(),
            paths: OnceLock::new(),
            exclude_paths: OnceLock::new(),
            allow: OnceLock::new(),
        }
    }

    /// The compiled regex; `None` if it does not compile (custom rules are validated when the
    /// config is read, built-ins by a test, so this only guards against a defect).
    pub fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile(&self.spec.regex).ok())
            .as_ref()
    }

    /// The longest match the rule can report: declared, else derived from the regex.
    pub fn max_len(&self) -> usize {
        self.spec
            .max_len
            .or_else(|| derived_max_len(&self.spec.regex))
            .unwrap_or(DEFAULT_MAX_LEN)
            .min(MAX_MAX_LEN)
    }

    /// Does the rule apply to this path?
    pub fn wants_path(&self, path: &[u8]) -> bool {
        if self.spec.paths.is_empty() && self.spec.exclude_paths.is_empty() {
            return true;
        }
        let paths = self.paths.get_or_init(|| compile_all(&self.spec.paths));
        let excl = self
            .exclude_paths
            .get_or_init(|| compile_all(&self.spec.exclude_paths));
        (paths.is_empty() || paths.iter().any(|r| r.is_match(path)))
            && !excl.iter().any(|r| r.is_match(path))
    }

    /// Is this secret allowed by the rule's own allow-list?
    pub fn allows(&self, secret: &[u8]) -> bool {
        if self.spec.allow.is_empty() {
            return false;
        }
        self.allow
            .get_or_init(|| compile_all(&self.spec.allow))
            .iter()
            .any(|r| r.is_match(secret))
    }
}

/// Compiles with a size limit large enough for the provider alternations.
pub fn compile(re: &str) -> Result<Regex, regex::Error> {
    // ASCII semantics first: secrets are ASCII, and Unicode case folding and classes (`\s`,
    // `(?i)k` also matching the Kelvin sign) made each rule several times slower to compile —
    // time every hook pays. A pattern that needs Unicode falls back to it.
    regex::bytes::RegexBuilder::new(re)
        .unicode(false)
        .size_limit(32 << 20)
        .build()
        .or_else(|_| {
            regex::bytes::RegexBuilder::new(re)
                .size_limit(32 << 20)
                .build()
        })
}

fn compile_all(res: &[String]) -> Vec<Regex> {
    res.iter().filter_map(|r| compile(r).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn builtins_are_valid_and_unique() {
        let specs = builtin_specs();
        assert!(specs.len() >= 120, "only {} rules", specs.len());
        let mut seen = HashSet::new();
        for s in specs {
            assert!(seen.insert(&s.id), "duplicate rule id {}", s.id);
            // A rule without keywords runs on every file its `paths` select.
            assert!(
                !s.keywords.is_empty() || !s.paths.is_empty(),
                "{} has no keyword",
                s.id
            );
            assert!(!s.description.is_empty(), "{} has no description", s.id);
            let re = compile(&s.regex).unwrap_or_else(|e| panic!("{}: {e}", s.id));
            let g = s.secret_group.unwrap_or(usize::from(re.captures_len() > 1));
            assert!(g < re.captures_len(), "{}: no group {g}", s.id);
            for k in &s.keywords {
                assert_eq!(
                    k,
                    &k.to_ascii_lowercase(),
                    "{}: keywords are lower case",
                    s.id
                );
            }
            for r in s.paths.iter().chain(&s.exclude_paths).chain(&s.allow) {
                compile(r).unwrap_or_else(|e| panic!("{}: {e}", s.id));
            }
        }
    }

    /// The static table `build.rs` writes holds exactly what deserializing
    /// `patterns/secrets.toml` into `RuleSpec` (serde, with the documentation keys left out)
    /// gives: same rules, same order, every field equal, defaults included.
    #[test]
    fn static_rules_are_the_toml_deserialized() {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RuleFile {
            rule: Vec<RuleSpec>,
        }
        let text = include_str!("../../../patterns/secrets.toml");
        let mut value: toml::Value = toml::from_str(text).unwrap();
        for rule in value["rule"].as_array_mut().unwrap() {
            let t = rule.as_table_mut().unwrap();
            for k in ["examples", "counter_examples", "example_path"] {
                t.remove(k);
            }
        }
        let parsed: RuleFile = value.try_into().unwrap();
        let ours = builtin_specs();
        assert_eq!(parsed.rule.len(), ours.len());
        for (p, o) in parsed.rule.iter().zip(ours) {
            assert_eq!(format!("{p:?}"), format!("{o:?}"), "{}", p.id);
        }
        assert_eq!(Scope::DEFAULT, Scope::default());
        assert_eq!(Context::DEFAULT, Context::default());
    }

    /// Texts that are no file's content are judged without the rules that cannot apply to
    /// them: that leaves findings unchanged only if no built-in `paths` regex matches the
    /// empty path (the engine asks rules with `paths` whether they want it) and the empty
    /// path has no config dialect.
    #[test]
    fn rules_left_out_of_texts_never_match_the_empty_path() {
        let mut left_out = 0;
        for s in builtin().iter().filter(|s| !s.applies_to_texts()) {
            left_out += 1;
            if s.context == Context::Config {
                // The engine runs a config rule only in a file with a dialect.
                assert!(super::super::dialect::of(b"").is_none(), "{}", s.id);
            } else {
                assert!(!Rule::new(s.to_spec()).wants_path(b""), "{}", s.id);
            }
        }
        assert!(left_out >= 3, "{left_out}");
    }

    /// Files streamed in windows find a multi-line match only if the windows overlap by its
    /// length: every file-scoped rule has a bound, from its regex or declared, and a declared
    /// one is only there when the regex has none.
    #[test]
    fn file_scoped_rules_have_a_longest_match() {
        for s in builtin_specs().iter().filter(|s| s.scope == Scope::File) {
            match (derived_max_len(&s.regex), s.max_len) {
                (Some(_), Some(_)) => panic!("{}: max_len is derived from the regex", s.id),
                (None, None) => panic!("{}: unbounded regex needs max_len", s.id),
                (_, Some(n)) => assert!(n <= MAX_MAX_LEN, "{}", s.id),
                (Some(n), None) => assert!(n <= MAX_MAX_LEN, "{}: {n}", s.id),
            }
        }
        assert_eq!(derived_max_len(r"\b(SK[0-9a-fA-F]{32})\b"), Some(34));
        assert_eq!(derived_max_len("a+"), None);
    }
}
