//! The one policy for opening a session file and holding its lock, for both front ends.
//!
//! - A session that cannot be read is refused and left untouched.
//! - A session file that does not exist yet is a new session, written on the first save.
//! - A session kept inside the cache folder is only read: no lock file is written beside the
//!   evidence, and saving it there is refused.
//! - A session open in another doctriage (its lock is held by a live process) is refused.
//! - A folder where no lock can be written (read-only media) does not stop reading: the session
//!   opens without a lock, with a warning.

use std::path::{Path, PathBuf};

use crate::lock::{LockError, SessionLock};
use crate::session::{self, Session};

use super::WorkspaceError;

/// A session file opened under the policy above.
#[derive(Debug)]
pub struct SessionFile {
    /// The file.
    pub path: PathBuf,
    /// Its session; `None` when the file does not exist yet (a new session).
    pub session: Option<Session>,
    /// The lock held on it (none inside the cache, or where no lock can be written).
    pub lock: Option<SessionLock>,
    /// What the analyst should know (no lock could be written).
    pub warnings: Vec<String>,
}

impl SessionFile {
    /// The cache folder this session is over: the one it names, else `default_cache`.
    pub fn cache_root(&self, default_cache: &Path) -> PathBuf {
        match &self.session {
            Some(s) => s.cache_root(&self.path),
            None => default_cache.to_path_buf(),
        }
    }
}

/// Opens `path` for editing: loads it (when it exists) and takes its lock. `default_cache` is
/// the cache folder of a session that does not exist yet.
pub fn open(path: &Path, default_cache: &Path) -> Result<SessionFile, WorkspaceError> {
    open_with(path, default_cache, false)
}

/// [`open`], taking over a lock left by a doctriage on another machine when `take_over` (the
/// analyst asked for it: `--take-over-lock`).
pub fn open_with(
    path: &Path,
    default_cache: &Path,
    take_over: bool,
) -> Result<SessionFile, WorkspaceError> {
    let session = if path.exists() {
        Some(Session::load(path)?)
    } else {
        None
    };
    let mut file = SessionFile {
        path: path.to_path_buf(),
        session,
        lock: None,
        warnings: Vec::new(),
    };
    let root = file.cache_root(default_cache);
    match lock_with(&root, path, take_over)? {
        Locked::Yes(l) => file.lock = Some(l),
        Locked::NotNeeded => {}
        Locked::Unavailable(w) => file.warnings.push(w),
    }
    Ok(file)
}

/// The outcome of [`lock`] that is not a refusal.
#[derive(Debug)]
pub enum Locked {
    /// The lock is held.
    Yes(SessionLock),
    /// A session inside the cache: read only, no lock file beside the evidence.
    NotNeeded,
    /// No lock could be written (the warning says why); editing goes on without one.
    Unavailable(String),
}

/// Takes the lock of the session file `path` over the cache `cache_root`; refused only when
/// another live doctriage holds it.
pub fn lock(cache_root: &Path, path: &Path) -> Result<Locked, WorkspaceError> {
    lock_with(cache_root, path, false)
}

/// [`lock`], taking over a lock from another machine when `take_over`.
pub fn lock_with(
    cache_root: &Path,
    path: &Path,
    take_over: bool,
) -> Result<Locked, WorkspaceError> {
    if session::check_outside_cache(cache_root, path).is_err() {
        return Ok(Locked::NotNeeded);
    }
    let acquired = if take_over {
        SessionLock::take_over(path)
    } else {
        SessionLock::acquire(path)
    };
    match acquired {
        Ok(l) => Ok(Locked::Yes(l)),
        Err(e @ LockError::Held { .. }) => Err(WorkspaceError::Lock(e)),
        Err(e) => Ok(Locked::Unavailable(format!(
            "{e} (continuing without a lock)"
        ))),
    }
}

/// True when two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// True when two paths name the same folder (or the same path, where they do not exist).
pub fn same_dir(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(a) == canon(b)
}
