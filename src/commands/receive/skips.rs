//! Skipping checks on the server, by push option: `git push -o hygiene.skip=secrets -o
//! hygiene.reason="…"`. Honoured only for checks the admin allows in git config
//! (`hygiene.allowSkip = secrets,ticket`, or `all`), only with a reason, and only once the use
//! is recorded in the skip log (`skip_log.rs`); otherwise every check runs and the pusher is
//! told why.

use crate::checks;
use crate::receive;

/// The git config key that lists the checks a push may skip.
pub const ALLOW_KEY: &str = "hygiene.allowSkip";

/// What the push asked to skip and why.
pub struct Request {
    pub checks: Vec<String>,
    pub reason: Option<String>,
}

impl Request {
    /// The `hygiene.skip` and `hygiene.reason` push options; `None` when no skip was asked for.
    pub fn of(options: &[String]) -> Option<Request> {
        let checks = split(receive::option(options, "hygiene.skip")?);
        let reason = receive::option(options, "hygiene.reason")
            .map(str::to_owned)
            .filter(|r| !r.is_empty());
        Some(Request { checks, reason })
    }

    /// The checks to skip, or why not: the refusal to show the pusher.
    pub fn decide(&self, allowed: Option<&str>) -> std::result::Result<Vec<String>, String> {
        let known = checks::known_ids();
        let wanted: Vec<String> = if self.checks.iter().any(|c| c == "all") {
            known.iter().map(|k| (*k).to_owned()).collect()
        } else {
            self.checks.clone()
        };
        if wanted.is_empty() {
            return Err("hygiene.skip names no check".into());
        }
        if let Some(unknown) = wanted.iter().find(|c| !known.contains(&c.as_str())) {
            return Err(format!(
                "`{unknown}` is not a check; known checks: {}",
                known.join(", ")
            ));
        }
        let allowed = allowed.map(split).unwrap_or_default();
        let all = allowed.iter().any(|a| a == "all");
        if let Some(denied) = wanted.iter().find(|c| !all && !allowed.contains(c)) {
            return Err(format!(
                "this server does not allow skipping `{denied}` (the admin allows it with `git config {ALLOW_KEY} {denied}` in the repository)"
            ));
        }
        if self.reason.is_none() {
            return Err("a skip needs a reason: add -o hygiene.reason=\"why\"".into());
        }
        Ok(wanted)
    }
}

/// `a, b,c` → `[a, b, c]`.
fn split(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The line that tells a rejected pusher how a skip is asked for, when the server allows any.
pub fn hint(allowed: Option<&str>, advertised: bool) -> Option<String> {
    let allowed = allowed.filter(|a| !split(a).is_empty())?;
    let how = "git push -o hygiene.skip=CHECK -o hygiene.reason=\"why\"";
    Some(if advertised {
        format!("git-hygiene: this server lets a push skip {allowed} when it must: {how} (every skip is recorded)")
    } else {
        format!("git-hygiene: this server would let a push skip {allowed}, but it does not take push options: the admin sets `git config receive.advertisePushOptions true`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(checks: &str, reason: Option<&str>) -> Request {
        Request {
            checks: split(checks),
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn honoured_only_when_allowed_known_and_reasoned() {
        assert_eq!(
            req("secrets", Some("rotated")).decide(Some("secrets,ticket")),
            Ok(vec!["secrets".to_owned()])
        );
        assert!(req("secrets", Some("x")).decide(Some("all")).is_ok());
        let no = req("secrets", Some("x")).decide(None).unwrap_err();
        assert!(no.contains("does not allow skipping `secrets`"), "{no}");
        let no = req("ticket", Some("x"))
            .decide(Some("secrets"))
            .unwrap_err();
        assert!(no.contains("`ticket`"), "{no}");
        let no = req("secrets", None).decide(Some("secrets")).unwrap_err();
        assert!(no.contains("reason"), "{no}");
        let no = req("secrest", Some("x")).decide(Some("all")).unwrap_err();
        assert!(no.contains("not a check"), "{no}");
        assert!(req("all", Some("x")).decide(Some("secrets")).is_err());
    }
}
