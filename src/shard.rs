//! `--shard I/N`: split a large judgement over N CI jobs (GitLab `parallel: N`, a GitHub
//! matrix). Each changed file belongs to exactly one shard, chosen by a stable hash of its path,
//! so the expensive part (reading and scanning content) is divided. Each finding is then kept by
//! exactly one shard — the one owning its path, or for findings without a path (a commit
//! message, the branch name) the one owning its fingerprint — so the union of the shards'
//! findings is the unsharded run's, with no duplicates.

use crate::error::{Error, Result};
use crate::finding::{Finding, Fnv64};

/// Shard `index` (1-based, like GitLab's `CI_NODE_INDEX`) of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub total: u32,
}

impl Shard {
    /// Parses `I/N` with 1 ≤ I ≤ N.
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = || {
            Error::Usage(format!(
                "--shard `{s}`: write I/N with 1 ≤ I ≤ N, e.g. --shard 2/3"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let total: u32 = n.trim().parse().map_err(|_| bad())?;
        if total == 0 || index == 0 || index > total {
            return Err(bad());
        }
        Ok(Shard { index, total })
    }

    /// The flag if given, else GitLab's `CI_NODE_INDEX`/`CI_NODE_TOTAL` when the job runs with
    /// `parallel:`. `None` means no sharding (also for 1/1).
    pub fn from_flag_or_env(
        flag: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Shard>> {
        let shard = match flag {
            Some(f) => Some(Shard::parse(f)?),
            None => match (env("CI_NODE_INDEX"), env("CI_NODE_TOTAL")) {
                (Some(i), Some(n)) => Some(Shard::parse(&format!("{i}/{n}")).map_err(|_| {
                    Error::Usage(format!(
                        "CI_NODE_INDEX={i} / CI_NODE_TOTAL={n}: expected 1 ≤ index ≤ total"
                    ))
                })?),
                _ => None,
            },
        };
        Ok(shard.filter(|s| s.total > 1))
    }

    fn owns_key(&self, key: &[u8]) -> bool {
        let mut h = Fnv64::new();
        h.write(key);
        (h.finish() % u64::from(self.total)) as u32 == self.index - 1
    }

    /// Does this shard judge the file at `path`?
    pub fn owns_path(&self, path: &[u8]) -> bool {
        self.owns_key(path)
    }

    /// Does this shard report `f`?
    pub fn owns_finding(&self, f: &Finding) -> bool {
        match &f.path {
            Some(p) => self.owns_path(p.as_bytes()),
            None => {
                let mut key = Vec::new();
                key.extend_from_slice(f.check.as_bytes());
                key.push(0);
                key.extend_from_slice(f.rule.as_bytes());
                key.push(0);
                key.extend_from_slice(f.fingerprint.as_bytes());
                key.push(0);
                key.extend_from_slice(f.commit.as_deref().unwrap_or("").as_bytes());
                key.push(0);
                key.extend_from_slice(f.message.as_bytes());
                self.owns_key(&key)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::path::RepoPath;
    use crate::rule::Category;

    #[test]
    fn parse_and_reject() {
        assert_eq!(
            Shard::parse("2/3").expect("ok"),
            Shard { index: 2, total: 3 }
        );
        for bad in ["0/3", "4/3", "1/0", "x", "1/", "/2", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn env_and_flag() {
        let env = |k: &str| match k {
            "CI_NODE_INDEX" => Some("3".to_owned()),
            "CI_NODE_TOTAL" => Some("4".to_owned()),
            _ => None,
        };
        assert_eq!(
            Shard::from_flag_or_env(None, &env).expect("ok"),
            Some(Shard { index: 3, total: 4 })
        );
        assert_eq!(
            Shard::from_flag_or_env(Some("1/2"), &env).expect("ok"),
            Some(Shard { index: 1, total: 2 })
        );
        assert_eq!(
            Shard::from_flag_or_env(Some("1/1"), &env).expect("ok"),
            None
        );
        let none = |_: &str| None;
        assert_eq!(Shard::from_flag_or_env(None, &none).expect("ok"), None);
    }

    #[test]
    fn every_path_and_finding_has_exactly_one_owner() {
        let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, total: 3 }).collect();
        for i in 0..200 {
            let p = format!("dir/file{i}.rs");
            assert_eq!(
                shards.iter().filter(|s| s.owns_path(p.as_bytes())).count(),
                1
            );
            let f = Finding::named("x", "r", Category::Note, Severity::Error, format!("m{i}"))
                .key(p.as_bytes());
            assert_eq!(shards.iter().filter(|s| s.owns_finding(&f)).count(), 1);
            let f = f.at(&RepoPath::from(p.as_str()), Some(1), None);
            assert_eq!(shards.iter().filter(|s| s.owns_finding(&f)).count(), 1);
        }
    }
}
