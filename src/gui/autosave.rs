//! Autosave: every 30 seconds when there are unsaved edits, and on quit, the session is written
//! to the user's data folder (never next to the evidence), on a background thread.
//!
//! The file is `<data dir>/autosave/<hash>.json`, where the hash names the session file (or,
//! for a session never saved, the cache folder). At start, an autosave newer than the session
//! file is offered for recovery.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::thread::JoinHandle;
use std::time::SystemTime;

use chrono::{DateTime, Local};

use crate::session::Session;

/// How often an unsaved session is autosaved, in seconds.
pub const AUTOSAVE_SECS: f64 = 30.0;

/// The folder autosaves go to: `$DOCTRIAGE_AUTOSAVE_DIR` if set, else `<data dir>/autosave`.
pub fn autosave_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCTRIAGE_AUTOSAVE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "doctriage").map(|d| d.data_dir().join("autosave"))
}

/// The autosave file, in `dir`, of a session file (or, without one, of a cache folder).
pub fn autosave_path_in(dir: &Path, session_path: Option<&Path>, cache_dir: &Path) -> PathBuf {
    let key = session_path.unwrap_or(cache_dir);
    let abs = std::path::absolute(key).unwrap_or_else(|_| key.to_path_buf());
    let kind = if session_path.is_some() {
        "session"
    } else {
        "cache"
    };
    let hash = crate::sha256_hex(format!("{kind}:{}", abs.display()).as_bytes());
    dir.join(format!("{}.json", &hash[..16]))
}

/// The autosave file of a session file (or, without one, of a cache folder) in [`autosave_dir`].
pub fn autosave_path(session_path: Option<&Path>, cache_dir: &Path) -> Option<PathBuf> {
    Some(autosave_path_in(&autosave_dir()?, session_path, cache_dir))
}

/// An autosave that may be recovered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryOffer {
    /// The autosave file.
    pub path: PathBuf,
    /// When it was written (local time, for the question).
    pub when: String,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// An autosave for this session/cache that is newer than the session file (or with no session file).
pub fn recovery_offer(autosave: &Path, session_path: Option<&Path>) -> Option<RecoveryOffer> {
    let auto = modified(autosave)?;
    if let Some(saved) = session_path.and_then(modified)
        && saved >= auto
    {
        return None;
    }
    let when: DateTime<Local> = auto.into();
    Some(RecoveryOffer {
        path: autosave.to_path_buf(),
        when: when.format("%Y-%m-%d %H:%M:%S").to_string(),
    })
}

/// Writes a session to an autosave file now (used on quit).
pub fn write_now(path: &Path, session: &Session) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    crate::fsutil::write_atomic(path, session.to_json().as_bytes()).map_err(|e| e.to_string())
}

/// The autosave state of the window.
#[derive(Default)]
pub struct Autosaver {
    /// Last time an autosave was started (egui time, seconds).
    pub last_attempt: f64,
    /// The revision last written.
    pub saved_revision: Option<u64>,
    /// "autosaved 12:03:11" or the last autosave error.
    pub status: String,
    /// True when the last autosave failed.
    pub failed: bool,
    running: Option<Running>,
}

/// An autosave being written: the thread, its answer, and the revision it writes.
type Running = (JoinHandle<()>, Receiver<Result<String, String>>, u64);

impl Autosaver {
    /// Starts writing `session` (a clone, serialised off the UI thread) unless one is running.
    pub fn start(&mut self, path: PathBuf, session: Session, revision: u64, now: f64) {
        if self.running.is_some() {
            return;
        }
        self.last_attempt = now;
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("doctriage-autosave".into())
            .spawn(move || {
                let result = write_now(&path, &session)
                    .map(|()| Local::now().format("%H:%M:%S").to_string());
                let _ = tx.send(result);
            });
        match spawned {
            Ok(handle) => self.running = Some((handle, rx, revision)),
            Err(e) => {
                self.status = format!("autosave failed: {e}");
                self.failed = true;
            }
        }
    }

    /// Collects a finished autosave; returns the error message if it failed.
    pub fn poll(&mut self) -> Option<String> {
        let finished = self
            .running
            .as_ref()
            .is_some_and(|(h, _, _)| h.is_finished());
        if !finished {
            return None;
        }
        let (handle, rx, revision) = self.running.take()?;
        let _ = handle.join();
        match rx.try_recv() {
            Ok(Ok(time)) => {
                self.status = format!("autosaved {time}");
                self.failed = false;
                self.saved_revision = Some(revision);
                None
            }
            Ok(Err(e)) => {
                self.status = "autosave failed".into();
                self.failed = true;
                Some(format!("Autosave failed: {e}"))
            }
            Err(_) => None,
        }
    }

    /// True while an autosave is being written.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Waits for a running autosave.
    pub fn wait(&mut self) {
        if let Some((h, _, _)) = &self.running {
            while !h.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        let _ = self.poll();
    }
}
