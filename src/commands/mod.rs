//! One module per subcommand; `judge` is the path they share from change set to exit code.

pub mod adr;
pub mod args;
pub mod bare_config;
pub mod baseline;
pub mod check;
pub mod ci;
pub mod config_show;
pub mod docs;
pub mod help_html;
pub mod hook;
pub mod init;
pub mod install;
pub mod judge;
pub mod policy;
pub mod receive;
pub mod rules;
pub mod scan;
