//! git config, as git itself resolves it (system, global, repository).

use super::Repo;

impl Repo {
    /// The string value of `key`; `None` when it is unset or the config cannot be read.
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.repo.config().ok()?.get_string(key).ok()
    }
}
