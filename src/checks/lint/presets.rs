//! Built-in linter definitions usable by name: `preset = "black"`. Their commands start the
//! tool through `{tool}`, which is the preset's program on PATH unless the entry names another
//! executable with `tool = "node_modules/.bin/eslint"`. Every check command prints what is
//! wrong (a diff, the files to reformat, the problems), since that is all the user sees of it.

pub struct Preset {
    pub name: &'static str,
    pub glob: &'static [&'static str],
    pub run: &'static str,
    pub fix: Option<&'static str>,
    /// What `{tool}` is unless the entry sets `tool`.
    pub tool: &'static str,
    pub install: &'static str,
    /// False for tools that judge a whole directory rather than the files given.
    pub pass_filenames: bool,
}

const PY: &[&str] = &["*.py", "*.pyi"];
const WEB: &[&str] = &[
    "*.js",
    "*.jsx",
    "*.mjs",
    "*.cjs",
    "*.ts",
    "*.tsx",
    "*.mts",
    "*.cts",
    "*.json",
    "*.jsonc",
    "*.css",
    "*.scss",
    "*.less",
    "*.html",
    "*.vue",
    "*.md",
    "*.mdx",
    "*.yaml",
    "*.yml",
    "*.graphql",
];
const JS: &[&str] = &[
    "*.js", "*.jsx", "*.mjs", "*.cjs", "*.ts", "*.tsx", "*.mts", "*.cts",
];
/// What Biome reads; any other file it is given it skips (`--files-ignore-unknown`), and one its
/// config excludes is no error (`--no-errors-on-unmatched`).
const BIOME: &[&str] = &[
    "*.js",
    "*.jsx",
    "*.mjs",
    "*.cjs",
    "*.ts",
    "*.tsx",
    "*.mts",
    "*.cts",
    "*.json",
    "*.jsonc",
    "*.css",
    "*.graphql",
    "*.gql",
];

/// A preset with the usual shape: the files as arguments.
const fn preset(
    name: &'static str,
    glob: &'static [&'static str],
    run: &'static str,
    fix: Option<&'static str>,
    tool: &'static str,
    install: &'static str,
) -> Preset {
    Preset {
        name,
        glob,
        run,
        fix,
        tool,
        install,
        pass_filenames: true,
    }
}

pub const PRESETS: &[Preset] = &[
    preset(
        "rustfmt",
        &["*.rs"],
        "{tool} --check --edition 2021 {files}",
        Some("{tool} --edition 2021 {files}"),
        "rustfmt",
        "rustup component add rustfmt",
    ),
    // --diff: without it a failing black says nothing about what it would change.
    preset(
        "black",
        PY,
        "{tool} --check --diff {files}",
        Some("{tool} --quiet {files}"),
        "black",
        "pip install black",
    ),
    // --no-fix: a `fix = true` in the project's ruff config must not make the check rewrite.
    preset(
        "ruff",
        PY,
        "{tool} check --no-fix --force-exclude {files}",
        Some("{tool} check --fix --force-exclude {files}"),
        "ruff",
        "pip install ruff",
    ),
    preset(
        "ruff-format",
        PY,
        "{tool} format --check --diff --force-exclude {files}",
        Some("{tool} format --force-exclude {files}"),
        "ruff",
        "pip install ruff",
    ),
    preset(
        "prettier",
        WEB,
        "{tool} --check --ignore-unknown {files}",
        Some("{tool} --write --ignore-unknown {files}"),
        "prettier",
        "npm install --save-dev prettier",
    ),
    // --no-warn-ignored: a staged file the config ignores is not a warning that fails the run.
    preset(
        "eslint",
        JS,
        "{tool} --max-warnings=0 --no-warn-ignored {files}",
        Some("{tool} --fix --max-warnings=0 --no-warn-ignored {files}"),
        "eslint",
        "npm install --save-dev eslint",
    ),
    preset(
        "biome",
        BIOME,
        "{tool} check --error-on-warnings --files-ignore-unknown=true --no-errors-on-unmatched {files}",
        Some("{tool} check --write --error-on-warnings --files-ignore-unknown=true --no-errors-on-unmatched {files}"),
        "biome",
        "npm install --save-dev --save-exact @biomejs/biome",
    ),
    preset(
        "biome-format",
        BIOME,
        "{tool} format --files-ignore-unknown=true --no-errors-on-unmatched {files}",
        Some("{tool} format --write --files-ignore-unknown=true --no-errors-on-unmatched {files}"),
        "biome",
        "npm install --save-dev --save-exact @biomejs/biome",
    ),
    preset(
        "gofmt",
        &["*.go"],
        // gofmt exits 0 even when files need formatting: fail when its diff is not empty.
        "sh -c 'out=$(\"$0\" -d \"$@\") || exit 2; [ -z \"$out\" ] || { printf \"%s\\n\" \"$out\"; exit 1; }' {tool} {files}",
        Some("{tool} -w {files}"),
        "gofmt",
        "install Go (https://go.dev/dl/); gofmt comes with it",
    ),
    preset(
        "terraform",
        &["*.tf", "*.tfvars", "*.tftest.hcl"],
        "{tool} fmt -check -diff -no-color {files}",
        Some("{tool} fmt -no-color {files}"),
        "terraform",
        "https://developer.hashicorp.com/terraform/install",
    ),
    // Validates the module in `cwd` as a whole (after `terraform init -backend=false` there).
    Preset {
        name: "terraform-validate",
        glob: &["*.tf", "*.tf.json"],
        run: "{tool} validate -no-color",
        fix: None,
        tool: "terraform",
        install: "https://developer.hashicorp.com/terraform/install",
        pass_filenames: false,
    },
    preset(
        "shellcheck",
        &["*.sh", "*.bash", "*.ksh"],
        "{tool} {files}",
        None,
        "shellcheck",
        "apt install shellcheck / brew install shellcheck",
    ),
    preset(
        "hadolint",
        &["Dockerfile", "*.Dockerfile", "Dockerfile.*", "Containerfile"],
        "{tool} {files}",
        None,
        "hadolint",
        "brew install hadolint, or a release binary from https://github.com/hadolint/hadolint/releases",
    ),
    preset(
        "sqlfluff",
        &["*.sql"],
        "{tool} lint {files}",
        Some("{tool} fix {files}"),
        "sqlfluff",
        "pip install sqlfluff (and set the dialect in .sqlfluff)",
    ),
];

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

pub fn names() -> String {
    PRESETS
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}
