//! Converts `patterns/secrets.toml` to JSON at build time: parsing TOML at start-up cost about
//! 2 ms of every pre-commit hook, JSON parses several times faster. The TOML stays the source
//! of truth (readable, commented); a syntax error in it fails the build with its location.

use std::path::Path;

fn main() {
    let src = Path::new("patterns/secrets.toml");
    println!("cargo:rerun-if-changed={}", src.display());
    let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("secrets.json");
    std::fs::write(&out, json).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
