//! The fuzz targets' functions (fuzz/src/lib.rs) as proptest properties, so plain `cargo test`
//! feeds every parser arbitrary UTF-8, arbitrary bytes and input shaped like what it parses,
//! and replays the fuzz seeds and every crash fuzzing found (fuzz/seeds/<target>/).

#[path = "../../fuzz/src/lib.rs"]
mod harness;

use proptest::collection::vec;
use proptest::prelude::*;

/// Arbitrary UTF-8, newlines and control characters included.
fn utf8() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<char>(), 0..160).prop_map(|c| c.into_iter().collect::<String>().into_bytes())
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..320)
}

/// Pieces of the syntax a parser cares about, glued in any order with multi-byte characters
/// between them: the places where cutting text by byte offset used to panic.
fn shaped(pieces: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    const NON_ASCII: &[&str] = &[
        "é", "ü", "ß", "🎉", "✨", "日本", "\u{a0}", "\u{2028}", "\r\n",
    ];
    vec(
        prop_oneof![
            3 => proptest::sample::select(pieces),
            2 => proptest::sample::select(NON_ASCII),
            1 => "[ -~]{0,6}".prop_map(|s| Box::leak(s.into_boxed_str()) as &str),
        ],
        0..24,
    )
    .prop_map(|p| p.concat().into_bytes())
}

const MESSAGE: &[&str] = &[
    "feat",
    "fix(api)",
    "!",
    ": ",
    ":",
    "WIP",
    "wip",
    "[",
    "]",
    "fixup! ",
    "Merge ",
    "\n",
    "\n\n",
    "Tested-by: ",
    "BREAKING CHANGE: ",
    "BREAKING CHANGÉ",
    "Signed-off-by: A <a@x>",
    "Refs: ",
    "CU-86b2xk4pq",
    "#86b2xk4pq",
    "ENG-142",
    "  continued",
    "# comment",
    "; Please enter",
    "# ------------------------ >8 ------------------------",
    "(cherry picked from commit ",
    "https://",
    "Closes #",
];
const CONFIG: &[&str] = &[
    "[hygiene]\n",
    "[secrets]\n",
    "[ticket]\n",
    "[commit-msg]\n",
    "[branch]\n",
    "[adr]\n",
    "[migrations]\n",
    "[[lint]]\n",
    "[lint_options]\n",
    "[[secrets.rules]]\n",
    "enabled = ",
    "true",
    "false",
    "max_file_size = ",
    "\"5 MiB\"",
    "\"1é KB\"",
    "severity = ",
    "\"warn\"",
    "{ ci = \"error\" }",
    "custom_prefixes = [\"ENG\"]",
    "require = [\"commits\"]",
    "regex = ",
    "\"(\"",
    "timeout = ",
    "\"30s\"",
    "\"2ḿ\"",
    "run = \"true\"",
    "glob = \"*.py\"",
    "\n",
    "= ",
    "'",
    "\"",
    "#",
    "types = []",
];
const PUSH: &[&str] = &[
    "refs/heads/main",
    " ",
    "\n",
    "0000000000000000000000000000000000000000",
    "0123456789abcdef0123456789abcdef01234567",
    "(delete)",
    "HEAD",
    "\t",
];
const SQL: &[&str] = &[
    "DROP ",
    "TABLE ",
    "COLUMN ",
    "ALTER ",
    "CREATE INDEX ",
    "CONCURRENTLY ",
    "DELETE FROM x",
    "UPDATE x SET",
    " WHERE ",
    ";",
    "'",
    "''",
    "E'\\'",
    "\"",
    "`",
    "$$",
    "$tag$",
    "$1",
    "--",
    "/*",
    "*/",
    "# ",
    "\n",
    "(",
    ")",
    "é",
    "NOT NULL",
    "hygiene: destructive-approved",
];
const CODE: &[&str] = &[
    "def downgrade():\n",
    "def down\n",
    "end\n",
    "op.drop_column(",
    "remove_column ",
    "execute(",
    "'''",
    "\"\"\"",
    "`",
    "'",
    "\"",
    "\\",
    "#",
    "//",
    "/*",
    "*/",
    "=begin\n",
    "\n=end",
    "<<~SQL\n",
    "SQL\n",
    "(",
    ")",
    "{",
    "}",
    "down: ",
    "revision = ",
    "down_revision = ",
    "\n",
    "    ",
];
const ADR: &[&str] = &[
    "docs/adr/0007-use-postgres.md\n",
    "---\n",
    "status: ",
    "# ",
    "## Status\n",
    "## Context\n",
    "Accepted",
    "Superseded by ",
    "Supersedes ",
    "Superceded by ",
    "ADR-0003",
    "ADR 12",
    "[3. x](0003-x.md)",
    "* Status: ",
    "```\n",
    "\n",
    "7. ",
];
const TICKET: &[&str] = &[
    "feature/",
    "CU-",
    "cu-",
    "86b2xk4pq",
    "#",
    "ENG-",
    "142",
    "-",
    "_",
    "/",
    " ",
    "https://",
    "@",
    "release/",
    "1.4.0",
    "v2.0.0-rc.1",
    "&#",
    "UTF-8",
];
const SECRETS: &[&str] = &[
    "config/app.py\n",
    ".env\n",
    "password = ",
    "\"",
    "'",
    "ghp_",
    "Ab81kQ2mN4pL7vR0sT9wY3uB6cE5fH1jK8aD",
    "AKIA",
    "IOSFODNN7EXAMPLE",
    "-----BEGIN RSA PRIVATE KEY-----\n",
    "-----END RSA PRIVATE KEY-----",
    "postgres://user:",
    "@db.internal/x",
    "api_key: ",
    "hygiene:allow",
    "\n",
    "xoxb-",
    "sk_live_",
    "token=",
    "=",
];

/// Every file in fuzz/seeds/<target>/: starting points for the fuzzer and the crashes it found.
fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut n = 0;
    for e in entries {
        let path = e.unwrap().path();
        run(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 0, "no seeds in {}", dir.display());
}

#[test]
fn seeds_and_past_crashes_replay() {
    replay("config", harness::config);
    replay("commit_message", harness::commit_message);
    replay("pre_push", harness::pre_push);
    replay("sql_lexer", harness::sql_lexer);
    replay("code_lexer", harness::code_lexer);
    replay("adr", harness::adr);
    replay("ticket", harness::ticket);
    replay("secrets", harness::secrets);
}

macro_rules! properties {
    ($($name:ident: $run:path, $pieces:expr;)*) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]
            $(
                #[test]
                fn $name(utf8 in utf8(), bytes in bytes(), shaped in shaped($pieces)) {
                    $run(&utf8);
                    $run(&bytes);
                    $run(&shaped);
                }
            )*
        }
    };
}

properties! {
    config_never_panics: harness::config, CONFIG;
    commit_message_never_panics: harness::commit_message, MESSAGE;
    pre_push_never_panics: harness::pre_push, PUSH;
    sql_lexer_never_panics: harness::sql_lexer, SQL;
    code_lexer_never_panics: harness::code_lexer, CODE;
    adr_never_panics: harness::adr, ADR;
    ticket_never_panics: harness::ticket, TICKET;
    secrets_never_panics: harness::secrets, SECRETS;
}
