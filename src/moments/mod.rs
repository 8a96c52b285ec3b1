//! The change set of each moment git-hygiene judges, built in one place: the commands parse
//! their arguments, ask here, and hand the result to `commands::judge`.
//!
//! - `commit`: pre-commit (what is staged), commit-msg and prepare-commit-msg (the message).
//! - `push`: pre-push, from git's ref lines or those pre-commit/prek export.
//! - `receive`: the server's pre-receive, from its ref lines; new = on no existing ref.
//! - `ci`: a merge request's range, deepening a shallow clone until it is all there.
//! - `history`: `scan --history RANGE`.
//! - `tracked`: `check --all-files` and `check --files`, the work tree's tracked files as they are.
//! - `tree`: `scan PATH…` and `baseline`, a directory as if every line were new.

pub mod ci;
pub mod commit;
pub mod history;
pub mod push;
pub mod receive;
pub mod tracked;
pub mod tree;
