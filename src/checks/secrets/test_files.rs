//! Test sources (`*.test.ts`, `test_*.py`, `*_test.go`, `tests/`, `fixtures/`, …) hold fake
//! credentials on purpose: `password: "hunter2"` for a login test, `Authorization: Bearer abc`
//! for a request mock, `postgres://u:p@localhost` for a test database, a bcrypt hash of a test
//! user's password. In them only a value in a provider's precise format (`ghp_…`, `AKIA…`,
//! `sk_live_…`, a PEM private key) is reported, as in a documentation page's code blocks; the
//! rules that judge a value by its name or surroundings are not. `[secrets] test_files = "all"`
//! reports every rule in tests too.

use serde::{Deserialize, Serialize};

/// What the secrets check reports in test sources (`[secrets] test_files`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TestFiles {
    /// Only values in a provider's precise format.
    #[default]
    Precise,
    /// Every rule, as in any other file.
    All,
}

/// Rules that are precise elsewhere but judge a fixture in a test: a password hash is what a
/// test stores for its user (a hash is not a credential one can log in with, and a test's is of
/// a password written beside it); a leaked hash matters in a dump of real users, not a test.
pub const LOOSE_IN_TESTS: &[&str] = &["password-hash"];

/// Directories whose files are tests or their data, in the common ecosystems: JS/TS
/// (`__tests__`, `__mocks__`), Python, Ruby, Rust (`tests`, `test`, `spec`), Java/Kotlin
/// (`src/test`), Go (`testdata`), fixtures anywhere, and the suites that drive a running app
/// (`e2e`, `integration` as in Go and Playwright layouts, `cypress`). `integrations` (plural)
/// is product code in many apps, so it is not one.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "spec",
    "e2e",
    "integration",
    "cypress",
    "__tests__",
    "__mocks__",
    "testdata",
    "fixtures",
    "__fixtures__",
];

/// Setup files of JS/TS test runners, by name before the extension (case-insensitive).
const SETUP_STEMS: &[&str] = &[
    "vitestsetup",
    "vitest.setup",
    "jestsetup",
    "jest.setup",
    "setuptests",
    "test-setup",
    "testsetup",
];

/// Is the file at `path` (relative to the repository, `/`-separated) a test source or test data?
pub fn is_test_path(path: &[u8]) -> bool {
    let mut parts = path.split(|&b| b == b'/');
    let Some(name) = parts.next_back() else {
        return false;
    };
    if parts.any(|d| {
        TEST_DIRS
            .iter()
            .any(|t| t.as_bytes().eq_ignore_ascii_case(d))
    }) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    let Some(dot) = lower.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let (stem, ext) = (&lower[..dot], &lower[dot + 1..]);
    // `app.test.ts`, `app.integration.test.ts`, `app.spec.js`, `app.test-d.ts`.
    let marked = |m: &[u8]| {
        stem.split(|&b| b == b'.')
            .skip(1)
            .any(|part| part == m || part.strip_prefix(m).is_some_and(|r| r.starts_with(b"-")))
    };
    marked(b"test")
        || marked(b"spec")
        || SETUP_STEMS.iter().any(|s| s.as_bytes() == stem)
        || (ext == b"py" && (stem.starts_with(b"test_") || stem.ends_with(b"_test")))
        || (ext == b"py" && stem == b"conftest")
        || (ext == b"go" && stem.ends_with(b"_test"))
        || (ext == b"rb" && (stem.ends_with(b"_spec") || stem.ends_with(b"_test")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_sources_of_the_common_ecosystems() {
        for p in [
            "apps/web/lib/auth.test.ts",
            "packages/db/user.integration.test.ts",
            "src/App.spec.jsx",
            "src/__tests__/login.ts",
            "src/__mocks__/prisma.ts",
            "apps/web/vitestSetup.ts",
            "jest.setup.js",
            "src/setupTests.ts",
            "tests/api/client.py",
            "pkg/test_client.py",
            "pkg/client_test.py",
            "conftest.py",
            "server/handler_test.go",
            "server/testdata/config.yaml",
            "spec/models/user_spec.rb",
            "test/models/user_test.rb",
            "app/src/test/java/com/x/AuthTest.java",
            "crates/x/tests/cli.rs",
            "e2e/fixtures/users.json",
            "Tests/Login.cs",
            "apps/web/integration/setup.ts",
            "e2e/login.ts",
            "cypress/support/commands.js",
        ] {
            assert!(is_test_path(p.as_bytes()), "{p}");
        }
    }

    #[test]
    fn product_sources_are_not_tests() {
        for p in [
            "apps/web/lib/auth.ts",
            "src/testing.ts",
            "src/latest.ts",
            "contest.py",
            "pkg/testify.go",
            "docs/testing.md",
            "src/attestation/key.rs",
            "protest/app.js",
            "apps/web/integrations/google-sheets/client.ts",
            ".github/workflows/e2e.yml",
            "test",
            "docker-compose.test.yml.example/x",
            "",
        ] {
            assert!(!is_test_path(p.as_bytes()), "{p}");
        }
    }
}
