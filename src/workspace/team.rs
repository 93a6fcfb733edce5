//! A team on one leak: whose name signs an edit, and the merge of two analysts' session files.

use std::path::Path;

use crate::session::{self, MergeOutcome, Session};

use super::{WorkspaceError, login_name};

/// The analyst's name that signs edits, from the most specific source given: the `--analyst`
/// of a command, then the machine's (`$DOCTRIAGE_ANALYST`, else the name set in the window's
/// preferences), then the session's analyst, then the login name.
pub fn resolve_analyst(given: Option<&str>, session: Option<&Session>) -> String {
    given
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(crate::prefs::machine_analyst)
        .or_else(|| {
            session
                .map(|s| s.analyst.trim().to_owned())
                .filter(|n| !n.is_empty())
        })
        .unwrap_or_else(login_name)
}

/// Three session files of one review to merge: the common base and two sides.
#[derive(Clone, Copy, Debug)]
pub struct MergeInputs<'a> {
    /// What both sides started from.
    pub base: &'a Path,
    /// Our side (the one whose file the merge replaces, for git's merge driver).
    pub ours: &'a Path,
    /// Their side.
    pub theirs: &'a Path,
}

/// Merges three session files (refused, with nothing written, when they are over different
/// articles or caches). The merge's own changes are signed by `analyst`.
pub fn merge_files(
    inputs: MergeInputs<'_>,
    analyst: Option<&str>,
) -> Result<MergeOutcome, WorkspaceError> {
    let mut base = Session::load(inputs.base)?;
    let ours = Session::load(inputs.ours)?;
    let mut theirs = Session::load(inputs.theirs)?;
    // Files in different folders name one cache by different relative paths: the same folder
    // is the same cache.
    let root = |s: &Session, p: &Path| std::fs::canonicalize(s.cache_root(p)).ok();
    let our_root = root(&ours, inputs.ours);
    for (s, p) in [(&mut base, inputs.base), (&mut theirs, inputs.theirs)] {
        if s.cache != ours.cache && our_root.is_some() && root(s, p) == our_root {
            s.cache.clone_from(&ours.cache);
        }
    }
    let name = resolve_analyst(analyst, Some(&ours));
    Ok(session::merge(&base, &ours, &theirs, &name)?)
}

/// Writes a merged session to `out` atomically (outside any cache it names).
pub fn write_merged(session: &Session, out: &Path) -> Result<(), WorkspaceError> {
    if out.is_dir() {
        return Err(WorkspaceError::IsAFolder(out.to_path_buf()));
    }
    session::check_outside_cache(&session.cache_root(out), out)?;
    crate::fsutil::write_atomic(out, session.to_json().as_bytes())?;
    Ok(())
}
