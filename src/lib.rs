//! git-hygiene: one change set in, checks in parallel, one list of findings out.
//!
//! [`moments`] builds a [`changeset::ChangeSet`] for the moment being judged (pre-commit,
//! commit-msg, pre-push, ci, scan), asking [`git`] what changed; every check in [`checks`]
//! reads it and returns [`finding::Finding`]s; [`report`] renders them.

pub mod changeset;
pub mod checks;
pub mod ci_env;
pub mod clap_error;
pub mod cli;
pub mod commands;
pub mod config;
pub mod content;
pub mod conventional;
pub mod encoding;
pub mod error;
pub mod finding;
pub mod git;
pub mod glob;
pub mod keep;
pub mod last_resort;
pub mod message;
pub mod moments;
pub mod out;
pub mod path;
pub mod platform;
pub mod push;
pub mod receive;
pub mod report;
pub mod rule;
pub mod shard;
pub mod signals;
pub mod stream;
pub mod text;
pub mod ticket_id;
pub mod unread;
pub mod word_hash;
