//! How an entry's files are split into runs. Its own file because both the config (which reads
//! it) and the command builder (which splits by it) need it, and neither depends on the other.

/// `batch = true` (split to stay under the argument limit, the default), `false` (never split)
/// or a number (also at most that many files per run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    Auto,
    Never,
    Max(usize),
}
