//! The examples of the built-in rules: for each rule of `patterns/secrets.toml`, lines it must
//! report (`examples`) and look-alikes it must not (`counter_examples`), checked through the
//! real engine by a test and shown by `git hygiene explain secrets/RULE` in place of the regex.
//! `example_path` names the file the examples are judged in, for rules bound to file names or
//! to configuration formats.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// One rule's examples.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Examples {
    pub examples: Vec<String>,
    pub counter_examples: Vec<String>,
    pub example_path: Option<String>,
}

/// The path examples are judged in when a rule names none: a plain text file, neither code,
/// configuration nor documentation.
pub const DEFAULT_PATH: &str = "notes.txt";

impl Examples {
    pub fn path(&self) -> &str {
        self.example_path.as_deref().unwrap_or(DEFAULT_PATH)
    }
}

/// Split out of `patterns/secrets.toml` by `build.rs`, so hooks never parse it.
const EXAMPLES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/secrets-examples.json"));

/// The examples of every built-in rule, by rule id.
pub fn builtin() -> &'static HashMap<String, Examples> {
    static ALL: OnceLock<HashMap<String, Examples>> = OnceLock::new();
    ALL.get_or_init(|| {
        // Part of the binary and covered by tests; failing here is a build defect.
        serde_json::from_str(EXAMPLES_JSON)
            .unwrap_or_else(|e| panic!("examples in patterns/secrets.toml are invalid: {e}"))
    })
}

/// `text` with the middle of every token-shaped run masked (`ghp_Zx…[40]…aD`, with the run's
/// length, which is what tells a counter-example of the wrong length): the examples are fakes,
/// but a terminal log or a CI page holding a token-shaped string is what secret scanners flag.
/// `=` ends a run, so `NAME=value` keeps its name.
pub fn masked(text: &str) -> String {
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '_' | '-' | '.' | ':');
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        if token_shaped(run) {
            let keep = (run.len() / 4).min(6);
            out.extend(&run[..keep]);
            out.push_str(&format!("…[{}]…", run.len()));
            out.extend(&run[run.len() - 2..]);
        } else {
            out.extend(run.iter());
        }
        run.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A run of a token's alphabet that looks random: 10 characters or more with a digit, or 20 or
/// more in mixed case that are not words run together (`RootManageSharedAccessKey`).
fn token_shaped(run: &[char]) -> bool {
    let digit = run.iter().any(char::is_ascii_digit);
    let upper = run.iter().any(char::is_ascii_uppercase);
    let lower = run.iter().any(char::is_ascii_lowercase);
    // Camel case: every capital starts a word, so a lower-case letter follows it.
    let camel = run
        .windows(2)
        .all(|w| !w[0].is_ascii_uppercase() || w[1].is_ascii_lowercase())
        && !run.last().is_some_and(char::is_ascii_uppercase);
    (run.len() >= 10 && digit) || (run.len() >= 20 && upper && lower && !camel)
}

/// The `Examples:` section `explain` prints for rule `id`: each example masked, one per
/// line (a multi-line one indented under its first line).
pub fn section(id: &str) -> String {
    let Some(ex) = builtin().get(id) else {
        return String::new();
    };
    let mut text = String::new();
    let mut list = |title: &str, items: &[String]| {
        if items.is_empty() {
            return;
        }
        text.push_str("\n\n");
        text.push_str(title);
        for item in items {
            text.push_str("\n    ");
            text.push_str(&masked(item.trim_end()).replace('\n', "\n      "));
        }
    };
    list(
        "Reported (fake values; the middle of each token is masked here):",
        &ex.examples,
    );
    list("Not reported:", &ex.counter_examples);
    if ex.example_path.is_some() && !ex.examples.is_empty() {
        text.push_str(&format!("\n\n(as lines of a file named `{}`)", ex.path()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::secrets::engine::Engine;
    use crate::checks::secrets::rules::builtin_specs;

    /// The ids of the rules the real engine reports in `text`, judged as file `path`.
    fn reported(engine: &Engine, path: &str, text: &str) -> Vec<String> {
        let mut data = text.to_owned();
        if !data.ends_with('\n') {
            data.push('\n');
        }
        engine
            .scan(path.as_bytes(), data.as_bytes())
            .iter()
            .map(|h| engine.rules[h.rule].spec.id.clone())
            .collect()
    }

    #[test]
    fn every_rule_reports_its_examples_and_not_its_counter_examples() {
        let engine = Engine::new(builtin_specs().to_vec(), Vec::new(), false);
        let all = builtin();
        let mut failures = Vec::new();
        for spec in builtin_specs() {
            let id = &spec.id;
            let ex = all.get(id).cloned().unwrap_or_default();
            if ex.examples.is_empty() {
                failures.push(format!("{id}: no examples"));
            }
            if ex.counter_examples.is_empty() {
                failures.push(format!("{id}: no counter_examples"));
            }
            for e in &ex.examples {
                let got = reported(&engine, ex.path(), e);
                if !got.contains(id) {
                    failures.push(format!("{id}: example not reported (got {got:?}): {e}"));
                }
            }
            for c in &ex.counter_examples {
                if reported(&engine, ex.path(), c).contains(id) {
                    failures.push(format!("{id}: counter-example reported: {c}"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} problems:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn examples_name_only_rules_that_exist() {
        for id in builtin().keys() {
            assert!(
                builtin_specs().iter().any(|s| &s.id == id),
                "examples for unknown rule {id}"
            );
        }
    }

    #[test]
    fn masking_hides_the_middle_of_tokens_only() {
        let token = format!("ghp_{}", "Zx81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD");
        let shown = masked(&format!("token = \"{token}\""));
        assert_eq!(shown, "token = \"ghp_Zx…[40]…aD\"");
        assert_eq!(
            masked(&format!("GITHUB_TOKEN={token}")),
            "GITHUB_TOKEN=ghp_Zx…[40]…aD"
        );
        // Words, placeholders and short values stay readable.
        assert_eq!(
            masked("password = \"${DB_PASSWORD}\""),
            "password = \"${DB_PASSWORD}\""
        );
        assert_eq!(
            masked("key = \"xxxxxxxxxxxxxxxxxxxx\""),
            "key = \"xxxxxxxxxxxxxxxxxxxx\""
        );
        assert_eq!(masked("pin = 12345"), "pin = 12345");
        let shared = "SharedAccessKeyName=RootManageSharedAccessKey";
        assert_eq!(masked(shared), shared);
        // Random letters in mixed case, and hex pairs joined by a colon, are tokens too.
        assert_eq!(
            masked("HF_TOKEN=hf_mXLqwERtyUIopASdfGHjkLZxcVBnmQWe"),
            "HF_TOKEN=hf_mXL…[35]…We"
        );
        assert_eq!(masked("LICENSE=9fb1a2c3:4d5e6f70"), "LICENSE=9fb1…[17]…70");
    }

    /// `explain` prints no example whole: no token-shaped run of 10 characters or more with a
    /// digit survives.
    #[test]
    fn explain_shows_examples_masked() {
        let doc = crate::checks::secrets::docs::all()
            .into_iter()
            .find(|d| d.id == "github-pat")
            .expect("github-pat is a built-in rule");
        assert!(doc.explanation.contains("Reported"), "{}", doc.explanation);
        assert!(
            doc.explanation.contains("Not reported"),
            "{}",
            doc.explanation
        );
        assert!(!doc.explanation.contains("Pattern:"), "{}", doc.explanation);
        for ex in &builtin()["github-pat"].examples {
            let token = ex
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .max_by_key(|w| w.len())
                .unwrap_or_default();
            assert!(token.len() >= 12, "{ex}");
            assert!(!doc.explanation.contains(token), "{}", doc.explanation);
        }
    }
}
