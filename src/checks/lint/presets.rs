//! Built-in linter definitions usable by name: `preset = "black"`. Each names the tool (checked
//! on PATH before running, so a missing tool is reported by name) and how to install it.

pub struct Preset {
    pub name: &'static str,
    pub glob: &'static [&'static str],
    pub run: &'static str,
    pub fix: Option<&'static str>,
    /// The program that must be on PATH.
    pub tool: &'static str,
    pub install: &'static str,
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

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "rustfmt",
        glob: &["*.rs"],
        run: "rustfmt --check --edition 2021 {files}",
        fix: Some("rustfmt --edition 2021 {files}"),
        tool: "rustfmt",
        install: "rustup component add rustfmt",
    },
    Preset {
        name: "black",
        glob: PY,
        run: "black --check --quiet {files}",
        fix: Some("black --quiet {files}"),
        tool: "black",
        install: "pip install black",
    },
    Preset {
        name: "ruff",
        glob: PY,
        run: "ruff check --force-exclude {files}",
        fix: Some("ruff check --fix --force-exclude {files}"),
        tool: "ruff",
        install: "pip install ruff",
    },
    Preset {
        name: "ruff-format",
        glob: PY,
        run: "ruff format --check --force-exclude {files}",
        fix: Some("ruff format --force-exclude {files}"),
        tool: "ruff",
        install: "pip install ruff",
    },
    Preset {
        name: "prettier",
        glob: WEB,
        run: "prettier --check --ignore-unknown {files}",
        fix: Some("prettier --write --ignore-unknown {files}"),
        tool: "prettier",
        install: "npm install --save-dev prettier",
    },
    Preset {
        name: "eslint",
        glob: JS,
        run: "eslint --max-warnings=0 {files}",
        fix: Some("eslint --fix --max-warnings=0 {files}"),
        tool: "eslint",
        install: "npm install --save-dev eslint",
    },
    Preset {
        name: "gofmt",
        glob: &["*.go"],
        // gofmt -l exits 0 even when files need formatting: fail when it lists any.
        run: "sh -c 'out=$(gofmt -l \"$@\") || exit 2; [ -z \"$out\" ] || { echo \"not gofmt-formatted:\"; echo \"$out\"; exit 1; }' gofmt {files}",
        fix: Some("gofmt -w {files}"),
        tool: "gofmt",
        install: "install Go (https://go.dev/dl/); gofmt comes with it",
    },
    Preset {
        name: "terraform",
        glob: &["*.tf", "*.tfvars", "*.tftest.hcl"],
        run: "terraform fmt -check -diff {files}",
        fix: Some("terraform fmt {files}"),
        tool: "terraform",
        install: "https://developer.hashicorp.com/terraform/install",
    },
    Preset {
        name: "shellcheck",
        glob: &["*.sh", "*.bash", "*.ksh"],
        run: "shellcheck {files}",
        fix: None,
        tool: "shellcheck",
        install: "apt install shellcheck / brew install shellcheck",
    },
    Preset {
        name: "hadolint",
        glob: &["Dockerfile", "*.Dockerfile", "Dockerfile.*", "Containerfile"],
        run: "hadolint {files}",
        fix: None,
        tool: "hadolint",
        install: "brew install hadolint, or a release binary from https://github.com/hadolint/hadolint/releases",
    },
    Preset {
        name: "sqlfluff",
        glob: &["*.sql"],
        run: "sqlfluff lint {files}",
        fix: Some("sqlfluff fix {files}"),
        tool: "sqlfluff",
        install: "pip install sqlfluff (and set the dialect in .sqlfluff)",
    },
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
