//! Arguments the subcommands share. They live with the commands (not in `cli.rs`) so the
//! command-line layer imports the commands and never the reverse.

use std::path::PathBuf;

use clap::Args;

/// Options every subcommand takes.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Output format on stdout: human or json.
    #[arg(long, global = true, default_value = "human", value_name = "FORMAT")]
    pub format: String,
    /// Config file (default: .hygiene.toml at the repository root).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// No colours (also: NO_COLOR set, or output not a terminal).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Print only findings, no summary when everything is fine.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Also print notes: skipped files, allowed findings.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Run only these checks (comma-separated ids).
    #[arg(long, global = true, value_delimiter = ',', value_name = "CHECKS")]
    pub only: Vec<String>,
    /// Skip these checks (comma-separated ids; HYGIENE_SKIP does the same).
    #[arg(long, global = true, value_delimiter = ',', value_name = "CHECKS")]
    pub skip: Vec<String>,
    /// Also write a report: FORMAT=PATH with FORMAT one of json, sarif, junit, codequality, gitlab-secrets. Repeatable.
    #[arg(long = "report", global = true, value_name = "FORMAT=PATH")]
    pub reports: Vec<String>,
}
