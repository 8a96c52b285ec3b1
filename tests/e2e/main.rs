//! End-to-end tests, one crate: real git repositories in temp dirs, the real hooks, real
//! `git commit` / `git push` to local bare remotes, driven through the built binary. One module
//! per capability; `support` holds the shared sandbox, repository and assertion helpers.

mod support;

mod adr;
mod bad_input;
mod ci;
mod cli_contract;
mod conventions;
mod fuzz_properties;
mod help_docs;
mod hook_managers;
mod hooks_commit;
mod hooks_push;
mod lint_keep;
mod lint_presets;
mod messages;
mod migration_dirs;
mod migration_locks;
mod migrations;
mod monorepo;
mod nested_scan;
// Unix paths throughout (venv/bin, sh scripts); Windows packaging is verified by the release
// workflow's own install step.
#[cfg(unix)]
mod packaging;
mod precommit_framework;
mod progress_line;
mod secrets_accuracy;
mod secrets_config;
mod secrets_decoded;
mod secrets_e2e;
mod secrets_files_accuracy;
mod secrets_test_files;
mod server_receive;
mod shared_policy;
mod shared_reads;
mod whole_tree;
mod workspace_scopes;
