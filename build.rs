//! Converts `patterns/secrets.toml` to JSON at build time: parsing TOML at start-up cost about
//! 2 ms of every pre-commit hook, JSON parses several times faster. The TOML stays the source
//! of truth (readable, commented); a syntax error in it fails the build with its location.
//!
//! Each rule's `examples`, `counter_examples` and `example_path` go to a second file,
//! `secrets-examples.json`, read only by `explain` and the tests: hooks never parse them.

use std::path::Path;

/// The keys of a rule that document it rather than drive the engine.
const EXAMPLE_KEYS: &[&str] = &["examples", "counter_examples", "example_path"];

fn main() {
    let src = Path::new("patterns/secrets.toml");
    println!("cargo:rerun-if-changed={}", src.display());
    let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let mut value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let mut examples = toml::map::Map::new();
    if let Some(rules) = value.get_mut("rule").and_then(|r| r.as_array_mut()) {
        for rule in rules.iter_mut().filter_map(|r| r.as_table_mut()) {
            let mut doc = toml::map::Map::new();
            for key in EXAMPLE_KEYS {
                if let Some(v) = rule.remove(*key) {
                    doc.insert((*key).to_owned(), v);
                }
            }
            if let Some(id) = rule.get("id").and_then(|i| i.as_str()) {
                examples.insert(id.to_owned(), toml::Value::Table(doc));
            }
        }
    }
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    write_json(&Path::new(&out_dir).join("secrets.json"), &value);
    write_json(
        &Path::new(&out_dir).join("secrets-examples.json"),
        &toml::Value::Table(examples),
    );
}

fn write_json(out: &Path, value: &toml::Value) {
    let json = serde_json::to_string(value).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    std::fs::write(out, json).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
