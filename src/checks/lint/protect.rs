//! The protect stage and its undoing: before linters run, the unstaged changes of their files
//! are saved and hidden ([`crate::keep`]), so they see what is being committed; afterwards the
//! user's versions go back, also when a signal stopped the run.

use super::plan::Plan;
use crate::error::{Error, Result};
use crate::git::staged_workspace::StagedWorkspace;
use crate::keep::{self, Keeper, Restored};
use crate::path::RepoPath;
use crate::signals;

/// From here the work tree may change: catches signals first, then hides the unstaged changes
/// of every planned file. `None`: nothing to hide, or no repository behind the run.
pub fn protect(ws: Option<&StagedWorkspace<'_>>, plans: &[Plan<'_>]) -> Result<Option<Keeper>> {
    signals::catch();
    let Some(ws) = ws else {
        return Ok(None);
    };
    let mut all: Vec<RepoPath> = plans.iter().flat_map(|p| p.paths.iter().cloned()).collect();
    all.sort();
    all.dedup();
    ws.with_staged_index(|staged| {
        keep::protect(
            staged,
            staged.common_dir(),
            ws.workdir(),
            ws.index_file(),
            &all,
        )
    })
}

/// Puts the user's versions back and stops catching signals. A run `interrupted` by a signal
/// ends here, with an error that says whether the unstaged changes are back.
pub fn restore(keeper: Option<Keeper>, interrupted: Option<i32>) -> Result<Restored> {
    let restored = keeper.map(Keeper::restore);
    signals::release();
    if let Some(sig) = interrupted {
        let note = match &restored {
            Some(Err(e)) => format!("; restoring your unstaged changes failed: {e}"),
            Some(Ok(_)) => "; your unstaged changes are restored".into(),
            None => String::new(),
        };
        return Err(Error::Other(format!(
            "interrupted by {}: linters stopped{note}",
            signals::name(sig)
        )));
    }
    Ok(restored.transpose()?.unwrap_or_default())
}
