//! The skip log: one JSON line per push that skipped checks, appended to
//! `<git dir>/hygiene/skips.log` for the admin. A skip whose line cannot be written is not
//! honoured.

use std::io::Write;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;

use crate::changeset::ChangeSet;
use crate::error::{Error, Result};
use crate::report::gitlab_secrets::utc_timestamp;

/// Where the log lives, relative to the git dir.
pub const LOG_PATH: &str = "hygiene/skips.log";

/// Who pushed, as the hosting platform says (GitLab, Gitea/Forgejo, a web server's auth).
fn pusher(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    ["GL_USERNAME", "GITEA_PUSHER_NAME", "REMOTE_USER"]
        .iter()
        .find_map(|k| env(k).filter(|v| !v.is_empty()))
}

/// The log line for a push of `cs` that skips `checks` because of `reason`. The reason and the
/// ref names are the pusher's text: `redact` hides a token pasted into them.
pub fn entry(
    cs: &ChangeSet,
    checks: &[String],
    reason: &str,
    env: &dyn Fn(&str) -> Option<String>,
    redact: &dyn Fn(&str) -> String,
    now: u64,
) -> String {
    let line = json!({
        "time": format!("{}Z", utc_timestamp(now)),
        "pusher": pusher(env),
        "refs": cs.push.iter().map(|r| json!({
            "ref": redact(&r.remote_ref),
            "old": r.remote_oid,
            "new": r.local_oid,
        })).collect::<Vec<_>>(),
        "skipped": checks,
        "reason": redact(reason),
        "commits": cs.commits.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
    });
    line.to_string()
}

/// Appends `line` to the log under `git_dir`.
pub fn append(git_dir: &std::path::Path, line: &str) -> Result<PathBuf> {
    let path = git_dir.join(LOG_PATH);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    // One write per line: concurrent pushes append whole lines.
    file.write_all(format!("{line}\n").as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
