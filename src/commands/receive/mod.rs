//! The server's pre-receive hook (`git hygiene hook pre-receive`, installed by `git hygiene
//! install` in a bare repository). Every pushed ref is judged as pre-push judges it — the new
//! commits, force-pushes and deletions of protected branches, names, messages, tickets,
//! secrets, migrations and ADRs — and one blocking finding refuses the whole push. Findings go
//! to stderr, which git shows the pusher as `remote:` lines. No linter runs here.

use std::time::Instant;

use crate::commands::args::Common;
use crate::error::Result;
use crate::git::Repo;
use crate::moments;

use super::bare_config;
use super::judge::{self, Extra};

pub fn run(stdin: &str, common: &Common, started: Instant) -> Result<i32> {
    let repo = Repo::open_bare_ok()?;
    let config = bare_config::load(common, &repo)?;
    let cs = moments::receive::changeset(&repo, stdin)?;
    let extra = Extra {
        to_stderr: true,
        ..Extra::default()
    };
    judge::judge_with(&cs, &config, common, started, &extra)
}
