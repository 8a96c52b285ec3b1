//! git config, as git itself resolves it (system, global, repository).

use super::Repo;

impl Repo {
    /// The string value of `key`; `None` when it is unset or the config cannot be read.
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.repo.config().ok()?.get_string(key).ok()
    }

    /// The boolean value of `key`, as git reads booleans (`true`, `yes`, `on`, `1`, …);
    /// `false` when it is unset or not a boolean.
    pub fn config_bool(&self, key: &str) -> bool {
        self.repo
            .config()
            .ok()
            .and_then(|c| c.get_bool(key).ok())
            .unwrap_or(false)
    }
}
