//! The server's pre-receive hook (`git hygiene hook pre-receive`, installed by `git hygiene
//! install` in a bare repository). Every pushed ref is judged as pre-push judges it — the new
//! commits, force-pushes and deletions of protected branches, names, messages, tickets,
//! secrets, migrations and ADRs — and one blocking finding refuses the whole push. Findings go
//! to stderr, which git shows the pusher as `remote:` lines. No linter runs here.

mod skip_log;
mod skips;

use std::time::Instant;

use crate::ci_env;
use crate::commands::args::Common;
use crate::error::Result;
use crate::git::Repo;
use crate::moments;
use crate::out;
use crate::receive;

use super::bare_config;
use super::judge::{self, Extra};

pub fn run(stdin: &str, common: &Common, started: Instant) -> Result<i32> {
    let repo = Repo::open_bare_ok()?;
    // Main's nested configs judge the files below them, as they do on a laptop.
    let config = bare_config::load_with_nested(common, &repo)?;
    let cs = moments::receive::changeset(&repo, stdin)?;
    let allowed = repo.config_string(skips::ALLOW_KEY);
    let options = receive::push_options(&ci_env::process_env);
    let mut extra = Extra {
        to_stderr: true,
        ..Extra::default()
    };
    let redact = |s: &str| config.secrets.redacted(s).into_owned();
    if let Some(request) = skips::Request::of(&options) {
        match request.decide(allowed.as_deref()) {
            Ok(checks) => {
                let reason = request.reason.as_deref().unwrap_or_default();
                let line = skip_log::entry(
                    &cs,
                    &checks,
                    reason,
                    &ci_env::process_env,
                    &redact,
                    skip_log::now(),
                );
                match skip_log::append(&repo.git_dir, &line) {
                    Ok(_) => {
                        out::eprintln(&format!(
                            "git-hygiene: skipping {} for this push, as allowed; recorded in {} with the reason",
                            checks.join(", "),
                            skip_log::LOG_PATH
                        ));
                        extra.skip = checks;
                        extra.skip_by = "hygiene.skip";
                    }
                    Err(e) => out::eprintln(&format!(
                        "git-hygiene: hygiene.skip refused: the skip could not be recorded ({e}); every check runs"
                    )),
                }
            }
            Err(why) => out::eprintln(&format!(
                "git-hygiene: hygiene.skip refused: {}; every check runs",
                redact(&why)
            )),
        }
    }
    let code = judge::judge_with(&cs, &config, common, started, &extra)?;
    if code != judge::EXIT_OK {
        let advertised = repo.config_bool("receive.advertisePushOptions");
        if let Some(hint) = skips::hint(allowed.as_deref(), advertised) {
            out::eprintln(&hint);
        }
    }
    Ok(code)
}
