//! The fix stage: which files the fixers changed, and putting those into the index. A file is
//! taken as changed when its stamp (size, times, inode) moved and its bytes no longer hash to
//! the staged blob. Files whose unstaged changes were hidden are left out: restoring them is
//! [`super::protect`]'s part.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::plan::Plan;
use super::restage;
use super::rules::MODIFIED;
use crate::checks::Context;
use crate::error::Result;
use crate::finding::{Finding, Severity};
use crate::git::staged_workspace::{blob_id, StagedWorkspace};
use crate::keep::Keeper;
use crate::path::RepoPath;
use crate::report::lint_progress::{self, files_word};

/// What the fixed files looked like before the fixers ran.
pub struct Before(HashMap<RepoPath, Stamp>);

#[derive(PartialEq, Eq)]
struct Stamp(Option<(u64, i64, i64, u64)>);

/// Stamps the files fixers will get, except those whose unstaged changes `keeper` hid.
pub fn before(plans: &[Plan<'_>], keeper: Option<&Keeper>, root: &Path) -> Before {
    let hidden: HashSet<&RepoPath> = keeper.map(|k| k.paths().collect()).unwrap_or_default();
    Before(
        plans
            .iter()
            .filter(|p| p.fixing)
            .flat_map(|p| p.paths.iter())
            .filter(|p| !hidden.contains(*p))
            .map(|p| (p.clone(), stamp(&p.to_native(root))))
            .collect(),
    )
}

/// Re-stages what the fixers changed, unless a linter failed (then the fixes stay in the work
/// tree, said in an info finding).
pub fn finish(
    ctx: &Context<'_>,
    ws: Option<&StagedWorkspace<'_>>,
    before: &Before,
    failed_any: bool,
) -> Result<Option<Finding>> {
    let changed = changed_since(before, ctx, &ctx.cs.root);
    if changed.is_empty() {
        return Ok(None);
    }
    if failed_any {
        return Ok(Some(Finding::new(
            &MODIFIED,
            Severity::Info,
            format!(
                "fixes left unstaged in {} because a linter failed",
                files_word(changed.len())
            ),
        )));
    }
    if let Some(ws) = ws {
        restage::restage(ws, &changed)?;
        for p in &changed {
            lint_progress::restaged(p);
        }
    }
    Ok(None)
}

fn stamp(p: &Path) -> Stamp {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Stamp(
            std::fs::symlink_metadata(p)
                .ok()
                .map(|m| (m.len(), m.mtime(), m.mtime_nsec(), m.ino())),
        )
    }
    #[cfg(not(unix))]
    {
        Stamp(
            std::fs::symlink_metadata(p)
                .ok()
                .map(|m| (m.len(), 0, 0, 0)),
        )
    }
}

/// Files whose work-tree content a fixer changed, sorted.
fn changed_since(before: &Before, ctx: &Context<'_>, root: &Path) -> Vec<RepoPath> {
    let staged: HashMap<&RepoPath, &str> = ctx
        .cs
        .files
        .iter()
        .filter_map(|f| f.blob_id().map(|b| (&f.path, b)))
        .collect();
    let mut out: Vec<RepoPath> = before
        .0
        .iter()
        .filter(|(p, s)| stamp(&p.to_native(root)) != **s)
        .filter(|(p, _)| {
            let Ok(data) = std::fs::read(p.to_native(root)) else {
                return false;
            };
            staged.get(p).is_none_or(|b| *b != blob_id(&data))
        })
        .map(|(p, _)| p.clone())
        .collect();
    out.sort();
    out
}
