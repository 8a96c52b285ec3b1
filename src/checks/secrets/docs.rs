//! The rules of the `secrets` check: one per provider rule of `patterns/secrets.toml`,
//! documented from that data, and the fixed rules below. All are `Security`: every report that
//! lists leaks lists these findings.

use super::rules::{self, RuleSpec};
use super::ID;
use crate::rule::{Category, Rule, RuleDoc};

pub const FORBIDDEN_FILE: Rule = Rule {
    check: ID,
    id: "forbidden-file",
    category: Category::Security,
    summary: "a file that should never be committed (.env, id_rsa, *.p12, *.keystore, cloud SDK credentials)",
    explanation: r#"Reports new files whose name says they hold credentials: `.env` and `.env.*` (but not `.env.example`, `.env.sample`, `.env.template`), SSH private keys (`id_rsa`, `id_ed25519`), PKCS#12 bundles (`*.p12`, `*.pfx`), Java key stores (`*.keystore`, `*.jks`), `.git-credentials`, AWS/GCP/Azure CLI credential files, and `credentials.json` holding a private key or client secret.

Why: these files exist to hold secrets; once committed they are in every clone."#,
    examples: &[],
    advice: r#"Fix: `git rm --cached FILE`, add it to .gitignore, and commit a template (`.env.example`) instead. Allow a deliberate fixture with [secrets] allow_paths."#,
};

pub const SKIPPED: Rule = Rule {
    check: ID,
    id: "skipped",
    category: Category::Security,
    summary: "a file not scanned for secrets: over [secrets] max_file_size, or binary (a note, never blocking)",
    explanation: r#"Reported for a file whose content the secrets check did not search: one larger than `max_file_size` (default 10 MiB; always noted, with its size), or a binary file (noted with -v).

Why: a secret in content nobody searched is not found; the note says which content that is."#,
    examples: &[],
    advice: r#"Fix: to scan large files too, raise the limit:
    [secrets]
    max_file_size = "50 MiB""#,
};

pub const STALE_BASELINE: Rule = Rule {
    check: ID,
    id: "stale-baseline",
    category: Category::Security,
    summary: "a baseline entry that no longer matches a finding (a note, with -v)",
    explanation: r#"Reported by a scan of the whole tree with -v (`git hygiene scan -v`) for each entry of the baseline (`.hygiene-baseline`) whose finding is gone. Entries for a commit message or merge-request text are never reported: a tree scan does not read them.

Why: the baseline should hold only the findings accepted now; a stale entry would quietly accept the same secret again if it came back in that file."#,
    examples: &[],
    advice: r#"Fix: regenerate the baseline with `git hygiene baseline`."#,
};

pub const UNREADABLE: Rule = crate::unread::rule(ID, Category::Security);

/// The fixed rules, in the order `git hygiene rules` lists them after the provider rules.
const FIXED: &[&Rule] = &[&FORBIDDEN_FILE, &SKIPPED, &STALE_BASELINE, &UNREADABLE];

/// Every rule of the check: the built-in provider rules, then the fixed ones.
pub fn all() -> Vec<RuleDoc> {
    let mut out: Vec<RuleDoc> = rules::builtin_specs().iter().map(provider).collect();
    out.extend(crate::rule::docs(FIXED));
    out
}

/// The doc of one provider rule, from its spec.
fn provider(s: &RuleSpec) -> RuleDoc {
    let context = match s.context {
        rules::Context::Literal => concat!(
            "\n\nSkipped: values that are code rather than literals (calls, camelCase ",
            "identifiers, hex constants, dotted paths), public keys, base64 of plain text, and ",
            "names that are not a secret's: lookup keys (`first_key`, `cacheKey`), public keys, ",
            "words that only end like a keyword (`task`, `netmask`), and a development ",
            "default: a value the file also gives to another key that is not a secret's (not in ",
            "a URL), perhaps with ",
            "an ascending digit run after it (`Username: labadmin` beside `Password: labadmin1234`).",
        ),
        rules::Context::UrlPassword => concat!(
            "\n\nSkipped: URLs to hosts reserved for documentation (`example.com`, `*.test`, ",
            "`*.invalid`), placeholder passwords in capitals, and a local service whose password ",
            "is its user name (`postgres:postgres@localhost`).",
        ),
        rules::Context::Config => concat!(
            "\n\nSearched only in configuration files, known by their name or extension: YAML, ",
            "JSON, XML (`web.config`, FileZilla's `sitemanager.xml`, JetBrains' `.idea/*.xml`), ",
            "INI (`.cfg`, `.cnf`, `.pypirc`, `pip.conf`, `WinSCP.ini`), `.env`, `.properties`, ",
            "TOML, `.conf` and mail clients' rc files (`.muttrc`, `.msmtprc`, `.fetchmailrc`), ",
            "Dockerfile `ENV`, and settings written in code (`wp-config.php`, Drupal's ",
            "`settings.php`, Joomla's `configuration.php`, Django's `settings.py`, `config/*.exs`, ",
            "`.tfvars`), where only a quoted literal counts. There a literal given to a key whose ",
            "last word names a password, secret or token (`DB_PASSWORD`, `requirepass`, ",
            "`jwtSecret`, `api_key`) is reported whatever its entropy.",
            "\n\nSkipped: placeholders (`${X}`, `{{ x }}`, `%env(X)%`, `<x>`, `[x]`, `__X__`, ",
            "`!Ref X`, `****`, `changeme`, sequences such as `abcdef…`, the documented sample ",
            "keys of AWS, Azurite, the Cosmos DB emulator, LocalStack, MinIO and the Firebase ",
            "emulator), a value equal to its key's name (`secret: secret`) or made of its words ",
            "and an ascending digit run (`RUSTFS_SECRET_KEY=devrustfs123`), values that point to ",
            "a secret kept elsewhere (`/run/secrets/db`, `vault:…`, `ENC(…)`, `var.x`, a call) ",
            "or name one (`db-credentials`), development defaults that name the service ",
            "elsewhere in the file (`POSTGRES_USER=nextcloud` beside `POSTGRES_PASSWORD=nextcloud`) ",
            "or a user's name there with an ascending digit run after it (`STORE_USER=qa-blobstore` ",
            "beside `STORE_PASSWORD=qa-blobstore123`), ",
            "prose with spaces, values under 6 characters, and keys that only mention a secret ",
            "(`password_min_length`, `token_url`, `first_key`).",
        ),
        rules::Context::BasicAuth => concat!(
            "\n\nThe value is base64 of `user:password`: it is decoded and reported only when ",
            "the password is a literal. Skipped: placeholders (`user:${PASSWORD}`, ",
            "`user:changeme`, `<password>`), secret words joined (`secret-passwd`), a password ",
            "repeating the user name, passwords under ",
            "4 characters, and values that do not ",
            "decode to such a pair. The finding points at the encoded value; output never shows ",
            "the decoded password.",
        ),
        rules::Context::None => "",
    };
    let excluded = if s.exclude_paths.is_empty() {
        String::new()
    } else {
        format!(
            "\n\nNot searched in paths matching:\n    {}",
            s.exclude_paths.join("\n    ")
        )
    };
    // A rule bound to files by their names never reads a message, which has none.
    let whence = if s.context == rules::Context::Config || !s.paths.is_empty() {
        "in added lines of the files it reads"
    } else {
        "in added lines, in commit messages and in the merge request's title and description"
    };
    let (description, id) = (&s.description, &s.id);
    let examples = super::examples::section(id);
    let explanation = format!(
        r#"Reports a {description} {whence}.{context}{excluded}{examples}

Why: a credential in git history is readable by everyone who can clone the repository, forever — removing it in a later commit does not help. Treat it as leaked.

Fix: remove it, rotate the credential at the provider, and load it from the environment or a secret store.
If it is not a secret (a test fixture, a public key), put `hygiene:allow` in a comment on the line, add the path to [secrets] allow_paths, or record it with `git hygiene baseline`. Turn the rule off with
    [secrets]
    disable = ["{id}"]"#
    );
    RuleDoc {
        id: s.id.clone(),
        category: Category::Security,
        summary: s.description.clone(),
        explanation,
    }
}
